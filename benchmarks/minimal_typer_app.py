"""The floor of the CLI library: a two-command Typer app that does nothing else.

It is configured as calmcrown's app is (plain help, no completion), so the ratio measures
what calmcrown adds, not a Typer setting. `--rich` gives Typer's default Rich help, which
the benchmark also prints for comparison.
"""

import sys

import typer

RICH = "--rich" in sys.argv
if RICH:
    sys.argv.remove("--rich")

app = typer.Typer(add_completion=False, rich_markup_mode="rich" if RICH else None)


@app.command()
def one() -> None:
    """First command."""


@app.command()
def two() -> None:
    """Second command."""


if __name__ == "__main__":
    app()
