"""Ask the screening questions in the terminal, quickly enough to answer in pain.

Questions come in four short numbered lists, most urgent first; one line of numbers
answers each list. A lasting condition answered yes is followed by the date a doctor
checked it, if one has. Running out of input is never taken as "none apply".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from calmcrown.catalog import Flag, SafetyRules
from calmcrown.cli.errors import fail
from calmcrown.cli.views import console
from calmcrown.screening import MAX_AGE, Answers, question_groups

Reader = Callable[[str], str]


def ask_questions(rules: SafetyRules, read: Reader = input) -> Answers:
    out = console()
    out.print("[bold]Safety check[/] before the session. Answer honestly; it takes a moment.")
    age = _ask_age(read)
    raised: set[str] = set()
    checked: dict[str, dt.date] = {}
    for group in question_groups(rules, age):
        title = f"{group.title} {group.hint}".strip()
        chosen = _ask_group(title, list(group.flags), read)
        raised |= chosen
        for flag in group.flags:
            if flag.once_checked is not None and flag.id in chosen:
                checked_on = _ask_doctor_check(flag, read)
                if checked_on is not None:
                    checked[flag.id] = checked_on
    return Answers(frozenset(raised), age, checked)


def _ask_doctor_check(flag: Flag, read: Reader, today: dt.date | None = None) -> dt.date | None:
    """When a doctor checked this lasting condition and cleared massage, if they have."""
    today = today or dt.date.today()
    console().print(f"   [dim]{flag.question}[/]")
    while True:
        text = _read(
            read,
            "   Has a doctor checked this and said massage is fine? "
            "The date of that check (YYYY-MM-DD), or Enter if not: ",
        )
        if not text:
            return None
        try:
            checked_on = dt.date.fromisoformat(text)
        except ValueError:
            console().print(f"[yellow]{text!r} is not a date like {today.isoformat()}.[/]")
            continue
        if checked_on > today:
            console().print("[yellow]That date is after today.[/]")
            continue
        return checked_on


def _read(read: Reader, prompt: str) -> str:
    try:
        return read(prompt).strip()
    except EOFError:
        fail("the safety check was not finished, so no session starts")


def _ask_age(read: Reader) -> int | None:
    while True:
        text = _read(read, "Your age (Enter to skip): ")
        if not text:
            return None
        if text.isdigit() and 0 <= int(text) <= MAX_AGE:
            return int(text)
        console().print(f"[yellow]Please type a whole number from 0 to {MAX_AGE}.[/]")


def _ask_group(title: str, group: list[Flag], read: Reader) -> set[str]:
    out = console()
    out.print(f"\n[bold]{title}[/]")
    for number, flag in enumerate(group, start=1):
        out.print(f" {number:>2}. {flag.question}")
    while True:
        text = _read(read, "Numbers that apply, separated by spaces (Enter if none): ")
        chosen = text.replace(",", " ").split()
        bad = [item for item in chosen if not (item.isdigit() and 1 <= int(item) <= len(group))]
        if not bad:
            return {group[int(item) - 1].id for item in chosen}
        out.print(f"[yellow]{bad[0]!r} is not one of the numbers 1-{len(group)}.[/]")
