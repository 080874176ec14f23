"""Bringing a deleted clinical record back, as it was, from its audit history."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst

from tracker.models import ExerciseSession, User
from tracker.selectors.deleted import entries_deleted_with, record_label

RESTORE_REASON = "Restored from the deleted records"


class RestoreError(Exception):
    """A deleted record cannot come back as it was; the message says why."""


def _recreate(row, *, user: User):
    """Insert the record as it was in `row` (same pk), with a "created" history row by `user`."""
    instance = row.instance
    model = type(instance)
    for field in model._meta.concrete_fields:
        # A physio or author removed since: "set null", as the live row would have been.
        if field.is_relation and field.remote_field.on_delete is models.SET_NULL:
            value = getattr(instance, field.attname)
            if value is not None and not field.related_model._default_manager.filter(pk=value).exists():
                setattr(instance, field.attname, None)
    name = capfirst(f"{model._meta.verbose_name} “{record_label(instance)}”")
    try:
        instance.full_clean()  # unique rules (a record stored meanwhile), ranges, the patient still there
    except ValidationError as error:
        raise RestoreError(f"{name} cannot come back: {' '.join(error.messages)}") from None
    # `auto_now_add` would stamp the restore time on save: the original creation time is put back.
    stamps = {f.attname: getattr(instance, f.attname)
              for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)}
    instance._history_user = user
    instance._change_reason = RESTORE_REASON
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError:
        raise RestoreError(f"{name} conflicts with a record stored meanwhile.") from None
    if stamps:
        model._default_manager.filter(pk=instance.pk).update(**stamps)
        created = model.history.filter(id=instance.pk).latest("history_id")
        type(created).objects.filter(pk=created.pk).update(**stamps)
        for attname, value in stamps.items():
            setattr(instance, attname, value)
    return instance


@transaction.atomic
def restore_deleted(row, *, user: User):
    """Bring a deleted record back as it was when deleted; a session with the entries deleted with it.

    All or nothing: raises RestoreError (and stores nothing) if any part cannot come back.
    """
    instance = _recreate(row, user=user)
    if isinstance(instance, ExerciseSession):
        for entry in entries_deleted_with(instance.pk, row.history_date).order_by("history_id"):
            _recreate(entry, user=user)
    return instance
