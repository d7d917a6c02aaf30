"""The trial as a picture: headache days per 28 in each period, in order, a bar per
period coloured by its arm, with a text alternative that lists every figure.

Built on the Insights charts' figure, palette and legend (:mod:`calmcrown.insight.charts`),
so the trial's chart looks like the others and follows the same dim and light themes.
The ``none`` arm's bars are hatched as well as coloured, so that the arms stay apart when
the report is printed in black and white.
"""

from __future__ import annotations

from matplotlib.colors import to_rgba
from matplotlib.patches import Patch

from calmcrown.insight.charts import (
    HEIGHT_IN,
    PALETTES,
    TEXT_SIZE,
    Chart,
    Theme,
    _figure,
    _legend,
    _svg,
)
from calmcrown.insight.trial.analysis import PeriodResult, TrialAnalysis
from calmcrown.insight.trial.result_words import arm_words, period_dates

# Okabe and Ito's reddish purple for "no massage", beside the palette's blue (head) and
# orange (feet); toned down on the dim theme like the rest of its colours.
NO_MASSAGE: dict[Theme, str] = {"dim": "#a8789a", "light": "#CC79A7"}
HATCH = {"none": "///"}
HATCH_COLOUR: dict[Theme, str] = {"dim": "#25282d", "light": "#ffffff"}
"""Stripes of the page's own tone: lighter than the fill on paper, darker on the dim page."""
FILL_ALPHA: dict[Theme, float] = {"dim": 0.55, "light": 0.8}
"""A block of solid colour is the brightest thing on a dim page: its bars are half filled."""
DATES_EVERY_PERIOD = 6
"""Up to this many periods, each tick on a phone-width chart carries its start date; more
would overlap, so then only each block's first period does (the table has every date)."""
Y_TOP = 28.0


def arm_colours(theme: Theme) -> dict[str, str]:
    palette = PALETTES[theme]
    return {"head": palette.after, "feet": palette.before, "none": NO_MASSAGE[theme]}


def _tick(result: PeriodResult, dated: bool) -> str:
    period = result.period
    return f"{period.index}\n{period.start:%-d %b}" if dated else str(period.index)


def _figure_text(result: PeriodResult) -> str:
    """What one period's bar says, for the text alternative."""
    rate = result.headache_days_per_28
    if result.over:
        return "no analysed days" if rate is None else f"{rate:.1f}"
    if not result.analysable_days:
        return "to come"
    return "running, no analysed days yet" if rate is None else f"running, {rate:.1f} so far"


def period_chart(analysis: TrialAnalysis, theme: Theme = "dim", wide: bool = False) -> Chart:
    """Headache days per 28 analysed days in each period; an unfinished period is drawn
    hollow with a dashed edge, one yet to come is only named on its tick."""
    palette = PALETTES[theme]
    colours = arm_colours(theme)
    trial = analysis.design
    figure, axes = _figure(palette, height=HEIGHT_IN * 1.2, wide=wide)
    unfinished = False
    for result in analysis.periods:
        index, arm = result.period.index, result.period.arm
        rate = result.headache_days_per_28
        colour = colours[arm]
        if rate is None:
            label = "to come" if not result.over and not result.analysable_days else "no days"
            axes.text(index, 0.6, label, ha="center", va="bottom", rotation=90,
                      color=palette.text, fontsize=TEXT_SIZE - 2)  # fmt: skip
            continue
        finished = result.over
        unfinished |= not finished
        # Half filled on the dim theme, its edge full strength; hollow while unfinished.
        fill = to_rgba(colour, FILL_ALPHA[theme]) if finished else "none"
        axes.bar(index, rate, width=0.72, facecolor=fill, edgecolor=colour,
                 linewidth=1.2 if finished else 1.6, linestyle="-" if finished else "--",
                 hatch=HATCH.get(arm),
                 hatchcolor=HATCH_COLOUR[theme] if finished else colour)  # fmt: skip
        axes.text(index, rate + 0.5, f"{rate:.1f}" + ("" if finished else "\nso far"),
                  ha="center", va="bottom", color=palette.text,
                  fontsize=TEXT_SIZE - 2)  # fmt: skip
    # A faint line between blocks: each block holds every arm once, in a random order.
    arms_per_block = len(trial.arms)
    for edge in range(arms_per_block, len(analysis.periods), arms_per_block):
        axes.axvline(edge + 0.5, color=palette.grid, linewidth=0.8)
    count = len(analysis.periods)
    every = wide or count <= DATES_EVERY_PERIOD
    axes.set_xticks(
        [r.period.index for r in analysis.periods],
        [_tick(r, every or (r.period.index - 1) % arms_per_block == 0) for r in analysis.periods],
    )
    axes.tick_params(axis="x", length=0, labelsize=TEXT_SIZE - 1)
    axes.set_xlim(0.4, count + 0.6)
    axes.set_ylim(0, Y_TOP * 1.12)
    axes.set_yticks(range(0, 29, 7))
    axes.set_ylabel("headache days per 28")
    washout = (f"; its first {trial.washout_days} days (washout) not counted"
               if trial.washout_days else "")  # fmt: skip
    axes.set_xlabel(f"period and its first date{washout}", color=palette.text,
                    fontsize=TEXT_SIZE - 1)  # fmt: skip
    axes.grid(axis="y", color=palette.grid, linewidth=0.5)
    entries = [
        (Patch(facecolor=to_rgba(colours[arm], FILL_ALPHA[theme]), edgecolor=colours[arm],
               hatch=HATCH.get(arm), hatchcolor=HATCH_COLOUR[theme]), arm_words(arm))
        for arm in trial.arms
    ]  # fmt: skip
    if unfinished:
        entries.append(
            (Patch(facecolor="none", edgecolor=palette.text, linestyle="--"), "not finished")
        )
    _legend(axes, palette, entries, loc="lower center", bbox_to_anchor=(0.5, 1.0),
            ncol=len(entries), handlelength=1.4, columnspacing=1.0)  # fmt: skip
    return Chart(_svg(figure), _alt(analysis), "Headache days per 28 in each period")


def _alt(analysis: TrialAnalysis) -> str:
    trial = analysis.design
    washout = (f" (the first {trial.washout_days} days of each period, the washout, are "
               "not counted)" if trial.washout_days else "")  # fmt: skip
    periods = "; ".join(
        f"period {r.period.index}, {arm_words(r.period.arm)}, "
        f"{period_dates(r.period.start, r.period.end)}: {_figure_text(r)}"
        for r in analysis.periods
    )
    return (
        f"Headache days per 28 analysed days in each of the {len(analysis.periods)} "
        f"periods, a bar per period coloured by its arm{washout}: {periods}."
    )
