"""What the player announces: a plan's cues, those planned for the same second joined into
one announcement, as static/player.js joins them."""

from __future__ import annotations

from calmcrown.planner import Plan


def announcements(plan: Plan) -> list[tuple[int, str]]:
    moments: list[tuple[int, str]] = []
    for cue in plan.cues:
        if moments and moments[-1][0] == cue.at_s:
            moments[-1] = (cue.at_s, f"{moments[-1][1]} {cue.text}")
        else:
            moments.append((cue.at_s, cue.text))
    return moments
