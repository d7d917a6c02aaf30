"""``calmcrown trial design|status|end|extend|analyze|report``: a randomised personal trial from
the command line (issue 12). Scripts rely on the names and the JSON shapes: keys may be
added, never renamed.

Bad input is one line on stderr naming the option, exit 2, and nothing stored. A command
that needs a trial when the diary has none says so in one line and exits 1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from calmcrown.cli.errors import fail
from calmcrown.cli.store_access import open_store, report_name

if TYPE_CHECKING:
    from calmcrown.catalog import Catalog
    from calmcrown.diary.store import DiaryStore
    from calmcrown.insight.trial.analysis import TrialAnalysis
    from calmcrown.insight.trial.design import TrialDesign

NO_TRIAL = 1
WASHOUT_LIMIT = 7  # the core's WASHOUT_DAYS[1], without importing numpy to say it

trial_app = typer.Typer(
    help="A randomised personal trial: head, feet or no massage, in randomised blocks.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ReasonOption = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="Why, in a few words; the analysis and the report show it. "
        "Asked for when not given and the input is a terminal.",
        show_default=False,
    ),
]

# The core names a parameter as the design stores it; here it is the option typed.
OPTION_OF = {
    "arms": "--arms",
    "period_days": "--period-days",
    "blocks": "--blocks",
    "washout_days": "--washout-days",
    "seed": "--seed",
    "start": "--start",
    "reason": "--reason",
    "period": "--period",
    "days": "--days",
}


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _no_trial(message: str = "this diary has no trial") -> NoReturn:
    fail(f"{message}; start one with `calmcrown trial design --arms head,none`", NO_TRIAL)


def _catalog() -> Catalog:
    from calmcrown.catalog import ContentError, load_catalog

    try:
        return load_catalog()
    except ContentError as error:
        fail(f"content error: {error}", code=1)


def _start_date(text: str | None, today: dt.date) -> dt.date:
    if text is None:
        return today
    try:
        start = dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--start: {text!r} is not a date like 2026-11-22")
    if start < today:
        fail(f"--start: {start} has passed; a trial starts today ({today}) or later")
    return start


def _design_error_words(parameter: str, message: str, period_days: int, washout: int) -> str:
    option = OPTION_OF.get(parameter, parameter)
    if parameter == "washout_days" and period_days - 7 < washout <= WASHOUT_LIMIT:
        # The core keeps 7 analysed days a period, the least the analysis compares.
        return (
            f"{option}: {period_days}-day periods with {washout} washout days leave "
            f"{period_days - washout} analysed days, and a period needs 7; use "
            f"--washout-days {period_days - 7}"
            + (" (no washout)" if period_days == 7 else " or less")
            + f", or --period-days {washout + 7} or more"
        )
    return f"{option}: {message}"


def _arms(text: str) -> list[str]:
    return [arm.strip().lower() for arm in text.split(",") if arm.strip()]


def _check_arms_fit(store: DiaryStore, catalog: Catalog, arms: list[str],
                    answers_file: Path | None) -> None:  # fmt: skip
    """Each massage arm needs a routine the person's screening allows, by the same rule as
    the Trial page (trial_setup): the answers given, else what the diary's last safety
    check said lasts. Exit naming the arm that has none."""
    from calmcrown.catalog import Audience
    from calmcrown.cli.errors import STOPPED_BY_SCREENING, read_answers
    from calmcrown.screening import AnswersError, screen
    from calmcrown.trial_setup import fitting_arms, lasting_adaptations

    if answers_file is None:
        adaptations = lasting_adaptations(store, catalog, store.today())
        source = "what your last safety check said lasts"
    else:
        try:
            screening = screen(catalog.safety, read_answers(answers_file))
        except AnswersError as error:
            fail(f"answers file {str(answers_file)!r}: {error}")
        if not screening.allows_session:
            flags = ", ".join(reason.flag for reason in screening.reasons)
            fail(
                f"screening says {screening.verdict}: no trial of massage now ({flags})",
                code=STOPPED_BY_SCREENING,
            )
        adaptations, source = screening.adaptations, "your screening answers"
    # Whoever gives the massage: the command line does not know, and asks no one.
    fits = fitting_arms(catalog, adaptations, frozenset(Audience))
    for arm in arms:
        if arm not in fits:
            fail(
                f"--arms: no {arm} routine fits {source}; "
                "leave that arm out, or ask your doctor first"
            )


@trial_app.command("design")
def design_command(
    ctx: typer.Context,
    arms: Annotated[
        str,
        typer.Option(
            "--arms", help="Two or three of head, feet, none (no massage), comma-separated."
        ),
    ],
    period_days: Annotated[
        int, typer.Option("--period-days", help="Days in each period, 7-28.")
    ] = 14,
    blocks: Annotated[
        int, typer.Option("--blocks", help="Blocks, each trying every arm once; at least 3.")
    ] = 4,
    washout_days: Annotated[
        int,
        typer.Option(
            "--washout-days", help="First days of each period kept but not analysed, 0-7."
        ),
    ] = 2,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="YYYY-MM-DD", help="First day; today by default."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="The allocation's seed, to draw a known order again; drawn at random "
            "(Python's secrets) by default.",
            show_default=False,
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help='Screening answers as JSON ({"flags": [...]}) to check that each massage '
            "arm has a routine that fits you; the last safety check's lasting answers "
            "by default.",
            dir_okay=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the design and its power; store nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Draw a trial's design, show what it can find, and store it (unless --dry-run).

    The power figures are simulated from your diary's last 12 weeks before the start
    (a typical diary when yours is shorter); this takes a few seconds.
    """
    from calmcrown.diary.trials import TrialRefused, running_trial, save_trial
    from calmcrown.insight.trial.design import DesignError, design, design_dict
    from calmcrown.insight.trial.power import power_dicts
    from calmcrown.trial_source import design_power

    chosen = _arms(arms)
    store = open_store(ctx)
    first = _start_date(start, store.today())
    try:
        drawn = design(chosen, first, period_days, blocks, washout_days, seed)
    except DesignError as error:
        fail(_design_error_words(error.parameter, str(error).split(": ", 1)[1],
                                 period_days, washout_days))  # fmt: skip
    catalog = _catalog()
    _check_arms_fit(store, catalog, chosen, answers)
    if not dry_run:
        # Refuse before the seconds of simulation, not after them.
        running = running_trial(store)
        if running is not None and running.end >= first:
            fail(
                f"trial {running.id} runs until {running.end}; end it first "
                "(`calmcrown trial end --reason ...`)"
            )
    chain, rows = design_power(store, catalog, drawn, dt.datetime.now())
    trial = drawn
    if not dry_run:
        try:
            trial = save_trial(store, drawn)
        except TrialRefused as error:
            fail(f"{OPTION_OF.get(error.field, error.field)}: {str(error).split(': ', 1)[1]}")
    if as_json:
        _print_json(design_dict(trial, power_dicts(rows)))
        return
    from calmcrown.cli.trial_views import describe_design

    typer.echo(describe_design(trial, rows, chain.fitted, saved=not dry_run))
    typer.echo("The safety check still runs before every session of the trial.")


def _current_trial(store: DiaryStore) -> TrialDesign | None:
    from calmcrown.diary.trials import latest_trial, running_trial

    return running_trial(store) or latest_trial(store)


@trial_app.command("status")
def status_command(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Where the running (or latest) trial stands today: the period and its day, washout
    days marked, the periods, progress and amendments.

    Without a trial: one line and exit 1; with --json, {"trial": null, ...} and exit 0.
    """
    from calmcrown.insight.trial.design import design_dict
    from calmcrown.insight.trial.progress import progress_dict, progress_on

    store = open_store(ctx)
    trial = _current_trial(store)
    today = store.today()
    if trial is None:
        if as_json:
            empty = {"stage": None, "current": None, "progress": None}
            _print_json({"trial": None, "today": today.isoformat(), **empty})
            return
        _no_trial()
    progress = progress_on(trial, today)
    if as_json:
        _print_json({"trial": design_dict(trial), "today": today.isoformat(),
                     **progress_dict(progress)})  # fmt: skip
        return
    from calmcrown.cli.trial_views import describe_status

    typer.echo(describe_status(trial, progress))


def _reason(given: str | None, asking: str) -> str:
    if given is not None:
        return given
    if not sys.stdin.isatty():
        fail("--reason: say why, in a few words; the report shows it")
    answer: str = typer.prompt(asking, default="", show_default=False)
    return answer


def _amendment_failed(error: Exception) -> NoReturn:
    from calmcrown.diary.trials import NoTrial, TrialRefused
    from calmcrown.insight.trial.design import DesignError

    if isinstance(error, NoTrial):
        _no_trial("no trial is running in this diary")
    field = error.field if isinstance(error, TrialRefused) else None
    if isinstance(error, DesignError):
        field = error.parameter
    message = str(error).split(": ", 1)[-1]
    fail(f"{OPTION_OF.get(field or '', field)}: {message}" if field else message)


@trial_app.command("end")
def end_command(ctx: typer.Context, reason: ReasonOption = None) -> None:
    """End the running trial early, today. The period running today ends today, later
    periods are dropped, and the analysis compares only the complete blocks."""
    from calmcrown.diary.trials import NoTrial, TrialRefused, end_trial, running_trial
    from calmcrown.insight.trial.design import DesignError

    store = open_store(ctx)
    if running_trial(store) is None:
        _no_trial("no trial is running in this diary")
    why = _reason(reason, "Why end the trial early")
    try:
        ended = end_trial(store, why)
    except (NoTrial, TrialRefused, DesignError) as error:
        _amendment_failed(error)
    typer.echo(
        f"Ended trial {ended.id} on {ended.end}: {len(ended.periods)} of "
        f"{len(ended.arms) * ended.blocks} periods kept. Reason: {ended.amendments[-1].reason}"
    )


@trial_app.command("extend")
def extend_command(
    ctx: typer.Context,
    period: Annotated[int, typer.Option("--period", help="The period to extend (1 = first).")],
    days: Annotated[int, typer.Option("--days", help="Days to add to it.")],
    reason: ReasonOption = None,
) -> None:
    """Make a period of the running trial longer (away, ill, a missed week); the later
    periods move on by as many days, and their arms stay as drawn."""
    from calmcrown.diary.trials import NoTrial, TrialRefused, extend_trial_period, running_trial
    from calmcrown.insight.trial.design import DesignError

    store = open_store(ctx)
    if running_trial(store) is None:
        _no_trial("no trial is running in this diary")
    why = _reason(reason, f"Why extend period {period}")
    try:
        extended = extend_trial_period(store, period, days, why)
    except (NoTrial, TrialRefused, DesignError) as error:
        _amendment_failed(error)
    changed = next(p for p in extended.periods if p.index == period)
    typer.echo(
        f"Period {period} ({changed.arm}) now ends on {changed.end}; "
        f"the trial ends on {extended.end}."
    )


def _read_design(path: Path) -> TrialDesign:
    from calmcrown.cli.errors import read_json_file
    from calmcrown.insight.trial.design import DesignParseError, design_from_dict

    data = read_json_file(path, f"--design: {path}")
    try:
        return design_from_dict(data)
    except DesignParseError as error:
        fail(f"--design: {path}: key {error.key!r}: {str(error).split(': ', 1)[-1]}")


@trial_app.command("analyze")
def analyze_command(
    ctx: typer.Context,
    as_json: JsonOption = False,
    days_file: Annotated[
        Path | None,
        typer.Option("--days", help="With --design: analyse this days CSV, not the diary."),
    ] = None,
    sessions_file: Annotated[
        Path | None, typer.Option("--sessions", help="With --days: the sessions CSV.")
    ] = None,
    design_file: Annotated[
        Path | None,
        typer.Option(
            "--design", help="With --days: the design, as `trial design --json` printed it."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="YYYY-MM-DD",
            help="With --days: the day analysed; the last date in the files by default.",
        ),
    ] = None,
) -> None:
    """The trial analysed: headache days per 28 by period and arm, each comparison's rate
    ratio with its 95% interval, the randomisation test and the verdict, the change within
    sessions, adherence and caveats. From files, it writes nothing and opens no diary."""
    from calmcrown.cli.errors import parse_date
    from calmcrown.insight.trial.analysis import analysis_dict

    last = parse_date("--until", until)
    if sessions_file is not None and days_file is None:
        fail("--sessions: give --days too (the sessions alone have no headache days)")
    if design_file is not None and days_file is None:
        fail("--design: give --days too (the diary's own trial needs no --design)")
    if until is not None and days_file is None:
        fail("--until: only with --days; the diary's trial is analysed as of today")
    if days_file is not None and design_file is None:
        fail("--days: give --design too: the design `calmcrown trial design --json` printed")
    catalog = _catalog()
    if days_file is not None and design_file is not None:
        analysis = _analysed_files(catalog, days_file, sessions_file, design_file, last)
    else:
        from calmcrown.trial_source import analyze_stored_trial

        store = open_store(ctx)
        trial = _current_trial(store)
        if trial is None:
            _no_trial()
        analysis = analyze_stored_trial(store, catalog, trial, dt.datetime.now())
    if as_json:
        _print_json(analysis_dict(analysis))
        return
    from calmcrown.cli.trial_views import describe_analysis

    typer.echo(describe_analysis(analysis))


@trial_app.command("report")
def report_command(
    ctx: typer.Context,
    pdf: Annotated[Path, typer.Option("--pdf", help="The PDF file to write.")],
    name: Annotated[
        str | None, typer.Option(help="A name to print at the top; the diary holds none.")
    ] = None,
) -> None:
    """The trial's report for a clinician, after CENT 2015, at most three pages: why a
    trial, the design and its power, the allocation and its seed, each period, adherence
    and deviations, the comparisons with their intervals and p, safety stops, caveats."""
    from calmcrown.diary.transfer import TransferError, write_private
    from calmcrown.trial_source import trial_report_pdf

    catalog = _catalog()
    store = open_store(ctx)
    trial = _current_trial(store)
    if trial is None:
        _no_trial()
    who = report_name(store, name)
    try:
        write_private(pdf, trial_report_pdf(store, catalog, trial, who, dt.datetime.now()))
    except TransferError as error:
        fail(f"--pdf: {error}")
    typer.echo(f"Wrote {pdf}")


def _analysed_files(catalog: Catalog, days_file: Path, sessions_file: Path | None,
                    design_file: Path, last: dt.date | None) -> TrialAnalysis:  # fmt: skip
    """The trial of ``design_file`` over the CSV files' days and sessions, on the day
    ``last``, else the files' last date: a file is a diary that ended when it was written,
    and the days after it are not days left unrecorded."""
    from calmcrown.cli.analyze_command import entries_from_files
    from calmcrown.insight.periods import day_records
    from calmcrown.insight.trial.analysis import analyze_trial, trial_days
    from calmcrown.insight.trial.arms import arm_of_routines, trial_sessions

    trial = _read_design(design_file)
    days, sessions = entries_from_files(days_file, sessions_file, frozenset(catalog.routines))
    now = dt.datetime.now()
    dates = [day.date for day in days] + [session.date for session in sessions]
    if last is None:
        last = min(max(dates), now.date()) if dates else now.date()
    if last < trial.start:
        fail(f"--days: the files end on {last}, before the trial's start ({trial.start})")
    return analyze_trial(
        trial,
        trial_days(day_records(days, [], now)),
        trial_sessions(sessions, arm_of_routines(catalog)),
        last,
    )
