"""The seed_demo command: safe by default, idempotent, and telling the demo story of domain.md."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max
from django.utils import timezone

from tests.helpers import log_in
from tracker.access import is_physio
from tracker.management.commands.seed_demo import DEFAULT_PASSWORD
from tracker.models import (
    PHYSIO_GROUP,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Message,
    PhysioNote,
    Prescription,
    QuestionnaireResponse,
    SymptomLog,
    User,
)
from tracker.questionnaires import score
from tracker.selectors.questionnaires import due_questionnaires

pytestmark = pytest.mark.django_db
DEMO_PATIENTS = ["demo", "tennis", "achilles"]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Row count of every model, and the latest change of every model that records one."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        state[label] = model.objects.count()
        if any(field.name == "updated_at" for field in model._meta.fields):
            state[f"{label}.updated_at"] = model.objects.aggregate(latest=Max("updated_at"))["latest"]
    state["passwords"] = sorted(User.objects.values_list("username", "password"))
    state["last_login"] = sorted(User.objects.values_list("username", "last_login"))
    return state


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    seed()


def test_refuses_without_force_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.filter(username__in=["demo", "tennis", "physio"]).exists()


def test_runs_without_force_when_debug_is_on(settings, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())

    assert User.objects.filter(username__in=[*DEMO_PATIENTS, "physio"]).count() == 4


def test_creates_the_physio_and_three_patients(seeded):
    physio = User.objects.get(username="physio")
    assert physio.is_staff
    assert not physio.is_superuser
    assert physio.groups.filter(name=PHYSIO_GROUP).exists()
    assert is_physio(physio)
    assert not hasattr(physio, "profile")

    for username, side in [("demo", "left"), ("tennis", "right"), ("achilles", "right")]:
        patient = User.objects.get(username=username)
        assert not patient.is_staff
        assert patient.profile.affected_side == side
        assert patient.profile.physio == physio
        assert patient.profile.condition
        for model in (GirthMeasurement, HeelRiseTest, ExerciseSession, SymptomLog, Prescription):
            assert model.objects.filter(patient=patient).exists(), (username, model.__name__)
        assert ExerciseEntry.objects.filter(session__patient=patient).exists()

    assert set(physio.caseload.values_list("user__username", flat=True)) == {"demo", "tennis", "achilles"}
    assert PhysioNote.objects.filter(patient__username="demo", author=physio).exists()


def test_all_seeded_rows_pass_model_validation(seeded):
    for model in (GirthMeasurement, HeelRiseTest, SymptomLog, Prescription, ExerciseSession):
        for row in model.objects.filter(patient__username__in=DEMO_PATIENTS):
            row.full_clean()
    for entry in ExerciseEntry.objects.filter(session__patient__username__in=DEMO_PATIENTS):
        entry.full_clean()
    for message in Message.objects.all():
        message.full_clean()


def test_nothing_lies_in_the_future(seeded):
    today = timezone.localdate()
    for model in (GirthMeasurement, HeelRiseTest, SymptomLog):
        assert not model.objects.filter(date__gt=today).exists(), model.__name__
    assert not ExerciseSession.objects.filter(performed_at__gt=timezone.now()).exists()


def test_second_run_changes_nothing(seeded):
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert "nothing changed" in output


def test_second_run_with_another_password_keeps_the_first(monkeypatch, seeded):
    monkeypatch.setenv("DEMO_PASSWORD", "a-different-demo-pass")
    seed()

    assert User.objects.get(username="demo").check_password(DEFAULT_PASSWORD)


def test_default_password_logs_in(client, seeded):
    assert log_in(client, "demo", DEFAULT_PASSWORD)
    assert client.get("/").status_code == 200


def test_demo_password_from_the_environment(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "my-own-demo-password")

    output = seed()

    assert "my-own-demo-password" not in output
    for username in (*DEMO_PATIENTS, "physio"):
        assert log_in(client, username, "my-own-demo-password"), username
        assert not log_in(client, username, DEFAULT_PASSWORD), username


def test_physio_logs_in_to_the_admin(client, seeded):
    assert log_in(client, "physio", DEFAULT_PASSWORD)
    assert client.get("/").url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_missing_patient_is_recreated_and_the_other_left_alone(seeded):
    tennis_rows = GirthMeasurement.objects.filter(patient__username="tennis").count()
    demo_rows = GirthMeasurement.objects.filter(patient__username="demo").count()
    User.objects.get(username="demo").delete()

    seed()

    assert GirthMeasurement.objects.filter(patient__username="demo").count() == demo_rows
    assert GirthMeasurement.objects.filter(patient__username="tennis").count() == tennis_rows
    assert User.objects.filter(username="physio").count() == 1


# --- the demo story ------------------------------------------------------------------------------


def test_demo_girth_story(seeded):
    demo = User.objects.get(username="demo")
    tt10 = list(GirthMeasurement.objects.filter(patient=demo, site="tt10").order_by("date"))
    first, last = tt10[0], tt10[-1]

    assert len(tt10) == 17  # weekly for 16 weeks
    assert (timezone.localdate() - first.date) == datetime.timedelta(weeks=16)
    assert last.date == timezone.localdate()
    assert 89.5 <= first.symmetry("left").lsi <= 92
    assert 94 <= last.symmetry("left").lsi <= 96
    assert first.symmetry("left").smaller_side == "left"
    assert -4.0 <= first.symmetry("left").difference <= -3.0
    assert last.left_cm > first.left_cm
    # Every measurement's readings agree within the 0.5 cm repeat limit.
    for m in tt10:
        assert max(m.left_readings) - min(m.left_readings) <= 0.5
        assert max(m.right_readings) - min(m.right_readings) <= 0.5
    assert GirthMeasurement.objects.filter(patient=demo, site="max").exists()


def test_demo_heel_rise_story(seeded):
    tests = list(HeelRiseTest.objects.filter(patient__username="demo").order_by("date"))

    assert tests[0].reps_left == 12
    assert tests[-1].reps_left == 21
    for test in tests:
        assert 26 <= test.reps_right <= 28
        assert test.incline == 10


def test_every_demo_patient_does_one_session_an_evening(seeded):
    """The painful session two days ago is demo's only one that evening, not a second 30 minutes after
    her usual one (which her physio would read as two sessions in one evening)."""
    for username in DEMO_PATIENTS:
        sessions = ExerciseSession.objects.filter(patient__username=username)
        moments = sessions.values_list("performed_at", flat=True)
        days = [timezone.localtime(moment).date() for moment in moments]
        assert len(days) == len(set(days)), username
    painful = ExerciseSession.objects.get(patient__username="demo", pain_after=7)
    two_days_ago = timezone.localdate() - datetime.timedelta(days=2)
    assert timezone.localtime(painful.performed_at).date() == two_days_ago


def test_tennis_player_story(seeded):
    tennis = User.objects.get(username="tennis")
    tt10 = list(GirthMeasurement.objects.filter(patient=tennis, site="tt10").order_by("date"))

    assert tt10[0].symmetry("right").smaller_side == "right"
    assert tt10[-1].right_cm > tt10[0].right_cm
    assert tennis.profile.onset_date < tt10[0].date


def test_physio_group_is_the_migrations_group(seeded):
    group = Group.objects.get(name=PHYSIO_GROUP)

    assert list(group.user_set.values_list("username", flat=True)) == ["physio"]


def test_the_triage_home_shows_one_patient_of_each_kind(seeded):
    """demo needs her today (urgent: a red-flag symptom, and a message), achilles soon (heel-rise
    LSI down, quiet for 9 days), tennis nothing new (reviewed today)."""
    from tracker.models import PatientProfile
    from tracker.triage.home import triage_home
    from tracker.triage.reasons import Level

    physio = User.objects.get(username="physio")
    home = triage_home(PatientProfile.objects.filter(physio=physio), reviewer=physio)
    assert [entry.profile.user.username for entry in home.needs] == ["demo", "achilles"]
    assert [entry.profile.user.username for entry in home.rest] == ["tennis"]
    demo, achilles = home.needs
    assert demo.level == Level.URGENT
    assert {"red_flag_symptom", "unread_message", "pain_after", "new_data"} <= {r.code for r in demo.reasons}
    assert {r.code for r in achilles.reasons} == {"heel_rise_decline", "not_logged", "new_data"}
    assert "no log for 9 days" in " ".join(r.words for r in achilles.reasons)


def test_questionnaire_stories(seeded):
    def scores(username: str, instrument: str) -> list[int]:
        return list(
            QuestionnaireResponse.objects.filter(patient__username=username, instrument=instrument)
            .order_by("submitted_at")
            .values_list("score", flat=True)
        )

    demo, tennis, achilles = scores("demo", "LEFS"), scores("tennis", "LEFS"), scores("achilles", "VISA-A")
    assert len(demo) == 3 and demo == sorted(demo) and demo[-1] - demo[0] >= 9  # improving
    assert len(tennis) == 2
    assert len(achilles) == 2 and achilles == sorted(achilles)
    assert "Achilles tendinopathy" in User.objects.get(username="achilles").profile.condition
    for response in QuestionnaireResponse.objects.all():
        response.full_clean()
        assert response.submitted_at <= timezone.now()
        assert response.score == score(response.definition, response.answers).total
    today = timezone.localdate()
    due = due_questionnaires(User.objects.get(username="demo"), today)
    assert [d.definition.code for d in due] == ["LEFS"]
    due = due_questionnaires(User.objects.get(username="achilles"), today)
    assert [d.definition.code for d in due] == ["VISA-A"]  # the third, due today (not overdue)
