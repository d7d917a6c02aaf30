"""The throwaway PostgreSQL cluster the store tests run against."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests import pg_cluster
from tests.pg_cluster import PostgresCluster, start_cluster


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    started = start_cluster()
    try:
        yield started
    finally:
        started.stop()


def _scalar(url: str, query: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query)).scalar_one()
    finally:
        engine.dispose()


def _postmaster_pid(cluster: PostgresCluster) -> int:
    return int((cluster.data_directory / "postmaster.pid").read_text().splitlines()[0])


def _processes_mentioning(directory: Path) -> list[int]:
    """Pids of live processes whose command line names the directory (the postmaster's -D)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command_line = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(directory).encode() in command_line:
            found.append(int(entry.name))
    return found


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited but is not reaped yet: it holds no files and serves nothing.
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except OSError:
        return False


def test_url_points_at_the_socket_directory(cluster: PostgresCluster) -> None:
    assert cluster.url == (
        f"postgresql+psycopg://app@/postgres?host={cluster.directory}&port={cluster.port}"
    )
    assert _scalar(cluster.url, "SELECT current_user") == "app"
    assert _scalar(cluster.url, "SHOW fsync") == "off"
    assert _scalar(cluster.url, "SHOW listen_addresses") == ""


def test_each_database_is_separate(cluster: PostgresCluster) -> None:
    first = cluster.create_database("isolation_first")
    second = cluster.create_database("isolation_second")
    assert first.endswith(f"/isolation_first?host={cluster.directory}&port={cluster.port}")

    engine = create_engine(first)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE entries (id integer PRIMARY KEY, note text)"))
            connection.execute(text("INSERT INTO entries VALUES (1, 'slept well')"))
    finally:
        engine.dispose()

    assert _scalar(first, "SELECT note FROM entries") == "slept well"
    assert _scalar(second, "SELECT to_regclass('entries') IS NULL") is True
    assert _scalar(second, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0

    # Dropping closes connections a test left open (here, one idle in an engine's pool);
    # the other database is untouched.
    leftover = create_engine(first)
    try:
        with leftover.connect() as connection:
            connection.execute(text("SELECT 1"))
        cluster.drop_database("isolation_first")
    finally:
        leftover.dispose()
    databases = _scalar(cluster.url, "SELECT string_agg(datname, ',') FROM pg_database")
    assert isinstance(databases, str)
    assert "isolation_first" not in databases.split(",")
    assert "isolation_second" in databases.split(",")
    cluster.drop_database("isolation_second")
    cluster.drop_database("isolation_second")  # already gone: no error


def test_a_new_name_after_a_drop_starts_empty(cluster: PostgresCluster) -> None:
    url = cluster.create_database("reused")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE entries (id integer)"))
    finally:
        engine.dispose()
    cluster.drop_database("reused")
    assert cluster.create_database("reused") == url
    assert _scalar(url, "SELECT to_regclass('entries') IS NULL") is True
    cluster.drop_database("reused")


@pytest.mark.parametrize("name", ["", "Upper", "semi;colon", "1digit", "x" * 64])
def test_unsafe_database_names_are_refused(cluster: PostgresCluster, name: str) -> None:
    with pytest.raises(ValueError):
        cluster.create_database(name)


def test_stop_leaves_no_directory_and_no_server() -> None:
    cluster = start_cluster()
    directory = cluster.directory
    pid = _postmaster_pid(cluster)
    assert _pid_alive(pid)
    assert _processes_mentioning(directory)

    cluster.stop()

    assert not directory.exists()
    assert not _pid_alive(pid)
    assert not [p for p in _processes_mentioning(directory) if _pid_alive(p)]
    cluster.stop()  # a second stop does nothing


def _our_directories() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("calmcrown-pg-*"))


def test_a_failure_after_start_stops_the_server_and_removes_the_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[PostgresCluster] = []
    pids: list[int] = []

    def broken_check(cluster: PostgresCluster) -> None:
        started.append(cluster)
        pids.append(_postmaster_pid(cluster))
        raise RuntimeError("simulated failure after the server started")

    before = _our_directories()
    monkeypatch.setattr(pg_cluster, "_check_ready", broken_check)
    with pytest.raises(RuntimeError, match="simulated failure"):
        start_cluster()

    assert started, "the server never got as far as starting"
    assert not started[0].directory.exists()
    assert not _pid_alive(pids[0])
    assert _our_directories() <= before


def test_a_failing_command_reports_its_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    # Run every PostgreSQL command through a shell that fails at once, so initdb "fails".
    failing = ["sh", "-c", "echo 'initdb: simulated trouble' >&2; exit 3", "sh"]
    before = _our_directories()
    monkeypatch.setattr(pg_cluster, "_as_server_user", lambda: failing)
    with pytest.raises(RuntimeError, match="initdb failed") as raised:
        start_cluster()
    assert "exit 3" in str(raised.value)
    assert "initdb: simulated trouble" in str(raised.value)
    assert _our_directories() <= before
