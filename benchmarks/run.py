"""Run every benchmark, print its figures and budget, and fail if any budget is broken."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import diary_speed
import import_load
import insight_speed
import startup
import trial_speed
import web_load
import web_speed

BENCHMARKS = [
    startup.main,
    diary_speed.main,
    web_speed.main,
    web_load.main,
    import_load.main,
    insight_speed.main,
    trial_speed.main,
]

if __name__ == "__main__":
    results = [benchmark() for benchmark in BENCHMARKS]
    sys.exit(0 if all(results) else 1)
