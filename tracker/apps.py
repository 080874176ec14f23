from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Calf rehab"


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the clinic's own site (`tracker.admin_site`): a physio's home there is
    her triage list. Listed in INSTALLED_APPS instead of "django.contrib.admin"."""

    default = False  # "tracker" itself still means TrackerConfig
    default_site = "tracker.admin_site.ClinicAdminSite"
