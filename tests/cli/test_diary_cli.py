"""The diary's command-line contract: log, diary, edit, delete, undo, import, export,
backup, restore and schedule, run in-process against a diary in tmp_path."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pexpect
import pytest
from icalendar import Calendar
from typer.testing import CliRunner, Result

from calmcrown.cli.app import app
from tests.run_date import RUN_DATE

TODAY = RUN_DATE


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'diary.sqlite3'}"


def run(db: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, ["--db", db, *args], input=input)


def _diary(db: str, *args: str) -> dict[str, object]:
    result = run(db, "diary", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_log_day_saves_and_updates(db: str) -> None:
    first = run(db, "log", "day", "--intensity", "5", "--medication", "ibuprofen 400 mg")
    assert first.exit_code == 0
    assert first.stdout.strip() == f"Saved d1: {TODAY}, intensity 5."
    again = run(db, "log", "day", "--intensity", "7")
    assert again.stdout.strip() == f"Updated d1: {TODAY}, intensity 7."
    [day] = _diary(db)["days"]  # type: ignore[misc]
    assert day["intensity"] == 7 and day["medication"] == "ibuprofen 400 mg"


def test_log_day_zero_means_no_headache(db: str) -> None:
    result = run(db, "log", "day", "--date", "2026-01-05", "--intensity", "0")
    assert result.stdout.strip() == "Saved d1: 2026-01-05, no headache."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--intensity", "11"], "intensity: must be a whole number from 0 to 10, not 11"),
        (["--intensity", "3", "--sleep", "-1"], "sleep: must be a whole number from 0 to 10"),
        (["--intensity", "3", "--date", "2026-02-30"], "date: '2026-02-30' is not a date"),
        (["--intensity", "3", "--date", "2999-01-01"], "date: 2999-01-01 is in the future"),
    ],
)
def test_log_day_refuses_bad_input_and_saves_nothing(
    db: str, args: list[str], message: str
) -> None:
    result = run(db, "log", "day", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert _diary(db)["days"] == []


def test_medication_overuse_warning_on_entry_and_in_the_diary(db: str) -> None:
    for offset in range(10):
        day = (TODAY - dt.timedelta(days=offset)).isoformat()
        result = run(db, "log", "day", "--date", day, "--intensity", "4", "--medication", "x")
    assert "Warning: Acute medication on 10 of the last 30 days" in result.stderr
    diary = _diary(db)
    assert diary["medication_days_last_30"] == 10 and diary["medication_warning"]


def test_log_headache_with_options_shows_its_tag(db: str) -> None:
    result = run(
        db, "log", "headache", "--start", "2026-11-01 08:00", "--end", "2026-11-01 20:00",
        "--peak", "7", "--side", "left", "--quality", "pulsating", "--nausea",
        "--trigger", "red wine", "--trigger", "short sleep",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Saved h1: headache from 2026-11-01 08:00, ended 2026-11-01 20:00." in result.stdout
    assert "Migraine-like" in result.stdout and "not a diagnosis" in result.stdout
    [headache] = _diary(db, "--since", "2026-10-01")["headaches"]  # type: ignore[misc]
    assert headache["triggers"] == ["red wine", "short sleep"]
    assert headache["tag"] == "migraine-like"


def _ask(db: str, what: str, answers: list[str]) -> str:
    """Run `log WHAT` with no options in a real terminal and answer its questions."""
    child = pexpect.spawn(
        sys.executable, ["-m", "calmcrown", "--db", db, "log", what], encoding="utf-8", timeout=30
    )
    seen = io.StringIO()
    child.logfile_read = seen
    for answer in answers:
        child.expect(r"\]: |\? ")
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, seen.getvalue()
    return seen.getvalue()


# A headache still going that began days ago: one begun over a month ago is asked about.
RECENT = f"{TODAY - dt.timedelta(days=3)} 09:00"


def test_log_headache_asks_when_given_no_options(db: str) -> None:
    out = _ask(db, "headache", [RECENT, "n", "x", "5", "b", "p", "n", "n", "n", ""])
    assert "Please type a whole number from 1 to 10" in out, "a bad answer is asked again"
    assert "still going on" in out
    [headache] = _diary(db, "--since", "2026-10-01")["headaches"]  # type: ignore[misc]
    assert headache["ended_at"] is None and headache["peak"] == 5
    assert headache["side"] == "both" and headache["quality"] == "pressing"


def test_log_headache_keeps_whether_the_medication_helped(db: str) -> None:
    result = run(db, "log", "headache", "--start", RECENT,
                 "--medication", "ibuprofen 400 mg", "--helped", "partly")  # fmt: skip
    assert result.exit_code == 0, result.output
    [headache] = _diary(db, "--since", "2026-10-01")["headaches"]  # type: ignore[misc]
    assert headache["medication_helped"] == "partly"
    refused = run(db, "log", "headache", "--start", "2026-11-02 08:00", "--helped", "maybe")
    assert refused.exit_code == 2 and "medication_helped" in refused.stderr
    assert len(_diary(db, "--since", "2026-10-01")["headaches"]) == 1  # type: ignore[arg-type]


def test_log_headache_asks_whether_the_medication_helped_once_one_was_taken(db: str) -> None:
    answers = [RECENT, "n", "", "", "", "", "", "", "paracetamol 1 g", "p"]
    _ask(db, "headache", answers)
    [headache] = _diary(db, "--since", "2026-10-01")["headaches"]  # type: ignore[misc]
    assert (headache["medication"], headache["medication_helped"]) == ("paracetamol 1 g", "partly")


def test_logging_with_no_options_and_no_terminal_refuses(db: str) -> None:
    result = run(db, "log", "headache", input="")
    assert result.exit_code == 2 and "no terminal to ask in" in result.stderr
    assert _diary(db)["headaches"] == []


def test_log_session_with_options_and_its_limits(db: str) -> None:
    ok = run(db, "log", "session", "--routine", "feet", "--minutes", "15", "--by", "partner",
             "--pain-before", "6", "--pain-after", "3")  # fmt: skip
    assert ok.exit_code == 0 and "Saved s1:" in ok.stdout and "pain 6 -> 3" in ok.stdout
    too_long = run(db, "log", "session", "--routine", "feet", "--minutes", "241")
    assert too_long.exit_code == 2 and "minutes: must be from 0 to 240" in too_long.stderr
    unknown = run(db, "log", "session", "--routine", "fet", "--minutes", "15")
    assert unknown.exit_code == 2 and "routine: unknown routine 'fet'" in unknown.stderr
    assert len(_diary(db)["sessions"]) == 1  # type: ignore[arg-type]


@pytest.mark.real_clock  # the questions are asked by a calmcrown process of its own
def test_log_session_asks_when_given_no_options(db: str) -> None:
    _ask(db, "session", ["2", "12", "6", "4"])
    [session] = _diary(db)["sessions"]  # type: ignore[misc]
    assert session["seconds"] == 720 and session["pain_after"] == 4


def test_diary_counts_unrecorded_days_as_unknown(db: str) -> None:
    run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3")
    run(db, "log", "day", "--date", "2026-11-02", "--intensity", "0")
    run(db, "log", "headache", "--start", "2026-11-04 10:00", "--end", "2026-11-05 09:00")
    diary = _diary(db, "--since", "2026-11-01", "--until", "2026-11-07")
    assert diary["days_in_range"] == 7
    assert diary["headache_days"] == 3, "Nov 1 by intensity, Nov 4 and 5 by the episode"
    assert diary["days_recorded"] == 4
    assert diary["days_unknown"] == 3
    shown = run(db, "diary", "--since", "2026-11-01", "--until", "2026-11-07")
    assert "3 not recorded (unknown, not counted as free)" in " ".join(shown.stdout.split())


def test_edit_delete_and_undo(db: str) -> None:
    run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3")
    edited = run(db, "edit", "d1", "intensity=4", "notes=after lunch")
    assert edited.exit_code == 0 and edited.stdout.startswith("Updated d1")
    bad = run(db, "edit", "d1", "intensity=40")
    assert bad.exit_code == 2 and "intensity: must be" in bad.stderr
    assert run(db, "edit", "d1", "intensity").exit_code == 2
    assert run(db, "edit", "z1", "intensity=4").exit_code == 2
    assert "Deleted day d1" in run(db, "delete", "d1").stdout
    assert _diary(db, "--since", "2026-10-01")["days"] == []
    assert run(db, "delete", "d1").exit_code == 2
    assert "Restored day d1" in run(db, "undo").stdout
    [day] = _diary(db, "--since", "2026-10-01")["days"]  # type: ignore[misc]
    assert day["intensity"] == 4 and day["notes"] == "after lunch"
    assert "Nothing to undo" in run(db, "undo").stdout


def test_import_reports_bad_lines_and_writes_nothing(db: str, tmp_path: Path) -> None:
    path = tmp_path / "days.csv"
    path.write_text("date,intensity\n2026-11-01,3\n2026-11-02,12\nnot-a-date,3\n")
    result = run(db, "import", str(path))
    assert result.exit_code == 2
    assert "nothing imported" in result.stderr
    assert "line 3, column intensity: must be a whole number from 0 to 10" in result.stderr
    assert "line 4, column date:" in result.stderr
    assert _diary(db, "--since", "2026-10-01")["days"] == []


def test_import_export_round_trip_through_the_commands(db: str, tmp_path: Path) -> None:
    path = tmp_path / "days.csv"
    path.write_text('date,intensity,notes\n2026-11-01,3,"comma, inside"\n2026-11-02,0,\n')
    assert run(db, "import", str(path)).stdout.strip() == "Imported 2 of 2 days."
    again = run(db, "import", str(path)).stdout.strip()
    assert again == "Imported 0 of 2 days; 2 were already in the diary."
    exported = run(db, "export", "--format", "csv", "--out", str(tmp_path / "out"))
    assert exported.exit_code == 0
    assert (tmp_path / "out" / "days.csv").read_text() == (
        "date,intensity,hours,medication,sleep,stress,notes\n"
        '2026-11-01,3,,,,,"comma, inside"\n'
        "2026-11-02,0,,,,,\n"
    )


def test_backup_and_restore(db: str, tmp_path: Path) -> None:
    run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3")
    copy = tmp_path / "backup.sqlite3"
    assert run(db, "backup", str(copy)).exit_code == 0
    assert run(db, "backup", str(copy)).exit_code == 2, "no silent overwrite"
    run(db, "log", "day", "--date", "2026-11-02", "--intensity", "8")
    restored = run(db, "restore", str(copy))
    assert restored.exit_code == 0, restored.output
    assert "The diary it replaced is kept at" in restored.stdout
    days = _diary(db, "--since", "2026-10-01")["days"]
    assert [d["date"] for d in days] == ["2026-11-01"]  # type: ignore[index,union-attr]
    kept = next(tmp_path.glob("diary-before-restore-*.sqlite3"))
    replaced = _diary(f"sqlite:///{kept}", "--since", "2026-10-01")["days"]
    assert len(replaced) == 2  # type: ignore[arg-type]


def test_restore_refuses_what_is_not_a_diary(db: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    result = run(db, "restore", str(junk))
    assert result.exit_code == 2 and "not an SQLite database" in result.stderr


def test_backup_explains_postgresql() -> None:
    result = run("postgresql+psycopg://app@/nowhere", "backup", "/tmp/never.sqlite3")
    assert result.exit_code == 2 and "pg_dump" in result.stderr


def test_schedule_saves_the_plan_and_writes_a_calendar(db: str, tmp_path: Path) -> None:
    ics = tmp_path / "practice.ics"
    result = run(db, "schedule", "--per-week", "3", "--days", "mon,wed,fri", "--time", "20:15",
                 "--ics", str(ics), "--start", "2026-11-23")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 sessions a week (mon, wed, fri) at 20:15" in result.stdout
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 12
    assert events[0].decoded("DTSTART") == dt.datetime(2026, 11, 23, 20, 15)
    assert "(unchanged)" in run(db, "schedule").stdout, "the plan was saved"
    bad = run(db, "schedule", "--days", "mon,someday")
    assert bad.exit_code == 2 and "unknown weekday 'someday'" in bad.stderr


def test_schedule_follows_a_trial_to_its_end(db: str, tmp_path: Path) -> None:
    from calmcrown.diary.engine import create_diary_engine
    from calmcrown.diary.schema import ensure_schema
    from calmcrown.diary.store import DiaryStore
    from calmcrown.diary.trials import save_trial
    from calmcrown.insight.trial.design import design

    engine = create_diary_engine(db)
    ensure_schema(engine)
    start = TODAY + dt.timedelta(days=1)
    trial = save_trial(DiaryStore(engine), design(("head", "none"), start, blocks=3, seed=3))
    engine.dispose()
    ics = tmp_path / "trial.ics"
    result = run(db, "schedule", "--ics", str(ics), "--start", start.isoformat())
    assert result.exit_code == 0, result.output
    assert "Wrote 12 weeks" in result.stdout, "no plan: 3 a week, to the trial's end"
    assert "It follows trial t1" in result.stdout
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 3 * 6, "three head periods of 14 days, none in the no-massage ones"
    for event in events:
        period = trial.period_on(event.decoded("DTSTART").date())
        assert period is not None and period.arm == "head"
        assert str(event["SUMMARY"]).endswith("head period of your trial")


def test_a_bad_database_url_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("mysql://nope", "diary")
    assert result.exit_code == 2 and "--db:" in result.stderr
    monkeypatch.setenv("CALMCROWN_DATABASE_URL", "not a url")
    result = CliRunner().invoke(app, ["diary"])
    assert result.exit_code == 2 and "CALMCROWN_DATABASE_URL:" in result.stderr


def test_the_default_diary_lives_in_the_data_directory(private_diary: Path) -> None:
    result = CliRunner().invoke(app, ["log", "day", "--intensity", "2"])
    assert result.exit_code == 0
    assert (private_diary / "diary.sqlite3").exists()


def test_notes_are_shown_as_written_never_as_markup(db: str) -> None:
    run(
        db,
        "log",
        "day",
        "--intensity",
        "2",
        "--notes",
        "[/] [link=https://x.example]y[/link] :smile:",
    )
    shown = CliRunner().invoke(app, ["--db", db, "diary"], env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    assert "[/]" in shown.stdout and "[link=https://x.example]y[/link]" in shown.stdout
    assert ":smile:" in shown.stdout


@pytest.mark.parametrize("record_id", ["d\u00b2", "d99999999999999999999", "D1", "d-1"])
def test_odd_record_ids_get_a_clear_message(db: str, record_id: str) -> None:
    result = run(db, "delete", record_id)
    assert result.exit_code == 2 and "is not a record id" in result.stderr


def test_a_rejected_url_does_not_echo_its_password() -> None:
    result = run("mysql://me:hunter2@db/x", "diary")
    assert result.exit_code == 2 and "hunter2" not in result.stderr


def test_a_bad_schedule_option_changes_nothing(db: str) -> None:
    result = run(db, "schedule", "--per-week", "5", "--start", "nope")
    assert result.exit_code == 2
    assert "3 sessions a week" in run(db, "schedule").stdout


def test_importing_a_folder_or_writing_nowhere_is_explained(db: str, tmp_path: Path) -> None:
    folder = run(db, "import", str(tmp_path))
    assert folder.exit_code == 2 and "cannot be read" in folder.stderr
    nowhere = run(db, "export", "--format", "json", "--out", "/proc/calmcrown-nowhere")
    assert nowhere.exit_code == 2 and "cannot write" in nowhere.stderr


def test_edit_asks_to_confirm_new_times_that_make_a_headache_last_months(db: str) -> None:
    assert run(db, "log", "headache", "--start", RECENT).exit_code == 0
    earlier = f"{TODAY - dt.timedelta(days=70)} 09:00"
    asked = run(db, "edit", "h1", f"started_at={earlier}")
    assert asked.exit_code == 2
    assert asked.stderr == (
        "calmcrown: ended_at: this headache has been going for 70 days; give when it ended, "
        "or confirm it is still going (check the times, or add --confirm-long)\n"
    )
    assert run(db, "edit", "h1", "notes=still here").exit_code == 0, "other fields: not asked"
    assert run(db, "edit", "h1", f"started_at={earlier}", "--confirm-long").exit_code == 0
    [headache] = _diary(db, "--since", "2026-01-01")["headaches"]  # type: ignore[misc]
    assert headache["started_at"].startswith(str(TODAY - dt.timedelta(days=70)))
