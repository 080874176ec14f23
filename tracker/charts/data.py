"""Each progress chart as data: the series, a one-sentence summary (alt text) and a table.

Pages, chart images and the PDF report all use these, so the picture, its alt text and its
table always show the same numbers.
"""

import datetime
from dataclasses import dataclass, field

from tracker import metrics
from tracker.charts import figures
from tracker.models import GirthMeasurement, PatientProfile, User
from tracker.selectors import series

CHART_NAMES = ("girth", "symmetry", "heel-rise", "volume", "pain", "adherence")


@dataclass(frozen=True)
class ChartOptions:
    range_key: str = series.DEFAULT_RANGE
    site: str = metrics.PREFERRED_SITE

    @classmethod
    def from_query(cls, query, *, default_site: str = metrics.PREFERRED_SITE) -> "ChartOptions":
        """Unknown values fall back to the defaults: a bad ?range= never breaks a page."""
        range_key = query.get("range")
        site = query.get("site")
        return cls(
            range_key=range_key if range_key in series.RANGES else series.DEFAULT_RANGE,
            site=site if site in metrics.GIRTH_SITES else default_site,
        )

    def querystring(self) -> str:
        return f"range={self.range_key}&site={self.site}"


@dataclass
class ChartData:
    name: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    render: object = None  # callable(fmt) -> bytes


def _fmt(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{float(value):.{digits}f}{suffix}"


def _length(value_cm: float, unit: str) -> float:
    return metrics.cm_to_inches(value_cm) if unit == "in" else float(value_cm)


def _side_label(side: str, involved: str) -> str:
    return f"{side.title()}{' (involved)' if side == involved else ''}"


def build(
    name: str, user: User, profile: PatientProfile, options: ChartOptions, today: datetime.date
) -> ChartData:
    start = series.range_start(options.range_key, today)
    builder = {
        "girth": _girth,
        "symmetry": _symmetry,
        "heel-rise": _heel_rise,
        "volume": _volume,
        "pain": _pain,
        "adherence": _adherence,
    }[name]
    return builder(user, profile, options, start, today)


def _each(period: series.Period, what: str) -> str:
    """ "12 measurements" (one point each) or "12 monthly means" (one point per period)."""
    return what if period is series.DAY else f"{period.adjective} means"


def _girth(user, profile, options, start, today) -> ChartData:
    period, points = series.girth_series(user, site=options.site, start=start)
    unit = profile.unit
    site_label = GirthMeasurement.Site(options.site).label
    involved = profile.affected_side
    data = ChartData(
        name="girth",
        title=f"Calf girth — {site_label}",
        summary="No girth measurements at this site in this period yet.",
        columns=[
            period.label,
            f"{_side_label('left', involved)} ({unit})",
            f"{_side_label('right', involved)} ({unit})",
        ],
        rows=[
            [p.date.isoformat(), _fmt(_length(p.left_cm, unit)), _fmt(_length(p.right_cm, unit))]
            for p in points
        ],
        render=lambda fmt: figures.girth_chart(
            points, involved_side=involved, unit=unit, site_label=site_label, fmt=fmt
        ),
    )
    if points:
        first, last = points[0], points[-1]
        left = f"{_fmt(_length(first.left_cm, unit))} to {_fmt(_length(last.left_cm, unit))} {unit}"
        right = f"{_fmt(_length(first.right_cm, unit))} to {_fmt(_length(last.right_cm, unit))} {unit}"
        data.summary = (
            f"{site_label}: left {left}, right {right}, "
            f"from {first.date:%d %b %Y} to {last.date:%d %b %Y} "
            f"({len(points)} {_each(period, 'measurements')})."
        )
    return data


def _symmetry(user, profile, options, start, today) -> ChartData:
    girth_period, girth_points = series.girth_series(user, site=options.site, start=start)
    girth = series.lsi_series(girth_points, profile.affected_side, "left_cm", "right_cm")
    heel_period, heel_points = series.heel_rise_series(user, start=start)
    heel = series.lsi_series(heel_points, profile.affected_side, "left", "right")
    # Both by record, or the coarser period of the two (a long chart is by period).
    period = max(girth_period, heel_period, key=lambda p: (p.months, p.days))
    target = float(profile.target_lsi)
    by_date: dict[datetime.date, list[str]] = {}
    for p in girth:
        by_date.setdefault(p.date, ["—", "—"])[0] = _fmt(p.lsi, suffix="%")
    for p in heel:
        by_date.setdefault(p.date, ["—", "—"])[1] = _fmt(p.lsi, suffix="%")
    parts = []
    if girth:
        parts.append(f"girth LSI {girth[0].lsi:.1f}% to {girth[-1].lsi:.1f}%")
    if heel:
        parts.append(f"heel-rise LSI {heel[0].lsi:.1f}% to {heel[-1].lsi:.1f}%")
    return ChartData(
        name="symmetry",
        title="Limb symmetry",
        summary=(
            f"Limb symmetry index (involved ÷ other leg): {', '.join(parts)}; target {target:.0f}%."
            if parts
            else "No symmetry data in this period yet."
        ),
        columns=[period.label, "Girth LSI", "Heel-rise LSI"],
        rows=[[d.isoformat(), *values] for d, values in sorted(by_date.items())],
        render=lambda fmt: figures.symmetry_chart(girth, heel, target_lsi=target, fmt=fmt),
    )


def _heel_rise(user, profile, options, start, today) -> ChartData:
    period, points = series.heel_rise_series(user, start=start)
    norm = metrics.heel_rise_norm(profile.sex)
    involved = profile.affected_side
    summary = "No heel-rise tests in this period yet."
    if points:
        summary = (
            f"Heel rises: left {points[0].left} to {points[-1].left}, right {points[0].right} to "
            f"{points[-1].right} ({len(points)} {_each(period, 'tests')}); norm median {norm} reps."
        )
    return ChartData(
        name="heel-rise",
        title="Heel-rise test",
        summary=summary,
        columns=[
            period.label,
            f"{_side_label('left', involved)} (reps)",
            f"{_side_label('right', involved)} (reps)",
        ],
        rows=[[p.date.isoformat(), str(p.left), str(p.right)] for p in points],
        render=lambda fmt: figures.heel_rise_chart(points, involved_side=involved, norm_median=norm, fmt=fmt),
    )


def _volume(user, profile, options, start, today) -> ChartData:
    period, weeks = series.weekly_volume(
        user, start=start, today=today, involved_side=profile.affected_side
    )
    summary = "No exercise with repetitions logged in this period yet."
    if weeks:
        average_left = sum(w.left for w in weeks) / len(weeks)
        average_right = sum(w.right for w in weeks) / len(weeks)
        span = f"{len(weeks)} {period.name}s" + ("" if period is series.WEEK else " (average weeks)")
        summary = (
            f"Weekly training volume over {span}: on average {average_left:.0f} (left) and "
            f"{average_right:.0f} (right) sets × reps a week."
        )
    return ChartData(
        name="volume",
        title="Weekly training volume",
        summary=summary,
        columns=[period.label, "Left (sets × reps)", "Right (sets × reps)", "Prescribed"],
        rows=[[w.week_start.isoformat(), str(w.left), str(w.right), _fmt(w.prescribed, 0)] for w in weeks],
        render=lambda fmt: figures.volume_chart(weeks, fmt=fmt),
    )


def _pain(user, profile, options, start, today) -> ChartData:
    period, points = series.pain_series(user, start=start, today=today)
    summary = "No pain recorded in this period yet."
    during = [p.during for p in points if p.during is not None]
    if points:
        over = "days" if period is series.DAY else f"{period.name}s ({period.adjective} means)"
        summary = (
            f"Pain over {len(points)} {over}: "
            f"worst pain during exercise {_fmt(max(during) if during else None, 0)}/10; "
            "acceptable limit 5/10."
        )
    return ChartData(
        name="pain",
        title="Pain and night cramps",
        summary=summary,
        columns=[period.label, "During exercise", "After", "On waking", "Night cramps"],
        rows=[
            [p.date.isoformat(), _fmt(p.during), _fmt(p.after), _fmt(p.next_morning), _fmt(p.night_cramps)]
            for p in points
        ],
        render=lambda fmt: figures.pain_chart(points, fmt=fmt),
    )


def _adherence(user, profile, options, start, today) -> ChartData:
    period, weeks = series.weekly_adherence(user, start=start, today=today)
    known = [w.percent for w in weeks if w.percent is not None]
    summary = "No exercise programme in this period yet."
    if known:
        summary = (
            f"{period.adjective.capitalize()} adherence to the programme over {len(weeks)} {period.name}s: "
            f"average {sum(known) / len(known):.0f}%, latest {_fmt(weeks[-1].percent, 0, '%')}."
        )
    return ChartData(
        name="adherence",
        title="Weekly adherence",
        summary=summary,
        columns=[period.label, "Adherence"],
        rows=[[w.week_start.isoformat(), _fmt(w.percent, 0, "%")] for w in weeks],
        render=lambda fmt: figures.adherence_chart(weeks, fmt=fmt),
    )
