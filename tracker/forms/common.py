"""Form pieces shared by several forms: finite decimals, number limits from the model, date ranges,
and the question before saving an implausibly early date."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from tracker import formatting, metrics
from tracker.models import EARLIEST_DATE
from tracker.models.base import DIGIT_ERRORS, outside_range
from tracker.selectors.records import first_record_date


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN and infinity while parsing, not only when validating.

    Django's DecimalField parses "sNaN" into a signalling NaN and refuses it only in validate().
    Before that, has_changed() compares it with the initial value (formsets do so for every extra
    row, ModelForms for changed_data), and comparing a signalling NaN raises InvalidOperation: a 500.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def model_limits(model, name: str) -> tuple:
    """(lowest, highest) allowed by the model field's validators; None where there is no bound."""
    low = high = None
    for validator in model._meta.get_field(name).validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value
    return low, high


def set_number_limits(form: forms.ModelForm, *, help_text: bool = False) -> None:
    """min/max attributes from the model's validators, so the browser knows each range too, and
    the range said in words when a value is outside it ("Enter a whole number from 0 to 10.", as
    the check-in says), not "Ensure this value is less than or equal to 10.".

    With `help_text`, a field without help text gets "0 to 200." from the same limits.
    """
    model = form._meta.model
    model_fields = {field.name for field in model._meta.fields}
    for name, field in form.fields.items():
        if not isinstance(field.widget, forms.NumberInput) or name not in model_fields:
            continue
        low, high = model_limits(model, name)
        if low is not None:
            field.widget.attrs["min"] = low
        if high is not None:
            field.widget.attrs["max"] = high
        if low is not None and high is not None:
            # (Django's DecimalField and FloatField are IntegerFields too.)
            whole = isinstance(field, forms.IntegerField) and not isinstance(
                field, (forms.DecimalField, forms.FloatField)
            )
            outside = outside_range(low, high, whole=whole)
            field.error_messages.update({"min_value": outside, "max_value": outside})
        # "Enter a number from 0 to 300 kg, with at most one decimal." (the model's words, not
        # Django's "Ensure that there are no more than 1 decimal place.")
        model_messages = model._meta.get_field(name).error_messages
        field.error_messages.update({code: model_messages[code] for code in DIGIT_ERRORS
                                     if code in model_messages})
        if help_text and not field.help_text and low is not None and high is not None:
            field.help_text = f"{low:g} to {high:g}."


class DateRangeForm(forms.Form):
    """The ?date_from=&date_to= filter above every list (and of the API's lists)."""

    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The start date must be on or before the end date.")
        return data


class EarlyDateQuestion:
    """For a ModelForm of one of her records: a date more than a year before her first record is
    more likely a typo (1926 for 2026) than history, so ask "Did you mean 2026?" before saving it.

    Like the girth form's re-measure question: a hidden "date_confirmed" field that becomes a
    checkbox once the question is asked. Call `add_date_question()` in __init__ and
    `ask_about_early_date(day)` in clean(); `date_field` is None when the date is not in the form
    (the symptom check-in's comes from the URL): the question is then a form-wide error.
    """

    date_field: str | None = "date"

    def add_date_question(self) -> None:
        self.fields["date_confirmed"] = forms.BooleanField(
            label="Yes, this date is right", required=False, widget=forms.HiddenInput
        )
        if self.date_field in self.fields:  # right after the date
            names = list(self.fields)
            names.remove("date_confirmed")
            names.insert(names.index(self.date_field) + 1, "date_confirmed")
            self.order_fields(names)

    def ask_about_early_date(self, day: datetime.date | None) -> None:
        confirmed = self.cleaned_data.pop("date_confirmed", False)
        changed = self.instance.pk is None or (self.date_field and self.date_field in self.changed_data)
        if day is None or not changed or day < EARLIEST_DATE:  # refused anyway: no question to ask
            return
        today = timezone.localdate()
        first = first_record_date(self.instance.patient, excluding=self.instance)
        if not metrics.implausibly_early(day, first_record=first, today=today):
            return
        self.fields["date_confirmed"].widget = forms.CheckboxInput()
        if confirmed:
            return
        since = f"your first record ({formatting.day(first)})" if first else "today"
        meant = metrics.likely_meant(day, today=today)
        self.add_error(self.date_field, forms.ValidationError(
            f"{formatting.day(day)} is more than a year before {since}. Did you mean {meant.year}? "
            "Correct the year, or tick \u201cYes, this date is right\u201d to save it as it is.",
            code="early_date",
        ))
