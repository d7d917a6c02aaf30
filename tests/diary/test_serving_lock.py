"""The lock ``calmcrown serve`` holds on the SQLite diary, held by real processes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from calmcrown.diary.backup import backup, restore
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import ensure_schema
from calmcrown.diary.serving_lock import DiaryInUse, hold_while_serving, lock_path
from calmcrown.diary.store import DiaryStore
from tests.diary.lock_holder import a_restore_at_work_in_another_process

HOLD_AS_A_SERVER = (
    "import sys, time; from pathlib import Path; "
    "from calmcrown.diary.serving_lock import hold_while_serving; "
    "lock = hold_while_serving(Path(sys.argv[1])); print('held', flush=True); time.sleep(600)"
)


def _diary(path: Path, intensity: int) -> str:
    url = f"sqlite:///{path}"
    engine = create_diary_engine(url)
    ensure_schema(engine)
    DiaryStore(engine).log_day(dt.date(2026, 11, 1), {"intensity": intensity})
    engine.dispose()
    return url


def _intensities(path: Path) -> list[int]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT intensity FROM days")]


@contextlib.contextmanager
def _another_process_holding(diary: Path) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AS_A_SERVER, str(diary)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_a_restore_is_refused_while_another_process_serves_the_diary_and_works_once_it_died(
    tmp_path: Path,
) -> None:
    live = tmp_path / "live" / "diary.sqlite3"
    url = _diary(live, 1)
    copy = backup(_diary(tmp_path / "other.sqlite3", 5), tmp_path / "copy.sqlite3")
    with _another_process_holding(live) as server:
        message = (
            rf"calmcrown serve is using this diary \(pid {server.pid}\); stop it, then restore"
        )
        with pytest.raises(DiaryInUse, match=message):
            restore(url, copy)
        assert _intensities(live) == [1] and not list(live.parent.glob("*before-restore*"))
        server.kill()  # SIGKILL: the process cannot clean anything up
        server.wait(timeout=10)
    assert lock_path(live).exists(), "the lock file stays; the lock went with the process"
    assert stat.S_IMODE(lock_path(live).stat().st_mode) == 0o600
    assert restore(url, copy) is not None
    assert _intensities(live) == [5]


def test_two_servers_may_share_a_diary_and_a_restore_waits_for_both(tmp_path: Path) -> None:
    live = tmp_path / "diary.sqlite3"
    url = _diary(live, 1)
    copy = backup(_diary(tmp_path / "other.sqlite3", 5), tmp_path / "copy.sqlite3")
    with _another_process_holding(live):
        here = hold_while_serving(live)
        with pytest.raises(DiaryInUse):
            restore(url, copy)
    with pytest.raises(DiaryInUse, match=rf"\(pid {os.getpid()}\)"):
        restore(url, copy)
    here.release()
    restore(url, copy)
    assert _intensities(live) == [5]


HOLD_AS_A_COMMAND = (
    "import sys, time; from pathlib import Path; "
    "from calmcrown.diary.serving_lock import hold_while_open; "
    "lock = hold_while_open(Path(sys.argv[1])); print('held', flush=True); time.sleep(600)"
)


def test_a_restore_is_refused_while_another_command_has_the_diary_open(tmp_path: Path) -> None:
    live = tmp_path / "diary.sqlite3"
    url = _diary(live, 1)
    copy = backup(_diary(tmp_path / "other.sqlite3", 5), tmp_path / "copy.sqlite3")
    command = subprocess.Popen(
        [sys.executable, "-c", HOLD_AS_A_COMMAND, str(live)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert command.stdout is not None and command.stdout.readline() == "held\n"
        with pytest.raises(DiaryInUse, match="another calmcrown command is using this diary"):
            restore(url, copy)
        assert _intensities(live) == [1]
    finally:
        command.kill()
        command.wait(timeout=10)
    restore(url, copy)
    assert _intensities(live) == [5]


def test_a_second_restore_while_one_is_at_work_says_so_rather_than_blaming_a_server(
    tmp_path: Path,
) -> None:
    live = tmp_path / "diary.sqlite3"
    url = _diary(live, 1)
    copy = backup(_diary(tmp_path / "other.sqlite3", 5), tmp_path / "copy.sqlite3")
    with a_restore_at_work_in_another_process(live):
        with pytest.raises(DiaryInUse, match="another restore is replacing this diary"):
            restore(url, copy)
        with pytest.raises(DiaryInUse, match="a restore is replacing the diary"):
            hold_while_serving(live)
    assert _intensities(live) == [1]
