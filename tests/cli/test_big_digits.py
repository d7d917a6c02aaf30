from __future__ import annotations

from calmcrown.cli.big_digits import big_text
from calmcrown.cli.views import clock


def test_countdown_reads_whole_seconds_and_ends_on_zero() -> None:
    assert clock(0) == "0:00"
    assert clock(0.2) == "0:01"
    assert clock(59.5) == "1:00"
    assert clock(605) == "10:05"


def test_big_digits_are_five_rows_high() -> None:
    rows = big_text("4:05").split("\n")
    assert len(rows) == 5
    assert all("██" in row for row in rows[::2])
