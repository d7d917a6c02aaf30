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

from tests.diary.lock_holder import a_restore_at_work_in_another_process


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


def _wait_until_it_answers(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


@pytest.mark.slow
def test_restore_is_refused_while_calmcrown_serve_runs_and_works_after_it_stopped(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from calmcrown.cli.app import app

    db = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    runner = CliRunner()
    assert runner.invoke(app, ["--db", other, "log", "day", "--intensity", "6"]).exit_code == 0
    assert (
        runner.invoke(app, ["--db", other, "backup", str(tmp_path / "copy.sqlite3")]).exit_code == 0
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "calmcrown", "--db", db, "serve", "--no-browser",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_until_it_answers(f"http://127.0.0.1:{port}/api/v1/health", server)
        refused = runner.invoke(app, ["--db", db, "restore", str(tmp_path / "copy.sqlite3")])
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"calmcrown: calmcrown serve is using this diary (pid {server.pid}); stop it, then "
            "restore. Nothing was changed.\n"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    restored = runner.invoke(app, ["--db", db, "restore", str(tmp_path / "copy.sqlite3")])
    assert restored.exit_code == 0, restored.output


@pytest.mark.slow
def test_serve_does_not_start_while_a_restore_is_replacing_the_diary(tmp_path: Path) -> None:
    diary = tmp_path / "diary.sqlite3"
    with a_restore_at_work_in_another_process(diary):
        server = subprocess.run(
            [sys.executable, "-m", "calmcrown", "--db", f"sqlite:///{diary}", "serve",
             "--no-browser", "--port", str(_free_port())],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert server.returncode == 1
    assert server.stderr == (
        f"calmcrown: a restore is replacing the diary at {diary}; start calmcrown serve again "
        "when it has finished\n"
    )
