from __future__ import annotations

import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from calmcrown.catalog import Catalog
from calmcrown.planner import PlanError, plan_session
from calmcrown.settings import Settings
from calmcrown.web.cue_audio import MAX_CACHE_BYTES, MAX_CACHED_CUES, cue_wav
from tests.browser.cues import announcements


def test_a_cue_is_rendered_once_and_cached(tmp_path: Path) -> None:
    first = cue_wav("Switch to the other side.", tmp_path)
    assert first is not None
    rendered = first.stat().st_ino  # a render replaces the file: a new inode
    assert cue_wav("Switch  to the other side.", tmp_path) == first, "spacing does not matter"
    assert first.stat().st_ino == rendered
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


def test_another_site_cannot_have_cues_rendered(client: TestClient, settings: Settings) -> None:
    cache = settings.data_dir / "audio"
    for site in ("cross-site", "same-site"):
        response = client.get(
            "/audio/cue.wav",
            params={"text": f"Rendered for {site}."},
            headers={"Sec-Fetch-Site": site},
        )
        assert response.status_code == 403, site
        assert response.headers["x-content-type-options"] == "nosniff"
    assert not cache.exists() or not list(cache.iterdir()), "nothing was rendered for them"
    # The app's own player, an address typed by hand, and old browsers or curl (no header).
    for site in ("same-origin", "none", None):
        headers = {"Sec-Fetch-Site": site} if site else {}
        response = client.get("/audio/cue.wav", params={"text": "Halfway."}, headers=headers)
        assert response.status_code == 200 and response.content[:4] == b"RIFF", site


def test_a_thousand_different_cues_leave_the_cache_bounded_keeping_the_ones_in_use(
    tmp_path: Path,
) -> None:
    limits = {"max_files": 40, "max_bytes": 3_000_000}
    in_use = cue_wav("Switch to the other side.", tmp_path, **limits)
    assert in_use is not None

    def render(number: int) -> None:
        assert cue_wav(f"Cue {number}.", tmp_path, **limits) is not None
        if number % 10 == 0:  # the session's own cue, played again and again meanwhile
            assert cue_wav("Switch to the other side.", tmp_path, **limits) == in_use

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(render, range(1000)))
    cues = list(tmp_path.glob("*.wav"))
    assert len(cues) <= limits["max_files"]
    assert sum(cue.stat().st_size for cue in cues) <= limits["max_bytes"]
    assert in_use.exists(), "the cue in use was kept"
    assert cue_wav("Cue 999.", tmp_path, **limits) in cues, "and the newest"
    assert not list(tmp_path.glob("*.part"))


def test_the_default_limits_hold_every_cue_and_stay_small_beside_a_disk(
    tmp_path: Path, catalog: Catalog
) -> None:
    texts = set()
    for routine in catalog.routines:
        for minutes in (None, 5, 10, 15, 20, 30, 45, 60):
            for partner in (None, True, False):
                try:
                    plan = plan_session(catalog, routine, minutes, partner_mode=partner)
                except PlanError:
                    continue
                for read_how in (True, False):
                    texts |= {text for _, text in announcements(plan, read_how)}
    with ThreadPoolExecutor(max_workers=2) as pool:
        paths = set(pool.map(lambda text: cue_wav(text, tmp_path), sorted(texts)))
    assert None not in paths and len(paths) == len(texts)
    kept = list(tmp_path.glob("*.wav"))
    assert len(kept) == len(texts) <= MAX_CACHED_CUES, "every cue of every routine is kept"
    assert sum(cue.stat().st_size for cue in kept) <= MAX_CACHE_BYTES <= 256 * 1024 * 1024
