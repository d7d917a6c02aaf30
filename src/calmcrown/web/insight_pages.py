"""The Insights page and the clinician's report as a download.

The analysis needs numpy, SciPy, statsmodels and matplotlib, which take seconds to
load: they are imported on the first visit to these pages, never by the rest of the app.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from calmcrown.catalog import Catalog
from calmcrown.diary.store import DiaryStore
from calmcrown.web.page_render import render
from calmcrown.web.preferences import COOKIE, read_preferences
from calmcrown.web.query_dates import query_date

router = APIRouter(include_in_schema=False)
DATE_FIELDS = ("since", "until", "practice_start")
log = logging.getLogger("calmcrown")


def warm_up(store: DiaryStore, catalog: Catalog) -> threading.Event:
    """Loads the analysis' libraries and draws its charts once, in the background, so that
    the first visit to Insights after start-up does not wait seconds for imports and
    matplotlib's font cache. The returned event is set when it is done."""
    done = threading.Event()

    def run() -> None:
        try:
            from calmcrown.insight.charts import all_charts
            from calmcrown.insight_source import analyze_diary

            all_charts(analyze_diary(store, catalog, now=dt.datetime.now()))
        except Exception:
            # Only a head start: the first visit does the same work and shows any error.
            log.exception("warming up the Insights page failed")
        finally:
            done.set()

    threading.Thread(target=run, name="calmcrown-warm-up", daemon=True).start()
    return done


def _dates(request: Request) -> tuple[dict[str, dt.date | None], list[str]]:
    problems: list[str] = []
    values = {
        name: query_date(name, request.query_params.get(name), problems) for name in DATE_FIELDS
    }
    since, until = values["since"], values["until"]
    if since and until and since > until:
        problems.append("since: the first date is after the last one")
        values["since"] = None
    return values, problems


@router.get("/insights", response_class=HTMLResponse)
def insights(request: Request) -> HTMLResponse:
    from calmcrown.insight.charts import all_charts
    from calmcrown.insight_source import analyze_diary

    catalog: Catalog = request.app.state.catalog
    store: DiaryStore = request.app.state.store
    dates, problems = _dates(request)
    result = analyze_diary(store, catalog, now=dt.datetime.now(), **dates)
    theme = read_preferences(request.cookies.get(COOKIE)).theme
    response = render(
        request,
        "insights.html",
        result=result,
        data=result.to_dict(),
        charts=all_charts(result, theme),
        wide_charts=all_charts(result, theme, wide=True),
        dates=dates,
        problems=problems,
        query=request.url.query,
    )
    if problems:
        response.status_code = 422
    return response


@router.get("/insights/report.pdf")
def report(request: Request) -> Response:
    from calmcrown.insight.report import report_html, report_pdf
    from calmcrown.insight_source import analyze_diary, report_context

    catalog: Catalog = request.app.state.catalog
    store: DiaryStore = request.app.state.store
    dates, problems = _dates(request)
    if problems:
        return Response("\n".join(problems) + "\n", status_code=422, media_type="text/plain")
    now = dt.datetime.now()
    result = analyze_diary(store, catalog, now=now, **dates)
    name = read_preferences(request.cookies.get(COOKIE)).name
    context = report_context(store, catalog, result, name or "Name not given", now)
    pdf = report_pdf(report_html(result, context))
    headers = {
        "Content-Disposition": f'attachment; filename="calmcrown-report-{now.date()}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(pdf, media_type="application/pdf", headers=headers)
