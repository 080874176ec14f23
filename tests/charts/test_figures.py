"""Tests for tracker.charts.figures: data in, SVG/PNG bytes out (no database).

Most tests go through the public functions and read the SVG back (text stays text, so labels can
be found); a few inspect the figure the private ``_*_figure`` builders return, for what the bytes
cannot show directly (line widths, colours, layout). Every chart is checked in both sizes.
"""

import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import Locator

from tracker.charts import figures as c
from tracker.charts import style, training
from tracker.metrics import GIRTH_ERROR_CM, PAIN_ACCEPTABLE_MAX, cm_to_inches
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
    s.VolumeWeek(d, 0, 0, 1200.0, 900.0)
    if i == 7
    else s.VolumeWeek(
        d,
        1000 + 20 * i,
        850 + 20 * i,
        1100.0,
        800.0,
        load_left=200.0 * i,
        stretch_left=4.5,
        stretch_right=4.5,
        so_far=i == 15,
    )
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
    s.AdherenceWeek(d, None if i == 0 else 0.0 if i == 7 else 75.0 + (i % 4) * 8, done=3, expected=4)
    for i, d in enumerate(WEEKS[:-1])
] + [s.AdherenceWeek(WEEKS[-1], 25.0, done=1, expected=4, so_far=True)]


@dataclass(frozen=True)
class Case:
    """One chart: how to call it with a list of its data, and what its SVG must say."""

    name: str
    title: str
    data: list
    render: object  # (data, fmt, size="wide") -> bytes
    build: object  # (data, size="wide") -> Figure
    texts: tuple[str, ...]


CASES = [
    Case(
        "girth",
        "Calf girth — 10 cm below the tibial tuberosity",
        GIRTH,
        lambda d, fmt, size="wide": c.girth_chart(
            d,
            involved_side="left",
            unit="cm",
            site_label="10 cm below the tibial tuberosity",
            fmt=fmt,
            size=size,
        ),
        lambda d, size="wide": c._girth_figure(
            d, involved_side="left", unit="cm", site_label="10 cm below the tibial tuberosity", size=size
        ),
        ("Calf girth (cm)", "Left calf (involved)", "Right calf", "Error band: first value ± 1.0 cm"),
    ),
    Case(
        "symmetry",
        "Limb symmetry",
        GIRTH,
        lambda d, fmt, size="wide": c.symmetry_chart(
            d, HEEL_RISE_LSI if len(d) > 1 else [], involved_side="left", target_lsi=90, fmt=fmt, size=size
        ),
        lambda d, size="wide": c._symmetry_figure(
            d, HEEL_RISE_LSI if len(d) > 1 else [], involved_side="left", target_lsi=90, size=size
        ),
        ("Girth: involved − other calf", "Heel-rise LSI", "Heel-rise target 90%", "Girth difference"),
    ),
    Case(
        "heel_rise",
        "Heel-rise test",
        HEEL_RISE,
        lambda d, fmt, size="wide": c.heel_rise_chart(
            d,
            involved_side="left",
            norm_median=21,
            norm_label="Typical for women: 21 rises",
            fmt=fmt,
            size=size,
        ),
        lambda d, size="wide": c._heel_rise_figure(d, involved_side="left", norm_median=21, size=size),
        ("Heel rises (reps)", "Left calf (involved)", "Right calf"),
    ),
    Case(
        "volume",
        "Weekly training volume",
        VOLUME,
        lambda d, fmt, size="wide": training.volume_chart(d, fmt=fmt, size=size),
        lambda d, size="wide": training._volume_figure(d, size=size),
        (
            "Sets × reps",
            "Left calf",
            "Right calf",
            "Prescribed, left",
            "Prescribed, right",
            "Week starting (Monday)",
        ),
    ),
    Case(
        "pain",
        "Pain and night cramps",
        PAIN,
        lambda d, fmt, size="wide": training.pain_chart(d, fmt=fmt, size=size),
        lambda d, size="wide": training._pain_figure(d, size=size),
        (
            "Pain (0-10)",
            "Cramps",
            "During exercise",
            "After exercise",
            "Next morning",
            "Acceptable limit 5/10",
        ),
    ),
    Case(
        "adherence",
        "Weekly adherence",
        ADHERENCE,
        lambda d, fmt, size="wide": training.adherence_chart(d, fmt=fmt, size=size),
        lambda d, size="wide": training._adherence_figure(d, size=size),
        ("Sessions done (%)", "70%", "no programme", "0%", "so far", "Week starting (Monday)"),
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


def tick_labels(ax) -> list[str]:
    drawn(ax.get_figure())
    return [t.get_text() for t in ax.get_xticklabels() if t.get_text()]


SIZES = ["wide", "phone"]


# --- Not enough data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_empty_list_gives_the_not_enough_data_image(case):
    text = all_text(case.render([], "svg"))
    assert "Not enough data" in text
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


def test_not_enough_data_is_a_message_without_axes_or_a_repeated_title():
    svg = c.not_enough_data("Heel-rise test")
    text = " ".join(all_text(svg).split())
    assert "Not enough data yet: log at least two entries to see a trend." in text
    assert "Heel-rise test" not in text  # the card heading says it
    assert c._not_enough_data_figure("Heel-rise test").axes == []
    assert "Add a second test" in all_text(c.not_enough_data("Heel-rise test", "Add a second test."))


def test_symmetry_counts_dates_over_both_series():
    one_each_same_day = c.symmetry_chart(
        [s.GirthPoint(START, 34.0, 37.5)], [s.LsiPoint(START, 60)], involved_side="left", target_lsi=90
    )
    assert "Not enough data" in all_text(one_each_same_day)
    one_each = c.symmetry_chart(
        [s.GirthPoint(START, 34.0, 37.5)], [s.LsiPoint(WEEKS[2], 60)], involved_side="left", target_lsi=90
    )
    text = all_text(one_each)
    assert "Not enough data" not in text
    assert "Girth difference" in text and "Heel-rise LSI" in text


def test_pain_entries_without_any_value_do_not_count():
    points = [s.PainPoint(START, during=3), s.PainPoint(WEEKS[1])]
    assert "Not enough data" in all_text(training.pain_chart(points))


def test_adherence_weeks_without_a_programme_do_not_count():
    weeks = [s.AdherenceWeek(WEEKS[0], None), s.AdherenceWeek(WEEKS[1], 80.0)]
    assert "Not enough data" in all_text(training.adherence_chart(weeks))


# --- Every chart, both sizes: valid output ----------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_svg_holds_axis_and_legend_text_but_no_title(case, size):
    svg = case.render(case.data, "svg", size)
    text = all_text(svg)
    assert "Not enough data" not in text
    for expected in case.texts:
        assert expected in text, expected
    assert case.title not in text.split("\n")  # the card heading says it, not the image
    assert f"<title>{case.title}</title>" in svg.decode()  # still the file's title


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_svg_has_no_inline_css_so_it_draws_under_the_sites_csp(case, size):
    svg = case.render(case.data, "svg", size).decode()
    assert "style=" not in svg and "<style" not in svg
    root = svg_root(svg.encode())
    assert root.get("stroke-linejoin") == "round" and root.get("stroke-linecap") == "butt"
    texts = [el for el in root.iter() if el.tag.endswith("}text")]
    assert texts and all(el.get("font-size") for el in texts)
    background = next(el for el in root.iter() if el.tag.endswith("}path"))
    assert background.get("fill") == "#ffffff"  # not the black an unstyled path gets


def test_without_inline_css_keeps_every_declaration_as_an_attribute():
    source = (
        '<svg width="1pt">\n <defs>\n  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}'
        '</style>\n </defs>\n <path style="fill: #fff; stroke-dasharray: 3.7,1.6; opacity: 0.5"/>\n'
        " <text style=\"font-size: 14px; font-family: 'DejaVu Sans', sans-serif; text-anchor: end\">"
        "a</text></svg>"
    )
    result = style.without_inline_css(source)
    assert result == (
        '<svg stroke-linejoin="round" stroke-linecap="butt" width="1pt">\n'
        '  <path fill="#fff" stroke-dasharray="3.7,1.6" opacity="0.5"/>\n'
        ' <text font-size="14px" font-family="\'DejaVu Sans\', sans-serif" text-anchor="end">a</text></svg>'
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_png_is_a_decodable_150_dpi_image_of_the_sizes_figure(case, size):
    fig = case.build(case.data, size=size)
    width, height = fig.get_size_inches()
    pixels = png_pixels(case.render(case.data, "png", size))
    assert pixels.shape == (int(height * 150), int(width * 150), 4)
    assert pixels[..., :3].min() < 0.5  # something dark was drawn, not a blank image


def test_the_phone_figure_is_narrower_and_taller_than_the_wide_one():
    for panels in (1, 2, 3):
        wide, phone = style.figsize("wide", panels), style.figsize("phone", panels)
        assert phone[0] < wide[0] and phone[1] / phone[0] > wide[1] / wide[0]
    # Shown about 1:1 in a phone's 330-360 px card, its smallest text is at least 14 px.
    assert style.size_px("phone")[0] <= 340
    assert style.SMALL_PT * 96 / 72 >= 14
    with pytest.raises(ValueError, match="size"):
        style.figsize("huge")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_same_data_gives_identical_bytes(case):
    assert case.render(case.data, "svg") == case.render(case.data, "svg")
    assert case.render(case.data, "png", "phone") == case.render(case.data, "png", "phone")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_order_of_the_input_does_not_matter(case):
    assert case.render(list(reversed(case.data)), "svg") == case.render(case.data, "svg")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_unknown_format_is_refused(case):
    with pytest.raises(ValueError, match="format"):
        case.render(case.data, "jpg")


def test_render_svg_has_no_date_and_the_title_as_metadata():
    svg = training.adherence_chart(ADHERENCE).decode()
    assert "dc:date" not in svg
    assert "<title>Weekly adherence</title>" in svg
    with pytest.raises(ValueError, match="format"):
        c.render(c._not_enough_data_figure("x"), "pdf")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_render_draws_a_chart_once_with_the_panels_where_savefig_would_put_them(case, size, monkeypatch):
    """savefig drew every chart twice: a dry draw to run the constrained layout, then the real one.
    render runs the layout itself and draws once; every panel lands within 2 points of where
    savefig puts it (at most 1.5 measured: the layout measures text with the Agg renderer)."""
    draws = []
    draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda fig, renderer: draws.append(fig) or draw(fig, renderer))
    ours = case.build(case.data, size=size)
    style.render(ours, "svg")
    assert len(draws) == 1
    theirs = case.build(case.data, size=size)
    theirs.savefig(BytesIO(), format="svg")
    two_points = 2 / 72 / theirs.get_size_inches()
    for mine, reference in zip(ours.axes, theirs.axes, strict=True):
        moved = np.abs(np.array(mine.get_position().bounds) - np.array(reference.get_position().bounds))
        assert (moved[[0, 2]] < two_points[0]).all() and (moved[[1, 3]] < two_points[1]).all(), moved


# --- Readability -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_text_is_clipped_or_smaller_than_the_smallest_size(case, size):
    fig = case.build(case.data, size=size)
    renderer = drawn(fig)
    for text in visible_texts(fig):
        assert text.get_fontsize() >= style.SMALL_PT, text.get_text()
    drawn_box = fig.get_tightbbox(renderer)  # inches; everything drawn, labels included
    width, height = fig.get_size_inches()
    assert drawn_box.x0 >= -0.01 and drawn_box.y0 >= -0.01
    assert drawn_box.x1 <= width + 0.01 and drawn_box.y1 <= height + 0.01


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", [case for case in CASES if case.name != "adherence"], ids=IDS[:-1])
def test_legend_sits_below_the_plot(case, size):
    fig = case.build(case.data, size=size)
    renderer = drawn(fig)
    (legend,) = fig.legends
    legend_box = legend.get_window_extent(renderer)
    lowest_plot = min(ax.get_window_extent(renderer).y0 for ax in fig.axes)
    assert legend_box.y1 <= lowest_plot
    assert fig.bbox.x0 - 1 <= legend_box.x0 and legend_box.x1 <= fig.bbox.x1 + 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_date_axis_is_plain_months_with_the_year_once(case):
    fig = case.build(case.data)
    labels = tick_labels(fig.axes[-1])
    assert labels[-1].endswith(" 2025"), labels
    assert not any(label.endswith("2025") for label in labels[:-1]), labels
    assert not any(":" in label or "-" in label for label in labels), labels


def date_axis_labels(dates, size: str) -> list[str]:
    fig, ax = style.new_figure("Girth", size)
    ax.plot(dates, range(len(dates)))
    style.date_axis(ax, dates, size=size)
    return tick_labels(ax)


@pytest.mark.parametrize("size", SIZES)
def test_no_date_tick_comes_after_the_last_date(size):
    """A year of data to late December: no "Jan 2026" tick in the margin after it."""
    year = [date(2025, 1, 6) + timedelta(weeks=i) for i in range(52)]  # to 29 Dec 2025
    labels = date_axis_labels(year, size)
    assert labels[-1].endswith(" 2025") and not any("2026" in label for label in labels), labels


@pytest.mark.parametrize("size", SIZES)
def test_several_years_tick_by_the_year_alone(size):
    years = [date(2022, 3, 7) + timedelta(weeks=i) for i in range(200)]  # March 2022 to December 2025
    labels = date_axis_labels(years, size)
    assert labels and all(label.isdigit() and len(label) == 4 for label in labels), labels


def test_plain_dates_put_the_year_on_the_last_tick_of_each_year():
    formatter = style.PlainDateFormatter("%b")
    months = [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]

    assert formatter.format_ticks(mdates.date2num(months)) == ["Nov", "Dec 2025", "Jan", "Feb 2026"]
    days = style.PlainDateFormatter("%d %b").format_ticks(
        mdates.date2num([date(2026, 11, 3), date(2026, 11, 10)])
    )
    assert days == ["3 Nov", "10 Nov 2026"]


def test_plain_dates_say_a_year_once_where_two_years_meet():
    """ "Nov 2025 Jan 2026" read as one long date: the later label says its year, the earlier is implied."""
    formatter = style.PlainDateFormatter("%b")
    ticks = mdates.date2num([date(2025, 7, 1), date(2025, 9, 1), date(2025, 11, 1), date(2026, 1, 1)])
    assert formatter.format_ticks(ticks) == ["Jul", "Sep", "Nov", "Jan 2026"]


def test_plain_dates_answer_again_for_other_ticks():
    formatter = style.PlainDateFormatter("%b")
    autumn = mdates.date2num([date(2025, 10, 1), date(2025, 11, 1)])
    spring = mdates.date2num([date(2026, 3, 1), date(2026, 4, 1)])
    assert formatter.format_ticks(autumn) == ["Oct", "Nov 2025"]
    assert formatter.format_ticks(spring) == ["Mar", "Apr 2026"]
    assert formatter.format_ticks(autumn) == ["Oct", "Nov 2025"]


class CountingLocator(Locator):
    def __init__(self, locator):
        self.locator, self.calls = locator, 0

    def set_axis(self, axis):
        super().set_axis(axis)
        self.locator.set_axis(axis)

    def __call__(self):
        self.calls += 1
        return self.locator()


def test_a_date_axis_works_its_ticks_out_once_per_view():
    """matplotlib asks for the ticks in each layout pass and in the drawing: dateutil runs once."""
    fig, ax = style.new_figure("Girth", "wide")
    ax.plot(WEEKS, range(len(WEEKS)))
    style.date_axis(ax, WEEKS, size="wide")
    once = ax.xaxis.get_major_locator()
    once.locator = counting = CountingLocator(once.locator)
    counting.set_axis(ax.xaxis)
    style.render(fig, "svg")
    assert counting.calls == 1
    assert tick_labels(ax) == ["Jan", "Feb", "Mar", "Apr 2025"]
    ax.set_xlim(mdates.date2num(date(2025, 6, 1)), mdates.date2num(date(2025, 9, 30)))
    assert tick_labels(ax) == ["Jun", "Jul", "Aug", "Sep 2025"]
    assert counting.calls == 2


def test_short_ranges_show_days_not_hours():
    points = [s.GirthPoint(START, 34.0, 37.5), s.GirthPoint(START + timedelta(days=1), 34.1, 37.5)]
    fig = c._girth_figure(points, involved_side="left", unit="cm", site_label="Max")
    low, high = fig.axes[0].get_xlim()
    assert high - low >= style.MIN_SPAN_DAYS
    assert tick_labels(fig.axes[0]) and all(label[0].isdigit() for label in tick_labels(fig.axes[0]))


def test_weekly_bars_are_labelled_by_the_week_they_start():
    fig = training._adherence_figure(ADHERENCE[4:])
    assert fig.axes[0].get_xlabel() == "Week starting (Monday)"
    assert all(label[0].isdigit() for label in tick_labels(fig.axes[0]))  # "3 Feb", not "Feb"


# --- Girth ----------------------------------------------------------------------------------------


def girth_lines(fig):
    return {line.get_label(): line for line in fig.axes[0].get_lines()}


def test_girth_highlights_the_involved_leg_in_its_own_colour():
    lines = girth_lines(c._girth_figure(GIRTH, involved_side="right", unit="cm", site_label="x"))
    assert lines["Right calf (involved)"].get_linewidth() > lines["Left calf"].get_linewidth()
    assert lines["Right calf (involved)"].get_color() == style.ORANGE


def test_girth_error_band_surrounds_her_first_measurement_not_the_periods_first():
    baseline = s.GirthPoint(START - timedelta(weeks=20), 33.0, 37.0)
    fig = c._girth_figure(GIRTH[8:], involved_side="left", unit="cm", site_label="x", baseline=baseline)
    bands = sorted(p.get_y() for p in fig.axes[0].patches if p.get_height() > 1.9)
    assert bands == pytest.approx([33.0 - GIRTH_ERROR_CM, 37.0 - GIRTH_ERROR_CM])
    legend = fig.legends[0]
    swatches = [h for h in legend.legend_handles if h is not None]
    assert len(swatches) >= 3  # the band's entry shows both legs' colours


def test_girth_in_inches_converts_values_label_and_band():
    svg = c.girth_chart(GIRTH, involved_side="left", unit="in", site_label="x")
    text = all_text(svg)
    assert "Calf girth (in)" in text and f"{cm_to_inches(GIRTH_ERROR_CM):.2f} in" in text


def test_girth_refuses_unknown_side_and_unit():
    with pytest.raises(ValueError, match="side"):
        c.girth_chart(GIRTH, involved_side="middle", unit="cm", site_label="x")
    with pytest.raises(ValueError, match="unit"):
        c.girth_chart(GIRTH, involved_side="left", unit="mm", site_label="x")


# --- Symmetry: girth in cm, heel-rise by LSI ----------------------------------------------------------


def test_symmetry_draws_girth_as_a_cm_difference_on_cm_bands_not_an_lsi_zone():
    fig = c._symmetry_figure(GIRTH, HEEL_RISE_LSI, involved_side="left", target_lsi=90)
    girth_ax, heel_ax = fig.axes
    (difference,) = [line for line in girth_ax.get_lines() if line.get_label() == "Girth difference"]
    assert list(difference.get_ydata())[-1] == pytest.approx(35.6 - 37.5)
    bands = sorted((round(p.get_y(), 2), round(p.get_y() + p.get_height(), 2)) for p in girth_ax.patches)
    edges = {edge for band in bands for edge in band}
    assert {-2.0, -1.0} <= edges  # marked | deficit | goal, at the cm thresholds
    (green,) = [p for p in girth_ax.patches if p.get_y() == pytest.approx(-1.0)]
    assert difference.get_ydata()[-1] < green.get_y()  # 1.9 cm smaller is never in the green
    lsi_edges = {round(p.get_y(), 1) for p in heel_ax.patches}
    assert {80.0, 90.0} <= lsi_edges


def test_symmetry_uses_the_involved_legs_colour():
    right = c._symmetry_figure(GIRTH, HEEL_RISE_LSI, involved_side="right", target_lsi=90)
    colours = {
        line.get_color() for ax in right.axes for line in ax.get_lines() if "Girth" in line.get_label()
    }
    assert colours == {style.ORANGE}


def test_symmetry_target_line_follows_the_patients_heel_rise_target():
    fig = c._symmetry_figure(GIRTH, HEEL_RISE_LSI, involved_side="left", target_lsi=85)
    labels = {line.get_label(): line for line in fig.axes[1].get_lines()}
    assert labels["Heel-rise target 85%"].get_ydata()[0] == 85


def zone_names_over_points(fig) -> list[str]:
    """The names of tinted zones drawn over a point of the panel's series (marker included)."""
    renderer = drawn(fig)
    covered = []
    for ax in fig.axes:
        (series,) = [line for line in ax.get_lines() if line.get_marker() not in (None, "None", "")]
        points = series.get_transform().transform(series.get_xydata())
        radius = series.get_markersize() / 2 * fig.dpi / 72
        for name in ax.texts:
            box = name.get_bbox_patch().get_window_extent(renderer).padded(radius)
            if not name.get_text().startswith(("-", "+")) and any(box.contains(x, y) for x, y in points):
                covered.append(name.get_text())
    return covered


@pytest.mark.parametrize("size", SIZES)
def test_zone_names_leave_the_points_visible(size):
    """Her first girth difference (2.2 cm smaller) and first LSI (78%) sit just under the top of
    their zones, where the zone's name used to be drawn over them."""
    weeks = WEEKS[:7]
    girth = [s.GirthPoint(d, 38.0, round(35.8 + 0.15 * i, 1)) for i, d in enumerate(weeks)]
    lsi = [s.LsiPoint(d, value) for d, value in zip(weeks[::2], (78.0, 84.0, 88.0, 92.0), strict=True)]
    fig = c._symmetry_figure(girth, lsi, involved_side="right", target_lsi=90, size=size)
    assert len([t for ax in fig.axes for t in ax.texts]) == 8  # three names a panel and the values
    assert zone_names_over_points(fig) == []
    # Where the series leaves the top left corner free (LSI rising from 44%), the name stays there.
    fig = c._symmetry_figure(GIRTH, HEEL_RISE_LSI, involved_side="left", target_lsi=90, size=size)
    assert zone_names_over_points(fig) == []
    names = {t.get_text(): t for t in fig.axes[1].texts}
    for name in ("< 80%", "≥ 90%"):
        assert (names[name].get_horizontalalignment(), names[name].get_verticalalignment()) == ("left", "top")


# --- Heel-rise ----------------------------------------------------------------------------------------


def test_heel_rise_norm_is_a_reference_line_not_a_band():
    fig = c._heel_rise_figure(
        HEEL_RISE, involved_side="left", norm_median=21, norm_label="Typical for women: 21"
    )
    ax = fig.axes[0]
    assert not ax.patches  # no band built from the test error
    (norm,) = [line for line in ax.get_lines() if line.get_label() == "Typical for women: 21"]
    assert list(norm.get_ydata()) == [21, 21]


def test_heel_rise_marks_a_change_of_surface():
    points = [s.HeelRisePoint(WEEKS[i], 12 + i, 27, incline=10 if i < 2 else 0) for i in range(4)]
    svg = c.heel_rise_chart(points, involved_side="left", norm_median=21)
    text = all_text(svg)
    assert "Change of surface" in text and "flat floor →" in text
    same = [s.HeelRisePoint(WEEKS[i], 12 + i, 27, incline=10) for i in range(4)]
    assert "Change of surface" not in all_text(c.heel_rise_chart(same, involved_side="left", norm_median=21))


# --- Training volume --------------------------------------------------------------------------------------


def test_volume_has_a_prescribed_line_per_leg_in_its_colour():
    fig = training._volume_figure(VOLUME)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert lines["Prescribed, left"].get_color() == style.BLUE
    assert lines["Prescribed, right"].get_color() == style.ORANGE
    assert 1100.0 in lines["Prescribed, left"].get_ydata() and 800.0 in lines["Prescribed, right"].get_ydata()


def test_volume_legend_names_only_the_legs_in_the_programme():
    """A right-leg programme: no "Left calf" in the legend for bars that are never drawn."""
    right_only = [s.VolumeWeek(d, 0, 90 * (i + 1), None, 630.0) for i, d in enumerate(WEEKS[:4])]
    (legend,) = training._volume_figure(right_only).legends
    assert [t.get_text() for t in legend.get_texts()] == ["Right calf", "Prescribed, right"]
    (legend,) = training._volume_figure(VOLUME).legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "Left calf", "Right calf", "Prescribed, left", "Prescribed, right"
    ]
    prescribed_not_done = [s.VolumeWeek(d, 0, 90, 300.0, 630.0) for d in WEEKS[:4]]
    labels = [t.get_text() for t in training._volume_figure(prescribed_not_done).legends[0].get_texts()]
    assert labels[0] == "Left calf"  # prescribed, none done: the missing bars are the news


def test_volume_counts_load_and_stretch_in_panels_of_their_own_when_logged():
    fig = training._volume_figure(VOLUME)
    labels = [ax.get_ylabel().replace("\n", " ") for ax in fig.axes]
    assert labels == ["Sets × reps", "Load (kg lifted)", "Stretch (minutes)"]
    plain = [s.VolumeWeek(d, 100, 100) for d in WEEKS[:3]]
    assert [ax.get_ylabel() for ax in training._volume_figure(plain).axes] == ["Sets × reps"]


def test_this_weeks_volume_is_outlined_and_says_so_far():
    fig = training._volume_figure(VOLUME)
    svg = all_text(c.render(fig, "svg"))
    assert "so far" in svg
    outlined = [
        col for col in fig.axes[0].collections if col.get_facecolor()[0][:3].tolist() == [1.0, 1.0, 1.0]
    ]
    assert len(outlined) == 2  # one per leg


# --- Pain and cramps ----------------------------------------------------------------------------------------


def test_pain_and_cramps_are_in_separate_panels():
    fig = training._pain_figure(PAIN)
    pain_ax, cramps_ax = fig.axes
    assert pain_ax.get_ylim() == pytest.approx((-0.3, 10.3))
    assert [line.get_ydata()[0] for line in pain_ax.get_lines() if "limit" in line.get_label()] == [
        PAIN_ACCEPTABLE_MAX
    ]
    assert cramps_ax.get_ylabel() == "Cramps" and cramps_ax.collections


def test_an_unanswered_cramps_question_is_a_gap_not_zero():
    points = [
        s.PainPoint(WEEKS[0], during=3, night_cramps=2),
        s.PainPoint(WEEKS[1], during=3, night_cramps=None),
        s.PainPoint(WEEKS[2], during=2, night_cramps=0),
    ]
    fig = training._pain_figure(points)
    (bars,) = fig.axes[1].collections
    assert len(bars.get_paths()) == 2  # the unanswered night has no bar
    zero_marks = [line for line in fig.axes[1].get_lines() if len(line.get_xdata())]
    assert len(zero_marks[0].get_xdata()) == 1  # "0 cramps" is drawn, as a mark on the baseline


def test_pain_gaps_where_nothing_was_logged():
    fig = training._pain_figure(PAIN)
    after = [line for line in fig.axes[0].get_lines() if line.get_label() == "After exercise"][0]
    assert any(y != y for y in after.get_ydata())  # NaN: a gap, not a zero


@pytest.mark.parametrize("size", SIZES)
def test_pain_during_exercise_stays_visible_when_the_pain_after_is_the_same(size):
    """Pain after exercise is often the pain during it; the later series hid the earlier one."""
    days = [START + timedelta(days=n) for n in range(7)]
    points = [  # sessions every other day, her morning check-in between: lone points, no lines
        s.PainPoint(day, during=3, after=3) if n % 2 == 0 else s.PainPoint(day, next_morning=2)
        for n, day in enumerate(days)
    ]
    fig = training._pain_figure(points, size)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
    box = fig.axes[0].get_window_extent()  # the plot only: the legend shows both colours anyway
    rows = slice(int(fig.bbox.height - box.y1), int(fig.bbox.height - box.y0))
    plot = pixels[rows, int(box.x0) : int(box.x1)]

    def pixels_of(colour: str) -> int:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return int((np.abs(plot - rgb).sum(axis=-1) < 60).sum())

    assert pixels_of(style.VERMILLION) > 100  # the rings of "during" around the squares of "after"
    assert pixels_of(style.BLUE) > 100


# --- The date axis runs to her today ---------------------------------------------------------------------

DATED_FIGURES = {
    "girth": lambda until: c._girth_figure(
        GIRTH, involved_side="left", unit="cm", site_label="x", until=until
    ),
    "symmetry": lambda until: c._symmetry_figure(
        GIRTH, HEEL_RISE_LSI, involved_side="left", target_lsi=90, until=until
    ),
    "heel_rise": lambda until: c._heel_rise_figure(
        HEEL_RISE, involved_side="left", norm_median=21, until=until
    ),
    "pain": lambda until: training._pain_figure(PAIN, until=until),
}


@pytest.mark.parametrize("name", DATED_FIGURES)
def test_days_since_her_last_record_show_as_a_gap_up_to_her_today(name):
    """Her last records were three weeks ago: the axis must not end there, as if she were up to date."""
    make = DATED_FIGURES[name]
    last = mdates.date2num(max(p.date for p in {"heel_rise": HEEL_RISE, "pain": PAIN}.get(name, GIRTH)))
    until = mdates.num2date(last).date() + timedelta(weeks=3)
    for fig, reaches_today in ((make(None), False), (make(until), True)):
        FigureCanvasAgg(fig).draw()
        right = fig.axes[-1].get_xlim()[1]
        assert bool(right >= mdates.date2num(until)) == reaches_today, name
        assert right > last


# --- Adherence -----------------------------------------------------------------------------------------


def test_this_weeks_adherence_is_an_outlined_bar_saying_how_many_so_far():
    text = all_text(training.adherence_chart(ADHERENCE))
    assert "1 of 4" in text and "so far" in text
    fig = training._adherence_figure(ADHERENCE)
    heights = [
        max(y for _x, y in path.vertices) for col in fig.axes[0].collections for path in col.get_paths()
    ]
    assert 25.0 not in heights[:15]  # the low 25% is never drawn as a finished week's bar
    assert 100.0 in heights  # the outline of the whole week


def test_while_paused_this_weeks_bar_asks_for_nothing_more():
    """A warning sign pauses her programme: no outline of the whole week, no "1 of 4 so far"."""
    text = all_text(training.adherence_chart(ADHERENCE, paused=True))
    assert "1 done" in text and "paused" in text
    assert "1 of 4" not in text and "so far" not in text
    fig = training._adherence_figure(ADHERENCE, paused=True)
    heights = [
        max(y for _x, y in path.vertices) for col in fig.axes[0].collections for path in col.get_paths()
    ]
    assert 100.0 not in heights  # no outline of the whole week
    assert 25.0 in heights  # what she did before the pause, hatched


def test_this_week_beyond_what_was_expected_is_labelled_by_its_count_not_4_of_3():
    weeks = ADHERENCE[:-1] + [s.AdherenceWeek(WEEKS[-1], 100.0, done=4, expected=3, so_far=True)]
    text = all_text(training.adherence_chart(weeks))
    assert "4 of 3" not in text and "so far" in text
    assert "4" in text.split()


# --- Web server rules ------------------------------------------------------------------------------------


def test_importing_charts_does_not_import_pyplot():
    code = (
        "import sys; import tracker.charts.figures as c; import tracker.charts.training; "
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


def test_a_thread_keeps_one_measuring_renderer_per_figure_size_and_shares_it_with_no_other():
    """Text metrics are cached per renderer: a kept one measures a tick label once, not per chart."""
    first, second = (style.new_figure("a", "wide")[0] for _ in range(2))
    assert style.renderer(first) is style.renderer(second)
    assert style.renderer(style.new_figure("b", "phone")[0]) is not style.renderer(first)
    with ThreadPoolExecutor(max_workers=1) as pool:
        elsewhere = pool.submit(lambda: style.renderer(style.new_figure("c", "wide")[0])).result()
    assert elsewhere is not style.renderer(first)


def test_a_png_drawn_after_another_chart_on_the_kept_renderer_keeps_nothing_of_it():
    girth, pain = CASES[0], next(case for case in CASES if case.name == "pain")
    alone = girth.render(girth.data, "png")
    pain.render(pain.data, "png")
    assert girth.render(girth.data, "png") == alone
