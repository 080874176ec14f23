from django.apps import AppConfig


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"
    verbose_name = "Calf rehab"

    def ready(self):
        # The queue's tasks, and the receiver that queues an urgent alert when a red flag is saved.
        from tracker import tasks  # noqa: F401
