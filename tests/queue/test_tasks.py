"""The queue's jobs in this process: what a request queues (and that it sends nothing itself), the
jobs it queues, retries with back-off, and immediate mode end to end."""

import datetime
import smtplib
import socket

import pytest
from django.core import mail
from django.utils import timezone
from huey import RetryTask
from huey.contrib.djhuey import HUEY

from tests.factories import MessageFactory, PatientFactory, PhysioFactory
from tests.queue.conftest import daytime_zone
from tests.views.test_symptoms import check_in, day_url
from tracker import tasks
from tracker.models import ReminderSettings, SentReminder
from tracker.services import mail as mails

pytestmark = [pytest.mark.queue, pytest.mark.django_db]


class RefusingBackend:
    """An SMTP server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def queue():
    """The project's queue (a SQLite file, or Redis with REDIS_URL), emptied before and after."""
    HUEY.immediate = False
    HUEY.flush()
    yield HUEY
    HUEY.immediate = False
    HUEY.flush()


def pending_besides_warming(queue) -> list:
    """The queued jobs, but for the chart warming every write to her records queues as well."""
    return [job for job in queue.pending() if job.name != "warm_charts"]


@pytest.fixture
def anna(client):
    physio = PhysioFactory(email="priya@clinic.example")
    patient = PatientFactory(username="anna")
    patient.profile.physio = physio
    patient.profile.save()
    client.force_login(patient)
    return patient


@pytest.fixture
def silent_smtp_server(settings):
    """An SMTP server that accepts connections but never answers: a request that sent mail would hang."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    yield listener
    listener.close()


def test_saving_a_red_flag_queues_the_alert_and_sends_nothing_in_the_request(
    queue, anna, client, silent_smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(day_url(timezone.localdate()), check_in(flag_tear_pop="on"))

    assert response.status_code == 302  # saved, and the page answered
    with pytest.raises(BlockingIOError):
        silent_smtp_server.accept()  # nobody connected to the mail server
    [job] = pending_besides_warming(queue)
    assert (job.name, job.args) == ("alert_physio", (anna.pk,))


def test_a_check_in_without_a_red_flag_queues_nothing(
    queue, anna, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(day_url(timezone.localdate()), check_in())
    assert pending_besides_warming(queue) == []


def test_the_queued_jobs_send_the_alert(queue, anna, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(day_url(timezone.localdate()), check_in(flag_dvt_signs="on"))
    [alert_job] = pending_besides_warming(queue)
    queue.flush()
    tasks.alert_physio.call_local(*alert_job.args)  # the job's own code, in this test's transaction
    [deliver_job] = queue.pending()
    assert deliver_job.name == "deliver_reminder"
    tasks.deliver_reminder.call_local(*deliver_job.args)
    assert [message.to for message in mail.outbox] == [["priya@clinic.example"]]
    assert SentReminder.objects.get().status == SentReminder.Status.SENT


def test_a_failed_delivery_asks_the_queue_to_retry_later(queue, anna, settings):
    settings.EMAIL_BACKEND = "tests.queue.test_tasks.RefusingBackend"
    settings.EMAIL_RETRY_DELAY_SECONDS = 30
    reminder = SentReminder.objects.create(
        user=anna, kind="red_flag:tear_pop", local_date=timezone.localdate()
    )
    with pytest.raises(RetryTask) as retry:
        tasks.deliver_reminder.call_local(reminder.pk)
    assert retry.value.delay == 30
    assert SentReminder.objects.get().status == SentReminder.Status.RETRYING


def test_immediate_mode_runs_the_whole_chain_in_the_request(
    queue, anna, client, django_capture_on_commit_callbacks
):
    queue.immediate = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(day_url(timezone.localdate()), check_in(flag_numbness="on"))
    [message] = mail.outbox
    assert message.subject == "A patient logged a warning sign"


def test_any_email_can_be_sent_in_the_queue_with_back_off_then_logged(
    queue, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.queue.test_tasks.RefusingBackend"
    queue.immediate = True  # run each try here; the retries wait in the (in-memory) schedule
    email = mails.Email(to="someone@example.com", subject="Your export is ready", text="It is ready.")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_email_later(email)
    delays = []
    while True:
        scheduled = queue.scheduled()
        if not scheduled:
            break
        [retry] = scheduled
        delays.append(retry.retry_delay)
        queue.storage.flush_schedule()
        queue.execute(retry, timestamp=retry.eta)  # as the consumer's scheduler does once it is due
    assert delays[:3] == [settings.EMAIL_RETRY_DELAY_SECONDS * 2**n for n in (1, 2, 3)]  # doubled each time
    assert len(delays) == settings.EMAIL_RETRY_ATTEMPTS - 1
    assert "Gave up sending 'Your export is ready' to someone@example.com" in caplog.text
    assert mail.outbox == []


def test_the_message_notice_job_sends_a_link_and_no_message_text(
    queue, anna, django_capture_on_commit_callbacks
):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    MessageFactory(patient=anna, text="My calf is swollen", created_at=an_hour_ago)
    queue.immediate = True
    with django_capture_on_commit_callbacks(execute=True):
        tasks.message_notices.call_local()
    [message] = mail.outbox
    assert (message.to, message.subject) == (["priya@clinic.example"], "You have a new message")
    assert "swollen" not in message.body and "/admin/tracker/patientprofile/" in message.body


def test_a_pass_of_the_periodic_job_queues_each_delivery(queue):
    zone, at = daytime_zone()
    patient = PatientFactory(time_zone=zone)
    hour, minute = (int(part) for part in at.split(":"))
    ReminderSettings.objects.create(
        user=patient, enabled=True, remind_at=datetime.time(hour, minute), session_days=127, measurement=False
    )
    tasks.reminder_pass.call_local()
    [job] = queue.pending()
    assert job.name == "deliver_reminder"
    assert SentReminder.objects.get().kind == "session"
