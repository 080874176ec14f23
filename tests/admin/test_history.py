"""Audit history in the admin: versions recorded with who and when, history pages under the caseload
rule, and deleted records found and restored by superusers only."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    GirthMeasurementFactory,
    PhysioFactory,
)
from tests.helpers import make_patient, make_records, text_of
from tracker.models import (
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)
from tracker.services import imports
from tracker.services.restore import RESTORE_REASON

MARKER_B = "Zebediah"
DELETED_URL = reverse("admin:tracker_patientprofile_deleted")
ADMINS = ["patientprofile", "girthmeasurement", "heelrisetest", "exercisesession", "symptomlog",
          "prescription", "physionote"]
RECORD_ADMINS = ADMINS[1:]
KINDS = [*ADMINS, "exerciseentry"]
# One field per kind to change, and the new value.
CHANGES = {
    "patientprofile": ("condition", "Left calf, changed"),
    "girthmeasurement": ("notes", "changed"),
    "heelrisetest": ("notes", "changed"),
    "exercisesession": ("notes", "changed"),
    "exerciseentry": ("sets", 4),
    "symptomlog": ("notes", "changed"),
    "prescription": ("notes", "changed"),
    "physionote": ("text", "changed"),
}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def physio_a(db):
    return PhysioFactory(username="physio_a", first_name="Alice", last_name="Archer")


@pytest.fixture
def physio_b(db):
    return PhysioFactory(username="physio_b", first_name="Beatrix")


@pytest.fixture
def patient_a(physio_a):
    return make_patient(physio_a, username="pat_a", first_name="Amelia")


@pytest.fixture
def patient_b(physio_b):
    return make_patient(physio_b, username="pat_b", first_name=MARKER_B)


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


def history_url(name: str, pk: int) -> str:
    return reverse(f"admin:tracker_{name}_history", args=[pk])


def version_url(name: str, pk: int, history_id: int) -> str:
    return reverse(f"admin:tracker_{name}_simple_history", args=[pk, history_id])


def restore_url(kind: str, history_id: int) -> str:
    return reverse("admin:tracker_patientprofile_restore", args=[kind, history_id])


def types_of(obj) -> list[str]:
    rows = type(obj).history.filter(id=obj.pk).order_by("history_id")
    return list(rows.values_list("history_type", flat=True))


def delete(obj):
    """Delete obj (keeping its pk on the instance) and return its deletion row in the history."""
    pk = obj.pk
    obj.delete()
    obj.pk = pk
    return type(obj).history.get(id=pk, history_type="-")


def deletion_row(obj):
    return type(obj).history.get(id=obj.pk, history_type="-")


def girth_form(girth, **overrides) -> dict:
    data = {
        "patient": girth.patient_id, "date": girth.date.isoformat(), "site": girth.site,
        "left_1": str(girth.left_1), "left_2": "", "left_3": "",
        "right_1": str(girth.right_1), "right_2": "", "right_3": "",
        "measured_by": girth.measured_by, "notes": girth.notes,
    }
    data.update(overrides)
    return data


# --- versions are recorded ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", KINDS)
def test_history_is_recorded_on_create_change_and_delete(records_a, name):
    obj = records_a[name]
    before = types_of(obj)
    assert before[0] == "+"
    field, value = CHANGES[name]
    setattr(obj, field, value)
    obj.save()
    pk = obj.pk
    assert types_of(obj) == [*before, "~"]
    assert getattr(type(obj).history.filter(id=pk).latest("history_id"), field) == value
    obj.delete()
    obj.pk = pk
    assert types_of(obj) == [*before, "~", "-"]


def test_a_change_in_the_admin_is_recorded_with_the_physio(client_a, physio_a, records_a):
    girth = records_a["girthmeasurement"]
    url = reverse("admin:tracker_girthmeasurement_change", args=[girth.pk])
    response = client_a.post(url, girth_form(girth, left_1="41.9", notes="Measured again in clinic"))
    assert response.status_code == 302
    latest = GirthMeasurement.history.filter(id=girth.pk).latest("history_id")
    assert (latest.history_type, latest.history_user, latest.left_1) == ("~", physio_a, Decimal("41.9"))


def test_a_change_on_the_patients_own_page_is_recorded_with_her(client, patient_a, records_a):
    girth = records_a["girthmeasurement"]
    client.force_login(patient_a)
    url = reverse("measurement_edit", args=[girth.pk])
    response = client.post(url, girth_form(girth, notes="typo fixed"))
    assert response.status_code == 302
    latest = GirthMeasurement.history.filter(id=girth.pk).latest("history_id")
    assert (latest.history_type, latest.history_user, latest.notes) == ("~", patient_a, "typo fixed")


def test_a_delete_on_the_patients_own_page_is_recorded_with_her(client, patient_a, records_a):
    girth = records_a["girthmeasurement"]
    client.force_login(patient_a)
    response = client.post(reverse("measurement_delete", args=[girth.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert not GirthMeasurement.objects.filter(pk=girth.pk).exists()
    row = deletion_row(girth)
    assert row.history_user == patient_a
    assert row.notes == "girth pat_a" and row.left_1 == Decimal("41.3")  # the last version is kept


def test_csv_import_records_a_created_version_by_the_importer(client, patient_a):
    client.force_login(patient_a)
    content = "date,site,left_cm,right_cm\n2024-05-01,tt10,34.2,37.6\n2024-05-08,max,36.0,38.0\n"
    url = reverse("import_measurements")
    upload = SimpleUploadedFile("m.csv", content.encode(), "text/csv")
    client.post(url, {"file": upload, "date_format": "iso"})
    client.post(url, {"confirm": "yes"})
    stored = GirthMeasurement.objects.filter(patient=patient_a)
    assert stored.count() == 2
    rows = GirthMeasurement.history.filter(id__in=stored.values("pk"))
    assert sorted((row.history_type, row.history_user_id) for row in rows) == [("+", patient_a.pk)] * 2


def test_import_rows_records_history_outside_a_request(patient_a):
    values = {"date": "2024-05-01", "site": "tt10", "left": ["34.2"], "right": ["37.6"],
              "measured_by": "self", "notes": ""}
    assert imports.import_rows(patient_a, [values]) == (1, 0)
    row = GirthMeasurement.history.get(patient=patient_a, date=datetime.date(2024, 5, 1))
    assert (row.history_type, row.history_user) == ("+", patient_a)


def test_mark_reviewed_records_the_review_note_in_history(client_a, physio_a, records_a):
    profile = records_a["patientprofile"]
    response = client_a.post(reverse("admin:tracker_patientprofile_mark_reviewed", args=[profile.pk]))
    assert response.status_code == 302
    note = PhysioNote.objects.get(patient=profile.user, is_review=True)
    row = PhysioNote.history.get(id=note.pk)
    assert (row.history_type, row.history_user) == ("+", physio_a)


# --- history pages: the assigned physio -------------------------------------------------------------


def test_history_page_lists_each_version_with_who_when_and_what(client_a, physio_a, records_a):
    girth = records_a["girthmeasurement"]
    url = reverse("admin:tracker_girthmeasurement_change", args=[girth.pk])
    client_a.post(url, girth_form(girth, left_1="41.9", notes="Measured again"))
    response = client_a.get(history_url("girthmeasurement", girth.pk))
    assert response.status_code == 200
    versions = list(response.context["page_obj"].object_list)
    assert [v.history_type for v in versions] == ["~", "+"]
    page = text_of(response)
    assert "Changed" in page and "Created" in page
    assert "Alice Archer (physio_a)" in page
    assert "Left reading 1: 41.3 → 41.9" in page
    assert "Notes: girth pat_a → Measured again" in page
    for version in versions:
        assert version_url("girthmeasurement", girth.pk, version.history_id) in response.content.decode()


@pytest.mark.parametrize("name", ADMINS)
def test_every_clinical_admin_has_a_history_page_for_her_patients(client_a, records_a, name):
    obj = records_a[name]
    response = client_a.get(history_url(name, obj.pk))
    assert response.status_code == 200
    versions = list(response.context["page_obj"].object_list)
    assert versions and versions[-1].history_type == "+"
    first = version_url(name, obj.pk, versions[-1].history_id)
    assert client_a.get(first).status_code == 200


def test_private_note_history_is_shown_to_her_physio(client_a, records_a):
    note = records_a["physionote"]
    note.text = "Private: discuss scan results"
    note.save()
    response = client_a.get(history_url("physionote", note.pk))
    assert "Private note about Amelia → Private: discuss scan results" in text_of(response)


def test_physio_reverts_her_patients_measurement_to_an_older_version(client_a, physio_a, records_a):
    girth = records_a["girthmeasurement"]
    first = GirthMeasurement.history.get(id=girth.pk, history_type="+")
    girth.notes, girth.left_1 = "wrong", Decimal("50.0")
    girth.save()
    response = client_a.post(version_url("girthmeasurement", girth.pk, first.history_id), girth_form(first))
    assert response.status_code == 302
    girth.refresh_from_db()
    assert (girth.notes, girth.left_1) == ("girth pat_a", Decimal("41.3"))
    latest = GirthMeasurement.history.filter(id=girth.pk).latest("history_id")
    assert (latest.history_type, latest.history_user) == ("~", physio_a)


def test_physio_cannot_revert_what_the_patient_logs(client_a, records_a):
    symptoms = records_a["symptomlog"]
    first = SymptomLog.history.get(id=symptoms.pk, history_type="+")
    symptoms.notes = "edited by her"
    symptoms.save()
    url = version_url("symptomlog", symptoms.pk, first.history_id)
    response = client_a.get(url)
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    assert 'name="_save"' not in response.content.decode()
    post = client_a.post(url, {"date": symptoms.date.isoformat(), "night_cramps": 1, "notes": "reverted"})
    assert post.status_code == 403
    symptoms.refresh_from_db()
    assert symptoms.notes == "edited by her"


def test_reverting_a_profile_never_changes_the_assigned_physio(client_a, physio_a, physio_b):
    patient = make_patient(physio_b, username="moved", first_name="Mona")
    patient.profile.physio = physio_a
    patient.profile.condition = "now hers"
    patient.profile.save()
    old = PatientProfile.history.filter(id=patient.profile.pk, physio=physio_b).latest("history_id")
    response = client_a.post(
        version_url("patientprofile", patient.profile.pk, old.history_id),
        {"affected_side": "left", "condition": old.condition, "onset_date": "", "target_lsi": "90.0",
         "sex": "", "birth_year": "", "unit": "cm"},
    )
    assert response.status_code == 302
    patient.profile.refresh_from_db()
    assert patient.profile.condition == old.condition
    assert patient.profile.physio == physio_a


def test_history_page_query_count_does_not_grow_with_versions(client_a, records_a, physio_a):
    prescription = records_a["prescription"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client_a.get(history_url("prescription", prescription.pk))
        assert response.status_code == 200
        return len(context.captured_queries)

    for sets in (4, 5):
        prescription.sets = sets
        prescription.save()
    with_3 = queries()
    for sets in range(6, 20):
        prescription.sets, prescription.prescribed_by = sets, physio_a if sets % 2 else None
        prescription.save()
        prescription.notes = f"{sets}"
        prescription.save()
    assert Prescription.history.filter(id=prescription.pk).count() == 31
    assert queries() == with_3


# --- history pages: nobody else ---------------------------------------------------------------------


def assert_hidden(response):
    assert response.status_code == 404
    page = response.content.decode()
    assert MARKER_B not in page and "pat_b" not in page and "Zebediah" not in page


@pytest.mark.parametrize("name", ADMINS)
def test_another_physios_history_urls_are_not_found(client_a, records_a, records_b, name):
    obj = records_b[name]
    versions = type(obj).history.filter(id=obj.pk)
    first, count = versions.earliest("history_id"), versions.count()
    assert_hidden(client_a.get(history_url(name, obj.pk)))
    assert_hidden(client_a.get(version_url(name, obj.pk, first.history_id)))
    assert_hidden(client_a.post(version_url(name, obj.pk, first.history_id), {}))
    assert versions.count() == count  # nothing saved by the revert


def test_reverting_another_physios_record_with_a_valid_form_changes_nothing(client_a, records_b):
    girth = records_b["girthmeasurement"]
    first = GirthMeasurement.history.get(id=girth.pk, history_type="+")
    girth.notes = "current"
    girth.save()
    response = client_a.post(version_url("girthmeasurement", girth.pk, first.history_id), girth_form(first))
    assert response.status_code == 404
    girth.refresh_from_db()
    assert girth.notes == "current"


@pytest.mark.parametrize("name", RECORD_ADMINS)
def test_another_physios_deleted_record_history_is_not_found(client_a, records_b, name):
    obj = records_b[name]
    pk = obj.pk
    delete(obj)
    row = type(obj).history.get(id=pk, history_type="-")
    assert_hidden(client_a.get(history_url(name, pk)))
    assert_hidden(client_a.get(version_url(name, pk, row.history_id)))
    assert_hidden(client_a.post(version_url(name, pk, row.history_id), {}))
    assert not type(obj).objects.filter(pk=pk).exists()


def test_her_own_patients_deleted_record_is_for_superusers_only(client_a, admin_client, records_a):
    girth = records_a["girthmeasurement"]
    pk = girth.pk
    delete(girth)
    row = GirthMeasurement.history.get(id=pk, history_type="-")
    assert client_a.get(history_url("girthmeasurement", pk)).status_code == 404
    assert client_a.get(version_url("girthmeasurement", pk, row.history_id)).status_code == 404
    response = admin_client.get(history_url("girthmeasurement", pk))
    assert response.status_code == 200
    assert "This record is deleted." in text_of(response)
    assert [v.history_type for v in response.context["page_obj"].object_list] == ["-", "+"]


def test_a_version_of_another_record_is_not_found(client_a, records_a):
    girth = records_a["girthmeasurement"]
    other = GirthMeasurementFactory(patient=girth.patient)
    other_version = GirthMeasurement.history.get(id=other.pk)
    url = version_url("girthmeasurement", girth.pk, other_version.history_id)
    assert client_a.get(url).status_code == 404


@pytest.mark.parametrize("path", ["abc/history/", "1/history/abc/", "99999/history/", "99999/history/1/"])
def test_bad_or_unknown_ids_are_not_found(admin_client, client_a, records_a, path):
    for client in (admin_client, client_a):
        assert client.get(f"/admin/tracker/girthmeasurement/{path}").status_code == 404


def test_patients_cannot_reach_history_pages(client, patient_a, records_a):
    client.force_login(patient_a)
    response = client.get(history_url("physionote", records_a["physionote"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- deleted records: the list ------------------------------------------------------------------------


def test_deleted_records_page_requires_admin_login(client, patient_a):
    response = client.get(DELETED_URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(patient_a)
    response = client.get(DELETED_URL)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_deleted_records_are_not_found_for_physios(client_a, records_a):
    girth = records_a["girthmeasurement"]
    delete(girth)
    row = GirthMeasurement.history.get(history_type="-")
    assert client_a.get(DELETED_URL).status_code == 404
    assert client_a.post(restore_url("girthmeasurement", row.history_id)).status_code == 404
    assert not GirthMeasurement.objects.filter(pk=row.id).exists()


def test_superuser_lists_deleted_records_with_kind_patient_and_who(client, admin_client, patient_a,
                                                                    records_a):
    girth = records_a["girthmeasurement"]
    client.force_login(patient_a)
    client.post(reverse("measurement_delete", args=[girth.pk]), {"confirm": "yes"})
    delete(records_a["physionote"])
    response = admin_client.get(DELETED_URL)
    assert response.status_code == 200
    listed = [(r.kind, r.patient, r.deleted_by) for r in response.context["records"]]
    assert listed == [("physionote", patient_a, None), ("girthmeasurement", patient_a, patient_a)]
    page = text_of(response)
    assert "Girth measurement" in page and str(girth) in page and "Amelia" in page and "(pat_a)" in page
    assert response.content.decode().count(">Restore</button>") == 2


def test_a_deleted_session_is_listed_once_with_its_entries(admin_client, records_a):
    session = records_a["exercisesession"]
    ExerciseEntryFactory(session=session)
    delete(session)
    records = admin_client.get(DELETED_URL).context["records"]
    assert [(r.kind, r.entries) for r in records] == [("exercisesession", 2)]
    assert "(with 2 exercise entries)" in text_of(admin_client.get(DELETED_URL))


def test_deleted_records_filters(admin_client, records_a, records_b, patient_a):
    for records in (records_a, records_b):
        delete(records["girthmeasurement"])
        delete(records["heelrisetest"])
    every = admin_client.get(DELETED_URL).context["records"]
    assert len(every) == 4
    girths = admin_client.get(DELETED_URL, {"type": "girthmeasurement"}).context["records"]
    assert {r.kind for r in girths} == {"girthmeasurement"} and len(girths) == 2
    hers = admin_client.get(DELETED_URL, {"patient": patient_a.pk}).context["records"]
    assert {r.patient for r in hers} == {patient_a} and len(hers) == 2
    both = admin_client.get(DELETED_URL, {"patient": patient_a.pk, "type": "heelrisetest"}).context["records"]
    assert [(r.kind, r.patient) for r in both] == [("heelrisetest", patient_a)]
    junk = admin_client.get(DELETED_URL, {"patient": "x", "type": "user", "page": "99"})
    assert junk.status_code == 200 and len(junk.context["records"]) == 4


def test_records_of_a_closed_account_are_not_offered(admin_client, records_a, patient_a):
    girth = records_a["girthmeasurement"]
    delete(girth)
    row = GirthMeasurement.history.get(id=girth.pk, history_type="-")
    patient_a.delete()
    assert admin_client.get(DELETED_URL).context["records"] == []
    response = admin_client.post(restore_url("girthmeasurement", row.history_id), follow=True)
    assert "Nothing restored" in messages_of(response)[0]
    assert not GirthMeasurement.objects.exists()


def test_deleted_records_page_query_count_does_not_grow(admin_client, physio_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get(DELETED_URL)
        assert response.status_code == 200
        return len(context.captured_queries)

    def delete_some(count: int) -> None:
        for index in range(count):
            records = make_records(make_patient(physio_a, username=f"p{count}_{index}"), note_text="n")
            for name in ("girthmeasurement", "prescription", "exercisesession", "physionote"):
                delete(records[name])

    delete_some(1)
    with_4 = queries()
    delete_some(8)
    assert len(admin_client.get(DELETED_URL).context["records"]) == 25
    assert queries() == with_4


def test_links_to_deleted_records_are_for_superusers(admin_client, client_a, records_a):
    change = reverse("admin:tracker_patientprofile_change", args=[records_a["patientprofile"].pk])
    for url in (reverse("admin:index"), reverse("admin:tracker_patientprofile_changelist"), change):
        assert DELETED_URL in admin_client.get(url).content.decode()
        assert DELETED_URL not in client_a.get(url).content.decode()


# --- deleted records: restore -------------------------------------------------------------------------


def test_restore_brings_the_record_back_as_it_was(client, admin_client, admin_user, patient_a, records_a):
    girth = records_a["girthmeasurement"]
    before = GirthMeasurement.objects.filter(pk=girth.pk).values().get()
    client.force_login(patient_a)
    client.post(reverse("measurement_delete", args=[girth.pk]), {"confirm": "yes"})
    row = deletion_row(girth)

    response = admin_client.post(restore_url("girthmeasurement", row.history_id), follow=True)
    assert response.redirect_chain[0][0] == reverse("admin:tracker_girthmeasurement_change", args=[girth.pk])
    assert messages_of(response) == [f"Restored: Girth measurement “{girth}”."]
    after = GirthMeasurement.objects.filter(pk=girth.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    latest = GirthMeasurement.history.filter(id=girth.pk).latest("history_id")
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "+", admin_user, RESTORE_REASON
    )
    assert latest.created_at == before["created_at"]
    history = text_of(admin_client.get(history_url("girthmeasurement", girth.pk)))
    assert RESTORE_REASON in history
    assert admin_client.get(DELETED_URL).context["records"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_record_can_be_restored(admin_client, records_a, kind):
    obj = records_a[kind]
    model, pk = type(obj), obj.pk
    delete(obj)
    row = model.history.get(id=pk, history_type="-")
    response = admin_client.post(restore_url(kind, row.history_id), follow=True)
    assert messages_of(response)[0].startswith("Restored: ")
    assert model.objects.filter(pk=pk).exists()


def test_restore_is_post_only(admin_client, records_a):
    girth = records_a["girthmeasurement"]
    delete(girth)
    row = GirthMeasurement.history.get(history_type="-")
    assert admin_client.get(restore_url("girthmeasurement", row.history_id)).status_code == 405
    assert not GirthMeasurement.objects.exists()


def test_restore_of_unknown_kinds_and_rows_is_not_found(admin_client, records_a):
    girth = records_a["girthmeasurement"]
    live_row = GirthMeasurement.history.get(id=girth.pk)
    assert admin_client.post(restore_url("user", 1)).status_code == 404
    assert admin_client.post(restore_url("girthmeasurement", 999999)).status_code == 404
    assert admin_client.post(restore_url("girthmeasurement", live_row.history_id)).status_code == 404


def test_restore_that_clashes_with_a_newer_record_says_why(admin_client, records_a):
    girth = records_a["girthmeasurement"]
    delete(girth)
    row = deletion_row(girth)
    newer = GirthMeasurementFactory(patient=girth.patient, date=girth.date, site=girth.site)
    response = admin_client.post(restore_url("girthmeasurement", row.history_id), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == DELETED_URL
    message = messages_of(response)[0]
    assert message.startswith("Nothing restored.") and "already exists" in message
    assert list(GirthMeasurement.objects.all()) == [newer]


def test_restoring_twice_restores_once(admin_client, records_a):
    symptoms = records_a["symptomlog"]
    delete(symptoms)
    row = deletion_row(symptoms)
    first = admin_client.post(restore_url("symptomlog", row.history_id), follow=True)
    assert messages_of(first)[0].startswith("Restored: ")
    response = admin_client.post(restore_url("symptomlog", row.history_id), follow=True)
    assert "Nothing restored" in messages_of(response)[0]
    assert SymptomLog.objects.filter(pk=symptoms.pk).count() == 1
    assert SymptomLog.history.filter(id=symptoms.pk, history_type="+").count() == 2


def test_restoring_a_session_brings_back_the_entries_deleted_with_it(client, admin_client, patient_a,
                                                                     records_a):
    session = records_a["exercisesession"]
    kept = [records_a["exerciseentry"], ExerciseEntryFactory(session=session, sets=5)]
    removed_earlier = ExerciseEntryFactory(session=session, sets=2)
    delete(removed_earlier)
    ExerciseEntry.history.filter(id=removed_earlier.pk, history_type="-").update(
        history_date=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(patient_a)
    assert client.post(reverse("session_delete", args=[session.pk]), {"confirm": "yes"}).status_code == 302
    assert not ExerciseEntry.objects.exists()

    row = deletion_row(session)
    response = admin_client.post(restore_url("exercisesession", row.history_id), follow=True)
    assert messages_of(response) == [f"Restored: Exercise session “{session}” with 2 exercise entries."]
    assert ExerciseSession.objects.filter(pk=session.pk).exists()
    assert sorted(ExerciseEntry.objects.values_list("pk", "sets")) == sorted((e.pk, e.sets) for e in kept)
    # The entry she removed before deleting the session stays deleted, and can now be restored alone.
    listed = admin_client.get(DELETED_URL).context["records"]
    assert [(r.kind, r.history_id) for r in listed] == [
        ("exerciseentry", ExerciseEntry.history.get(id=removed_earlier.pk, history_type="-").history_id)
    ]


def test_a_session_restore_is_all_or_nothing(admin_client, records_a):
    session = records_a["exercisesession"]
    entry = records_a["exerciseentry"]
    delete(session)
    # The entry's exercise has gone from the library meanwhile: the entry cannot come back.
    ExerciseEntry.history.filter(id=entry.pk).update(exercise_id=999999)
    url = restore_url("exercisesession", deletion_row(session).history_id)
    response = admin_client.post(url, follow=True)
    assert messages_of(response)[0].startswith("Nothing restored. Exercise entry")
    assert not ExerciseSession.objects.exists() and not ExerciseEntry.objects.exists()


def test_restore_clears_a_link_to_a_user_removed_since(admin_client, records_a, physio_b):
    prescription = records_a["prescription"]
    prescription.prescribed_by = physio_b
    prescription.save()
    delete(prescription)
    row = deletion_row(prescription)
    physio_b.delete()
    admin_client.post(restore_url("prescription", row.history_id))
    restored = Prescription.objects.get(pk=prescription.pk)
    assert restored.prescribed_by is None and restored.notes == "programme pat_a"


def test_restored_profile_comes_back_to_its_physio(admin_client, records_a, physio_a):
    profile = records_a["patientprofile"]
    user = profile.user
    delete(profile)
    admin_client.post(restore_url("patientprofile", deletion_row(profile).history_id))
    restored = PatientProfile.objects.get(pk=profile.pk)
    assert (restored.user, restored.physio) == (user, physio_a)
    assert User.objects.filter(pk=user.pk).exists()


def test_versions_from_when_a_record_belonged_to_another_physios_patient_are_hidden(
    client_a, records_b, patient_a
):
    girth = records_b["girthmeasurement"]
    girth.notes = "Zebediah's own words"
    girth.save()
    girth.patient, girth.notes = patient_a, "filed under Amelia"  # a superuser moves a misfiled record
    girth.save()
    response = client_a.get(history_url("girthmeasurement", girth.pk))
    assert response.status_code == 200
    assert [v.notes for v in response.context["page_obj"].object_list] == ["filed under Amelia"]
    assert "Zebediah" not in response.content.decode()
    old = GirthMeasurement.history.filter(id=girth.pk, patient=records_b["patientprofile"].user).first()
    assert client_a.get(version_url("girthmeasurement", girth.pk, old.history_id)).status_code == 404
