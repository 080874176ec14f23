"""An exercise session and its inline formset of exercise entries."""

from decimal import Decimal

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.forms.formsets import DELETION_FIELD_NAME, TOTAL_FORM_COUNT
from django.forms.utils import ErrorDict
from django.utils import timezone

from tracker.forms.common import EarlyDateQuestion, FiniteDecimalField, set_number_limits
from tracker.models import AMOUNT_FIELDS, Exercise, ExerciseEntry, ExerciseSession
from tracker.services.sessions import MAX_ENTRIES, check_entry_count

ENTRY_PREFIX = "entries"
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class SessionForm(EarlyDateQuestion, forms.ModelForm):
    date_field = "performed_at"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_number_limits(self)
        self.add_date_question()

    def clean(self):
        data = super().clean()
        performed_at = data.get("performed_at")
        self.ask_about_early_date(timezone.localtime(performed_at).date() if performed_at else None)
        return data

    class Meta:
        model = ExerciseSession
        fields = ["performed_at", "duration_minutes", "pain_before", "pain_after", "rpe", "notes"]
        labels = {"performed_at": "Date and time"}
        help_texts = {
            "pain_before": "0 = no pain, 10 = worst pain imaginable.",
            "rpe": "How hard the session felt: 0 = rest, 10 = maximal effort.",
        }
        widgets = {
            "performed_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class EntryForm(forms.ModelForm):
    class Meta:
        model = ExerciseEntry
        fields = ["exercise", "side", "sets", *AMOUNT_FIELDS, "load_kg", "pain_during"]
        labels = {"reps": "Repetitions", "hold_seconds": "Hold (seconds)", "minutes": "Minutes"}
        field_classes = {"load_kg": FiniteDecimalField}  # "sNaN" would crash the extra rows' has_changed()

    def __init__(self, *args, exercise_choices: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        set_number_limits(self)
        # A blank load means body weight.
        self.fields["load_kg"].required = False
        exercise = self.fields["exercise"]
        exercise.empty_label = "Choose an exercise"
        if exercise_choices is not None:
            # Evaluated once per formset instead of one query per rendered row.
            exercise.choices = exercise_choices

    def clean_load_kg(self) -> Decimal:
        load = self.cleaned_data.get("load_kg")
        return Decimal("0") if load is None else load

    def clean(self):
        data = super().clean()
        exercise: Exercise | None = data.get("exercise")
        if exercise is not None:
            # The model's clean() (run next) empties these; a hidden input may still hold one.
            for field in AMOUNT_FIELDS:
                if field != exercise.amount_field:
                    data[field] = None
        return data


class BaseEntryFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = "Remove this exercise"

    def clean(self):
        super().clean()
        if any(self.errors) or not self.management_form.is_valid():
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))
        ]
        check_entry_count(len(kept))


def entry_formset_class(*, extra: int = 0) -> type[BaseEntryFormSet]:
    # Every row, pre-filled ones included, can be removed: she may have skipped a prescribed exercise.
    return inlineformset_factory(
        ExerciseSession,
        ExerciseEntry,
        form=EntryForm,
        formset=BaseEntryFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_ENTRIES,
        absolute_max=MAX_ENTRIES,
        validate_max=True,
    )


def exercise_choices(exercises: list[Exercise]) -> list[tuple]:
    return [("", "Choose an exercise"), *((exercise.pk, exercise.name) for exercise in exercises)]


def exercise_units(exercises: list[Exercise]) -> dict[int, str]:
    """Exercise id -> measured_in, for the script that shows only the matching amount input."""
    return {exercise.pk: exercise.measured_in for exercise in exercises}


def with_one_more_entry(data):
    """A copy of the POST data with room for one more (empty) entry form."""
    data = data.copy()
    key = f"{ENTRY_PREFIX}-{TOTAL_FORM_COUNT}"
    try:
        total = int(data.get(key, ""))
    except ValueError:
        return data  # a broken management form is reported when she saves
    data[key] = str(min(max(total, 0) + 1, MAX_ENTRIES))
    return data


def skip_validation(form: SessionForm, formset: BaseEntryFormSet) -> None:
    """Show the typed data again without error messages (after "Add another exercise").

    Nothing is saved on that request, so half-filled rows should not be reported as errors yet.
    """
    for each in (form, *formset.forms):
        each._errors = ErrorDict()
        each.cleaned_data = {}
    formset._errors = [ErrorDict() for _ in formset.forms]
    formset._non_form_errors = formset.error_class(error_class="nonform")
