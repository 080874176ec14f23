"""`manage.py apply_progressions`: take today's programme steps that apply by themselves.

The task queue runs it every morning (`tasks.apply_progressions`); this command is for cron without
a queue consumer, or by hand. A step also applies when she logs a session; steps
that wait for the physio's approval are never taken here.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.services.programmes import apply_due_steps_of_everyone


class Command(BaseCommand):
    help = "Apply the programme steps that are due today and set to apply by themselves."

    def handle(self, *args, **options):
        moved = apply_due_steps_of_everyone(timezone.localdate())
        self.stdout.write(f"{moved} prescription(s) moved on.")
