"""A made-up clinic for measuring pages at scale: `manage.py generate_clinic --patients 10000 --physios 100`.

Physio `clinic-physio-000` has `--busy` patients (150 by default); the others share the rest. Every
patient gets six weeks of realistic records: four girth measurements, two heel-rise tests, about a
dozen sessions of two or three exercises, a check-in on most days, a prescription or two, and for
some a message, a review note, a red flag or a painful session, so that the triage home has every
kind of reason to show. Rows go in with bulk inserts, a few hundred patients per transaction; they
have no audit history (nobody edited them) and no usable password (nobody logs in as them).

It refuses to run on a database that has a generated clinic already; `--delete` removes it.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tracker.models import (
    PHYSIO_GROUP,
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Message,
    PatientProfile,
    PhysioNote,
    Prescription,
    SymptomLog,
    User,
)

PREFIX = "clinic-"
BUSY_PHYSIO = f"{PREFIX}physio-000"
BATCH = 500  # patients per transaction
DAYS = 42  # six weeks of history per patient
EXERCISES = ("eccentric-heel-drop-straight", "eccentric-heel-drop-bent", "seated-calf-raise")
FIRST_NAMES = ("Anna", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hugo", "Isla", "Jon", "Kemi", "Liam")
LAST_NAMES = ("Adams", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones")


def _cm(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=1000)
        parser.add_argument("--physios", type=int, default=10)
        parser.add_argument("--busy", type=int, default=150, help="patients of clinic-physio-000")
        parser.add_argument("--seed", type=int, default=20)
        parser.add_argument("--delete", action="store_true", help="remove a generated clinic and stop")

    def handle(self, *args, patients: int, physios: int, busy: int, seed: int, delete: bool, **options):
        generated = User.objects.filter(username__startswith=PREFIX)
        if delete:
            ids = list(generated.values_list("pk", flat=True))
            for start in range(0, len(ids), BATCH):  # a batch at a time: deleting collects every row
                with transaction.atomic():
                    User.objects.filter(pk__in=ids[start:start + BATCH]).delete()
            self.stdout.write(f"Deleted the generated clinic ({len(ids)} accounts and their records).")
            return
        if generated.exists():
            raise CommandError("A generated clinic is here already (clinic-* accounts); --delete removes it.")
        if physios < 1 or patients < busy:
            raise CommandError("At least one physio, and at least --busy patients.")
        exercises = list(Exercise.objects.filter(slug__in=EXERCISES))
        if len(exercises) != len(EXERCISES):
            raise CommandError("The exercise library is missing; run `manage.py migrate` first.")

        rng = random.Random(seed)
        team = self._physios(physios)
        owners = [team[0]] * busy + [team[1 + i % (physios - 1)] if physios > 1 else team[0]
                                     for i in range(patients - busy)]
        # Her place in her physio's list picks the red flags and messages, so that every physio with
        # 25 patients or more has every kind of reason on her triage home (and the same queries).
        places, counts = [], Counter()
        for owner in owners:
            places.append(counts[owner.pk])
            counts[owner.pk] += 1
        for start in range(0, patients, BATCH):
            with transaction.atomic():
                self._patients(range(start, min(start + BATCH, patients)), owners, places, exercises, rng)
            self.stdout.write(f"  {min(start + BATCH, patients)} of {patients} patients")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {patients} patients and {physios} physios; {BUSY_PHYSIO} has {busy} patients."
        ))

    def _physios(self, count: int) -> list[User]:
        password = make_password(None)
        users = User.objects.bulk_create([
            User(username=f"{PREFIX}physio-{i:03d}", first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                 last_name=f"Physio {i:03d}", is_staff=True, password=password)
            for i in range(count)
        ])
        Group.objects.get(name=PHYSIO_GROUP).user_set.add(*users)
        return users

    def _patients(self, numbers: range, owners: list[User], places: list[int], exercises: list[Exercise],
                  rng: random.Random):
        today = timezone.localdate()
        now = timezone.now()
        start = today - datetime.timedelta(days=DAYS - 1)
        password = make_password(None)
        users = User.objects.bulk_create([
            User(username=f"{PREFIX}p{n:05d}", first_name=rng.choice(FIRST_NAMES),
                 last_name=f"{rng.choice(LAST_NAMES)} {n:05d}", password=password)
            for n in numbers
        ])
        profiles = PatientProfile.objects.bulk_create([
            PatientProfile(user=user, physio=owners[n], affected_side=rng.choice(["left", "right"]),
                           condition="Calf muscle strain", onset_date=start - datetime.timedelta(weeks=2),
                           sex=rng.choice(["F", "M"]), birth_year=today.year - rng.randint(25, 70))
            for n, user in zip(numbers, users, strict=True)
        ])
        girths, tests, sessions, planned, logs, prescriptions, messages, notes = ([] for _ in range(8))
        for n, user, profile in zip(numbers, users, profiles, strict=True):
            place = places[n]
            involved_left = profile.affected_side == "left"
            deficit = rng.uniform(0.5, 3.5)
            # One patient in twenty has a calf that suddenly swells (a red flag) at the last measurement.
            swollen = place % 20 == 1
            for week, day in enumerate(range(0, DAYS, 10)):
                other = rng.uniform(36, 40)
                involved = other - deficit + 0.1 * week + (2.5 if swollen and day >= 30 else 0)
                left, right = (involved, other) if involved_left else (other, involved)
                m = GirthMeasurement(patient=user, date=start + datetime.timedelta(days=day + 1), site="tt10")
                m.left_1 = m.left_2 = m.left_3 = _cm(left)
                m.right_1 = m.right_2 = m.right_3 = _cm(right)
                m.compute_means()
                girths.append(m)
            for day, reps in ((3, rng.randint(8, 20)), (DAYS - 3, rng.randint(10, 25))):
                tests.append(HeelRiseTest(patient=user, date=start + datetime.timedelta(days=day),
                                          reps_left=reps if involved_left else 25,
                                          reps_right=25 if involved_left else reps, incline=10))
            for exercise in exercises[: rng.choice([1, 2])]:
                prescriptions.append(Prescription(
                    patient=user, exercise=exercise, sets=3, side="both", times_per_week=3, start_date=start,
                    **{exercise.amount_field: 15},
                ))
            painful = place % 20 == 2
            for day in range(1, DAYS, 3 if rng.random() < 0.7 else 6):
                at = timezone.make_aware(datetime.datetime.combine(start + datetime.timedelta(days=day),
                                                                   datetime.time(18)))
                if at > now:
                    continue
                pain = 7 if painful and day > DAYS - 5 else rng.randint(0, 4)
                sessions.append(ExerciseSession(patient=user, performed_at=at, duration_minutes=30,
                                                pain_before=rng.randint(0, 3), pain_after=pain, rpe=6))
                done = exercises[: rng.choice([2, 3])]
                planned.append([(exercise, rng.randint(0, pain)) for exercise in done])
            for day in range(DAYS):
                if rng.random() < 0.8:
                    logs.append(SymptomLog(
                        patient=user, date=start + datetime.timedelta(days=day),
                        pain_at_rest=rng.randint(0, 3), pain_next_morning=rng.randint(0, 3),
                        night_cramps=rng.randint(0, 2), stiffness=rng.randint(0, 4),
                        flag_dvt_signs=day == DAYS - 2 and place % 25 == 3,
                    ))
            if place % 3 == 0:
                messages.append(Message(patient=user, text="Is it fine to walk the dog on my rest days?",
                                        created_at=now - datetime.timedelta(days=rng.randint(0, 6))))
            if place % 2 == 0:
                notes.append(PhysioNote(patient=user, author=profile.physio, is_review=True,
                                        visible_to_patient=False, text="Reviewed: carry on.",
                                        created_at=now - datetime.timedelta(days=rng.randint(1, 20))))
        GirthMeasurement.objects.bulk_create(girths, batch_size=1000)
        HeelRiseTest.objects.bulk_create(tests, batch_size=1000)
        Prescription.objects.bulk_create(prescriptions, batch_size=1000)
        ExerciseSession.objects.bulk_create(sessions, batch_size=1000)  # gets primary keys
        ExerciseEntry.objects.bulk_create([
            ExerciseEntry(session=session, exercise=exercise, sets=3, side="both", pain_during=pain,
                          **{exercise.amount_field: 15})
            for session, entries in zip(sessions, planned, strict=True) for exercise, pain in entries
        ], batch_size=1000)
        SymptomLog.objects.bulk_create(logs, batch_size=1000)
        Message.objects.bulk_create(messages, batch_size=1000)
        PhysioNote.objects.bulk_create(notes, batch_size=1000)
