"""Speaking cues: espeak-ng when it is installed, the terminal bell otherwise."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Protocol

from calmcrown.voice import ESPEAK_ARGS, render_wav

__all__ = ["BellSpeaker", "EspeakSpeaker", "SilentSpeaker", "Speaker", "make_speaker", "render_wav"]


class Speaker(Protocol):
    name: str

    def say(self, text: str) -> None: ...

    def close(self) -> None: ...


class EspeakSpeaker:
    """Speaks through espeak-ng; a new cue cuts off one still being spoken."""

    name = "espeak-ng"

    def __init__(self, executable: str) -> None:
        self._executable = executable
        self._speaking: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        self.close()
        self._speaking = subprocess.Popen(
            [self._executable, *ESPEAK_ARGS, "--", text],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def close(self) -> None:
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
            self._speaking.wait()
        self._speaking = None


class BellSpeaker:
    """Rings the terminal bell: the cue's words are on screen."""

    name = "bell"

    def say(self, text: str) -> None:
        sys.stdout.write("\a")
        sys.stdout.flush()

    def close(self) -> None:
        return None


class SilentSpeaker:
    name = "silent"

    def say(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None


def make_speaker(voice: bool, bell: bool = True) -> Speaker:
    """espeak-ng if asked for and installed, else the bell (or silence when that is off)."""
    executable = shutil.which("espeak-ng") if voice else None
    if executable:
        return EspeakSpeaker(executable)
    return BellSpeaker() if bell else SilentSpeaker()
