"""Her data is hers: /account/export/ (a zip of everything) and /account/delete/ (gone for good)."""

import csv
import datetime
import io
import json
import re
import zipfile

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    PASSWORD,
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    MessageFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    QuestionnaireAssignmentFactory,
    QuestionnaireResponseFactory,
    SymptomLogFactory,
)
from tests.helpers import log_in
from tracker.models import (
    AlertSettings,
    ApiToken,
    ClosedAccount,
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    PatientProfile,
    PhysioNote,
    Prescription,
    ReminderSettings,
    SentReminder,
    SymptomLog,
    TriageSeen,
    User,
)

EXPORT_URL = reverse("account_export")
DELETE_URL = reverse("account_delete")
TODAY = timezone.localdate()
CSV_FILES = ("measurements.csv", "heel-rise.csv", "exercise-sessions.csv", "symptoms.csv")


def give_records(user: User, *, tag: str) -> None:
    """One of every record type, each note marked with `tag` so it can be searched for."""
    GirthMeasurementFactory(patient=user, notes=f"{tag} girth", left_1="33.0", left_2="33.4", right_1="37.0")
    HeelRiseTestFactory(patient=user, notes=f"{tag} heel rise")
    session = ExerciseSessionFactory(patient=user, notes=f"{tag} session")
    ExerciseEntryFactory(session=session, reps=14)
    SymptomLogFactory(patient=user, notes=f"{tag} check-in", tp_left_upper_medial=True, flag_numbness=True)
    PrescriptionFactory(patient=user, notes=f"{tag} prescription")
    PhysioNoteFactory(patient=user, text=f"{tag} shared note", visible_to_patient=True)
    PhysioNoteFactory(patient=user, text=f"{tag} private note", visible_to_patient=False)
    MessageFactory(patient=user, text=f"{tag} message")
    TriageSeen.objects.create(physio=PhysioFactory(), patient=user, seen_at=timezone.now())
    ApiToken.objects.create(user=user, name=f"{tag} phone", prefix="abc123", digest=f"{tag:0<64}"[:64])
    assignment = QuestionnaireAssignmentFactory(patient=user)
    QuestionnaireResponseFactory(patient=user, assignment=assignment)
    ReminderSettings.objects.create(user=user, enabled=True)
    SentReminder.objects.create(user=user, kind="session", local_date=timezone.localdate())
    AlertSettings.objects.create(user=user)  # a physio's settings; a staff member may be a patient too


def download(client: Client) -> zipfile.ZipFile:
    response = client.post(EXPORT_URL)
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


# --- export ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORT_URL, DELETE_URL])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_requires_login(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("url", [EXPORT_URL, DELETE_URL])
def test_a_physio_without_patient_data_is_sent_to_the_admin(client, physio, url):
    client.force_login(physio)
    for response in (client.get(url), client.post(url, {"password": PASSWORD})):
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")
    assert User.objects.filter(pk=physio.pk).exists()


@pytest.mark.parametrize("url", [EXPORT_URL, DELETE_URL])
def test_other_methods_are_rejected(patient_client, url):
    assert patient_client.put(url).status_code == 405
    assert patient_client.delete(url).status_code == 405


def test_export_page_explains_what_is_in_the_file(patient_client, patient):
    give_records(patient, tag="anna")
    GirthMeasurementFactory(patient=patient)

    response = patient_client.get(EXPORT_URL)

    assert response.status_code == 200
    text = response.text
    assert text.count("<h1") == 1
    assert "Download your data" in text
    assert "data.json" in text
    assert "<td>Calf measurements</td><td class=\"text-end\">2</td>" in text
    assert "<td>Notes from your physiotherapist</td><td class=\"text-end\">1</td>" in text
    assert "<td>Your messages to your physiotherapist</td><td class=\"text-end\">1</td>" in text
    assert 'method="post"' in text and "csrfmiddlewaretoken" in text


def test_export_is_a_dated_zip_with_one_csv_per_record_type_and_a_json_document(patient_client, patient):
    give_records(patient, tag="anna")

    response = patient_client.post(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    expected_name = f"calf-rehab-data-{TODAY.isoformat()}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    assert set(archive.namelist()) == {
        "README.txt", "data.json", *CSV_FILES, "programme.csv", "notes.csv", "messages.csv",
        "questionnaires.csv",
    }


def test_the_csv_files_are_exactly_the_per_type_downloads(patient_client, patient):
    give_records(patient, tag="anna")
    GirthMeasurementFactory(patient=patient, notes="=HYPERLINK(\"http://evil\")")
    archive = download(patient_client)

    url_names = ("export_measurements", "export_heel_rise", "export_sessions", "export_symptoms")
    for name, url_name in zip(CSV_FILES, url_names, strict=True):
        single = patient_client.get(reverse(url_name))
        assert archive.read(name) == single.content, name
    rows = list(csv.reader(io.StringIO(archive.read("measurements.csv").decode())))
    assert len(rows) == 3  # header + 2
    assert "'=HYPERLINK(\"http://evil\")" in [row[-1] for row in rows]  # neutralised as in the download


def test_the_zip_holds_her_programme_and_only_the_notes_shared_with_her(patient_client, patient, physio):
    PrescriptionFactory(patient=patient, notes="=cmd|' /C calc'!A0")
    PhysioNoteFactory(patient=patient, author=physio, text="Shared: add 2 kg.", visible_to_patient=True)
    PhysioNoteFactory(
        patient=patient, author=physio, text="Private: ask about a scan.", visible_to_patient=False
    )
    archive = download(patient_client)
    programme = list(csv.DictReader(io.StringIO(archive.read("programme.csv").decode())))
    assert len(programme) == 1 and programme[0]["notes"].startswith("'=")
    notes = list(csv.DictReader(io.StringIO(archive.read("notes.csv").decode())))
    assert [note["text"] for note in notes] == ["Shared: add 2 kg."]


def test_the_json_document_holds_all_her_data(patient_client, patient, physio):
    patient.first_name, patient.last_name = "Anna", "Berg"
    patient.save()
    PatientProfile.objects.filter(user=patient).update(physio=physio, birth_year=1990, sex="F")
    give_records(patient, tag="anna")

    data = json.loads(download(patient_client).read("data.json"))

    assert data["account"]["username"] == "anna"
    assert data["account"]["last_name"] == "Berg"
    assert data["profile"]["affected_side"] == "left"
    assert data["profile"]["birth_year"] == 1990
    assert data["profile"]["physiotherapist"] == physio.display_name()
    [measurement] = data["measurements"]
    assert measurement["left_readings_cm"] == [33.0, 33.4]
    assert measurement["right_readings_cm"] == [37.0]
    assert measurement["left_mean_cm"] == 33.2
    assert measurement["right_mean_cm"] == 37.0
    assert measurement["lsi_percent"] == pytest.approx(89.7)
    assert measurement["difference_cm"] == pytest.approx(-3.8)
    assert measurement["notes"] == "anna girth"
    [test] = data["heel_rise_tests"]
    assert (test["reps_left"], test["reps_right"], test["lsi_percent"]) == (12, 27, pytest.approx(44.4))
    [session] = data["exercise_sessions"]
    assert session["notes"] == "anna session"
    [entry] = session["entries"]
    assert entry["exercise"] == Exercise.objects.get(slug="single-leg-calf-raise").name
    assert (entry["sets"], entry["reps"], entry["side"], entry["pain_during"]) == (3, 14, "left", 3)
    [log] = data["symptom_logs"]
    assert log["tender_points"] == ["left_upper_medial"]
    assert log["red_flags"] == ["numbness"]
    [prescription] = data["prescriptions"]
    assert (prescription["reps"], prescription["times_per_week"]) == (15, 4)
    assert [note["text"] for note in data["physio_notes"]] == ["anna shared note"]
    assert [message["text"] for message in data["messages"]] == ["anna message"]
    assert [token["name"] for token in data["api_tokens"]] == ["anna phone"]
    assert "digest" not in data["api_tokens"][0]
    [reminders] = data["reminder_settings"]
    assert (reminders["enabled"], reminders["remind_at"]) == (True, "18:00:00")
    assert [sent["kind"] for sent in data["reminders_sent"]] == ["session"]


def test_the_export_holds_nothing_of_others_and_no_private_note(patient_client, patient, other_patient):
    give_records(patient, tag="anna")
    give_records(other_patient, tag="olga")

    archive = download(patient_client)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()

    assert "anna girth" in everything
    assert "olga" not in everything
    assert "private note" not in everything


def test_export_with_no_records_still_works(patient_client):
    data = json.loads(download(patient_client).read("data.json"))
    assert data["measurements"] == [] and data["exercise_sessions"] == []


# --- delete: the page and a wrong password --------------------------------------------------------


def test_delete_page_asks_for_the_password_and_says_what_goes(patient_client, patient, physio):
    PatientProfile.objects.filter(user=patient).update(physio=physio)
    give_records(patient, tag="anna")

    response = patient_client.get(DELETE_URL)

    assert response.status_code == 200
    text = response.text
    assert text.count("<h1") == 1
    assert "This cannot be undone" in text
    assert 'type="password"' in text and 'autocomplete="current-password"' in text
    assert "Exercise sessions: 1" in text
    assert f"{physio.display_name()}, will see that you closed your account" in text
    assert f'href="{EXPORT_URL}"' in text


@pytest.mark.parametrize("password", ["", "wrong-password", PASSWORD.upper()])
def test_a_wrong_password_deletes_nothing(patient_client, patient, password):
    give_records(patient, tag="anna")

    response = patient_client.post(DELETE_URL, {"password": password})

    assert response.status_code == 200
    assert 'aria-describedby="id_password_helptext id_password_error"' in response.text
    assert User.objects.filter(pk=patient.pk).exists()
    assert GirthMeasurement.objects.filter(patient=patient).count() == 1
    assert not ClosedAccount.objects.exists()
    assert patient_client.get(reverse("dashboard")).status_code == 200  # still logged in


def test_a_wrong_password_says_so(patient_client):
    response = patient_client.post(DELETE_URL, {"password": "wrong-password"})
    assert "That is not your password. Nothing was deleted." in response.text


def test_guessing_the_password_on_the_delete_form_is_locked_out_by_axes(patient_client, patient, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert patient_client.post(DELETE_URL, {"password": "wrong-password"}).status_code == 200
    assert patient_client.post(DELETE_URL, {"password": "wrong-password"}).status_code == 429

    response = patient_client.post(DELETE_URL, {"password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    assert User.objects.filter(pk=patient.pk).exists()


@pytest.mark.django_db
def test_a_staff_account_with_a_profile_cannot_delete_itself_here(client):
    staff = PatientFactory(username="staffpatient", is_staff=True)
    client.force_login(staff)

    assert client.get(DELETE_URL).status_code == 404
    assert client.post(DELETE_URL, {"password": PASSWORD}).status_code == 404
    assert User.objects.filter(pk=staff.pk).exists()


# --- delete: the real thing -----------------------------------------------------------------------


def user_references(user_id: int, session_ids: set[int]) -> list[str]:
    """Every row in the database (history included) that still points at the user or her sessions."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            if field.related_model is User:
                wanted = {user_id}
            elif field.related_model is ExerciseSession:
                wanted = session_ids
            else:
                continue
            count = model._base_manager.filter(**{f"{field.attname}__in": wanted}).count()
            if count:
                found.append(f"{model._meta.label}.{field.name}: {count}")
    return found


@pytest.fixture
def anna_logged_in(client, patient, physio):
    """Anna logged in through the real form (so there are session and axes rows), with a history."""
    PatientProfile.objects.filter(user=patient).update(physio=physio)
    give_records(patient, tag="anna")
    assert log_in(client, "anna", PASSWORD)
    # Changes through the web, so the history rows name her as the author.
    client.post(
        reverse("measurement_new"),
        {"date": (TODAY - datetime.timedelta(days=40)).isoformat(), "site": "max", "left_1": "35",
         "right_1": "38", "measured_by": "self"},
    )
    note = PhysioNote.objects.get(patient=patient, visible_to_patient=True)
    client.post(reverse("note_read", args=[note.pk]))
    doomed = ExerciseSessionFactory(patient=patient)
    ExerciseEntryFactory(session=doomed)
    client.post(reverse("session_delete", args=[doomed.pk]), {"confirm": "yes"})
    assert not ExerciseSession.objects.filter(pk=doomed.pk).exists()
    LogEntry.objects.create(
        user=physio,
        content_type=ContentType.objects.get_for_model(SymptomLog),
        object_id=str(SymptomLog.objects.get(patient=patient).pk),
        object_repr="Check-in",
        action_flag=CHANGE,
    )
    return client


def historical_session_ids(user_id: int) -> set[int]:
    model = apps.get_model("tracker", "HistoricalExerciseSession")
    return set(model.objects.filter(patient_id=user_id).values_list("id", flat=True))


def test_deleting_leaves_no_row_that_refers_to_her(anna_logged_in, patient, other_patient, physio):
    user_id = patient.pk
    session_ids = historical_session_ids(user_id)
    assert len(session_ids) == 2
    assert user_references(user_id, session_ids)  # the walker finds her before
    Client().post(reverse("login"), {"username": "anna", "password": "wrong-password"})
    assert AccessAttempt.objects.filter(username="anna").exists()
    assert AccessLog.objects.filter(username="anna").exists()

    response = anna_logged_in.post(DELETE_URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert user_references(user_id, session_ids) == []
    assert not LogEntry.objects.filter(object_repr="Check-in").exists()
    assert not AccessAttempt.objects.filter(username="anna").exists()
    assert not AccessLog.objects.filter(username="anna").exists()
    assert not any(s.get_decoded().get("_auth_user_id") == str(user_id) for s in Session.objects.all())


def test_deleting_logs_her_out_everywhere_and_says_so(anna_logged_in, patient):
    other_device = Client()
    assert log_in(other_device, "anna", PASSWORD)

    response = anna_logged_in.post(DELETE_URL, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Your account and all your data have been deleted" in response.text
    assert not User.objects.filter(username="anna").exists()
    for device in (anna_logged_in, other_device):
        assert device.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


def test_her_physio_sees_that_she_left(anna_logged_in, patient, physio):
    patient.first_name, patient.last_name = "Anna", "Berg"
    patient.save()

    anna_logged_in.post(DELETE_URL, {"password": PASSWORD})

    closed = ClosedAccount.objects.get()
    assert closed.physio == physio
    assert closed.display_name == "Anna Berg"
    assert abs(closed.closed_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_without_a_physio_the_closed_account_has_none(patient_client, patient):
    patient_client.post(DELETE_URL, {"password": PASSWORD})
    assert ClosedAccount.objects.get().physio is None


def test_another_patients_data_is_untouched(anna_logged_in, patient, other_patient, physio):
    give_records(other_patient, tag="olga")
    PatientProfile.objects.filter(user=other_patient).update(physio=physio)
    olga_session_id = ExerciseEntry.objects.get(session__patient=other_patient).session_id

    def olga_rows() -> dict[str, int]:
        counts = {}
        for model in apps.get_app_config("tracker").get_models():
            fields = {f.name for f in model._meta.fields}
            if "patient" in fields:
                counts[model._meta.label] = model._base_manager.filter(patient=other_patient).count()
            elif "user" in fields:
                counts[model._meta.label] = model._base_manager.filter(user=other_patient).count()
            elif "session" in fields:
                counts[model._meta.label] = model._base_manager.filter(session_id=olga_session_id).count()
        return counts

    before = olga_rows()
    assert all(before.values())

    anna_logged_in.post(DELETE_URL, {"password": PASSWORD})

    assert olga_rows() == before
    assert User.objects.filter(pk=physio.pk).exists()
    assert User.objects.filter(pk=other_patient.pk).exists()


# --- the profile page links here ------------------------------------------------------------------


def test_the_profile_page_has_a_your_data_section(patient_client):
    text = patient_client.get(reverse("profile")).text
    assert "Your data" in text
    for url in (EXPORT_URL, DELETE_URL, reverse("export_measurements"), reverse("report")):
        assert f'href="{url}"' in text


# --- the physio's view of closed accounts in the admin --------------------------------------------

CHANGELIST = reverse("admin:tracker_closedaccount_changelist")


@pytest.fixture
def closed_accounts(physio):
    mine = ClosedAccount.objects.create(physio=physio, display_name="Anna Berg")
    other_physio = PhysioFactory(username="physio2")
    theirs = ClosedAccount.objects.create(physio=other_physio, display_name="Olga Stone")
    return mine, theirs


def test_a_physio_sees_only_her_own_former_patients(client, physio, closed_accounts):
    mine, theirs = closed_accounts
    client.force_login(physio)

    assert "Closed accounts" in client.get(reverse("admin:index")).text
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "Anna Berg" in response.text
    assert "Olga Stone" not in response.text
    assert client.get(reverse("admin:tracker_closedaccount_change", args=[mine.pk])).status_code == 200
    other = client.get(reverse("admin:tracker_closedaccount_change", args=[theirs.pk]))
    assert other.status_code == 404


def test_closed_accounts_are_read_only_for_physios(client, physio, closed_accounts):
    mine, _ = closed_accounts
    client.force_login(physio)

    assert client.get(reverse("admin:tracker_closedaccount_add")).status_code == 403
    assert client.post(reverse("admin:tracker_closedaccount_delete", args=[mine.pk])).status_code == 403
    change = client.post(reverse("admin:tracker_closedaccount_change", args=[mine.pk]), {"display_name": "X"})
    assert change.status_code == 403
    mine.refresh_from_db()
    assert mine.display_name == "Anna Berg"


def test_a_superuser_sees_all_closed_accounts(admin_client, closed_accounts):
    text = admin_client.get(CHANGELIST).text
    assert "Anna Berg" in text and "Olga Stone" in text


def test_patients_and_other_staff_do_not_see_closed_accounts(client, patient, closed_accounts):
    client.force_login(patient)
    assert client.get(CHANGELIST).status_code == 302  # to the admin log-in
    staff = PatientFactory(username="receptionist", is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403


def test_export_queries_do_not_grow_with_the_records(patient_client, patient, django_assert_max_num_queries):
    def records(count: int) -> None:
        for _ in range(count):
            GirthMeasurementFactory(patient=patient)
            HeelRiseTestFactory(patient=patient)
            ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient))
            SymptomLogFactory(patient=patient)
            PrescriptionFactory(patient=patient)
            PhysioNoteFactory(patient=patient)

    records(3)
    with CaptureQueriesContext(connection) as few:
        assert patient_client.post(EXPORT_URL).status_code == 200
    records(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert patient_client.post(EXPORT_URL).status_code == 200


def test_the_zip_and_the_json_document_hold_her_questionnaires(patient_client, patient):
    answers = {"q1": 6, "q2": 5, "q3": 7, "q4": 8, "q5": 6, "q6": 4, "q7": 4, "q8": "B:11-20"}
    QuestionnaireResponseFactory(patient=patient, instrument="VISA-A", answers=answers, score=50)
    QuestionnaireResponseFactory(patient=patient, answers={"q1": 3}, score=None,
                                 not_scored_reason="19 activities were not answered")
    QuestionnaireResponseFactory(patient=patient, submitted_at=None, score=None)  # a draft stays out

    archive = download(patient_client)

    rows = list(csv.DictReader(io.StringIO(archive.read("questionnaires.csv").decode())))
    scores = [(r["instrument"], r["score"], r["max_score"]) for r in rows]
    assert scores == [("LEFS", "", "80"), ("VISA-A", "50", "100")]
    assert rows[1]["answers"] == "q1=6;q2=5;q3=7;q4=8;q5=6;q6=4;q7=4;q8=B:11-20"
    assert rows[0]["not_scored_reason"] == "19 activities were not answered"
    document = json.loads(archive.read("data.json"))
    scores = [(q["instrument"], q["score"]) for q in document["questionnaires"]]
    assert scores == [("LEFS", None), ("VISA-A", 50)]
    assert document["questionnaires"][1]["answers"]["q8"] == "B:11-20"


def test_admin_log_rows_about_records_deleted_earlier_go_with_her_account(client, patient, physio):
    """Issue 19, defect 6: a prescription added and deleted in the admin before she left her account
    kept two admin-log rows (shown in the physio's "Recent actions")."""
    PatientProfile.objects.filter(user=patient).update(physio=physio)
    physio_client = Client()
    physio_client.force_login(physio)
    added = physio_client.post(
        reverse("admin:tracker_prescription_add"),
        {"patient": patient.pk, "exercise": 1, "side": "both", "sets": 3, "reps": 15, "load_kg": "0",
         "times_per_week": 3, "start_date": TODAY.isoformat(), "active": "on", "progression": "fixed",
         "load_step_kg": "0", "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0"},
    )
    assert added.status_code == 302
    prescription = Prescription.objects.get(patient=patient)
    deleted = physio_client.post(
        reverse("admin:tracker_prescription_delete", args=[prescription.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    about_it = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Prescription), object_id=str(prescription.pk)
    )
    assert about_it.count() == 2
    client.force_login(patient)

    assert client.post(DELETE_URL, {"password": PASSWORD}).status_code == 302

    assert list(about_it.values_list("object_repr", flat=True)) == []
    # Nothing of hers is left in the physio's "Recent actions" (the admin log of her own actions).
    assert not LogEntry.objects.filter(user=physio, object_repr__contains=str(prescription.exercise)).exists()


def test_the_page_and_the_readme_name_every_file_the_zip_holds(patient_client, patient):
    """The page named four CSV files and left out the questionnaires and messages the zip holds."""
    archive = download(patient_client)
    files = set(archive.namelist()) - {"README.txt"}
    page = patient_client.get(EXPORT_URL).content.decode()
    readme = archive.read("README.txt").decode()
    for name in files:
        assert f"<strong>{name}</strong>" in page
        assert re.search(rf"^{re.escape(name)} ", readme, re.MULTILINE), name
    assert page.count("<li><strong>") == len(files)  # and no file it does not hold
