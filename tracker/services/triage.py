"""The physio's "seen" mark on her triage home."""

import datetime

from django.db import transaction

from tracker.models import TriageSeen, User
from tracker.services.messages import mark_messages_read


@transaction.atomic
def mark_seen(*, physio: User, patient: User, as_of: datetime.datetime) -> TriageSeen:
    """She has seen what the triage showed about `patient` up to `as_of`, her messages included."""
    mark, _created = TriageSeen.objects.update_or_create(
        physio=physio, patient=patient, defaults={"seen_at": as_of}
    )
    mark_messages_read(patient, reader=physio, until=as_of)
    return mark
