"""The diary's speed: `calmcrown log day` against the floor of its libraries, and
importing and listing ten years of daily rows."""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from command_timing import seconds

LOG_DAY_BUDGET = 1.5
IMPORT_BUDGET_S = 2.0
LIST_BUDGET_S = 0.3
YEARS_OF_DAYS = 3650
RUNS = 11
HERE = Path(__file__).resolve().parent


def log_day(workdir: Path) -> bool:
    ours_db = f"sqlite:///{workdir / 'diary.sqlite3'}"
    floor_db = str(workdir / "floor.sqlite3")
    ours = [sys.executable, "-m", "calmcrown", "--db", ours_db, "log", "day", "--intensity"]
    floor = [sys.executable, str(HERE / "minimal_sqlite_insert.py"), floor_db]
    seconds([*ours, "1"])  # create both databases before timing
    seconds([*floor, "1"])
    ours_times, floor_times = [], []
    for run in range(RUNS):
        ours_times.append(seconds([*ours, str(run % 11)]))
        floor_times.append(seconds([*floor, str(run % 11)]))
    ours_s, floor_s = statistics.median(ours_times), statistics.median(floor_times)
    ratio = ours_s / floor_s
    ok = ratio <= LOG_DAY_BUDGET
    print(
        f"log day: calmcrown log day {ours_s * 1000:.0f} ms; floor (Typer + SQLAlchemy + "
        f"pydantic, one insert) {floor_s * 1000:.0f} ms; ratio {ratio:.2f}x, budget "
        f"{LOG_DAY_BUDGET:.1f}x: {'ok' if ok else 'OVER BUDGET'}"
    )
    return ok


def ten_years(workdir: Path) -> bool:
    from calmcrown.diary.engine import create_diary_engine
    from calmcrown.diary.schema import ensure_schema
    from calmcrown.diary.store import DiaryStore
    from calmcrown.diary.transfer import import_file

    first = dt.date.today() - dt.timedelta(days=YEARS_OF_DAYS)
    lines = ["date,intensity,hours,medication,sleep,stress,notes"]
    for offset in range(YEARS_OF_DAYS):
        day = first + dt.timedelta(days=offset)
        lines.append(f"{day},{offset % 11},{offset % 5},{'ibuprofen' if offset % 9 == 0 else ''},"
                     f"{offset % 10},{offset % 7},day {offset}")  # fmt: skip
    csv_file = workdir / "ten-years.csv"
    csv_file.write_text("\n".join(lines) + "\n")
    engine = create_diary_engine(f"sqlite:///{workdir / 'ten-years.sqlite3'}")
    ensure_schema(engine)
    store = DiaryStore(engine)
    start = time.perf_counter()
    report = import_file(store, csv_file)
    imported_s = time.perf_counter() - start
    start = time.perf_counter()
    listed = store.days()
    listed_s = time.perf_counter() - start
    if report.counts.added != YEARS_OF_DAYS or len(listed) != YEARS_OF_DAYS:
        print("ten years: WRONG COUNT", report.counts, len(listed))
        return False
    ok = imported_s <= IMPORT_BUDGET_S and listed_s <= LIST_BUDGET_S
    print(
        f"ten years: import {YEARS_OF_DAYS} day rows {imported_s:.2f} s (budget "
        f"{IMPORT_BUDGET_S:.1f} s); list them {listed_s:.3f} s (budget {LIST_BUDGET_S:.1f} s): "
        f"{'ok' if ok else 'OVER BUDGET'}"
    )
    return ok


def main() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        return all([log_day(workdir), ten_years(workdir)])


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
