"""The terminal guide: runs a plan live, with spoken cues, a large countdown and three bars.

Keys: space pauses and resumes, n skips to the next step, q ends early. Cue times come
from ``SessionClock``, so a pause shifts the rest of the session exactly.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import select
import sys
import termios
import tty
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from calmcrown.cli.big_digits import big_clock
from calmcrown.cli.guide_clock import SessionClock
from calmcrown.cli.speech import Speaker, make_speaker
from calmcrown.cli.views import clock, console
from calmcrown.planner import Cue, CueKind, Plan, PlannedStep

# How often the screen is redrawn, in real seconds; cues fire on their own time.
REFRESH_S = 0.2

Outcome = Literal["completed", "ended_early"]


@dataclass(frozen=True)
class GuideResult:
    outcome: Outcome
    planned_s: int
    reached_s: int
    """How far into the plan the session got, skips included."""
    skipped_s: int
    pain_before: int | None
    pain_after: int | None
    actual_phase_s: dict[str, int]
    """Seconds actually spent in each phase, skips excluded."""

    @property
    def actual_s(self) -> int:
        return sum(self.actual_phase_s.values())


def ask_pain(prompt: str, read: Callable[[str], str] = input) -> int | None:
    """A 0-10 rating; Enter or the end of input skips it."""
    out = console()
    while True:
        try:
            text = read(f"{prompt}, 0 (none) to 10 (worst), Enter to skip: ").strip()
        except EOFError:
            return None
        if not text:
            return None
        if text.isdigit() and 0 <= int(text) <= 10:
            return int(text)
        out.print("[yellow]Please type a whole number from 0 to 10.[/]")


class KeyReader:
    """Single key presses from a terminal, without waiting for Enter; none from a pipe."""

    def __init__(self) -> None:
        self._fd = sys.stdin.fileno() if sys.stdin.isatty() else None
        self._saved: list[Any] | None = None

    @contextlib.contextmanager
    def active(self) -> Iterator[KeyReader]:
        if self._fd is not None:
            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd)
        try:
            yield self
        finally:
            if self._fd is not None and self._saved is not None:
                termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)

    def wait(self, timeout: float) -> str | None:
        """The next key pressed within ``timeout`` seconds, or None."""
        if self._fd is None:
            if timeout > 0:
                select.select([], [], [], timeout)
            return None
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return None
        return os.read(self._fd, 1).decode(errors="ignore")


class GuideScreen:
    """What the live display shows at a moment of the plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._starts = [step.start_s for step in plan.steps]

    def step_at(self, at_s: float) -> PlannedStep:
        index = max(0, bisect.bisect_right(self._starts, at_s) - 1)
        return self.plan.steps[index]

    def render(self, at_s: float, paused: bool, last_cue: Cue | None) -> RenderableType:
        plan = self.plan
        step = self.step_at(at_s)
        phase = next(p for p in plan.phases if p.name is step.phase)
        left = step.end_s - at_s
        title = Text(f"{step.phase.value.upper()} · {step.name}", style="bold")
        if step.pressure:
            title.append(f" · {step.pressure} pressure", style="cyan")
        how = Text("\n".join(f"• {line}" for line in step.how))
        cautions = Text(
            "\n".join(f"! {line}" for line in step.cautions), style="yellow", no_wrap=False
        )
        bars = Table.grid(padding=(0, 1))
        bars.add_column(width=8)
        bars.add_column(ratio=1)
        bars.add_column(justify="right", width=6)
        for label, start, length in (
            ("step", step.start_s, step.seconds),
            ("phase", phase.start_s, phase.seconds),
            ("session", 0, plan.total_seconds),
        ):
            done = min(length, max(0.0, at_s - start))
            bars.add_row(label, ProgressBar(total=length, completed=done), clock(length - done))
        status = Text(
            "PAUSED: space to resume" if paused else "space pause · n next · q end",
            style="bold yellow" if paused else "dim",
        )
        heard = Text(last_cue.text if last_cue else "", style="italic")
        return Panel(
            Group(
                title,
                Text(""),
                big_clock(clock(left)),
                Text(""),
                how,
                *([cautions] if step.cautions else []),
                Text(""),
                heard,
                bars,
                Text(plan.stop_if, style="bold"),
                status,
            ),
            title=plan.title,
            border_style="grey42",
        )


def run_guide(
    plan: Plan,
    *,
    speed: float = 1.0,
    voice: bool = True,
    delay_s: int = 5,
    read_how: bool | None = None,
    out: Console | None = None,
) -> GuideResult:
    """Run ``plan`` live; ``read_how`` speaks each step's how-to (default: when alone)."""
    out = out or console()
    pain_before = ask_pain("Pain right now")
    speaker = make_speaker(voice)
    keys = KeyReader()
    with keys.active():
        _count_in(out, keys, speaker, delay_s / speed)
        read = not plan.partner_mode if read_how is None else read_how
        outcome, clock_ = _run(plan, speed, speaker, keys, out, read)
    speaker.close()
    reached = min(plan.total_seconds, round(clock_.elapsed()))
    verb = "Finished" if outcome == "completed" else "Ended early at"
    out.print(f"{verb} {clock(reached)} of {clock(plan.total_seconds)}.")
    pain_after = ask_pain("Pain now, after the session")
    if pain_before is not None and pain_after is not None:
        out.print(f"Pain {pain_before} before, {pain_after} after.")
    return GuideResult(
        outcome=outcome,
        planned_s=plan.total_seconds,
        reached_s=reached,
        skipped_s=round(clock_.skipped_s),
        pain_before=pain_before,
        pain_after=pain_after,
        actual_phase_s={
            phase.name.value: round(
                clock_.spent_between(phase.start_s, phase.start_s + phase.seconds)
            )
            for phase in plan.phases
        },
    )


def _count_in(out: Console, keys: KeyReader, speaker: Speaker, real_s: float) -> None:
    if real_s <= 0:
        return
    speaker.say("Get into position.")
    out.print(f"Get into position: starting in {real_s:.0f} s (any key starts now).")
    keys.wait(real_s)


def _run(
    plan: Plan, speed: float, speaker: Speaker, keys: KeyReader, out: Console, read_how: bool
) -> tuple[Outcome, SessionClock]:
    screen = GuideScreen(plan)
    clock_ = SessionClock(speed)
    cues = list(plan.cues)
    next_cue = 0
    last: Cue | None = None
    clock_.start()
    with Live(screen.render(0, False, None), console=out, auto_refresh=False) as live:
        while True:
            at = clock_.elapsed()
            due: list[Cue] = []
            while next_cue < len(cues) and cues[next_cue].at_s <= at:
                due.append(cues[next_cue])
                next_cue += 1
            # The how-to is on screen already; the log keeps to what was announced.
            for cue in due:
                if cue.kind is not CueKind.HOW:
                    live.console.print(f"[dim]{clock(cue.at_s)}[/] {cue.text}")
            if due:
                last = next((c for c in reversed(due) if c.kind is not CueKind.HOW), due[-1])
                # After a lag only the newest moment is worth hearing, but all of it: a
                # step's name, its cautions and its how-to are planned for the same second.
                speaker.say(
                    " ".join(
                        cue.text
                        for cue in due
                        if cue.at_s == due[-1].at_s and (read_how or cue.kind is not CueKind.HOW)
                    )
                )
            if next_cue >= len(cues):
                live.update(screen.render(plan.total_seconds, False, last), refresh=True)
                return "completed", clock_
            live.update(
                screen.render(min(at, plan.total_seconds), clock_.paused, last), refresh=True
            )
            wait = (
                REFRESH_S
                if clock_.paused
                else min(REFRESH_S, clock_.real_seconds_until(cues[next_cue].at_s))
            )
            key = keys.wait(wait)
            if key == " ":
                clock_.toggle()
                speaker.say("Paused." if clock_.paused else "Carrying on.")
            elif key in ("n", "N"):
                clock_.resume()
                clock_.jump_to(screen.step_at(at).end_s)
            elif key in ("q", "Q"):
                live.console.print(f"[dim]{clock(at)}[/] Ended early.")
                return "ended_early", clock_
