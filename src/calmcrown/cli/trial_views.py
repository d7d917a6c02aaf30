"""The trial commands' plain text: a design with what it can find, where a trial stands
today, and its analysis. Plain lines, no colour: they are read in a terminal and pasted
into messages. The words are the app's own (result_words, living), so the terminal, the
pages and the report say the same thing the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from calmcrown.insight.trial.comparison import pairs
from calmcrown.insight.trial.living import NO_MASSAGE_PERIOD, trial_today
from calmcrown.insight.trial.progress import Stage
from calmcrown.insight.trial.result_words import (
    VERDICT_WORDS,
    arm_words,
    overall_sentence,
    p_phrase,
    p_text,
)

if TYPE_CHECKING:
    from calmcrown.insight.trial.analysis import Comparison, TrialAnalysis
    from calmcrown.insight.trial.design import TrialDesign
    from calmcrown.insight.trial.power import PowerRow
    from calmcrown.insight.trial.progress import TrialProgress

POWER_FROM_DIARY = "your diary's last 12 weeks:"
POWER_TYPICAL = "a typical diary (about 10 headache days in 28; yours has too few recorded days):"


def _arm(arm: str) -> str:
    return arm_words(arm)


def _arms_line(trial: TrialDesign) -> str:
    return " against ".join(_arm(arm) for arm in trial.arms)


def _periods(trial: TrialDesign, today_index: int | None = None) -> list[str]:
    lines = []
    for p in trial.periods:
        mark = "  <- today" if p.index == today_index else ""
        lines.append(
            f"  {p.index:>2}  block {p.block}  {p.arm:<5} {p.start} to {p.end}"
            f" ({p.days} days){mark}"
        )
    return lines


def _power_line(row: PowerRow) -> str:
    found = f"finds a true 50% reduction {round(row.power_50 * 100)} times in 100"
    if row.detectable_reduction is None:
        reliably = "even a 95% reduction is found less than 80 times in 100"
    else:
        reliably = f"a reduction of {row.detectable_reduction:.0%} or more is found 80 times in 100"
    return f"  {row.blocks} blocks: {found}; {reliably}"


def describe_design(trial: TrialDesign, power: Sequence[PowerRow], fitted: bool,
                    saved: bool) -> str:  # fmt: skip
    """The design as a person checks it before committing: the periods, what each
    number of blocks can find, and how to draw the same order again."""
    name = f"Trial {trial.id}" if trial.id else "Trial (dry run, not stored)"
    # The power is simulated for the first comparison reported (power.py).
    compared, versus = pairs(trial.arms)[0]
    lines = [
        f"{name}: {_arms_line(trial)}, {trial.blocks} blocks of {len(trial.arms)} periods "
        f"of {trial.period_days} days, {trial.start} to {trial.end}.",
        (
            f"The first {trial.washout_days} days of each period are washout: recorded as "
            "usual, not analysed."
            if trial.washout_days
            else "No washout: every day of each period is analysed."
        ),
        "",
        "Periods (the order of each block drawn at random):",
        *_periods(trial),
        "",
        f"What it can find for {_arm(compared)} against {_arm(versus)}, simulated from "
        + (POWER_FROM_DIARY if fitted else POWER_TYPICAL),
        *(_power_line(row) for row in power),
        "  (each figure is from 100 simulated trials: about +-10 either way)",
        "",
        f"Seed {trial.seed} ({trial.generator}, {trial.algorithm}): with it anyone can "
        "draw the same order again.",
        "Saved. Record your days as usual; `calmcrown trial status` shows the period."
        if saved
        else "Dry run: nothing stored.",
    ]
    return "\n".join(lines)


def describe_status(trial: TrialDesign, progress: TrialProgress) -> str:
    lines = [f"Trial {trial.id}: {_arms_line(trial)}, {trial.start} to {trial.end}."]
    if progress.stage is Stage.WAITING:
        wait = (trial.start - progress.on).days
        lines.append(f"Starts on {trial.start}, in {wait} day{'s' if wait != 1 else ''}.")
    elif progress.stage is Stage.RUNNING:
        # The same line as the app's Today, so both say the day the same way.
        today = trial_today(trial, progress.on)
        lines.append(f"Today ({progress.on}): {today.line if today else ''}")
        if progress.period is not None and progress.period.arm == "none":
            lines.append(NO_MASSAGE_PERIOD)
    else:
        ended = trial.ended_early
        lines.append(f"Ended early on {ended.date}." if ended else f"Over since {trial.end}.")
        lines.append("`calmcrown trial analyze` compares the arms.")
    lines += [
        f"Progress: day {progress.trial_day} of {progress.trial_days}; "
        f"{progress.periods_done} of {progress.periods} periods done.",
        "",
        "Periods:",
        *_periods(trial, progress.period.index if progress.period else None),
    ]
    if trial.amendments:
        lines += ["", "Amendments:"]
        for a in trial.amendments:
            what = (
                f"period {a.period} extended by {a.days} days"
                if a.period is not None
                else "ended early"
            )
            lines.append(f"  {a.date}: {what} ({a.reason})")
    return "\n".join(lines)


def _comparison_line(comparison: Comparison) -> str:
    head = (
        f"{_arm(comparison.arm).capitalize()} against {_arm(comparison.versus)}: "
        f"{VERDICT_WORDS[comparison.verdict]}."
    )
    f = comparison.figures
    if f is None:
        return head
    parts = []
    if f.rate_ratio is not None:
        ratio = f"Rate ratio {f.rate_ratio:.2f}"
        if f.ci_low is not None and f.ci_high is not None:
            ratio += f" (95% interval {f.ci_low:.2f} to {f.ci_high:.2f})"
        parts.append(ratio)
    if f.p_randomisation is not None:
        p = f"randomisation test {p_phrase(f.p_randomisation)}"
        if f.smallest_p is not None:
            p += f" (the smallest this design can give: {p_text(f.smallest_p)})"
        parts.append(p)
    return head + (" " + "; ".join(parts) + "." if parts else "")


def describe_analysis(analysis: TrialAnalysis) -> str:
    """The analysis as a person reads it: the comparisons first, then the periods'
    figures, then the change within sessions, adherence and what to keep in mind."""
    trial = analysis.design
    lines = [
        overall_sentence(analysis),
        "",
        f"Trial {trial.id or '(from files)'}: {_arms_line(trial)}, {trial.start} to "
        f"{trial.end}, as of {analysis.today}.",
        *(_comparison_line(c) for c in analysis.comparisons),
        "",
        "Periods (headache days per 28 analysed days):",
    ]
    for p in analysis.periods:
        per_28 = p.headache_days_per_28
        rate = f" = {per_28:.1f} per 28" if per_28 is not None else ""
        state = "" if p.over else " (running)" if p.period.start <= analysis.today else " (to come)"
        lines.append(
            f"  {p.period.index:>2}  block {p.period.block}  {p.period.arm:<5} "
            f"{p.period.start} to {p.period.end}{state}: {p.analysed_days} analysed days, "
            f"{p.headache_days} headache days{rate}; {p.sessions} sessions"
        )
    within = [(arm, v) for arm, v in analysis.immediate.items() if v.sessions]
    if within:
        lines += ["", "Within sessions (pain after minus before; not randomised):"]
        for arm, v in within:
            text = f"  {_arm(arm)}: {v.mean_change:+.1f} on average over {v.sessions} sessions"
            if v.ci_low is not None and v.ci_high is not None:
                text += f" (95% interval {v.ci_low:+.1f} to {v.ci_high:+.1f})"
            lines.append(text)
    planned = sum(p.planned for p in analysis.periods)
    done = sum(p.done for p in analysis.periods)
    deviations = sum(p.deviations for p in analysis.periods)
    stops = sum(p.stops for p in analysis.periods)
    lines += [
        "",
        f"Adherence: {done} of {planned} planned sessions done; {deviations} of another "
        f"arm (deviations); {stops} stopped by the safety check.",
    ]
    if analysis.caveats:
        lines += ["", "Keep in mind:"] + [f"- {caveat}" for caveat in analysis.caveats]
    return "\n".join(lines)
