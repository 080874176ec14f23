"""The caseload (the changelist of patient profiles) and adding a patient.

Access rule (see `tracker.access` and `admin.mixins`): a physio sees only her assigned patients and
their records; superusers see everything. The one exception is the caseload's "Unassigned" filter,
which lists unassigned patients so that a physio can take them on with "Assign to me": their name,
condition and the date they joined, and nothing else (no clinical column, filter or search on it).
The review page (the change view) is in `admin.review`; deleted records in `admin.deleted`.

The first column gives the triage reasons in words (`tracker.triage`, as on the triage home); the
numeric columns fold into a second line below 1400 px (static/tracker/workspace.css).
"""

import functools

from django.contrib import admin, messages
from django.db.models import F
from django.http import HttpRequest
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_create_with_history

from tracker import metrics
from tracker.access import is_physio, physios, sees_everything
from tracker.admin.deleted import DeletedRecordsMixin
from tracker.admin.filters import (
    AssignmentFilter,
    GoalNotReachedFilter,
    LowAdherenceFilter,
    NeedsAttentionFilter,
    NewDataFilter,
    NotLoggedFilter,
    RedFlagFilter,
)
from tracker.admin.forms import PatientCreationForm
from tracker.admin.inlines import PrescriptionInline
from tracker.admin.mixins import (
    HISTORY_FORM_TEMPLATE,
    HISTORY_LIST_TEMPLATE,
    ClinicAdminMixin,
    ScopedHistoryMixin,
)
from tracker.admin.page_cache import cached_page
from tracker.admin.questionnaires import QuestionnaireReviewMixin
from tracker.admin.review import CLINICAL_FIELDS, ReviewPageMixin
from tracker.admin.triage import TriageHomeMixin
from tracker.models import PatientProfile, PhysioNote, User
from tracker.programmes import PROGRAMME_TEMPLATES
from tracker.responses import zip_download
from tracker.selectors import caseload
from tracker.services import exports
from tracker.services.accounts import create_patient
from tracker.services.programmes import add_programme
from tracker.triage.home import reasons_by_patient

UNASSIGNED_COLUMNS = ("name", "condition_short", "date_joined")  # before she takes the patient on
UNASSIGNED_SEARCH = ("user__first_name", "user__last_name", "user__username", "condition")


def _folded(label: str, value) -> str:
    """A numeric cell: its column name is shown inside the cell when the row folds (narrow screens)."""
    return format_html('<span class="fold-label">{}: </span>{}', label, value)


@admin.register(PatientProfile)
class PatientProfileAdmin(
    TriageHomeMixin,
    QuestionnaireReviewMixin,
    ReviewPageMixin,
    DeletedRecordsMixin,
    ClinicAdminMixin,
    ScopedHistoryMixin,
    SimpleHistoryAdmin,
):
    """Changelist = the physio's caseload; change page = the patient review (admin.review)."""

    history_patient_path = "user"
    object_history_list_template = HISTORY_LIST_TEMPLATE
    object_history_form_template = HISTORY_FORM_TEMPLATE

    list_display = (
        "reasons_display",
        "name",
        "condition_short",
        "side_display",
        "girth_display",
        "girth_change_display",
        "heel_rise_display",
        "adherence_display",
        "questionnaires_display",
        "last_activity_display",
    )
    list_display_links = ("name",)
    list_filter = (
        AssignmentFilter,
        NeedsAttentionFilter,
        RedFlagFilter,
        GoalNotReachedFilter,
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
    review_inlines = (PrescriptionInline,)  # her records are shown read-only above (admin.review)

    # --- access -------------------------------------------------------------------------------------

    def _unassigned_view(self, request: HttpRequest) -> bool:
        return self._changelist(request) and request.GET.get(AssignmentFilter.parameter_name) == "unassigned"

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

    def _unassigned_for_physio(self, request: HttpRequest) -> bool:
        return self._unassigned_view(request) and not sees_everything(request.user)

    def _changelist(self, request: HttpRequest) -> bool:
        match = request.resolver_match
        changelist = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return match is not None and match.url_name == changelist

    def get_queryset(self, request):
        if not self._changelist(request) or self._unassigned_for_physio(request):
            # The caseload's columns only where they are shown: not on the review page (it has the
            # summary), and never for patients who are not (yet) hers.
            return self.scoped_queryset(request).order_by("user__last_name", "user__first_name", "pk")
        profiles = caseload.annotate_caseload(
            self.scoped_queryset(request), reviewer=request.user, today=timezone.localdate()
        )
        return profiles.order_by(*self.get_ordering(request))

    def get_list_display(self, request):
        if self._unassigned_for_physio(request):
            return UNASSIGNED_COLUMNS
        return super().get_list_display(request)

    def get_list_filter(self, request):
        if self._unassigned_for_physio(request):
            return (AssignmentFilter,)
        return super().get_list_filter(request)

    def get_search_fields(self, request):
        if self._unassigned_for_physio(request):
            return UNASSIGNED_SEARCH
        return super().get_search_fields(request)

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and self._unassigned_for_physio(request):
            # No filtering unassigned patients by anything clinical through the URL.
            return lookup == AssignmentFilter.parameter_name
        return super().lookup_allowed(lookup, value, request)

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
        if self._unassigned_for_physio(request):
            return None  # she cannot open these until she has assigned them to herself
        return super().get_list_display_links(request, list_display)

    def get_ordering(self, request):
        if self._unassigned_for_physio(request):
            return ["user__last_name", "user__first_name", "pk"]
        return ["-red_flag_count", "-new_data", "user__last_name", "user__first_name", "user__username"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "physio":
            kwargs["queryset"] = physios()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- caseload columns ------------------------------------------------------------------------------

    @admin.display(description="name", ordering="user__last_name")
    def name(self, obj):
        return obj.user.display_name()

    @admin.display(description="condition", ordering="condition")
    def condition_short(self, obj):
        text = obj.condition or "—"
        return text if len(text) <= 60 else text[:57] + "…"

    @admin.display(description="joined", ordering="user__date_joined")
    def date_joined(self, obj):
        return timezone.localtime(obj.user.date_joined).date()

    @admin.display(description="needs attention")
    def reasons_display(self, obj):
        reasons = getattr(obj, "triage_reasons", None)
        if not reasons:
            return "—"
        rows = ((reason.level.label, reason.words) for reason in reasons)
        items = format_html_join("", '<li class="reason-{}">{}</li>', rows)
        return format_html('<ul class="caseload-reasons">{}</ul>', items)

    @admin.display(description="girth: involved calf", ordering=F("girth_deficit").desc(nulls_last=True))
    def girth_display(self, obj):
        label = "girth: involved calf"
        symmetry, verdict = caseload.girth_symmetry(obj), caseload.girth_verdict(obj)
        if symmetry is None:
            return _folded(label, "—")
        site = "" if obj.girth_site == metrics.PREFERRED_SITE else f" ({obj.girth_site})"
        if verdict.deficit_cm:
            size = f"{verdict.deficit_cm:.1f} cm smaller"
        elif verdict.larger_cm:
            size = f"{verdict.larger_cm:.1f} cm larger"
        else:
            size = "same size"
        word = {"normal": "goal reached", "deficit": "deficit", "marked": "marked deficit"}[verdict.asymmetry]
        lsi = "" if symmetry.lsi is None else f" · LSI {symmetry.lsi:.1f}%"
        return _folded(label, format_html("{}{}: <strong>{}</strong>{}", size, site, word, lsi))

    @admin.display(description=f"girth change, {metrics.CHANGE_WINDOW_WEEKS} weeks")
    def girth_change_display(self, obj):
        label = f"{metrics.CHANGE_WINDOW_WEEKS}-week change"
        change = caseload.girth_change(obj)
        if change is None:
            return _folded(label, "—")
        verdict = "real" if change.real else "within error"
        return _folded(label, f"{change.arrow} {change.cm:+.1f} cm ({verdict})")

    @admin.display(description="heel-rise LSI", ordering=F("heel_lsi").asc(nulls_last=True))
    def heel_rise_display(self, obj):
        symmetry, verdict = caseload.heel_rise_symmetry(obj), caseload.heel_rise_verdict(obj)
        if symmetry is None or symmetry.lsi is None:
            return _folded("heel-rise LSI", "—")
        status = "target reached" if verdict.target_reached else f"below {verdict.target_lsi:g}%"
        return _folded("heel-rise LSI", format_html("{}% ({})", f"{symmetry.lsi:.1f}", status))

    @admin.display(
        description=f"adherence, {metrics.ADHERENCE_WINDOW_DAYS} days",
        ordering=F("adherence").asc(nulls_last=True),
    )
    def adherence_display(self, obj):
        label = f"adherence, {metrics.ADHERENCE_WINDOW_DAYS} days"
        value = "no programme" if obj.adherence is None else f"{floatformat(obj.adherence, 0)}%"
        return _folded(label, value)

    @admin.display(description="affected side", ordering="affected_side")
    def side_display(self, obj):
        return _folded("affected side", obj.get_affected_side_display())

    @admin.display(description="last activity", ordering=F("last_activity").asc(nulls_first=True))
    def last_activity_display(self, obj):
        value = date_format(obj.last_activity, "j M Y") if obj.last_activity else "never"
        return _folded("last activity", value)

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
        body = exports.clinic_zip(self._assigned(request, queryset).select_related("user"))
        return zip_download(body, filename=f"patients-{timezone.localdate().isoformat()}.zip")

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
        label = PROGRAMME_TEMPLATES[key].label
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
        # Folded on the review page: the programme is what a review changes, not these.
        return [
            ("Patient details", {"fields": ("patient_name", "patient_username", "patient_email", "physio",
                                            "last_reviewed"), "classes": ("collapse",)}),
            ("Calf and targets", {"fields": CLINICAL_FIELDS, "classes": ("collapse",)}),
        ]

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

    # --- pages ---------------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Caseload: choose a patient to review", "clinical_columns": True,
                         **(extra_context or {})}
        if self._unassigned_for_physio(request):
            extra_context["title"] = "Unassigned patients: select and choose “Assign to me”"
            extra_context["clinical_columns"] = False
        # Kept in the cache while the patients it lists (hers, or the unassigned) are unchanged.
        render = functools.partial(super().changelist_view, request, extra_context)
        return cached_page(request, self.scoped_queryset(request), render)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {"title": "Add a patient", **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def get_changelist_instance(self, request):
        """The changelist, each row of this page given its triage reasons (a fixed number of queries)."""
        changelist = super().get_changelist_instance(request)
        if not self._unassigned_for_physio(request):
            reasons = reasons_by_patient(changelist.result_list, reviewer=request.user,
                                         today=timezone.localdate())
            for row in changelist.result_list:
                row.triage_reasons = reasons[row.user_id]
        return changelist

    def get_urls(self):
        return [*self.deleted_record_urls(), *self.review_urls(), *super().get_urls()]
