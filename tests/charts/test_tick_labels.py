"""Date tick labels never run together: at phone and desktop size, at every range, each label stands
apart from the next ("26 Oct 23 Nov 2026" read as one date on a phone before this test)."""

import datetime

import pytest
from django.utils import timezone
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tests.factories import PatientFactory
from tests.views.test_charts import make_history
from tracker.charts import data as chart_data
from tracker.selectors.series import RANGES

pytestmark = pytest.mark.django_db

MIN_GAP_PX = 10  # between two labels, at the figure's own pixels (a phone shows them at 1:1)


def saved_figures(monkeypatch) -> list[Figure]:
    """Every Figure saved while the test runs (the charts draw and save in one call)."""
    saved = []
    real_savefig = Figure.savefig

    def keep(figure, *args, **kwargs):
        saved.append(figure)
        return real_savefig(figure, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    return saved


def cramped_labels(figure: Figure) -> list[str]:
    renderer = FigureCanvasAgg(figure).get_renderer()
    found = []
    for ax in figure.axes:
        labels = []
        for text in ax.get_xticklabels():
            if text.get_visible() and text.get_text():
                box = text.get_window_extent(renderer)
                labels.append((box.x0, box.x1, text.get_text()))
        labels.sort()
        for (_, end, left), (start, _, right) in zip(labels, labels[1:], strict=False):
            if start - end < MIN_GAP_PX:
                found.append(f"{left!r} | {right!r}: {start - end:.1f} px")
    return found


# (weeks of history, the ranges that differ for it: beyond her history a range is "all")
HISTORIES = [(20, ("4w", "12w", "all")), (160, ("6m", "1y", "all"))]


def test_every_range_is_checked():
    assert {key for _, keys in HISTORIES for key in keys} == set(RANGES)


# Just after New Year: the ticks of two years side by side, where labels ran together before.
TODAY = datetime.date(2027, 1, 20)


def on_day(monkeypatch, day: datetime.date) -> None:
    """`day` is today for the factories, the charts and their series (a fixed day: the ticks and
    their labels depend on the date)."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    monkeypatch.setattr(timezone, "now", lambda: noon)


@pytest.mark.parametrize(("weeks", "ranges"), HISTORIES, ids=[f"{w} weeks" for w, _ in HISTORIES])
def test_date_labels_stand_apart_at_every_range_and_size(monkeypatch, weeks, ranges):
    on_day(monkeypatch, TODAY)
    patient = PatientFactory()
    make_history(patient, weeks)
    saved = saved_figures(monkeypatch)
    today = timezone.localdate()
    problems = []
    for range_key in ranges:
        for name in chart_data.CHART_NAMES:
            options = chart_data.ChartOptions(range_key=range_key)
            chart = chart_data.build(name, patient, patient.profile, options, today)
            for size in ("phone", "wide"):
                saved.clear()
                chart.render("svg", size)
                problems += [f"{name} {range_key} {size}: {p}" for p in cramped_labels(saved[-1])]
    assert problems == [], "\n".join(problems)
