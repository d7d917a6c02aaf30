"""Intervals written the way their sentence runs.

"Pain fell by 2.2 points (95% interval 1.5 to 2.9)" reads as it means; "(95% interval
-2.9 to -1.5)" after "fell by" makes a tired reader undo two minus signs. So an interval
that lies wholly on the side its sentence names is written as sizes on that side, the
smaller first; one that crosses no change names both sides.
"""

from __future__ import annotations


def points_span(low: float, high: float, unit: str = "points") -> str:
    """A change in points, low <= high, as "1.5 to 2.9 points lower" and so on."""
    if high < 0:
        return f"{-high:.1f} to {-low:.1f} {unit} lower"
    if low > 0:
        return f"{low:.1f} to {high:.1f} {unit} higher"
    return f"from {-low:.1f} {unit} lower to {high:.1f} {unit} higher"


def percent_span(low_ratio: float, high_ratio: float) -> str:
    """A rate ratio's interval as "23% to 79% fewer", "5% fewer to 12% more" and so on."""
    low, high = (low_ratio - 1) * 100, (high_ratio - 1) * 100
    if high < 0:
        return f"{_size(high)} to {_size(low)} fewer"
    if low > 0:
        return f"{_size(low)} to {_size(high)} more"
    return f"from {_size(low)} fewer to {_size(high)} more"


def _size(change: float) -> str:
    size = abs(change)
    # Not "0%": a bound just inside no change decides the verdict, so it must show.
    return "under 1%" if 0 < size < 0.5 else f"{size:.0f}%"
