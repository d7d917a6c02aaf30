"""The ``calmcrown`` command.

Only Typer is imported up front: the content, pydantic and Rich are loaded inside the
command that needs them, so ``calmcrown --help`` starts about as fast as Typer allows.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from calmcrown import __version__
from calmcrown.cli import analyze_command, diary_commands, serve_command, transfer_commands
from calmcrown.cli.errors import ReportsDiaryTrouble
from calmcrown.cli.log_commands import log_app
from calmcrown.cli.trial_commands import trial_app

if TYPE_CHECKING:
    from calmcrown.catalog import Catalog
    from calmcrown.planner import PlanError
    from calmcrown.screening import Screening
    from calmcrown.trial_notice import SessionNotice

app = typer.Typer(
    name="calmcrown",
    help="Head, scalp, neck and foot massage for headaches and stress: "
    "screened for safety, timed to the minutes you have, guided hands-free.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=ReportsDiaryTrouble,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
MinutesOption = Annotated[
    int | None,
    typer.Option("--minutes", "-m", help="Minutes you have (5-60); the routine's own by default."),
]
_ANSWERS_FORMAT = 'Screening answers as JSON: {"flags": ["blood_thinners"], "age": 42}.'
AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help=f"{_ANSWERS_FORMAT} Without it you are asked the questions.",
        dir_okay=False,
    ),
]
PlanAnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help=f"{_ANSWERS_FORMAT} Without it the plan assumes no answer applies.",
        dir_okay=False,
    ),
]
PartnerOption = Annotated[
    bool | None,
    typer.Option(
        "--partner/--self",
        help="Partner mode adds pressure checks; on by default for partner routines.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"calmcrown {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Diary database URL (sqlite:///PATH or postgresql+psycopg://...); "
            "default: $CALMCROWN_DATABASE_URL, else SQLite in your data directory.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Head, scalp, neck and foot massage for headaches and stress."""
    ctx.obj = {"db": db}


def _catalog() -> Catalog:
    from calmcrown.catalog import ContentError, load_catalog
    from calmcrown.cli.errors import fail

    try:
        return load_catalog()
    except ContentError as error:
        fail(f"content error: {error}", code=1)


def _with_command(error: PlanError) -> str:
    """A plan error with the routine it suggests as it is typed here."""
    return f"{error} Its id here: {error.suggested}." if error.suggested else str(error)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _screening(catalog: Catalog, answers_file: Path | None, ask: bool) -> Screening:
    """Screen from a file, or by asking the questions when ``ask`` is true."""
    from calmcrown.cli.errors import fail, read_answers
    from calmcrown.screening import Answers, AnswersError, screen

    if answers_file is not None:
        answers = read_answers(answers_file)
    elif ask:
        from calmcrown.cli.screen_prompt import ask_questions

        answers = ask_questions(catalog.safety)
    else:
        answers = Answers(frozenset())
    try:
        return screen(catalog.safety, answers)
    except AnswersError as error:
        fail(f"answers file {str(answers_file)!r}: {error}")


@app.command()
def routines(as_json: JsonOption = False) -> None:
    """List the routines: minutes, who they are for, and the regions they touch."""
    from calmcrown.cli import views

    catalog = _catalog()
    if as_json:
        from calmcrown.catalog.serialize import routines_data

        _print_json(routines_data(catalog))
    else:
        views.show_routines(catalog)


@app.command()
def techniques(
    region: Annotated[
        str | None,
        typer.Option(
            help="Only this region: scalp, temples, forehead, occipital_ridge, "
            "neck_shoulders, face_jaw or feet."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the techniques: how to do them, pressure, cautions and evidence."""
    from calmcrown.catalog import Region
    from calmcrown.cli import views
    from calmcrown.cli.errors import fail

    catalog = _catalog()
    chosen = list(catalog.techniques.values())
    if region is not None:
        known = [r.value for r in Region]
        if region not in known:
            fail(f"unknown region {region!r}; choose one of: {', '.join(known)}")
        chosen = [t for t in chosen if t.region == region]
    if as_json:
        from calmcrown.catalog.serialize import technique_data

        _print_json([technique_data(catalog, t) for t in chosen])
    else:
        views.show_techniques(catalog, chosen)


@app.command()
def tips(as_json: JsonOption = False) -> None:
    """Hand position, partner tips, the setting, tools, and how often to practice."""
    from calmcrown.cli import views

    catalog = _catalog()
    if as_json:
        _print_json([tip.model_dump() for tip in catalog.tips.values()])
    else:
        views.show_tips(catalog)


@app.command()
def oils(as_json: JsonOption = False) -> None:
    """Carrier and essential oils, dilution, patch testing, and when to leave oil out."""
    from calmcrown.cli import views

    catalog = _catalog()
    if as_json:
        _print_json([note.model_dump() for note in catalog.oils.values()])
    else:
        views.show_oils(catalog)


@app.command()
def plan(
    routine: Annotated[str, typer.Argument(help="Routine id, as `calmcrown routines` lists.")],
    minutes: MinutesOption = None,
    answers: PlanAnswersOption = None,
    partner: PartnerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the timed plan of a routine: phases, steps and every cue."""
    from calmcrown.cli import views
    from calmcrown.cli.errors import STOPPED_BY_SCREENING, fail
    from calmcrown.planner import PlanError, plan_session

    catalog = _catalog()
    screening = _screening(catalog, answers, ask=False)
    if not screening.allows_session:
        flags = ", ".join(reason.flag for reason in screening.reasons)
        fail(
            f"screening says {screening.verdict}: no session planned ({flags})",
            code=STOPPED_BY_SCREENING,
        )
    try:
        result = plan_session(catalog, routine, minutes, screening.adaptations, partner)
    except LookupError as error:
        fail(str(error).strip("'\""))
    except PlanError as error:
        fail(_with_command(error))
    if as_json:
        _print_json(result.to_dict())
    else:
        views.show_plan(result)


@app.command(name="screen")
def screen_command(
    answers: AnswersOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check for warning signs before a session; asks the questions unless --answers is given."""
    from calmcrown.cli import views

    catalog = _catalog()
    result = _screening(catalog, answers, ask=answers is None)
    if as_json:
        _print_json(result.to_dict())
    else:
        views.show_screening(result)


@app.command()
def guide(
    ctx: typer.Context,
    routine: Annotated[str, typer.Argument(help="Routine id.")] = "evening",
    minutes: MinutesOption = None,
    answers: AnswersOption = None,
    partner: PartnerOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the timeline and stop.")
    ] = False,
    speed: Annotated[
        float,
        typer.Option(min=0.1, max=1000.0, help="Run faster (demonstrations and tests)."),
    ] = 1.0,
    voice: Annotated[
        bool, typer.Option("--voice/--no-voice", help="Speak cues with espeak-ng if installed.")
    ] = True,
    delay: Annotated[
        int, typer.Option(min=0, max=120, help="Seconds to get into position first.")
    ] = 5,
    read_steps: Annotated[
        bool | None,
        typer.Option(
            "--read-steps/--no-read-steps",
            help="Read each step's how-to aloud; on by default when massaging yourself.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Guide a session in the terminal: safety check, then timed, spoken cues.

    Keys while it runs: space pauses and resumes, n skips to the next step, q ends early.
    """
    from calmcrown.cli import views
    from calmcrown.cli.errors import STOPPED_BY_SCREENING, fail
    from calmcrown.planner import PlanError, plan_session

    catalog = _catalog()
    try:
        catalog.routine(routine)
    except LookupError as error:
        fail(str(error).strip("'\""))
    # A trial's period is said before the check, and a deviation before it starts.
    notice = None if dry_run else _trial_notice(ctx, catalog, routine)
    screening = _screening(catalog, answers, ask=not dry_run)
    views.show_screening(screening)
    if not screening.allows_session:
        if not dry_run:
            from calmcrown.cli.guide_record import record_stopped

            record_stopped(ctx, routine, screening)
        raise typer.Exit(STOPPED_BY_SCREENING)
    try:
        result = plan_session(catalog, routine, minutes, screening.adaptations, partner)
    except PlanError as error:
        fail(_with_command(error))
    if dry_run:
        views.show_plan(result)
        return
    from calmcrown.cli.guide import run_guide
    from calmcrown.cli.guide_record import record_guided

    started = datetime.now()
    outcome = run_guide(result, speed=speed, voice=voice, delay_s=delay, read_how=read_steps)
    record_guided(ctx, catalog.routine(routine), result, screening, outcome, started)
    if notice is not None:
        typer.echo(notice.after)


def _trial_notice(ctx: typer.Context, catalog: Catalog, routine: str) -> SessionNotice | None:
    """Say where today falls in a trial, and warn of a deviation; the notice to repeat
    once the session is recorded, if it deviates."""
    from calmcrown.cli.store_access import open_store
    from calmcrown.insight.trial.living import NO_MASSAGE_PERIOD
    from calmcrown.trial_notice import session_notice, stored_trial_today

    store = open_store(ctx, with_routines=True)
    now = stored_trial_today(store)
    if now is None or now.period is None:
        return None
    typer.echo(now.line)
    if now.no_massage:
        typer.echo(NO_MASSAGE_PERIOD)
    notice = session_notice(store, catalog, routine)
    if notice is not None:
        typer.secho(f"{notice.before} It is allowed, and recorded as one.", fg="yellow")
    return notice


app.add_typer(log_app, name="log")
app.add_typer(trial_app, name="trial")
app.command()(diary_commands.diary)
app.command()(diary_commands.edit)
app.command()(diary_commands.delete)
app.command()(diary_commands.undo)
app.command(name="import")(transfer_commands.import_command)
app.command()(transfer_commands.export)
app.command()(transfer_commands.backup)
app.command()(transfer_commands.restore)
app.command()(transfer_commands.schedule)
app.command()(analyze_command.analyze)
app.command()(analyze_command.report)
app.command()(serve_command.serve)


def main() -> None:
    app()
