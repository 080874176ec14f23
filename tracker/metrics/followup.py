"""Questionnaire score changes against the MCID, and dates too early to be true."""

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.metrics.base import EARLY_DATE_MARGIN_DAYS, QUESTIONNAIRE_MCIDS, _check_choice

# --- Questionnaires -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreChange:
    """A questionnaire score against an earlier one of the same instrument (higher is better)."""

    points: int  # latest - earlier, signed
    important: bool  # at least the instrument's MCID, either way
    direction: str  # "better" | "worse" | "same"


def questionnaire_change(*, earlier: int, latest: int, instrument: str) -> ScoreChange:
    """The change between two scores of one instrument, judged against its MCID (>= MCID counts)."""
    _check_choice(instrument, tuple(QUESTIONNAIRE_MCIDS), "questionnaire")
    points = int(latest) - int(earlier)
    direction = "better" if points > 0 else "worse" if points < 0 else "same"
    return ScoreChange(
        points=points, important=abs(points) >= QUESTIONNAIRE_MCIDS[instrument], direction=direction
    )


def implausibly_early(day: date, *, first_record: date | None, today: date) -> bool:
    """Whether `day` is more than EARLY_DATE_MARGIN_DAYS before her first record (else today)."""
    reference = min(first_record, today) if first_record is not None else today
    return day < reference - timedelta(days=EARLY_DATE_MARGIN_DAYS)


def likely_meant(day: date, *, today: date) -> date:
    """The date a typo in the year most likely stands for: the same day this year, or last year's
    if that is still to come (29 February becomes the 28th in a common year)."""
    for year in (today.year, today.year - 1):
        try:
            meant = day.replace(year=year)
        except ValueError:  # 29 February
            meant = date(year, 2, 28)
        if meant <= today:
            return meant
    return meant
