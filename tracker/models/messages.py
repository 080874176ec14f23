"""The conversation between a patient and her physiotherapist, and what a physio has triaged.

One conversation per patient, made of two kinds of record (merged by `selectors.messages`):
- the physio's side: her notes with `visible_to_patient` (PhysioNote, in `models.notes`), the same
  notes the dashboard, the PDF and the data export have always shown;
- the patient's side: a `Message`, what she writes to her physio (a question, or a reply to a note).
Each side has a read receipt (`read_at`) set when the other side opens the conversation, and a
`notified_at` claimed by the e-mail notice when it stayed unread (`selectors.messages.messages_to_notify`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import formatting
from tracker.models.accounts import User
from tracker.models.base import patient_field
from tracker.models.notes import PhysioNote

MESSAGE_MAX_LENGTH = 2000


class Message(models.Model):
    """What a patient writes to her physiotherapist (the author is always the patient)."""

    patient = patient_field("messages")
    text = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    reply_to = models.ForeignKey(
        PhysioNote, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies",
        help_text="The note from her physio she is answering, if any.",
    )
    read_at = models.DateTimeField(null=True, blank=True, editable=False)
    read_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the e-mail notice to her physio was claimed."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        indexes = [models.Index(fields=["patient", "read_at"], name="tracker_msg_patient_read")]

    def __str__(self) -> str:
        return f"Message of {formatting.moment(timezone.localtime(self.created_at))}"

    def clean(self):
        super().clean()
        if self.text and not self.text.strip():
            raise ValidationError({"text": "Write your message first."})
        note = self.reply_to
        if note is not None and (note.patient_id != self.patient_id or not note.visible_to_patient):
            raise ValidationError({"reply_to": "You can only reply to a note your physiotherapist sent you."})


class TriageSeen(models.Model):
    """When a physio last marked a patient "seen" on her triage home: the patient leaves the list
    until a reason newer than `seen_at` comes up."""

    physio = models.ForeignKey(User, on_delete=models.CASCADE, related_name="triage_marks")
    patient = patient_field("triage_marks_about")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["physio", "patient"], name="tracker_triage_seen_once"),
        ]

    def __str__(self) -> str:
        return f"Seen on {formatting.moment(timezone.localtime(self.seen_at))}"
