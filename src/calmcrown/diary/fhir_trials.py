"""The profile's personal trials in the FHIR export: each trial a ResearchStudy, and a
ResearchSubject tying the Patient to it.

R4B's ResearchStudy has arms (``arm``: name and description) but no element for the
periods of an n-of-1 trial or for how its order was drawn, so those go in extensions
with calmcrown URLs: the allocation (seed, generator, algorithm, blocks, period and
washout days), each period (index, block, arm, dates, first analysed date) and each
amendment (kind, date, reason). docs/insight.md ("FHIR export") lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from calmcrown.insight.trial.design import Amendment, TrialDesign, TrialPeriod

Json = dict[str, Any]

EXTENSIONS = "https://calmcrown.invalid/fhir/StructureDefinition"
"""calmcrown's own extensions. ``.invalid`` can never resolve (RFC 6761): calmcrown
publishes no StructureDefinitions, and a URL that seemed to lead somewhere would mislead."""
ALLOCATION = f"{EXTENSIONS}/trial-allocation"
PERIOD = f"{EXTENSIONS}/trial-period"
AMENDMENT = f"{EXTENSIONS}/trial-amendment"
TRIAL_ID = f"{EXTENSIONS}/trial-id"
PURPOSE = "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type"
ARM_WORDS = {
    "head": "Massage with a routine for the head, face, neck and shoulders",
    "feet": "Massage with a routine for the feet",
    "none": "No massage: usual care",
}


def _study_status(trial: TrialDesign, today: dt.date) -> str:
    # R4B's codes: "administratively-completed" is a study ended before its time.
    if trial.ended_early is not None:
        return "administratively-completed"
    if today < trial.start:
        return "approved"
    return "active" if today <= trial.end else "completed"


def _allocation(trial: TrialDesign) -> Json:
    return {
        "url": ALLOCATION,
        "extension": [
            # A string: FHIR's integer stops at 2^31 and a seed may reach 2^53.
            {"url": "seed", "valueString": str(trial.seed)},
            {"url": "generator", "valueString": trial.generator},
            {"url": "algorithm", "valueString": trial.algorithm},
            {"url": "blocks", "valueInteger": trial.blocks},
            {"url": "periodDays", "valueInteger": trial.period_days},
            {"url": "washoutDays", "valueInteger": trial.washout_days},
        ],
    }


def _period(period: TrialPeriod) -> Json:
    return {
        "url": PERIOD,
        "extension": [
            {"url": "index", "valueInteger": period.index},
            {"url": "block", "valueInteger": period.block},
            {"url": "arm", "valueString": period.arm},
            {
                "url": "period",
                "valuePeriod": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            },
            {"url": "analysedFrom", "valueDate": period.analysed_from.isoformat()},
        ],
    }


def _amendment(amendment: Amendment) -> Json:
    parts: list[Json] = [
        {"url": "kind", "valueCode": amendment.kind.value},
        {"url": "date", "valueDate": amendment.date.isoformat()},
        {"url": "reason", "valueString": amendment.reason},
    ]
    if amendment.period is not None:
        parts.append({"url": "period", "valueInteger": amendment.period})
        parts.append({"url": "days", "valueInteger": amendment.days})
    return {"url": AMENDMENT, "extension": parts}


def research_study(trial: TrialDesign, today: dt.date) -> Json:
    resource: Json = {
        "resourceType": "ResearchStudy",
        "identifier": [{"system": TRIAL_ID, "value": trial.id or "dry run"}],
        "title": f"Personal trial {trial.id}: {', '.join(trial.arms)}",
        "status": _study_status(trial, today),
        "primaryPurposeType": {
            "coding": [{"system": PURPOSE, "code": "treatment", "display": "Treatment"}]
        },
        "description": (
            f"A randomised n-of-1 trial: {trial.blocks} blocks of {len(trial.arms)} periods "
            f"of {trial.period_days} days, each arm once a block in an order drawn from a "
            f"seed; the first {trial.washout_days} days of each period are not analysed."
        ),
        "period": {"start": trial.start.isoformat(), "end": trial.end.isoformat()},
        "arm": [{"name": arm, "description": ARM_WORDS[arm]} for arm in trial.arms],
        "objective": [{"name": "Fewer headache days per analysed day with one arm than another"}],
        "extension": [
            _allocation(trial),
            *(_period(p) for p in trial.periods),
            *(_amendment(a) for a in trial.amendments),
        ],
    }
    if trial.ended_early is not None:
        resource["reasonStopped"] = {"text": trial.ended_early.reason}
    return resource


def research_subject(trial: TrialDesign, study: str, patient: str, today: dt.date) -> Json:
    # No assignedArm: in a personal trial the one subject takes every arm in turn.
    return {
        "resourceType": "ResearchSubject",
        "status": "on-study" if trial.start <= today <= trial.end else "off-study",
        "period": {"start": trial.start.isoformat(), "end": trial.end.isoformat()},
        "study": {"reference": study},
        "individual": {"reference": patient},
    }


def trial_entries(
    url: Callable[[str], str], trials: list[TrialDesign], patient: str, today: dt.date
) -> list[tuple[str, str, Json]]:
    """(label, fullUrl, resource) of each trial's ResearchStudy and ResearchSubject."""
    entries: list[tuple[str, str, Json]] = []
    for trial in trials:
        label = f"trial {trial.id}"
        study = url(f"trial/{trial.id}")
        entries.append((label, study, research_study(trial, today)))
        subject = research_subject(trial, study, patient, today)
        entries.append((label, url(f"trial/{trial.id}/subject"), subject))
    return entries
