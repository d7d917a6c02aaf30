"""Opening the diary from the command line tightens calmcrown's data folder."""

from __future__ import annotations

import stat
from pathlib import Path

from typer.testing import CliRunner

from calmcrown.cli.app import app


def test_an_existing_data_folder_readable_by_all_is_tightened_to_0700(
    private_diary: Path,
) -> None:
    private_diary.chmod(0o755)  # as made by an older calmcrown, or by hand with umask 022
    result = CliRunner().invoke(app, ["log", "day", "--intensity", "2"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(private_diary.stat().st_mode) == 0o700
    assert stat.S_IMODE((private_diary / "diary.sqlite3").stat().st_mode) == 0o600
