"""Regressions: the 500s and crashes the fuzzing found, each fixed and pinned here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    exercise,
)
from tests.fuzz.common import (
    girth_baseline,
    logged_in,
    session_baseline,
    today,
)
from tracker.models import (
    ExerciseSession,
    PatientProfile,
)


@pytest.mark.parametrize("value", ["sNaN", "-sNaN", "sNaN12"])
@pytest.mark.parametrize("field", ["left_1", "left_2"])
def test_signalling_nan_in_a_stored_reading_is_a_form_error(patient, field, value):
    """Was a 500: changed_data compared the stored reading with Decimal("sNaN") (InvalidOperation)."""
    measurement = GirthMeasurementFactory(patient=patient, date=today(), left_2=Decimal("34.3"))
    url = reverse("measurement_edit", args=[measurement.pk])
    response = logged_in(patient).post(url, {**girth_baseline(), field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["Enter a number."]
    measurement.refresh_from_db()
    assert (measurement.left_1, measurement.left_2) == (Decimal("34.2"), Decimal("34.3"))


@pytest.mark.parametrize("url_name", ["session_new", "session_edit"])
def test_signalling_nan_as_a_load_is_a_form_error(patient, url_name):
    """Was a 500: the entry formset's has_changed() compared the default load 0 with Decimal("sNaN")."""
    entry = ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient))
    args = [entry.session_id] if url_name == "session_edit" else []
    data = {**session_baseline(entry=entry if args else None), "entries-0-load_kg": "sNaN"}
    response = logged_in(patient).post(reverse(url_name, args=args), data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["load_kg"] == ["Enter a number."]
    assert ExerciseSession.objects.filter(patient=patient).count() == 1


def test_login_with_a_very_long_username_is_no_500(patient):
    response = Client().post("/accounts/login/", {"username": "u" * 256, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_admin_login_sends_a_very_long_username_to_the_sites_login_page(patient):
    """Staff log in on the site's login page (it asks for the second factor): no 500 either."""
    response = Client().post("/admin/login/", {"username": "u" * 256, "password": "wrong"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("name", "field"),
    [("girthmeasurement", "date"), ("heelrisetest", "date"), ("exercisesession", "performed_at"),
     ("symptomlog", "date")],
)
def test_admin_date_hierarchy_with_a_huge_year_is_no_500(physio_and_patient, name, field):
    physio, _patient = physio_and_patient
    url = reverse(f"admin:tracker_{name}_changelist")
    response = logged_in(physio).get(url, {f"{field}__year": "99999999999999999999"})
    assert response.status_code in (200, 302)


def test_admin_list_filter_with_a_nul_byte_is_no_500(physio_and_patient):
    physio, _patient = physio_and_patient
    url = reverse("admin:tracker_girthmeasurement_changelist")
    response = logged_in(physio).get(url, {"site__exact": "\x00"})
    assert response.status_code in (200, 302)


def test_admin_review_inline_with_a_signalling_nan_is_a_form_error(physio_and_patient, rf):
    from django.contrib import admin as django_admin

    from tracker.admin.inlines import PrescriptionInline

    physio, patient = physio_and_patient
    request = rf.post("/")
    request.user = physio
    inline = PrescriptionInline(PatientProfile, django_admin.site)
    formset_class = inline.get_formset(request, patient)
    data = {
        "prescriptions-TOTAL_FORMS": "1", "prescriptions-INITIAL_FORMS": "0",
        "prescriptions-0-load_kg": "sNaN", "prescriptions-0-sets": "3",
        "prescriptions-0-exercise": str(exercise("single-leg-calf-raise").pk),
    }
    formset = formset_class(data, instance=patient, prefix="prescriptions")
    assert not formset.is_valid()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "9223372036854775808", "2147483648"])
@pytest.mark.parametrize("path", ["/measurements/{}/edit/", "/heel-rise/{}/edit/", "/sessions/{}/"])
def test_huge_ids_are_not_found(patient, path, pk):
    assert logged_in(patient).get(path.format(pk)).status_code == 404


@pytest.mark.parametrize("object_id", ["0", "-1", "99999999999999999999999", "abc", "1%00", "%F0%9F%A6%B5"])
@pytest.mark.parametrize("suffix", ["change/", "history/", "chart/girth.svg", "report.pdf", "export.zip"])
def test_hostile_admin_object_ids(physio_and_patient, object_id, suffix):
    physio, _patient = physio_and_patient
    response = logged_in(physio).get(f"/admin/tracker/patientprofile/{object_id}/{suffix}")
    assert response.status_code in (302, 404)
