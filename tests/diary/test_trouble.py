from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from calmcrown.diary.trouble import diary_trouble


def test_a_write_to_a_full_device_is_named_full_and_other_errors_are_left_alone(
    engine: Engine,
) -> None:
    # /dev/full: a real device that answers every write with ENOSPC, as a full disk does.
    with pytest.raises(OSError) as full, open("/dev/full", "w") as device:
        device.write("a day")
        device.flush()
    assert diary_trouble(full.value) == "full"
    with pytest.raises(OSError) as missing:
        open("/no/such/folder/diary.csv")  # noqa: SIM115 (it fails before there is a file)
    assert diary_trouble(missing.value) is None
    with pytest.raises(DBAPIError) as no_table, engine.connect() as connection:
        connection.execute(text("SELECT * FROM no_such_table"))
    assert diary_trouble(no_table.value) is None, "a fault still reaches the error log"
    with pytest.raises(IntegrityError) as duplicate, engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO profiles (id, name, created_at) "
                "VALUES (1, 'a', CURRENT_TIMESTAMP), (1, 'b', CURRENT_TIMESTAMP)"
            )
        )
    assert diary_trouble(duplicate.value) is None
    with pytest.raises(sqlite3.OperationalError) as raw:
        sqlite3.connect(":memory:").execute("SELECT * FROM nothing")
    assert diary_trouble(raw.value) is None
