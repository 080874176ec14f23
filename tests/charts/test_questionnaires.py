"""The questionnaire chart: the instrument's range on the axis, the MCID band around the first score,
its summary (alt text) and table."""

import datetime
from datetime import date

import pytest
from django.utils import timezone
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Polygon, Rectangle

from tests.factories import QuestionnaireResponseFactory
from tracker.charts import questionnaires as charts
from tracker.questionnaires import LEFS, VISA_A

POINTS = [(date(2025, 3, 3), 38), (date(2025, 3, 31), 47), (date(2025, 4, 28), 56)]


def band(ax) -> tuple[float, float]:
    """The (bottom, top) of the shaded MCID band."""
    [span] = [p for p in ax.patches if isinstance(p, (Polygon, Rectangle))]
    if isinstance(span, Polygon):
        ys = [y for _x, y in span.get_xy()]
    else:
        ys = [span.get_y(), span.get_y() + span.get_height()]
    return min(ys), max(ys)


def test_the_axis_shows_the_whole_range_and_the_band_is_the_first_score_plus_minus_the_mcid():
    fig = charts.questionnaire_figure(POINTS, definition=LEFS)
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert low < 0 and 80 < high < 84
    assert band(ax) == (38 - 9, 38 + 9)
    assert list(ax.lines[0].get_ydata()) == [38, 47, 56]


def test_the_band_stays_inside_the_range_and_visa_a_shows_near_full_recovery():
    fig = charts.questionnaire_figure([(date(2025, 3, 3), 92), (date(2025, 4, 3), 97)], definition=VISA_A)
    ax = fig.axes[0]
    assert band(ax) == (77, 100)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Close to full recovery (90 or more)" in legend
    assert "Smaller than an important change (first ± 15)" in legend


@pytest.mark.parametrize("size", ["wide", "phone"])
@pytest.mark.parametrize("definition", [LEFS, VISA_A], ids=["LEFS", "VISA-A"])
def test_nothing_is_cut_off_at_either_size(definition, size):
    """At 390 px the band's legend line once ran off the right edge: a long label is wrapped."""
    fig = charts.questionnaire_figure(POINTS, definition=definition, size=size)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    legend_box = fig.legends[0].get_window_extent(canvas.get_renderer())
    assert fig.bbox.x0 <= legend_box.x0 and legend_box.x1 <= fig.bbox.x1
    drawn_box = fig.get_tightbbox(canvas.get_renderer())  # inches, every text included
    width, height = fig.get_size_inches()
    assert drawn_box.x0 >= -0.01 and drawn_box.x1 <= width + 0.01
    assert drawn_box.y0 >= -0.01 and drawn_box.y1 <= height + 0.01
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(label.startswith("Smaller than an important change") for label in labels)


def test_one_score_is_a_placeholder_not_an_empty_axis():
    svg = charts.questionnaire_chart(POINTS[:1], definition=LEFS).decode()
    assert "One score so far" in svg  # (wrapped over lines)
    assert not charts.questionnaire_figure(POINTS[:1], definition=LEFS).axes


def test_the_svg_is_the_same_for_the_same_data():
    first = charts.questionnaire_chart(POINTS, definition=LEFS)
    assert charts.questionnaire_chart(POINTS, definition=LEFS) == first


@pytest.mark.django_db
def test_build_gives_summary_and_table_with_unscored_forms(patient):
    now = timezone.now()
    for days, score in ((60, 38), (31, None), (2, 50)):
        QuestionnaireResponseFactory(
            patient=patient, score=score, submitted_at=now - datetime.timedelta(days=days),
            not_scored_reason="Activity 3 was not answered" if score is None else "",
        )

    chart = charts.build(patient, "LEFS")

    assert chart.summary.startswith("LEFS score 50 of 80 on ")
    assert "from 38 on" in chart.summary
    assert "(2 scores): +12 points, a clinically important change" in chart.summary
    assert [row[1:] for row in chart.rows] == [
        ["38", "first score"],
        ["not scored", "Activity 3 was not answered"],
        ["50", "+12 points, a clinically important change (9 points or more)"],
    ]
    # Dated as every other chart table is ("13 Sep 2026"), not "2026-09-13".
    days = [timezone.localtime(now - datetime.timedelta(days=n)).date() for n in (60, 31, 2)]
    assert [row[0] for row in chart.rows] == [f"{day.day} {day:%b %Y}" for day in days]
    assert chart.render("svg").startswith(b"<?xml")
