from __future__ import annotations

import wave
from pathlib import Path

from calmcrown.cli.speech import BellSpeaker, EspeakSpeaker, make_speaker, render_wav


def test_espeak_renders_a_cue_to_audible_speech(tmp_path: Path) -> None:
    path = render_wav("Switch to the other side.", tmp_path / "cue.wav")
    with wave.open(str(path)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert 0.8 < seconds < 5, seconds


def test_voice_uses_espeak_when_installed_and_the_bell_otherwise() -> None:
    assert isinstance(make_speaker(voice=True), EspeakSpeaker)
    assert isinstance(make_speaker(voice=False), BellSpeaker)
    assert make_speaker(voice=False, bell=False).name == "silent"
