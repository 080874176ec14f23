"""`manage.py backup` and `manage.py restore`: a seeded database survives the round trip row for row."""

import gzip
import io
import json
import stat

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db.models import ForeignKey, ManyToManyField

from tests.factories import GirthMeasurementFactory, PatientFactory
from tracker.models import ApiToken, ClosedAccount, GirthMeasurement, User
from tracker.services import backup

NATURAL = {ContentType, Permission}


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    """Some tests renumber content types; Django caches them per process, so start and end clean."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


def natural_key(model, pk):
    if pk is None:
        return None
    return model._base_manager.get(pk=pk).natural_key()


def table_snapshot() -> dict[str, list]:
    """Every row of every model (history and many-to-many tables included), comparable across
    databases whose content-type and permission ids differ: those are replaced by natural keys."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in backup.LEFT_OUT | backup.BY_NATURAL_KEY:
            continue
        through = model._meta.auto_created
        fields = [f for f in model._meta.concrete_fields if not (through and f.primary_key)]
        rows = []
        for values in model._base_manager.order_by("pk").values_list(*[f.attname for f in fields]):
            row = []
            for field, value in zip(fields, values, strict=True):
                if isinstance(field, ForeignKey) and field.related_model in NATURAL:
                    value = natural_key(field.related_model, value)
                row.append(value)
            rows.append(tuple(row))
        # A through table's rows are recreated on restore, so their own ids change: compare as sets.
        snapshot[label] = sorted(rows, key=repr) if through else rows
    return snapshot


def seed() -> None:
    """The demo data plus one row of every model seed_demo does not fill."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    physio = User.objects.get(username="physio")
    patient = User.objects.get(username="demo")
    patient.user_permissions.add(Permission.objects.get(codename="view_exercise"))
    ClosedAccount.objects.create(physio=physio, display_name="Former Patient")
    ApiToken.objects.create(user=patient, name="Phone", prefix="abcdef", digest="d" * 64)
    LogEntry.objects.create(
        user=physio,
        content_type=ContentType.objects.get_for_model(GirthMeasurement),
        object_id=str(GirthMeasurement.objects.filter(patient=patient).first().pk),
        object_repr="measurement",
        action_flag=ADDITION,
    )
    # An audit row naming a user who has since been deleted: must survive as a plain id.
    gone = PatientFactory(username="gone")
    GirthMeasurementFactory(patient=gone)
    history = apps.get_model("tracker", "HistoricalGirthMeasurement")
    history.objects.filter(patient_id=gone.pk).update(history_user_id=gone.pk)
    other = history.objects.filter(patient=patient).first()
    history.objects.filter(pk=other.pk).update(history_user_id=gone.pk)
    gone.delete()


def wipe_and_renumber_content_types() -> None:
    """An empty, freshly migrated database whose content types and permissions have other ids."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    ContentType.objects.create(app_label="zz", model="shifts_every_id")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("filename", ["rehab.json.gz", "rehab.json"])
def test_round_trip_keeps_every_row(tmp_path, filename):
    seed()
    before = table_snapshot()
    content_type_ids = dict(ContentType.objects.values_list("model", "pk"))
    assert sum(len(rows) for rows in before.values()) > 500
    assert len(before["tracker.historicalgirthmeasurement"]) > 0
    assert len(before["tracker.user_user_permissions"]) == 1
    path = tmp_path / filename

    call_command("backup", str(path), stdout=io.StringIO())
    wipe_and_renumber_content_types()
    assert not User.objects.exists()
    assert dict(ContentType.objects.values_list("model", "pk")) != content_type_ids
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)

    assert "Restored" in out.getvalue()
    after = table_snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    # Sequences continue after the restored ids (PostgreSQL needs them reset).
    new = PatientFactory(username="after-restore")
    assert new.pk > max(pk for (pk, *_rest) in before["tracker.user"])
    assert GirthMeasurementFactory(patient=new).pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_with_data_unless_forced(tmp_path):
    seed()
    path = tmp_path / "rehab.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    before = table_snapshot()
    late = PatientFactory(username="late")
    GirthMeasurementFactory(patient=late)

    with pytest.raises(CommandError, match="The database is not empty .*Pass --force"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert User.objects.filter(username="late").exists()

    call_command("restore", str(path), force=True, stdout=io.StringIO())
    assert not User.objects.filter(username="late").exists()
    assert table_snapshot() == before


@pytest.mark.django_db
def test_a_freshly_migrated_database_counts_as_empty():
    assert Group.objects.exists() and apps.get_model("tracker", "Exercise").objects.exists()
    assert backup.rows_to_keep() == {}
    PatientFactory()
    assert backup.rows_to_keep()["tracker.user"] == 1


@pytest.mark.django_db
def test_the_file_is_private_and_leaves_out_sessions_and_login_attempts(tmp_path, client):
    patient = PatientFactory(username="anna")
    client.force_login(patient)
    path = tmp_path / "rehab.json"

    call_command("backup", str(path), stdout=io.StringIO())

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["format"] == backup.FORMAT
    assert document["counts"]["tracker.user"] == 1
    models = {item["model"] for item in document["objects"]}
    assert "sessions.session" not in models and not any(m.startswith("axes.") for m in models)
    assert "contenttypes.contenttype" not in models and "auth.permission" not in models
    assert "tracker.0005_audit_history_api_tokens_closed_accounts" in document["migrations"]
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.django_db
def test_backup_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nope" / "rehab.json"))


# --- broken files: a clear message, and nothing changed ------------------------------------------


@pytest.fixture
def good_backup(db, tmp_path) -> dict:
    PatientFactory(username="anna")
    path = tmp_path / "good.json"
    call_command("backup", str(path), stdout=io.StringIO())
    return json.loads(path.read_text())


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def broken_files(tmp_path, document: dict) -> list[tuple[object, str]]:
    good = json.dumps(document).encode()
    missing_rows = dict(
        document, objects=[o for o in document["objects"] if o["model"] != "tracker.historicalpatientprofile"]
    )
    bad_value = json.loads(good)
    bad_value["objects"].append(
        {"model": "tracker.girthmeasurement", "pk": 99, "fields": {"patient": 1, "left_1": "abc"}}
    )
    newer = dict(document, migrations=[*document["migrations"], "tracker.9999_from_the_future"])
    return [
        (tmp_path / "absent.json.gz", "There is no backup file at"),
        (write(tmp_path, "empty.json", b""), "not valid JSON"),
        (write(tmp_path, "random.json.gz", b"\x00\xffnot json at all"), "not valid JSON"),
        (write(tmp_path, "cut.json.gz", gzip.compress(good)[:200]), "not a valid gzip file"),
        (write(tmp_path, "other.json", b'[{"model": "tracker.user", "pk": 1, "fields": {}}]'),
         "not a Calf Rehab Tracker backup"),
        (write(tmp_path, "v3.json", json.dumps(dict(document, version=3)).encode()), "format version 3"),
        (write(tmp_path, "noobjects.json", json.dumps(dict(document, objects=None)).encode()), "damaged"),
        (write(tmp_path, "partial.json", json.dumps(missing_rows).encode()), "The backup is incomplete"),
        (write(tmp_path, "badvalue.json", json.dumps(bad_value).encode()), "could not be loaded"),
        (write(tmp_path, "newer.json", json.dumps(newer).encode()), "Run `manage.py migrate` first"),
    ]


def test_a_broken_or_missing_file_is_a_clear_error_and_changes_nothing(tmp_path, good_backup):
    GirthMeasurementFactory(patient=User.objects.get(username="anna"))
    before = table_snapshot()
    for path, message in broken_files(tmp_path, good_backup):
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path), force=True, stdout=io.StringIO())
        assert table_snapshot() == before, path.name


def test_many_to_many_natural_keys_are_written_for_permissions_only(good_backup):
    group = next(o for o in good_backup["objects"] if o["model"] == "auth.group")
    assert group["fields"]["permissions"]
    assert all(isinstance(p, list) and len(p) == 3 for p in group["fields"]["permissions"])
    user = next(o for o in good_backup["objects"] if o["model"] == "tracker.user")
    assert user["fields"]["groups"] == []
    profile = next(o for o in good_backup["objects"] if o["model"] == "tracker.patientprofile")
    assert isinstance(profile["fields"]["user"], int)


@pytest.mark.django_db
def test_times_keep_their_microseconds(tmp_path):
    measurement = GirthMeasurementFactory()
    path = tmp_path / "rehab.json"
    call_command("backup", str(path), stdout=io.StringIO())
    stored = next(
        o for o in json.loads(path.read_text())["objects"] if o["model"] == "tracker.girthmeasurement"
    )
    assert stored["fields"]["created_at"] == measurement.created_at.isoformat()


def test_backed_up_models_cover_every_model_but_the_left_out_ones():
    labels = {m._meta.label_lower for m in backup.backed_up_models()}
    everything = {m._meta.label_lower for m in apps.get_models()}
    assert labels == everything - backup.LEFT_OUT - backup.BY_NATURAL_KEY
    assert isinstance(User._meta.get_field("groups"), ManyToManyField)


# --- the uploaded photos and videos ------------------------------------------------------------------


def test_media_files_go_into_the_backup_and_come_back(tmp_path, media_root, db):
    from tests.factories import PhysioFactory, PrescriptionFactory
    from tests.media_files import image_bytes, mp4_bytes, upload
    from tracker.services.media import media_save

    physio = PhysioFactory()
    prescription = PrescriptionFactory(patient=PatientFactory())
    photo = media_save(upload=upload("a.png", image_bytes("PNG")), exercise=prescription.exercise,
                       prescription=prescription, description="photo", uploaded_by=physio)
    video = media_save(upload=upload("b.mp4", mp4_bytes()), exercise=prescription.exercise,
                       description="video", uploaded_by=physio)
    contents = {m.file.name: (media_root / m.file.name).read_bytes() for m in (photo, video)}
    path = tmp_path / "with-media.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    document = json.loads(gzip.decompress(path.read_bytes()))
    assert document["version"] == 2 and {m["name"] for m in document["media"]} == set(contents)

    for name in contents:
        (media_root / name).unlink()  # lost with the old server
    leftover = media_root / "exercise-media" / "left-over.jpg"
    leftover.write_bytes(b"from the data the restore replaces")
    call_command("restore", str(path), force=True, stdout=io.StringIO())
    for name, data in contents.items():
        assert (media_root / name).read_bytes() == data
    assert not leftover.exists()


def test_a_damaged_media_file_stops_the_restore_and_changes_nothing(tmp_path, media_root, db):
    from tests.factories import PhysioFactory, exercise
    from tests.media_files import image_bytes, upload
    from tracker.services.media import media_save

    media_save(upload=upload("a.jpg", image_bytes()), exercise=exercise("soleus-stretch"), description="x",
               uploaded_by=PhysioFactory())
    path = tmp_path / "b.json"
    call_command("backup", str(path), stdout=io.StringIO())
    document = json.loads(path.read_text())
    document["media"][0]["data"] = document["media"][0]["data"][:-8] + "AAAAAAA="
    before = table_snapshot()
    with pytest.raises(CommandError, match="is damaged"):
        call_command("restore", str(write(tmp_path, "bad.json", json.dumps(document).encode())), force=True,
                     stdout=io.StringIO())
    assert table_snapshot() == before


def test_a_version_1_backup_without_media_still_restores(tmp_path, good_backup):
    old = dict(good_backup, version=1)
    old.pop("media")
    call_command("restore", str(write(tmp_path, "v1.json", json.dumps(old).encode())), force=True,
                 stdout=io.StringIO())
    assert User.objects.filter(username="anna").exists()
