"""What the reminder and alert kinds read: who wants e-mails, what she last logged, whom to alert.

Returns data, never sentences; the rules that decide are in `tracker.metrics` and the kinds that
apply them in `tracker.services.reminder_kinds`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from tracker import metrics
from tracker.access import physios
from tracker.models import (
    AlertSettings,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    PatientProfile,
    Prescription,
    ReminderSettings,
    SentReminder,
    SymptomLog,
    User,
)
from tracker.selectors import caseload, measurements
from tracker.selectors.flags import active_red_flags

REMINDER_FLAGS = ("session", "measurement", "heel_rise", "check_in", "questionnaire")
NOT_DELIVERED = (SentReminder.Status.SKIPPED, SentReminder.Status.FAILED)


def _latest(model, field: str):
    rows = model.objects.filter(patient=OuterRef("user_id")).order_by(f"-{field}").values(field)[:1]
    return Subquery(rows)


def reminder_candidates(flag: str, *, user_ids=None) -> QuerySet[ReminderSettings]:
    """Patients who turned reminders on and this one (`flag`, a ReminderSettings field) too, with an
    e-mail address and an active account; annotated with the date or moment of what each last logged."""
    if flag not in REMINDER_FLAGS:
        raise ValueError(f"Unknown reminder {flag!r}")
    candidates = (
        ReminderSettings.objects.filter(enabled=True, user__is_active=True, user__profile__isnull=False)
        .filter(**{flag: True})
        .exclude(user__email="")
        .select_related("user")
        .annotate(
            last_session_at=_latest(ExerciseSession, "performed_at"),
            last_girth_date=_latest(GirthMeasurement, "date"),
            last_heel_rise_date=_latest(HeelRiseTest, "date"),
            last_check_in_date=_latest(SymptomLog, "date"),
        )
        .order_by("user_id")
    )
    return candidates if user_ids is None else candidates.filter(user_id__in=user_ids)


def settings_of(user: User) -> ReminderSettings:
    """Her reminder settings; the defaults (not saved, reminders off) until she first saves them."""
    return ReminderSettings.objects.filter(user=user).first() or ReminderSettings(user=user)


def programme_days(user: User, *, today: datetime.date) -> tuple[int, ...]:
    """The weekdays her programme expects a session (0 = Monday), from its weekly frequency today."""
    return metrics.default_session_days(weekly_frequency({user.pk: today})[user.pk])


def session_days_of(user: User, *, today: datetime.date) -> tuple[int, ...]:
    """The days her session reminder comes: hers if she chose, else her programme's."""
    chosen = settings_of(user).chosen_days()
    return programme_days(user, today=today) if chosen is None else chosen


def local_date_of(moment: datetime.datetime | None, zone) -> datetime.date | None:
    return None if moment is None else timezone.localtime(moment, zone).date()


def weekly_frequency(days: dict[int, datetime.date]) -> dict[int, int]:
    """The sessions a week each patient's programme expects on her day {patient id: local date}:
    the highest frequency among her prescriptions active that day (as metrics.expected_sessions)."""
    programmes: dict[int, list] = {patient_id: [] for patient_id in days}
    rows = Prescription.objects.filter(patient_id__in=days, active=True).values_list(
        "patient_id", "times_per_week", "start_date", "end_date"
    )
    for patient_id, per_week, start, end in rows:
        programmes[patient_id].append((per_week, start, end))
    return {
        patient_id: metrics.sessions_per_week_on(programmes[patient_id], day)
        for patient_id, day in days.items()
    }


def last_reminded(kinds: list[str], user_ids) -> dict[tuple[int, str], datetime.date]:
    """The local date each user was last sent (or is being sent) each of these kinds."""
    rows = (
        SentReminder.objects.filter(user_id__in=user_ids, kind__in=kinds)
        .exclude(status__in=NOT_DELIVERED)
        .values("user_id", "kind")
        .annotate(last=Max("local_date"))
        .values_list("user_id", "kind", "last")
    )
    return {(user_id, kind): last for user_id, kind, last in rows}


def claimed(keys: set[tuple[int, str, datetime.date]]) -> set[tuple[int, str, datetime.date]]:
    """Which of these (user id, kind or daily group, local date) are claimed already."""
    if not keys:
        return set()
    by_kind, by_group = Q(), Q()
    for user_id, name, day in keys:
        by_kind |= Q(user_id=user_id, kind=name, local_date=day)
        by_group |= Q(user_id=user_id, daily_group=name, local_date=day)
    rows = SentReminder.objects.filter(by_kind | by_group).values_list(
        "user_id", "kind", "daily_group", "local_date"
    )
    found = set()
    for user_id, kind, group, day in rows:
        found |= {(user_id, kind, day), (user_id, group, day)}
    return found & keys


# --- urgent alerts -------------------------------------------------------------------------------


def recently_saved_flags(
    since: datetime.datetime, *, patient_ids=None
) -> dict[tuple[int, str], datetime.datetime]:
    """Urgent red flags raised by girth measurements and check-ins saved (added or edited) since
    `since`: {(patient id, flag code): when the latest record raising it was saved}. Each record's
    flags come from the same rules its own page shows (measurements.summarise, metrics.symptom_flags)."""
    saved: dict[tuple[int, str], datetime.datetime] = {}

    def note(patient_id: int, flags, moment: datetime.datetime) -> None:
        for flag in flags:
            if flag.level == metrics.LEVEL_URGENT:
                key = (patient_id, flag.code)
                saved[key] = max(moment, saved.get(key, moment))

    scope = Q(updated_at__gte=since, patient__profile__isnull=False)
    if patient_ids is not None:
        scope &= Q(patient_id__in=patient_ids)
    for log in SymptomLog.objects.filter(scope):
        note(log.patient_id, metrics.symptom_flags(log.red_flag_codes()), log.updated_at)
    for girth in GirthMeasurement.objects.filter(scope).select_related("patient__profile"):
        previous = measurements.previous_at_site(girth.patient, site=girth.site, before=girth.date)
        summary = measurements.summarise(
            girth, affected_side=girth.patient.profile.affected_side, previous=previous
        )
        note(girth.patient_id, summary.flags, girth.updated_at)
    return saved


def open_urgent_flags(patient: User, *, today: datetime.date) -> set[str]:
    """The codes of her urgent flags still open today: progress_summary's red flags."""
    flags = active_red_flags(patient, affected_side=patient.profile.affected_side, today=today)
    return {flag.code for flag in flags if flag.level == metrics.LEVEL_URGENT}


def alerted_since(patient_id: int, kind: str, moment: datetime.datetime) -> bool:
    return (
        SentReminder.objects.filter(user_id=patient_id, kind=kind, claimed_at__gte=moment)
        .exclude(status=SentReminder.Status.SKIPPED)
        .exists()
    )


def wants_alerts(physio: User | None) -> bool:
    """Her physio, active, with an e-mail address, and urgent alerts not turned off."""
    if physio is None or not physio.is_active or not physio.email:
        return False
    settings = AlertSettings.objects.filter(user=physio).first()
    return settings is None or settings.urgent_alerts


def review_path(profile_id: int) -> str:
    """The physio's review page of a patient (the admin change page of her profile)."""
    return reverse("admin:tracker_patientprofile_change", args=[profile_id])


# --- the daily digest ---------------------------------------------------------------------------


def digest_readers(*, user_ids=None) -> QuerySet[User]:
    """Physiotherapists with an e-mail address who have not turned the daily digest off, annotated
    with `digest_at` (None: the default time)."""
    readers = (
        physios()
        .filter(is_active=True)
        .exclude(email="")
        .exclude(alert_settings__daily_digest=False)
        .annotate(digest_at=F("alert_settings__digest_at"))
        .order_by("pk")
        .distinct()
    )
    return readers if user_ids is None else readers.filter(pk__in=user_ids)


@dataclass(frozen=True)
class AttentionRow:
    """A patient in the digest: who, why (ATTENTION_REASONS codes, most pressing first), where."""

    name: str
    reasons: tuple[str, ...]
    review_path: str


def short_name(user: User) -> str:
    """"Anna R." (first name and initial), or the username: enough for her physio to know her."""
    if not user.first_name:
        return user.get_username()
    return f"{user.first_name} {user.last_name[0]}." if user.last_name else user.first_name


def patients_needing_attention(physio: User, *, today: datetime.date) -> list[AttentionRow]:
    """Her patients who need attention today, most pressing first, from the caseload's annotations
    (the same rules as her caseload's columns and filters)."""
    with timezone.override(physio.zone()):
        profiles = PatientProfile.objects.filter(physio=physio, user__is_active=True).select_related("user")
        rows = list(caseload.annotate_caseload(profiles, reviewer=physio, today=today))
        worse = caseload.worsening_flags(rows, today=today)
    found = []
    for row in rows:
        reasons = metrics.attention_reasons(
            urgent_flag=bool(row.flag_swelling or row.flag_symptoms),
            pain_rule=bool(row.flag_pain),
            not_logged=metrics.not_logged_for_long(row.last_activity, today),
            new_data=bool(row.new_data),
            worsening=row.user_id in worse,
        )
        if reasons:
            found.append(AttentionRow(short_name(row.user), reasons, review_path(row.pk)))
    found.sort(key=lambda r: (metrics.ATTENTION_REASONS.index(r.reasons[0]), r.name.lower()))
    return found
