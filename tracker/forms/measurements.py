"""Forms of the girth pages: one measurement (in the patient's unit) and the CSV upload."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from tracker import formatting, metrics
from tracker.forms.common import EarlyDateQuestion, FiniteDecimalField
from tracker.models import GIRTH_READING_FIELDS, GirthMeasurement, User
from tracker.models.base import DIGIT_ERRORS
from tracker.selectors import measurements as selectors
from tracker.services.imports import DATE_FORMATS, MAX_UPLOAD_BYTES

ONE_DECIMAL = Decimal("0.1")

SITE_HELP = (
    "Use the same site every time. 10 cm below the knee bump (tt10): find the bony bump just below "
    "your kneecap (the tibial tuberosity), measure 10 cm straight down the shin from it and mark the "
    "skin; the most repeatable spot. 15 cm below it (tt15): a little lower down the calf. Widest part "
    "(max): the widest part of the calf, standing. Use a non-elastic tape."
)


class GirthMeasurementForm(EarlyDateQuestion, forms.ModelForm):
    """Readings are typed in the patient's unit and stored in cm (1 decimal)."""

    recheck_confirmed = forms.BooleanField(
        label="I have re-checked; save these readings",
        required=False,
        widget=forms.HiddenInput,  # becomes a checkbox once readings disagree (see clean)
    )

    class Meta:
        model = GirthMeasurement
        fields = ["date", "site", *GIRTH_READING_FIELDS, "measured_by", "notes"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"measured_by": "Who measured?"}
        help_texts = {"site": SITE_HELP}

    def __init__(self, *args, patient: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.instance.patient = patient
        self.unit = patient.profile.unit
        self.needs_recheck = False
        self.duplicate: GirthMeasurement | None = None  # same site and date, found by clean()
        self.fields["site"].choices = [(code, formatting.site_name(code)) for code in metrics.GIRTH_SITES]
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
        decimals = 2 if self.unit == "in" else 1
        too_precise = (
            f"Enter a girth from {formatting.girth_range(self.unit)}, "
            f"with at most {'2 decimals' if decimals == 2 else 'one decimal'}."
        )
        for name in GIRTH_READING_FIELDS:
            leg, number = name.split("_")
            stored = getattr(self.instance, name)
            self.fields[name] = FiniteDecimalField(
                label=f"{leg.capitalize()} calf, reading {number} ({self.unit})",
                required=number == "1",
                decimal_places=decimals,
                max_digits=5,
                # Text, not type=number: a browser would blank a value it cannot parse, losing what was typed.
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                help_text=f"{formatting.girth_range(self.unit)}." if number == "1" else "Optional.",
                error_messages=dict.fromkeys(DIGIT_ERRORS, too_precise),
            )
            if self.instance.pk and stored is not None:
                self.initial[name] = self._in_unit(stored)
        self.add_date_question()

    def reading_rows(self) -> list[tuple[str, list]]:
        """The readings as ("left", [bound fields]), ("right", [...]): side by side on wide screens."""
        return [(leg, [self[name] for name in names]) for leg, names in READING_ROWS]

    @property
    def swelling_check(self) -> dict:
        """What the form's script needs to warn at once of a swelling red flag while she types.

        Only the side-to-side rule (at the sites it applies to): the rise within 7 days needs her
        earlier measurements and is reported when she saves (the saved values always decide). A
        reading outside the plausible range counts for nothing: the form refuses it on saving.
        """
        threshold = metrics.SWELLING_ASYMMETRY_CM
        if self.unit == "in":
            threshold = metrics.cm_to_inches(threshold)
        low, high = metrics.girth_range(self.unit)
        return {
            "min": f"{low:.2f}",
            "max": f"{high:.2f}",
            "affected_side": self.patient.profile.affected_side,
            "sites": " ".join(metrics.ASYMMETRY_FLAG_SITES),
            "threshold": f"{threshold:.2f}",
            "unit": self.unit,
            "message": metrics.SWELLING_MESSAGE,
        }

    def _in_unit(self, cm: Decimal) -> Decimal:
        if self.unit == "in":
            return Decimal(f"{metrics.cm_to_inches(cm):.1f}")
        return cm

    def _to_cm(self, name: str) -> Decimal | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        stored = getattr(self.instance, name) if self.instance.pk else None
        if stored is not None and name not in self.changed_data:
            return stored  # unchanged on edit: keep the stored cm (a trip through inches rounds)
        cm = Decimal(str(metrics.inches_to_cm(value))) if self.unit == "in" else value
        if not metrics.GIRTH_MIN_CM <= float(cm) <= metrics.GIRTH_MAX_CM:
            raise forms.ValidationError(
                f"Enter a girth from {formatting.girth_range(self.unit)}.", code="girth_range"
            )
        return cm.quantize(ONE_DECIMAL)

    def clean_left_1(self):
        return self._to_cm("left_1")

    def clean_left_2(self):
        return self._to_cm("left_2")

    def clean_left_3(self):
        return self._to_cm("left_3")

    def clean_right_1(self):
        return self._to_cm("right_1")

    def clean_right_2(self):
        return self._to_cm("right_2")

    def clean_right_3(self):
        return self._to_cm("right_3")

    def clean(self):
        data = super().clean()
        self.ask_about_early_date(data.get("date"))
        self._check_same_site_and_date(data)
        self._check_readings_agree(data)
        return data

    def _check_same_site_and_date(self, data: dict) -> None:
        if not data.get("date") or not data.get("site"):
            return
        existing = selectors.measurement_on(
            self.patient, date=data["date"], site=data["site"], exclude_pk=self.instance.pk
        )
        if existing:
            self.duplicate = existing
            self.add_error("date", duplicate_error(existing))

    def _check_readings_agree(self, data: dict) -> None:
        legs = [
            leg
            for leg in metrics.SIDES
            if metrics.needs_remeasure(data.get(f"{leg}_{n}") for n in (1, 2, 3))
        ]
        if not legs:
            return
        self.needs_recheck = True
        self.fields["recheck_confirmed"].widget = forms.CheckboxInput()
        if data.get("recheck_confirmed"):
            return
        calves = " and ".join(legs)
        self.add_error(
            None,
            forms.ValidationError(
                f"The readings of your {calves} calf differ by more than "
                f"{girth_tolerance_text(self.unit)}. Please measure the {calves} calf again and "
                "correct the readings, or tick \"I have re-checked; save these readings\" to save "
                "them as they are.",
                code="remeasure",
            ),
        )


def girth_tolerance_text(unit: str) -> str:
    if unit == "in":
        return f"{metrics.cm_to_inches(metrics.READING_TOLERANCE_CM):.1f} in"
    return f"{metrics.READING_TOLERANCE_CM} cm"


def duplicate_error(existing: GirthMeasurement) -> forms.ValidationError:
    """Same site and date already measured: say so (the page offers to replace it with the readings
    she typed, which stay in the form)."""
    message = (
        f"You already have a measurement at this site on {formatting.day(existing.date)}. "
        "Replace it with the readings below, or choose another date or site."
    )
    return forms.ValidationError(message, code="duplicate")


READING_ROWS = [(leg, [f"{leg}_{n}" for n in (1, 2, 3)]) for leg in metrics.SIDES]


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: date, site (max, tt10 or tt15), left_cm, right_cm (or left_in, right_in); "
            "optional: left_readings, right_readings (up to 3 readings separated by ;), "
            f"measured_by, notes. Up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    date_format = forms.ChoiceField(
        label="Dates in the file are written as",
        choices=[(key, label) for key, (_, label) in DATE_FORMATS.items()],
        initial="iso",
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
                "Split it into smaller files and import them one by one.",
                code="too_large",
            )
        return upload
