"""What a triage reason is: its priority level, its words and dates, and what a rule is given.

Priority: urgent first, then "soon", then "routine"; inside a level the newest first.
"""

import datetime
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tracker.models import User


class Level(enum.IntEnum):
    URGENT = 0  # red flags: act today
    SOON = 1  # pain rules broken, function or girth getting worse, a message waiting
    ROUTINE = 2  # quiet, or new data to look at

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Reason:
    patient_id: int
    code: str  # stable, e.g. "swelling_asymmetry", "not_logged"
    level: Level
    words: str  # what the physio reads, its date included
    date: datetime.date  # when it happened: orders reasons inside a level, newest first
    since: datetime.datetime  # when it came up: a "seen" mark before this shows the patient again


@dataclass(frozen=True)
class Context:
    """What every rule gets: the caseload rows and who is looking, when."""

    rows: list  # PatientProfile rows annotated by selectors.caseload.annotate_caseload, user loaded
    reviewer: User
    today: datetime.date
    now: datetime.datetime

    @property
    def ids(self) -> list[int]:
        return [row.user_id for row in self.rows]


Rule = Callable[[Context], Iterable[Reason]]


def in_priority_order(reasons: Iterable[Reason]) -> list[Reason]:
    return sorted(reasons, key=lambda r: (r.level, -r.date.toordinal(), -r.since.timestamp(), r.code))


def day(value: datetime.date, today: datetime.date) -> str:
    """A date as the physio reads it in a reason: "today", "yesterday", "Tue 1 Dec" (+ the year
    when it is not this year's)."""
    if value == today:
        return "today"
    if value == today - datetime.timedelta(days=1):
        return "yesterday"
    text = f"{value:%a} {value.day} {value:%b}"
    return text if value.year == today.year else f"{text} {value.year}"


def on_day(value: datetime.date, today: datetime.date) -> str:
    """`day` after a verb: "since your review today", "... yesterday", "... on Tue 1 Dec"."""
    words = day(value, today)
    return words if words in ("today", "yesterday") else f"on {words}"
