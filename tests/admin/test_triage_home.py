"""The physio's triage home (/admin/), its "seen" action, the caseload's reasons column and
"needs attention" filter, the unassigned list's few columns, and query counts that do not grow
with the number of patients."""

import datetime
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    MessageFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    UserFactory,
    exercise,
)
from tests.helpers import make_patient, text_of
from tracker.models import PHYSIO_GROUP, Message, PatientProfile, TriageSeen, User
from tracker.triage.home import triage_home

HOME = "/admin/"
CASELOAD = "/admin/tracker/patientprofile/"


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="home_physio", first_name="Priya", last_name="Shah")


@pytest.fixture
def physio_client(client, physio):
    client.force_login(physio)
    return client


def home_of(physio):
    """What her triage home lists (tracker.triage.home), for tests about the list's order."""
    return triage_home(PatientProfile.objects.filter(physio=physio), reviewer=physio)


def shown_as_of(response) -> str:
    """The moment the page's "Seen" forms send (the time the list was made)."""
    return shown_as_of_text(response.content.decode())


def shown_as_of_text(html: str) -> str:
    return re.search(r'name="as_of" value="([^"]+)"', html).group(1)


def seen_url(patient) -> str:
    return reverse("admin:tracker_patientprofile_seen", args=[patient.profile.pk])


# --- the home page -------------------------------------------------------------------------------------


def test_a_physio_lands_on_who_needs_her_today(physio_client, physio):
    anna = make_patient(physio, username="anna", first_name="Anna", last_name="Runner")
    SymptomLogFactory(patient=anna, date=days_ago(1), flag_dvt_signs=True)
    calm = make_patient(physio, username="calm", first_name="Carl", last_name="Calm")
    SymptomLogFactory(patient=calm, date=days_ago(1))
    PhysioNoteFactory(patient=calm, author=physio, is_review=True, visible_to_patient=False)
    stranger = PatientFactory(username="stranger", first_name="Stella", last_name="Stranger")
    SymptomLogFactory(patient=stranger, date=days_ago(1), flag_dvt_signs=True)

    response = physio_client.get(HOME)

    assert response.status_code == 200
    assert "admin/tracker/triage/home.html" in [t.name for t in response.templates]
    page = text_of(response)
    assert "Who needs you today" in page
    assert "1 of your 2 patients" in page
    assert "urgent: ticked “calf red, warm, swollen and painful” (yesterday)" in page
    assert "The rest of your caseload" in page and "Carl Calm" in page
    assert "Stella" not in page  # another physio's (or nobody's) patient
    assert "Recent actions" not in page
    assert [entry.profile.user for entry in home_of(physio).needs] == [anna]


def test_nobody_needs_her(physio_client, physio):
    calm = make_patient(physio, username="calm")
    SymptomLogFactory(patient=calm, date=days_ago(1))
    PhysioNoteFactory(patient=calm, author=physio, is_review=True, visible_to_patient=False)
    assert "Nobody needs you right now" in text_of(physio_client.get(HOME))


def test_a_superuser_keeps_the_admin_index(admin_client):
    response = admin_client.get(HOME)
    assert response.status_code == 200
    assert "admin/tracker/triage/home.html" not in [t.name for t in response.templates]
    assert "Deleted records" in text_of(response)


def test_a_superuser_who_is_also_a_physio_gets_the_triage_of_everyone(client, db):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    boss.groups.add(Group.objects.get(name=PHYSIO_GROUP))
    PatientFactory(username="somebody", first_name="Sam")
    client.force_login(boss)
    page = text_of(client.get(HOME))
    assert "1 of your 1 patient," in page and "Sam" in page


# --- seen ------------------------------------------------------------------------------------------------


def test_seen_takes_her_off_the_list_and_reads_the_messages_shown(physio_client, physio):
    anna = make_patient(physio, username="anna", first_name="Anna", last_name="Runner")
    MessageFactory(patient=anna, text="Can I run on Saturday?")
    page = physio_client.get(HOME)
    as_of = shown_as_of(page)
    assert "Can I run on Saturday?" in text_of(page)

    response = physio_client.post(seen_url(anna), {"as_of": as_of}, follow=True)

    assert response.redirect_chain[-1][0] == HOME
    assert "Anna Runner: seen. She leaves this list until something new comes up." in text_of(response)
    assert "Nobody needs you right now" in text_of(response)
    mark = TriageSeen.objects.get(physio=physio, patient=anna)
    assert mark.seen_at.isoformat() == as_of
    message = Message.objects.get()
    assert (message.read_by, message.read_at is not None) == (physio, True)


@pytest.mark.parametrize("as_of", ["", "not a date", "2999-01-01T00:00:00+00:00", "2024-01-01T00:00:00"])
def test_seen_without_a_usable_moment_means_now(physio_client, physio, as_of):
    anna = make_patient(physio, username="anna")
    before = timezone.now()
    assert physio_client.post(seen_url(anna), {"as_of": as_of}).status_code == 302
    assert before <= TriageSeen.objects.get().seen_at <= timezone.now()


def test_seen_is_post_only_and_for_her_patients_only(physio_client, physio):
    stranger = PatientFactory(username="stranger")
    assert physio_client.post(seen_url(stranger)).status_code == 404
    assert physio_client.get(seen_url(make_patient(physio, username="anna"))).status_code == 405
    assert not TriageSeen.objects.exists()


# --- the caseload: reasons first, needs attention ---------------------------------------------------------


def test_the_caseload_shows_the_reasons_first(physio_client, physio):
    anna = make_patient(physio, username="anna", first_name="Anna")
    MessageFactory(patient=anna, text="Quick question")
    response = physio_client.get(CASELOAD)
    html = response.content.decode()
    headers = [th for th in html.split("<thead>")[1].split("</thead>")[0].split("<th")[2:]]
    assert "Needs attention" in headers[0]
    assert "new message from Anna: “Quick question”" in text_of(response)
    assert "fold-label" in html  # the numbers carry their label for the folded rows


@pytest.mark.parametrize(("query", "expected"), [
    ("needs_attention=any", {"flagged", "writing", "quiet"}),
    ("needs_attention=urgent", {"flagged"}),
    ("", {"flagged", "writing", "quiet", "fine"}),
])
def test_needs_attention_filter(physio_client, physio, query, expected):
    flagged = make_patient(physio, username="flagged")
    SymptomLogFactory(patient=flagged, date=days_ago(0), flag_numbness=True)
    writing = make_patient(physio, username="writing")
    SymptomLogFactory(patient=writing, date=days_ago(1))
    MessageFactory(patient=writing)
    quiet = make_patient(physio, username="quiet")
    SymptomLogFactory(patient=quiet, date=days_ago(10))
    fine = make_patient(physio, username="fine")
    SymptomLogFactory(patient=fine, date=days_ago(1))
    for patient in (flagged, writing, quiet, fine):
        PhysioNoteFactory(patient=patient, author=physio, is_review=True, visible_to_patient=False)
    # A patient seen on the home page still has her reasons: "any reason, seen or not".
    TriageSeen.objects.create(physio=physio, patient=quiet, seen_at=timezone.now())
    listed = physio_client.get(f"{CASELOAD}?{query}").context["cl"].result_list
    assert {profile.user.username for profile in listed} == expected


# --- the unassigned list: name, condition, date joined --------------------------------------------------


@pytest.fixture
def unassigned(db):
    newcomer = PatientFactory(
        username="newcomer", first_name="Nina", last_name="New", email="nina@example.com"
    )
    newcomer.profile.condition = "Calf strain"
    newcomer.profile.save()
    GirthMeasurementFactory(
        patient=newcomer, date=days_ago(2), left_1=Decimal("40.0"), right_1=Decimal("36.0")
    )
    SymptomLogFactory(patient=newcomer, date=days_ago(1), flag_dvt_signs=True)
    return newcomer


def test_the_unassigned_list_shows_no_clinical_data(physio_client, unassigned):
    response = physio_client.get(f"{CASELOAD}?assignment=unassigned")
    page = text_of(response)
    assert "Nina New" in page and "Calf strain" in page
    columns = list(response.context["cl"].list_display)
    assert columns == ["action_checkbox", "name", "condition_short", "date_joined"]
    for clinical in ("urgent", "girth LSI", "adherence", "111.1%", "Left", "swollen", "red flag"):
        assert clinical not in page, clinical
    assert [spec.title for spec in response.context["cl"].filter_specs] == ["assignment"]


@pytest.mark.parametrize("lookup", [
    "red_flag_count__gt=0", "flag_symptoms=1", "affected_side=left", "girth_lsi__lt=100", "red_flag=yes",
    "user__email__startswith=nina",
])
def test_the_unassigned_list_cannot_be_filtered_by_clinical_data(physio_client, unassigned, lookup):
    response = physio_client.get(f"{CASELOAD}?assignment=unassigned&{lookup}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "e=1" in response["Location"]  # the admin's "bad filter" redirect, nothing listed


def test_the_unassigned_list_is_searched_by_name_and_condition_only(physio_client, unassigned):
    def found(term):
        return len(physio_client.get(f"{CASELOAD}?assignment=unassigned&q={term}").context["cl"].result_list)

    assert (found("Nina"), found("strain"), found("nina@example"), found("newcomer")) == (1, 1, 0, 1)


# --- query counts do not grow with the number of patients -----------------------------------------------


def add_patients(physio, count: int, start: int) -> None:
    drop = exercise("eccentric-heel-drop-straight")
    for index in range(start, start + count):
        patient = make_patient(physio, username=f"p{index:03d}", first_name=f"P{index:03d}")
        GirthMeasurementFactory(patient=patient, date=days_ago(35))
        GirthMeasurementFactory(patient=patient, date=days_ago(2),
                                left_1=Decimal("41.0") if index % 5 == 0 else Decimal("34.2"))
        HeelRiseTestFactory(patient=patient, date=days_ago(31), reps_left=20, reps_right=27)
        HeelRiseTestFactory(patient=patient, date=days_ago(3), reps_left=12 if index % 4 == 0 else 21,
                            reps_right=27)
        yesterday = timezone.now() - datetime.timedelta(days=1)
        session = ExerciseSessionFactory(patient=patient, performed_at=yesterday, pain_after=index % 10)
        ExerciseEntryFactory(session=session, exercise=drop)
        SymptomLogFactory(patient=patient, date=days_ago(0), flag_dvt_signs=index % 7 == 0,
                          pain_next_morning=6)
        PrescriptionFactory(patient=patient, exercise=drop)
        if index % 3 == 0:
            PhysioNoteFactory(patient=patient, author=physio, is_review=True, visible_to_patient=False)
        if index % 2 == 0:
            MessageFactory(patient=patient)
        if index % 6 == 0:
            TriageSeen.objects.create(physio=physio, patient=patient, seen_at=timezone.now())


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_home_page_runs_the_same_queries_for_10_and_200_patients(physio_client, physio):
    add_patients(physio, 10, 0)
    with_10 = count_queries(physio_client, HOME)
    add_patients(physio, 190, 10)
    with_200 = count_queries(physio_client, HOME)
    assert with_10 == with_200
    assert count_queries(physio_client, HOME) < with_200  # nothing changed: the list from the cache
    home = home_of(physio)
    assert home.total == 200 and home.needs and home.rest
    codes = {reason.code for entry in home.needs for reason in entry.reasons}
    assert {"swelling_asymmetry", "red_flag_symptom", "heel_rise_decline", "unread_message", "pain_after",
            "not_settled", "new_data"} <= codes


@pytest.mark.parametrize("query", ["", "?needs_attention=any", "?needs_attention=urgent&o=2"])
def test_the_caseload_with_reasons_runs_the_same_queries_for_10_and_100(physio_client, physio, query):
    add_patients(physio, 10, 0)
    with_10 = count_queries(physio_client, CASELOAD + query)
    add_patients(physio, 90, 10)
    with_100 = count_queries(physio_client, CASELOAD + query)
    assert with_10 == with_100


def test_the_generated_clinic_runs_the_same_queries_for_a_busy_and_a_quieter_physio(client, db):
    """bench/pages.py's shape (clinic-physio-000 has the most patients), at a size a test can afford."""
    call_command("generate_clinic", patients=90, physios=3, busy=60, stdout=StringIO())
    counts = {}
    for username in ("clinic-physio-000", "clinic-physio-001"):
        physio = User.objects.get(username=username)
        client.force_login(physio)
        home = home_of(physio)
        counts[username] = (count_queries(client, HOME), count_queries(client, HOME),  # made, cached
                            count_queries(client, CASELOAD),
                            count_queries(client, CASELOAD + "?needs_attention=any"))
        assert home.needs  # every kind of reason, for every physio
    assert home.total == 15
    assert counts["clinic-physio-000"] == counts["clinic-physio-001"]


# --- the list kept in the cache ------------------------------------------------------------------------


@pytest.fixture
def lists_made(monkeypatch):
    """Counts how many times the triage list is worked out (not taken from the cache)."""
    from tracker.admin import triage

    made = []

    def counting(*args, **kwargs):
        made.append(1)
        return triage_home(*args, **kwargs)

    monkeypatch.setattr(triage, "triage_home", counting)
    return made


def test_an_unchanged_caseload_comes_from_the_cache_and_a_change_shows_at_once(
    physio_client, physio, lists_made
):
    anna = make_patient(physio, username="anna", first_name="Anna", last_name="Runner")
    SymptomLogFactory(patient=anna, date=days_ago(1))
    first, second = text_of(physio_client.get(HOME)), text_of(physio_client.get(HOME))
    assert len(lists_made) == 1
    assert first == second

    SymptomLogFactory(patient=anna, date=days_ago(0), flag_dvt_signs=True)
    page = text_of(physio_client.get(HOME))

    assert len(lists_made) == 2
    assert "urgent: ticked “calf red, warm, swollen and painful” (today)" in page


def test_seen_works_from_a_list_that_came_from_the_cache(client, physio):
    from django.test import Client

    anna = make_patient(physio, username="anna", first_name="Anna", last_name="Runner")
    MessageFactory(patient=anna, text="Can I run on Saturday?")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(physio)
    browser.get(HOME)
    cached = browser.get(HOME).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached).group(1)
    assert "csrf-token-of-the-request" not in cached

    response = browser.post(seen_url(anna), {"csrfmiddlewaretoken": token, "as_of": shown_as_of_text(cached)})

    assert response.status_code == 302
    assert TriageSeen.objects.filter(physio=physio, patient=anna).exists()
