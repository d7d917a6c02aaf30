"""The line drawings that show a technique, a rest or a position: SVG files in content/figures.

The catalog knows which figures exist (their file names, cheap to list); a figure's file is
read only when it is shown. Each file carries its own text alternative (``<title>`` and
``<desc>``) and one ``<style>`` whose colours fall back to a light theme when the file is
opened on its own; a page that inlines a figure drops that style and colours it with its
own theme (its Content-Security-Policy refuses inline styles anyway).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
_STYLE = re.compile(r"<style>.*?</style>\s*", re.DOTALL)


@dataclass(frozen=True)
class Figure:
    id: str
    path: Path
    title: str
    description: str
    inline: str
    """The SVG without its own style, for a page that colours it."""


def figure_ids(directory: Path) -> frozenset[str]:
    return frozenset(path.stem for path in directory.glob("*.svg"))


@lru_cache(maxsize=128)
def read_figure(path: Path) -> Figure:
    """The figure in ``path``; ValueError names what is wrong with a malformed file."""
    text = path.read_text(encoding="utf-8")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise ValueError(f"figures/{path.name}: not well-formed SVG ({error})") from None
    title = root.find(f"{SVG}title")
    description = root.find(f"{SVG}desc")
    if root.tag != f"{SVG}svg" or title is None or description is None:
        raise ValueError(f"figures/{path.name}: needs an <svg> with a <title> and a <desc>")
    inline = _STYLE.sub("", text.split("?>", 1)[-1] if text.startswith("<?xml") else text)
    return Figure(
        id=path.stem,
        path=path,
        title=" ".join((title.text or "").split()),
        description=" ".join((description.text or "").split()),
        inline=inline.strip(),
    )
