from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs) -> None:
    """`migrate` also creates the database cache's table (a no-op for Redis or when it exists)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Calf rehab"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="tracker-cache-table")
