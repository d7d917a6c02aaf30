"""The web app's weight and first paint: the player page's HTML, CSS and JS against a
byte budget, and Today's first contentful paint in headless Chromium on loopback.

Both are measured on the real app, started as `calmcrown serve` over a one-year diary
(web_load.serving, which the latency budget uses too).
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx2

from web_load import serving

PLAYER_BUDGET_KB = 60
KB = 1000  # the stricter reading of "KB": 60 KB is 60,000 bytes, not 61,440
FCP_BUDGET_MS = 300.0
FCP_LOADS = 9
CHROMIUM = "/usr/bin/chromium"
# The flags tests/browser/conftest.py runs Chromium with; copied rather than imported, so
# that a benchmark does not depend on the test suite's modules.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Assets(HTMLParser):
    """The stylesheets and scripts a page makes the browser fetch, in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "link" and ("stylesheet" in rel or "modulepreload" in rel) and found.get("href"):
            self.urls.append(str(found["href"]))
        elif tag == "script" and found.get("src"):
            self.urls.append(str(found["src"]))


# Static imports only: `import x from "./a.js"`, `import "./a.js"`, `export {x} from "./a.js"`
# (each loaded before the page runs); a dynamic import() loads later, if at all. CSS @import
# is followed the same way.
# Static imports, as served: minified, several may share a line and have no spaces.
JS_IMPORT = re.compile(
    r"""(?:^|[;\s])(?:import\s*["']([^"']+)["']"""  # import "./a.js"
    r"""|(?:import|export)\b[^;"']*?\bfrom\s*["']([^"']+)["'])""",  # ... from "./a.js"
    re.MULTILINE,
)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""")


def _imports(url: str, content_type: str, text: str) -> list[str]:
    if "javascript" in content_type:
        found = [side or named for side, named in JS_IMPORT.findall(text)]
    elif "css" in content_type:
        found = CSS_IMPORT.findall(text)
    else:
        found = []
    return [urljoin(url, link) for link in found]


def player_weight(url: str) -> bool:
    """The player for the longest routine, as a form post from the safety check makes it."""
    with httpx2.Client(base_url=url, timeout=10) as client:
        # The check form gives the CSRF token (its cookie is kept by the client), as a
        # browser without this app's Origin header would send it.
        form = client.get("/check", params={"routine": "dedicated", "minutes": 45})
        token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
        if form.status_code != 200 or token is None:
            print(f"player weight: the check form failed ({form.status_code})")
            return False
        fields = {
            "csrftoken": token[1],
            "routine": "dedicated",
            "minutes": "45",
            "pain_before": "4",
            # Every group of the check answered "None of these", as a person would.
            "none": re.findall(r'name="none" value="(\w+)"', form.text),
        }
        page = client.post("/check", data=fields)
        if page.status_code != 200 or 'id="plan-data"' not in page.text:
            print(f"player weight: POST /check gave no player ({page.status_code})")
            return False
        parser = _Assets()
        parser.feed(page.text)
        pending = [urljoin(f"{url}/check", link) for link in parser.urls]
        sizes: dict[str, int] = {}
        while pending:  # breadth-first over the imports, each file counted once
            asset = pending.pop(0)
            if asset in sizes:
                continue
            answer = client.get(asset)
            answer.raise_for_status()
            sizes[asset] = len(answer.content)  # decoded: the uncompressed size
            pending += _imports(asset, answer.headers.get("content-type", ""), answer.text)
        # The first step with a figure: the player fetches it as that step comes.
        plan = json.loads(re.search(r'id="plan-data">(.*?)</script>', page.text, re.S)[1])
        first = next(step["figure"] for step in plan["steps"] if step["figure"])
        figure = client.get(f"/figures/{first}.svg")
        figure.raise_for_status()
        sizes[f"{url}/figures/{first}.svg"] = len(figure.content)
    html = len(page.content)
    total = html + sum(sizes.values())
    ok = total < PLAYER_BUDGET_KB * KB
    parts = ", ".join(f"{asset.removeprefix(url)} {size / KB:.1f}" for asset, size in sizes.items())
    print(
        f"player weight: dedicated 45 min and its first figure, HTML {html / KB:.1f} KB + "
        f"{parts} KB = "
        f"{total / KB:.1f} KB ({total} bytes) uncompressed, audio excluded; budget under "
        f"{PLAYER_BUDGET_KB} KB: {'ok' if ok else 'OVER BUDGET'}"
    )
    return ok


FCP_ENTRIES = "performance.getEntriesByName('first-contentful-paint')"


def first_paint(url: str, loads: int = FCP_LOADS) -> bool:
    """Median first contentful paint of Today over fresh contexts, after one warm-up load.

    A fresh context has an empty cache and no cookies, like a first visit; the warm-up
    load pays for Chromium's own start-up (its renderer and network service), which is
    not the app's.
    """
    from playwright.sync_api import sync_playwright

    paints: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for load in range(loads + 1):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                page.goto(f"{url}/")
                # The paint entry is queued when the frame is presented, which can be a
                # moment after "load"; wait for it rather than read too early.
                page.wait_for_function(f"() => {FCP_ENTRIES}.length > 0")
                paint = float(page.evaluate(f"{FCP_ENTRIES}[0].startTime"))
                context.close()
                if load:  # the first is the warm-up
                    paints.append(paint)
        finally:
            browser.close()
    median = statistics.median(paints)
    ok = median < FCP_BUDGET_MS
    each = ", ".join(f"{paint:.0f}" for paint in paints)
    print(
        f"first paint: Today in headless Chromium, {loads} fresh contexts: {each} ms; "
        f"median {median:.0f} ms, budget under {FCP_BUDGET_MS:.0f} ms: "
        f"{'ok' if ok else 'OVER BUDGET'}"
    )
    return ok


def main() -> bool:
    with tempfile.TemporaryDirectory() as folder, serving(Path(folder)) as served:
        return all([player_weight(served.url), first_paint(served.url)])


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
