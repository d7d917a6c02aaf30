"""Trials in the FHIR export: a valid R4B ResearchStudy per trial, with its arms, and
the periods, seed and amendments in calmcrown's extensions; a ResearchSubject ties the
Patient to it. The Bundle is parsed back with fhir.resources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.researchstudy import ResearchStudy
from fhir.resources.R4B.researchsubject import ResearchSubject

from calmcrown.diary.fhir_export import fhir_bundle
from calmcrown.diary.fhir_trials import ALLOCATION, AMENDMENT, PERIOD
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import end_trial, save_trial
from calmcrown.insight.trial.design import SEED_LIMIT, design
from tests.diary.conftest import TODAY

NOW = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
CET = dt.timezone(dt.timedelta(hours=1))


def _parts(extension: dict[str, Any]) -> dict[str, Any]:
    """An extension's parts by url, each its one value."""
    return {
        part["url"]: next(v for k, v in part.items() if k.startswith("value"))
        for part in extension["extension"]
    }


def _parsed(store: DiaryStore) -> tuple[ResearchStudy, ResearchSubject, str]:
    bundle = Bundle.model_validate(fhir_bundle(store, NOW, zone=CET))
    resources = {
        entry.resource.get_resource_type(): (entry.resource, entry.fullUrl)
        for entry in bundle.entry or []
        if entry.resource is not None
    }
    (study, study_url), (subject, _) = resources["ResearchStudy"], resources["ResearchSubject"]
    patient = resources["Patient"][1]
    assert subject.study.reference == study_url and subject.individual.reference == patient
    return (
        ResearchStudy.model_validate(study.model_dump(by_alias=True, exclude_none=True)),
        ResearchSubject.model_validate(subject.model_dump(by_alias=True, exclude_none=True)),
        patient,
    )


def test_a_trial_is_a_research_study_with_its_arms_periods_and_seed(
    store: DiaryStore,
) -> None:
    trial = save_trial(store, design(("head", "feet", "none"), TODAY, seed=SEED_LIMIT - 1))
    study, subject, _ = _parsed(store)
    assert study.status == "active"  # it starts today
    assert [arm.name for arm in study.arm or []] == ["head", "feet", "none"]
    assert (study.period.start, study.period.end) == (trial.start, trial.end)
    dumped = study.model_dump(mode="json", by_alias=True, exclude_none=True)
    [allocation] = [e for e in dumped["extension"] if e["url"] == ALLOCATION]
    assert _parts(allocation) == {
        "seed": str(SEED_LIMIT - 1),  # kept exact, beyond FHIR's 32-bit integer
        "generator": "numpy.random.PCG64",
        "algorithm": "calmcrown-block-permutation/1",
        "blocks": 4,
        "periodDays": 14,
        "washoutDays": 2,
    }
    periods = [_parts(e) for e in dumped["extension"] if e["url"] == PERIOD]
    assert [(p["index"], p["block"], p["arm"]) for p in periods] == [
        (p.index, p.block, p.arm) for p in trial.periods
    ]
    assert periods[0]["period"] == {
        "start": trial.periods[0].start.isoformat(),
        "end": trial.periods[0].end.isoformat(),
    }
    assert periods[0]["analysedFrom"] == trial.periods[0].analysed_from.isoformat()
    assert subject.status == "on-study"


def test_an_ended_trial_says_why_it_stopped_and_lists_the_amendment(
    make_store: Callable[..., DiaryStore],
) -> None:
    save_trial(make_store("alice"), design(("head", "none"), TODAY, seed=5))
    end_trial(make_store("alice"), "moved house", on=TODAY + dt.timedelta(days=20))
    later = make_store("alice", today=TODAY + dt.timedelta(days=30))
    study, subject, _ = _parsed(later)
    assert study.status == "administratively-completed"
    assert study.reasonStopped is not None and study.reasonStopped.text == "moved house"
    dumped = study.model_dump(mode="json", by_alias=True, exclude_none=True)
    [amendment] = [_parts(e) for e in dumped["extension"] if e["url"] == AMENDMENT]
    assert amendment == {
        "kind": "ended_early",
        "date": (TODAY + dt.timedelta(days=20)).isoformat(),
        "reason": "moved house",
    }
    assert study.period.end == TODAY + dt.timedelta(days=20)
    assert subject.status == "off-study"


def test_a_diary_without_a_trial_has_no_research_study(store: DiaryStore) -> None:
    bundle = fhir_bundle(store, NOW, zone=CET)
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert kinds == {"Patient"}
