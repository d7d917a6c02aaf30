"""What the player announces: a plan's cues, those planned for the same second joined into
one announcement, as static/player.js joins them; the how-to only when it is read aloud
(by default when massaging yourself, not in partner mode)."""

from __future__ import annotations

from calmcrown.planner import Cue, CueKind, Plan


def spoken(plan: Plan, read_how: bool | None = None) -> list[Cue]:
    read = not plan.partner_mode if read_how is None else read_how
    return [cue for cue in plan.cues if read or cue.kind is not CueKind.HOW]


def announcements(plan: Plan, read_how: bool | None = None) -> list[tuple[int, str]]:
    moments: list[tuple[int, str]] = []
    for cue in spoken(plan, read_how):
        if moments and moments[-1][0] == cue.at_s:
            moments[-1] = (cue.at_s, f"{moments[-1][1]} {cue.text}")
        else:
            moments.append((cue.at_s, cue.text))
    return moments
