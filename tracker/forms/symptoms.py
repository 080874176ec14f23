"""The daily symptom check-in form and the body map of the back of both calves."""

import datetime

from django import forms

from tracker import metrics
from tracker.forms.common import EarlyDateQuestion, model_limits, outside_range
from tracker.models import RED_FLAG_SYMPTOMS, TRIGGER_POINTS, SymptomLog, not_before_1900, not_in_future

TRIGGER_POINT_FIELDS = [field for field, _label in TRIGGER_POINTS]
RED_FLAG_FIELDS = [field for field, _code in RED_FLAG_SYMPTOMS]

# Where each dot sits on the body map (SVG user units, viewBox 0 0 300 370). The picture is seen
# from behind: the left leg is centred at x=85, the right at x=215, so each leg's inner (medial)
# side faces the midline at x=150. Lateral points sit about half an inch lower than medial ones.
BODY_MAP_XY = {
    "tp_left_upper_medial": (107, 86),
    "tp_left_lower_medial": (111, 122),
    "tp_left_upper_lateral": (63, 96),
    "tp_left_lower_lateral": (59, 132),
    "tp_right_upper_medial": (193, 86),
    "tp_right_lower_medial": (189, 122),
    "tp_right_upper_lateral": (237, 96),
    "tp_right_lower_lateral": (241, 132),
}

# Short names for tables: L/R leg, Upper/Lower, Medial/Lateral ("L-LM" = left, lower medial).
SHORT_NAMES = {
    field: "{}-{}{}".format(*(part[0].upper() for part in field.removeprefix("tp_").split("_")))
    for field in TRIGGER_POINT_FIELDS
}

SCORE_HELP = "0 = no pain, 10 = worst pain imaginable. Leave empty if you are not sure."


def _count_field(name: str, label: str, help_text: str) -> forms.IntegerField:
    """A whole number in the model field's range, typed into a text box so a mistyped value stays
    visible; the label ends with the range, e.g. "Pain at rest (0–10)"."""
    low, high = model_limits(SymptomLog, name)
    message = outside_range(low, high)
    return forms.IntegerField(
        label=f"{label} ({low}–{high})",
        help_text=help_text,
        required=False,
        min_value=low,
        max_value=high,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class SymptomLogForm(EarlyDateQuestion, forms.ModelForm):
    """One day's check-in. Patient and date come from the request and the URL, not from the form."""

    date_field = None  # the day is in the URL: the question is a form-wide error

    pain_at_rest = _count_field("pain_at_rest", "Pain at rest", SCORE_HELP)
    pain_next_morning = _count_field(
        "pain_next_morning",
        "Pain on waking",
        "How your calf felt when you got up that morning. " + SCORE_HELP,
    )
    stiffness = _count_field(
        "stiffness",
        "Stiffness",
        "0 = not stiff at all, 10 = the worst stiffness imaginable. Leave empty if you are not sure.",
    )
    night_cramps = _count_field(
        "night_cramps",
        "Night cramps last night",
        "How many calf cramps you had in the night; 0 if none. Leave empty if you are not sure.",
    )

    class Meta:
        model = SymptomLog
        fields = [
            "pain_at_rest",
            "pain_next_morning",
            "stiffness",
            "night_cramps",
            "limping",
            *TRIGGER_POINT_FIELDS,
            *RED_FLAG_FIELDS,
            "notes",
        ]
        labels = {"limping": "I am limping today", "notes": "Notes (optional)"}
        help_texts = {
            "notes": "Anything your physiotherapist should know, e.g. what made it better or worse."
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # These checkboxes are laid out by hand (body map fieldsets, warning signs).
        for field in TRIGGER_POINT_FIELDS + RED_FLAG_FIELDS:
            self.fields[field].widget.attrs["class"] = "form-check-input"
        self.add_date_question()

    def clean(self):
        data = super().clean()
        self.ask_about_early_date(self.instance.date)
        return data

    def trigger_point_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The trigger-point checkboxes as ("Left calf", fields), ("Right calf", fields)."""
        return [
            (
                f"{side.capitalize()} calf",
                [self[f] for f in TRIGGER_POINT_FIELDS if f.startswith(f"tp_{side}_")],
            )
            for side in ("left", "right")
        ]

    def red_flag_fields(self) -> list[forms.BoundField]:
        return [self[field] for field in RED_FLAG_FIELDS]

    def body_map_points(self) -> list[dict]:
        """The eight dots of the body map, each tied to its checkbox and drawn ticked or not."""
        points = []
        for field, label in TRIGGER_POINTS:
            x, y = BODY_MAP_XY[field]
            bound = self[field]
            points.append(
                {
                    "field": field,
                    "input_id": bound.id_for_label,
                    "label": label,
                    "x": x,
                    "y": y,
                    "ticked": bool(bound.value()),
                }
            )
        return points


class DaySwitchForm(forms.Form):
    """The small "Check in for another day" switcher (a GET form)."""

    day = forms.DateField(
        label="Check in for another day",
        validators=[not_in_future, not_before_1900],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "min": "1900-01-01"}),
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].widget.attrs["max"] = today.isoformat()


def tender_point_short_names(log: SymptomLog) -> list[tuple[str, str]]:
    """Ticked trigger points as (short name, full label) pairs for tables."""
    return [(SHORT_NAMES[field], label) for field, label in TRIGGER_POINTS if getattr(log, field)]


def red_flag_labels(log: SymptomLog) -> list[str]:
    return [metrics.SYMPTOM_RED_FLAGS[code] for code in log.red_flag_codes()]
