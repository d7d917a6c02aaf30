"""Files and folders that hold diary data are readable by their owner only.

Health data must not become readable by other accounts on the computer because an older
file was, or because the umask is loose: every writer here sets the mode itself, and a
written file is a new one put in place at once, so nobody ever sees half of it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# SQLite keeps a live diary's recent writes and its lock state in these files beside it.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a new file only its owner can read.

    The bytes go to a temporary file beside ``path`` (created 0600), reach the disk, and
    then take the old file's place in one step: an older file's mode is not kept, and a
    failure leaves the older file as it was. Raises OSError naming the file.
    """
    partial: Path | None = None
    try:
        descriptor, partial_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        partial = Path(partial_name)
        with open(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE_FILE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        if partial is not None:
            partial.unlink(missing_ok=True)
        # Name the file the person asked for, not the temporary one.
        error.filename = str(path)
        error.filename2 = None
        raise
    sync_folder(path.parent)


def write_private_text(path: Path, text: str) -> None:
    """``text`` as UTF-8, its line breaks exactly as given; see ``write_private_bytes``."""
    write_private_bytes(path, text.encode("utf-8"))


def create_private_file(path: Path) -> None:
    """Make sure ``path`` exists and only its owner can read it, keeping its content.
    An existing file is only read to change its mode: it may be read-only on purpose."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
    except FileExistsError:
        make_private_if_there(path)


def make_private_if_there(path: Path) -> None:
    """Tighten an existing file to 0600; a missing one is fine."""
    try:
        # A symlink is followed: a person may keep the diary elsewhere on purpose.
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        _tighten(descriptor)
    finally:
        os.close(descriptor)


def private_diary_file(path: Path) -> None:
    """The SQLite diary and its companion files: 0600, whatever they were before. SQLite
    gives a new -wal or -shm the diary's own mode, so a private diary keeps them private."""
    create_private_file(path)
    for suffix in SQLITE_COMPANIONS:
        make_private_if_there(path.with_name(path.name + suffix))


def tighten_folder(path: Path) -> None:
    """Create the folder 0700, or take the group's and others' access from an existing one.

    Only for calmcrown's own data folder: a folder the person chose for an export may be
    shared on purpose and is left as it is.
    """
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(PRIVATE_FOLDER)


def private_folder(path: Path) -> None:
    """Create a folder 0700 (and its missing parents); an existing one is left as it is."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def sync_folder(path: Path) -> None:
    """Make a rename or a new file in ``path`` survive a power cut."""
    with contextlib.suppress(OSError):  # some file systems cannot sync a folder
        descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _tighten(descriptor: int) -> None:
    mode = os.fstat(descriptor).st_mode
    if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
        os.fchmod(descriptor, PRIVATE_FILE)
