"""The shapes of calmcrown's content, validated strictly.

Every model forbids unknown keys, so a misspelt key in a TOML file is an error that
names the key rather than a setting that silently does nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(StrEnum):
    SCALP = "scalp"
    TEMPLES = "temples"
    FOREHEAD = "forehead"
    OCCIPITAL_RIDGE = "occipital_ridge"
    NECK_SHOULDERS = "neck_shoulders"
    FACE_JAW = "face_jaw"
    FEET = "feet"

    @property
    def label(self) -> str:
        return _REGION_LABELS[self]


_REGION_LABELS = {
    Region.SCALP: "scalp",
    Region.TEMPLES: "temples",
    Region.FOREHEAD: "forehead",
    Region.OCCIPITAL_RIDGE: "base of the skull",
    Region.NECK_SHOULDERS: "neck and shoulders",
    Region.FACE_JAW: "face and jaw",
    Region.FEET: "feet",
}


class Pressure(StrEnum):
    """How firmly to press, from lightest to firmest; comparisons follow that order."""

    LIGHT = "light"
    MILD = "mild"
    MODERATE = "moderate"

    @property
    def rank(self) -> int:
        return _PRESSURE_ORDER.index(self)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Pressure):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Pressure):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Pressure):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Pressure):
            return NotImplemented
        return self.rank >= other.rank


_PRESSURE_ORDER = [Pressure.LIGHT, Pressure.MILD, Pressure.MODERATE]


class Audience(StrEnum):
    SELF = "self"
    PARTNER = "partner"
    PRACTITIONER = "practitioner"


class PhaseName(StrEnum):
    SETTLE = "settle"
    PRACTICE = "practice"
    AFTER = "after"


PHASES = (PhaseName.SETTLE, PhaseName.PRACTICE, PhaseName.AFTER)


class Source(Strict):
    """Where a fact comes from, and how far it can be trusted."""

    id: Identifier
    kind: Literal["seed", "study", "review", "guideline", "case_report", "tradition", "practice"]
    citation: Text
    finding: Text
    verified: bool


class Technique(Strict):
    """A massage movement on one body region."""

    id: Identifier
    name: Text
    region: Region
    steps: list[Text] = Field(min_length=1)
    pressure: tuple[Pressure, Pressure]
    usual_seconds: int = Field(gt=0, le=1800)
    min_seconds: int = Field(gt=0, le=1800)
    max_seconds: int = Field(gt=0, le=600)
    """The longest this technique is done without a break; the planner never exceeds it."""
    hold: bool = False
    """Sustained pressure on one spot: never planned twice in a row on the same region."""
    both_sides: bool
    cautions: list[Text] = Field(default_factory=list)
    source: Identifier
    evidence: Text
    tradition: bool = False
    pregnancy_avoid: bool = False
    figure: Identifier | None = None
    """The figure that shows it (content/figures/<id>.svg); by default its own id."""

    @model_validator(mode="after")
    def _check_ranges(self) -> Technique:
        if self.min_seconds > self.usual_seconds:
            raise ValueError(
                f"min_seconds ({self.min_seconds}) is longer than usual_seconds "
                f"({self.usual_seconds})"
            )
        # Twice the minimum at least, so a repeated round can always be timed in between.
        if self.max_seconds < max(self.usual_seconds, 2 * self.min_seconds):
            raise ValueError(
                f"max_seconds ({self.max_seconds}) is shorter than usual_seconds "
                f"({self.usual_seconds}) or twice min_seconds ({self.min_seconds})"
            )
        low, high = self.pressure
        if low > high:
            raise ValueError(f"pressure range runs backwards: {low} is firmer than {high}")
        return self

    @property
    def lightest(self) -> Pressure:
        return self.pressure[0]

    @property
    def firmest(self) -> Pressure:
        return self.pressure[1]


class Rest(Strict):
    """A step without touch: settling in, breathing, sitting with the after."""

    id: Identifier
    name: Text
    steps: list[Text] = Field(min_length=1)
    source: Identifier
    max_seconds: int | None = Field(default=None, gt=0, le=600)
    """None: the rest may stretch as far as its phase needs."""
    figure: Identifier | None = None
    """A figure for a rest that involves the body (a warm towel on the neck)."""


class Step(Strict):
    """One step of a routine: a technique or a rest, for a number of seconds."""

    do: Identifier
    seconds: int = Field(gt=0, le=3600)
    pressure: Pressure | None = None
    priority: int = Field(default=2, ge=1, le=5)
    """1 is kept longest when time is short; 5 is dropped first."""


class Routine(Strict):
    id: Identifier
    title: Text
    minutes: int = Field(ge=1, le=60)
    min_minutes: int | None = Field(default=None, ge=1, le=60)
    max_minutes: int | None = Field(default=None, ge=1, le=60)
    audience: Audience
    summary: Text
    source: Identifier
    oil: bool = False
    setup: list[Text] = Field(default_factory=list)
    """Before starting: where to sit or lie, where the partner is, what to take off."""
    position: Identifier | None = None
    """The figure of the position (content/figures/<id>.svg)."""
    settle: list[Step] = Field(min_length=1)
    practice: list[Step] = Field(min_length=1)
    after: list[Step] = Field(min_length=1)

    def phase(self, name: PhaseName) -> list[Step]:
        return {
            PhaseName.SETTLE: self.settle,
            PhaseName.PRACTICE: self.practice,
            PhaseName.AFTER: self.after,
        }[name]

    def phase_seconds(self, name: PhaseName) -> int:
        return sum(step.seconds for step in self.phase(name))

    @property
    def total_seconds(self) -> int:
        return sum(self.phase_seconds(name) for name in PHASES)

    @property
    def shortest_minutes(self) -> int:
        """The fewest minutes this routine squeezes into and still stays itself."""
        return self.min_minutes or max(5, -(-self.minutes // 2))

    @property
    def longest_minutes(self) -> int:
        """The most minutes this routine stretches to before its steps drag."""
        return self.max_minutes or min(60, 3 * self.minutes)


class PressureWords(Strict):
    """What a pressure word means, in things a person can feel."""

    id: Pressure
    grams: Text
    feel: Text


# Tip topics with their headings, in the order a beginner needs them: hands first.
TIP_TOPICS = {
    "hands": "Your hands",
    "setting": "The room",
    "partner": "With a partner",
    "self": "Looking after yourself",
    "tools": "Tools",
    "heat_cold": "Heat and cold",
    "habits": "Alongside massage",
    "aftercare": "Afterwards",
}


class Tip(Strict):
    id: Identifier
    topic: Literal[
        "hands", "partner", "setting", "self", "tools", "heat_cold", "habits", "aftercare"
    ]
    text: Text
    source: Identifier


class OilNote(Strict):
    id: Identifier
    kind: Literal["carrier", "essential", "guidance"]
    name: Text
    points: list[Text] = Field(min_length=1)
    source: Identifier


class Verdict(StrEnum):
    """Screening outcomes, from least to most severe."""

    CLEAR = "clear"
    ADAPT = "adapt"
    SEE_DOCTOR = "see_doctor"
    EMERGENCY = "emergency"

    @property
    def severity(self) -> int:
        return list(Verdict).index(self)


class VerdictText(Strict):
    title: Text
    advice: Text


class OnceChecked(Strict):
    """What a yes to a lasting condition means once a doctor has checked it and cleared
    massage: the session goes ahead, with these changes and this message."""

    message: Text
    max_pressure: Pressure | None = None
    exclude_regions: list[Region] = Field(default_factory=list)


class Flag(Strict):
    """A screening question and what a yes to it means."""

    id: Identifier
    level: Literal[Verdict.ADAPT, Verdict.SEE_DOCTOR, Verdict.EMERGENCY]
    question: Text
    message: Text
    source: Identifier
    min_age: int | None = Field(default=None, ge=0, le=120)
    exclude_regions: list[Region] = Field(default_factory=list)
    max_pressure: Pressure | None = None
    no_oil: bool = False
    no_nut_oil: bool = False
    skip_pregnancy_points: bool = False
    max_minutes: int | None = Field(default=None, ge=1, le=60)
    lasting: bool = False
    """About a lasting condition, not today: remembered from the last check; a see-doctor
    one may already have been checked by a doctor (``once_checked``)."""
    short: Text | None = None
    """A lasting condition in a few words, for "as you answered last time: ..."."""
    once_checked: OnceChecked | None = None

    @model_validator(mode="after")
    def _adaptations_only_when_adapting(self) -> Flag:
        adapts = bool(
            self.exclude_regions
            or self.max_pressure
            or self.no_oil
            or self.no_nut_oil
            or self.skip_pregnancy_points
            or self.max_minutes
        )
        if self.level is Verdict.ADAPT and not adapts:
            raise ValueError("an adapt flag must change something (regions, pressure, oil, ...)")
        if self.level is not Verdict.ADAPT and adapts:
            raise ValueError(f"a {self.level} flag stops the session; it cannot adapt it")
        if self.lasting is (self.short is None):
            raise ValueError("a lasting flag, and only one, has short words for what it asks")
        if self.lasting and self.level is Verdict.EMERGENCY:
            raise ValueError("an emergency is about right now; it cannot be lasting")
        stops_until_checked = self.lasting and self.level is Verdict.SEE_DOCTOR
        if stops_until_checked and self.once_checked is None:
            raise ValueError("a lasting flag needs once_checked: what a doctor's check changes")
        if self.once_checked is not None and not stops_until_checked:
            raise ValueError("only a lasting see-doctor flag can be cleared by a doctor's check")
        return self

    def cleared(self) -> Flag:
        """This flag once a doctor has checked the condition: it adapts the session, or
        only informs when its check changes nothing."""
        if self.once_checked is None:
            raise ValueError(f"{self.id} is not a lasting condition a doctor can clear")
        checked = self.once_checked
        adapts = bool(checked.max_pressure or checked.exclude_regions)
        return self.model_copy(
            update={
                "level": Verdict.ADAPT if adapts else Verdict.CLEAR,
                "message": checked.message,
                "max_pressure": checked.max_pressure,
                "exclude_regions": list(checked.exclude_regions),
            }
        )


class SafetyRules(Strict):
    verdicts: dict[Verdict, VerdictText]
    stop_if: Text
    """Shown throughout every session: when to stop at once."""
    flags: dict[Identifier, Flag]

    @model_validator(mode="after")
    def _every_verdict_explained(self) -> SafetyRules:
        missing = [v.value for v in Verdict if v not in self.verdicts]
        if missing:
            raise ValueError(f"verdicts without words for the person: {', '.join(missing)}")
        return self
