"""``calmcrown serve`` as a person starts it: the app answers, and their browser opens on it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_opens_the_browser_on_the_running_app(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    # Python's webbrowser runs $BROWSER with the address in place of %s.
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    port = _free_port()
    env = os.environ | {
        "BROWSER": f"{browser} %s",
        "CALMCROWN_DATA_DIR": str(tmp_path / "d"),
        "CALMCROWN_PORT": str(port),  # as set for `make run`, with no --port
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "calmcrown", "serve"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.exists(), "the browser was not opened"
        url = opened.read_text().strip()
        assert url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.status == 200 and b"<h1>Today</h1>" in answer.read()
    finally:
        server.terminate()
        server.wait(timeout=10)
