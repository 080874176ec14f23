"""What every model module shares: date validators, the range helper and the patient-record base.

A number range is written once, as a `Range`: it gives the field its validators (forms, the API and
the CSV import check them through `full_clean()`) and the table its CHECK constraint, so no code
path can store a value outside it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import metrics

EARLIEST_DATE = datetime.date(1900, 1, 1)


def not_in_future(value):
    if isinstance(value, datetime.datetime):
        # A minute of slack for clocks that differ between phone and server.
        in_future = value > timezone.now() + datetime.timedelta(minutes=1)
    else:
        in_future = value > timezone.localdate()
    if in_future:
        raise ValidationError("This date is in the future. Enter today or an earlier date.")


def not_before_1900(value):
    moment = value.date() if isinstance(value, datetime.datetime) else value
    if moment < EARLIEST_DATE:
        raise ValidationError("Enter a date from 1900 onwards.")


def after_1900(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    """The database side of `not_before_1900` (a nullable field may stay empty)."""
    condition = Q(**{f"{field}__gte": EARLIEST_DATE})
    if nullable:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)


@dataclass(frozen=True)
class Range:
    """An inclusive range of allowed values: the field's validators and the table's CHECK constraint."""

    low: int | float | Decimal
    high: int | float | Decimal

    @classmethod
    def of(cls, bounds: tuple) -> "Range":
        return cls(*bounds)

    def validators(self) -> list:
        return [MinValueValidator(self.low), MaxValueValidator(self.high)]

    def check(
        self, field: str, *, nullable: bool = False, name: str | None = None, null_first: bool = False
    ) -> models.CheckConstraint:
        """The CHECK constraint; `null_first` only keeps the order the first migration wrote."""
        condition = Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        if nullable:
            empty = Q(**{f"{field}__isnull": True})
            condition = empty | condition if null_first else condition | empty
        return models.CheckConstraint(
            condition=condition, name=name or f"%(app_label)s_%(class)s_{field}_range"
        )


SCORE = Range.of(metrics.SCORE_RANGE)  # a 0-10 rating: pain NRS, stiffness, effort


def score_0_10(verbose_name: str, **kwargs):
    """A 0-10 rating (pain NRS, stiffness, RPE)."""
    return models.PositiveSmallIntegerField(verbose_name, validators=SCORE.validators(), **kwargs)


def patient_field(related_name: str) -> models.ForeignKey:
    """The patient a record belongs to (each model keeps its own reverse name)."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name=related_name)


class PatientOwnedQuerySet(models.QuerySet):
    def for_patient(self, user):
        return self.filter(patient=user)


class PatientRecord(models.Model):
    """What the patient logs herself: when it was saved and changed, with its audit history.

    Subclasses declare `patient = patient_field("<reverse name>")`.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientOwnedQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
