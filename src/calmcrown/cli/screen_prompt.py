"""Ask the screening questions in the terminal, quickly enough to answer in pain.

Questions come in four short numbered lists, most urgent first; one line of numbers
answers each list. Running out of input is never taken as "none apply".
"""

from __future__ import annotations

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
    for group in question_groups(rules, age):
        title = f"{group.title} {group.hint}".strip()
        raised |= _ask_group(title, list(group.flags), read)
    return Answers(frozenset(raised), age)


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
