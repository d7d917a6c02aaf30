"""Turn a person's answers into a verdict: emergency, see_doctor, adapt or clear.

The rules, their words and their sources live in ``content/safety.toml``; this module only
combines them. The most severe verdict wins, every reason is kept, and an answer the rules
do not know is an error: a safety check must never quietly ignore what it was told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from calmcrown.catalog.models import Flag, Pressure, Region, SafetyRules, Verdict

MAX_AGE = 120
DOCTOR_CHECK_DAYS = 365
"""A doctor's check of a lasting condition counts for a year; then it is asked again."""


class AnswersError(ValueError):
    """The answers cannot be screened; the message names what is wrong."""


@dataclass(frozen=True)
class Answers:
    flags: frozenset[str]
    age: int | None = None
    doctor_checked: Mapping[str, dt.date] = field(default_factory=dict)
    """Lasting conditions a doctor has checked and cleared for massage, with the date."""


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
    checked_on: dt.date | None = None
    """When a doctor checked this lasting condition, if that check is why it did not stop."""


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

    @property
    def doctor_checked(self) -> dict[str, dt.date]:
        """The lasting conditions answered yes that a doctor's check let go ahead."""
        return {r.flag: r.checked_on for r in self.reasons if r.checked_on is not None}

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
                    "checked_on": reason.checked_on.isoformat() if reason.checked_on else None,
                }
                for reason in self.reasons
            ],
            "adaptations": self.adaptations.to_dict(),
            "advice": self.advice,
        }


def screen(rules: SafetyRules, answers: Answers, today: dt.date | None = None) -> Screening:
    """The verdict for these answers, with every reason and the merged adaptations.

    A lasting condition a doctor checked within the last year counts as that check says
    (``once_checked``); an older check is named in the message and does not count.
    """
    unknown = sorted((answers.flags | answers.doctor_checked.keys()) - rules.flags.keys())
    if unknown:
        raise AnswersError(f"unknown flag {', '.join(map(repr, unknown))}")
    today = today or dt.date.today()
    _check_doctor_checks(rules, answers.doctor_checked, today)
    raised: list[tuple[Flag, dt.date | None]] = []
    for flag in rules.flags.values():
        if flag.id not in answers.flags:
            continue
        checked_on = answers.doctor_checked.get(flag.id)
        if checked_on is None:
            raised.append((flag, None))
        elif (today - checked_on).days <= DOCTOR_CHECK_DAYS:
            raised.append((flag.cleared(), checked_on))
        else:
            stale = (
                f" The doctor's check you noted, on {checked_on.isoformat()}, was over a "
                "year ago: ask them again."
            )
            raised.append((flag.model_copy(update={"message": flag.message + stale}), None))
    raised.sort(key=lambda pair: -pair[0].level.severity)  # stable: file order within a level
    verdict = raised[0][0].level if raised else Verdict.CLEAR
    adaptations = Adaptations()
    for flag, _ in raised:
        if flag.level is Verdict.ADAPT:
            adaptations = adaptations.merge(flag)
    words = rules.verdicts[verdict]
    return Screening(
        verdict=verdict,
        title=words.title,
        advice=words.advice,
        reasons=tuple(
            Reason(flag.id, flag.level, flag.message, flag.source, checked_on)
            for flag, checked_on in raised
        ),
        adaptations=adaptations,
    )


def _check_doctor_checks(rules: SafetyRules, checks: Mapping[str, dt.date], today: dt.date) -> None:
    for flag_id, checked_on in sorted(checks.items()):
        if rules.flags[flag_id].once_checked is None:
            raise AnswersError(
                f"doctor_checked: {flag_id!r} is about today's headache, so an earlier "
                "check cannot clear it; only a lasting condition can"
            )
        if checked_on > today:
            raise AnswersError(
                f"doctor_checked: {flag_id!r} has the date {checked_on.isoformat()}, "
                "which is after today"
            )


def questions(rules: SafetyRules, age: int | None = None) -> list[Flag]:
    """The questions to ask, most urgent first; age-bound ones only when they can apply."""
    asked = [flag for flag in rules.flags.values() if age is None or age >= (flag.min_age or 0)]
    return sorted(asked, key=lambda flag: -flag.level.severity)


@dataclass(frozen=True)
class QuestionGroup:
    key: str
    title: str
    hint: str
    flags: tuple[Flag, ...]
    remembered: bool = False
    """Lasting conditions: the answers of the last check are offered again."""


def question_groups(rules: SafetyRules, age: int | None = None) -> list[QuestionGroup]:
    """The questions in the groups they are asked in, most urgent first: right now (an
    emergency), about this headache (see a doctor), lasting conditions, and today's
    changes. Each group is answered on its own, "none of these" included.

    The lasting conditions have their own group, so what is remembered from the last check
    is kept apart from what is asked afresh, and the date of a doctor's check is asked only
    under the questions it applies to.
    """
    asked = questions(rules, age)

    def of(level: Verdict | None, lasting: bool) -> tuple[Flag, ...]:
        return tuple(
            f for f in asked if f.lasting is lasting and (level is None or f.level is level)
        )

    groups = [
        QuestionGroup("now", "Right now, is any of this true?", "", of(Verdict.EMERGENCY, False)),
        QuestionGroup(
            "headache", "About this headache, is any of this true?", "",
            of(Verdict.SEE_DOCTOR, False),
        ),
        QuestionGroup(
            "lasting", "About you, is any of this true?",
            "These last, so your answers are kept for the next check.", of(None, True),
            remembered=True,
        ),
        QuestionGroup("today", "Today, does any of this apply?", "", of(Verdict.ADAPT, False)),
    ]  # fmt: skip
    return [group for group in groups if group.flags]


class UnansweredGroup(AnswersError):
    """A group of questions got neither a yes nor "none of these": it is not a no."""


def check_every_group_answered(
    groups: Sequence[QuestionGroup], raised: Iterable[str], none_of: Iterable[str]
) -> None:
    """Refuse answers that leave a group unanswered, naming the first such group."""
    raised, none_of = set(raised), set(none_of)
    for group in groups:
        yes = {flag.id for flag in group.flags} & raised
        if yes and group.key in none_of:
            raise AnswersError(f"{group.title} has both yes answers and 'none of these'")
        if not yes and group.key not in none_of:
            raise UnansweredGroup(
                f"{group.title} is not answered yet: tick what applies, or 'None of these'"
            )


def parse_answers(data: object) -> Answers:
    """Answers from decoded JSON of the form ``{"flags": [ids], "age": optional int,
    "doctor_checked": optional {id: "YYYY-MM-DD"}}``."""
    if not isinstance(data, Mapping):
        raise AnswersError('expected an object like {"flags": [...], "age": 42}')
    extra = sorted(set(data) - {"flags", "age", "doctor_checked"})
    if extra:
        raise AnswersError(f"unexpected key {extra[0]!r} (allowed: flags, age, doctor_checked)")
    if "flags" not in data:
        raise AnswersError('"flags" is missing (use [] when nothing applies)')
    flags = data["flags"]
    if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
        raise AnswersError('"flags" must be a list of flag ids')
    return Answers(
        flags=frozenset(flags),
        age=_parse_age(data.get("age")),
        doctor_checked=parse_doctor_checks(data.get("doctor_checked") or {}),
    )


def parse_doctor_checks(data: object) -> dict[str, dt.date]:
    """``{flag id: "YYYY-MM-DD"}``: when a doctor checked each lasting condition."""
    if not isinstance(data, Mapping):
        raise AnswersError('"doctor_checked" must be an object like {"flag": "2026-10-02"}')
    checks: dict[str, dt.date] = {}
    for flag_id, text in data.items():
        try:
            checks[str(flag_id)] = dt.date.fromisoformat(str(text))
        except ValueError:
            raise AnswersError(
                f"doctor_checked: {flag_id!r} needs a date like 2026-10-02, not {text!r}"
            ) from None
    return checks


def _parse_age(age: object) -> int | None:
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE:
        raise AnswersError(f'"age" must be a whole number from 0 to {MAX_AGE}, not {age!r}')
    return age


def doctor_check_tags(checks: Mapping[str, dt.date]) -> list[str]:
    """The checks as the diary keeps them with a session: ``flag:YYYY-MM-DD``."""
    return [f"{flag}:{checked_on.isoformat()}" for flag, checked_on in sorted(checks.items())]


def read_doctor_checks(tags: Sequence[str]) -> dict[str, dt.date]:
    """The checks a session recorded, by flag: what the next safety check starts from."""
    checks: dict[str, dt.date] = {}
    for tag in tags:
        flag, _, date = tag.partition(":")
        checks[flag] = dt.date.fromisoformat(date)
    return checks


def answers_from_flags(
    flags: Iterable[str],
    age: int | None = None,
    doctor_checked: Mapping[str, dt.date] | None = None,
) -> Answers:
    return Answers(frozenset(flags), _parse_age(age), dict(doctor_checked or {}))
