"""Cues rendered to speech by espeak-ng, for browsers that have no voice of their own.

Any web page the person visits can ask this server for a cue, so the cache is bounded
(by count and by size, the least recently used going first) and the route refuses
requests from other sites.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from calmcrown.voice import render_wav

# A step's name, its cautions and its how-to make one announcement of up to ~900 characters.
MAX_CUE_CHARACTERS = 1500
# Every announcement of every routine, at every length, is about 120 files and 100 MB
# (tests/web/test_cue_audio.py): room for all of them, and a bound beside a disk.
MAX_CACHED_CUES = 1000
MAX_CACHE_BYTES = 256 * 1024 * 1024
FOREIGN_FETCHES = frozenset({"cross-site", "same-site"})
"""Sec-Fetch-Site values of a request another site's page made. "same-origin" is the
app's own player; "none" a typed address; a missing header an old browser or curl."""


def cue_wav(
    text: str,
    cache: Path,
    *,
    max_files: int = MAX_CACHED_CUES,
    max_bytes: int = MAX_CACHE_BYTES,
) -> Path | None:
    """The WAV file of ``text``, rendered once and cached; None without espeak-ng."""
    text = " ".join(text.split())[:MAX_CUE_CHARACTERS]
    if not text or shutil.which("espeak-ng") is None:
        return None
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = cache / f"{hashlib.sha256(text.encode()).hexdigest()[:32]}.wav"
    try:
        os.utime(path)  # used now: the last to be evicted
        return path
    except FileNotFoundError:
        pass
    # A unique partial file per render: two requests for the same cue may race.
    descriptor, partial_name = tempfile.mkstemp(dir=cache, suffix=".part")
    os.close(descriptor)
    partial = Path(partial_name)
    try:
        render_wav(text, partial)
        partial.replace(path)  # atomic: a reader never sees half a file
    finally:
        partial.unlink(missing_ok=True)
    _evict_least_recently_used(cache, path, max_files, max_bytes)
    return path


def _evict_least_recently_used(cache: Path, keep: Path, max_files: int, max_bytes: int) -> None:
    """Delete the cues used longest ago until the cache is within both bounds; the cue
    just rendered stays, whatever its size, since it is about to be served."""
    cues = []
    for entry in os.scandir(cache):
        if entry.name.endswith(".wav"):
            try:
                status = entry.stat()
            except FileNotFoundError:  # evicted meanwhile by another request
                continue
            cues.append((entry.path == str(keep), status.st_mtime_ns, status.st_size, entry.path))
    cues.sort(reverse=True)  # the cue just rendered first, then the most recently used
    count = total = 0
    for is_kept, _used, size, name in cues:
        if is_kept or (count < max_files and total + size <= max_bytes):
            count += 1
            total += size
        else:
            Path(name).unlink(missing_ok=True)
