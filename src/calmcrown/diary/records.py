"""What can be written to the diary, and the rules every entry must keep.

The same models check the command line, imports and the Python API, so a rule holds
everywhere or nowhere. A problem is reported with the field's name and a plain reason.
Text is stored as given and never interpreted, except for whitespace at its ends, which
is taken off (a text of only whitespace is not recorded): a medication of one tab, once
counted as a medication day on Today and not in Insights, is no medication anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from calmcrown.headache_kind import HeadacheFeatures, HeadacheTag, tag_headache

MAX_SESSION_SECONDS = 240 * 60
EARLIEST_DATE = dt.date(1900, 1, 1)
"""Nothing in the diary is older: an earlier year is a typo (0026 for 2026)."""
LONG_EPISODE_DAYS = 31
"""An episode longer than this is asked to be confirmed, and the analysis counts no more
of it: a headache that goes on for over a month is most often one whose end was never
recorded (chronic daily headache is recorded as one episode a day, not as one)."""
Outcome = Literal["completed", "ended_early", "stopped_by_screening"]
GivenBy = Literal["self", "partner", "practitioner"]
PressureName = Literal["light", "mild", "moderate"]
VerdictName = Literal["clear", "adapt", "see_doctor", "emergency"]
Helped = Literal["yes", "partly", "no"]


class EntryError(ValueError):
    """An entry breaks a rule; ``problems`` pairs each field with what is wrong."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {problem}" for field, problem in problems))


class LongEpisode(EntryError):
    """A headache longer than ``LONG_EPISODE_DAYS`` that was not confirmed: the person is
    asked for its end, or to confirm it (``long_confirmed``). ``ongoing`` says which."""

    def __init__(self, days: int, *, ongoing: bool) -> None:
        self.days = days
        self.ongoing = ongoing
        if ongoing:
            why = (
                f"this headache has been going for {days:,} days; give when it ended, "
                "or confirm it is still going"
            )
        else:
            why = (
                f"this headache lasted {days:,} days; check when it started and ended, "
                "or confirm it did last that long"
            )
        super().__init__([("ended_at", why)])


def _in_range(low: float, high: float, what: str = "a whole number") -> AfterValidator:
    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(f"must be {what} from {low:g} to {high:g}, not {_shown(value)}")
        return value

    return AfterValidator(check)


def _shown(value: float) -> str:
    try:
        return f"{value:g}"
    except OverflowError:  # an integer beyond any float, e.g. 400 digits from a file
        return "a number of more than 300 digits"


def _no_bool(value: object) -> object:
    # pydantic would read true as 1; a yes/no is never a score.
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    return value


TEXT_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""The characters taken off both ends of the person's text: exactly those Python's
``str.strip()`` takes off (tabs, line ends, non-breaking and other Unicode spaces).
Written out, not ``strip()`` with no argument, because the SQL that counts medication
days trims this same set (``queries.medication_given``), and the two must not drift."""


def normalised_text(value: str | None) -> str | None:
    """``value`` without whitespace at its ends; None (not recorded) when nothing else
    is left. What the diary keeps of a free text, and how an older row is read."""
    if value is None:
        return None
    return value.strip(TEXT_WHITESPACE) or None


def _normalised(value: object) -> object:
    # An empty text, a blank one and a missing one mean the same: nothing recorded.
    return normalised_text(value) if isinstance(value, str) else value


def is_free_text(model: type[BaseModel], name: str) -> bool:
    """Whether the field is the person's own words that the rules keep normalised (a
    medication, a note), as opposed to a tag, which is refused with spaces instead."""
    field = model.model_fields.get(name)
    return field is not None and any(
        getattr(check, "func", None) is _normalised for check in field.metadata
    )


def _keepable(value: str) -> str:
    """Text every diary can store. PostgreSQL cannot keep a NUL character in text:
    refused on SQLite too, so a diary exported from one imports into the other. The
    value itself is never repeated in the message: it may be health data. (Half of a
    UTF-16 pair, which no database can keep either, pydantic already refuses.)"""
    if "\x00" in value:
        raise ValueError("contains a NUL character, which a diary cannot keep")
    return value


def _tag(value: str) -> str:
    if value != value.strip():
        raise ValueError(f"{value!r} starts or ends with spaces")
    if ";" in value:
        raise ValueError(f"{value!r} contains ';', which separates items in CSV files")
    return value


def _naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        raise ValueError("give the local time without a time zone, like 2026-11-22 14:30")
    return value


def _naive_clock(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("give the local time without a time zone, like 21:00")
    return value


# The diary's times are local wall-clock times, as the person lived them: no offset is
# known, so none is claimed. JSON Schema's "date-time" and "time" formats require one, so
# the description says what the value is instead of naming a format it does not meet.
_LOCAL_TIME_SCHEMA = {
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?$",
    "description": "Local date and time, no offset (the time as it was where you were).",
    "examples": ["2026-11-01T10:00:00"],
}
_LOCAL_CLOCK_SCHEMA = {
    "type": "string",
    "pattern": "^[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?$",
    "description": "Local time of day, no offset.",
    "examples": ["21:00:00"],
}


NotBool = BeforeValidator(_no_bool)
Score = Annotated[int, NotBool, _in_range(0, 10)]
Intensity = Annotated[int, NotBool, _in_range(1, 10)]
Hours = Annotated[float, NotBool, _in_range(0, 24, "a number of hours")]
PhaseSeconds = Annotated[int, NotBool, _in_range(0, MAX_SESSION_SECONDS, "a number of seconds")]
Keepable = AfterValidator(_keepable)
FreeText = Annotated[str, Field(max_length=10_000), Keepable]
OptionalText = Annotated[FreeText | None, BeforeValidator(_normalised)]
Tag = Annotated[str, Field(min_length=1, max_length=100), Keepable, AfterValidator(_tag)]
LocalTime = Annotated[dt.datetime, AfterValidator(_naive), WithJsonSchema(_LOCAL_TIME_SCHEMA)]
LocalClock = Annotated[dt.time, AfterValidator(_naive_clock), WithJsonSchema(_LOCAL_CLOCK_SCHEMA)]


def _today(info: ValidationInfo) -> dt.date:
    context = info.context or {}
    today = context.get("today")
    return today if isinstance(today, dt.date) else dt.date.today()


def _not_future(day: dt.date, info: ValidationInfo) -> dt.date:
    latest = _today(info) + dt.timedelta(days=1)
    if day > latest:
        raise ValueError(f"{day.isoformat()} is in the future (latest allowed: {latest})")
    return day


def _plausible(day: dt.date, info: ValidationInfo) -> dt.date:
    """A date from 1900 to one day ahead of today (time zones): outside that, a typo."""
    if day < EARLIEST_DATE:
        raise ValueError(f"{day.isoformat()} is before {EARLIEST_DATE.year}; a typo?")
    return _not_future(day, info)


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DayEntry(Entry):
    """One day: whether there was a headache and how bad it was at worst."""

    date: dt.date
    intensity: Score
    """Worst headache intensity, 0 = no headache, 1-10 otherwise."""
    hours: Hours | None = None
    medication: OptionalText = None
    """Acute medication taken that day, name and dose, as the person wrote it."""
    sleep: Score | None = None
    stress: Score | None = None
    notes: OptionalText = None

    _date_plausible = field_validator("date")(_plausible)


class HeadacheEntry(Entry):
    """One headache episode; one that lasts several days is one episode across them."""

    started_at: LocalTime
    ended_at: LocalTime | None = None
    """None while the headache is still going on."""
    peak: Intensity | None = None
    side: Literal["left", "right", "both"] | None = None
    quality: Literal["pressing", "pulsating"] | None = None
    worse_with_activity: bool | None = None
    nausea: bool | None = None
    vomiting: bool | None = None
    light_sensitivity: bool | None = None
    sound_sensitivity: bool | None = None
    aura: bool | None = None
    location: list[Tag] = Field(default_factory=list)
    triggers: list[Tag] = Field(default_factory=list)
    medication: OptionalText = None
    medication_helped: Helped | None = None
    """Whether the medication helped two hours after it was taken, as the person felt it."""
    notes: OptionalText = None

    @field_validator("started_at", "ended_at")
    @classmethod
    def _time_plausible(
        cls, moment: dt.datetime | None, info: ValidationInfo
    ) -> dt.datetime | None:
        if moment is not None:
            _plausible(moment.date(), info)
        return moment

    @model_validator(mode="after")
    def _ends_after_start(self) -> HeadacheEntry:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise ValueError("ended_at: the end is before the start")
        return self

    @property
    def ongoing(self) -> bool:
        return self.ended_at is None


def _doctor_check(text: str) -> str:
    flag, colon, date = text.partition(":")
    try:
        checked_on = dt.date.fromisoformat(date)
    except ValueError:
        checked_on = None
    if not (flag and colon and checked_on):
        raise ValueError(
            f"{text!r} is not a flag and the date of its check, like medication_overuse:2026-10-02"
        )
    return f"{_tag(flag)}:{checked_on.isoformat()}"


DoctorCheck = Annotated[
    str, Field(min_length=1, max_length=120), Keepable, AfterValidator(_doctor_check)
]
"""A lasting condition and the day a doctor checked it: ``flag:YYYY-MM-DD``."""


class SessionEntry(Entry):
    """One massage session, as guided or as remembered afterwards."""

    date: dt.date
    time: LocalClock | None = None
    routine: Tag
    given_by: GivenBy = "self"
    seconds: PhaseSeconds
    """How long the session actually lasted."""
    planned_settle_s: PhaseSeconds | None = None
    planned_practice_s: PhaseSeconds | None = None
    planned_after_s: PhaseSeconds | None = None
    actual_settle_s: PhaseSeconds | None = None
    actual_practice_s: PhaseSeconds | None = None
    actual_after_s: PhaseSeconds | None = None
    pressure: PressureName | None = None
    oil: bool | None = None
    pain_before: Score | None = None
    pain_after: Score | None = None
    tension_before: Score | None = None
    tension_after: Score | None = None
    outcome: Outcome = "completed"
    verdict: VerdictName | None = None
    reasons: list[Tag] = Field(default_factory=list)
    """The screening flags answered yes before the session."""
    doctor_checks: list[DoctorCheck] = Field(default_factory=list)
    """Lasting conditions among the reasons that a doctor had checked, as ``flag:date``."""
    notes: OptionalText = None

    _date_plausible = field_validator("date")(_plausible)

    @field_validator("routine")
    @classmethod
    def _known_routine(cls, routine: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("routines")
        if known is not None and routine not in known:
            raise ValueError(f"unknown routine {routine!r}; known: {', '.join(sorted(known))}")
        return routine

    @property
    def minutes(self) -> float:
        return self.seconds / 60


EntryType = TypeVar("EntryType", bound=Entry)


def session_seconds(minutes: object) -> int:
    """Seconds from a session's length in minutes: 0 to 240, whatever its outcome.

    The rule is the one ``SessionEntry.seconds`` keeps, so every saved session can be
    edited and its export imported back. A session may really have lasted under a minute:
    the guide records the seconds it ran, and a session whose every step was skipped is
    saved as 0 seconds, completed (the analysis counts sessions under 5 minutes as cut
    short).
    """
    try:
        value = float(str(minutes))
    except ValueError:
        raise EntryError([("minutes", f"{minutes!r} is not a number of minutes")]) from None
    if not 0 <= value <= MAX_SESSION_SECONDS / 60:
        raise EntryError([("minutes", f"must be from 0 to 240, not {value:g}")])
    return round(value * 60)


def stopped_by_check(
    routine: str,
    verdict: str,
    reasons: Sequence[str],
    now: dt.datetime,
    doctor_checks: Sequence[str] = (),
) -> dict[str, Any]:
    """The session the diary keeps when the safety check stops one: no time spent, the
    verdict and the answers, which are also what the next check starts from."""
    return {
        "date": now.date(),
        "time": now.time().replace(second=0, microsecond=0),
        "routine": routine,
        "seconds": 0,
        "outcome": "stopped_by_screening",
        "verdict": verdict,
        "reasons": list(reasons),
        "doctor_checks": list(doctor_checks),
    }


def validate_entry(
    model: type[EntryType],
    data: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    routines: frozenset[str] | None = None,
    long_confirmed: bool = False,
) -> EntryType:
    """``data`` checked against ``model``; every broken rule is listed in the error.

    A headache longer than ``LONG_EPISODE_DAYS`` (still going, or from start to end) is
    a ``LongEpisode`` unless ``long_confirmed``: asked once, after every other rule holds.
    """
    day = today or dt.date.today()
    context: dict[str, Any] = {"today": day}
    if routines is not None:
        context["routines"] = routines
    try:
        entry = model.model_validate(dict(data), context=context)
    except ValidationError as error:
        raise EntryError(_problems(error)) from None
    if isinstance(entry, HeadacheEntry) and not long_confirmed:
        check_length(entry, day)
    return entry


def check_edited_length(before: Entry, after: Entry, today: dt.date) -> None:
    """``check_length`` for an edit, only when a headache's times change: a note added to a
    long headache the person confirmed, or to one that has simply gone on since, is
    saved as it is."""
    if not (isinstance(before, HeadacheEntry) and isinstance(after, HeadacheEntry)):
        return
    if (after.started_at, after.ended_at) != (before.started_at, before.ended_at):
        check_length(after, today)


def check_length(entry: HeadacheEntry, today: dt.date) -> None:
    """``LongEpisode`` if the headache has gone on for more than ``LONG_EPISODE_DAYS``
    whole days: from its start to its end, or to ``today`` while it goes on."""
    end = entry.ended_at
    days = (today - entry.started_at.date()).days if end is None else (end - entry.started_at).days
    if days > LONG_EPISODE_DAYS:
        raise LongEpisode(days, ongoing=end is None)


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for detail in error.errors():
        field = ".".join(str(part) for part in detail["loc"]) or "entry"
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown field"
        elif detail["type"] == "missing" or (
            detail.get("input") is None and detail["type"].endswith("_type")
        ):
            message = "required"
        if ": " in message and field == "entry":
            field, message = message.split(": ", 1)
        problems.append((field, message))
    return problems


def headache_features(entry: HeadacheEntry, now: dt.datetime | None = None) -> HeadacheFeatures:
    """What the ICHD-3 tagging needs from an episode; an ongoing one counts up to ``now``."""
    end = entry.ended_at or now
    hours = (end - entry.started_at).total_seconds() / 3600 if end is not None else None
    return HeadacheFeatures(
        duration_hours=max(0.0, hours) if hours is not None else None,
        ongoing=entry.ongoing,
        peak=entry.peak,
        side=entry.side,
        quality=entry.quality,
        worse_with_activity=entry.worse_with_activity,
        nausea=entry.nausea,
        vomiting=entry.vomiting,
        light_sensitivity=entry.light_sensitivity,
        sound_sensitivity=entry.sound_sensitivity,
        aura=entry.aura,
    )


def headache_tag(entry: HeadacheEntry, now: dt.datetime) -> HeadacheTag:
    """The ICHD-3 tag of an episode as of ``now`` (a tag, never a diagnosis)."""
    return tag_headache(headache_features(entry, now))


def episode_dates(
    entry: HeadacheEntry, now: dt.datetime, since: dt.date, until: dt.date
) -> list[dt.date]:
    """The dates from ``since`` to ``until`` that an episode covers; an ongoing one runs
    up to ``now``. Each of them is a headache day."""
    end = entry.ended_at or now
    # An episode that ends at midnight does not reach into the day that only begins then.
    if end.time() == dt.time() and end > entry.started_at:
        end -= dt.timedelta(microseconds=1)
    last = min(end.date(), until)
    first = max(entry.started_at.date(), since)
    # By ordinal, so that a range ending on the last date there is does not overflow.
    return [dt.date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
