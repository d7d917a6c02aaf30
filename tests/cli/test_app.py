"""The command-line contract that scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calmcrown import __version__
from calmcrown.catalog import Catalog
from calmcrown.cli.app import app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _answers(tmp_path: Path, text: str) -> str:
    path = tmp_path / "answers.json"
    path.write_text(text)
    return str(path)


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"calmcrown {__version__}"


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("routines", "techniques", "plan", "screen", "guide"):
        assert command in result.output


def test_routines_json(runner: CliRunner, catalog: Catalog) -> None:
    result = runner.invoke(app, ["routines", "--json"])
    assert result.exit_code == 0
    routines = json.loads(result.output)
    assert [r["id"] for r in routines] == list(catalog.routines)
    for routine in routines:
        assert {"id", "title", "minutes", "regions", "audience", "phases"} <= routine.keys()
        assert routine["audience"] in {"self", "partner", "practitioner"}
        assert [p["name"] for p in routine["phases"]] == ["settle", "practice", "after"]
        assert sum(p["seconds"] for p in routine["phases"]) == routine["minutes"] * 60


def test_routines_table_for_people(runner: CliRunner) -> None:
    result = runner.invoke(app, ["routines"])
    assert result.exit_code == 0
    assert "evening" in result.output


def test_techniques_by_region(runner: CliRunner) -> None:
    result = runner.invoke(app, ["techniques", "--region", "feet", "--json"])
    assert result.exit_code == 0
    techniques = json.loads(result.output)
    assert techniques and {t["region"] for t in techniques} == {"feet"}
    toes = next(t for t in techniques if t["id"] == "toe_reflex_area")
    assert toes["tradition"] is True


def test_techniques_for_people_show_cautions_and_evidence(runner: CliRunner) -> None:
    result = runner.invoke(app, ["techniques", "--region", "occipital_ridge"])
    assert result.exit_code == 0
    assert "Evidence:" in result.output and "Source:" in result.output


def test_unknown_region_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["techniques", "--region", "elbow"])
    assert result.exit_code == 2
    assert "unknown region 'elbow'" in result.stderr


def test_plan_json_contract(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "evening", "--minutes", "12", "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["routine"] == "evening"
    assert plan["total_seconds"] == 720
    assert [p["name"] for p in plan["phases"]] == ["settle", "practice", "after"]
    assert sum(p["seconds"] for p in plan["phases"]) == 720
    for step in plan["steps"]:
        assert {"technique", "region", "start_s", "end_s", "pressure"} <= step.keys()
    for cue in plan["cues"]:
        assert {"at_s", "kind", "text"} <= cue.keys()
    assert plan["cues"][-1]["kind"] == "end"


def test_plan_with_answers_adapts(runner: CliRunner, tmp_path: Path) -> None:
    answers = _answers(tmp_path, '{"flags": ["blood_thinners", "neck_injury_or_instability"]}')
    result = runner.invoke(app, ["plan", "evening", "--answers", answers, "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert {s["pressure"] for s in plan["steps"]} <= {"light", None}
    assert "neck_shoulders" not in {s["region"] for s in plan["steps"]}


def test_plan_refuses_after_a_red_flag(runner: CliRunner, tmp_path: Path) -> None:
    answers = _answers(tmp_path, '{"flags": ["fever"]}')
    result = runner.invoke(app, ["plan", "evening", "--answers", answers, "--json"])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "see_doctor" in result.stderr


def test_plan_too_short_exits_2_and_names_a_routine(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "dedicated", "--minutes", "5", "--json"])
    assert result.exit_code == 2
    assert "try Quick reset at the desk" in result.stderr and "Its id here: quick." in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_plan_unknown_routine_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", "evenin", "--json"])
    assert result.exit_code == 2
    assert "no routine called 'evenin'" in result.stderr


def test_screen_json_contract(runner: CliRunner, tmp_path: Path) -> None:
    answers = _answers(tmp_path, '{"flags": ["blood_thinners", "oil_sensitivity"], "age": 40}')
    result = runner.invoke(app, ["screen", "--answers", answers, "--json"])
    assert result.exit_code == 0
    verdict = json.loads(result.output)
    assert verdict["verdict"] == "adapt"
    assert {r["flag"] for r in verdict["reasons"]} == {"blood_thinners", "oil_sensitivity"}
    for reason in verdict["reasons"]:
        assert {"flag", "message", "source"} <= reason.keys()
    assert verdict["adaptations"]["max_pressure"] == "light"
    assert verdict["adaptations"]["no_oil"] is True
    assert verdict["adaptations"]["excluded_regions"] == []
    assert verdict["advice"]


def test_screen_emergency_still_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    answers = _answers(tmp_path, '{"flags": ["sudden_worst"]}')
    result = runner.invoke(app, ["screen", "--answers", answers, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["verdict"] == "emergency"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "does not exist"),
        ("{flags: []", "is not valid JSON (line 1, column 2"),
        ('{"flags": ["fevr"]}', "unknown flag 'fevr'"),
        ('{"flags": ["fever"], "age": "old"}', '"age" must be a whole number'),
        ('["fever"]', "expected an object"),
    ],
)
def test_screen_bad_answers_exit_2_with_one_line(
    runner: CliRunner, tmp_path: Path, content: str | None, problem: str
) -> None:
    path = tmp_path / "answers.json"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["screen", "--answers", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert problem in lines[0] and str(path) in lines[0]


def test_guide_dry_run_prints_the_timeline(runner: CliRunner) -> None:
    result = runner.invoke(app, ["guide", "quick", "--dry-run"])
    assert result.exit_code == 0
    assert "Halfway." in result.output and "0:00" in result.output


def test_tips_and_oils_for_people_and_scripts(runner: CliRunner, catalog: Catalog) -> None:
    shown = runner.invoke(app, ["tips"])
    assert shown.exit_code == 0 and "With a partner" in shown.output
    tips = json.loads(runner.invoke(app, ["tips", "--json"]).output)
    assert {tip["id"] for tip in tips} == set(catalog.tips)
    oils = runner.invoke(app, ["oils"])
    assert oils.exit_code == 0 and "the original not read" in oils.output
    notes = json.loads(runner.invoke(app, ["oils", "--json"]).output)
    assert {"carrier", "essential", "guidance"} == {note["kind"] for note in notes}


def test_serve_refuses_a_network_address(runner: CliRunner) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 2
    assert "not a loopback address" in result.stderr
