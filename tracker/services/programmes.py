"""Starting a programme template for a patient, and moving a prescription on to its next step."""

import datetime
from decimal import Decimal

from django.db import transaction

from tracker import metrics, progression
from tracker.models import Exercise, Prescription, ProgrammeStep, User
from tracker.programmes import PROGRAMME_TEMPLATES
from tracker.selectors import flags as flag_selectors
from tracker.selectors import programme as programme_selectors

# Exercises done on one leg at a time: prescribed for the affected leg; the rest for both legs.
ONE_LEG_KINDS = (Exercise.Kind.ECCENTRIC, Exercise.Kind.STRETCH)


@transaction.atomic
def add_programme(
    *,
    patient: User,
    key: str,
    prescribed_by: User,
    start: datetime.date,
    mode: str = progression.APPROVAL,
) -> list[Prescription]:
    """Prescribe a template's exercises with their steps; one already actively prescribed is left as
    it is. `mode`: whether each next step applies by itself or waits for the physio's approval."""
    template = PROGRAMME_TEMPLATES[key]
    end = start + datetime.timedelta(weeks=template.weeks) if template.weeks else None
    affected = patient.profile.affected_side
    side = affected if affected in metrics.SIDES else "both"
    exercises = Exercise.objects.in_bulk([item.slug for item in template.exercises], field_name="slug")
    already = set(
        Prescription.objects.active_on(start).filter(patient=patient).values_list("exercise__slug", flat=True)
    )
    created = []
    for item in template.exercises:
        exercise = exercises.get(item.slug)
        if exercise is None or item.slug in already:
            continue
        first = item.steps[0]
        several = len(item.steps) > 1 or template.adds_load
        prescription = Prescription(
            patient=patient,
            exercise=exercise,
            prescribed_by=prescribed_by,
            side=side if exercise.kind in ONE_LEG_KINDS else "both",
            sets=first.sets,
            times_per_week=template.times_per_week,
            start_date=start,
            end_date=end,
            notes=template.label,
            progression=mode if several else progression.FIXED,
            load_step_kg=Decimal(metrics.LOAD_STEP_KG if template.adds_load else 0),
            step_number=1,
            step_reason=f"Step 1 of {template.label}: the plan starts here.",
            step_changed_on=start,
            **{exercise.amount_field: first.amount},
        )
        prescription.full_clean()
        prescription.save()
        steps = [
            ProgrammeStep(
                prescription=prescription, number=number, start_week=step.start_week, sets=step.sets,
                amount=step.amount, load_note=step.load_note,
            )
            for number, step in enumerate(item.steps, start=1)
        ]
        for step in steps:
            step.full_clean()
        ProgrammeStep.objects.bulk_create(steps)
        created.append(prescription)
    return created


@transaction.atomic
def step_apply(
    *, prescription: Prescription, proposal: progression.Proposal, today: datetime.date, by: User | None
) -> Prescription:
    """Move a prescription on as proposed (the next step, or more load), recording why.

    `by` is the approving physio, or None when the step applied by itself; the audit history keeps
    the reason as the change reason.
    """
    prescription = Prescription.objects.select_for_update().get(pk=prescription.pk)
    if proposal.step is not None and proposal.step.number:
        step = prescription.steps.get(number=proposal.step.number)
        prescription.sets = step.sets
        setattr(prescription, prescription.exercise.amount_field, step.amount)
        prescription.step_number = step.number
    else:
        prescription.load_kg = prescription.load_kg + prescription.load_step_kg
    who = f"approved by {by.display_name()}" if by is not None else "by your physio's plan"
    prescription.step_reason = (
        f"{proposal.evidence}: moved on to {proposal.step.dosage}, {who} on {today.day} {today:%B}."
    )
    prescription.step_changed_on = today
    # The history's reason column holds 100 characters: the full why is in step_reason (recorded too).
    prescription._change_reason = f"Moved on to {proposal.step.dosage}, {who}"[:100]
    if by is not None:
        prescription._history_user = by
    prescription.full_clean()
    prescription.save()
    return prescription


def due_steps_apply(*, patient: User, today: datetime.date) -> list[Prescription]:
    """Take every step that applies by itself today (AUTO mode, its week come, the pain rules kept).

    Run after she logs a session and once a day (`manage.py apply_progressions`); taking a step
    twice is impossible, since the step (or the load) then no longer differs from the proposal.
    """
    prescriptions = list(
        Prescription.objects.for_patient(patient).active_on(today)
        .filter(progression=progression.AUTO).select_related("exercise").prefetch_related("steps")
    )
    if not prescriptions:
        return []
    start, end = programme_selectors.pain_window(today)
    sessions = programme_selectors.session_pains(patient, start=start, end=end)
    pain = progression.pain_verdict(sessions, today=today)
    pains_by_exercise = programme_selectors.exercise_pains(patient, start=start, end=end)
    paused = flag_selectors.exercise_paused(patient, today=today)
    applied = []
    for prescription in prescriptions:
        next_step, more_load = programme_selectors.prescription_proposals(
            prescription, pain=pain, exercise_pain=pains_by_exercise.get(prescription.exercise_id, []),
            today=today, paused=paused,
        )
        for proposal in (next_step, more_load):
            if proposal is not None and proposal.action == "advance" and proposal.due:
                prescription = step_apply(prescription=prescription, proposal=proposal, today=today, by=None)
                applied.append(prescription)
                break  # one change at a time: the next one needs fresh evidence
    return applied


def apply_due_steps_of_everyone(today: datetime.date) -> int:
    """`due_steps_apply` for every patient with a step set to apply by itself; the steps moved on."""
    auto = Prescription.objects.active_on(today).filter(progression=progression.AUTO)
    patients = User.objects.filter(pk__in=auto.values_list("patient_id", flat=True)).select_related("profile")
    return sum(len(due_steps_apply(patient=patient, today=today)) for patient in patients)
