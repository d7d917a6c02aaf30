"""Turn text (CSV cells, ``FIELD=VALUE`` arguments) into values an entry model can check.

An empty text means "not recorded". Lists (triggers, where on the head, screening
reasons) are written with semicolons between items, since commas already separate CSV
columns. Everything else is handed to the model as text, which checks and converts it.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any

from calmcrown.diary.records import Entry

LIST_SEPARATOR = ";"


def is_list_field(model: type[Entry], name: str) -> bool:
    field = model.model_fields.get(name)
    return field is not None and typing.get_origin(field.annotation) is list


def is_text_field(model: type[Entry], name: str) -> bool:
    """Whether the field holds the person's own words (a note, a medication, tags), as
    opposed to a number, a date, a yes/no or one of a few fixed words."""
    field = model.model_fields.get(name)
    return field is not None and str in _kinds(field.annotation)


def is_number_field(model: type[Entry], name: str) -> bool:
    """Whether the field holds a number: a score, a length, hours."""
    field = model.model_fields.get(name)
    return field is not None and bool(_kinds(field.annotation) & {int, float})


def _kinds(annotation: object) -> set[object]:
    """The types an annotation allows, through unions, lists and ``Annotated``."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is typing.Literal:
        return {typing.Literal}
    arguments = typing.get_args(annotation)
    return set().union(*map(_kinds, arguments)) if arguments else {annotation}


def from_text(model: type[Entry], values: Mapping[str, str]) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    for name, text in values.items():
        if is_list_field(model, name):
            converted[name] = [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]
        elif text == "":
            converted[name] = None
        else:
            converted[name] = text
    return converted


def to_text(value: Any) -> str:
    """The text form of a stored value, as ``from_text`` reads it back."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
