"""A diary worth looking at, made through the app's own API: for screenshots and for the
browser tests that check how full pages look."""

from __future__ import annotations

import datetime as dt
import random

from playwright.sync_api import Page


def fill_twelve_weeks(base: str, page: Page) -> None:
    """Twelve weeks of days, sessions in the last six, a headache today, through the
    app's own API: enough for the Insights page to have something to say."""
    rng = random.Random(7)
    today = dt.date.today()
    headers = {"Origin": base}
    for back in range(83, -1, -1):
        date = today - dt.timedelta(days=back)
        practising = back < 42
        if rng.random() < 0.9:
            choices = [0, 0, 0, 0, 0, 3, 5] if practising else [0, 0, 3, 5, 6, 6]
            intensity = rng.choice(choices)
            data = {"date": date.isoformat(), "intensity": intensity}
            if intensity >= 5:
                data["medication"] = "ibuprofen 400 mg"
            page.request.post(base + "/api/v1/days", data=data, headers=headers)
        if practising and back % 2 == 0:
            session = {
                "date": date.isoformat(),
                "routine": "evening",
                "seconds": 600,
                "pain_before": rng.randint(3, 6),
                "pain_after": rng.randint(1, 4),
            }
            page.request.post(base + "/api/v1/sessions", data=session, headers=headers)
    started = dt.datetime.combine(today, dt.time(9, 30))
    page.request.post(
        base + "/api/v1/headaches",
        data={"started_at": started.isoformat(), "peak": 6, "quality": "pressing"},
        headers=headers,
    )
