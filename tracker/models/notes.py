"""Notes a physiotherapist writes about (and, when visible, to) a patient."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import formatting
from tracker.models.accounts import User
from tracker.models.base import patient_field


class PhysioNote(models.Model):
    patient = patient_field("physio_notes")
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes_written"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=5000)
    visible_to_patient = models.BooleanField(
        default=True, help_text="Visible notes are sent to the patient: her messages and dashboard show them."
    )
    is_review = models.BooleanField("marks a review", default=False)
    read_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the e-mail notice to the patient was claimed."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Note of {formatting.day(timezone.localdate(self.created_at))}"
