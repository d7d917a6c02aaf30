"""Read the TOML content, validate every file, and check the references between them.

Errors name the file and the key (``routines/evening.toml: practice[2].seconds: ...``)
so whoever edits the content can go straight to the line that is wrong.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from calmcrown.catalog.figures import figure_ids
from calmcrown.catalog.models import (
    PHASES,
    OilNote,
    PhaseName,
    Pressure,
    PressureWords,
    Region,
    Rest,
    Routine,
    SafetyRules,
    Source,
    Technique,
    Tip,
)

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

# The rest the planner puts between rounds of a phase and between holds on the same spot.
PAUSE_REST = "rest_hands"
# The after-phase keeps at least this share of a session, the settle phase this one.
MIN_SHARE = {PhaseName.SETTLE: 0.10, PhaseName.AFTER: 0.15}

Model = TypeVar("Model", bound=BaseModel)
Sourced = TypeVar("Sourced", Technique, Rest, Tip, OilNote)


class ContentError(ValueError):
    """A content file is wrong; the message names the file and the key."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        super().__init__(f"{file}: {key}: {problem}" if key else f"{file}: {problem}")


@dataclass(frozen=True)
class Catalog:
    """All of calmcrown's content, validated and cross-checked."""

    sources: Mapping[str, Source]
    techniques: Mapping[str, Technique]
    rests: Mapping[str, Rest]
    routines: Mapping[str, Routine]
    tips: Mapping[str, Tip]
    oils: Mapping[str, OilNote]
    safety: SafetyRules
    pressure_words: Mapping[Pressure, PressureWords]
    figures_dir: Path
    figures: frozenset[str]
    """The ids of the figures in ``figures_dir``."""

    def move(self, move_id: str) -> Technique | Rest:
        """The technique or rest a routine step names."""
        if move_id in self.techniques:
            return self.techniques[move_id]
        return self.rests[move_id]

    def figure_of(self, move: Technique | Rest) -> str | None:
        """The id of the figure that shows ``move``, if there is one."""
        figure = move.figure or move.id
        return figure if figure in self.figures else None

    def figure_path(self, figure_id: str) -> Path:
        if figure_id not in self.figures:
            raise LookupError(f"no figure called {figure_id!r}")
        return self.figures_dir / f"{figure_id}.svg"

    def routine(self, routine_id: str) -> Routine:
        try:
            return self.routines[routine_id]
        except KeyError:
            known = ", ".join(sorted(self.routines))
            raise LookupError(f"no routine called {routine_id!r}; known: {known}") from None

    def regions_of(self, routine: Routine) -> list[Region]:
        """The body regions a routine touches, in the order it first reaches them."""
        seen: dict[Region, None] = {}
        for name in PHASES:
            for step in routine.phase(name):
                move = self.move(step.do)
                if isinstance(move, Technique):
                    seen.setdefault(move.region)
        return list(seen)


def load_catalog(content_dir: Path | None = None) -> Catalog:
    """Load every content file under ``content_dir`` (the packaged content by default)."""
    root = content_dir or DEFAULT_CONTENT_DIR
    sources = _load_keyed(root, "sources.toml", Source)
    techniques: dict[str, Technique] = {}
    for path in sorted((root / "techniques").glob("*.toml")):
        file = _relative(root, path)
        for technique_id, technique in _load_sourced(root, file, Technique, sources).items():
            if technique_id in techniques:
                raise ContentError(file, technique_id, "defined twice")
            techniques[technique_id] = technique
    rests = _load_sourced(root, "rests.toml", Rest, sources)
    for rest_id in rests:
        if rest_id in techniques:
            raise ContentError("rests.toml", rest_id, "also the id of a technique")
    if PAUSE_REST not in rests:
        raise ContentError("rests.toml", PAUSE_REST, "missing; the planner rests the hands with it")
    tips = _load_sourced(root, "tips.toml", Tip, sources)
    oils = _load_sourced(root, "oils.toml", OilNote, sources)
    safety = _load_safety(root, sources)
    loaded = [
        _load_routine(root, path, techniques, rests, sources)
        for path in sorted((root / "routines").glob("*.toml"))
    ]
    # Shortest first: the order people choose by when time is what they have.
    routines = {r.id: r for r in sorted(loaded, key=lambda r: (r.minutes, r.id))}
    pressure_words = {
        Pressure(words.id): words
        for words in _load_keyed(root, "pressure.toml", PressureWords).values()
    }
    missing = [p.value for p in Pressure if p not in pressure_words]
    if missing:
        raise ContentError("pressure.toml", missing[0], "missing; every pressure needs words")
    figures_dir = root / "figures"
    figures = figure_ids(figures_dir)
    _check_figures(techniques, rests, routines, figures)
    return Catalog(
        sources, techniques, rests, routines, tips, oils, safety, pressure_words,
        figures_dir, figures,
    )  # fmt: skip


def _check_figures(
    techniques: Mapping[str, Technique],
    rests: Mapping[str, Rest],
    routines: Mapping[str, Routine],
    figures: frozenset[str],
) -> None:
    """A figure the content names must exist: a missing one would leave a step unshown."""
    for technique in techniques.values():
        if technique.figure is not None and technique.figure not in figures:
            raise ContentError(
                "techniques", f"{technique.id}.figure", f"no figure {technique.figure!r}"
            )
    for rest in rests.values():
        if rest.figure is not None and rest.figure not in figures:
            raise ContentError("rests.toml", f"{rest.id}.figure", f"no figure {rest.figure!r}")
    for routine in routines.values():
        if routine.position is not None and routine.position not in figures:
            raise ContentError(
                f"routines/{routine.id}.toml", "position", f"no figure {routine.position!r}"
            )


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read_toml(root: Path, name: str) -> dict[str, Any]:
    path = root / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ContentError(name, "", "file is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(name, "", f"not valid TOML ({error})") from None


def _validate(model: type[Model], data: Any, file: str, prefix: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        # A misspelt key shows up twice: as an unknown key and as a missing one. Name the
        # misspelling, which points at the line to fix.
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        key = _format_key(prefix, first["loc"])
        problem = {"missing": "missing", "extra_forbidden": "unknown key"}.get(
            first["type"], first["msg"]
        )
        raise ContentError(file, key, problem) from None


def _format_key(prefix: str, loc: Iterable[int | str]) -> str:
    key = prefix
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key = f"{key}.{part}" if key else str(part)
    return key


def _check_source(file: str, key: str, source: str, sources: Mapping[str, Source]) -> None:
    if source not in sources:
        raise ContentError(file, key, f"unknown source {source!r} (see sources.toml)")


def _load_sourced(
    root: Path, name: str, model: type[Sourced], sources: Mapping[str, Source]
) -> dict[str, Sourced]:
    entries = _load_keyed(root, name, model)
    for entry_id, entry in entries.items():
        _check_source(name, f"{entry_id}.source", entry.source, sources)
    return entries


def _load_keyed(root: Path, name: str, model: type[Model]) -> dict[str, Model]:
    """A file whose top-level tables are entries keyed by their id."""
    entries: dict[str, Model] = {}
    for entry_id, body in _read_toml(root, name).items():
        if not isinstance(body, dict):
            raise ContentError(name, entry_id, "expected a table of fields")
        entries[entry_id] = _validate(model, {"id": entry_id, **body}, name, entry_id)
    if not entries:
        raise ContentError(name, "", "holds no entries")
    return entries


def _load_safety(root: Path, sources: Mapping[str, Source]) -> SafetyRules:
    data = _read_toml(root, "safety.toml")
    flags = data.get("flags", {})
    if isinstance(flags, dict):
        data["flags"] = {
            flag_id: {"id": flag_id, **body} if isinstance(body, dict) else body
            for flag_id, body in flags.items()
        }
    rules = _validate(SafetyRules, data, "safety.toml", "")
    for flag in rules.flags.values():
        _check_source("safety.toml", f"flags.{flag.id}.source", flag.source, sources)
    return rules


def _load_routine(
    root: Path,
    path: Path,
    techniques: Mapping[str, Technique],
    rests: Mapping[str, Rest],
    sources: Mapping[str, Source],
) -> Routine:
    file = _relative(root, path)
    data = _read_toml(root, file)
    for name in PHASES:
        if name not in data:
            raise ContentError(file, name, f"missing; every routine has a {name} phase")
    routine = _validate(Routine, {"id": path.stem, **data}, file, "")
    _check_source(file, "source", routine.source, sources)
    for name in PHASES:
        for index, step in enumerate(routine.phase(name)):
            _check_step(file, f"{name}[{index}]", step.do, step, techniques, rests)
    for name in (PhaseName.SETTLE, PhaseName.AFTER):
        if not any(step.do in rests for step in routine.phase(name)):
            raise ContentError(
                file, name, "needs at least one rest step, so no adaptation can empty it"
            )
    declared = routine.minutes * 60
    if routine.total_seconds != declared:
        parts = " + ".join(f"{name} {routine.phase_seconds(name)}" for name in PHASES)
        raise ContentError(
            file,
            "minutes",
            f"phases add up to {routine.total_seconds} s ({parts}) "
            f"but minutes = {routine.minutes} means {declared} s",
        )
    for name, share in MIN_SHARE.items():
        if routine.phase_seconds(name) < share * declared:
            raise ContentError(
                file,
                name,
                f"{routine.phase_seconds(name)} s is less than {share:.0%} of the session",
            )
    if routine.longest_minutes < routine.minutes:
        raise ContentError(file, "max_minutes", "is shorter than minutes")
    if routine.shortest_minutes > routine.minutes:
        raise ContentError(file, "min_minutes", "is longer than minutes")
    return routine


def _check_step(
    file: str,
    key: str,
    move_id: str,
    step: Any,
    techniques: Mapping[str, Technique],
    rests: Mapping[str, Rest],
) -> None:
    if move_id in rests:
        if step.pressure is not None:
            raise ContentError(file, f"{key}.pressure", f"{move_id!r} is a rest, without touch")
        limit = rests[move_id].max_seconds
        if limit is not None and step.seconds > limit:
            raise ContentError(
                file, f"{key}.seconds", f"{step.seconds} s is longer than the {limit} s maximum"
            )
        return
    technique = techniques.get(move_id)
    if technique is None:
        raise ContentError(file, f"{key}.do", f"unknown technique {move_id!r}")
    if step.seconds < technique.min_seconds:
        raise ContentError(
            file,
            f"{key}.seconds",
            f"{step.seconds} s is shorter than the {technique.min_seconds} s minimum "
            f"of {move_id!r}",
        )
    if step.seconds > technique.max_seconds:
        raise ContentError(
            file,
            f"{key}.seconds",
            f"{step.seconds} s is longer than the {technique.max_seconds} s maximum of {move_id!r}",
        )
    if step.pressure is not None and not (technique.lightest <= step.pressure <= technique.firmest):
        raise ContentError(
            file,
            f"{key}.pressure",
            f"{step.pressure} is outside {move_id!r}'s range "
            f"{technique.lightest}-{technique.firmest}",
        )
