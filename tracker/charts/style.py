"""The look every chart shares: sizes, fonts, colours, axes, legends, date axes and the output.

``tracker.charts.figures`` draws the charts with these. Web-server rules (matplotlib's "Embed in a
web application server"): ``matplotlib.pyplot`` is never imported; every chart builds its own
``Figure`` and saves it into a ``BytesIO``, so concurrent requests share nothing mutable (the Agg
renderer that measures text is kept per thread: ``ReusedRendererCanvas``). The only
global settings are made once, here, at import time, and are constant: a fixed ``svg.hashsalt``
(the same data gives byte-identical SVG, so ETags and tests are stable) and ``svg.fonttype =
"none"`` (text stays text: smaller files, selectable and readable by screen readers).

Two sizes: "wide" (dashboard cards from 576 px, the physio's review page, the PDF) and "phone" (a
narrower, taller figure drawn to be shown about 1:1 in a 330-360 px card, so that its smallest
text is about 14 CSS px). Neither repeats the card's heading inside the image.

SVG output carries no inline CSS: matplotlib's ``style="..."`` attributes and its ``<style>`` block
become SVG presentation attributes, so that a chart opened on its own (its URL in a new tab) still
draws under the site's Content-Security-Policy (``style-src 'self'`` blocks inline styles).
"""

from __future__ import annotations

import math
import re
import textwrap
import threading
from collections.abc import Sequence
from datetime import date
from io import BytesIO

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import Formatter, Locator

# Set once at import; both values are constants (see the module docstring).
matplotlib.rcParams["svg.hashsalt"] = "calf-rehab"
matplotlib.rcParams["svg.fonttype"] = "none"

FORMATS = ("svg", "png")
CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
SIZES = ("wide", "phone")
PNG_DPI = 150
CSS_PX_PER_INCH = 96  # how browsers size an SVG given in pt: 1 in = 72 pt = 96 px

# Figure sizes in inches: (width, height) for one panel and for a chart of stacked panels.
FIGSIZES = {
    "wide": {1: (5.6, 3.4), 2: (5.6, 4.6), 3: (5.6, 5.6)},
    "phone": {1: (3.45, 3.9), 2: (3.45, 5.4), 3: (3.45, 6.6)},
}
FIGSIZE = FIGSIZES["wide"][1]

# Okabe-Ito palette (colour-blind safe).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
YELLOW = "#F0E442"
INK = "#222222"  # text and reference lines
MUTED = "#555555"
GRID = "#DDDDDD"

LABEL_PT = 11
TICK_PT = 11
LEGEND_PT = 10.5
SMALL_PT = 10.5  # the smallest text used anywhere: 14 CSS px when shown 1:1

SIDE_STYLE = {
    "left": {"color": BLUE, "linestyle": "-", "marker": "o", "name": "Left calf"},
    "right": {"color": ORANGE, "linestyle": "--", "marker": "s", "name": "Right calf"},
}
INVOLVED_SIDES = ("left", "right", "both", "unknown")
MIN_SPAN_DAYS = 7  # the date axis always shows at least a week
NOT_ENOUGH_DATA = "Not enough data yet: log at least two entries to see a trend."


def figsize(size: str, panels: int = 1) -> tuple[float, float]:
    check_size(size)
    return FIGSIZES[size][panels]


def size_px(size: str, panels: int = 1) -> tuple[int, int]:
    """The figure's natural size in CSS pixels (for an <img>'s width and height attributes)."""
    width, height = figsize(size, panels)
    return round(width * CSS_PX_PER_INCH), round(height * CSS_PX_PER_INCH)


def side_colour(involved_side: str) -> str:
    """The involved leg's colour everywhere (blue left, orange right); ink when no leg is known."""
    return SIDE_STYLE[involved_side]["color"] if involved_side in SIDE_STYLE else INK


# --- Checks --------------------------------------------------------------------------------------


def check_fmt(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown chart format {fmt!r}; expected one of {', '.join(FORMATS)}.")


def check_size(size: str) -> None:
    if size not in SIZES:
        raise ValueError(f"Unknown chart size {size!r}; expected one of {', '.join(SIZES)}.")


def check_involved(involved_side: str) -> None:
    if involved_side not in INVOLVED_SIDES:
        raise ValueError(
            f"Unknown involved side {involved_side!r}; expected one of {', '.join(INVOLVED_SIDES)}."
        )


# --- Output --------------------------------------------------------------------------------------

_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_BLOCK = re.compile(r"\s*<style[^>]*>\*\{([^}]*)\}</style>")
_SVG_ROOT = re.compile(r"<svg ")


def _attributes(declarations: str) -> str:
    """ "fill: #fff; stroke-width: 0.8" -> ' fill="#fff" stroke-width="0.8"' (presentation attributes)."""
    pairs = (part.split(":", 1) for part in declarations.split(";") if ":" in part)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def without_inline_css(svg: str) -> str:
    """matplotlib's SVG with its CSS moved into presentation attributes (see the module docstring).

    Every property matplotlib writes (fill, stroke*, opacity, font-size, font-family, font-weight,
    text-anchor, ...) exists as an attribute. The ``<style>`` block only sets stroke-linejoin and
    stroke-linecap for every element: as attributes of the root they are inherited instead, and an
    element's own attribute still wins, as its inline style did.
    """
    block = _STYLE_BLOCK.search(svg)
    if block is not None:
        svg = svg[: block.start()] + svg[block.end() :]
        svg = _SVG_ROOT.sub("<svg" + _attributes(block.group(1)) + " ", svg, count=1)
    svg = svg.replace("<defs>\n </defs>\n", "")
    return _STYLE_ATTRIBUTE.sub(lambda match: _attributes(match.group(1)), svg)


def render(fig: Figure, fmt: str) -> bytes:
    """Save ``fig`` as SVG (deterministic, no inline CSS) or PNG (150 dpi) bytes.

    The figure's label, set by the chart functions to the chart title, becomes the file's title.
    """
    check_fmt(fmt)
    metadata: dict[str, str | None] = {}
    if fig.get_label():
        metadata["Title"] = fig.get_label()
    if fmt == "svg":
        metadata["Date"] = None
    engine = fig.get_layout_engine()
    if engine is not None:
        # Run the layout here and keep it, so that savefig draws once: with a layout engine it
        # first makes a whole dry draw just to run the layout (10-20% of a cold chart's time).
        # Measured with the Agg renderer, a panel edge lands at most 1.5 points from savefig's.
        # (None: no layout engine, as this project sets no layout rcParams.)
        engine.execute(fig)
        fig.set_layout_engine(None)
    buf = BytesIO()
    fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=metadata, facecolor="white")
    if fmt == "svg":
        return without_inline_css(buf.getvalue().decode("utf-8")).encode("utf-8")
    return buf.getvalue()


# --- Not enough data -----------------------------------------------------------------------------


def not_enough_data_figure(title: str, message: str = NOT_ENOUGH_DATA, size: str = "wide") -> Figure:
    """The message in a grey box, no empty axes (the card heading above says which chart)."""
    width, height = figsize(size)
    fig = Figure(figsize=(width, min(height, width * 0.5)), facecolor="white")
    fig.set_label(title)
    fig.add_artist(
        FancyBboxPatch(
            (0.03, 0.06),
            0.94,
            0.88,
            boxstyle="round,pad=0,rounding_size=0.03",
            transform=fig.transFigure,
            facecolor="#F4F4F4",
            edgecolor=GRID,
            linewidth=1.0,
        )
    )
    chars = max(12, int(width * 72 * 0.8 / (12 * 0.58)))
    fig.text(
        0.5,
        0.5,
        textwrap.fill(message, chars),
        ha="center",
        va="center",
        multialignment="center",
        linespacing=1.5,
        fontsize=12,
        color=MUTED,
    )
    return fig


def not_enough_data(
    title: str, message: str = NOT_ENOUGH_DATA, fmt: str = "svg", size: str = "wide"
) -> bytes:
    """A friendly placeholder image for charts without a trend."""
    check_fmt(fmt)
    return render(not_enough_data_figure(title, message, size), fmt)


# --- Figures and axes ----------------------------------------------------------------------------


def style_axes(ax: Axes) -> None:
    ax.grid(True, color=GRID, linewidth=0.7)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(labelsize=TICK_PT, colors=INK, length=3)


def panel_title(ax: Axes, text: str) -> None:
    """A short heading inside a stacked chart, above its panel (which scale is which).

    y=1.0 is where matplotlib would put it (no tick labels above a panel); giving it turns off the
    search for a better place, which measures every panel's tick labels again at each layout pass
    and draw (about a tenth of a two-panel chart's time). The same picture, byte for byte."""
    ax.set_title(text, loc="left", fontsize=LABEL_PT, fontweight="bold", color=INK, pad=4, y=1.0)


def new_figure(title: str, size: str, panels: int = 1, height_ratios: Sequence[float] | None = None):
    """A fresh figure (nothing shared between calls) with `panels` axes stacked on one x axis.

    The title is the figure's label (the SVG's <title>), never drawn: the card heading says it.
    Returns (figure, axes) for one panel, (figure, [axes, ...]) for more.
    """
    fig = Figure(figsize=figsize(size, panels), facecolor="white", layout="constrained")
    ReusedRendererCanvas(fig)
    fig.set_label(title)
    fig.get_layout_engine().set(h_pad=0.06, w_pad=0.06, hspace=0.04)
    if panels == 1:
        ax = fig.add_subplot()
        style_axes(ax)
        return fig, ax
    axes = fig.subplots(panels, 1, sharex=True, height_ratios=height_ratios)
    for ax in axes:
        style_axes(ax)
    return fig, list(axes)


class _ThreadRenderers(threading.local):
    def __init__(self):
        self.by_key: dict[tuple, RendererAgg] = {}


_THREAD_RENDERERS = _ThreadRenderers()


class ReusedRendererCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer is kept for the thread's next figure of the same size.

    matplotlib caches text metrics per renderer; a new renderer for every chart measured every tick
    label again on every drawing. One per thread (never shared between concurrent requests).
    """

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        kept = _THREAD_RENDERERS.by_key.get(key)
        if kept is None:
            kept = _THREAD_RENDERERS.by_key[key] = RendererAgg(w, h, self.figure.dpi)
        self.renderer = kept
        return kept


def renderer(fig: Figure) -> RendererAgg:
    """An Agg renderer for measuring text (the thread's kept one for the figure's size)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else ReusedRendererCanvas(fig)
    return canvas.get_renderer()


def legend_below(fig: Figure, handles: Sequence, **options) -> Legend:
    """The legend outside the plot, under it, so it never covers data.

    As many columns as fit the figure's width (measured, not guessed): one row on a wide figure,
    two or more on a narrow one. A label too long for the width even in one column is wrapped.
    """
    labels = [h.get_label() for h in handles]
    measure = renderer(fig)
    room = fig.bbox.width * 0.97
    candidates = sorted({math.ceil(len(handles) / rows) for rows in range(1, len(handles) + 1)}, reverse=True)
    for ncol in candidates:
        legend = _legend(fig, handles, labels, ncol, options)
        if legend.get_window_extent(measure).width <= room:
            return legend
        legend.remove()
    # Even one column is too wide: wrap the labels ever shorter, down to 16 characters a line.
    widths = range(max(len(label) for label in labels) - 4, 16, -4)
    for chars in widths:
        legend = _legend(fig, handles, [textwrap.fill(label, chars) for label in labels], 1, options)
        if legend.get_window_extent(measure).width <= room:
            return legend
        legend.remove()
    return _legend(fig, handles, [textwrap.fill(label, 16) for label in labels], 1, options)


def _legend(fig: Figure, handles: Sequence, labels: Sequence[str], ncol: int, options: dict) -> Legend:
    return fig.legend(handles, labels, loc="outside lower center", ncol=ncol, fontsize=LEGEND_PT,
                      frameon=False, handlelength=2.2, columnspacing=1.2, **options)


def y_label(ax: Axes, text: str, colour: str = INK) -> None:
    """The y-axis label; split over two lines when it is longer than the panel is high."""
    ax.set_ylabel(text, fontsize=LABEL_PT, color=colour)
    fig = ax.get_figure()
    room = ax.get_position().height * fig.bbox.height * 1.15
    if ax.yaxis.label.get_window_extent(renderer(fig)).height > room and " " in text:
        ax.set_ylabel(split_in_two(text), fontsize=LABEL_PT, color=colour, linespacing=1.1)


def split_in_two(text: str) -> str:
    """Break a label at the space nearest its middle (before a bracket when there is one)."""
    if " (" in text:
        head, tail = text.split(" (", 1)
        return f"{head}\n({tail}"
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return f"{text[:cut]}\n{text[cut + 1 :]}"


def edge_label(
    ax: Axes,
    y: float,
    text: str,
    color: str = MUTED,
    *,
    left: bool = False,
    below: bool = False,
    above: bool = False,
) -> None:
    """Text just inside the right (or left) edge of the plot at data height y (or just below or
    above it)."""
    ax.annotate(
        text,
        xy=(0 if left else 1, y),
        xycoords=ax.get_yaxis_transform(),
        xytext=(EDGE_LABEL_INSET_PT if left else -EDGE_LABEL_INSET_PT, -2 if below else 2 if above else 0),
        textcoords="offset points",
        ha="left" if left else "right",
        va="top" if below else "bottom" if above else "center",
        fontsize=SMALL_PT,
        color=color,
        annotation_clip=False,
        bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
        zorder=6,
    )


EDGE_LABEL_INSET_PT = 3
BAND_LABEL_ROOM_PT = 5  # around a band's name: a marker's radius, and the panel's size is estimated


def band_label(
    ax: Axes, bottom: float, top: float, text: str, lines: Sequence[tuple[Sequence, Sequence]]
) -> None:
    """Name a tinted band (data heights bottom..top) inside it, at its left or right edge, where no
    line of `lines` ((x values, y values) each, x ascending) runs under the name: the top left corner
    first (a recovering patient's early values are low, her latest on the right), then the bottom
    left, top right and bottom right; the top left when none is free.

    Call it once the axes' limits are final. The panel's size before the layout engine has run is
    an estimate (as in `y_label`), hence the room left around the name."""
    fig = ax.get_figure()
    width, height, _ = renderer(fig).get_text_width_height_descent(text, FontProperties(size=SMALL_PT), False)
    room = (BAND_LABEL_ROOM_PT + EDGE_LABEL_INSET_PT) * fig.dpi / 72
    panel = ax.get_position()
    w = (width + room) / (panel.width * fig.bbox.width)
    h = (height + room) / (panel.height * fig.bbox.height)
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    paths = [
        ((mdates.date2num(xs) - x_low) / (x_high - x_low), (np.asarray(ys, float) - y_low) / (y_high - y_low))
        for xs, ys in lines
    ]
    band_top = (min(top, y_high) - y_low) / (y_high - y_low)
    band_bottom = (max(bottom, y_low) - y_low) / (y_high - y_low)
    for left, at_bottom in ((True, False), (True, True), (False, False), (False, True)):
        x0, x1 = (0.0, w) if left else (1.0 - w, 1.0)
        y0, y1 = (band_bottom, band_bottom + h) if at_bottom else (band_top - h, band_top)
        if not any(_runs_through(xs, ys, x0, x1, y0, y1) for xs, ys in paths):
            break
    else:
        left, at_bottom = True, False
    y = max(bottom, y_low) if at_bottom else min(top, y_high)
    edge_label(ax, y, text, left=left, below=not at_bottom, above=at_bottom)


def _runs_through(xs, ys, x0: float, x1: float, y0: float, y1: float) -> bool:
    """Whether a polyline (axes fractions, x ascending) has a point in the box or crosses it."""
    if np.any((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)):
        return True
    probe = np.linspace(x0, x1, 16)
    probe = probe[(probe >= xs[0]) & (probe <= xs[-1])]
    heights = np.interp(probe, xs, ys)
    return bool(np.any((heights >= y0) & (heights <= y1)))


def value_label(ax: Axes, x, y: float, text: str, color: str, offset: tuple[float, float], ha: str) -> None:
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


def end_labels(ax: Axes, ends: Sequence[tuple[object, float, str, str]], *, span: float) -> None:
    """Latest value of each series above (or below) its last point: (x, y, text, colour) per series.

    When two series end close together (within 8% of the y span) the upper label goes up and the
    lower one down.
    """
    close = len(ends) == 2 and abs(ends[0][1] - ends[1][1]) < span * 0.08
    order = sorted(range(len(ends)), key=lambda i: ends[i][1], reverse=True)
    for rank, index in enumerate(order):
        x, y, text, colour = ends[index]
        up = rank == 0 or not close
        value_label(ax, x, y, text, colour, (0, 11 if up else -11), "center")


def marker_scale(count: int) -> float:
    """Smaller markers when many points share the width, so that lines stay readable."""
    return 1.0 if count <= 20 else 0.75 if count <= 40 else 0.55


def nan(value) -> float:
    return math.nan if value is None else float(value)


def distinct(dates) -> int:
    return len(set(dates))


# --- Date axes -----------------------------------------------------------------------------------


class OncePerView(Locator):
    """A date locator that works its ticks out once for each view of the axis.

    While one figure is saved, matplotlib asks the locator for its ticks about ten times (each pass of
    the constrained layout, then the drawing), always for the same view; dateutil's rules make each
    answer cost about a millisecond. This keeps the last answer. One per axis, made in ``date_axis``
    for one figure: nothing is kept between figures or requests.
    """

    def __init__(self, locator: Locator, last: float | None = None):
        self.locator = locator
        # The last date drawn: no tick after it ("Jan 2027" on a chart that ends in December), as
        # long as two ticks are left.
        self.last = last
        self._located = None  # (view interval, ticks)

    def set_axis(self, axis):
        super().set_axis(axis)
        self.locator.set_axis(axis)

    def __call__(self):
        view = tuple(self.axis.get_view_interval())
        if self._located is None or self._located[0] != view:
            self._located = (view, self._inside(self.locator()))
        return self._located[1]

    def _inside(self, ticks):
        if self.last is None:
            return ticks
        inside = [tick for tick in ticks if tick <= self.last + 0.5]
        return inside if len(inside) >= 2 else ticks

    def tick_values(self, vmin, vmax):
        return self.locator.tick_values(vmin, vmax)

    def nonsingular(self, vmin, vmax):
        return self.locator.nonsingular(vmin, vmax)

    def view_limits(self, vmin, vmax):
        return self.locator.view_limits(vmin, vmax)


class PlainDateFormatter(Formatter):
    """Dates people read at a glance: "Oct", "Nov", "Dec 2026" (months), or "3 Nov", "10 Nov 2026"
    (days); the year only on the last tick of each year (and not on one just before another year's
    last tick: "Nov", "Jan 2026"), never an offset such as "2026-Dec"."""

    def __init__(self, pattern: str):
        self.pattern = pattern  # "%b" or "%d %b"
        self._labelled = None  # (tick values, their labels): the last ones worked out

    def _label(self, value: float, with_year: bool) -> str:
        day = mdates.num2date(value).date()
        if self.pattern == "%Y":
            return str(day.year)
        text = day.strftime(self.pattern).lstrip("0")
        return f"{text} {day.year}" if with_year else text

    def format_ticks(self, values):
        key = tuple(values)
        if self._labelled is None or self._labelled[0] != key:  # asked again with the same ticks
            years = [mdates.num2date(v).year for v in values]
            last = len(values) - 1
            with_year = [i == last or years[i + 1] != years[i] for i in range(len(values))]
            # Two neighbours that both end in a year run together ("Nov 2025 Jan 2026"): the later
            # one says it, and the earlier is the year before ("Nov", "Jan 2026").
            for i in range(last):
                if with_year[i] and with_year[i + 1] and years[i + 1] == years[i] + 1:
                    with_year[i] = False
            labels = [self._label(v, year) for v, year in zip(values, with_year, strict=True)]
            self._labelled = (key, labels)
        return list(self._labelled[1])

    def __call__(self, x, pos=None):
        return self._label(x, True)


def date_axis(
    ax: Axes, dates: Sequence[date], *, size: str, weekly: bool = False, until: date | None = None
) -> None:
    """Plain date ticks (see PlainDateFormatter); at least a week shown, so ticks are never hours.

    Short ranges tick on Mondays (a week's bar sits on its Monday), longer ones on the first of the
    month, decades on years; fewer ticks on a phone. With `until` (her today) the axis runs to that
    day, so that the days since her last record show as a gap, not as a chart that looks up to date.
    """
    if until is not None and until > max(dates):
        # Counted in the x data limits only (updatey=False); any order with the plotting works.
        ax.update_datalim([(mdates.date2num(until), 0.0)], updatey=False)
        ax.autoscale_view(scaley=False)
        dates = [*dates, until]
    first, last = mdates.date2num(min(dates)), mdates.date2num(max(dates))
    span = last - first
    if span < MIN_SPAN_DAYS:
        pad = (MIN_SPAN_DAYS - span) / 2
        ax.set_xlim(first - pad, last + pad)
        span = MIN_SPAN_DAYS
    phone = size == "phone"
    most = 4 if phone else 6  # ticks a phone or a desktop chart has room for ("Nov", "2026")
    months = span / 30.4
    if span <= 7 * most * 1.2 or (weekly and span <= 7 * 26):
        # "16 Nov 2026" is about three times as wide as "Nov": fewer day ticks than month ticks
        days = 2.5 if phone else 4
        step = max(1, math.ceil(span / 7 / days))
        locator = mdates.WeekdayLocator(byweekday=mdates.MO, interval=step)
        pattern = "%d %b"
    elif months / 6 <= (most_months := 3 if phone else most):
        interval = next(n for n in (1, 2, 3, 4, 6) if months / n <= most_months)
        locator = mdates.MonthLocator(interval=interval)
        pattern = "%b"
    else:  # a tick a year or more (records may go back to 1900): "2025", never "Jan 2025"
        years = span / 365.25
        base = next((n for n in (1, 2, 5, 10, 20, 25, 50) if years / n <= most), 100)
        locator = mdates.YearLocator(base)
        pattern = "%Y"
    ax.xaxis.set_major_locator(OncePerView(locator, last=last))
    ax.xaxis.set_major_formatter(PlainDateFormatter(pattern))
    ax.xaxis.get_offset_text().set_visible(False)
