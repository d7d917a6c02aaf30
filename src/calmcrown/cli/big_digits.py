"""A countdown in block digits, large enough to read from a massage table."""

from __future__ import annotations

from rich.text import Text

# Each glyph is three columns by five rows; "#" is filled.
_GLYPHS = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", " ##", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", " # ", " # "),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": ("   ", " # ", "   ", " # ", "   "),
}


def big_text(characters: str) -> str:
    """``characters`` (digits and colons) drawn five rows high with block characters."""
    rows = []
    for row in range(5):
        cells = [_GLYPHS[ch][row].replace("#", "██").replace(" ", "  ") for ch in characters]
        rows.append("  ".join(cells).rstrip())
    return "\n".join(rows)


def big_clock(time_text: str, style: str = "bold") -> Text:
    """A time such as ``4:05`` in block digits."""
    return Text(big_text(time_text), style=style)
