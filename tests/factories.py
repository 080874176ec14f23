"""factory_boy factories for every model; tests build their data from these."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
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
    QuestionnaireAssignment,
    QuestionnaireResponse,
    SymptomLog,
    User,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PatientFactory(UserFactory):
    """A patient: a user with a profile (left calf affected unless told otherwise)."""

    profile = factory.RelatedFactory(
        "tests.factories.PatientProfileFactory", factory_related_name="user"
    )


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    affected_side = "left"
    condition = "Atrophy of the medial head of the left gastrocnemius"
    unit = "cm"


class PhysioFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def physio_group(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=PHYSIO_GROUP))


class GirthMeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GirthMeasurement

    patient = factory.SubFactory(PatientFactory)
    date = factory.Sequence(lambda n: timezone.localdate() - datetime.timedelta(days=n + 1))
    site = "tt10"
    left_1 = Decimal("34.2")
    right_1 = Decimal("37.6")


class HeelRiseTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeelRiseTest

    patient = factory.SubFactory(PatientFactory)
    date = factory.Sequence(lambda n: timezone.localdate() - datetime.timedelta(days=n + 1))
    reps_left = 12
    reps_right = 27
    incline = 10


def exercise(slug: str) -> Exercise:
    """One of the twelve library exercises the data migration created."""
    return Exercise.objects.get(slug=slug)


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"Test exercise {n}")
    slug = factory.Sequence(lambda n: f"test-exercise-{n}")
    kind = "strength"
    target = "gastrocnemius"
    measured_in = "reps"


class ExerciseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExerciseSession

    patient = factory.SubFactory(PatientFactory)
    performed_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(days=n + 1))
    duration_minutes = 30
    pain_before = 2
    pain_after = 3
    rpe = 6


class ExerciseEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExerciseEntry

    session = factory.SubFactory(ExerciseSessionFactory)
    exercise = factory.LazyFunction(lambda: exercise("single-leg-calf-raise"))
    side = "left"
    sets = 3
    reps = 12
    pain_during = 3


class SymptomLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SymptomLog

    patient = factory.SubFactory(PatientFactory)
    date = factory.Sequence(lambda n: timezone.localdate() - datetime.timedelta(days=n + 1))
    pain_at_rest = 2
    pain_next_morning = 2
    night_cramps = 1
    stiffness = 4


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    patient = factory.SubFactory(PatientFactory)
    exercise = factory.LazyFunction(lambda: exercise("eccentric-heel-drop-straight"))
    sets = 3
    reps = 15
    times_per_week = 4
    side = "both"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(weeks=4))


class PhysioNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhysioNote

    patient = factory.SubFactory(PatientFactory)
    author = factory.SubFactory(PhysioFactory)
    text = "Keep going with the heel drops."
    visible_to_patient = True


class QuestionnaireAssignmentFactory(factory.django.DjangoModelFactory):
    """A LEFS every 4 weeks from today (so one is due today)."""

    class Meta:
        model = QuestionnaireAssignment

    patient = factory.SubFactory(PatientFactory)
    instrument = "LEFS"
    start_date = factory.LazyFunction(timezone.localdate)
    repeat_weeks = 4


class QuestionnaireResponseFactory(factory.django.DjangoModelFactory):
    """A submitted LEFS with every activity answered 2 ("Moderate Difficulty"): score 40.

    Pass `answers=` and `score=` together (or use tracker.services.questionnaires.submit).
    """

    class Meta:
        model = QuestionnaireResponse

    patient = factory.SubFactory(PatientFactory)
    assignment = None
    instrument = "LEFS"
    version = "1"
    due_date = factory.LazyAttribute(lambda r: timezone.localtime(r.submitted_at).date() if r.submitted_at
                                     else timezone.localdate())
    answers = factory.LazyFunction(lambda: {f"q{n}": 2 for n in range(1, 21)})
    submitted_at = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(weeks=n + 1))
    score = 40
class MessageFactory(factory.django.DjangoModelFactory):
    """A patient's message to her physio (sent a minute ago)."""

    class Meta:
        model = Message

    patient = factory.SubFactory(PatientFactory)
    text = "Can I run on Saturday?"
    created_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
