"""Server-rendered pages. Handlers gather what a page shows; templates only lay it out."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from calmcrown.catalog import Audience, Catalog
from calmcrown.catalog.models import TIP_TOPICS
from calmcrown.diary.medication_overuse import medication_warning_text
from calmcrown.diary.practice_plans import load_practice_plan
from calmcrown.diary.records import HeadacheEntry, episode_dates
from calmcrown.diary.store import DiaryStore, Recorded
from calmcrown.planner import plan_session, routines_for, session_lengths
from calmcrown.web.page_render import render
from calmcrown.web.preferences import (
    COOKIE,
    ONE_YEAR_S,
    Preferences,
    cookie_value,
    read_preferences,
)
from calmcrown.web.trial_today import today_trial

router = APIRouter(include_in_schema=False)
SESSION_MINUTES = (5, 10, 15, 20, 30, 45)
"""The lengths Today offers, each kept only when a routine for who is there can fill it."""


@router.get("/", response_class=HTMLResponse)
def today(request: Request) -> HTMLResponse:
    catalog: Catalog = request.app.state.catalog
    store: DiaryStore = request.app.state.store
    day = dt.date.today()
    monday = day - dt.timedelta(days=day.weekday())
    week = store.snapshot(monday, day)  # one read for everything below
    recorded = {d.entry.date: d.entry for d in week.days}
    plan = load_practice_plan(store)
    preferences = read_preferences(request.cookies.get(COOKIE))
    audiences = routines_for(Audience(preferences.giver))
    trial = today_trial(store, catalog, audiences, SESSION_MINUTES)
    if trial is not None and trial.now.period is not None:
        # During a trial its period decides what is offered (insight/trial/living.py).
        routines, lengths, other_routines = trial.routines, trial.lengths, False
    else:
        routines = [r for r in catalog.routines.values() if r.audience in audiences]
        lengths = session_lengths(catalog, SESSION_MINUTES, audiences)
        other_routines = any(r.audience not in audiences for r in catalog.routines.values())
    return render(
        request,
        "today.html",
        trial=trial,
        today=day,
        today_entry=recorded.get(day),
        # A headache recorded today may have been worse than the tap: Insights counts the
        # higher of the two, so Today says so rather than show the lower alone.
        episode_peak=_peak_on(week.headaches, day),
        # An episode left open shows here too, so Today never reads lighter than the Diary.
        still_going=[h for h in week.headaches if h.entry.ended_at is None],
        routines=routines,
        other_routines=other_routines,
        giver=preferences.giver,
        lengths=lengths,
        # A stop by the safety check is kept in the diary but is not a session given.
        week_sessions=[s for s in week.sessions if s.entry.outcome != "stopped_by_screening"],
        planned_per_week=plan.sessions_per_week if plan else None,
        warning=medication_warning_text(week.medication_days, day, store.today()),
        saved=request.query_params.get("saved") == "intensity",
        tapped=_score(request.query_params.get("tapped")),
        kept=_score(request.query_params.get("kept")),
    )


def _peak_on(headaches: list[Recorded[HeadacheEntry]], day: dt.date) -> int | None:
    """The highest worst of the headaches that reach ``day``, if any recorded one."""
    now = dt.datetime.now()
    peaks = [h.entry.peak for h in headaches if day in episode_dates(h.entry, now, day, day)]
    return max((peak for peak in peaks if peak), default=None)


def _score(text: str | None) -> int | None:
    """A 0-10 score from the address, or None for anything else."""
    return int(text) if text is not None and text in {str(n) for n in range(11)} else None


@router.get("/library", response_class=HTMLResponse)
def library(request: Request) -> HTMLResponse:
    catalog: Catalog = request.app.state.catalog
    return render(
        request,
        "library.html",
        catalog=catalog,
        routines=list(catalog.routines.values()),
        plans={routine_id: plan_session(catalog, routine_id) for routine_id in catalog.routines},
        techniques=list(catalog.techniques.values()),
        # In the order a beginner needs them: the hands first, aftercare last.
        tip_groups=[
            (topic, heading, [tip for tip in catalog.tips.values() if tip.topic == topic])
            for topic, heading in TIP_TOPICS.items()
        ],
        oils=list(catalog.oils.values()),
    )


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, "summary": spec.get("summary", "")}
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
    ]
    return render(request, "api_docs.html", operations=operations)


@router.post("/today/intensity")
async def save_intensity(request: Request) -> RedirectResponse:
    """One tap on Today: today's worst intensity so far, merged into the day."""
    store: DiaryStore = request.app.state.store
    form = await request.form()
    tapped = str(form.get("intensity", ""))
    # The worst so far: a lower tap later in the day keeps the higher one, unless the
    # person says the higher one was a mistake (the button on Today's notice).
    correcting = form.get("correct") == "yes"
    # The store blocks on another program's write lock: off the event loop.
    day = await run_in_threadpool(
        store.log_day,
        dt.date.today(),
        {"intensity": tapped},
        keep_higher=() if correcting else ("intensity",),
    )
    if str(day.entry.intensity) != tapped:
        return RedirectResponse(f"/?kept={day.entry.intensity}&tapped={tapped}", status_code=303)
    return RedirectResponse("/?saved=intensity", status_code=303)


@router.get("/figures/{figure_id}.svg")
def figure(request: Request, figure_id: str) -> Response:
    """A figure's SVG as drawn; the player fetches each step's as the step comes."""
    catalog: Catalog = request.app.state.catalog
    if figure_id not in catalog.figures:
        return Response(status_code=404)
    return FileResponse(
        catalog.figure_path(figure_id),
        media_type="image/svg+xml",
        headers={"Cache-Control": "max-age=86400"},
    )


@router.get("/audio/cue.wav")
def cue_audio(request: Request, text: str) -> Response:
    """A cue spoken by espeak-ng, for browsers without a voice of their own; cached."""
    from calmcrown.web.cue_audio import FOREIGN_FETCHES, cue_wav

    if request.headers.get("sec-fetch-site") in FOREIGN_FETCHES:
        # Another site's page (an image tag, say) must not make this server render.
        return Response("Cues are for calmcrown's own pages.", status_code=403)
    settings = request.app.state.settings
    path = cue_wav(text, settings.data_dir / "audio")
    if path is None:
        return Response(status_code=404)
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "max-age=86400"})


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request) -> HTMLResponse:
    preferences = read_preferences(request.cookies.get(COOKIE))
    return render(request, "settings.html", preferences=preferences, saved=False, problems=[])


@router.post("/settings", response_class=HTMLResponse)
async def save_settings(request: Request) -> HTMLResponse:
    form = await request.form()
    data = {
        "theme": form.get("theme"),
        "voice": form.get("voice") == "on",
        "chime_volume": form.get("chime_volume"),
        "start_delay": form.get("start_delay"),
        "giver": form.get("giver") or "self",
        "emergency_number": str(form.get("emergency_number") or "").strip(),
        "name": " ".join(str(form.get("name") or "").split()),
        "read_steps": form.get("read_steps") or "alone",
    }
    try:
        preferences = Preferences.model_validate(data)
    except ValidationError as error:
        problems = [f"{e['loc'][0]}: {e['msg']}" for e in error.errors()]
        current = read_preferences(request.cookies.get(COOKIE))
        response = render(
            request, "settings.html", preferences=current, saved=False, problems=problems
        )
        response.status_code = 422
        return response
    response = render(request, "settings.html", preferences=preferences, saved=True, problems=[])
    response.set_cookie(
        COOKIE, cookie_value(preferences), max_age=ONE_YEAR_S, samesite="strict", httponly=True
    )
    return response
