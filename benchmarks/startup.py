"""Start-up of `calmcrown --help` and `calmcrown plan` as ratios to their floors.

`--help` is compared with a minimal Typer app's `--help`; `plan evening` with a minimal
Typer command that reads and validates the same content files and prints a Rich table
(minimal_plan_app.py). Every command is started the same way (`python -m` / `python
FILE`) many times, interleaved so that a busy moment of the machine hits all alike; the
medians are compared.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from command_timing import seconds

BUDGET = 1.5
RUNS = 21
HERE = Path(__file__).resolve().parent
FLOOR_APP = str(HERE / "minimal_typer_app.py")
PLAN_FLOOR = str(HERE / "minimal_plan_app.py")
COMMANDS = {
    "help": [sys.executable, "-m", "calmcrown", "--help"],
    "help floor": [sys.executable, FLOOR_APP, "--help"],
    "help rich": [sys.executable, FLOOR_APP, "--rich", "--help"],
    "plan": [sys.executable, "-m", "calmcrown", "plan", "evening"],
    "plan floor": [sys.executable, PLAN_FLOOR, "plan", "evening"],
}


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds of each command, by name."""
    for command in COMMANDS.values():  # warm the file cache and bytecode
        seconds(command)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            times[name].append(seconds(command))
    return {name: statistics.median(samples) for name, samples in times.items()}


def main() -> bool:
    median = measure()
    help_ratio = median["help"] / median["help floor"]
    plan_ratio = median["plan"] / median["plan floor"]
    print(
        f"startup: calmcrown --help {median['help'] * 1000:.0f} ms; minimal two-command "
        f"Typer app --help {median['help floor'] * 1000:.0f} ms (same settings), "
        f"{median['help rich'] * 1000:.0f} ms (Typer's default Rich help); ratio "
        f"{help_ratio:.2f}x, budget {BUDGET:.1f}x: {_verdict(help_ratio)}"
    )
    print(
        f"startup: calmcrown plan evening {median['plan'] * 1000:.0f} ms; minimal Typer "
        f"command reading and validating the same content {median['plan floor'] * 1000:.0f} "
        f"ms; ratio {plan_ratio:.2f}x, budget {BUDGET:.1f}x: {_verdict(plan_ratio)}"
    )
    return help_ratio <= BUDGET and plan_ratio <= BUDGET


def _verdict(ratio: float) -> str:
    return "ok" if ratio <= BUDGET else "OVER BUDGET"


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
