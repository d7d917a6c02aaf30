from __future__ import annotations

import pytest

from calmcrown.insight.interval_words import percent_span, points_span


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (-2.9, -1.5, "1.5 to 2.9 points lower"),
        (0.4, 1.1, "0.4 to 1.1 points higher"),
        (-0.5, 0.3, "from 0.5 points lower to 0.3 points higher"),
    ],
)
def test_a_change_in_points_reads_the_way_its_sentence_runs(
    low: float, high: float, words: str
) -> None:
    assert points_span(low, high) == words


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (0.21, 0.77, "23% to 79% fewer"),
        (1.05, 1.4, "5% to 40% more"),
        (0.9, 1.12, "from 10% fewer to 12% more"),
        (0.6, 0.998, "under 1% to 40% fewer"),
    ],
)
def test_a_rate_ratio_interval_reads_smaller_change_first(
    low: float, high: float, words: str
) -> None:
    assert percent_span(low, high) == words
