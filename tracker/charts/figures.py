"""Charts of her measurements: the series of ``tracker.selectors.series`` in, SVG/PNG bytes out.

Girth (both legs, cm), symmetry (girth in cm bands, heel-rise by LSI) and the heel-rise test here;
training volume, pain and adherence in ``tracker.charts.training``. No ORM: ``tracker.charts.data``
builds the series, views send the bytes. The look (sizes, fonts, colours, output without inline
CSS, plain date axes) is ``tracker.charts.style``.

Design: the Okabe-Ito colour-blind safe palette; each leg keeps its colour everywhere (left blue,
solid, circles; right orange, dashed, squares), so a greyscale print still reads; the involved leg
is drawn thicker with filled markers. Thresholds come from ``tracker.metrics``; no clinical number
is restated here. Each chart comes in two sizes ("wide", "phone"; see style).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, MultipleLocator

from tracker.charts import style
from tracker.charts.style import (  # noqa: F401 (re-exported: the views' and tests' names)
    CONTENT_TYPES,
    FIGSIZE,
    FORMATS,
    INK,
    MUTED,
    NOT_ENOUGH_DATA,
    SIDE_STYLE,
    SIZES,
    SMALL_PT,
    not_enough_data,
    render,
)
from tracker.charts.style import not_enough_data_figure as _not_enough_data_figure
from tracker.metrics import (
    GIRTH_DEFICIT_MAX_CM,
    GIRTH_ERROR_CM,
    GIRTH_NORMAL_MAX_CM,
    LSI_GREEN_FROM,
    LSI_RED_BELOW,
    cm_to_inches,
    symmetry,
)

if TYPE_CHECKING:  # only for annotations: drawing needs no Django
    from datetime import date

    from tracker.selectors.series import GirthPoint, HeelRisePoint, LsiPoint

UNITS = ("cm", "in")
SURFACES = {0: "flat floor", 10: "10° incline"}
# Zones as light tints of Okabe-Ito colours: (tint, alpha).
ZONE_TINTS = {"red": (style.VERMILLION, 0.13), "amber": (style.YELLOW, 0.28), "green": (style.GREEN, 0.12)}


# --- Shared --------------------------------------------------------------------------------------


def _side_label(side: str, involved_side: str) -> str:
    name = SIDE_STYLE[side]["name"]
    return f"{name} (involved)" if side == involved_side else name


def _side_line(ax: Axes, side: str, involved_side: str, dates, values, scale: float = 1.0) -> Line2D:
    """One leg's line: the involved leg thicker with filled markers, the other with open markers."""
    look = SIDE_STYLE[side]
    if involved_side not in ("left", "right"):
        width, face, size, z = 2.0, look["color"], 5.5, 3
    elif side == involved_side:
        width, face, size, z = 3.0, look["color"], 6.5, 4
    else:
        width, face, size, z = 1.4, "white", 5.0, 3
    (line,) = ax.plot(
        dates,
        values,
        color=look["color"],
        linestyle=look["linestyle"],
        linewidth=width,
        marker=look["marker"],
        markersize=size * scale,
        markerfacecolor=face,
        markeredgecolor=look["color"],
        markeredgewidth=1.3,
        label=_side_label(side, involved_side),
        zorder=z,
    )
    return line


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}; expected one of {', '.join(UNITS)}.")


def _in_unit(cm, unit: str) -> float:
    return cm_to_inches(cm) if unit == "in" else float(cm)


# --- Calf girth ----------------------------------------------------------------------------------


def _girth_figure(
    points: list[GirthPoint],
    *,
    involved_side: str,
    unit: str,
    site_label: str,
    baseline: GirthPoint | None = None,
    size: str = "wide",
    until: date | None = None,
) -> Figure:
    """Both legs in cm (or in), each with a measurement-error band around HER first measurement at
    this site (`baseline`; the first point shown when not given), whatever period is shown."""
    style.check_involved(involved_side)
    _check_unit(unit)
    title = f"Calf girth — {site_label}"
    points = sorted(points, key=lambda p: p.date)
    if style.distinct(p.date for p in points) < 2:
        return _not_enough_data_figure(title, size=size)
    baseline = baseline or points[0]
    error = _in_unit(GIRTH_ERROR_CM, unit)
    error_text = f"{GIRTH_ERROR_CM:.1f} cm" if unit == "cm" else f"{error:.2f} in"
    dates = [p.date for p in points]
    series = {side: [_in_unit(getattr(p, f"{side}_cm"), unit) for p in points] for side in ("left", "right")}
    first = {side: _in_unit(getattr(baseline, f"{side}_cm"), unit) for side in ("left", "right")}

    fig, ax = style.new_figure(title, size)
    style.date_axis(ax, dates, size=size, until=until)
    handles, bands = [], []
    for side in ("left", "right"):
        colour = SIDE_STYLE[side]["color"]
        ax.axhspan(first[side] - error, first[side] + error, color=colour, alpha=0.13, linewidth=0, zorder=1)
        bands.append(Patch(facecolor=colour, alpha=0.3, linewidth=0))
        handles.append(
            _side_line(ax, side, involved_side, dates, series[side], style.marker_scale(len(dates)))
        )
    band_handle = tuple(bands)
    values = series["left"] + series["right"]
    low = min(min(values), first["left"] - error, first["right"] - error)
    high = max(max(values), first["left"] + error, first["right"] + error)
    pad = max((high - low) * 0.1, _in_unit(0.3, unit))
    ax.set_ylim(low - pad, high + pad)
    ends = [
        (dates[-1], series[side][-1], f"{series[side][-1]:.1f}", SIDE_STYLE[side]["color"])
        for side in ("left", "right")
    ]
    style.end_labels(ax, ends, span=high - low + 2 * pad)
    ax.set_xmargin(0.08)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], min_n_ticks=3))
    labels = [h.get_label() for h in handles] + [f"Error band: first value ± {error_text}"]
    fig.legend(
        [*handles, band_handle],
        labels,
        loc="outside lower center",
        ncol=1 if size == "phone" else 2,
        fontsize=style.LEGEND_PT,
        frameon=False,
        handlelength=2.2,
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0.2)},
    )
    style.y_label(ax, f"Calf girth ({unit})")
    return fig


def girth_chart(
    points: list[GirthPoint],
    *,
    involved_side: str,
    unit: str,
    site_label: str,
    baseline: GirthPoint | None = None,
    fmt: str = "svg",
    size: str = "wide",
    until: date | None = None,
) -> bytes:
    """Left and right calf girth over time, with the measurement error band around her first value.

    ``involved_side`` is "left", "right", "both" or "unknown" (the last two: no leg highlighted);
    ``unit`` is "cm" or "in" (values are given in cm and converted for display); the date axis runs
    to ``until`` (her today) when given.
    """
    style.check_fmt(fmt)
    fig = _girth_figure(
        points, involved_side=involved_side, unit=unit, site_label=site_label, baseline=baseline, size=size,
        until=until,
    )
    return render(fig, fmt)


# --- Symmetry: girth in cm bands, heel-rise by LSI -------------------------------------------------


def _zones(ax: Axes, zones, dates, values):
    """Tinted horizontal zones (name, bottom, top, text) behind the series (dates, values). Returns
    what names them, to be called once the x axis is final: each name where the series leaves room
    (style.band_label)."""
    for name, bottom, top, _ in zones:
        tint, alpha = ZONE_TINTS[name]
        ax.axhspan(bottom, top, color=tint, alpha=alpha, linewidth=0, zorder=0)

    def name_zones() -> None:
        for _, bottom, top, text in zones:
            style.band_label(ax, bottom, top, text, [(dates, values)])

    return name_zones


def _girth_panel(ax: Axes, points, *, involved_side: str, unit: str, colour: str, size: str):
    """Involved calf minus the other, in her unit, on the cm bands of metrics.girth_verdict."""
    differences = [
        _in_unit(symmetry(left=p.left_cm, right=p.right_cm, affected_side=involved_side).difference, unit)
        for p in points
    ]
    normal, deficit = _in_unit(GIRTH_NORMAL_MAX_CM, unit), _in_unit(GIRTH_DEFICIT_MAX_CM, unit)
    low = min(min(differences) - _in_unit(0.5, unit), -deficit - _in_unit(1.0, unit))
    high = max(max(differences) + _in_unit(0.5, unit), _in_unit(0.8, unit))
    dates = [p.date for p in points]
    name_zones = _zones(
        ax,
        (
            ("red", low, -deficit, f"marked: > {deficit:g} {unit} smaller"),
            ("amber", -deficit, -normal, f"deficit: {normal:g}-{deficit:g} {unit}"),
            ("green", -normal, high, f"goal: < {normal:g} {unit} smaller"),
        ),
        dates,
        differences,
    )
    ax.axhline(0, color=MUTED, linewidth=0.9, zorder=2)
    (line,) = ax.plot(
        dates,
        differences,
        color=colour,
        linewidth=2.4,
        marker="o",
        markersize=5.5 * style.marker_scale(len(points)),
        label="Girth difference",
        zorder=4,
    )
    style.value_label(
        ax, points[-1].date, differences[-1], f"{differences[-1]:+.1f} {unit}", colour, (-8, 11), "right"
    )
    ax.set_ylim(low, high)
    ax.yaxis.set_major_locator(MultipleLocator(1 if unit == "cm" else 0.5))
    style.panel_title(
        ax,
        "Girth: involved − other calf" if involved_side in ("left", "right") else "Girth: smaller − larger",
    )
    style.y_label(ax, unit)
    return [line], name_zones


def _heel_rise_panel(ax: Axes, points, *, target: float, colour: str, size: str):
    values = [float(p.lsi) for p in points]
    y_low = min(40.0, math.floor(min(values) - 5))
    y_high = max(105.0, math.ceil(max(values) + 8), target + 5)
    short = size == "phone"
    dates = [p.date for p in points]
    name_zones = _zones(
        ax,
        (
            ("red", y_low, LSI_RED_BELOW, f"< {LSI_RED_BELOW:g}%"),
            ("amber", LSI_RED_BELOW, LSI_GREEN_FROM, f"{LSI_RED_BELOW:g}-{LSI_GREEN_FROM:g}%"),
            ("green", LSI_GREEN_FROM, y_high, f"≥ {LSI_GREEN_FROM:g}%"),
        ),
        dates,
        values,
    )
    target_line = ax.axhline(
        target,
        color=INK,
        linestyle=(0, (1.5, 2)),
        linewidth=1.6,
        label=f"Heel-rise target {target:g}%",
        zorder=3,
    )
    (line,) = ax.plot(
        dates,
        values,
        color=colour,
        linestyle="--",
        linewidth=2.2,
        marker="s",
        markersize=6 * style.marker_scale(len(points)),
        markerfacecolor="white",
        markeredgewidth=1.6,
        label="Heel-rise LSI",
        zorder=4,
    )
    style.value_label(ax, points[-1].date, values[-1], f"{values[-1]:.1f}%", colour, (-8, 11), "right")
    ax.set_ylim(y_low, y_high)
    ax.yaxis.set_major_locator(MultipleLocator(20 if short else 10))
    style.panel_title(ax, "Heel-rise LSI, involved ÷ other")
    style.y_label(ax, "%")
    return [line, target_line], name_zones


def _symmetry_figure(
    girth: list[GirthPoint],
    heel_rise: list[LsiPoint],
    *,
    involved_side: str,
    target_lsi: float,
    unit: str = "cm",
    size: str = "wide",
    until: date | None = None,
) -> Figure:
    """Two scales, two panels: the girth difference in cm bands (the girth verdict) above, the
    heel-rise LSI with its 80/90% zones and her target below; in the involved leg's colour."""
    style.check_involved(involved_side)
    _check_unit(unit)
    title = "Limb symmetry"
    girth = sorted(girth, key=lambda p: p.date)
    heel_rise = sorted(heel_rise, key=lambda p: p.date)
    if style.distinct([p.date for p in girth] + [p.date for p in heel_rise]) < 2:
        return _not_enough_data_figure(title, size=size)
    colour = style.side_colour(involved_side)
    panels = [name for name, points in (("girth", girth), ("heel", heel_rise)) if points]
    fig, axes = style.new_figure(title, size, len(panels), height_ratios=[1] * len(panels))
    axes = axes if isinstance(axes, list) else [axes]
    handles, zone_namers = [], []
    for name, ax in zip(panels, axes, strict=True):
        if name == "girth":
            lines, name_zones = _girth_panel(
                ax, girth, involved_side=involved_side, unit=unit, colour=colour, size=size
            )
        else:
            lines, name_zones = _heel_rise_panel(
                ax, heel_rise, target=float(target_lsi), colour=colour, size=size
            )
        handles += lines
        zone_namers.append(name_zones)
    style.date_axis(axes[-1], [p.date for p in girth + heel_rise], size=size, until=until)
    axes[-1].set_xmargin(0.08)
    for name_zones in zone_namers:
        name_zones()
    style.legend_below(fig, handles)
    return fig


def symmetry_chart(
    girth: list[GirthPoint],
    heel_rise: list[LsiPoint],
    *,
    involved_side: str,
    target_lsi: float,
    unit: str = "cm",
    fmt: str = "svg",
    size: str = "wide",
    until: date | None = None,
) -> bytes:
    """Girth difference (cm bands: the goal is less than 1 cm smaller) and heel-rise LSI (80/90%
    zones, her target line), each on its own scale."""
    style.check_fmt(fmt)
    return render(
        _symmetry_figure(
            girth, heel_rise, involved_side=involved_side, target_lsi=target_lsi, unit=unit, size=size,
            until=until,
        ),
        fmt,
    )


# --- Heel-rise test ------------------------------------------------------------------------------


def _surface_changes(ax: Axes, points) -> list:
    """A dotted vertical line where the surface changes, saying which surface comes next."""
    marks = []
    for before, after in zip(points, points[1:], strict=False):
        if before.incline is None or after.incline is None or before.incline == after.incline:
            continue
        x = mdates.date2num(before.date) + (mdates.date2num(after.date) - mdates.date2num(before.date)) / 2
        marks.append(
            ax.axvline(
                x, color=MUTED, linestyle=(0, (2, 2)), linewidth=1.2, zorder=2, label="Change of surface"
            )
        )
        ax.annotate(
            f"{SURFACES.get(after.incline, after.incline)} →",
            xy=(x, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=SMALL_PT,
            color=INK,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
    return marks[:1]


def _heel_rise_figure(
    points: list[HeelRisePoint],
    *,
    involved_side: str,
    norm_median: int,
    norm_label: str | None = None,
    size: str = "wide",
    until: date | None = None,
) -> Figure:
    """Reps per leg; the population norm as a reference line (never a band); surface changes marked."""
    style.check_involved(involved_side)
    title = "Heel-rise test"
    points = sorted(points, key=lambda p: p.date)
    if style.distinct(p.date for p in points) < 2:
        return _not_enough_data_figure(title, size=size)
    dates = [p.date for p in points]
    series = {"left": [int(p.left) for p in points], "right": [int(p.right) for p in points]}
    fig, ax = style.new_figure(title, size)
    style.date_axis(ax, dates, size=size, until=until)
    scale = style.marker_scale(len(dates))
    handles = [_side_line(ax, side, involved_side, dates, series[side], scale) for side in ("left", "right")]
    handles.append(
        ax.axhline(
            norm_median,
            color=MUTED,
            linestyle=(0, (1, 2.5)),
            linewidth=1.6,
            zorder=2,
            label=norm_label or f"Typical: {norm_median} rises",
        )
    )
    handles += _surface_changes(ax, points)
    y_high = max(series["left"] + series["right"] + [norm_median]) * 1.18 + 2
    ax.set_ylim(0, y_high)
    ends = [
        (dates[-1], series[side][-1], str(series[side][-1]), SIDE_STYLE[side]["color"])
        for side in ("left", "right")
    ]
    style.end_labels(ax, ends, span=y_high)
    ax.set_xmargin(0.08)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    style.legend_below(fig, handles)
    style.y_label(ax, "Heel rises (reps)")
    return fig


def heel_rise_chart(
    points: list[HeelRisePoint],
    *,
    involved_side: str,
    norm_median: int,
    norm_label: str | None = None,
    fmt: str = "svg",
    size: str = "wide",
    until: date | None = None,
) -> bytes:
    """Single-leg heel-rise reps per leg over time, with the population norm as a reference line."""
    style.check_fmt(fmt)
    return render(
        _heel_rise_figure(
            points, involved_side=involved_side, norm_median=norm_median, norm_label=norm_label, size=size,
            until=until,
        ),
        fmt,
    )
