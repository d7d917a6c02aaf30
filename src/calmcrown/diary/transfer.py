"""Import and export the diary as CSV or JSON, so it is never locked in.

An import is all or nothing: every row is checked first, every problem is reported as
``line N, column C: problem``, and nothing is written unless every row is good. Export,
import into an empty diary and export again gives identical files.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from calmcrown.diary import csv_cells
from calmcrown.diary.importing import ImportConflict, ImportCounts, import_entries
from calmcrown.diary.private_files import write_private_bytes
from calmcrown.diary.records import (
    DayEntry,
    Entry,
    EntryError,
    HeadacheEntry,
    SessionEntry,
    session_seconds,
    validate_entry,
)
from calmcrown.diary.store import DiaryStore, Recorded
from calmcrown.diary.text_fields import from_text, is_number_field, is_text_field, to_text
from calmcrown.diary.trial_transfer import (
    LINK_KEY,
    exported_trials,
    link_problem,
    read_trials,
    session_links,
)
from calmcrown.diary.trials import TrialClash
from calmcrown.insight.trial.design import TrialDesign

FORMAT = "calmcrown-diary"
VERSION = 2
"""2 adds the trials and each session's trial period; files of version 1 still import."""
READABLE_VERSIONS = (1, 2)
MAX_REPORTED = 20
Kind = Literal["days", "headaches", "sessions"]
MODELS: dict[Kind, type[Entry]] = {
    "days": DayEntry,
    "headaches": HeadacheEntry,
    "sessions": SessionEntry,
}

# CSV columns by kind, in the order export writes them. For sessions the file speaks of
# minutes and "by" where the diary stores seconds and given_by.
DAY_COLUMNS = ["date", "intensity", "hours", "medication", "sleep", "stress", "notes"]
HEADACHE_COLUMNS = list(HeadacheEntry.model_fields)
SESSION_COLUMNS = [
    "date", "time", "routine", "minutes", "pain_before", "pain_after", "by", "pressure",
    "notes", "tension_before", "tension_after", "outcome", "oil", "planned_settle_s",
    "planned_practice_s", "planned_after_s", "actual_settle_s", "actual_practice_s",
    "actual_after_s", "verdict", "reasons", "doctor_checks",
]  # fmt: skip
COLUMNS: dict[Kind, list[str]] = {
    "days": DAY_COLUMNS,
    "headaches": HEADACHE_COLUMNS,
    "sessions": SESSION_COLUMNS,
}
REQUIRED: dict[Kind, set[str]] = {
    "days": {"date", "intensity"},
    "headaches": {"started_at"},
    "sessions": {"date", "routine", "minutes", "pain_before", "pain_after"},
}
_FIELD_COLUMN = {"seconds": "minutes", "given_by": "by"}
# Checks one entry: the store's (with its date and routines), or a plain one for files.
Validate = Callable[[type[Entry], Mapping[str, Any]], Entry]


class TransferError(ValueError):
    """A file cannot be imported; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        lines = shown + ([f"... and {more} more problems"] if more else [])
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class ImportReport:
    kinds: tuple[Kind, ...]
    rows: int
    counts: ImportCounts

    def summary(self) -> str:
        # "days", "sessions"; a file of several kinds holds "entries" of each.
        what: str = self.kinds[0] if len(self.kinds) == 1 else "entries"
        if self.rows == 1:
            what = {"days": "day", "headaches": "headache", "sessions": "session"}.get(
                what, "entry"
            )
        text = f"Imported {self.counts.added} of {self.rows} {what}"
        if self.counts.already:
            text += f"; {self.counts.already} were already in the diary"
        trials = self.counts.trials_added + self.counts.trials_already
        if trials:
            text += f"; {self.counts.trials_added} of {trials} trial{'s' if trials > 1 else ''}"
            if self.counts.trials_already:
                text += f" ({self.counts.trials_already} already in the diary)"
        return text + "."


def import_file(store: DiaryStore, path: Path) -> ImportReport:
    """Read ``path`` (CSV or JSON, told apart by its content) into the diary."""
    return import_text(store, _read_text(path))


def read_csv_file(path: Path, routines: frozenset[str] | None = None) -> tuple[Kind, list[Entry]]:
    """The entries of a CSV file in the import format, checked as an import checks them,
    without a diary: for analysing files directly. Errors name the line and column."""
    validate = functools.partial(_validate, routines=routines)
    kind, labelled = _read_csv(validate, _read_text(path))
    return kind, [entry for _, entry in labelled]


def _validate(
    model: type[Entry], data: Mapping[str, Any], routines: frozenset[str] | None
) -> Entry:
    return validate_entry(model, data, routines=routines, long_confirmed=True)


def _read_text(path: Path) -> str:
    try:
        # newline="" keeps line breaks inside quoted CSV cells exactly as written.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise TransferError([f"{path}: no such file"]) from None
    except UnicodeDecodeError as error:
        raise TransferError([f"{path}: not UTF-8 text ({error.reason})"]) from None
    except OSError as error:
        raise TransferError([f"{path}: cannot be read ({error.strerror})"]) from None
    return text


def import_bytes(store: DiaryStore, name: str, content: bytes) -> ImportReport:
    """An uploaded file (the web app's import) into the diary; ``name`` labels errors."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TransferError([f"{name}: not UTF-8 text ({error.reason})"]) from None
    return import_text(store, text)


def import_text(store: DiaryStore, text: str) -> ImportReport:
    """CSV or JSON text, told apart by its content, into the diary: all or nothing.

    A headache longer than a month is taken as the file has it: a file holds what was
    recorded (an export holds what the person confirmed), and export -> import must give
    the diary back. The analysis counts at most a month of any one headache, and says so.
    """
    validate = functools.partial(store.validate, long_confirmed=True)
    trials: list[tuple[str, TrialDesign]] = []
    if text.lstrip().startswith(("{", "[")):
        kinds, labelled, trials = _read_json(validate, text)
    else:
        kind, labelled = _read_csv(validate, text)
        kinds = (kind,)
    try:
        counts = import_entries(store, labelled, trials)
    except ImportConflict as conflict:
        raise TransferError(
            [f"{where}, column {column}: {why}" for where, column, why in conflict.problems]
        ) from None
    except TrialClash as clash:
        raise TransferError(
            [f"{where}, key {key}: {why}" for where, key, why in clash.problems]
        ) from None
    return ImportReport(kinds, len(labelled), counts)


def _kind_of(header: Sequence[str]) -> Kind:
    names = set(header)
    if "routine" in names:
        return "sessions"
    if "started_at" in names:
        return "headaches"
    if "intensity" in names:
        return "days"
    raise TransferError(
        ["line 1: cannot tell what the file holds; a day file needs the columns "
         "date,intensity, a session file date,routine,minutes,pain_before,pain_after, "
         "a headache file started_at"]
    )  # fmt: skip


def _read_csv(validate: Validate, text: str) -> tuple[Kind, list[tuple[str, Entry]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    # Each row with the line it starts on: a quoted cell may span several lines.
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        raise TransferError([f"line {start}: {_csv_problem(error)}"]) from None
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        raise TransferError(["line 1: the file is empty; it needs a header line"])
    header = [cell.strip() for cell in rows[0][1]]
    kind = _kind_of(header)
    problems = [
        f"line 1, column {name}: unknown column" for name in header if name not in COLUMNS[kind]
    ]
    problems += [
        f"line 1, column {name}: appears twice" for name in set(header) if header.count(name) > 1
    ]
    problems += [
        f"line 1, column {name}: missing (a {kind[:-1]} file needs it)"
        for name in sorted(REQUIRED[kind] - set(header))
    ]
    if problems:
        raise TransferError(problems)
    labelled: list[tuple[str, Entry]] = []
    for number, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue  # blank lines, often at the end, hold nothing
        label = f"line {number}"
        if len(row) != len(header):
            problems.append(f"{label}: {len(row)} values for {len(header)} columns")
            continue
        try:
            labelled.append(
                (label, _entry_from_row(validate, kind, dict(zip(header, row, strict=True))))
            )
        except EntryError as error:
            problems += [f"{label}, column {column}: {why}" for column, why in _columns(error)]
    if problems:
        raise TransferError(problems)
    return kind, labelled


def _csv_problem(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"a value is longer than {csv.field_size_limit()} characters, "
            "the most a CSV cell may hold"
        )
    return f"not readable as CSV ({error})"


def _entry_from_row(validate: Validate, kind: Kind, row: dict[str, str]) -> Entry:
    model = MODELS[kind]
    cells = {
        name: csv_cells.read_back(cell) if is_text_field(model, name) else cell
        for name, cell in row.items()
    }
    extra: dict[str, object] = {}
    if kind == "sessions":
        # The file speaks of minutes and "by"; the diary stores seconds and given_by.
        extra["seconds"] = session_seconds(cells.pop("minutes"))
        extra["given_by"] = cells.pop("by", "") or None
    values = from_text(model, cells) | extra
    # An empty cell is "not recorded": the field keeps its default.
    return validate(model, {name: v for name, v in values.items() if v is not None})


def _columns(error: EntryError) -> Iterable[tuple[str, str]]:
    for field, why in error.problems:
        yield _FIELD_COLUMN.get(field, field), why


def _read_json(
    validate: Validate, text: str
) -> tuple[tuple[Kind, ...], list[tuple[str, Entry]], list[tuple[str, TrialDesign]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TransferError(
            [f"line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"]
        ) from None
    except RecursionError:
        raise TransferError(["line 1: the JSON cannot be read (it is nested too deeply)"]) from None
    except ValueError as error:
        # Python refuses to read an integer longer than its limit, for safety.
        why = (
            f"a number has more than {sys.get_int_max_str_digits()} digits"
            if "integer string conversion" in str(error)
            else str(error)
        )
        raise TransferError([f"line 1: the JSON cannot be read ({why})"]) from None
    if isinstance(data, list):
        raise TransferError(
            [
                "line 1: a JSON import must be the object that export writes "
                f'({{"format": "{FORMAT}", "version": {VERSION}, "days": [...], ...}}), '
                "not a list"
            ]
        )
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TransferError(
            [f'line 1: a JSON import must be what export wrote ("format": "{FORMAT}")']
        )
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise TransferError(
            [f"line 1: unknown version {version!r} (this calmcrown reads up to {VERSION})"]
        )
    unknown = sorted(set(data) - {"format", "version", "trials", *MODELS})
    problems = [f"{key}: unknown key" for key in unknown]
    trials, trial_problems = read_trials(data.get("trials", []))
    problems += trial_problems
    labelled: list[tuple[str, Entry]] = []
    for kind, model in MODELS.items():
        records = data.get(kind, [])
        if not isinstance(records, list):
            problems.append(f"{kind}: must be a list")
            continue
        for index, record in enumerate(records):
            label = f"{kind}[{index}]"
            if not isinstance(record, dict):
                problems.append(f"{label}: must be an object")
                continue
            # JSON has numbers, so a number written as text is refused, as the API
            # refuses it (a CSV cell, text by nature, is read as a number instead).
            texts = [
                n for n, v in record.items() if isinstance(v, str) and is_number_field(model, n)
            ]
            if texts:
                problems += [
                    f"{label}, column {name}: must be a number, not text" for name in texts
                ]
                continue
            # A session's trial period is not part of the entry: the diary links it by
            # date; the file's link is checked against its trials' dates instead.
            linked = kind == "sessions" and LINK_KEY in record
            # Links to a refused trial would only repeat its problem: checked once all parse.
            checked = linked and not trial_problems
            link = record.get(LINK_KEY)
            record = {n: v for n, v in record.items() if not (linked and n == LINK_KEY)}
            try:
                entry = validate(model, record)
            except EntryError as error:
                problems += [f"{label}, column {field}: {why}" for field, why in error.problems]
                continue
            labelled.append((label, entry))
            why_not = (
                link_problem(link, entry.date, trials)
                if checked and isinstance(entry, SessionEntry)
                else None
            )
            if why_not is not None:
                problems.append(f"{label}, column {LINK_KEY}: {why_not}")
    if problems:
        raise TransferError(problems)
    kinds = tuple(kind for kind in MODELS if data.get(kind))
    return kinds or ("days",), labelled, trials


# -- export ---------------------------------------------------------------------------


def _sorted(records: Sequence[Recorded[Any]]) -> list[dict[str, Any]]:
    dumps = [record.entry.model_dump(mode="json") for record in records]
    return sorted(dumps, key=lambda d: json.dumps(d, sort_keys=True))


def export_data(store: DiaryStore) -> dict[str, Any]:
    """Every live record and every trial, ordered so that the same diary always gives
    the same file. Each session names its trial period (null outside any trial)."""
    days = [record.entry.model_dump(mode="json") for record in store.days()]
    links = session_links(store)
    sessions = [
        record.entry.model_dump(mode="json") | {LINK_KEY: links.get(record.id)}
        for record in store.sessions()
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "days": days,
        "headaches": _sorted(store.headaches()),
        "sessions": sorted(sessions, key=lambda d: json.dumps(d, sort_keys=True)),
        "trials": exported_trials(store),
    }


def export_files(store: DiaryStore, fmt: Literal["csv", "json"], out: Path) -> list[Path]:
    """Write the diary into ``out``; files are readable by their owner only (health data)."""
    data = export_data(store)
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
        if fmt == "json":
            path = out / "calmcrown-diary.json"
            write_private(path, json_text(data))
            return [path]
        written = []
        for kind in MODELS:
            path = out / f"{kind}.csv"
            write_private(path, csv_text(data, kind))
            written.append(path)
        return written
    except OSError as error:
        raise TransferError([f"{error.filename or out}: cannot write ({error.strerror})"]) from None


def json_text(data: Mapping[str, Any]) -> str:
    """``export_data`` as the JSON file export writes."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def csv_text(data: Mapping[str, Any], kind: Kind) -> str:
    """One kind of ``export_data`` as the CSV file export writes, header first."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS[kind], lineterminator="\n")
    # Python's writer quotes a cell holding "\n" but not one holding a lone "\r" when
    # lines end in "\n", and a reader then breaks the row there: such a row is written
    # with every cell quoted, which every reader takes back whole.
    quoting_all = csv.DictWriter(buffer, COLUMNS[kind], lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for record in data[kind]:
        row = _csv_row(kind, record)
        (quoting_all if any("\r" in cell for cell in row.values()) else writer).writerow(row)
    return buffer.getvalue()


def write_private(path: Path, content: str | bytes) -> None:
    """Write a file only its owner can read: exports and reports hold health data. Text
    is written as UTF-8, its line breaks exactly as given."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        write_private_bytes(path, data)
    except OSError as error:
        raise TransferError(
            [f"{error.filename or path}: cannot write ({error.strerror})"]
        ) from None


def _csv_row(kind: Kind, record: Mapping[str, Any]) -> dict[str, str]:
    values = dict(record)
    if kind == "sessions":
        values["minutes"] = _minutes_text(values.pop("seconds"))
        values["by"] = values.pop("given_by")
    model = MODELS[kind]
    return {
        column: csv_cells.written(text) if is_text_field(model, column) else text
        for column, text in ((column, to_text(values.get(column))) for column in COLUMNS[kind])
    }


def _minutes_text(seconds: int) -> str:
    # Four decimals bring back the exact seconds on import (round(minutes * 60)).
    return f"{seconds / 60:.4f}".rstrip("0").rstrip(".")
