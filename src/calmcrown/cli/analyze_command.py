"""``calmcrown analyze``: is the practice helping? From the diary, or straight from CSV
files in the import format (which are read, never written)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calmcrown.cli.errors import USAGE_ERROR, fail, parse_date
from calmcrown.cli.store_access import open_store, report_name

if TYPE_CHECKING:
    from calmcrown.diary.records import DayEntry, Entry, SessionEntry
    from calmcrown.insight.analysis import Analysis


SinceOption = Annotated[
    str | None, typer.Option(metavar="YYYY-MM-DD", help="Leave out days before this date.")
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        metavar="YYYY-MM-DD",
        help="Last date; today by default, or with --days the last date in the files.",
    ),
]


def analyze(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    practice_start: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD", help="When the practice began; the first session by default."
        ),
    ] = None,
    days_file: Annotated[
        Path | None,
        typer.Option("--days", help="Analyse this days CSV instead of the diary."),
    ] = None,
    sessions_file: Annotated[
        Path | None,
        typer.Option("--sessions", help="With --days: the sessions CSV to go with it."),
    ] = None,
) -> None:
    """Headache days per 28 before and since the practice, the change and its 95%
    interval, the change within sessions, adherence, and what else could explain it."""
    first, last = parse_date("--since", since), parse_date("--until", until)
    start = parse_date("--practice-start", practice_start)
    if first and last and first > last:
        fail(f"--since: {first} is after --until {last}")
    if sessions_file is not None and days_file is None:
        fail("--sessions: give --days too (the sessions alone have no headache days)")
    from calmcrown.catalog import load_catalog
    from calmcrown.insight.analysis import analyze as run_analysis
    from calmcrown.insight.analysis import region_of_routines

    catalog = load_catalog()
    now = dt.datetime.now()
    if days_file is not None:
        routines = frozenset(catalog.routines)
        days, sessions = entries_from_files(days_file, sessions_file, routines)
        # A file is a diary that ended when it was written: the days after its last date
        # are not unrecorded days of this diary, and must not thin its coverage.
        dates = [day.date for day in days] + [session.date for session in sessions]
        last = last or (max(dates) if dates else None)
        if first and last and first > last:
            fail(f"--since: {first} is after the files' last date, {last}")
        result = run_analysis(
            days, [], sessions, now=now, since=first, until=last, practice_start=start,
            routine_regions=region_of_routines(catalog),
        )  # fmt: skip
    else:
        from calmcrown.insight_source import analyze_diary

        result = analyze_diary(
            open_store(ctx), catalog, now=now, since=first, until=last, practice_start=start
        )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(describe(result))


def entries_from_files(
    days_file: Path, sessions_file: Path | None, routines: frozenset[str]
) -> tuple[list[DayEntry], list[SessionEntry]]:
    from calmcrown.diary.records import DayEntry, SessionEntry

    days = _read(days_file, "days", routines)
    sessions = _read(sessions_file, "sessions", routines) if sessions_file else []
    return (
        [d for d in days if isinstance(d, DayEntry)],
        [s for s in sessions if isinstance(s, SessionEntry)],
    )


def _read(path: Path, expected: str, routines: frozenset[str]) -> list[Entry]:
    from calmcrown.diary.transfer import TransferError, read_csv_file

    try:
        kind, entries = read_csv_file(path, routines)
    except TransferError as error:
        sys.stderr.write(f"calmcrown: {path}: cannot be analysed:\n{error}\n")
        raise typer.Exit(USAGE_ERROR) from None
    if kind != expected:
        fail(f"{path}: holds {kind}, not {expected} (see the columns in docs/diary.md)")
    return entries


def describe(result: Analysis) -> str:
    """The analysis as a person reads it: the verdict first, then figures, then caveats."""
    data = result.to_dict()
    lines = [result.sentence(), ""]
    for name in ("baseline", "practice"):
        period = data[name]
        if period["start"] is None:
            lines.append(f"{name.capitalize()}: no days.")
            continue
        per_28 = period["headache_days_per_28"]
        lines.append(
            f"{name.capitalize()}: {period['start']} to {period['end']}, "
            f"{period['recorded_days']} days recorded"
            + (f" ({period['coverage']:.0%})" if period["coverage"] is not None else "")
            + f", {period['headache_days']} headache days"
            + (f" = {per_28:.1f} per 28 days" if per_28 is not None else "")
        )
    frequency = data["frequency"]
    if frequency["rate_ratio"] is not None:
        interval = (
            f" (95% interval {frequency['ci_low']:.2f} to {frequency['ci_high']:.2f})"
            if frequency["ci_low"] is not None
            else ""
        )
        lines.append(
            f"Practice / baseline: {frequency['rate_ratio']:.2f}{interval}"
            + ("; a 50% responder" if frequency["responder_50"] else "")
        )
        if frequency["interval_note"]:
            lines.append(frequency["interval_note"])
    immediate = data["immediate"]
    if immediate["sessions"]:
        text = f"Within sessions: pain changed by {immediate['mean_change']:+.1f} on average"
        if immediate["ci_low"] is not None:
            text += f" (95% interval {immediate['ci_low']:+.1f} to {immediate['ci_high']:+.1f})"
        text += (
            f" over {immediate['sessions']} sessions; "
            f"{immediate['share_meaningful']:.0%} dropped by 2 points or 30%"
        )
        lines.append(text)
    adherence = data["adherence"]
    if adherence["sessions_per_week"] is not None:
        target = adherence["target_per_week"]
        lines.append(
            f"Sessions: {adherence['sessions_per_week']:.1f} a week"
            + (f" (plan: {target})" if target else "")
            + f"; {adherence['weeks_with_3_or_more']} of {adherence['weeks']} weeks had 3 or more"
        )
    if result.detectable_reduction is not None:
        lines.append(
            f"The diary so far can reliably show a reduction of "
            f"{result.detectable_reduction:.0%} or more."
        )
    if result.weeks_needed_for_50:
        lines.append(
            f"To show a 50% reduction reliably, about {result.weeks_needed_for_50} more weeks "
            "of diary are needed."
        )
    if result.caveats:
        lines += ["", "Keep in mind:"] + [f"- {caveat}" for caveat in result.caveats]
    return "\n".join(lines)


def report(
    ctx: typer.Context,
    pdf: Annotated[Path, typer.Option("--pdf", help="The PDF file to write.")],
    since: SinceOption = None,
    until: UntilOption = None,
    name: Annotated[
        str | None, typer.Option(help="A name to print at the top; the diary holds none.")
    ] = None,
) -> None:
    """A report for a clinician, at most two pages: headache days per 28 with the verdict
    and its interval, medication days, the safety check's yes answers, the charts."""
    first, last = parse_date("--since", since), parse_date("--until", until)
    if first and last and first > last:
        fail(f"--since: {first} is after --until {last}")
    from calmcrown.catalog import load_catalog
    from calmcrown.diary.transfer import TransferError, write_private
    from calmcrown.insight.report import report_html, report_pdf
    from calmcrown.insight_source import analyze_diary, report_context

    catalog = load_catalog()
    store = open_store(ctx)
    now = dt.datetime.now()
    result = analyze_diary(store, catalog, now=now, since=first, until=last)
    who = report_name(store, name)
    context = report_context(store, catalog, result, who, now)
    try:
        write_private(pdf, report_pdf(report_html(result, context)))
    except TransferError as error:
        fail(str(error))
    typer.echo(f"Wrote {pdf}")
