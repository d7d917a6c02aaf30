"""The analysis as pictures: SVG drawn by matplotlib on the server, each with a text
alternative that says what the picture shows.

Colours are Okabe and Ito's colour-blind-safe set, toned for the theme: on the dim
theme nothing is bright (the page is for people who may be sensitive to light), on the
light theme and in the PDF they are full strength. Figures are built with matplotlib's
object API on the Agg-free SVG canvas: no pyplot, no global state between requests.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from calmcrown.insight.analysis import Analysis
from calmcrown.insight.inputs import SessionFacts
from calmcrown.insight.periods import DayRecord
from calmcrown.insight.sessions import practised

Theme = Literal["dim", "light"]
CALENDAR_WEEKS = 26
ROLLING_DAYS = 28
WIDTH_IN, HEIGHT_IN = 4.8, 2.2  # narrow enough that its text stays legible on a phone
# A desktop column's width at the same text size: the page offers it to wide screens.
WIDE_IN, WIDE_TALLER = 9.6, 1.4  # inches wide, and how much taller than the phone's
TEXT_SIZE = 11  # points: about 12 px once a chart is scaled to a phone's width

matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable
matplotlib.rcParams["svg.hashsalt"] = "calmcrown"  # the same data draws the same bytes


@dataclass(frozen=True)
class Palette:
    text: str
    grid: str
    before: str  # pain before a session; the baseline
    after: str  # pain after; the practice
    mark: str  # the practice start
    free: str  # a recorded day without headache: tinted, so it differs from "not recorded"
    scale: tuple[str, str]  # intensity 1 -> 10


PALETTES: dict[Theme, Palette] = {
    # Okabe-Ito blue #0072B2, orange #E69F00, bluish green #009E73, darkened for the dim
    # theme's dark, low-contrast page.
    # The calendar's shades differ in lightness, not in hue alone (tests/insight/
    # test_charts.py): no headache, mild and severe stay apart in greyscale too.
    "dim": Palette("#c9c6c0", "#3a3e44", "#c08a1e", "#4f9bc4", "#8fb3a8", "#26403a",
                   ("#6e5a2e", "#c08a2e")),
    "light": Palette("#2b2a28", "#d8d3c8", "#E69F00", "#0072B2", "#009E73", "#cfe6dc",
                     ("#dca64a", "#8f5200")),
}  # fmt: skip


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str
    title: str

    @property
    def data_uri(self) -> str:
        """For an <img>: the page's policy allows data: images, and WeasyPrint reads them."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def _figure(palette: Palette, height: float = HEIGHT_IN, wide: bool = False) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDE_IN, height * WIDE_TALLER) if wide else (WIDTH_IN, height))
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    figure.patch.set_alpha(0)
    axes.set_facecolor("none")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(palette.grid)
    axes.tick_params(colors=palette.text, labelsize=TEXT_SIZE)
    axes.set_axisbelow(True)  # grid lines behind bars and points
    axes.yaxis.label.set_color(palette.text)
    return figure, axes


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def calendar(analysis: Analysis, theme: Theme = "dim", wide: bool = False) -> Chart:
    """The last 26 weeks as a calendar: a square per day, its shade the worst intensity."""
    palette = PALETTES[theme]
    last = analysis.end or dt.date.today()
    first = last - dt.timedelta(days=last.weekday() + 7 * (CALENDAR_WEEKS - 1))
    if analysis.records and analysis.records[0].date > first:
        # A diary younger than the calendar starts at its own first week, so the weeks
        # before it are not drawn as "not recorded".
        begun = analysis.records[0].date
        first = begun - dt.timedelta(days=begun.weekday())
    by_date = {r.date: r for r in analysis.records}
    shades = LinearSegmentedColormap.from_list("intensity", palette.scale)
    figure, axes = _figure(palette, height=2.6, wide=wide)
    headache = unknown = 0
    day = max(first, analysis.records[0].date) if analysis.records else first
    while day <= last:
        column, row = (day - first).days // 7, day.weekday()
        record = by_date.get(day)
        if record is None:
            unknown += 1
            axes.add_patch(_square(column, row, "none", palette.grid))
        elif record.headache:
            headache += 1
            shade = shades(((record.intensity or 5) - 1) / 9)
            axes.add_patch(_square(column, row, shade, shade))
        else:
            axes.add_patch(_square(column, row, palette.free, palette.free))
        if day == analysis.practice_start:
            axes.add_patch(_square(column, row, "none", palette.mark, width=2.0))
        day += dt.timedelta(days=1)
    weeks = (last - first).days // 7 + 1
    axes.set_xlim(-0.5, max(weeks, 8) - 0.5)
    axes.set_ylim(6.6, -0.6)
    axes.set_yticks([0, 2, 4, 6], ["Mon", "Wed", "Fri", "Sun"])
    months = [(i, first + dt.timedelta(weeks=i)) for i in range(weeks)]
    ticks = [(i, d) for i, d in months if d.day <= 7]
    axes.set_xticks([i for i, _ in ticks], [d.strftime("%b") for _, d in ticks])
    axes.set_aspect("equal")
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    _legend(axes, palette, [
        (Patch(facecolor=palette.free, edgecolor=palette.free), "no headache"),
        (Patch(facecolor="none", edgecolor=palette.grid), "not recorded"),
        (Patch(facecolor=palette.scale[0], edgecolor=palette.scale[0]), "mild"),
        (Patch(facecolor=palette.scale[1], edgecolor=palette.scale[1]), "severe"),
    ], loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=4)  # fmt: skip
    span = f"{first:%-d %B %Y} to {last:%-d %B %Y}"
    start = analysis.practice_start
    shown = start is not None and first <= start <= last
    alt = (
        f"Calendar of {span}, a square a day: {headache} headache days, a stronger "
        "colour for worse pain"
        + (f"; {unknown} days not recorded, drawn as empty outlines" if unknown else "")
        + (f"; the practice began on {start:%-d %B %Y}, outlined." if shown and start else ".")
    )
    return Chart(_svg(figure), alt, "Headache days")


def _legend(axes: Axes, palette: Palette, entries: Sequence[tuple[Any, str]] = (),
            **placement: Any) -> None:  # fmt: skip
    """A frameless legend in the theme's text colour: of ``entries`` (handle, label), or
    of the labelled artists when none are given."""
    given = [[handle for handle, _ in entries], [label for _, label in entries]]
    legend = axes.legend(*(given if entries else []), frameon=False, fontsize=TEXT_SIZE - 1,
                         **placement)  # fmt: skip
    for text in legend.get_texts():
        text.set_color(palette.text)


def _square(column: int, row: int, fill: Any, edge: Any, width: float = 0.6) -> Rectangle:
    return Rectangle((column - 0.42, row - 0.42), 0.84, 0.84, facecolor=fill,
                     edgecolor=edge, linewidth=width)  # fmt: skip


def rolling_frequency(analysis: Analysis, theme: Theme = "dim", wide: bool = False) -> Chart:
    """Headache days per 28 recorded days over a sliding 28-day window."""
    palette = PALETTES[theme]
    points = _rolling(analysis.records)
    figure, axes = _figure(palette, wide=wide)
    if points:
        axes.plot(_days([d for d, _ in points]), [v for _, v in points], color=palette.after,
                  linewidth=1.6)  # fmt: skip
    start = analysis.practice_start
    if start is not None:
        (x,) = _days([start])
        axes.axvline(x, color=palette.mark, linestyle="--", linewidth=1.2)
        axes.annotate("practice began", (x, 28), xytext=(4, 0), textcoords="offset points",
                      color=palette.text, fontsize=TEXT_SIZE, va="top")  # fmt: skip
    _date_axis(axes, [d for d, _ in points] or ([start] if start else []))
    axes.set_ylim(0, 28)
    axes.set_ylabel("headache days per 28")
    axes.grid(axis="y", color=palette.grid, linewidth=0.5)
    before = analysis.baseline.headache_days_per_28
    after = analysis.practice.headache_days_per_28
    alt = (
        "Headache days per 28 days, over a sliding 28-day window"
        + (f": {before:.1f} on average before the practice" if before is not None else "")
        + (f" and {after:.1f} since it began" if after is not None else "")
        + "."
    )
    return Chart(_svg(figure), alt, "Headache days per 28 days over time")


def _days(dates: Sequence[dt.date]) -> list[float]:
    """Dates as matplotlib's day numbers, which its typed API takes."""
    return [float(value) for value in mdates.date2num(list(dates))]  # type: ignore[no-untyped-call]


def _date_axis(axes: Axes, dates: Sequence[dt.date]) -> None:
    if len(set(dates)) < 2:
        # A single day has no range to place ticks in: label it plainly.
        axes.set_xticks(_days(dates[:1]), [f"{d:%-d %b}" for d in dates[:1]])
        return
    locator = mdates.AutoDateLocator(maxticks=6)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    # Days as "8", not "08"; the year once, on its own, not as "2026-Dec".
    formatter = mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
        locator,
        formats=["%Y", "%b", "%-d", "%H:%M", "%H:%M", "%S"],
        offset_formats=["", "%Y", "%Y", "%Y", "%Y", "%Y"],
    )
    axes.xaxis.set_major_formatter(formatter)


def _rolling(records: Sequence[DayRecord]) -> list[tuple[dt.date, float]]:
    """(last date of window, headache days per 28 recorded days) for windows with at
    least half their days recorded; one point a week once the diary is past a year."""
    if not records:
        return []
    first = records[0].date
    span = (records[-1].date - first).days + 1
    recorded = np.zeros(span)
    headache = np.zeros(span)
    for record in records:
        offset = (record.date - first).days
        recorded[offset] = 1
        headache[offset] = record.headache
    # Window sums by convolution: one pass, whatever the length of the diary.
    known = np.convolve(recorded, np.ones(ROLLING_DAYS), mode="valid")
    days = np.convolve(headache, np.ones(ROLLING_DAYS), mode="valid")
    step = 1 if span <= 366 else 7
    points = []
    for index in range(0, len(known), step):
        if known[index] >= ROLLING_DAYS // 2:
            end = first + dt.timedelta(days=index + ROLLING_DAYS - 1)
            points.append((end, float(days[index] / known[index] * ROLLING_DAYS)))
    return points


def session_pain(analysis: Analysis, theme: Theme = "dim", wide: bool = False) -> Chart:
    """Pain before and after each rated session of the last 26 weeks: a line from one to
    the other (older sessions are in the figures, not drawn: thousands of lines would
    say less)."""
    palette = PALETTES[theme]
    last = analysis.end or dt.date.today()
    began = analysis.practice.start or last
    shown_from = max(last - dt.timedelta(weeks=CALENDAR_WEEKS), began - dt.timedelta(days=1))
    # The sessions of the practice period, as the figures count them.
    rated = [(s.date, s.pain_before, s.pain_after) for s in practised(analysis.sessions)
             if s.pain_before is not None and s.pain_after is not None
             and shown_from < s.date <= last]  # fmt: skip
    figure, axes = _figure(palette, wide=wide)
    when = _days([date for date, _, _ in rated])
    before = [float(b) for _, b, _ in rated]
    after = [float(a) for _, _, a in rated]
    if rated:
        axes.vlines(when, before, after, color=palette.grid, linewidth=1.2)
        axes.scatter(when, before, s=14, color=palette.before, label="before", zorder=3)
        axes.scatter(when, after, s=14, color=palette.after, marker="s", label="after",
                     zorder=3)  # fmt: skip
        _date_axis(axes, [date for date, _, _ in rated])
        _legend(axes, palette, loc="upper right")
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(0, 11, 2))  # the scale's own whole numbers, not 2.5 and 7.5
    axes.set_ylabel("pain, 0-10")
    axes.grid(axis="y", color=palette.grid, linewidth=0.5)
    change = analysis.immediate
    older = change.sessions - len(rated)
    alt = (
        f"Pain before (circles) and after (squares) {len(rated)} sessions"
        + (f" of the last {CALENDAR_WEEKS} weeks" if older > 0 else "")
        + (f"; over all {change.sessions}, {_pain_change(change.mean_change)} on average."
           if change.mean_change is not None else ".")
    )  # fmt: skip
    return Chart(_svg(figure), alt, "Pain before and after each session")


def _pain_change(mean: float) -> str:
    if round(mean, 1) == 0:
        return "pain did not change"
    return f"pain {'fell' if mean < 0 else 'rose'} by {abs(mean):.1f} points"


def sessions_per_week(analysis: Analysis, theme: Theme = "dim", wide: bool = False) -> Chart:
    """Sessions in each week since the practice began, against the plan."""
    palette = PALETTES[theme]
    start, end = analysis.practice_start, analysis.practice.end
    counts = _weekly_sessions(analysis.sessions, start, end)
    first_week = max(0, len(counts) - CALENDAR_WEEKS)
    figure, axes = _figure(palette, wide=wide)
    if counts:
        weeks = range(first_week + 1, len(counts) + 1)
        # Half-filled bars: a block of solid colour is the brightest thing on a dim page.
        axes.bar(weeks, counts[first_week:], color=palette.after, alpha=0.55, width=0.7,
                 edgecolor=palette.after)  # fmt: skip
    target = analysis.adherence.target_per_week
    if target:
        axes.axhline(target, color=palette.mark, linestyle="--", linewidth=1.2,
                     label=f"plan: {target} a week")  # fmt: skip
        # Headroom above the tallest bar, so the legend never sits on a bar.
        axes.set_ylim(0, max([target, *counts]) * 1.45 + 0.5)
        _legend(axes, palette, loc="upper left")
    axes.set_xlabel("week of practice", color=palette.text)
    axes.set_ylabel("sessions")
    axes.grid(axis="y", color=palette.grid, linewidth=0.5)
    shown = counts[first_week:]
    alt = (
        f"Sessions in each of the {len(shown)} "
        + ("latest weeks" if first_week else "weeks since the practice began")
        + (f", against a plan of {target} a week" if target else "")
        + f"; {sum(c >= 3 for c in shown)} of them had 3 or more."
    )
    return Chart(_svg(figure), alt, "Sessions a week")


def _weekly_sessions(
    sessions: Sequence[SessionFacts], start: dt.date | None, end: dt.date | None
) -> list[int]:
    if start is None or end is None or end < start:
        return []
    weeks = (end - start).days // 7 + 1
    counts = [0] * weeks
    for session in practised(sessions):
        if start <= session.date <= end:
            counts[(session.date - start).days // 7] += 1
    return counts


def all_charts(analysis: Analysis, theme: Theme = "dim", wide: bool = False) -> list[Chart]:
    """The charts that have something to draw (an empty axis says nothing to a person);
    ``wide``: drawn for a desktop column rather than a phone."""
    charts = []
    if analysis.records:
        charts += [calendar(analysis, theme, wide), rolling_frequency(analysis, theme, wide)]
    if any(s.pain_before is not None and s.pain_after is not None
           for s in practised(analysis.sessions)):  # fmt: skip
        charts.append(session_pain(analysis, theme, wide))
    if any(_weekly_sessions(analysis.sessions, analysis.practice_start, analysis.practice.end)):
        charts.append(sessions_per_week(analysis, theme, wide))
    return charts
