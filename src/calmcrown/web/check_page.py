"""The safety check before a session, and what follows it: a stop, or the player.

Every group of questions is answered on its own ("None of these" included); a group left
unanswered is refused, never read as a no. Only lasting conditions are carried over from
the last check, shown as "still true?"; everything about today is asked afresh.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from calmcrown.catalog import Audience, Catalog
from calmcrown.diary.records import SessionEntry, stopped_by_check
from calmcrown.diary.store import DiaryStore, Recorded
from calmcrown.planner import Plan, PlanError, fitting_routines, plan_session, routines_for
from calmcrown.screening import (
    Adaptations,
    AnswersError,
    Screening,
    answers_from_flags,
    check_every_group_answered,
    doctor_check_tags,
    parse_doctor_checks,
    question_groups,
    read_doctor_checks,
    screen,
)
from calmcrown.trial_notice import session_notice
from calmcrown.web.page_render import render
from calmcrown.web.preferences import COOKIE, Preferences, read_preferences

router = APIRouter(include_in_schema=False)
REBUILT_CUES = {"how", "caution"}
"""Cue kinds whose text the player rebuilds from its step (player.js, cueText)."""


LEFT_OFF_THE_PAGE = {"title", "notes", "stop_if"}
"""Plan fields the page shows itself; the player script never reads them."""
STEP_FIELDS_LEFT_OFF = {"region", "both_sides"}


def _player_plan(plan: Plan) -> dict[str, Any]:
    """The plan as the player script needs it, which keeps the page within its weight
    (benchmarks/web_speed.py). Cue text is left out where the player rebuilds it
    (player.js, cueText): a how-to or caution cue repeats its step's lines, and a cue
    that says what the last of its kind said (the pressure question) repeats that."""
    data = {k: v for k, v in plan.to_dict().items() if k not in LEFT_OFF_THE_PAGE}
    data["steps"] = [
        {k: v for k, v in step.items() if k not in STEP_FIELDS_LEFT_OFF} for step in data["steps"]
    ]
    last: dict[str, str] = {}
    compact = []
    for cue in data["cues"]:
        repeated = cue["kind"] in REBUILT_CUES or last.get(cue["kind"]) == cue["text"]
        last[cue["kind"]] = cue["text"]
        compact.append(cue | {"text": ""} if repeated else cue)
    data["cues"] = compact
    return data


@router.get("/check", response_class=HTMLResponse)
def safety_check(
    request: Request, routine: str | None = None, minutes: int | None = None
) -> HTMLResponse:
    catalog: Catalog = request.app.state.catalog
    store: DiaryStore = request.app.state.store
    last = _last_check(store)
    flags = catalog.safety.flags
    # Only the lasting conditions come back from last time; today is asked afresh.
    kept = [f for f in last.entry.reasons if f in flags and flags[f].lasting] if last else []
    checked = read_doctor_checks(last.entry.doctor_checks) if last else {}
    return _check_page(
        request,
        routine or "",
        minutes,
        ticked=set(kept),
        none_of={"lasting"} if last and not kept else set(),
        checked={flag: day.isoformat() for flag, day in checked.items() if flag in kept},
        remembered_on=last.entry.date if last else None,
    )


def _check_page(
    request: Request,
    routine: str,
    minutes: int | None,
    *,
    ticked: set[str],
    none_of: set[str],
    checked: dict[str, str],
    remembered_on: dt.date | None = None,
    pain_before: int | None = None,
    error: str | None = None,
) -> HTMLResponse:
    catalog: Catalog = request.app.state.catalog
    audiences = routines_for(Audience(_preferences(request).giver))
    chosen = catalog.routines[_chosen_routine(catalog, routine, minutes, Adaptations(), audiences)]
    flags = catalog.safety.flags
    response = render(
        request,
        "check.html",
        groups=question_groups(catalog.safety),
        routine=chosen.id,
        routine_title=chosen.title,
        minutes=minutes or "",
        length=minutes or chosen.minutes,
        ticked=ticked,
        none_of=none_of,
        checked=checked,
        today=dt.date.today().isoformat(),
        remembered_on=remembered_on,
        remembered_yes=[flags[f].short for f in flags if f in ticked and flags[f].lasting],
        pain_before=pain_before,
        error=error,
        # Told before the session starts, as the player and the terminal guide tell it.
        deviation=session_notice(request.app.state.store, catalog, chosen.id),
    )
    if error:
        response.status_code = 422
    return response


def _last_check(store: DiaryStore) -> Recorded[SessionEntry] | None:
    """The latest session of the past year that went through the safety check: its
    lasting answers are the ones given last time."""
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
    form = await request.form()
    # A stop is written to the diary, which blocks on another program's write lock:
    # off the event loop.
    return await run_in_threadpool(_verdict, request, form)


def _verdict(request: Request, form: FormData) -> HTMLResponse:
    catalog: Catalog = request.app.state.catalog
    store: DiaryStore = request.app.state.store
    flags = [str(flag) for flag in form.getlist("flag")]
    none_of = {str(key) for key in form.getlist("none")}
    routine = str(form.get("routine") or "")
    minutes = _small_number(str(form.get("minutes") or ""), 240)
    pain = _small_number(str(form.get("pain_before") or ""), 10)
    dates = _doctor_check_dates(catalog, form, flags)
    try:
        check_every_group_answered(question_groups(catalog.safety), flags, none_of)
    except AnswersError as error:
        # Nothing is recorded: the page comes back with the answers given so far.
        return _check_page(
            request, routine, minutes, ticked=set(flags), none_of=none_of, checked=dates,
            pain_before=pain, error=str(error),
        )  # fmt: skip
    checks = parse_doctor_checks(dates)
    result = screen(catalog.safety, answers_from_flags(flags, None, checks), dt.date.today())
    preferences = _preferences(request)
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
            doctor_check_tags(result.doctor_checked),
        ) | _planned_phases(catalog, chosen, minutes)
        store.add_session(store.validate(SessionEntry, stopped))
        return render(
            request, "verdict.html", result=result, plan=None,
            emergency_number=preferences.emergency_number,
        )  # fmt: skip
    routine = _chosen_routine(catalog, routine, minutes, result.adaptations, audiences)
    partner = True if preferences.partner_mode else None
    try:
        plan = plan_session(catalog, routine, minutes, result.adaptations, partner)
    except PlanError as error:
        # Today's answers leave too little of this routine (no feet with a clot history,
        # say): offer the routines that still fit, keeping the answers just given.
        others = fitting_routines(catalog, minutes or 10, result.adaptations, audiences)
        response = render(
            request, "no_fit.html", result=result, reason=str(error), routines=others,
            catalog=catalog, flags=flags, none_of=sorted(none_of), minutes=minutes or "",
            pain_before="" if pain is None else pain,
        )  # fmt: skip
        response.status_code = 422
        return response
    player = _player_settings(request, catalog, plan, result, preferences, pain)
    data = _player_plan(plan)
    return render(
        request, "player.html", result=result, plan=plan, plan_data=data, player=player,
        deviation=session_notice(store, catalog, plan.routine),
    )  # fmt: skip


@router.get("/session", response_class=HTMLResponse)
def running_session(request: Request) -> HTMLResponse:
    """Where the player's address points once it has loaded, so that Back or a reload
    comes here rather than to the check's answer: the page brings back the session kept
    on this device (player.js), paused where it was. The server knows nothing of it."""
    player = {"csrftoken": request.scope["csrftoken"]()}
    return render(request, "player.html", result=None, plan=None, plan_data=None, player=player)


def _preferences(request: Request) -> Preferences:
    return read_preferences(request.cookies.get(COOKIE))


def _doctor_check_dates(catalog: Catalog, form: FormData, flags: list[str]) -> dict[str, str]:
    """The dates typed for doctor's checks, kept only with their yes: a date left in the
    field after unticking means nothing."""
    known = catalog.safety.flags
    return {
        flag: day
        for flag in flags
        if flag in known and known[flag].once_checked is not None
        if (day := str(form.get(f"checked_on_{flag}") or ""))
    }


def _player_settings(
    request: Request,
    catalog: Catalog,
    plan: Plan,
    result: Screening,
    preferences: Preferences,
    pain_before: int | None,
) -> dict[str, Any]:
    pressures = [step.pressure for step in plan.steps if step.pressure is not None]
    return {
        "wait_for_start": bool(result.reasons or plan.notes),
        "start_delay": preferences.start_delay,
        "voice": preferences.voice,
        "read_how": preferences.reads_how(plan.partner_mode),
        "pressure_words": {
            pressure.value: f"{words.feel} ({_unbroken_units(words.grams)} on a kitchen scale)"
            for pressure, words in catalog.pressure_words.items()
        },
        "chime_volume": preferences.chime_volume,
        "today": dt.date.today().isoformat(),
        "given_by": catalog.routine(plan.routine).audience.value,
        "pressure": max(pressures).value if pressures else None,
        "pain_before": pain_before,
        "verdict": result.verdict.value,
        "reasons": [reason.flag for reason in result.reasons],
        "doctor_checks": doctor_check_tags(result.doctor_checked),
        "csrftoken": request.scope["csrftoken"](),
    }


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
