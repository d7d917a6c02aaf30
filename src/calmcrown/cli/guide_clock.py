"""Session time for the terminal guide, read from one monotonic start.

Every reading is computed afresh from the start time, the time spent paused and the
seconds skipped, so nothing accumulates and no cue drifts however long the session runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class SessionClock:
    """Plan seconds since the start, at ``speed`` times real time."""

    def __init__(self, speed: float = 1.0, now: Callable[[], float] = time.monotonic) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self._now = now
        self.speed = speed
        self._started_at: float | None = None
        self._paused_at: float | None = None
        self._paused_for = 0.0
        self.skipped_s = 0.0
        self.skips: list[tuple[float, float]] = []

    def start(self) -> None:
        self._started_at = self._now()

    @property
    def started(self) -> bool:
        return self._started_at is not None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def elapsed(self) -> float:
        """Plan seconds reached: real time since the start, less pauses, plus skips."""
        if self._started_at is None:
            return 0.0
        now = self._paused_at if self._paused_at is not None else self._now()
        return (now - self._started_at - self._paused_for) * self.speed + self.skipped_s

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused_for += self._now() - self._paused_at
            self._paused_at = None

    def toggle(self) -> None:
        if self.paused:
            self.resume()
        else:
            self.pause()

    def jump_to(self, plan_s: float) -> None:
        """Skip ahead to ``plan_s``; the skipped span is remembered, not counted as done."""
        now = self.elapsed()
        gap = plan_s - now
        if gap > 0:
            self.skipped_s += gap
            self.skips.append((now, plan_s))

    def spent_between(self, start: float, end: float) -> float:
        """Plan seconds actually lived through between ``start`` and ``end``: skips excluded."""
        reached = min(end, self.elapsed())
        spent = max(0.0, reached - start)
        for skip_start, skip_end in self.skips:
            spent -= max(0.0, min(skip_end, reached) - max(skip_start, start))
        return max(0.0, spent)

    def real_seconds_until(self, plan_s: float) -> float:
        return max(0.0, (plan_s - self.elapsed()) / self.speed)
