"""The questionnaire chart: one instrument's scores over time, on the instrument's whole range, with
the clinically important change (MCID) as a band around the first score.

Same rules as the other charts (`tracker.charts.style` draws it, "wide" or "phone" size): a fresh Figure per
call, no pyplot, text as text in the SVG; the numbers go with it as a one-sentence summary (alt
text) and a table (`build`). Thresholds come from `tracker.metrics` through the instrument.
"""

from __future__ import annotations

import datetime

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator

from tracker import formatting, metrics
from tracker import questionnaires as definitions
from tracker.charts import style
from tracker.charts.data import ChartData
from tracker.models import User
from tracker.selectors import questionnaires as selectors

ONE_SCORE = "One score so far: the chart starts with the second."
BAND = "#56B4E9"  # Okabe-Ito sky blue, as a light tint


def chart_name(code: str) -> str:
    return f"questionnaire-{definitions.slug(code)}"


def change_text(change: metrics.ScoreChange, mcid: int) -> str:
    """E.g. "+12 points, a clinically important change (9 points or more)"."""
    points = f"{change.points:+d} point{'' if abs(change.points) == 1 else 's'}"
    if change.important:
        return f"{points}, a clinically important change ({mcid} points or more)"
    return f"{points}, less than the {mcid} points of a clinically important change"


def questionnaire_figure(
    points: list[tuple[datetime.date, int]],
    *,
    definition: definitions.Instrument,
    size: str = "wide",
) -> Figure:
    """Scores (date, score) in date order; at least two dates are needed for a trend."""
    title = f"{definition.code} score"
    if len({day for day, _score in points}) < 2:
        return style.not_enough_data_figure(title, ONE_SCORE, size)
    low, high = definition.score_range
    mcid = definition.mcid
    dates = [day for day, _score in points]
    scores = [score for _day_, score in points]

    fig, ax = style.new_figure(title, size)
    style.date_axis(ax, dates, size=size)
    first = scores[0]
    ax.axhspan(max(low, first - mcid), min(high, first + mcid), color=BAND, alpha=0.22, linewidth=0, zorder=1)
    handles = []
    if definition.code == "VISA-A":
        handles.append(
            ax.axhline(
                metrics.VISA_A_NEAR_RECOVERY, color=style.GREEN, linestyle=(0, (1.5, 2)), linewidth=1.6,
                label=f"Close to full recovery ({metrics.VISA_A_NEAR_RECOVERY} or more)", zorder=2,
            )
        )
    (line,) = ax.plot(
        dates, scores, color=style.BLUE, linewidth=2.4, marker="o",
        markersize=7 * style.marker_scale(len(dates)), label=f"{definition.code} score", zorder=4,
    )
    handles.insert(0, line)
    handles.append(
        Patch(
            facecolor=BAND, alpha=0.4, linewidth=0, label=f"Smaller than an important change (first ± {mcid})"
        )
    )
    ax.set_ylim(low - high * 0.03, high * 1.04)
    ax.yaxis.set_major_locator(MultipleLocator(20 if high > 80 else 10))
    style.end_labels(ax, [(dates[-1], scores[-1], str(scores[-1]), style.BLUE)], span=high)
    style.legend_below(fig, handles)
    style.y_label(ax, f"Score ({low}-{high}, higher is better)")
    return fig


def questionnaire_chart(
    points: list[tuple[datetime.date, int]],
    *,
    definition: definitions.Instrument,
    fmt: str = "svg",
    size: str = "wide",
) -> bytes:
    style.check_fmt(fmt)
    style.check_size(size)
    return style.render(questionnaire_figure(points, definition=definition, size=size), fmt)


def build(patient: User, code: str, summary: selectors.InstrumentSummary | None = None) -> ChartData:
    """The chart of one instrument with its alt text and table (the page, the image and the PDF)."""
    definition = definitions.instrument(code)
    summary = summary or selectors.summary(patient, code)
    all_points = summary.points if summary else []
    scored = [(p.date, p.score) for p in all_points if p.score is not None]
    low, high = definition.score_range
    first = scored[0][1] if scored else None
    rows = []
    for point in all_points:
        if point.score is None:
            rows.append([formatting.day(point.date), "not scored", point.reason])
            continue
        change = metrics.questionnaire_change(earlier=first, latest=point.score, instrument=code)
        is_first = point.response_id == summary.first.response_id
        verdict = "first score" if is_first else change_text(change, definition.mcid)
        rows.append([formatting.day(point.date), str(point.score), verdict])
    text = f"No {code} score yet."
    if scored:
        (first_day, first_score), (last_day, last_score) = scored[0], scored[-1]
        text = f"{code} score {last_score} of {high} on {formatting.day(last_day)}"
        if len(scored) > 1:
            change = metrics.questionnaire_change(earlier=first_score, latest=last_score, instrument=code)
            text += (
                f", from {first_score} on {formatting.day(first_day)} ({len(scored)} scores): "
                f"{change_text(change, definition.mcid)}"
            )
        text += "."
    return ChartData(
        name=chart_name(code),
        title=f"{definition.name}: score over time",
        summary=text,
        columns=["Date", f"Score ({low}-{high})", "Change since the first score"],
        rows=rows,
        render=lambda fmt, size="wide": questionnaire_chart(
            scored, definition=definition, fmt=fmt, size=size
        ),
    )
