"""Notes from the physiotherapist, as the patient sees them."""

from django.db.models import QuerySet

from tracker.models import PhysioNote, User


def unread_notes(user: User) -> QuerySet[PhysioNote]:
    """Notes shared with her that she has not marked as read, newest first."""
    return PhysioNote.objects.filter(
        patient=user, visible_to_patient=True, read_at__isnull=True
    ).select_related("author")
