"""A trial as stored: the drawn allocation kept and re-derivable, amendments appended
with their reasons, and each session tied to the period its date falls in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from calmcrown.diary import tables
from calmcrown.diary.records import SessionEntry
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.trials import (
    NoTrial,
    TrialRefused,
    all_trials,
    end_trial,
    extend_trial_period,
    latest_trial,
    running_trial,
    save_trial,
)
from calmcrown.insight.trial.design import SEED_LIMIT, AmendmentKind, design, rederive
from tests.diary.conftest import TODAY


def _session(store: DiaryStore, date: dt.date, routine: str = "evening") -> str:
    entry = store.validate(SessionEntry, {"date": date, "routine": routine, "seconds": 600})
    return store.add_session(entry).id


def _period_of(store: DiaryStore, session_id: str) -> int | None:
    sessions, periods = tables.sessions, tables.trial_periods
    with store.engine.connect() as conn:
        return conn.execute(
            select(periods.c.number)
            .select_from(sessions.outerjoin(periods, periods.c.id == sessions.c.trial_period_id))
            .where(sessions.c.id == int(session_id[1:]))
        ).scalar()


def test_a_saved_trial_reads_back_whole_and_rederives(store: DiaryStore) -> None:
    drawn = design(("head", "feet", "none"), TODAY, seed=SEED_LIMIT - 1)
    saved = save_trial(store, drawn)
    assert saved.id == "t1"
    assert saved.seed == SEED_LIMIT - 1  # a 53-bit seed survives both databases
    assert saved.periods == drawn.periods
    assert (saved.generator, saved.algorithm) == (drawn.generator, drawn.algorithm)
    assert rederive(saved)
    assert latest_trial(store) == saved and running_trial(store) == saved


def test_a_trial_cannot_start_in_the_past(store: DiaryStore) -> None:
    with pytest.raises(TrialRefused) as refused:
        save_trial(store, design(("head", "none"), TODAY - dt.timedelta(days=1), seed=1))
    assert refused.value.field == "start"
    assert latest_trial(store) is None


def test_a_second_trial_waits_for_the_first_to_end(store: DiaryStore) -> None:
    first = save_trial(store, design(("head", "none"), TODAY, seed=1))
    with pytest.raises(TrialRefused, match="end it first"):
        save_trial(store, design(("feet", "none"), TODAY + dt.timedelta(days=3), seed=2))
    end_trial(store, "a migraine clinic appointment changed my treatment")
    second = save_trial(store, design(("feet", "none"), TODAY + dt.timedelta(days=1), seed=2))
    assert [t.id for t in all_trials(store)] == [first.id, second.id]
    assert running_trial(store) == second


def test_sessions_keep_the_period_their_date_falls_in(store: DiaryStore) -> None:
    before = _session(store, TODAY - dt.timedelta(days=1))
    morning = _session(store, TODAY)  # recorded before the trial was saved
    trial = save_trial(store, design(("head", "feet"), TODAY, period_days=7, washout_days=0,
                                     seed=7))  # fmt: skip
    tomorrow = _session(store, TODAY + dt.timedelta(days=1))
    assert _period_of(store, before) is None
    assert _period_of(store, morning) == 1
    assert _period_of(store, tomorrow) == 1
    store.edit(tomorrow, {"date": TODAY - dt.timedelta(days=2)})
    assert _period_of(store, tomorrow) is None
    assert trial.periods[0].start == TODAY


def test_extending_a_period_moves_the_later_ones_and_keeps_the_allocation(
    store: DiaryStore,
) -> None:
    trial = save_trial(store, design(("head", "none"), TODAY, seed=11))
    extended = extend_trial_period(store, 1, 3, "away on holiday for three days")
    assert extended.periods[0].end == trial.periods[0].end + dt.timedelta(days=3)
    assert extended.periods[1].start == trial.periods[1].start + dt.timedelta(days=3)
    assert [p.arm for p in extended.periods] == [p.arm for p in trial.periods]
    stored = latest_trial(store)
    assert stored == extended
    [amendment] = stored.amendments
    assert (amendment.kind, amendment.period, amendment.days) == (
        AmendmentKind.PERIOD_EXTENDED, 1, 3,
    )  # fmt: skip
    assert amendment.reason == "away on holiday for three days"
    assert rederive(stored)


def test_ending_early_cuts_the_running_period_and_drops_the_rest(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice = make_store("alice")
    save_trial(alice, design(("head", "none"), TODAY, period_days=7, washout_days=0, seed=3))
    later = make_store("alice", today=TODAY + dt.timedelta(days=9))
    kept = _session(later, TODAY + dt.timedelta(days=9))
    ahead = _session(later, TODAY + dt.timedelta(days=10))  # tomorrow, in a dropped period
    ended = end_trial(later, "  started a preventive medicine  ")
    assert [p.index for p in ended.periods] == [1, 2]
    assert ended.periods[-1].end == TODAY + dt.timedelta(days=9)
    assert ended.ended_early is not None
    assert ended.ended_early.reason == "started a preventive medicine"
    assert latest_trial(later) == ended and running_trial(later) is None
    assert _period_of(later, kept) == 2 and _period_of(later, ahead) is None
    with pytest.raises(NoTrial):
        end_trial(later, "twice")


def test_an_amendment_needs_a_reason_and_a_running_trial(store: DiaryStore) -> None:
    with pytest.raises(NoTrial):
        end_trial(store, "nothing to end")
    save_trial(store, design(("head", "none"), TODAY, seed=5))
    with pytest.raises(TrialRefused) as refused:
        end_trial(store, " \t ")
    assert refused.value.field == "reason"
    assert latest_trial(store).amendments == ()  # type: ignore[union-attr]


def test_another_profile_never_sees_the_trial(make_store: Callable[..., DiaryStore]) -> None:
    save_trial(make_store("alice"), design(("head", "none"), TODAY, seed=5))
    bob = make_store("bob")
    assert latest_trial(bob) is None and all_trials(bob) == []
    with pytest.raises(NoTrial):
        end_trial(bob, "not his")
    bob_session = _session(bob, TODAY)
    assert _period_of(bob, bob_session) is None
