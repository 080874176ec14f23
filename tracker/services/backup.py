"""Whole-database backup and restore (the `backup` and `restore` management commands).

The file is JSON (gzip-compressed when its name ends in .gz) in Django's serialization format,
wrapped with a little metadata:

    {"format": "calf-rehab-tracker-backup", "version": 1, "created_at": ..., "vendor": "sqlite",
     "migrations": ["tracker.0001_initial", ...], "counts": {"tracker.user": 3, ...}, "objects": [...]}

so a backup made on SQLite restores on PostgreSQL and back. Version 2 adds "media": the uploaded
photos and videos, as base64 with their SHA-256 (`backup_media`); version 1 files still restore.
Rows keep their primary keys. Content types and permissions are not in the file: `migrate` creates
them in every database, with ids that may differ, so references to them are written as natural
keys (("tracker", "user"), ("view_user", "tracker", "user")) and looked up on restore. Login
sessions and django-axes' login-attempt records are left out on purpose: a restore logs everybody
out and forgets lockouts.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

from tracker.services.backup_media import (
    MediaError,
    decode_media,
    media_entries,
    media_not_in,
    remove_media,
    write_media,
)

FORMAT = "calf-rehab-tracker-backup"
VERSION = 2  # 2 added "media": the uploaded photos and videos (backup_media)
READABLE_VERSIONS = (1, 2)
# Recreated by `migrate` in every database: referenced by natural key instead of stored.
BY_NATURAL_KEY = {"contenttypes.contenttype", "auth.permission"}
# Not worth keeping across a restore: who is logged in, and recent failed log-ins.
LEFT_OUT = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
}
# Rows that migrations create (the exercise library, the Physiotherapists group): a database
# holding only these counts as empty.
CREATED_BY_MIGRATIONS = {"auth.group", "tracker.exercise", "tracker.historicalexercise"}


class BackupError(Exception):
    """Anything that stops a backup or restore; the message is for the person running it."""


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[Model]]:
    """Every model whose rows go into the file, parents before the models that refer to them."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and _label(model) not in BY_NATURAL_KEY | LEFT_OUT
    ]
    app_list = {}
    for model in models:
        app_list.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(list(app_list.items()), allow_cycles=True)


class _Serializer(PythonSerializer):
    """Django's serializer, but natural keys only for content types and permissions.

    Everything else is referred to by id: ids are kept, and audit-history rows may point at users
    deleted since, which a natural key could not express.
    """

    def _natural(self, field) -> bool:
        return _label(field.remote_field.model) in BY_NATURAL_KEY

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)


class _Encoder(DjangoJSONEncoder):
    """Full-precision times (Django's encoder cuts microseconds to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


@contextmanager
def read_snapshot(alias: str) -> Iterator[None]:
    """One read-only transaction, so every table is read as of the same moment.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred transaction, which in WAL mode
    reads one snapshot without blocking writers (the project's default IMMEDIATE mode would
    block them). Inside an already open transaction (tests), that transaction is the snapshot.
    """
    connection = connections[alias]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
        return
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _applied_migrations(alias: str) -> list[str]:
    applied = MigrationRecorder(connections[alias]).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def make_backup(path: Path, *, alias: str = "default") -> dict[str, int]:
    """Write the whole database to `path`; returns the row count per model."""
    serializer = _Serializer()
    objects: list[dict] = []
    counts: dict[str, int] = {}
    with read_snapshot(alias):
        for model in backed_up_models():
            rows = model._base_manager.using(alias).order_by("pk")
            serialized = serializer.serialize(rows.iterator(chunk_size=2000))
            counts[_label(model)] = len(serialized)
            objects.extend(serialized)
        migrations = _applied_migrations(alias)
    uploads = [item["fields"]["file"] for item in objects if item["model"] == "tracker.exercisemedia"]
    media = media_entries(uploads)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now(),
        "vendor": connections[alias].vendor,
        "migrations": migrations,
        "counts": counts,
        "objects": objects,
        "media": media,
    }
    _write(path, json.dumps(document, cls=_Encoder, ensure_ascii=False).encode())
    return counts


def _write(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a failed backup never leaves a half file behind.

    The file holds health data and password hashes, so only its owner may read it.
    """
    if path.name.endswith(".gz"):
        data = gzip.compress(data)
    temporary = path.with_name(f".{path.name}.partial")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_backup(path: Path) -> dict:
    """The parsed file, or a BackupError saying what is wrong with it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BackupError(f"There is no backup file at {path}.") from None
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror or error}.") from None
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        document = json.loads(raw.decode("utf-8"))
    except (OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{path} is not a valid gzip file (truncated or damaged?): {error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a backup file: it is not valid JSON ({error}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Calf Rehab Tracker backup (made by `manage.py backup`).")
    if document.get("version") not in READABLE_VERSIONS:
        raise BackupError(
            f"{path} is a backup of format version {document.get('version')!r}; "
            f"this version of the app reads version {VERSION}."
        )
    if not isinstance(document.get("objects"), list) or not isinstance(document.get("migrations"), list):
        raise BackupError(f"{path} is damaged: its list of objects or migrations is missing.")
    return document


def rows_to_keep(alias: str = "default") -> dict[str, int]:
    """Rows that a restore would overwrite, by model (empty for a freshly migrated database)."""
    counts = {}
    for model in backed_up_models():
        if _label(model) in CREATED_BY_MIGRATIONS:
            continue
        count = model._base_manager.using(alias).count()
        if count:
            counts[_label(model)] = count
    return counts


def restore_backup(document: dict, *, alias: str = "default") -> int:
    """Replace the contents of the database with the backup, all in one transaction.

    Returns the number of objects loaded. On any error nothing is changed.
    """
    connection = connections[alias]
    missing = sorted(set(document["migrations"]) - set(_applied_migrations(alias)))
    if missing:
        raise BackupError(
            "The backup was made by a newer version of the app (or this database is not migrated): "
            f"these migrations are not applied here: {', '.join(missing[:5])}"
            f"{' …' if len(missing) > 5 else ''}. Run `manage.py migrate` first."
        )
    models = backed_up_models()
    try:
        files = decode_media(document.get("media") or [])
        leftovers = media_not_in(files)
        written = write_media(files)
    except MediaError as error:
        raise BackupError(f"The backup could not be loaded, so nothing was changed: {error}") from error
    try:
        with transaction.atomic(using=alias):
            _empty_tables(alias)
            with connection.constraint_checks_disabled():
                loaded = _load(document["objects"], alias)
            tables = [model._meta.db_table for model in models]
            connection.check_constraints(table_names=tables)
            _check_counts(document.get("counts") or {}, models, alias)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    except (DeserializationError, DatabaseError, ObjectDoesNotExist, ValidationError, ValueError,
            TypeError, KeyError, LookupError, BackupError) as error:
        remove_media(written)
        if isinstance(error, BackupError):
            raise
        raise BackupError(f"The backup could not be loaded, so nothing was changed: {error}") from error
    remove_media(leftovers)
    return loaded


def _check_counts(expected: dict, models: list[type[Model]], alias: str) -> None:
    """Every model holds exactly the number of rows the backup says it wrote."""
    for model in models:
        wanted = expected.get(_label(model), 0)
        found = model._base_manager.using(alias).count()
        if found != wanted:
            raise BackupError(
                f"The backup is incomplete: {_label(model)} should have {wanted} rows but {found} "
                "were loaded, so nothing was changed."
            )


def _empty_tables(alias: str) -> None:
    """Empty every table except content types and permissions (kept: the backup refers to them)."""
    connection = connections[alias]
    keep = {apps.get_model(label)._meta.db_table for label in BY_NATURAL_KEY}
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in keep
    ]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks pending in this transaction
        # (only when the caller already wrote in it): run those checks now.
        connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _load(objects: list, alias: str) -> int:
    """Save every object as it was (raw: no save() logic, no signals that add history rows)."""
    deferred = []
    count = 0
    for item in serializers.deserialize(
        "python", objects, using=alias, ignorenonexistent=False, handle_forward_references=True
    ):
        item.save(using=alias)
        if item.deferred_fields:
            deferred.append(item)
        count += 1
    for item in deferred:
        item.save_deferred_fields(using=alias)
    return count
