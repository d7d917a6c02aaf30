from __future__ import annotations

import datetime as dt
import json
import re

from fastapi.testclient import TestClient

from calmcrown.diary.transfer import FORMAT, VERSION
from calmcrown.insight.trial.design import design, design_dict
from tests.run_date import RUN_DATE

TODAY = RUN_DATE


def _token(client: TestClient, path: str = "/diary") -> str:
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text)
    assert match
    return match[1]


def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(path, data={**data, "csrftoken": _token(client)})
    return response.status_code, response.text


def _words(html: str) -> str:
    """The page with each run of white space as one space, as a reader sees it."""
    return re.sub(r"\s+", " ", html)


def _day(api: TestClient, date: dt.date, intensity: int, **fields: object) -> str:
    response = api.post(
        "/api/v1/days", json={"date": date.isoformat(), "intensity": intensity, **fields}
    )
    assert response.status_code == 201
    return str(response.json()["id"])


def test_the_diary_counts_the_last_28_days_and_lists_every_kind(api: TestClient) -> None:
    _day(api, TODAY, 6, medication="ibuprofen 400 mg")
    _day(api, TODAY - dt.timedelta(days=1), 0)
    _day(api, TODAY - dt.timedelta(days=40), 8)  # outside the default 28 days
    api.post("/api/v1/headaches", json={"started_at": f"{TODAY}T09:00:00"})
    api.post(
        "/api/v1/sessions",
        json={"date": TODAY.isoformat(), "routine": "evening", "seconds": 600, "pain_before": 6,
              "pain_after": 4},
    )  # fmt: skip
    html = _words(api.get("/diary").text)
    assert "<strong>1</strong> headache day in 2 recorded days; 26 not recorded" in html
    assert "ibuprofen 400 mg" in html
    assert "still going" in html and "It ended now" in html
    assert 'Evening head massage, <span class="nowrap">10 min</span>' in html and "6 → 4" in html
    older = _words(api.get(f"/diary?since={TODAY - dt.timedelta(days=60)}").text)
    assert "<strong>2</strong> headache days" in older


def test_a_bad_date_in_the_range_is_named_and_the_default_shown(client: TestClient) -> None:
    response = client.get("/diary?since=yesterday")
    assert response.status_code == 422
    assert "since: &#39;yesterday&#39; is not a date" in response.text


def test_changing_a_day_checks_it_again_and_keeps_what_was_typed(api: TestClient) -> None:
    day_id = _day(api, TODAY, 3, notes="after lunch")
    form = api.get(f"/diary/{day_id}").text
    assert ">\nafter lunch</textarea>" in form
    status, html = _post(api, f"/diary/{day_id}", {"date": str(TODAY), "intensity": "12",
                                                   "notes": "typed again"})  # fmt: skip
    assert status == 422
    assert "Worst headache, 0-10: must be a whole number from 0 to 10, not 12" in html
    assert ">\ntyped again</textarea>" in html, "what the person typed is shown again"
    assert api.get(f"/api/v1/days/{day_id}").json()["intensity"] == 3, "nothing changed"
    status, _ = _post(api, f"/diary/{day_id}", {"date": str(TODAY), "intensity": "5", "notes": ""})
    assert status == 200  # followed the redirect back to the diary
    day = api.get(f"/api/v1/days/{day_id}").json()
    assert day["intensity"] == 5 and day["notes"] is None


def test_a_session_is_changed_in_minutes(api: TestClient) -> None:
    session = api.post(
        "/api/v1/sessions",
        json={"date": TODAY.isoformat(), "routine": "quick", "seconds": 300},
    ).json()
    form = api.get(f"/diary/{session['id']}").text
    assert 'name="minutes" type="number" value="5"' in form
    assert '<option value="evening" >' in form, "the routine is chosen from the catalog's"
    _post(api, f"/diary/{session['id']}", {"minutes": "7.5", "routine": "quick"})
    [saved] = api.get("/api/v1/sessions").json()
    assert saved["seconds"] == 450


def test_delete_then_undo_brings_the_day_back(api: TestClient) -> None:
    day_id = _day(api, TODAY, 4)
    status, html = _post(api, f"/diary/{day_id}/delete", {})
    assert status == 200 and "Deleted the day." in html and ">Undo<" in html
    assert f"Deleted {day_id}" not in html, "no record ids in what a person reads"
    assert api.get("/api/v1/days").json() == []
    status, html = _post(api, f"/diary/{day_id}/restore", {})
    assert f"Brought back the day of {TODAY:%a %-d %b}." in html
    assert [d["id"] for d in api.get("/api/v1/days").json()] == [day_id]
    status, html = _post(api, f"/diary/{day_id}/restore", {})
    assert status == 422, "a second tap changes nothing"
    assert f"The day of {TODAY:%a %-d %b} is in your diary already" in html
    assert day_id not in html.replace(f"/diary/{day_id}", ""), "no record id in the words"


def test_undo_brings_back_the_record_it_names(api: TestClient) -> None:
    first, second = _day(api, TODAY, 4), _day(api, TODAY - dt.timedelta(days=1), 5)
    _post(api, f"/diary/{first}/delete", {})
    _, html = _post(api, f"/diary/{second}/delete", {})  # in another tab
    assert f'action="/diary/{second}/restore"' in html
    _post(api, f"/diary/{first}/restore", {})  # the first tab's Undo
    assert [d["id"] for d in api.get("/api/v1/days").json()] == [first]


def test_a_headache_still_going_ends_with_one_tap(api: TestClient) -> None:
    started = (dt.datetime.now() - dt.timedelta(hours=3)).replace(microsecond=0)
    headache = api.post("/api/v1/headaches", json={"started_at": started.isoformat()}).json()
    _post(api, f"/diary/{headache['id']}/end", {})
    [ended] = api.get("/api/v1/headaches").json()
    assert ended["ended_at"] is not None and ended["ended_at"] >= started.isoformat()


def test_a_day_recorded_afterwards_merges_into_the_date(api: TestClient) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    _day(api, yesterday, 5, medication="paracetamol 1 g")
    status, html = _post(api, "/diary/days", {"date": str(yesterday), "intensity": "6",
                                              "medication": "", "notes": "late entry"})  # fmt: skip
    assert status == 200 and f"Saved the day of {yesterday:%a %-d %b}." in html
    [day] = api.get("/api/v1/days").json()
    assert (day["intensity"], day["medication"], day["notes"]) == (
        6,
        "paracetamol 1 g",
        "late entry",
    )
    status, html = _post(api, "/diary/days", {"date": "", "intensity": "6"})
    assert status == 422 and "date: required" in html


def test_import_is_all_or_nothing_and_names_the_line(api: TestClient) -> None:
    token = _token(api)
    bad = "date,intensity\n2026-01-01,3\n2026-01-02,eleven\n"
    response = api.post(
        "/diary/import",
        data={"csrftoken": token},
        files={"file": ("old.csv", bad.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert "Nothing imported from old.csv" in response.text
    assert "line 3, column intensity" in response.text
    assert api.get("/api/v1/days").json() == [], "the good line was not written either"
    good = "date,intensity\n2026-01-01,3\n2026-01-02,0\n"
    response = api.post(
        "/diary/import",
        data={"csrftoken": token},
        files={"file": ("old.csv", good.encode(), "text/csv")},
    )
    assert "Imported 2 of 2 days." in response.text
    assert len(api.get("/api/v1/days").json()) == 2


def test_an_import_with_a_trial_says_what_came_in(api: TestClient) -> None:
    start = TODAY - dt.timedelta(days=60)
    trial = design(["head", "none"], start, period_days=7, blocks=3, washout_days=0, seed=3)
    as_exported = {k: v for k, v in design_dict(trial).items() if k != "power"} | {"id": "t1"}
    day = {"date": str(start), "intensity": 4}
    file = {"format": FORMAT, "version": VERSION, "days": [day], "trials": [as_exported]}
    response = api.post(
        "/diary/import",
        data={"csrftoken": _token(api)},
        files={"file": ("old.json", json.dumps(file).encode(), "application/json")},
    )
    assert "Imported 1 of 1 day; 1 of 1 trial." in response.text
    assert api.get("/api/v1/trial").json()["design"]["start"] == str(start)


def test_an_upload_without_a_file_says_so(api: TestClient) -> None:
    response = api.post("/diary/import", data={"csrftoken": _token(api)})
    assert response.status_code == 422 and "file: choose a file first" in response.text


def test_export_downloads_the_whole_diary_and_it_imports_back(
    api: TestClient, client: TestClient
) -> None:
    _day(api, TODAY, 2, notes="a; b")
    exported = api.get("/diary/export.json")
    assert exported.headers["content-disposition"] == 'attachment; filename="calmcrown-diary.json"'
    assert exported.headers["cache-control"] == "no-store"
    assert json.loads(exported.text)["days"][0]["notes"] == "a; b"
    days_csv = api.get("/diary/export/days.csv")
    assert days_csv.text.splitlines()[0].startswith("date,intensity")
    assert api.get("/diary/export/secrets.csv").status_code == 422


def test_an_unknown_record_gets_a_page_with_a_way_back(client: TestClient) -> None:
    response = client.get("/diary/d999")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "No day d999 in this diary." in response.text and 'href="/diary"' in response.text
    assert client.get("/diary/x1").status_code == 404
    assert client.get("/api/v1/days/d999").json() == {"detail": "no day d999 in this diary"}


def test_diary_changes_need_the_token(client: TestClient) -> None:
    client.get("/diary")  # sets the CSRF cookie, as a visit does
    response = client.post("/diary/days", data={"date": str(TODAY), "intensity": "4"})
    assert response.status_code == 403
    assert client.get("/api/v1/days").json() == []


def test_an_upload_from_the_browsers_own_form_is_checked_by_its_token(client: TestClient) -> None:
    """Browsers send Origin: null on a form post here (Referrer-Policy: no-referrer), so
    the token decides; asgi-csrf cannot parse multipart bodies, the handler checks it."""
    token = _token(client)
    csv_file = {"file": ("days.csv", b"date,intensity\n2026-01-01,3\n", "text/csv")}
    null = {"Origin": "null"}
    refused = client.post("/diary/import", data={"csrftoken": "forged"}, files=csv_file,
                          headers=null)  # fmt: skip
    assert refused.status_code == 403 and "Nothing imported" in refused.text
    missing = client.post("/diary/import", files=csv_file, headers=null)
    assert missing.status_code == 403
    assert client.get("/api/v1/days").json() == [], "nothing written without the token"
    done = client.post("/diary/import", data={"csrftoken": token}, files=csv_file, headers=null)
    assert done.status_code == 200 and "Imported 1 of 1 day." in done.text
    foreign = client.post("/diary/import", data={"csrftoken": token}, files=csv_file,
                          headers={"Origin": "http://evil.example"})  # fmt: skip
    assert foreign.status_code == 403


def _form_values(html: str) -> dict[str, str]:
    """What a browser would send back for the edit form, untouched."""
    values = dict(re.findall(r'<input id="f-\w+" name="(\w+)" type="[\w-]+" value="([^"]*)"', html))
    values |= dict(re.findall(r'name="(\w+)" rows="2"[^>]*>\n(.*?)</textarea>', html, re.S))
    for name, options in re.findall(r'<select id="f-\w+" name="(\w+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen[1] if chosen else ""
    return values


def test_saving_a_form_untouched_changes_nothing(api: TestClient) -> None:
    started = (dt.datetime.now() - dt.timedelta(hours=5)).replace(microsecond=500000)
    headache = api.post(
        "/api/v1/headaches",
        json={"started_at": started.isoformat(), "medication": "  ibuprofen  ", "peak": 6,
              "notes": "line one\nline two"},
    ).json()  # fmt: skip
    assert headache["medication"] == "ibuprofen", "the spaces at its ends are not kept"
    form = _form_values(api.get(f"/diary/{headache['id']}").text)
    form["notes"] = form["notes"].replace("\n", "\r\n")  # as a browser sends a textarea
    status, _ = _post(api, f"/diary/{headache['id']}", form)
    assert status == 200
    [after] = api.get("/api/v1/headaches").json()
    assert after["started_at"] == started.isoformat(), "fractions of a second kept"
    assert after["medication"] == "ibuprofen" and after["notes"] == "line one\nline two"


def test_a_changed_note_keeps_its_line_breaks(api: TestClient) -> None:
    day_id = _day(api, TODAY, 2)
    form = _form_values(api.get(f"/diary/{day_id}").text)
    form["notes"] = "slept badly\r\nstiff neck"
    _post(api, f"/diary/{day_id}", form)
    assert api.get(f"/api/v1/days/{day_id}").json()["notes"] == "slept badly\nstiff neck"


def test_a_day_recorded_afterwards_without_intensity_keeps_the_one_recorded(
    api: TestClient,
) -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    _day(api, yesterday, 7)
    status, _ = _post(api, "/diary/days", {"date": str(yesterday), "intensity": "",
                                           "medication": "paracetamol 1 g"})  # fmt: skip
    [day] = api.get("/api/v1/days").json()
    assert status == 200 and (day["intensity"], day["medication"]) == (7, "paracetamol 1 g")
    status, html = _post(api, "/diary/days", {"date": str(TODAY), "intensity": ""})
    assert status == 422 and "intensity: required" in html, "a new day needs its intensity"


def test_a_link_cannot_put_words_on_the_diary(client: TestClient) -> None:
    html = client.get("/diary?deleted=all%20your%20records").text
    assert "all your records" not in html and ">Undo<" not in html
    assert "Imported anything" not in client.get("/diary?imported=Imported%20anything").text


def test_dates_at_the_edges_are_refused_or_kept_within_the_diary(client: TestClient) -> None:
    early = client.get("/diary?until=0001-01-05")
    assert early.status_code == 422 and "until: 0001-01-05 is before 1900" in early.text
    late = client.get("/diary?since=2026-01-01&until=9999-12-31")
    assert late.status_code == 200, "a date after today means today"
    assert client.get("/insights?until=9999-12-31").status_code == 200
    assert client.get("/api/v1/headaches?until=9999-12-31").status_code == 200


def test_a_bad_address_gets_a_page_naming_the_field(client: TestClient) -> None:
    page = client.get("/check?minutes=abc")
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "minutes:" in page.text
    assert "text/html" in client.get("/diary/export/secrets.csv").headers["content-type"]
    api = client.get("/api/v1/days?since=soon")
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["query", "since"]


def _cell(html: str, date: dt.date) -> str:
    """The calendar's cell of a date, as its words for a screen reader and what it shows."""
    words = f"{date:%-d %B}:"
    cells = re.findall(r"<td class=\"[^\"]*\"[^>]*>.*?</td>", html, re.S)
    [cell] = [c for c in cells if f'<span class="visually-hidden">{words}' in _words(c)]
    return _words(cell)


def test_the_calendar_shows_each_days_worst_in_a_band_and_as_a_number(api: TestClient) -> None:
    first = TODAY.replace(day=1)
    _day(api, first, 6, medication="ibuprofen 400 mg")
    html = api.get("/diary").text
    assert f"<caption>{TODAY:%B %Y}</caption>" in html
    headers = re.findall(r'<th scope="col"><span aria-hidden="true">(\w+)</span>', html)
    assert headers == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    cell = _cell(html, first)
    assert 'class="state-headache band-moderate"' in cell
    assert '<span class="cal-value" aria-hidden="true">6</span>' in cell
    assert '<span class="cal-marks" aria-hidden="true">M</span>' in cell
    assert "headache, worst 6 (moderate), medication." in cell
    assert "0: no headache" in html and "medication taken" in html, "a legend"


def test_the_calendar_tells_an_unrecorded_day_from_a_day_without(api: TestClient) -> None:
    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    _day(api, last_month, 0)
    html = api.get(f"/diary?month={last_month:%Y-%m}").text
    without = _cell(html, last_month)
    assert "state-none band-none" in without and ">0</span>" in without
    assert "no headache." in without
    unknown = _cell(html, last_month + dt.timedelta(days=1))
    assert "state-unknown" in unknown and ">\u2013</span>" in unknown and "not recorded." in unknown
    assert 'aria-current="date"' in _cell(api.get("/diary").text, TODAY)


def test_a_month_from_the_calendar_shows_that_month_in_the_lists_too(api: TestClient) -> None:
    earlier = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    _day(api, earlier, 4)
    html = _words(api.get("/diary").text)
    previous = f"/diary?month={earlier:%Y-%m}"
    assert f'<a href="{previous}">← {earlier:%B}</a>' in html
    assert "month=" not in html.split("← ")[1].split("</nav>")[0], "no month still to come"
    month = _words(api.get(previous).text)
    assert f"<caption>{earlier:%B %Y}</caption>" in month
    assert (
        f"{earlier.replace(day=1):%-d %b} to " in month
        and "<strong>1</strong> headache day" in month
    )
    assert f'<a href="/diary?month={TODAY:%Y-%m}">{TODAY:%B} →</a>' in month
    assert "of the 30 days up to" in month, "the medication count names its window"


def test_a_bad_month_is_named_and_one_to_come_means_this_one(client: TestClient) -> None:
    bad = client.get("/diary?month=november")
    assert bad.status_code == 422 and "month: &#39;november&#39; is not a month like" in bad.text
    later = client.get(f"/diary?month={TODAY.year + 1}-01")
    assert later.status_code == 200 and f"<caption>{TODAY:%B %Y}</caption>" in later.text


def test_the_medication_count_is_the_stores_and_warns_at_ten(api: TestClient) -> None:
    html = _words(api.get("/diary").text)
    assert "Medication on <strong>0</strong> of the last 30 days." in html
    for back in range(10):
        _day(api, TODAY - dt.timedelta(days=back * 2), 3, medication="paracetamol 1 g")
    api.post("/api/v1/headaches", json={"started_at": f"{TODAY}T06:00:00", "medication": "x"})
    html = _words(api.get("/diary").text)
    assert "Medication on <strong>10</strong> of the last 30 days." in html, "one a day at most"
    assert "Acute medication on 10 of the last 30 days." in html
    assert "medication-overuse headache" in html


def test_a_nul_character_in_a_form_is_refused_naming_the_field_on_either_database(
    diary_api: TestClient,
) -> None:
    status, page = _post(diary_api, "/diary/days", {"date": "2026-11-01", "intensity": "3",
                                                    "notes": "bad\x00day"})  # fmt: skip
    assert status == 422
    assert "notes: contains a NUL character, which a diary cannot keep" in page
    day = _day(diary_api, dt.date(2026, 11, 2), 4, medication="ibuprofen")
    status, page = _post(diary_api, f"/diary/{day}", {"medication": "ibu\x00profen"})
    assert status == 422
    assert "Medication taken, with dose: contains a NUL character" in page
    [kept] = diary_api.get("/api/v1/days").json()
    assert (kept["date"], kept["medication"]) == ("2026-11-02", "ibuprofen")


def test_the_edit_form_asks_to_confirm_a_long_headache_with_a_box_and_saves_once_ticked(
    diary_api: TestClient,
) -> None:
    started = (dt.datetime.now() - dt.timedelta(days=3)).replace(microsecond=0)
    headache = diary_api.post("/api/v1/headaches", json={"started_at": started.isoformat()})
    address = f"/diary/{headache.json()['id']}"
    earlier = (started - dt.timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%S")
    status, page = _post(diary_api, address, {"started_at": earlier, "ended_at": ""})
    assert status == 422
    assert "Ended: this headache has been going for 63 days; give when it ended, or " \
        "confirm it is still going" in page  # fmt: skip
    assert 'name="confirm_long" value="yes"> Yes, it is still going' in page
    assert f'value="{earlier}"' in page, "the form comes back as typed"
    assert diary_api.get("/api/v1/headaches").json()[0]["started_at"] == started.isoformat()
    status, page = _post(diary_api, address, {"started_at": earlier, "confirm_long": "yes"})
    assert status == 200 and "Saved the headache of" in page
    assert diary_api.get("/api/v1/headaches").json()[0]["started_at"] == earlier


def test_ending_now_a_headache_begun_months_ago_offers_its_edit_form_with_the_box(
    api: TestClient,
) -> None:
    started = (dt.datetime.now() - dt.timedelta(days=50)).replace(second=0, microsecond=0)
    headache = api.post("/api/v1/headaches", json={"started_at": started.isoformat(),
                                                   "confirm_long": True}).json()  # fmt: skip
    status, page = _post(api, f"/diary/{headache['id']}/end", {})
    assert status == 422
    assert "Ended: this headache lasted 50 days; check when it started and ended" in page
    assert 'name="confirm_long" value="yes"> Yes, it did last that long' in page
    assert f'action="/diary/{headache["id"]}"' in page, "the edit form, to give the real end"
    assert api.get("/api/v1/headaches").json()[0]["ended_at"] is None
