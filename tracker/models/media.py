"""Photos and short videos a physio uploads: for an exercise (her patients who do it see it) or for
one patient's prescription. The bytes are checked and cleaned by `tracker.services.media` before
they are stored, and only ever served through an access-checked view (never a public URL)."""

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from tracker.models.accounts import User
from tracker.models.exercise import Exercise, Prescription

UPLOAD_FOLDER = "exercise-media"


class ExerciseMedia(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Photo"
        VIDEO = "video", "Video"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="media")
    prescription = models.ForeignKey(
        Prescription,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="media",
        help_text="Only for this patient's prescription. Leave empty to show it to all your patients "
        "who do the exercise.",
    )
    kind = models.CharField(max_length=5, choices=Kind.choices, editable=False)
    file = models.FileField(upload_to=f"{UPLOAD_FOLDER}/", max_length=200, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField("size (bytes)", editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    description = models.TextField(
        max_length=500,
        help_text="What it shows, in words, for someone who cannot see it: the position and the "
        "movement (the alt text of a photo, the text description of a video).",
    )
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="media_uploaded"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exercise__name", "-uploaded_at", "-id"]
        verbose_name = "exercise photo or video"
        verbose_name_plural = "exercise photos and videos"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["image", "video"]), name="tracker_media_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        whose = f" for {self.prescription.patient.display_name()}" if self.prescription_id else ""
        return f"{self.get_kind_display()} of {self.exercise.name}{whose}"


@receiver(post_delete, sender=ExerciseMedia)
def _delete_file(sender, instance: ExerciseMedia, **kwargs) -> None:
    """Remove the stored file once the row's deletion is committed.

    A signal, not a service, because rows also go in cascades no service sees: a prescription
    deleted in the admin, or a patient deleting her account.
    """
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
