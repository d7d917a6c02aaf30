"""A throwaway PostgreSQL cluster for tests.

``start_cluster()`` runs ``initdb`` into a fresh temporary directory and starts a server that
listens only on a unix socket inside that directory. Each test then gets its own empty database
from ``create_database()``, which is much quicker than a cluster per test. ``stop()`` shuts the
server down and removes the directory.

initdb refuses to run as root, so when the tests run as root the directory is handed to the
``postgres`` user and every PostgreSQL command runs through ``runuser -u postgres``.
``scripts/ensure-postgres`` installs the binaries where they are missing.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

POSTGRES_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"  # the OS user that owns the cluster when the tests run as root
ROLE = "app"  # the database superuser initdb creates; trust auth, so no password
_DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclass
class PostgresCluster:
    directory: Path
    port: int

    @property
    def data_directory(self) -> Path:
        return self.directory / "data"

    @property
    def log_file(self) -> Path:
        return self.directory / "server.log"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        host = quote(str(self.directory), safe="/")
        return f"postgresql+psycopg://{ROLE}@/{name}?host={host}&port={self.port}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_checked(name))))
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing any connections a test left open to it."""
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(_checked(name))
            )
        )

    def stop(self) -> None:
        """Stop the server (``pg_ctl -m fast stop``) and remove the directory. Safe to repeat."""
        try:
            if (self.data_directory / "postmaster.pid").exists():
                _run(
                    [
                        *_as_server_user(),
                        str(_bin_dir() / "pg_ctl"),
                        "-D",
                        str(self.data_directory),
                        "-m",
                        "fast",
                        "-w",
                        "stop",
                    ],
                    "pg_ctl stop",
                    cwd=self.directory,
                )
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def _execute(self, statement: sql.Composed) -> None:
        # CREATE/DROP DATABASE cannot run inside a transaction block, hence autocommit.
        with psycopg.connect(
            host=str(self.directory),
            port=self.port,
            user=ROLE,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(statement)


def start_cluster() -> PostgresCluster:
    """initdb a new cluster in a temporary directory and start it; the caller must ``stop()`` it.

    Raises RuntimeError (with the failing command's output) if a step fails; whatever was
    started or created by then is stopped and removed first.
    """
    bin_dir = _bin_dir()
    directory = Path(tempfile.mkdtemp(prefix="calmcrown-pg-"))
    cluster = PostgresCluster(directory=directory, port=_free_port())
    try:
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise RuntimeError(
                    f"running as root but there is no {SERVER_USER!r} user to run PostgreSQL; "
                    "run scripts/ensure-postgres"
                ) from None
            os.chown(directory, owner.pw_uid, owner.pw_gid)
        _run(
            [
                *_as_server_user(),
                str(bin_dir / "initdb"),
                "-D",
                str(cluster.data_directory),
                "-U",
                ROLE,
                "--auth=trust",
                # UTF-8 with the C locale: byte-order collation, like SQLite's default BINARY.
                "--encoding=UTF8",
                "--locale=C",
                # Skip initdb's final fsync of the new files: the data is throwaway.
                "--no-sync",
            ],
            "initdb",
            cwd=directory,
        )
        # The server writes its log to a file: with -l missing it would inherit our captured
        # stdout and subprocess.run would wait for the server to exit before returning.
        # fsync, synchronous_commit and full_page_writes are off for speed. They only protect
        # data against an operating-system crash or power loss, and this cluster's data is
        # thrown away when the tests end anyway.
        server_options = " ".join(
            [
                f"-p {cluster.port}",
                f"-k {shlex.quote(str(directory))}",
                "-c listen_addresses=''",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
            ]
        )
        _run(
            [
                *_as_server_user(),
                str(bin_dir / "pg_ctl"),
                "-D",
                str(cluster.data_directory),
                "-l",
                str(cluster.log_file),
                "-o",
                server_options,
                "-w",
                "start",
            ],
            "pg_ctl start",
            cwd=directory,
            log_file=cluster.log_file,
        )
        _check_ready(cluster)
    except BaseException:
        with contextlib.suppress(Exception):
            cluster.stop()  # stops the server if it got that far; always removes the directory
        raise
    return cluster


def _check_ready(cluster: PostgresCluster) -> None:
    try:
        with psycopg.connect(
            host=str(cluster.directory), port=cluster.port, user=ROLE, dbname="postgres"
        ) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        raise RuntimeError(
            f"PostgreSQL started but does not accept connections: {error}"
        ) from error


def _bin_dir() -> Path:
    """The newest installed version's bin directory, e.g. /usr/lib/postgresql/15/bin."""
    candidates = [
        path.parent
        for path in POSTGRES_ROOT.glob("*/bin/initdb")
        if path.parent.parent.name.isdigit()
    ]
    if not candidates:
        raise RuntimeError(
            f"no PostgreSQL server binaries under {POSTGRES_ROOT}; run scripts/ensure-postgres"
        )
    return max(candidates, key=lambda path: int(path.parent.name))


def _as_server_user() -> list[str]:
    """The prefix that runs a PostgreSQL command as a user it accepts (initdb refuses root)."""
    if os.geteuid() == 0:
        # runuser lives in /usr/sbin, which a minimal PATH may leave out.
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        return [runuser, "-u", SERVER_USER, "--"]
    return []


def _free_port() -> int:
    # The server listens only on its unix socket, whose name includes the port, so a clash
    # with another server is impossible anyway; a port that is free on TCP as well keeps
    # the URL unambiguous should someone turn TCP on while debugging.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _checked(name: str) -> str:
    if not _DATABASE_NAME.fullmatch(name):
        raise ValueError(f"database name must match {_DATABASE_NAME.pattern}: {name!r}")
    return name


def _run(command: Sequence[str], step: str, *, cwd: Path, log_file: Path | None = None) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=cwd)
    except FileNotFoundError as error:
        raise RuntimeError(f"{step} failed: {error}") from error
    except subprocess.CalledProcessError as error:
        output = (error.stderr or "").strip() or (error.stdout or "").strip()
        if log_file is not None and log_file.exists():
            output += "\nserver log:\n" + log_file.read_text(errors="replace")[-4000:]
        raise RuntimeError(
            f"{step} failed (exit {error.returncode}): {shlex.join(command)}\n{output}"
        ) from error
