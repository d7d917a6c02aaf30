"""How the command line shows content, plans and verdicts: Rich for people, dicts for JSON."""

from __future__ import annotations

import math
from collections.abc import Iterable

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from calmcrown.catalog import Catalog, Technique, Verdict
from calmcrown.catalog.models import TIP_TOPICS
from calmcrown.planner import Plan
from calmcrown.screening import Screening

_VERDICT_STYLE = {
    Verdict.EMERGENCY: "bold white on red",
    Verdict.SEE_DOCTOR: "bold black on yellow",
    Verdict.ADAPT: "bold cyan",
    Verdict.CLEAR: "bold green",
}


def console() -> Console:
    return Console(highlight=False, emoji=False)


def clock(seconds: float) -> str:
    """Minutes and seconds; a fraction counts as a whole second, so a countdown ends on 0:00."""
    whole = max(0, math.ceil(round(seconds, 6)))
    return f"{whole // 60}:{whole % 60:02d}"


def show_routines(catalog: Catalog) -> None:
    table = Table(title="Routines", title_justify="left")
    table.add_column("id", style="bold")
    table.add_column("title")
    table.add_column("min", justify="right")
    table.add_column("fits")
    table.add_column("for")
    table.add_column("regions")
    for routine in catalog.routines.values():
        table.add_row(
            routine.id,
            routine.title,
            str(routine.minutes),
            f"{routine.shortest_minutes}-{routine.longest_minutes}",
            routine.audience.value,
            ", ".join(region.label for region in catalog.regions_of(routine)),
        )
    console().print(table)


def show_techniques(catalog: Catalog, techniques: Iterable[Technique]) -> None:
    out = console()
    for technique in techniques:
        low, high = technique.pressure
        pressure = low.value if low == high else f"{low}-{high}"
        sides = ", one side then the other" if technique.both_sides else ""
        body = Text()
        body.append(f"{technique.region.label} · {pressure} pressure · ", style="dim")
        body.append(f"about {clock(technique.usual_seconds)}{sides}\n", style="dim")
        for number, line in enumerate(technique.steps, start=1):
            body.append(f"{number}. {line}\n")
        for caution in technique.cautions:
            body.append(f"Caution: {caution}\n", style="yellow")
        label = "Tradition" if technique.tradition else "Evidence"
        body.append(f"{label}: {technique.evidence}\n", style="italic")
        body.append(f"Source: {catalog.sources[technique.source].citation}", style="dim")
        figure = catalog.figure_of(technique)
        if figure is not None:
            body.append(f"\nFigure: {catalog.figure_path(figure)}", style="dim")
        out.print(Panel(body, title=f"{technique.name} [dim]({technique.id})[/]", expand=False))


def show_tips(catalog: Catalog) -> None:
    out = console()
    for topic, heading in TIP_TOPICS.items():
        chosen = [tip for tip in catalog.tips.values() if tip.topic == topic]
        if chosen:
            out.print(f"\n[bold]{heading}[/]")
            for tip in chosen:
                out.print(f"• {tip.text}")


def show_oils(catalog: Catalog) -> None:
    out = console()
    for note in catalog.oils.values():
        source = catalog.sources[note.source]
        body = Text("\n".join(f"• {point}" for point in note.points))
        caveat = "" if source.verified else ", the original not read"
        body.append(f"\nSource: {source.citation}{caveat}", style="dim")
        out.print(Panel(body, title=f"{note.name} [dim]({note.kind})[/]", expand=False))


def show_plan(plan: Plan) -> None:
    out = console()
    out.print(
        f"[bold]{plan.title}[/] · {clock(plan.total_seconds)} · "
        + " · ".join(f"{p.name} {clock(p.seconds)}" for p in plan.phases)
        + (" · partner mode" if plan.partner_mode else "")
    )
    for note in plan.notes:
        out.print(f"[cyan]• {note}[/]")
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("at", justify="right")
    table.add_column("cue")
    table.add_column("says")
    for cue in plan.cues:
        style = "bold" if cue.kind in ("phase", "step") else "dim"
        table.add_row(clock(cue.at_s), cue.kind.value, Text(cue.text, style=style))
    out.print(table)


def show_screening(result: Screening) -> None:
    out = console()
    style = _VERDICT_STYLE[result.verdict]
    out.print(Panel(Text(result.advice), title=Text(f" {result.title} ", style=style)))
    for reason in result.reasons:
        checked = f", checked by a doctor on {reason.checked_on}" if reason.checked_on else ""
        out.print(f"• {reason.message} [dim]({reason.source}{checked})[/]")
    changes = result.adaptations
    if result.verdict is Verdict.ADAPT:
        if changes.excluded_regions:
            labels = sorted(region.label for region in changes.excluded_regions)
            out.print(f"[cyan]Leaving out:[/] {', '.join(labels)}")
        out.print(f"[cyan]Firmest pressure today:[/] {changes.max_pressure}")
        if changes.no_oil:
            out.print("[cyan]No oil today.[/]")
        if changes.max_minutes:
            out.print(f"[cyan]At most {changes.max_minutes} minutes.[/]")
