"""Questionnaires in the physio's review: assigning one with a schedule, her scores, her answers.

A mixin for PatientProfileAdmin (after ReviewPageMixin, whose caseload check it reuses): the review
page gets `questionnaire_context` (shown by admin/tracker/patientprofile/_questionnaires.html), the
caseload a column, and three URLs that are a 404 outside the physio's caseload.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from tracker import metrics
from tracker import questionnaires as definitions
from tracker.charts import questionnaires as charts
from tracker.models import QuestionnaireAssignment, QuestionnaireResponse
from tracker.models.questionnaires import REPEAT_WEEKS
from tracker.responses import questionnaire_chart_response
from tracker.selectors import questionnaires as selectors
from tracker.services import questionnaires as services


class AssignQuestionnaireForm(forms.Form):
    instrument = forms.ChoiceField(label="Questionnaire", choices=definitions.CHOICES)
    start_date = forms.DateField(
        label="First due on",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    repeat_weeks = forms.IntegerField(
        label="Then every (weeks)",
        required=False,
        min_value=REPEAT_WEEKS.low,
        max_value=REPEAT_WEEKS.high,
        initial=metrics.QUESTIONNAIRE_REPEAT_WEEKS,
        help_text="Leave empty to ask once only.",
    )

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start.year < 1900 or start > timezone.localdate() + datetime.timedelta(days=366):
            raise ValidationError("Enter a date from 1900 up to a year from now.")
        return start


def _answers(response: QuestionnaireResponse) -> list[tuple[int, str, str]]:
    definition, answers = response.definition, response.answers
    return [
        (item.number, item.text, definitions.answer_label(definition, item.code, answers.get(item.code)))
        for item in definition.items
    ]


def caseload_text(summary: selectors.InstrumentSummary) -> str:
    """E.g. "LEFS 56: +18 since first (beats MCID 9)"."""
    code, mcid = summary.definition.code, summary.definition.mcid
    if summary.latest is None:
        return f"{code}: not scored"
    text = f"{code} {summary.latest.score}"
    change = summary.change
    if change is not None:
        verdict = "beats" if change.important else "within"
        text += f": {change.points:+d} since first ({verdict} MCID {mcid})"
    return text


class QuestionnaireReviewMixin:
    """For PatientProfileAdmin: the questionnaire part of the review page and of the caseload."""

    def questionnaire_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        site = self.admin_site
        return [
            path("<path:object_id>/questionnaires/assign/",
                 site.admin_view(require_POST(self.questionnaire_assign_view)),
                 name=f"{info}_questionnaire_assign"),
            path("<path:object_id>/questionnaires/<int:assignment_id>/stop/",
                 site.admin_view(require_POST(self.questionnaire_stop_view)),
                 name=f"{info}_questionnaire_stop"),
            path("<path:object_id>/questionnaire-chart/<slug:code>.<str:fmt>",
                 site.admin_view(require_GET(self.questionnaire_chart_view), cacheable=True),
                 name=f"{info}_questionnaire_chart"),
        ]

    def questionnaire_context(self, request, profile) -> dict:
        patient, today = profile.user, timezone.localdate()
        due = {d.assignment.pk: d for d in selectors.due_questionnaires(patient, today)}
        assignments = [
            (assignment, due.get(assignment.pk))
            for assignment in QuestionnaireAssignment.objects.filter(patient=patient, active=True)
        ]
        responses = {
            r.pk: r for r in QuestionnaireResponse.objects.filter(patient=patient, submitted_at__isnull=False)
        }
        results = []
        for summary in selectors.summaries(patient):
            change = summary.change
            results.append({
                "summary": summary,
                "change_text": charts.change_text(change, summary.definition.mcid) if change else "",
                "chart": charts.build(patient, summary.definition.code, summary),
                "slug": definitions.slug(summary.definition.code),
                "responses": [
                    (point, _answers(responses[point.response_id])) for point in reversed(summary.points)
                ],
            })
        may_assign = self.has_prescribe_permission(request)
        return {
            "questionnaire_form": AssignQuestionnaireForm() if may_assign else None,
            "questionnaire_assignments": assignments,
            "questionnaire_results": results,
            "questionnaire_overdue_days": metrics.QUESTIONNAIRE_OVERDUE_DAYS,
        }

    @admin.display(description="questionnaires")
    def questionnaires_display(self, obj):
        summaries = getattr(obj, "questionnaire_summaries", None) or []
        text = "; ".join(caseload_text(summary) for summary in summaries) or "—"
        # Its column name shows inside the cell when the row folds into a card (narrow screens).
        return format_html('<span class="fold-label">questionnaires: </span>{}', text)

    def questionnaire_assign_view(self, request, object_id: str) -> HttpResponse:
        profile = self._prescribable(request, object_id)
        form = AssignQuestionnaireForm(request.POST)
        if not form.is_valid():
            return self._refused(request, profile, "No questionnaire assigned", form)
        assignment = services.assign(
            patient=profile.user,
            instrument=form.cleaned_data["instrument"],
            start_date=form.cleaned_data["start_date"],
            repeat_weeks=form.cleaned_data["repeat_weeks"],
            assigned_by=request.user,
        )
        self.message_user(request, f"Assigned: {assignment}.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(profile) + "#questionnaires-heading")

    def questionnaire_stop_view(self, request, object_id: str, assignment_id: int) -> HttpResponse:
        profile = self._prescribable(request, object_id)
        assignment = QuestionnaireAssignment.objects.filter(
            pk=assignment_id, patient=profile.user, active=True
        ).first()
        if assignment is None:
            raise Http404("No such questionnaire assigned to this patient.")
        services.stop(assignment)
        self.message_user(
            request, f"Stopped: {assignment.instrument}. Her answers are kept.", messages.SUCCESS
        )
        return HttpResponseRedirect(self._change_url(profile) + "#questionnaires-heading")

    def questionnaire_chart_view(self, request, object_id: str, code: str, fmt: str) -> HttpResponse:
        profile = self._reviewable(request, object_id)
        return questionnaire_chart_response(request, profile.user, code, fmt)

    # --- hooks into the admin: the review page's context, the caseload's rows, the URLs ----------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        profile = self.get_profile(request, object_id)
        if profile is not None and self.has_view_permission(request, profile):
            extra_context = {**(extra_context or {}), **self.questionnaire_context(request, profile)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changelist_instance(self, request):
        """Each row of the page gets its questionnaire summaries: one query for the whole page."""
        changelist = super().get_changelist_instance(request)
        found = selectors.summaries_for(row.user_id for row in changelist.result_list)
        for row in changelist.result_list:
            row.questionnaire_summaries = found.get(row.user_id, [])
        return changelist

    def get_urls(self):
        return [*self.questionnaire_urls(), *super().get_urls()]
