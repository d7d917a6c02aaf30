"""The app as created: what it leaves in calmcrown's data folder is private."""

from __future__ import annotations

import stat
from pathlib import Path

from calmcrown.settings import Settings
from calmcrown.web.app import create_app


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_app_tightens_a_data_folder_and_a_form_secret_readable_by_all(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)
    (data / "csrf-secret").write_text("kept-secret")
    (data / "csrf-secret").chmod(0o644)
    app = create_app(Settings(data_dir=data, database_url=f"sqlite:///{data / 'diary.sqlite3'}"))
    assert app is not None
    assert _mode(data) == 0o700
    assert _mode(data / "csrf-secret") == 0o600
    assert (data / "csrf-secret").read_text() == "kept-secret", "form tokens stay valid"
