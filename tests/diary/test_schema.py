from __future__ import annotations

import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from calmcrown.diary.engine import create_diary_engine
from calmcrown.diary.schema import HEAD, MIGRATIONS, alembic_config, current_revision
from calmcrown.diary.schema import upgrade as upgrade_schema
from calmcrown.diary.tables import metadata


def test_head_constant_is_the_newest_migration() -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    assert script.get_heads() == [HEAD]


def test_upgrade_head_matches_the_models(database_url: str) -> None:
    engine = create_diary_engine(database_url)
    try:
        upgrade_schema(engine)
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_ensure_schema_is_idempotent_and_keeps_data(engine: Engine) -> None:
    from calmcrown.diary.schema import ensure_schema

    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO profiles (name, created_at) VALUES ('kept', CURRENT_TIMESTAMP)"
        )
    ensure_schema(engine)
    upgrade_schema(engine)
    with engine.connect() as connection:
        names = connection.exec_driver_sql("SELECT name FROM profiles").scalars().all()
    assert names == ["kept"]
    assert set(inspect(engine).get_table_names()) >= {
        "profiles",
        "days",
        "headaches",
        "sessions",
        "practice_plans",
        "alembic_version",
    }


def test_alembic_config_points_at_the_packaged_migrations() -> None:
    config = alembic_config()
    assert config.get_main_option("script_location") == str(MIGRATIONS)
    assert (MIGRATIONS / "versions").is_dir()


def test_upgrading_a_first_schema_diary_keeps_its_sessions(database_url: str) -> None:
    """0002 adds the doctor's checks; every session recorded before has none."""
    engine = create_diary_engine(database_url)
    try:
        upgrade_schema(engine, "0001")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO profiles (name, created_at) VALUES ('default', CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO sessions (profile_id, date, routine, given_by, seconds, outcome,"
                " reasons, created_at, updated_at) SELECT id, '2026-11-01', 'evening', 'self',"
                " 900, 'completed', '[\"pregnancy\"]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
                " FROM profiles"
            )
        upgrade_schema(engine)
        with engine.connect() as connection:
            row = connection.exec_driver_sql("SELECT reasons, doctor_checks FROM sessions").one()
        assert [json.loads(v) if isinstance(v, str) else v for v in row] == [["pregnancy"], []]
    finally:
        engine.dispose()


def test_upgrading_a_second_schema_diary_keeps_its_headaches(database_url: str) -> None:
    """0003 adds whether the medication helped; nobody was asked before, so it is unknown."""
    engine = create_diary_engine(database_url)
    try:
        upgrade_schema(engine, "0002")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO profiles (name, created_at) VALUES ('default', CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO headaches (profile_id, started_at, peak, location, triggers,"
                " medication, created_at, updated_at) SELECT id, '2026-11-01 08:00', 6,"
                " '[\"temples\"]', '[]', 'ibuprofen 400 mg', CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP FROM profiles"
            )
        upgrade_schema(engine)
        with engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT peak, location, medication, medication_helped FROM headaches"
            ).one()
        location = json.loads(row[1]) if isinstance(row[1], str) else row[1]
        assert (row[0], location, row[2], row[3]) == (6, ["temples"], "ibuprofen 400 mg", None)
    finally:
        engine.dispose()


def test_upgrading_a_third_schema_diary_keeps_its_sessions_outside_any_trial(
    database_url: str,
) -> None:
    """0004 adds trials; a session recorded before them belongs to no trial period."""
    engine = create_diary_engine(database_url)
    try:
        upgrade_schema(engine, "0003")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO profiles (name, created_at) VALUES ('default', CURRENT_TIMESTAMP)"
            )
            connection.exec_driver_sql(
                "INSERT INTO sessions (profile_id, date, routine, given_by, seconds, outcome,"
                " reasons, created_at, updated_at) SELECT id, '2026-11-01', 'evening', 'self',"
                " 600, 'completed', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM profiles"
            )
        upgrade_schema(engine)
        with engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT routine, seconds, trial_period_id FROM sessions"
            ).one()
            trials = connection.exec_driver_sql("SELECT count(*) FROM trials").scalar()
        assert tuple(row) == ("evening", 600, None)
        assert trials == 0
    finally:
        engine.dispose()
