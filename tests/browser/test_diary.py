"""The Diary page's forms as a browser sends them (Origin: null under no-referrer)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.run_date import RUN_DATE

YESTERDAY = RUN_DATE - dt.timedelta(days=1)


def test_a_file_imports_through_the_pages_own_form(page: Page, server: str, tmp_path: Path) -> None:
    days = tmp_path / "old-diary.csv"
    days.write_text(f"date,intensity\n{YESTERDAY},4\n")
    page.goto(server + "/diary")
    page.get_by_label("Import a CSV or JSON file").set_input_files(str(days))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Imported 1 of 1 day.")
    [day] = page.request.get(server + "/api/v1/days").json()
    assert (day["date"], day["intensity"]) == (str(YESTERDAY), 4)


def test_a_note_with_line_breaks_survives_an_edit(page: Page, server: str) -> None:
    day = page.request.post(
        server + "/api/v1/days", headers={"Origin": server},
        data={"date": str(YESTERDAY), "intensity": 3, "notes": "line one\nline two"},
    ).json()  # fmt: skip
    page.goto(server + f"/diary/{day['id']}")
    page.get_by_label("Medication taken, with dose").fill("ibuprofen 400 mg")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"Saved the day of {YESTERDAY:%a %-d %b}."
    )
    saved = page.request.get(server + f"/api/v1/days/{day['id']}").json()
    assert saved["notes"] == "line one\nline two" and saved["medication"] == "ibuprofen 400 mg"
