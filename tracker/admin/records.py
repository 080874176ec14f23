"""The patients' records, each list and page scoped to the physio's caseload; the exercise library."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tracker.admin.inlines import ExerciseEntryInline
from tracker.admin.mixins import (
    HISTORY_FORM_TEMPLATE,
    HISTORY_LIST_TEMPLATE,
    ClinicAdminMixin,
    PatientScopedMixin,
    ScopedHistoryMixin,
)
from tracker.models import (
    Exercise,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PhysioNote,
    Prescription,
    SymptomLog,
)


class PatientRecordAdmin(ClinicAdminMixin, PatientScopedMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_select_related = ("patient__profile",)
    object_history_list_template = HISTORY_LIST_TEMPLATE
    object_history_form_template = HISTORY_FORM_TEMPLATE
    list_filter = (("patient", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("patient__username", "patient__first_name", "patient__last_name")
    list_per_page = 50

    @admin.display(description="patient", ordering="patient__last_name")
    def patient_name(self, obj):
        return obj.patient.display_name()


@admin.register(GirthMeasurement)
class GirthMeasurementAdmin(PatientRecordAdmin):
    list_display = ("patient_name", "date", "site", "left_cm", "right_cm", "lsi", "measured_by")
    list_filter = (("patient", admin.RelatedOnlyFieldListFilter), "site", "measured_by")
    date_hierarchy = "date"
    fields = ("patient", "date", "site", ("left_1", "left_2", "left_3"), ("right_1", "right_2", "right_3"),
              "left_cm", "right_cm", "measured_by", "notes")
    readonly_fields = ("left_cm", "right_cm")

    @admin.display(description="LSI")
    def lsi(self, obj):
        lsi = obj.symmetry(obj.patient.profile.affected_side).lsi
        return "—" if lsi is None else f"{lsi:.1f}%"


@admin.register(HeelRiseTest)
class HeelRiseTestAdmin(PatientRecordAdmin):
    list_display = ("patient_name", "date", "reps_left", "reps_right", "incline")
    list_filter = (("patient", admin.RelatedOnlyFieldListFilter), "incline")
    date_hierarchy = "date"
    fields = ("patient", "date", "reps_left", "reps_right", "incline", "notes")



@admin.register(ExerciseSession)
class ExerciseSessionAdmin(PatientRecordAdmin):
    read_only_for_physios = True
    list_display = ("patient_name", "performed_at", "duration_minutes", "pain_before", "pain_after", "rpe")
    date_hierarchy = "performed_at"
    fields = ("patient", "performed_at", "duration_minutes", "pain_before", "pain_after", "rpe", "notes")
    inlines = [ExerciseEntryInline]


@admin.register(SymptomLog)
class SymptomLogAdmin(PatientRecordAdmin):
    read_only_for_physios = True
    list_display = ("patient_name", "date", "pain_at_rest", "pain_next_morning", "night_cramps", "stiffness",
                    "limping", "red_flags")
    date_hierarchy = "date"

    @admin.display(description="red flags ticked")
    def red_flags(self, obj):
        return ", ".join(obj.red_flag_codes()) or "—"


@admin.register(Prescription)
class PrescriptionAdmin(PatientRecordAdmin):
    list_display = ("patient_name", "exercise", "dosage", "times_per_week", "start_date", "end_date",
                    "active")
    list_select_related = ("patient__profile", "exercise")
    list_filter = (("patient", admin.RelatedOnlyFieldListFilter), "active", "exercise")
    fields = ("patient", "exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg",
              "times_per_week", "start_date", "end_date", "active", "notes", "prescribed_by")
    readonly_fields = ("prescribed_by",)

    @admin.display(description="dosage")
    def dosage(self, obj):
        return obj.dosage_text()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.prescribed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PhysioNote)
class PhysioNoteAdmin(PatientRecordAdmin):
    list_display = ("patient_name", "created_at", "author_name", "short_text", "visible_to_patient",
                    "is_review", "read_at")
    list_select_related = ("patient__profile", "author")
    list_filter = (("patient", admin.RelatedOnlyFieldListFilter), "visible_to_patient", "is_review")
    fields = ("patient", "text", "visible_to_patient", "is_review", "author_name", "created_at", "read_at")
    readonly_fields = ("is_review", "author_name", "created_at", "read_at")

    @admin.display(description="author", ordering="author__last_name")
    def author_name(self, obj):
        return obj.author.display_name() if obj.author else "—"

    @admin.display(description="note")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 80 else obj.text[:77] + "…"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    """The shared exercise library: every physio sees and extends it."""

    list_display = ("name", "kind", "target", "knee_position", "measured_in", "default_dosage")
    list_filter = ("kind", "target", "measured_in")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
