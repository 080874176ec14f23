"""The physio's e-mails: the urgent alert when a patient saves a red flag, and the daily digest."""

import datetime
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    SymptomLogFactory,
)
from tracker import metrics
from tracker.models import AlertSettings, SentReminder
from tracker.services import mail as mails
from tracker.services import reminders
from tracker.services.reminder_kinds import KINDS, RED_FLAG_ALERT

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
DIGEST = [kind for kind in KINDS if kind.name == "digest"]


@pytest.fixture
def physio():
    # A fixed first name: the greeting names her, and a random one could be the patient's ("Anna").
    return PhysioFactory(
        username="priya", first_name="Priya", email="priya@clinic.example", time_zone="Europe/London"
    )


def patient_of(physio, **kwargs):
    patient = PatientFactory(**kwargs)
    patient.profile.physio = physio
    patient.profile.condition = "Tear of the medial gastrocnemius"
    patient.profile.save()
    return patient


def alerts_due(at=None):
    return [
        (due.to.username, due.user.username, due.kind)
        for due in reminders.plan(at or timezone.now(), kinds=[RED_FLAG_ALERT])
    ]


def run_alerts(at=None):
    at = at or timezone.now()
    return reminders.run_pass(at, dispatch=lambda pk: reminders.deliver(pk, at=at), kinds=[RED_FLAG_ALERT])


# The only links an alert may carry: the site, her review page, the e-mail settings, the one-click
# stop (whose signed token is random-looking text that can spell any short word, e.g. "pop").
ALERT_LINK = re.compile(
    r"http://localhost:8000(/admin/tracker/patientprofile/\d+/change/|/admin/tracker/user/my-settings/"
    r"|/unsubscribe/[\w:-]+/)?"
)


def words_of(text: str) -> str:
    """The e-mail without its links: what a reader sees, where a name or a clinical word must not be."""
    links = re.findall(r"https?://[^\s\"<>()]+", text)
    assert all(ALERT_LINK.fullmatch(link) for link in links), links
    return ALERT_LINK.sub("", text)


def assert_no_clinical_detail(text: str) -> None:
    lowered = words_of(text).lower()
    for word in ("tear", "pop", "swelling", "swollen", "pain", "clot", "numb", "gastrocnemius", " cm"):
        assert word not in lowered, word
    for label in metrics.SYMPTOM_RED_FLAGS.values():
        assert label.lower() not in lowered


# --- the urgent alert -----------------------------------------------------------------------------


def test_a_red_flag_symptom_alerts_her_physio_once_with_a_link_and_no_detail(physio):
    anna = patient_of(physio, username="anna", first_name="Anna", last_name="Berg")
    SymptomLogFactory(patient=anna, date=timezone.localdate(), flag_tear_pop=True)

    assert alerts_due() == [("priya", "anna", "red_flag:tear_pop")]
    run_alerts()

    [message] = mail.outbox
    assert message.to == ["priya@clinic.example"]
    assert message.subject == "A patient logged a warning sign"
    review = "http://localhost:8000" + reverse("admin:tracker_patientprofile_change", args=[anna.profile.pk])
    assert review in message.body and review in message.alternatives[0].content
    words = words_of(message.body)
    assert "Anna" not in words and "Berg" not in words  # only that a warning sign was logged
    assert_no_clinical_detail(message.body + message.alternatives[0].content)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SentReminder.objects.get().user == anna  # claimed about her


def test_at_most_one_alert_per_patient_per_flag_per_day(physio):
    anna = patient_of(physio)
    log = SymptomLogFactory(patient=anna, date=timezone.localdate(), flag_tear_pop=True)
    run_alerts()
    log.notes = "edited"
    log.save()  # saved again the same day
    assert alerts_due() == []
    log.flag_numbness = True
    log.save()  # a second flag is a new warning sign
    assert [kind for *_, kind in alerts_due()] == ["red_flag:numbness"]
    run_alerts()
    assert len(mail.outbox) == 2


def test_the_same_flag_saved_again_the_next_day_alerts_again(physio):
    anna = patient_of(physio)
    log = SymptomLogFactory(patient=anna, date=timezone.localdate(), flag_tear_pop=True)
    run_alerts()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    type(log).objects.filter(pk=log.pk).update(
        date=log.date + datetime.timedelta(days=1), updated_at=tomorrow
    )
    assert [kind for *_, kind in alerts_due(tomorrow)] == ["red_flag:tear_pop"]


def test_an_ordinary_check_in_while_a_flag_is_open_alerts_nobody(physio):
    anna = patient_of(physio)
    SymptomLogFactory(
        patient=anna, date=timezone.localdate() - datetime.timedelta(days=1), flag_tear_pop=True
    )
    type(anna.symptom_logs.get()).objects.update(updated_at=timezone.now() - datetime.timedelta(hours=5))
    SymptomLogFactory(patient=anna, date=timezone.localdate())  # today, nothing ticked
    assert alerts_due() == []


def test_a_swelling_measurement_alerts_from_the_same_rule_as_her_page(physio):
    anna = patient_of(physio)  # left calf affected: the left 3 cm or more larger is swelling
    GirthMeasurementFactory(
        patient=anna, date=timezone.localdate(), left_1=Decimal("40.0"), right_1=Decimal("36.5")
    )
    assert alerts_due() == [("priya", anna.username, "red_flag:swelling_asymmetry")]
    GirthMeasurementFactory(patient=patient_of(physio), date=timezone.localdate())  # 34.2 vs 37.6: no flag
    assert len(alerts_due()) == 1


def test_an_old_backdated_flag_is_not_open_and_alerts_nobody(physio):
    anna = patient_of(physio)
    SymptomLogFactory(
        patient=anna, date=timezone.localdate() - datetime.timedelta(days=10), flag_tear_pop=True
    )
    assert alerts_due() == []


@pytest.mark.parametrize(
    "case", ["no physio", "alerts off", "no e-mail", "physio inactive", "patient inactive"]
)
def test_no_alert_without_someone_who_wants_it(physio, case):
    anna = patient_of(physio)
    if case == "no physio":
        anna.profile.physio = None
        anna.profile.save()
    elif case == "alerts off":
        AlertSettings.objects.create(user=physio, urgent_alerts=False)
    elif case == "no e-mail":
        physio.email = ""
        physio.save()
    elif case == "physio inactive":
        physio.is_active = False
        physio.save()
    else:
        anna.is_active = False
        anna.save()
    SymptomLogFactory(patient=anna, date=timezone.localdate(), flag_dvt_signs=True)
    assert alerts_due() == []


def test_the_physio_turning_alerts_off_after_the_claim_stops_it(physio):
    anna = patient_of(physio)
    SymptomLogFactory(patient=anna, date=timezone.localdate(), flag_dvt_signs=True)
    result = reminders.run_pass(timezone.now(), dispatch=lambda pk: None, kinds=[RED_FLAG_ALERT])
    mails.unsubscribe(physio, "alerts")
    assert reminders.deliver(result.claimed[0].pk).status == "skipped"
    assert mail.outbox == []


# --- the daily digest ---------------------------------------------------------------------------


def at_london(hour, minute, day=None) -> datetime.datetime:
    day = day or timezone.localdate()
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


def digest_due(at):
    return [due.to.username for due in reminders.plan(at, kinds=DIGEST)]


@pytest.fixture
def caseload(physio):
    """Three patients: one with a red-flag symptom, one who never logged, one reviewed and fine."""
    today = timezone.localdate()
    flagged = patient_of(physio, username="zoe", first_name="Zoe", last_name="Alder")
    SymptomLogFactory(patient=flagged, date=today, flag_numbness=True)
    quiet = patient_of(physio, username="amy", first_name="Amy", last_name="Quist")
    fine = patient_of(physio, username="fine", first_name="Fay", last_name="Fine")
    ExerciseSessionFactory(
        patient=fine, performed_at=timezone.now() - datetime.timedelta(days=1), pain_after=2
    )
    note = PhysioNoteFactory(patient=fine, author=physio, is_review=True)
    type(note).objects.filter(pk=note.pk).update(created_at=timezone.now() + datetime.timedelta(minutes=1))
    return flagged, quiet, fine


def test_the_digest_lists_who_needs_attention_most_pressing_first(physio, caseload):
    at = at_london(7, 35)
    assert digest_due(at) == ["priya"]
    reminders.run_pass(at, dispatch=lambda pk: reminders.deliver(pk, at=at), kinds=DIGEST)

    [message] = mail.outbox
    assert message.to == ["priya@clinic.example"]
    assert message.subject == "2 patients to look at today"
    names = re.findall(r"^\d+\. (.+?):", message.body, flags=re.M)
    assert names == ["Zoe A.", "Amy Q."]  # the warning sign before "nothing logged"
    assert "a warning sign was logged" in message.body
    assert f"nothing logged for {metrics.NOT_LOGGED_DAYS} days or more" in message.body
    assert "Fay" not in words_of(message.body)
    assert_no_clinical_detail(message.body + message.alternatives[0].content)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://localhost:8000/unsubscribe/")


def test_the_digest_comes_at_her_time_in_her_zone_once_a_day(physio, caseload):
    assert digest_due(at_london(7, 25)) == []
    AlertSettings.objects.create(user=physio, digest_at=datetime.time(9, 0))
    assert digest_due(at_london(7, 35)) == []
    assert digest_due(at_london(9, 1)) == ["priya"]
    reminders.run_pass(at_london(9, 1), dispatch=lambda pk: None, kinds=DIGEST)
    assert digest_due(at_london(9, 6)) == []


def test_no_digest_when_nobody_needs_attention(physio):
    fine = patient_of(physio)
    ExerciseSessionFactory(
        patient=fine, performed_at=timezone.now() - datetime.timedelta(days=1), pain_after=2
    )
    note = PhysioNoteFactory(patient=fine, author=physio, is_review=True)
    type(note).objects.filter(pk=note.pk).update(created_at=timezone.now() + datetime.timedelta(minutes=1))
    assert digest_due(at_london(7, 35)) == []


def test_the_digest_has_an_off_switch(physio, caseload):
    AlertSettings.objects.create(user=physio, daily_digest=False)
    assert digest_due(at_london(7, 35)) == []


def test_the_digest_only_goes_to_physiotherapists_with_an_address(physio, caseload):
    physio.email = ""
    physio.save()
    assert digest_due(at_london(7, 35)) == []


# --- unsubscribe tokens -------------------------------------------------------------------------


def test_an_unsubscribe_token_names_her_account_and_topic_and_cannot_be_forged(physio):
    token = mails.unsubscribe_token(physio, "digest")
    assert mails.read_unsubscribe_token(token) == (physio, "digest")
    assert physio.username not in token and physio.email not in token
    assert mails.read_unsubscribe_token(token[:-2] + "xx") is None
    assert mails.read_unsubscribe_token("not-a-token") is None
    with pytest.raises(ValueError):
        mails.unsubscribe_token(physio, "everything")


def test_a_token_of_a_deleted_account_does_nothing(physio):
    token = mails.unsubscribe_token(physio, "alerts")
    physio.delete()
    assert mails.read_unsubscribe_token(token) is None
