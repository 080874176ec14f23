"""Query filters: ?date_from=YYYY-MM-DD&date_to=YYYY-MM-DD (the web lists' names) and ?ordering=."""

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.settings import api_settings

from tracker.forms.common import DateRangeForm
from tracker.models import ExerciseSession, GirthMeasurement, HeelRiseTest, Prescription, SymptomLog

DATE_FROM_HELP = "Only records on or after this date (YYYY-MM-DD)."
DATE_TO_HELP = "Only records on or before this date (YYYY-MM-DD)."


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with the API's key for errors about several parameters at once."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except ValidationError as error:
            if isinstance(error.detail, dict) and NON_FIELD_ERRORS in error.detail:
                error.detail[api_settings.NON_FIELD_ERRORS_KEY] = error.detail.pop(NON_FIELD_ERRORS)
            raise


class StableOrderingFilter(OrderingFilter):
    """?ordering=date or -date; ties broken by id so that pages never overlap."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering = [*ordering, "-id"]
        return ordering


class StrictFilterForm(forms.Form):
    """A filter given with an empty or unknown value is an error, not silently ignored."""

    def clean(self):
        data = super().clean()
        for name in self.fields:
            if name in self.data and data.get(name) is None and name not in self.errors:
                self.add_error(name, "Enter a valid value or leave the parameter out.")
        return data


class DateRangeFilterForm(StrictFilterForm, DateRangeForm):
    """Also refuses a start after the end, as the web lists do."""


def date_range_filterset(model_class, field: str) -> type[django_filters.FilterSet]:
    """A FilterSet validated by the web lists' DateRangeForm (so "from after to" is refused alike)."""

    class Meta:
        model = model_class
        fields: list[str] = []
        form = DateRangeFilterForm

    attrs = {
        "Meta": Meta,
        "date_from": django_filters.DateFilter(field_name=field, lookup_expr="gte", label=DATE_FROM_HELP),
        "date_to": django_filters.DateFilter(field_name=field, lookup_expr="lte", label=DATE_TO_HELP),
    }
    return type(f"{model_class.__name__}DateFilter", (django_filters.FilterSet,), attrs)


MeasurementFilter = date_range_filterset(GirthMeasurement, "date")
HeelRiseFilter = date_range_filterset(HeelRiseTest, "date")
SymptomFilter = date_range_filterset(SymptomLog, "date")
# The web session list filters on the local date of performed_at too.
SessionFilter = date_range_filterset(ExerciseSession, "performed_at__date")


class PrescriptionFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(
        label="Only active (true) or only ended (false) prescriptions.",
        widget=django_filters.widgets.BooleanWidget,  # "true"/"false" only (the default takes "2" too)
    )

    class Meta:
        model = Prescription
        fields: list[str] = []
        form = StrictFilterForm
