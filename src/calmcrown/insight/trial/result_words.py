"""The trial's result in plain words: the one sentence that comes first, for each
comparison and for the trial as a whole.

A tired person reads the first sentence and perhaps nothing else, so it carries the
direction, the two figures, and how sure the trial is, and no more than the verdict
carries: a verdict of ``no_clear_difference`` is never "massage does not work", and a
running trial shows no figures at all (looking again and again at a running trial finds
differences that are not there).
"""

from __future__ import annotations

import datetime as dt

from calmcrown.insight.interval_words import percent_span
from calmcrown.insight.trial.analysis import (
    MINIMUM_ANALYSED_DAYS,
    MINIMUM_BLOCKS,
    Comparison,
    TrialAnalysis,
)
from calmcrown.insight.trial.comparison import TIE, Verdict
from calmcrown.insight.trial.design import ARM_WORDS

VERDICT_WORDS = {
    Verdict.LIKELY_BETTER: "likely fewer headache days",
    Verdict.LIKELY_WORSE: "likely more headache days",
    Verdict.NO_CLEAR_DIFFERENCE: "no clear difference",
    Verdict.INSUFFICIENT_DATA: "not enough recorded days to compare",
    Verdict.IN_PROGRESS: "still running: no figures before the end",
}


def arm_words(arm: str) -> str:
    return ARM_WORDS.get(arm, arm)


def p_text(p: float) -> str:
    """A randomisation p as people read it: 0.31, 0.0625, 0.0156; never "0.0"."""
    if p < 0.001:
        return "below 0.001"
    return f"{p:.2f}" if p >= 0.1 else f"{p:.3g}"


def p_phrase(p: float) -> str:
    """ "p = 0.0625", or "p below 0.001" where an equals sign would need a long number."""
    return f"p {p_text(p)}" if p < 0.001 else f"p = {p_text(p)}"


def arm_rate(analysis: TrialAnalysis, arm: str) -> float | None:
    """Headache days per 28 analysed days of ``arm``'s compared periods (those of the
    complete blocks, as the comparison uses them)."""
    used = [p for p in analysis.periods
            if p.period.arm == arm and p.period.block in analysis.complete_blocks]  # fmt: skip
    analysed = sum(p.analysed_days for p in used)
    if not analysed:
        return None
    return sum(p.headache_days for p in used) / analysed * 28


def _blocks(analysis: TrialAnalysis) -> str:
    count = len(analysis.complete_blocks)
    return f"{count} block{'' if count == 1 else 's'}"


def _running(analysis: TrialAnalysis) -> str:
    trial, today = analysis.design, analysis.today
    last = f"{trial.end:%-d %B %Y}"
    wait = (
        f"the comparison waits for the last period to end on {last}, because looking "
        "before the end finds differences that are not there"
    )
    if today < trial.start:
        return f"The trial begins on {trial.start:%-d %B %Y}; {wait}."
    period = trial.period_on(today)
    if period is None:
        return f"The trial is still running; {wait}."
    day = (today - period.start).days + 1
    return (
        f"The trial is running: period {period.index} of {len(trial.periods)} "
        f"({arm_words(period.arm)}), day {day} of {period.days}; {wait}."
    )


def _insufficient(analysis: TrialAnalysis, comparison: Comparison) -> str:
    what = f"{arm_words(comparison.arm)} with {arm_words(comparison.versus)}"
    blocks = len(analysis.complete_blocks)
    if blocks < MINIMUM_BLOCKS:
        return (
            f"Not enough of the trial to compare {what}: {blocks} complete block"
            f"{'' if blocks == 1 else 's'} (every arm's period finished), and a comparison "
            f"needs at least {MINIMUM_BLOCKS}."
        )
    short = [p for p in analysis.periods
             if p.period.block in analysis.complete_blocks
             and p.period.arm in (comparison.arm, comparison.versus)
             and p.analysed_days < MINIMUM_ANALYSED_DAYS]  # fmt: skip
    named = "; ".join(
        f"period {p.period.index} ({arm_words(p.period.arm)}) has {p.analysed_days}" for p in short
    )
    return (
        f"Not enough recorded days to compare {what}: {named or 'a period has too few'} "
        f"analysed days, and each period needs at least {MINIMUM_ANALYSED_DAYS}."
    )


def _evidence(comparison: Comparison) -> str:
    """The interval and the randomisation p, as the sentence's second half."""
    f = comparison.figures
    if f is None:
        return ""
    parts = []
    if f.ci_low is not None and f.ci_high is not None:
        where = ("lies below 1" if f.ci_high < 1 else "lies above 1" if f.ci_low > 1
                 else "includes 1 (no change)")  # fmt: skip
        # In percent while it reads well; "8% to 3246% more" does not.
        span = f" ({percent_span(f.ci_low, f.ci_high)})" if f.ci_high <= 2 else ""
        parts.append(
            f"the 95% interval of the ratio, {f.ci_low:.2f} to {f.ci_high:.2f}{span}, {where}"
        )
    elif f.ci_low is not None:
        parts.append(f"the 95% interval of the ratio has no upper end (from {f.ci_low:.2f})")
    if f.p_randomisation is not None:
        test = f"the randomisation test gives {p_phrase(f.p_randomisation)}"
        if f.smallest_p is not None and f.p_randomisation <= f.smallest_p + TIE:
            test += ", the smallest this design can give"
        parts.append(test)
    return ", and ".join(parts)


def comparison_sentence(analysis: TrialAnalysis, comparison: Comparison) -> str:
    """The one plain sentence for ``comparison``: direction, figures, how sure."""
    verdict = comparison.verdict
    if verdict is Verdict.IN_PROGRESS:
        return _running(analysis)
    if verdict is Verdict.INSUFFICIENT_DATA:
        return _insufficient(analysis, comparison)
    arm, versus = arm_words(comparison.arm), arm_words(comparison.versus)
    mine, theirs = arm_rate(analysis, comparison.arm), arm_rate(analysis, comparison.versus)
    figures = f"{mine:.1f} against {theirs:.1f} per 28 days" if (
        mine is not None and theirs is not None
    ) else ""  # fmt: skip
    evidence = _evidence(comparison)
    tail = "".join(f"; {part}" for part in (evidence,) if part)
    over = f"Over {_blocks(analysis)}"
    if verdict is Verdict.LIKELY_BETTER:
        return (
            f"{over} you likely had fewer headache days in the {arm} periods than in "
            f"the {versus} periods: {figures}{tail}."
        )
    if verdict is Verdict.LIKELY_WORSE:
        return (
            f"{over} you likely had more headache days in the {arm} periods than in "
            f"the {versus} periods: {figures}{tail}."
        )
    if mine == 0 and theirs == 0:
        return (
            f"{over} you had no headache day on the analysed days of the {arm} or the "
            f"{versus} periods, so there is no difference to measure."
        )
    return (
        f"{over} there was no clear difference in headache days between the {arm} and "
        f"the {versus} periods: {figures}{tail}; a real difference too small for a trial "
        "this size to show may still be there."
    )


def _short(analysis: TrialAnalysis, comparison: Comparison) -> str:
    """A comparison as a clause of the overall sentence of a three-arm trial."""
    arm, versus = arm_words(comparison.arm), arm_words(comparison.versus)
    mine, theirs = arm_rate(analysis, comparison.arm), arm_rate(analysis, comparison.versus)
    figures = (f" ({mine:.1f} against {theirs:.1f} per 28 days)"
               if mine is not None and theirs is not None else "")  # fmt: skip
    if comparison.verdict is Verdict.LIKELY_BETTER:
        return f"likely fewer headache days with {arm} than with {versus}{figures}"
    if comparison.verdict is Verdict.LIKELY_WORSE:
        return f"likely more headache days with {arm} than with {versus}{figures}"
    if comparison.verdict is Verdict.INSUFFICIENT_DATA:
        return f"too few recorded days to compare {arm} with {versus}"
    return f"no clear difference between {arm} and {versus}{figures}"


def overall_sentence(analysis: TrialAnalysis) -> str:
    """The sentence that comes first on the page and in the report."""
    comparisons = analysis.comparisons
    if not comparisons:
        return "This trial has no comparison to make."
    if len(comparisons) == 1:
        return comparison_sentence(analysis, comparisons[0])
    verdicts = {c.verdict for c in comparisons}
    if verdicts == {Verdict.IN_PROGRESS}:
        return _running(analysis)
    if verdicts == {Verdict.INSUFFICIENT_DATA}:
        return comparison_sentence(analysis, comparisons[0])
    clauses = [_short(analysis, c) for c in comparisons]
    joined = "; ".join(clauses[:-1]) + "; and " + clauses[-1]
    return f"Over {_blocks(analysis)}: {joined}."


def period_dates(start: dt.date, end: dt.date) -> str:
    """ "5 Jan to 18 Jan 2026", the year once when both dates share it."""
    first = f"{start:%-d %b}" if start.year == end.year else f"{start:%-d %b %Y}"
    return f"{first} to {end:%-d %b %Y}"
