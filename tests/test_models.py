"""The data model: database constraints (bypassing Python validation), validators and derived means."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.factories import (
    ExerciseEntryFactory,
    ExerciseFactory,
    ExerciseSessionFactory,
    GirthMeasurementFactory,
    HeelRiseTestFactory,
    PatientFactory,
    PrescriptionFactory,
    SymptomLogFactory,
)
from tracker.models import (
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    Prescription,
    SymptomLog,
)
from tracker.models.base import Range

pytestmark = pytest.mark.django_db

BEFORE_1900 = datetime.date(1899, 12, 31)


def _profile():
    return PatientFactory().profile


# model -> a function making one valid saved row of it
MAKERS = {
    GirthMeasurement: GirthMeasurementFactory,
    HeelRiseTest: HeelRiseTestFactory,
    Exercise: ExerciseFactory,
    ExerciseSession: ExerciseSessionFactory,
    ExerciseEntry: ExerciseEntryFactory,
    SymptomLog: SymptomLogFactory,
    Prescription: PrescriptionFactory,
    PatientProfile: _profile,
}


def update_in_db(obj, **values) -> int:
    """Write values with a plain UPDATE: no validators, no save(); only the database can object."""
    with transaction.atomic():
        return type(obj).objects.filter(pk=obj.pk).update(**values)


BAD_VALUES = [
    # girth readings 15-80 cm, optional readings too; the stored means as well
    (GirthMeasurement, "left_1", Decimal("14.9")),
    (GirthMeasurement, "left_1", Decimal("90.0")),
    (GirthMeasurement, "right_1", Decimal("80.1")),
    (GirthMeasurement, "right_1", Decimal("0.0")),
    (GirthMeasurement, "left_2", Decimal("80.1")),
    (GirthMeasurement, "left_3", Decimal("14.9")),
    (GirthMeasurement, "right_2", Decimal("90.0")),
    (GirthMeasurement, "right_3", Decimal("-34.0")),
    (GirthMeasurement, "left_cm", Decimal("14.9")),  # one decimal, as the readings
    (GirthMeasurement, "right_cm", Decimal("80.1")),
    (GirthMeasurement, "left_1", None),
    (GirthMeasurement, "site", "calf"),
    (GirthMeasurement, "date", BEFORE_1900),
    # heel-rise reps 0-200, incline 0 or 10
    (HeelRiseTest, "reps_left", 201),
    (HeelRiseTest, "reps_right", 201),
    (HeelRiseTest, "reps_left", -1),
    (HeelRiseTest, "incline", 5),
    (HeelRiseTest, "incline", 15),
    (HeelRiseTest, "date", BEFORE_1900),
    # library defaults
    (Exercise, "default_sets", 0),
    (Exercise, "default_sets", 21),
    (Exercise, "default_amount", 0),
    (Exercise, "default_amount", 501),
    # session pains and effort 0-10
    (ExerciseSession, "pain_before", 11),
    (ExerciseSession, "pain_after", 11),
    (ExerciseSession, "rpe", 11),
    (ExerciseSession, "duration_minutes", 0),
    (ExerciseSession, "duration_minutes", 601),
    # exercise entry: sets 1-20, reps 0-500, load 0-300 kg, pain 0-10
    (ExerciseEntry, "sets", 0),
    (ExerciseEntry, "sets", 21),
    (ExerciseEntry, "reps", 501),
    (ExerciseEntry, "reps", -1),
    (ExerciseEntry, "hold_seconds", 0),
    (ExerciseEntry, "hold_seconds", 601),
    (ExerciseEntry, "minutes", 0),
    (ExerciseEntry, "minutes", 301),
    (ExerciseEntry, "load_kg", Decimal("300.1")),
    (ExerciseEntry, "load_kg", Decimal("-0.5")),
    (ExerciseEntry, "pain_during", 11),
    (ExerciseEntry, "side", "up"),
    # symptoms: pain and stiffness 0-10, cramps 0-20
    (SymptomLog, "pain_at_rest", 11),
    (SymptomLog, "pain_next_morning", 11),
    (SymptomLog, "stiffness", 11),
    (SymptomLog, "night_cramps", 21),
    (SymptomLog, "date", BEFORE_1900),
    # prescription: times per week 1-14 and the dosage rules
    (Prescription, "times_per_week", 0),
    (Prescription, "times_per_week", 15),
    (Prescription, "sets", 21),
    (Prescription, "load_kg", Decimal("300.5")),
    # profile: target LSI 50-100, choices
    (PatientProfile, "target_lsi", Decimal("49.9")),
    (PatientProfile, "target_lsi", Decimal("100.1")),
    (PatientProfile, "affected_side", "middle"),
    (PatientProfile, "unit", "mm"),
    (PatientProfile, "birth_year", 1899),
    (PatientProfile, "onset_date", BEFORE_1900),
]


@pytest.mark.parametrize(
    ("model", "field", "value"),
    BAD_VALUES,
    ids=[f"{m.__name__}.{f}={v}" for m, f, v in BAD_VALUES],
)
def test_database_rejects_out_of_range_values(model, field, value):
    obj = MAKERS[model]()
    before = model.objects.values_list(field, flat=True).get(pk=obj.pk)

    with pytest.raises(IntegrityError):
        update_in_db(obj, **{field: value})

    assert model.objects.values_list(field, flat=True).get(pk=obj.pk) == before


GOOD_EDGES = [
    (GirthMeasurement, "left_1", Decimal("15.0")),
    (GirthMeasurement, "right_1", Decimal("80.0")),
    (GirthMeasurement, "left_2", None),
    (GirthMeasurement, "right_3", Decimal("80.0")),
    (GirthMeasurement, "date", datetime.date(1900, 1, 1)),
    (HeelRiseTest, "reps_left", 0),
    (HeelRiseTest, "reps_right", 200),
    (HeelRiseTest, "incline", 0),
    (HeelRiseTest, "incline", 10),
    (ExerciseEntry, "sets", 1),
    (ExerciseEntry, "sets", 20),
    (ExerciseEntry, "reps", 0),
    (ExerciseEntry, "reps", 500),
    (ExerciseEntry, "load_kg", Decimal("300.0")),
    (ExerciseEntry, "pain_during", 10),
    (ExerciseEntry, "pain_during", None),
    (ExerciseSession, "rpe", 0),
    (ExerciseSession, "pain_after", 10),
    (SymptomLog, "night_cramps", 20),
    (SymptomLog, "stiffness", 0),
    (Prescription, "times_per_week", 1),
    (Prescription, "times_per_week", 14),
    (PatientProfile, "target_lsi", Decimal("50.0")),
    (PatientProfile, "target_lsi", Decimal("100.0")),
    (PatientProfile, "affected_side", "unknown"),
    (PatientProfile, "unit", "in"),
]


@pytest.mark.parametrize(
    ("model", "field", "value"),
    GOOD_EDGES,
    ids=[f"{m.__name__}.{f}={v}" for m, f, v in GOOD_EDGES],
)
def test_database_accepts_the_edges_of_each_range(model, field, value):
    obj = MAKERS[model]()

    assert update_in_db(obj, **{field: value}) == 1

    assert model.objects.values_list(field, flat=True).get(pk=obj.pk) == value


@pytest.mark.parametrize("model", [ExerciseEntry, Prescription])
def test_dosage_without_any_amount_is_rejected(model):
    obj = MAKERS[model]()

    with pytest.raises(IntegrityError):
        update_in_db(obj, reps=None, hold_seconds=None, minutes=None)


@pytest.mark.parametrize("amount", [{"hold_seconds": 30}, {"minutes": 20}])
def test_dosage_with_seconds_or_minutes_instead_of_reps_is_accepted(amount):
    entry = ExerciseEntryFactory()

    assert update_in_db(entry, reps=None, **amount) == 1


def test_prescription_cannot_end_before_it_starts():
    prescription = PrescriptionFactory()

    with pytest.raises(IntegrityError):
        update_in_db(prescription, end_date=prescription.start_date - datetime.timedelta(days=1))

    assert update_in_db(prescription, end_date=prescription.start_date) == 1


def test_prescription_full_clean_explains_end_before_start():
    prescription = PrescriptionFactory.build(
        patient=PatientFactory(), start_date=datetime.date(2024, 3, 10), end_date=datetime.date(2024, 3, 9)
    )

    with pytest.raises(ValidationError) as caught:
        prescription.full_clean()

    assert "The end date must be on or after the start date." in str(caught.value)


def test_one_girth_measurement_per_patient_date_and_site():
    first = GirthMeasurementFactory(site="tt10")
    duplicate = GirthMeasurement(
        patient=first.patient, date=first.date, site="tt10", left_1=Decimal("34.0"), right_1=Decimal("37.0")
    )
    duplicate.compute_means()

    with pytest.raises(IntegrityError), transaction.atomic():
        GirthMeasurement.objects.bulk_create([duplicate])

    # The same day at another site, or another patient on the same day and site, is fine.
    GirthMeasurementFactory(patient=first.patient, date=first.date, site="max")
    GirthMeasurementFactory(date=first.date, site="tt10")
    assert GirthMeasurement.objects.filter(date=first.date).count() == 3


def test_one_symptom_log_per_patient_per_day():
    first = SymptomLogFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SymptomLog.objects.bulk_create([SymptomLog(patient=first.patient, date=first.date)])

    SymptomLogFactory(date=first.date)  # another patient
    assert SymptomLog.objects.filter(date=first.date).count() == 2


def test_girth_duplicate_is_reported_by_full_clean():
    first = GirthMeasurementFactory(site="tt10")
    duplicate = GirthMeasurement(
        patient=first.patient, date=first.date, site="tt10", left_1=Decimal("34.0"), right_1=Decimal("37.0")
    )
    duplicate.compute_means()

    with pytest.raises(ValidationError):
        duplicate.full_clean()


# --- Python validators -------------------------------------------------------------------------


def _unsaved_girth(**fields) -> GirthMeasurement:
    values = {
        "date": timezone.localdate(),
        "site": "tt10",
        "left_1": Decimal("34.2"),
        "right_1": Decimal("37.6"),
    }
    m = GirthMeasurement(patient=PatientFactory(), **{**values, **fields})
    m.compute_means()
    return m


def test_valid_girth_passes_full_clean():
    _unsaved_girth().full_clean()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (timezone.localdate() + datetime.timedelta(days=1), "This date is in the future"),
        (BEFORE_1900, "Enter a date from 1900 onwards."),
    ],
)
def test_full_clean_rejects_future_and_pre_1900_dates(day, message):
    m = _unsaved_girth(date=day)

    with pytest.raises(ValidationError) as caught:
        m.full_clean()

    assert "date" in caught.value.message_dict
    assert any(message in text for text in caught.value.message_dict["date"])


def test_full_clean_rejects_a_session_in_the_future():
    later = timezone.now() + datetime.timedelta(hours=2)
    session = ExerciseSession(patient=PatientFactory(), performed_at=later)

    with pytest.raises(ValidationError) as caught:
        session.full_clean()

    assert "performed_at" in caught.value.message_dict


def test_full_clean_allows_a_minute_of_clock_slack_for_sessions():
    soon = timezone.now() + datetime.timedelta(seconds=20)
    session = ExerciseSession(patient=PatientFactory(), performed_at=soon)

    session.full_clean()


@pytest.mark.parametrize("value", [Decimal("14.9"), Decimal("80.1")])
def test_full_clean_rejects_girth_out_of_range(value):
    m = _unsaved_girth(left_2=value)

    with pytest.raises(ValidationError) as caught:
        m.full_clean()

    assert "left_2" in caught.value.message_dict


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), float("nan")])
def test_full_clean_rejects_nan_and_infinity(value):
    m = _unsaved_girth()
    m.left_1 = value  # after the means: a non-finite reading must be caught by validation

    with pytest.raises(ValidationError) as caught:
        m.full_clean()

    assert "left_1" in caught.value.message_dict


@pytest.mark.parametrize("value", [Decimal("NaN"), float("nan"), Decimal("Infinity")])
def test_orm_refuses_to_write_nan(value):
    m = GirthMeasurementFactory()

    with pytest.raises((ValidationError, ValueError, IntegrityError)):
        update_in_db(m, left_2=value)

    m.refresh_from_db()
    assert m.left_2 is None


@pytest.mark.parametrize("value", [Decimal("NaN"), "NaN"])
def test_raw_sql_nan_is_rejected_by_the_check_constraint(value):
    m = GirthMeasurementFactory()
    table = GirthMeasurement._meta.db_table

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET left_2 = %s WHERE id = %s", [value, m.pk])

    m.refresh_from_db()
    assert m.left_2 is None


def test_heel_rise_nan_reps_never_reach_the_database():
    test = HeelRiseTestFactory()

    with pytest.raises((ValidationError, ValueError)):
        update_in_db(test, reps_left=float("nan"))

    test.refresh_from_db()
    assert test.reps_left == 12


# --- Derived means and symmetry ----------------------------------------------------------------


def test_save_computes_means_from_the_readings():
    m = GirthMeasurementFactory(
        left_1=Decimal("34.1"), left_2=Decimal("34.3"), right_1=Decimal("37.6"), right_2=None
    )
    m.refresh_from_db()

    assert m.left_cm == Decimal("34.20")
    assert m.right_cm == Decimal("37.60")


def test_the_mean_of_the_readings_is_kept_to_a_tenth_of_a_cm_like_the_readings():
    m = GirthMeasurementFactory(
        left_1=Decimal("34.1"), left_2=Decimal("34.2"), left_3=Decimal("34.4"),
        right_1=Decimal("37.5"), right_2=Decimal("37.6"),
    )
    m.refresh_from_db()

    assert m.left_cm == Decimal("34.2")  # 34.23
    assert m.right_cm == Decimal("37.6")  # 37.55, half away from zero


def test_save_recomputes_means_after_an_edit():
    m = GirthMeasurementFactory(left_1=Decimal("34.0"), left_2=Decimal("34.4"))
    m.left_2 = None
    m.save()
    m.refresh_from_db()

    assert m.left_cm == Decimal("34.00")


def test_worked_symmetry_example_left_affected():
    m = GirthMeasurementFactory(left_1=Decimal("34.2"), right_1=Decimal("37.6"))

    result = m.symmetry("left")

    assert result.lsi == 91.0
    assert result.difference == -3.4
    assert result.involved_side == "left"
    assert result.smaller_side == "left"


def test_symmetry_right_affected_compares_right_to_left():
    m = GirthMeasurementFactory(left_1=Decimal("34.2"), right_1=Decimal("37.6"))

    result = m.symmetry("right")

    assert result.lsi == 109.9
    assert result.difference == 3.4
    assert result.smaller_side == "left"


def test_heel_rise_symmetry():
    test = HeelRiseTestFactory(reps_left=12, reps_right=27)

    result = test.symmetry("left")

    assert result.lsi == 44.4
    assert result.difference == -15


def test_profile_is_one_per_user():
    profile = PatientFactory().profile

    with pytest.raises(IntegrityError), transaction.atomic():
        PatientProfile.objects.bulk_create([PatientProfile(user=profile.user)])


@pytest.mark.parametrize(
    ("bounds", "wording", "message"),
    [
        ((0, 10), {}, "Enter a whole number from 0 to 10."),
        (
            (Decimal("15.0"), Decimal("80.0")),
            {"noun": "girth", "unit": "cm"},
            "Enter a girth from 15.0 to 80.0 cm.",
        ),
        ((Decimal(0), Decimal(300)), {"unit": "kg"}, "Enter a number from 0 to 300 kg."),
        ((datetime.time(8), datetime.time(20, 59)), {}, "Enter a time from 08:00 to 20:59."),
    ],
)
def test_a_range_says_what_to_enter_on_either_side(bounds, wording, message):
    low_check, high_check = Range(*bounds, **wording).validators()
    low_check(bounds[0])  # the bounds themselves are in the range
    high_check(bounds[1])
    with pytest.raises(ValidationError) as below:
        low_check(Decimal(-1) if not isinstance(bounds[0], datetime.time) else datetime.time(7, 59))
    with pytest.raises(ValidationError) as above:
        high_check(Decimal(9999) if not isinstance(bounds[1], datetime.time) else datetime.time(21))
    assert below.value.messages == above.value.messages == [message]


@pytest.mark.django_db
def test_every_path_through_the_model_hears_the_same_out_of_range_and_choice_messages():
    measurement = GirthMeasurementFactory.build(patient=PatientFactory(), left_1=Decimal("90.0"), site="calf")
    prescription = PrescriptionFactory.build(load_kg=Decimal("301"))
    with pytest.raises(ValidationError) as girth_error:
        measurement.full_clean()
    with pytest.raises(ValidationError) as load_error:
        prescription.full_clean()
    assert girth_error.value.message_dict["left_1"] == ["Enter a girth from 15.0 to 80.0 cm."]
    assert girth_error.value.message_dict["site"] == ["“calf” is not one of max, tt10, tt15."]
    assert load_error.value.message_dict["load_kg"] == ["Enter a number from 0 to 300 kg."]
    # Too many digits is said with the range, not as "no more than 4 digits in total".
    measurement.left_1, measurement.site = Decimal("35.123"), "tt10"
    with pytest.raises(ValidationError) as digits_error:
        measurement.full_clean()
    assert digits_error.value.message_dict == {
        "left_1": ["Enter a girth from 15.0 to 80.0 cm, with at most one decimal."]
    }


@pytest.mark.django_db
def test_records_are_named_with_dates_as_the_pages_write_them(settings):
    """The admin's headings, breadcrumbs and messages name a record by its __str__: it said
    "Session on 2026-12-04 19:00" (and a message's time in UTC) beside "Fri 4 Dec 2026, 19:00"."""
    from tests.factories import MessageFactory, PhysioNoteFactory, QuestionnaireResponseFactory

    settings.TIME_ZONE = "Europe/Madrid"  # an hour ahead of UTC in December
    patient = PatientFactory()
    day = datetime.date(2026, 12, 4)
    at_18_utc = datetime.datetime(2026, 12, 4, 18, 0, tzinfo=datetime.UTC)
    with timezone.override("Europe/Madrid"):
        names = [
            str(ExerciseSessionFactory(patient=patient, performed_at=at_18_utc)),
            str(GirthMeasurementFactory(patient=patient, date=day, site="tt10")),
            str(HeelRiseTestFactory(patient=patient, date=day)),
            str(SymptomLogFactory(patient=patient, date=day)),
            str(MessageFactory(patient=patient, created_at=at_18_utc)),
            str(PhysioNoteFactory(patient=patient, created_at=at_18_utc)),
            str(QuestionnaireResponseFactory(patient=patient, submitted_at=at_18_utc)),
        ]
    assert names == [
        "Session on Fri 4 Dec 2026, 19:00",
        "10 cm below the knee bump (tt10) on 4 Dec 2026",
        "Heel-rise test on 4 Dec 2026",
        "Check-in on 4 Dec 2026",
        "Message of Fri 4 Dec 2026, 19:00",
        "Note of 4 Dec 2026",
        "LEFS of 4 Dec 2026",
    ]
