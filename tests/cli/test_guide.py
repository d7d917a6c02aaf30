"""The terminal guide, run end to end as a person would: in a subprocess, at high speed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from calmcrown.catalog import Catalog
from calmcrown.planner import plan_session

GUIDE = [sys.executable, "-m", "calmcrown", "guide"]


def _answers(tmp_path: Path, flags: str = "") -> str:
    path = tmp_path / "answers.json"
    path.write_text(f'{{"flags": [{flags}]}}')
    return str(path)


def _diary_sessions() -> list[dict[str, object]]:
    """The sessions the guide wrote, read back through the diary command."""
    shown = subprocess.run(
        [sys.executable, "-m", "calmcrown", "diary", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    sessions: list[dict[str, object]] = json.loads(shown.stdout)["sessions"]
    return sessions


def _run_fast(routine: str, answers: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """The guide at 1000x, silent, no count-in; pain 5 before and 2 after on stdin."""
    return subprocess.run(
        [
            *GUIDE,
            routine,
            "--answers",
            answers,
            "--speed",
            "1000",
            "--no-voice",
            "--delay",
            "0",
            *extra,
        ],
        input="5\n2\n",
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_guide_runs_a_whole_session_in_order(tmp_path: Path, catalog: Catalog) -> None:
    result = _run_fast("quick", _answers(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    plan = plan_session(catalog, "quick")
    positions = [out.index(cue.text) for cue in plan.cues if cue.kind == "step"]
    assert positions == sorted(positions), "step cues fire in the planned order"
    assert "Halfway." in out and "Switch to the other" in out
    assert "Finished 5:00 of 5:00." in out
    assert "Pain 5 before, 2 after." in out
    [session] = _diary_sessions()
    assert session["outcome"] == "completed" and session["routine"] == "quick"
    assert (session["pain_before"], session["pain_after"]) == (5, 2)
    assert session["seconds"] == 300
    assert (
        session["planned_settle_s"] + session["planned_practice_s"] + session["planned_after_s"]
        == 300
    )
    assert session["verdict"] == "clear" and session["reasons"] == []


def test_guide_refuses_to_start_after_a_red_flag(tmp_path: Path) -> None:
    result = _run_fast("evening", _answers(tmp_path, '"sudden_worst"'))
    assert result.returncode == 3
    assert "emergency" in result.stdout.lower()
    assert "Settle in." not in result.stdout, "no cue of the session was given"
    assert "Pain" not in result.stdout, "the session never began"
    [session] = _diary_sessions()
    assert session["outcome"] == "stopped_by_screening"
    assert session["verdict"] == "emergency" and session["reasons"] == ["sudden_worst"]
    assert session["seconds"] == 0


def test_guide_with_adaptations_says_what_changed(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *GUIDE,
            "evening",
            "--answers",
            _answers(tmp_path, '"neck_injury_or_instability"'),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "Leaving out:" in result.stdout and "neck and shoulders" in result.stdout


def test_keys_pause_skip_and_end_in_a_real_terminal(tmp_path: Path) -> None:
    child = pexpect.spawn(
        GUIDE[0],
        [
            *GUIDE[1:],
            "quick",
            "--answers",
            _answers(tmp_path),
            "--speed",
            "5",
            "--no-voice",
            "--delay",
            "0",
        ],
        encoding="utf-8",
        timeout=20,
        dimensions=(50, 100),
    )
    child.expect("Pain right now")
    child.sendline("7")
    child.expect("Settle in.")
    child.send(" ")
    child.expect("PAUSED")
    child.send(" ")
    child.expect("space pause")
    child.send("n")  # skip the first step: the second step's cue comes at once
    child.expect("Ended early|The practice begins|[A-Z][a-z]+.*pressure")
    child.send("q")
    child.expect("Ended early at")
    child.expect("Pain now, after the session")
    child.sendline("4")
    child.expect("Pain 7 before, 4 after.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [session] = _diary_sessions()
    assert session["outcome"] == "ended_early"
    assert 0 < session["seconds"] < 300
    assert session["actual_settle_s"] < session["planned_settle_s"], "the skip is not counted"


def test_interactive_screening_stops_on_an_emergency_answer() -> None:
    child = pexpect.spawn(
        GUIDE[0],
        [*GUIDE[1:], "evening", "--no-voice"],
        encoding="utf-8",
        timeout=20,
        dimensions=(50, 120),
    )
    child.expect("Your age")
    child.sendline("")
    child.expect("Right now, is any of this true")
    child.expect("Numbers that apply")
    child.sendline("9")
    child.expect("is not one of the numbers")
    child.sendline("1")
    for _ in range(3):  # this headache, lasting conditions, today's changes
        child.expect("Numbers that apply")
        child.sendline("")
    child.expect("emergency", timeout=10)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3


def _trial_with_first(arm: str) -> None:
    """A trial starting today whose first period is ``arm``'s, in this test's diary."""
    import datetime as dt

    from calmcrown.diary.engine import create_diary_engine
    from calmcrown.diary.schema import ensure_schema
    from calmcrown.diary.store import DiaryStore
    from calmcrown.diary.trials import save_trial
    from calmcrown.insight.trial.design import design
    from calmcrown.settings import Settings

    engine = create_diary_engine(Settings().database)
    ensure_schema(engine)
    drawn = next(
        trial
        for seed in range(100)
        if (trial := design(("head", "feet"), dt.date.today(), seed=seed)).periods[0].arm == arm
    )
    save_trial(DiaryStore(engine), drawn)
    engine.dispose()


@pytest.mark.real_clock  # the guide, another process, reads today by the real clock
def test_guide_says_the_period_and_warns_of_a_deviation(tmp_path: Path) -> None:
    _trial_with_first("feet")
    result = _run_fast("quick", _answers(tmp_path))
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    period = "Feet period, day 1 of 14, a settling-in day: it is kept but not counted."
    warning = "This is a feet period: a head routine now counts as a deviation in your trial."
    assert out.index(period) < out.index(warning) < out.index("Finished 5:00 of 5:00.")
    saved = out.index("Saved to your diary as")
    assert (
        out.index("Recorded as a deviation in your trial: a head routine in a feet period.") > saved
    )
    [session] = _diary_sessions()
    assert session["routine"] == "quick"


@pytest.mark.real_clock
def test_guide_of_the_periods_own_arm_warns_of_nothing(tmp_path: Path) -> None:
    _trial_with_first("head")
    result = _run_fast("quick", _answers(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Head period, day 1 of 14" in result.stdout
    assert "deviation" not in result.stdout
