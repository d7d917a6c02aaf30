"""Turn a routine, the minutes available and the screening's adaptations into a timed plan.

The plan keeps the routine's three phases in proportion (the after-phase never below 15%,
the settle phase never below 10%). When time is short it leaves out the least important
steps instead of rushing any step below its minimum: the practitioner's advice is to slow
down the middle, not to squeeze it. When time is long it never holds a step past its
maximum: it goes round the steps again, and if that cannot fill the time either, it plans
a shorter session and says why (step_timing.py). All times are whole seconds from the
session's start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from calmcrown.catalog import (
    Audience,
    Catalog,
    PhaseName,
    Pressure,
    Region,
    Rest,
    Routine,
    Step,
    Technique,
)
from calmcrown.catalog.loader import MIN_SHARE, PAUSE_REST
from calmcrown.screening import Adaptations
from calmcrown.step_timing import Candidate, TooLong, names_in_words, time_phase

MIN_MINUTES = 5
MAX_MINUTES = 60
# A partner asks about pressure this long into each longer hands-on step.
PRESSURE_CHECK_AFTER_S = 15
PRESSURE_CHECK_MIN_STEP_S = 45


class PlanError(ValueError):
    """No plan fits; the message says why and, where one exists, names a routine that fits
    by its title, whose id is ``suggested`` (for a command line to show)."""

    def __init__(self, message: str, suggested: str | None = None) -> None:
        super().__init__(message)
        self.suggested = suggested


class _NoFit(PlanError):
    """This routine cannot fill these minutes; another routine might."""


class CueKind(StrEnum):
    PHASE = "phase"
    STEP = "step"
    CAUTION = "caution"
    HOW = "how"
    SWITCH = "switch"
    PRESSURE_CHECK = "pressure_check"
    HALFWAY = "halfway"
    END = "end"


_CUE_ORDER = list(CueKind)

_PHASE_CUES = {
    PhaseName.SETTLE: "Settle in. Nothing to do yet but arrive.",
    PhaseName.PRACTICE: "The practice begins. Slow and unhurried.",
    PhaseName.AFTER: "The after. Stay still and notice how your head feels.",
}


@dataclass(frozen=True)
class PlannedPhase:
    name: PhaseName
    start_s: int
    seconds: int


@dataclass(frozen=True)
class PlannedStep:
    move: str
    name: str
    phase: PhaseName
    region: Region | None
    start_s: int
    end_s: int
    pressure: Pressure | None
    both_sides: bool
    how: tuple[str, ...]
    cautions: tuple[str, ...] = ()
    figure: str | None = None
    """The id of the figure that shows the step (content/figures/<id>.svg)."""

    @property
    def seconds(self) -> int:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Cue:
    at_s: int
    kind: CueKind
    text: str


@dataclass(frozen=True)
class Plan:
    routine: str
    title: str
    total_seconds: int
    phases: tuple[PlannedPhase, ...]
    steps: tuple[PlannedStep, ...]
    cues: tuple[Cue, ...]
    notes: tuple[str, ...]
    partner_mode: bool
    oil: bool
    stop_if: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "routine": self.routine,
            "title": self.title,
            "total_seconds": self.total_seconds,
            "partner_mode": self.partner_mode,
            "oil": self.oil,
            "phases": [{"name": p.name.value, "seconds": p.seconds} for p in self.phases],
            "steps": [
                {
                    "technique": s.move,
                    "name": s.name,
                    "phase": s.phase.value,
                    "region": s.region.value if s.region else None,
                    "start_s": s.start_s,
                    "end_s": s.end_s,
                    "pressure": s.pressure.value if s.pressure else None,
                    "both_sides": s.both_sides,
                    "how": list(s.how),
                    "cautions": list(s.cautions),
                    "figure": s.figure,
                }
                for s in self.steps
            ],
            "cues": [{"at_s": c.at_s, "kind": c.kind.value, "text": c.text} for c in self.cues],
            "notes": list(self.notes),
            "stop_if": self.stop_if,
        }


def plan_session(
    catalog: Catalog,
    routine_id: str,
    minutes: int | None = None,
    adaptations: Adaptations | None = None,
    partner_mode: bool | None = None,
) -> Plan:
    """A timed plan of ``routine_id`` for ``minutes`` (the routine's own length by default)."""
    routine = catalog.routine(routine_id)
    adapt = adaptations or Adaptations()
    try:
        return _plan(catalog, routine, minutes, adapt, partner_mode, shorten=True)
    except _NoFit as error:
        wanted = min(minutes or routine.minutes, adapt.max_minutes or MAX_MINUTES)
        fit = _fitting_other(catalog, routine, wanted, adapt)
        if fit is None:
            raise PlanError(
                f"{error}; no routine fits {wanted} minutes with today's answers."
            ) from None
        raise PlanError(
            f"{error}; for {wanted} minutes try {fit.title} ({fit.minutes} min).", fit.id
        ) from None


def _plan(
    catalog: Catalog,
    routine: Routine,
    minutes: int | None,
    adapt: Adaptations,
    partner_mode: bool | None,
    *,
    shorten: bool,
) -> Plan:
    notes: list[str] = []
    wanted = routine.minutes if minutes is None else minutes
    if not MIN_MINUTES <= wanted <= MAX_MINUTES:
        raise PlanError(f"minutes must be from {MIN_MINUTES} to {MAX_MINUTES}, not {wanted}")
    if adapt.max_minutes is not None and wanted > adapt.max_minutes:
        notes.append(
            f"Kept to {adapt.max_minutes} minutes instead of {wanted}: "
            "today's answers call for a short, gentle session."
        )
        wanted = adapt.max_minutes
    _check_length(routine, wanted)
    try:
        return _timed(catalog, routine, wanted, adapt, partner_mode, notes)
    except TooLong as error:
        if not shorten:
            raise _NoFit(_too_long(routine, wanted, error)) from None
        too_long = error
    # The steps left cannot fill these minutes without holding one too long: plan the
    # longest session they can fill, and say why.
    for fewer in range(wanted - 1, routine.shortest_minutes - 1, -1):
        why = (
            f"Kept to {fewer} minutes instead of {wanted}: {_too_long(routine, wanted, too_long)}."
        )
        try:
            return _timed(catalog, routine, fewer, adapt, partner_mode, [*notes, why])
        except TooLong:
            continue
    raise _NoFit(_too_long(routine, wanted, too_long))


def _too_long(routine: Routine, minutes: int, error: TooLong) -> str:
    left = names_in_words(error.left)
    verb = "is" if len(set(error.left)) == 1 else "are"
    return (
        f"only {left} {verb} left today, too little to fill {minutes} "
        "minutes without holding a step longer than is safe"
    )


def _timed(
    catalog: Catalog,
    routine: Routine,
    minutes: int,
    adapt: Adaptations,
    partner_mode: bool | None,
    notes: list[str],
) -> Plan:
    notes = list(notes)
    phases = _phase_budgets(routine, minutes * 60)
    pause = catalog.rests[PAUSE_REST]
    steps: list[PlannedStep] = []
    planned_phases: list[PlannedPhase] = []
    clock = 0
    for name, budget in phases.items():
        candidates = _adapted(catalog, routine.phase(name), adapt, notes)
        timed = time_phase(candidates, budget, pause, notes, name.value)
        if not timed:
            raise _nothing_left(routine, minutes, adapt, name)
        planned_phases.append(PlannedPhase(name, clock, budget))
        for candidate, seconds in timed:
            steps.append(_planned(catalog, candidate, name, clock, seconds))
            clock += seconds
    if adapt.no_oil and routine.oil:
        notes.append("No oil today: work on dry skin and hair.")
    elif adapt.no_nut_oil and routine.oil:
        notes.append(
            "No nut oil (such as sweet almond): use jojoba or sunflower oil, or none at all."
        )
    partner = routine.audience is not Audience.SELF if partner_mode is None else partner_mode
    return Plan(
        routine=routine.id,
        title=routine.title,
        total_seconds=clock,
        phases=tuple(planned_phases),
        steps=tuple(steps),
        cues=_cues(planned_phases, steps, clock, partner),
        notes=tuple(dict.fromkeys(notes)),
        partner_mode=partner,
        oil=routine.oil and not adapt.no_oil,
        stop_if=catalog.safety.stop_if,
    )


def _check_length(routine: Routine, minutes: int) -> None:
    if minutes < routine.shortest_minutes:
        raise _NoFit(f"{routine.title} needs at least {routine.shortest_minutes} minutes")
    if minutes > routine.longest_minutes:
        raise _NoFit(f"{routine.title} stretches to at most {routine.longest_minutes} minutes")


def _phase_budgets(routine: Routine, total: int) -> dict[PhaseName, int]:
    """Seconds for each phase, in the routine's own proportions, summing to ``total``."""
    native = routine.total_seconds
    settle = max(
        math.ceil(MIN_SHARE[PhaseName.SETTLE] * total),
        round(total * routine.phase_seconds(PhaseName.SETTLE) / native),
    )
    after = max(
        math.ceil(MIN_SHARE[PhaseName.AFTER] * total),
        round(total * routine.phase_seconds(PhaseName.AFTER) / native),
    )
    return {
        PhaseName.SETTLE: settle,
        PhaseName.PRACTICE: total - settle - after,
        PhaseName.AFTER: after,
    }


def _adapted(
    catalog: Catalog, steps: Sequence[Step], adapt: Adaptations, notes: list[str]
) -> list[Candidate]:
    """The steps that today's adaptations allow, at a pressure within today's limit."""
    kept: list[Candidate] = []
    for step in steps:
        move = catalog.move(step.do)
        if isinstance(move, Rest):
            kept.append(Candidate(step, move, None))
            continue
        if move.region in adapt.excluded_regions:
            notes.append(f"Left out {move.name}: no work on the {move.region.label} today.")
        elif adapt.skip_pregnancy_points and move.pregnancy_avoid:
            notes.append(
                f"Left out {move.name}: traditional practice avoids these points in pregnancy."
            )
        elif move.lightest > adapt.max_pressure:
            notes.append(
                f"Left out {move.name}: it cannot be done with {adapt.max_pressure} touch."
            )
        else:
            wanted = step.pressure or move.lightest
            if wanted > adapt.max_pressure:
                notes.append(f"Pressure kept {adapt.max_pressure} throughout.")
            kept.append(Candidate(step, move, min(wanted, adapt.max_pressure)))
    return kept


def _planned(
    catalog: Catalog, candidate: Candidate, phase: PhaseName, start: int, seconds: int
) -> PlannedStep:
    move = candidate.move
    return PlannedStep(
        move=move.id,
        name=move.name,
        phase=phase,
        region=move.region if isinstance(move, Technique) else None,
        start_s=start,
        end_s=start + seconds,
        pressure=candidate.pressure,
        both_sides=isinstance(move, Technique) and move.both_sides,
        how=tuple(move.steps),
        cautions=tuple(move.cautions) if isinstance(move, Technique) else (),
        figure=catalog.figure_of(move),
    )


def _cues(
    phases: Sequence[PlannedPhase], steps: Sequence[PlannedStep], total: int, partner: bool
) -> tuple[Cue, ...]:
    cues = [Cue(phase.start_s, CueKind.PHASE, _PHASE_CUES[phase.name]) for phase in phases]
    cautioned: set[str] = set()
    for step in steps:
        pressure = f" {step.pressure.capitalize()} pressure." if step.pressure else ""
        cues.append(Cue(step.start_s, CueKind.STEP, f"{step.name}.{pressure}"))
        # A technique's cautions are said the first time it comes, not at every round;
        # they come before the how-to, so a cue that cuts the voice short cuts the how-to.
        if step.cautions and step.move not in cautioned:
            cautioned.add(step.move)
            cues.append(Cue(step.start_s, CueKind.CAUTION, "Take care. " + " ".join(step.cautions)))
        cues.append(Cue(step.start_s, CueKind.HOW, " ".join(step.how)))
        if step.both_sides:
            other = "foot" if step.region is Region.FEET else "side"
            cues.append(
                Cue(
                    step.start_s + step.seconds // 2,
                    CueKind.SWITCH,
                    f"Switch to the other {other}.",
                )
            )
        if (
            partner
            and step.pressure is not None
            and step.phase is PhaseName.PRACTICE
            and step.seconds >= PRESSURE_CHECK_MIN_STEP_S
        ):
            cues.append(
                Cue(
                    step.start_s + PRESSURE_CHECK_AFTER_S,
                    CueKind.PRESSURE_CHECK,
                    "Ask: is the pressure right, lighter, or firmer?",
                )
            )
    cues.append(Cue(total // 2, CueKind.HALFWAY, "Halfway."))
    cues.append(Cue(total, CueKind.END, "That is the end of the session. Take your time."))
    return tuple(sorted(cues, key=lambda cue: (cue.at_s, _CUE_ORDER.index(cue.kind))))


def routines_for(giver: Audience) -> frozenset[Audience]:
    """The routines' audiences that suit who gives the massage: your own routines when you
    massage yourself, the partner routines for a partner, and for a practitioner their own
    sessions and the partner routines too (feet, a relaxing head massage)."""
    if giver is Audience.PRACTITIONER:
        return frozenset({Audience.PRACTITIONER, Audience.PARTNER})
    return frozenset({giver})


def fitting_routines(
    catalog: Catalog,
    minutes: int,
    adaptations: Adaptations | None = None,
    audiences: frozenset[Audience] | None = None,
) -> list[str]:
    """Routines that can be planned for ``minutes`` with these adaptations, best fit first;
    only those for ``audiences`` when given."""
    fits = []
    for routine in sorted(catalog.routines.values(), key=lambda r: abs(r.minutes - minutes)):
        if audiences is not None and routine.audience not in audiences:
            continue
        try:
            _plan(catalog, routine, minutes, adaptations or Adaptations(), None, shorten=False)
        except PlanError:
            continue
        fits.append(routine.id)
    return fits


def session_lengths(
    catalog: Catalog, candidates: Sequence[int], audiences: frozenset[Audience]
) -> list[tuple[int, Routine]]:
    """The session lengths to offer, each with the routine it starts: only those that a
    routine for these audiences can fill."""
    offered = []
    for minutes in candidates:
        fits = fitting_routines(catalog, minutes, audiences=audiences)
        if fits:
            offered.append((minutes, catalog.routines[fits[0]]))
    return offered


def _fitting_other(
    catalog: Catalog, routine: Routine, minutes: int, adapt: Adaptations
) -> Routine | None:
    """Another routine that fits, one for the same people first (a partner's for a partner)."""
    others = [
        catalog.routines[rid]
        for rid in fitting_routines(catalog, minutes, adapt)
        if rid != routine.id
    ]
    others.sort(key=lambda r: r.audience is not routine.audience)
    return others[0] if others else None


def _nothing_left(
    routine: Routine, minutes: int, adapt: Adaptations, phase: PhaseName
) -> PlanError:
    if adapt != Adaptations():
        avoided = ", ".join(sorted(region.label for region in adapt.excluded_regions))
        why = f"without the {avoided}" if avoided else "with today's limits"
        problem = f"Nothing is left of the {phase} phase of {routine.title} {why}"
    else:
        problem = f"{minutes} minutes is too short for the {phase} phase of {routine.title}"
    return _NoFit(problem)
