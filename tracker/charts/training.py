"""Charts of her training and symptoms: weekly volume, pain and night cramps, weekly adherence.

Same rules as ``tracker.charts.figures`` (series in, bytes out, no ORM, two sizes). A week is drawn
as a bar centred on its Monday and labelled by it ("Week starting"). This week is unfinished: its
bars are outlined and hatched and say "so far", never drawn as a collapse or a low percentage.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from tracker.charts import style
from tracker.charts.style import INK, MUTED, SIDE_STYLE, SMALL_PT, render
from tracker.charts.style import not_enough_data_figure as _not_enough_data_figure
from tracker.formatting import sessions_count
from tracker.metrics import ADHERENCE_FOR_WORSENING_FLAG, PAIN_ACCEPTABLE_MAX

if TYPE_CHECKING:
    from datetime import date

    from tracker.selectors.series import AdherenceWeek, PainPoint, VolumeWeek

WEEK_LABEL = "Week starting (Monday)"
SO_FAR = "so far"
PAUSED = "paused"  # this week's adherence bar while a warning sign pauses her programme


def _bars(ax, x, heights, *, width: float, label: str | None = None, **look) -> PolyCollection:
    """Vertical bars as ONE collection: drawing and writing SVG cost no longer grows per bar."""
    half = width / 2
    rectangles = [
        [(centre - half, 0.0), (centre - half, height), (centre + half, height), (centre + half, 0.0)]
        for centre, height in zip(x, heights, strict=True)
    ]
    bars = PolyCollection(rectangles, closed=True, label=label, **look)
    ax.add_collection(bars, autolim=True)
    ax.autoscale_view()
    return bars


def _bar_width_days(dates, fraction: float) -> float:
    """A bar width (days) that fits the closest pair of dates."""
    ordered = sorted(set(dates))
    gaps = [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False) if (b - a).days > 0]
    return max(0.4, fraction * min(gaps, default=7))


def _week_axis(ax: Axes, starts, size: str, label: str, pad: float) -> None:
    """The time axis of bars centred on the first day of their week (month, ...); `pad` days each side."""
    style.date_axis(ax, starts, size=size, weekly=True)
    pad = max(4.0, pad)
    ax.set_xlim(mdates.date2num(min(starts)) - pad, mdates.date2num(max(starts)) + pad)
    ax.grid(False, axis="x")
    ax.set_xlabel(label, fontsize=style.LABEL_PT, color=INK)


def _so_far_note(ax: Axes, x: float, y: float, text: str = SO_FAR) -> None:
    ax.annotate(
        text,
        xy=(x, y),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=SMALL_PT,
        color=INK,
        annotation_clip=False,
        zorder=6,
    )


# --- Weekly training volume ----------------------------------------------------------------------

VOLUME_PANELS = (  # attribute prefix, y label, value formatter
    ("", "Sets × reps", "{:,.0f}"),
    ("load_", "Load (kg lifted)", "{:,.0f}"),
    ("stretch_", "Stretch (minutes)", "{:,.0f}"),
)


def _leg_bars(ax: Axes, weeks, centres, width: float, prefix: str) -> list:
    """Per leg: finished weeks filled, this week outlined and hatched ("so far")."""
    handles = []
    for side, offset, hatch in (("left", -0.5, "///"), ("right", 0.5, "..")):
        colour = SIDE_STYLE[side]["color"]
        values = [float(getattr(w, f"{prefix}{side}") or 0) for w in weeks]
        done = [0.0 if w.so_far else v for w, v in zip(weeks, values, strict=True)]
        handles.append(
            _bars(
                ax,
                centres + offset * width,
                done,
                width=width,
                color=colour,
                edgecolor="white",
                hatchcolor="white",
                hatch=hatch,
                linewidth=0.6,
                label=SIDE_STYLE[side]["name"],
                zorder=2,
            )
        )
        if weeks[-1].so_far:
            _bars(
                ax,
                [centres[-1] + offset * width],
                [values[-1]],
                width=width,
                facecolor="white",
                edgecolor=colour,
                hatch=hatch,
                hatchcolor=colour,
                linewidth=1.4,
                zorder=2,
            )
    return handles


def _legs_in_the_programme(weeks) -> list[str]:
    """The legs trained or prescribed in the range: a right-leg programme has no "Left calf" in its
    legend, for bars that are never drawn."""
    return [
        side
        for side in ("left", "right")
        if any(getattr(w, side) or getattr(w, f"prescribed_{side}") for w in weeks)
    ]


def _prescribed_lines(ax: Axes, weeks, centres, width: float) -> list:
    """Each leg's own prescribed weekly volume as a short line over its bar (gaps where none)."""
    handles = []
    for side, offset in (("left", -0.5), ("right", 0.5)):
        values = [style.nan(getattr(w, f"prescribed_{side}")) for w in weeks]
        if all(math.isnan(v) for v in values):
            continue
        xs: list[float] = []
        ys: list[float] = []
        for centre, value in zip(centres, values, strict=True):
            x = centre + offset * width
            xs += [x - width * 0.75, x + width * 0.75, math.nan]
            ys += [value, value, math.nan]
        (line,) = ax.plot(
            xs,
            ys,
            color=SIDE_STYLE[side]["color"],
            linewidth=2.2,
            solid_capstyle="butt",
            zorder=3,
            path_effects=[patheffects.withStroke(linewidth=4.2, foreground=INK)],
        )
        line.set_label(f"Prescribed, {side}")
        handles.append(line)
    return handles


def _volume_figure(weeks: list[VolumeWeek], size: str = "wide", axis_label: str = WEEK_LABEL) -> Figure:
    title = "Weekly training volume"
    weeks = sorted(weeks, key=lambda w: w.week_start)
    if style.distinct(w.week_start for w in weeks) < 2:
        return _not_enough_data_figure(title, size=size)
    panels = [
        panel
        for panel in VOLUME_PANELS
        if panel[0] == ""
        or any(getattr(w, f"{panel[0]}left") or getattr(w, f"{panel[0]}right") for w in weeks)
    ]
    fig, axes = style.new_figure(title, size, len(panels), height_ratios=[1.5] + [1] * (len(panels) - 1))
    axes = axes if isinstance(axes, list) else [axes]
    starts = [w.week_start for w in weeks]
    centres = mdates.date2num(starts)
    width = _bar_width_days(starts, 0.38)
    handles = []
    for (prefix, label, number), ax in zip(panels, axes, strict=True):
        bars = _leg_bars(ax, weeks, centres, width, prefix)
        if prefix == "":
            shown = {SIDE_STYLE[side]["name"] for side in _legs_in_the_programme(weeks)}
            handles += [bar for bar in bars if bar.get_label() in shown]
            handles += _prescribed_lines(ax, weeks, centres, width)
        if weeks[-1].so_far:
            top = max(float(getattr(weeks[-1], f"{prefix}{side}") or 0) for side in ("left", "right"))
            _so_far_note(ax, centres[-1], top)
        ax.set_ylim(bottom=0)
        ax.margins(y=0.18)
        if ax.get_ylim()[1] < 1:  # an average week of a long period can be a fraction: ticks 0 and 1
            ax.set_ylim(0, 1)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos, number=number: number.format(v)))
        style.y_label(ax, label)
    _week_axis(axes[-1], starts, size, axis_label, pad=width * 1.2)
    style.legend_below(fig, handles)
    return fig


def volume_chart(
    weeks: list[VolumeWeek], fmt: str = "svg", size: str = "wide", axis_label: str = WEEK_LABEL
) -> bytes:
    """Weekly volume per leg (sets × reps) against each leg's prescription; the load lifted (sets ×
    reps × kg) and the time under stretch in their own panels when she logged any. On long charts
    each bar is an average week of a month, quarter or year (`axis_label` says which)."""
    style.check_fmt(fmt)
    return render(_volume_figure(weeks, size, axis_label), fmt)


# --- Pain and night cramps -----------------------------------------------------------------------

# Drawn in this order, each thinner and smaller than the one before, so that equal values (pain
# after exercise often is the pain during it) show both: a square inside a ring, a line on a wider one.
PAIN_SERIES = (  # attribute, legend label, colour, line style, line width, marker, its size, filled
    ("during", "During exercise", style.VERMILLION, "-", 2.8, "o", 9, False),
    ("after", "After exercise", style.BLUE, "-.", 1.6, "s", 5, True),
    ("next_morning", "Next morning", style.GREEN, ":", 1.6, "^", 6, True),
)
PAIN_FIELDS = ("during", "after", "next_morning", "night_cramps")


def _pain_figure(points: list[PainPoint], size: str = "wide", until: date | None = None) -> Figure:
    """Pain (0-10) above; night cramps (a count) in their own panel below; an unanswered day is a gap."""
    title = "Pain and night cramps"
    points = sorted(
        (p for p in points if any(getattr(p, f) is not None for f in PAIN_FIELDS)), key=lambda p: p.date
    )
    if style.distinct(p.date for p in points) < 2:
        return _not_enough_data_figure(title, size=size)
    dates = [p.date for p in points]
    cramps = [p.night_cramps for p in points]
    with_cramps = any(c is not None for c in cramps)
    if with_cramps:
        fig, (ax, lower) = style.new_figure(title, size, 2, height_ratios=[2.2, 1])
    else:
        fig, ax = style.new_figure(title, size)
    scale = style.marker_scale(len(dates))
    handles = []
    for name, label, colour, line_style, width, marker, marker_size, filled in PAIN_SERIES:
        values = [style.nan(getattr(p, name)) for p in points]
        if all(math.isnan(v) for v in values):
            continue
        (line,) = ax.plot(
            dates,
            values,
            color=colour,
            linestyle=line_style,
            linewidth=width if scale == 1 else width * 0.8,
            marker=marker,
            markersize=marker_size * scale,
            markerfacecolor=colour if filled else "white",
            markeredgewidth=1.6,
            label=label,
            zorder=4,
        )
        handles.append(line)
    handles.append(
        ax.axhline(
            PAIN_ACCEPTABLE_MAX,
            color=INK,
            linestyle=(0, (5, 3)),
            linewidth=1.3,
            label=f"Acceptable limit {PAIN_ACCEPTABLE_MAX}/10",
            zorder=3,
        )
    )
    ax.set_ylim(-0.3, 10.3)
    ax.yaxis.set_major_locator(MultipleLocator(2 if size == "wide" else 5))
    style.y_label(ax, "Pain (0-10)")
    last = ax
    if with_cramps:
        answered = [(d, c) for d, c in zip(dates, cramps, strict=True) if c is not None]
        lower.plot(
            [d for d, c in answered if not c],
            [0] * sum(1 for _d, c in answered if not c),
            linestyle="none",
            marker="_",
            markersize=8,
            color=MUTED,
            zorder=3,
        )
        handles.append(
            _bars(
                lower,
                mdates.date2num([d for d, _c in answered]),
                [float(c) for _d, c in answered],
                width=_bar_width_days(dates, 0.6),
                color="#9A9A9A",
                edgecolor="#6F6F6F",
                linewidth=0.6,
                label="Night cramps (a gap: not answered)",
                zorder=2,
            )
        )
        most = max([4] + [math.ceil(c) for _d, c in answered])
        lower.set_ylim(0, most * 1.15)
        lower.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True))
        style.y_label(lower, "Cramps")
        last = lower
    style.date_axis(last, dates, size=size, until=until)
    style.legend_below(fig, handles)
    return fig


def pain_chart(
    points: list[PainPoint], fmt: str = "svg", size: str = "wide", until: date | None = None
) -> bytes:
    """Pain during, after exercise and next morning (gaps where not logged) and, in a panel of their
    own, night cramps (a gap where the question was not answered); the date axis runs to `until`."""
    style.check_fmt(fmt)
    return render(_pain_figure(points, size, until), fmt)


# --- Weekly adherence ----------------------------------------------------------------------------

ADHERENCE_REFERENCE = ADHERENCE_FOR_WORSENING_FLAG  # dashed line: the adherence the review flag needs
LABELLED_BARS_MAX = 60  # beyond (long charts), no "0%" or "no programme" under each bar: they overlap


def _adherence_figure(
    weeks: list[AdherenceWeek], size: str = "wide", axis_label: str = WEEK_LABEL, paused: bool = False
) -> Figure:
    title = "Weekly adherence"
    weeks = sorted(weeks, key=lambda w: w.week_start)
    if style.distinct(w.week_start for w in weeks if w.percent is not None) < 2:
        return _not_enough_data_figure(title, size=size)
    starts = [w.week_start for w in weeks]
    centres = mdates.date2num(starts)
    width = _bar_width_days(starts, 0.7)
    fig, ax = style.new_figure(title, size)
    finished = [0.0 if w.percent is None or w.so_far else min(100.0, w.percent) for w in weeks]
    _bars(ax, centres, finished, width=width, color=style.SKY, edgecolor=style.BLUE, linewidth=0.8, zorder=2)
    for centre, week in zip(centres, weeks, strict=True):
        if week.so_far and week.expected:
            # The week is not over: an outline of the whole week, filled as far as she has got. While
            # a warning sign pauses her programme, no outline: the rest of the week is not asked of her.
            if not paused:
                _bars(
                    ax,
                    [centre],
                    [100.0],
                    width=width,
                    facecolor="white",
                    edgecolor=style.BLUE,
                    linewidth=1.4,
                    linestyle="--",
                    zorder=2,
                )
            _bars(
                ax,
                [centre],
                [min(100.0, 100.0 * week.done / week.expected)],
                width=width,
                facecolor="white",
                edgecolor=style.BLUE,
                hatch="///",
                hatchcolor=style.BLUE,
                linewidth=0,
                zorder=2,
            )
            done = f"{week.done} done" if paused else sessions_count(week.done, week.expected)
            note = f"{done}\n{PAUSED if paused else SO_FAR}"
            _so_far_note(ax, centre, 100.0, note)
            continue
        if len(weeks) > LABELLED_BARS_MAX:
            continue  # too many bars to label each: the table has them
        if week.percent is None:
            text, colour, rotation = "no programme", "#595959", 90
        elif week.percent == 0:
            text, colour, rotation = "0%", INK, 0
        else:
            continue
        ax.annotate(
            text,
            xy=(centre, 0),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            rotation=rotation,
            fontsize=SMALL_PT,
            color=colour,
        )
    ax.axhline(100, color=MUTED, linewidth=1.0, zorder=3)
    ax.axhline(ADHERENCE_REFERENCE, color=INK, linestyle=(0, (5, 3)), linewidth=1.3, zorder=3)
    style.edge_label(ax, ADHERENCE_REFERENCE, f"{ADHERENCE_REFERENCE:g}%", color=INK, left=True)
    _week_axis(ax, starts, size, axis_label, pad=width * 0.6)
    ax.set_ylim(0, 128)
    ax.set_yticks(range(0, 101, 20 if size == "wide" else 50))
    style.y_label(ax, "Sessions done (%)")
    return fig


def adherence_chart(
    weeks: list[AdherenceWeek],
    fmt: str = "svg",
    size: str = "wide",
    axis_label: str = WEEK_LABEL,
    paused: bool = False,
) -> bytes:
    """Weekly adherence bars (0-100 %), a dashed reference at 70 %; this week as "2 of 4 so far", or
    "2 done, paused" while a warning sign pauses her programme (`paused`). On long charts a bar per
    month, quarter or year (`axis_label` says which)."""
    style.check_fmt(fmt)
    return render(_adherence_figure(weeks, size, axis_label, paused), fmt)
