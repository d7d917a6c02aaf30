"""Cues rendered to speech by espeak-ng, for browsers that have no voice of their own."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from calmcrown.voice import render_wav

# A step's name, its cautions and its how-to make one announcement of up to ~900 characters.
MAX_CUE_CHARACTERS = 1500


def cue_wav(text: str, cache: Path) -> Path | None:
    """The WAV file of ``text``, rendered once and cached; None without espeak-ng."""
    text = " ".join(text.split())[:MAX_CUE_CHARACTERS]
    if not text or shutil.which("espeak-ng") is None:
        return None
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = cache / f"{hashlib.sha256(text.encode()).hexdigest()[:32]}.wav"
    if path.exists():
        return path
    # A unique partial file per render: two requests for the same cue may race.
    descriptor, partial_name = tempfile.mkstemp(dir=cache, suffix=".part")
    os.close(descriptor)
    partial = Path(partial_name)
    try:
        render_wav(text, partial)
        partial.replace(path)  # atomic: a reader never sees half a file
    finally:
        partial.unlink(missing_ok=True)
    return path
