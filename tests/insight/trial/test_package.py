"""The trial is domain core: it loads no web framework, CLI library or database driver."""

from __future__ import annotations

import subprocess
import sys

FACES_AND_DRIVERS = {"fastapi", "starlette", "typer", "click", "sqlalchemy", "psycopg",
                     "alembic", "jinja2", "sqlite3"}  # fmt: skip


def test_importing_the_trial_loads_no_web_cli_or_database_module() -> None:
    code = (
        "import sys\n"
        "import calmcrown.insight.trial.analysis, calmcrown.insight.trial.arms\n"
        "import calmcrown.insight.trial.design, calmcrown.insight.trial.power\n"
        "import calmcrown.insight.trial.living\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not FACES_AND_DRIVERS & set(loaded)


def test_a_routines_arm_and_the_days_period_load_no_statistics() -> None:
    """Today and the terminal guide ask these on every start: statsmodels alone takes
    about 3 s to load, which only the analysis needs."""
    code = (
        "import sys\n"
        "import calmcrown.insight.trial.arms, calmcrown.insight.trial.living\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not {"statsmodels", "scipy", "pandas"} & set(loaded)
