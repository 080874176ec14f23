"""The patient review: the change page of a patient profile, and the actions taken from it.

Built for a 10-minute review, top to bottom: the summary strip (`progress_summary`, as on her
dashboard), the conversation and the note composer, the six charts (images load lazily), her
latest sessions, measurements and check-ins (read-only: what she measured is hers; corrections go
through a note), then the programme (the one editable part, with the profile settings folded).

Charts, the PDF report and the export reuse the patient's own responses (`tracker.responses`)
after the caseload check: a patient outside her caseload is a 404 on every one of these URLs.
Opening the page counts as her physio reading the patient's messages (their read receipt).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_GET, require_POST

from tracker.access import sees_everything
from tracker.admin import triage
from tracker.admin.forms import NoteForm, ProgrammeTemplateForm
from tracker.admin.inlines import PatientRecordInline
from tracker.charts import data as chart_data
from tracker.models import (
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
)
from tracker.programmes import PROGRAMME_TEMPLATES
from tracker.ratelimits import rate_limited
from tracker.responses import chart_response, report_response, zip_download
from tracker.selectors import series
from tracker.selectors.messages import conversation, split_latest, unread_messages
from tracker.selectors.review import recent_records
from tracker.selectors.summary import progress_summary
from tracker.services import exports
from tracker.services.messages import mark_messages_read, write_note
from tracker.services.programmes import add_programme

REVIEW_CHARTS = chart_data.CHART_NAMES  # all six, volume included
CLINICAL_FIELDS = ("affected_side", "condition", "onset_date", "target_lsi", "sex", "birth_year", "unit")


class ReviewPageMixin:
    """For PatientProfileAdmin: the review page (change view) and its URLs."""

    def review_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        site = self.admin_site
        return [
            path(
                "<path:object_id>/chart/<slug:name>.<str:fmt>",
                # Rate-limited in chart_response: drawings count, charts from the cache do not.
                site.admin_view(require_GET(self.chart_view), cacheable=True),
                name=f"{info}_chart",
            ),
            path("<path:object_id>/review/", site.admin_view(require_POST(self.mark_reviewed_view)),
                 name=f"{info}_mark_reviewed"),
            path("<path:object_id>/programme/", site.admin_view(require_POST(self.programme_view)),
                 name=f"{info}_programme"),
            path("<path:object_id>/note/", site.admin_view(require_POST(self.note_view)),
                 name=f"{info}_note"),
            path("<path:object_id>/seen/", site.admin_view(require_POST(self.seen_view)),
                 name=f"{info}_seen"),
            path("<path:object_id>/report.pdf",
                 site.admin_view(require_GET(rate_limited("downloads")(self.report_view))),
                 name=f"{info}_report"),
            path("<path:object_id>/export.zip",
                 site.admin_view(require_GET(rate_limited("downloads")(self.export_view))),
                 name=f"{info}_export"),
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
        # As the conversation below dates the review note ("Sun 8 Nov 2026, 10:38").
        return f"{date_format(timezone.localtime(review.created_at), 'D j M Y, H:i')} by {author}"

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
            if isinstance(instance, Prescription) and instance.pk is None:
                instance.prescribed_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        profile = self.get_profile(request, object_id)
        if profile is not None:
            patient, today = profile.user, timezone.localdate()
            newly_read = set()
            if request.method == "GET" and profile.physio_id == request.user.pk:
                # Her physio opening the review reads the messages (the patient sees the receipt).
                newly_read = set(unread_messages(patient).values_list("pk", flat=True))
                mark_messages_read(patient, reader=request.user)
            options = chart_data.ChartOptions.from_query(request.GET)
            summary = progress_summary(patient, site=options.site, today=today)
            if summary.site is not None:
                options = chart_data.ChartOptions(range_key=options.range_key, site=summary.site)
            extra_context.update(
                title=f"Review: {patient.display_name()}",
                subtitle=None,
                review=summary,
                review_profile=profile,
                review_options=options,
                review_ranges=[(key, label) for key, (label, _days) in series.RANGES.items()],
                review_charts=[
                    chart_data.build(name, patient, profile, options, today) for name in REVIEW_CHARTS
                ],
                conversation=split_latest(conversation(patient, include_private=True)),
                newly_read=newly_read,
                note_form=NoteForm(patient=patient),
                recent=recent_records(patient),
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

    def _change_url(self, profile: PatientProfile) -> str:
        return reverse("admin:tracker_patientprofile_change", args=[profile.pk])

    def _prescribable(self, request: HttpRequest, object_id: str) -> PatientProfile:
        """Her profile, for a change to her programme or questionnaires (404, or 403 without the right)."""
        profile = self._reviewable(request, object_id)
        if not self.has_prescribe_permission(request):
            raise PermissionDenied
        return profile

    def _refused(self, request: HttpRequest, profile: PatientProfile, what: str, form) -> HttpResponse:
        """Back to her review page, saying why the form was refused ("No note saved: ...")."""
        errors = "; ".join(message for errors in form.errors.values() for message in errors)
        self.message_user(request, f"{what}: {errors}", messages.ERROR)
        return HttpResponseRedirect(self._change_url(profile))

    def chart_view(self, request, object_id: str, name: str, fmt: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        return chart_response(request, profile.user, name, fmt)

    def report_view(self, request, object_id: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        return report_response(request, profile.user)

    def export_view(self, request, object_id: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        filename = f"{profile.user.username}-{timezone.localdate().isoformat()}.zip"
        return zip_download(exports.clinic_zip([profile]), filename=filename)

    def mark_reviewed_view(self, request, object_id: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        if not self.has_review_permission(request):
            raise PermissionDenied
        self._review(request, [profile.user])
        self.message_user(request, f"{profile.user.display_name()} marked as reviewed.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(profile))

    def note_view(self, request, object_id: str) -> HttpResponse:
        """Save the composer's note (sent to her unless private); it marks the review."""
        profile = self._reviewable(request, object_id)
        if not self.has_review_permission(request):
            raise PermissionDenied
        patient = profile.user
        form = NoteForm(request.POST, patient=patient)
        if not form.is_valid():
            return self._refused(request, profile, "No note saved", form)
        note = write_note(
            author=request.user, patient=patient, text=form.cleaned_data["text"],
            private=form.cleaned_data["private"],
        )
        first_name = patient.first_name or patient.display_name()
        if note.visible_to_patient:
            self.message_user(request, f"Note sent to {first_name}; marked reviewed.", messages.SUCCESS)
        else:
            self.message_user(request, f"Private note saved ({first_name} does not see it); marked reviewed.",
                              messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(profile))

    def seen_view(self, request, object_id: str) -> HttpResponse:
        """The triage home's "seen" action for this patient."""
        return triage.seen_view(self, request, self._reviewable(request, object_id))

    def programme_view(self, request, object_id: str) -> HttpResponse:
        profile = self._prescribable(request, object_id)
        form = ProgrammeTemplateForm(request.POST)
        if not form.is_valid():
            return self._refused(request, profile, "No programme added", form)
        key = form.cleaned_data["template"]
        added = add_programme(
            patient=profile.user, key=key, prescribed_by=request.user, start=form.cleaned_data["start_date"],
            mode=form.cleaned_data["mode"],
        )
        label = PROGRAMME_TEMPLATES[key].label
        if added:
            names = ", ".join(p.exercise.name for p in added)
            self.message_user(request, f"{label}: added {names}.", messages.SUCCESS)
        else:
            self.message_user(request, f"{label}: every exercise is already prescribed.", messages.WARNING)
        return HttpResponseRedirect(self._change_url(profile))
