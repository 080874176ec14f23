"""Her open warning signs: the urgent red flags of her recent measurements and check-ins, and
whether they pause her programme (`metrics.pauses_exercise`).

The dashboard, the programme page, the PDF, the reminders and the physio's triage read them here.
"""

import datetime
from dataclasses import dataclass

from tracker import metrics
from tracker.models import GirthMeasurement, SymptomLog, User


@dataclass(frozen=True)
class SwellingFinding:
    """A swelling red flag and the measurement that raised it (`row` as given to swelling_findings)."""

    row: tuple  # (site, date, left_cm, right_cm, ...)
    previous: tuple | None  # the same site's previous measurement, when within reach
    flag: metrics.RedFlag


def swelling_findings(
    recent: list[tuple], *, affected_side: str, today: datetime.date
) -> list[SwellingFinding]:
    """The swelling flags open today, from one patient's recent girth rows.

    `recent`: rows starting (site, date, left_cm, right_cm), ordered by site then newest first, from
    SWELLING_LOOKBACK_DAYS + SWELLING_RISE_DAYS ago (a rise counts against a measurement at most
    SWELLING_RISE_DAYS older). Only the latest measurement of each site inside the look-back window
    is judged. Extra items in a row are passed through (the triage adds when it was logged).
    """
    findings = []
    look_back = datetime.timedelta(days=metrics.SWELLING_LOOKBACK_DAYS)
    for index, row in enumerate(recent):
        site, day, left, right = row[:4]
        latest_at_site = index == 0 or recent[index - 1][0] != site
        if not latest_at_site or day < today - look_back:
            continue
        following = recent[index + 1] if index + 1 < len(recent) else None
        previous = following if following is not None and following[0] == site else None
        flags = metrics.swelling_flags(
            site=site,
            left_cm=left,
            right_cm=right,
            affected_side=affected_side,
            previous=(previous[2], previous[3]) if previous else None,
            days_since_previous=(day - previous[1]).days if previous else None,
        )
        findings += [SwellingFinding(row=row, previous=previous, flag=flag) for flag in flags]
    return findings


def swelling_window_start(today: datetime.date) -> datetime.date:
    """The oldest girth date swelling_findings needs."""
    return today - datetime.timedelta(days=metrics.SWELLING_LOOKBACK_DAYS + metrics.SWELLING_RISE_DAYS)


def active_red_flags(user: User, *, affected_side: str, today: datetime.date) -> list[metrics.RedFlag]:
    """Urgent flags: swelling at the latest measurement of each site in the look-back window, and
    red-flag symptoms ticked on any check-in of the last SYMPTOM_FLAG_DAYS days."""
    recent = list(
        GirthMeasurement.objects.for_patient(user)
        .filter(date__gte=swelling_window_start(today))
        .order_by("site", "-date")
        .values_list("site", "date", "left_cm", "right_cm")
    )
    flags = [finding.flag for finding in swelling_findings(recent, affected_side=affected_side, today=today)]
    ticked = set()
    checkins = SymptomLog.objects.for_patient(user).filter(
        date__gte=today - datetime.timedelta(days=metrics.SYMPTOM_FLAG_DAYS)
    )
    for log in checkins:
        ticked.update(log.red_flag_codes())
    flags += metrics.symptom_flags(ticked)
    unique = {}
    for flag in flags:
        unique.setdefault(flag.code, flag)
    return list(unique.values())


def exercise_paused(user: User, *, today: datetime.date) -> bool:
    """Whether an urgent warning sign pauses her programme today (she has a profile)."""
    flags = active_red_flags(user, affected_side=user.profile.affected_side, today=today)
    return metrics.pauses_exercise(flags)
