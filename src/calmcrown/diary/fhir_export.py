"""The whole diary as one FHIR R4 Bundle (type "collection"), to hand to a clinic's system:
days, headaches, sessions, and each personal trial as a ResearchStudy (fhir_trials.py).

Every resource is checked by fhir.resources' R4B models (R4B keeps R4's data types)
before anything is written; a problem names the diary record it came from. The same
diary gives the same bytes, apart from the Bundle's timestamp: ids are UUIDs made from
the profile and the record id. docs/insight.md ("FHIR export") lists the codes.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from calmcrown.diary.fhir_trials import trial_entries
from calmcrown.diary.records import DayEntry, HeadacheEntry, SessionEntry
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.transfer import TransferError, json_text, write_private
from calmcrown.diary.trials import all_trials

Json = dict[str, Any]

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CATEGORIES = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN_SCORE: Json = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
HEADACHE: Json = {"system": SNOMED, "code": "25064002", "display": "Headache (finding)"}
# No display: the code is checked (HL7's Symptoms IG lists it among the therapies), its
# exact SNOMED CT term is not, and a wrong display is an error where an absent one is not.
MASSAGE: Json = {"system": SNOMED, "code": "387854002"}
# Everything here is the person's own report, kept in a diary.
SURVEY: list[Json] = [{"coding": [{"system": CATEGORIES, "code": "survey", "display": "Survey"}]}]

# Fixed, so that the same profile and record always get the same UUID.
_NAMESPACE = uuid.UUID("40e01757-50e5-403d-80f7-a7ff132c495b")
_STOPPED = {
    "ended_early": "Ended early",
    "stopped_by_screening": "Stopped by the safety check",
}
_FEATURES = {
    "worse_with_activity": "Worse with routine physical activity",
    "nausea": "Nausea",
    "vomiting": "Vomiting",
    "light_sensitivity": "Sensitivity to light",
    "sound_sensitivity": "Sensitivity to sound",
    "aura": "Aura",
}
_SCORES = {
    "pain_before": ("Pain before the session", True),
    "pain_after": ("Pain after the session", True),
    "tension_before": ("Muscle tension before the session, 0-10 (self-rated)", False),
    "tension_after": ("Muscle tension after the session, 0-10 (self-rated)", False),
}


class FhirExportError(ValueError):
    """The diary could not be written as FHIR; the message names the record."""


def fhir_bundle(store: DiaryStore, now: dt.datetime, *, zone: dt.tzinfo | None = None) -> Json:
    """Every live record of ``store`` as a FHIR R4 Bundle, as a JSON-ready dict.

    The diary keeps local wall-clock times without a zone, and FHIR wants an offset on
    any time of day, so times are read in ``zone``: by default this computer's local
    time zone (with its summer time) at each moment.
    """
    url = functools.partial(_url, store.profile)
    patient = url("patient")
    subject = {"reference": patient}
    # The diary holds no name, birth date or identifier, and the export adds none: the
    # Patient is only there so that every other resource has a subject to point to.
    entries: list[tuple[str, str, Json]] = [("the patient", patient, {"resourceType": "Patient"})]
    for day in store.days():
        entries.append((day.id, url(day.id), _day(day.entry, subject)))
    for headache in store.headaches():
        entries.append((headache.id, url(headache.id), _headache(headache.entry, subject, zone)))
    for session in store.sessions():
        entries += _session_entries(url, session.id, session.entry, subject, zone)
    entries += trial_entries(url, all_trials(store), patient, store.today())
    data = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(now, zone),
        "entry": [
            {"fullUrl": full, "resource": {**resource, "id": full.removeprefix("urn:uuid:")}}
            for _, full, resource in entries
        ],
    }
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as error:
        raise FhirExportError(_explain(error, [label for label, _, _ in entries])) from None
    dumped: Json = bundle.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped


def export_fhir(store: DiaryStore, out: Path, now: dt.datetime) -> Path:
    """Write the diary as a FHIR Bundle to ``out``, readable by its owner only.

    The bundle is built and checked in full first: when a record cannot be written as
    FHIR, no file is created or changed.
    """
    text = json_text(fhir_bundle(store, now))
    try:
        out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(out, text)
    except OSError as error:
        raise FhirExportError(f"{error.filename or out}: cannot write ({error.strerror})") from None
    except TransferError as error:
        raise FhirExportError(str(error)) from None
    return out


def _url(profile: str, name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{profile}/{name}')}"


def _local(moment: dt.datetime, zone: dt.tzinfo | None) -> str:
    aware = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
    return aware.isoformat()


def _instant(now: dt.datetime, zone: dt.tzinfo | None) -> str:
    if now.tzinfo is None:
        return _local(now, zone)
    return (now.astimezone(zone) if zone is not None else now).isoformat()


def _note(text: str | None, label: str = "") -> list[Json]:
    # The person's text goes in unchanged: no escaping, no trimming.
    return [] if text is None else [{"text": f"{label}{text}"}]


def _text_component(text: str, **value: Any) -> Json:
    # Features without a code we could check get a code of text alone, which FHIR
    # allows, rather than a code that may be wrong.
    return {"code": {"text": text}, **value}


def _day(day: DayEntry, subject: Json) -> Json:
    components = []
    if day.hours is not None:
        hours = {"value": day.hours, "unit": "h", "system": UCUM, "code": "h"}
        components.append(_text_component("Hours with headache that day", valueQuantity=hours))
    if day.sleep is not None:
        label = "Sleep last night, 0 (very badly) to 10 (very well)"
        components.append(_text_component(label, valueInteger=day.sleep))
    if day.stress is not None:
        label = "Stress, 0 (not at all) to 10 (extremely)"
        components.append(_text_component(label, valueInteger=day.stress))
    return _observation(
        code={"coding": [PAIN_SCORE], "text": "Worst headache intensity of the day, 0-10"},
        subject=subject,
        effectiveDateTime=day.date.isoformat(),
        valueInteger=day.intensity,
        component=components,
        note=_note(day.medication, "Medication: ") + _note(day.notes),
    )


def _headache(episode: HeadacheEntry, subject: Json, zone: dt.tzinfo | None) -> Json:
    period = {"start": _local(episode.started_at, zone)}
    if episode.ended_at is not None:
        period["end"] = _local(episode.ended_at, zone)
    components = []
    if episode.peak is not None:
        peak = {"coding": [PAIN_SCORE], "text": "Peak intensity, 1-10"}
        components.append({"code": peak, "valueInteger": episode.peak})
    if episode.side is not None:
        components.append(_text_component("Side of the head", valueString=episode.side))
    if episode.quality is not None:
        components.append(_text_component("Quality", valueString=episode.quality))
    for field, label in _FEATURES.items():
        present = getattr(episode, field)
        if present is not None:
            components.append(_text_component(label, valueBoolean=present))
    components += [_text_component("Location", valueString=place) for place in episode.location]
    components += [
        _text_component("Trigger (own tag)", valueString=tag) for tag in episode.triggers
    ]
    if episode.medication_helped is not None:
        label = "Acute medication helped after two hours (yes, partly, no)"
        components.append(_text_component(label, valueString=episode.medication_helped))
    return _observation(
        # An episode still going on may change: preliminary until it has an end.
        status="preliminary" if episode.ongoing else "final",
        code={"coding": [HEADACHE], "text": "Headache episode"},
        subject=subject,
        effectivePeriod=period,
        component=components,
        note=_note(episode.medication, "Medication: ") + _note(episode.notes),
    )


def _session_times(session: SessionEntry, zone: dt.tzinfo | None) -> tuple[str, str]:
    if session.time is None:
        return session.date.isoformat(), session.date.isoformat()
    start = dt.datetime.combine(session.date, session.time)
    end = start + dt.timedelta(seconds=session.seconds)
    return _local(start, zone), _local(end, zone)


def _session(session: SessionEntry, subject: Json, zone: dt.tzinfo | None) -> Json:
    start, end = _session_times(session, zone)
    performed = (
        {"performedPeriod": {"start": start, "end": end}}
        if session.time is not None
        else {"performedDateTime": start}
    )
    resource: Json = {
        "resourceType": "Procedure",
        "status": _procedure_status(session),
        "code": {"coding": [MASSAGE], "text": f"Massage: {session.routine}"},
        "subject": subject,
        **performed,
    }
    if session.outcome in _STOPPED:
        resource["statusReason"] = {"text": _STOPPED[session.outcome]}
    notes = [*_note(session.notes), {"text": f"Given by: {session.given_by}"}]
    if session.pressure is not None:
        notes.append({"text": f"Firmest pressure: {session.pressure}"})
    if session.oil is not None:
        notes.append({"text": f"Oil: {'yes' if session.oil else 'no'}"})
    if session.verdict is not None:
        flags = f"; flags answered yes: {', '.join(session.reasons)}" if session.reasons else ""
        notes.append({"text": f"Safety check: {session.verdict}{flags}"})
    resource["note"] = notes
    return resource


def _session_entries(
    url: Callable[[str], str],
    record_id: str,
    session: SessionEntry,
    subject: Json,
    zone: dt.tzinfo | None,
) -> list[tuple[str, str, Json]]:
    procedure = url(record_id)
    entries = [(record_id, procedure, _session(session, subject, zone))]
    start, end = _session_times(session, zone)
    for field, (text, is_pain) in _SCORES.items():
        score = getattr(session, field)
        if score is not None:
            when = start if field.endswith("_before") else end
            resource = _score(text, is_pain, score, when, procedure, subject)
            entries.append((record_id, url(f"{record_id}/{field}"), resource))
    return entries


def _procedure_status(session: SessionEntry) -> str:
    if session.outcome == "completed":
        return "completed"
    # Stopped by the safety check before any massage: FHIR calls that not-done, since
    # "stopped" means some of the procedure itself was done.
    if session.outcome == "stopped_by_screening" and session.seconds == 0:
        return "not-done"
    return "stopped"


def _score(text: str, is_pain: bool, score: int, when: str, procedure: str, subject: Json) -> Json:
    # Tension is not pain: it gets the words alone, never the pain-severity code.
    code: Json = {"coding": [PAIN_SCORE], "text": text} if is_pain else {"text": text}
    return _observation(
        code=code,
        subject=subject,
        partOf=[{"reference": procedure}],
        effectiveDateTime=when,
        valueInteger=score,
    )


def _observation(*, status: str = "final", **fields: Any) -> Json:
    resource = {"resourceType": "Observation", "status": status, "category": SURVEY}
    # FHIR forbids empty lists: a field with nothing in it is left out.
    return resource | {name: value for name, value in fields.items() if value != []}


def _explain(error: ValidationError, labels: list[str]) -> str:
    problems = []
    for detail in error.errors()[:5]:
        location = list(detail["loc"])
        where = "the bundle"
        if len(location) >= 2 and location[0] == "entry" and isinstance(location[1], int):
            where = labels[location[1]]
            location = location[3:] if location[2:3] == ["resource"] else location[2:]
        field = ".".join(str(part) for part in location) or "resource"
        problems.append(f"{where}: {field}: {detail['msg'].removeprefix('Value error, ')}")
    return "cannot write the diary as FHIR R4: " + "; ".join(problems)
