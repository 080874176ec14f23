"""Queries and row data for the heel-rise test pages and export."""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from tracker import metrics
from tracker.models import HeelRiseTest, User


def tests_with_previous(user: User) -> QuerySet[HeelRiseTest]:
    """Her tests, newest first, each annotated with the reps of her test just before it.

    "Before" means earlier date, or the same date and saved earlier. The subqueries look at all
    her tests, so a date filter applied afterwards does not change what a row is compared with.
    """
    earlier = (
        HeelRiseTest.objects.filter(patient=OuterRef("patient"))
        .filter(Q(date__lt=OuterRef("date")) | Q(date=OuterRef("date"), id__lt=OuterRef("id")))
        .order_by("-date", "-id")
    )
    return (
        HeelRiseTest.objects.for_patient(user)
        .annotate(
            previous_left=Subquery(earlier.values("reps_left")[:1]),
            previous_right=Subquery(earlier.values("reps_right")[:1]),
        )
        .order_by("-date", "-id")
    )


def tests_for_export(user: User) -> QuerySet[HeelRiseTest]:
    return HeelRiseTest.objects.for_patient(user).order_by("date", "id")


@dataclass(frozen=True)
class LegChange:
    side: str  # "Left" | "Right"
    delta: int  # reps now - reps at the previous test
    real: bool  # beyond the test-retest error (>= 6 reps)


@dataclass(frozen=True)
class HeelRiseRow:
    test: HeelRiseTest
    lsi: float | None  # None when the uninvolved side did 0 rises
    changes: tuple[LegChange, ...]  # empty for her first test


def build_rows(tests, *, affected_side: str) -> list[HeelRiseRow]:
    """Rows for the list page from tests annotated by tests_with_previous()."""
    rows = []
    for test in tests:
        changes: tuple[LegChange, ...] = ()
        if test.previous_left is not None:
            deltas = (
                ("Left", test.reps_left - test.previous_left),
                ("Right", test.reps_right - test.previous_right),
            )
            changes = tuple(
                LegChange(side, delta, metrics.is_real_change(delta, measure="heel_rise"))
                for side, delta in deltas
            )
        rows.append(HeelRiseRow(test, test.symmetry(affected_side).lsi, changes))
    return rows
