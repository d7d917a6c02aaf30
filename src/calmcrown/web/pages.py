"""Server-rendered pages. Handlers gather what a page shows; templates only lay it out."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from calmcrown.catalog import Audience, Catalog
from calmcrown.catalog.models import TIP_TOPICS
from calmcrown.diary.practice_plans import load_practice_plan
from calmcrown.diary.records import SessionEntry, stopped_by_check
from calmcrown.diary.store import DiaryStore, Recorded, medication_warning_text
from calmcrown.planner import (
    PlanError,
    fitting_routines,
    plan_session,
    routines_for,
    session_lengths,
)
from calmcrown.screening import Adaptations, question_groups, read_doctor_checks
from calmcrown.web.page_render import render
from calmcrown.web.preferences import (
    COOKIE,
    ONE_YEAR_S,
    Preferences,
    cookie_value,
    read_preferences,
)

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
    return render(
        request,
        "today.html",
        today=day,
        today_entry=recorded.get(day),
        # An episode left open shows here too, so Today never reads lighter than the Diary.
        still_going=[h for h in week.headaches if h.entry.ended_at is None],
        routines=[r for r in catalog.routines.values() if r.audience in audiences],
        other_routines=any(r.audience not in audiences for r in catalog.routines.values()),
        giver=preferences.giver,
        lengths=session_lengths(catalog, SESSION_MINUTES, audiences),
        # A stop by the safety check is kept in the diary but is not a session given.
        week_sessions=[s for s in week.sessions if s.entry.outcome != "stopped_by_screening"],
        planned_per_week=plan.sessions_per_week if plan else None,
        warning=medication_warning_text(week.medication_days, day, store.today()),
        saved=request.query_params.get("saved") == "intensity",
    )


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
    store.log_day(dt.date.today(), {"intensity": str(form.get("intensity", ""))})
    return RedirectResponse("/?saved=intensity", status_code=303)


@router.get("/check", response_class=HTMLResponse)
def safety_check(
    request: Request, routine: str | None = None, minutes: int | None = None
) -> HTMLResponse:
    catalog: Catalog = request.app.state.catalog
    store: DiaryStore = request.app.state.store
    last = _last_check(store)
    ticked = (
        {flag for flag in last.entry.reasons if flag in catalog.safety.flags} if last else set()
    )
    checked = read_doctor_checks(last.entry.doctor_checks) if last else {}
    preferences = read_preferences(request.cookies.get(COOKIE))
    audiences = routines_for(Audience(preferences.giver))
    chosen = catalog.routines[
        _chosen_routine(catalog, routine or "", minutes, Adaptations(), audiences)
    ]
    return render(
        request,
        "check.html",
        groups=question_groups(catalog.safety),
        routine=chosen.id,
        routine_title=chosen.title,
        minutes=minutes or "",
        length=minutes or chosen.minutes,
        ticked=ticked,
        checked={flag: day.isoformat() for flag, day in checked.items() if flag in ticked},
        today=dt.date.today().isoformat(),
        last_check=last.entry.date if last and ticked else None,
    )


def _last_check(store: DiaryStore) -> Recorded[SessionEntry] | None:
    """The latest session of the past year that went through the safety check: its
    answers are the ones given last time.

    Every yes is carried over, so only what changed needs a tap. Carrying a yes over can
    only make the verdict more careful; a no is never assumed, since nothing is ticked
    unless it was ticked before.
    """
    return store.latest_checked_session(dt.date.today() - dt.timedelta(days=365))


def _small_number(text: str, highest: int) -> int | None:
    """A whole number typed in a form, or None: ASCII digits only ("²" is a digit to
    Python) and short, so that no text can make int() fail."""
    if not (1 <= len(text) <= 3 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= highest else None


@router.post("/check", response_class=HTMLResponse)
async def safety_verdict(request: Request) -> HTMLResponse:
    """The verdict, and for a go-ahead the plan the session will follow."""
    from calmcrown.screening import (
        answers_from_flags,
        doctor_check_tags,
        parse_doctor_checks,
        screen,
    )

    catalog: Catalog = request.app.state.catalog
    store: DiaryStore = request.app.state.store
    form = await request.form()
    flags = [str(flag) for flag in form.getlist("flag")]
    # A date is kept only with its yes: one left in the field after unticking means nothing.
    dates = {
        flag: str(form.get(f"checked_on_{flag}") or "")
        for flag in flags
        if flag in catalog.safety.flags and catalog.safety.flags[flag].lasting
    }
    checks = parse_doctor_checks({flag: day for flag, day in dates.items() if day})
    result = screen(catalog.safety, answers_from_flags(flags, None, checks), dt.date.today())
    check_tags = doctor_check_tags(result.doctor_checked)
    routine = str(form.get("routine") or "")
    minutes = _small_number(str(form.get("minutes") or ""), 240)
    preferences = read_preferences(request.cookies.get(COOKIE))
    audiences = routines_for(Audience(preferences.giver))
    if not result.allows_session:
        # As the terminal guide does: the diary keeps that the check stopped a session,
        # under the routine and length that were chosen.
        chosen = _chosen_routine(catalog, routine, minutes, Adaptations(), audiences)
        stopped = stopped_by_check(
            chosen,
            result.verdict.value,
            [reason.flag for reason in result.reasons],
            dt.datetime.now(),
            check_tags,
        ) | _planned_phases(catalog, chosen, minutes)
        store.add_session(store.validate(SessionEntry, stopped))
        return render(request, "verdict.html", result=result, plan=None)
    routine = _chosen_routine(catalog, routine, minutes, result.adaptations, audiences)
    partner = True if preferences.partner_mode else None
    pain = str(form.get("pain_before") or "")
    try:
        plan = plan_session(catalog, routine, minutes, result.adaptations, partner)
    except PlanError as error:
        # Today's answers leave too little of this routine (no feet with a clot history,
        # say): offer the routines that still fit, keeping the answers just given.
        others = fitting_routines(catalog, minutes or 10, result.adaptations, audiences)
        response = render(
            request, "no_fit.html", result=result, reason=str(error), routines=others,
            catalog=catalog, flags=flags, minutes=minutes or "", pain_before=pain,
        )  # fmt: skip
        response.status_code = 422
        return response
    pressures = [step.pressure for step in plan.steps if step.pressure is not None]
    player = {
        "start_delay": preferences.start_delay,
        "voice": preferences.voice,
        "read_how": preferences.reads_how(plan.partner_mode),
        "pressure_words": {
            pressure.value: f"{words.feel} ({_unbroken_units(words.grams)} on a kitchen scale)"
            for pressure, words in catalog.pressure_words.items()
        },
        "chime_volume": preferences.chime_volume,
        "today": dt.date.today().isoformat(),
        "given_by": catalog.routine(routine).audience.value,
        "pressure": max(pressures).value if pressures else None,
        "pain_before": _small_number(pain, 10),
        "verdict": result.verdict.value,
        "reasons": [reason.flag for reason in result.reasons],
        "doctor_checks": check_tags,
        "csrftoken": request.scope["csrftoken"](),
    }
    data = plan.to_dict()
    # A how-to cue repeats its step's lines word for word: the player joins them itself,
    # which keeps the page within its weight (benchmarks/web_speed.py).
    data["cues"] = [cue | {"text": ""} if cue["kind"] == "how" else cue for cue in data["cues"]]
    return render(request, "player.html", result=result, plan=plan, plan_data=data, player=player)


def _unbroken_units(text: str) -> str:
    """A no-break space between a number and its unit keeps "500 g" on one line."""
    return text.replace(" kg", "\u00a0kg").replace(" g", "\u00a0g")


def _chosen_routine(
    catalog: Catalog,
    routine: str,
    minutes: int | None,
    adaptations: Adaptations,
    audiences: frozenset[Audience],
) -> str:
    """The routine asked for, or the one that best fills the minutes for who is there."""
    if routine in catalog.routines:
        return routine
    fits = fitting_routines(catalog, minutes or 10, adaptations, audiences)
    return fits[0] if fits else next(iter(catalog.routines))


def _planned_phases(catalog: Catalog, routine: str, minutes: int | None) -> dict[str, int]:
    """The phases the chosen session would have had, so a stopped one keeps its length."""
    try:
        plan = plan_session(catalog, routine, minutes)
    except PlanError:
        return {}
    return {f"planned_{phase.name.value}_s": phase.seconds for phase in plan.phases}


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
    from calmcrown.web.cue_audio import cue_wav

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
