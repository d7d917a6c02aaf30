"""A lock on the SQLite diary while ``calmcrown serve`` uses it, so a restore waits.

A restore swaps the diary file for another. A running server keeps the old file open and
caches which profile is which: after a swap it would show one person's notes to another
and write into a file nobody reads any more. So the server holds a shared lock on a file
beside the diary for as long as it runs, and a restore takes the lock exclusively for as
long as it works, or refuses.

The lock is ``flock`` on ``diary.sqlite3.serving``. The operating system releases it when
the process ends in any way, even killed, so there is never a stale lock to clear by
hand; the file itself stays, holding the pid of the last server, for the message.

Any other command that opens the diary holds a shared lock on ``diary.sqlite3.in-use``
the same way, for as long as it runs: an import that commits after a swap (a large one
takes a while) would otherwise write into the replaced file, lost, though the command
said it was saved.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from calmcrown.diary.private_files import PRIVATE_FILE, private_folder

SUFFIX = ".serving"
IN_USE_SUFFIX = ".in-use"


class DiaryInUse(RuntimeError):
    """The lock is held by another process; the message says which and what to do."""


class ServingLock:
    """Held by a running server; released by ``release`` or when the process ends.
    Holds nothing for a diary that no restore can replace (PostgreSQL)."""

    def __init__(self, descriptor: int | None) -> None:
        self._descriptor: int | None = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing the file releases the flock
            self._descriptor = None


def lock_path(diary: Path) -> Path:
    return diary.with_name(diary.name + SUFFIX)


def _shared(path: Path, refusal: str) -> int:
    """A shared lock on ``path``, held by the returned descriptor; refuse with
    ``refusal`` while a restore holds it alone."""
    descriptor = _open(path)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise DiaryInUse(refusal) from None
    return descriptor


def hold_while_serving(diary: Path) -> ServingLock:
    """Take the shared lock for a server; refuse while a restore is at work."""
    descriptor = _shared(
        lock_path(diary),
        f"a restore is replacing the diary at {diary}; start calmcrown serve again "
        "when it has finished",
    )
    # Several servers may share the diary; the message names the last one started.
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    return ServingLock(descriptor)


def hold_while_open(diary: Path) -> ServingLock:
    """Take the shared lock for a command that opens the diary; refuse while a restore
    is at work."""
    descriptor = _shared(
        in_use_path(diary),
        f"a restore is replacing the diary at {diary}; try again when it has finished",
    )
    return ServingLock(descriptor)


def in_use_path(diary: Path) -> Path:
    return diary.with_name(diary.name + IN_USE_SUFFIX)


@contextlib.contextmanager
def hold_for_restore(diary: Path) -> Iterator[None]:
    """Take both locks exclusively while the diary is replaced; refuse while it is served
    or open in another command."""
    path = lock_path(diary)
    serving, in_use = _open(path), _open(in_use_path(diary))
    try:
        try:
            fcntl.flock(serving, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not _shared_is_free(serving):  # only a restore holds it exclusively
                raise DiaryInUse(
                    "another restore is replacing this diary; wait for it to finish"
                ) from None
            raise DiaryInUse(
                f"calmcrown serve is using this diary (pid {_holder(path)}); stop it, then restore"
            ) from None
        try:
            fcntl.flock(in_use, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DiaryInUse(
                "another calmcrown command is using this diary (an import, perhaps); let it "
                "finish, then restore"
            ) from None
        yield
    finally:
        os.close(in_use)
        os.close(serving)


def _shared_is_free(descriptor: int) -> bool:
    """Whether a shared lock could be had now (servers share; a restore excludes all)."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(descriptor, fcntl.LOCK_UN)
    return True


def _open(path: Path) -> int:
    private_folder(path.parent)
    return os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "unknown"
    return text if text.isdigit() else "unknown"
