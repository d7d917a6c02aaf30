"""Scripts and styles are served minified, revalidated by ETag, and fresh after a change."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.routing import Mount

from calmcrown.web.static_files import MinifiedStaticFiles

STATIC = Path(__file__).resolve().parents[2] / "src" / "calmcrown" / "web" / "static"


def test_scripts_and_styles_are_served_without_their_comments(client: TestClient) -> None:
    for name, kind in (("player.js", "text/javascript"), ("calmcrown.css", "text/css")):
        source = (STATIC / name).read_text()
        served = client.get(f"/static/{name}")
        assert served.status_code == 200 and served.headers["content-type"].startswith(kind)
        assert len(served.content) < 0.85 * len(source.encode()), name
    player = client.get("/static/player.js").text
    assert "// " not in player and "/**" not in player
    assert 'from"./session_record.js"' in player.replace(" ", "")  # its imports are kept


def test_a_browser_copy_is_revalidated_by_its_etag(client: TestClient) -> None:
    first = client.get("/static/offline.js")
    again = client.get("/static/offline.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    changed = client.get("/static/offline.js", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.content == first.content


def test_a_file_changed_while_the_app_runs_is_served_afresh(tmp_path: Path) -> None:
    script = tmp_path / "a.js"
    script.write_text("// the first\nexport const a = 1;\n")
    app = Starlette(routes=[Mount("/static", MinifiedStaticFiles(directory=tmp_path))])
    with TestClient(app) as client:
        first = client.get("/static/a.js")
        assert first.text == "export const a=1;"
        script.write_text("// the second, a little longer\nexport const answer = 2;\n")
        second = client.get("/static/a.js")
        assert second.text == "export const answer=2;"
        assert second.headers["etag"] != first.headers["etag"]


def test_other_files_are_served_as_they_are(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("  spaces   kept  // and this\n")
    app = Starlette(routes=[Mount("/static", MinifiedStaticFiles(directory=tmp_path))])
    with TestClient(app) as client:
        assert client.get("/static/note.txt").text == "  spaces   kept  // and this\n"
