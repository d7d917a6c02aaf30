"""A few quick questions for ``log headache`` and ``log session`` run without options.

Every question can be skipped with Enter; what is skipped is simply not recorded.
The answers are returned as text and checked by the diary's rules like any other input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Reader = Callable[[str], str]

_YES = {"y", "yes"}
_NO = {"n", "no"}


def _ask(read: Reader, prompt: str) -> str:
    try:
        return read(prompt).strip()
    except EOFError:
        return ""


def _yes_no(read: Reader, prompt: str) -> bool | None:
    while True:
        answer = _ask(read, f"{prompt} [y/n, Enter to skip]: ").lower()
        if not answer:
            return None
        if answer in _YES | _NO:
            return answer in _YES
        print("Please answer y or n, or press Enter to skip.")


def _choice(read: Reader, prompt: str, options: dict[str, str]) -> str | None:
    keys = "/".join(options)
    while True:
        answer = _ask(read, f"{prompt} [{keys}, Enter to skip]: ").lower()
        if not answer:
            return None
        if answer in options:
            return options[answer]
        print(f"Please type one of {keys}, or press Enter to skip.")


def _number(read: Reader, prompt: str, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high``, asked again until it is one; Enter skips."""
    while True:
        answer = _ask(read, prompt)
        if not answer:
            return None
        if answer.isascii() and answer.isdigit() and low <= int(answer) <= high:
            return int(answer)
        print(f"Please type a whole number from {low} to {high}, or press Enter to skip.")


def ask_headache(read: Reader = input) -> dict[str, Any]:
    data: dict[str, Any] = {}
    start = _ask(read, "Started when? YYYY-MM-DD HH:MM [now]: ")
    if start:
        data["started_at"] = start
    if _yes_no(read, "Is it over?"):
        end = _ask(read, "Ended when? YYYY-MM-DD HH:MM [now]: ")
        data["ended_at"] = end or _now_text()
    data["peak"] = _number(read, "Worst so far, 1-10 [Enter to skip]: ", 1, 10)
    data["side"] = _choice(read, "Which side", {"l": "left", "r": "right", "b": "both"})
    data["quality"] = _choice(read, "Throbbing or pressing", {"t": "pulsating", "p": "pressing"})
    data["nausea"] = _yes_no(read, "Feeling sick?")
    data["light_sensitivity"] = _yes_no(read, "Does light bother you?")
    data["sound_sensitivity"] = _yes_no(read, "Does noise bother you?")
    medication = _ask(read, "Medication taken (name and dose) [Enter to skip]: ")
    if medication:
        data["medication"] = medication
        data["medication_helped"] = _choice(
            read,
            "Did it help after two hours",
            {"y": "yes", "p": "partly", "n": "no"},
        )
    return {name: value for name, value in data.items() if value is not None}


def ask_session(routines: list[str], read: Reader = input) -> dict[str, Any]:
    options = {str(number): routine for number, routine in enumerate(routines, start=1)}
    print("Routines: " + ", ".join(f"{n} {r}" for n, r in options.items()))
    data: dict[str, Any] = {}
    data["routine"] = _choice(read, "Which routine", options)
    data["minutes"] = _number(read, "How many minutes? ", 1, 240)
    for field, prompt in (("pain_before", "Pain before, 0-10"), ("pain_after", "Pain after, 0-10")):
        data[field] = _number(read, f"{prompt} [Enter to skip]: ", 0, 10)
    return {name: value for name, value in data.items() if value is not None}


def _now_text() -> str:
    import datetime as dt

    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")
