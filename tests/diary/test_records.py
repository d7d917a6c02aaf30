"""The entry rules themselves, without a diary: the models and the helpers around them."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from calmcrown.diary.records import (
    TEXT_WHITESPACE,
    DayEntry,
    Entry,
    EntryError,
    HeadacheEntry,
    LongEpisode,
    SessionEntry,
    episode_dates,
    is_free_text,
    normalised_text,
    session_seconds,
    validate_entry,
)
from tests.diary.conftest import TODAY

_DAY = {"date": "2026-11-20", "intensity": 3}
_HEADACHE = {"started_at": "2026-11-20T08:00"}
_SESSION = {"date": "2026-11-20", "routine": "evening", "seconds": 600}


def _problems(model: type[Entry], data: dict[str, object]) -> list[tuple[str, str]]:
    with pytest.raises(EntryError) as caught:
        validate_entry(model, data, today=TODAY)
    return caught.value.problems


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (DayEntry, _DAY | {"date": "0026-11-30"}, "date"),
        (SessionEntry, _SESSION | {"date": "0026-11-30"}, "date"),
        (HeadacheEntry, {"started_at": "0026-11-30T08:00"}, "started_at"),
        (HeadacheEntry, _HEADACHE | {"ended_at": "0026-11-30T09:00"}, "ended_at"),
    ],
)
def test_a_year_before_1900_is_refused_as_a_likely_typo(
    model: type[Entry], data: dict[str, object], field: str
) -> None:
    assert (field, "0026-11-30 is before 1900; a typo?") in _problems(model, data)


def test_1900_itself_is_allowed() -> None:
    assert validate_entry(DayEntry, _DAY | {"date": "1900-01-01"}, today=TODAY).date.year == 1900
    episode = validate_entry(
        HeadacheEntry,
        {"started_at": "1900-01-01T00:00", "ended_at": "1900-01-01T01:00"},
        today=TODAY,
    )
    assert episode.started_at.year == 1900


def test_a_headache_cannot_end_in_the_future() -> None:
    problems = _problems(HeadacheEntry, _HEADACHE | {"ended_at": "2062-11-20T09:00"})
    assert problems == [("ended_at", "2062-11-20 is in the future (latest allowed: 2026-11-23)")]
    tomorrow = validate_entry(
        HeadacheEntry, _HEADACHE | {"ended_at": "2026-11-23T23:00"}, today=TODAY
    )
    assert tomorrow.ended_at == dt.datetime(2026, 11, 23, 23, 0), "one day ahead, as for a date"


def test_session_minutes_are_0_to_240_whatever_the_outcome() -> None:
    assert session_seconds("0") == 0
    assert session_seconds("0.5") == 30
    assert session_seconds(240) == 240 * 60
    for bad in ("240.5", "-1"):
        with pytest.raises(EntryError) as caught:
            session_seconds(bad)
        assert caught.value.problems == [("minutes", f"must be from 0 to 240, not {float(bad):g}")]


def test_a_completed_session_of_0_seconds_is_a_valid_entry() -> None:
    # What the player saves after every step was skipped; the form and files must agree.
    entry = validate_entry(SessionEntry, _SESSION | {"seconds": 0}, today=TODAY)
    assert entry.outcome == "completed"
    assert session_seconds(f"{entry.minutes:g}") == 0


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (DayEntry, _DAY | {"intensity": 10**400}, "intensity"),
        (DayEntry, _DAY | {"intensity": "9" * 400}, "intensity"),
        (SessionEntry, _SESSION | {"seconds": -(10**400)}, "seconds"),
    ],
)
def test_a_huge_number_is_refused_not_a_crash(
    model: type[Entry], data: dict[str, object], field: str
) -> None:
    [(name, why)] = _problems(model, data)
    assert name == field and why.endswith("not a number of more than 300 digits"), why


def test_episode_dates_reach_the_last_date_there_is() -> None:
    last = dt.date.max
    episode = HeadacheEntry.model_construct(
        started_at=dt.datetime(9999, 12, 30, 22, 0), ended_at=dt.datetime(9999, 12, 31, 1, 0)
    )
    now = dt.datetime(2026, 11, 22, 12, 0)
    assert episode_dates(episode, now, dt.date.min, last) == [last - dt.timedelta(days=1), last]


NUL = "contains a NUL character, which a diary cannot keep"


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (DayEntry, _DAY | {"notes": "tired\x00"}, "notes"),
        (DayEntry, _DAY | {"medication": "ibuprofen\x00 400 mg"}, "medication"),
        (HeadacheEntry, _HEADACHE | {"notes": "\x00"}, "notes"),
        (HeadacheEntry, _HEADACHE | {"medication": "a\x00b"}, "medication"),
        (HeadacheEntry, _HEADACHE | {"triggers": ["stress", "wine\x00"]}, "triggers.1"),
        (HeadacheEntry, _HEADACHE | {"location": ["temple\x00"]}, "location.0"),
        (SessionEntry, _SESSION | {"notes": "calm\x00er"}, "notes"),
        (SessionEntry, _SESSION | {"reasons": ["blood\x00thinners"]}, "reasons.0"),
        (SessionEntry, _SESSION | {"routine": "evening\x00"}, "routine"),
    ],
)
def test_a_nul_character_in_any_text_field_is_refused_naming_the_field(
    model: type[Entry], data: dict[str, object], field: str
) -> None:
    assert _problems(model, data) == [(field, NUL)]


def test_a_session_time_with_an_offset_is_refused_like_a_headache_time() -> None:
    assert _problems(SessionEntry, _SESSION | {"time": "21:00+01:00"}) == [
        ("time", "give the local time without a time zone, like 21:00")
    ]


def test_an_ongoing_headache_begun_more_than_31_days_ago_asks_for_its_end_or_a_confirmation() -> (
    None
):
    forgotten = {"started_at": "1900-01-01T08:00"}
    with pytest.raises(LongEpisode) as caught:
        validate_entry(HeadacheEntry, forgotten, today=TODAY)
    assert caught.value.problems == [("ended_at", (
        "this headache has been going for 46,346 days; give when it ended, "
        "or confirm it is still going"))]  # fmt: skip
    assert validate_entry(HeadacheEntry, forgotten, today=TODAY, long_confirmed=True).ongoing
    month = {"started_at": f"{TODAY - dt.timedelta(days=31)}T08:00"}
    assert validate_entry(HeadacheEntry, month, today=TODAY).ongoing, "31 days is not asked"
    with pytest.raises(LongEpisode, match="going for 32 days"):
        validate_entry(HeadacheEntry, {"started_at": f"{TODAY - dt.timedelta(days=32)}T08:00"},
                       today=TODAY)  # fmt: skip


def test_a_headache_lasting_more_than_31_days_from_start_to_end_asks_to_be_confirmed() -> None:
    long = {"started_at": "2026-09-01T08:00", "ended_at": "2026-10-15T08:00"}
    with pytest.raises(LongEpisode) as caught:
        validate_entry(HeadacheEntry, long, today=TODAY)
    assert caught.value.problems == [("ended_at", (
        "this headache lasted 44 days; check when it started and ended, "
        "or confirm it did last that long"))]  # fmt: skip
    assert validate_entry(HeadacheEntry, long, today=TODAY, long_confirmed=True).ended_at
    just = {"started_at": "2026-09-01T08:00", "ended_at": "2026-10-02T07:59"}
    assert validate_entry(HeadacheEntry, just, today=TODAY).ended_at, "under 31 whole days"


_TEXT_FIELDS = [
    (DayEntry, _DAY, "medication"),
    (DayEntry, _DAY, "notes"),
    (HeadacheEntry, _HEADACHE, "medication"),
    (HeadacheEntry, _HEADACHE, "notes"),
    (SessionEntry, _SESSION, "notes"),
]


@pytest.mark.parametrize(("model", "data", "field"), _TEXT_FIELDS)
def test_free_text_loses_the_whitespace_at_its_ends_and_keeps_what_is_inside(
    model: type[Entry], data: dict[str, object], field: str
) -> None:
    given = " \t\xa0ibuprofen 400 mg;\tparacetamol\r\n1 g \u3000\r\n"
    entry = validate_entry(model, data | {field: given}, today=TODAY)
    assert getattr(entry, field) == "ibuprofen 400 mg;\tparacetamol\r\n1 g"


@pytest.mark.parametrize(("model", "data", "field"), _TEXT_FIELDS)
@pytest.mark.parametrize("blank", ["\t", " ", "\r\n", "\xa0", " \t\u2003\n", ""])
def test_text_that_is_only_whitespace_is_not_recorded(
    model: type[Entry], data: dict[str, object], field: str, blank: str
) -> None:
    assert getattr(validate_entry(model, data | {field: blank}, today=TODAY), field) is None


def test_the_whitespace_taken_off_is_exactly_what_python_strip_takes_off() -> None:
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    stripped_by_python = {c for c in every if c.strip() == ""}
    assert set(TEXT_WHITESPACE) == stripped_by_python
    assert "\u200b" not in TEXT_WHITESPACE, "a zero-width space is a character, not a gap"
    assert normalised_text("\u200b") == "\u200b"


def test_the_free_text_fields_are_the_medications_and_notes() -> None:
    found = {
        model.__name__: [name for name in model.model_fields if is_free_text(model, name)]
        for model in (DayEntry, HeadacheEntry, SessionEntry)
    }
    assert found == {
        "DayEntry": ["medication", "notes"],
        "HeadacheEntry": ["medication", "notes"],
        "SessionEntry": ["notes"],
    }, "a tag is refused with spaces at its ends instead"
