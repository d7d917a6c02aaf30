"""``calmcrown log day|headache|session``: the rules a quick entry keeps, on SQLite and
PostgreSQL (run in-process: a real command line cannot carry some of these inputs)."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner, Result

from calmcrown.cli.app import app
from tests.diary.conftest import database_url, postgres

__all__ = ["database_url", "postgres"]  # the fixtures, parametrised over both databases


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", url, *args])


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["day", "--intensity", "3", "--notes", "bad\x00day"], "notes"),
        (["day", "--intensity", "3", "--medication", "\x00"], "medication"),
        (["headache", "--start", "2026-11-20 08:00", "--trigger", "st\x00ress"], "triggers.0"),
        (["headache", "--start", "2026-11-20 08:00", "--notes", "a\x00"], "notes"),
        (["session", "--routine", "quick", "--minutes", "5", "--notes", "\x00x"], "notes"),
    ],
)
def test_a_nul_character_in_a_logged_text_exits_2_naming_the_field_and_saves_nothing(
    database_url: str, args: list[str], field: str
) -> None:
    result = run(database_url, "log", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"calmcrown: {field}: contains a NUL character, which a diary cannot keep\n"
    )
    listed = run(database_url, "diary", "--json", "--since", "2026-01-01")
    assert listed.exit_code == 0, listed.output
    assert '"id"' not in listed.stdout, "nothing was saved"


def test_log_headache_asks_for_an_end_or_confirm_long_for_one_going_on_for_months(
    database_url: str,
) -> None:
    start = (dt.datetime.now() - dt.timedelta(days=90)).strftime("%Y-%m-%d %H:%M")
    asked = run(database_url, "log", "headache", "--start", start)
    assert asked.exit_code == 2
    assert asked.stderr == (
        "calmcrown: ended_at: this headache has been going for 90 days; give when it ended, "
        "or confirm it is still going (--end, or --confirm-long)\n"
    )
    saved = run(database_url, "log", "headache", "--start", start, "--confirm-long")
    assert saved.exit_code == 0, saved.output
    assert saved.stdout.startswith(f"Saved h1: headache from {start}, still going on.")
