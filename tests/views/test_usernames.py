"""Look-alike usernames (issue 19, defect 10): `physіo` with a Cyrillic `і` was accepted next to the
physio `physio`. One rule on the model: sign-up, the admin's "add patient" and any other form agree."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PatientFactory, PhysioFactory, UserFactory
from tracker import usernames
from tracker.models import User

PASSWORD = "tape-measure-calf-2024"
CYRILLIC_I = "\u0456"  # і
CYRILLIC_A = "\u0430"  # а
GREEK_O = "\u03bf"  # ο


def sign_up(client, username: str):
    return client.post(reverse("signup"), {
        "username": username, "first_name": "Nora", "email": "", "password1": PASSWORD,
        "password2": PASSWORD, "affected_side": "left", "condition": "", "unit": "cm",
    })


def admin_add_patient(client, username: str):
    return client.post(reverse("admin:tracker_patientprofile_add"), {
        "username": username, "first_name": "Nia", "last_name": "N", "email": "nia@example.com",
        "password1": "", "password2": "", "affected_side": "right", "condition": "Tennis leg",
        "onset_date": "", "unit": "cm", "target_lsi": "90", "sex": "", "birth_year": "",
    })


@pytest.mark.django_db
def test_signing_up_as_a_look_alike_of_the_physio_is_refused(client):
    PhysioFactory(username="physio")

    response = sign_up(client, f"phys{CYRILLIC_I}o")

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [usernames.LOOKS_LIKE_ANOTHER]
    assert User.objects.count() == 1


@pytest.mark.parametrize("taken, typed", [
    ("physio", "PHYSIO"),  # case
    ("physio1", "physiol"),  # digit one and small L
    ("Ivan", "lvan"),  # capital i and small L
    ("olga", f"{GREEK_O}lga"),  # a Greek omicron (Greek only in its first letter: also mixed)
    ("anna", "ａｎｎａ"),  # full-width letters (NFKC)
])
def test_look_alikes_of_existing_usernames_are_refused(db, client, taken, typed):
    UserFactory(username=taken)
    response = sign_up(client, typed)
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(username=typed).exists()


def test_the_admins_add_patient_form_applies_the_same_rule(admin_client):
    PhysioFactory(username="physio")

    response = admin_add_patient(admin_client, f"phys{CYRILLIC_I}o")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"] == [usernames.LOOKS_LIKE_ANOTHER]
    assert not User.objects.filter(username=f"phys{CYRILLIC_I}o").exists()


@pytest.mark.django_db
def test_a_username_mixing_alphabets_is_refused_even_without_a_look_alike(client):
    response = sign_up(client, f"m{CYRILLIC_A}ria")
    assert response.context["form"].errors["username"] == [usernames.ONE_SCRIPT]
    assert not User.objects.exists()


@pytest.mark.parametrize("name", ["мария", "maria_1980", "josé.luis", "ελένη", "さくら", "山田さくら"])
def test_names_in_one_script_are_welcome(db, client, name):
    response = sign_up(client, name)
    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.filter(username=name).exists()


def test_the_rule_is_on_the_model_for_any_other_path(db):
    PatientFactory(username="anna")
    with pytest.raises(ValidationError) as error:
        User(username=f"{CYRILLIC_A}nna").full_clean(exclude=["password"])
    assert error.value.message_dict["username"] == [usernames.LOOKS_LIKE_ANOTHER]


def test_a_user_does_not_look_like_herself(db):
    anna = PatientFactory(username="anna")
    anna.first_name = "Anna"
    anna.full_clean()  # no error: saving her own account again is fine


@pytest.mark.parametrize("a, b", [
    ("physio", f"phys{CYRILLIC_I}o"), ("anna", "ANNA"), ("rn", "rn"), ("paypal", "pаypаl"),
    ("O0", "0O"), ("admin", "ａｄｍｉｎ"),
])
def test_skeletons_of_look_alikes_are_equal(a, b):
    assert usernames.skeleton(a) == usernames.skeleton(b)


@pytest.mark.parametrize("a, b", [("anna", "anne"), ("maria", "mario"), ("josé", "jose"), ("ivan", "iwan")])
def test_skeletons_of_different_names_differ(a, b):
    assert usernames.skeleton(a) != usernames.skeleton(b)
