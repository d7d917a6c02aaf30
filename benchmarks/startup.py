"""Start-up of `calmcrown --help` as a ratio to a minimal Typer app's `--help`.

Both are started the same way (`python -m` / `python FILE`) many times, interleaved so
that a busy moment of the machine hits both alike; the medians are compared.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from command_timing import seconds

BUDGET = 1.5
RUNS = 21
HERE = Path(__file__).resolve().parent


def measure(runs: int = RUNS) -> tuple[float, float, float]:
    """Median seconds of calmcrown, the same-config floor, and Typer with Rich help."""
    floor_app = str(HERE / "minimal_typer_app.py")
    commands = [
        [sys.executable, "-m", "calmcrown", "--help"],
        [sys.executable, floor_app, "--help"],
        [sys.executable, floor_app, "--rich", "--help"],
    ]
    for command in commands:  # warm the file cache and bytecode
        seconds(command)
    times: list[list[float]] = [[], [], []]
    for _ in range(runs):
        for command, samples in zip(commands, times, strict=True):
            samples.append(seconds(command))
    ours, floor, rich = (statistics.median(samples) for samples in times)
    return ours, floor, rich


def main() -> bool:
    ours, floor, rich = measure()
    ratio = ours / floor
    ok = ratio <= BUDGET
    print(
        f"startup: calmcrown --help {ours * 1000:.0f} ms; minimal two-command Typer app "
        f"--help {floor * 1000:.0f} ms (same settings), {rich * 1000:.0f} ms (Typer's "
        f"default Rich help); ratio {ratio:.2f}x, budget {BUDGET:.1f}x: "
        f"{'ok' if ok else 'OVER BUDGET'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
