"""The practice as content: techniques, rests, routines, tips, oils, sources and safety rules."""

from calmcrown.catalog.loader import Catalog, ContentError, load_catalog
from calmcrown.catalog.models import (
    PHASES,
    Audience,
    Flag,
    OilNote,
    PhaseName,
    Pressure,
    Region,
    Rest,
    Routine,
    SafetyRules,
    Source,
    Step,
    Technique,
    Tip,
    Verdict,
)

__all__ = [
    "PHASES",
    "Audience",
    "Catalog",
    "ContentError",
    "Flag",
    "OilNote",
    "PhaseName",
    "Pressure",
    "Region",
    "Rest",
    "Routine",
    "SafetyRules",
    "Source",
    "Step",
    "Technique",
    "Tip",
    "Verdict",
    "load_catalog",
]
