"""Text cells of an exported CSV that a spreadsheet will not run as a formula.

A spreadsheet takes a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return for a formula, so a note pasted from elsewhere (``=HYPERLINK(...)``) could run when
the export is opened (OWASP, "CSV Injection"). Export writes such a text with a single
quote in front, which spreadsheets read as "this is text"; import takes that quote off.

For export -> import -> export to give the same file, the quote must be told apart from
one the person typed: import takes a leading quote off only when a formula character or
a second quote follows it, and export adds one exactly then (so ``'=x``, typed, is
written ``''=x``). A typed ``'tis`` is written and read as it is. Only text columns are
touched: a number column holds numbers, and ``-3`` stays ``-3``.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def written(text: str) -> str:
    """The cell export writes for a text."""
    return QUOTE + text if text.startswith(FORMULA_STARTS) or _quoted(text) else text


def read_back(cell: str) -> str:
    """The text a cell that export wrote stands for."""
    return cell[1:] if _quoted(cell) else cell


def _quoted(cell: str) -> bool:
    return cell.startswith(QUOTE) and cell[1:].startswith((*FORMULA_STARTS, QUOTE))
