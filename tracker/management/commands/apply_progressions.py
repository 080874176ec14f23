"""`manage.py apply_progressions`: take today's programme steps that apply by themselves.

Run it once a day (cron, or the task queue). A step also applies when she logs a session; steps
that wait for the physio's approval are never taken here.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.models import Prescription, User
from tracker.progression import AUTO
from tracker.services.programmes import due_steps_apply


class Command(BaseCommand):
    help = "Apply the programme steps that are due today and set to apply by themselves."

    def handle(self, *args, **options):
        today = timezone.localdate()
        auto = Prescription.objects.active_on(today).filter(progression=AUTO)
        patient_ids = auto.values_list("patient_id", flat=True)
        moved = 0
        for patient in User.objects.filter(pk__in=patient_ids).select_related("profile"):
            moved += len(due_steps_apply(patient=patient, today=today))
        self.stdout.write(f"{moved} prescription(s) moved on.")
