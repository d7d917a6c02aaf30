"""Documentation that must stay true: every rule explained, every cited test real."""

from __future__ import annotations

import ast
import re

from calmcrown.catalog import Catalog
from tests.conftest import REPO

SAFETY_DOC = REPO / "docs" / "safety.md"


def test_every_safety_rule_is_explained(catalog: Catalog) -> None:
    text = SAFETY_DOC.read_text()
    missing = [flag for flag in catalog.safety.flags if f"`{flag}`" not in text]
    assert not missing, f"docs/safety.md does not explain: {missing}"


def test_every_test_the_hazard_log_cites_exists() -> None:
    cited = set(re.findall(r"tests/[\w/]+\.py::\w+", SAFETY_DOC.read_text()))
    assert cited, "the hazard log cites its tests"
    for reference in sorted(cited):
        path, name = reference.split("::")
        module = REPO / path
        assert module.exists(), f"{reference}: no such file"
        functions = {
            node.name
            for node in ast.walk(ast.parse(module.read_text()))
            if isinstance(node, ast.FunctionDef)
        }
        assert name in functions, f"{reference}: no such test"


def test_readme_quick_start_is_the_two_commands() -> None:
    lines = [line.strip() for line in (REPO / "README.md").read_text().splitlines()]
    assert "make run" in lines and "make test" in lines


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    import typer.main

    from calmcrown.cli.app import app

    text = (REPO / "docs" / "cli.md").read_text()
    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    assert commands, "the app is a group of commands"
    missing = []
    for name, command in commands.items():
        if f"`calmcrown {name}" not in text:
            missing.append(name)
        for param in command.params:
            for option in [*param.opts, *param.secondary_opts]:
                if option.startswith("-") and option not in text:
                    missing.append(f"{name} {option}")
    assert not missing, f"docs/cli.md does not document: {missing}"
