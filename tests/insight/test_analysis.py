from __future__ import annotations

import datetime as dt

import numpy as np

from calmcrown.diary.records import DayEntry, HeadacheEntry, SessionEntry
from calmcrown.insight.analysis import Verdict, analyze
from tests.insight.simulated import START, Chain, diary

CONTRACT = {
    "baseline", "practice", "frequency", "immediate", "adherence", "verdict",
    "detectable_reduction", "weeks_needed_for_50", "caveats",
}  # fmt: skip
PERIOD_KEYS = {"start", "end", "recorded_days", "headache_days", "headache_days_per_28"}


def _end(start: dt.date, weeks: int) -> dt.datetime:
    return dt.datetime.combine(start + dt.timedelta(days=7 * weeks - 1), dt.time(22))


def _days(pattern: str, first: dt.date = START, medication: str | None = None) -> list[DayEntry]:
    return [
        DayEntry(date=first + dt.timedelta(days=i), intensity=6 if mark == "H" else 0,
                 medication=medication if mark == "H" else None)
        for i, mark in enumerate(pattern)
        if mark != "?"
    ]  # fmt: skip


def _session(date: dt.date, **fields: object) -> SessionEntry:
    return SessionEntry.model_validate(
        {"date": date, "routine": "evening", "seconds": 600} | fields
    )


def test_no_session_means_nothing_to_compare() -> None:
    result = analyze(_days("H.." * 20), [], [], now=_end(START, 9))
    assert result.verdict is Verdict.INSUFFICIENT_DATA
    assert "no session is recorded" in result.sentence()
    data = result.to_dict()
    assert set(data) >= CONTRACT and data["frequency"]["rate_ratio"] is None
    assert data["practice"] == data["practice"] | dict.fromkeys(["start", "end"], None)


def test_too_few_recorded_days_says_how_many_more() -> None:
    start = START + dt.timedelta(days=30)
    days = _days("H.." * 10) + _days("H..." * 5, start)
    result = analyze(days, [], [_session(start)], now=_end(start, 3))
    assert result.verdict is Verdict.INSUFFICIENT_DATA
    assert result.days_still_needed == 8, "0 more before, 8 more since"
    assert "about 8 more recorded days since the practice began" in result.sentence()


def test_a_short_baseline_says_how_many_days_it_has_and_what_to_do() -> None:
    start = START + dt.timedelta(days=10)
    days = _days("H.." * 4) + _days("H..." * 5, start)
    result = analyze(days, [], [_session(start)], now=_end(start, 3))
    assert result.verdict is Verdict.INSUFFICIENT_DATA
    sentence = result.sentence()
    assert "only 10 days were recorded before the practice began" in sentence
    assert "an older diary imported; and about 8 more recorded days since" in sentence


def test_dates_that_begin_after_the_practice_say_so() -> None:
    start = START + dt.timedelta(days=56)
    days = _days("H.." * 19) + _days("H..." * 14, start)
    later = start + dt.timedelta(days=7)
    result = analyze(days, [], [_session(start)], now=_end(start, 8), since=later)
    assert result.verdict is Verdict.INSUFFICIENT_DATA
    assert "the dates chosen begin after the practice started" in result.sentence()


def test_seven_and_five_recorded_days_give_the_ratio_and_say_why_no_interval() -> None:
    start = START + dt.timedelta(days=7)
    days = _days("HHH....") + _days("H....", start)
    result = analyze(days, [], [_session(start)], now=_end(start, 1))
    data = result.to_dict()
    assert data["baseline"]["headache_days_per_28"] == 12.0
    assert data["practice"]["headache_days_per_28"] == 5.6
    frequency = data["frequency"]
    assert frequency["rate_ratio"] == round(5.6 / 12.0, 3)
    assert (frequency["ci_low"], frequency["ci_high"]) == (None, None)
    assert "No 95% interval yet" in frequency["interval_note"]
    assert frequency["responder_50"] is True, "the best estimate, not a verdict"
    assert result.verdict is Verdict.INSUFFICIENT_DATA


def test_a_clear_drop_is_likely_better_and_a_responder() -> None:
    start = START + dt.timedelta(days=56)
    before = "HHH.H..", "HH.HH..", "H.HHH..", "HHH..H.", "HH.H.H.", "HHH.H..", "H.HH.H.", "HH.HH.."
    after = "H......", ".......", "......H", ".......", ".H.....", ".......", "H......", "......."
    days = _days("".join(before)) + _days("".join(after), start)
    result = analyze(days, [], [_session(start, pain_before=6, pain_after=3)], now=_end(start, 8))
    assert result.verdict is Verdict.LIKELY_BETTER
    data = result.to_dict()
    assert data["frequency"]["ci_high"] < 1 and data["frequency"]["responder_50"] is True
    assert data["frequency"]["interval_note"] is None
    assert set(data["baseline"]) >= PERIOD_KEYS
    assert data["baseline"]["headache_days_per_28"] == 16.0
    assert result.sentence().startswith("Likely fewer headache days since the practice began")
    assert any("de Groot" in caveat for caveat in result.caveats), "regression to the mean"
    assert any("randomised comparison" in caveat for caveat in result.caveats)


def test_a_clear_rise_is_likely_worse() -> None:
    start = START + dt.timedelta(days=56)
    days = _days("H......" * 8) + _days("HHH.HH." * 8, start)
    result = analyze(days, [], [_session(start)], now=_end(start, 8))
    assert result.verdict is Verdict.LIKELY_WORSE
    assert "doctor" in result.sentence()


def test_no_change_on_simulated_data_says_so_with_its_interval() -> None:
    days, sessions, start = diary(np.random.default_rng(3), 8, 8, Chain(0.6, 0.2))
    result = analyze(days, [], sessions, now=_end(start, 8))
    assert result.verdict is Verdict.NO_CLEAR_CHANGE
    assert "includes no change at all" in result.sentence()


def test_a_given_practice_start_replaces_the_first_session() -> None:
    days = _days("H.." * 40)
    first_session = START + dt.timedelta(days=10)
    chosen = START + dt.timedelta(days=60)
    result = analyze(days, [], [_session(first_session)], now=_end(START, 17),
                     practice_start=chosen)  # fmt: skip
    assert result.practice_start == chosen and result.baseline.end == chosen - dt.timedelta(1)


def test_caveats_name_low_coverage_and_a_medication_change() -> None:
    start = START + dt.timedelta(days=56)
    days = _days("H.?.?.?" * 8, medication="ibuprofen") + _days("H.H..H." * 8, start, "naproxen")
    result = analyze(days, [], [_session(start)], now=_end(start, 8))
    text = " ".join(result.caveats)
    assert "Only 57% of the days in the baseline period are recorded" in text
    assert "Acute medication changed between the periods" in text


def test_sessions_per_week_against_the_plan() -> None:
    start = START + dt.timedelta(days=28)
    sessions = [_session(start + dt.timedelta(days=d)) for d in (0, 2, 4, 7, 9)]
    result = analyze(_days("H.." * 19), [], sessions, now=_end(start, 2), target_per_week=3)
    assert result.to_dict()["adherence"] == {
        "sessions_per_week": 2.5, "target_per_week": 3, "weeks": 2, "weeks_with_3_or_more": 1,
    }  # fmt: skip


def test_a_perfectly_regular_diary_gets_no_verdict_from_float_noise() -> None:
    start = START + dt.timedelta(days=28)
    days = _days("H......" * 4) + _days("H......" * 9, start)
    result = analyze(days, [], [_session(start)], now=_end(start, 9))
    assert result.verdict is Verdict.NO_CLEAR_CHANGE
    assert result.frequency is not None and result.frequency.ci_low < 1 < result.frequency.ci_high


def test_half_the_headache_days_is_a_50_percent_responder() -> None:
    start = START + dt.timedelta(days=56)
    days = _days("HHHH..." * 8) + _days("HH....." * 8, start)
    result = analyze(days, [], [_session(start)], now=_end(start, 8))
    assert result.to_dict()["frequency"]["responder_50"] is True


def test_since_does_not_move_the_practice_start() -> None:
    days = _days("HH....." * 30)
    sessions = [_session(START + dt.timedelta(days=70)), _session(START + dt.timedelta(days=140))]
    since = START + dt.timedelta(days=100)
    result = analyze(days, [], sessions, now=_end(START, 30), since=since)
    assert result.practice_start == START + dt.timedelta(days=70)
    assert result.baseline.recorded_days == 0 and result.practice.start == since


def test_the_periods_stay_inside_the_dates_asked_for() -> None:
    days = _days("HH....." * 30)
    until = START + dt.timedelta(days=99)
    result = analyze(days, [], [_session(START + dt.timedelta(days=150))], now=_end(START, 30),
                     until=until)  # fmt: skip
    assert result.baseline.end == until and result.baseline.coverage == 1.0
    assert result.practice.start is None
    assert max(r.date for r in result.records) == until, "the charts draw only these dates"


def test_routines_and_regions_are_compared_and_labelled_as_not_randomised() -> None:
    start = START + dt.timedelta(days=28)
    days = _days("H.." * 10) + _days("H...." * 6, start)
    sessions = [
        _session(start + dt.timedelta(days=2 * n), routine="feet" if n % 2 else "evening",
                 pain_before=6, pain_after=5 if n % 2 else 3)
        for n in range(14)
    ]  # fmt: skip
    regions = {"feet": "feet", "evening": "head and neck"}
    result = analyze(days, [], sessions, now=_end(start, 4), routine_regions=regions)
    by_region = {r.routine: (r.sessions, r.mean_change) for r in result.by_region}
    assert by_region == {"head and neck": (7, -3.0), "feet": (7, -1.0)}
    assert any("not randomised" in caveat for caveat in result.caveats)
    alone = analyze(days, [], [s for s in sessions if s.routine == "evening"], now=_end(start, 4))
    assert not any("not randomised" in caveat for caveat in alone.caveats), "nothing compared"


def test_the_analysis_says_where_it_counted_a_long_headache_as_31_days() -> None:
    now = dt.datetime(2026, 11, 30, 12, 0)
    forgotten = HeadacheEntry(started_at=dt.datetime(1900, 1, 1, 8, 0))
    days = _days("H.." * 20, dt.date(2026, 9, 1))
    result = analyze(days, [forgotten], [_session(dt.date(2026, 10, 1))], now=now)
    assert result.baseline.headache_days <= 31 + 10, "not 46,355 headache days"
    assert (
        "One headache, recorded as going on for 46,355 days (from 1 Jan 1900), was counted "
        "as 31 days, since an end that was never recorded is more likely. If it ended "
        "sooner, give its end in the diary."
    ) in result.caveats
    ended = HeadacheEntry(
        started_at=dt.datetime(2026, 8, 1, 8), ended_at=dt.datetime(2026, 9, 30, 8)
    )
    both = analyze(days, [forgotten, ended], [_session(dt.date(2026, 10, 1))], now=now)
    assert (
        "2 headaches are recorded as lasting more than 31 days (the longest 46,355 days); "
        "each was counted as 31 days, since an end that was never recorded is more likely. "
        "If they ended sooner, give their ends in the diary."
    ) in both.caveats
    short = analyze(days, [], [_session(dt.date(2026, 10, 1))], now=now)
    assert not any("counted as 31" in caveat for caveat in short.caveats)
