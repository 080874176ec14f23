"""What the physio's review page lists below the charts: her latest records, read-only."""

from dataclasses import dataclass

from tracker import metrics
from tracker.models import GirthMeasurement, HeelRiseTest, Prescription, SymptomLog, User
from tracker.selectors.sessions import sessions_for_list

RECENT_SESSIONS = 5
RECENT_MEASUREMENTS = 10
RECENT_CHECKINS = 14


@dataclass(frozen=True)
class MeasuredPair:
    """A girth measurement or heel-rise test with its symmetry (involved side from her profile)."""

    record: GirthMeasurement | HeelRiseTest
    symmetry: metrics.Symmetry


@dataclass(frozen=True)
class RecentRecords:
    sessions: list  # ExerciseSession, newest first, entries and exercises prefetched
    girth: list[MeasuredPair]
    heel_rise: list[MeasuredPair]
    checkins: list[SymptomLog]
    has_programme: bool  # an active prescription today


def recent_records(patient: User) -> RecentRecords:
    side = patient.profile.affected_side
    girth = GirthMeasurement.objects.for_patient(patient).order_by("-date", "site", "-id")
    girth = girth[:RECENT_MEASUREMENTS]
    tests = HeelRiseTest.objects.for_patient(patient).order_by("-date", "-id")[:RECENT_MEASUREMENTS]
    return RecentRecords(
        sessions=list(sessions_for_list(patient)[:RECENT_SESSIONS]),
        girth=[MeasuredPair(m, metrics.symmetry(left=m.left_cm, right=m.right_cm, affected_side=side))
               for m in girth],
        heel_rise=[MeasuredPair(t, metrics.symmetry(left=t.reps_left, right=t.reps_right, affected_side=side))
                   for t in tests],
        checkins=list(SymptomLog.objects.for_patient(patient).order_by("-date")[:RECENT_CHECKINS]),
        has_programme=Prescription.objects.for_patient(patient).filter(active=True).exists(),
    )
