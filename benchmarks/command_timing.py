"""Timing whole commands, the way a person waits for them."""

from __future__ import annotations

import subprocess
import time


def seconds(command: list[str]) -> float:
    """Wall-clock seconds for ``command`` to run to completion."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
