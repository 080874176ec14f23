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


def outside_range(low, high, *, whole: bool = True, noun: str | None = None, unit: str = "") -> str:
    """What a value outside its range is told, wherever it was typed (a form, the admin, the API,
    a CSV file): "Enter a whole number from 0 to 10.", "Enter a girth from 15.0 to 80.0 cm."."""
    noun = noun or ("whole number" if whole else "number")
    return f"Enter a {noun} from {_bound(low)} to {_bound(high)}{f' {unit}' if unit else ''}."


def _bound(value) -> str:
    return f"{value:%H:%M}" if isinstance(value, datetime.time) else f"{value:g}"


DIGIT_ERRORS = ("max_digits", "max_decimal_places", "max_whole_digits")  # DecimalValidator's codes


@dataclass(frozen=True)
class Range:
    """An inclusive range of allowed values: the field's validators and the table's CHECK constraint.

    The bounds' type says what is asked for when a value is outside: int bounds a whole number,
    Decimal bounds (of a DecimalField) a number, time bounds a time; `noun` and `unit` say it more
    exactly ("Enter a girth from 15.0 to 80.0 cm.").
    """

    low: int | Decimal | datetime.time
    high: int | Decimal | datetime.time
    noun: str | None = None
    unit: str = ""

    @classmethod
    def of(cls, bounds: tuple) -> "Range":
        return cls(*bounds)

    def message(self) -> str:
        if isinstance(self.low, datetime.time):
            return outside_range(self.low, self.high, noun=self.noun or "time")
        whole = isinstance(self.low, int) and isinstance(self.high, int)
        return outside_range(self.low, self.high, whole=whole, noun=self.noun, unit=self.unit)

    def validators(self) -> list:
        message = self.message()
        return [MinValueValidator(self.low, message=message), MaxValueValidator(self.high, message=message)]

    def decimal_field_options(self, decimal_places: int) -> dict:
        """A DecimalField's validators and its messages for too many digits: the range and the
        decimals allowed ("Enter a girth from 15.0 to 80.0 cm, with at most one decimal."), where
        Django would say "Ensure that there are no more than 4 digits in total."."""
        decimals = "one decimal" if decimal_places == 1 else f"{decimal_places} decimals"
        precision = f"{self.message().removesuffix('.')}, with at most {decimals}."
        return {
            "decimal_places": decimal_places,
            "validators": self.validators(),
            "error_messages": dict.fromkeys(DIGIT_ERRORS, precision),
        }

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


def unknown_choice(choices) -> dict:
    """A choice field's error_messages: "“xx” is not one of max, tt10, tt15." (a CSV file or the
    API can send any text), not Django's "Value 'xx' is not a valid choice."."""
    codes = ", ".join(code for code, _label in choices)
    return {"invalid_choice": f"“%(value)s” is not one of {codes}."}


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
