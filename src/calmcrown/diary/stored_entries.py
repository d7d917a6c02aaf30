"""Entries from the diary's own rows, built without a second validation.

The rules checked each row on its way in and the tables' constraints keep it so, and
validating ten years of rows again would be most of the time spent reading them. One
thing is read as today's rules keep it: free text. An older calmcrown stored text as
typed, so a row may hold a medication of one tab, or "ibuprofen" and a tab; read here
without that whitespace, such a row shows, counts, exports and compares (a diary taking
back its own export) as the same entry written now would.
"""

from __future__ import annotations

import functools
from typing import TypeVar, cast

from sqlalchemy import RowMapping

from calmcrown.diary.records import Entry, is_free_text, normalised_text

E = TypeVar("E", bound=Entry)


def entry_from_row(model: type[E], row: RowMapping) -> E:
    fields = {name: row[name] for name in _field_names(model)}
    for name in _free_text_names(model):
        fields[name] = normalised_text(fields[name])
    return cast(E, model.model_construct(**fields))


@functools.cache
def _field_names(model: type[Entry]) -> tuple[str, ...]:
    # Asked once per model: pydantic's model_fields is rebuilt on every access, which for
    # ten years of diary was a sixth of the time spent reading it.
    return tuple(model.model_fields)


@functools.cache
def _free_text_names(model: type[Entry]) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if is_free_text(model, name))
