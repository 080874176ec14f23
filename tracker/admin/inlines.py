"""Inlines: the programme on a patient's review page, and the exercises of a session.

Her measurements, tests, sessions and check-ins are shown read-only on the review page itself
(admin.review): physios do not edit what the patient measured.
"""

from django.contrib import admin
from django.db.models import Subquery
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from tracker.admin.mixins import ClinicAdminMixin, PatientScopedMixin
from tracker.models import ExerciseEntry, Prescription, User


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


class PrescriptionInline(PatientRecordInline):
    model = Prescription
    verbose_name_plural = "prescriptions (the programme)"
    recent_limit = None
    fields = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "times_per_week",
              "start_date", "end_date", "active", "progression", "prescriber")
    readonly_fields = ("prescriber",)
    extra = 1

    @admin.display(description="prescribed by")
    def prescriber(self, obj):
        return obj.prescribed_by.display_name() if obj.prescribed_by else "—"


class ExerciseEntryInline(ReadOnlyInline, admin.TabularInline):
    """Entries of a session: the parent session is already scoped; patients own these, so view only."""

    model = ExerciseEntry
    fields = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "pain_during")
    readonly_fields = fields
    extra = 0

