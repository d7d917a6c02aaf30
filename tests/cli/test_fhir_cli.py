"""`calmcrown export --format fhir --out FILE`, run in-process against a diary in tmp_path."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from typer.testing import CliRunner, Result

from calmcrown.cli.app import app
from calmcrown.diary import fhir_export


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'diary.sqlite3'}"


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", db, *args])


def _log_some(db: str) -> None:
    assert run(db, "log", "day", "--date", "2026-11-01", "--intensity", "3",
               "--notes", '<i>"quoted"</i>').exit_code == 0  # fmt: skip
    assert run(db, "log", "headache", "--start", "2026-11-04 10:00").exit_code == 0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_export_fhir_writes_a_private_bundle_that_parses_back(db: str, tmp_path: Path) -> None:
    _log_some(db)
    out = tmp_path / "for-the-clinic" / "diary.fhir.json"
    result = run(db, "export", "--format", "fhir", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Wrote {out}"
    assert _mode(out) == 0o600
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    assert bundle.type == "collection"
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry or [] if entry.resource]
    assert kinds == ["Patient", "Observation", "Observation"]
    assert '<i>\\"quoted\\"</i>' in out.read_text(encoding="utf-8")


def test_export_fhir_over_a_readable_file_makes_it_private(db: str, tmp_path: Path) -> None:
    _log_some(db)
    out = tmp_path / "diary.json"
    out.write_text("old")
    out.chmod(0o644)
    assert run(db, "export", "--format", "fhir", "--out", str(out)).exit_code == 0
    assert _mode(out) == 0o600 and out.read_text().startswith("{")


def test_a_record_that_is_not_valid_fhir_writes_nothing(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _log_some(db)
    monkeypatch.setattr(fhir_export, "SURVEY", [{"coding": [{"code": 7}]}])
    out = tmp_path / "diary.json"
    result = run(db, "export", "--format", "fhir", "--out", str(out))
    assert result.exit_code == 2
    assert "d1: category.0.coding.0.code" in result.stderr
    assert not out.exists()


def test_export_fhir_into_a_directory_is_explained(db: str, tmp_path: Path) -> None:
    result = run(db, "export", "--format", "fhir", "--out", str(tmp_path))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_csv_and_json_exports_are_unchanged(db: str, tmp_path: Path) -> None:
    _log_some(db)
    csv = run(db, "export", "--format", "csv", "--out", str(tmp_path / "csv"))
    assert csv.exit_code == 0, csv.output
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "days.csv", "headaches.csv", "sessions.csv"
    ]  # fmt: skip
    assert (
        (tmp_path / "csv" / "days.csv")
        .read_text()
        .startswith("date,intensity,hours,medication,sleep,stress,notes\n2026-11-01,3,")
    )
    as_json = run(db, "export", "--format", "json", "--out", str(tmp_path / "json"))
    assert as_json.stdout.strip() == f"Wrote {tmp_path / 'json' / 'calmcrown-diary.json'}"
    assert _mode(tmp_path / "json" / "calmcrown-diary.json") == 0o600
    bad = run(db, "export", "--format", "xml", "--out", str(tmp_path / "xml"))
    assert bad.exit_code == 2
