"""The floor of `calmcrown plan`: the least a command of the same libraries must do.

A Typer command that reads every content file with tomllib, validates the techniques, the
safety questions and the routine with small pydantic models, and prints a Rich table, as
`calmcrown plan` does; it plans nothing and checks no cross-references. Configured as
calmcrown's app is (plain help, no completion).
"""

import tomllib
from pathlib import Path

import typer
from pydantic import BaseModel, ConfigDict, Field

CONTENT = Path(__file__).resolve().parents[1] / "src" / "calmcrown" / "content"


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Technique(Loose):
    name: str
    region: str
    steps: list[str]
    pressure: list[str]
    usual_seconds: int = Field(ge=1)
    min_seconds: int = Field(ge=1)
    max_seconds: int = Field(ge=1)
    both_sides: bool
    cautions: list[str] = []
    source: str
    evidence: str


class Flag(Loose):
    level: str
    question: str
    message: str
    source: str


class Routine(Loose):
    title: str


app = typer.Typer(add_completion=False, rich_markup_mode=None)


@app.command()
def plan(routine: str) -> None:
    """Print the techniques beside a routine's title."""
    from rich.console import Console
    from rich.table import Table

    techniques = {
        key: Technique.model_validate(body)
        for path in sorted((CONTENT / "techniques").glob("*.toml"))
        for key, body in tomllib.loads(path.read_text()).items()
    }
    safety = tomllib.loads((CONTENT / "safety.toml").read_text())
    flags = {key: Flag.model_validate(body) for key, body in safety["flags"].items()}
    for path in CONTENT.glob("*.toml"):
        tomllib.loads(path.read_text())
    chosen = Routine.model_validate(
        tomllib.loads((CONTENT / "routines" / f"{routine}.toml").read_text())
    )
    table = Table(title=f"{chosen.title} ({len(flags)} questions)")
    table.add_column("seconds")
    table.add_column("technique")
    for technique in techniques.values():
        table.add_row(str(technique.usual_seconds), technique.name)
    Console().print(table)


@app.command()
def other() -> None:
    """A second command, so Typer keeps its subcommands."""


if __name__ == "__main__":
    app()
