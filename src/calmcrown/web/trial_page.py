"""The Trial page: set up a personal trial, live with it, and read its result.

No trial (or the last one over and a new one asked for): the set-up form, with the arms
that fit this person. What a design can find is simulated only when the person asks
("Show what this design can find"): the simulation takes seconds, so it is computed for
that one request and kept nowhere (no state shared between requests or profiles).
A running trial: its current period, the calendar with today marked, progress,
amendments, and the forms to extend the period or end the trial early. Over: the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from calmcrown.catalog import Audience, Catalog
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import (
    NoTrial,
    TrialRefused,
    end_trial,
    extend_trial_period,
    is_running,
    latest_trial,
    save_trial,
)
from calmcrown.insight.trial.design import (
    ARM_NAMES,
    ARM_ROUTINES,
    ARMS,
    BLOCK_CHOICES,
    DEFAULT_BLOCKS,
    DEFAULT_PERIOD_DAYS,
    DEFAULT_WASHOUT_DAYS,
    DesignError,
    TrialDesign,
    design,
)
from calmcrown.planner import routines_for
from calmcrown.trial_setup import fitting_arms, lasting_adaptations
from calmcrown.web import trial_words
from calmcrown.web.page_render import render
from calmcrown.web.preferences import COOKIE, read_preferences

if TYPE_CHECKING:  # the analysis needs SciPy: imported when a page first shows it
    from calmcrown.insight.trial.analysis import TrialAnalysis

router = APIRouter(include_in_schema=False)
PERIOD_CHOICES = (7, 14, 21, 28)
WASHOUT_CHOICES = tuple(range(0, 8))
EXTEND_CHOICES = (1, 2, 3, 4, 5, 6, 7)
LABELS = {
    "arms": "What to compare",
    "period_days": "Days in each period",
    "blocks": "Blocks",
    "washout_days": "Settling-in days",
    "start": "Start date",
    "seed": "Seed",
    "trial": "Trial",
    "reason": "Why",
    "period": "Period",
    "days": "Days to add",
    "end": "End",
}
REFUSED_ARMS = {
    "feet": "Feet is not offered: no foot routine fits who gives the massage (see Settings) "
    "or what your last safety check said.",
    "head": "Head is not offered: no head routine fits your last safety check.",
}


def _store(request: Request) -> DiaryStore:
    store: DiaryStore = request.app.state.store
    return store


def _offered_arms(request: Request) -> list[str]:
    catalog: Catalog = request.app.state.catalog
    store = _store(request)
    giver = read_preferences(request.cookies.get(COOKIE)).giver
    adaptations = lasting_adaptations(store, catalog, store.today())
    return fitting_arms(catalog, adaptations, routines_for(Audience(giver)))


def _choices(values: Mapping[str, Any], offered: Sequence[str], today: dt.date) -> dict[str, Any]:
    """The form's values as typed, or the defaults: texts, to show back unchanged."""
    massage = [arm for arm in offered if arm != "none"]
    # By default head against feet when both fit; otherwise the one that fits against none.
    default_arms = massage if len(massage) >= 2 else list(offered)

    def text(name: str, default: str) -> str:
        value = values.get(name)
        return default if value is None or value == "" else str(value)

    arms = values.get("arms")
    return {
        "arms": list(arms) if arms is not None else default_arms,
        "period_days": text("period_days", str(DEFAULT_PERIOD_DAYS)),
        "blocks": text("blocks", str(DEFAULT_BLOCKS)),
        "washout_days": text("washout_days", str(DEFAULT_WASHOUT_DAYS)),
        "start": text("start", today.isoformat()),
    }


def _whole(name: str, text: str, allowed: Sequence[int]) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 3) or int(text) not in allowed:
        shown = ", ".join(map(str, allowed))
        raise DesignError(name, f"choose one of {shown}")
    return int(text)


def _design_from(choices: Mapping[str, Any], offered: Sequence[str]) -> TrialDesign:
    """The design the form asks for; a DesignError naming the field otherwise."""
    arms = [arm for arm in ARMS if arm in choices["arms"]]
    unknown = [arm for arm in choices["arms"] if arm not in offered]
    if unknown:
        raise DesignError("arms", f"{unknown[0]!r} is not offered here")
    if len(arms) < 2:
        raise DesignError("arms", "tick at least two things to compare")
    try:
        start = dt.date.fromisoformat(str(choices["start"]))
    except ValueError:
        raise DesignError("start", f"{choices['start']!r} is not a date") from None
    return design(
        arms,
        start,
        period_days=_whole("period_days", choices["period_days"], PERIOD_CHOICES),
        blocks=_whole("blocks", choices["blocks"], BLOCK_CHOICES),
        washout_days=_whole("washout_days", choices["washout_days"], WASHOUT_CHOICES),
    )


def _setup_page(request: Request, choices: dict[str, Any], offered: list[str],
                problems: list[tuple[str, str]], power: dict[str, Any] | None,
                status: int = 200) -> HTMLResponse:  # fmt: skip
    response = render(
        request,
        "trial.html",
        state="setup",
        choices=choices,
        offered=offered,
        not_offered=[REFUSED_ARMS[a] for a in ARMS if a not in offered and a in REFUSED_ARMS],
        arm_names=ARM_NAMES,
        arm_what=ARM_ROUTINES,
        weeks=trial_words.weeks,
        period_choices=PERIOD_CHOICES,
        block_choices=BLOCK_CHOICES,
        washout_choices=WASHOUT_CHOICES,
        problems=problems,
        power=power,
        today=_store(request).today(),
    )
    response.status_code = status
    return response


def _power(request: Request, trial: TrialDesign) -> dict[str, Any]:
    from calmcrown.trial_source import design_power

    catalog: Catalog = request.app.state.catalog
    chain, rows = design_power(_store(request), catalog, trial, dt.datetime.now())
    return {
        "words": trial_words.power_words(rows),
        "summary": trial_words.power_summary(rows),
        "source": trial_words.chain_words(chain),
        "simulations": rows[0].simulations if rows else 0,
    }


@router.get("/trial", response_class=HTMLResponse)
def trial_page(request: Request) -> HTMLResponse:
    store = _store(request)
    today = store.today()
    trial = latest_trial(store)
    if trial is not None and is_running(trial, today):
        return _running_page(request, trial, today)
    if trial is not None and "new" not in request.query_params:
        return _result_page(request, trial)
    offered = _offered_arms(request)
    # A new trial starts after the last one's end: the store refuses an overlap.
    first_day = today if trial is None else max(today, trial.end + dt.timedelta(days=1))
    choices = _choices({"start": first_day.isoformat()}, offered, today)
    return _setup_page(request, choices, offered, [], None)


def _form_choices(request: Request, form: FormData, offered: Sequence[str]) -> dict[str, Any]:
    fields = ("period_days", "blocks", "washout_days", "start")
    values: dict[str, Any] = {name: str(form.get(name) or "") for name in fields}
    values["arms"] = [str(arm) for arm in form.getlist("arms")]
    return _choices(values, offered, _store(request).today())


def _problem(error: DesignError | TrialRefused) -> tuple[str, str]:
    """The problem named by its label on the form, never the parameter's internal name."""
    field = error.field if isinstance(error, TrialRefused) else error.parameter
    return LABELS.get(field, field), str(error).split(": ", 1)[1]


@router.post("/trial/power", response_class=HTMLResponse)
async def show_power(request: Request) -> HTMLResponse:
    """What the chosen arms, period and settling-in days can find for 3 to 6 blocks;
    simulated now, for this request only (a few seconds), and stored nowhere."""
    form = await request.form()
    return await run_in_threadpool(_show_power, request, form)


def _show_power(request: Request, form: FormData) -> HTMLResponse:
    offered = _offered_arms(request)
    choices = _form_choices(request, form, offered)
    try:
        wanted = _design_from(choices, offered)
    except DesignError as error:
        return _setup_page(request, choices, offered, [_problem(error)], None, status=422)
    return _setup_page(request, choices, offered, [], _power(request, wanted))


@router.post("/trial", response_class=HTMLResponse)
async def start_trial(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_start_trial, request, form)


def _start_trial(request: Request, form: FormData) -> Response:
    offered = _offered_arms(request)
    choices = _form_choices(request, form, offered)
    try:
        save_trial(_store(request), _design_from(choices, offered))
    except (DesignError, TrialRefused) as error:
        return _setup_page(request, choices, offered, [_problem(error)], None, status=422)
    return RedirectResponse("/trial?started=1", status_code=303)


def _analysis(request: Request, trial: TrialDesign) -> TrialAnalysis:
    from calmcrown.trial_source import analyze_stored_trial

    catalog: Catalog = request.app.state.catalog
    return analyze_stored_trial(_store(request), catalog, trial, dt.datetime.now())


def _analysis_data(analysis: TrialAnalysis) -> dict[str, Any]:
    from calmcrown.insight.trial.analysis import analysis_dict

    return analysis_dict(analysis)


def _running_page(request: Request, trial: TrialDesign, today: dt.date,
                  problems: Sequence[tuple[str, str]] = (), typed: Mapping[str, str] | None = None,
                  status: int = 200) -> HTMLResponse:  # fmt: skip
    heading, what = trial_words.current_words(trial, today)
    analysis = _analysis_data(_analysis(request, trial))
    current = trial.period_on(today)
    response = render(
        request,
        "trial.html",
        state="running",
        trial=trial,
        heading=heading,
        what=what,
        calendar=trial_words.calendar(trial, today),
        blocks_of=trial_words.blocks_of,
        progress=trial_words.progress_words(trial, analysis, today),
        current=current,
        started=today < trial.start,
        extend_choices=EXTEND_CHOICES,
        problems=list(problems),
        typed=typed or {},
        just_started=request.query_params.get("started") == "1",
        notice=request.query_params.get("extended") == "1",
        day_words=trial_words.day_words,
        this_year=today.year,
    )
    response.status_code = status
    return response


def _result_page(request: Request, trial: TrialDesign) -> HTMLResponse:
    from calmcrown.insight.trial.page_context import trial_page_context
    from calmcrown.trial_source import trial_results

    catalog: Catalog = request.app.state.catalog
    result, stops = trial_results(_store(request), catalog, trial, dt.datetime.now())
    theme = read_preferences(request.cookies.get(COOKIE)).theme
    return render(
        request,
        "trial.html",
        state="over",
        ended_now=request.query_params.get("ended") == "1",
        wide_charts=True,
        **trial_page_context(result, theme=theme, stops=stops),
    )


@router.get("/trial/report.pdf")
def trial_report(request: Request) -> Response:
    """The trial's report for a clinician, as ``calmcrown trial report --pdf`` writes it."""
    from calmcrown.trial_source import trial_report_pdf

    trial = latest_trial(_store(request))
    if trial is None:
        return Response("There is no trial to report.\n", status_code=404, media_type="text/plain")
    catalog: Catalog = request.app.state.catalog
    name = read_preferences(request.cookies.get(COOKIE)).name or "Name not given"
    now = dt.datetime.now()
    pdf = trial_report_pdf(_store(request), catalog, trial, name, now)
    headers = {
        "Content-Disposition": f'attachment; filename="calmcrown-trial-{now.date()}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post("/trial/end", response_class=HTMLResponse)
async def end_the_trial(request: Request) -> Response:
    form = await request.form()
    return await run_in_threadpool(_end, request, str(form.get("reason") or ""))


def _end(request: Request, reason: str) -> Response:
    store = _store(request)
    try:
        end_trial(store, reason)
    except (TrialRefused, DesignError) as error:
        return _amend_refused(request, _problem(error), {"reason": reason})
    except NoTrial as error:
        return _amend_refused(request, ("Trial", str(error)), {"reason": reason})
    return RedirectResponse("/trial?ended=1", status_code=303)


@router.post("/trial/extend", response_class=HTMLResponse)
async def extend_the_period(request: Request) -> Response:
    form = await request.form()
    typed = {k: str(form.get(k) or "") for k in ("period", "days", "extend_reason")}
    return await run_in_threadpool(_extend, request, typed)


def _extend(request: Request, typed: dict[str, str]) -> Response:
    store = _store(request)
    try:
        period = _whole("period", typed["period"], range(1, 100))
        days = _whole("days", typed["days"], EXTEND_CHOICES)
        extend_trial_period(store, period, days, typed["extend_reason"])
    except (TrialRefused, DesignError) as error:
        return _amend_refused(request, _problem(error), typed)
    except NoTrial as error:
        return _amend_refused(request, ("Trial", str(error)), typed)
    return RedirectResponse("/trial?extended=1", status_code=303)


def _amend_refused(request: Request, problem: tuple[str, str],
                   typed: Mapping[str, str]) -> HTMLResponse:  # fmt: skip
    """The running trial's page again, with the problem next to what was typed."""
    store = _store(request)
    today = store.today()
    trial = latest_trial(store)
    if trial is None or not is_running(trial, today):
        response = render(
            request, "refused.html", title="Not changed", problems=[problem], back="/trial"
        )
        response.status_code = 422
        return response
    return _running_page(request, trial, today, [problem], typed, status=422)
