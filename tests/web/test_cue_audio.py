from __future__ import annotations

import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from calmcrown.web.cue_audio import cue_wav


def test_a_cue_is_rendered_once_and_cached(tmp_path: Path) -> None:
    first = cue_wav("Switch to the other side.", tmp_path)
    assert first is not None
    stamp = first.stat().st_mtime_ns
    assert cue_wav("Switch  to the other side.", tmp_path) == first, "spacing does not matter"
    assert first.stat().st_mtime_ns == stamp
    with wave.open(str(first)) as audio:
        assert audio.getnframes() / audio.getframerate() > 0.5


def test_the_same_cue_requested_at_once_is_served_to_everyone(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = list(pool.map(lambda _: cue_wav("Halfway.", tmp_path), range(16)))
    assert len(set(paths)) == 1 and paths[0] is not None and paths[0].exists()
    assert not list(tmp_path.glob("*.part")), "no partial files are left behind"


def test_the_audio_endpoint_serves_wav(client: TestClient) -> None:
    response = client.get("/audio/cue.wav", params={"text": "Halfway."})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.content[:4] == b"RIFF"
