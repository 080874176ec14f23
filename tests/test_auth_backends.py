"""The login backend reads a patient's profile with the user: patient pages need no second query."""

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, PhysioFactory
from tracker.auth_backends import ModelBackendWithProfile

pytestmark = pytest.mark.django_db


def test_a_patients_profile_comes_with_her_user(django_assert_num_queries):
    patient = PatientFactory()
    with django_assert_num_queries(1):
        user = ModelBackendWithProfile().get_user(patient.pk)
        assert user.profile.pk == patient.profile.pk


def test_a_physio_has_no_profile_and_asking_costs_no_query(django_assert_num_queries):
    physio = PhysioFactory()
    user = ModelBackendWithProfile().get_user(physio.pk)
    with django_assert_num_queries(0):
        assert not hasattr(user, "profile")


def test_an_inactive_or_missing_user_is_nobody():
    patient = PatientFactory(is_active=False)
    assert ModelBackendWithProfile().get_user(patient.pk) is None
    assert ModelBackendWithProfile().get_user(987654) is None


def test_a_patient_page_reads_session_and_user_once(client, django_assert_num_queries):
    patient = PatientFactory()
    client.force_login(patient)
    client.get(reverse("chart", kwargs={"name": "girth", "fmt": "svg"}))  # drawn and kept
    # The session, the user with her profile: nothing more for a chart already drawn.
    with django_assert_num_queries(2):
        response = client.get(reverse("chart", kwargs={"name": "girth", "fmt": "svg"}))
    assert response.status_code == 200
