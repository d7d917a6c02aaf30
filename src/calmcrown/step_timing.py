"""Time the steps of one phase: fill its seconds without rushing a step or holding it too long.

A phase's steps are first scaled in proportion to the routine's own timings. A step is never
shorter than its technique's minimum (the least important steps are left out instead) and
never longer than its maximum: when the steps left cannot fill the phase, the phase goes
round them again, with a short rest for the hands between rounds and between two holds on
the same spot. When even that cannot fill the phase, the caller plans a shorter session.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from calmcrown.catalog import Pressure, Rest, Step, Technique

REST_MIN_SECONDS = 10
# A phase goes round its steps at most this many times; more would be one step on a loop.
MAX_ROUNDS = 3
PAUSE_SECONDS = 20
_ROUND_WORDS = {2: "twice", 3: "three times"}


@dataclass(frozen=True)
class Candidate:
    """A routine step that survived the adaptations, with what the plan needs to time it."""

    step: Step
    move: Technique | Rest
    pressure: Pressure | None

    @property
    def min_seconds(self) -> int:
        return self.move.min_seconds if isinstance(self.move, Technique) else REST_MIN_SECONDS

    @property
    def max_seconds(self) -> float:
        return self.move.max_seconds or math.inf


class TooLong(Exception):
    """The steps left cannot fill the phase, even going round them the most times allowed."""

    def __init__(self, left: Sequence[str]) -> None:
        self.left = tuple(left)
        super().__init__(f"too little left to fill the phase: {names_in_words(left)}")


def time_phase(
    candidates: Sequence[Candidate],
    budget: int,
    pause: Rest,
    notes: list[str],
    phase: str = "phase",
) -> list[tuple[Candidate, int]]:
    """Each step of the phase with its seconds, summing to ``budget``; [] if none is left."""
    kept = _unhurried(candidates, budget, notes)
    if not kept:
        return []
    for rounds in range(1, MAX_ROUNDS + 1):
        sequence = _rotation(kept, rounds, pause)
        if sum(c.max_seconds for c in sequence) < budget:
            continue
        if sum(c.min_seconds for c in sequence) > budget:
            break
        if rounds > 1:
            notes.append(
                f"The {phase} goes round its steps {_ROUND_WORDS[rounds]}, with a short rest "
                "for the hands between rounds, so that no step is held longer than is safe."
            )
        elif len(sequence) > len(kept):
            notes.append("A short rest for the hands between two holds on the same spot.")
        return list(zip(sequence, _share(sequence, budget), strict=True))
    raise TooLong([c.move.name for c in kept if isinstance(c.move, Technique)])


def _unhurried(candidates: Sequence[Candidate], budget: int, notes: list[str]) -> list[Candidate]:
    """Drop the least important steps until, in proportion, none falls below its minimum."""
    kept = list(candidates)
    dropped: list[Candidate] = []
    while kept:
        native = sum(c.step.seconds for c in kept)
        if all(c.step.seconds * budget / native >= c.min_seconds for c in kept):
            break
        # The least important step goes first; among equals, the latest in the phase.
        drop = max(reversed(kept), key=lambda c: c.step.priority)
        kept.remove(drop)
        dropped.append(drop)
    left = {c.move.id for c in kept}
    for drop in {c.move.id: c for c in dropped}.values():
        if drop.move.id in left:
            notes.append(f"{drop.move.name} only once, to keep the other steps unhurried.")
        else:
            notes.append(f"Left out {drop.move.name} to keep the other steps unhurried.")
    return kept


def _rotation(kept: Sequence[Candidate], rounds: int, pause: Rest) -> list[Candidate]:
    """The steps ``rounds`` times over, a pause between rounds and between same-spot holds."""
    rest = Candidate(Step(do=pause.id, seconds=PAUSE_SECONDS), pause, None)
    sequence: list[Candidate] = []
    for index in range(rounds):
        if index:
            sequence.append(rest)
        for candidate in kept:
            if sequence and _same_spot(sequence[-1], candidate):
                sequence.append(rest)
            sequence.append(candidate)
    return sequence


def _same_spot(before: Candidate, after: Candidate) -> bool:
    """Two steps that would make one unbroken stretch on the same spot if run back to back."""
    first, second = before.move, after.move
    if not (isinstance(first, Technique) and isinstance(second, Technique)):
        return False
    return first.id == second.id or (first.hold and second.hold and first.region == second.region)


def _share(sequence: Sequence[Candidate], budget: int) -> list[int]:
    """Whole seconds in proportion to the routine's timings, each within its bounds."""
    weights = [c.step.seconds for c in sequence]
    low = [c.min_seconds for c in sequence]
    high = [c.max_seconds for c in sequence]

    def filled(scale: float) -> float:
        return sum(
            min(max(w * scale, lo), hi) for w, lo, hi in zip(weights, low, high, strict=True)
        )

    # filled() grows with the scale; find the scale that fills the budget by bisection.
    below, above = 0.0, 1.0
    while filled(above) < budget:
        above *= 2
    for _ in range(60):
        middle = (below + above) / 2
        below, above = (middle, above) if filled(middle) < budget else (below, middle)
    exact = [min(max(w * above, lo), hi) for w, lo, hi in zip(weights, low, high, strict=True)]
    seconds = [math.floor(x) for x in exact]
    # Hand the seconds lost to rounding down to the steps that lost the most and have room.
    order = sorted(range(len(exact)), key=lambda i: seconds[i] - exact[i])
    missing = budget - sum(seconds)
    for i in order:
        if missing <= 0:
            break
        if seconds[i] < high[i]:
            seconds[i] += 1
            missing -= 1
    return seconds


def names_in_words(names: Iterable[str]) -> str:
    """'A', 'A and B', 'A, B and C': each name once."""
    unique = list(dict.fromkeys(names))
    if len(unique) == 1:
        return unique[0]
    return ", ".join(unique[:-1]) + " and " + unique[-1]
