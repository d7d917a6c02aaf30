from __future__ import annotations

import pytest

from calmcrown.cli.guide_clock import SessionClock


class ManualTime:
    """A clock the test moves by hand, standing in for time.monotonic."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cue_times_do_not_drift() -> None:
    time = ManualTime()
    clock = SessionClock(now=time)
    clock.start()
    # A 45-minute session read every 0.1 s: errors in a running sum would pile up here.
    for _ in range(27_000):
        time.now += 0.1
        clock.elapsed()
    assert clock.elapsed() == pytest.approx(2700.0, abs=1e-6)


def test_pause_shifts_the_rest_of_the_session_exactly() -> None:
    time = ManualTime()
    clock = SessionClock(now=time)
    clock.start()
    time.now += 60
    clock.pause()
    time.now += 37.25
    assert clock.paused and clock.elapsed() == pytest.approx(60)
    clock.resume()
    time.now += 10
    assert clock.elapsed() == pytest.approx(70)
    assert clock.real_seconds_until(100) == pytest.approx(30)


def test_speed_scales_plan_time() -> None:
    time = ManualTime()
    clock = SessionClock(speed=60, now=time)
    clock.start()
    time.now += 2
    assert clock.elapsed() == pytest.approx(120)
    assert clock.real_seconds_until(180) == pytest.approx(1)


def test_jump_skips_ahead_and_remembers_the_skip() -> None:
    time = ManualTime()
    clock = SessionClock(now=time)
    clock.start()
    time.now += 30
    clock.jump_to(90)
    assert clock.elapsed() == pytest.approx(90)
    assert clock.skipped_s == pytest.approx(60)
    clock.jump_to(10)  # never backwards
    assert clock.elapsed() == pytest.approx(90)


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        SessionClock(speed=0)


def test_time_spent_leaves_out_skipped_spans() -> None:
    time = ManualTime()
    clock = SessionClock(now=time)
    clock.start()
    time.now += 50
    clock.jump_to(120)  # skip the rest of a step that ran 0-120
    time.now += 30  # now at 150
    assert clock.spent_between(0, 120) == pytest.approx(50)
    assert clock.spent_between(120, 300) == pytest.approx(30)
    assert clock.spent_between(300, 600) == 0
