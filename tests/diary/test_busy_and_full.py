"""A diary that cannot take a write just now: another program holds its write lock, or
the disk is full. The web app says which, saves nothing, and goes on answering meanwhile.

The lock is held by a real second OS process (tests/diary/lock_holder.py), on SQLite and
on PostgreSQL; the writes go through the whole app, its guards included.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeAlias

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.pool import Pool

from calmcrown.diary.engine import BUSY_TIMEOUT_MS, create_diary_engine, is_sqlite
from calmcrown.settings import Settings
from calmcrown.web.app import create_app
from calmcrown.web.diary_trouble import RETRY_AFTER_S, WEB_BUSY_TIMEOUT_MS
from tests.diary.lock_holder import another_program_holding_the_write_lock, everything_in
from tests.web.check_form import answered

# Whatever HTTP library the test client is built on.
Answer: TypeAlias = Any
ORIGIN = "http://127.0.0.1:8765"
BUSY_WORDS = "The diary is busy, try again in a few seconds. Nothing was saved."
HEALTH_WELL_UNDER_THE_WAIT_S = WEB_BUSY_TIMEOUT_MS / 1000 / 5


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    with TestClient(create_app(settings), base_url=ORIGIN) as test_client:
        test_client.headers["Origin"] = ORIGIN  # as the app's own pages send it
        yield test_client


@pytest.fixture
def records(client: TestClient, engine: Engine) -> dict[str, str]:
    """A day, a headache that has ended, a session and a deleted day: something for
    every form to change."""

    def created(path: str, body: dict[str, Any]) -> str:
        response = client.post(f"/api/v1/{path}", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    today = dt.date.today()
    deleted = created("days", {"date": (today - dt.timedelta(days=5)).isoformat(), "intensity": 1})
    assert client.post(f"/diary/{deleted}/delete").status_code == 200  # after its redirect
    yesterday = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(8))
    return {
        "day": created(
            "days", {"date": (today - dt.timedelta(days=2)).isoformat(), "intensity": 3}
        ),
        "headache": created(
            "headaches",
            {
                "started_at": yesterday.isoformat(),
                "ended_at": (yesterday + dt.timedelta(hours=3)).isoformat(),
            },
        ),
        "session": created(
            "sessions", {"date": today.isoformat(), "routine": "evening", "seconds": 600}
        ),
        "deleted": deleted,
        "token": _token(client),
    }


def _token(client: TestClient) -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/diary").text)
    assert match
    return match[1]


def _form_writes(records: dict[str, str]) -> dict[str, Callable[[TestClient], Answer]]:
    """Every form of the app that writes to the diary, each as a person would send it."""
    day, headache, deleted = records["day"], records["headache"], records["deleted"]
    earlier = (dt.date.today() - dt.timedelta(days=9)).isoformat()
    return {
        "add a day": lambda c: c.post("/diary/days", data={"date": earlier, "intensity": "4"}),
        "edit": lambda c: c.post(f"/diary/{day}", data={"intensity": "7"}),
        "end": lambda c: c.post(f"/diary/{headache}/end"),
        "undo": lambda c: c.post(f"/diary/{deleted}/restore"),
        "delete": lambda c: c.post(f"/diary/{day}/delete"),
        "attack": lambda c: c.post(f"/diary/{headache}/attack", data={"peak": "6"}),
        "check": lambda c: c.post(
            "/check", data=answered(["fever_stiff_neck"], routine="evening", minutes="10")
        ),
        "tap": lambda c: c.post("/today/intensity", data={"intensity": "5"}),
        "start": lambda c: c.post("/today/headache"),
        "import": lambda c: c.post(
            "/diary/import",
            data={"csrftoken": records["token"]},
            files={"file": ("days.csv", f"date,intensity\n{earlier},3\n".encode(), "text/csv")},
        ),
    }


def _api_writes(records: dict[str, str]) -> dict[str, Callable[[TestClient], Answer]]:
    today = dt.date.today().isoformat()
    return {
        "day": lambda c: c.post("/api/v1/days", json={"date": today, "intensity": 2}),
        "headache": lambda c: c.post("/api/v1/headaches", json={"started_at": f"{today}T07:00"}),
        "session": lambda c: c.post(
            "/api/v1/sessions", json={"date": today, "routine": "evening", "seconds": 300}
        ),
        "check-in": lambda c: c.patch(
            f"/api/v1/sessions/{records['session']}", json={"pain_after": 2}
        ),
    }


def _health_times_while(pending: list[Future[Answer]], client: TestClient) -> list[float]:
    """How long each health check took, asked again and again until every write pending
    behind the lock has been answered."""
    times: list[float] = []
    while not all(future.done() for future in pending) or not times:
        began = time.perf_counter()
        assert client.get("/api/v1/health").status_code == 200
        times.append(time.perf_counter() - began)
        time.sleep(0.05)
    return times


def _all_at_once(
    client: TestClient,
    writes: dict[str, Callable[[TestClient], Answer]],
    database_url: str,
) -> tuple[dict[str, Answer], list[float]]:
    with (
        another_program_holding_the_write_lock(database_url),
        ThreadPoolExecutor(max_workers=len(writes)) as pool,
    ):
        pending = {name: pool.submit(write, client) for name, write in writes.items()}
        health = _health_times_while(list(pending.values()), client)
    return {name: future.result() for name, future in pending.items()}, health


def _assert_busy(response: Answer) -> None:
    assert response.status_code == 503, response.text[:300]
    assert response.headers["retry-after"] == str(RETRY_AFTER_S)
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_form_write_behind_another_programs_lock_is_answered_busy_and_health_is_not_kept_waiting(
    client: TestClient, records: dict[str, str], engine: Engine
) -> None:
    before = everything_in(engine)
    answered_, health = _all_at_once(
        client, {"tap": _form_writes(records)["tap"]}, database_url=_url(engine)
    )
    response = answered_["tap"]
    _assert_busy(response)
    assert BUSY_WORDS in response.text and 'href="/"' in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert max(health) < HEALTH_WELL_UNDER_THE_WAIT_S, f"health took {max(health):.2f} s"
    assert len(health) > 5, "health was answered again and again while the form waited"
    assert everything_in(engine) == before
    # Once the other program has let go, the same tap is saved.
    saved = client.post("/today/intensity", data={"intensity": "5"}, follow_redirects=False)
    assert saved.status_code == 303


def test_every_form_that_writes_leaves_the_server_free_while_it_waits(
    client: TestClient, records: dict[str, str], engine: Engine
) -> None:
    before = everything_in(engine)
    responses, health = _all_at_once(client, _form_writes(records), _url(engine))
    for name, response in responses.items():
        assert response.status_code == 503, f"{name}: {response.status_code} {response.text[:300]}"
        _assert_busy(response)
        assert BUSY_WORDS in response.text, name
    assert max(health) < HEALTH_WELL_UNDER_THE_WAIT_S, f"health took {max(health):.2f} s"
    assert everything_in(engine) == before


def test_api_writes_and_an_import_behind_another_programs_lock_change_nothing(
    client: TestClient, records: dict[str, str], engine: Engine
) -> None:
    before = everything_in(engine)
    writes = _api_writes(records) | {"import": _form_writes(records)["import"]}
    responses, health = _all_at_once(client, writes, _url(engine))
    for name, response in responses.items():
        _assert_busy(response)
        if name != "import":
            assert response.json() == {"detail": BUSY_WORDS}, name
    assert max(health) < HEALTH_WELL_UNDER_THE_WAIT_S, f"health took {max(health):.2f} s"
    assert everything_in(engine) == before


def test_the_web_app_waits_seconds_not_half_a_minute_for_a_lock(
    client: TestClient, records: dict[str, str], engine: Engine
) -> None:
    writes = {"day": _api_writes(records)["day"]}
    began = time.perf_counter()
    responses, _ = _all_at_once(client, writes, _url(engine))
    waited = time.perf_counter() - began
    _assert_busy(responses["day"])
    assert waited < BUSY_TIMEOUT_MS / 1000 / 2, f"the request waited {waited:.1f} s"
    # The bound itself, as each database holds it; the command line keeps its half minute.
    assert _lock_wait_ms(create_diary_engine(_url(engine), WEB_BUSY_TIMEOUT_MS)) == 5_000
    assert _lock_wait_ms(create_diary_engine(_url(engine))) == BUSY_TIMEOUT_MS == 30_000


def _lock_wait_ms(engine: Engine) -> int:
    with engine.connect() as connection:
        if is_sqlite(engine):
            value = int(connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one())
        else:
            shown = str(connection.execute(text("SHOW lock_timeout")).scalar_one())
            value = (
                int(shown.removesuffix("ms"))
                if shown.endswith("ms")
                else int(shown.removesuffix("s")) * 1000
            )
    engine.dispose()
    return value


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


FULL_WORDS = "The disk is full, nothing was saved."


@contextlib.contextmanager
def a_full_disk(engine: Engine) -> Iterator[None]:
    """The diary's database cannot grow by a single page.

    SQLite: every connection of every engine (the app's included) gets a page limit at
    the file's present size, so SQLite itself answers SQLITE_FULL ("database or disk is
    full"), the error a full disk gives. PostgreSQL: a write to the diary's tables meets
    the server's own disk_full error (SQLSTATE 53100), as when it cannot extend a file.
    """
    if is_sqlite(engine):
        with engine.connect() as connection:
            pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar_one())

        def no_more_pages(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        def room_again(dbapi_connection: Any, _record: Any) -> None:
            # Asks for more than SQLite allows: it sets its own largest limit.
            dbapi_connection.execute("PRAGMA max_page_count = 4294967294")

        event.listen(Pool, "checkout", no_more_pages)
        event.listen(Pool, "checkin", room_again)
        try:
            yield
        finally:
            event.remove(Pool, "checkout", no_more_pages)
            event.remove(Pool, "checkin", room_again)
        return
    diary_tables = ("days", "headaches", "sessions")
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION disk_is_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device' "
                "USING ERRCODE = 'disk_full'; END $$"
            )
        )
        for table in diary_tables:
            connection.execute(
                text(
                    f"CREATE TRIGGER disk_is_full BEFORE INSERT OR UPDATE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION disk_is_full()"
                )
            )
    try:
        yield
    finally:
        with engine.begin() as connection:
            for table in diary_tables:
                connection.execute(text(f"DROP TRIGGER disk_is_full ON {table}"))
            connection.execute(text("DROP FUNCTION disk_is_full()"))


def test_a_write_to_a_full_disk_says_so_and_keeps_everything_saved_before(
    client: TestClient, records: dict[str, str], engine: Engine
) -> None:
    before = everything_in(engine)
    first = dt.date.today() - dt.timedelta(days=3000)
    rows = "".join(f"{first + dt.timedelta(days=n)},{n % 10 + 1}\n" for n in range(2000))
    big_import = {"file": ("days.csv", f"date,intensity\n{rows}".encode(), "text/csv")}
    long_note = {"date": dt.date.today().isoformat(), "intensity": 2, "notes": "Tired. " * 1400}
    with a_full_disk(engine):
        imported = client.post(
            "/diary/import", data={"csrftoken": records["token"]}, files=big_import
        )
        noted = client.post("/api/v1/days", json=long_note)
        assert client.get("/api/v1/health").status_code == 200
    assert imported.status_code == 507, imported.text[:300]
    assert FULL_WORDS in imported.text and "Everything saved before is still there" in imported.text
    assert imported.headers["x-content-type-options"] == "nosniff"
    assert noted.status_code == 507 and noted.json() == {"detail": FULL_WORDS}
    assert everything_in(engine) == before
    # With room again, the same import is saved whole.
    again = client.post(
        "/diary/import",
        data={"csrftoken": records["token"]},
        files=big_import,
        follow_redirects=False,
    )
    assert again.status_code == 303 and "Imported%202000%20of%202000" in again.headers["location"]
