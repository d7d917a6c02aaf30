"""A headache attack on the phone: started from Today with one tap, then its page.

The page lives at /diary/{id}/attack, beside the record's other actions (/end, /delete,
the edit form at /diary/{id}): it is one diary record seen as an attack, and the menu
shows it under the Diary. Every detail can be added there at any time, later included,
and one tap saves them all; the edit form keeps the times, the notes and clearing an
answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from calmcrown.diary.attacks import start_attack
from calmcrown.diary.records import EntryError, HeadacheEntry, headache_features
from calmcrown.diary.store import DiaryStore, Recorded
from calmcrown.headache_kind import explain_tag
from calmcrown.web import attack_form
from calmcrown.web.page_render import render
from calmcrown.web.preferences import COOKIE, read_preferences

router = APIRouter(include_in_schema=False)
NOTICES = {
    "started": "Saved: a headache from {start}. Add what you can, now or later.",
    "saved": "Saved.",
    "unchanged": "Nothing new to save.",
    "ended": "Saved: it ended at {end}.",
}


def _store(request: Request) -> DiaryStore:
    store: DiaryStore = request.app.state.store
    return store


def _headache(request: Request, record_id: str) -> Recorded[HeadacheEntry]:
    """The episode, or a LookupError (shown as 404) for any other id."""
    recorded = _store(request).get(record_id)
    if not isinstance(recorded.entry, HeadacheEntry):
        raise LookupError(f"no headache {record_id} in this diary")
    return Recorded(recorded.id, recorded.entry, recorded.created)


@router.post("/today/headache")
def start_now(request: Request) -> RedirectResponse:
    """One tap on Today: a headache that started this minute, unless one is going."""
    recorded, started = start_attack(_store(request), dt.datetime.now())
    notice = "?notice=started" if started else ""
    return RedirectResponse(f"/diary/{recorded.id}/attack{notice}", status_code=303)


@router.get("/diary/{record_id}/attack", response_class=HTMLResponse)
def attack_page(request: Request, record_id: str, notice: str | None = None) -> HTMLResponse:
    recorded = _headache(request, record_id)
    values = attack_form.shown_values(recorded.entry)
    return _page(request, recorded, values, values, [], notice)


@router.post("/diary/{record_id}/attack", response_class=HTMLResponse)
async def save_attack(request: Request, record_id: str) -> Response:
    form = await request.form()
    # The store blocks on another program's write lock: off the event loop.
    return await run_in_threadpool(_save_attack, request, record_id, form)


def _save_attack(request: Request, record_id: str, form: FormData) -> Response:
    recorded = _headache(request, record_id)
    posted = attack_form.read_form(form, recorded.entry)
    if not posted.changes:
        return RedirectResponse(f"/diary/{record_id}/attack?notice=unchanged", status_code=303)
    try:
        _store(request).edit(record_id, posted.changes)
    except EntryError as error:
        # Shown again as tapped, with each problem named: nothing was saved.
        values = attack_form.shown_values(recorded.entry) | posted.typed
        problems = attack_form.problem_labels(error.problems)
        response = _page(request, recorded, values, posted.shown, problems, None)
        response.status_code = 422
        return response
    return RedirectResponse(f"/diary/{record_id}/attack?notice=saved", status_code=303)


def _page(
    request: Request,
    recorded: Recorded[HeadacheEntry],
    values: dict[str, Any],
    shown: dict[str, Any],
    problems: list[tuple[str, str]],
    notice: str | None,
) -> HTMLResponse:
    entry = recorded.entry
    now = dt.datetime.now()
    moments = {"start": f"{entry.started_at:%H:%M}"}
    if entry.ended_at is not None:
        moments["end"] = f"{entry.ended_at:%H:%M}"
    # Only the app's own notices, and one about an end only once there is an end: a link
    # cannot put words on the page.
    template = NOTICES.get(notice or "")
    text = None
    if template is not None and ("{end}" not in template or "end" in moments):
        text = template.format(**moments)
    return render(
        request,
        "attack.html",
        record_id=recorded.id,
        entry=entry,
        when=when_words(entry, now),
        notice=text,
        problems=problems,
        values=values,
        shown=shown,
        tag=explain_tag(headache_features(entry, now)),
        form=attack_form,
        emergency_number=read_preferences(request.cookies.get(COOKIE)).emergency_number,
    )


def when_words(entry: HeadacheEntry, now: dt.datetime) -> str:
    """ "Started today at 09:30, still going: 2 h 15 min so far." """
    start = f"Started {_day_words(entry.started_at, now)} at {entry.started_at:%H:%M}"
    if entry.ended_at is None:
        return f"{start}, still going: {duration_words(now - entry.started_at)} so far."
    end = f"ended {_day_words(entry.ended_at, now)} at {entry.ended_at:%H:%M}"
    if entry.ended_at.date() == entry.started_at.date():
        end = f"ended at {entry.ended_at:%H:%M}"
    return f"{start}, {end}: {duration_words(entry.ended_at - entry.started_at)}."


def _day_words(moment: dt.datetime, now: dt.datetime) -> str:
    days = (now.date() - moment.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"on {moment:%a %-d %b}" if moment.year == now.year else f"on {moment:%-d %b %Y}"


def duration_words(span: dt.timedelta) -> str:
    """ "45 min", "2 h 15 min", "3 days 4 h": as long as it has lasted, never negative."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'' if days == 1 else 's'}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"
