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

# Physiology the seeds claim and the evidence does not carry. A sentence may name one only
# to say it is not supported.
UNSUPPORTED_MECHANISMS = [
    r"blood (flow|supply)? ?to the brain",
    r"circulation to the (brain|head)",
    r"\boxygen",
    r"\blymph",
    r"\btoxin",
    r"\bwaste removal\b",
]
MECHANISM = re.compile("|".join(UNSUPPORTED_MECHANISMS), re.IGNORECASE)
REBUTTAL = re.compile(
    r"not (backed|supported|established|shown)|no (evidence|established)|unproven|untested",
    re.IGNORECASE,
)

PUBLISHED = [
    *sorted((REPO / "src" / "calmcrown").rglob("*.toml")),
    *sorted((REPO / "src" / "calmcrown").rglob("*.py")),
    *sorted((REPO / "src" / "calmcrown").rglob("*.html")),
    *sorted((REPO / "src" / "calmcrown").rglob("*.js")),
    *sorted((REPO / "src" / "calmcrown" / "content" / "figures").glob("*.svg")),
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


@pytest.mark.parametrize("path", PUBLISHED, ids=lambda p: str(p.relative_to(REPO)))
def test_no_text_claims_a_mechanism_the_evidence_does_not_carry(path: Path) -> None:
    found = [
        f"line {number}: {match.group(0)!r}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in MECHANISM.finditer(line)
        if not REBUTTAL.search(line)
    ]
    assert not found, f"{path.name} claims an unsupported mechanism: {found}"


def test_the_check_catches_a_mechanism_but_lets_a_rebuttal_pass() -> None:
    claim = "Foot massage sends more blood to the brain and flushes lymph."
    assert MECHANISM.search(claim) and not REBUTTAL.search(claim)
    rebuttal = "Its claim about blood flow to the brain is not backed by evidence."
    assert MECHANISM.search(rebuttal) and REBUTTAL.search(rebuttal)


def test_the_check_catches_a_promise() -> None:
    assert PATTERN.search("This routine cures migraine.")
    assert PATTERN.search("Guaranteed relief")
    assert not PATTERN.search("It may ease tension for some people.")
