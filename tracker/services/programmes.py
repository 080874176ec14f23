"""Starting a programme template for a patient."""

import datetime

from django.db import transaction

from tracker import metrics
from tracker.models import Exercise, Prescription, User
from tracker.programmes import PROGRAMME_TEMPLATES

# Exercises done on one leg at a time: prescribed for the affected leg; the rest for both legs.
ONE_LEG_KINDS = (Exercise.Kind.ECCENTRIC, Exercise.Kind.STRETCH)


@transaction.atomic
def add_programme(
    *, patient: User, key: str, prescribed_by: User, start: datetime.date
) -> list[Prescription]:
    """Prescribe a template's exercises; an exercise already actively prescribed is left as it is."""
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
        prescription = Prescription(
            patient=patient,
            exercise=exercise,
            prescribed_by=prescribed_by,
            side=side if exercise.kind in ONE_LEG_KINDS else "both",
            sets=item.sets,
            times_per_week=template.times_per_week,
            start_date=start,
            end_date=end,
            notes=template.label,
            **{exercise.amount_field: item.amount},
        )
        prescription.full_clean()
        prescription.save()
        created.append(prescription)
    return created
