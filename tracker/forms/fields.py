"""Form fields shared by several forms."""

from django import forms


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
