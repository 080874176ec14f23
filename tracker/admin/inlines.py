"""Inlines: a patient's records on her review page, and the exercises of a session."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Subquery
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from tracker.admin.mixins import ClinicAdminMixin, PatientScopedMixin
from tracker.models import (
    ExerciseEntry,
    GirthMeasurement,
    HeelRiseTest,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)


class ReadOnlyInline:
    """Records the patient owns: shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LabelledInlineFormSet(BaseInlineFormSet):
    """Names each field of a tabular inline for screen readers.

    Django's tabular inline shows a field's label only once, as the column header, so its inputs
    have no accessible name (axe: "Form elements must have labels").
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        record = self.model._meta.verbose_name
        row = f", {record} {index + 1}" if index is not None else f", new {record}"
        for field in form.fields.values():
            widget = getattr(field.widget, "widget", field.widget)  # inside RelatedFieldWidgetWrapper
            widget.attrs.setdefault("aria-label", f"{field.label}{row}")


class PatientRecordInline(ClinicAdminMixin, PatientScopedMixin, admin.TabularInline):
    """A patient's records on her profile's page.

    The records point at the patient's User, not at the profile, so the inline's parent model is
    User and PatientProfileAdmin hands the profile's user to the formset (`get_formset_kwargs`).
    """

    fk_name = "patient"
    formset = LabelledInlineFormSet
    extra = 0
    show_change_link = True
    recent_limit: int | None = 10
    recent_ordering: tuple[str, ...] = ("-date", "-id")

    def __init__(self, parent_model, admin_site):
        super().__init__(User, admin_site)

    def recent(self, request: HttpRequest, patient: User):
        records = self.get_queryset(request)
        if self.recent_limit is None:
            return records
        latest = (
            self.model.objects.filter(patient=patient).order_by(*self.recent_ordering).values("pk")
        )[: self.recent_limit]
        return records.filter(pk__in=Subquery(latest))


class GirthInline(PatientRecordInline):
    model = GirthMeasurement
    verbose_name_plural = "girth measurements (latest 10)"
    fields = ("date", "site", "left_1", "left_2", "left_3", "right_1", "right_2", "right_3",
              "left_cm", "right_cm", "measured_by")
    readonly_fields = ("left_cm", "right_cm")
    extra = 1

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "measured_by":
            kwargs["initial"] = GirthMeasurement.MeasuredBy.PHYSIO  # added here = measured in clinic
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class HeelRiseInline(PatientRecordInline):
    model = HeelRiseTest
    verbose_name_plural = "heel-rise tests (latest 10)"
    fields = ("date", "reps_left", "reps_right", "incline", "notes")
    extra = 1


class SymptomLogInline(ReadOnlyInline, PatientRecordInline):
    """Check-ins belong to the patient: shown, never changed here."""

    model = SymptomLog
    verbose_name_plural = "symptom check-ins (latest 14)"
    recent_limit = 14
    recent_ordering = ("-date",)
    fields = ("date", "pain_at_rest", "pain_next_morning", "night_cramps", "stiffness", "limping",
              "red_flags", "notes")
    readonly_fields = fields

    @admin.display(description="red flags ticked")
    def red_flags(self, obj):
        return ", ".join(obj.red_flag_codes()) or "—"



class PrescriptionInline(PatientRecordInline):
    model = Prescription
    verbose_name_plural = "prescriptions (the programme)"
    recent_limit = None
    fields = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "times_per_week",
              "start_date", "end_date", "active", "progression", "prescribed_by")
    readonly_fields = ("prescribed_by",)
    extra = 1


class NoteInline(PatientRecordInline):
    model = PhysioNote
    verbose_name_plural = "notes (latest 10; tick “visible” to show one on her dashboard)"
    recent_ordering = ("-created_at",)
    fields = ("created_at", "author", "text", "visible_to_patient", "is_review", "read_at")
    readonly_fields = ("created_at", "author", "is_review", "read_at")
    extra = 1
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}



class ExerciseEntryInline(ReadOnlyInline, admin.TabularInline):
    """Entries of a session: the parent session is already scoped; patients own these, so view only."""

    model = ExerciseEntry
    fields = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "pain_during")
    readonly_fields = fields
    extra = 0

