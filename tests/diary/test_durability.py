"""Nothing acknowledged is lost: entries survive processes killed at any moment.

Children are forked from the test process, which has already imported calmcrown, so
each one starts logging at once and a kill lands inside a command (often inside its
transaction) rather than in the interpreter's start-up. Each child runs the real
`calmcrown log day` command in a loop and reports a date only after the command
returned, which is when a person would have been told it was saved.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import sqlite3
import time
from multiprocessing.connection import Connection
from pathlib import Path

from calmcrown.cli.app import app

KILLS = 50
FIRST_DAY = dt.date(1950, 1, 1)
PER_CHILD = 400  # more than a child can log before it is killed; keeps dates in the past


def _day(number: int) -> str:
    return (FIRST_DAY + dt.timedelta(days=number)).isoformat()


def _log_days(url: str, start: int, acknowledged: Connection) -> None:
    # Silence the command's own output: only acknowledgements go to the parent.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    for number in range(start, start + PER_CHILD):
        args = ["--db", url, "log", "day", "--date", _day(number), "--intensity", str(number % 11)]
        if app(args, prog_name="calmcrown", standalone_mode=False) in (0, None):
            acknowledged.send(number)


def test_entries_acknowledged_before_a_sigkill_are_all_there(tmp_path: Path) -> None:
    database = tmp_path / "diary.sqlite3"
    url = f"sqlite:///{database}"
    # Run the command once here so that every module it imports lazily is loaded
    # before forking: the children then spend their lives logging, not importing.
    app(
        ["--db", f"sqlite:///{tmp_path / 'warm.sqlite3'}", "log", "day", "--intensity", "0"],
        prog_name="calmcrown",
        standalone_mode=False,
    )
    fork = multiprocessing.get_context("fork")
    chance = random.Random(20261122)
    acknowledged: set[int] = set()
    for round_number in range(KILLS):
        receiver, sender = fork.Pipe(duplex=False)
        child = fork.Process(target=_log_days, args=(url, round_number * PER_CHILD, sender))
        child.start()
        sender.close()
        time.sleep(chance.uniform(0.02, 0.4))
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join()
        while receiver.poll():
            try:
                acknowledged.add(receiver.recv())
            except EOFError:
                break
        receiver.close()
    assert len(acknowledged) >= KILLS, "enough commands finished for the test to mean it"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = dict(connection.execute("SELECT date, intensity FROM days").fetchall())
    missing = [n for n in acknowledged if stored.get(_day(n)) != n % 11]
    assert not missing, f"acknowledged but missing: {[_day(n) for n in missing[:5]]}"
