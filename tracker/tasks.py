"""The task queue's jobs (huey, through `huey.contrib.djhuey`), run by `python manage.py run_huey`.

- `reminder_pass`: every REMINDER_PASS_MINUTES minutes, one pass of the reminder engine
  (`services.reminders.run_pass`): reminders, urgent alerts it may have missed, daily digests.
- `deliver_reminder(reminder_id)`: sends one claimed reminder; retried with back-off while it fails.
- `alert_physio(patient_id)`: queued as soon as a measurement or check-in is saved (the receiver at
  the bottom; `tracker.apps` imports this module), so the urgent alert leaves within seconds while the
  request returns at once, whatever the mail server does.
- `send_email(email)`: any e-mail, sent in the queue with retries and back-off: call `send_email_later`.
- `apply_progressions`: every morning at 04:00, the programme steps due today that apply by themselves
  (`services.programmes.apply_due_steps_of_everyone`).
- `message_notices`: every REMINDER_PASS_MINUTES minutes, "you have a new message" (no message text)
  for what stayed unread for NOTICE_AFTER_MINUTES (`services.messages.send_notices`).
- `warm_charts(patient_id)`: queued when a write to her records commits (the receiver at the bottom;
  at most one waiting per patient): draws the dashboard charts she looked at lately into the chart
  cache (`charts.cache.warm`), so that her next look at them costs no drawing.
"""

import logging
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from huey import RetryTask, crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tracker.charts import cache as chart_cache
from tracker.charts import data as chart_data
from tracker.models import (
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    Prescription,
    SymptomLog,
    User,
)
from tracker.selectors import series
from tracker.selectors.versions import cached_data_versions, forget_data_version
from tracker.services import mail, messages, programmes, reminders
from tracker.services.reminder_kinds import RED_FLAG_ALERT

logger = logging.getLogger("tracker.reminders")


@db_periodic_task(crontab(minute=f"*/{settings.REMINDER_PASS_MINUTES}"))
def reminder_pass() -> None:
    result = reminders.run_pass(timezone.now(), dispatch=deliver_reminder)
    logger.info(
        "Reminder pass: %d due, %d claimed here, %d left behind handed over again",
        len(result.due), len(result.claimed), len(result.retried),
    )


@db_task()
def deliver_reminder(reminder_id: int) -> None:
    delivery = reminders.deliver(reminder_id)
    if delivery.status == "retry":
        raise RetryTask(delay=delivery.retry_in)


@db_task()
def alert_physio(patient_id: int) -> None:
    """The urgent-alert part of a pass, for one patient who has just saved something."""
    reminders.run_pass(
        timezone.now(),
        dispatch=deliver_reminder,
        kinds=[RED_FLAG_ALERT],
        user_ids=[patient_id],
        retry_stale=False,
    )


@db_task(
    retries=settings.EMAIL_RETRY_ATTEMPTS - 1,
    retry_delay=settings.EMAIL_RETRY_DELAY_SECONDS,
    retry_backoff=2,
    context=True,
)
def send_email(email: dict, task=None) -> None:
    try:
        mail.send(email)
    except Exception:
        if task is None or not task.retries:
            logger.error("Gave up sending %r to %s", email["subject"], email["to"])
        raise


def send_email_later(email: mail.Email) -> None:
    """Send `email` in the queue once the current transaction commits; retried with back-off."""
    transaction.on_commit(lambda: send_email(email.as_dict()))


@db_periodic_task(crontab(hour="4", minute="0"))
def apply_progressions() -> None:
    moved = programmes.apply_due_steps_of_everyone(timezone.localdate())
    logger.info("Programme steps: %d prescription(s) moved on", moved)


@db_periodic_task(crontab(minute=f"*/{settings.REMINDER_PASS_MINUTES}"))
def message_notices() -> None:
    sent = messages.send_notices(timezone.now(), base_url=settings.SITE_URL, dispatch=send_email_later)
    logger.info("Message notices: %d queued", sent)


# --- an urgent red flag saved: tell the physio at once ---------------------------------------------


@receiver(post_save, sender=GirthMeasurement, dispatch_uid="tracker.alert_on_girth")
@receiver(post_save, sender=SymptomLog, dispatch_uid="tracker.alert_on_check_in")
def queue_red_flag_alert(sender, instance, raw=False, **kwargs) -> None:
    if raw or (isinstance(instance, SymptomLog) and not instance.red_flag_codes()):
        return
    patient_id = instance.patient_id
    transaction.on_commit(lambda: _queue_alert(patient_id))


def _queue_alert(patient_id: int) -> None:
    try:
        alert_physio(patient_id)
    except Exception:  # the queue is unreachable: the data is saved, and the next pass alerts
        logger.exception("Could not queue the alert check of patient %s; the next pass will", patient_id)


# --- her records changed: forget the data stamp, draw her dashboard's charts again ----------------

# A warming that has waited in the queue longer than this is dropped unrun: behind a backlog (a busy
# clinic, a consumer that was down) it must not hold up the urgent alerts and e-mails queued after it,
# and her next view draws what it needs anyway. The pending marker lives as long, so a dropped or
# lost job (consumer killed) blocks the next one no longer than that.
WARM_EXPIRES_SECONDS = 60
WARM_PENDING_SECONDS = WARM_EXPIRES_SECONDS
CHART_RECORDS = (GirthMeasurement, HeelRiseTest, ExerciseSession, ExerciseEntry, SymptomLog, Prescription)


def _warm_pending_key(patient_id: int) -> str:
    return f"warm-charts-pending:{patient_id}"


@db_task(expires=WARM_EXPIRES_SECONDS)
def warm_charts(patient_id: int) -> None:
    """Returns nothing: huey would keep a returned value in its result store, unread."""
    drawn = warm_dashboard_charts(patient_id)
    logger.debug("Charts of patient %s warmed: %d drawn", patient_id, len(drawn))


def warm_dashboard_charts(patient_id: int) -> list[str]:
    """Her dashboard's charts (default range, her default site; SVG) that she or her physio looked at
    lately (charts.cache.looked_at_lately) into the cache; returns those it drew."""
    try:
        cache.delete(_warm_pending_key(patient_id))  # first: a write from now on queues another job
    except Exception:
        logger.warning("Cache unreachable: warming the charts of %s anyway", patient_id, exc_info=True)
    patient = User.objects.select_related("profile").filter(pk=patient_id, profile__isnull=False).first()
    if patient is None:
        return []
    if patient.time_zone:  # her "today", as her own requests see it
        timezone.activate(zoneinfo.ZoneInfo(patient.time_zone))
    try:
        sites = series.measured_sites(patient)
        options = chart_data.ChartOptions(site=sites[0]) if sites else chart_data.ChartOptions()
        stamps = cached_data_versions(patient)
        return chart_cache.warm(patient, options=options, stamps=stamps, today=timezone.localdate())
    finally:
        timezone.deactivate()


def patient_data_changed(patient_id: int) -> None:
    """After a commit that changed her records: forget her data stamp, queue the chart warming
    unless a job is already waiting. Never raises: the data is saved whatever the cache or queue do."""
    forget_data_version(patient_id)
    try:
        if not cache.add(_warm_pending_key(patient_id), 1, WARM_PENDING_SECONDS):
            return  # a job is waiting: it reads the data when it runs, this write included
    except Exception:
        logger.warning("Cache unreachable: queueing the chart warming of %s", patient_id, exc_info=True)
    try:
        warm_charts(patient_id)
    except Exception:  # the queue is unreachable: her next view draws the charts itself
        logger.exception("Could not queue the chart warming of patient %s", patient_id)


def _owner_id(instance) -> int | None:
    if isinstance(instance, ExerciseEntry):
        try:
            return instance.session.patient_id  # the session is usually at hand (saved with it)
        except ExerciseSession.DoesNotExist:
            return None
    if isinstance(instance, PatientProfile):
        return instance.user_id
    return instance.patient_id


def queue_chart_warming(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    patient_id = _owner_id(instance)
    if patient_id is not None:
        # Now, for reads later in this transaction; after the commit, for a reader who computed the
        # stamp from the data as it was before it.
        forget_data_version(patient_id)
        transaction.on_commit(lambda: patient_data_changed(patient_id))


for _model in (*CHART_RECORDS, PatientProfile):
    for _signal, _what in ((post_save, "saved"), (post_delete, "deleted")):
        _signal.connect(queue_chart_warming, sender=_model, dispatch_uid=f"charts.{_model.__name__}.{_what}")
