from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest

from calmcrown.diary.backup import BackupError, backup, check_backup, restore
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import ensure_schema
from calmcrown.diary.store import DiaryStore


def _diary(path: Path, intensity: int) -> str:
    url = f"sqlite:///{path}"
    engine = create_diary_engine(url)
    ensure_schema(engine)
    store = DiaryStore(engine)
    store.log_day(dt.date(2026, 11, 1), {"intensity": intensity})
    engine.dispose()
    return url


def _intensities(path: Path) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT intensity FROM days")]


def test_files_holding_the_diary_are_private(tmp_path: Path) -> None:
    url = _diary(tmp_path / "data" / "diary.sqlite3", 3)
    copy = backup(url, tmp_path / "copy.sqlite3")
    for path in (tmp_path / "data" / "diary.sqlite3", copy):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_two_restores_keep_two_safety_copies(tmp_path: Path) -> None:
    live = tmp_path / "diary.sqlite3"
    url = _diary(live, 1)
    first = backup(_diary(tmp_path / "a.sqlite3", 5), tmp_path / "a-copy.sqlite3")
    second = backup(_diary(tmp_path / "b.sqlite3", 7), tmp_path / "b-copy.sqlite3")
    kept_one = restore(url, first)
    kept_two = restore(url, second)
    assert kept_one is not None and kept_two is not None and kept_one != kept_two
    assert _intensities(kept_one) == [1], "the original diary is kept"
    assert _intensities(kept_two) == [5]
    assert _intensities(live) == [7]


def test_a_backup_from_a_newer_calmcrown_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    _diary(newer, 2)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(BackupError, match="made by a newer calmcrown"):
        check_backup(newer)


def test_odd_characters_in_a_backup_path_are_fine(tmp_path: Path) -> None:
    folder = tmp_path / "what?#is this"
    folder.mkdir()
    copy = backup(_diary(tmp_path / "diary.sqlite3", 4), folder / "copy #1?.sqlite3")
    check_backup(copy)
    assert sorted(p.name for p in folder.iterdir()) == ["copy #1?.sqlite3"]
