"""How numbers are written for people: girth in her unit, signed differences, percentages.

Pure functions shared by the templates (`templatetags.rehab`) and the PDF report.
"""

import datetime

from tracker import metrics


def day(value: datetime.date) -> str:
    """How dates are written in sentences and tables: "6 Dec 2026" (no leading zero)."""
    return f"{value.day} {value:%b %Y}"


def moment(value: datetime.datetime) -> str:
    """A time in her day, as the lists write it: "Fri 4 Dec 2026, 19:00" (give it local time)."""
    return f"{value:%a} {value.day} {value:%b %Y}, {value:%H:%M}"


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


def girth_range(unit: str) -> str:
    """The plausible girth range in her unit: "15.0 to 80.0 cm" or "5.9 to 31.5 in"."""
    low, high = metrics.girth_range(unit)
    return f"{low:.1f} to {high:.1f} {unit}"


def rise_change(change: int) -> str:
    """A signed change in heel rises: "+8 rises", "+1 rise", "-1 rise", "0 rises"."""
    return f"{change:+d} rise{'' if abs(change) == 1 else 's'}" if change else "0 rises"


def percent(value) -> str:
    return "—" if value is None else f"{float(value):.1f}%"


# Girth sites in plain words: the full name once (with the code she will see in exports), then short.
SITE_NAMES = {
    "tt10": "10 cm below the knee bump (tt10)",
    "tt15": "15 cm below the knee bump (tt15)",
    "max": "Widest part of the calf (max)",
}
SITE_SHORT = {"tt10": "10 cm below knee", "tt15": "15 cm below knee", "max": "Widest part"}


def site_name(site: str) -> str:
    return SITE_NAMES.get(site, site)


def site_short(site: str) -> str:
    return SITE_SHORT.get(site, site)


def girth_comparison(symmetry: metrics.Symmetry, unit: str = "cm") -> str:
    """The involved calf against the other: "Left calf 1.9 cm smaller" (never a percentage).

    For "both"/"unknown" the involved side is the smaller calf, so the sentence names it.
    """
    difference = float(symmetry.difference)
    if abs(difference) < 0.05:
        return "Both calves the same size"
    size = girth(abs(difference), unit)
    return f"{symmetry.involved_side.capitalize()} calf {size} {'smaller' if difference < 0 else 'larger'}"


def girth_goal(goal_reached: bool, unit: str = "cm") -> str:
    """The girth goal in words: "goal: less than 1 cm smaller (reached)" (or "0.4 in (1 cm)")."""
    status = "reached" if goal_reached else "not reached yet"
    limit = f"{metrics.GIRTH_NORMAL_MAX_CM:g} cm"
    if unit == "in":
        limit = f"{metrics.cm_to_inches(metrics.GIRTH_NORMAL_MAX_CM):.1f} in ({limit})"
    return f"goal: less than {limit} smaller ({status})"


def sessions_done(adherence) -> str:
    """Sessions done against expected (a selectors.programme.Adherence): "2 of 14 sessions", or, when
    she did more than expected, "9 sessions, more than the 8 expected" (never "9 of 8")."""
    done, expected = adherence.done, adherence.expected
    if done > expected:
        return f"{done} sessions, more than the {expected} expected"
    return f"{done} of {expected} session{'' if expected == 1 else 's'}"


def sessions_count(done: int, expected: int) -> str:
    """The short form, for a big number or a bar's label: "2 of 4", or "4" when more than expected."""
    return str(done) if done > expected else f"{done} of {expected}"


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
        return f"Rest day: {sessions_count(done_this_week, times_per_week)} done this week"
    if status.state == "paused":
        return "Paused"  # why: the warning box above it
    return "Due twice today" if status.due == 2 else "Due today"
