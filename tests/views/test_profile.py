"""The patient's own profile page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PhysioFactory

URL = reverse("profile")
TODAY = timezone.localdate()


def form_data(**overrides) -> dict:
    data = {
        "affected_side": "left",
        "condition": "Atrophy of the medial head of the left gastrocnemius",
        "onset_date": "2025-03-01",
        "unit": "cm",
        "target_lsi": "90",
        "sex": "F",
        "birth_year": "1997",
        "first_name": "Anna",
        "last_name": "Berg",
        "email": "anna@example.com",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_requires_login(client, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_physio_without_profile_is_sent_to_admin(client, physio):
    client.force_login(physio)
    for response in (client.get(URL), client.post(URL, form_data())):
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")


def test_it_rejects_other_methods(patient_client):
    assert patient_client.put(URL).status_code == 405


def test_it_shows_her_profile(patient_client, patient):
    response = patient_client.get(URL)
    assert response.status_code == 200
    text = response.text
    assert text.count("<h1") == 1
    assert "Atrophy of the medial head of the left gastrocnemius" in text
    assert "No physiotherapist assigned yet" in text
    assert f'href="{reverse("password_change")}"' in text
    assert "stored in centimetres" in text
    assert f'value="{patient.username}"' not in text  # username is not editable here


def test_it_shows_the_assigned_physio_read_only(patient_client, patient):
    physio = PhysioFactory(first_name="Petra", last_name="Nilsson")
    patient.profile.physio = physio
    patient.profile.save()
    response = patient_client.get(URL)
    assert "Petra Nilsson" in response.text
    assert 'name="physio"' not in response.text


def test_posting_a_physio_id_is_ignored(patient_client, patient):
    physio = PhysioFactory()
    patient_client.post(URL, form_data(physio=str(physio.pk)))
    patient.profile.refresh_from_db()
    assert patient.profile.physio is None


def test_it_saves_profile_and_account(patient_client, patient):
    response = patient_client.post(URL, form_data(affected_side="right", target_lsi="85.5"), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Your profile is saved." in response.text
    patient.refresh_from_db()
    profile = patient.profile
    profile.refresh_from_db()
    assert profile.affected_side == "right"
    assert profile.target_lsi == Decimal("85.5")
    assert profile.onset_date == datetime.date(2025, 3, 1)
    assert (profile.sex, profile.birth_year) == ("F", 1997)
    assert (patient.first_name, patient.last_name, patient.email) == ("Anna", "Berg", "anna@example.com")


def test_optional_fields_can_be_empty(patient_client, patient):
    response = patient_client.post(URL, form_data(sex="", birth_year="", onset_date="", condition=""))
    assert response.status_code == 302
    patient.profile.refresh_from_db()
    assert (patient.profile.sex, patient.profile.birth_year, patient.profile.onset_date) == ("", None, None)


def test_changing_the_unit_changes_the_display(patient_client, patient):
    assert "is shown as" not in patient_client.get(URL).text  # "34.3 cm is shown as 34.3 cm" said nothing
    response = patient_client.post(URL, form_data(unit="in"), follow=True)
    patient.profile.refresh_from_db()
    assert patient.profile.unit == "in"
    assert "Measurements are now shown in inches (in)." in response.text
    assert "34.3 cm is shown as 13.5 in" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_lsi", "120", "Enter a number from 50 to 100."),
        ("target_lsi", "49.9", "Enter a number from 50 to 100."),
        ("target_lsi", "NaN", "Enter a number"),
        ("target_lsi", "abc", "Enter a number"),
        ("birth_year", "1800", f"Enter a year from 1900 to {TODAY.year}"),
        ("birth_year", str(TODAY.year + 1), f"Enter a year from 1900 to {TODAY.year}"),
        ("birth_year", "abc", "Enter a whole number"),
        ("onset_date", (TODAY + datetime.timedelta(days=1)).isoformat(), "This date is in the future"),
        ("onset_date", "1899-12-31", "Enter a date from 1900 onwards"),
        ("unit", "mm", "Select a valid choice"),
        ("email", "not-an-email", "Enter a valid email address"),
    ],
)
def test_bad_input_keeps_what_she_typed(patient_client, patient, field, value, message):
    response = patient_client.post(
        URL, form_data(condition="Tennis leg", first_name="Annie", **{field: value})
    )
    assert response.status_code == 200
    errors = {**response.context["profile_form"].errors, **response.context["account_form"].errors}
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert message in response.text
    assert "Tennis leg" in response.text
    assert 'value="Annie"' in response.text
    if field != "unit":
        assert f'value="{value}"' in response.text
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error[^"]*" id="id_{field}"', response.text)
    # Nothing was saved, from either form.
    patient.refresh_from_db()
    patient.profile.refresh_from_db()
    assert patient.profile.condition == "Atrophy of the medial head of the left gastrocnemius"
    assert patient.first_name != "Annie"


def test_target_lsi_bounds_are_accepted(patient_client, patient):
    for value in ("50", "100"):
        assert patient_client.post(URL, form_data(target_lsi=value)).status_code == 302
        patient.profile.refresh_from_db()
        assert patient.profile.target_lsi == Decimal(value)


def test_this_year_is_a_valid_birth_year(patient_client, patient):
    assert patient_client.post(URL, form_data(birth_year=str(TODAY.year))).status_code == 302
    patient.profile.refresh_from_db()
    assert patient.profile.birth_year == TODAY.year


def test_invalid_unit_change_is_not_shown_as_active(patient_client, patient):
    response = patient_client.post(URL, form_data(unit="in", target_lsi="120"))
    assert "is shown as" not in response.text  # still in centimetres
    patient.profile.refresh_from_db()
    assert patient.profile.unit == "cm"


def test_she_only_changes_her_own_profile(patient_client, patient, other_patient):
    patient_client.post(URL, form_data(condition="Changed"))
    other_patient.profile.refresh_from_db()
    assert other_patient.profile.condition == "Atrophy of the medial head of the left gastrocnemius"
    patient.profile.refresh_from_db()
    assert patient.profile.condition == "Changed"


def test_nav_links_to_profile(patient_client):
    assert f'href="{URL}">Profile</a>' in patient_client.get(URL).text
