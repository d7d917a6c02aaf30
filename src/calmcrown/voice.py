"""calmcrown's spoken voice: espeak-ng, set to speak calmly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

# A calm voice: a little slower and lower than espeak-ng's defaults (175 wpm, pitch 50).
ESPEAK_ARGS = ("-s", "140", "-p", "40")


def render_wav(text: str, path: Path) -> Path:
    """Render ``text`` to a WAV file with espeak-ng, in the same voice the guide uses."""
    executable = shutil.which("espeak-ng")
    if executable is None:
        raise FileNotFoundError("espeak-ng is not installed")
    subprocess.run(
        [executable, *ESPEAK_ARGS, "-w", str(path), "--", text],
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    return path
