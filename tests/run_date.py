"""The date this test run began, for tests that write "today" and read it back.

Every test runs at noon of this date (tests/conftest.py), so a run that goes past
midnight cannot move "today" between a test's set-up and its checks.
"""

from __future__ import annotations

import datetime as dt

RUN_DATE = dt.date.today()
