"""The physio's own e-mail settings (urgent alerts, the daily digest, her time zone), and the log of
every reminder and alert sent (superusers: what went out, what is being retried, what failed)."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from tracker.forms.reminders import time_zone_field
from tracker.models import AlertSettings, SentReminder

EMAIL_FIELDS = ("urgent_alerts", "daily_digest", "digest_at")


class AlertSettingsForm(forms.ModelForm):
    time_zone = time_zone_field(help_text="The daily list comes at this zone's time.")

    class Meta:
        model = AlertSettings
        fields = EMAIL_FIELDS
        widgets = {"digest_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


def my_settings_view(request: HttpRequest) -> HttpResponse:
    """Any staff member's own settings (admin_view checks she is staff); no id, so nobody else's."""
    user = request.user
    settings = AlertSettings.objects.filter(user=user).first() or AlertSettings(user=user)
    form = AlertSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=settings,
        initial={"time_zone": user.time_zone},
    )
    if form.is_valid():
        with transaction.atomic():
            form.save()
            user.time_zone = form.cleaned_data["time_zone"]
            user.save(update_fields=["time_zone"])
        messages.success(request, "Your e-mail settings are saved.")
        return redirect("admin:tracker_user_my_settings")
    context = {
        **admin.site.each_context(request),
        "title": "Your e-mail alerts and time zone",
        "form": form,
        "fieldsets": [
            {"title": "E-mails about your patients", "fields": [form[name] for name in EMAIL_FIELDS]},
            {"title": "Time zone", "fields": [form["time_zone"]]},
        ],
        "has_email": bool(user.email),
    }
    return TemplateResponse(request, "admin/tracker/my_settings.html", context)


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """Read-only, for superusers: e-mails hold no clinical detail, but who got what is still personal."""

    list_display = ("kind", "user", "local_date", "status", "attempts", "sent_to", "sent_at", "claimed_at")
    list_filter = ("status", "kind")
    search_fields = ("user__username", "sent_to")
    date_hierarchy = "claimed_at"
    list_select_related = ("user",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
