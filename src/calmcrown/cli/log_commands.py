"""``calmcrown log day|headache|session``: quick entries, fast enough to make in pain.

Each command prints what was saved only after the transaction committed, and exits 0
only then. ``log headache`` and ``log session`` ask a few questions when given no
options; every question can be skipped with Enter.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from calmcrown.cli.errors import fail
from calmcrown.cli.store_access import open_store

if TYPE_CHECKING:
    from calmcrown.diary.records import SessionEntry
    from calmcrown.diary.store import DiaryStore

T = TypeVar("T")

log_app = typer.Typer(
    help="Record a day, a headache or a session.", no_args_is_help=True, rich_markup_mode=None
)

Score = Annotated[int | None, typer.Option(help="0-10.", show_default=False)]
Text = Annotated[str | None, typer.Option(show_default=False)]


def _checked(call: Callable[..., T], *args: Any) -> T:
    """``call(*args)``, or exit 2 naming every field that breaks a rule."""
    from calmcrown.diary.records import EntryError

    try:
        return call(*args)
    except EntryError as error:
        fail(str(error))


def _warn_medication(store: DiaryStore) -> None:
    warning = store.medication_warning()
    if warning:
        typer.echo(f"Warning: {warning}", err=True)


@log_app.command("day")
def log_day(
    ctx: typer.Context,
    intensity: Annotated[int, typer.Option(help="Worst headache intensity today: 0 = none, 1-10.")],
    date: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD; today by default.", show_default=False)
    ] = None,
    hours: Annotated[float | None, typer.Option(help="Hours of headache.")] = None,
    medication: Annotated[
        str | None, typer.Option(help="Acute medication taken: name and dose.")
    ] = None,
    sleep: Annotated[int | None, typer.Option(help="Sleep quality last night, 0-10.")] = None,
    stress: Annotated[int | None, typer.Option(help="Stress today, 0-10.")] = None,
    notes: Text = None,
) -> None:
    """Record a day; recording the same date again updates it."""
    store = open_store(ctx)
    day = _parse_date(date) if date else dt.date.today()
    given = {
        "intensity": intensity,
        "hours": hours,
        "medication": medication,
        "sleep": sleep,
        "stress": stress,
        "notes": notes,
    }
    changes = {name: value for name, value in given.items() if value is not None}
    recorded = _checked(store.log_day, day, changes)
    entry = recorded.entry
    verb = "Saved" if recorded.created else "Updated"
    what = f"intensity {entry.intensity}" if entry.intensity else "no headache"
    typer.echo(f"{verb} {recorded.id}: {day.isoformat()}, {what}.")
    _warn_medication(store)


@log_app.command("headache")
def log_headache(
    ctx: typer.Context,
    start: Text = None,
    end: Text = None,
    peak: Annotated[int | None, typer.Option(help="Worst intensity, 1-10.")] = None,
    side: Annotated[str | None, typer.Option(help="left, right or both.")] = None,
    quality: Annotated[str | None, typer.Option(help="pressing or pulsating.")] = None,
    worse_with_activity: Annotated[
        bool | None, typer.Option("--worse-with-activity/--not-worse-with-activity")
    ] = None,
    nausea: Annotated[bool | None, typer.Option("--nausea/--no-nausea")] = None,
    vomiting: Annotated[bool | None, typer.Option("--vomiting/--no-vomiting")] = None,
    light: Annotated[bool | None, typer.Option("--light/--no-light")] = None,
    sound: Annotated[bool | None, typer.Option("--sound/--no-sound")] = None,
    aura: Annotated[bool | None, typer.Option("--aura/--no-aura")] = None,
    where: Annotated[list[str] | None, typer.Option(help="Where on the head; repeat.")] = None,
    trigger: Annotated[list[str] | None, typer.Option(help="A trigger tag; repeat.")] = None,
    medication: Text = None,
    helped: Annotated[
        str | None,
        typer.Option(help="Did the medication help after two hours: yes, partly or no."),
    ] = None,
    notes: Text = None,
    confirm_long: Annotated[
        bool,
        typer.Option(
            "--confirm-long",
            help="Yes, it has gone on for more than 31 days (still going, or start to end).",
        ),
    ] = False,
) -> None:
    """Record a headache episode; without --end it is still going on.

    --start and --end take "YYYY-MM-DD HH:MM" (start: now by default). With no options
    at all, a few questions are asked instead; Enter skips any of them.
    """
    from calmcrown.diary.records import EntryError, HeadacheEntry, LongEpisode, headache_features
    from calmcrown.headache_kind import explain_tag

    given: dict[str, Any] = {
        "started_at": start,
        "ended_at": end,
        "peak": peak,
        "side": side,
        "quality": quality,
        "worse_with_activity": worse_with_activity,
        "nausea": nausea,
        "vomiting": vomiting,
        "light_sensitivity": light,
        "sound_sensitivity": sound,
        "aura": aura,
        "location": where,
        "triggers": trigger,
        "medication": medication,
        "medication_helped": helped,
        "notes": notes,
    }
    data = {name: value for name, value in given.items() if value is not None}
    if not data:
        _need_a_person("headache")
        from calmcrown.cli.log_prompts import ask_headache

        data = ask_headache()
    data.setdefault("started_at", dt.datetime.now().replace(second=0, microsecond=0))
    store = open_store(ctx)
    try:
        entry = store.validate(HeadacheEntry, data, long_confirmed=confirm_long)
    except LongEpisode as error:
        fail(f"{error} (--end, or --confirm-long)")
    except EntryError as error:
        fail(str(error))
    recorded = store.add_headache(entry)
    ended = entry.ended_at
    state = "still going on" if ended is None else f"ended {ended:%Y-%m-%d %H:%M}"
    typer.echo(f"Saved {recorded.id}: headache from {entry.started_at:%Y-%m-%d %H:%M}, {state}.")
    features = headache_features(entry, dt.datetime.now())
    typer.echo(explain_tag(features))
    _warn_medication(store)


@log_app.command("session")
def log_session(
    ctx: typer.Context,
    routine: Text = None,
    minutes: Annotated[float | None, typer.Option(help="How long it lasted, 0-240.")] = None,
    date: Text = None,
    time: Annotated[str | None, typer.Option(help="HH:MM it started.")] = None,
    by: Annotated[str | None, typer.Option(help="self, partner or practitioner.")] = None,
    pressure: Annotated[str | None, typer.Option(help="light, mild or moderate.")] = None,
    pain_before: Score = None,
    pain_after: Score = None,
    tension_before: Score = None,
    tension_after: Score = None,
    outcome: Annotated[
        str | None, typer.Option(help="completed, ended_early or stopped_by_screening.")
    ] = None,
    oil: Annotated[bool | None, typer.Option("--oil/--no-oil")] = None,
    notes: Text = None,
) -> None:
    """Record a massage session given or received outside the guide.

    With no options at all, a few questions are asked instead.
    """
    from calmcrown.diary.records import SessionEntry, session_seconds

    given: dict[str, Any] = {
        "routine": routine,
        "date": date,
        "time": time,
        "given_by": by,
        "pressure": pressure,
        "pain_before": pain_before,
        "pain_after": pain_after,
        "tension_before": tension_before,
        "tension_after": tension_after,
        "outcome": outcome,
        "oil": oil,
        "notes": notes,
    }
    data = {name: value for name, value in given.items() if value is not None}
    if minutes is not None:
        data["minutes"] = minutes
    if not data:
        _need_a_person("session")
        from calmcrown.catalog import load_catalog
        from calmcrown.cli.log_prompts import ask_session

        data = ask_session(list(load_catalog().routines))
    if "minutes" not in data:
        fail("minutes: required (how long the session lasted, 0-240)")
    data["seconds"] = _checked(session_seconds, data.pop("minutes"))
    data.setdefault("date", dt.date.today())
    store = open_store(ctx, with_routines=True)
    entry = _checked(store.validate, SessionEntry, data)
    recorded = store.add_session(entry)
    typer.echo(f"Saved {recorded.id}: {_session_line(entry)}.")


def _need_a_person(what: str) -> None:
    """Questions need someone to answer them: a script must pass options instead."""
    if not sys.stdin.isatty():
        fail(f"no options given and no terminal to ask in; see `calmcrown log {what} --help`")


def _session_line(entry: SessionEntry) -> str:
    pain = ""
    if entry.pain_before is not None and entry.pain_after is not None:
        pain = f", pain {entry.pain_before} -> {entry.pain_after}"
    return f"{entry.date.isoformat()} {entry.routine}, {entry.seconds / 60:g} min{pain}"


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"date: {text!r} is not a date like 2026-11-22")
