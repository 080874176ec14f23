"""Queries behind the girth measurement pages, the CSV export and the CSV import."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from tracker import metrics
from tracker.models import GirthMeasurement, User


def measurements_for(user: User) -> QuerySet[GirthMeasurement]:
    """Her measurements, newest first, each annotated with the previous one at the same site."""
    previous = GirthMeasurement.objects.filter(
        patient=OuterRef("patient"), site=OuterRef("site"), date__lt=OuterRef("date")
    ).order_by("-date")
    return (
        GirthMeasurement.objects.for_patient(user)
        .annotate(
            previous_date=Subquery(previous.values("date")[:1]),
            previous_left_cm=Subquery(previous.values("left_cm")[:1]),
            previous_right_cm=Subquery(previous.values("right_cm")[:1]),
        )
        .order_by("-date", "site")
    )


def measurement_on(
    user: User, *, date: datetime.date, site: str, exclude_pk: int | None = None
) -> GirthMeasurement | None:
    """Her measurement at this site on this date (other than exclude_pk), if any."""
    return (
        GirthMeasurement.objects.for_patient(user)
        .filter(date=date, site=site)
        .exclude(pk=exclude_pk)
        .first()
    )


def latest_per_site(user: User) -> list[GirthMeasurement]:
    """Her latest measurement at each site she has measured, preferred site first."""
    newer = GirthMeasurement.objects.filter(
        patient=OuterRef("patient"), site=OuterRef("site"), date__gt=OuterRef("date")
    )
    latest = GirthMeasurement.objects.for_patient(user).filter(~Exists(newer))
    return sorted(latest, key=lambda m: (m.site != metrics.PREFERRED_SITE, m.site))


def previous_at_site(user: User, *, site: str, before: datetime.date) -> GirthMeasurement | None:
    """Her latest measurement at this site dated before `before`."""
    return (
        GirthMeasurement.objects.for_patient(user)
        .filter(site=site, date__lt=before)
        .order_by("-date")
        .first()
    )


def stored_dates_and_sites(user: User) -> set[tuple[str, str]]:
    """(ISO date, site) of every measurement she has stored: what an import must not double."""
    return {
        (day.isoformat(), site)
        for day, site in GirthMeasurement.objects.for_patient(user).values_list("date", "site")
    }


def export_rows(user: User) -> QuerySet[GirthMeasurement]:
    return GirthMeasurement.objects.for_patient(user).order_by("date", "site")


@dataclass(frozen=True)
class MeasurementSummary:
    """One measurement with its symmetry, asymmetry class and swelling red flags."""

    measurement: GirthMeasurement
    symmetry: metrics.Symmetry
    asymmetry: str  # "normal" | "deficit" | "marked" (metrics.girth_verdict: cm the involved calf is smaller)
    asymmetry_label: str
    goal_reached: bool
    flags: list[metrics.RedFlag]


def summarise(
    measurement: GirthMeasurement, *, affected_side: str, previous: GirthMeasurement | None = None
) -> MeasurementSummary:
    """Symmetry and red flags of one measurement.

    The previous measurement at the same site comes from `previous`, or else from the annotations
    that `measurements_for` adds (so a list page needs no query per row).
    """
    if previous is not None:
        before = (previous.date, previous.left_cm, previous.right_cm)
    else:
        before = (
            getattr(measurement, "previous_date", None),
            getattr(measurement, "previous_left_cm", None),
            getattr(measurement, "previous_right_cm", None),
        )
    symmetry = measurement.symmetry(affected_side)
    flags = metrics.swelling_flags(
        site=measurement.site,
        left_cm=measurement.left_cm,
        right_cm=measurement.right_cm,
        affected_side=affected_side,
        previous=(before[1], before[2]) if before[0] is not None else None,
        days_since_previous=(measurement.date - before[0]).days if before[0] is not None else None,
    )
    verdict = metrics.girth_verdict(symmetry.difference)
    return MeasurementSummary(
        measurement=measurement,
        symmetry=symmetry,
        asymmetry=verdict.asymmetry,
        asymmetry_label=verdict.label,
        goal_reached=verdict.goal_reached,
        flags=flags,
    )
