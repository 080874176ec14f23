"""The triage home and the caseload kept in the cache (tracker.admin.page_cache) while nothing they
show has changed: a change shows at once, forms work, messages show once, and nobody gets another
physio's page. (The stamp itself: tests/selectors/test_caseload_version.py.)"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PatientFactory, PhysioFactory, SymptomLogFactory
from tests.helpers import make_patient, text_of
from tracker.admin import page_cache
from tracker.models import PhysioNote

HOME = "/admin/"
CASELOAD = "/admin/tracker/patientprofile/"


@pytest.fixture
def physio(db):
    return PhysioFactory(username="cache_physio", first_name="Priya")


@pytest.fixture
def anna(physio):
    patient = make_patient(physio, username="anna", first_name="Anna", last_name="Runner")
    SymptomLogFactory(patient=patient, date=timezone.localdate() - datetime.timedelta(days=1))
    return patient


@pytest.fixture
def browser(physio):
    """A client that checks CSRF tokens, as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(physio)
    return client


def get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


@pytest.mark.parametrize("url", [HOME, CASELOAD, CASELOAD + "?needs_attention=any&o=2"])
def test_the_second_view_of_an_unchanged_page_comes_from_the_cache(browser, anna, url):
    first, made = get(browser, url)
    second, kept = get(browser, url)
    assert kept < made
    assert text_of(second) == text_of(first)
    assert "Anna Runner" in text_of(second)
    assert page_cache.CSRF_PLACEHOLDER not in second.content.decode()


@pytest.mark.parametrize("url", [HOME, CASELOAD])
def test_a_red_flag_shows_at_once(browser, anna, url):
    assert "calf red, warm, swollen" not in text_of(browser.get(url))
    browser.get(url)  # kept

    SymptomLogFactory(patient=anna, date=timezone.localdate(), flag_dvt_signs=True)

    assert "calf red, warm, swollen" in text_of(browser.get(url))


def test_each_query_string_is_its_own_page(browser, physio, anna):
    calm = make_patient(physio, username="carl", first_name="Carl", last_name="Calm")
    PhysioNote.objects.create(patient=calm, author=physio, text="Reviewed", is_review=True,
                              visible_to_patient=False)
    everyone = text_of(browser.get(CASELOAD))
    searched = text_of(browser.get(CASELOAD + "?q=Carl"))
    assert "Anna Runner" in everyone and "Carl Calm" in everyone
    assert "Carl Calm" in searched and "Anna Runner" not in searched


def test_an_action_from_a_kept_caseload_works_and_its_message_shows_once(browser, physio, anna):
    import re

    browser.get(CASELOAD)
    kept = browser.get(CASELOAD).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept).group(1)

    response = browser.post(CASELOAD, {"csrfmiddlewaretoken": token, "action": "mark_reviewed",
                                       "_selected_action": [anna.profile.pk]}, follow=True)

    assert response.status_code == 200
    assert "Marked 1 patient(s) as reviewed." in text_of(response)
    assert PhysioNote.objects.filter(patient=anna, is_review=True, author=physio).exists()
    assert "Marked 1 patient(s)" not in text_of(browser.get(CASELOAD))  # shown once, not kept


def test_a_kept_page_is_never_another_physios(client, physio, anna):
    other = PhysioFactory(username="other_physio")
    make_patient(other, username="bob", first_name="Bob", last_name="Other")
    for url in (HOME, CASELOAD):
        client.force_login(physio)
        client.get(url)
        mine = text_of(client.get(url))
        client.force_login(other)
        theirs = text_of(client.get(url))
        assert "Anna Runner" in mine and "Bob Other" not in mine
        assert "Bob Other" in theirs and "Anna Runner" not in theirs


def test_the_unassigned_list_shows_a_newcomer_at_once(client, physio):
    client.force_login(physio)
    url = CASELOAD + "?assignment=unassigned"
    client.get(url)
    client.get(url)  # kept
    PatientFactory(username="newcomer", first_name="Nora", last_name="Newcomer")
    assert "Nora Newcomer" in text_of(client.get(url))


def test_a_cache_that_fails_still_gives_the_page(client, physio, anna, monkeypatch, caplog):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    client.force_login(physio)
    monkeypatch.setattr(cache, "get", broken)
    for url in (HOME, CASELOAD):
        response = client.get(url)
        assert response.status_code == 200
        assert "Anna Runner" in text_of(response)
    assert "Cache read failed (admin page)" in caplog.text


def test_a_kept_page_is_still_never_kept_by_browsers(client, physio, anna):
    client.force_login(physio)
    client.get(CASELOAD)
    response = client.get(CASELOAD)
    assert "no-store" in response["Cache-Control"]
