"""The cells of an exported CSV that a spreadsheet would take for a formula."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calmcrown.diary.csv_cells import FORMULA_STARTS, read_back, written


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2 tablets", "'-2 tablets"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("'=typed with a quote", "''=typed with a quote"),
        ("''", "'''"),
        ("'tis a headache", "'tis a headache"),
        ("'", "'"),
        ("ibuprofen 400 mg", "ibuprofen 400 mg"),
    ],
)
def test_a_text_a_spreadsheet_would_run_is_written_with_a_quote_and_read_back_as_it_was(
    text: str, cell: str
) -> None:
    assert written(text) == cell
    assert read_back(cell) == text


@given(st.sampled_from([*FORMULA_STARTS, "'", "''", "'=", ""]), st.text(max_size=12))
def test_every_text_comes_back_as_it_was_and_no_written_cell_starts_a_formula(
    start: str, rest: str
) -> None:
    text = start + rest
    cell = written(text)
    assert read_back(cell) == text
    assert not cell.startswith(FORMULA_STARTS)
