"""One pass of the reminder scheduler, for cron-based deployments and for checking who gets what."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker.services import reminders
from tracker.services.reminder_kinds import kind_of


class Command(BaseCommand):
    help = (
        "Run one pass of the reminder scheduler: claim the reminders, alerts and digests due now "
        "(or --at a moment) and send them in this process. --dry-run lists who would get what."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            help="The moment to run the pass for, as an ISO date-time with its offset "
            "(e.g. 2026-06-08T18:05+01:00); without an offset, the site's TIME_ZONE. Default: now.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List who would get what; send nothing.")

    def handle(self, *args, at=None, dry_run=False, **options):
        moment = self.moment(at)
        sent = []

        def deliver_here(reminder_id: int) -> None:
            sent.append(reminders.deliver(reminder_id, at=moment).status)

        result = reminders.run_pass(moment, dispatch=deliver_here, dry_run=dry_run)
        verb = "would get" if dry_run else "gets"
        for due in result.due:
            about = "" if due.to == due.user else f" about {due.user.get_username()}"
            self.stdout.write(
                f"{due.to.get_username()} {verb} the {kind_of(due.kind).label}{about} "
                f"({due.kind}, {due.local_date:%a %d %b %Y} in {due.user.zone()})"
            )
        when = timezone.localtime(moment).isoformat(timespec="minutes")
        if dry_run:
            self.stdout.write(f"Dry run at {when}: {len(result.due)} due; nothing sent.")
            return
        counts = {status: sent.count(status) for status in sorted(set(sent))}
        summary = ", ".join(f"{n} {status}" for status, n in counts.items()) or "nothing to send"
        self.stdout.write(
            f"Pass at {when}: {len(result.due)} due, {len(result.claimed)} claimed here, "
            f"{len(result.retried)} left-behind claims tried again; {summary}."
        )

    @staticmethod
    def moment(raw: str | None) -> datetime.datetime:
        if raw is None:
            return timezone.now()
        try:
            moment = datetime.datetime.fromisoformat(raw)
        except ValueError:
            example = "2026-06-08T18:05+01:00"
            raise CommandError(f"--at must be an ISO date-time such as {example}; got {raw!r}") from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
