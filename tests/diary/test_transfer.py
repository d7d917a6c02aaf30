from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from calmcrown.diary import tables
from calmcrown.diary.records import DayEntry, HeadacheEntry, SessionEntry, normalised_text
from calmcrown.diary.store import DiaryStore
from calmcrown.diary.transfer import (
    MODELS,
    TransferError,
    csv_text,
    export_data,
    export_files,
    import_file,
    import_text,
)
from tests.diary.conftest import TODAY as TODAY_DATE


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _fill(store: DiaryStore) -> None:
    """A small diary with every kind of record and awkward text."""
    store.record_day(
        store.validate(
            DayEntry,
            {
                "date": "2026-11-20",
                "intensity": 6,
                "hours": 3.5,
                "medication": "ibuprofen, 400 mg",
                "sleep": 4,
                "stress": 7,
                "notes": 'line one\nline "two"',
            },
        )
    )
    store.record_day(store.validate(DayEntry, {"date": "2026-11-21", "intensity": 0}))
    store.add_headache(
        store.validate(
            HeadacheEntry,
            {
                "started_at": "2026-11-20T07:30",
                "ended_at": "2026-11-20T19:00",
                "peak": 7,
                "side": "left",
                "quality": "pulsating",
                "nausea": True,
                "light_sensitivity": True,
                "sound_sensitivity": False,
                "triggers": ["red wine", "short sleep"],
                "location": ["left temple"],
                "medication": "sumatriptan 50 mg",
                "medication_helped": "no",
            },
        )
    )
    store.add_headache(store.validate(HeadacheEntry, {"started_at": "2026-11-22T06:00"}))
    store.add_session(
        store.validate(
            SessionEntry,
            {
                "date": "2026-11-20",
                "time": "21:00",
                "routine": "evening",
                "seconds": 451,
                "pain_before": 6,
                "pain_after": 4,
                "given_by": "partner",
                "pressure": "mild",
                "oil": False,
                "outcome": "ended_early",
                "verdict": "adapt",
                "reasons": ["blood_thinners"],
                "actual_settle_s": 60,
            },
        )
    )
    store.add_session(
        store.validate(
            SessionEntry,
            {
                "date": "2026-11-21",
                "routine": "quick",
                "seconds": 0,
                "outcome": "stopped_by_screening",
                "verdict": "see_doctor",
                "reasons": ["fever"],
            },
        )
    )


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_export_gives_identical_files(
    make_store: Callable[..., DiaryStore], tmp_path: Path, fmt: str
) -> None:
    alice = make_store("alice")
    _fill(alice)
    first = export_files(alice, fmt, tmp_path / "first")  # type: ignore[arg-type]
    empty = make_store("newcomer")
    for path in first:
        import_file(empty, path)
    second = export_files(empty, fmt, tmp_path / "second")  # type: ignore[arg-type]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert len(empty.days()) == 2 and len(empty.headaches()) == 2 and len(empty.sessions()) == 2


def test_day_csv_imports_and_a_second_import_adds_nothing(
    store: DiaryStore, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "date,intensity,hours,medication,sleep,stress,notes\n"
        "2026-11-01,5,2,paracetamol 1 g,6,4,\n"
        "2026-11-02,0,,,,,quiet day\n\n",
    )
    report = import_file(store, path)
    assert (report.counts.added, report.counts.already, report.rows) == (2, 0, 2)
    again = import_file(store, path)
    assert (again.counts.added, again.counts.already) == (0, 2)
    assert "2 were already in the diary" in again.summary()
    assert [d.entry.intensity for d in store.days()] == [5, 0]


def test_a_headache_file_says_whether_the_medication_helped(
    store: DiaryStore, tmp_path: Path
) -> None:
    export_dir = tmp_path / "out"
    store.add_headache(
        store.validate(
            HeadacheEntry, {"started_at": "2026-11-20T07:30", "medication_helped": "yes"}
        )
    )
    [_, headaches, _] = export_files(store, "csv", export_dir)
    header, row = headaches.read_text().splitlines()[:2]
    columns = header.split(",")
    assert columns.index("medication_helped") == columns.index("medication") + 1
    assert row.split(",")[columns.index("medication_helped")] == "yes"
    # A file written before the column existed still imports: the answer is not recorded.
    older = _write(tmp_path, "started_at,medication\n2026-11-21T08:00,paracetamol 1 g\n")
    assert import_file(store, older).counts.added == 1
    assert [h.entry.medication_helped for h in store.headaches()] == ["yes", None]


def test_minimal_session_csv(store: DiaryStore, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "date,routine,minutes,pain_before,pain_after,time,by,pressure,notes\n"
        "2026-11-03,evening,10,6,3,21:30,partner,mild,felt good\n"
        "2026-11-04,quick,5,4,4,,,,\n",
    )
    assert import_file(store, path).counts.added == 2
    sessions = store.sessions()
    assert [s.entry.seconds for s in sessions] == [600, 300]
    assert sessions[0].entry.given_by == "partner" and sessions[1].entry.given_by == "self"
    assert import_file(store, path).counts.already == 2


def test_every_bad_line_is_listed_and_nothing_is_written(store: DiaryStore, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "date,routine,minutes,pain_before,pain_after\n"
        "2026-11-03,evening,10,6,3\n"
        "2026-02-30,evening,10,6,3\n"
        "2026-11-05,evening,500,6,3\n"
        "2026-11-06,evenin,10,6,3\n"
        "2026-11-07,evening,10,11,3\n"
        "2026-11-08,evening,10,6\n",
    )
    with pytest.raises(TransferError) as caught:
        import_file(store, path)
    problems = caught.value.problems
    assert any(p.startswith("line 3, column date:") for p in problems)
    assert any(p.startswith("line 4, column minutes: must be from 0 to 240") for p in problems)
    assert any(p.startswith("line 5, column routine: unknown routine 'evenin'") for p in problems)
    assert any(p.startswith("line 6, column pain_before:") for p in problems)
    assert any(p.startswith("line 7: 4 values for 5 columns") for p in problems)
    assert not any(p.startswith("line 2") for p in problems)
    assert store.sessions() == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("date,intensity,mood\n2026-11-01,3,ok\n", "line 1, column mood: unknown column"),
        ("date,hours\n2026-11-01,3\n", "line 1: cannot tell what the file holds"),
        ("date,routine,minutes\n2026-11-01,evening,3\n", "line 1, column pain_after: missing"),
        ("", "line 1: the file is empty"),
        ("date,intensity\n2026-11-01,3\n2026-11-01,4\n", "line 3, column date: also on line 2"),
        ("date,intensity\n2099-01-01,3\n", "line 2, column date: 2099-01-01 is in the future"),
        (
            "started_at,ended_at\n2026-11-02T10:00,2026-11-02T09:00\n",
            "line 2, column ended_at: the end is before the start",
        ),
        (
            "started_at,medication_helped\n2026-11-02T10:00,maybe\n",
            "line 2, column medication_helped: Input should be 'yes', 'partly' or 'no'",
        ),
    ],
)
def test_bad_files_name_the_line_and_column(
    store: DiaryStore, tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(TransferError) as caught:
        import_file(store, _write(tmp_path, text))
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    assert store.days() == [] and store.headaches() == []


def test_a_day_already_recorded_differently_is_a_conflict(
    store: DiaryStore, tmp_path: Path
) -> None:
    store.log_day(
        store.validate(DayEntry, {"date": "2026-11-01", "intensity": 2}).date, {"intensity": 2}
    )
    path = _write(tmp_path, "date,intensity\n2026-11-02,3\n2026-11-01,7\n")
    with pytest.raises(TransferError, match=r"line 3, column date: 2026-11-01 is already"):
        import_file(store, path)
    assert [d.entry.intensity for d in store.days()] == [2], "nothing was written"


def test_only_the_first_twenty_problems_are_shown(store: DiaryStore, tmp_path: Path) -> None:
    rows = "".join(f"2026-10-{day:02d},12\n" for day in range(1, 26))
    with pytest.raises(TransferError) as caught:
        import_file(store, _write(tmp_path, "date,intensity\n" + rows))
    assert len(caught.value.problems) == 25
    lines = str(caught.value).splitlines()
    assert len(lines) == 21 and lines[-1] == "... and 5 more problems"


def test_json_import_checks_its_shape(store: DiaryStore, tmp_path: Path) -> None:
    bad = {"format": "calmcrown-diary", "version": 1, "days": [{"date": "2026-11-01"}]}
    with pytest.raises(TransferError, match=r"days\[0\], column intensity: required"):
        import_file(store, _write(tmp_path, json.dumps(bad), "in.json"))
    with pytest.raises(TransferError, match="must be what export wrote"):
        import_file(store, _write(tmp_path, '{"days": []}', "other.json"))
    with pytest.raises(TransferError, match="line 1, column 2: not valid JSON"):
        import_file(store, _write(tmp_path, "{days", "broken.json"))


def test_the_same_session_twice_in_a_file_is_kept_twice(store: DiaryStore, tmp_path: Path) -> None:
    row = "2026-11-03,quick,5,4,3\n"
    path = _write(tmp_path, "date,routine,minutes,pain_before,pain_after\n" + row + row)
    assert import_file(store, path).counts.added == 2
    assert import_file(store, path).counts.already == 2
    assert len(store.sessions()) == 2


def test_import_brings_back_a_deleted_day(store: DiaryStore, tmp_path: Path) -> None:
    old = store.log_day(
        store.validate(DayEntry, {"date": "2026-11-01", "intensity": 2}).date, {"intensity": 2}
    )
    store.delete(old.id)
    path = _write(tmp_path, "date,intensity\n2026-11-01,6\n2026-11-02,1\n")
    assert import_file(store, path).counts.added == 2
    first_day = store.days()[0]
    assert (first_day.id, first_day.entry.intensity) == (old.id, 6)


def test_short_and_stopped_sessions_survive_a_round_trip(
    make_store: Callable[..., DiaryStore], tmp_path: Path
) -> None:
    alice = make_store("alice")
    for seconds, outcome in ((30, "ended_early"), (0, "stopped_by_screening")):
        alice.add_session(
            alice.validate(
                SessionEntry,
                {"date": "2026-11-20", "routine": "quick", "seconds": seconds, "outcome": outcome},
            )
        )
    [csv_file] = [p for p in export_files(alice, "csv", tmp_path / "a") if "sessions" in p.name]
    bob = make_store("bob")
    assert import_file(bob, csv_file).counts.added == 2
    assert sorted(s.entry.seconds for s in bob.sessions()) == [0, 30]


def test_a_completed_session_of_0_seconds_survives_a_round_trip(
    make_store: Callable[..., DiaryStore], tmp_path: Path
) -> None:
    # The player saves 0 s, completed, when every step was skipped.
    alice = make_store("alice")
    alice.add_session(
        alice.validate(SessionEntry, {"date": "2026-11-20", "routine": "quick", "seconds": 0})
    )
    [first] = [p for p in export_files(alice, "csv", tmp_path / "a") if "sessions" in p.name]
    bob = make_store("bob")
    assert import_file(bob, first).counts.added == 1
    [second] = [p for p in export_files(bob, "csv", tmp_path / "b") if "sessions" in p.name]
    assert first.read_bytes() == second.read_bytes()
    [session] = bob.sessions()
    assert (session.entry.seconds, session.entry.outcome) == (0, "completed")
    half = _write(tmp_path, "date,routine,minutes,pain_before,pain_after\n2026-11-21,quick,0.5,,\n")
    assert import_file(bob, half).counts.added == 1
    assert sorted(s.entry.seconds for s in bob.sessions()) == [0, 30]


def test_empty_text_is_nothing_recorded_so_re_import_matches(
    store: DiaryStore, tmp_path: Path
) -> None:
    store.log_day(TODAY_DATE, {"intensity": 2, "notes": ""})
    assert store.days()[0].entry.notes is None
    [days_csv] = [p for p in export_files(store, "csv", tmp_path / "out") if "days" in p.name]
    assert import_file(store, days_csv).counts.already == 1


def test_quoted_line_breaks_survive_and_errors_name_the_starting_line(
    store: DiaryStore, tmp_path: Path
) -> None:
    path = tmp_path / "crlf.csv"
    path.write_bytes(
        b'date,intensity,notes\r\n2026-11-01,3,"first\r\nsecond"\r\n2026-11-02,13,\r\n'
    )
    with pytest.raises(TransferError, match=r"^line 4, column intensity"):
        import_file(store, path)
    path.write_bytes(b'date,intensity,notes\r\n2026-11-01,3,"first\r\nsecond"\r\n')
    import_file(store, path)
    assert store.days()[0].entry.notes == "first\r\nsecond"


def test_json_refuses_yes_no_as_a_number(store: DiaryStore, tmp_path: Path) -> None:
    data = {
        "format": "calmcrown-diary",
        "version": 1,
        "days": [{"date": "2026-11-01", "intensity": True}],
    }
    with pytest.raises(
        TransferError, match=r"days\[0\], column intensity: must be a number, not true"
    ):
        import_file(store, _write(tmp_path, json.dumps(data), "d.json"))


def test_a_cell_too_long_for_csv_is_reported_with_its_line(
    store: DiaryStore, tmp_path: Path
) -> None:
    spaces = _write(tmp_path, " " * 200_000 + "\n", "spaces.csv")
    with pytest.raises(TransferError) as caught:
        import_file(store, spaces)
    assert caught.value.problems == [
        "line 1: a value is longer than 131072 characters, the most a CSV cell may hold"
    ]
    long_note = _write(
        tmp_path, 'date,intensity,notes\n2026-11-01,3,\n2026-11-02,4,"' + "x" * 200_000 + '"\n'
    )
    with pytest.raises(TransferError, match=r"^line 3: a value is longer than"):
        import_file(store, long_note)
    assert store.days() == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"days": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        (
            '{"format": "calmcrown-diary", "version": 1, "days": [{"date": "2026-11-01", '
            '"intensity": ' + "1" * 5000 + "}]}",
            "a number has more than 4300 digits",
        ),
    ],
)
def test_json_too_deep_or_with_a_giant_number_is_refused_plainly(
    store: DiaryStore, tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(TransferError) as caught:
        import_file(store, _write(tmp_path, text, "odd.json"))
    [message] = caught.value.problems
    assert message.startswith("line 1: the JSON cannot be read") and problem in message, message
    assert store.days() == []


def test_a_number_too_big_for_a_score_is_refused_plainly(store: DiaryStore, tmp_path: Path) -> None:
    text = '{"format": "calmcrown-diary", "version": 1, "days": [{"date": "2026-11-01", '
    text += '"intensity": ' + "9" * 400 + "}]}"
    with pytest.raises(TransferError, match=r"days\[0\], column intensity: must be a whole"):
        import_file(store, _write(tmp_path, text, "big.json"))
    big_cell = _write(tmp_path, "date,intensity\n2026-11-01," + "9" * 400 + "\n")
    with pytest.raises(TransferError, match=r"line 2, column intensity: must be a whole"):
        import_file(store, big_cell)


@pytest.mark.parametrize("text", ["[1, 2]", '  [{"date": "2026-11-01", "intensity": 3}]\n'])
def test_a_json_list_is_told_to_be_the_export_object(
    store: DiaryStore, tmp_path: Path, text: str
) -> None:
    with pytest.raises(TransferError) as caught:
        import_file(store, _write(tmp_path, text, "list.json"))
    [message] = caught.value.problems
    assert message.startswith("line 1: a JSON import must be the object that export writes")
    assert "not a list" in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("date,intensity,notes\n2026-11-01,3,ok\n2026-11-02,4,bad\x00day\n",
         "line 3, column notes: contains a NUL character, which a diary cannot keep"),
        ("started_at,triggers\n2026-11-02T10:00,stress;wi\x00ne\n",
         "line 2, column triggers.1: contains a NUL character, which a diary cannot keep"),
        ('{"format": "calmcrown-diary", "version": 1, "sessions": [{"date": "2026-11-02", '
         '"routine": "quick", "seconds": 60, "notes": "\\u0000"}]}',
         "sessions[0], column notes: contains a NUL character, which a diary cannot keep"),
    ],
)  # fmt: skip
def test_a_file_with_a_nul_character_is_refused_naming_the_line_and_nothing_is_imported(
    store: DiaryStore, tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(TransferError) as caught:
        import_file(store, _write(tmp_path, text))
    assert caught.value.problems == [problem]
    assert (store.days(), store.headaches(), store.sessions()) == ([], [], [])


_RISKY_STARTS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "'-", ""])
_WORDS = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=15)
_NOTES = st.builds(str.__add__, _RISKY_STARTS, _WORDS)
_TAGS = st.builds(
    str.__add__, st.sampled_from(["=", "+", "-", "@", "'", "''=", "'"]), _WORDS
).filter(lambda tag: tag == tag.strip() and ";" not in tag and len(tag) <= 100)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(notes=_NOTES, medication=_NOTES, tags=st.lists(_TAGS, min_size=1, max_size=3))
def test_csv_export_quotes_what_a_spreadsheet_would_run_and_import_gives_it_back(
    make_store: Callable[..., DiaryStore], notes: str, medication: str, tags: list[str]
) -> None:
    first = make_store(f"first-{uuid.uuid4().hex}")
    first.log_day(dt.date(2026, 11, 20), {"intensity": 2, "notes": notes, "medication": medication})
    first.add_headache(first.validate(HeadacheEntry, {
        "started_at": "2026-11-20T08:00", "triggers": tags, "location": tags[:1],
        "notes": notes, "medication": medication}))  # fmt: skip
    first.add_session(first.validate(SessionEntry, {
        "date": "2026-11-20", "routine": "quick", "seconds": 60, "notes": notes,
        "reasons": tags}))  # fmt: skip
    exported = {kind: csv_text(export_data(first), kind) for kind in MODELS}
    for kind, text in exported.items():
        [header, *rows] = csv.reader(io.StringIO(text, newline=""))
        for row in rows:
            for column, cell in zip(header, row, strict=True):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (kind, column, cell)
    second = make_store(f"second-{uuid.uuid4().hex}")
    for text in exported.values():
        import_text(second, text)
    assert {kind: csv_text(export_data(second), kind) for kind in MODELS} == exported
    [day] = second.days()
    # Written through the diary's rules, the texts lost the whitespace at their ends.
    assert (day.entry.notes, day.entry.medication) == (
        normalised_text(notes),
        normalised_text(medication),
    )
    [headache] = second.headaches()
    assert headache.entry.triggers == tags


def test_a_number_column_is_never_quoted_even_when_negative() -> None:
    data = {"days": [{"date": "2026-11-20", "intensity": -3, "hours": -1.5, "medication": None,
                      "sleep": -0, "stress": None, "notes": "-3"}]}  # fmt: skip
    [_, row] = csv_text(data, "days").splitlines()
    assert row == "2026-11-20,-3,-1.5,,0,,'-3"


def test_a_note_with_a_lone_carriage_return_comes_back_whole(
    make_store: Callable[..., DiaryStore],
) -> None:
    first = make_store("first")
    first.log_day(dt.date(2026, 11, 20), {"intensity": 2, "notes": "before\rafter"})
    exported = csv_text(export_data(first), "days")
    second = make_store("second")
    import_text(second, exported)
    assert second.days()[0].entry.notes == "before\rafter"
    assert csv_text(export_data(second), "days") == exported


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_long_headache_in_a_file_is_imported_as_the_file_has_it_and_round_trips(
    make_store: Callable[..., DiaryStore], tmp_path: Path, fmt: str
) -> None:
    first = make_store("first")
    first.add_headache(first.validate(HeadacheEntry, {"started_at": "1900-01-01T08:00"},
                                      long_confirmed=True))  # fmt: skip
    months = {"started_at": "2026-08-01T08:00", "ended_at": "2026-10-01T08:00"}
    first.add_headache(first.validate(HeadacheEntry, months, long_confirmed=True))
    written = export_files(first, fmt, tmp_path / "first")  # type: ignore[arg-type]
    second = make_store("second")
    for path in written:
        import_file(second, path)
    assert len(second.headaches()) == 2
    again = export_files(second, fmt, tmp_path / "second")  # type: ignore[arg-type]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


def test_json_refuses_a_number_written_as_text_as_the_api_does(
    store: DiaryStore, tmp_path: Path
) -> None:
    data = {
        "format": "calmcrown-diary",
        "version": 1,
        "days": [{"date": "2026-11-01", "intensity": "5", "hours": "2.5"}],
        "sessions": [{"date": "2026-11-01", "routine": "quick", "seconds": "60"}],
    }
    with pytest.raises(TransferError) as caught:
        import_file(store, _write(tmp_path, json.dumps(data), "d.json"))
    assert caught.value.problems == [
        "days[0], column intensity: must be a number, not text",
        "days[0], column hours: must be a number, not text",
        "sessions[0], column seconds: must be a number, not text",
    ]
    assert (store.days(), store.sessions()) == ([], [])


def _older_diary(store: DiaryStore) -> None:
    """Rows as an older calmcrown stored them, text as typed: a medicine and a tab, a
    lone tab, a note of one line end; the rules of today's entries never saw them."""
    stamp = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with store.engine.begin() as conn:
        conn.execute(insert(tables.days), [
            {"profile_id": store.profile_id, "date": dt.date(2026, 11, 20), "intensity": 4,
             "medication": "ibuprofen\t", "notes": "\n", "created_at": stamp, "updated_at": stamp},
            {"profile_id": store.profile_id, "date": dt.date(2026, 11, 21), "intensity": 0,
             "medication": "\t", "notes": None, "created_at": stamp, "updated_at": stamp},
        ])  # fmt: skip
        conn.execute(insert(tables.headaches), [
            {"profile_id": store.profile_id, "started_at": dt.datetime(2026, 11, 20, 8),
             "location": [], "triggers": [], "medication": " sumatriptan 50 mg\r\n",
             "notes": "\xa0", "created_at": stamp, "updated_at": stamp},
        ])  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_older_diary_reads_its_text_as_the_rules_keep_it_and_round_trips_exactly(
    make_store: Callable[..., DiaryStore], tmp_path: Path, fmt: str
) -> None:
    old = make_store("old")
    _older_diary(old)
    assert [d.entry.medication for d in old.days()] == ["ibuprofen", None]
    [episode] = old.headaches()
    assert (episode.entry.medication, episode.entry.notes) == ("sumatriptan 50 mg", None)
    first = export_files(old, fmt, tmp_path / "first")  # type: ignore[arg-type]
    assert not any("ibuprofen\\t" in p.read_text() or "ibuprofen\t" in p.read_text()
                   for p in first)  # fmt: skip
    newcomer = make_store("newcomer")
    for path in first:
        import_file(newcomer, path)
    second = export_files(newcomer, fmt, tmp_path / "second")  # type: ignore[arg-type]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_an_older_diary_takes_back_its_own_export_as_already_there(
    make_store: Callable[..., DiaryStore], tmp_path: Path
) -> None:
    old = make_store("old")
    _older_diary(old)
    for path in export_files(old, "csv", tmp_path / "out"):
        report = import_file(old, path)
        assert report.counts.added == 0, path.name
    assert len(old.days()) == 2 and len(old.headaches()) == 1, "nothing doubled"
