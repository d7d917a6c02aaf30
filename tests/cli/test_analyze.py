"""``calmcrown analyze``: the contract scripts rely on, from the diary or from CSV files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner, Result

from calmcrown.cli.app import app
from tests.run_date import RUN_DATE

START = RUN_DATE - dt.timedelta(days=111)
KEYS = {
    "baseline", "practice", "frequency", "immediate", "adherence", "verdict",
    "detectable_reduction", "weeks_needed_for_50", "caveats",
}  # fmt: skip
PERIOD = {"start", "end", "recorded_days", "headache_days", "headache_days_per_28"}
BEFORE = "HHH.H..HH.HH..H.HHH..HHH..H.HH.H.H.HHH.H..H.HH.H.HH.HH.."
AFTER = "H..............H.......H......H...........H............."


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _files(tmp_path: Path, start: dt.date = START) -> tuple[Path, Path]:
    days = tmp_path / "days.csv"
    rows = ["date,intensity"] + [
        f"{start + dt.timedelta(days=i)},{6 if mark == 'H' else 0}"
        for i, mark in enumerate(BEFORE + AFTER)
    ]
    days.write_text("\n".join(rows) + "\n")
    sessions = tmp_path / "sessions.csv"
    practice = start + dt.timedelta(days=len(BEFORE))
    lines = ["date,routine,minutes,pain_before,pain_after"] + [
        f"{practice + dt.timedelta(days=d)},evening,10,6,{3 + d % 3}" for d in range(0, 56, 2)
    ]
    sessions.write_text("\n".join(lines) + "\n")
    return days, sessions


def test_files_are_analysed_with_the_documented_json(tmp_path: Path) -> None:
    days, sessions = _files(tmp_path)
    result = run("analyze", "--days", str(days), "--sessions", str(sessions), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= KEYS
    assert set(data["baseline"]) >= PERIOD and set(data["practice"]) >= PERIOD
    assert {"rate_ratio", "ci_low", "ci_high", "responder_50"} <= set(data["frequency"])
    assert {"sessions", "mean_change", "ci_low", "ci_high", "share_meaningful"} <= set(
        data["immediate"]
    )
    assert {"sessions_per_week", "target_per_week"} <= set(data["adherence"])
    assert data["baseline"]["recorded_days"] == 56 and data["practice"]["recorded_days"] == 56
    assert data["baseline"]["headache_days_per_28"] == round(32 / 56 * 28, 2)
    assert data["frequency"]["rate_ratio"] == round(5 / 32, 3)
    assert data["verdict"] == "likely_better"
    assert data["immediate"]["sessions"] == 28


def test_an_old_file_ends_on_its_own_last_date(tmp_path: Path) -> None:
    """A diary written long ago is not a diary with two years of unrecorded days since."""
    days, sessions = _files(tmp_path, dt.date(2025, 1, 6))
    data = json.loads(
        run("analyze", "--days", str(days), "--sessions", str(sessions), "--json").stdout
    )
    last = dt.date(2025, 1, 6) + dt.timedelta(days=len(BEFORE + AFTER) - 1)
    assert data["practice"]["end"] == last.isoformat()
    assert data["practice"]["recorded_days"] == 56 and data["practice"]["coverage"] == 1
    assert data["adherence"]["sessions_per_week"] == 3.5
    assert data["verdict"] == "likely_better"
    assert not any("recorded" in caveat for caveat in data["caveats"])


def test_a_practice_start_given_for_files_splits_them_there(tmp_path: Path) -> None:
    days, sessions = _files(tmp_path)
    later = START + dt.timedelta(days=len(BEFORE) + 14)
    result = run("analyze", "--days", str(days), "--sessions", str(sessions),
                 "--practice-start", later.isoformat(), "--json")  # fmt: skip
    data = json.loads(result.stdout)
    assert data["practice"]["start"] == later.isoformat()
    assert data["baseline"]["recorded_days"] == 56 + 14 and data["practice"]["recorded_days"] == 42


def test_files_are_never_written(tmp_path: Path) -> None:
    days, _ = _files(tmp_path)
    before = sorted(tmp_path.iterdir())
    assert run("analyze", "--days", str(days)).exit_code == 0
    assert sorted(tmp_path.iterdir()) == before


def test_the_text_starts_with_the_verdict_in_plain_words(tmp_path: Path) -> None:
    days, sessions = _files(tmp_path)
    result = run("analyze", "--days", str(days), "--sessions", str(sessions))
    first = result.stdout.splitlines()[0]
    assert first.startswith("Likely fewer headache days since the practice began")
    assert "Keep in mind:" in result.stdout


def test_a_week_and_five_days_give_the_ratio_and_say_why_there_is_no_interval(
    tmp_path: Path,
) -> None:
    days = tmp_path / "days.csv"
    rows = [f"{START + dt.timedelta(days=i)},{6 if mark == 'H' else 0}"
            for i, mark in enumerate("HHH....H....")]  # fmt: skip
    days.write_text("date,intensity\n" + "\n".join(rows) + "\n")
    sessions = tmp_path / "sessions.csv"
    first = START + dt.timedelta(days=7)
    sessions.write_text(f"date,routine,minutes,pain_before,pain_after\n{first},evening,10,,\n")
    data = json.loads(
        run("analyze", "--days", str(days), "--sessions", str(sessions), "--json").stdout
    )
    assert data["frequency"]["rate_ratio"] == round(5.6 / 12, 3)
    assert data["frequency"]["ci_low"] is None and data["frequency"]["interval_note"]
    text = run("analyze", "--days", str(days), "--sessions", str(sessions))
    assert text.exit_code == 0, text.output
    assert "Practice / baseline: 0.47; a 50% responder\nNo 95% interval yet" in text.stdout


def test_a_bad_file_gets_the_imports_line_numbered_errors(tmp_path: Path) -> None:
    bad = tmp_path / "days.csv"
    bad.write_text("date,intensity\n2026-01-01,3\n2026-01-02,eleven\n")
    result = run("analyze", "--days", str(bad), "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert "line 3, column intensity" in result.stderr


def test_a_sessions_file_given_as_days_is_named(tmp_path: Path) -> None:
    _, sessions = _files(tmp_path)
    result = run("analyze", "--days", str(sessions))
    assert result.exit_code == 2 and "holds sessions, not days" in result.stderr


def test_sessions_alone_and_bad_dates_are_refused(tmp_path: Path) -> None:
    _, sessions = _files(tmp_path)
    alone = run("analyze", "--sessions", str(sessions))
    assert alone.exit_code == 2 and "--sessions: give --days too" in alone.stderr
    bad = run("analyze", "--practice-start", "soon")
    assert bad.exit_code == 2 and "--practice-start: 'soon' is not a date" in bad.stderr


def test_a_since_after_the_files_end_is_refused(tmp_path: Path) -> None:
    days, _ = _files(tmp_path, dt.date(2025, 1, 6))
    result = run("analyze", "--days", str(days), "--since", "2025-06-01")
    assert result.exit_code == 2
    assert "--since: 2025-06-01 is after the files' last date, 2025-04-27" in result.stderr


def test_the_diary_is_analysed_with_a_practice_start(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    days, _ = _files(tmp_path)
    assert run("--db", db, "import", str(days)).exit_code == 0
    practice = START + dt.timedelta(days=len(BEFORE))
    result = run("--db", db, "analyze", "--json", "--practice-start", str(practice))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["practice"]["start"] == str(practice)
    assert data["verdict"] == "likely_better"
    assert data["immediate"]["sessions"] == 0 and data["immediate"]["mean_change"] is None


def test_the_report_is_a_private_pdf_of_at_most_two_pages(tmp_path: Path) -> None:
    from pypdf import PdfReader

    db = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    days, sessions = _files(tmp_path)
    assert run("--db", db, "import", str(days)).exit_code == 0
    assert run("--db", db, "import", str(sessions)).exit_code == 0
    out = tmp_path / "report.pdf"
    result = run("--db", db, "report", "--pdf", str(out), "--name", "A. Person")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Wrote {out}"
    assert out.stat().st_mode & 0o777 == 0o600
    reader = PdfReader(out)
    assert 1 <= len(reader.pages) <= 2
    text = " ".join((reader.pages[0].extract_text() or "").split())
    assert "A. Person" in text and "Likely fewer headache days" in text


def test_report_dates_are_checked(tmp_path: Path) -> None:
    result = run("report", "--pdf", str(tmp_path / "r.pdf"), "--since", "2026-02-30")
    assert result.exit_code == 2 and "--since: '2026-02-30' is not a date" in result.stderr
    assert not (tmp_path / "r.pdf").exists()
