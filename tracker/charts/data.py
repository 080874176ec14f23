"""Each progress chart as data: the series, a one-sentence summary (alt text) and a table.

Pages, chart images and the PDF report all use these, so the picture, its alt text and its
table always show the same numbers.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.text import capfirst

from tracker import formatting, metrics
from tracker.charts import figures, style, training
from tracker.models import GirthMeasurement, PatientProfile, User
from tracker.selectors import periods, series
from tracker.selectors.flags import exercise_paused

CHART_NAMES = ("girth", "symmetry", "heel-rise", "volume", "pain", "adherence")
PANELS = {"symmetry": 2, "volume": 3, "pain": 2}  # stacked panels: a taller figure


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


def size_from_query(query) -> str:
    """?size=phone for the narrow, taller rendering; anything else is the wide one."""
    return "phone" if query.get("size") == "phone" else "wide"


CARD_COLUMNS = 5


@dataclass
class ChartData:
    name: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    render: object = None  # callable(fmt, size="wide") -> bytes

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """Each row's cells with their column's name: a phone shows a wide table as one card a row."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    @property
    def cards_on_phone(self) -> bool:
        """Five columns and more do not fit a phone's width (they scrolled sideways): one card a row."""
        return len(self.columns) >= CARD_COLUMNS

    @property
    def wide_px(self) -> tuple[int, int]:
        return style.size_px("wide", PANELS.get(self.name, 1))

    @property
    def phone_px(self) -> tuple[int, int]:
        return style.size_px("phone", PANELS.get(self.name, 1))


def _fmt(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{float(value):.{digits}f}{suffix}"


def _pair(left: str, right: str) -> str:
    """ "1,152 / 0": a left / right pair that a narrow table cell never breaks across lines."""
    return f"{left}\u00a0/\u00a0{right}"


def _first_to_last(first: str, last: str, unit: str = "") -> str:
    """ "34.4 to 35.5 cm"; "37.4 cm at the first and the last" when they are the same."""
    unit = f" {unit}" if unit else ""
    return f"{first}{unit} at the first and the last" if first == last else f"{first} to {last}{unit}"


# The first column of a chart's table: what each row (point, bar) stands for.
PERIOD_COLUMNS = {
    "day": "Date",
    "week": "Week starting",
    "month": "Month",
    "quarter": "Quarter",
    "year": "Year",
}
# The time axis of the bar charts when a bar is not a week.
PERIOD_AXES = {
    "month": "Month (average week)",
    "quarter": "Quarter (average week)",
    "year": "Year (average week)",
}


def _when(period: periods.Period, start: datetime.date) -> str:
    """A table row's period: "2 Dec 2026" (day, week starting), "Dec 2026", "Q4 2026" or "2026"."""
    if period.name == "month":
        return f"{start:%b %Y}"
    if period.name == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if period.name == "year":
        return str(start.year)
    return formatting.day(start)


def _span(period: periods.Period, first: datetime.date, last: datetime.date) -> str:
    """ "2 Nov 2026 to 5 Dec 2026", "the week of 2 Nov 2026 to the week of 30 Nov 2026", "2024 to 2026"."""
    week = "the week of " if period is periods.WEEK else ""
    return f"{week}{_when(period, first)} to {week}{_when(period, last)}"


def _sessions(count: int) -> str:
    return f"{count} session{'' if count == 1 else 's'}"


def _each(period: periods.Period, what: str) -> str:
    """ "12 measurements" (a point each) or "12 weekly means" (a point per week, month, ...)."""
    return what if period is periods.DAY else f"{period.adjective} means"


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


def _girth(user, profile, options, start, today) -> ChartData:
    period, points = series.girth_series(user, site=options.site, start=start)
    baseline = series.first_girth(user, site=options.site) if points else None
    unit = profile.unit
    site_label = GirthMeasurement.Site(options.site).label
    involved = profile.affected_side
    data = ChartData(
        name="girth",
        title=f"Calf girth — {formatting.site_name(options.site)}",
        summary="No girth measurements at this site in this period yet.",
        columns=[
            PERIOD_COLUMNS[period.name],
            f"{_side_label('left', involved)} ({unit})",
            f"{_side_label('right', involved)} ({unit})",
        ],
        rows=[
            [_when(period, p.date), _fmt(_length(p.left_cm, unit)), _fmt(_length(p.right_cm, unit))]
            for p in points
        ],
        render=lambda fmt, size="wide": figures.girth_chart(
            points,
            involved_side=involved,
            unit=unit,
            site_label=site_label,
            baseline=baseline,
            fmt=fmt,
            size=size,
            until=today,
        ),
    )
    if points:
        first, last = points[0], points[-1]
        left = _first_to_last(_fmt(_length(first.left_cm, unit)), _fmt(_length(last.left_cm, unit)), unit)
        right = _first_to_last(_fmt(_length(first.right_cm, unit)), _fmt(_length(last.right_cm, unit)), unit)
        data.summary = (
            f"{formatting.site_name(options.site)}: left {left}, right {right}, "
            f"from {formatting.day(first.date)} to {formatting.day(last.date)} "
            f"({len(points)} {_each(period, 'measurements')})."
        )
    return data


def _symmetry(user, profile, options, start, today) -> ChartData:
    involved = profile.affected_side
    unit = profile.unit
    girth_period, girth = series.girth_series(user, site=options.site, start=start)
    heel_period, heel_points = series.heel_rise_series(user, start=start)
    heel = series.lsi_series(heel_points, involved, "left", "right")
    # Rows by record (or both by the same period); a rare mix of records and means is dated by day.
    period = girth_period if girth_period == heel_period else periods.DAY
    target = float(profile.target_lsi)
    by_date: dict[datetime.date, list[str]] = {}
    latest = None
    for p in girth:
        latest = metrics.symmetry(left=p.left_cm, right=p.right_cm, affected_side=involved)
        verdict = metrics.girth_verdict(latest.difference)
        by_date.setdefault(p.date, ["—", "—"])[0] = (
            f"{formatting.signed_girth(latest.difference, unit)}: {verdict.label.split(' (')[0].lower()}"
        )
    for p in heel:
        verdict = metrics.heel_rise_verdict(p.lsi, target)
        reached = "target reached" if verdict.target_reached else "below target"
        by_date.setdefault(p.date, ["—", "—"])[1] = f"{_fmt(p.lsi, suffix='%')} ({reached})"
    parts = []
    if latest is not None:
        parts.append(
            f"girth: {formatting.girth_comparison(latest, unit).lower()}, "
            f"{formatting.girth_goal(metrics.girth_verdict(latest.difference).goal_reached, unit)}"
        )
    if heel:
        reached = metrics.heel_rise_verdict(heel[-1].lsi, target).target_reached
        parts.append(
            f"heel-rise LSI {heel[0].lsi:.1f}% to {heel[-1].lsi:.1f}% "
            f"(target {target:g}% {'reached' if reached else 'not reached yet'})"
        )
    return ChartData(
        name="symmetry",
        title="Limb symmetry",
        summary=f"Symmetry, latest: {'; '.join(parts)}." if parts else "No symmetry data in this period yet.",
        columns=[PERIOD_COLUMNS[period.name], f"Girth: involved − other ({unit})", "Heel-rise LSI"],
        rows=[[_when(period, d), *values] for d, values in sorted(by_date.items())],
        render=lambda fmt, size="wide": figures.symmetry_chart(
            girth, heel, involved_side=involved, target_lsi=target, unit=unit, fmt=fmt, size=size,
            until=today,
        ),
    )


def norm_label(sex: str | None) -> str:
    """The heel-rise population reference in words, e.g. "Typical for women: 21 rises"."""
    return capfirst(metrics.heel_rise_norm_words(sex))


def _heel_rise(user, profile, options, start, today) -> ChartData:
    period, points = series.heel_rise_series(user, start=start)
    norm = metrics.heel_rise_norm(profile.sex)
    involved = profile.affected_side
    summary = "No heel-rise tests in this period yet."
    if points:
        summary = (
            f"Heel rises: left {_first_to_last(str(points[0].left), str(points[-1].left))}, "
            f"right {_first_to_last(str(points[0].right), str(points[-1].right))} "
            f"({len(points)} {_each(period, 'tests')}); "
            f"{metrics.heel_rise_norm_words(profile.sex)} (a population reference: your other leg is the one "
            "to match)."
        )
    surfaces = figures.SURFACES
    return ChartData(
        name="heel-rise",
        title="Heel-rise test",
        summary=summary,
        columns=[
            PERIOD_COLUMNS[period.name],
            f"{_side_label('left', involved)} (reps)",
            f"{_side_label('right', involved)} (reps)",
            "Surface",
        ],
        rows=[
            [_when(period, p.date), str(p.left), str(p.right), surfaces.get(p.incline, "—").capitalize()]
            for p in points
        ],
        render=lambda fmt, size="wide": figures.heel_rise_chart(
            points,
            involved_side=involved,
            norm_median=norm,
            norm_label=norm_label(profile.sex),
            fmt=fmt,
            size=size,
            until=today,
        ),
    )


def _volume(user, profile, options, start, today) -> ChartData:
    period, weeks = series.weekly_volume(user, start=start, today=today)
    # Beyond about two years a bar is a month, quarter or year, showing its average week.
    average = " (average weeks)" if period.aggregated else ""
    a_week = " a week" if period.aggregated else ""
    summary = "No exercise logged in this period yet."
    finished = [w for w in weeks if not w.so_far]
    if finished:
        average_left = sum(w.left for w in finished) / len(finished)
        average_right = sum(w.right for w in finished) / len(finished)
        summary = (
            f"Weekly training volume over {len(finished)} finished {period.name}s{average}: on average "
            f"{average_left:.0f} (left) and {average_right:.0f} (right) sets × reps a week."
        )
        loads = [w.load_left + w.load_right for w in finished]
        if any(loads):
            latest = f"latest finished {period.name}" + (" (average week)" if period.aggregated else "")
            summary += f" Load lifted, {latest}: {loads[-1]:,.0f} kg."
    elif weeks:
        summary = f"Only this {period.name} so far: see the table."

    def week_label(week) -> str:
        return f"{_when(period, week.week_start)}{' (so far)' if week.so_far else ''}"

    return ChartData(
        name="volume",
        title="Weekly training volume",
        summary=summary,
        columns=[
            PERIOD_COLUMNS[period.name],
            f"Left (sets × reps{a_week})",
            f"Right (sets × reps{a_week})",
            f"Prescribed left / right{a_week}",
            f"Load left / right (kg{a_week})",
            f"Stretch left / right (min{a_week})",
        ],
        rows=[
            [
                week_label(w),
                str(w.left),
                str(w.right),
                _pair(_fmt(w.prescribed_left, 0), _fmt(w.prescribed_right, 0)),
                _pair(f"{w.load_left:,.0f}", f"{w.load_right:,.0f}"),
                _pair(f"{w.stretch_left:.1f}", f"{w.stretch_right:.1f}"),
            ]
            for w in weeks
        ],
        render=lambda fmt, size="wide": training.volume_chart(
            weeks, fmt=fmt, size=size, axis_label=PERIOD_AXES.get(period.name, training.WEEK_LABEL)
        ),
    )


def _pain(user, profile, options, start, today) -> ChartData:
    period, points = series.pain_series(user, start=start, today=today)
    summary = "No pain recorded in this period yet."
    during = [p.during for p in points if p.during is not None]
    mean_digits = 0 if period is periods.DAY else 1
    if points:
        if period is periods.DAY:
            over = f"logged on {len(points)} days"
        else:
            over = f"over {len(points)} {period.name}s ({period.adjective} means)"
        summary = (
            f"Pain {over}, {_span(period, points[0].date, points[-1].date)}: "
            f"worst pain during exercise {_fmt(max(during) if during else None, 0)}/10; "
            f"acceptable limit {metrics.PAIN_ACCEPTABLE_MAX}/10. Night cramps in a panel of their own."
        )
    return ChartData(
        name="pain",
        title="Pain and night cramps",
        summary=summary,
        columns=[
            PERIOD_COLUMNS[period.name],
            "During exercise",
            "After",
            "On waking",
            "Night cramps",
        ],
        # Pain during and after: the worst of each day or period, a whole number on the 0-10 scale;
        # on waking and cramps: a day's answer, or a longer period's mean (to 0.1).
        rows=[
            [
                _when(period, p.date),
                _fmt(p.during, 0),
                _fmt(p.after, 0),
                _fmt(p.next_morning, mean_digits),
                "not answered" if p.night_cramps is None else _fmt(p.night_cramps, mean_digits),
            ]
            for p in points
        ],
        render=lambda fmt, size="wide": training.pain_chart(points, fmt=fmt, size=size, until=today),
    )


def _adherence(user, profile, options, start, today) -> ChartData:
    period, weeks = series.weekly_adherence(user, start=start, today=today)
    # An urgent warning sign pauses her programme: this week's unfinished bar then asks for nothing more.
    paused = exercise_paused(user, today=today)
    finished = [w.percent for w in weeks if w.percent is not None and not w.so_far]
    summary = "No exercise programme in this period yet."
    if weeks:
        summary = (
            f"{period.adjective.capitalize()} adherence to the programme over {len(finished)} finished "
            f"{period.name}s: average {sum(finished) / len(finished):.0f}%."
            if finished
            else f"No finished {period.name} yet."
        )
        if weeks[-1].so_far and weeks[-1].expected and paused:
            summary += (
                f" This {period.name} so far: {_sessions(weeks[-1].done)}. "
                f"{metrics.PROGRAMME_PAUSED_NOTE}"
            )
        elif weeks[-1].so_far and weeks[-1].expected:
            summary += f" This {period.name} so far: {formatting.sessions_done(weeks[-1])}."

    def sessions(week) -> str:
        if not week.expected:
            return f"{week.done} (none expected)"
        if week.so_far and paused:
            return f"{_sessions(week.done)} (paused)"
        return formatting.sessions_done(week)

    def when(week) -> str:
        return f"{_when(period, week.week_start)}{' (so far)' if week.so_far else ''}"

    def adherence(week) -> str:
        if not week.so_far:
            return _fmt(week.percent, 0, "%")
        return "paused" if paused and week.expected else f"{period.name} not over"

    return ChartData(
        name="adherence",
        title="Weekly adherence",
        summary=summary,
        columns=[PERIOD_COLUMNS[period.name], "Sessions", "Adherence"],
        rows=[
            [when(w), sessions(w), adherence(w)]
            for w in weeks
        ],
        render=lambda fmt, size="wide": training.adherence_chart(
            weeks, fmt=fmt, size=size, axis_label=PERIOD_AXES.get(period.name, training.WEEK_LABEL),
            paused=paused,
        ),
    )
