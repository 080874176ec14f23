"""The caseload (PatientProfile changelist): annotated columns on worked examples, filters, search,
sorting, and a query count that does not grow with the number of patients."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
from tests.helpers import text_of
from tracker import metrics
from tracker.models import PatientProfile
from tracker.selectors import caseload, flags, programme

CASELOAD = "/admin/tracker/patientprofile/"


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def moment_days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def physio(db):
    return PhysioFactory(username="physio_c")


@pytest.fixture
def physio_client(client, physio):
    client.force_login(physio)
    return client


def make_patient(physio, username: str, *, side: str = "left", **user_fields):
    user_fields.setdefault("first_name", username.title())  # deterministic tie-breaks when sorting
    patient = PatientFactory(username=username, **user_fields)
    patient.profile.physio = physio
    patient.profile.affected_side = side
    patient.profile.save()
    return patient


def girth(patient, days: int, left: str, right: str, **fields):
    return GirthMeasurementFactory(
        patient=patient, date=days_ago(days), left_1=Decimal(left), right_1=Decimal(right), **fields
    )


def rows(physio, **filters) -> dict[str, PatientProfile]:
    profiles = caseload.annotate_caseload(
        PatientProfile.objects.filter(physio=physio, **filters).select_related("user"),
        reviewer=physio,
        today=today(),
    )
    return {p.user.username: p for p in profiles}


def listed(response) -> list[str]:
    return [profile.user.username for profile in response.context["cl"].result_list]


# --- columns on worked examples --------------------------------------------------------------------


def test_girth_lsi_worked_example(physio, physio_client):
    patient = make_patient(physio, "lena")
    girth(patient, 1, "34.2", "37.6")
    row = rows(physio)["lena"]
    assert row.girth_lsi == pytest.approx(91.0)  # the SQL value, used to sort and filter
    assert caseload.girth_symmetry(row).lsi == 91.0  # the value shown, from tracker.metrics
    assert "91.0%" in text_of(physio_client.get(CASELOAD))


@pytest.mark.parametrize(("side", "expected"), [("right", 109.9), ("both", 91.0), ("unknown", 91.0)])
def test_girth_lsi_follows_the_affected_side(physio, side, expected):
    patient = make_patient(physio, "lena", side=side)
    girth(patient, 1, "34.2", "37.6")
    row = rows(physio)["lena"]
    assert row.girth_lsi == pytest.approx(expected)
    assert caseload.girth_symmetry(row).lsi == expected


def test_latest_girth_prefers_tt10_to_a_newer_other_site(physio):
    patient = make_patient(physio, "lena")
    GirthMeasurementFactory(patient=patient, date=days_ago(5), site="tt10", left_1=Decimal("34.2"),
                            right_1=Decimal("37.6"))
    GirthMeasurementFactory(patient=patient, date=days_ago(1), site="max", left_1=Decimal("38.0"),
                            right_1=Decimal("38.0"))
    row = rows(physio)["lena"]
    assert (row.girth_site, row.girth_lsi) == ("tt10", pytest.approx(91.0))


def test_latest_girth_falls_back_to_another_site(physio, physio_client):
    patient = make_patient(physio, "lena")
    GirthMeasurementFactory(patient=patient, date=days_ago(3), site="max", left_1=Decimal("36.0"),
                            right_1=Decimal("40.0"))
    assert rows(physio)["lena"].girth_lsi == pytest.approx(90.0)
    assert "4.0 cm smaller (max): marked deficit · LSI 90.0%" in text_of(physio_client.get(CASELOAD))


def test_four_week_change_beats_measurement_error(physio, physio_client):
    patient = make_patient(physio, "lena")
    girth(patient, 30, "33.0", "37.6")
    girth(patient, 10, "33.9", "37.6")
    girth(patient, 1, "34.2", "37.6")
    change = caseload.girth_change(rows(physio)["lena"])
    # Compared with the measurement 30 days ago, not the one 10 days ago (same rule as the dashboard).
    assert (change.cm, change.real, change.arrow) == (1.2, True, "↑")
    assert "↑ +1.2 cm (real)" in text_of(physio_client.get(CASELOAD))


def test_four_week_change_within_error_and_falling(physio, physio_client):
    patient = make_patient(physio, "lena", side="right")
    girth(patient, 35, "37.0", "35.0")
    girth(patient, 2, "37.0", "34.6")
    change = caseload.girth_change(rows(physio)["lena"])
    assert (change.cm, change.real, change.arrow) == (-0.4, False, "↓")
    assert "↓ -0.4 cm (within error)" in text_of(physio_client.get(CASELOAD))


def test_no_four_week_change_without_an_older_measurement(physio):
    patient = make_patient(physio, "lena")
    GirthMeasurementFactory(patient=patient, date=days_ago(10))
    GirthMeasurementFactory(patient=patient, date=days_ago(1))
    assert caseload.girth_change(rows(physio)["lena"]) is None


def test_heel_rise_lsi(physio, physio_client):
    patient = make_patient(physio, "lena")
    HeelRiseTestFactory(patient=patient, date=days_ago(9), reps_left=10, reps_right=30)
    HeelRiseTestFactory(patient=patient, date=days_ago(2), reps_left=12, reps_right=27)
    row = rows(physio)["lena"]
    assert row.heel_lsi == pytest.approx(44.4)
    assert "44.4%" in text_of(physio_client.get(CASELOAD))


def test_adherence_matches_the_dashboard_for_a_steady_programme(physio, physio_client):
    patient = make_patient(physio, "lena")
    PrescriptionFactory(patient=patient, times_per_week=4, start_date=days_ago(60))
    for day in (1, 3, 6):
        session = ExerciseSessionFactory(patient=patient, performed_at=moment_days_ago(day))
        ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))
    # Not counted: a session without a prescribed exercise, and one before the window.
    ExerciseEntryFactory(session=ExerciseSessionFactory(patient=patient, performed_at=moment_days_ago(2)))
    old = ExerciseSessionFactory(patient=patient, performed_at=moment_days_ago(20))
    ExerciseEntryFactory(session=old, exercise=exercise("eccentric-heel-drop-straight"))
    row = rows(physio)["lena"]
    assert (row.sessions_done, row.sessions_expected) == (3, 8)
    assert row.adherence == pytest.approx(37.5)
    dashboard = programme.adherence(patient, start=days_ago(13), end=today())
    assert dashboard.percent == 37.5 and dashboard.expected == 8
    assert "38%" in text_of(physio_client.get(CASELOAD))


def test_adherence_is_capped_at_100(physio):
    patient = make_patient(physio, "lena")
    PrescriptionFactory(patient=patient, times_per_week=1, start_date=days_ago(60))
    for day in (1, 2, 3):
        session = ExerciseSessionFactory(patient=patient, performed_at=moment_days_ago(day))
        ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))
    assert rows(physio)["lena"].adherence == 100.0


def test_no_programme_means_no_adherence(physio, physio_client):
    patient = make_patient(physio, "lena")
    PrescriptionFactory(patient=patient, active=False)
    PrescriptionFactory(patient=patient, start_date=days_ago(100), end_date=days_ago(20))
    assert rows(physio)["lena"].adherence is None
    assert "no programme" in text_of(physio_client.get(CASELOAD))


def test_last_activity_is_the_latest_of_any_record(physio, physio_client):
    patient = make_patient(physio, "lena")
    GirthMeasurementFactory(patient=patient, date=days_ago(9))
    HeelRiseTestFactory(patient=patient, date=days_ago(12))
    SymptomLogFactory(patient=patient, date=days_ago(6))
    ExerciseSessionFactory(patient=patient, performed_at=moment_days_ago(4))
    make_patient(physio, "idle")
    result = rows(physio)
    assert result["lena"].last_activity == timezone.localtime(moment_days_ago(4)).date()
    assert result["idle"].last_activity is None
    assert "never" in text_of(physio_client.get(CASELOAD))


# --- red flags ------------------------------------------------------------------------------------


def test_swelling_of_the_involved_calf_is_a_red_flag(physio, physio_client):
    swollen = make_patient(physio, "swollen")
    girth(swollen, 2, "40.0", "37.0")
    atrophied = make_patient(physio, "atrophied")  # left affected, right 3.4 cm larger: not swelling
    girth(atrophied, 2, "34.2", "37.6")
    unknown = make_patient(physio, "unknown_side", side="unknown")
    girth(unknown, 2, "34.2", "37.6")
    result = rows(physio)
    assert (result["swollen"].flag_swelling, result["swollen"].red_flag_count) == (True, 1)
    assert result["atrophied"].flag_swelling is False
    assert result["unknown_side"].flag_swelling is True
    # The reasons column says it in words, with the date (triage.rules.red_flags).
    assert "urgent: left calf 3.0 cm larger than the right (tt10)" in text_of(physio_client.get(CASELOAD))


def test_swelling_that_has_settled_or_is_old_is_not_open(physio):
    settled = make_patient(physio, "settled")
    girth(settled, 6, "40.0", "37.0")
    girth(settled, 1, "37.5", "37.0")
    old = make_patient(physio, "old")
    girth(old, 20, "40.0", "37.0")
    result = rows(physio)
    assert result["settled"].flag_swelling is False
    assert result["old"].flag_swelling is False


def test_a_calf_growing_2_cm_within_7_days_is_a_red_flag(physio):
    """The dashboard's second swelling rule, on either calf, whatever the affected side."""
    grew = make_patient(physio, "grew")  # left affected; the RIGHT calf grows 2.0 cm in 5 days
    girth(grew, 6, "34.0", "36.0")
    girth(grew, 1, "34.0", "38.0")
    slow = make_patient(physio, "slow")  # 2.5 cm, but over 9 days
    girth(slow, 10, "34.0", "36.0")
    girth(slow, 1, "36.5", "36.0")
    small = make_patient(physio, "small")  # 1.9 cm in 3 days
    girth(small, 4, "34.0", "36.0")
    girth(small, 1, "35.9", "36.0")
    other_site = make_patient(physio, "other_site")  # the rise is across two different sites
    girth(other_site, 4, "34.0", "36.0", site="tt15")
    girth(other_site, 1, "36.5", "36.0")
    result = rows(physio)
    assert (result["grew"].flag_swelling, result["grew"].red_flag_count) == (True, 1)
    assert result["slow"].flag_swelling is False
    assert result["small"].flag_swelling is False
    assert result["other_site"].flag_swelling is False
    dashboard_flags = flags.active_red_flags(grew, affected_side="left", today=today())
    assert [flag.code for flag in dashboard_flags] == ["swelling_rise"]


def test_symptom_and_pain_red_flags(physio):
    patient = make_patient(physio, "lena")
    SymptomLogFactory(patient=patient, date=days_ago(1), flag_numbness=True)
    session = ExerciseSessionFactory(patient=patient, performed_at=moment_days_ago(3), pain_after=3)
    ExerciseEntryFactory(session=session, pain_during=7)
    calm = make_patient(physio, "calm")
    SymptomLogFactory(patient=calm, date=days_ago(5), flag_numbness=True)  # older than 2 days
    ExerciseSessionFactory(patient=calm, performed_at=moment_days_ago(10), pain_after=8)  # older than 7 days
    ExerciseSessionFactory(patient=calm, performed_at=moment_days_ago(1), pain_after=5)  # 5/10 is acceptable
    result = rows(physio)
    lena = result["lena"]
    assert (lena.flag_symptoms, lena.flag_pain, lena.red_flag_count) == (True, True, 1)
    assert (lena.flag_symptoms, lena.flag_pain, lena.flag_swelling) == (True, True, False)
    assert result["calm"].red_flag_count == 0


def test_pain_above_the_limit_alone_is_a_reason_to_look_not_a_red_flag(client, physio):
    """"Red flag open: Yes" listed a patient whose only finding was pain 7/10, while "Urgent (red
    flags)" beside it and her review page had no red flag (domain: red flags are swelling and the
    ticked symptoms; pain is the pain-monitoring rule)."""
    sore = make_patient(physio, "sore")
    ExerciseEntryFactory(session=ExerciseSessionFactory(patient=sore, performed_at=moment_days_ago(1)),
                         pain_during=7)
    ticked = make_patient(physio, "ticked")
    SymptomLogFactory(patient=ticked, date=days_ago(1), flag_numbness=True)
    result = rows(physio)
    assert (result["sore"].flag_pain, result["sore"].red_flag_count) == (True, 0)
    client.force_login(physio)

    def listed(query: str) -> set[str]:
        response = client.get(f"/admin/tracker/patientprofile/?{query}")
        return {profile.user.username for profile in response.context["cl"].result_list}

    assert listed("red_flag=yes") == listed("needs_attention=urgent") == {"ticked"}
    assert listed("needs_attention=any") == {"sore", "ticked"}
    review = text_of(client.get(f"/admin/tracker/patientprofile/{sore.profile.pk}/change/"))
    assert "Red flags" not in review and "Pain during exercise went above 5/10." in review


# --- new data since your last review ------------------------------------------------------------------


def test_new_data_since_your_last_review(physio, physio_client):
    patient = make_patient(physio, "lena")
    nothing = make_patient(physio, "nothing")
    GirthMeasurementFactory(patient=patient, date=days_ago(3))
    assert rows(physio)["lena"].new_data is True
    assert rows(physio)["nothing"].new_data is False
    PhysioNoteFactory(patient=patient, author=physio, is_review=True, visible_to_patient=False)
    assert rows(physio)["lena"].new_data is False
    SymptomLogFactory(patient=patient, date=days_ago(1))
    assert rows(physio)["lena"].new_data is True
    assert nothing.profile.pk


def test_a_review_by_someone_else_or_a_plain_note_is_not_your_review(physio):
    patient = make_patient(physio, "lena")
    GirthMeasurementFactory(patient=patient, date=days_ago(3))
    PhysioNoteFactory(patient=patient, author=PhysioFactory(), is_review=True, text="Reviewed")
    PhysioNoteFactory(patient=patient, author=physio, is_review=False, text="Just a note")
    assert rows(physio)["lena"].new_data is True


# --- filters, search, sorting ---------------------------------------------------------------------------


@pytest.fixture
def mixed_caseload(physio):
    """Four patients, each singled out by one or more filters."""
    flagged = make_patient(physio, "flagged", side="right")
    SymptomLogFactory(patient=flagged, date=days_ago(1), flag_tear_pop=True)
    PrescriptionFactory(patient=flagged, times_per_week=2, start_date=days_ago(60))
    for day in (1, 5, 8, 12):
        session = ExerciseSessionFactory(patient=flagged, performed_at=moment_days_ago(day))
        ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))

    low = make_patient(physio, "low_lsi")
    girth(low, 2, "34.2", "38.6")
    HeelRiseTestFactory(patient=low, date=days_ago(2), reps_left=27, reps_right=27)
    PrescriptionFactory(patient=low, times_per_week=4, start_date=days_ago(60))
    session = ExerciseSessionFactory(patient=low, performed_at=moment_days_ago(2))
    ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))
    PhysioNoteFactory(patient=low, author=physio, is_review=True, text="Reviewed")

    quiet = make_patient(physio, "quiet", side="both")
    girth(quiet, 20, "37.0", "37.2")
    HeelRiseTestFactory(patient=quiet, date=days_ago(20), reps_left=20, reps_right=27)
    PhysioNoteFactory(patient=quiet, author=physio, is_review=True, text="Reviewed")

    fine = make_patient(physio, "fine")
    girth(fine, 0, "37.0", "37.0")
    PhysioNoteFactory(patient=fine, author=physio, is_review=True, text="Reviewed")
    return physio


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("red_flag=yes", {"flagged"}),
        ("red_flag=no", {"low_lsi", "quiet", "fine"}),
        ("goal=girth", {"low_lsi"}),
        ("goal=heel_rise", {"quiet"}),
        ("goal=any", {"low_lsi", "quiet"}),
        ("not_logged=yes", {"quiet"}),
        ("low_adherence=yes", {"low_lsi"}),
        ("low_adherence=no", {"flagged"}),
        ("new_data=yes", {"flagged"}),
        ("affected_side__exact=right", {"flagged"}),
        ("affected_side__exact=both", {"quiet"}),
        ("red_flag=no&goal=any&not_logged=no", {"low_lsi"}),
    ],
)
def test_filters(physio_client, mixed_caseload, query, expected):
    response = physio_client.get(f"{CASELOAD}?{query}")
    assert response.status_code == 200
    assert set(listed(response)) == expected


def test_adherence_values_behind_the_filters(mixed_caseload):
    result = rows(mixed_caseload)
    assert result["flagged"].adherence == 100.0  # 4 sessions / (2 x 2)
    assert result["low_lsi"].adherence == 12.5  # 1 / (4 x 2)
    assert result["quiet"].adherence is None


def test_not_logged_includes_patients_who_never_logged(physio, physio_client):
    make_patient(physio, "never")
    assert listed(physio_client.get(f"{CASELOAD}?not_logged=yes")) == ["never"]


@pytest.mark.parametrize(
    "term", ["Quentin", "Quiet-Surname", "quiet@example.com", "quiet", "soleus strain"]
)
def test_search_by_name_username_email_condition(physio, physio_client, term):
    patient = make_patient(physio, "quiet", first_name="Quentin", last_name="Quiet-Surname",
                           email="quiet@example.com")
    patient.profile.condition = "Soleus strain after hill running"
    patient.profile.save()
    make_patient(physio, "other", first_name="Olga", email="other@example.org")
    assert listed(physio_client.get(CASELOAD, {"q": term})) == ["quiet"]


def column(response, name: str) -> int:
    return response.context["cl"].list_display.index(name)


@pytest.mark.parametrize(
    ("column_name", "ascending", "descending"),
    [
        # Missing values sort last going up (largest girth deficit / worst adherence first), first going down.
        ("girth_display", ["low_lsi", "quiet", "fine", "flagged"], ["flagged", "fine", "quiet",
                                                                         "low_lsi"]),
        ("adherence_display", ["low_lsi", "flagged", "fine", "quiet"], ["fine", "quiet", "flagged",
                                                                         "low_lsi"]),
        ("last_activity_display", ["quiet", "low_lsi", "flagged", "fine"], ["fine", "flagged", "low_lsi",
                                                                             "quiet"]),
    ],
)
def test_sorting(physio_client, mixed_caseload, column_name, ascending, descending):
    index = column(physio_client.get(CASELOAD), column_name)
    assert listed(physio_client.get(f"{CASELOAD}?o={index}")) == ascending
    assert listed(physio_client.get(f"{CASELOAD}?o=-{index}")) == descending


def test_default_order_puts_red_flags_and_new_data_first(physio_client, mixed_caseload):
    assert listed(physio_client.get(CASELOAD))[0] == "flagged"


def test_invalid_filter_values_do_not_fail(physio_client, mixed_caseload):
    for query in ("red_flag=maybe", "goal=%00", "o=99", "o=abc", "assignment=bogus"):
        assert physio_client.get(f"{CASELOAD}?{query}").status_code in (200, 302)


# --- query count does not grow with the number of patients ------------------------------------------


def add_patients_with_history(physio, count: int, start: int) -> None:
    for index in range(start, start + count):
        patient = make_patient(physio, f"p{index:03d}", side="left" if index % 2 else "right")
        GirthMeasurementFactory(patient=patient, date=days_ago(35))
        GirthMeasurementFactory(patient=patient, date=days_ago(2), left_1=Decimal("40.0") if index % 5 == 0
                                else Decimal("34.2"))
        HeelRiseTestFactory(patient=patient, date=days_ago(3))
        session = ExerciseSessionFactory(
            patient=patient, performed_at=moment_days_ago(1), pain_after=index % 10
        )
        ExerciseEntryFactory(session=session, exercise=exercise("eccentric-heel-drop-straight"))
        SymptomLogFactory(patient=patient, date=days_ago(1), flag_dvt_signs=index % 7 == 0)
        PrescriptionFactory(patient=patient)
        if index % 3 == 0:
            PhysioNoteFactory(patient=patient, author=physio, is_review=True, text="Reviewed")


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("query", ["", "?red_flag=yes&o=4", "?goal=any&q=p0", "?new_data=yes&o=-8"])
def test_query_count_is_the_same_for_10_and_100_patients(physio, physio_client, query):
    add_patients_with_history(physio, 10, 0)
    with_10 = count_queries(physio_client, CASELOAD + query)
    add_patients_with_history(physio, 90, 10)
    with_100 = count_queries(physio_client, CASELOAD + query)
    assert with_10 == with_100
    if not query:
        page = physio_client.get(CASELOAD).content.decode()  # (from the cache: nothing changed)
        assert page.count('name="_selected_action"') == 50  # one page of 50


def test_caseload_page_wording(physio_client, physio):
    make_patient(physio, "lena")
    page = text_of(physio_client.get(CASELOAD))
    assert "Caseload: choose a patient to review" in page
    assert "Add a patient" in page and "Add patient profile" not in page
    assert "A 4-week change counts as real from 1 cm" in page
    assert "less than 1 cm smaller (1-2 cm smaller: a deficit" in page
    assert "involved calf ≥ 3 cm larger or a calf grown ≥ 2 cm within 7 days (last 14 days)" in page


def test_caseload_key_takes_its_numbers_from_the_clinical_rules(physio_client, physio, monkeypatch):
    """Written once, in tracker.metrics: the key under the caseload follows a changed rule."""
    monkeypatch.setattr(metrics, "SWELLING_ASYMMETRY_CM", 4.0)
    monkeypatch.setattr(metrics, "ADHERENCE_WINDOW_DAYS", 21)
    make_patient(physio, "lena")
    page = text_of(physio_client.get(CASELOAD))
    assert "involved calf ≥ 4 cm larger" in page
    assert "in the last 21 days ÷ the sessions her programme expects" in page


def test_admin_is_branded_for_the_clinic_and_has_the_app_icon(physio_client):
    html = physio_client.get(CASELOAD).content.decode()
    assert "Calf Rehab Tracker · clinic" in html
    assert "Django administration" not in html
    assert 'rel="icon" href="/static/tracker/icon.svg"' in html


def test_girth_column_and_filter_judge_in_cm_not_by_lsi(physio, physio_client):
    """LSI 94.9% looks fine by a percentage, but 1.9 cm smaller is a meaningful deficit."""
    patient = make_patient(physio, "anna")
    girth(patient, 1, "35.6", "37.5")
    HeelRiseTestFactory(patient=patient, date=days_ago(1), reps_left=21, reps_right=27)
    text = text_of(physio_client.get(CASELOAD))
    assert "1.9 cm smaller: deficit · LSI 94.9%" in text
    assert "77.8% (below 90%)" in text
    assert listed(physio_client.get(f"{CASELOAD}?goal=girth")) == ["anna"]
    assert listed(physio_client.get(f"{CASELOAD}?goal=heel_rise")) == ["anna"]
    assert "Girth: 1 cm or more smaller" in text and "Heel-rise LSI below her target" in text
