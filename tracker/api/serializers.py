"""Serializers of the REST API.

Validation is the model's: each write builds the model instance and runs `full_clean()`, so the
ranges, choices, date rules and constraints are the same as the forms' (one source of truth).
Computed fields (means, LSI, differences, asymmetry class, red flags) come from tracker.metrics and
the selectors the web pages use. Girth is in centimetres, whatever the patient's display unit.
"""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from tracker import metrics
from tracker.models import (
    AMOUNT_FIELDS,
    GIRTH_READING_FIELDS,
    TRIGGER_POINTS,
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Prescription,
    SymptomLog,
)
from tracker.models.base import DIGIT_ERRORS
from tracker.selectors import heel_rise as heel_rise_selectors
from tracker.selectors import measurements as measurement_selectors
from tracker.selectors import sessions as session_selectors
from tracker.selectors import symptoms as symptom_selectors
from tracker.services.sessions import MAX_ENTRIES, check_entry_count, exercises_by_id, save_session

SIDES = [("left", "Left"), ("right", "Right")]
LEG_CHANGE_SIDES = ["Left", "Right"]  # as tracker.selectors.heel_rise.LegChange names them
FLAG_LEVELS = [metrics.LEVEL_URGENT, metrics.LEVEL_REVIEW, metrics.LEVEL_ADVICE]
_NORMAL, _DEFICIT = f"{metrics.GIRTH_NORMAL_MAX_CM:g}", f"{metrics.GIRTH_DEFICIT_MAX_CM:g}"
GIRTH_ASYMMETRY_HELP = (
    f"How much smaller the involved calf is (girth is judged in cm, never by LSI): normal (< {_NORMAL} cm), "
    f"deficit ({_NORMAL}-{_DEFICIT} cm), marked (> {_DEFICIT} cm). An involved calf that is larger is not "
    "a deficit (normal); swelling is reported in red_flags."
)
GIRTH_GOAL_HELP = f"The girth goal: the involved calf less than {_NORMAL} cm smaller than the other."


def run_full_clean(instance, *, exclude: list[str] | None = None, validate_constraints: bool = True) -> None:
    """The model's own validation, as a DRF 400 with the model's field names as keys."""
    try:
        instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in error.message_dict.items()
            }
        ) from None


class ModelMessagesSerializer(serializers.ModelSerializer):
    """Out-of-range, too-many-digits and unknown-choice messages in the model's words ("Enter a girth
    from 15.0 to 80.0 cm.", "“calf” is not one of max, tt10, tt15."), as the forms, the admin and
    the CSV import say them. DRF would otherwise use its own: it turns a model field's range
    validators into min_value/max_value, and checks digits and choices itself, before the model is
    asked."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        messages = {}
        for validator in model_field.validators:
            for kind, key in ((MinValueValidator, "min_value"), (MaxValueValidator, "max_value")):
                if isinstance(validator, kind) and validator.message != kind.message:
                    messages[key] = validator.message
        messages.update({code: model_field.error_messages[code] for code in DIGIT_ERRORS
                         if code in model_field.error_messages})
        choice_message = model_field.error_messages.get("invalid_choice")
        if model_field.choices and choice_message != Field.default_error_messages["invalid_choice"]:
            messages["invalid_choice"] = choice_message.replace("%(value)s", "{input}")
        if messages:
            kwargs["error_messages"] = {**kwargs.get("error_messages", {}), **messages}
        return field_class, kwargs


class FullCleanSerializer(ModelMessagesSerializer):
    """Builds the instance the write would save (patient included) and validates it like a form."""

    # Fields that are not model fields (nested lists) and must not be set on the instance.
    not_on_model: tuple[str, ...] = ()

    def build_instance(self, attrs: dict):
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            if name not in self.not_on_model:
                setattr(instance, name, value)
        if hasattr(instance, "patient_id"):
            instance.patient = self.context["patient"]
        return instance

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        instance = self.build_instance(attrs)
        self.check_duplicate(instance)
        run_full_clean(instance)
        return attrs

    def check_duplicate(self, instance) -> None:
        """Say clearly, on the date field, that this day is already recorded (as the forms do)."""


class RedFlagSerializer(serializers.Serializer):
    """An alert: what to do, never a diagnosis."""

    code = serializers.CharField(help_text='Stable machine code, e.g. "swelling_asymmetry".')
    level = serializers.ChoiceField(choices=FLAG_LEVELS)
    message = serializers.CharField()


class SymmetrySerializer(serializers.Serializer):
    """LSI = involved / uninvolved x 100; difference = involved - uninvolved (signed)."""

    lsi = serializers.FloatField(
        allow_null=True, help_text="Limb symmetry index, %; null if uninvolved is 0."
    )
    difference = serializers.FloatField(help_text="Involved minus uninvolved (cm or reps).")
    involved_side = serializers.ChoiceField(choices=SIDES)
    smaller_side = serializers.ChoiceField(choices=SIDES, allow_null=True)


# --- Girth measurements ------------------------------------------------------------------------


class MeasurementSerializer(FullCleanSerializer):
    """A calf girth measurement. Readings in cm (15.0-80.0, one decimal), 1 to 3 per leg."""

    symmetry = SymmetrySerializer(source="api_summary.symmetry", read_only=True)
    asymmetry = serializers.ChoiceField(
        choices=list(metrics.ASYMMETRY_LABELS.items()),
        source="api_summary.asymmetry",
        read_only=True,
        help_text=GIRTH_ASYMMETRY_HELP,
    )
    asymmetry_label = serializers.CharField(source="api_summary.asymmetry_label", read_only=True)
    goal_reached = serializers.BooleanField(
        source="api_summary.goal_reached", read_only=True, help_text=GIRTH_GOAL_HELP
    )
    red_flags = RedFlagSerializer(source="api_summary.flags", many=True, read_only=True)
    remeasure = serializers.ListField(
        child=serializers.ChoiceField(choices=SIDES),
        source="api_remeasure",
        read_only=True,
        help_text=(
            f"Legs whose readings differ by more than {metrics.READING_TOLERANCE_CM:g} cm: "
            "measure them again."
        ),
    )

    class Meta:
        model = GirthMeasurement
        fields = [
            "id",
            "date",
            "site",
            *GIRTH_READING_FIELDS,
            "left_cm",
            "right_cm",
            "measured_by",
            "notes",
            "symmetry",
            "asymmetry",
            "asymmetry_label",
            "goal_reached",
            "red_flags",
            "remeasure",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "left_cm": {"help_text": "Mean of the left readings (cm)."},
            "right_cm": {"help_text": "Mean of the right readings (cm)."},
        }

    def build_instance(self, attrs: dict) -> GirthMeasurement:
        instance = super().build_instance(attrs)
        instance.compute_means()  # the stored means are validated too (15-80 cm constraint)
        return instance

    def check_duplicate(self, instance: GirthMeasurement) -> None:
        if instance.date is None or not instance.site:
            return
        existing = measurement_selectors.measurement_on(
            instance.patient, date=instance.date, site=instance.site, exclude_pk=instance.pk
        )
        if existing is not None:
            raise serializers.ValidationError(
                {
                    "date": [
                        f"You already have a measurement at this site on {existing.date.isoformat()} "
                        f"(id {existing.pk}). Update that one instead, or choose another date or site."
                    ]
                }
            )

    def to_representation(self, instance: GirthMeasurement) -> dict:
        # The previous measurement at the site comes from the annotations of measurements_for().
        instance.api_summary = measurement_selectors.summarise(
            instance, affected_side=self.context["patient"].profile.affected_side
        )
        instance.api_remeasure = instance.legs_to_remeasure()
        return super().to_representation(instance)


# --- Heel-rise tests ---------------------------------------------------------------------------


class LegChangeSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=LEG_CHANGE_SIDES)
    delta = serializers.IntegerField(help_text="Reps now minus reps at the previous test.")
    real = serializers.BooleanField(help_text=(
        f"Beyond the test-retest error (a change of {metrics.HEEL_RISE_ERROR_REPS} reps or more)."
    ))


class HeelRiseSerializer(FullCleanSerializer):
    """A single-leg heel-rise test: rises per leg (0-200) and the incline used (0 or 10 degrees)."""

    symmetry = SymmetrySerializer(source="api_symmetry", read_only=True)
    changes = LegChangeSerializer(
        source="api_row.changes",
        many=True,
        read_only=True,
        help_text="Change per leg since the previous test; empty for the first test.",
    )

    class Meta:
        model = HeelRiseTest
        fields = [
            "id",
            "date",
            "reps_left",
            "reps_right",
            "incline",
            "notes",
            "symmetry",
            "changes",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance: HeelRiseTest) -> dict:
        affected_side = self.context["patient"].profile.affected_side
        if not hasattr(instance, "previous_left"):
            instance.previous_left = instance.previous_right = None
        instance.api_row = heel_rise_selectors.build_rows([instance], affected_side=affected_side)[0]
        instance.api_symmetry = instance.symmetry(affected_side)
        return super().to_representation(instance)


# --- Exercise sessions -------------------------------------------------------------------------


class ExerciseField(serializers.PrimaryKeyRelatedField):
    """An exercise id, looked up among the exercises EntryListSerializer fetched for the whole session."""

    def to_internal_value(self, data):
        known = getattr(self.parent, "known_exercises", None) or {}
        if isinstance(data, int) and not isinstance(data, bool) and data in known:
            return known[data]
        return super().to_internal_value(data)  # its own query, and DRF's error for a bad id


class EntryListSerializer(serializers.ListSerializer):
    """The entries of a session: their number is checked before any entry is validated, and their
    exercises are fetched in one query (a request with 1,000 entries used to cost ~10,000 queries)."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            try:
                check_entry_count(len(data))
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
            self.child.known_exercises = exercises_by_id(
                item.get("exercise") for item in data if isinstance(item, dict)
            )
        return super().to_internal_value(data)


class EntrySerializer(ModelMessagesSerializer):
    """One exercise in a session. Give the amount the exercise is measured in (see its measured_in):
    reps, hold_seconds or minutes; the other two are stored empty."""

    exercise = ExerciseField(queryset=Exercise.objects.all())
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    total_reps = serializers.SerializerMethodField(help_text="Sets x reps (0 for timed exercises).")
    load_volume = serializers.SerializerMethodField(help_text="Sets x reps x load (kg).")

    class Meta:
        model = ExerciseEntry
        fields = [
            "id",
            "exercise",
            "exercise_name",
            "side",
            "sets",
            *AMOUNT_FIELDS,
            "load_kg",
            "pain_during",
            "total_reps",
            "load_volume",
        ]
        list_serializer_class = EntryListSerializer

    def get_total_reps(self, entry: ExerciseEntry) -> int:
        return metrics.training_volume(sets=entry.sets, reps=entry.reps, load_kg=entry.load_kg)[0]

    def get_load_volume(self, entry: ExerciseEntry) -> float:
        return metrics.training_volume(sets=entry.sets, reps=entry.reps, load_kg=entry.load_kg)[1]

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        exercise: Exercise | None = attrs.get("exercise")
        if exercise is None:  # a PATCH skips "required"; entries are always given whole
            raise serializers.ValidationError({"exercise": ["This field is required."]})
        entry = ExerciseEntry(**attrs)
        # The model's clean() keeps only the right amount. The exercise was just looked up, and each
        # CHECK constraint repeats a field validator (checking them would cost a query each).
        run_full_clean(entry, exclude=["session", "exercise"], validate_constraints=False)
        for field in AMOUNT_FIELDS:
            attrs[field] = getattr(entry, field)
        return attrs


class SessionSerializer(FullCleanSerializer):
    """An exercise session with its entries, written together in one transaction.

    On update, `entries` (if given) replaces all the session's entries.
    """

    not_on_model = ("entries",)

    entries = EntrySerializer(many=True, help_text=f"1 to {MAX_ENTRIES} exercises.")
    pain_during_max = serializers.SerializerMethodField(help_text="Highest pain during any exercise.")
    red_flags = serializers.SerializerMethodField(
        help_text=f"Pain-monitoring advice (pain during or after above {metrics.PAIN_ACCEPTABLE_MAX}/10)."
    )

    class Meta:
        model = ExerciseSession
        fields = [
            "id",
            "performed_at",
            "duration_minutes",
            "pain_before",
            "pain_after",
            "rpe",
            "notes",
            "entries",
            "pain_during_max",
            "red_flags",
            "created_at",
            "updated_at",
        ]

    def get_pain_during_max(self, session: ExerciseSession) -> int | None:
        return session_selectors.pain_during_max(session.entries.all())

    @extend_schema_field(RedFlagSerializer(many=True))
    def get_red_flags(self, session: ExerciseSession) -> list[dict]:
        flags = metrics.pain_monitoring_breaches(
            pain_during_max=self.get_pain_during_max(session),
            pain_after=session.pain_after,
            paused=self.context.get("exercise_paused", False),
        )
        return RedFlagSerializer(flags, many=True).data

    def create(self, validated_data: dict) -> ExerciseSession:
        entries = validated_data.pop("entries")
        return save_session(
            patient=validated_data.pop("patient"),
            session=ExerciseSession(**validated_data),
            entries=[ExerciseEntry(**data) for data in entries],
        )

    def update(self, session: ExerciseSession, validated_data: dict) -> ExerciseSession:
        entries = validated_data.pop("entries", None)
        for name, value in validated_data.items():
            setattr(session, name, value)
        if entries is None:  # a PATCH without entries keeps them
            return save_session(patient=session.patient, session=session, entries=[])
        return save_session(
            patient=session.patient,
            session=session,
            entries=[ExerciseEntry(**data) for data in entries],
            removed=list(session.entries.all()),
        )


# --- Symptom check-ins -------------------------------------------------------------------------


class SymptomSerializer(FullCleanSerializer):
    """A daily check-in (one per date). Ticking a red-flag symptom raises an urgent flag."""

    tender_points = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Labels of the ticked trigger points."
    )
    red_flags = serializers.SerializerMethodField()

    class Meta:
        model = SymptomLog
        fields = [
            "id",
            "date",
            "pain_at_rest",
            "pain_next_morning",
            "night_cramps",
            "stiffness",
            "limping",
            *[field for field, _label in TRIGGER_POINTS],
            "flag_dvt_signs",
            "flag_tear_pop",
            "flag_severe_pain",
            "flag_numbness",
            "notes",
            "tender_points",
            "red_flags",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(RedFlagSerializer(many=True))
    def get_red_flags(self, log: SymptomLog) -> list[dict]:
        return RedFlagSerializer(metrics.symptom_flags(log.red_flag_codes()), many=True).data

    def check_duplicate(self, instance: SymptomLog) -> None:
        if instance.date is None:
            return
        existing = symptom_selectors.symptom_log_on(instance.patient, instance.date)
        if existing is not None and existing.pk != instance.pk:
            raise serializers.ValidationError(
                {
                    "date": [
                        f"You already have a check-in on {instance.date.isoformat()} (id {existing.pk}). "
                        "Update that one instead."
                    ]
                }
            )


# --- Library and programme (read-only) ---------------------------------------------------------


class PrescriptionSerializer(ModelMessagesSerializer):
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    dosage = serializers.CharField(source="dosage_text", read_only=True)

    class Meta:
        model = Prescription
        fields = [
            "id",
            "exercise",
            "exercise_name",
            "side",
            "sets",
            *AMOUNT_FIELDS,
            "load_kg",
            "dosage",
            "times_per_week",
            "start_date",
            "end_date",
            "active",
            "notes",
            "created_at",
        ]
        read_only_fields = fields
