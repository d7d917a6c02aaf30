"""The Diary pages: read days, headaches and sessions; correct, delete and undo; add a
day afterwards; import a file and download the whole diary.

Every change goes through the store, which checks the whole record again; a refused form
is shown again with each problem next to its field's name, and nothing is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from calmcrown.catalog import Catalog
from calmcrown.diary.month_calendar import diary_view, month_bounds
from calmcrown.diary.records import (
    DayEntry,
    Entry,
    EntryError,
    HeadacheEntry,
    LongEpisode,
    SessionEntry,
)
from calmcrown.diary.store import DiaryStore, NotDeleted, Recorded
from calmcrown.diary.transfer import (
    MODELS,
    Kind,
    TransferError,
    csv_text,
    export_data,
    import_bytes,
    json_text,
)
from calmcrown.trial_notice import deviating_sessions
from calmcrown.web.collector import collector_paused
from calmcrown.web.diary_forms import FIELDS, FormField, changes_from_form
from calmcrown.web.page_render import render
from calmcrown.web.query_dates import query_date, query_month
from calmcrown.web.security import CSRF_COOKIE, check_upload_token

router = APIRouter(include_in_schema=False)
DEFAULT_DAYS = 28
CONFIRM_LONG = {True: "Yes, it is still going", False: "Yes, it did last that long"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _store(request: Request) -> DiaryStore:
    store: DiaryStore = request.app.state.store
    return store


def _text_form(form: Any) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


@router.get("/diary", response_class=HTMLResponse)
def diary(
    request: Request, since: str | None = None, until: str | None = None, month: str | None = None
) -> HTMLResponse:
    today = dt.date.today()
    now = dt.datetime.now()
    problems: list[str] = []
    last = query_date("until", until, problems)
    first = query_date("since", since, problems)
    chosen_month = query_month("month", month, problems)
    if chosen_month is not None and first is None and last is None:
        # A month from the calendar's links: the lists below show that month too.
        first, last = month_bounds(chosen_month)
        last = min(last, today)
    last = last or today
    first = first or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        problems.append("since: the first date is after the last one")
        first = last - dt.timedelta(days=DEFAULT_DAYS - 1)
    summary, calendar = diary_view(_store(request), first, last, chosen_month or last, now)
    response = render(
        request,
        "diary.html",
        summary=summary,
        calendar=calendar,
        problems=problems,
        today=today,
        notice=_notice(request),
        day_fields=FIELDS[MODELS["days"]],
        routine_titles={key: r.title for key, r in request.app.state.catalog.routines.items()},
        # Recorded and counted, never hidden: a trial's deviations say so in the list too.
        deviations=deviating_sessions(_store(request), request.app.state.catalog, summary.sessions),
    )
    if problems:
        response.status_code = 422
    return response


_RECORD_ID = re.compile(r"[dhs][0-9]{1,15}")
_IMPORTED = re.compile(
    r"Imported [0-9]+ of [0-9]+ [a-z]+(; [0-9]+ were already in the diary)?"
    r"(; [0-9]+ of [0-9]+ trials?( \([0-9]+ already in the diary\))?)?\."
)  # every shape ImportReport.summary writes, the trials' clause included


def _notice(request: Request) -> dict[str, str] | None:
    """What the last change did, shown once at the top of the diary, in words: "Saved
    the session of Thu 3 Dec", never a record id. Only the shapes this app writes are
    shown: a link from elsewhere cannot put words on the page."""
    for key, text in (
        ("saved", "Saved {what}."),
        ("added", "Saved {what}."),
        ("deleted", "Deleted {what}."),
        ("restored", "Brought back {what}."),
    ):
        value = request.query_params.get(key) or ""
        if _RECORD_ID.fullmatch(value):
            what = _record_in_words(_store(request), value, deleted=key == "deleted")
            return {"kind": key, "text": text.format(what=what), "id": value}
    imported = request.query_params.get("imported") or ""
    if _IMPORTED.fullmatch(imported):
        return {"kind": "imported", "text": imported}
    return None


_KIND_WORDS = {"d": "day", "h": "headache", "s": "session"}


def _record_in_words(store: DiaryStore, record_id: str, *, deleted: bool) -> str:
    """ "the session of Thu 3 Dec"; a deleted record, which the diary no longer shows,
    is named by its kind alone."""
    kind = _KIND_WORDS[record_id[0]]
    if deleted:
        return f"the {kind}"
    try:
        entry = store.get(record_id).entry
    except LookupError:
        return f"the {kind}"
    if isinstance(entry, HeadacheEntry):
        day = entry.started_at.date()
    elif isinstance(entry, DayEntry | SessionEntry):
        day = entry.date
    else:
        return f"the {kind}"
    return f"the {kind} of {day:%a %-d %b}"


@router.post("/diary/days", response_class=HTMLResponse)
async def add_day(request: Request) -> Response:
    """A day recorded afterwards; a date already in the diary keeps the fields not given."""
    form = _text_form(await request.form())
    # The store blocks (another program's write lock, a disk): off the event loop, so
    # the server goes on answering everyone else meanwhile. The same for every form.
    return await run_in_threadpool(_add_day, request, form)


def _add_day(request: Request, form: dict[str, str]) -> Response:
    store = _store(request)
    model = MODELS["days"]
    try:
        changes = changes_from_form(model, form)
        date_text = changes.pop("date", None)
        if not date_text:
            raise EntryError([("date", "required")])
        try:
            date = dt.date.fromisoformat(str(date_text))
        except ValueError:
            raise EntryError([("date", f"{date_text!r} is not a date")]) from None
        recorded = store.log_day(date, {k: v for k, v in changes.items() if v is not None})
    except EntryError as error:
        return _refused(request, "Day not saved", error.problems)
    return RedirectResponse(f"/diary?added={recorded.id}", status_code=303)


@router.post("/diary/import", response_class=HTMLResponse)
async def import_upload(request: Request, file: UploadFile | None = None) -> Response:
    """A CSV or JSON file in the import format: all of it, or none of it and why."""
    form = await request.form()
    token = form.get("csrftoken")
    cookie = request.cookies.get(CSRF_COOKIE)
    secret: str = request.app.state.csrf_secret
    if not check_upload_token(request.scope, token if isinstance(token, str) else None,
                              cookie, secret):  # fmt: skip
        response = _refused(
            request, "Nothing imported", [("", "the form had expired; please load the page again")]
        )
        response.status_code = 403
        return response
    if file is None or not file.filename:
        return _refused(request, "Nothing imported", [("file", "choose a file first")])
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        return _refused(request, "Nothing imported", [("file", "larger than 20 MB")])
    try:
        with collector_paused():  # its pauses would hold every other request up
            report = await run_in_threadpool(import_bytes, _store(request), file.filename, content)
    except TransferError as error:
        return _refused(
            request, f"Nothing imported from {file.filename}", [("", p) for p in error.problems]
        )
    return RedirectResponse(f"/diary?imported={report.summary()}", status_code=303)


@router.get("/diary/export.json")
def export_json(request: Request) -> Response:
    return _download(json_text(export_data(_store(request))), "calmcrown-diary.json", "json")


@router.get("/diary/export/{kind}.csv")
def export_csv(request: Request, kind: Kind) -> Response:
    return _download(csv_text(export_data(_store(request)), kind), f"{kind}.csv", "csv")


def _download(text: str, filename: str, kind: str) -> Response:
    media = "application/json" if kind == "json" else "text/csv; charset=utf-8"
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",  # health data: never kept in a shared cache
    }
    return Response(text, media_type=media, headers=headers)


@router.get("/diary/{record_id}", response_class=HTMLResponse)
def edit_form(request: Request, record_id: str) -> HTMLResponse:
    recorded = _record(request, record_id)
    return _edit_page(request, recorded, problems=[])


@router.post("/diary/{record_id}", response_class=HTMLResponse)
async def save_edit(request: Request, record_id: str) -> Response:
    form = _text_form(await request.form())
    return await run_in_threadpool(_save_edit, request, record_id, form)


def _save_edit(request: Request, record_id: str, form: dict[str, str]) -> Response:
    store = _store(request)
    recorded = _record(request, record_id)
    model = type(recorded.entry)
    try:
        changes = changes_from_form(model, form, recorded.entry)
        store.edit(record_id, changes, long_confirmed=form.get("confirm_long") == "yes")
    except EntryError as error:
        # The form comes back as the person filled it, so nothing they typed is lost; a
        # headache longer than a month comes back with a box to confirm it.
        long = error if isinstance(error, LongEpisode) else None
        return _edit_page(request, recorded, error.problems, form, status=422, long=long)
    return RedirectResponse(f"/diary?saved={record_id}", status_code=303)


@router.post("/diary/{record_id}/end", response_class=HTMLResponse)
async def end_headache(request: Request, record_id: str) -> Response:
    """One tap ends a headache still marked as going on, at this minute; from the
    attack page, the person stays on it (to say later whether the medication helped)."""
    back_to_attack = (await request.form()).get("then") == "attack"
    return await run_in_threadpool(_end_headache, request, record_id, back_to_attack)


def _end_headache(request: Request, record_id: str, back_to_attack: bool) -> Response:
    store = _store(request)
    recorded = _record(request, record_id)
    if recorded.kind != "headache":
        raise LookupError(f"no headache {record_id} in this diary")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    try:
        store.edit(record_id, {"ended_at": now})
    except LongEpisode as error:
        # Most likely it ended long ago: the edit form, its end now and a box to confirm.
        typed = {"ended_at": now.isoformat()}
        return _edit_page(request, recorded, error.problems, typed, status=422, long=error)
    except EntryError as error:
        return _refused(request, "Not changed", _labelled(HeadacheEntry, error.problems))
    if back_to_attack:
        return RedirectResponse(f"/diary/{record_id}/attack?notice=ended", status_code=303)
    return RedirectResponse(f"/diary?saved={record_id}", status_code=303)


@router.post("/diary/{record_id}/restore", response_class=HTMLResponse)
def restore(request: Request, record_id: str) -> Response:
    """Undo under "Deleted d13." brings back d13 itself, whatever was deleted since."""
    try:
        restored = _store(request).restore(record_id)
    except NotDeleted:
        # Undo tapped twice: the first tap brought it back, which is what was wanted.
        what = _record_in_words(_store(request), record_id, deleted=False)
        return _refused(
            request,
            "Nothing to bring back",
            [("", f"{what[:1].upper()}{what[1:]} is in your diary already")],
        )
    except EntryError as error:
        return _refused(request, "Nothing to bring back", error.problems)
    return RedirectResponse(f"/diary?restored={restored.id}", status_code=303)


@router.post("/diary/{record_id}/delete")
def delete(request: Request, record_id: str) -> RedirectResponse:
    _store(request).delete(record_id)
    return RedirectResponse(f"/diary?deleted={record_id}", status_code=303)


def _record(request: Request, record_id: str) -> Recorded[Any]:
    """The record, or a LookupError (shown as 404) for an id this diary does not have."""
    return _store(request).get(record_id)


def _edit_page(
    request: Request,
    recorded: Recorded[Any],
    problems: list[tuple[str, str]],
    typed: dict[str, str] | None = None,
    status: int = 200,
    long: LongEpisode | None = None,
) -> HTMLResponse:
    catalog: Catalog = request.app.state.catalog
    fields = [_with_routines(field, catalog) for field in FIELDS[type(recorded.entry)]]
    values = {f.name: f.value_of(recorded.entry) for f in fields} | (typed or {})
    response = render(
        request,
        "diary_edit.html",
        recorded=recorded,
        fields=fields,
        values=values,
        problems=_labelled(type(recorded.entry), problems),
        confirm_long=None if long is None else CONFIRM_LONG[long.ongoing],
    )
    response.status_code = status
    return response


def _labelled(model: type[Entry], problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each problem named by its field's label on the form, never its internal name."""
    labels = {field.name: field.label for field in FIELDS[model]} | {"seconds": "Minutes"}
    return [(labels.get(name, name), why) for name, why in problems]


def _with_routines(field: FormField, catalog: Catalog) -> FormField:
    if field.name != "routine":
        return field
    options = tuple((rid, routine.title) for rid, routine in catalog.routines.items())
    return dataclasses.replace(field, widget="select", options=options)


def _refused(request: Request, title: str, problems: list[tuple[str, str]]) -> HTMLResponse:
    response = render(request, "refused.html", title=title, problems=problems)
    response.status_code = 422
    return response
