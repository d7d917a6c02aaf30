"""Content as plain data, for JSON on the command line and in the web API."""

from __future__ import annotations

from typing import Any

from calmcrown.catalog.loader import Catalog
from calmcrown.catalog.models import PHASES, Technique


def routines_data(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "id": routine.id,
            "title": routine.title,
            "minutes": routine.minutes,
            "fits_minutes": [routine.shortest_minutes, routine.longest_minutes],
            "audience": routine.audience.value,
            "regions": [region.value for region in catalog.regions_of(routine)],
            "phases": [
                {"name": name.value, "seconds": routine.phase_seconds(name)} for name in PHASES
            ],
            "summary": routine.summary,
            "setup": routine.setup,
            "position": _figure_path(catalog, routine.position),
            "source": routine.source,
        }
        for routine in catalog.routines.values()
    ]


def technique_data(catalog: Catalog, technique: Technique) -> dict[str, Any]:
    source = catalog.sources[technique.source]
    return {
        "id": technique.id,
        "name": technique.name,
        "region": technique.region.value,
        "steps": technique.steps,
        "pressure": [p.value for p in technique.pressure],
        "usual_seconds": technique.usual_seconds,
        "min_seconds": technique.min_seconds,
        "max_seconds": technique.max_seconds,
        "hold": technique.hold,
        "figure": _figure_path(catalog, catalog.figure_of(technique)),
        "both_sides": technique.both_sides,
        "cautions": technique.cautions,
        "tradition": technique.tradition,
        "evidence": technique.evidence,
        "source": {"id": source.id, "citation": source.citation, "verified": source.verified},
    }


def _figure_path(catalog: Catalog, figure_id: str | None) -> str | None:
    if figure_id is None or figure_id not in catalog.figures:
        return None
    return str(catalog.figure_path(figure_id))
