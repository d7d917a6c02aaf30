"""The fields a diary record shows in its edit form, and the form read back as changes.

Forms speak text, as the CSV files do (``text_fields``): an empty box means "not
recorded", lists take items separated by ';'. A session's length is shown in minutes
although the diary keeps seconds, because nobody remembers a session in seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calmcrown.diary.records import (
    DayEntry,
    Entry,
    HeadacheEntry,
    SessionEntry,
    session_seconds,
)
from calmcrown.diary.text_fields import from_text, to_text

YES_NO = (("", "not recorded"), ("true", "yes"), ("false", "no"))
SCORE = tuple((str(v), str(v)) for v in range(11))


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    widget: str = "text"  # text, textarea, number, date, time, datetime-local or select
    options: tuple[tuple[str, str], ...] = ()
    hint: str = ""

    def value_of(self, entry: Entry) -> str:
        if self.name == "minutes" and isinstance(entry, SessionEntry):
            return f"{entry.seconds / 60:.4f}".rstrip("0").rstrip(".")
        value = to_text(getattr(entry, self.name))
        # The browser's controls show whole seconds (step="1"), never fractions.
        if self.widget == "datetime-local":
            return value[:19]
        if self.widget == "time":
            return value[:8]
        return value


def _score(name: str, label: str) -> FormField:
    return FormField(name, label, "select", (("", "not recorded"), *SCORE))


def _yes_no(name: str, label: str) -> FormField:
    return FormField(name, label, "select", YES_NO)


DAY_FIELDS = (
    FormField("date", "Date", "date"),
    # An empty choice first: "Record a day afterwards" on a date already recorded must not
    # turn its headache into a 0 because the select showed one.
    FormField("intensity", "Worst headache, 0-10", "select", (("", "not given"), *SCORE)),
    FormField("hours", "Hours with headache", "number"),
    FormField("medication", "Medication taken, with dose", "textarea"),
    _score("sleep", "Sleep, 0-10"),
    _score("stress", "Stress, 0-10"),
    FormField("notes", "Notes", "textarea"),
)
HEADACHE_FIELDS = (
    FormField("started_at", "Started", "datetime-local"),
    FormField("ended_at", "Ended", "datetime-local", hint="Empty while it is still going."),
    FormField("peak", "Worst, 1-10", "select", (("", "not recorded"), *SCORE[1:])),
    FormField(
        "side",
        "Side",
        "select",
        (("", "not recorded"), ("left", "left"), ("right", "right"), ("both", "both")),
    ),
    FormField(
        "quality",
        "How it felt",
        "select",
        (("", "not recorded"), ("pressing", "pressing"), ("pulsating", "pulsating")),
    ),
    _yes_no("worse_with_activity", "Worse with activity"),
    _yes_no("nausea", "Nausea"),
    _yes_no("vomiting", "Vomiting"),
    _yes_no("light_sensitivity", "Bothered by light"),
    _yes_no("sound_sensitivity", "Bothered by sound"),
    _yes_no("aura", "Aura"),
    FormField("location", "Where", hint="Several: separate with ;"),
    FormField("triggers", "Triggers", hint="Several: separate with ;"),
    FormField("medication", "Medication taken, with dose", "textarea"),
    FormField(
        "medication_helped",
        "Did the medication help after two hours?",
        "select",
        (("", "not recorded"), ("yes", "yes"), ("partly", "partly"), ("no", "no")),
    ),
    FormField("notes", "Notes", "textarea"),
)
SESSION_FIELDS = (
    FormField("date", "Date", "date"),
    FormField("time", "Time", "time"),
    FormField("routine", "Routine"),
    FormField("minutes", "Minutes", "number"),
    _score("pain_before", "Pain before, 0-10"),
    _score("pain_after", "Pain after, 0-10"),
    _score("tension_before", "Tension before, 0-10"),
    _score("tension_after", "Tension after, 0-10"),
    FormField(
        "given_by",
        "Given by",
        "select",
        (("self", "myself"), ("partner", "a partner"), ("practitioner", "a practitioner")),
    ),
    FormField(
        "outcome",
        "How it ended",
        "select",
        (
            ("completed", "completed"),
            ("ended_early", "ended early"),
            ("stopped_by_screening", "stopped by the safety check"),
        ),
    ),
    FormField("notes", "Notes", "textarea"),
)
FIELDS: dict[type[Entry], tuple[FormField, ...]] = {
    DayEntry: DAY_FIELDS,
    HeadacheEntry: HEADACHE_FIELDS,
    SessionEntry: SESSION_FIELDS,
}


def changes_from_form(
    model: type[Entry], form: Mapping[str, str], current: Entry | None = None
) -> dict[str, Any]:
    """The fields of ``model`` present in ``form``, converted as the CSV import converts.

    With ``current``, a field whose text is exactly what the form showed is left out:
    saving a form untouched changes nothing, not even what a browser control cannot show
    (a fraction of a second, spaces at the ends of a note).
    """
    texts: dict[str, str] = {}
    for field in FIELDS[model]:
        if field.name not in form:
            continue
        text = form[field.name]
        if field.widget == "textarea":
            text = text.replace("\r\n", "\n")  # browsers send a textarea's lines as CRLF
        if current is not None and text == field.value_of(current):
            continue
        texts[field.name] = text if field.widget in ("text", "textarea") else text.strip()
    minutes = texts.pop("minutes", None)
    changes = from_text(model, {k: ("" if not v.strip() else v) for k, v in texts.items()})
    if minutes is not None:
        # An EntryError naming "minutes" when the text is not a length.
        changes["seconds"] = session_seconds(minutes)
    return changes
