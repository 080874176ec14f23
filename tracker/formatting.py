"""How numbers are written for people: girth in her unit, signed differences, percentages.

Pure functions shared by the templates (`templatetags.rehab`) and the PDF report.
"""

from tracker import metrics


def girth(value_cm, unit: str = "cm") -> str:
    """34.2 -> "34.2 cm", or "13.5 in" for a patient who prefers inches. Storage stays in cm."""
    if value_cm is None or value_cm == "":
        return "—"
    if unit == "in":
        return f"{metrics.cm_to_inches(value_cm):.1f} in"
    return f"{float(value_cm):.1f} cm"


def signed_girth(value_cm, unit: str = "cm") -> str:
    """A signed difference: "-3.4 cm" / "+0.2 in"."""
    if value_cm is None:
        return "—"
    value = metrics.cm_to_inches(value_cm) if unit == "in" else float(value_cm)
    return f"{value:+.1f} {'in' if unit == 'in' else 'cm'}"


def percent(value) -> str:
    return "—" if value is None else f"{float(value):.1f}%"


def per_week(times: int) -> str:
    """How often a prescription is done: 14 -> "twice a day", 7 -> "every day", 3 -> "3 times a week"."""
    if times >= 2 * metrics.DAYS_PER_WEEK:
        return "twice a day"
    if times >= metrics.DAYS_PER_WEEK:
        return "every day"
    return "once a week" if times == 1 else f"{times} times a week"


def today_words(status, done_this_week: int, times_per_week: int) -> str:
    """A plan item's state today (progression.TodayStatus), e.g. "1 of 2 done today"."""
    if status.state == "done":
        return "Done today" if status.due < 2 else "Done twice today"
    if status.state == "partly":
        return f"{status.done} of {status.due} done today"
    if status.state == "rest":
        return f"Rest day: {done_this_week} of {times_per_week} done this week"
    return "Due twice today" if status.due == 2 else "Due today"
