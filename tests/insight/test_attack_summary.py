from __future__ import annotations

from dataclasses import replace

from calmcrown.headache_kind import HeadacheFeatures, HeadacheTag
from calmcrown.insight.attack_summary import FeatureCount, summarize_attacks

NOTHING = HeadacheFeatures(
    duration_hours=None, ongoing=False, peak=None, side=None, quality=None,
    worse_with_activity=None, nausea=None, vomiting=None, light_sensitivity=None,
    sound_sensitivity=None, aura=None,
)  # fmt: skip


def test_tags_lengths_and_features_count_only_what_was_recorded() -> None:
    migraine = replace(NOTHING, duration_hours=8.0, side="left", quality="pulsating",
                       nausea=True, light_sensitivity=True)  # fmt: skip
    tension = replace(NOTHING, duration_hours=3.0, side="both", quality="pressing", nausea=False)
    going = replace(NOTHING, duration_hours=1.0, ongoing=True)
    summary = summarize_attacks(
        [
            (HeadacheTag.MIGRAINE_LIKE, migraine),
            (HeadacheTag.TENSION_LIKE, tension),
            (HeadacheTag.MIGRAINE_LIKE, migraine),
            (HeadacheTag.UNCLEAR, going),
        ],
        helped=["partly", None, "yes", "partly"],
    )
    assert summary.attacks == 4
    assert summary.tags == (("migraine-like", 2), ("tension-like", 1), ("unclear", 1))
    assert summary.median_hours == 8.0 and summary.ended == 3, "the one still going is left out"
    assert summary.features == (
        FeatureCount("one side", 2, 3),
        FeatureCount("pulsating", 2, 3),
        FeatureCount("nausea", 2, 3),
        FeatureCount("bothered by light", 2, 2),
    ), "a feature recorded for no attack is not listed; a gap is not a no"
    assert summary.helped == (("yes", 1), ("partly", 2)), "an answer nobody gave is left out"


def test_no_attacks_is_an_empty_summary() -> None:
    summary = summarize_attacks([])
    assert summary.attacks == 0 and summary.median_hours is None and summary.features == ()
