"""The reminder engine: find what is due, claim it once, send it with retries; never twice, never lost.

A pass (`run_pass`) asks every kind in `reminder_kinds.KINDS` who is due at a moment, claims each one
by creating its SentReminder row (a unique constraint on user, kind and local date, and one on the
daily group, so concurrent passes on several machines cannot both win), and hands each claimed id to
`dispatch`: the queue's delivery task, or an in-process `deliver` for the management command.

`deliver` takes a short lease on the row (so two deliveries of the same id cannot both send), sends,
and records the outcome. A failure is retried with exponential back-off up to EMAIL_RETRY_ATTEMPTS,
then marked failed and logged as an error. A claim nobody sent (a consumer that crashed after
claiming) is picked up again by the next pass (`stale_claims`).
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from tracker.models import SentReminder
from tracker.selectors import reminders as selectors
from tracker.services import mail
from tracker.services.reminder_kinds import KINDS, Due, ReminderKind, kind_of

logger = logging.getLogger("tracker.reminders")

LEASE = datetime.timedelta(minutes=5)  # a sender has this long before another may take the row over
STALE_AFTER = datetime.timedelta(minutes=10)  # a claim untouched this long is tried again
Status = SentReminder.Status


@dataclass(frozen=True)
class PassResult:
    due: list[Due]
    claimed: list[SentReminder]
    retried: list[int]  # ids of stale claims handed to dispatch again


@dataclass(frozen=True)
class Delivery:
    status: str  # "sent", "skipped", "retry", "failed", or "busy" (another sender has it, or it is done)
    retry_in: int | None = None  # seconds, for "retry"


def plan(at: datetime.datetime, *, kinds: Iterable[ReminderKind] = KINDS, user_ids=None) -> list[Due]:
    """Who should get what at `at`: not claimed yet, and at most one per person per daily group
    (the first due in KINDS order wins). Sends and claims nothing."""
    found = [due for kind in kinds for due in kind.find_due(at, user_ids=user_ids)]
    keys = {(d.user.pk, d.kind, d.local_date) for d in found}
    keys |= {(d.user.pk, d.group, d.local_date) for d in found if d.group}
    taken = selectors.claimed(keys)
    chosen = []
    for due in found:
        group_key = (due.user.pk, due.group, due.local_date)
        if (due.user.pk, due.kind, due.local_date) in taken or (due.group and group_key in taken):
            continue
        if due.group:
            taken.add(group_key)
        chosen.append(due)
    return chosen


def claim(due: Due) -> SentReminder | None:
    """Record the reminder before sending it; None when another pass claimed it (or its group) first."""
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                user=due.user, kind=due.kind, local_date=due.local_date, daily_group=due.group
            )
    except IntegrityError:
        return None


def run_pass(
    at: datetime.datetime,
    *,
    dispatch: Callable[[int], object],
    dry_run: bool = False,
    kinds: Iterable[ReminderKind] = KINDS,
    user_ids=None,
    retry_stale: bool = True,
) -> PassResult:
    """One pass of the scheduler at `at`: claim what is due and hand each claim to `dispatch(id)`;
    then hand over again the claims a crashed consumer left behind. A dry run only plans."""
    due = plan(at, kinds=kinds, user_ids=user_ids)
    if dry_run:
        return PassResult(due, [], [])
    claimed = [row for row in map(claim, due) if row is not None]
    for row in claimed:
        dispatch(row.pk)
    retried = stale_claims(timezone.now()) if retry_stale else []
    for reminder_id in retried:
        logger.warning("Reminder %s was claimed but not sent; trying again", reminder_id)
        dispatch(reminder_id)
    return PassResult(due, claimed, retried)


def stale_claims(now: datetime.datetime) -> list[int]:
    """Claims nobody has finished: never tried, or a sender's lease (or back-off) long run out."""
    cutoff = now - STALE_AFTER
    untried = Q(status=Status.CLAIMED, lease_until__isnull=True, claimed_at__lt=cutoff)
    abandoned = Q(status__in=[Status.CLAIMED, Status.SENDING, Status.RETRYING], lease_until__lt=cutoff)
    stale = SentReminder.objects.filter(untried | abandoned).order_by("pk")
    return list(stale.values_list("pk", flat=True)[:500])


def retry_delay(attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt`: EMAIL_RETRY_DELAY_SECONDS, doubled each time."""
    return settings.EMAIL_RETRY_DELAY_SECONDS * 2 ** (attempt - 1)


def _take_lease(reminder_id: int, now: datetime.datetime) -> bool:
    free = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    unfinished = [Status.CLAIMED, Status.SENDING, Status.RETRYING]
    taken = (
        SentReminder.objects.filter(pk=reminder_id, status__in=unfinished)
        .filter(free)
        .update(status=Status.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1)
    )
    return taken == 1


def _record(reminder: SentReminder, **fields) -> None:
    SentReminder.objects.filter(pk=reminder.pk, status=Status.SENDING).update(**fields)


def deliver(reminder_id: int, *, at: datetime.datetime | None = None) -> Delivery:
    """Send one claimed reminder now, if nobody else is sending it and it is still wanted at `at`
    (default: now; the management command's --at judges a pass at another moment)."""
    now = timezone.now()
    if not _take_lease(reminder_id, now):
        return Delivery("busy")
    reminder = SentReminder.objects.select_related("user").get(pk=reminder_id)
    try:
        letter = kind_of(reminder.kind).letter(reminder, at or now)
        if isinstance(letter, str):
            _record(reminder, status=Status.SKIPPED, lease_until=None, last_error=letter)
            logger.info("Not sending %s: %s", reminder, letter)
            return Delivery("skipped")
        email = mail.compose(
            letter.template,
            letter.context,
            to=letter.to,
            topic=letter.topic,
            settings_path=letter.settings_path,
        )
        mail.send(email)
    except Exception as error:  # SMTP refused, unreachable, timed out, or a bug: retried, then failed
        return _failed(reminder, error, now)
    _record(reminder, status=Status.SENT, sent_at=timezone.now(), sent_to=email.to, lease_until=None)
    logger.info("Sent %s to %s", reminder, email.to)
    return Delivery("sent")


def _failed(reminder: SentReminder, error: Exception, now: datetime.datetime) -> Delivery:
    message = f"{type(error).__name__}: {error}"[:1000]
    if reminder.attempts >= settings.EMAIL_RETRY_ATTEMPTS:
        _record(reminder, status=Status.FAILED, lease_until=None, last_error=message)
        logger.error("Gave up sending %s after %d attempts: %s", reminder, reminder.attempts, message)
        return Delivery("failed")
    delay = retry_delay(reminder.attempts)
    _record(
        reminder,
        status=Status.RETRYING,
        lease_until=now + datetime.timedelta(seconds=delay),
        last_error=message,
    )
    logger.warning(
        "Could not send %s (attempt %d of %d), trying again in %d s: %s",
        reminder, reminder.attempts, settings.EMAIL_RETRY_ATTEMPTS, delay, message,
    )
    return Delivery("retry", delay)
