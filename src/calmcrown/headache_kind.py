"""Tag a recorded headache episode as tension-like, migraine-like or unclear.

The rules follow the ICHD-3 criteria for tension-type headache and migraine (Headache
Classification Committee of the IHS, Cephalalgia 2018;38(1):1-211), as summarised in the
project's clinical notes. The tag helps a person see patterns in their own diary; it is
never a diagnosis, and the sentence shown with it says so.

A feature that was not recorded (None) counts neither for nor against a criterion: people
fill in the diary during an attack and skip what they can, and a gap must not be read as
"no". When too little is recorded to meet either set of criteria, the tag is "unclear".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

# ICHD grades pain as mild, moderate or severe, while the diary records the worst pain on a
# 1-10 scale. The usual mapping of a 0-10 scale onto those grades: 1-3 mild, 4-6 moderate,
# 7-10 severe. Moderate counts for both kinds, as it does in ICHD-3.
MILD_MAX = 3
MODERATE_MAX = 6
PEAK_MIN = 1
PEAK_MAX = 10

_SIDES = ("left", "right", "both")
_QUALITIES = ("pressing", "pulsating")
_YES_NO_FIELDS = (
    "worse_with_activity",
    "nausea",
    "vomiting",
    "light_sensitivity",
    "sound_sensitivity",
    "aura",
)


class HeadacheTag(StrEnum):
    TENSION_LIKE = "tension-like"
    MIGRAINE_LIKE = "migraine-like"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class HeadacheFeatures:
    duration_hours: float | None  # None when still ongoing and unknown, or not recorded
    ongoing: bool  # True when the episode has not ended yet
    peak: int | None  # 1-10 worst intensity; None if not recorded
    side: Literal["left", "right", "both"] | None
    quality: Literal["pressing", "pulsating"] | None
    worse_with_activity: bool | None
    nausea: bool | None
    vomiting: bool | None
    light_sensitivity: bool | None
    sound_sensitivity: bool | None
    aura: bool | None

    def __post_init__(self) -> None:
        # Values may come from a form or an import, where neither Literal nor bool is
        # enforced. A wrong value must fail loudly and name its field: read leniently,
        # "yes" or "middle" would quietly count as "not recorded" and change the tag.
        hours = self.duration_hours
        if hours is not None and (
            isinstance(hours, bool)
            or not isinstance(hours, int | float)
            or not math.isfinite(hours)
            or hours < 0
        ):
            raise ValueError(f"duration_hours must be a number of hours, 0 or more; got {hours!r}")
        if not isinstance(self.ongoing, bool):
            raise ValueError(f"ongoing must be True or False; got {self.ongoing!r}")
        if self.peak is not None and (
            isinstance(self.peak, bool)
            or not isinstance(self.peak, int)
            or not PEAK_MIN <= self.peak <= PEAK_MAX
        ):
            raise ValueError(
                f"peak must be a whole number from {PEAK_MIN} to {PEAK_MAX}; got {self.peak!r}"
            )
        if self.side is not None and self.side not in _SIDES:
            raise ValueError(f"side must be one of {', '.join(_SIDES)}; got {self.side!r}")
        if self.quality is not None and self.quality not in _QUALITIES:
            raise ValueError(
                f"quality must be one of {', '.join(_QUALITIES)}; got {self.quality!r}"
            )
        for name in _YES_NO_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{name} must be True, False or None; got {value!r}")


@dataclass(frozen=True)
class _Span:
    """The range of durations, in hours, a kind of headache allows, with words for each end."""

    low: float
    high: float
    low_words: str
    high_words: str


TENSION_SPAN = _Span(0.5, 168.0, "30 minutes", "7 days")
MIGRAINE_SPAN = _Span(4.0, 72.0, "4 hours", "72 hours")


@dataclass(frozen=True)
class _Assessment:
    """Whether one kind's criteria are met, the features that count, or why not."""

    met: bool
    features: tuple[str, ...] = ()
    reason: str = ""


def _intensity(peak: int) -> str:
    if peak <= MILD_MAX:
        grade = "mild"
    elif peak <= MODERATE_MAX:
        grade = "moderate"
    else:
        grade = "severe"
    return f"{grade} ({peak} of 10)"


def _outside(features: HeadacheFeatures, span: _Span) -> str:
    """Why the duration rules this kind out, or "" when it fits or is unknown."""
    hours = features.duration_hours
    if hours is None:
        return ""
    # An ongoing episode has lasted at least this long, so only its lower bound is known:
    # past the upper limit it is already too long, below the lower one it is too early.
    if hours > span.high:
        return f"longer than {span.high_words}"
    if hours < span.low:
        return f"under {span.low_words} so far" if features.ongoing else f"under {span.low_words}"
    return ""


def _assess_migraine(features: HeadacheFeatures) -> _Assessment:
    character = []
    if features.side in ("left", "right"):
        character.append(f"on the {features.side} side")
    if features.quality == "pulsating":
        character.append("pulsating")
    if features.peak is not None and features.peak > MILD_MAX:
        character.append(_intensity(features.peak))
    if features.worse_with_activity is True:
        character.append("worse with activity")
    associated = []
    if features.nausea is True:
        associated.append("with nausea")
    if features.vomiting is True:
        associated.append("with vomiting")
    # ICHD-3 allows one of light or sound sensitivity in tension-type headache; only both
    # together point to migraine.
    if features.light_sensitivity is True and features.sound_sensitivity is True:
        associated.append("sensitive to light and sound")
    # ICHD-3 sets no duration or character rule on the headache of migraine with aura.
    if features.aura is True:
        return _Assessment(met=True, features=("with aura", *character, *associated))
    if reason := _outside(features, MIGRAINE_SPAN):
        return _Assessment(met=False, reason=reason)
    if len(character) < 2:
        return _Assessment(
            met=False,
            reason="fewer than two of one side, pulsating, moderate or severe, worse with activity",
        )
    if not associated:
        return _Assessment(
            met=False, reason="no nausea, vomiting, or sensitivity to both light and sound"
        )
    return _Assessment(met=True, features=(*character, *associated))


def _assess_tension(features: HeadacheFeatures) -> _Assessment:
    if reason := _outside(features, TENSION_SPAN):
        return _Assessment(met=False, reason=reason)
    # ICHD-3 allows no vomiting, no more than mild nausea (none at all in the episodic
    # forms) and at most one of light or sound sensitivity. The diary does not grade
    # nausea, so any recorded nausea rules tension-like out.
    excluded = []
    if features.nausea is True:
        excluded.append("nausea")
    if features.vomiting is True:
        excluded.append("vomiting")
    if features.light_sensitivity is True and features.sound_sensitivity is True:
        excluded.append("sensitivity to both light and sound")
    if excluded:
        return _Assessment(met=False, reason=" and ".join(excluded))
    character = []
    if features.quality == "pressing":
        character.append("pressing")
    if features.side == "both":
        character.append("on both sides")
    if features.peak is not None and features.peak <= MODERATE_MAX:
        character.append(_intensity(features.peak))
    if features.worse_with_activity is False:
        character.append("not worse with activity")
    if len(character) < 2:
        return _Assessment(
            met=False,
            reason="fewer than two of both sides, pressing, mild or moderate, "
            "not worse with activity",
        )
    return _Assessment(met=True, features=tuple(character))


def _recorded_character(features: HeadacheFeatures) -> int:
    """How many of the four features both kinds are told apart by were recorded."""
    values = (features.side, features.quality, features.peak, features.worse_with_activity)
    return sum(value is not None for value in values)


def tag_headache(features: HeadacheFeatures) -> HeadacheTag:
    """The tag for one episode: migraine-like, tension-like or unclear.

    Migraine-like is checked first because ICHD-3 lets migraine features take precedence
    when an episode could fit both.
    """
    if _assess_migraine(features).met:
        return HeadacheTag.MIGRAINE_LIKE
    if _assess_tension(features).met:
        return HeadacheTag.TENSION_LIKE
    return HeadacheTag.UNCLEAR


def explain_tag(features: HeadacheFeatures) -> str:
    """One plain sentence: the tag, the features that led to it, and that it is no diagnosis.

    For example "Tension-like: pressing, on both sides, moderate (5 of 10), not worse with
    activity; a tag, not a diagnosis."
    """
    tag = tag_headache(features)
    migraine = _assess_migraine(features)
    tension = _assess_tension(features)
    if tag is HeadacheTag.MIGRAINE_LIKE:
        body = ", ".join(migraine.features)
    elif tag is HeadacheTag.TENSION_LIKE:
        body = ", ".join(tension.features)
    elif (hours := features.duration_hours) is not None and hours < TENSION_SPAN.low:
        body = f"{_outside(features, TENSION_SPAN)}, too short to tag"
    elif _recorded_character(features) < 2:
        body = "too little recorded to tell (the side, the kind of pain, how bad it got "
        body += "and whether activity made it worse would help)"
    else:
        body = f"not migraine-like ({migraine.reason}), not tension-like ({tension.reason})"
    return f"{tag.value.capitalize()}: {body}; a tag, not a diagnosis."
