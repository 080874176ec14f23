"""`manage.py generate_clinic`: a made-up clinic for the page benchmark, built once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.models import (
    PHYSIO_GROUP,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    Message,
    PatientProfile,
    SymptomLog,
    User,
)

pytestmark = pytest.mark.django_db


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_clinic", stdout=out, **options)
    return out.getvalue()


def test_it_builds_physios_and_patients_with_a_few_weeks_of_records():
    generate(patients=40, physios=3, busy=30)

    physios = User.objects.filter(username__startswith="clinic-physio-")
    assert physios.count() == 3
    assert all(physio.is_staff and physio.groups.filter(name=PHYSIO_GROUP).exists() for physio in physios)
    caseloads = list(PatientProfile.objects.values_list("physio__username", flat=True))
    assert caseloads.count("clinic-physio-000") == 30 and len(caseloads) == 40
    patient = User.objects.get(username="clinic-p00000")
    assert not patient.has_usable_password()
    assert GirthMeasurement.objects.filter(patient=patient).count() >= 4
    sessions = ExerciseSession.objects.filter(patient=patient)
    assert sessions.count() >= 6
    assert ExerciseEntry.objects.filter(session__in=sessions).count() >= 2 * sessions.count()
    assert SymptomLog.objects.filter(patient=patient).count() >= 20
    assert Message.objects.filter(patient__username__startswith="clinic-").exists()
    assert SymptomLog.objects.filter(flag_dvt_signs=True).exists()


def test_it_refuses_to_run_twice_and_deletes_on_request():
    generate(patients=3, physios=1, busy=3)
    with pytest.raises(CommandError, match="already"):
        generate(patients=3, physios=1, busy=3)
    assert "Deleted" in generate(delete=True)
    assert not User.objects.filter(username__startswith="clinic-").exists()
