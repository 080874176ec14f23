"""What the data migrations leave in the database: the physio group and the exercise library."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from tracker.models import PHYSIO_GROUP, Exercise

pytestmark = pytest.mark.django_db

group_migration = importlib.import_module("tracker.migrations.0002_physiotherapists_group")
library_migration = importlib.import_module("tracker.migrations.0003_exercise_library")
guides_migration = importlib.import_module("tracker.migrations.0008_exercise_guides")
# 0002 made the group; 0007 added the photos and videos and the programme steps.
LISTED = {**group_migration.PHYSIO_PERMISSIONS, **guides_migration.PHYSIO_PERMISSIONS}


def physio_codenames() -> set[str]:
    group = Group.objects.get(name=PHYSIO_GROUP)
    return set(group.permissions.values_list("codename", flat=True))


def test_physiotherapists_group_has_exactly_the_listed_permissions():
    expected = {f"{action}_{model}" for model, actions in LISTED.items() for action in actions}

    assert physio_codenames() == expected
    group = Group.objects.get(name=PHYSIO_GROUP)
    assert set(group.permissions.values_list("content_type__app_label", flat=True)) == {"tracker"}


def test_the_listed_permissions_cover_every_tracker_model_that_exists():
    listed = set(LISTED)
    tracker_models = set(
        Permission.objects.filter(content_type__app_label="tracker").values_list(
            "content_type__model", flat=True
        )
    )

    assert listed <= tracker_models  # no typo in a model name (it would grant nothing)


def test_physios_review_and_prescribe():
    codenames = physio_codenames()

    for codename in [
        "view_user", "change_patientprofile", "add_girthmeasurement", "change_heelrisetest",
        "view_exercisesession", "view_exerciseentry", "view_symptomlog", "add_exercise",
        "add_prescription", "change_prescription", "delete_prescription", "add_physionote",
    ]:
        assert codename in codenames, codename


@pytest.mark.parametrize(
    "codename",
    [
        "delete_user",
        "delete_patientprofile",
        "delete_girthmeasurement",
        "delete_heelrisetest",
        "add_exercisesession",
        "change_exercisesession",
        "delete_exercisesession",
        "change_exerciseentry",
        "change_symptomlog",
        "add_symptomlog",
        "delete_symptomlog",
        "delete_exercise",
        "delete_physionote",
    ],
)
def test_physios_cannot_change_what_patients_log_nor_delete_clinical_rows(codename):
    assert codename not in physio_codenames()


def test_group_migration_can_be_reversed_and_reapplied():
    from django.apps import apps as global_apps

    expected = physio_codenames()
    group_migration.remove_group(global_apps, None)
    assert not Group.objects.filter(name=PHYSIO_GROUP).exists()

    # create_group flips models_module on each app config while it works; put the real ones back.
    saved = {config.label: config.models_module for config in global_apps.get_app_configs()}
    try:
        group_migration.create_group(global_apps, None)
        guides_migration.grant_permissions(global_apps, None)
    finally:
        for config in global_apps.get_app_configs():
            config.models_module = saved[config.label]

    assert physio_codenames() == expected
    assert Group.objects.filter(name=PHYSIO_GROUP).count() == 1


# The exercise table of docs/clinical-rules.md: name -> (kind, target, knee position, measured in).
DOMAIN_LIBRARY = {
    "Double-leg calf raise": ("strength", "triceps_surae", None, "reps"),
    "Single-leg calf raise": ("strength", "gastrocnemius", "straight", "reps"),
    "Seated calf raise": ("strength", "soleus", "bent", "reps"),
    "Eccentric heel drop, knee straight": ("eccentric", "gastrocnemius", "straight", "reps"),
    "Eccentric heel drop, knee bent": ("eccentric", "soleus", "bent", "reps"),
    "Heavy slow calf raise": ("strength", "triceps_surae", None, "reps"),
    "Wall gastrocnemius stretch": ("stretch", "gastrocnemius", "straight", "seconds"),
    "Soleus stretch": ("stretch", "soleus", "bent", "seconds"),
    "Deep-water running": ("cardio", "whole_leg", None, "minutes"),
    "Stationary cycling": ("cardio", "whole_leg", None, "minutes"),
    "Trigger point self-release (ball)": ("soft_tissue", "gastrocnemius", None, "seconds"),
    "Foam rolling, calf": ("soft_tissue", "triceps_surae", None, "minutes"),
}


def test_library_has_the_twelve_domain_exercises():
    assert Exercise.objects.count() == 12
    assert set(Exercise.objects.values_list("name", flat=True)) == set(DOMAIN_LIBRARY)


@pytest.mark.parametrize("name", list(DOMAIN_LIBRARY))
def test_library_exercise_matches_the_domain_table(name):
    kind, target, knee, measured_in = DOMAIN_LIBRARY[name]
    exercise = Exercise.objects.get(name=name)

    assert exercise.kind == kind
    assert exercise.target == target
    assert exercise.measured_in == measured_in
    if knee is not None:
        assert exercise.knee_position == knee
    assert exercise.default_dosage
    assert exercise.instructions
    assert 1 <= exercise.default_sets <= 20
    assert exercise.slug
    exercise.full_clean()


def test_library_spot_checks():
    assert Exercise.objects.get(name="Wall gastrocnemius stretch").measured_in == "seconds"
    assert Exercise.objects.get(name="Deep-water running").measured_in == "minutes"
    assert Exercise.objects.get(name="Eccentric heel drop, knee bent").target == "soleus"
    assert Exercise.objects.get(slug="eccentric-heel-drop-straight").amount_field == "reps"
    assert Exercise.objects.get(slug="soleus-stretch").amount_field == "hold_seconds"
    assert Exercise.objects.get(slug="stationary-cycling").amount_field == "minutes"


@pytest.mark.parametrize(
    ("name", "sets", "amount"),
    [
        ("Double-leg calf raise", 3, 15),
        ("Single-leg calf raise", 3, 12),
        ("Eccentric heel drop, knee straight", 3, 15),
        ("Wall gastrocnemius stretch", 3, 30),
        ("Soleus stretch", 3, 30),
    ],
)
def test_default_dosage_numbers_follow_the_table(name, sets, amount):
    exercise = Exercise.objects.get(name=name)

    assert (exercise.default_sets, exercise.default_amount) == (sets, amount)


def test_library_migration_is_idempotent():
    from django.apps import apps as global_apps

    Exercise.objects.filter(slug="soleus-stretch").update(default_amount=45)

    library_migration.add_exercises(global_apps, None)

    assert Exercise.objects.count() == 12
    assert Exercise.objects.get(slug="soleus-stretch").default_amount == 30


means_migration = importlib.import_module("tracker.migrations.0014_girth_means_one_decimal")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the migrations' rows come back
def test_the_means_migration_keeps_each_mean_to_a_tenth_and_marks_the_rows_it_changed():
    """On the schema it ran on: before 0018 the mean columns kept two decimals (PostgreSQL now rounds
    35.93 to 35.9 on the way in, so the old rows cannot be made with today's columns)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before_0018 = [("tracker", "0017_decimal_messages")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before_0018)
    try:
        apps = MigrationExecutor(connection).loader.project_state(before_0018).apps
        patient = apps.get_model("tracker", "User").objects.create(username="means", password="!")
        measurements = apps.get_model("tracker", "GirthMeasurement").objects
        day = datetime.date(2026, 11, 1)
        kept = measurements.create(patient=patient, date=day, site="tt10", left_1=Decimal("34.0"),
                                   right_1=Decimal("37.5"), left_cm=Decimal("34.0"), right_cm=Decimal("37.5"))
        old = measurements.create(  # as the old code stored them: 2 decimals
            patient=patient, date=day, site="max",
            left_1=Decimal("35.9"), left_2=Decimal("36.0"), left_3=Decimal("35.9"),
            right_1=Decimal("38.1"), right_2=Decimal("38.0"),
            left_cm=Decimal("35.93"), right_cm=Decimal("38.05"),
        )
        assert measurements.get(pk=old.pk).left_cm == Decimal("35.93")

        means_migration.round_means(apps, None)

        kept_now, old_now = measurements.get(pk=kept.pk), measurements.get(pk=old.pk)
        assert (old_now.left_cm, old_now.right_cm) == (Decimal("35.9"), Decimal("38.1"))
        assert old_now.updated_at > old.updated_at  # a new data stamp: no cached summary shows 35.93
        assert (kept_now.left_cm, kept_now.right_cm, kept_now.updated_at) == (
            Decimal("34.0"), Decimal("37.5"), kept.updated_at
        )
    finally:
        MigrationExecutor(connection).migrate(latest)
