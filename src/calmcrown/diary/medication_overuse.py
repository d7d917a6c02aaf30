"""The warning about medication overuse: acute headache medicine on 10 or more of the
last 30 days can keep headaches going (the clinical notes' medication-overuse headache).

What a medication day is, for the store's count and the analysis alike; and what a count
means, in the same words on Today, the Diary, Insights and the report.
"""

from __future__ import annotations

import datetime as dt

from calmcrown.diary.records import normalised_text

MEDICATION_WINDOW_DAYS = 30
MEDICATION_WARNING_DAYS = 10


def took_medication(text: str | None) -> bool:
    """The one rule for "took medication" on a day or at an episode's start: any text
    left once the whitespace at its ends is taken off. New text is stored that way
    already; older rows may still hold a lone tab, and this reads them the same. The
    store asks the database the same question (``queries.medication_given``)."""
    return normalised_text(text) is not None


def medication_warning_text(
    count: int, end: dt.date | None = None, today: dt.date | None = None
) -> str | None:
    """The overuse warning for ``count`` medication days in the window, if it is due.

    The window is the 30 days up to ``end``. Without an ``end``, or when it is ``today``
    (the real date if not given), the warning speaks of the last 30 days; for any other
    end it names that date, so a range that ended long ago does not read as current.
    """
    if count < MEDICATION_WARNING_DAYS:
        return None
    if end is None or end == (today or dt.date.today()):
        window = f"{count} of the last {MEDICATION_WINDOW_DAYS} days"
    else:
        window = f"{count} days in the {MEDICATION_WINDOW_DAYS} days up to {end.isoformat()}"
    return (
        f"Acute medication on {window}. Taking headache medicines this often can keep "
        "headaches going (medication-overuse headache); please talk it over with your doctor."
    )
