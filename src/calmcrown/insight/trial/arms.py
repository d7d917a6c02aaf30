"""Which arm a session belongs to, from its routine's place on the body.

A routine only on the head, face, neck and shoulders is the ``head`` arm's; one only on
the feet is the ``feet`` arm's; one on both belongs to neither arm, so a session of it
in a trial is a deviation in any period. No routine belongs to ``none``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from calmcrown.catalog import Catalog, Region

if TYPE_CHECKING:
    from calmcrown.insight.inputs import SessionFacts
    from calmcrown.insight.trial.analysis import TrialSession

STOPPED_BY_SCREENING = "stopped_by_screening"


def arm_of_routines(catalog: Catalog) -> dict[str, str | None]:
    arms: dict[str, str | None] = {}
    for routine_id, routine in catalog.routines.items():
        regions = set(catalog.regions_of(routine))
        if regions == {Region.FEET}:
            arms[routine_id] = "feet"
        elif Region.FEET in regions:
            arms[routine_id] = None
        else:
            arms[routine_id] = "head"
    return arms


def routines_of_arm(catalog: Catalog, arm: str) -> list[str]:
    """The routines a period of ``arm`` offers (none for ``none``), in catalog order."""
    return [routine for routine, of in arm_of_routines(catalog).items() if of == arm]


def trial_sessions(
    sessions: Iterable[SessionFacts], arm_of: Mapping[str, str | None]
) -> list[TrialSession]:
    """The diary's sessions as the trial reads them; a routine not in ``arm_of`` (one
    since removed from the catalog) belongs to no arm."""
    # Loaded here, not above: the analysis brings statsmodels (3 s), which Today and the
    # terminal guide need not wait for to learn a routine's arm.
    from calmcrown.insight.trial.analysis import TrialSession

    return [
        TrialSession(
            date=s.date,
            arm=arm_of.get(s.routine),
            pain_before=s.pain_before,
            pain_after=s.pain_after,
            stopped_by_screening=s.outcome == STOPPED_BY_SCREENING,
        )
        for s in sessions
    ]
