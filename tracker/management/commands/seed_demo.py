"""Demo data: a physio and three patients with realistic histories.

`demo` is the marathon runner of seed 000 (left medial gastrocnemius atrophy, 16 weeks of
rehab, in London, with e-mail reminders on: sessions Monday, Wednesday, Friday and Sunday at
18:00, and measurements; this week a painful session, a warm swollen calf ticked yesterday and a
question for her physio; a LEFS every 4 weeks, improving); `tennis` tore his right medial
gastrocnemius six weeks ago and was reviewed today; `achilles` has a right mid-portion Achilles
tendinopathy, fills in the VISA-A, stopped logging nine days ago and did fewer heel rises at her
last test. So the physio's triage home shows one patient of each kind: urgent, soon, nothing new.
Running it again changes nothing: existing accounts are left as they are.
"""

import datetime
import os
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tracker.management.demo_questionnaires import VISA_A_IMPROVING, add_questionnaires, lefs_answers
from tracker.models import (
    PHYSIO_GROUP,
    Exercise,
    ExerciseEntry,
    ExerciseSession,
    GirthMeasurement,
    HeelRiseTest,
    Message,
    PhysioNote,
    Prescription,
    ReminderSettings,
    SymptomLog,
    User,
)
from tracker.services.accounts import create_patient
from tracker.services.demo_media import demo_photo
from tracker.services.media import media_save
from tracker.services.programmes import add_programme, due_steps_apply

DEFAULT_PASSWORD = "calf-rehab-demo"
DEMO_TIME_ZONE = "Europe/London"
DEMO_SESSION_DAYS = (0, 2, 4, 6)  # Monday, Wednesday, Friday, Sunday


def _one_decimal(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def _readings(rng: random.Random, true_value: float) -> list[Decimal]:
    """Three tape readings around the true girth, within the 0.5 cm repeat limit."""
    return [_one_decimal(true_value + rng.uniform(-0.2, 0.2)) for _ in range(3)]


def _demo_base_pain(day: datetime.date, start: datetime.date, weeks: int) -> int:
    """The runner's background calf pain: 3/10 at the start, easing to 1/10 (never 0 for long)."""
    progress = min(1.0, max(0.0, (day - start).days / (weeks * 7)))
    return max(1, round(3 - 2 * progress))


class Command(BaseCommand):
    help = "Create the demo physio and patients (idempotent). Refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DJANGO_DEBUG is off."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password. DJANGO_DEBUG is off: "
                "pass --force if you really want demo data here."
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        self.today = timezone.localdate()
        with transaction.atomic():
            physio = self._physio(password)
            created = []
            if not User.objects.filter(username="demo").exists():
                self._demo_runner(password, physio)
                created.append("demo")
            if not User.objects.filter(username="tennis").exists():
                self._tennis_player(password, physio)
                created.append("tennis")
            if not User.objects.filter(username="achilles").exists():
                self._achilles_patient(password, physio)
                created.append("achilles")
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created demo patients: {', '.join(created)}"))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        shown = password if password == DEFAULT_PASSWORD else "(the value of DEMO_PASSWORD)"
        self.stdout.write(
            "Demo logins (password " + shown + "):\n"
            "  demo    - patient, left medial gastrocnemius atrophy, 16 weeks of data\n"
            "  tennis  - patient, right medial gastrocnemius tear, 6 weeks of data\n"
            "  achilles - patient, right Achilles tendinopathy, 8 weeks, quiet for 9 days, VISA-A\n"
            "  physio  - physiotherapist, reviews all three at /admin/"
        )

    def _physio(self, password: str) -> User:
        physio = User.objects.filter(username="physio").first()
        if physio is None:
            physio = User.objects.create_user(
                "physio",
                email="physio@example.com",
                password=password,
                first_name="Priya",
                last_name="Shah",
                is_staff=True,
                time_zone=DEMO_TIME_ZONE,
            )
            physio.groups.add(Group.objects.get(name=PHYSIO_GROUP))
        return physio

    def _demo_runner(self, password: str, physio: User) -> None:
        rng = random.Random(28)
        weeks = 16
        start = self.today - datetime.timedelta(weeks=weeks)
        patient = create_patient(
            username="demo",
            password=password,
            email="demo@example.com",
            first_name="Anna",
            last_name="Runner",
            affected_side="left",
            condition=(
                "Atrophy of the medial head of the left gastrocnemius (normal EMG and nerve conduction)"
            ),
            physio=physio,
            onset_date=start - datetime.timedelta(weeks=10),
            sex="F",
            birth_year=self.today.year - 28,
            time_zone=DEMO_TIME_ZONE,
        )
        ReminderSettings.objects.create(
            user=patient,
            enabled=True,
            remind_at=datetime.time(18, 0),
            session=True,
            session_days=ReminderSettings.days_to_bits(DEMO_SESSION_DAYS),
            measurement=True,
            heel_rise=False,
            check_in=False,
        )
        measurements = []
        for week in range(weeks + 1):
            day = start + datetime.timedelta(weeks=week)
            left = 34.0 + 1.6 * week / weeks
            m = GirthMeasurement(patient=patient, date=day, site="tt10")
            m.left_1, m.left_2, m.left_3 = _readings(rng, left)
            m.right_1, m.right_2, m.right_3 = _readings(rng, 37.5)
            if week % 4 == 0:
                big = GirthMeasurement(patient=patient, date=day, site="max")
                big.left_1, big.left_2, big.left_3 = _readings(rng, left + 1.8)
                big.right_1, big.right_2, big.right_3 = _readings(rng, 39.4)
                measurements.append(big)
            measurements.append(m)
        for m in measurements:
            m.compute_means()
        bulk_create_with_history(measurements, GirthMeasurement)

        bulk_create_with_history(
            [
                HeelRiseTest(
                    patient=patient,
                    date=start + datetime.timedelta(weeks=week),
                    reps_left=round(12 + 9 * week / weeks),
                    reps_right=27,
                    incline=10,
                )
                for week in range(0, weeks + 1, 2)
            ],
            HeelRiseTest,
        )

        programme = {
            "eccentric-heel-drop-straight": dict(sets=3, reps=15, times_per_week=4),
            "eccentric-heel-drop-bent": dict(sets=3, reps=15, times_per_week=4),
            "single-leg-calf-raise": dict(sets=3, reps=12, times_per_week=3, side="left"),
            "wall-gastrocnemius-stretch": dict(sets=3, hold_seconds=30, times_per_week=4),
        }
        exercises = {e.slug: e for e in Exercise.objects.filter(slug__in=programme)}
        for slug, dosage in programme.items():
            Prescription.objects.create(
                patient=patient,
                exercise=exercises[slug],
                prescribed_by=physio,
                start_date=start,
                **{"side": "both", **dosage},
            )

        missed_week = 9
        # The evening two days ago has one session, the painful one of _demo_this_week.
        painful_evening = self.today - datetime.timedelta(days=2)
        for week in range(weeks):
            if week == missed_week:
                continue
            days = sorted(rng.sample(range(7), rng.choice([3, 4])))
            for weekday in days:
                day = start + datetime.timedelta(weeks=week, days=weekday)
                if day >= self.today or day == painful_evening:
                    continue
                base = _demo_base_pain(day, start, weeks)
                pain = base + rng.choice([1, 1, 2])
                session = ExerciseSession.objects.create(
                    patient=patient,
                    performed_at=timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(18, 30))
                    ),
                    duration_minutes=rng.choice([25, 30, 35]),
                    pain_before=base,
                    pain_after=pain - 1 if pain > base + 1 else pain,
                    rpe=rng.choice([5, 6, 7]),
                )
                load = _one_decimal(min(12.0, 2.0 * (week // 3)))
                bulk_create_with_history(
                    [
                        ExerciseEntry(session=session, exercise=exercises["eccentric-heel-drop-straight"],
                                      side="both", sets=3, reps=15, pain_during=pain),
                        ExerciseEntry(session=session, exercise=exercises["eccentric-heel-drop-bent"],
                                      side="both", sets=3, reps=15, pain_during=max(0, pain - 1)),
                        ExerciseEntry(session=session, exercise=exercises["single-leg-calf-raise"],
                                      side="left", sets=3, reps=12, load_kg=load, pain_during=pain),
                        ExerciseEntry(session=session, exercise=exercises["wall-gastrocnemius-stretch"],
                                      side="both", sets=3, hold_seconds=30),
                    ],
                    ExerciseEntry,
                )

        logs = []
        for offset in range(weeks * 7, -1, -1):
            day = self.today - datetime.timedelta(days=offset)
            if rng.random() < 0.25:
                continue
            progress = 1 - offset / (weeks * 7)
            early = progress < 0.4
            logs.append(
                SymptomLog(
                    patient=patient,
                    date=day,
                    pain_at_rest=max(0, _demo_base_pain(day, start, weeks) - rng.choice([0, 0, 1])),
                    pain_next_morning=max(0, _demo_base_pain(day, start, weeks) - rng.choice([0, 0, 1])),
                    night_cramps=max(0, round(3 * (1 - progress) + rng.choice([-1, 0, 0, 1]))),
                    stiffness=max(0, round(6 - 4 * progress)),
                    limping=progress < 0.5,
                    tp_left_lower_medial=early or rng.random() < 0.2,
                    tp_left_upper_medial=early and rng.random() < 0.5,
                )
            )
        bulk_create_with_history(logs, SymptomLog)

        self._demo_progression(patient, physio)

        PhysioNote.objects.create(
            patient=patient,
            author=physio,
            created_at=timezone.now() - datetime.timedelta(weeks=4),
            text="Good progress on the heel drops. Add 2 kg to the single-leg raises when 3 x 12 feels easy.",
            visible_to_patient=True,
            is_review=True,
            read_at=timezone.now() - datetime.timedelta(weeks=4) + datetime.timedelta(hours=3),
            notified_at=timezone.now() - datetime.timedelta(weeks=4),
        )
        self._demo_this_week(patient, exercises)

    def _demo_this_week(self, patient: User, exercises: dict) -> None:
        """What puts `demo` first on her physio's triage: a session too painful two days ago, a
        red-flag symptom ticked yesterday, and a question for her physio this morning."""
        two_days_ago = self.today - datetime.timedelta(days=2)
        session = ExerciseSession.objects.create(
            patient=patient,
            performed_at=timezone.make_aware(datetime.datetime.combine(two_days_ago, datetime.time(19, 0))),
            duration_minutes=30, pain_before=2, pain_after=7, rpe=8,
            notes="Added the 2 kg on the single-leg raises.",
        )
        bulk_create_with_history(
            [
                ExerciseEntry(session=session, exercise=exercises["eccentric-heel-drop-straight"],
                              side="both", sets=3, reps=15, pain_during=5),
                ExerciseEntry(session=session, exercise=exercises["single-leg-calf-raise"],
                              side="left", sets=3, reps=12, load_kg=Decimal("12.0"), pain_during=7),
            ],
            ExerciseEntry,
        )
        yesterday = self.today - datetime.timedelta(days=1)
        log, _created = SymptomLog.objects.get_or_create(patient=patient, date=yesterday)
        log.pain_at_rest, log.pain_next_morning, log.stiffness = 4, 5, 5
        log.flag_dvt_signs = True
        log.notes = "Left calf warm and tight since the session, a bit swollen."
        log.save()
        Message.objects.create(
            patient=patient,
            created_at=timezone.now() - datetime.timedelta(hours=2),
            text="My left calf has been warm and a bit swollen since the session two days ago, when I "
            "added the 2 kg. Should I stop the single-leg raises, or carry on?",
        )

    def _achilles_patient(self, password: str, physio: User) -> None:
        """Eight weeks of Alfredson heel drops, then nothing for nine days; her last heel-rise test
        on the right dropped by six rises (the test's error), and she was reviewed three weeks ago."""
        weeks = 8
        start = self.today - datetime.timedelta(weeks=weeks)
        last_day = self.today - datetime.timedelta(days=9)
        patient = create_patient(
            username="achilles",
            password=password,
            email="achilles@example.com",
            first_name="Maria",
            last_name="Lopez",
            affected_side="right",
            condition="Mid-portion Achilles tendinopathy, right",
            physio=physio,
            onset_date=start - datetime.timedelta(weeks=6),
            sex="F",
            birth_year=self.today.year - 46,
        )
        rng = random.Random(12)
        measurements = []
        for week in range(weeks + 1):
            day = start + datetime.timedelta(weeks=week)
            if day > last_day:
                break
            m = GirthMeasurement(patient=patient, date=day, site="tt10")
            m.left_1, m.left_2, m.left_3 = _readings(rng, 37.0)
            m.right_1, m.right_2, m.right_3 = _readings(rng, 36.2 + 0.05 * week)
            m.compute_means()
            measurements.append(m)
        bulk_create_with_history(measurements, GirthMeasurement)
        bulk_create_with_history(
            [
                HeelRiseTest(patient=patient, date=self.today - datetime.timedelta(days=days_ago),
                             reps_left=26, reps_right=right, incline=10)
                for days_ago, right in ((56, 14), (42, 18), (30, 22), (9, 16))
            ],
            HeelRiseTest,
        )
        exercises = {e.slug: e for e in Exercise.objects.filter(
            slug__in=["eccentric-heel-drop-straight", "eccentric-heel-drop-bent"])}
        for exercise in exercises.values():
            Prescription.objects.create(patient=patient, exercise=exercise, prescribed_by=physio, sets=3,
                                        reps=15, times_per_week=7, side="right", start_date=start)
        logs = []
        day = start
        while day <= last_day:
            session = ExerciseSession.objects.create(
                patient=patient,
                performed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0))),
                duration_minutes=20, pain_before=2, pain_after=rng.choice([3, 3, 4]), rpe=6,
            )
            bulk_create_with_history(
                [ExerciseEntry(session=session, exercise=exercise, side="right", sets=3, reps=15,
                               pain_during=rng.choice([3, 4])) for exercise in exercises.values()],
                ExerciseEntry,
            )
            logs.append(SymptomLog(patient=patient, date=day, pain_at_rest=1, pain_next_morning=3,
                                   stiffness=4, night_cramps=0))
            day += datetime.timedelta(days=2)
        bulk_create_with_history(logs, SymptomLog)
        PhysioNote.objects.create(
            patient=patient, author=physio, created_at=timezone.now() - datetime.timedelta(weeks=3),
            text="Reviewed", visible_to_patient=False, is_review=True,
        )
        # VISA-A every 4 weeks, improving; the third is due today.
        add_questionnaires(
            patient=patient, physio=physio, code="VISA-A", repeat_weeks=4,
            answered=[(start + datetime.timedelta(weeks=4 * n), answers)
                      for n, answers in enumerate(VISA_A_IMPROVING[:2])],
        )

    def _demo_progression(self, patient: User, physio: User) -> None:
        """Heavy slow resistance started 20 days ago: step 2 taken by itself in week 2 (on the first
        day her pain kept the rules), step 3 (4 x 10) next week; a photo of her set-up from her physio."""
        start = self.today - datetime.timedelta(days=20)
        hsr = add_programme(patient=patient, key="hsr", prescribed_by=physio, start=start, mode="auto")
        for day in range(7, 14):
            if due_steps_apply(patient=patient, today=start + datetime.timedelta(days=day)):
                break
        calf_raise = next(p for p in hsr if p.exercise.slug == "heavy-slow-calf-raise")
        media_save(
            upload=demo_photo("heavy-slow-calf-raise"),
            exercise=calf_raise.exercise,
            prescription=calf_raise,
            description="Your set-up from the clinic: balls of the feet on the plate, heels down, backpack "
            "on, fingertips on the wall.",
            uploaded_by=physio,
        )
        # LEFS every 4 weeks, improving; the next one is due today.
        add_questionnaires(
            patient=patient, physio=physio, code="LEFS", repeat_weeks=4,
            answered=[
                (self.today - datetime.timedelta(weeks=weeks_ago), lefs_answers(total))
                for weeks_ago, total in ((12, 48), (8, 57), (4, 66))
            ],
        )

    def _tennis_player(self, password: str, physio: User) -> None:
        rng = random.Random(6)
        weeks = 6
        start = self.today - datetime.timedelta(weeks=weeks)
        patient = create_patient(
            username="tennis",
            password=password,
            email="tennis@example.com",
            first_name="Tom",
            last_name="Baseline",
            affected_side="right",
            condition="Tear of the medial head of the right gastrocnemius (tennis leg)",
            physio=physio,
            onset_date=start - datetime.timedelta(days=3),
            sex="M",
            birth_year=self.today.year - 41,
        )
        measurements = []
        for week in range(weeks + 1):
            m = GirthMeasurement(patient=patient, date=start + datetime.timedelta(weeks=week), site="tt10")
            m.left_1, m.left_2, m.left_3 = _readings(rng, 38.0)
            m.right_1, m.right_2, m.right_3 = _readings(rng, 36.0 + 0.15 * week)
            m.compute_means()
            measurements.append(m)
        bulk_create_with_history(measurements, GirthMeasurement)
        bulk_create_with_history(
            [
                HeelRiseTest(patient=patient, date=start + datetime.timedelta(weeks=week),
                             reps_left=30, reps_right=8 + 2 * week, incline=0)
                for week in range(2, weeks + 1, 2)
            ],
            HeelRiseTest,
        )
        calf_raise = Exercise.objects.get(slug="double-leg-calf-raise")
        cycling = Exercise.objects.get(slug="stationary-cycling")
        Prescription.objects.create(patient=patient, exercise=calf_raise, prescribed_by=physio,
                                    sets=3, reps=15, times_per_week=3, start_date=start)
        Prescription.objects.create(patient=patient, exercise=cycling, prescribed_by=physio,
                                    sets=1, minutes=20, times_per_week=3, start_date=start)
        for week in range(weeks):
            for weekday in (0, 2, 4):
                day = start + datetime.timedelta(weeks=week, days=weekday)
                pain = max(1, 5 - week)
                session = ExerciseSession.objects.create(
                    patient=patient,
                    performed_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 15))),
                    duration_minutes=30,
                    pain_before=pain - 1,
                    pain_after=pain,
                    rpe=5,
                )
                ExerciseEntry.objects.create(session=session, exercise=calf_raise, side="both",
                                             sets=3, reps=15, pain_during=pain)
                ExerciseEntry.objects.create(session=session, exercise=cycling, side="both",
                                             sets=1, minutes=20, pain_during=max(0, pain - 2))
        bulk_create_with_history(
            [
                SymptomLog(
                    patient=patient,
                    date=start + datetime.timedelta(days=day),
                    pain_at_rest=max(0, 5 - day // 8),
                    pain_next_morning=max(0, 4 - day // 10),
                    stiffness=max(1, 6 - day // 7),
                    limping=day < 21,
                    night_cramps=0,
                )
                for day in range(0, weeks * 7, 2)
            ],
            SymptomLog,
        )
        add_questionnaires(
            patient=patient, physio=physio, code="LEFS", repeat_weeks=4,
            answered=[(start + datetime.timedelta(weeks=1), lefs_answers(31)),
                      (start + datetime.timedelta(weeks=5), lefs_answers(44))],
        )
        PhysioNote.objects.create(patient=patient, author=physio, text="Reviewed", visible_to_patient=False,
                                  is_review=True)
