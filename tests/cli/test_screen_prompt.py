"""The terminal safety check, answered line by line as a person types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import typer

from calmcrown.catalog import Catalog
from calmcrown.cli.screen_prompt import ask_questions
from calmcrown.screening import question_groups


def _typed(*lines: str) -> Callable[[str], str]:
    """A reader that answers each prompt with the next line, as a person at the keyboard."""
    answers = iter(lines)

    def read(_prompt: str) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    return read


def _lasting_number(catalog: Catalog, flag: str) -> str:
    lasting = next(g for g in question_groups(catalog.safety) if g.hint)
    return str([f.id for f in lasting.flags].index(flag) + 1)


def test_a_lasting_condition_is_followed_by_the_date_a_doctor_checked_it(
    catalog: Catalog,
) -> None:
    number = _lasting_number(catalog, "medication_overuse")
    read = _typed("", "", "", number, "last week", "2999-01-01", "2026-10-02", "")
    answers = ask_questions(catalog.safety, read)
    assert answers.flags == {"medication_overuse"}
    assert answers.doctor_checked == {"medication_overuse": dt.date(2026, 10, 2)}


def test_no_date_means_no_doctor_has_checked_it(catalog: Catalog) -> None:
    number = _lasting_number(catalog, "cancer_or_immunosuppressed")
    answers = ask_questions(catalog.safety, _typed("", "", "", number, "", ""))
    assert answers.flags == {"cancer_or_immunosuppressed"}
    assert answers.doctor_checked == {}


def test_running_out_of_input_never_counts_as_none_apply(catalog: Catalog) -> None:
    number = _lasting_number(catalog, "head_injury_recent")
    with pytest.raises(typer.Exit):
        ask_questions(catalog.safety, _typed("", "", "", number))
