"""``calmcrown log day|headache|session``: the rules a quick entry keeps, on SQLite and
PostgreSQL (run in-process: a real command line cannot carry some of these inputs)."""

from __future__ import annotations

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
