"""Every kind of reminder and alert, registered in one place: `KINDS`, most pressing first.

A kind is a due rule and a message. `find_due(at)` says who should get it at the moment `at` (the
rules themselves are in `tracker.metrics`); `letter(reminder, at)` says what the e-mail holds, from
templates/emails/<template>_subject.txt, .txt and .html, or why it is no longer wanted. The engine
(`services.reminders`) claims each due one once through SentReminder and sends it in the queue.
Kinds that share a `group` are at most one a day per person: the first due in KINDS order wins.

To add a kind: subclass ReminderKind, add an instance to KINDS, write its three templates.
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from tracker import metrics
from tracker.models import ReminderSettings, SentReminder, User
from tracker.selectors import flags as flag_selectors
from tracker.selectors import questionnaires as questionnaire_selectors
from tracker.selectors import reminders as selectors
from tracker.services.mail import absolute_url

PATIENT_GROUP = "reminder"  # the patient's reminders: at most one a day, whatever the kind
ALERT_WINDOW = datetime.timedelta(minutes=60)  # a pass alerts for records saved this recently


@dataclass(frozen=True)
class Due:
    """Someone who should get a reminder of `kind` on her `local_date`; `user` is whom it is about
    (the patient, for an alert sent to her physio, the `recipient`)."""

    kind: str
    user: User
    local_date: datetime.date
    group: str = ""
    recipient: User | None = None

    @property
    def to(self) -> User:
        return self.recipient or self.user


@dataclass(frozen=True)
class Letter:
    """What to send: to whom, which templates with which context, what one click stops."""

    to: User
    template: str
    topic: str  # services.mail.TOPICS: "reminders", "alerts" or "digest"
    settings_path: str
    context: dict = field(default_factory=dict)


class ReminderKind:
    name = ""  # stored in SentReminder.kind
    group = ""
    label = ""  # in words, for the dry run and the logs

    def owns(self, kind: str) -> bool:
        return kind == self.name

    def find_due(self, at: datetime.datetime, *, user_ids=None) -> list[Due]:
        raise NotImplementedError

    def letter(self, reminder: SentReminder, at: datetime.datetime) -> Letter | str:
        """The e-mail to send now, or a sentence saying why it is no longer wanted."""
        raise NotImplementedError


# --- the patient's reminders ----------------------------------------------------------------------


class PatientReminder(ReminderKind):
    """Sent to a patient who turned reminders (and this one) on, at her time, in her time zone."""

    group = PATIENT_GROUP
    setting = ""  # the ReminderSettings field that turns it on
    template = ""
    link_name = ""  # where the e-mail takes her
    # Asks her to work her calf: not sent while an urgent warning sign pauses her calf exercises.
    loads_the_calf = False

    def last_done(self, candidate: ReminderSettings) -> datetime.date | None:
        """The local date of what she last logged of this kind."""
        raise NotImplementedError

    def prepare(self, candidates: list[ReminderSettings], at: datetime.datetime) -> dict:
        """What is_due needs about all candidates at once (a query, not one per patient)."""
        return {}

    def is_due(self, candidate: ReminderSettings, local_now: datetime.datetime, prepared: dict) -> bool:
        raise NotImplementedError

    def find_due(self, at, *, user_ids=None):
        candidates = list(selectors.reminder_candidates(self.setting, user_ids=user_ids))
        prepared = self.prepare(candidates, at)
        due = []
        for candidate in candidates:
            local_now = at.astimezone(candidate.user.zone())
            # Her warning signs (two queries) only for those whose reminder is otherwise due.
            today = local_now.date()
            if self.is_due(candidate, local_now, prepared) and not self.paused(candidate.user, today):
                due.append(Due(self.name, candidate.user, today, self.group))
        return due

    def paused(self, user: User, day: datetime.date) -> bool:
        return self.loads_the_calf and flag_selectors.exercise_paused(user, today=day)

    def letter(self, reminder, at):
        candidate = selectors.reminder_candidates(self.setting, user_ids=[reminder.user_id]).first()
        if candidate is None:
            return "reminders turned off, no e-mail address or account closed"
        local_now = at.astimezone(candidate.user.zone())
        if local_now.date() != reminder.local_date:
            return "too late: her day is over"
        if metrics.in_quiet_hours(local_now.time()):
            return "too late: quiet hours have begun"
        done = self.last_done(candidate)
        if done is not None and done >= reminder.local_date:
            return "done already"
        if self.paused(candidate.user, reminder.local_date):
            return "paused: an urgent warning sign is open until she has been seen"
        return Letter(
            to=candidate.user,
            template=self.template,
            topic="reminders",
            settings_path=reverse("reminder_settings"),
            context={"action_url": absolute_url(self.link(reminder))},
        )

    def link(self, reminder: SentReminder) -> str:
        return reverse(self.link_name)


class SessionReminder(PatientReminder):
    name = setting = "session"
    label = "session reminder"
    template = "session_reminder"
    link_name = "session_new"
    loads_the_calf = True

    def last_done(self, candidate):
        return selectors.local_date_of(candidate.last_session_at, candidate.user.zone())

    def prepare(self, candidates, at):
        following_programme = {
            c.user_id: at.astimezone(c.user.zone()).date() for c in candidates if c.chosen_days() is None
        }
        return {"per_week": selectors.weekly_frequency(following_programme)}

    def is_due(self, candidate, local_now, prepared):
        days = candidate.chosen_days()
        if days is None:
            days = metrics.default_session_days(prepared["per_week"].get(candidate.user_id, 0))
        return metrics.session_reminder_due(
            local_now=local_now,
            at=candidate.remind_at,
            days=days,
            logged_today=self.last_done(candidate) == local_now.date(),
        )


class RecordReminder(PatientReminder):
    """A measurement or test, asked for when the last one is `every_days` old."""

    every_days = 0

    def prepare(self, candidates, at):
        return {"reminded": selectors.last_reminded([self.name], [c.user_id for c in candidates])}

    def is_due(self, candidate, local_now, prepared):
        return metrics.record_reminder_due(
            local_now=local_now,
            at=candidate.remind_at,
            last_done=self.last_done(candidate),
            every_days=self.every_days,
            last_reminded=prepared["reminded"].get((candidate.user_id, self.name)),
        )


class MeasurementReminder(RecordReminder):
    name = setting = "measurement"
    label = "measurement reminder"
    template = "measurement_reminder"
    link_name = "measurement_new"
    every_days = metrics.MEASUREMENT_REMINDER_DAYS

    def last_done(self, candidate):
        return candidate.last_girth_date


class HeelRiseReminder(RecordReminder):
    name = setting = "heel_rise"
    label = "heel-rise test reminder"
    template = "heel_rise_reminder"
    link_name = "heel_rise_new"
    loads_the_calf = True  # the test works the calf to fatigue
    every_days = metrics.HEEL_RISE_REMINDER_DAYS

    def last_done(self, candidate):
        return candidate.last_heel_rise_date


class CheckInReminder(PatientReminder):
    name = setting = "check_in"
    label = "check-in reminder"
    template = "check_in_reminder"

    def last_done(self, candidate):
        return candidate.last_check_in_date

    def is_due(self, candidate, local_now, prepared):
        # A check-in is asked for every day she has not done it; no weekly repeat rule.
        return metrics.record_reminder_due(
            local_now=local_now, at=candidate.remind_at, last_done=self.last_done(candidate),
            every_days=1, last_reminded=None,
        )

    def link(self, reminder):
        return reverse("symptom_day", args=[reminder.local_date.isoformat()])


class QuestionnaireReminder(PatientReminder):
    """A questionnaire her physio assigned is due (selectors.questionnaires.due_questionnaires);
    asked again after REMINDER_REPEAT_DAYS while it stays unanswered."""

    name = setting = "questionnaire"
    label = "questionnaire reminder"
    template = "questionnaire_reminder"
    link_name = "questionnaire_list"

    def last_done(self, candidate):
        """Her local today once nothing is left to fill in (the letter then says "done already")."""
        today = timezone.localdate(timezone=candidate.user.zone())
        return None if questionnaire_selectors.due_questionnaires(candidate.user, today) else today

    def prepare(self, candidates, at):
        return {"reminded": selectors.last_reminded([self.name], [c.user_id for c in candidates])}

    def is_due(self, candidate, local_now, prepared):
        # The time rules first (no query); then one look at what is due, for those whose time it is.
        time_reached = metrics.record_reminder_due(
            local_now=local_now, at=candidate.remind_at, last_done=None, every_days=1,
            last_reminded=prepared["reminded"].get((candidate.user_id, self.name)),
        )
        if not time_reached:
            return False
        return bool(questionnaire_selectors.due_questionnaires(candidate.user, local_now.date()))


# --- the physio's alerts --------------------------------------------------------------------------


class RedFlagAlert(ReminderKind):
    """To her physio, as soon as a patient saves a record raising an urgent red flag that is still
    open: at most one per patient per flag per day. Says only that a warning sign was logged."""

    name = "red_flag"
    label = "urgent alert"
    prefix = "red_flag:"

    def owns(self, kind):
        return kind.startswith(self.prefix)

    def find_due(self, at, *, user_ids=None):
        saved = selectors.recently_saved_flags(at - ALERT_WINDOW, patient_ids=user_ids)
        patients = User.objects.select_related("profile__physio").in_bulk({pid for pid, _code in saved})
        open_flags: dict[int, set[str]] = {}
        due = []
        for (patient_id, code), saved_at in sorted(saved.items()):
            patient = patients[patient_id]
            physio = patient.profile.physio
            if saved_at > at or not patient.is_active or not selectors.wants_alerts(physio):
                continue
            today = at.astimezone(patient.zone()).date()
            if patient_id not in open_flags:
                open_flags[patient_id] = selectors.open_urgent_flags(patient, today=today)
            kind = self.prefix + code
            if code in open_flags[patient_id] and not selectors.alerted_since(patient_id, kind, saved_at):
                due.append(Due(kind, patient, today, recipient=physio))
        return due

    def letter(self, reminder, at):
        profile = getattr(reminder.user, "profile", None)
        physio = profile.physio if profile else None
        if not selectors.wants_alerts(physio):
            return "no physio to tell, no e-mail address, or alerts turned off"
        return Letter(
            to=physio,
            template="red_flag_alert",
            topic="alerts",
            settings_path=reverse("admin:tracker_user_my_settings"),
            context={"review_url": absolute_url(selectors.review_path(profile.pk))},
        )


DIGEST_REASON_WORDS = {
    "warning_sign": "a warning sign was logged",
    "pain_rule": "flagged for your review",
    "not_logged": f"nothing logged for {metrics.NOT_LOGGED_DAYS} days or more",
    "new_data": "new data since your last review",
    "worsening": "flagged for your review",
}


class DailyDigest(ReminderKind):
    """To each physio at her time: the patients who need attention, most pressing first; nothing
    when nobody does."""

    name = "digest"
    label = "daily digest"

    def find_due(self, at, *, user_ids=None):
        due = []
        for reader in selectors.digest_readers(user_ids=user_ids):
            local_now = at.astimezone(reader.zone())
            digest_at = reader.digest_at or metrics.DIGEST_DEFAULT_TIME
            if not metrics.scheduled_time_reached(local_now, digest_at, quiet_hours=False):
                continue
            today = local_now.date()
            if selectors.claimed({(reader.pk, self.name, today)}):
                continue  # sent already: spare the caseload query
            if selectors.patients_needing_attention(reader, today=today):
                due.append(Due(self.name, reader, today))
        return due

    def letter(self, reminder, at):
        reader = reminder.user
        if not selectors.digest_readers(user_ids=[reader.pk]).exists():
            return "digest turned off, no e-mail address or account closed"
        rows = selectors.patients_needing_attention(reader, today=reminder.local_date)
        if not rows:
            return "nobody needs attention any more"
        patients = [
            {
                "name": row.name,
                "reasons": list(dict.fromkeys(DIGEST_REASON_WORDS[r] for r in row.reasons)),
                "url": absolute_url(row.review_path),
            }
            for row in rows
        ]
        return Letter(
            to=reader,
            template="daily_digest",
            topic="digest",
            settings_path=reverse("admin:tracker_user_my_settings"),
            context={"patients": patients, "date": reminder.local_date},
        )


RED_FLAG_ALERT = RedFlagAlert()

# The registry: every kind, most pressing first (within a group the first due one is sent).
KINDS: tuple[ReminderKind, ...] = (
    SessionReminder(),
    MeasurementReminder(),
    HeelRiseReminder(),
    QuestionnaireReminder(),
    CheckInReminder(),
    RED_FLAG_ALERT,
    DailyDigest(),
)


def kind_of(name: str) -> ReminderKind:
    for kind in KINDS:
        if kind.owns(name):
            return kind
    raise LookupError(f"No reminder kind handles {name!r}")
