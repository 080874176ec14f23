"""The clinic admin: the physiotherapist's caseload, patient review and the records behind them.

Access rule (see `tracker.admin_scoping`): a physio sees only her assigned patients and their
records; superusers see everything; patients (non-staff) never get past the admin login. The one
exception is the caseload's "Unassigned" filter, which lists unassigned patients so that a physio
can take them on with the "Assign to me" action, and nothing else.

Audit history (django-simple-history): every clinical admin has the "History" page, scoped like the
rest. Deleted records are listed and restored by superusers only ("Deleted records", below).
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import password_validation
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import floatformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_POST
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_create_with_history

from tracker import (
    admin_closed,  # noqa: F401  (registers the ClosedAccount admin)
    csv_io,
)
from tracker.admin_scoping import (
    ClinicAdminMixin,
    PatientScopedMixin,
    ScopedHistoryMixin,
    follow_path,
    is_physio,
    sees_everything,
)
from tracker.chart_data import ChartOptions
from tracker.models import (
    PHYSIO_GROUP,
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)
from tracker.selectors import caseload
from tracker.selectors.dashboard import dashboard_summary
from tracker.services import create_patient
from tracker.views.charts import chart_response
from tracker.views.report import report_response

REVIEW_CHARTS = ("girth", "symmetry", "heel-rise", "pain", "adherence")
HISTORY_LIST_TEMPLATE = "admin/tracker/history/object_history_list.html"
HISTORY_FORM_TEMPLATE = "admin/tracker/history/object_history_form.html"
CLINICAL_FIELDS = ("affected_side", "condition", "onset_date", "target_lsi", "sex", "birth_year", "unit")

admin.site.site_header = "Calf Rehab Tracker · clinic"
admin.site.site_title = "Calf Rehab Tracker clinic"
admin.site.index_title = "Your patients and their programmes"


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    """Accounts, for superusers only: a physio must never list every user of the clinic."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# --- programme templates -----------------------------------------------------------------------

PROGRAMME_TEMPLATES = {
    # key: (label, weeks or None for open-ended, times per week, [(exercise slug, sets, amount)])
    "alfredson": (
        "Alfredson eccentric, 12 weeks (3 × 15, twice daily)",
        12,
        14,
        [("eccentric-heel-drop-straight", 3, 15), ("eccentric-heel-drop-bent", 3, 15)],
    ),
    "hsr": (
        "Heavy slow resistance, 12 weeks (3 × 15, 3 times a week)",
        12,
        3,
        [("heavy-slow-calf-raise", 3, 15), ("seated-calf-raise", 3, 15)],
    ),
    "stretching": (
        "Stretching (3 × 30 s, daily)",
        None,
        7,
        [("wall-gastrocnemius-stretch", 3, 30), ("soleus-stretch", 3, 30)],
    ),
}


@transaction.atomic
def add_programme(
    *, patient: User, key: str, prescribed_by: User, start: datetime.date
) -> list[Prescription]:
    """Prescribe a template's exercises; an exercise already actively prescribed is left as it is."""
    _label, weeks, per_week, rows = PROGRAMME_TEMPLATES[key]
    end = start + datetime.timedelta(weeks=weeks) if weeks else None
    side = patient.profile.affected_side if patient.profile.affected_side in ("left", "right") else "both"
    exercises = Exercise.objects.in_bulk([slug for slug, _sets, _amount in rows], field_name="slug")
    already = set(
        Prescription.objects.active_on(start).filter(patient=patient).values_list("exercise__slug", flat=True)
    )
    created = []
    for slug, sets, amount in rows:
        exercise = exercises.get(slug)
        if exercise is None or slug in already:
            continue
        prescription = Prescription(
            patient=patient,
            exercise=exercise,
            prescribed_by=prescribed_by,
            side=side if exercise.kind in ("eccentric", "stretch") else "both",
            sets=sets,
            times_per_week=per_week,
            start_date=start,
            end_date=end,
            notes=PROGRAMME_TEMPLATES[key][0],
            **{exercise.amount_field: amount},
        )
        prescription.full_clean()
        prescription.save()
        created.append(prescription)
    return created


class ProgrammeTemplateForm(forms.Form):
    template = forms.ChoiceField(
        label="Start from a template", choices=[(key, value[0]) for key, value in PROGRAMME_TEMPLATES.items()]
    )
    start_date = forms.DateField(
        label="Starting on",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start.year < 1900 or start > timezone.localdate() + datetime.timedelta(days=366):
            raise ValidationError("Enter a start date from 1900 up to a year from now.")
        return start


# --- CSV export ----------------------------------------------------------------------------------

EXPORT_FILES = [
    # (file name, model, path to the patient, columns). Private notes are filtered out below.
    (
        "girth_measurements.csv",
        GirthMeasurement,
        "patient",
        ["date", "site", "left_1", "left_2", "left_3", "right_1", "right_2", "right_3",
         "left_cm", "right_cm", "measured_by", "notes"],
    ),
    ("heel_rise_tests.csv", HeelRiseTest, "patient", ["date", "reps_left", "reps_right", "incline", "notes"]),
    (
        "exercise_sessions.csv",
        ExerciseSession,
        "patient",
        ["id", "performed_at", "duration_minutes", "pain_before", "pain_after", "rpe", "notes"],
    ),
    (
        "exercise_entries.csv",
        ExerciseEntry,
        "session__patient",
        ["session_id", "exercise__name", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg",
         "pain_during"],
    ),
    (
        "symptom_logs.csv",
        SymptomLog,
        "patient",
        ["date", "pain_at_rest", "pain_next_morning", "night_cramps", "stiffness", "limping",
         "tp_left_upper_medial", "tp_left_lower_medial", "tp_left_upper_lateral", "tp_left_lower_lateral",
         "tp_right_upper_medial", "tp_right_lower_medial", "tp_right_upper_lateral", "tp_right_lower_lateral",
         "flag_dvt_signs", "flag_tear_pop", "flag_severe_pain", "flag_numbness", "notes"],
    ),
    (
        "prescriptions.csv",
        Prescription,
        "patient",
        ["exercise__name", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "times_per_week",
         "start_date", "end_date", "active", "notes"],
    ),
    ("notes.csv", PhysioNote, "patient", ["created_at", "author__username", "text", "read_at"]),
]
PROFILE_COLUMNS = ["user__first_name", "user__last_name", "user__email", "affected_side", "condition",
                   "onset_date", "unit", "target_lsi", "sex", "birth_year"]


def _cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_io.neutralise(_cell(value)) for value in row])
    return out.getvalue().encode("utf-8")


def export_zip(profiles) -> bytes:
    """A zip of one CSV per record type for the given profiles; only notes shared with the patient."""
    profiles = list(profiles)
    patient_ids = [p.user_id for p in profiles]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        rows = (
            PatientProfile.objects.filter(user_id__in=patient_ids)
            .order_by("user__username")
            .values_list("user__username", *PROFILE_COLUMNS)
        )
        archive.writestr("patients.csv", _csv_bytes(["username", *PROFILE_COLUMNS], rows))
        for name, model, patient_path, columns in EXPORT_FILES:
            records = model.objects.filter(**{f"{patient_path}__in": patient_ids})
            if model is PhysioNote:
                records = records.filter(visible_to_patient=True)
            rows = records.order_by(f"{patient_path}__username", "pk").values_list(
                f"{patient_path}__username", *columns
            )
            archive.writestr(name, _csv_bytes(["username", *columns], rows))
    return buffer.getvalue()


def zip_response(profiles, filename: str) -> HttpResponse:
    response = HttpResponse(export_zip(profiles), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- create a patient with her profile in one form ----------------------------------------------


class PatientCreationForm(forms.ModelForm):
    """The account fields and the profile together; `create_patient` does the writing."""

    username = UsernameField(max_length=150, help_text="What she types to log in.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(help_text="She resets her password with it.")
    password1 = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Optional: leave both password fields empty and she sets her own with "
        "“Forgotten your password?” on the login page.",
    )
    password2 = forms.CharField(
        label="Password again",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = PatientProfile
        fields = ["affected_side", "condition", "onset_date", "unit", "target_lsi", "sex", "birth_year"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("This username is taken. Choose another one.")
        return username

    def clean(self):
        cleaned = super().clean()
        account = User(
            username=cleaned.get("username", ""),
            email=cleaned.get("email", ""),
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        try:
            account.full_clean(exclude=["password"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 or password2:
            if password1 != password2:
                self.add_error("password2", "The two passwords differ. Type the same password twice.")
            else:
                try:
                    password_validation.validate_password(password1, account)
                except ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


# --- caseload filters ------------------------------------------------------------------------------


class AssignmentFilter(admin.SimpleListFilter):
    """'Unassigned' is the only way a physio sees patients who are not hers (to assign them)."""

    title = "assignment"
    parameter_name = "assignment"

    def lookups(self, request, model_admin):
        if sees_everything(request.user):
            return [("mine", "Assigned to me"), ("unassigned", "Unassigned")]
        return [("unassigned", "Unassigned (to assign to yourself)")]

    def queryset(self, request, queryset):
        if self.value() == "unassigned":
            return queryset.filter(physio__isnull=True)
        if self.value() == "mine":
            return queryset.filter(physio=request.user)
        return queryset


class _YesNoFilter(admin.SimpleListFilter):
    yes_label = "Yes"
    no_label = "No"

    def condition(self, request) -> Q:
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [("yes", self.yes_label), ("no", self.no_label)]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition(request))
        if self.value() == "no":
            return queryset.exclude(self.condition(request))
        return queryset


class RedFlagFilter(_YesNoFilter):
    title = "red flag open"
    parameter_name = "red_flag"

    def condition(self, request):
        return Q(red_flag_count__gt=0)


class NotLoggedFilter(_YesNoFilter):
    title = f"not logged for {caseload.NOT_LOGGED_DAYS}+ days"
    parameter_name = "not_logged"

    def condition(self, request):
        cutoff = timezone.localdate() - datetime.timedelta(days=caseload.NOT_LOGGED_DAYS)
        return Q(last_activity__isnull=True) | Q(last_activity__lte=cutoff)


class LowAdherenceFilter(_YesNoFilter):
    title = "adherence below 50% (14 days)"
    parameter_name = "low_adherence"

    def condition(self, request):
        return Q(adherence__lt=caseload.LOW_ADHERENCE_PERCENT)


class NewDataFilter(_YesNoFilter):
    title = "not reviewed since new data"
    parameter_name = "new_data"

    def condition(self, request):
        return Q(new_data=True)


class LsiBelowTargetFilter(admin.SimpleListFilter):
    title = "LSI below target"
    parameter_name = "lsi_below"

    def lookups(self, request, model_admin):
        return [("any", "Girth or heel-rise"), ("girth", "Girth LSI"), ("heel_rise", "Heel-rise LSI")]

    def queryset(self, request, queryset):
        girth = Q(girth_lsi__lt=F("target_lsi"))
        heel = Q(heel_lsi__lt=F("target_lsi"))
        conditions = {"any": girth | heel, "girth": girth, "heel_rise": heel}
        if self.value() in conditions:
            return queryset.filter(conditions[self.value()])
        return queryset


# --- inlines of the patient review -----------------------------------------------------------------


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


class SymptomLogInline(PatientRecordInline):
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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PrescriptionInline(PatientRecordInline):
    model = Prescription
    verbose_name_plural = "prescriptions (the programme)"
    recent_limit = None
    fields = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "times_per_week",
              "start_date", "end_date", "active", "prescribed_by")
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


# --- deleted records: found and restored by superusers ----------------------------------------------

# The URL name of each restorable kind -> (model, path from a (historical) row to the patient).
RESTORABLE = {
    "girthmeasurement": (GirthMeasurement, "patient"),
    "heelrisetest": (HeelRiseTest, "patient"),
    "exercisesession": (ExerciseSession, "patient"),
    "exerciseentry": (ExerciseEntry, "session__patient"),
    "symptomlog": (SymptomLog, "patient"),
    "prescription": (Prescription, "patient"),
    "physionote": (PhysioNote, "patient"),
    "patientprofile": (PatientProfile, "user"),
}
# Deleting a session deletes its entries (CASCADE) a moment before the session itself; their history
# rows are that close together. Entries removed earlier (editing the session) are not brought back.
CASCADE_WINDOW = datetime.timedelta(seconds=5)
RESTORE_REASON = "Restored from the deleted records"


class RestoreError(Exception):
    """A deleted record cannot come back as it was; the message says why."""


def _still_deleted(model, rows):
    """The rows that are an object's latest version and whose object has no live row."""
    history = model.history.model
    live = model._default_manager.filter(pk=OuterRef("id"))
    later = history.objects.filter(id=OuterRef("id"), history_id__gt=OuterRef("history_id"))
    return rows.filter(history_type="-").exclude(Exists(live)).exclude(Exists(later))


def deleted_records(kind: str):
    """Deletion rows of records that are still deleted and could come back.

    Entries whose session is deleted too come back with their session; records of a closed
    account (the patient is gone) are not offered.
    """
    model, owner_path = RESTORABLE[kind]
    rows = _still_deleted(model, model.history.model.objects.all())
    if model is ExerciseEntry:
        return rows.filter(Exists(ExerciseSession.objects.filter(pk=OuterRef("session_id"))))
    return rows.filter(Exists(User.objects.filter(pk=OuterRef(f"{owner_path}_id"))))


def entries_deleted_with(session_id, deleted_at):
    """Entry rows deleted with a session, given its id and deletion time (values, or OuterRefs)."""
    since = deleted_at - CASCADE_WINDOW
    if hasattr(since, "resolve_expression"):
        since = ExpressionWrapper(since, output_field=models.DateTimeField())
    rows = ExerciseEntry.history.model.objects.filter(
        session_id=session_id, history_date__lte=deleted_at, history_date__gte=since
    )
    return _still_deleted(ExerciseEntry, rows)


def deleted_index(*, kind: str | None = None, patient_id: int | None = None):
    """(kind, history_id, deleted at) of every deleted record, newest first, as one UNION query."""
    parts = []
    for name, (_model, owner_path) in RESTORABLE.items():
        if kind in RESTORABLE and name != kind:
            continue
        rows = deleted_records(name)
        if patient_id is not None:
            rows = rows.filter(**{owner_path: patient_id})
        parts.append(
            rows.order_by()
            .annotate(kind=Value(name, output_field=models.CharField()))
            .values_list("kind", "history_id", "history_date")
        )
    return parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")


@dataclass
class DeletedRecord:
    kind: str
    label: str
    description: str
    patient: User | None
    deleted_at: datetime.datetime
    deleted_by: User | None
    history_id: int
    history_url: str | None
    entries: int = 0


def _label(instance) -> str:
    """str(instance), or its id when the description needs a related row that is gone."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"#{instance.pk}"


def _as_instance(row):
    """The record as it was in `row`, with the related objects fetched with the row (no query each)."""
    instance = row.instance
    for field in instance._meta.concrete_fields:
        if field.is_relation:
            row_field = row._meta.get_field(field.name)
            if row_field.is_cached(row):
                field.set_cached_value(instance, row_field.get_cached_value(row))
    return instance


def describe_deleted(page_rows) -> list[DeletedRecord]:
    """The page's rows in full: one query per kind on the page, whatever the number of rows."""
    ids_by_kind: dict[str, list[int]] = {}
    for kind, history_id, _date in page_rows:
        ids_by_kind.setdefault(kind, []).append(history_id)
    described = {}
    for kind, ids in ids_by_kind.items():
        model, owner_path = RESTORABLE[kind]
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        rows = model.history.model.objects.filter(history_id__in=ids).select_related(
            "history_user", owner_path, *related
        )
        if model is ExerciseSession:
            rows = rows.annotate(
                entry_count=Subquery(
                    entries_deleted_with(OuterRef("id"), OuterRef("history_date"))
                    .values("session_id").annotate(n=Count("history_id")).values("n")
                )
            )
        registered = admin.site.is_registered(model)
        for row in rows:
            described[(kind, row.history_id)] = DeletedRecord(
                kind=kind,
                label=capfirst(model._meta.verbose_name),
                description=_label(_as_instance(row)),
                patient=follow_path(row, owner_path),
                deleted_at=row.history_date,
                deleted_by=row.history_user,
                history_id=row.history_id,
                history_url=reverse(f"admin:tracker_{kind}_history", args=[row.id]) if registered else None,
                entries=getattr(row, "entry_count", None) or 0,
            )
    return [described[(kind, history_id)] for kind, history_id, _date in page_rows]


def _recreate(row, *, user: User):
    """Insert the record as it was in `row` (same pk), with a "created" history row by `user`."""
    instance = row.instance
    model = type(instance)
    for field in model._meta.concrete_fields:
        # A physio or author removed since: "set null", as the live row would have been.
        if field.is_relation and field.remote_field.on_delete is models.SET_NULL:
            value = getattr(instance, field.attname)
            if value is not None and not field.related_model._default_manager.filter(pk=value).exists():
                setattr(instance, field.attname, None)
    name = capfirst(f"{model._meta.verbose_name} “{_label(instance)}”")
    try:
        instance.full_clean()  # unique rules (a record stored meanwhile), ranges, the patient still there
    except ValidationError as error:
        raise RestoreError(f"{name} cannot come back: {' '.join(error.messages)}") from None
    # `auto_now_add` would stamp the restore time on save: the original creation time is put back.
    stamps = {f.attname: getattr(instance, f.attname)
              for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)}
    instance._history_user = user
    instance._change_reason = RESTORE_REASON
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError:
        raise RestoreError(f"{name} conflicts with a record stored meanwhile.") from None
    if stamps:
        model._default_manager.filter(pk=instance.pk).update(**stamps)
        created = model.history.filter(id=instance.pk).latest("history_id")
        type(created).objects.filter(pk=created.pk).update(**stamps)
        for attname, value in stamps.items():
            setattr(instance, attname, value)
    return instance


@transaction.atomic
def restore_deleted(row, *, user: User):
    """Bring a deleted record back as it was when deleted; a session with the entries deleted with it.

    All or nothing: raises RestoreError (and stores nothing) if any part cannot come back.
    """
    instance = _recreate(row, user=user)
    if isinstance(instance, ExerciseSession):
        for entry in entries_deleted_with(instance.pk, row.history_date).order_by("history_id"):
            _recreate(entry, user=user)
    return instance



# --- the caseload and the patient review -------------------------------------------------------------


@admin.register(PatientProfile)
class PatientProfileAdmin(ClinicAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    """Changelist = the physio's caseload; change page = the patient review."""

    history_patient_path = "user"
    object_history_list_template = HISTORY_LIST_TEMPLATE
    object_history_form_template = HISTORY_FORM_TEMPLATE

    list_display = (
        "name",
        "condition_short",
        "affected_side",
        "girth_lsi_display",
        "girth_change_display",
        "heel_lsi_display",
        "adherence_display",
        "last_activity_display",
        "red_flags_display",
        "new_data_display",
    )
    list_filter = (
        AssignmentFilter,
        RedFlagFilter,
        LsiBelowTargetFilter,
        NotLoggedFilter,
        LowAdherenceFilter,
        NewDataFilter,
        "affected_side",
    )
    search_fields = ("user__first_name", "user__last_name", "user__username", "user__email", "condition")
    list_select_related = ("user",)
    list_per_page = 50
    actions = ["mark_reviewed", "export_csv", "assign_to_me", "start_alfredson", "start_hsr",
               "start_stretching"]
    change_form_template = "admin/tracker/patientprofile/change_form.html"
    add_form = PatientCreationForm
    add_fieldsets = (
        ("Account", {"fields": ("username", "first_name", "last_name", "email", "password1", "password2")}),
        ("Calf", {"fields": CLINICAL_FIELDS}),
    )
    review_inlines = (GirthInline, HeelRiseInline, SymptomLogInline, PrescriptionInline, NoteInline)

    # --- access -------------------------------------------------------------------------------------

    def _unassigned_view(self, request: HttpRequest) -> bool:
        match = request.resolver_match
        return (
            match is not None
            and match.url_name == f"{self.opts.app_label}_{self.opts.model_name}_changelist"
            and request.GET.get(AssignmentFilter.parameter_name) == "unassigned"
        )

    def scoped_queryset(self, request: HttpRequest):
        """The profiles `request.user` may open: her assigned patients (all for superusers)."""
        profiles = self.model._default_manager.select_related("user")
        if sees_everything(request.user):
            return profiles
        if self._unassigned_view(request):
            # The single exception to the rule: unassigned patients, listed to be assigned.
            return profiles.filter(physio__isnull=True)
        return profiles.filter(physio=request.user)

    def history_lookup_queryset(self, request: HttpRequest):
        return self.scoped_queryset(request)

    def get_queryset(self, request):
        profiles = caseload.annotate_caseload(
            self.scoped_queryset(request), reviewer=request.user, today=timezone.localdate()
        )
        return profiles.order_by(*self.get_ordering(request))

    def _owns(self, request: HttpRequest, obj) -> bool:
        return obj is None or sees_everything(request.user) or obj.physio_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def has_assign_permission(self, request):
        return sees_everything(request.user) or (
            is_physio(request.user) and super().has_change_permission(request)
        )

    def has_prescribe_permission(self, request):
        return request.user.has_perm("tracker.add_prescription")

    def has_review_permission(self, request):
        return request.user.has_perm("tracker.add_physionote")

    def has_restore_permission(self, request):
        return sees_everything(request.user)

    def _assigned(self, request: HttpRequest, queryset):
        """Actions other than 'assign to me' only ever touch the physio's own patients."""
        if sees_everything(request.user):
            return queryset
        return queryset.filter(physio=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if sees_everything(request.user):
            return actions
        if self._unassigned_view(request):
            return {name: action for name, action in actions.items() if name == "assign_to_me"}
        actions.pop("assign_to_me", None)
        return actions

    def get_list_display_links(self, request, list_display):
        if self._unassigned_view(request) and not sees_everything(request.user):
            return None  # she cannot open these until she has assigned them to herself
        return super().get_list_display_links(request, list_display)

    def get_ordering(self, request):
        return ["-red_flag_count", "-new_data", "user__last_name", "user__first_name", "user__username"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "physio":
            kwargs["queryset"] = User.objects.filter(is_staff=True, groups__name=PHYSIO_GROUP).order_by(
                "last_name", "username"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- caseload columns ------------------------------------------------------------------------------

    @admin.display(description="name", ordering="user__last_name")
    def name(self, obj):
        return obj.user.display_name()

    @admin.display(description="condition", ordering="condition")
    def condition_short(self, obj):
        text = obj.condition or "—"
        return text if len(text) <= 60 else text[:57] + "…"

    @admin.display(description="girth LSI", ordering=F("girth_lsi").asc(nulls_last=True))
    def girth_lsi_display(self, obj):
        symmetry = caseload.girth_symmetry(obj)
        if symmetry is None or symmetry.lsi is None:
            return "—"
        site = "" if obj.girth_site == "tt10" else f" ({obj.girth_site})"
        return f"{symmetry.lsi:.1f}%{site}"

    @admin.display(description="girth change, 4 weeks")
    def girth_change_display(self, obj):
        change = caseload.girth_change(obj)
        return "—" if change is None else change.label

    @admin.display(description="heel-rise LSI", ordering=F("heel_lsi").asc(nulls_last=True))
    def heel_lsi_display(self, obj):
        symmetry = caseload.heel_rise_symmetry(obj)
        return "—" if symmetry is None or symmetry.lsi is None else f"{symmetry.lsi:.1f}%"

    @admin.display(description="adherence, 14 days", ordering=F("adherence").asc(nulls_last=True))
    def adherence_display(self, obj):
        return "no programme" if obj.adherence is None else f"{floatformat(obj.adherence, 0)}%"

    @admin.display(description="last activity", ordering=F("last_activity").asc(nulls_first=True))
    def last_activity_display(self, obj):
        return obj.last_activity or "never"

    @admin.display(description="open red flags", ordering="red_flag_count")
    def red_flags_display(self, obj):
        labels = caseload.red_flag_labels(obj)
        if not labels:
            return "—"
        return format_html("<strong>{}: {}</strong>", len(labels), ", ".join(labels))

    @admin.display(description="new data since your last review", boolean=True, ordering="new_data")
    def new_data_display(self, obj):
        return obj.new_data

    # --- actions -------------------------------------------------------------------------------------

    def _review(self, request: HttpRequest, patients: list[User]) -> None:
        notes = [
            PhysioNote(patient=patient, author=request.user, text="Reviewed", is_review=True,
                       visible_to_patient=False)
            for patient in patients
        ]
        bulk_create_with_history(notes, PhysioNote, default_user=request.user)

    @admin.action(description="Mark the selected patients as reviewed", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        patients = [profile.user for profile in self._assigned(request, queryset)]
        self._review(request, patients)
        self.message_user(request, f"Marked {len(patients)} patient(s) as reviewed.", messages.SUCCESS)

    @admin.action(description="Export the selected patients' data (zip of CSV files)", permissions=["view"])
    def export_csv(self, request, queryset):
        return zip_response(
            self._assigned(request, queryset), f"patients-{timezone.localdate().isoformat()}.zip"
        )

    @admin.action(description="Assign to me", permissions=["assign"])
    def assign_to_me(self, request, queryset):
        # Re-checked in the UPDATE: a patient someone else took meanwhile is never taken from her.
        ids = list(queryset.values_list("pk", flat=True))
        count = PatientProfile.objects.filter(pk__in=ids, physio__isnull=True).update(physio=request.user)
        self.message_user(request, f"{count} patient(s) assigned to you.", messages.SUCCESS)
        skipped = len(ids) - count
        if skipped:
            self.message_user(request, f"{skipped} patient(s) already had a physio: left as they were.",
                              messages.WARNING)

    def _start_programme(self, request, queryset, key: str) -> None:
        start = timezone.localdate()
        added = 0
        for profile in self._assigned(request, queryset):
            created = add_programme(patient=profile.user, key=key, prescribed_by=request.user, start=start)
            added += len(created)
        label = PROGRAMME_TEMPLATES[key][0]
        self.message_user(request, f"{label}: {added} prescription(s) added.", messages.SUCCESS)

    @admin.action(description="Start programme: Alfredson eccentric, 12 weeks", permissions=["prescribe"])
    def start_alfredson(self, request, queryset):
        self._start_programme(request, queryset, "alfredson")

    @admin.action(description="Start programme: heavy slow resistance, 12 weeks", permissions=["prescribe"])
    def start_hsr(self, request, queryset):
        self._start_programme(request, queryset, "hsr")

    @admin.action(description="Start programme: stretching", permissions=["prescribe"])
    def start_stretching(self, request, queryset):
        self._start_programme(request, queryset, "stretching")

    # --- add (create a patient) and change (review) forms -----------------------------------------------

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fieldsets = list(self.add_fieldsets)
            if sees_everything(request.user):
                fieldsets.append(("Physiotherapist", {"fields": ("physio",)}))
            return fieldsets
        return [
            ("Patient", {"fields": ("patient_name", "patient_username", "patient_email", "physio",
                                    "last_reviewed")}),
            ("Calf", {"fields": CLINICAL_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = ("patient_name", "patient_username", "patient_email", "last_reviewed")
        return fields if sees_everything(request.user) else (*fields, "physio")

    @admin.display(description="name")
    def patient_name(self, obj):
        return obj.user.get_full_name() or "—"

    @admin.display(description="username")
    def patient_username(self, obj):
        return obj.user.username

    @admin.display(description="email")
    def patient_email(self, obj):
        return obj.user.email or "—"

    @admin.display(description="last review")
    def last_reviewed(self, obj):
        review = (
            PhysioNote.objects.filter(patient_id=obj.user_id, is_review=True)
            .select_related("author")
            .order_by("-created_at")
            .first()
        )
        if review is None:
            return "not reviewed yet"
        author = review.author.display_name() if review.author else "unknown"
        return f"{timezone.localtime(review.created_at):%d %b %Y %H:%M} by {author}"

    def save_model(self, request, obj, form, change):
        if change:
            if not sees_everything(request.user):
                # The assignment is not hers to change, not even by reverting to an old version.
                stored = PatientProfile.objects.filter(pk=obj.pk).values_list("physio_id", flat=True)
                obj.physio_id = stored.first()
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        physio = data.get("physio") if sees_everything(request.user) else request.user
        user = create_patient(
            username=data["username"],
            password=data.get("password1") or None,
            email=data["email"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            physio=physio,
            **{name: data.get(name) for name in ("affected_side", "condition", "unit", "onset_date",
                                                 "target_lsi", "sex", "birth_year")},
        )
        # The admin goes on with `obj` (log entry, redirect): make it the profile just created.
        created = user.profile
        obj.pk, obj.user, obj.physio = created.pk, user, physio
        obj._state.adding, obj._state.db = False, created._state.db

    def get_inlines(self, request, obj):
        return [] if obj is None else list(self.review_inlines)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PatientRecordInline):
            kwargs["instance"] = obj.user
            kwargs["queryset"] = inline.recent(request, obj.user)
        return kwargs

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, PhysioNote) and instance.pk is None:
                instance.author = request.user
            if isinstance(instance, Prescription) and instance.pk is None:
                instance.prescribed_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    # --- pages ---------------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Caseload: choose a patient to review", **(extra_context or {})}
        if self._unassigned_view(request) and not sees_everything(request.user):
            extra_context["title"] = "Unassigned patients: select and choose “Assign to me”"
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {"title": "Add a patient", **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        profile = self.get_profile(request, object_id)
        if profile is not None:
            summary = dashboard_summary(profile.user, ChartOptions.from_query(request.GET))
            extra_context.update(
                title=f"Review: {profile.user.display_name()}",
                review=summary,
                review_charts=[chart for chart in summary["charts"] if chart.name in REVIEW_CHARTS],
                programme_form=ProgrammeTemplateForm(),
                can_review=self.has_review_permission(request),
                can_prescribe=self.has_prescribe_permission(request),
                records_links=self._records_links(profile),
                last_review=self.last_reviewed(profile),
                deleted_records_url=(
                    reverse("admin:tracker_patientprofile_deleted") + f"?patient={profile.user_id}"
                    if self.has_restore_permission(request) else None
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _records_links(self, profile) -> list[tuple[str, str]]:
        query = f"?patient__id__exact={profile.user_id}"
        models_ = (GirthMeasurement, HeelRiseTest, ExerciseSession, SymptomLog, Prescription, PhysioNote)
        return [
            (model._meta.verbose_name_plural,
             reverse(f"admin:tracker_{model._meta.model_name}_changelist") + query)
            for model in models_
        ]

    def get_profile(self, request: HttpRequest, object_id: str) -> PatientProfile | None:
        """The profile if it is in `request.user`'s caseload (un-annotated: cheap for chart requests)."""
        try:
            return self.scoped_queryset(request).get(pk=int(unquote(object_id)))
        except (PatientProfile.DoesNotExist, ValueError, TypeError):
            return None

    def _reviewable(self, request: HttpRequest, object_id: str) -> PatientProfile:
        profile = self.get_profile(request, object_id)
        if profile is None or not self.has_view_permission(request, profile):
            raise Http404("No such patient in your caseload.")
        return profile

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        site = self.admin_site
        return [
            path("deleted/", site.admin_view(require_GET(self.deleted_records_view)), name=f"{info}_deleted"),
            path(
                "deleted/<slug:kind>/<int:history_id>/restore/",
                site.admin_view(require_POST(self.restore_view)),
                name=f"{info}_restore",
            ),
            path(
                "<path:object_id>/chart/<slug:name>.<str:fmt>",
                site.admin_view(require_GET(self.chart_view), cacheable=True),
                name=f"{info}_chart",
            ),
            path("<path:object_id>/review/", site.admin_view(require_POST(self.mark_reviewed_view)),
                 name=f"{info}_mark_reviewed"),
            path("<path:object_id>/programme/", site.admin_view(require_POST(self.programme_view)),
                 name=f"{info}_programme"),
            path("<path:object_id>/report.pdf", site.admin_view(require_GET(self.report_view)),
                 name=f"{info}_report"),
            path("<path:object_id>/export.zip", site.admin_view(require_GET(self.export_view)),
                 name=f"{info}_export"),
            *super().get_urls(),
        ]

    def _change_url(self, profile: PatientProfile) -> str:
        return reverse("admin:tracker_patientprofile_change", args=[profile.pk])

    def chart_view(self, request, object_id: str, name: str, fmt: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        return chart_response(request, profile.user, name, fmt)

    def report_view(self, request, object_id: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        return report_response(request, profile.user)

    def export_view(self, request, object_id: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        return zip_response([profile], f"{profile.user.username}-{timezone.localdate().isoformat()}.zip")

    def mark_reviewed_view(self, request, object_id: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        if not self.has_review_permission(request):
            raise PermissionDenied
        self._review(request, [profile.user])
        self.message_user(request, f"{profile.user.display_name()} marked as reviewed.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(profile))

    def programme_view(self, request, object_id: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        if not self.has_prescribe_permission(request):
            raise PermissionDenied
        form = ProgrammeTemplateForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(message for errors in form.errors.values() for message in errors)
            self.message_user(request, f"No programme added: {errors}", messages.ERROR)
            return HttpResponseRedirect(self._change_url(profile))
        key = form.cleaned_data["template"]
        added = add_programme(
            patient=profile.user, key=key, prescribed_by=request.user, start=form.cleaned_data["start_date"]
        )
        label = PROGRAMME_TEMPLATES[key][0]
        if added:
            names = ", ".join(p.exercise.name for p in added)
            self.message_user(request, f"{label}: added {names}.", messages.SUCCESS)
        else:
            self.message_user(request, f"{label}: every exercise is already prescribed.", messages.WARNING)
        return HttpResponseRedirect(self._change_url(profile))

    # --- deleted records (superusers) ----------------------------------------------------------------

    def _restorer_or_404(self, request: HttpRequest) -> None:
        if not self.has_restore_permission(request):
            raise Http404("Deleted records are for administrators.")

    def deleted_records_view(self, request) -> HttpResponse:
        self._restorer_or_404(request)
        kind = request.GET.get("type") if request.GET.get("type") in RESTORABLE else None
        try:
            patient = User.objects.filter(pk=int(request.GET["patient"])).first()
        except (KeyError, ValueError):
            patient = None
        index = deleted_index(kind=kind, patient_id=patient.pk if patient else None)
        page_obj = Paginator(index, 25).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        patient_query = f"patient={patient.pk}&" if patient else ""
        context = {
            **self.admin_site.each_context(request),
            "title": "Deleted records",
            "opts": self.opts,
            "page_obj": page_obj,
            "records": describe_deleted(list(page_obj.object_list)),
            "kind": kind,
            "kinds": [(name, capfirst(m._meta.verbose_name_plural)) for name, (m, _) in RESTORABLE.items()],
            "patient": patient,
            "patient_query": patient_query,
            "querystring": query.urlencode(),
        }
        return TemplateResponse(request, "admin/tracker/deleted_records.html", context)

    def restore_view(self, request, kind: str, history_id: int) -> HttpResponse:
        self._restorer_or_404(request)
        if kind not in RESTORABLE:
            raise Http404("No such kind of record.")
        model, _owner_path = RESTORABLE[kind]
        row = model.history.filter(history_id=history_id, history_type="-").first()
        if row is None:
            raise Http404("No such deleted record.")
        back = reverse("admin:tracker_patientprofile_deleted")
        if not deleted_records(kind).filter(history_id=history_id).exists():
            self.message_user(
                request, "Nothing restored: this record is back already, was deleted again later, or its "
                "patient's account is closed.", messages.WARNING,
            )
            return HttpResponseRedirect(back)
        try:
            instance = restore_deleted(row, user=request.user)
        except RestoreError as error:
            self.message_user(request, f"Nothing restored. {error}", messages.ERROR)
            return HttpResponseRedirect(back)
        label = capfirst(f"{model._meta.verbose_name} “{instance}”")
        if isinstance(instance, ExerciseEntry):
            instance, kind = instance.session, "exercisesession"
        entries = instance.entries.count() if isinstance(instance, ExerciseSession) else 0
        with_entries = f" with {entries} exercise entr{'y' if entries == 1 else 'ies'}" if entries else ""
        self.message_user(request, f"Restored: {label}{with_entries}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse(f"admin:tracker_{kind}_change", args=[instance.pk]))


# --- the records, each scoped to the physio's caseload ------------------------------------------------


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


class ExerciseEntryInline(admin.TabularInline):
    """Entries of a session: the parent session is already scoped; patients own these, so view only."""

    model = ExerciseEntry
    fields = ("exercise", "side", "sets", "reps", "hold_seconds", "minutes", "load_kg", "pain_during")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    list_display = ("patient_name", "created_at", "author", "short_text", "visible_to_patient", "is_review",
                    "read_at")
    list_select_related = ("patient__profile", "author")
    list_filter = (("patient", admin.RelatedOnlyFieldListFilter), "visible_to_patient", "is_review")
    fields = ("patient", "text", "visible_to_patient", "is_review", "author", "created_at", "read_at")
    readonly_fields = ("is_review", "author", "created_at", "read_at")

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
