"""Her data as one JSON document (`data.json` in her account zip): everything the app holds about
her, except the notes her physio kept private and her tokens' secrets."""

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from tracker.models import (
    ApiToken,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Message,
    PatientProfile,
    PhysioNote,
    Prescription,
    ReminderSettings,
    SentReminder,
    SymptomLog,
    User,
)
from tracker.services import questionnaires as questionnaire_services


class ExportEncoder(DjangoJSONEncoder):
    """Numbers stay numbers (Django's encoder writes Decimals as strings)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def display_name_of(user: User | None) -> str | None:
    return user.display_name() if user is not None else None


def data_document(user: User) -> dict:
    """Everything the app holds about her, except physio notes not shared with her."""
    profile: PatientProfile = user.profile
    side = profile.affected_side
    sessions = (
        ExerciseSession.objects.for_patient(user)
        .prefetch_related("entries__exercise")
        .order_by("performed_at", "id")
    )
    return {
        "about": (
            "All the data Calf Rehab Tracker holds about you. Girth is in centimetres; "
            "LSI is the limb symmetry index (affected side / other side x 100)."
        ),
        "format_version": 1,
        "exported_at": timezone.now(),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "time_zone": user.time_zone,
        },
        "profile": {
            "affected_side": profile.affected_side,
            "condition": profile.condition,
            "onset_date": profile.onset_date,
            "physiotherapist": display_name_of(profile.physio),
            "unit": profile.unit,
            "target_lsi_percent": profile.target_lsi,
            "sex": profile.sex,
            "birth_year": profile.birth_year,
        },
        "measurements": [
            _measurement(m, side) for m in GirthMeasurement.objects.for_patient(user).order_by("date", "site")
        ],
        "heel_rise_tests": [
            {
                "date": t.date,
                "reps_left": t.reps_left,
                "reps_right": t.reps_right,
                "incline_degrees": t.incline,
                "lsi_percent": t.symmetry(side).lsi,
                "notes": t.notes,
                "created_at": t.created_at,
                "updated_at": t.updated_at,
            }
            for t in HeelRiseTest.objects.for_patient(user).order_by("date", "id")
        ],
        "exercise_sessions": [_session(s) for s in sessions],
        "symptom_logs": [
            _symptom_log(log) for log in SymptomLog.objects.for_patient(user).order_by("date")
        ],
        "prescriptions": [
            {
                "exercise": p.exercise.name,
                **_dosage(p),
                "times_per_week": p.times_per_week,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "active": p.active,
                "notes": p.notes,
                "prescribed_by": display_name_of(p.prescribed_by),
                "created_at": p.created_at,
            }
            for p in Prescription.objects.for_patient(user)
            .select_related("exercise", "prescribed_by")
            .order_by("start_date", "id")
        ],
        "physio_notes": [
            {
                "created_at": note.created_at,
                "author": display_name_of(note.author),
                "text": note.text,
                "is_review": note.is_review,
                "read_at": note.read_at,
            }
            for note in PhysioNote.objects.filter(patient=user, visible_to_patient=True)
            .select_related("author")
            .order_by("created_at", "id")
        ],
        "questionnaires": questionnaire_services.export_documents(user),
        "messages": [
            {"created_at": m.created_at, "text": m.text, "read_at": m.read_at}
            for m in Message.objects.filter(patient=user).order_by("created_at", "id")
        ],
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": t.created_at, "last_used_at": t.last_used_at}
            for t in ApiToken.objects.filter(user=user).order_by("created_at", "id")
        ],
        "reminder_settings": [
            {
                "enabled": s.enabled,
                "remind_at": s.remind_at,
                "session": s.session,
                "session_days": s.chosen_days(),
                "measurement": s.measurement,
                "heel_rise": s.heel_rise,
                "check_in": s.check_in,
                "questionnaire": s.questionnaire,
            }
            for s in ReminderSettings.objects.filter(user=user)
        ],
        "reminders_sent": [
            {"kind": r.kind, "local_date": r.local_date, "status": r.status, "sent_at": r.sent_at}
            for r in SentReminder.objects.filter(user=user).order_by("claimed_at", "id")
        ],
    }


def _measurement(m: GirthMeasurement, affected_side: str) -> dict:
    symmetry = m.symmetry(affected_side)
    return {
        "date": m.date,
        "site": m.site,
        "left_readings_cm": m.left_readings,
        "right_readings_cm": m.right_readings,
        "left_mean_cm": m.left_cm,
        "right_mean_cm": m.right_cm,
        "lsi_percent": symmetry.lsi,
        "difference_cm": symmetry.difference,
        "measured_by": m.measured_by,
        "notes": m.notes,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


def _dosage(item) -> dict:
    return {
        "side": item.side,
        "sets": item.sets,
        "reps": item.reps,
        "hold_seconds": item.hold_seconds,
        "minutes": item.minutes,
        "load_kg": item.load_kg,
    }


def _session(session: ExerciseSession) -> dict:
    return {
        "performed_at": session.performed_at,
        "duration_minutes": session.duration_minutes,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "rpe": session.rpe,
        "notes": session.notes,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
        "entries": [
            {"exercise": e.exercise.name, **_dosage(e), "pain_during": e.pain_during}
            for e in session.entries.all()
        ],
    }


def _symptom_log(log: SymptomLog) -> dict:
    return {
        "date": log.date,
        "pain_at_rest": log.pain_at_rest,
        "pain_next_morning": log.pain_next_morning,
        "night_cramps": log.night_cramps,
        "stiffness": log.stiffness,
        "limping": log.limping,
        "tender_points": log.tender_point_codes(),
        "red_flags": log.red_flag_codes(),
        "notes": log.notes,
        "created_at": log.created_at,
        "updated_at": log.updated_at,
    }
