"""``import``, ``export``, ``backup``, ``restore`` and ``schedule`` as a person runs them: what
they refuse, what they print, and the modes of the files they write; on SQLite, and on
PostgreSQL where the database matters."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from calmcrown.cli.app import app
from tests.diary.conftest import database_url, postgres
from tests.diary.lock_holder import a_restore_at_work_in_another_process

__all__ = ["database_url", "postgres"]  # the fixtures, parametrised over both databases

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'live' / 'diary.sqlite3'}"


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", db, *args])


def _intensities(path: Path) -> list[int]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT intensity FROM days")]


def _write_then_die(path: Path, statement: str) -> None:
    """A calmcrown-like process commits a write and is killed before it closes the
    diary: the write is in the -wal file only, as after a crash or a SIGKILL."""
    code = (
        f"import os, sqlite3; c = sqlite3.connect({str(path)!r}); c.execute({statement!r}); "
        "c.commit(); os.kill(os.getpid(), 9)"
    )
    died = subprocess.run([sys.executable, "-c", code], check=False)
    assert died.returncode == -9


@contextlib.contextmanager
def _immutable(path: Path) -> Iterator[None]:
    """Linux's immutable flag: not even root may rename, link or delete the file."""
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _backed_up_then_changed_by_a_killed_process(db: str, tmp_path: Path) -> Path:
    """A diary with an intensity of 3 backed up to copy.sqlite3, then set to 9 by a
    process killed before it closed the diary; returns the live diary's path."""
    live = tmp_path / "live" / "diary.sqlite3"
    assert run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3").exit_code == 0
    assert run(db, "backup", str(tmp_path / "copy.sqlite3")).exit_code == 0
    _write_then_die(live, "UPDATE days SET intensity = 9")
    return live


def test_a_restore_that_fails_after_the_swap_began_puts_the_old_diary_back_and_names_its_copy(
    db: str, tmp_path: Path
) -> None:
    live = _backed_up_then_changed_by_a_killed_process(db, tmp_path)
    wal = live.with_name("diary.sqlite3-wal")
    assert wal.stat().st_size > 0, "the last write lives in the write-ahead log"
    # The -wal is moved aside first; then the diary itself cannot be moved: a real
    # failure from the operating system, halfway through the swap.
    with _immutable(live):
        failed = run(db, "restore", str(tmp_path / "copy.sqlite3"))
    assert failed.exit_code == 1, failed.output
    assert "the restore could not be finished" in failed.stderr
    assert "The diary is as it was before." in failed.stderr
    kept = re.search(r"A copy of it is also kept at (\S+)\.$", failed.stderr.strip())
    assert kept is not None, failed.stderr
    assert _intensities(Path(kept[1])) == [9]
    assert wal.stat().st_size > 0, "the write-ahead log is back beside its diary"
    assert _intensities(live) == [9], "the diary has its last write"
    assert not [p for p in live.parent.iterdir() if p.name.startswith(".")]


def test_a_refused_restore_says_what_it_found_and_that_nothing_changed(
    db: str, tmp_path: Path
) -> None:
    assert run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3").exit_code == 0
    crafted = tmp_path / "crafted.sqlite3"
    assert run(db, "backup", str(crafted)).exit_code == 0
    with contextlib.closing(sqlite3.connect(crafted)) as connection:
        connection.execute(
            "CREATE TRIGGER wipe_sessions AFTER INSERT ON days BEGIN DELETE FROM sessions; END"
        )
        connection.commit()
    refused = run(db, "restore", str(crafted))
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"calmcrown: {crafted}: not a calmcrown diary: contains a trigger calmcrown does not "
        "create: wipe_sessions. Nothing was changed.\n"
    )
    assert _intensities(tmp_path / "live" / "diary.sqlite3") == [3]
    assert not list((tmp_path / "live").glob("*before-restore*"))


def test_a_restore_into_a_new_place_makes_the_diary_and_keeps_no_copy(tmp_path: Path) -> None:
    first = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    assert run(first, "log", "day", "--date", "2026-11-01", "--intensity", "4").exit_code == 0
    assert run(first, "backup", str(tmp_path / "copy.sqlite3")).exit_code == 0
    elsewhere = tmp_path / "new" / "diary.sqlite3"
    restored = run(f"sqlite:///{elsewhere}", "restore", str(tmp_path / "copy.sqlite3"))
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.strip() == f"Restored the diary from {tmp_path / 'copy.sqlite3'}."
    assert _intensities(elsewhere) == [4]
    assert os.stat(elsewhere).st_mode & 0o777 == 0o600


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The common default: new files readable by everyone unless calmcrown says not."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _readable_by_all(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("an older file")
    path.chmod(0o644)
    return path


WRITERS = {
    "backup --force": (["backup", "{out}/copy.sqlite3", "--force"], "copy.sqlite3"),
    "schedule --ics": (["schedule", "--ics", "{out}/practice.ics"], "practice.ics"),
    "export csv": (["export", "--format", "csv", "--out", "{out}"], "days.csv"),
    "export json": (["export", "--format", "json", "--out", "{out}"], "calmcrown-diary.json"),
    "export fhir": (["export", "--format", "fhir", "--out", "{out}/diary.json"], "diary.json"),
    "report --pdf": (["report", "--pdf", "{out}/report.pdf"], "report.pdf"),
}


@pytest.mark.usefixtures("loose_umask")
@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("older", [True, False], ids=["over a file readable by all", "new"])
def test_every_file_written_with_diary_data_is_readable_by_its_owner_only(
    db: str, tmp_path: Path, writer: str, older: bool
) -> None:
    assert run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3").exit_code == 0
    args, name = WRITERS[writer]
    out = tmp_path / "out"
    out.mkdir()
    if older:
        _readable_by_all(out / name)
    result = run(db, *(arg.format(out=out) for arg in args))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert (out / name).read_bytes() != b"an older file"
    assert all(not path.name.startswith(".") for path in out.iterdir()), "no partial file"


def test_a_restore_over_a_diary_left_with_a_write_ahead_log_by_a_killed_process_is_clean(
    db: str, tmp_path: Path
) -> None:
    live = _backed_up_then_changed_by_a_killed_process(db, tmp_path)
    _write_then_die(live, "INSERT INTO profiles (name, created_at) VALUES ('bob', '2026-11-01')")
    restored = run(db, "restore", str(tmp_path / "copy.sqlite3"))
    assert restored.exit_code == 0, restored.output
    kept = re.search(r"The diary it replaced is kept at (\S+)\.$", restored.stdout.strip())
    assert kept is not None and _intensities(Path(kept[1])) == [9], "the last writes are kept"
    # The old write-ahead log must not be replayed onto the restored diary.
    with contextlib.closing(sqlite3.connect(live)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT name FROM profiles").fetchall() == [("default",)]
    assert _intensities(live) == [3]
    assert run(db, "log", "day", "--date", "2026-11-02", "--intensity", "4").exit_code == 0
    assert _intensities(live) == [3, 4]


def test_a_command_run_while_a_restore_is_at_work_is_refused_and_saves_nothing(
    db: str, tmp_path: Path
) -> None:
    live = tmp_path / "live" / "diary.sqlite3"
    assert run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3").exit_code == 0
    with a_restore_at_work_in_another_process(live):
        refused = run(db, "log", "day", "--date", "2026-11-02", "--intensity", "8")
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"calmcrown: a restore is replacing the diary at {live}; try again when it has finished\n"
    )
    assert _intensities(live) == [3]
    assert run(db, "log", "day", "--date", "2026-11-02", "--intensity", "8").exit_code == 0


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
