"""``calmcrown import`` and ``export`` as a person runs them: a real process, on SQLite and
PostgreSQL, exit codes and every word it prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.diary.conftest import database_url, postgres

__all__ = ["database_url", "postgres"]  # the fixtures, parametrised over both databases

SRC = Path(__file__).resolve().parents[2] / "src"


def calmcrown(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "calmcrown", "--db", url, *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_importing_a_csv_with_a_nul_cell_exits_2_naming_the_line_and_prints_no_health_data(
    database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "days.csv"
    path.write_text(
        "date,intensity,medication,notes\n"
        "2026-11-01,3,ibuprofen 400 mg,argued with my sister\n"
        "2026-11-02,6,sumatriptan 50 mg,private words\x00 here\n",
        encoding="utf-8",
    )
    result = calmcrown(database_url, "import", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"calmcrown: {path}: nothing imported:\n"
        "line 3, column notes: contains a NUL character, which a diary cannot keep\n"
    )
    listed = calmcrown(database_url, "diary", "--json", "--since", "2026-10-01")
    assert listed.returncode == 0 and '"id"' not in listed.stdout, "nothing was imported"
