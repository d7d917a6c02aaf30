"""calmcrown's spoken voice: espeak-ng, set to speak calmly."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

# A calm voice: a little slower and lower than espeak-ng's defaults (175 wpm, pitch 50).
ESPEAK_ARGS = ("-s", "140", "-p", "40")


def render_wav(text: str, path: Path) -> Path:
    """Render ``text`` to a WAV file with espeak-ng, in the same voice the guide uses."""
    executable = shutil.which("espeak-ng")
    if executable is None:
        raise FileNotFoundError("espeak-ng is not installed")
    subprocess.run(
        [executable, *ESPEAK_ARGS, "-w", str(path), "--", speakable(text)],
        check=True,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    return path


def speakable(text: str) -> str:
    """``text`` with its control and format characters (NUL, escapes, zero-width marks,
    lone surrogates) as spaces. espeak-ng takes the text as an argument, and an argument
    cannot hold a NUL or a lone surrogate; none of them has anything to say anyway."""
    return "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
