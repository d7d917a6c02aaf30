"""The command line's own answers to a diary it cannot write to just now."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from calmcrown.cli.app import app
from calmcrown.diary import engine as diary_engine
from tests.diary.conftest import database_url, postgres  # noqa: F401 (the fixtures)
from tests.diary.lock_holder import another_program_holding_the_write_lock


def test_a_command_behind_another_programs_lock_says_the_diary_is_busy_without_a_traceback(
    database_url: str,  # noqa: F811 (the fixture imported above)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = CliRunner()
    assert (
        runner.invoke(app, ["--db", database_url, "log", "day", "--intensity", "3"]).exit_code == 0
    )
    # The command line waits half a minute for a lock; a second is enough to show its answer.
    monkeypatch.setattr(diary_engine, "BUSY_TIMEOUT_MS", 1_000)
    with another_program_holding_the_write_lock(database_url):
        result = runner.invoke(app, ["--db", database_url, "log", "day", "--intensity", "8"])
    assert result.exit_code == 1
    assert result.stderr == (
        "calmcrown: the diary is busy: another program is writing to it. Nothing was saved; "
        "try again in a moment.\n"
    )
    assert result.stdout == "" and "Traceback" not in result.output
    shown = runner.invoke(app, ["--db", database_url, "diary", "--json"])
    assert '"intensity": 3' in shown.stdout, "the day kept what it had"
