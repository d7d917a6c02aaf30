"""No text calmcrown shows or publishes may promise what the evidence does not carry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

# Words and phrases that promise more than massage has been shown to do.
BANNED_CLAIMS = [
    r"\bcur(e|es|ed|ing)\b",
    r"\bguarantee(s|d)?\b",
    r"\bmiracle",
    r"\bdetox",
    r"\beliminat(e|es|ed|ing)\b",
    r"\bheal(s|ed|ing)?\b",
    r"\bclinically proven\b",
    r"\bproven to\b",
    r"\b100 ?%",
    r"\bflush(es)? (out )?toxins\b",
    r"\bpermanent(ly)? relie",
    r"\bno side effects\b",
    r"\binstant relief\b",
]
PATTERN = re.compile("|".join(BANNED_CLAIMS), re.IGNORECASE)

PUBLISHED = [
    *sorted((REPO / "src" / "calmcrown").rglob("*.toml")),
    *sorted((REPO / "src" / "calmcrown").rglob("*.py")),
    *sorted((REPO / "docs").rglob("*.md")),
    REPO / "README.md",
]


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda p: str(p.relative_to(REPO)))
def test_no_text_promises_more_than_the_evidence(path: Path) -> None:
    found = [
        f"line {number}: {match.group(0)!r}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in PATTERN.finditer(line)
    ]
    assert not found, f"{path.name} promises too much: {found}"


def test_the_check_catches_a_promise() -> None:
    assert PATTERN.search("This routine cures migraine.")
    assert PATTERN.search("Guaranteed relief")
    assert not PATTERN.search("It may ease tension for some people.")
