"""Write what the terminal guide did into the diary, as a session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from calmcrown.catalog import Audience, PhaseName, Routine
from calmcrown.cli.guide import GuideResult
from calmcrown.cli.store_access import open_store
from calmcrown.planner import Plan
from calmcrown.screening import Screening, doctor_check_tags


def record_guided(
    ctx: typer.Context,
    routine: Routine,
    plan: Plan,
    screening: Screening,
    result: GuideResult,
    started: dt.datetime,
) -> None:
    planned = {phase.name: phase.seconds for phase in plan.phases}
    pressures = [step.pressure for step in plan.steps if step.pressure is not None]
    by = routine.audience.value if plan.partner_mode else Audience.SELF.value
    _save(
        ctx,
        {
            "date": started.date(),
            "time": started.time().replace(second=0, microsecond=0),
            "routine": plan.routine,
            "given_by": by,
            "seconds": result.actual_s,
            **{f"planned_{name.value}_s": planned[name] for name in PhaseName},
            **{f"actual_{name.value}_s": result.actual_phase_s[name.value] for name in PhaseName},
            "pressure": max(pressures).value if pressures else None,
            "oil": plan.oil,
            "pain_before": result.pain_before,
            "pain_after": result.pain_after,
            "outcome": result.outcome,
            "verdict": screening.verdict.value,
            "reasons": [reason.flag for reason in screening.reasons],
            "doctor_checks": doctor_check_tags(screening.doctor_checked),
        },
    )


def record_stopped(ctx: typer.Context, routine: str, screening: Screening) -> None:
    """Keep a note that the safety check stopped a session, and why."""
    from calmcrown.diary.records import stopped_by_check

    reasons = [reason.flag for reason in screening.reasons]
    checks = doctor_check_tags(screening.doctor_checked)
    _save(
        ctx, stopped_by_check(routine, screening.verdict.value, reasons, dt.datetime.now(), checks)
    )


def _save(ctx: typer.Context, data: dict[str, Any]) -> None:
    from calmcrown.diary.records import SessionEntry

    store = open_store(ctx, with_routines=True)
    recorded = store.add_session(store.validate(SessionEntry, data))
    typer.echo(f"Saved to your diary as {recorded.id}.")
