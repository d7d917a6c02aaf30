from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest

from calmcrown.diary.backup import BackupError, backup, check_backup, restore
from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.records import SessionEntry
from calmcrown.diary.schema import HEAD, current_revision, ensure_schema, upgrade
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import all_trials, end_trial, extend_trial_period, save_trial
from calmcrown.insight.trial.design import TrialDesign, design


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


def _sessions(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT routine FROM sessions")]


def _live_diary_with_a_session(path: Path) -> str:
    url = _diary(path, 1)
    engine = create_diary_engine(url)
    DiaryStore(engine).add_session(
        SessionEntry(date=dt.date(2026, 11, 1), routine="evening", given_by="self", seconds=600)
    )
    engine.dispose()
    return url


def _backup_changed_by(tmp_path: Path, *statements: str) -> Path:
    """A real backup, then changed with SQL as someone might hand-craft a file."""
    tmp_path.mkdir(exist_ok=True)
    made = backup(_diary(tmp_path / "source.sqlite3", 5), tmp_path / "crafted.sqlite3")
    with contextlib.closing(sqlite3.connect(made)) as connection:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    return made


def _nothing_kept(folder: Path) -> bool:
    return not list(folder.glob("*before-restore*"))


def test_a_restore_of_a_file_with_a_trigger_is_refused_and_the_diary_is_unchanged(
    tmp_path: Path,
) -> None:
    live = tmp_path / "live" / "diary.sqlite3"
    url = _live_diary_with_a_session(live)
    crafted = _backup_changed_by(
        tmp_path,
        "CREATE TRIGGER wipe_sessions AFTER INSERT ON days BEGIN DELETE FROM sessions; END",
    )
    with pytest.raises(
        BackupError, match="contains a trigger calmcrown does not create: wipe_sessions"
    ):
        restore(url, crafted)
    assert _intensities(live) == [1] and _sessions(live) == ["evening"]
    # The next day logged keeps the session: no trigger came in.
    engine = create_diary_engine(url)
    DiaryStore(engine).log_day(dt.date(2026, 11, 2), {"intensity": 2})
    engine.dispose()
    assert _sessions(live) == ["evening"]
    assert _nothing_kept(live.parent)


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("CREATE TABLE notes_copy (notes TEXT)", "a table calmcrown does not create: notes_copy"),
        ("CREATE VIEW every_note AS SELECT notes FROM days", "a view calmcrown does not create"),
        ("CREATE INDEX by_notes ON days (notes)", "an index calmcrown does not create: by_notes"),
    ],
)
def test_a_file_with_a_table_view_or_index_calmcrown_does_not_create_is_refused(
    tmp_path: Path, statement: str, found: str
) -> None:
    live = tmp_path / "live" / "diary.sqlite3"
    url = _diary(live, 1)
    with pytest.raises(BackupError, match=f"not a calmcrown diary: contains {found}"):
        restore(url, _backup_changed_by(tmp_path, statement))
    assert _intensities(live) == [1] and _nothing_kept(live.parent)


def test_a_file_whose_tables_have_only_an_x_column_is_refused(tmp_path: Path) -> None:
    live = tmp_path / "live" / "diary.sqlite3"
    url = _diary(live, 1)
    fake = tmp_path / "fake.sqlite3"
    with contextlib.closing(sqlite3.connect(fake)) as connection:
        connection.execute(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
            " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
        connection.execute("INSERT INTO alembic_version VALUES ('0003')")
        for table in ("profiles", "days", "headaches", "sessions", "practice_plans"):
            connection.execute(f"CREATE TABLE {table} (x)")
        connection.commit()
    with pytest.raises(BackupError, match="not a calmcrown diary: ") as refused:
        restore(url, fake)
    assert "table days has a column calmcrown does not create: x" in str(refused.value)
    assert _intensities(live) == [1] and _nothing_kept(live.parent)


def test_a_column_of_another_type_or_a_missing_column_is_refused(tmp_path: Path) -> None:
    crafted = _backup_changed_by(
        tmp_path,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = replace(sql, 'medication TEXT', 'medication BLOB')"
        " WHERE name = 'days'",
    )
    with pytest.raises(BackupError, match=r"column days\.medication is BLOB, not TEXT"):
        check_backup(crafted)
    dropped = _backup_changed_by(tmp_path / "dropped", "ALTER TABLE sessions DROP COLUMN notes")
    with pytest.raises(BackupError, match="table sessions has no notes column"):
        check_backup(dropped)


def test_a_real_backup_of_an_older_revision_still_restores(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    engine = create_diary_engine(f"sqlite:///{old}")
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO profiles (name, created_at) VALUES ('default', CURRENT_TIMESTAMP)"
        )
        connection.exec_driver_sql(
            "INSERT INTO sessions (profile_id, date, routine, given_by, seconds, outcome,"
            " reasons, created_at, updated_at) SELECT id, '2026-11-01', 'evening', 'self',"
            " 900, 'completed', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM profiles"
        )
    engine.dispose()
    live = tmp_path / "live" / "diary.sqlite3"
    url = _diary(live, 1)
    kept = restore(url, backup(f"sqlite:///{old}", tmp_path / "old-copy.sqlite3"))
    assert kept is not None and _intensities(kept) == [1]
    engine = create_diary_engine(url)
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD
    [session] = DiaryStore(engine).sessions()
    engine.dispose()
    assert session.entry.seconds == 900 and session.entry.doctor_checks == []
    assert _intensities(live) == []


def test_a_row_that_breaks_a_rule_of_the_schema_stops_the_restore_and_changes_nothing(
    tmp_path: Path,
) -> None:
    live = tmp_path / "live" / "diary.sqlite3"
    url = _diary(live, 1)
    crafted = _backup_changed_by(
        tmp_path, "PRAGMA ignore_check_constraints = ON", "UPDATE days SET intensity = 42"
    )
    with pytest.raises(BackupError, match="a row of its days table breaks calmcrown's rules"):
        restore(url, crafted)
    assert _intensities(live) == [1] and _nothing_kept(live.parent)
    left = [p.name for p in live.parent.iterdir() if p.name.startswith(".")]
    assert left == [], "no scratch files are left behind"


def test_a_restored_diary_is_a_new_file_made_by_the_migrations(tmp_path: Path) -> None:
    """Whatever else a file holds (free pages, old rows' traces), only rows come over."""
    live = tmp_path / "live" / "diary.sqlite3"
    url = _diary(live, 1)
    crafted = _backup_changed_by(tmp_path, "PRAGMA user_version = 77")
    restore(url, crafted)
    with contextlib.closing(sqlite3.connect(live)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (0,)
    assert _intensities(live) == [5]
    assert stat.S_IMODE(live.stat().st_mode) == 0o600


def test_a_backup_with_sqlites_own_statistics_still_restores(tmp_path: Path) -> None:
    """ANALYZE adds sqlite_stat1, a table SQLite makes itself; only rows come over."""
    live = tmp_path / "live" / "diary.sqlite3"
    url = _diary(live, 1)
    restore(url, _backup_changed_by(tmp_path, "ANALYZE"))
    assert _intensities(live) == [5]


def _diary_with_a_trial(path: Path) -> tuple[str, TrialDesign]:
    """A trial extended and ended early, with sessions linked to its periods."""
    url = _diary(path, 1)
    engine = create_diary_engine(url)
    start = dt.date(2026, 9, 1)
    planning = DiaryStore(engine, today=lambda: start)
    save_trial(planning, design(("head", "feet", "none"), start, period_days=14, seed=99))
    extend_trial_period(planning, 1, 2, "a cold", on=start + dt.timedelta(days=3))
    end_trial(planning, "moved house", on=start + dt.timedelta(days=40))
    store = DiaryStore(engine, today=lambda: start + dt.timedelta(days=60))
    for offset in (0, 20, 35, 50):
        store.add_session(
            SessionEntry(date=start + dt.timedelta(days=offset), routine="evening",
                         given_by="self", seconds=600)
        )  # fmt: skip
    trial = all_trials(store)
    engine.dispose()
    return url, trial[0]


def _session_periods(path: Path) -> list[tuple[str, int | None]]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT s.date, p.number FROM sessions s LEFT JOIN trial_periods p"
            " ON p.id = s.trial_period_id ORDER BY s.date"
        ).fetchall()


def test_a_trial_its_amendments_and_the_sessions_links_survive_backup_and_restore(
    tmp_path: Path,
) -> None:
    url, trial = _diary_with_a_trial(tmp_path / "source.sqlite3")
    links = _session_periods(tmp_path / "source.sqlite3")
    assert [number for _, number in links] == [1, 2, 3, None]
    copy = backup(url, tmp_path / "copy.sqlite3")
    check_backup(copy)  # the 0004 schema (trials, periods, amendments) is calmcrown's
    elsewhere = tmp_path / "elsewhere" / "diary.sqlite3"
    elsewhere_url = _diary(elsewhere, 4)
    restore(elsewhere_url, copy)
    engine = create_diary_engine(elsewhere_url)
    [restored] = all_trials(DiaryStore(engine))
    engine.dispose()
    assert restored == trial and len(restored.amendments) == 2
    assert _session_periods(elsewhere) == links


def test_a_trigger_on_the_trial_tables_is_refused(tmp_path: Path) -> None:
    crafted = _backup_changed_by(
        tmp_path,
        "CREATE TRIGGER rearm AFTER INSERT ON trial_periods BEGIN"
        " UPDATE trial_periods SET arm = 'head'; END",
    )
    with pytest.raises(BackupError, match="contains a trigger calmcrown does not create: rearm"):
        check_backup(crafted)
