"""Form pieces shared by several forms: finite decimals, number limits from the model, date ranges."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator


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
    """min/max attributes from the model's validators, so the browser knows each range too.

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
