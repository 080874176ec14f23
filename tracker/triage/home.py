"""The triage home and the caseload's reasons: every rule run over many patients at once.

A patient is listed once, at the level of her most pressing reason, with all her reasons in words.
"Seen" (`models.TriageSeen`) hides a patient until a reason comes up that is newer than the mark.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from tracker.models import PatientProfile, TriageSeen, User
from tracker.selectors import caseload
from tracker.triage.reasons import Context, Level, Reason, Rule, in_priority_order
from tracker.triage.rules import RULES


def reasons_by_patient(
    rows: list, *, reviewer: User, today: datetime.date, now: datetime.datetime | None = None,
    rules: Iterable[Rule] = RULES,
) -> dict[int, list[Reason]]:
    """Every rule's reasons for these caseload rows, by patient id, in priority order. Each rule
    runs a fixed number of queries whatever the number of rows."""
    context = Context(rows=list(rows), reviewer=reviewer, today=today, now=now or timezone.now())
    found: dict[int, list[Reason]] = {row.user_id: [] for row in context.rows}
    for rule in rules:
        for reason in rule(context):
            found[reason.patient_id].append(reason)
    return {patient_id: in_priority_order(reasons) for patient_id, reasons in found.items()}


def caseload_rows(profiles: QuerySet, *, reviewer: User, today: datetime.date) -> list:
    return list(
        caseload.annotate_caseload(profiles.select_related("user"), reviewer=reviewer, today=today)
    )


def needing_attention(
    rows: list, *, reviewer: User, today: datetime.date, level: Level | None = None
) -> list[int]:
    """Ids of the profiles (not users) among these caseload rows with a reason (of `level` or more
    pressing), seen or not."""
    reasons = reasons_by_patient(rows, reviewer=reviewer, today=today)
    worst = Level.ROUTINE if level is None else level
    return [row.pk for row in rows if any(reason.level <= worst for reason in reasons[row.user_id])]


# --- the triage home -------------------------------------------------------------------------------


@dataclass
class PatientNeeds:
    profile: PatientProfile  # an annotated caseload row
    reasons: list[Reason] = field(default_factory=list)
    seen_at: datetime.datetime | None = None

    @property
    def new(self) -> list[Reason]:
        """The reasons that came up after her last "seen" mark."""
        return [r for r in self.reasons if self.seen_at is None or r.since > self.seen_at]

    @property
    def level(self) -> Level:
        return self.reasons[0].level

    def sort_key(self) -> tuple:
        top = self.reasons[0]
        return (top.level, -top.date.toordinal(), -top.since.timestamp(), self.profile.user.display_name())


@dataclass
class TriageHome:
    needs: list[PatientNeeds]  # something new, most urgent first
    rest: list[PatientNeeds]  # nothing new (reasons already seen, or none), by name
    as_of: datetime.datetime  # when the list was made: "seen" applies up to here

    @property
    def total(self) -> int:
        return len(self.needs) + len(self.rest)


def triage_home(profiles: QuerySet, *, reviewer: User, today: datetime.date | None = None,
                now: datetime.datetime | None = None) -> TriageHome:
    """Her caseload (`profiles`) split into who needs her today and everyone else."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    rows = caseload_rows(profiles, reviewer=reviewer, today=today)
    reasons = reasons_by_patient(rows, reviewer=reviewer, today=today, now=now)
    seen = dict(
        TriageSeen.objects.filter(physio=reviewer, patient_id__in=[row.user_id for row in rows])
        .values_list("patient_id", "seen_at")
    )
    needs, rest = [], []
    for row in rows:
        entry = PatientNeeds(profile=row, reasons=reasons[row.user_id], seen_at=seen.get(row.user_id))
        (needs if entry.new else rest).append(entry)
    needs.sort(key=PatientNeeds.sort_key)
    rest.sort(key=lambda entry: (entry.profile.user.last_name, entry.profile.user.first_name,
                                 entry.profile.user.username))
    return TriageHome(needs=needs, rest=rest, as_of=now)
