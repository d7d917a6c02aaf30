"""``import``, ``export``, ``backup``, ``restore`` and ``schedule``: the diary's way in and out."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from calmcrown.cli.errors import USAGE_ERROR, fail
from calmcrown.cli.store_access import open_store, settings_from

if TYPE_CHECKING:
    from calmcrown.catalog import Catalog
    from calmcrown.insight.trial.design import TrialDesign
    from calmcrown.practice_calendar import CalendarPeriod, PracticePlan


def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A CSV (days or sessions or headaches) or JSON file.")
    ],
) -> None:
    """Import a CSV or JSON file: all of it, or nothing if any line is wrong."""
    from calmcrown.diary.transfer import TransferError, import_file

    store = open_store(ctx, with_routines=True)
    try:
        report = import_file(store, file)
    except TransferError as error:
        sys.stderr.write(f"calmcrown: {file}: nothing imported:\n{error}\n")
        raise typer.Exit(USAGE_ERROR) from None
    typer.echo(report.summary())


def export(
    ctx: typer.Context,
    fmt: Annotated[
        Literal["csv", "json", "fhir"], typer.Option("--format", help="csv, json or fhir.")
    ],
    out: Annotated[
        Path,
        typer.Option(
            help="Directory to write into (created if needed); with fhir, the .json file."
        ),
    ],
) -> None:
    """Export every record: days.csv, headaches.csv and sessions.csv, one JSON file, or
    one FHIR R4 Bundle."""
    from calmcrown.diary.transfer import TransferError, export_files

    if fmt == "fhir":
        _export_fhir(ctx, out)
        return
    try:
        written = export_files(open_store(ctx), fmt, out)
    except TransferError as error:
        fail(str(error))
    for path in written:
        typer.echo(f"Wrote {path}")


def _export_fhir(ctx: typer.Context, out: Path) -> None:
    from calmcrown.diary.fhir_export import FhirExportError, export_fhir

    store = open_store(ctx)
    try:
        written = export_fhir(store, out, store.now())
    except FhirExportError as error:
        fail(str(error))
    typer.echo(f"Wrote {written}")


def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Copy the SQLite diary to FILE; safe while calmcrown is running."""
    from calmcrown.diary.backup import BackupError
    from calmcrown.diary.backup import backup as copy_diary

    settings = settings_from(ctx)
    try:
        written = copy_diary(settings.database, file, overwrite=force)
    except BackupError as error:
        fail(str(error))
    typer.echo(f"Backed up the diary to {written}.")


def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A backup made by `calmcrown backup`.")],
) -> None:
    """Replace the diary with a backup; the diary it replaces is saved beside it first.

    Refuses a file that is not exactly a calmcrown diary, and refuses while calmcrown
    serve is using the diary."""
    from calmcrown.diary.backup import BackupError, RestoreFailed
    from calmcrown.diary.backup import restore as restore_diary
    from calmcrown.diary.serving_lock import DiaryInUse

    settings = settings_from(ctx)
    try:
        saved = restore_diary(settings.database, file)
    except BackupError as error:
        fail(f"{error}. Nothing was changed.")
    except DiaryInUse as error:
        fail(f"{error}. Nothing was changed.", 1)
    except RestoreFailed as error:
        kept = f" A copy of it is also kept at {error.kept}." if error.kept else ""
        fail(f"{error}. The diary is as it was before.{kept}", 1)
    kept = f" The diary it replaced is kept at {saved}." if saved else ""
    typer.echo(f"Restored the diary from {file}.{kept}")


def schedule(
    ctx: typer.Context,
    per_week: Annotated[int | None, typer.Option(help="Sessions a week (3-4 suits most).")] = None,
    days: Annotated[
        str | None, typer.Option(help="Preferred days, e.g. mon,wed,fri.", show_default=False)
    ] = None,
    time: Annotated[str | None, typer.Option(help="Start time, HH:MM.")] = None,
    minutes: Annotated[int | None, typer.Option(help="Session length, 5-60.")] = None,
    routine: Annotated[str | None, typer.Option(help="Routine id.")] = None,
    reminder: Annotated[
        int | None, typer.Option(help="Reminder this many minutes before; 0 for none.")
    ] = None,
    ics: Annotated[
        Path | None, typer.Option(help="Write the coming weeks to this .ics file.")
    ] = None,
    weeks: Annotated[
        int | None,
        typer.Option(
            help="Weeks to write to the .ics file: 4, or to the end of a trial still to come.",
            show_default=False,
        ),
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="First date, YYYY-MM-DD; today by default.")
    ] = None,
) -> None:
    """Show or change your practice plan, and write it as an iCalendar file."""
    from calmcrown.catalog import load_catalog
    from calmcrown.diary.practice_plans import load_practice_plan, save_practice_plan
    from calmcrown.diary.trials import latest_trial
    from calmcrown.practice_calendar import (
        PlanError,
        PracticePlan,
        practice_calendar,
        session_days,
    )

    store = open_store(ctx)
    # A trial with no plan gets the default rhythm too: three a week at 20:00.
    plan = load_practice_plan(store) or PracticePlan(
        sessions_per_week=3, days=(), time=dt.time(20, 0)
    )
    catalog = load_catalog()
    if routine is not None and routine not in catalog.routines:
        fail(f"--routine: unknown routine {routine!r}")
    wanted_days = (
        plan.days
        if days is None
        else tuple(day.strip().lower() for day in days.split(",") if day.strip())
    )
    updated = PracticePlan(
        sessions_per_week=plan.sessions_per_week if per_week is None else per_week,
        days=wanted_days,  # type: ignore[arg-type]  # checked by validate_plan
        time=plan.time if time is None else _time(time),
        minutes=plan.minutes if minutes is None else minutes,
        routine=plan.routine if routine is None else routine,
        reminder_minutes=plan.reminder_minutes if reminder is None else reminder,
    )
    changed = updated != plan
    first_day = _date(start) if start else dt.date.today()
    trial = latest_trial(store)
    periods = _trial_periods(trial, catalog, updated)
    following = trial is not None and bool(periods) and trial.end >= first_day
    if weeks is None:
        weeks = _weeks_to_end(trial.end, first_day) if trial is not None and following else 4
    try:
        # The calendar is made before anything is saved: a bad option changes nothing.
        calendar = practice_calendar(updated, first_day, weeks, periods=periods)
        if changed:
            save_practice_plan(store, updated)
    except PlanError as error:
        fail(str(error))
    plan = updated
    chosen = ", ".join(session_days(plan))
    typer.echo(
        f"Plan: {plan.sessions_per_week} sessions a week ({chosen}) at {plan.time:%H:%M}, "
        f"{plan.minutes} min of '{plan.routine}', reminder {plan.reminder_minutes} min before."
        + ("" if changed else " (unchanged)")
    )
    if ics is not None:
        from calmcrown.diary.private_files import write_private_bytes

        try:
            write_private_bytes(ics, calendar)  # the days and times of a health practice
        except OSError as error:
            fail(f"--ics: cannot write {ics} ({error.strerror})")
        typer.echo(f"Wrote {weeks} weeks to {ics}.")
        if trial is not None and following:
            typer.echo(
                f"It follows trial {trial.id}: each period's sessions are of its routine, "
                "and its no-massage periods have none."
            )


def _trial_periods(
    trial: TrialDesign | None, catalog: Catalog, plan: PracticePlan
) -> tuple[CalendarPeriod, ...]:
    """The calendar's trial periods: each arm's routines for who gives the planned one
    first (the feet arm's only routine is a partner's, so it is kept for anyone)."""
    from calmcrown.insight.trial.arms import routines_of_arm
    from calmcrown.insight.trial.living import calendar_periods

    if trial is None or trial.ended_early is not None:
        return ()
    planned = catalog.routines.get(plan.routine)
    choices = {}
    for arm in trial.arms:
        of_arm = routines_of_arm(catalog, arm)
        same_giver = [
            r for r in of_arm if planned and catalog.routines[r].audience == planned.audience
        ]
        choices[arm] = same_giver or of_arm
    return calendar_periods(trial, choices, plan.routine)


def _weeks_to_end(end: dt.date, first_day: dt.date) -> int:
    """Enough weeks from ``first_day`` to reach ``end``, within what the calendar allows."""
    from calmcrown.practice_calendar import MAX_WEEKS, MIN_WEEKS

    return max(MIN_WEEKS, min(MAX_WEEKS, -(-((end - first_day).days + 1) // 7)))


def _time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        fail(f"--time: {text!r} is not a time like 20:00")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--start: {text!r} is not a date like 2026-11-22")
