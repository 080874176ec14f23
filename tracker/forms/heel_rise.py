import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from tracker import formatting
from tracker.forms.common import EarlyDateQuestion, set_number_limits
from tracker.models import HeelRiseTest

REPS_ATTRS = {"step": 1, "inputmode": "numeric"}


class HeelRiseForm(EarlyDateQuestion, forms.ModelForm):
    """Ranges (0-200 reps, date not in the future nor before 1900) come from the model validators."""

    class Meta:
        model = HeelRiseTest
        fields = ("date", "reps_left", "reps_right", "incline", "notes")
        labels = {
            "date": "Date of the test",
            "reps_left": "Left leg: heel rises",
            "reps_right": "Right leg: heel rises",
            "incline": "Surface",
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reps_left": forms.NumberInput(attrs=REPS_ATTRS),
            "reps_right": forms.NumberInput(attrs=REPS_ATTRS),
            "notes": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }

    def __init__(self, *args, last_surface: tuple[int, datetime.date] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        set_number_limits(self, help_text=True)
        if self.instance.pk is None and not self.initial.get("date"):
            self.initial["date"] = timezone.localdate()
        surface = self.fields["incline"]
        surface.help_text = (
            "Use the same surface every time: tests on different surfaces cannot be compared."
        )
        if self.instance.pk is None and last_surface is not None:
            # Her last test's surface, so that one missed click never makes the test incomparable.
            incline, day = last_surface
            self.initial["incline"] = incline
            name = HeelRiseTest.Incline(incline).label.lower()
            surface.help_text = (
                f"Set to the surface of your last test ({name}, {formatting.day(day)}). "
                + surface.help_text
            )
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["date"].widget.attrs["min"] = "1900-01-01"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.add_date_question()
        self.helper.layout = Layout(
            "date",
            "date_confirmed",
            Row(Column("reps_left", css_class="col-6"), Column("reps_right", css_class="col-6")),
            "incline",
            "notes",
        )

    def clean(self):
        data = super().clean()
        self.ask_about_early_date(data.get("date"))
        return data
