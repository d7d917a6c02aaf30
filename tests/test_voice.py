from __future__ import annotations

import wave
from pathlib import Path

import pytest

from calmcrown.voice import render_wav


def _seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return audio.getnframes() / audio.getframerate()


@pytest.mark.parametrize("odd", ["\x00", "\x1b", "\u200b", "\ud800", "\x7f"])
def test_a_cue_with_a_nul_or_control_character_is_spoken_without_it(
    tmp_path: Path, odd: str
) -> None:
    clean = _seconds(render_wav("Switch to the other side.", tmp_path / "clean.wav"))
    spoken = _seconds(render_wav(f"Switch to the{odd} other side.", tmp_path / "odd.wav"))
    assert abs(spoken - clean) < 0.5, (spoken, clean)
