"""Deleted records, for superusers: list every clinical record still deleted, and restore one."""

from dataclasses import replace

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_POST

from tracker.access import sees_everything
from tracker.models import ExerciseEntry, ExerciseSession, User
from tracker.selectors.deleted import (
    RESTORABLE,
    DeletedRecord,
    deleted_index,
    deleted_records,
    describe_deleted,
)
from tracker.services.restore import RestoreError, restore_deleted


class DeletedRecordsMixin:
    """For PatientProfileAdmin: /admin/tracker/patientprofile/deleted/ and its restore action."""

    def deleted_record_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        site = self.admin_site
        return [
            path("deleted/", site.admin_view(require_GET(self.deleted_records_view)), name=f"{info}_deleted"),
            path(
                "deleted/<slug:kind>/<int:history_id>/restore/",
                site.admin_view(require_POST(self.restore_view)),
                name=f"{info}_restore",
            ),
        ]

    def has_restore_permission(self, request) -> bool:
        return sees_everything(request.user)

    def _history_url(self, record: DeletedRecord) -> str | None:
        model, _owner_path = RESTORABLE[record.kind]
        if not admin.site.is_registered(model):
            return None
        return reverse(f"admin:tracker_{record.kind}_history", args=[record.record_id])

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
            "records": [
                replace(record, history_url=self._history_url(record))
                for record in describe_deleted(list(page_obj.object_list))
            ],
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
