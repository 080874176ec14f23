"""The Physiotherapists group with exactly the admin permissions a physio needs.

Physios review patients, measure them in clinic, prescribe and leave notes. They read but do
not change what patients log themselves (sessions, entries, symptom check-ins).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PHYSIO_PERMISSIONS = {
    "user": ["view", "add", "change"],
    "patientprofile": ["view", "add", "change"],
    "girthmeasurement": ["view", "add", "change"],
    "heelrisetest": ["view", "add", "change"],
    "exercisesession": ["view"],
    "exerciseentry": ["view"],
    "symptomlog": ["view"],
    "exercise": ["view", "add", "change"],
    "prescription": ["view", "add", "change", "delete"],
    "physionote": ["view", "add", "change"],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the group can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Physiotherapists")
    codenames = [
        f"{action}_{model}" for model, actions in PHYSIO_PERMISSIONS.items() for action in actions
    ]
    permissions = Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames)
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Physiotherapists").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
