"""Tests for tracker.charts.figures: data in, SVG/PNG bytes out (no database).

Most tests go through the public functions and read the SVG back (text stays text, so labels can
be found); a few inspect the figure the private ``_*_figure`` builders return, for what the bytes
cannot show directly (line widths, colours, layout).
"""

import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.image as mpimg
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from tracker.charts import figures as c
from tracker.metrics import GIRTH_ERROR_CM, HEEL_RISE_ERROR_REPS, PAIN_ACCEPTABLE_MAX, cm_to_inches
from tracker.selectors import series as s

PROJECT = Path(__file__).resolve().parents[2]
START = date(2025, 1, 6)  # a Monday
WEEKS = [START + timedelta(weeks=i) for i in range(16)]

# --- Realistic data (16 weeks of rehab of a left calf) -----------------------------------------


def lerp(a, b, i, n=15):
    return a + (b - a) * i / n


GIRTH = [s.GirthPoint(d, round(lerp(34.0, 35.6, i), 1), 37.5) for i, d in enumerate(WEEKS)]
GIRTH_LSI = [s.LsiPoint(d, round(lerp(90.7, 94.9, i), 1)) for i, d in enumerate(WEEKS)]
HEEL_RISE = [s.HeelRisePoint(d, round(lerp(12, 21, i, 7)), 27) for i, d in enumerate(WEEKS[::2])]
HEEL_RISE_LSI = [s.LsiPoint(d, round(lerp(44, 78, i, 7), 1)) for i, d in enumerate(WEEKS[::2])]
VOLUME = [
    s.VolumeWeek(d, 0, 0, 1200.0) if i == 7 else s.VolumeWeek(d, 1000 + 20 * i, 850 + 20 * i, 1100.0)
    for i, d in enumerate(WEEKS)
]
PAIN = [
    s.PainPoint(
        d,
        during=round(lerp(4, 1, i)),
        after=None if i % 5 == 2 else round(lerp(3, 1, i)),
        next_morning=None if i % 4 == 1 else round(lerp(2, 0, i)),
        night_cramps=None if i == 6 else round(lerp(3, 0, i)),
    )
    for i, d in enumerate(WEEKS)
]
ADHERENCE = [
    s.AdherenceWeek(d, None if i == 0 else 0.0 if i == 7 else 75.0 + (i % 4) * 8) for i, d in enumerate(WEEKS)
]


@dataclass(frozen=True)
class Case:
    """One chart: how to call it with a list of its data, and what its SVG must say."""

    name: str
    title: str
    data: list
    render: object  # (data, fmt) -> bytes
    build: object  # (data, **figure options) -> Figure
    texts: tuple[str, ...]


CASES = [
    Case(
        "girth",
        "Calf girth — 10 cm below the tibial tuberosity",
        GIRTH,
        lambda d, fmt: c.girth_chart(
            d, involved_side="left", unit="cm", site_label="10 cm below the tibial tuberosity", fmt=fmt
        ),
        lambda d, **kw: c._girth_figure(
            d, involved_side="left", unit="cm", site_label="10 cm below the tibial tuberosity", **kw
        ),
        ("Calf girth (cm)", "Left calf (involved)", "Right calf", "Measurement error (first value ± 1.0 cm)"),
    ),
    Case(
        "symmetry",
        "Limb symmetry",
        GIRTH_LSI,
        lambda d, fmt: c.symmetry_chart(d, HEEL_RISE_LSI if len(d) > 1 else [], target_lsi=90, fmt=fmt),
        lambda d, **kw: c._symmetry_figure(d, HEEL_RISE_LSI if len(d) > 1 else [], target_lsi=90, **kw),
        ("Limb symmetry index (%)", "Girth LSI", "Heel-rise LSI", "Target 90%", "Green", "Amber", "Red"),
    ),
    Case(
        "heel_rise",
        "Heel-rise test",
        HEEL_RISE,
        lambda d, fmt: c.heel_rise_chart(d, involved_side="left", norm_median=21, fmt=fmt),
        lambda d, **kw: c._heel_rise_figure(d, involved_side="left", norm_median=21, **kw),
        ("Heel rises (reps)", "Left calf (involved)", "Right calf", "Norm median 21 ± 6"),
    ),
    Case(
        "volume",
        "Weekly training volume",
        VOLUME,
        lambda d, fmt: c.volume_chart(d, fmt=fmt),
        lambda d, **kw: c._volume_figure(d, **kw),
        ("Weekly volume (sets × reps)", "Left calf", "Right calf", "Prescribed (per side)", "none logged"),
    ),
    Case(
        "pain",
        "Pain and night cramps",
        PAIN,
        lambda d, fmt: c.pain_chart(d, fmt=fmt),
        lambda d, **kw: c._pain_figure(d, **kw),
        (
            "Pain (0-10)",
            "Night cramps (count)",
            "During exercise",
            "After exercise",
            "Next morning",
            "Night cramps",
            "Acceptable limit 5/10",
        ),
    ),
    Case(
        "adherence",
        "Weekly adherence",
        ADHERENCE,
        lambda d, fmt: c.adherence_chart(d, fmt=fmt),
        lambda d, **kw: c._adherence_figure(d, **kw),
        ("Adherence (%)", "70%", "no programme", "0%"),
    ),
]
IDS = [case.name for case in CASES]


# --- Helpers ---------------------------------------------------------------------------------------


def svg_root(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    return root


def svg_texts(data: bytes) -> list[str]:
    """The text of every <text> element (one per line of a multi-line label)."""
    return ["".join(el.itertext()) for el in svg_root(data).iter() if el.tag.endswith("}text")]


def all_text(data: bytes) -> str:
    return "\n".join(svg_texts(data))


def png_pixels(data: bytes):
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return mpimg.imread(BytesIO(data), format="png")


def drawn(fig):
    """Lay the figure out and draw it (as savefig would); returns the renderer."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def visible_texts(fig):
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


# --- Not enough data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_empty_list_gives_the_not_enough_data_image(case):
    svg = case.render([], "svg")
    text = all_text(svg)
    assert "Not enough data" in text
    assert case.title.split(" — ")[0] in text
    assert case.texts[0] not in text  # no axes: not even the y label


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_one_point_gives_the_not_enough_data_image(case):
    text = all_text(case.render(case.data[:1], "svg"))
    assert "Not enough data" in text
    assert case.texts[0] not in text


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_two_points_on_different_dates_are_enough(case):
    text = all_text(case.render(case.data[1:3], "svg"))
    assert "Not enough data" not in text
    assert case.texts[0] in text


def test_two_entries_on_the_same_date_are_not_a_trend():
    same_day = [s.GirthPoint(START, 34.0, 37.5), s.GirthPoint(START, 34.2, 37.4)]
    svg = c.girth_chart(same_day, involved_side="left", unit="cm", site_label="Max")
    assert "Not enough data" in all_text(svg)


def test_not_enough_data_shows_title_and_friendly_message_without_axes():
    svg = c.not_enough_data("Heel-rise test")
    text = " ".join(all_text(svg).split())  # the message may be wrapped over lines
    assert "Heel-rise test" in text
    assert "Not enough data yet: log at least two entries to see a trend." in text
    fig = c._not_enough_data_figure("Heel-rise test")
    assert fig.axes == []


def test_not_enough_data_takes_a_custom_message_and_png():
    assert "Add a second test" in all_text(c.not_enough_data("Heel-rise test", "Add a second test."))
    assert png_pixels(c.not_enough_data("Heel-rise test", fmt="png")).shape[1] == 960


def test_symmetry_counts_dates_over_both_series():
    one_each_same_day = c.symmetry_chart([s.LsiPoint(START, 91)], [s.LsiPoint(START, 60)], target_lsi=90)
    assert "Not enough data" in all_text(one_each_same_day)
    one_each = c.symmetry_chart([s.LsiPoint(START, 91)], [s.LsiPoint(WEEKS[2], 60)], target_lsi=90)
    text = all_text(one_each)
    assert "Not enough data" not in text
    assert "Girth LSI" in text and "Heel-rise LSI" in text


def test_pain_entries_without_any_value_do_not_count():
    points = [s.PainPoint(START, during=3), s.PainPoint(WEEKS[1])]
    assert "Not enough data" in all_text(c.pain_chart(points))


def test_adherence_weeks_without_a_programme_do_not_count():
    weeks = [s.AdherenceWeek(WEEKS[0], None), s.AdherenceWeek(WEEKS[1], 80.0)]
    assert "Not enough data" in all_text(c.adherence_chart(weeks))


# --- Every chart: valid output ------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_svg_is_valid_and_holds_title_axis_and_legend_text(case):
    svg = case.render(case.data, "svg")
    text = all_text(svg)
    assert "Not enough data" not in text
    assert case.title in " ".join(text.split())
    for expected in case.texts:
        assert expected in text, expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_png_is_a_decodable_150_dpi_image(case):
    pixels = png_pixels(case.render(case.data, "png"))
    assert pixels.shape == (540, 960, 4)  # 6.4 x 3.6 in at 150 dpi
    assert pixels[..., :3].min() < 0.5  # something dark was drawn, not a blank image


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_same_data_gives_identical_bytes(case):
    assert case.render(case.data, "svg") == case.render(case.data, "svg")
    assert case.render(case.data, "png") == case.render(case.data, "png")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_order_of_the_input_does_not_matter(case):
    assert case.render(list(reversed(case.data)), "svg") == case.render(case.data, "svg")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_unknown_format_is_refused(case):
    with pytest.raises(ValueError, match="format"):
        case.render(case.data, "jpg")


def test_render_svg_has_no_date_and_the_title_as_metadata():
    svg = c.adherence_chart(ADHERENCE).decode()
    assert "dc:date" not in svg
    assert "<title>Weekly adherence</title>" in svg


def test_render_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="format"):
        c.render(c._not_enough_data_figure("x"), "pdf")


# --- Readability -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("figsize", [c.FIGSIZE, (4, 2.6)], ids=["report", "phone"])
def test_no_text_is_clipped_or_smaller_than_9_pt(case, figsize):
    fig = case.build(case.data, figsize=figsize)
    renderer = drawn(fig)
    for text in visible_texts(fig):
        assert text.get_fontsize() >= 9, text.get_text()
    drawn_box = fig.get_tightbbox(renderer)  # inches; everything drawn, labels included
    width, height = figsize
    assert drawn_box.x0 >= -0.01 and drawn_box.y0 >= -0.01
    assert drawn_box.x1 <= width + 0.01 and drawn_box.y1 <= height + 0.01


@pytest.mark.parametrize("case", [case for case in CASES if case.name != "adherence"], ids=IDS[:-1])
@pytest.mark.parametrize("figsize", [c.FIGSIZE, (4, 2.6)], ids=["report", "phone"])
def test_legend_sits_below_the_plot(case, figsize):
    fig = case.build(case.data, figsize=figsize)
    renderer = drawn(fig)
    (legend,) = fig.legends
    legend_box = legend.get_window_extent(renderer)
    plot_box = fig.axes[0].get_window_extent(renderer)
    assert legend_box.y1 <= plot_box.y0
    assert fig.bbox.x0 - 1 <= legend_box.x0 and legend_box.x1 <= fig.bbox.x1 + 1


def test_legend_uses_one_row_when_it_fits_and_more_on_a_narrow_figure():
    wide = c._symmetry_figure(GIRTH_LSI, HEEL_RISE_LSI, target_lsi=90)
    narrow = c._pain_figure(PAIN, figsize=(4, 2.6))
    assert wide.legends[0]._ncols == 3
    assert narrow.legends[0]._ncols < 5


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_date_axis_is_concise(case):
    fig = case.build(case.data)
    assert isinstance(fig.axes[0].xaxis.get_major_formatter(), mdates.ConciseDateFormatter)


def test_short_ranges_show_days_not_hours():
    points = [s.GirthPoint(START, 34.0, 37.5), s.GirthPoint(START + timedelta(days=1), 34.1, 37.5)]
    fig = c._girth_figure(points, involved_side="left", unit="cm", site_label="Max")
    low, high = fig.axes[0].get_xlim()
    assert high - low >= c.MIN_SPAN_DAYS
    assert not any(":" in t for t in all_text(c.render(fig, "svg")).split())


def test_long_y_label_is_split_on_a_small_figure():
    small = c._volume_figure(VOLUME, figsize=(4, 2.6))
    report = c._volume_figure(VOLUME)
    assert small.axes[0].get_ylabel() == "Weekly volume\n(sets × reps)"
    assert report.axes[0].get_ylabel() == "Weekly volume (sets × reps)"


# --- Girth ----------------------------------------------------------------------------------------


def girth_lines(fig):
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    return lines


def test_girth_highlights_the_involved_leg():
    lines = girth_lines(c._girth_figure(GIRTH, involved_side="left", unit="cm", site_label="tt10"))
    involved, other = lines["Left calf (involved)"], lines["Right calf"]
    assert involved.get_linewidth() > other.get_linewidth()
    assert involved.get_markerfacecolor() == involved.get_color()  # filled
    assert other.get_markerfacecolor() == "white"  # open

    lines = girth_lines(c._girth_figure(GIRTH, involved_side="right", unit="cm", site_label="tt10"))
    assert lines["Right calf (involved)"].get_linewidth() > lines["Left calf"].get_linewidth()


@pytest.mark.parametrize("side", ["both", "unknown"])
def test_girth_highlights_no_leg_when_both_or_unknown(side):
    svg = c.girth_chart(GIRTH, involved_side=side, unit="cm", site_label="tt10")
    assert "involved" not in all_text(svg)
    lines = girth_lines(c._girth_figure(GIRTH, involved_side=side, unit="cm", site_label="tt10"))
    assert lines["Left calf"].get_linewidth() == lines["Right calf"].get_linewidth()


def test_girth_legs_differ_in_colour_line_style_and_marker():
    lines = girth_lines(c._girth_figure(GIRTH, involved_side="left", unit="cm", site_label="tt10"))
    left, right = lines["Left calf (involved)"], lines["Right calf"]
    assert (left.get_color(), left.get_linestyle(), left.get_marker()) == ("#0072B2", "-", "o")
    assert (right.get_color(), right.get_linestyle(), right.get_marker()) == ("#E69F00", "--", "s")


def test_girth_error_band_surrounds_each_first_value():
    fig = c._girth_figure(GIRTH, involved_side="left", unit="cm", site_label="tt10")
    bands = sorted((p.get_y(), p.get_y() + p.get_height()) for p in fig.axes[0].patches)
    assert bands == [
        pytest.approx((34.0 - GIRTH_ERROR_CM, 34.0 + GIRTH_ERROR_CM)),
        pytest.approx((37.5 - GIRTH_ERROR_CM, 37.5 + GIRTH_ERROR_CM)),
    ]


def test_girth_in_inches_converts_values_label_and_band():
    svg = c.girth_chart(GIRTH, involved_side="left", unit="in", site_label="tt10")
    text = all_text(svg)
    assert "Calf girth (in)" in text and "Calf girth (cm)" not in text
    assert "± 0.39 in" in text
    assert "14.0" in text and "35.6" not in text  # latest left value, 35.6 cm
    fig = c._girth_figure(GIRTH, involved_side="left", unit="in", site_label="tt10")
    left = girth_lines(fig)["Left calf (involved)"]
    assert left.get_ydata()[0] == pytest.approx(cm_to_inches(34.0))
    low, high = min((p.get_y(), p.get_y() + p.get_height()) for p in fig.axes[0].patches)
    assert high - low == pytest.approx(2 * cm_to_inches(GIRTH_ERROR_CM))


def test_girth_accepts_decimals_from_the_database():
    points = [s.GirthPoint(d, Decimal("34.0"), Decimal("37.5")) for d in WEEKS[:3]]
    assert "Calf girth (cm)" in all_text(
        c.girth_chart(points, involved_side="left", unit="cm", site_label="x")
    )


def test_girth_refuses_unknown_side_and_unit():
    with pytest.raises(ValueError, match="side"):
        c.girth_chart(GIRTH, involved_side="middle", unit="cm", site_label="x")
    with pytest.raises(ValueError, match="unit"):
        c.girth_chart(GIRTH, involved_side="left", unit="mm", site_label="x")


def test_girth_shows_the_latest_value_of_each_leg():
    text = all_text(c.girth_chart(GIRTH, involved_side="left", unit="cm", site_label="tt10"))
    assert "35.6" in text and "37.5" in text


# --- Symmetry ---------------------------------------------------------------------------------------


def test_symmetry_target_line_follows_the_patients_target():
    text = all_text(c.symmetry_chart(GIRTH_LSI, HEEL_RISE_LSI, target_lsi=85))
    assert "Target 85%" in text and "Target 90%" not in text
    fig = c._symmetry_figure(GIRTH_LSI, HEEL_RISE_LSI, target_lsi=85)
    target = next(line for line in fig.axes[0].get_lines() if line.get_label() == "Target 85%")
    assert list(target.get_ydata()) == [85, 85]


def test_symmetry_zones_are_red_amber_green_at_80_and_90():
    fig = c._symmetry_figure(GIRTH_LSI, HEEL_RISE_LSI, target_lsi=90)
    ax = fig.axes[0]
    zones = sorted((p.get_y(), p.get_y() + p.get_height()) for p in ax.patches)
    low, high = ax.get_ylim()
    assert zones == [(low, 80), (80, 90), (90, high)]
    colours = [p.get_facecolor()[:3] for p in sorted(ax.patches, key=lambda p: p.get_y())]
    assert len(set(colours)) == 3


def test_symmetry_zone_labels_are_on_the_right_edge():
    fig = c._symmetry_figure(GIRTH_LSI, HEEL_RISE_LSI, target_lsi=90)
    renderer = drawn(fig)
    plot = fig.axes[0].get_window_extent(renderer)
    labels = [
        t
        for t in visible_texts(fig)
        if "%" in t.get_text() and t.get_text().split()[0] in ("Red", "Amber", "Green")
    ]
    assert len(labels) == 3
    for label in labels:
        assert label.get_window_extent(renderer).x0 >= plot.x1


def test_symmetry_limits_are_40_to_105_unless_the_data_needs_more():
    ax = c._symmetry_figure(GIRTH_LSI, HEEL_RISE_LSI[2:], target_lsi=90).axes[0]  # data 53.7 .. 94.9
    assert ax.get_ylim() == (40, 105)
    ax = c._symmetry_figure(GIRTH_LSI, HEEL_RISE_LSI, target_lsi=90).axes[0]  # lowest 44: 5 below it
    assert ax.get_ylim() == (39, 105)
    low_and_high = [s.LsiPoint(WEEKS[0], 30.0), s.LsiPoint(WEEKS[1], 112.0)]
    low, high = c._symmetry_figure(low_and_high, [], target_lsi=90).axes[0].get_ylim()
    assert low <= 25 and high >= 117


# --- Heel-rise ---------------------------------------------------------------------------------------


def test_heel_rise_norm_band_is_median_plus_minus_test_error():
    fig = c._heel_rise_figure(HEEL_RISE, involved_side="left", norm_median=24)
    (band,) = fig.axes[0].patches
    assert (band.get_y(), band.get_y() + band.get_height()) == (
        24 - HEEL_RISE_ERROR_REPS,
        24 + HEEL_RISE_ERROR_REPS,
    )
    assert "Norm median 24 ± 6" in all_text(
        c.heel_rise_chart(HEEL_RISE, involved_side="left", norm_median=24)
    )


def test_heel_rise_highlights_the_involved_leg():
    text = all_text(c.heel_rise_chart(HEEL_RISE, involved_side="right", norm_median=21))
    assert "Right calf (involved)" in text and "Left calf (involved)" not in text


# --- Volume ------------------------------------------------------------------------------------------


def bar_heights(bars) -> list[float]:
    return [float(path.vertices[:, 1].max()) for path in bars.get_paths()]


def test_volume_bars_differ_in_hatch_and_colour_per_side():
    ax = c._volume_figure(VOLUME).axes[0]
    left, right = ax.collections[:2]
    assert left.get_hatch() != right.get_hatch()
    assert tuple(left.get_facecolor()[0]) != tuple(right.get_facecolor()[0])
    assert bar_heights(left) == [w.left for w in VOLUME]


def test_volume_without_a_prescription_has_no_prescribed_line():
    weeks = [s.VolumeWeek(d, 900, 800, None) for d in WEEKS[:4]]
    text = all_text(c.volume_chart(weeks))
    assert "Prescribed" not in text and "Left calf" in text


def test_volume_prescribed_line_is_at_the_prescribed_level():
    ax = c._volume_figure(VOLUME).axes[0]
    (line,) = ax.get_lines()
    levels = {y for y in line.get_ydata() if y == y}  # drop the NaN gaps between weeks
    assert levels == {1100.0, 1200.0}


# --- Pain --------------------------------------------------------------------------------------------


def test_pain_gaps_where_nothing_was_logged():
    fig = c._pain_figure(PAIN)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    after = list(lines["After exercise"].get_ydata())
    assert sum(1 for v in after if v != v) == sum(1 for p in PAIN if p.after is None) > 0


def test_pain_lines_differ_in_colour_style_and_marker():
    fig = c._pain_figure(PAIN)
    series = [
        line
        for line in fig.axes[0].get_lines()
        if line.get_label() in ("During exercise", "After exercise", "Next morning")
    ]
    assert len(series) == 3
    for attribute in ("get_color", "get_linestyle", "get_marker"):
        assert len({getattr(line, attribute)() for line in series}) == 3, attribute


def test_pain_axis_runs_0_to_10_with_the_acceptable_limit():
    fig = c._pain_figure(PAIN)
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert low <= 0 and 10 <= high < 11
    limit = next(
        line for line in ax.get_lines() if line.get_label() == f"Acceptable limit {PAIN_ACCEPTABLE_MAX}/10"
    )
    assert list(limit.get_ydata()) == [PAIN_ACCEPTABLE_MAX, PAIN_ACCEPTABLE_MAX]


def test_pain_night_cramps_are_bars_on_a_second_axis_sharing_zero():
    fig = c._pain_figure(PAIN)
    ax, cramps_ax = fig.axes
    heights = bar_heights(cramps_ax.collections[0])
    assert heights == [p.night_cramps or 0 for p in PAIN]
    zero_pain = ax.transData.transform((0, 0))[1]
    zero_cramps = cramps_ax.transData.transform((0, 0))[1]
    assert zero_pain == pytest.approx(zero_cramps)


def test_pain_with_none_everywhere_but_one_series_does_not_crash():
    points = [s.PainPoint(d, during=None, after=2.0 if i % 2 else None) for i, d in enumerate(WEEKS[:6])]
    svg = c.pain_chart(points)
    text = all_text(svg)
    assert "After exercise" in text and "During exercise" not in text
    assert "Night cramps (count)" not in text  # no cramps logged: no second axis
    assert len(c._pain_figure(points).axes) == 1


# --- Adherence -----------------------------------------------------------------------------------------


def test_adherence_bars_and_reference_lines():
    ax = c._adherence_figure(ADHERENCE).axes[0]
    heights = bar_heights(ax.collections[0])
    assert heights == [w.percent or 0 for w in ADHERENCE]
    levels = sorted(line.get_ydata()[0] for line in ax.get_lines())
    assert levels == [70, 100]
    assert ax.get_ylim() == (0, 105)


def test_adherence_marks_weeks_without_a_programme_and_zero_weeks_differently():
    text = svg_texts(c.adherence_chart(ADHERENCE))
    assert text.count("no programme") == sum(1 for w in ADHERENCE if w.percent is None)
    assert text.count("0%") == sum(1 for w in ADHERENCE if w.percent == 0)


# --- Web server rules ------------------------------------------------------------------------------------


def test_importing_charts_does_not_import_pyplot():
    code = (
        "import sys; import tracker.charts.figures as c; "
        "c.girth_chart([], involved_side='left', unit='cm', site_label='x'); "
        "sys.exit('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_charts_render_concurrently_in_threads():
    jobs = [(case, fmt) for case in CASES for fmt in ("svg", "png")][:8]
    expected = [case.render(case.data, fmt) for case, fmt in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: job[0].render(job[0].data, job[1]), jobs))
    assert results == expected
    for (case, fmt), data in zip(jobs, results, strict=True):
        if fmt == "svg":
            assert case.texts[0] in all_text(data)
        else:
            assert png_pixels(data).shape == (540, 960, 4)
