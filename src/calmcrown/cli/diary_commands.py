"""``calmcrown diary``, ``edit``, ``delete`` and ``undo``: reading and correcting the diary."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from calmcrown.cli.errors import fail, parse_date
from calmcrown.cli.store_access import open_store

DEFAULT_DAYS = 28

SinceOption = Annotated[
    str | None, typer.Option(help="First date, YYYY-MM-DD; 28 days ago by default.")
]
UntilOption = Annotated[str | None, typer.Option(help="Last date, YYYY-MM-DD; today by default.")]


def _date(option: str, text: str | None, default: dt.date) -> dt.date:
    return parse_date(option, text) or default


def diary(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show days, headaches and sessions; unrecorded days are counted as unknown."""
    from calmcrown.diary.summary import summarize

    last = _date("--until", until, dt.date.today())
    first = _date("--since", since, last - dt.timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        fail(f"--since: {first} is after --until {last}")
    store = open_store(ctx)
    summary = summarize(store, first, last, dt.datetime.now())
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        return
    from calmcrown.cli.diary_views import show_diary

    show_diary(summary)


def edit(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A record id: d12, h3, s7.")],
    changes: Annotated[
        list[str],
        typer.Argument(
            metavar="FIELD=VALUE...",
            help="Fields to change, e.g. intensity=4 notes='after lunch'. An empty value "
            "clears a field; lists take items separated by ';'.",
        ),
    ],
    confirm_long: Annotated[
        bool,
        typer.Option(
            "--confirm-long",
            help="Yes, the headache went on for more than 31 days (still going, or start to end).",
        ),
    ] = False,
) -> None:
    """Change fields of a record; the whole record is checked again before saving."""
    from calmcrown.diary.records import EntryError, LongEpisode
    from calmcrown.diary.store import KINDS, parse_record_id
    from calmcrown.diary.text_fields import from_text

    pairs: dict[str, str] = {}
    for change in changes:
        field, equals, value = change.partition("=")
        if not equals or not field:
            fail(f"{change!r}: write each change as FIELD=VALUE")
        pairs[field] = value
    try:
        prefix, _ = parse_record_id(record_id)
    except LookupError as error:
        fail(str(error))
    store = open_store(ctx, with_routines=prefix == "s")
    try:
        recorded = store.edit(
            record_id, from_text(KINDS[prefix][1], pairs), long_confirmed=confirm_long
        )
    except LongEpisode as error:
        fail(f"{error} (check the times, or add --confirm-long)")
    except (LookupError, EntryError) as error:
        fail(str(error).strip("'\""))
    typer.echo(f"Updated {recorded.id}: {', '.join(f'{k}={v}' for k, v in pairs.items())}.")


def delete(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A record id: d12, h3, s7.")],
) -> None:
    """Delete a record; `calmcrown undo` brings it back."""
    store = open_store(ctx)
    try:
        recorded = store.delete(record_id)
    except LookupError as error:
        fail(str(error).strip("'\""))
    typer.echo(f"Deleted {recorded.kind} {recorded.id}. `calmcrown undo` brings it back.")


def undo(ctx: typer.Context) -> None:
    """Bring back the most recently deleted record."""
    restored = open_store(ctx).undo()
    if restored is None:
        typer.echo("Nothing to undo: no deleted records.")
        return
    typer.echo(f"Restored {restored.kind} {restored.id}.")
