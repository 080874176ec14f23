"""The patient review (PatientProfile change page): summary panel, charts through the admin URL,
inlines, "Mark reviewed", programme templates, creating a patient, and the CSV export."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PhysioFactory,
    PhysioNoteFactory,
    PrescriptionFactory,
    SymptomLogFactory,
    exercise,
)
from tests.helpers import log_sessions, text_of
from tracker.charts.data import ChartOptions, build
from tracker.models import (
    ExerciseSession,
    GirthMeasurement,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)
from tracker.programmes import PROGRAMME_TEMPLATES
from tracker.services import exports


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="physio_r", first_name="Priya", last_name="Shah")


@pytest.fixture
def physio_client(client, physio):
    client.force_login(physio)
    return client


@pytest.fixture
def patient(physio):
    patient = PatientFactory(username="lena", first_name="Lena", last_name="Berg")
    patient.profile.physio = physio
    patient.profile.save()
    for days, left in ((40, "33.0"), (1, "34.2")):
        GirthMeasurementFactory(
            patient=patient, date=days_ago(days), left_1=Decimal(left), right_1=Decimal("37.6")
        )
    HeelRiseTestFactory(patient=patient, date=days_ago(2), reps_left=12, reps_right=27)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    session = ExerciseSessionFactory(patient=patient, performed_at=yesterday)
    ExerciseEntryFactory(session=session)
    SymptomLogFactory(patient=patient, date=days_ago(1), notes="Calf tight in the morning")
    PrescriptionFactory(patient=patient, exercise=exercise("single-leg-calf-raise"))
    return patient


def change_url(patient) -> str:
    return reverse("admin:tracker_patientprofile_change", args=[patient.profile.pk])


def review_url(patient, view: str, *args) -> str:
    return reverse(f"admin:tracker_patientprofile_{view}", args=[patient.profile.pk, *args])


# --- the page -------------------------------------------------------------------------------------


def test_review_page_shows_profile_summary_and_inlines(physio_client, patient):
    response = physio_client.get(change_url(patient))
    assert response.status_code == 200
    page = text_of(response)
    assert "Review: Lena Berg" in page
    assert "LSI 91.0%" in page  # girth: left 34.2 / right 37.6, left affected
    assert "Left calf 3.4 cm smaller: marked deficit" in page  # one sentence, after its colon
    assert "LSI 44.4%" in page  # heel rise 12 / 27
    assert "a real change" in page  # +1.2 cm over 40 days
    assert "Adherence, last 14 days" in page
    assert re.search(r"of [\d.]+ sessions\)\. This week", page), "one sentence ends before the next"
    assert "Calf tight in the morning" in page  # her check-ins, read-only
    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert prefixes == {"prescriptions"}  # the programme is the one editable list
    assert "not reviewed yet" in page


def test_review_summary_counts_a_week_beyond_what_was_expected_not_2_of_1(physio_client, physio):
    patient = PatientFactory(username="nils", first_name="Nils")
    patient.profile.physio = physio
    patient.profile.save()
    prescription = PrescriptionFactory(patient=patient, times_per_week=1, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, (datetime.timedelta(seconds=n) for n in (0, 1)))
    page = text_of(physio_client.get(change_url(patient)))
    assert "This week so far: 2 sessions, more than the 1 expected." in page
    assert "2 of 1" not in page


def test_review_summary_says_this_week_is_paused_as_her_adherence_chart_does(physio_client, physio):
    """The chart below the summary says "1 done, paused": the summary's "1 of 4" says why too."""
    patient = PatientFactory(username="pia", first_name="Pia")
    patient.profile.physio = physio
    patient.profile.save()
    prescription = PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(30))
    log_sessions(patient, prescription.exercise, [datetime.timedelta(seconds=1)])
    assert "(paused" not in text_of(physio_client.get(change_url(patient)))
    SymptomLogFactory(patient=patient, date=today(), flag_dvt_signs=True)
    page = text_of(physio_client.get(change_url(patient)))
    assert "This week so far: 1 of 4 sessions (paused by the red flag above)." in page


def test_review_summary_gives_the_change_since_the_previous_heel_rise_test(physio_client, patient):
    """Beside the change since her first test, the one since the test before the latest (here the
    fixture's test of two days ago, 12 rises)."""
    HeelRiseTestFactory(patient=patient, date=days_ago(30), reps_left=20, reps_right=27)
    HeelRiseTestFactory(patient=patient, date=days_ago(1), reps_left=13, reps_right=27)
    page = text_of(physio_client.get(change_url(patient)))
    assert "Since the first test: left -7 rises — a real change" in page
    previous = days_ago(2)
    since = f"Since the previous test ({previous.day} {previous:%b %Y})"
    assert f"{since}: left +1 rise — within test error" in page


def test_review_page_embeds_the_charts_through_the_admin_url_with_alt_text(physio_client, patient):
    response = physio_client.get(change_url(patient))
    html = response.content.decode()
    options = ChartOptions()
    for name in ("girth", "symmetry", "heel-rise", "volume", "pain", "adherence"):
        src = review_url(patient, "chart", name, "svg")
        assert f'src="{src}?{options.querystring().replace("&", "&amp;")}"' in html
        summary = build(name, patient, patient.profile, options, today()).summary
        assert f'alt="{summary}"' in html.replace("&#x27;", "'")
    assert html.count('loading="lazy"') == 6  # the images load as she scrolls to them
    assert 'src="/charts/' not in html  # never the patient's own URL


def test_chart_range_links_keep_the_site(physio_client, patient):
    response = physio_client.get(change_url(patient) + "?range=4w&site=tt10")
    html = response.content.decode()
    assert "range=4w&amp;site=tt10" in html
    assert response.context["review_options"].range_key == "4w"


def test_a_check_in_without_night_cramps_shows_a_dash_not_none(physio_client, patient):
    SymptomLogFactory(patient=patient, date=today(), night_cramps=None, notes="No cramps answer")
    html = physio_client.get(change_url(patient)).content.decode()
    row = html[html.rindex("<tr>", 0, html.index("No cramps answer")):html.index("No cramps answer")]
    assert '<td data-label="Night cramps">—</td>' in row
    assert ">None<" not in row


def test_summary_flags_are_shown(physio_client, patient):
    SymptomLogFactory(patient=patient, date=today(), flag_dvt_signs=True)
    page = text_of(physio_client.get(change_url(patient)))
    assert "Red flags" in page and "She was told to seek urgent medical care today" in page
    assert "Her programme is paused until she has been seen" in page
    assert "pause her calf exercises and heel-rise tests" in page  # as she was told
    assert "no session or heel-rise reminder is sent" in page


def test_a_review_flag_alone_pauses_nothing(physio_client, physio):
    """Atrophy getting worse despite her sessions (one a week, kept): a review flag, not urgent."""
    patient = PatientFactory()
    patient.profile.physio = physio
    patient.profile.save()
    start = today() - datetime.timedelta(days=100)
    prescription = PrescriptionFactory(patient=patient, times_per_week=1, start_date=start)
    for week in range(14):
        performed_at = timezone.now() - datetime.timedelta(weeks=week)
        session = ExerciseSessionFactory(patient=patient, performed_at=performed_at)
        ExerciseEntryFactory(session=session, exercise=prescription.exercise)
    for days, left in ((90, "36.0"), (1, "34.0")):
        GirthMeasurementFactory(patient=patient, date=today() - datetime.timedelta(days=days),
                                left_1=Decimal(left), right_1=Decimal("37.5"))
    page = text_of(physio_client.get(change_url(patient)))
    assert "Red flags" in page and "paused" not in page


# --- chart, report and export URLs ------------------------------------------------------------------


def test_chart_url_serves_the_patients_chart(physio_client, patient):
    response = physio_client.get(review_url(patient, "chart", "girth", "svg") + "?range=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "private" in response["Cache-Control"]
    again = physio_client.get(
        review_url(patient, "chart", "girth", "svg") + "?range=all", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_chart_url_png_and_unknown_chart(physio_client, patient):
    assert physio_client.get(review_url(patient, "chart", "symmetry", "png")).content.startswith(b"\x89PNG")
    assert physio_client.get(review_url(patient, "chart", "nonsense", "svg")).status_code == 404
    assert physio_client.get(review_url(patient, "chart", "girth", "gif")).status_code == 404


def test_chart_url_is_get_only(physio_client, patient):
    assert physio_client.post(review_url(patient, "chart", "girth", "svg")).status_code == 405


def test_report_url_serves_the_pdf(physio_client, patient):
    response = physio_client.get(review_url(patient, "report"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- mark reviewed ------------------------------------------------------------------------------------


def test_mark_reviewed_records_a_private_review_note(physio_client, physio, patient):
    before = timezone.now()
    response = physio_client.post(review_url(patient, "mark_reviewed"), follow=True)
    assert response.redirect_chain[-1][0] == change_url(patient)
    assert "Lena Berg marked as reviewed." in text_of(response)
    note = PhysioNote.objects.get(patient=patient)
    assert (note.is_review, note.author, note.visible_to_patient) == (True, physio, False)
    assert note.text == "Reviewed"
    assert note.created_at >= before
    when = timezone.localtime(note.created_at)
    # Dated as the conversation dates the note: "Sun 8 Nov 2026, 10:38", not "08 Nov 2026 10:38".
    assert f"Last review: {when:%a} {when.day} {when:%b %Y, %H:%M} by Priya Shah." in text_of(response)


def test_mark_reviewed_rejects_get(physio_client, patient):
    assert physio_client.get(review_url(patient, "mark_reviewed")).status_code == 405
    assert not PhysioNote.objects.exists()


def test_mark_reviewed_clears_new_data_on_the_caseload(physio_client, patient):
    caseload = "/admin/tracker/patientprofile/?new_data=yes"
    assert [p.user for p in physio_client.get(caseload).context["cl"].result_list] == [patient]
    physio_client.post(review_url(patient, "mark_reviewed"))
    assert list(physio_client.get(caseload).context["cl"].result_list) == []


def test_mark_reviewed_action_on_the_caseload(physio_client, physio, patient):
    other = PatientFactory(username="mia")
    other.profile.physio = physio
    other.profile.save()
    response = physio_client.post(
        "/admin/tracker/patientprofile/",
        {"action": "mark_reviewed", "_selected_action": [patient.profile.pk, other.profile.pk]},
        follow=True,
    )
    assert "Marked 2 patient(s) as reviewed." in text_of(response)
    assert PhysioNote.objects.filter(is_review=True, author=physio).count() == 2


# --- inlines: edit the programme, add measurements and notes ---------------------------------------------


def form_data(response) -> dict:
    """The change form as the browser would post it back unchanged (main form + every inline)."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[form.add_prefix(name)] = value
            if field.show_hidden_initial:  # e.g. start_date, whose default is a callable
                data[form.add_initial_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.forms:
            add(form)
    return data


def test_unchanged_review_form_saves(physio_client, patient):
    response = physio_client.post(change_url(patient), form_data(physio_client.get(change_url(patient))))
    assert response.status_code == 302
    assert GirthMeasurement.objects.filter(patient=patient).count() == 2


def test_add_a_prescription_inline(physio_client, physio, patient):
    data = form_data(physio_client.get(change_url(patient)))
    rx = f"prescriptions-{data['prescriptions-INITIAL_FORMS']}"
    data.update({
        f"{rx}-exercise": "1", f"{rx}-side": "left", f"{rx}-sets": "3", f"{rx}-reps": "12",
        f"{rx}-load_kg": "5", f"{rx}-times_per_week": "3", f"{rx}-start_date": today().isoformat(),
        f"{rx}-active": "on",
    })
    response = physio_client.post(change_url(patient), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    added_rx = Prescription.objects.get(patient=patient, exercise_id=1)
    assert (added_rx.prescribed_by, added_rx.load_kg) == (physio, Decimal("5.0"))
    assert "Priya Shah" in text_of(physio_client.get(change_url(patient)))  # "prescribed by", full name


def test_edit_an_existing_prescription_inline(physio_client, patient):
    data = form_data(physio_client.get(change_url(patient)))
    data["prescriptions-0-reps"] = "20"
    assert physio_client.post(change_url(patient), data).status_code == 302
    assert Prescription.objects.get(patient=patient).reps == 20


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sets", "99", "Enter a whole number from 1 to 20."),
        ("load_kg", "NaN", "Enter a number"),
        ("start_date", "1850-01-01", "from 1900 onwards"),
    ],
)
def test_bad_inline_input_comes_back_with_an_error(physio_client, patient, field, value, message):
    data = form_data(physio_client.get(change_url(patient)))
    data[f"prescriptions-0-{field}"] = value
    response = physio_client.post(change_url(patient), data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert f'value="{value}"' in response.content.decode()  # what she typed is still there
    assert Prescription.objects.get(patient=patient).sets == 3


def test_prescription_without_an_amount_is_refused(physio_client, patient):
    data = form_data(physio_client.get(change_url(patient)))
    data["prescriptions-0-reps"] = ""
    response = physio_client.post(change_url(patient), data)
    assert response.status_code == 200
    assert "Enter the repetitions, the seconds held or the minutes." in text_of(response)


def test_her_check_ins_cannot_be_changed_from_the_review(physio_client, patient):
    data = form_data(physio_client.get(change_url(patient)))
    data.update({"symptom_logs-TOTAL_FORMS": "1", "symptom_logs-INITIAL_FORMS": "1",
                 "symptom_logs-0-id": SymptomLog.objects.get(patient=patient).pk,
                 "symptom_logs-0-notes": "changed by the physio", "symptom_logs-0-pain_at_rest": "9"})
    assert physio_client.post(change_url(patient), data).status_code == 302
    log = SymptomLog.objects.get(patient=patient)
    assert (log.notes, log.pain_at_rest) == ("Calf tight in the morning", 2)


def test_physio_field_is_read_only_for_physios(physio_client, physio, patient):
    other_physio = PhysioFactory(username="other_physio")
    data = form_data(physio_client.get(change_url(patient)))
    data["physio"] = other_physio.pk
    assert physio_client.post(change_url(patient), data).status_code == 302
    patient.profile.refresh_from_db()
    assert patient.profile.physio == physio


def test_profile_fields_can_be_changed(physio_client, patient):
    data = form_data(physio_client.get(change_url(patient)))
    data["target_lsi"] = "95.0"
    assert physio_client.post(change_url(patient), data).status_code == 302
    patient.profile.refresh_from_db()
    assert patient.profile.target_lsi == Decimal("95.0")


# --- programme templates -----------------------------------------------------------------------------


def prescriptions(patient) -> list[tuple]:
    return list(
        Prescription.objects.filter(patient=patient, prescribed_by__isnull=False)
        .order_by("exercise__slug")
        .values_list("exercise__slug", "side", "sets", "reps", "hold_seconds", "times_per_week", "start_date",
                     "end_date")
    )


def test_alfredson_template(physio_client, physio, patient):
    start = today()
    response = physio_client.post(
        review_url(patient, "programme"),
        {"template": "alfredson", "start_date": start.isoformat()},
        follow=True,
    )
    assert "added Eccentric heel drop" in text_of(response)
    end = start + datetime.timedelta(weeks=12)
    assert prescriptions(patient) == [
        ("eccentric-heel-drop-bent", "left", 3, 15, None, 14, start, end),
        ("eccentric-heel-drop-straight", "left", 3, 15, None, 14, start, end),
    ]


def test_heavy_slow_resistance_template(physio_client, patient):
    start = days_ago(3)
    physio_client.post(review_url(patient, "programme"), {"template": "hsr", "start_date": start.isoformat()})
    end = start + datetime.timedelta(weeks=12)
    assert prescriptions(patient) == [
        ("heavy-slow-calf-raise", "both", 3, 15, None, 3, start, end),
        ("seated-calf-raise", "both", 3, 15, None, 3, start, end),
    ]


def test_stretching_template(physio_client, patient):
    physio_client.post(review_url(patient, "programme"), {"template": "stretching", "start_date": today()})
    assert prescriptions(patient) == [
        ("soleus-stretch", "left", 3, None, 30, 7, today(), None),
        ("wall-gastrocnemius-stretch", "left", 3, None, 30, 7, today(), None),
    ]


def test_an_exercise_already_prescribed_is_not_added_again(physio_client, patient):
    PrescriptionFactory(patient=patient, exercise=exercise("eccentric-heel-drop-straight"))
    physio_client.post(review_url(patient, "programme"), {"template": "alfredson", "start_date": today()})
    assert [row[0] for row in prescriptions(patient)] == ["eccentric-heel-drop-bent"]


def test_a_template_twice_adds_nothing_the_second_time(physio_client, patient):
    url = review_url(patient, "programme")
    physio_client.post(url, {"template": "alfredson", "start_date": today()})
    response = physio_client.post(url, {"template": "alfredson", "start_date": today()}, follow=True)
    assert "every exercise is already prescribed" in text_of(response)
    assert len(prescriptions(patient)) == 2


@pytest.mark.parametrize(
    "data",
    [
        {"template": "bogus", "start_date": "2024-01-01"},
        {"template": "hsr", "start_date": "1850-01-01"},
        {"template": "hsr", "start_date": "not a date"},
        {},
    ],
)
def test_bad_template_requests_add_nothing(physio_client, patient, data):
    response = physio_client.post(review_url(patient, "programme"), data, follow=True)
    assert response.status_code == 200
    assert "No programme added" in text_of(response)
    assert prescriptions(patient) == []


def test_template_view_rejects_get(physio_client, patient):
    assert physio_client.get(review_url(patient, "programme")).status_code == 405


def test_template_actions_on_the_caseload(physio_client, physio, patient):
    other = PatientFactory(username="mia")
    other.profile.physio = physio
    other.profile.affected_side = "right"
    other.profile.save()
    response = physio_client.post(
        "/admin/tracker/patientprofile/",
        {"action": "start_alfredson", "_selected_action": [patient.profile.pk, other.profile.pk]},
        follow=True,
    )
    assert "4 prescription(s) added." in text_of(response)
    assert {row[1] for row in prescriptions(other)} == {"right"}
    assert len(prescriptions(patient)) == 2


def test_templates_are_the_three_named_programmes():
    assert set(PROGRAMME_TEMPLATES) == {"alfredson", "hsr", "stretching"}


# --- create a patient with her profile in one form ---------------------------------------------------------


ADD_URL = "/admin/tracker/patientprofile/add/"


def new_patient_data(**overrides) -> dict:
    data = {
        "username": "newpatient", "first_name": "Nora", "last_name": "Nyberg", "email": "nora@example.com",
        "password1": "calf-raise-2024!", "password2": "calf-raise-2024!", "affected_side": "right",
        "condition": "Right medial gastrocnemius tear", "onset_date": days_ago(30).isoformat(),
        "target_lsi": "90.0", "sex": "F", "birth_year": "1990", "unit": "cm",
    }
    data.update(overrides)
    return data


def test_add_page_has_account_and_profile_fields(physio_client):
    response = physio_client.get(ADD_URL)
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert {"username", "email", "password1", "password2", "affected_side", "condition"} <= set(fields)
    assert "physio" not in fields and "user" not in fields


def test_create_patient_assigns_her_to_the_creating_physio(physio_client, physio):
    response = physio_client.post(ADD_URL, new_patient_data())
    user = User.objects.get(username="newpatient")
    profile = user.profile
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tracker_patientprofile_changelist")
    assert (profile.physio, profile.affected_side, profile.condition) == (
        physio, "right", "Right medial gastrocnemius tear"
    )
    assert (user.first_name, user.email, user.is_staff) == ("Nora", "nora@example.com", False)
    assert user.check_password("calf-raise-2024!")
    assert physio_client.get(change_url(user)).status_code == 200


def test_create_patient_without_password_gives_an_unusable_one(physio_client):
    physio_client.post(ADD_URL, new_patient_data(password1="", password2=""))
    assert not User.objects.get(username="newpatient").has_usable_password()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "LENA"}, "username", "This username is taken"),
        ({"username": "bad name!"}, "username", "Enter a valid username"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address"),
        ({"password2": "something-else"}, "password2", "The two passwords differ"),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        ({"target_lsi": "120"}, "target_lsi", "Enter a number from 50 to 100."),
        ({"onset_date": "2999-01-01"}, "onset_date", "in the future"),
        # The model's rule, as on her profile page: not a year after this one.
        ({"birth_year": str(timezone.localdate().year + 1)}, "birth_year", "Enter a year from 1900 to "),
    ],
)
def test_create_patient_errors_keep_the_typed_input(physio_client, patient, overrides, field, message):
    before = User.objects.count()
    response = physio_client.post(ADD_URL, new_patient_data(**overrides))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert 'value="Right medial gastrocnemius tear"' in response.content.decode()
    assert User.objects.count() == before


def test_superuser_creates_a_patient_for_a_chosen_physio(admin_client, physio):
    response = admin_client.post(ADD_URL, new_patient_data(physio=physio.pk))
    assert response.status_code == 302
    assert PatientProfile.objects.get(user__username="newpatient").physio == physio


# --- CSV export ----------------------------------------------------------------------------------------


def read_zip(response) -> dict[str, list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
        for name in archive.namelist()
    }


def test_export_action_zips_one_csv_per_record_type(physio_client, physio, patient):
    PhysioNoteFactory(patient=patient, text="Shared: well done.", visible_to_patient=True)
    PhysioNoteFactory(patient=patient, text="Private: consider a scan.", visible_to_patient=False)
    SymptomLogFactory(patient=patient, date=days_ago(3), notes="=HYPERLINK(\"http://x\")")
    stranger = PatientFactory(username="stranger")  # another physio's (or nobody's) patient
    GirthMeasurementFactory(patient=stranger)
    response = physio_client.post(
        "/admin/tracker/patientprofile/",
        {"action": "export_csv", "_selected_action": [patient.profile.pk, stranger.profile.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    files = read_zip(response)
    assert set(files) == {
        "patients.csv", "lena/measurements.csv", "lena/heel-rise.csv", "lena/exercise-sessions.csv",
        "lena/symptoms.csv", "lena/programme.csv", "lena/notes.csv", "lena/messages.csv",
        "lena/questionnaires.csv",
    }
    assert [row["username"] for row in files["patients.csv"]] == ["lena"]
    assert [row["left_cm"] for row in files["lena/measurements.csv"]] == ["33.0", "34.2"]  # as read
    assert len(files["lena/exercise-sessions.csv"]) == 1
    assert [row["text"] for row in files["lena/notes.csv"]] == ["Shared: well done."]
    raw = response.content
    assert b"consider a scan" not in zipfile.ZipFile(io.BytesIO(raw)).read("lena/notes.csv")
    assert all("stranger" not in name + str(rows) for name, rows in files.items())
    assert "'=HYPERLINK(\"http://x\")" in [row["notes"] for row in files["lena/symptoms.csv"]]


def test_the_physios_files_are_the_patients_own_files(physio_client, patient):
    """One CSV writer: a file in the physio's zip is byte for byte the file of her own export."""
    PhysioNoteFactory(patient=patient, text="Shared: well done.", visible_to_patient=True)
    SymptomLogFactory(patient=patient, date=days_ago(3), notes="=1+1")
    clinic = zipfile.ZipFile(io.BytesIO(physio_client.get(review_url(patient, "export")).content))
    own = zipfile.ZipFile(io.BytesIO(exports.export_zip(patient)))
    for name in own.namelist():
        if name.endswith(".csv"):
            assert clinic.read(f"lena/{name}") == own.read(name), name


def test_export_url_of_one_patient(physio_client, patient):
    PhysioNoteFactory(patient=patient, text="Private: consider a scan.", visible_to_patient=False)
    response = physio_client.get(review_url(patient, "export"))
    assert response.status_code == 200
    files = read_zip(response)
    assert [row["username"] for row in files["patients.csv"]] == ["lena"]
    assert files["lena/notes.csv"] == []


def test_inline_posts_cannot_reach_another_patients_records(physio_client, patient):
    stranger = PrescriptionFactory(reps=15)
    data = form_data(physio_client.get(change_url(patient)))
    data["prescriptions-0-id"] = stranger.pk
    data["prescriptions-0-reps"] = "20"
    response = physio_client.post(change_url(patient), data)
    assert response.status_code in (200, 302)  # Django's formset ignores an id outside its queryset
    stranger.refresh_from_db()
    assert stranger.reps == 15


def test_posting_girth_fields_changes_no_measurement(physio_client, patient):
    """Her measurements are read-only: no formset for them, so posted values are ignored."""
    data = form_data(physio_client.get(change_url(patient)))
    measurement = GirthMeasurement.objects.filter(patient=patient).latest("date")
    data.update({"girth_measurements-TOTAL_FORMS": "1", "girth_measurements-INITIAL_FORMS": "1",
                 "girth_measurements-0-id": measurement.pk, "girth_measurements-0-left_1": "20.0"})
    assert physio_client.post(change_url(patient), data).status_code == 302
    measurement.refresh_from_db()
    assert measurement.left_1 == Decimal("34.2")


def test_staff_without_note_permission_cannot_mark_reviewed(client, patient):
    staff = PhysioFactory(username="no_notes")
    staff.groups.clear()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_patientprofile"]))
    patient.profile.physio = staff
    patient.profile.save()
    client.force_login(staff)
    assert client.post(review_url(patient, "mark_reviewed")).status_code == 403
    assert not PhysioNote.objects.exists()


def test_the_summary_states_a_broken_pain_rule_without_the_patients_advice(physio_client, patient):
    ExerciseSessionFactory(patient=patient, performed_at=timezone.now() - datetime.timedelta(hours=3),
                           pain_after=7)
    html = text_of(physio_client.get(change_url(patient)))
    assert "Pain after exercise was above 5/10." in html
    assert "Your physiotherapist will see this" not in html  # the patient's wording, not the physio's


def test_the_summary_does_not_call_a_week_without_sessions_rules_kept(physio_client, patient):
    html = text_of(physio_client.get(change_url(patient)))
    assert "Pain-monitoring rules kept in the last 7 days (1 session)" in html  # yesterday's
    ExerciseSession.objects.filter(patient=patient).update(
        performed_at=timezone.now() - datetime.timedelta(days=9)
    )
    html = text_of(physio_client.get(change_url(patient)))
    assert "No sessions in the last 7 days, so no pain during or after exercise to check." in html
    assert "rules kept" not in html


def test_a_ticked_red_flag_symptom_is_worded_for_the_physio(physio_client, patient):
    SymptomLogFactory(patient=patient, date=today(), flag_dvt_signs=True)
    html = text_of(physio_client.get(change_url(patient)))
    assert "Ticked in a check-in: Calf red, warm, swollen and painful." in html
    assert "You reported" not in html
