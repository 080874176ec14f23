"""Queries and row data for the heel-rise test pages and export."""

import datetime
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
            previous_incline=Subquery(earlier.values("incline")[:1]),
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
    target_reached: bool  # metrics.heel_rise_verdict against her heel-rise target
    changes: tuple[LegChange, ...]  # since the previous test; empty for her first test
    since_first: tuple[LegChange, ...]  # since her first test; empty for the first test itself
    surface_changed: bool  # a different surface from the previous test: not comparable


def first_test(user: User) -> HeelRiseTest | None:
    return HeelRiseTest.objects.for_patient(user).order_by("date", "id").first()


def last_surface(user: User) -> tuple[int, datetime.date] | None:
    """The incline of her latest test and its date (the default for her next test)."""
    latest = HeelRiseTest.objects.for_patient(user).order_by("-date", "-id")
    row = latest.values_list("incline", "date").first()
    return None if row is None else (row[0], row[1])


def _changes(test: HeelRiseTest, left: int | None, right: int | None) -> tuple[LegChange, ...]:
    if left is None:
        return ()
    deltas = (("Left", test.reps_left - left), ("Right", test.reps_right - right))
    return tuple(
        LegChange(side, delta, metrics.is_real_change(delta, measure="heel_rise")) for side, delta in deltas
    )


def build_rows(tests, *, affected_side: str, target_lsi=metrics.DEFAULT_TARGET_LSI,
               first: HeelRiseTest | None = None) -> list[HeelRiseRow]:
    """Rows for the list page from tests annotated by tests_with_previous(); `first` is her first
    test (first_test()), so that each row also says what changed since the start."""
    rows = []
    for test in tests:
        lsi = test.symmetry(affected_side).lsi
        is_first = first is None or first.pk == test.pk
        previous_incline = getattr(test, "previous_incline", None)
        rows.append(
            HeelRiseRow(
                test=test,
                lsi=lsi,
                target_reached=metrics.heel_rise_verdict(lsi, target_lsi).target_reached,
                changes=_changes(test, test.previous_left, test.previous_right),
                since_first=() if is_first else _changes(test, first.reps_left, first.reps_right),
                surface_changed=previous_incline is not None and previous_incline != test.incline,
            )
        )
    return rows
