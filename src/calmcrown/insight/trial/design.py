"""The design of a personal trial: arms, periods in randomised blocks, washout, and the
seeded allocation that lets anyone re-derive and audit the order.

Each block holds every arm once, in an order drawn at random (block randomisation, as
the AHRQ user's guide to n-of-1 trials advises). The order is drawn once, before the
trial starts, from a seed made with ``secrets`` and numpy's PCG64 generator; the design
records the seed, the generator and the version of the algorithm, so :func:`rederive`
can draw the same order again. The allocation is never changed afterwards: an amendment
(a period extended, the trial ended early) changes dates only and is recorded with its
date and reason.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

import numpy as np

ARMS = ("head", "feet", "none")
ARM_NAMES = {"head": "Head", "feet": "Feet", "none": "No massage"}
"""Each arm as a label (a calendar row, a check box); every face names the arms so."""
ARM_WORDS = {"head": "head massage", "feet": "foot massage", "none": "no massage"}
"""Each arm inside a sentence: "fewer headache days with head massage"."""
ARM_ROUTINES = {
    "head": "a head, neck and shoulders routine",
    "feet": "a foot routine",
    "none": "your usual care only, with no massage",
}
"""What a period of each arm asks of the person."""
GENERATOR = "numpy.random.PCG64"
ALGORITHM = "calmcrown-block-permutation/1"
"""Bump when the drawing changes, so an old design is re-derived the old way or refused."""
PERIOD_DAYS = (7, 28)
DEFAULT_PERIOD_DAYS = 14
MINIMUM_BLOCKS = 3
DEFAULT_BLOCKS = 4
BLOCK_CHOICES = (3, 4, 5, 6)  # the numbers of blocks a design offers, with their power
WASHOUT_DAYS = (0, 7)
DEFAULT_WASHOUT_DAYS = 2
SEED_LIMIT = 2**53
"""Seeds stay below 2^53 so that any JSON reader (JavaScript's included) keeps them exact."""


def period_name(arm: str) -> str:
    """ "Head period", "No-massage period": the name joined before "period" takes a hyphen."""
    return f"{ARM_NAMES[arm].replace(' ', '-')} period"


class DesignError(ValueError):
    """A trial parameter out of range; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


class DesignParseError(ValueError):
    """A design dict that does not parse; ``key`` names the key at fault."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


class AmendmentKind(StrEnum):
    PERIOD_EXTENDED = "period_extended"
    ENDED_EARLY = "ended_early"


@dataclass(frozen=True)
class Amendment:
    kind: AmendmentKind
    date: dt.date
    """When the amendment was made."""
    reason: str
    period: int | None = None
    """The period extended (its index); None for an early end."""
    days: int = 0
    """Days added to that period; 0 for an early end."""


@dataclass(frozen=True)
class TrialPeriod:
    index: int
    """1 for the first period."""
    block: int
    """1 for the first block."""
    arm: str
    start: dt.date
    end: dt.date
    """The last date, inclusive."""
    washout_days: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def analysed_from(self) -> dt.date:
        """The first date analysed: the washout days before it are kept, not analysed."""
        return self.start + dt.timedelta(days=min(self.washout_days, self.days))

    def is_washout(self, date: dt.date) -> bool:
        return self.start <= date < self.analysed_from

    def contains(self, date: dt.date) -> bool:
        return self.start <= date <= self.end


@dataclass(frozen=True)
class TrialDesign:
    arms: tuple[str, ...]
    seed: int
    period_days: int
    washout_days: int
    blocks: int
    start: dt.date
    periods: tuple[TrialPeriod, ...]
    generator: str = GENERATOR
    algorithm: str = ALGORITHM
    amendments: tuple[Amendment, ...] = ()
    id: str | None = None
    """The store's identifier once the trial is saved; None for a dry run."""

    @property
    def end(self) -> dt.date:
        return self.periods[-1].end

    @property
    def ended_early(self) -> Amendment | None:
        return next((a for a in self.amendments if a.kind is AmendmentKind.ENDED_EARLY), None)

    def period_on(self, date: dt.date) -> TrialPeriod | None:
        return next((p for p in self.periods if p.contains(date)), None)


def draw_seed() -> int:
    return secrets.randbelow(SEED_LIMIT)


def allocation(arms: Sequence[str], blocks: int, seed: int) -> tuple[str, ...]:
    """The arm of each period: per block, a permutation of ``arms`` drawn from PCG64."""
    rng = np.random.Generator(np.random.PCG64(seed))
    order: list[str] = []
    for _ in range(blocks):
        order.extend(arms[int(i)] for i in rng.permutation(len(arms)))
    return tuple(order)


def _check(arms: Sequence[str], period_days: int, blocks: int, washout_days: int,
           seed: int) -> None:  # fmt: skip
    if not 2 <= len(arms) <= len(ARMS):
        raise DesignError("arms", f"two or three of {', '.join(ARMS)}, got {len(arms)}")
    unknown = [arm for arm in arms if arm not in ARMS]
    if unknown:
        raise DesignError("arms", f"unknown arm {unknown[0]!r}; choose from {', '.join(ARMS)}")
    if len(set(arms)) != len(arms):
        raise DesignError("arms", "each arm once")
    if not PERIOD_DAYS[0] <= period_days <= PERIOD_DAYS[1]:
        raise DesignError("period_days", f"between {PERIOD_DAYS[0]} and {PERIOD_DAYS[1]}")
    if blocks < MINIMUM_BLOCKS:
        raise DesignError("blocks", f"at least {MINIMUM_BLOCKS}")
    if not WASHOUT_DAYS[0] <= washout_days <= WASHOUT_DAYS[1]:
        raise DesignError("washout_days", f"between {WASHOUT_DAYS[0]} and {WASHOUT_DAYS[1]}")
    if washout_days > period_days - 7:
        # A period must keep 7 analysed days, the least the analysis accepts.
        raise DesignError("washout_days", f"at most period_days - 7 ({period_days - 7})")
    if not 0 <= seed < SEED_LIMIT:
        raise DesignError("seed", f"a whole number from 0 to {SEED_LIMIT - 1}")


def design(
    arms: Sequence[str],
    start: dt.date,
    period_days: int = DEFAULT_PERIOD_DAYS,
    blocks: int = DEFAULT_BLOCKS,
    washout_days: int = DEFAULT_WASHOUT_DAYS,
    seed: int | None = None,
) -> TrialDesign:
    """A new design; the seed is drawn with ``secrets`` when not given."""
    seed = draw_seed() if seed is None else seed
    arms = tuple(arms)
    _check(arms, period_days, blocks, washout_days, seed)
    order = allocation(arms, blocks, seed)
    periods = tuple(
        TrialPeriod(
            index=i + 1,
            block=i // len(arms) + 1,
            arm=arm,
            start=start + dt.timedelta(days=i * period_days),
            end=start + dt.timedelta(days=(i + 1) * period_days - 1),
            washout_days=washout_days,
        )
        for i, arm in enumerate(order)
    )
    return TrialDesign(arms, seed, period_days, washout_days, blocks, start, periods)


def rederive(trial: TrialDesign) -> bool:
    """True when the seed, drawn again, gives the recorded arm of every period.

    A trial ended early keeps the periods it began, so its arms are the first of the
    drawn order. A design of another generator or algorithm version cannot be
    re-derived here: False.
    """
    if trial.generator != GENERATOR or trial.algorithm != ALGORITHM:
        return False
    expected = allocation(trial.arms, trial.blocks, trial.seed)
    if trial.ended_early is not None:
        expected = expected[: len(trial.periods)]
    return tuple(p.arm for p in trial.periods) == expected


def extend_period(trial: TrialDesign, index: int, days: int, on: dt.date,
                  reason: str) -> TrialDesign:  # fmt: skip
    """The design with period ``index`` ``days`` longer and every later period moved on."""
    if not any(p.index == index for p in trial.periods):
        raise DesignError("period", f"no period {index}")
    if days < 1:
        raise DesignError("days", "at least 1")
    periods = tuple(
        replace(p, end=p.end + dt.timedelta(days=days))
        if p.index == index
        else replace(p, start=p.start + dt.timedelta(days=days),
                     end=p.end + dt.timedelta(days=days))
        if p.index > index
        else p
        for p in trial.periods
    )  # fmt: skip
    amendment = Amendment(AmendmentKind.PERIOD_EXTENDED, on, reason, index, days)
    return replace(trial, periods=periods, amendments=(*trial.amendments, amendment))


def end_early(trial: TrialDesign, on: dt.date, reason: str) -> TrialDesign:
    """The design ended on ``on``: the period then running ends that day, later ones go."""
    if trial.ended_early is not None:
        raise DesignError("end", "the trial has already ended")
    if on < trial.start:
        raise DesignError("end", "before the trial began")
    kept = tuple(replace(p, end=min(p.end, on)) for p in trial.periods if p.start <= on)
    amendment = Amendment(AmendmentKind.ENDED_EARLY, on, reason)
    return replace(trial, periods=kept, amendments=(*trial.amendments, amendment))


# JSON: the shape `calmcrown trial design --json` prints (issue 12). Keys may be added,
# never renamed: scripts read them.


def design_dict(trial: TrialDesign, power: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    return {
        "id": trial.id,
        "arms": list(trial.arms),
        "seed": trial.seed,
        "period_days": trial.period_days,
        "washout_days": trial.washout_days,
        "blocks": trial.blocks,
        "periods": [
            {
                "index": p.index,
                "block": p.block,
                "arm": p.arm,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "analysed_from": p.analysed_from.isoformat(),
            }
            for p in trial.periods
        ],
        "power": [dict(row) for row in power],
        "start": trial.start.isoformat(),
        "generator": trial.generator,
        "algorithm": trial.algorithm,
        "amendments": [
            {
                "kind": a.kind.value,
                "date": a.date.isoformat(),
                "reason": a.reason,
                "period": a.period,
                "days": a.days,
            }
            for a in trial.amendments
        ],
    }


def _get(data: Mapping[str, Any], key: str, kind: type, where: str = "") -> Any:
    name = f"{where}{key}"
    if key not in data:
        raise DesignParseError(name, "missing")
    value = data[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise DesignParseError(name, f"a whole number, got {value!r}")
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise DesignParseError(name, f"a date YYYY-MM-DD, got {value!r}") from None
    if kind is not int and not isinstance(value, kind):
        raise DesignParseError(name, f"a {kind.__name__}, got {value!r}")
    return value


def design_from_dict(data: Any) -> TrialDesign:
    """The design :func:`design_dict` wrote; a key that does not parse is named."""
    if not isinstance(data, Mapping):
        raise DesignParseError("(top level)", "an object")
    arms = _get(data, "arms", list)
    if not all(isinstance(arm, str) for arm in arms):
        raise DesignParseError("arms", "a list of arm names")
    seed, period_days = _get(data, "seed", int), _get(data, "period_days", int)
    washout_days, blocks = _get(data, "washout_days", int), _get(data, "blocks", int)
    try:
        _check(arms, period_days, blocks, washout_days, seed)
    except DesignError as error:
        raise DesignParseError(error.parameter, str(error).split(": ", 1)[1]) from None
    rows = _get(data, "periods", list)
    if not rows:
        raise DesignParseError("periods", "at least one period")
    periods = []
    for i, row in enumerate(rows):
        where = f"periods[{i}]."
        if not isinstance(row, Mapping):
            raise DesignParseError(f"periods[{i}]", "an object")
        arm = _get(row, "arm", str, where)
        if arm not in arms:
            raise DesignParseError(f"{where}arm", f"{arm!r} is not one of the arms")
        start, end = _get(row, "start", dt.date, where), _get(row, "end", dt.date, where)
        if end < start:
            raise DesignParseError(f"{where}end", "before its start")
        periods.append(
            TrialPeriod(
                index=_get(row, "index", int, where) if "index" in row else i + 1,
                block=_get(row, "block", int, where) if "block" in row else i // len(arms) + 1,
                arm=arm,
                start=start,
                end=end,
                washout_days=washout_days,
            )
        )
    amendments = []
    rows = data.get("amendments") or []
    if not isinstance(rows, list):
        raise DesignParseError("amendments", "a list")
    for i, row in enumerate(rows):
        where = f"amendments[{i}]."
        if not isinstance(row, Mapping):
            raise DesignParseError(f"amendments[{i}]", "an object")
        for key in ("period", "days"):
            value = row.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise DesignParseError(f"{where}{key}", f"a whole number, got {value!r}")
        try:
            kind = AmendmentKind(_get(row, "kind", str, where))
        except ValueError:
            raise DesignParseError(
                f"{where}kind", f"one of {[k.value for k in AmendmentKind]}"
            ) from None
        amendments.append(
            Amendment(
                kind,
                _get(row, "date", dt.date, where),
                _get(row, "reason", str, where),
                row.get("period"),
                int(row.get("days") or 0),
            )
        )
    start = _get(data, "start", dt.date) if "start" in data else periods[0].start
    ident = data.get("id")
    return TrialDesign(
        arms=tuple(arms),
        seed=seed,
        period_days=period_days,
        washout_days=washout_days,
        blocks=blocks,
        start=start,
        periods=tuple(periods),
        generator=str(data.get("generator", GENERATOR)),
        algorithm=str(data.get("algorithm", ALGORITHM)),
        amendments=tuple(amendments),
        id=None if ident is None else str(ident),
    )
