"""The everyday commands start without loading the heavy scientific stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("numpy", "pandas", "scipy", "matplotlib")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["routines"],
        ["plan", "evening", "--json"],
        ["screen", "--answers", "{}"],
        ["log", "day", "--intensity", "3"],
        ["log", "session", "--routine", "evening", "--minutes", "10"],
        ["diary", "--json"],
        ["analyze", "--help"],
    ],
    ids=["help", "routines", "plan", "screen", "log-day", "log-session", "diary", "analyze-help"],
)
def test_everyday_commands_import_no_heavy_library(args: list[str], tmp_path: object) -> None:
    if args[0] == "screen":
        answers = f"{tmp_path}/answers.json"
        with open(answers, "w") as handle:
            handle.write('{"flags": []}')
        args = ["screen", "--answers", answers, "--json"]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "calmcrown", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()}
    top_level = {name.split(".")[0] for name in imported}
    assert not top_level & set(HEAVY), sorted(top_level & set(HEAVY))
    assert "calmcrown" in top_level, "the check saw the real import log"
