"""Screenshots of every page at phone and desktop width, to look at them as a person would.

    .venv/bin/python scripts/screenshots.py OUT_DIR [--readme]

Starts the app on a free loopback port with a throwaway diary of a few weeks, drives
Debian's Chromium with Playwright, and writes OUT_DIR/<page>-<width>.png in the dim theme
(the default) and OUT_DIR/<page>-<width>-light.png in the light one, and the clinician's
report as OUT_DIR/report-<n>.png. With --readme it
also writes docs/images/today.png and docs/images/player.png, shown in the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from calmcrown.settings import Settings
from calmcrown.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser.check_steps import answer_check  # noqa: E402
from browser.conftest import CHROMIUM, CHROMIUM_FLAGS, _free_port  # noqa: E402
from browser.sample_diary import fill_twelve_weeks  # noqa: E402

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
PAGES = ["/", "/check?minutes=10", "/diary", "/insights", "/library", "/settings", "/docs"]


def _player(page: Page, base: str) -> None:
    page.clock.install(time=dt.datetime(2026, 11, 22, 20, 0))
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile(r"^10 min\b")).click()
    answer_check(page)
    page.locator("#count-in").wait_for()
    page.clock.run_for(95_000)  # past the count-in, into the first steps


def _every_page(page: Page, base: str, out: Path, suffix: str) -> None:
    for path in PAGES:
        page.goto(base + path)
        slug = path.strip("/").split("?")[0] or "today"
        page.screenshot(path=out / f"{slug}-{suffix}.png", full_page=True)
    _player(page, base)
    page.screenshot(path=out / f"player-{suffix}.png", full_page=False)
    page.get_by_role("button", name="End", exact=True).click()
    page.get_by_role("button", name="Tap again to end").click()
    page.get_by_role("group", name="Pain now").get_by_role("radio", name="3", exact=True).check()
    page.get_by_role("button", name="Save to diary").click()
    page.locator("#after-status").filter(has_text="Saved").wait_for()
    page.screenshot(path=out / f"after-{suffix}.png", full_page=True)


def _report_pages(page: Page, base: str, out: Path) -> None:
    """The clinician's report as the PNG pages a person would see (pdftoppm)."""
    pdf = out / "report.pdf"
    pdf.write_bytes(page.request.get(base + "/insights/report.pdf").body())
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(out / "report")], check=True)


def _choose_theme(page: Page, base: str, theme: str) -> None:
    page.goto(base + "/settings")
    page.locator(f'input[name="theme"][value="{theme}"]').check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()


def main(out: Path, readme: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp())
    port = _free_port()
    settings = Settings(
        data_dir=data / "data", database_url=f"sqlite:///{data / 'shots.db'}", port=port
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            if name == "phone":
                fill_twelve_weeks(base, page)
                _report_pages(page, base, out)
            _every_page(page, base, out, name)
            _choose_theme(page, base, "light")
            _every_page(page, base, out, f"{name}-light")
            _choose_theme(page, base, "dim")
            if readme and name == "phone":
                _player(page, base)
                images = ROOT / "docs" / "images"
                images.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=images / "player.png")
                page.goto(base + "/")
                page.screenshot(path=images / "today.png")
            context.close()
        browser.close()
    server.should_exit = True
    print(f"screenshots in {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--readme", action="store_true", help="also renew the README's two")
    arguments = parser.parse_args()
    main(arguments.out, arguments.readme)
