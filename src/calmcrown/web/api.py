"""The JSON API under /api/v1: content, planning, screening and the diary.

Handlers only translate: the rules live in the catalog, screening, planner and store.
Every number in a request must be a JSON number (a float field also takes a whole
number): ``true`` is not 1 and ``"5"`` is not 5, as the command line and imports refuse
a yes/no for a score. The request models mark each numeric field strict for that; the
diary's own models stay lax, because CSV cells and form boxes are text by nature.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from calmcrown.catalog import Catalog, Region
from calmcrown.catalog.serialize import routines_data, technique_data
from calmcrown.diary.records import (
    DayEntry,
    HeadacheEntry,
    Hours,
    Intensity,
    PhaseSeconds,
    Score,
    SessionEntry,
    headache_tag,
)
from calmcrown.diary.store import DiaryStore, Recorded
from calmcrown.planner import plan_session
from calmcrown.screening import answers_from_flags, screen

router = APIRouter(prefix="/api/v1", tags=["calmcrown"])


def _catalog(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog
    return catalog


def _store(request: Request) -> DiaryStore:
    store: DiaryStore = request.app.state.store
    return store


CatalogDep = Annotated[Catalog, Depends(_catalog)]
StoreDep = Annotated[DiaryStore, Depends(_store)]


JSON_NUMBER = Field(strict=True)
"""A number field of a request: a JSON number only, never a yes/no or a text."""
StrictScore = Annotated[Score | None, JSON_NUMBER]
StrictSeconds = Annotated[PhaseSeconds | None, JSON_NUMBER]


class Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    flags: list[str] = Field(default_factory=list, description="Screening flags answered yes.")
    age: int | None = Field(default=None, ge=0, le=120, strict=True)


class PlanRequest(Answers):
    routine: str
    minutes: int | None = Field(default=None, ge=5, le=60, strict=True)
    partner: bool | None = None


class DayIn(BaseModel):
    """A day to record; fields left out keep what the day already holds."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date
    intensity: StrictScore = None
    hours: Annotated[Hours | None, JSON_NUMBER] = None
    medication: str | None = None
    sleep: StrictScore = None
    stress: StrictScore = None
    notes: str | None = None


class HeadacheIn(HeadacheEntry):
    """A headache episode to record."""

    peak: Annotated[Intensity | None, JSON_NUMBER] = None
    confirm_long: bool = Field(
        default=False,
        strict=True,
        description="true to record a headache that has gone on for more than 31 days "
        "(still going, or from start to end); without it such a headache is answered 422, "
        "asking for its end.",
    )


class SessionIn(SessionEntry):
    """A massage session to record."""

    seconds: Annotated[PhaseSeconds, JSON_NUMBER]
    planned_settle_s: StrictSeconds = None
    planned_practice_s: StrictSeconds = None
    planned_after_s: StrictSeconds = None
    actual_settle_s: StrictSeconds = None
    actual_practice_s: StrictSeconds = None
    actual_after_s: StrictSeconds = None
    pain_before: StrictScore = None
    pain_after: StrictScore = None
    tension_before: StrictScore = None
    tension_after: StrictScore = None


class DayOut(DayEntry):
    id: str


class HeadacheOut(HeadacheEntry):
    id: str
    tag: str


class SessionOut(SessionEntry):
    id: str


class SessionCheckIn(BaseModel):
    """The after check-in, added to a session the player has already recorded."""

    model_config = ConfigDict(extra="forbid")
    pain_after: StrictScore = None
    tension_after: StrictScore = None


def _with_id(recorded: Recorded[Any], **extra: Any) -> dict[str, Any]:
    return {"id": recorded.id, **recorded.entry.model_dump(), **extra}


@router.get("/health", summary="Whether the app is up and answering (for scripts)")
def health() -> dict[str, str]:
    # Touches nothing, so it is also the floor the web benchmarks compare pages with; a
    # plain def like the page handlers, so it takes the same path through the thread pool.
    return {"status": "ok"}


@router.get("/routines", summary="The routines")
def list_routines(catalog: CatalogDep) -> list[dict[str, Any]]:
    return routines_data(catalog)


@router.get("/techniques", summary="The techniques, optionally of one region")
def list_techniques(catalog: CatalogDep, region: Region | None = None) -> list[dict[str, Any]]:
    chosen = [t for t in catalog.techniques.values() if region is None or t.region is region]
    return [technique_data(catalog, technique) for technique in chosen]


@router.post("/screen", summary="Screen answers for red flags and contraindications")
def screen_answers(answers: Answers, catalog: CatalogDep) -> dict[str, Any]:
    return screen(catalog.safety, answers_from_flags(answers.flags, answers.age)).to_dict()


@router.post("/plan", summary="A timed plan of a routine for the minutes available")
def make_plan(request: PlanRequest, catalog: CatalogDep) -> dict[str, Any]:
    verdict = screen(catalog.safety, answers_from_flags(request.flags, request.age))
    if not verdict.allows_session:
        return {"screening": verdict.to_dict(), "plan": None}
    plan = plan_session(
        catalog, request.routine, request.minutes, verdict.adaptations, request.partner
    )
    return {"screening": verdict.to_dict(), "plan": plan.to_dict()}


@router.get("/days", summary="Recorded days")
def list_days(
    store: StoreDep, since: dt.date | None = None, until: dt.date | None = None
) -> list[DayOut]:
    return [DayOut.model_construct(**_with_id(day)) for day in store.days(since, until)]


@router.post("/days", summary="Record a day (the same date again updates it)", status_code=201)
def log_day(day: DayIn, store: StoreDep) -> DayOut:
    changes = day.model_dump(exclude_unset=True, exclude={"date"})
    recorded = store.log_day(day.date, changes)
    return DayOut.model_construct(**_with_id(recorded))


@router.get("/days/{record_id}", summary="One recorded day")
def get_day(record_id: str, store: StoreDep) -> DayOut:
    return DayOut.model_construct(**_with_id(_of_kind(store, record_id, "d")))


@router.get("/headaches", summary="Headache episodes overlapping the dates")
def list_headaches(
    store: StoreDep,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[HeadacheOut]:
    moment = dt.datetime.now()
    return [
        HeadacheOut.model_construct(**_with_id(h, tag=headache_tag(h.entry, moment).value))
        for h in store.headaches(since, until)
    ]


@router.post("/headaches", summary="Record a headache episode", status_code=201)
def add_headache(headache: HeadacheIn, store: StoreDep) -> HeadacheOut:
    data = headache.model_dump(exclude={"confirm_long"})
    entry = store.validate(HeadacheEntry, data, long_confirmed=headache.confirm_long)
    recorded = store.add_headache(entry)
    tag = headache_tag(entry, dt.datetime.now()).value
    return HeadacheOut.model_construct(**_with_id(recorded, tag=tag))


@router.get("/sessions", summary="Massage sessions")
def list_sessions(
    store: StoreDep, since: dt.date | None = None, until: dt.date | None = None
) -> list[SessionOut]:
    return [SessionOut.model_construct(**_with_id(s)) for s in store.sessions(since, until)]


@router.post("/sessions", summary="Record a session", status_code=201)
def add_session(session: SessionIn, store: StoreDep) -> SessionOut:
    entry = store.validate(SessionEntry, session.model_dump())
    return SessionOut.model_construct(**_with_id(store.add_session(entry)))


@router.patch("/sessions/{record_id}", summary="Add the after check-in to a recorded session")
def check_in(record_id: str, answers: SessionCheckIn, store: StoreDep) -> SessionOut:
    _of_kind(store, record_id, "s")
    edited = store.edit(record_id, answers.model_dump(exclude_unset=True))
    return SessionOut.model_construct(**_with_id(edited))


def _of_kind(store: DiaryStore, record_id: str, prefix: str) -> Recorded[Any]:
    if not record_id.startswith(prefix):
        raise LookupError(f"no record {record_id} of this kind")
    return store.get(record_id)


@router.get(
    "/trial",
    summary="The latest personal trial: its design and its analysis so far, or null",
)
def latest_trial_data(store: StoreDep, catalog: CatalogDep) -> dict[str, Any] | None:
    # The analysis needs SciPy and statsmodels: imported on the first call, not at start.
    from calmcrown.diary.trials import latest_trial
    from calmcrown.insight.trial.analysis import analysis_dict
    from calmcrown.insight.trial.design import design_dict
    from calmcrown.trial_source import analyze_stored_trial

    trial = latest_trial(store)
    if trial is None:
        return None
    analysis = analyze_stored_trial(store, catalog, trial, dt.datetime.now())
    return {"design": design_dict(trial), "analysis": analysis_dict(analysis)}
