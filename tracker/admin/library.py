"""The shared exercise library and the photos and videos physios upload.

The library is shared, so an exercise other physios' patients use must not change under them
(`tracker.access.may_edit_exercise`): physios add exercises; a superuser edits any; a physio edits
only her own while only her patients use it. Every change is in the exercise's audit history.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from tracker.access import assigned_filter, may_edit_exercise, visible_media
from tracker.admin.mixins import ClinicAdminMixin
from tracker.models import Exercise, ExerciseMedia, Prescription
from tracker.services.media import ACCEPTED, media_check, media_store

HOW_TO = ("instructions", "starting_position", "steps", "tempo", "what_you_feel", "common_mistakes",
          "when_to_stop", "illustration")


@admin.register(Exercise)
class ExerciseAdmin(ClinicAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "kind", "target", "knee_position", "measured_in", "default_dosage", "added_by")
    list_filter = ("kind", "target", "measured_in")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    class Media:
        css = {"all": ["tracker/admin.css"]}

    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "target", "knee_position", "measured_in", "default_dosage",
                           "default_sets", "default_amount")}),
        ("How to do it (shown to patients, on the handout and in the API)", {"fields": HOW_TO}),
    )

    @admin.display(description="added by")
    def added_by(self, obj):
        return obj.created_by.display_name() if obj.created_by else "the library"

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit_exercise(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        elif not may_edit_exercise(request.user, obj):  # it came into use while she was editing
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an old version is a change: SimpleHistoryAdmin itself asks only for "view"."""
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class MediaForm(forms.ModelForm):
    upload = forms.FileField(
        label="Photo or video",
        help_text=f"{ACCEPTED.capitalize()}. Checked by its contents; photos are re-saved without "
        "their metadata (such as the location).",
    )

    class Meta:
        model = ExerciseMedia
        fields = ["exercise", "prescription", "description"]

    def clean_upload(self):
        self.checked = media_check(self.cleaned_data["upload"])
        return self.cleaned_data["upload"]

    def clean(self):
        cleaned = super().clean()
        prescription, exercise = cleaned.get("prescription"), cleaned.get("exercise")
        if prescription is not None and exercise is not None and prescription.exercise_id != exercise.pk:
            raise ValidationError({"prescription": f"This prescription is for {prescription.exercise.name}."})
        return cleaned


@admin.register(ExerciseMedia)
class ExerciseMediaAdmin(ClinicAdminMixin, admin.ModelAdmin):
    """Uploads: a physio sees hers and those for her patients' prescriptions."""

    list_display = ("preview", "exercise", "for_whom", "kind", "description", "uploaded_by", "uploaded_at")
    list_filter = ("kind", ("exercise", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("exercise", "prescription__patient", "uploaded_by")
    search_fields = ("exercise__name", "description")
    readonly_fields = ("preview", "kind", "content_type", "size", "width", "height", "uploaded_by",
                       "uploaded_at")

    class Media:
        css = {"all": ["tracker/admin.css"]}  # underlined breadcrumb links (axe link-in-text-block)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = MediaForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["exercise", "prescription", "upload", "description"]
        return ["preview", "exercise", "prescription", "description", *self.readonly_fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("exercise", "prescription") if obj is not None else ())

    def get_queryset(self, request):
        return visible_media(request.user).select_related(*self.list_select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "prescription":
            kwargs["queryset"] = (
                Prescription.objects.filter(assigned_filter(request.user, "patient"))
                .select_related("patient", "exercise").order_by("patient__last_name", "exercise__name")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _visible(self, request, obj) -> bool:
        return obj is None or visible_media(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._visible(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._visible(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._visible(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        stored = media_store(clean=form.checked, exercise=obj.exercise, prescription=obj.prescription,
                             description=obj.description, uploaded_by=request.user)
        obj.pk, obj.file, obj._state.adding = stored.pk, stored.file, False

    @admin.display(description="for")
    def for_whom(self, obj):
        if obj.prescription_id is None:
            uploader = obj.uploaded_by.display_name() if obj.uploaded_by else "the uploader"
            return f"every patient of {uploader} who does it"
        return obj.prescription.patient.display_name()

    @admin.display(description="preview")
    def preview(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("media_file", args=[obj.pk])
        if obj.kind == ExerciseMedia.Kind.VIDEO:
            return format_html('<a href="{}">Open the video</a>', url)
        return format_html('<img src="{}" alt="{}" height="64" loading="lazy">', url, obj.description)
