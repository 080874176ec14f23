"""The patients' records, each list and page scoped to the physio's caseload."""

from django.contrib import admin, messages
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from tracker import metrics
from tracker.admin.filters import PatientFilter
from tracker.admin.inlines import ExerciseEntryInline, LabelledInlineFormSet
from tracker.admin.mixins import (
    HISTORY_FORM_TEMPLATE,
    HISTORY_LIST_TEMPLATE,
    ClinicAdminMixin,
    PatientScopedMixin,
    ScopedHistoryMixin,
)
from tracker.models import (
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PhysioNote,
    Prescription,
    ProgrammeStep,
    SymptomLog,
)
from tracker.selectors import programme as programme_selectors
from tracker.services.programmes import step_apply


class PatientRecordAdmin(ClinicAdminMixin, PatientScopedMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_select_related = ("patient__profile",)
    object_history_list_template = HISTORY_LIST_TEMPLATE
    object_history_form_template = HISTORY_FORM_TEMPLATE
    list_filter = (("patient", PatientFilter),)
    search_fields = ("patient__username", "patient__first_name", "patient__last_name")
    list_per_page = 50

    @admin.display(description="patient", ordering="patient__last_name")
    def patient_name(self, obj):
        return obj.patient.display_name()


@admin.register(GirthMeasurement)
class GirthMeasurementAdmin(PatientRecordAdmin):
    list_display = ("patient_name", "date", "site", "left_cm", "right_cm", "lsi", "measured_by")
    list_filter = (("patient", PatientFilter), "site", "measured_by")
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
    list_filter = (("patient", PatientFilter), "incline")
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
    # Warning signs first: the column that matters most stays in view on a laptop.
    list_display = ("patient_name", "date", "red_flags", "pain_at_rest", "pain_next_morning", "night_cramps",
                    "stiffness", "limping")
    date_hierarchy = "date"

    @admin.display(description="red flags ticked")
    def red_flags(self, obj):
        return "; ".join(metrics.SYMPTOM_RED_FLAGS[code] for code in obj.red_flag_codes()) or "—"


class ProgrammeStepInline(ClinicAdminMixin, admin.TabularInline):
    """The steps of a prescription's progression; the parent prescription is already scoped."""

    model = ProgrammeStep
    formset = LabelledInlineFormSet
    fields = ("number", "start_week", "sets", "amount", "load_note")
    extra = 0


@admin.register(Prescription)
class PrescriptionAdmin(PatientRecordAdmin):
    # The proposed next step is on each prescription's page (it needs her pain: too dear for a list).
    list_display = ("patient_name", "exercise", "dosage", "times_per_week", "start_date", "end_date",
                    "active", "progression")
    list_select_related = ("patient__profile", "exercise")
    list_filter = (("patient", PatientFilter), "active", "progression", "exercise")
    fieldsets = (
        (None, {"fields": ("patient", "exercise", "side", "sets", "reps", "hold_seconds", "minutes",
                           "load_kg", "times_per_week", "start_date", "end_date", "active", "notes",
                           "prescribed_by")}),
        ("Progression", {"fields": ("progression", "load_step_kg", "step_number", "next_step", "step_reason",
                                    "step_changed_on")}),
    )
    readonly_fields = ("prescribed_by", "next_step", "step_changed_on")
    inlines = [ProgrammeStepInline]
    actions = ["approve_next_step"]

    @admin.display(description="dosage")
    def dosage(self, obj):
        return obj.dosage_text()

    def _proposals(self, obj):
        if obj.pk is None:
            return None, None
        return programme_selectors.next_for(obj, today=timezone.localdate())

    @admin.display(description="next step (proposed)")
    def next_step(self, obj):
        step, load = self._proposals(obj)
        reasons = [p.reason for p in (step, load) if p is not None and p.reason]
        waiting = any(p is not None and p.action == "advance" and p.due and p.needs_approval
                      for p in (step, load))
        text = " ".join(reasons) or "—"
        return f"Waiting for your approval: {text}" if waiting else text

    @admin.action(description="Approve the proposed next step of the selected prescriptions",
                  permissions=["change"])
    def approve_next_step(self, request, queryset):
        today, applied = timezone.localdate(), []
        for prescription in queryset.select_related("exercise", "patient").prefetch_related("steps"):
            step, load = self._proposals(prescription)
            ready = [p for p in (step, load) if p is not None and p.action == "advance" and p.due]
            if ready:
                step_apply(prescription=prescription, proposal=ready[0], today=today, by=request.user)
                applied.append(str(prescription.exercise))
        if applied:
            self.message_user(request, f"Moved on: {', '.join(applied)}.", messages.SUCCESS)
        else:
            self.message_user(request, "No selected prescription has a step ready (its week not come, her "
                              "pain says wait, or a warning sign is open).", messages.WARNING)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.prescribed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PhysioNote)
class PhysioNoteAdmin(PatientRecordAdmin):
    list_display = ("patient_name", "created_at", "author_name", "short_text", "visible_to_patient",
                    "is_review", "read_at")
    list_select_related = ("patient__profile", "author")
    list_filter = (("patient", PatientFilter), "visible_to_patient", "is_review")
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
