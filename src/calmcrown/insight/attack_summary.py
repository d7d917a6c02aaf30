"""The headache attacks of a period in a few figures, for the clinician's report: how many,
their tags, how long they lasted, and how often each ICHD-3 feature was recorded.

A feature not recorded for an attack is left out of that feature's count rather than read
as "no" (as the tagging in headache_kind does), so each figure says of how many attacks
it was recorded.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from calmcrown.headache_kind import HeadacheFeatures, HeadacheTag

# The features a clinician asks about, in the words the report uses: each read as yes,
# no, or None when the attack's record does not say.
FEATURES: tuple[tuple[str, Callable[[HeadacheFeatures], bool | None]], ...] = (
    ("one side", lambda f: None if f.side is None else f.side != "both"),
    ("pulsating", lambda f: None if f.quality is None else f.quality == "pulsating"),
    ("worse with activity", lambda f: f.worse_with_activity),
    ("nausea", lambda f: f.nausea),
    ("vomiting", lambda f: f.vomiting),
    ("bothered by light", lambda f: f.light_sensitivity),
    ("bothered by sound", lambda f: f.sound_sensitivity),
    ("aura", lambda f: f.aura),
)


@dataclass(frozen=True)
class FeatureCount:
    feature: str
    present: int
    recorded: int
    """Attacks for which the feature was recorded, yes or no."""


@dataclass(frozen=True)
class AttackSummary:
    attacks: int
    tags: tuple[tuple[str, int], ...]
    """Each tag with its count, most common first."""
    median_hours: float | None
    ended: int
    features: tuple[FeatureCount, ...]
    """Only the features recorded for at least one attack."""
    helped: tuple[tuple[str, int], ...] = ()
    """Whether the medication helped after two hours: each answer given, with its count,
    in the order yes, partly, no."""


def summarize_attacks(
    attacks: Sequence[tuple[HeadacheTag, HeadacheFeatures]], helped: Sequence[str | None] = ()
) -> AttackSummary:
    """``helped``: each attack's answer to "did the medication help after two hours?"."""
    tags = Counter(tag.value for tag, _ in attacks)
    hours = [f.duration_hours for _, f in attacks if not f.ongoing and f.duration_hours is not None]
    counts = []
    for name, read in FEATURES:
        answers = [answer for _, f in attacks if (answer := read(f)) is not None]
        if answers:
            counts.append(FeatureCount(name, sum(answers), len(answers)))
    return AttackSummary(
        attacks=len(attacks),
        tags=tuple(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
        median_hours=statistics.median(hours) if hours else None,
        ended=len(hours),
        features=tuple(counts),
        helped=tuple(
            (answer, n) for answer in ("yes", "partly", "no") if (n := list(helped).count(answer))
        ),
    )
