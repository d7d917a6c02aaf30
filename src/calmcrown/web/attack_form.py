"""The attack page's form: what it offers, what it shows, and what a save changes.

Everything is a tap. A question not tapped is not sent, so it keeps what it held, and a
question never answered stays "not recorded": nothing is preselected. The tick lists
(where, triggers) and the medication box carry what the page showed, so a save changes
only what the person changed there, even when the page was open while another device
added a trigger.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calmcrown.diary.records import HeadacheEntry
from calmcrown.diary.text_fields import LIST_SEPARATOR, to_text

# Kept as written in the diary, so they read well in exports and on other pages.
PLACES = (
    "forehead",
    "temples",
    "behind the eyes",
    "top of the head",
    "back of the head",
    "neck",
    "all over",
)
TRIGGERS = (
    "short sleep",
    "stress",
    "skipped a meal",
    "too little to drink",
    "alcohol",
    "screen time",
    "bright light",
    "noise",
    "weather change",
    "period",
    "tense neck",
)


@dataclass(frozen=True)
class Question:
    """One tap question: the field it answers, its words, and its answers as
    (value sent, words shown)."""

    name: str
    label: str
    answers: tuple[tuple[str, str], ...]
    hint: str = ""


YES_NO = (("true", "Yes"), ("false", "No"))
PEAK = Question("peak", "Worst so far", tuple((str(n), str(n)) for n in range(1, 11)))
SIDE = Question("side", "Which side", (("left", "Left"), ("right", "Right"), ("both", "Both")))
QUALITY = Question(
    "quality",
    "How it feels",
    (("pressing", "Pressing, tight"), ("pulsating", "Throbbing, pulsing")),
)
FEATURES = (
    Question("worse_with_activity", "Worse when you move, walk or climb stairs?", YES_NO),
    Question("nausea", "Feeling sick?", YES_NO),
    Question("vomiting", "Have you been sick (vomited)?", YES_NO),
    Question("light_sensitivity", "Does light bother you?", YES_NO),
    Question("sound_sensitivity", "Does noise bother you?", YES_NO),
    Question(
        "aura",
        "Aura?",
        YES_NO,
        "Zigzag lines, flashing lights, or tingling that spreads slowly, before or with "
        "the headache, as you have had before.",
    ),
)
HELPED = Question(
    "medication_helped",
    "Did it help after two hours?",
    (("yes", "Yes"), ("partly", "Partly"), ("no", "No")),
)
QUESTIONS = (PEAK, SIDE, QUALITY, *FEATURES, HELPED)
LABELS = {q.name: q.label.rstrip("?") for q in QUESTIONS} | {
    "location": "Where",
    "triggers": "Triggers",
    "medication": "Medication taken",
}
TEXTS = ("medication",)
LISTS = ("location", "triggers")
SHOWN = "shown_"
"""The prefix of the hidden fields that carry what the page showed."""


def shown_values(entry: HeadacheEntry) -> dict[str, Any]:
    """What the form shows for an episode: each question's answer as the text it sends,
    the tick lists as lists, the medication as its text."""
    values: dict[str, Any] = {q.name: to_text(getattr(entry, q.name)) for q in QUESTIONS}
    values |= {name: list(getattr(entry, name)) for name in LISTS}
    return values | {name: to_text(getattr(entry, name)) for name in TEXTS}


def options(common: Sequence[str], ticked: Sequence[str]) -> list[str]:
    """The tick boxes for a list: the common ones, then any other the episode holds
    (from the command line or the edit form), so that none is dropped unseen."""
    return [*common, *(tag for tag in ticked if tag not in common)]


def other_tags(text: str) -> list[str]:
    # On a phone a list is typed with commas; ';' is the diary's own separator.
    return [tag.strip() for tag in re.split(r"[,;]", text) if tag.strip()]


@dataclass(frozen=True)
class Posted:
    """A posted attack form: the changes to save, and what to show if they are refused."""

    changes: dict[str, Any]
    typed: dict[str, Any]
    shown: dict[str, Any]


def read_form(form: Any, current: HeadacheEntry) -> Posted:
    """The changes a posted form makes to ``current``, the episode as it is now.

    ``form`` is Starlette's FormData: tick boxes send one value each under one name.
    """
    changes: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    shown = _shown(form)
    for question in QUESTIONS:
        answer = form.get(question.name)
        if isinstance(answer, str):
            # Checked by the diary's rules on saving: "11" or "up" is refused by name.
            changes[question.name] = typed[question.name] = answer
    for name in LISTS:
        ticked = [v for v in form.getlist(name) if isinstance(v, str)]
        ticked += other_tags(_text(form, f"{name}_other"))
        typed[name] = ticked
        merged = _merge(getattr(current, name), shown.get(name, []), ticked)
        if merged != list(getattr(current, name)):
            changes[name] = merged
    for name in TEXTS:
        text = _text(form, name).replace("\r\n", "\n")
        typed[name] = text
        if text != shown.get(name, ""):
            changes[name] = text if text.strip() else None
    return Posted(changes, typed, shown)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _shown(form: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for name in LISTS:
        text = _text(form, SHOWN + name)
        shown[name] = [tag for tag in text.split(LIST_SEPARATOR) if tag]
    for name in TEXTS:
        shown[name] = _text(form, SHOWN + name).replace("\r\n", "\n")
    return shown


def _merge(current: Sequence[str], shown: Sequence[str], ticked: Sequence[str]) -> list[str]:
    """``current`` with what the person unticked taken out and what they ticked added:
    a tag someone else added since the page was shown stays."""
    removed = set(shown) - set(ticked)
    kept = [tag for tag in current if tag not in removed]
    return kept + [tag for tag in dict.fromkeys(ticked) if tag not in kept]


def problem_labels(problems: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each problem named with the words the page shows for its field ("triggers.2", one
    item of a list, is named by its list)."""
    return [(LABELS.get(field.split(".")[0], field), why) for field, why in problems]


def shown_text(values: Mapping[str, Any], name: str) -> str:
    """The hidden copy of a list or text the page shows."""
    value = values.get(name, "")
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)
