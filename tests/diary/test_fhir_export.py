"""The FHIR export: a valid R4 Bundle of the whole diary, coded as docs/insight.md says."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.procedure import Procedure

from calmcrown.diary import fhir_export
from calmcrown.diary.fhir_export import FhirExportError, fhir_bundle
from calmcrown.diary.records import DayEntry, HeadacheEntry, SessionEntry
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.transfer import json_text

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
CET = dt.timezone(dt.timedelta(hours=1))
AWKWARD = "<b>bold</b> **not bold** [link](x) \"quoted\" & 'single'\nsecond line"
LOINC_PAIN = ("http://loinc.org", "72514-3")
SNOMED_HEADACHE = ("http://snomed.info/sct", "25064002")
SNOMED_MASSAGE = ("http://snomed.info/sct", "387854002")


def _fill(store: DiaryStore) -> None:
    store.record_day(
        store.validate(
            DayEntry,
            {
                "date": "2026-11-20",
                "intensity": 6,
                "hours": 3.5,
                "medication": "ibuprofen, 400 mg",
                "sleep": 4,
                "stress": 7,
                "notes": AWKWARD,
            },
        )
    )
    store.record_day(store.validate(DayEntry, {"date": "2026-11-21", "intensity": 0}))
    store.add_headache(
        store.validate(
            HeadacheEntry,
            {
                "started_at": "2026-11-20T07:30",
                "ended_at": "2026-11-20T19:00",
                "peak": 7,
                "side": "left",
                "quality": "pulsating",
                "nausea": True,
                "light_sensitivity": False,
                "triggers": ["red wine", "short sleep"],
                "location": ["left temple"],
                "medication": "sumatriptan 50 mg",
                "medication_helped": "partly",
            },
        )
    )
    store.add_headache(store.validate(HeadacheEntry, {"started_at": "2026-11-22T06:00"}))
    store.add_session(
        store.validate(
            SessionEntry,
            {
                "date": "2026-11-20",
                "time": "21:00",
                "routine": "evening",
                "seconds": 451,
                "pain_before": 6,
                "pain_after": 4,
                "tension_before": 5,
                "given_by": "partner",
                "outcome": "ended_early",
                "notes": AWKWARD,
            },
        )
    )
    store.add_session(
        store.validate(
            SessionEntry,
            {"date": "2026-11-21", "routine": "evening", "seconds": 600, "pain_before": 3},
        )
    )


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _codes(concept: dict[str, Any]) -> list[tuple[str, str]]:
    return [(coding["system"], coding["code"]) for coding in concept.get("coding", [])]


def _by_code(bundle: dict[str, Any], code: tuple[str, str]) -> list[dict[str, Any]]:
    return [r for r in _resources(bundle, "Observation") if code in _codes(r["code"])]


def test_the_bundle_is_valid_r4_and_holds_the_whole_diary(store: DiaryStore) -> None:
    _fill(store)
    bundle = fhir_bundle(store, NOW, zone=CET)
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    for entry in parsed.entry or []:
        assert entry.resource is not None
        assert entry.fullUrl == f"urn:uuid:{entry.resource.id}"
    assert len(_resources(bundle, "Patient")) == 1
    # 2 days + 2 episodes + 3 pain scores + 1 tension score.
    assert len(_resources(bundle, "Observation")) == 8
    assert len(_resources(bundle, "Procedure")) == 2
    for observation in _resources(bundle, "Observation"):
        Observation.model_validate(observation)
    for procedure in _resources(bundle, "Procedure"):
        Procedure.model_validate(procedure)


def test_the_patient_carries_nothing_that_identifies_anyone(store: DiaryStore) -> None:
    _fill(store)
    [patient] = _resources(fhir_bundle(store, NOW), "Patient")
    assert set(patient) == {"resourceType", "id"}


def test_days_are_pain_scores_with_medication_and_notes(store: DiaryStore) -> None:
    _fill(store)
    bundle = fhir_bundle(store, NOW, zone=CET)
    days = [r for r in _by_code(bundle, LOINC_PAIN) if "partOf" not in r]
    assert [d["effectiveDateTime"] for d in days] == ["2026-11-20", "2026-11-21"]
    first = days[0]
    assert first["status"] == "final" and first["valueInteger"] == 6
    assert first["category"][0]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
        "code": "survey",
        "display": "Survey",
    }
    assert first["code"]["coding"][0]["display"] == (
        "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
    )
    assert [n["text"] for n in first["note"]] == ["Medication: ibuprofen, 400 mg", AWKWARD]
    hours = next(c for c in first["component"] if "valueQuantity" in c)
    assert hours["valueQuantity"] == {
        "value": 3.5, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h"
    }  # fmt: skip
    assert days[1]["valueInteger"] == 0 and "note" not in days[1]


def test_episodes_are_headache_findings_and_an_ongoing_one_has_no_end(
    store: DiaryStore,
) -> None:
    _fill(store)
    ended, ongoing = _by_code(fhir_bundle(store, NOW, zone=CET), SNOMED_HEADACHE)
    assert ended["effectivePeriod"] == {
        "start": "2026-11-20T07:30:00+01:00",
        "end": "2026-11-20T19:00:00+01:00",
    }
    assert ongoing["effectivePeriod"] == {"start": "2026-11-22T06:00:00+01:00"}
    assert ongoing["status"] == "preliminary" and ended["status"] == "final"
    components = ended["component"]
    [peak] = [c for c in components if LOINC_PAIN in _codes(c["code"])]
    assert peak["valueInteger"] == 7
    uncoded = {c["code"]["text"]: c for c in components if not _codes(c["code"])}
    assert uncoded["Nausea"]["valueBoolean"] is True
    assert uncoded["Sensitivity to light"]["valueBoolean"] is False
    assert "Vomiting" not in uncoded, "a feature not recorded is left out"
    assert uncoded["Side of the head"]["valueString"] == "left"
    triggers = [c["valueString"] for c in components if c["code"]["text"] == "Trigger (own tag)"]
    assert triggers == ["red wine", "short sleep"]
    assert [n["text"] for n in ended["note"]] == ["Medication: sumatriptan 50 mg"]
    helped = "Acute medication helped after two hours (yes, partly, no)"
    assert uncoded[helped]["valueString"] == "partly"
    assert helped not in {c["code"]["text"] for c in ongoing.get("component", [])}


def test_sessions_are_massage_procedures_with_their_scores(store: DiaryStore) -> None:
    _fill(store)
    bundle = fhir_bundle(store, NOW, zone=CET)
    urls = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    early, plain = _resources(bundle, "Procedure")
    assert _codes(early["code"]) == [SNOMED_MASSAGE]
    assert early["code"]["text"] == "Massage: evening"
    assert early["status"] == "stopped" and early["statusReason"] == {"text": "Ended early"}
    assert early["performedPeriod"] == {
        "start": "2026-11-20T21:00:00+01:00",
        "end": "2026-11-20T21:07:31+01:00",
    }
    assert [n["text"] for n in early["note"]] == [AWKWARD, "Given by: partner"]
    assert plain["status"] == "completed" and plain["performedDateTime"] == "2026-11-21"
    assert "statusReason" not in plain
    scores = [r for r in _resources(bundle, "Observation") if "partOf" in r]
    of_early = [s for s in scores if s["partOf"] == [{"reference": urls[early["id"]]}]]
    pain = {s["code"]["text"]: s for s in of_early if LOINC_PAIN in _codes(s["code"])}
    assert pain["Pain before the session"]["effectiveDateTime"] == "2026-11-20T21:00:00+01:00"
    assert pain["Pain after the session"]["effectiveDateTime"] == "2026-11-20T21:07:31+01:00"
    assert pain["Pain after the session"]["valueInteger"] == 4
    [tension] = [s for s in of_early if not _codes(s["code"])]
    assert tension["valueInteger"] == 5, "tension is kept, but never coded as pain"


def test_a_session_the_safety_check_stopped_before_it_began_is_not_done(
    store: DiaryStore,
) -> None:
    store.add_session(
        store.validate(
            SessionEntry,
            {
                "date": "2026-11-21",
                "routine": "evening",
                "seconds": 0,
                "outcome": "stopped_by_screening",
                "verdict": "see_doctor",
                "reasons": ["blood_thinners"],
            },
        )
    )
    [procedure] = _resources(fhir_bundle(store, NOW), "Procedure")
    assert procedure["status"] == "not-done"
    assert procedure["statusReason"] == {"text": "Stopped by the safety check"}
    assert "Safety check: see_doctor; flags answered yes: blood_thinners" in [
        n["text"] for n in procedure["note"]
    ]


def test_the_same_diary_gives_the_same_bytes(store: DiaryStore) -> None:
    _fill(store)
    first = json_text(fhir_bundle(store, NOW))
    assert json_text(fhir_bundle(store, NOW)) == first
    assert json.loads(first)["entry"][1]["resource"]["note"][1]["text"] == AWKWARD


def test_ids_are_stable_and_differ_between_profiles(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    for owner in (alice, bob):
        owner.record_day(owner.validate(DayEntry, {"date": "2026-11-20", "intensity": 2}))
    urls = [[e["fullUrl"] for e in fhir_bundle(s, NOW)["entry"]] for s in (alice, bob)]
    assert urls[0] == [e["fullUrl"] for e in fhir_bundle(alice, NOW)["entry"]]
    assert not set(urls[0]) & set(urls[1])


def test_an_invalid_resource_names_its_record(
    store: DiaryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(store)

    def broken(headache: HeadacheEntry, subject: Any, zone: Any) -> dict[str, Any]:
        return {"resourceType": "Observation", "status": "final", "subject": subject}

    monkeypatch.setattr(fhir_export, "_headache", broken)
    with pytest.raises(FhirExportError, match=r"h1: code: Field required"):
        fhir_bundle(store, NOW)
