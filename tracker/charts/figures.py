"""Charts for the Calf Rehab Tracker: the series of ``tracker.selectors.series`` in, SVG/PNG bytes out.

No ORM here: ``tracker.charts.data`` builds the series from aggregated queries, and views send
the bytes back as ``HttpResponse(body, content_type=CONTENT_TYPES[fmt])``.

Web-server rules (matplotlib's "Embed in a web application server"): ``matplotlib.pyplot`` is never
imported (it keeps global figures and leaks memory); every call builds its own
``matplotlib.figure.Figure``, draws it and saves it into a ``BytesIO``, so concurrent requests share
nothing mutable. The only global matplotlib setting is made once, at import time, and is constant:
a fixed ``svg.hashsalt`` (so the same data gives byte-identical SVG, which makes ETags and tests
stable) and ``svg.fonttype = "none"`` (text stays text: smaller files, selectable and readable by
screen readers). Changing rcParams per request, or with ``rc_context``, would race between threads,
so this module never does.

Design (a report a physiotherapist reads, often on a phone): 6.4 x 3.6 in figures, fonts >= 9 pt,
constrained layout, legend below the plot, concise date axis, light grid, the Okabe-Ito colour-blind
safe palette, and line styles and markers that differ as well as colours so that a greyscale print
still reads (left: blue, solid, circles; right: orange, dashed, squares). The involved leg is drawn
thicker with filled markers. Thresholds come from ``tracker.metrics``; no clinical number is
restated here.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from tracker.metrics import (
    ADHERENCE_FOR_WORSENING_FLAG,
    GIRTH_ERROR_CM,
    HEEL_RISE_ERROR_REPS,
    LSI_GREEN_FROM,
    LSI_RED_BELOW,
    PAIN_ACCEPTABLE_MAX,
    cm_to_inches,
)

if TYPE_CHECKING:  # only for annotations: drawing needs no Django
    from tracker.selectors.series import (
        AdherenceWeek,
        GirthPoint,
        HeelRisePoint,
        LsiPoint,
        PainPoint,
        VolumeWeek,
    )

# Set once at import; both values are constants (see the module docstring).
matplotlib.rcParams["svg.hashsalt"] = "calf-rehab"
matplotlib.rcParams["svg.fonttype"] = "none"

__all__ = [
    "FORMATS",
    "CONTENT_TYPES",
    "render",
    "girth_chart",
    "symmetry_chart",
    "heel_rise_chart",
    "volume_chart",
    "pain_chart",
    "adherence_chart",
    "not_enough_data",
]

FORMATS = ("svg", "png")
CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
NOT_ENOUGH_DATA = "Not enough data yet: log at least two entries to see a trend."

# --- Look ----------------------------------------------------------------------------------------

FIGSIZE = (6.4, 3.6)  # inches
PNG_DPI = 150

# Okabe-Ito palette (colour-blind safe); its reddish purple #CC79A7 is not needed.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
YELLOW = "#F0E442"
INK = "#222222"  # text and reference lines
MUTED = "#555555"
GRID = "#DDDDDD"

TITLE_PT = 13
LABEL_PT = 11
TICK_PT = 10.5
LEGEND_PT = 10
SMALL_PT = 9.5  # the smallest text used anywhere

SIDE_STYLE = {
    "left": {"color": BLUE, "linestyle": "-", "marker": "o", "name": "Left calf"},
    "right": {"color": ORANGE, "linestyle": "--", "marker": "s", "name": "Right calf"},
}
MIN_SPAN_DAYS = 7  # the date axis always shows at least a week
INVOLVED_SIDES = ("left", "right", "both", "unknown")
UNITS = ("cm", "in")


# --- Output --------------------------------------------------------------------------------------


def render(fig: Figure, fmt: str) -> bytes:
    """Save ``fig`` as SVG or PNG bytes.

    SVG is deterministic (no date in its metadata, fixed hash salt for ids); PNG is 150 dpi. The
    figure's label, set by the chart functions to the chart title, becomes the file's title.
    """
    _check_fmt(fmt)
    metadata: dict[str, str | None] = {}
    if fig.get_label():
        metadata["Title"] = fig.get_label()
    if fmt == "svg":
        metadata["Date"] = None
    buf = BytesIO()
    fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=metadata, facecolor="white")
    return buf.getvalue()


# --- Shared helpers ------------------------------------------------------------------------------


def _fit_lines(text: str, size: float, width_pt: float) -> str:
    """Wrap text onto as many lines as it needs to fit width_pt."""
    chars = max(12, int(width_pt / (size * 0.6)))
    return textwrap.fill(text, chars) if len(text) > chars else text


def _new_figure(title: str, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """A fresh figure with one axes, styled; nothing shared between calls."""
    fig = Figure(figsize=figsize, facecolor="white", layout="constrained")
    fig.set_label(title)
    fig.get_layout_engine().set(h_pad=0.06, w_pad=0.06)
    ax = fig.add_subplot()
    width_pt = fig.get_figwidth() * 72 * 0.85
    ax.set_title(
        _fit_lines(title, TITLE_PT, width_pt),
        loc="left",
        fontsize=TITLE_PT,
        fontweight="bold",
        color=INK,
        pad=8,
    )
    ax.grid(True, color=GRID, linewidth=0.7)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(labelsize=TICK_PT, colors=INK, length=3)
    return fig, ax


def _date_axis(ax: Axes, dates: Sequence[date], locator: mdates.DateLocator | None = None) -> None:
    """Concise date ticks; a range of at least a week, so that ticks are days, never hours."""
    locator = locator or mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.xaxis.get_offset_text().set_fontsize(SMALL_PT)
    first, last = mdates.date2num(min(dates)), mdates.date2num(max(dates))
    if last - first < MIN_SPAN_DAYS:
        pad = (MIN_SPAN_DAYS - (last - first)) / 2
        ax.set_xlim(first - pad, last + pad)


def _renderer(fig: Figure) -> RendererAgg:
    """An Agg renderer for measuring text (the figure gets its own Agg canvas; nothing shared)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()


def _legend_below(fig: Figure, handles: Sequence) -> Legend:
    """The legend outside the plot, under it, so it never covers data.

    As many columns as fit the figure's width (measured, not guessed): one row on a wide figure,
    two or more on a narrow one.
    """
    labels = [h.get_label() for h in handles]
    renderer = _renderer(fig)
    room = fig.bbox.width * 0.97
    candidates = sorted({math.ceil(len(handles) / rows) for rows in range(1, len(handles) + 1)}, reverse=True)
    for ncol in candidates:
        legend = fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=ncol,
            fontsize=LEGEND_PT,
            frameon=False,
            handlelength=2.4,
            columnspacing=1.3,
        )
        if ncol == 1 or legend.get_window_extent(renderer).width <= room:
            return legend
        legend.remove()
    raise AssertionError("unreachable")  # pragma: no cover


def _plot_height_px(fig: Figure, ax: Axes) -> float:
    """Roughly how high the plot area will be once laid out: the figure less title, legend, x axis."""
    renderer = _renderer(fig)
    used = ax.title.get_window_extent(renderer).height
    used += sum(legend.get_window_extent(renderer).height for legend in fig.legends)
    used += (2 * TICK_PT * 1.3 + 38) * fig.dpi / 72  # x tick labels, date offset line, paddings
    return fig.bbox.height - used


def _axis_labels(fig: Figure, ax: Axes, text: str, *, right: tuple[Axes, str] | None = None) -> None:
    """The y-axis label(s), split over two lines when a label is longer than the plot is high."""
    renderer = _renderer(fig)
    room = _plot_height_px(fig, ax)
    labels = [(ax, text, INK)] + ([(right[0], right[1], MUTED)] if right else [])
    for axes, label, colour in labels:
        axes.set_ylabel(label, fontsize=LABEL_PT, color=colour)
        if axes.yaxis.label.get_window_extent(renderer).height > room and " " in label:
            axes.set_ylabel(_split_in_two(label), fontsize=LABEL_PT, color=colour, linespacing=1.1)


def _split_in_two(text: str) -> str:
    """Break a label at the space nearest its middle (before a bracket when there is one)."""
    if " (" in text:
        head, tail = text.split(" (", 1)
        return f"{head}\n({tail}"
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return f"{text[:cut]}\n{text[cut + 1 :]}"


def _distinct(dates: Iterable[date]) -> int:
    return len(set(dates))


def _nan(value) -> float:
    return math.nan if value is None else float(value)


def _bar_width_days(dates: Sequence[date], fraction: float) -> float:
    """A bar width (days) that fits the closest pair of dates."""
    ordered = sorted(set(dates))
    gaps = [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False) if (b - a).days > 0]
    return max(0.4, fraction * min(gaps, default=7))


def _side_label(side: str, involved_side: str) -> str:
    name = SIDE_STYLE[side]["name"]
    return f"{name} (involved)" if side == involved_side else name


def _side_line(ax: Axes, side: str, involved_side: str, dates, values, scale: float = 1.0) -> Line2D:
    """One leg's line: the involved leg thicker with filled markers, the other with open markers."""
    style = SIDE_STYLE[side]
    highlighted = involved_side in ("left", "right")
    involved = side == involved_side
    if not highlighted:
        width, face, size, z = 2.0, style["color"], 5.5, 3
    elif involved:
        width, face, size, z = 3.0, style["color"], 6.5, 4
    else:
        width, face, size, z = 1.4, "white", 5.0, 3
    (line,) = ax.plot(
        dates,
        values,
        color=style["color"],
        linestyle=style["linestyle"],
        linewidth=width,
        marker=style["marker"],
        markersize=size * scale,
        markerfacecolor=face,
        markeredgecolor=style["color"],
        markeredgewidth=1.3,
        label=_side_label(side, involved_side),
        zorder=z,
    )
    return line


def _check_involved(involved_side: str) -> None:
    if involved_side not in INVOLVED_SIDES:
        raise ValueError(
            f"Unknown involved side {involved_side!r}; expected one of {', '.join(INVOLVED_SIDES)}."
        )


def _check_fmt(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown chart format {fmt!r}; expected one of {', '.join(FORMATS)}.")


def _right_edge_label(ax: Axes, y: float, text: str, color: str = MUTED) -> None:
    """Text just outside the right edge of the plot at data height y (counted in the layout)."""
    ax.annotate(
        text,
        xy=(1, y),
        xycoords=ax.get_yaxis_transform(),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=SMALL_PT,
        color=color,
        annotation_clip=False,
    )


def _value_label(ax: Axes, x, y: float, text: str, color: str, offset: tuple[float, float], ha: str) -> None:
    """A data value written next to a point, on a light backing so that lines behind stay readable."""
    ax.annotate(
        text,
        xy=(x, y),
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va="center",
        fontsize=SMALL_PT,
        fontweight="bold",
        color=color,
        annotation_clip=False,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        zorder=6,
    )


def _end_labels(
    ax: Axes, ends: Sequence[tuple[object, float, str, str]], *, span: float, beside: bool
) -> None:
    """Latest value of each series at its last point: (x, y, text, colour) per series.

    ``beside``: right of the point (the plot has a free right margin); otherwise above it. When two
    series end close together (within 8% of the y span) the upper label goes up and the lower down.
    """
    close = len(ends) == 2 and abs(ends[0][1] - ends[1][1]) < span * 0.08
    order = sorted(range(len(ends)), key=lambda i: ends[i][1], reverse=True)
    for rank, index in enumerate(order):
        x, y, text, colour = ends[index]
        up = rank == 0 or not close
        if beside:
            offset, ha = (7, (6 if up else -6) if close else 0), "left"
        else:
            offset, ha = (0, 10 if up else -10), "center"
        _value_label(ax, x, y, text, colour, offset, ha)


def _marker_scale(count: int) -> float:
    """Smaller markers when many points share the width, so that lines stay readable."""
    return 1.0 if count <= 20 else 0.75 if count <= 40 else 0.55


# --- Not enough data -----------------------------------------------------------------------------


def _not_enough_data_figure(
    title: str, message: str = NOT_ENOUGH_DATA, figsize: tuple[float, float] = FIGSIZE
) -> Figure:
    fig = Figure(figsize=figsize, facecolor="white")
    fig.set_label(title)
    width_pt = fig.get_figwidth() * 72
    fig.text(
        0.04,
        0.92,
        _fit_lines(title, TITLE_PT, width_pt * 0.9),
        ha="left",
        va="top",
        fontsize=TITLE_PT,
        fontweight="bold",
        color=INK,
    )
    fig.add_artist(
        FancyBboxPatch(
            (0.04, 0.10),
            0.92,
            0.66,
            boxstyle="round,pad=0,rounding_size=0.03",
            transform=fig.transFigure,
            facecolor="#F4F4F4",
            edgecolor=GRID,
            linewidth=1.0,
        )
    )
    message_pt = 13
    fig.text(
        0.5,
        0.43,
        _fit_lines(message, message_pt, width_pt * 0.8),
        ha="center",
        va="center",
        multialignment="center",
        linespacing=1.5,
        fontsize=message_pt,
        color=MUTED,
    )
    return fig


def not_enough_data(title: str, message: str = NOT_ENOUGH_DATA, fmt: str = "svg") -> bytes:
    """A friendly placeholder image (title and message, no empty axes) for charts without a trend."""
    _check_fmt(fmt)
    return render(_not_enough_data_figure(title, message), fmt)


# --- Calf girth ----------------------------------------------------------------------------------


def _girth_figure(
    points: list[GirthPoint],
    *,
    involved_side: str,
    unit: str,
    site_label: str,
    figsize: tuple[float, float] = FIGSIZE,
) -> Figure:
    _check_involved(involved_side)
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}; expected one of {', '.join(UNITS)}.")
    title = f"Calf girth — {site_label}"
    points = sorted(points, key=lambda p: p.date)
    if _distinct(p.date for p in points) < 2:
        return _not_enough_data_figure(title, figsize=figsize)

    def convert(cm) -> float:
        return cm_to_inches(cm) if unit == "in" else float(cm)

    error = convert(GIRTH_ERROR_CM)
    error_text = f"{GIRTH_ERROR_CM:.1f} cm" if unit == "cm" else f"{error:.2f} in"
    dates = [p.date for p in points]
    series = {
        "left": [convert(p.left_cm) for p in points],
        "right": [convert(p.right_cm) for p in points],
    }

    fig, ax = _new_figure(title, figsize)
    _date_axis(ax, dates)
    handles = []
    for side in ("left", "right"):
        first = series[side][0]
        ax.axhspan(
            first - error, first + error, color=SIDE_STYLE[side]["color"], alpha=0.13, linewidth=0, zorder=1
        )
        handles.append(_side_line(ax, side, involved_side, dates, series[side], _marker_scale(len(dates))))
    handles.append(
        Patch(
            facecolor="#BBBBBB",
            alpha=0.6,
            linewidth=0,
            label=f"Measurement error (first value ± {error_text})",
        )
    )

    values = series["left"] + series["right"]
    low = min(min(values), series["left"][0] - error, series["right"][0] - error)
    high = max(max(values), series["left"][0] + error, series["right"][0] + error)
    pad = max((high - low) * 0.08, convert(0.2))
    ax.set_ylim(low - pad, high + pad)
    ends = [
        (dates[-1], series[side][-1], f"{series[side][-1]:.1f}", SIDE_STYLE[side]["color"])
        for side in ("left", "right")
    ]
    _end_labels(ax, ends, span=high - low + 2 * pad, beside=True)
    ax.yaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], min_n_ticks=4))
    _legend_below(fig, handles)
    _axis_labels(fig, ax, f"Calf girth ({unit})")
    return fig


def girth_chart(
    points: list[GirthPoint], *, involved_side: str, unit: str, site_label: str, fmt: str = "svg"
) -> bytes:
    """Left and right calf girth over time, with the measurement error band around each first value.

    ``involved_side`` is "left", "right", "both" or "unknown" (the last two: no leg highlighted);
    ``unit`` is "cm" or "in" (values are given in cm and converted for display).
    """
    _check_fmt(fmt)
    fig = _girth_figure(points, involved_side=involved_side, unit=unit, site_label=site_label)
    return render(fig, fmt)


# --- Limb symmetry -------------------------------------------------------------------------------

# Fixed chart zones (tracker.metrics), as light tints of Okabe-Ito colours: (tint, alpha).
ZONE_TINTS = {"red": (VERMILLION, 0.13), "amber": (YELLOW, 0.28), "green": (GREEN, 0.12)}


def _symmetry_figure(
    girth: list[LsiPoint],
    heel_rise: list[LsiPoint],
    *,
    target_lsi: float,
    figsize: tuple[float, float] = FIGSIZE,
) -> Figure:
    title = "Limb symmetry"
    girth = sorted(girth, key=lambda p: p.date)
    heel_rise = sorted(heel_rise, key=lambda p: p.date)
    if _distinct([p.date for p in girth] + [p.date for p in heel_rise]) < 2:
        return _not_enough_data_figure(title, figsize=figsize)

    target = float(target_lsi)
    values = [float(p.lsi) for p in girth + heel_rise]
    y_low = min(40.0, math.floor(min(values) - 5))
    y_high = max(105.0, math.ceil(max(values) + 8), target + 5)

    fig, ax = _new_figure(title, figsize)
    _date_axis(ax, [p.date for p in girth + heel_rise])
    zones = (
        ("red", y_low, LSI_RED_BELOW, f"< {LSI_RED_BELOW:g}%"),
        ("amber", LSI_RED_BELOW, LSI_GREEN_FROM, f"{LSI_RED_BELOW:g}–{LSI_GREEN_FROM:g}%"),
        ("green", LSI_GREEN_FROM, y_high, f"≥ {LSI_GREEN_FROM:g}%"),
    )
    for name, bottom, top, _text in zones:
        tint, alpha = ZONE_TINTS[name]
        ax.axhspan(bottom, top, color=tint, alpha=alpha, linewidth=0, zorder=0)

    handles = []
    ends = []
    scale = _marker_scale(max(len(girth), len(heel_rise)))
    for series, label, colour, style, marker, face in (
        (girth, "Girth LSI", BLUE, "-", "o", BLUE),
        (heel_rise, "Heel-rise LSI", INK, "--", "s", "white"),
    ):
        if not series:
            continue
        (line,) = ax.plot(
            [p.date for p in series],
            [float(p.lsi) for p in series],
            color=colour,
            linestyle=style,
            linewidth=2.2,
            marker=marker,
            markersize=6 * scale,
            markerfacecolor=face,
            markeredgewidth=1.4,
            label=label,
            zorder=4,
        )
        handles.append(line)
        last = series[-1]
        ends.append((last.date, float(last.lsi), f"{float(last.lsi):.1f}", colour))
    handles.append(
        ax.axhline(
            target,
            color=INK,
            linestyle=(0, (1.5, 2)),
            linewidth=1.6,
            label=f"Target {target:g}%",
            zorder=3,
        )
    )
    _end_labels(ax, ends, span=y_high - y_low, beside=False)

    ax.set_ylim(y_low, y_high)
    ax.set_xmargin(0.06)
    ax.yaxis.set_major_locator(MultipleLocator(10))
    _legend_below(fig, handles)
    _axis_labels(fig, ax, "Limb symmetry index (%)")
    # Zone names on the right edge: "Amber" above "80–90%" when the narrowest zone has room for two
    # lines, else the range alone (the tint still names the zone).
    narrowest = min(top - bottom for _name, bottom, top, _text in zones)
    two_lines = _plot_height_px(fig, ax) * narrowest / (y_high - y_low) >= 2.6 * SMALL_PT * fig.dpi / 72
    for name, bottom, top, text in zones:
        _right_edge_label(ax, (bottom + top) / 2, f"{name.capitalize()}\n{text}" if two_lines else text)
    return fig


def symmetry_chart(
    girth: list[LsiPoint], heel_rise: list[LsiPoint], *, target_lsi: float, fmt: str = "svg"
) -> bytes:
    """Girth and heel-rise LSI over time on red/amber/green zones, with the patient's target line."""
    _check_fmt(fmt)
    return render(_symmetry_figure(girth, heel_rise, target_lsi=target_lsi), fmt)


# --- Heel-rise test ------------------------------------------------------------------------------


def _heel_rise_figure(
    points: list[HeelRisePoint],
    *,
    involved_side: str,
    norm_median: int,
    figsize: tuple[float, float] = FIGSIZE,
) -> Figure:
    _check_involved(involved_side)
    title = "Heel-rise test"
    points = sorted(points, key=lambda p: p.date)
    if _distinct(p.date for p in points) < 2:
        return _not_enough_data_figure(title, figsize=figsize)

    dates = [p.date for p in points]
    series = {"left": [int(p.left) for p in points], "right": [int(p.right) for p in points]}
    fig, ax = _new_figure(title, figsize)
    _date_axis(ax, dates)

    norm_low, norm_high = norm_median - HEEL_RISE_ERROR_REPS, norm_median + HEEL_RISE_ERROR_REPS
    ax.axhspan(norm_low, norm_high, facecolor="#9E9E9E", alpha=0.18, linewidth=0, zorder=1)
    ax.axhline(norm_median, color=MUTED, linestyle=(0, (1.5, 2)), linewidth=1.2, zorder=2)
    scale = _marker_scale(len(dates))
    handles = [_side_line(ax, side, involved_side, dates, series[side], scale) for side in ("left", "right")]
    handles.append(
        Patch(
            facecolor="#9E9E9E",
            alpha=0.35,
            linewidth=0,
            label=f"Norm median {norm_median} ± {HEEL_RISE_ERROR_REPS}",
        )
    )

    top = max(series["left"] + series["right"] + [norm_high])
    y_high = top * 1.12 + 1
    ax.set_ylim(0, y_high)
    ends = [
        (dates[-1], series[side][-1], str(series[side][-1]), SIDE_STYLE[side]["color"])
        for side in ("left", "right")
    ]
    _end_labels(ax, ends, span=y_high, beside=True)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    _legend_below(fig, handles)
    _axis_labels(fig, ax, "Heel rises (reps)")
    return fig


def heel_rise_chart(
    points: list[HeelRisePoint], *, involved_side: str, norm_median: int, fmt: str = "svg"
) -> bytes:
    """Single-leg heel-rise reps per side over time, with the norm band (median ± test-retest error)."""
    _check_fmt(fmt)
    return render(_heel_rise_figure(points, involved_side=involved_side, norm_median=norm_median), fmt)


# --- Weekly training volume ----------------------------------------------------------------------


def _week_axis(ax: Axes, starts: Sequence[date]) -> None:
    """Date axis for weekly bars, each centred on its week's first day.

    Up to 12 weeks the ticks are those week starts (so each label sits under its bars); longer
    ranges get the automatic (monthly) ticks.
    """
    weeks_spanned = (max(starts) - min(starts)).days // 7 + 1
    locator = None
    if weeks_spanned <= 12:
        locator = mdates.WeekdayLocator(
            byweekday=min(starts).weekday(), interval=math.ceil(weeks_spanned / 6)
        )
    _date_axis(ax, starts, locator)
    ax.set_xlim(mdates.date2num(min(starts)) - 4, mdates.date2num(max(starts)) + 4)
    ax.grid(False, axis="x")


def _bars(ax, x, heights, *, width: float, label: str | None = None, **style) -> PolyCollection:
    """Vertical bars as ONE collection: drawing and writing SVG cost no longer grows per bar.

    `ax.bar` makes a patch per bar, which made 3-year weekly charts about three times slower.
    """
    half = width / 2
    rectangles = [
        [(centre - half, 0.0), (centre - half, height), (centre + half, height), (centre + half, 0.0)]
        for centre, height in zip(x, heights, strict=True)
    ]
    bars = PolyCollection(rectangles, closed=True, label=label, **style)
    ax.add_collection(bars, autolim=True)
    ax.autoscale_view()
    return bars


def _volume_figure(weeks: list[VolumeWeek], figsize: tuple[float, float] = FIGSIZE) -> Figure:
    title = "Weekly training volume"
    weeks = sorted(weeks, key=lambda w: w.week_start)
    if _distinct(w.week_start for w in weeks) < 2:
        return _not_enough_data_figure(title, figsize=figsize)

    starts = [w.week_start for w in weeks]
    centres = mdates.date2num(starts)
    width = _bar_width_days(starts, 0.38)
    fig, ax = _new_figure(title, figsize)
    handles = []
    for side, offset, hatch in (("left", -0.5, "///"), ("right", 0.5, "..")):
        handles.append(
            _bars(
                ax,
                centres + offset * width,
                [int(getattr(w, side)) for w in weeks],
                width=width,
                color=SIDE_STYLE[side]["color"],
                edgecolor="white",
                hatchcolor="white",
                hatch=hatch,
                linewidth=0.6,
                label=SIDE_STYLE[side]["name"],
                zorder=2,
            )
        )

    prescribed = [_nan(w.prescribed) for w in weeks]
    if any(not math.isnan(v) for v in prescribed):
        # A short horizontal bar across each week's pair of bars (a gap where nothing was prescribed).
        xs: list[float] = []
        ys: list[float] = []
        for centre, value in zip(centres, prescribed, strict=True):
            xs += [centre - width * 1.1, centre + width * 1.1, math.nan]
            ys += [value, value, math.nan]
        (line,) = ax.plot(xs, ys, color=INK, linewidth=2.2, solid_capstyle="butt", zorder=3)
        line.set_label("Prescribed (per side)")
        handles.append(line)

    for centre, week in zip(centres, weeks, strict=True):
        if int(week.left) == 0 and int(week.right) == 0:
            ax.annotate(
                "none logged",
                xy=(centre, 0),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=SMALL_PT,
                color=MUTED,
                rotation=90,
            )

    _week_axis(ax, starts)
    ax.set_ylim(bottom=0)
    ax.margins(y=0.1)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    _legend_below(fig, handles)
    _axis_labels(fig, ax, "Weekly volume (sets × reps)")
    return fig


def volume_chart(weeks: list[VolumeWeek], fmt: str = "svg") -> bytes:
    """Weekly training volume per side (grouped bars) against the prescribed weekly volume."""
    _check_fmt(fmt)
    return render(_volume_figure(weeks), fmt)


# --- Pain and night cramps -----------------------------------------------------------------------

PAIN_SERIES = (  # attribute, legend label, colour, line style, marker
    ("during", "During exercise", VERMILLION, "-", "o"),
    ("after", "After exercise", BLUE, "-.", "s"),
    ("next_morning", "Next morning", GREEN, ":", "^"),
)
PAIN_FIELDS = ("during", "after", "next_morning", "night_cramps")
PAIN_FLOOR = -0.3  # the pain axis starts just below 0 so that lines at 0/10 do not hide in the x axis
PAIN_CEILING_PAD = 0.3


def _pain_figure(points: list[PainPoint], figsize: tuple[float, float] = FIGSIZE) -> Figure:
    title = "Pain and night cramps"
    points = sorted(
        (p for p in points if any(getattr(p, f) is not None for f in PAIN_FIELDS)), key=lambda p: p.date
    )
    if _distinct(p.date for p in points) < 2:
        return _not_enough_data_figure(title, figsize=figsize)

    dates = [p.date for p in points]
    fig, ax = _new_figure(title, figsize)
    lines = []
    scale = _marker_scale(len(dates))
    for name, label, colour, style, marker in PAIN_SERIES:
        values = [_nan(getattr(p, name)) for p in points]
        if all(math.isnan(v) for v in values):
            continue
        (line,) = ax.plot(
            dates,
            values,
            color=colour,
            linestyle=style,
            linewidth=2.0 if scale == 1 else 1.6,
            marker=marker,
            markersize=6 * scale,
            label=label,
            zorder=4,
        )
        lines.append(line)
    lines.append(
        ax.axhline(
            PAIN_ACCEPTABLE_MAX,
            color=INK,
            linestyle=(0, (5, 3)),
            linewidth=1.3,
            label=f"Acceptable limit {PAIN_ACCEPTABLE_MAX}/10",
            zorder=3,
        )
    )

    handles = list(lines)
    ax2 = None
    cramps = [p.night_cramps for p in points]
    if any(c is not None for c in cramps):
        # Secondary axis behind the pain lines; its scale keeps the bars in the lower part of the plot.
        ax2 = ax.twinx()
        ax2.set_zorder(ax.get_zorder() - 1)
        ax.patch.set_visible(False)
        most = max(4, max(int(c) for c in cramps if c is not None))
        handles.append(
            _bars(
                ax2,
                mdates.date2num(dates),
                [0 if c is None else int(c) for c in cramps],
                width=_bar_width_days(dates, 0.6),
                color="#CFCFCF",
                edgecolor="#9A9A9A",
                linewidth=0.6,
                label="Night cramps",
                zorder=1,
            )
        )
        # Same zero as the pain axis, which starts a little below 0 so that 0/10 stays visible.
        top = most * 2.4
        ax2.set_ylim(PAIN_FLOOR / (10 + PAIN_CEILING_PAD) * top, top)
        tall_enough = figsize[1] >= 3
        step = (1 if most <= 5 else math.ceil(most / 5)) if tall_enough else max(1, math.ceil(most / 2))
        ax2.set_yticks(range(0, most + 1, step))
        ax2.tick_params(labelsize=TICK_PT, colors=MUTED, length=3)
        for side in ("top", "left", "bottom"):
            ax2.spines[side].set_visible(False)
        ax2.spines["right"].set_color(MUTED)
        ax2.spines["right"].set_bounds(0, most)

    _date_axis(ax, dates)
    ax.set_ylim(PAIN_FLOOR, 10 + PAIN_CEILING_PAD)
    ax.yaxis.set_major_locator(MultipleLocator(2))
    ax.yaxis.set_minor_locator(MultipleLocator(1))
    ax.tick_params(which="minor", length=2)
    _legend_below(fig, handles)
    _axis_labels(fig, ax, "Pain (0-10)", right=(ax2, "Night cramps (count)") if ax2 is not None else None)
    return fig


def pain_chart(points: list[PainPoint], fmt: str = "svg") -> bytes:
    """Pain during, after exercise and next morning (gaps where not logged), night cramps as bars."""
    _check_fmt(fmt)
    return render(_pain_figure(points), fmt)


# --- Weekly adherence ----------------------------------------------------------------------------

ADHERENCE_REFERENCE = ADHERENCE_FOR_WORSENING_FLAG  # dashed line: the adherence the review flag needs


def _adherence_figure(weeks: list[AdherenceWeek], figsize: tuple[float, float] = FIGSIZE) -> Figure:
    title = "Weekly adherence"
    weeks = sorted(weeks, key=lambda w: w.week_start)
    if _distinct(w.week_start for w in weeks if w.percent is not None) < 2:
        return _not_enough_data_figure(title, figsize=figsize)

    starts = [w.week_start for w in weeks]
    centres = mdates.date2num(starts)
    values = [_nan(w.percent) for w in weeks]
    fig, ax = _new_figure(title, figsize)
    _bars(
        ax,
        centres,
        [0 if math.isnan(v) else min(100.0, max(0.0, v)) for v in values],
        width=_bar_width_days(starts, 0.7),
        color=SKY,
        edgecolor=BLUE,
        linewidth=0.8,
        zorder=2,
    )
    for centre, value in zip(centres, values, strict=True):
        if math.isnan(value):
            text, colour, rotation = "no programme", "#777777", 90
        elif value == 0:
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
    _right_edge_label(ax, ADHERENCE_REFERENCE, f"{ADHERENCE_REFERENCE:g}%", color=INK)
    _week_axis(ax, starts)
    ax.set_ylim(0, 105)
    ax.yaxis.set_major_locator(MultipleLocator(20))
    _axis_labels(fig, ax, "Adherence (%)")
    return fig


def adherence_chart(weeks: list[AdherenceWeek], fmt: str = "svg") -> bytes:
    """Weekly adherence bars (0-100 %) with reference lines at 100 % and 70 % (dashed)."""
    _check_fmt(fmt)
    return render(_adherence_figure(weeks), fmt)
