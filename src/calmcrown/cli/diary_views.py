"""How ``calmcrown diary`` shows the diary to a person."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from calmcrown.cli.views import console
from calmcrown.diary.summary import DiarySummary


def _or_dash(value: object) -> Text:
    # Diary text is shown exactly as written: as plain Text, Rich reads no markup in it.
    return Text("-" if value is None or value == "" else str(value))


def show_diary(summary: DiarySummary) -> None:
    out = console()
    out.print(
        f"[bold]{summary.since} to {summary.until}[/]: {summary.span} days, "
        f"{len(summary.headache_dates)} with headache, "
        f"{len(summary.known_dates) - len(summary.headache_dates)} without, "
        f"{summary.unknown_days} not recorded (unknown, not counted as free)."
    )
    if summary.medication_warning:
        out.print(f"[yellow]Warning: {summary.medication_warning}[/]")
    if summary.days:
        table = Table(title="Days", title_justify="left")
        for column in ("id", "date", "worst", "hours", "medication", "sleep", "stress", "notes"):
            table.add_column(column)
        for day in summary.days:
            entry = day.entry
            table.add_row(
                day.id,
                entry.date.isoformat(),
                str(entry.intensity) if entry.intensity else "none",
                _or_dash(entry.hours),
                _or_dash(entry.medication),
                _or_dash(entry.sleep),
                _or_dash(entry.stress),
                _or_dash(entry.notes),
            )
        out.print(table)
    if summary.episodes:
        table = Table(title="Headaches (tags are not diagnoses)", title_justify="left")
        for column in ("id", "from", "to", "peak", "tag", "triggers", "medication"):
            table.add_column(column)
        for episode in summary.episodes:
            headache = episode.recorded.entry
            ended = headache.ended_at
            table.add_row(
                episode.recorded.id,
                f"{headache.started_at:%Y-%m-%d %H:%M}",
                f"{ended:%Y-%m-%d %H:%M}" if ended else "still going",
                _or_dash(headache.peak),
                episode.tag.value,
                Text(", ".join(headache.triggers) or "-"),
                _or_dash(headache.medication),
            )
        out.print(table)
    if summary.sessions:
        table = Table(title="Sessions", title_justify="left")
        for column in ("id", "date", "routine", "by", "min", "pain", "ended"):
            table.add_column(column)
        for session in summary.sessions:
            done = session.entry
            pain = f"{_or_dash(done.pain_before)} -> {_or_dash(done.pain_after)}"
            table.add_row(
                session.id,
                done.date.isoformat(),
                Text(done.routine),
                done.given_by,
                f"{done.seconds / 60:.0f}",
                pain,
                done.outcome.replace("_", " "),
            )
        out.print(table)
    if not (summary.days or summary.episodes or summary.sessions):
        out.print("Nothing recorded in these dates yet. `calmcrown log day --intensity N` starts.")
