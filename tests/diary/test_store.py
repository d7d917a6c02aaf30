from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from calmcrown.diary.records import (
    DayEntry,
    EntryError,
    HeadacheEntry,
    LongEpisode,
    SessionEntry,
)
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.summary import summarize
from tests.diary.conftest import TODAY


def _day(store: DiaryStore, **fields: object) -> DayEntry:
    return store.validate(DayEntry, {"date": TODAY, "intensity": 0} | fields)


def _headache(store: DiaryStore, **fields: object) -> HeadacheEntry:
    return store.validate(HeadacheEntry, {"started_at": "2026-11-20T08:00"} | fields)


def _session(store: DiaryStore, **fields: object) -> SessionEntry:
    data = {"date": TODAY, "routine": "evening", "seconds": 600} | fields
    return store.validate(SessionEntry, data)


def test_a_day_is_saved_and_read_back(store: DiaryStore) -> None:
    saved = store.record_day(_day(store, intensity=6, hours=2.5, medication="ibuprofen 400 mg"))
    assert saved.created and saved.id.startswith("d")
    [day] = store.days()
    assert day.id == saved.id
    assert day.entry == saved.entry
    assert store.get(saved.id).entry.medication == "ibuprofen 400 mg"  # type: ignore[attr-defined]


def test_recording_a_date_again_updates_it(store: DiaryStore) -> None:
    first = store.record_day(_day(store, intensity=4))
    second = store.record_day(_day(store, intensity=7))
    assert second.id == first.id and not second.created
    assert [d.entry.intensity for d in store.days()] == [7]


def test_logging_a_day_again_keeps_what_was_not_given(store: DiaryStore) -> None:
    store.log_day(TODAY, {"intensity": 4, "medication": "paracetamol 1 g", "sleep": 6})
    again = store.log_day(TODAY, {"intensity": 6})
    assert again.entry.intensity == 6
    assert again.entry.medication == "paracetamol 1 g"
    assert again.entry.sleep == 6


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"intensity": 11}, "intensity", "from 0 to 10, not 11"),
        ({"intensity": -1}, "intensity", "from 0 to 10, not -1"),
        ({"sleep": 12}, "sleep", "from 0 to 10"),
        ({"hours": 25}, "hours", "from 0 to 24"),
        ({"date": TODAY + dt.timedelta(days=2)}, "date", "is in the future"),
        ({"mood": "fine"}, "mood", "unknown field"),
        ({"intensity": "severe"}, "intensity", "valid integer"),
    ],
)
def test_bad_day_names_the_field_and_saves_nothing(
    store: DiaryStore, fields: dict[str, object], field: str, problem: str
) -> None:
    fields = dict(fields)  # the parameters are shared by the sqlite and postgresql runs
    date = fields.pop("date", TODAY)
    assert isinstance(date, dt.date)
    with pytest.raises(EntryError) as caught:
        store.log_day(date, {"intensity": 1} | fields)
    assert any(f == field and problem in p for f, p in caught.value.problems), caught.value
    assert store.days() == []


def test_tomorrow_is_allowed_for_time_zones(store: DiaryStore) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    assert store.log_day(tomorrow, {"intensity": 0}).entry.date == tomorrow


def test_text_is_stored_as_given_but_for_the_whitespace_at_its_ends(store: DiaryStore) -> None:
    text = "<b>ibuprofen</b>; 400 mg, DROP TABLE days; -- 'quoted'\t\"and\"\nünïcode"
    store.log_day(TODAY, {"intensity": 3, "notes": f"  {text}\n", "medication": f"\t{text}\xa0"})
    [day] = store.days()
    assert day.entry.notes == text and day.entry.medication == text


def test_headache_episode_across_days_is_found_on_each(store: DiaryStore) -> None:
    episode = store.add_headache(
        _headache(store, started_at="2026-11-18T22:00", ended_at="2026-11-20T09:00", peak=6)
    )
    ongoing = store.add_headache(_headache(store, started_at="2026-11-21T15:00"))
    day = {
        n: [h.id for h in store.headaches(_on(store, n), _on(store, n))]
        for n in (17, 18, 19, 20, 21, 22)
    }
    assert day[17] == []
    assert day[18] == day[19] == day[20] == [episode.id]
    assert day[21] == day[22] == [ongoing.id], "an ongoing headache covers every day since"
    assert store.get(ongoing.id).entry.ended_at is None  # type: ignore[attr-defined]


def _on(store: DiaryStore, day: int) -> dt.date:
    return dt.date(2026, 11, day)


def test_headache_ending_before_it_starts_is_refused(store: DiaryStore) -> None:
    with pytest.raises(EntryError, match="ended_at: the end is before the start"):
        _headache(store, started_at="2026-11-20T10:00", ended_at="2026-11-20T09:00")


def test_sessions_keep_every_field(store: DiaryStore) -> None:
    entry = _session(
        store,
        time="21:15",
        given_by="partner",
        planned_settle_s=60,
        planned_practice_s=420,
        planned_after_s=120,
        actual_settle_s=60,
        actual_practice_s=300,
        actual_after_s=0,
        seconds=360,
        pressure="mild",
        oil=True,
        pain_before=6,
        pain_after=3,
        tension_before=7,
        tension_after=4,
        outcome="ended_early",
        verdict="adapt",
        reasons=["blood_thinners"],
        notes="fell asleep",
    )
    saved = store.add_session(entry)
    assert store.get(saved.id).entry == entry


def test_unknown_routine_is_refused(store: DiaryStore) -> None:
    with pytest.raises(EntryError, match="routine: unknown routine 'evenin'"):
        _session(store, routine="evenin")


def test_edit_checks_the_whole_record_again(store: DiaryStore) -> None:
    saved = store.record_day(_day(store, intensity=4))
    store.edit(saved.id, {"intensity": "5", "notes": "after lunch"})
    assert store.get(saved.id).entry.intensity == 5  # type: ignore[attr-defined]
    with pytest.raises(EntryError, match="intensity"):
        store.edit(saved.id, {"intensity": "12"})
    with pytest.raises(EntryError, match="unknown field"):
        store.edit(saved.id, {"colour": "red"})
    assert store.get(saved.id).entry.intensity == 5  # type: ignore[attr-defined]


def test_edit_cannot_move_a_day_onto_another(store: DiaryStore) -> None:
    first = store.record_day(_day(store, date=_on(store, 20), intensity=2))
    store.record_day(_day(store, date=_on(store, 21), intensity=3))
    with pytest.raises(EntryError, match="already recorded as d"):
        store.edit(first.id, {"date": "2026-11-21"})


def test_delete_hides_and_undo_restores_the_latest(store: DiaryStore) -> None:
    day = store.record_day(_day(store, intensity=4))
    session = store.add_session(_session(store))
    store.delete(day.id)
    store.delete(session.id)
    assert store.days() == [] and store.sessions() == []
    with pytest.raises(LookupError):
        store.get(day.id)
    restored = store.undo()
    assert restored is not None and restored.id == session.id
    restored = store.undo()
    assert restored is not None and restored.id == day.id
    assert store.undo() is None
    assert [d.id for d in store.days()] == [day.id]


def test_restore_brings_back_exactly_that_record(store: DiaryStore) -> None:
    day = store.record_day(_day(store, intensity=4))
    headache = store.add_headache(_headache(store, peak=5))
    session = store.add_session(_session(store))
    for record in (day, headache, session):
        store.delete(record.id)
    restored = store.restore(day.id)
    assert (restored.id, restored.entry) == (day.id, day.entry)
    assert [d.id for d in store.days()] == [day.id]
    assert store.headaches() == [] and store.sessions() == [], "later deletions stay deleted"
    assert store.restore(headache.id).entry == headache.entry
    assert [h.id for h in store.headaches()] == [headache.id]
    latest = store.undo()
    assert latest is not None and latest.id == session.id


def test_restore_refuses_what_is_not_deleted_or_not_there(store: DiaryStore) -> None:
    day = store.record_day(_day(store, intensity=4))
    with pytest.raises(EntryError) as caught:
        store.restore(day.id)
    assert caught.value.problems == [("id", f"{day.id} is not deleted")]
    with pytest.raises(LookupError, match="no session s99 in this diary"):
        store.restore("s99")
    with pytest.raises(LookupError, match="not a record id"):
        store.restore("day 4")


def test_restore_is_only_for_the_owners_records(make_store: Callable[..., DiaryStore]) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    mine = alice.record_day(_day(alice, intensity=5))
    alice.delete(mine.id)
    with pytest.raises(LookupError, match=f"no day {mine.id} in this diary"):
        bob.restore(mine.id)
    assert alice.days() == [], "bob's attempt changed nothing"
    assert alice.restore(mine.id).id == mine.id


def test_editing_onto_a_deleted_day_says_how_to_bring_that_day_back(store: DiaryStore) -> None:
    gone = store.record_day(_day(store, date=_on(store, 20), intensity=2))
    moving = store.record_day(_day(store, date=_on(store, 21), intensity=3))
    store.delete(gone.id)
    with pytest.raises(EntryError) as caught:
        store.edit(moving.id, {"date": "2026-11-20"})
    [(field, why)] = caught.value.problems
    assert field == "date" and f"restore {gone.id}" in why
    assert "brings it back" not in why, "undo restores only the latest deletion"


def test_unknown_and_malformed_ids(store: DiaryStore) -> None:
    with pytest.raises(LookupError, match="no day d99"):
        store.get("d99")
    with pytest.raises(LookupError, match="not a record id"):
        store.delete("x1")


def test_profiles_never_see_each_other(make_store: Callable[..., DiaryStore]) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    mine = alice.record_day(_day(alice, intensity=5))
    headache = alice.add_headache(_headache(alice))
    alice.add_session(_session(alice))
    assert bob.days() == [] and bob.headaches() == [] and bob.sessions() == []
    for record_id in (mine.id, headache.id):
        with pytest.raises(LookupError):
            bob.get(record_id)
        with pytest.raises(LookupError):
            bob.delete(record_id)
        with pytest.raises(LookupError):
            bob.edit(record_id, {"notes": "bob was here"})
    bob.record_day(_day(bob, intensity=1))
    alice.delete(mine.id)
    assert bob.undo() is None, "bob cannot undo alice's deletion"
    assert [d.entry.intensity for d in alice.days()] == []
    assert [d.entry.intensity for d in bob.days()] == [1]


def test_medication_overuse_warning_at_ten_days_in_thirty(store: DiaryStore) -> None:
    for offset in range(9):
        day = TODAY - dt.timedelta(days=offset * 3)
        store.log_day(day, {"intensity": 5, "medication": "ibuprofen"})
    assert store.medication_days() == 9
    assert store.medication_warning() is None
    store.add_headache(_headache(store, started_at="2026-11-21T09:00", medication="sumatriptan"))
    assert store.medication_days() == 10
    warning = store.medication_warning()
    assert warning is not None and "10 of the last 30 days" in warning


def test_old_medication_falls_out_of_the_window(store: DiaryStore) -> None:
    for offset in range(30, 45):
        store.log_day(TODAY - dt.timedelta(days=offset), {"intensity": 5, "medication": "x"})
    assert store.medication_days() == 0


def test_listing_by_dates(store: DiaryStore) -> None:
    for day in (10, 15, 20):
        store.log_day(_on(store, day), {"intensity": day % 7})
    assert [d.entry.date.day for d in store.days(_on(store, 12), _on(store, 20))] == [15, 20]
    assert [d.entry.date.day for d in store.days(until=_on(store, 15))] == [10, 15]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"started_at": "2026-11-20T10:00+02:00"}, "without a time zone"),
        ({"triggers": ["wine;cheese"]}, "contains ';'"),
        ({"triggers": [" wine"]}, "starts or ends with spaces"),
        ({"peak": True}, "must be a number, not true"),
    ],
)
def test_headache_values_that_would_not_survive_a_file_are_refused(
    store: DiaryStore, fields: dict[str, object], problem: str
) -> None:
    with pytest.raises(EntryError, match=problem):
        _headache(store, **fields)


def test_dates_at_the_ends_of_the_calendar_give_answers_not_errors(store: DiaryStore) -> None:
    store.log_day(TODAY, {"intensity": 5, "medication": "ibuprofen"})
    episode = store.add_headache(_headache(store, medication="sumatriptan"))
    first, last = dt.date.min, dt.date.max
    assert [h.id for h in store.headaches(until=last)] == [episode.id]
    assert [h.id for h in store.headaches(last, last)] == [episode.id], "it is still going on"
    assert store.headaches(first, first) == []
    assert store.medication_days(last) == 0
    assert store.medication_days(first) == 0
    assert store.medication_days(dt.date(1, 1, 5)) == 0
    assert store.medication_warning(last) is None
    snapshot = store.snapshot(first, last)
    assert len(snapshot.days) == 1 and snapshot.medication_days == 0
    now = dt.datetime(2026, 11, 22, 12, 0)
    for since, until in ((first, last), (first, first), (last, last)):
        summary = summarize(store, since, until, now)
        assert summary.span == (until - since).days + 1
    assert len(summarize(store, first, last, now).headache_dates) == 3


def _medicate_ten_days(store: DiaryStore, last: dt.date) -> None:
    for offset in range(10):
        store.log_day(last - dt.timedelta(days=offset), {"intensity": 5, "medication": "x"})


def test_the_warning_for_an_earlier_range_names_its_end(store: DiaryStore) -> None:
    end = dt.date(2026, 10, 31)
    _medicate_ten_days(store, end)
    warning = store.medication_warning(end)
    assert warning is not None
    assert warning.startswith("Acute medication on 10 days in the 30 days up to 2026-10-31.")
    assert "last 30 days" not in warning, "the range ended weeks ago"
    summary = summarize(store, dt.date(2026, 10, 1), end, dt.datetime(2026, 11, 22, 12, 0))
    assert summary.medication_warning == warning


def test_the_warning_up_to_today_speaks_of_the_last_30_days(store: DiaryStore) -> None:
    _medicate_ten_days(store, TODAY)
    for warning in (
        store.medication_warning(),
        store.medication_warning(TODAY),
        summarize(
            store, TODAY - dt.timedelta(days=6), TODAY, dt.datetime(2026, 11, 22)
        ).medication_warning,
    ):
        assert warning is not None and warning.startswith(
            "Acute medication on 10 of the last 30 days."
        )


def test_the_latest_checked_session_is_by_date_then_time(store: DiaryStore) -> None:
    store.add_session(_session(store, time="14:00", verdict="adapt", reasons=["pregnancy"]))
    store.add_session(_session(store, time="08:00", verdict="clear"))  # earlier that day
    store.add_session(_session(store, time="22:00"))  # logged without a check
    store.add_session(_session(store, verdict="clear"))  # no time: counts as midnight
    latest = store.latest_checked_session(TODAY - dt.timedelta(days=365))
    assert latest is not None and latest.entry.reasons == ["pregnancy"]
    assert store.latest_checked_session(TODAY + dt.timedelta(days=1)) is None


def test_a_worst_so_far_is_not_lowered_by_a_later_lower_value(store: DiaryStore) -> None:
    store.log_day(TODAY, {"intensity": 7, "medication": "ibuprofen"}, keep_higher=["intensity"])
    kept = store.log_day(TODAY, {"intensity": 3}, keep_higher=["intensity"])
    assert kept.entry.intensity == 7 and kept.entry.medication == "ibuprofen"
    raised = store.log_day(TODAY, {"intensity": 8}, keep_higher=["intensity"])
    assert raised.entry.intensity == 8
    corrected = store.log_day(TODAY, {"intensity": 2})
    assert corrected.entry.intensity == 2, "without keep_higher the value is as given"


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("day", {"intensity": 4, "notes": "slept badly\x00"}),
        ("headache", {"started_at": "2026-11-20T08:00", "medication": "paracetamol\x00"}),
        ("session", {"date": "2026-11-20", "routine": "quick", "seconds": 300,
                     "notes": "\x00"}),
    ],
)  # fmt: skip
def test_a_nul_character_is_refused_by_name_and_nothing_is_saved_on_either_database(
    store: DiaryStore, kind: str, data: dict[str, object]
) -> None:
    with pytest.raises(EntryError) as caught:
        if kind == "day":
            store.log_day(dt.date(2026, 11, 20), data)
        elif kind == "headache":
            store.add_headache(store.validate(HeadacheEntry, data))
        else:
            store.add_session(store.validate(SessionEntry, data))
    [(field, why)] = caught.value.problems
    assert field in {"notes", "medication"} and "NUL character" in why
    assert (store.days(), store.headaches(), store.sessions()) == ([], [], [])


def test_an_edit_that_adds_a_nul_character_is_refused_and_keeps_the_record(
    store: DiaryStore,
) -> None:
    recorded = store.log_day(dt.date(2026, 11, 20), {"intensity": 3, "notes": "fine"})
    with pytest.raises(EntryError, match="notes: contains a NUL character"):
        store.edit(recorded.id, {"notes": "fi\x00ne"})
    assert store.get(recorded.id).entry.notes == "fine"


def test_a_long_headache_is_saved_once_confirmed_and_asked_about_again_only_for_new_times(
    store: DiaryStore,
) -> None:
    forgotten = {"started_at": "1900-01-01T08:00"}
    with pytest.raises(LongEpisode, match="has been going for 46,346 days"):
        store.add_headache(store.validate(HeadacheEntry, forgotten))
    assert store.headaches() == []
    recorded = store.add_headache(store.validate(HeadacheEntry, forgotten, long_confirmed=True))
    assert store.edit(recorded.id, {"notes": "it never stopped"}).entry.notes == "it never stopped"
    with pytest.raises(LongEpisode, match="lasted 36,524 days"):
        store.edit(recorded.id, {"ended_at": "2000-01-01T08:00"})
    assert store.get(recorded.id).entry.ended_at is None, "nothing changed"
    ended = store.edit(recorded.id, {"ended_at": "1900-01-02T08:00"})
    assert ended.entry.ended_at == dt.datetime(1900, 1, 2, 8, 0), "an end a day later: fine"
    kept = store.edit(recorded.id, {"ended_at": "1900-03-01T08:00"}, long_confirmed=True)
    assert kept.entry.ended_at == dt.datetime(1900, 3, 1, 8, 0)
