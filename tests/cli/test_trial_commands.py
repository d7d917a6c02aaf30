"""``calmcrown trial``: the contract scripts rely on (issue 12), run in-process against a
real SQLite diary in tmp_path: the JSON shapes, the errors that name the option, and
analysis from the diary or from files that leaves every diary untouched."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest
import time_machine
from typer.testing import CliRunner, Result

from calmcrown.cli.app import app
from calmcrown.insight.trial.design import design
from tests.run_date import RUN_DATE

TODAY = RUN_DATE
DESIGN_KEYS = {"id", "arms", "seed", "period_days", "washout_days", "blocks", "periods", "power"}
PERIOD_KEYS = {"index", "block", "arm", "start", "end"}
POWER_KEYS = {"blocks", "power_50", "detectable_reduction"}
ANALYSIS_KEYS = {"arms", "periods", "comparisons", "immediate", "adherence", "caveats"}
ANALYSED_PERIOD_KEYS = PERIOD_KEYS | {
    "analysed_days", "headache_days", "headache_days_per_28", "sessions",
}  # fmt: skip
COMPARISON_KEYS = {"arm", "versus", "rate_ratio", "ci_low", "ci_high", "p_randomisation",
                   "verdict"}  # fmt: skip
VERDICTS = {"likely_better", "likely_worse", "no_clear_difference", "insufficient_data",
            "in_progress"}  # fmt: skip
# A short trial that is over by today: 3 blocks of two 7-day periods, no washout.
SHORT = ["--period-days", "7", "--washout-days", "0", "--blocks", "3"]
SHORT_DAYS = 3 * 2 * 7


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'diary.sqlite3'}"


def run(db: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, ["--db", db, *args], input=input)


def _json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _noon(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(12)).astimezone()


def _status(db: str) -> Any:
    return _json(run(db, "trial", "status", "--json"))


def test_design_prints_every_key_of_the_issue_and_stores_the_seed_it_printed(db: str) -> None:
    printed = _json(run(db, "trial", "design", "--arms", "head,feet,none", "--json"))
    assert set(printed) >= DESIGN_KEYS
    assert printed["id"] == "t1" and printed["arms"] == ["head", "feet", "none"]
    assert (printed["period_days"], printed["washout_days"], printed["blocks"]) == (14, 2, 4)
    assert len(printed["periods"]) == 12
    assert all(set(p) >= PERIOD_KEYS for p in printed["periods"])
    assert printed["periods"][0]["start"] == TODAY.isoformat()
    # Each block holds every arm once.
    for block in range(1, 5):
        arms = sorted(p["arm"] for p in printed["periods"] if p["block"] == block)
        assert arms == ["feet", "head", "none"]
    assert [row["blocks"] for row in printed["power"]] == [3, 4, 5, 6]
    assert all(set(row) >= POWER_KEYS for row in printed["power"])
    assert all(0 <= row["power_50"] <= 1 for row in printed["power"])
    stored = _status(db)["trial"]
    assert stored["seed"] == printed["seed"]
    assert stored["periods"] == printed["periods"]
    # The seed printed draws the same order again, by anyone.
    again = design(("head", "feet", "none"), TODAY, seed=printed["seed"])
    assert [p.arm for p in again.periods] == [p["arm"] for p in printed["periods"]]


def test_a_dry_run_shows_the_same_and_stores_nothing(db: str) -> None:
    first = _json(run(db, "trial", "design", "--arms", "head,none", "--seed", "42",
                      "--dry-run", "--json", *SHORT))  # fmt: skip
    second = _json(run(db, "trial", "design", "--arms", "head,none", "--seed", "42",
                       "--dry-run", "--json", *SHORT))  # fmt: skip
    assert first["id"] is None and first["seed"] == 42
    assert first["periods"] == second["periods"]  # the seed reproduces the periods
    assert set(first) >= DESIGN_KEYS and len(first["power"]) == 4
    assert _status(db)["trial"] is None
    plain = run(db, "trial", "design", "--arms", "head,none", "--seed", "42", "--dry-run", *SHORT)
    assert plain.exit_code == 0
    assert "Dry run: nothing stored." in plain.stdout
    assert "Seed 42" in plain.stdout and "finds a true 50% reduction" in plain.stdout
    assert _status(db)["trial"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period-days", "30"], "--period-days: between 7 and 28"),
        (["--blocks", "2"], "--blocks: at least 3"),
        (["--washout-days", "9"], "--washout-days: between 0 and 7"),
        (["--seed", "-1"], "--seed: a whole number from 0"),
        (["--start", "2026-02-30"], "--start: '2026-02-30' is not a date"),
        (["--start", (TODAY - dt.timedelta(days=1)).isoformat()], "--start: "),
        (["--period-days", "7"], "use --washout-days 0 (no washout), or --period-days 9"),
    ],
    ids=["period-days", "blocks", "washout", "seed", "bad-start", "past-start", "7-day"],
)
def test_a_bad_option_is_named_in_one_line_and_nothing_is_stored(
    db: str, args: list[str], message: str
) -> None:
    result = run(db, "trial", "design", "--arms", "head,none", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("calmcrown: ") and message in line
    assert _status(db)["trial"] is None


@pytest.mark.parametrize(
    ("arms", "message"),
    [
        ("head", "--arms: two or three"),
        ("head,arm", "--arms: unknown arm 'arm'"),
        ("head,head", "--arms: each arm once"),
    ],
)
def test_arms_that_are_not_a_trial_are_named(db: str, arms: str, message: str) -> None:
    result = run(db, "trial", "design", "--arms", arms)
    assert result.exit_code == 2 and message in result.stderr


def test_an_arm_the_screening_leaves_no_routine_for_is_refused(db: str, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"flags": ["leg_clot_history"]}')
    result = run(db, "trial", "design", "--arms", "feet,none", "--answers", str(answers))
    assert result.exit_code == 2
    assert "--arms: no feet routine fits your screening answers" in result.stderr
    assert _status(db)["trial"] is None


def test_an_arm_the_last_safety_check_rules_out_is_refused(db: str, tmp_path: Path) -> None:
    checked = tmp_path / "checked.csv"
    checked.write_text(
        "date,routine,minutes,pain_before,pain_after,verdict,reasons\n"
        f"{TODAY},partner,10,,,adapt,leg_clot_history\n"
    )
    imported = run(db, "import", str(checked))
    assert imported.exit_code == 0, imported.output
    result = run(db, "trial", "design", "--arms", "feet,none")
    assert result.exit_code == 2
    assert "--arms: no feet routine fits what your last safety check said lasts" in result.stderr
    assert _status(db)["trial"] is None


def test_a_second_trial_waits_for_the_running_one(db: str) -> None:
    _json(run(db, "trial", "design", "--arms", "head,none", "--json", *SHORT))
    again = run(db, "trial", "design", "--arms", "feet,none", "--json", *SHORT)
    assert again.exit_code == 2
    assert "trial t1 runs until" in again.stderr and "end it first" in again.stderr
    assert _status(db)["trial"]["arms"] == ["head", "none"]


def test_status_without_a_trial(db: str) -> None:
    plain = run(db, "trial", "status")
    assert plain.exit_code == 1 and "this diary has no trial" in plain.stderr
    data = _status(db)
    assert data["trial"] is None and data["current"] is None and data["progress"] is None


def test_status_names_the_period_and_its_day_with_washout_marked(db: str) -> None:
    printed = _json(run(db, "trial", "design", "--arms", "head,feet", "--seed", "3", "--json"))
    first, second = printed["periods"][0], printed["periods"][1]
    name = {"head": "Head", "feet": "Feet"}
    today = run(db, "trial", "status")
    # The same words as the app's Today.
    assert f"{name[first['arm']]} period, day 1 of 14, a settling-in day" in today.stdout
    assert "Progress: day 1 of 112; 0 of 8 periods done." in today.stdout
    with time_machine.travel(_noon(TODAY + dt.timedelta(days=18))):
        later = _status(db)
        assert later["stage"] == "running"
        assert later["current"] == {
            "index": 2, "block": 1, "arm": second["arm"], "day": 5, "days": 14,
            "washout": False, "words": f"{name[second['arm']]} period, day 5 of 14",
        }  # fmt: skip
        assert later["progress"] == {"day": 19, "days": 112, "periods_done": 1, "periods": 8}
        assert "<- today" in run(db, "trial", "status").stdout
    end = printed["periods"][-1]["end"]
    with time_machine.travel(_noon(TODAY + dt.timedelta(days=120))):
        over = run(db, "trial", "status")
        assert f"Over since {end}." in over.stdout and "8 of 8 periods done" in over.stdout
        assert _status(db)["stage"] == "over" and _status(db)["current"] is None


def test_a_trial_starting_later_is_waiting(db: str) -> None:
    start = TODAY + dt.timedelta(days=3)
    _json(run(db, "trial", "design", "--arms", "head,none", "--start", start.isoformat(),
              "--json", *SHORT))  # fmt: skip
    assert f"Starts on {start}, in 3 days." in run(db, "trial", "status").stdout
    assert _status(db)["stage"] == "waiting"


def test_end_needs_a_reason_and_a_running_trial(db: str) -> None:
    none = run(db, "trial", "end", "--reason", "nothing to end")
    assert none.exit_code == 1 and "no trial is running" in none.stderr
    _json(run(db, "trial", "design", "--arms", "head,none", "--json", *SHORT))
    unasked = run(db, "trial", "end")  # the input is not a terminal: nobody to ask
    assert unasked.exit_code == 2 and "--reason: say why" in unasked.stderr
    blank = run(db, "trial", "end", "--reason", " \t ")
    assert blank.exit_code == 2 and "--reason: say why" in blank.stderr
    assert _status(db)["trial"]["amendments"] == []
    ended = run(db, "trial", "end", "--reason", "started a preventive medicine")
    assert ended.exit_code == 0, ended.output
    assert f"Ended trial t1 on {TODAY}" in ended.stdout
    data = _status(db)
    assert data["stage"] == "over"
    [amendment] = data["trial"]["amendments"]
    assert amendment["kind"] == "ended_early"
    assert amendment["reason"] == "started a preventive medicine"
    assert f"Ended early on {TODAY}." in run(db, "trial", "status").stdout
    analysed = _json(run(db, "trial", "analyze", "--json"))
    assert any("ended early" in caveat for caveat in analysed["caveats"])


@pytest.mark.real_clock  # the child process dates the amendment by the real clock
@pytest.mark.parametrize(("answer", "code"), [("moving house for a month", 0), ("", 2)])
def test_end_asks_for_the_reason_at_a_terminal(db: str, answer: str, code: int) -> None:
    _json(run(db, "trial", "design", "--arms", "head,none", "--json", *SHORT))
    child = pexpect.spawn(sys.executable, ["-m", "calmcrown", "--db", db, "trial", "end"],
                          encoding="utf-8", timeout=30)  # fmt: skip
    child.expect("Why end the trial early")
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code
    amendments = _status(db)["trial"]["amendments"]
    assert [a["reason"] for a in amendments] == ([answer] if answer else [])


def test_extend_moves_the_later_periods_and_names_bad_options(db: str) -> None:
    printed = _json(run(db, "trial", "design", "--arms", "head,none", "--json", *SHORT))
    result = run(db, "trial", "extend", "--period", "1", "--days", "3", "--reason", "away")
    assert result.exit_code == 0, result.output
    periods = _status(db)["trial"]["periods"]
    assert periods[0]["end"] == (TODAY + dt.timedelta(days=6 + 3)).isoformat()
    assert periods[1]["start"] == (TODAY + dt.timedelta(days=7 + 3)).isoformat()
    assert [p["arm"] for p in periods] == [p["arm"] for p in printed["periods"]]
    for args, message in [
        (["--period", "99", "--days", "3"], "--period: no period 99"),
        (["--period", "1", "--days", "0"], "--days: at least 1"),
    ]:
        bad = run(db, "trial", "extend", *args, "--reason", "away")
        assert bad.exit_code == 2 and message in bad.stderr, bad.output
    assert len(_status(db)["trial"]["amendments"]) == 1


def _days_csv(path: Path, first: dt.date, last: dt.date, headache: set[dt.date]) -> Path:
    rows = ["date,intensity"]
    date = first
    while date <= last:
        rows.append(f"{date},{6 if date in headache else 0}")
        date += dt.timedelta(days=1)
    path.write_text("\n".join(rows) + "\n")
    return path


def _finished_trial(db: str, tmp_path: Path) -> dict[str, Any]:
    """A head-against-none trial designed (and stored) 50 days ago, and the diary since:
    headaches on most days of the none periods, few in the head periods."""
    start = TODAY - dt.timedelta(days=50)
    with time_machine.travel(_noon(start)):
        designed = run(db, "trial", "design", "--arms", "head,none", "--seed", "11", "--json",
                       *SHORT)  # fmt: skip
    printed: dict[str, Any] = _json(designed)
    headache = set()
    for period in printed["periods"]:
        first = dt.date.fromisoformat(period["start"])
        every = 3 if period["arm"] == "head" else 1  # a third of the days, or all but one
        for i in range(7):
            if (i % every == 0) != (period["arm"] == "none" and i == 3):
                headache.add(first + dt.timedelta(days=i))
    days = _days_csv(tmp_path / "days.csv", start - dt.timedelta(days=10), TODAY, headache)
    sessions = tmp_path / "sessions.csv"
    rows = ["date,routine,minutes,pain_before,pain_after"] + [
        f"{dt.date.fromisoformat(p['start']) + dt.timedelta(days=d)},evening,10,6,3"
        for p in printed["periods"] if p["arm"] == "head" for d in (1, 3, 5)
    ]  # fmt: skip
    sessions.write_text("\n".join(rows) + "\n")
    for file in (days, sessions):
        assert run(db, "import", str(file)).exit_code == 0
    return printed


def test_analyze_the_stored_trial_and_the_same_from_files(db: str, tmp_path: Path) -> None:
    printed = _finished_trial(db, tmp_path)
    stored = _json(run(db, "trial", "analyze", "--json"))
    assert set(stored) >= ANALYSIS_KEYS
    assert len(stored["periods"]) == 6
    assert all(set(p) >= ANALYSED_PERIOD_KEYS for p in stored["periods"])
    assert all(p["analysed_days"] == 7 for p in stored["periods"])
    [comparison] = stored["comparisons"]
    assert set(comparison) >= COMPARISON_KEYS
    assert (comparison["arm"], comparison["versus"]) == ("head", "none")
    assert comparison["verdict"] in VERDICTS - {"in_progress", "insufficient_data"}
    assert comparison["rate_ratio"] < 1
    assert set(stored["immediate"]["head"]) >= {"sessions", "mean_change", "ci_low", "ci_high"}
    assert stored["immediate"]["head"]["sessions"] == 9
    assert stored["immediate"]["head"]["mean_change"] == -3
    plain = run(db, "trial", "analyze")
    assert plain.exit_code == 0
    # The result's one plain sentence comes first, as on the page and in the report.
    assert plain.stdout.startswith("Over 3 blocks")
    assert "Head massage against no massage: " in plain.stdout
    assert "Rate ratio" in plain.stdout and "Keep in mind:" in plain.stdout

    exported = tmp_path / "exported"
    assert run(db, "export", "--format", "csv", "--out", str(exported)).exit_code == 0
    design_file = tmp_path / "design.json"
    design_file.write_text(json.dumps(printed))
    from_files = _json(run(db, "trial", "analyze", "--days", str(exported / "days.csv"),
                           "--sessions", str(exported / "sessions.csv"),
                           "--design", str(design_file), "--json"))  # fmt: skip
    assert from_files["periods"] == stored["periods"]
    assert from_files["comparisons"] == stored["comparisons"]
    assert from_files["immediate"] == stored["immediate"]


def test_analyze_from_files_writes_nothing(db: str, tmp_path: Path) -> None:
    diary = tmp_path / "diary.sqlite3"
    # Written by a process of its own, which has closed the diary (and folded its
    # write-ahead log in) before the analysis runs.
    subprocess.run([sys.executable, "-m", "calmcrown", "--db", db, "log", "day", "--intensity",
                    "3"], check=True, capture_output=True)  # fmt: skip
    before = (diary.read_bytes(), diary.stat().st_mtime_ns)
    start = TODAY - dt.timedelta(days=50)
    periods = design(("head", "none"), start, 7, 3, 0, seed=5).periods
    design_file = tmp_path / "design.json"
    design_file.write_text(json.dumps({
        "id": None, "arms": ["head", "none"], "seed": 5, "period_days": 7,
        "washout_days": 0, "blocks": 3,
        "periods": [{"index": p.index, "block": p.block, "arm": p.arm,
                     "start": p.start.isoformat(), "end": p.end.isoformat()} for p in periods],
        "power": [],
    }))  # fmt: skip
    days = _days_csv(tmp_path / "days.csv", start, TODAY, {start + dt.timedelta(days=2)})
    listing = sorted(tmp_path.rglob("*"))
    result = run(db, "trial", "analyze", "--days", str(days), "--design", str(design_file),
                 "--json")  # fmt: skip
    data = _json(result)
    assert len(data["periods"]) == 6 and data["today"] == TODAY.isoformat()
    assert (diary.read_bytes(), diary.stat().st_mtime_ns) == before
    assert sorted(tmp_path.rglob("*")) == listing
    # With no diary at all, none is made.
    nowhere = tmp_path / "nowhere" / "diary.sqlite3"
    again = run(f"sqlite:///{nowhere}", "trial", "analyze", "--days", str(days),
                "--design", str(design_file), "--json")  # fmt: skip
    assert _json(again) == data
    assert not nowhere.parent.exists()


def test_analyze_from_files_names_the_line_and_the_key(db: str, tmp_path: Path) -> None:
    start = TODAY - dt.timedelta(days=50)
    with time_machine.travel(_noon(start)):
        printed = _json(run(db, "trial", "design", "--arms", "head,none", "--seed", "2",
                            "--dry-run", "--json", *SHORT))  # fmt: skip
    good = tmp_path / "design.json"
    good.write_text(json.dumps(printed))
    days = tmp_path / "days.csv"
    days.write_text(f"date,intensity\n{start},3\n{start + dt.timedelta(days=1)},eleven\n")
    bad_line = run(db, "trial", "analyze", "--days", str(days), "--design", str(good))
    assert bad_line.exit_code == 2 and bad_line.stdout == ""
    assert str(days) in bad_line.stderr and "line 3" in bad_line.stderr

    days = _days_csv(tmp_path / "good_days.csv", start, TODAY, set())
    broken = dict(printed, periods=[dict(printed["periods"][0], start="soon")])
    bad_key = tmp_path / "bad_design.json"
    bad_key.write_text(json.dumps(broken))
    result = run(db, "trial", "analyze", "--days", str(days), "--design", str(bad_key))
    assert result.exit_code == 2
    assert "key 'periods[0].start'" in result.stderr and str(bad_key) in result.stderr
    missing = tmp_path / "no_seed.json"
    missing.write_text(json.dumps({k: v for k, v in printed.items() if k != "seed"}))
    result = run(db, "trial", "analyze", "--days", str(days), "--design", str(missing))
    assert result.exit_code == 2 and "key 'seed': missing" in result.stderr
    not_json = tmp_path / "not.json"
    not_json.write_text("{arms: head")
    result = run(db, "trial", "analyze", "--days", str(days), "--design", str(not_json))
    assert result.exit_code == 2 and "is not valid JSON (line 1" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "days.csv"], "--days: give --design too"),
        (["--sessions", "s.csv"], "--sessions: give --days too"),
        (["--design", "d.json"], "--design: give --days too"),
        (["--until", "2026-01-05"], "--until: only with --days"),
    ],
)
def test_analyze_from_files_needs_the_days_and_the_design(
    db: str, args: list[str], message: str
) -> None:
    result = run(db, "trial", "analyze", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_analyze_without_a_trial(db: str) -> None:
    result = run(db, "trial", "analyze", "--json")
    assert result.exit_code == 1 and "this diary has no trial" in result.stderr


def test_report_writes_the_trial_on_at_most_three_pages(db: str, tmp_path: Path) -> None:
    printed = _finished_trial(db, tmp_path)
    pdf = tmp_path / "trial.pdf"
    result = run(db, "trial", "report", "--pdf", str(pdf), "--name", "Ada Lovelace")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Wrote {pdf}"
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert 1 <= int(pages.stdout.split("Pages:")[1].split()[0]) <= 3
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                       check=True).stdout.split()
    )  # fmt: skip
    assert "Ada Lovelace" in text
    assert f"seed {printed['seed']}" in text
    assert "head massage" in text.lower() and "no massage" in text.lower()
    assert "95%" in text


def test_report_without_a_trial_writes_nothing(db: str, tmp_path: Path) -> None:
    pdf = tmp_path / "trial.pdf"
    result = run(db, "trial", "report", "--pdf", str(pdf))
    assert result.exit_code == 1 and "this diary has no trial" in result.stderr
    assert not pdf.exists()
