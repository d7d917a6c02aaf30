"""Turn a person's answers into a verdict: emergency, see_doctor, adapt or clear.

The rules, their words and their sources live in ``content/safety.toml``; this module only
combines them. The most severe verdict wins, every reason is kept, and an answer the rules
do not know is an error: a safety check must never quietly ignore what it was told.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from calmcrown.catalog.models import Flag, Pressure, Region, SafetyRules, Verdict

MAX_AGE = 120


class AnswersError(ValueError):
    """The answers cannot be screened; the message names what is wrong."""


@dataclass(frozen=True)
class Answers:
    flags: frozenset[str]
    age: int | None = None


@dataclass(frozen=True)
class Adaptations:
    """What a session must change to stay safe. The default changes nothing."""

    excluded_regions: frozenset[Region] = frozenset()
    max_pressure: Pressure = Pressure.MODERATE
    no_oil: bool = False
    no_nut_oil: bool = False
    skip_pregnancy_points: bool = False
    max_minutes: int | None = None

    def merge(self, flag: Flag) -> Adaptations:
        """These adaptations tightened by one flag's: every limit keeps the stricter value."""
        max_minutes = self.max_minutes
        if flag.max_minutes is not None:
            max_minutes = min(max_minutes or flag.max_minutes, flag.max_minutes)
        return Adaptations(
            excluded_regions=self.excluded_regions | frozenset(flag.exclude_regions),
            max_pressure=min(self.max_pressure, flag.max_pressure or Pressure.MODERATE),
            no_oil=self.no_oil or flag.no_oil,
            no_nut_oil=self.no_nut_oil or flag.no_nut_oil,
            skip_pregnancy_points=self.skip_pregnancy_points or flag.skip_pregnancy_points,
            max_minutes=max_minutes,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "excluded_regions": sorted(region.value for region in self.excluded_regions),
            "max_pressure": self.max_pressure.value,
            "no_oil": self.no_oil,
            "no_nut_oil": self.no_nut_oil,
            "skip_pregnancy_points": self.skip_pregnancy_points,
            "max_minutes": self.max_minutes,
        }


@dataclass(frozen=True)
class Reason:
    flag: str
    level: Verdict
    message: str
    source: str


@dataclass(frozen=True)
class Screening:
    verdict: Verdict
    title: str
    advice: str
    reasons: tuple[Reason, ...] = ()
    adaptations: Adaptations = field(default_factory=Adaptations)

    @property
    def allows_session(self) -> bool:
        return self.verdict in (Verdict.CLEAR, Verdict.ADAPT)

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "title": self.title,
            "reasons": [
                {
                    "flag": reason.flag,
                    "level": reason.level.value,
                    "message": reason.message,
                    "source": reason.source,
                }
                for reason in self.reasons
            ],
            "adaptations": self.adaptations.to_dict(),
            "advice": self.advice,
        }


def screen(rules: SafetyRules, answers: Answers) -> Screening:
    """The verdict for these answers, with every reason and the merged adaptations."""
    unknown = sorted(answers.flags - rules.flags.keys())
    if unknown:
        raise AnswersError(f"unknown flag {', '.join(map(repr, unknown))}")
    raised = [flag for flag in rules.flags.values() if flag.id in answers.flags]
    raised.sort(key=lambda flag: -flag.level.severity)  # stable: file order within a level
    verdict = raised[0].level if raised else Verdict.CLEAR
    adaptations = Adaptations()
    for flag in raised:
        if flag.level is Verdict.ADAPT:
            adaptations = adaptations.merge(flag)
    words = rules.verdicts[verdict]
    return Screening(
        verdict=verdict,
        title=words.title,
        advice=words.advice,
        reasons=tuple(Reason(flag.id, flag.level, flag.message, flag.source) for flag in raised),
        adaptations=adaptations,
    )


def questions(rules: SafetyRules, age: int | None = None) -> list[Flag]:
    """The questions to ask, most urgent first; age-bound ones only when they can apply."""
    asked = [flag for flag in rules.flags.values() if age is None or age >= (flag.min_age or 0)]
    return sorted(asked, key=lambda flag: -flag.level.severity)


@dataclass(frozen=True)
class QuestionGroup:
    title: str
    hint: str
    flags: tuple[Flag, ...]


def question_groups(rules: SafetyRules, age: int | None = None) -> list[QuestionGroup]:
    """The questions in the groups they are asked in, most urgent first.

    The see-doctor questions come in two groups: about this headache, then about lasting
    conditions, so the hint that a condition a doctor has already checked does not count
    sits only over the questions it applies to.
    """
    asked = questions(rules, age)
    groups = [
        ("Right now, is any of this true?", "", Verdict.EMERGENCY, False),
        ("About this headache, is any of this true?", "", Verdict.SEE_DOCTOR, False),
        (
            "Is any of this true of you?",
            "A lasting condition that a doctor has already checked and cleared for massage "
            "does not count.",
            Verdict.SEE_DOCTOR,
            True,
        ),
        ("Does any of this apply today?", "", Verdict.ADAPT, False),
    ]
    return [
        QuestionGroup(title, hint, flags)
        for title, hint, level, lasting in groups
        if (
            flags := tuple(
                f
                for f in asked
                if f.level is level and (level is not Verdict.SEE_DOCTOR or f.lasting is lasting)
            )
        )
    ]


def parse_answers(data: object) -> Answers:
    """Answers from decoded JSON of the form ``{"flags": [ids], "age": optional int}``."""
    if not isinstance(data, Mapping):
        raise AnswersError('expected an object like {"flags": [...], "age": 42}')
    extra = sorted(set(data) - {"flags", "age"})
    if extra:
        raise AnswersError(f"unexpected key {extra[0]!r} (allowed: flags, age)")
    if "flags" not in data:
        raise AnswersError('"flags" is missing (use [] when nothing applies)')
    flags = data["flags"]
    if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
        raise AnswersError('"flags" must be a list of flag ids')
    return Answers(flags=frozenset(flags), age=_parse_age(data.get("age")))


def _parse_age(age: object) -> int | None:
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE:
        raise AnswersError(f'"age" must be a whole number from 0 to {MAX_AGE}, not {age!r}')
    return age


def answers_from_flags(flags: Iterable[str], age: int | None = None) -> Answers:
    return Answers(frozenset(flags), _parse_age(age))
