"""The two ways a sound diary can refuse a write for now: another program holds its
write lock ("busy"), or the disk is full ("full"). Both faces tell the person which,
and that nothing was saved; any other error is a fault and is left to surface."""

from __future__ import annotations

import errno
import sqlite3
from typing import Literal

from sqlalchemy.exc import OperationalError

Trouble = Literal["busy", "full"]

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_FULL = 13
# PostgreSQL's SQLSTATEs: lock_not_available (a lock_timeout ran out) and disk_full.
PG_LOCK_NOT_AVAILABLE = "55P03"
PG_DISK_FULL = "53100"


def diary_trouble(error: BaseException) -> Trouble | None:
    """ "busy" or "full" for the errors that mean so, on SQLite and PostgreSQL; None for
    any other error."""
    if isinstance(error, OperationalError):
        return _database_trouble(error.orig)
    if isinstance(error, sqlite3.OperationalError):
        return _database_trouble(error)
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    return None


def _database_trouble(driver_error: BaseException | None) -> Trouble | None:
    code = getattr(driver_error, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary in (SQLITE_BUSY, SQLITE_LOCKED):
            return "busy"
        return "full" if primary == SQLITE_FULL else None
    state = getattr(driver_error, "sqlstate", None)
    if state == PG_LOCK_NOT_AVAILABLE:
        return "busy"
    return "full" if state == PG_DISK_FULL else None
