"""/sw.js: served from the root as JavaScript, never trusted from an old copy, and
versioned by calmcrown's version and its files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from calmcrown import __version__
from calmcrown.web.offline import PLACEHOLDER, STATIC, build, worker_source


def _build_of(source: str) -> dict[str, Any]:
    found = re.search(r"^const BUILD = (\{.*\});$", source, re.MULTILINE)
    assert found, "the build is filled in"
    build_data: dict[str, Any] = json.loads(found.group(1))
    return build_data


def test_the_worker_is_served_from_the_root_as_javascript_and_revalidated(
    client: TestClient,
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "text/javascript"
    assert response.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "worker-src 'self'" in response.headers["content-security-policy"]
    assert PLACEHOLDER not in response.text


def test_the_worker_keeps_the_player_files_under_a_versioned_name(client: TestClient) -> None:
    worker = _build_of(client.get("/sw.js").text)
    assert worker["version"].startswith(f"{__version__}-")
    assert {"/static/player.js", "/static/offline.js", "/static/calmcrown.css"} <= set(
        worker["assets"]
    )
    assert "/static/sw.js" not in worker["assets"]
    assert worker["pages"] == ["/", "/library", "/settings"]
    # Install keeps them all or nothing: every one of them must be there to be kept.
    for url in worker["assets"] + worker["pages"]:
        assert client.get(url).status_code == 200, url


def test_every_page_registers_the_worker(client: TestClient) -> None:
    assert '<script type="module" src="/static/offline.js"></script>' in client.get("/").text


def test_a_changed_file_changes_the_version(tmp_path: Path) -> None:
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    before = build(static, ())
    (static / "player.js").write_text((static / "player.js").read_text() + "\n// changed\n")
    after = build(static, ())
    assert before["version"] != after["version"]
    assert before["assets"] == after["assets"]


def test_a_worker_that_lost_its_placeholder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "sw.js").write_text("const BUILD = {};\n")
    with pytest.raises(RuntimeError, match="placeholder"):
        worker_source(tmp_path, ())
