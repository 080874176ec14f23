"""Who sees what in the admin: a physio sees only her assigned patients and their records.

Physio A is asked about every registered ModelAdmin's changelist, change, delete and history URL
for physio B's objects; none of B's data may reach her. Patients never get into the admin.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    GirthMeasurementFactory,
    PatientFactory,
    PhysioFactory,
    UserFactory,
)
from tests.helpers import make_patient, make_records, text_of
from tracker.models import (
    PHYSIO_GROUP,
    GirthMeasurement,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)

MARKER_B = "Zebediah"  # B's patient's name: must never appear in A's pages


@pytest.fixture
def physio_a(db):
    return PhysioFactory(username="physio_a", first_name="Alice")


@pytest.fixture
def physio_b(db):
    return PhysioFactory(username="physio_b", first_name="Beatrix")


@pytest.fixture
def patient_a(physio_a):
    return make_patient(physio_a, username="pat_a", first_name="Amelia")


@pytest.fixture
def patient_b(physio_b):
    return make_patient(physio_b, username="pat_b", first_name=MARKER_B, email="zeb@example.com")


@pytest.fixture
def records_a(patient_a):
    return make_records(patient_a, note_text="Private note about Amelia")


@pytest.fixture
def records_b(patient_b):
    return make_records(patient_b, note_text="Private note about Zebediah")


@pytest.fixture
def client_a(client, physio_a):
    client.force_login(physio_a)
    return client


def admin_url(name: str, obj, action: str) -> str:
    if action == "changelist":
        return reverse(f"admin:tracker_{name}_changelist")
    return reverse(f"admin:tracker_{name}_{action}", args=[obj.pk])


SCOPED_ADMINS = [
    "patientprofile",
    "girthmeasurement",
    "heelrisetest",
    "exercisesession",
    "symptomlog",
    "prescription",
    "physionote",
]


def assert_not_found(response):
    """The admin answers 'doesn't exist' (redirect to the index) or 404 for objects outside its queryset."""
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")
    else:
        assert response.status_code in (403, 404)


# --- patients and anonymous visitors -------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/tracker/patientprofile/", "/admin/tracker/girthmeasurement/"]
)
def test_patients_are_sent_to_the_admin_login(client, patient_a, path):
    client.force_login(patient_a)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_patient_cannot_fetch_admin_charts_of_herself(client, patient_a):
    client.force_login(patient_a)
    url = reverse("admin:tracker_patientprofile_chart", args=[patient_a.profile.pk, "girth", "svg"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_visitors_are_sent_to_the_admin_login(client, records_a):
    response = client.get(admin_url("patientprofile", records_a["patientprofile"], "change"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- physio A and physio B's patients -------------------------------------------------------------


@pytest.mark.parametrize("name", SCOPED_ADMINS)
def test_changelist_lists_own_records_only(client_a, records_a, records_b, name):
    response = client_a.get(admin_url(name, None, "changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert records_a[name] in shown
    assert records_b[name] not in shown
    assert MARKER_B not in response.content.decode()
    assert "pat_b" not in response.content.decode()


@pytest.mark.parametrize("action", ["change", "delete", "history"])
@pytest.mark.parametrize("name", SCOPED_ADMINS)
def test_other_physios_objects_are_not_found(client_a, records_a, records_b, name, action):
    response = client_a.get(admin_url(name, records_b[name], action))
    assert_not_found(response)
    followed = client_a.get(admin_url(name, records_b[name], action), follow=True)
    page = followed.content.decode()
    assert MARKER_B not in page and "pat_b" not in page and "Zebediah" not in page
    if response.status_code == 302:
        assert "doesn’t exist" in text_of(followed)


@pytest.mark.parametrize("action", ["change", "history"])
@pytest.mark.parametrize("name", SCOPED_ADMINS)
def test_own_objects_open(client_a, records_a, name, action):
    response = client_a.get(admin_url(name, records_a[name], action))
    assert response.status_code == 200


def test_posting_a_change_to_another_physios_record_changes_nothing(client_a, records_b):
    girth = records_b["girthmeasurement"]
    response = client_a.post(
        admin_url("girthmeasurement", girth, "change"),
        {"patient": girth.patient_id, "date": girth.date.isoformat(), "site": "tt10", "left_1": "20.0",
         "right_1": "20.0", "measured_by": "self", "notes": ""},
    )
    assert_not_found(response)
    girth.refresh_from_db()
    assert girth.left_1 == Decimal("41.3")


def test_deleting_another_physios_prescription_is_refused(client_a, records_b):
    prescription = records_b["prescription"]
    response = client_a.post(admin_url("prescription", prescription, "delete"), {"post": "yes"})
    assert_not_found(response)
    assert Prescription.objects.filter(pk=prescription.pk).exists()


def test_own_prescription_can_be_deleted(client_a, records_a):
    prescription = records_a["prescription"]
    response = client_a.post(admin_url("prescription", prescription, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Prescription.objects.filter(pk=prescription.pk).exists()


def test_patient_choices_are_her_patients_only(client_a, patient_a, patient_b):
    response = client_a.get(reverse("admin:tracker_girthmeasurement_add"))
    assert response.status_code == 200
    choices = list(response.context["adminform"].form.fields["patient"].queryset)
    assert choices == [patient_a]
    assert "pat_b" not in response.content.decode()


def test_adding_a_record_for_another_physios_patient_is_refused(client_a, patient_b):
    response = client_a.post(
        reverse("admin:tracker_prescription_add"),
        {"patient": patient_b.pk, "exercise": 1, "side": "both", "sets": 3, "reps": 15, "load_kg": "0",
         "times_per_week": 3, "start_date": "2024-01-01", "active": "on"},
    )
    assert response.status_code == 200  # the form comes back with an error on `patient`
    assert "patient" in response.context["adminform"].form.errors
    assert not Prescription.objects.filter(patient=patient_b).exists()


def test_patient_filter_lists_only_her_patients(client_a, physio_a, records_a, records_b):
    second = make_patient(physio_a, username="pat_a2")
    GirthMeasurementFactory(patient=second)
    response = client_a.get(reverse("admin:tracker_girthmeasurement_changelist"))
    [patient_filter] = [spec for spec in response.context["cl"].filter_specs if spec.field_path == "patient"]
    listed = {pk for pk, _name in patient_filter.lookup_choices}
    assert listed == {records_a["patientprofile"].user_id, second.pk}
    assert records_b["patientprofile"].user.display_name() not in response.content.decode()
    query = f"?patient__id__exact={records_b['patientprofile'].user_id}"
    filtered = client_a.get(reverse("admin:tracker_girthmeasurement_changelist") + query)
    assert list(filtered.context["cl"].result_list) == []


def test_the_user_admin_is_for_superusers_only(client_a, patient_b):
    assert client_a.get(reverse("admin:tracker_user_changelist")).status_code == 403
    assert client_a.get(reverse("admin:tracker_user_change", args=[patient_b.pk])).status_code == 403


def test_autocomplete_of_patients_is_refused(client_a, patient_b):
    response = client_a.get(
        "/admin/autocomplete/",
        {"app_label": "tracker", "model_name": "girthmeasurement", "field_name": "patient", "term": "pat"},
    )
    assert response.status_code in (403, 404)
    assert "pat_b" not in response.content.decode()


@pytest.mark.parametrize("view", ["chart", "report", "export", "mark_reviewed", "programme"])
def test_review_urls_of_another_physios_patient_are_404(client_a, records_b, view):
    profile = records_b["patientprofile"]
    args = [profile.pk, "girth", "svg"] if view == "chart" else [profile.pk]
    url = reverse(f"admin:tracker_patientprofile_{view}", args=args)
    if view in ("mark_reviewed", "programme"):
        response = client_a.post(url, {"template": "alfredson", "start_date": "2024-01-01"})
    else:
        response = client_a.get(url)
    assert response.status_code == 404
    assert PhysioNote.objects.filter(patient=profile.user, is_review=True).count() == 0
    assert Prescription.objects.filter(patient=profile.user).count() == 1


def test_review_urls_reject_non_numeric_ids(client_a):
    assert client_a.get("/admin/tracker/patientprofile/abc/chart/girth.svg").status_code == 404


def test_actions_ignore_another_physios_patients(client_a, records_a, records_b):
    profile_b = records_b["patientprofile"]
    response = client_a.post(
        reverse("admin:tracker_patientprofile_changelist"),
        {"action": "mark_reviewed", "_selected_action": [profile_b.pk]},
    )
    assert response.status_code in (200, 302)
    assert not PhysioNote.objects.filter(patient=profile_b.user, is_review=True).exists()


def test_session_and_symptom_admins_are_read_only_for_physios(client_a, records_a):
    session, symptoms = records_a["exercisesession"], records_a["symptomlog"]
    response = client_a.get(admin_url("exercisesession", session, "change"))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert "session of pat_a" in response.content.decode()  # the entries inline and fields are shown
    url = admin_url("symptomlog", symptoms, "change")
    post = client_a.post(url, {"date": symptoms.date, "notes": "edited"})
    assert post.status_code == 403
    symptoms.refresh_from_db()
    assert symptoms.notes == "symptoms pat_a"
    assert client_a.get(reverse("admin:tracker_symptomlog_add")).status_code == 403


def test_physio_cannot_delete_measurements(client_a, records_a):
    girth = records_a["girthmeasurement"]
    assert client_a.post(admin_url("girthmeasurement", girth, "delete"), {"post": "yes"}).status_code == 403
    assert GirthMeasurement.objects.filter(pk=girth.pk).exists()


def test_exercise_library_is_shared(client_a, physio_b):
    response = client_a.get(reverse("admin:tracker_exercise_changelist"))
    assert response.status_code == 200
    assert "Eccentric heel drop, knee straight" in response.content.decode()


# --- unassigned patients: visible only through "Unassigned" + "Assign to me" ---------------------


@pytest.fixture
def unassigned(db):
    return PatientFactory(username="pat_free", first_name="Ulla")


def test_unassigned_patients_are_hidden_from_the_caseload(client_a, records_a, unassigned):
    response = client_a.get(reverse("admin:tracker_patientprofile_changelist"))
    assert unassigned.profile not in list(response.context["cl"].result_list)


def test_unassigned_filter_lists_only_unassigned_patients(client_a, records_a, records_b, unassigned):
    response = client_a.get(reverse("admin:tracker_patientprofile_changelist") + "?assignment=unassigned")
    assert list(response.context["cl"].result_list) == [unassigned.profile]
    assert MARKER_B not in response.content.decode()
    # Only "Assign to me" is offered, and the rows are not links to a page she cannot open.
    actions = [value for value, _label in response.context["action_form"].fields["action"].choices if value]
    assert actions == ["assign_to_me"]
    change_url = reverse("admin:tracker_patientprofile_change", args=[unassigned.profile.pk])
    assert change_url not in response.content.decode()


def test_unassigned_patient_page_is_not_found_before_assigning(client_a, unassigned):
    assert_not_found(client_a.get(admin_url("patientprofile", unassigned.profile, "change")))
    chart = reverse("admin:tracker_patientprofile_chart", args=[unassigned.profile.pk, "girth", "svg"])
    assert client_a.get(chart).status_code == 404


def test_assign_to_me(client_a, physio_a, unassigned):
    response = client_a.post(
        reverse("admin:tracker_patientprofile_changelist") + "?assignment=unassigned",
        {"action": "assign_to_me", "_selected_action": [unassigned.profile.pk]},
        follow=True,
    )
    assert "1 patient(s) assigned to you." in text_of(response)
    unassigned.profile.refresh_from_db()
    assert unassigned.profile.physio == physio_a
    assert client_a.get(admin_url("patientprofile", unassigned.profile, "change")).status_code == 200


def test_assign_to_me_never_takes_another_physios_patient(client_a, physio_b, records_b):
    profile_b = records_b["patientprofile"]
    for url in ("?assignment=unassigned", ""):
        client_a.post(
            reverse("admin:tracker_patientprofile_changelist") + url,
            {"action": "assign_to_me", "_selected_action": [profile_b.pk]},
        )
    profile_b.refresh_from_db()
    assert profile_b.physio == physio_b


def test_other_actions_are_not_offered_on_unassigned_patients(client_a, unassigned):
    client_a.post(
        reverse("admin:tracker_patientprofile_changelist") + "?assignment=unassigned",
        {"action": "mark_reviewed", "_selected_action": [unassigned.profile.pk]},
    )
    assert not PhysioNote.objects.filter(patient=unassigned).exists()


def test_staff_outside_the_physio_group_cannot_assign(client, unassigned):
    staff = UserFactory(username="receptionist", is_staff=True)
    staff.user_permissions.set(Group.objects.get(name=PHYSIO_GROUP).permissions.all())
    client.force_login(staff)
    client.post(
        reverse("admin:tracker_patientprofile_changelist") + "?assignment=unassigned",
        {"action": "assign_to_me", "_selected_action": [unassigned.profile.pk]},
    )
    unassigned.profile.refresh_from_db()
    assert unassigned.profile.physio is None


# --- superusers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SCOPED_ADMINS)
def test_superuser_sees_everything(admin_client, records_a, records_b, name):
    response = admin_client.get(admin_url(name, None, "changelist"))
    shown = list(response.context["cl"].result_list)
    assert records_a[name] in shown and records_b[name] in shown
    assert admin_client.get(admin_url(name, records_b[name], "change")).status_code == 200


def test_superuser_opens_any_chart(admin_client, records_b):
    url = reverse("admin:tracker_patientprofile_chart", args=[records_b["patientprofile"].pk, "girth", "svg"])
    assert admin_client.get(url).status_code == 200


def test_patient_profile_count_in_db_is_unchanged_by_browsing(client_a, records_a, records_b):
    before = PatientProfile.objects.count()
    client_a.get(reverse("admin:tracker_patientprofile_changelist"))
    assert PatientProfile.objects.count() == before
    assert User.objects.filter(username="pat_b").exists()
    assert SymptomLog.objects.count() == 2


# --- no query per row on the record lists ------------------------------------------------------------


def changelist_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(admin_url(name, None, "changelist"))
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("name", SCOPED_ADMINS)
def test_changelists_use_the_same_queries_for_3_and_30_rows(client_a, physio_a, name):
    for index in range(3):
        make_records(make_patient(physio_a, username=f"few{index}"), note_text="note")
    with_3 = changelist_queries(client_a, name)
    for index in range(27):
        make_records(make_patient(physio_a, username=f"many{index}"), note_text="note")
    assert changelist_queries(client_a, name) == with_3
