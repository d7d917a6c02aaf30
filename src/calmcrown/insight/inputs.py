"""What the analysis reads of a diary: the fields it needs of each day and session.

The diary's validated entries have them, and so do the light rows the diary reads for
the analysis (ten years of entries took about three times as long to build as the
analysis took to run), so the analysis asks for these shapes rather than for either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol


class DayFacts(Protocol):
    @property
    def date(self) -> dt.date: ...

    @property
    def intensity(self) -> int: ...

    @property
    def medication(self) -> str | None: ...


class SessionFacts(Protocol):
    @property
    def date(self) -> dt.date: ...

    @property
    def routine(self) -> str: ...

    @property
    def seconds(self) -> int: ...

    @property
    def planned_after_s(self) -> int | None: ...

    @property
    def actual_after_s(self) -> int | None: ...

    @property
    def pain_before(self) -> int | None: ...

    @property
    def pain_after(self) -> int | None: ...

    @property
    def outcome(self) -> str: ...

    @property
    def verdict(self) -> str | None: ...

    @property
    def reasons(self) -> Sequence[str]: ...

    @property
    def doctor_checks(self) -> Sequence[str]:
        """``flag:YYYY-MM-DD``: a lasting condition among the reasons, and when a doctor
        checked it (a Protocol member: the docstring is its whole body)."""
