from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs) -> None:
    """`migrate` also creates the database cache's table (a no-op for Redis or when it exists)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class TrackerConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Calf rehab"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="tracker-cache-table")
        # The queue's tasks, and the receiver that queues an urgent alert when a red flag is saved.
        from tracker import tasks  # noqa: F401


class ClinicAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the clinic's own site (`tracker.admin_site`): a physio's home there is
    her triage list, and staff log in on the site's login page (two-factor). Listed in
    INSTALLED_APPS instead of "django.contrib.admin"."""

    default = False  # tracker's own config stays TrackerConfig
    default_site = "tracker.admin_site.ClinicAdminSite"


@checks.register(checks.Tags.security, deploy=True)
def check_staff_second_factor(app_configs, **kwargs):
    if settings.REQUIRE_STAFF_2FA:
        return []
    return [checks.Warning(
        "REQUIRE_STAFF_2FA is off: physiotherapists and administrators open patients' health records "
        "with a password alone.", hint="Set REQUIRE_STAFF_2FA=1 (the default when DJANGO_DEBUG is off).",
        id="tracker.W001",
    )]
