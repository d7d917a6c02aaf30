"""A profile's personal trials as stored: the design drawn once, its periods, and the
amendments made since, each with its date and reason.

The allocation is written when the trial is saved and never rewritten: an amendment
moves dates (a period extended, the trial ended early) and is appended, and the periods'
dates are updated to match. Sessions keep the period their date falls in
(``sessions.trial_period_id``); saving or amending a trial links the profile's sessions
again, so a session recorded on the trial's first morning counts in its first period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from calmcrown.diary import queries, tables
from calmcrown.diary.engine import read_connection
from calmcrown.diary.records import normalised_text
from calmcrown.diary.store import DiaryStore
from calmcrown.insight.trial.design import (
    Amendment,
    AmendmentKind,
    TrialDesign,
    TrialPeriod,
    design_dict,
    end_early,
    extend_period,
)

REASON_LIMIT = 500


class TrialRefused(ValueError):
    """A trial cannot be saved or amended as asked; ``field`` names what is at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class NoTrial(LookupError):
    """The diary has no trial (or none running) to do this to."""


def trial_id(number: int) -> str:
    return f"t{number}"


def _number(trial: TrialDesign) -> int:
    if trial.id is None or not trial.id.startswith("t") or not trial.id[1:].isdigit():
        raise NoTrial(f"{trial.id!r} is not a stored trial")
    return int(trial.id[1:])


def is_running(trial: TrialDesign, on: dt.date) -> bool:
    """Designed and not yet over on ``on``: it may still be waiting for its start."""
    return trial.ended_early is None and trial.end >= on


def save_trial(store: DiaryStore, trial: TrialDesign) -> TrialDesign:
    """Store a new design; refused while another trial runs or when it would start in
    the past (the allocation must be drawn before the first period begins)."""
    today = store.today()
    if trial.start < today:
        raise TrialRefused(
            "start", f"{trial.start} has passed; a trial starts today ({today}) or later"
        )
    with store.writing() as conn:
        latest = _latest(conn, store.profile_id)
        if latest is not None and latest.end >= trial.start:
            if is_running(latest, today):
                raise TrialRefused(
                    "trial",
                    f"trial {latest.id} runs until {latest.end}; end it first "
                    "(`calmcrown trial end --reason ...`)",
                )
            raise TrialRefused("start", f"the last trial ended on {latest.end}; start after it")
        number = _insert(conn, store, trial)
        _link_sessions(conn, store.profile_id)
    saved = load_trial(store, trial_id(number))
    assert saved is not None  # written in the transaction above
    return saved


def _insert(conn: Connection, store: DiaryStore, trial: TrialDesign) -> int:
    result = conn.execute(
        insert(tables.trials).values(
            profile_id=store.profile_id,
            arms=list(trial.arms),
            seed=trial.seed,
            generator=trial.generator,
            algorithm=trial.algorithm,
            period_days=trial.period_days,
            washout_days=trial.washout_days,
            blocks=trial.blocks,
            start_date=trial.start,
            created_at=store.now(),
        )
    )
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the database did not report the new trial's id")
    number = int(key[0])
    conn.execute(
        insert(tables.trial_periods),
        [
            {
                "trial_id": number,
                "number": p.index,
                "block": p.block,
                "arm": p.arm,
                "start_date": p.start,
                "end_date": p.end,
            }
            for p in trial.periods
        ],
    )
    for amendment in trial.amendments:
        _append(conn, store, number, amendment)
    return number


def _append(conn: Connection, store: DiaryStore, number: int, amendment: Amendment) -> None:
    conn.execute(
        insert(tables.trial_amendments).values(
            trial_id=number,
            kind=amendment.kind.value,
            date=amendment.date,
            reason=amendment.reason,
            period=amendment.period,
            days=amendment.days,
            created_at=store.now(),
        )
    )


def _link_sessions(conn: Connection, owner: int) -> None:
    sessions = tables.sessions
    conn.execute(
        update(sessions)
        .where(sessions.c.profile_id == owner)
        .values(trial_period_id=queries.trial_period_on(owner, sessions.c.date))
    )


def load_trial(store: DiaryStore, trial: str) -> TrialDesign | None:
    """The stored trial ``trial`` (an id like t1) of this profile, or None."""
    if not trial.startswith("t") or not trial[1:].isdigit():
        return None
    with read_connection(store.engine) as conn:
        return _read(conn, store.profile_id, int(trial[1:]))


def latest_trial(store: DiaryStore) -> TrialDesign | None:
    """The profile's newest trial, running or over; None before the first."""
    with read_connection(store.engine) as conn:
        return _latest(conn, store.profile_id)


def all_trials(store: DiaryStore) -> list[TrialDesign]:
    """Every trial of the profile, oldest first (for export and backup)."""
    table = tables.trials
    with read_connection(store.engine) as conn:
        numbers = conn.execute(
            select(table.c.id).where(table.c.profile_id == store.profile_id).order_by(table.c.id)
        ).scalars()
        found = [_read(conn, store.profile_id, number) for number in numbers]
    return [trial for trial in found if trial is not None]


def running_trial(store: DiaryStore) -> TrialDesign | None:
    """The trial running today (or designed to start later), None when there is none."""
    latest = latest_trial(store)
    return latest if latest is not None and is_running(latest, store.today()) else None


def _latest(conn: Connection, owner: int) -> TrialDesign | None:
    table = tables.trials
    number = conn.execute(
        select(table.c.id)
        .where(table.c.profile_id == owner)
        .order_by(table.c.start_date.desc(), table.c.id.desc())
        .limit(1)
    ).scalar()
    return None if number is None else _read(conn, owner, int(number))


def _read(conn: Connection, owner: int, number: int) -> TrialDesign | None:
    trials, periods, amendments = tables.trials, tables.trial_periods, tables.trial_amendments
    row = (
        conn.execute(select(trials).where(trials.c.id == number, trials.c.profile_id == owner))
        .mappings()
        .first()
    )
    if row is None:
        return None
    period_rows = conn.execute(
        select(periods).where(periods.c.trial_id == number).order_by(periods.c.number)
    ).mappings()
    amendment_rows = conn.execute(
        select(amendments).where(amendments.c.trial_id == number).order_by(amendments.c.id)
    ).mappings()
    return TrialDesign(
        arms=tuple(row["arms"]),
        seed=int(row["seed"]),
        period_days=row["period_days"],
        washout_days=row["washout_days"],
        blocks=row["blocks"],
        start=row["start_date"],
        periods=tuple(
            TrialPeriod(
                p["number"],
                p["block"],
                p["arm"],
                p["start_date"],
                p["end_date"],
                row["washout_days"],
            )
            for p in period_rows
        ),
        generator=row["generator"],
        algorithm=row["algorithm"],
        amendments=tuple(
            Amendment(AmendmentKind(a["kind"]), a["date"], a["reason"], a["period"], a["days"])
            for a in amendment_rows
        ),
        id=trial_id(number),
    )


def _reason(reason: str) -> str:
    text = normalised_text(reason) or ""
    if not text:
        raise TrialRefused("reason", "say why, in a few words; the report shows it")
    if len(text) > REASON_LIMIT:
        raise TrialRefused("reason", f"at most {REASON_LIMIT} characters")
    return text


def end_trial(store: DiaryStore, reason: str, on: dt.date | None = None) -> TrialDesign:
    """End the running trial early on ``on`` (today by default). The period then running
    ends that day, later ones are dropped, and the analysis says the trial was cut."""
    return _amend(store, lambda trial, day, why: end_early(trial, day, why), reason, on)


def extend_trial_period(
    store: DiaryStore, period: int, days: int, reason: str, on: dt.date | None = None
) -> TrialDesign:
    """Make period ``period`` of the running trial ``days`` longer; later periods move on."""

    def extended(trial: TrialDesign, day: dt.date, why: str) -> TrialDesign:
        target = next((p for p in trial.periods if p.index == period), None)
        if target is not None and target.end < day:
            raise TrialRefused("period", f"period {period} ended on {target.end}")
        return extend_period(trial, period, days, day, why)

    return _amend(store, extended, reason, on)


def _amend(store: DiaryStore, change: Any, reason: str, on: dt.date | None) -> TrialDesign:
    day = on or store.today()
    why = _reason(reason)
    with store.writing() as conn:
        current = _latest(conn, store.profile_id)
        if current is None or not is_running(current, day):
            raise NoTrial("no trial is running in this diary")
        amended: TrialDesign = change(current, day, why)
        number = _number(current)
        periods = tables.trial_periods
        kept = {p.index for p in amended.periods}
        for p in amended.periods:
            conn.execute(
                update(periods)
                .where(periods.c.trial_id == number, periods.c.number == p.index)
                .values(start_date=p.start, end_date=p.end)
            )
        _append(conn, store, number, amended.amendments[-1])
        # Dropped periods lie after the end, so no session refers to them once relinked.
        conn.execute(
            update(periods)
            .where(periods.c.trial_id == number, periods.c.number.not_in(kept))
            .values(start_date=dt.date.max, end_date=dt.date.max)
        )
        _link_sessions(conn, store.profile_id)
        conn.execute(
            delete(periods).where(periods.c.trial_id == number, periods.c.number.not_in(kept))
        )
    return amended


# -- carrying trials between diaries (JSON export and import) -------------------------


class TrialClash(ValueError):
    """Trials from a file that cannot join this diary; ``problems`` are (where, key, why)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} trials cannot be imported")


def _same_design(one: TrialDesign, other: TrialDesign) -> bool:
    return design_dict(one) | {"id": None} == design_dict(other) | {"id": None}


def _overlap(one: TrialDesign, other: TrialDesign) -> bool:
    return one.start <= other.end and other.start <= one.end


def import_trials(
    conn: Connection, store: DiaryStore, labelled: Sequence[tuple[str, TrialDesign]]
) -> tuple[dict[str, str], int]:
    """Add a file's trials inside the import's transaction, as they were: an imported
    trial may lie in the past, unlike a new design. A trial equal to one in the diary
    is counted, not added again, so a file imported twice adds nothing.

    Returns the diary's id for each file trial id, and how many were already there.
    Trials overlapping the diary's or each other are refused (``TrialClash``), since a
    date may belong to one trial period only.
    """
    owner = store.profile_id
    numbers = conn.execute(
        select(tables.trials.c.id).where(tables.trials.c.profile_id == owner)
    ).scalars()
    present = [t for t in (_read(conn, owner, n) for n in list(numbers)) if t is not None]
    problems: list[tuple[str, str, str]] = []
    ids: dict[str, str] = {}
    new: list[tuple[str, TrialDesign]] = []
    for label, trial in labelled:
        twin = next((p for p in present if _same_design(p, trial)), None)
        if twin is not None and twin.id is not None:
            ids[trial.id or label] = twin.id
            continue
        clash = next((p for p in present if _overlap(p, trial)), None)
        if clash is not None:
            problems.append(
                (label, "start", f"{trial.start} to {trial.end} overlaps trial {clash.id} of this "
                 f"diary ({clash.start} to {clash.end})")
            )  # fmt: skip
            continue
        earlier = next((other for other, t in new if _overlap(t, trial)), None)
        if earlier is not None:
            problems.append((label, "start", f"{trial.start} to {trial.end} overlaps {earlier}"))
            continue
        new.append((label, trial))
    if problems:
        raise TrialClash(problems)
    for label, trial in sorted(new, key=lambda item: item[1].start):
        ids[trial.id or label] = trial_id(_insert(conn, store, trial))
    if new:
        _link_sessions(conn, owner)
    return ids, len(labelled) - len(new)


def session_periods(store: DiaryStore) -> dict[str, tuple[str, int]]:
    """Each linked session's trial and period number, by session id (s7): how an export
    names the link, since row ids mean nothing in another diary."""
    sessions, periods = tables.sessions, tables.trial_periods
    with read_connection(store.engine) as conn:
        rows = conn.execute(
            select(sessions.c.id, periods.c.trial_id, periods.c.number)
            .join(periods, periods.c.id == sessions.c.trial_period_id)
            .where(sessions.c.profile_id == store.profile_id, sessions.c.deleted_at.is_(None))
        ).all()
    return {f"s{row.id}": (trial_id(row.trial_id), int(row.number)) for row in rows}
