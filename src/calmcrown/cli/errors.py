"""How the command line reads its inputs and reports what is wrong with them.

Scripts rely on the contract: a problem with the input prints one line on stderr that
names it, and exits with code 2; nothing else is printed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer._click.core import Context
from typer.core import TyperGroup

if TYPE_CHECKING:
    from calmcrown.screening import Answers

USAGE_ERROR = 2
DIARY_TROUBLE = 1
EARLIEST_DATE = dt.date(1900, 1, 1)
STOPPED_BY_SCREENING = 3


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    sys.stderr.write(f"calmcrown: {message}\n")
    raise typer.Exit(code)


def parse_date(option: str, text: str | None) -> dt.date | None:
    """An option's date, or exit 2 naming the option when it is not one. The diary holds
    nothing before 1900 or after today, so a later date means today."""
    if text is None:
        return None
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option}: {text!r} is not a date like 2026-11-22")
    if value < EARLIEST_DATE:
        fail(f"{option}: {value} is before 1900; a typo?")
    return min(value, dt.date.today())


def read_json_file(path: Path, named: str) -> Any:
    """The JSON in ``path``, or exit 2 with ``named`` (the option or the file, as the
    command's messages call it) and what is wrong: missing, unreadable, or not JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{named} does not exist")
    except OSError as error:
        fail(f"{named} cannot be read ({error.strerror})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{named} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})")


def read_answers(path: Path) -> Answers:
    """Screening answers from a JSON file, or exit 2 naming what is wrong with it."""
    from calmcrown.screening import AnswersError, parse_answers

    data = read_json_file(path, f"answers file {str(path)!r}")
    try:
        return parse_answers(data)
    except AnswersError as error:
        fail(f"answers file {str(path)!r}: {error}")


TROUBLE_WORDS = {
    "busy": "the diary is busy: another program is writing to it. Nothing was saved; "
    "try again in a moment.",
    "full": "the disk is full, nothing was saved. Free some space, then try again.",
}


class ReportsDiaryTrouble(TyperGroup):
    """Every command: a diary busy behind another program's lock, or a full disk, is
    said in one plain line (exit 1), never shown as a traceback."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as error:
            from calmcrown.diary.trouble import diary_trouble

            trouble = diary_trouble(error)
            if trouble is None:
                raise
            fail(TROUBLE_WORDS[trouble], DIARY_TROUBLE)
