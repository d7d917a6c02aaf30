"""Files and folders holding diary data end readable by their owner only, whatever the
umask and whatever an older file's mode was."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.fhir_export import export_fhir
from calmcrown.diary.private_files import tighten_folder, write_private_text
from calmcrown.diary.schema import ensure_schema
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.transfer import export_files


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    """The common default: new files readable by everyone unless calmcrown says not."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _readable_by_all(path: Path, text: str = "old") -> Path:
    path.write_text(text)
    path.chmod(0o644)
    return path


def test_writing_over_a_file_readable_by_all_leaves_only_the_new_private_file(
    tmp_path: Path,
) -> None:
    target = _readable_by_all(tmp_path / "export.csv", "old content, longer than the new")
    write_private_text(target, "new\r\n")
    assert _mode(target) == 0o600
    assert target.read_bytes() == b"new\r\n", "the text is written exactly as given"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"], "no partial file is left"


def test_a_write_that_fails_leaves_what_was_there_and_no_partial_file(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").mkdir()
    with pytest.raises(IsADirectoryError) as failed:
        write_private_text(tmp_path / "report.pdf", "x")
    assert failed.value.filename == str(tmp_path / "report.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_write_into_a_missing_folder_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "calmcrown.ics"
    with pytest.raises(FileNotFoundError) as failed:
        write_private_text(target, "x")
    assert failed.value.filename == str(target)


def test_an_existing_data_folder_open_to_others_is_tightened_to_0700(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    tighten_folder(folder)
    assert _mode(folder) == 0o700
    tighten_folder(tmp_path / "new" / "data")
    assert _mode(tmp_path / "new" / "data") == 0o700


def test_a_diary_and_its_wal_and_shm_readable_by_all_become_private_when_opened(
    tmp_path: Path,
) -> None:
    diary = tmp_path / "diary.sqlite3"
    engine = create_diary_engine(f"sqlite:///{diary}")
    ensure_schema(engine)
    # An open connection keeps the -wal and -shm files beside the diary.
    with engine.connect() as connection:
        files = [diary, *(diary.with_name(f"diary.sqlite3-{end}") for end in ("wal", "shm"))]
        for path in files:
            path.chmod(0o644)
        create_diary_engine(f"sqlite:///{diary}").dispose()
        assert [_mode(path) for path in files] == [0o600, 0o600, 0o600]
        connection.exec_driver_sql("SELECT 1")
    engine.dispose()
    fresh = tmp_path / "fresh.sqlite3"
    create_diary_engine(f"sqlite:///{fresh}").dispose()
    assert _mode(fresh) == 0o600


def test_exports_of_a_diary_on_either_database_are_private_over_files_readable_by_all(
    store: DiaryStore, tmp_path: Path
) -> None:
    store.log_day(dt.date(2026, 11, 1), {"intensity": 3, "notes": "a note"})
    out = tmp_path / "out"
    out.mkdir()
    older = [_readable_by_all(out / name) for name in ("days.csv", "calmcrown-diary.json")]
    written = export_files(store, "csv", out) + export_files(store, "json", out)
    fhir = export_fhir(store, _readable_by_all(out / "diary.fhir.json"), dt.datetime(2026, 11, 2))
    assert set(older) <= set(written)
    assert {path: _mode(path) for path in [*written, fhir]} == dict.fromkeys(
        [*written, fhir], 0o600
    )
    assert "a note" in (out / "days.csv").read_text()


def test_a_diary_kept_elsewhere_through_a_symlink_opens_and_is_made_private(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "synced" / "diary.sqlite3"
    elsewhere.parent.mkdir()
    create_diary_engine(f"sqlite:///{elsewhere}").dispose()
    elsewhere.chmod(0o644)
    link = tmp_path / "diary.sqlite3"
    link.symlink_to(elsewhere)
    engine = create_diary_engine(f"sqlite:///{link}")
    ensure_schema(engine)
    engine.dispose()
    assert _mode(elsewhere) == 0o600
