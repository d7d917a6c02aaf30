"""Trials travel with the JSON export: the design with its seed, periods and amendments,
and each session's period; an import brings them back or, when a trial clashes or was
edited, refuses naming the trial and the key and imports nothing."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from calmcrown.diary.records import SessionEntry
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.transfer import TransferError, export_data, import_text, json_text
from calmcrown.diary.trials import all_trials, end_trial, extend_trial_period, save_trial
from calmcrown.insight.trial.design import design, rederive
from tests.diary.conftest import TODAY

LATER = TODAY + dt.timedelta(days=100)


def _session(store: DiaryStore, date: dt.date) -> None:
    store.add_session(
        store.validate(SessionEntry, {"date": date, "routine": "evening", "seconds": 600})
    )


def _trial_diary(make_store: Callable[..., DiaryStore], profile: str = "alice") -> DiaryStore:
    """A trial extended once and ended early, with sessions before, in and after it."""
    planning = make_store(profile, today=TODAY)
    save_trial(planning, design(("head", "feet", "none"), TODAY, period_days=14, seed=42))
    extend_trial_period(planning, 1, 3, "a cold for three days", on=TODAY + dt.timedelta(days=5))
    end_trial(planning, "moved house", on=TODAY + dt.timedelta(days=60))
    store = make_store(profile, today=LATER)
    for offset in (-3, 0, 4, 20, 45, 60, 61, 90):
        _session(store, TODAY + dt.timedelta(days=offset))
    return store


def _with_ids_by_position(data: dict[str, Any]) -> dict[str, Any]:
    """The export with each trial id replaced by its position: trial ids are the
    database's row numbers, so another profile in the same database numbers them on."""
    data = copy.deepcopy(data)
    names = {trial["id"]: f"#{n}" for n, trial in enumerate(data["trials"])}
    for trial in data["trials"]:
        trial["id"] = names[trial["id"]]
    for session in data["sessions"]:
        if session["trial_period"] is not None:
            session["trial_period"]["trial"] = names[session["trial_period"]["trial"]]
    return data


def test_a_round_trip_gives_the_same_trials_and_session_periods(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice = _trial_diary(make_store)
    first = export_data(alice)
    [trial] = first["trials"]
    assert trial["seed"] == 42 and trial["algorithm"] == "calmcrown-block-permutation/1"
    assert [a["kind"] for a in trial["amendments"]] == ["period_extended", "ended_early"]
    linked = {s["date"]: s["trial_period"] for s in first["sessions"]}
    assert linked[(TODAY - dt.timedelta(days=3)).isoformat()] is None
    assert linked[TODAY.isoformat()] == {"trial": trial["id"], "period": 1}
    assert linked[(TODAY + dt.timedelta(days=20)).isoformat()] == {
        "trial": trial["id"],
        "period": 2,
    }
    assert linked[(TODAY + dt.timedelta(days=61)).isoformat()] is None  # after the early end

    newcomer = make_store("newcomer", today=LATER)
    report = import_text(newcomer, json_text(first))
    assert (report.counts.added, report.counts.trials_added) == (8, 1)
    assert report.summary() == "Imported 8 of 8 sessions; 1 of 1 trial."
    second = export_data(newcomer)
    assert _with_ids_by_position(second) == _with_ids_by_position(first)
    [imported] = all_trials(newcomer)
    assert rederive(imported) and imported.ended_early is not None


def test_importing_the_same_file_again_adds_no_trial(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice = _trial_diary(make_store)
    text = json_text(export_data(alice))
    report = import_text(alice, text)
    assert (report.counts.added, report.counts.trials_added) == (0, 0)
    assert report.counts.trials_already == 1
    assert len(all_trials(alice)) == 1 and len(alice.sessions()) == 8


def test_a_trial_overlapping_one_in_the_diary_is_refused_and_nothing_is_imported(
    make_store: Callable[..., DiaryStore],
) -> None:
    alice = _trial_diary(make_store)
    data = export_data(alice)
    save_trial(make_store("bob"), design(("head", "none"), TODAY + dt.timedelta(days=30), seed=7))
    bob = make_store("bob", today=LATER)
    with pytest.raises(TransferError) as refused:
        import_text(bob, json_text(data))
    [problem] = refused.value.problems
    assert problem.startswith(f"trials[0] ({data['trials'][0]['id']}), key start: ")
    assert "overlaps trial" in problem
    assert bob.sessions() == [] and len(all_trials(bob)) == 1


def test_a_trial_whose_allocation_was_edited_is_refused_naming_it(
    make_store: Callable[..., DiaryStore],
) -> None:
    data = export_data(_trial_diary(make_store))
    first, second = data["trials"][0]["periods"][:2]
    first["arm"], second["arm"] = second["arm"], first["arm"]
    newcomer = make_store("newcomer", today=LATER)
    with pytest.raises(TransferError) as refused:
        import_text(newcomer, json_text(data))
    assert [p.split(":")[0] for p in refused.value.problems] == [
        f"trials[0] ({data['trials'][0]['id']}), key periods"
    ]
    assert newcomer.sessions() == [] and all_trials(newcomer) == []


def test_a_trial_that_does_not_parse_names_its_key(
    make_store: Callable[..., DiaryStore],
) -> None:
    data = export_data(_trial_diary(make_store))
    data["trials"][0]["periods"][1]["start"] = "someday"
    with pytest.raises(TransferError) as refused:
        import_text(make_store("newcomer", today=LATER), json_text(data))
    assert refused.value.problems == [
        f"trials[0] ({data['trials'][0]['id']}), key periods[1].start: "
        "a date YYYY-MM-DD, got 'someday'"
    ]


def test_a_session_linked_to_a_period_its_date_is_not_in_is_refused(
    make_store: Callable[..., DiaryStore],
) -> None:
    data = export_data(_trial_diary(make_store))
    index, session = next(
        (i, s) for i, s in enumerate(data["sessions"]) if s["trial_period"] is not None
    )
    session["trial_period"] = {"trial": data["trials"][0]["id"], "period": 3}
    newcomer = make_store("newcomer", today=LATER)
    with pytest.raises(TransferError) as refused:
        import_text(newcomer, json_text(data))
    [problem] = refused.value.problems
    assert problem.startswith(f"sessions[{index}], column trial_period: ")
    assert f"does not hold {session['date']}" in problem
    assert newcomer.sessions() == []


def test_an_older_export_without_trials_still_imports(
    make_store: Callable[..., DiaryStore],
) -> None:
    older = {
        "format": "calmcrown-diary",
        "version": 1,
        "days": [{"date": "2026-11-20", "intensity": 3}],
        "headaches": [],
        "sessions": [{"date": "2026-11-20", "routine": "evening", "seconds": 600}],
    }
    store = make_store("old", today=TODAY)
    report = import_text(store, json.dumps(older))
    assert report.counts.added == 2 and all_trials(store) == []
    [session] = export_data(store)["sessions"]
    assert session["trial_period"] is None
