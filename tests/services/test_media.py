"""Uploading a photo or video: checked by its bytes, cleaned, stored; refused files store nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from tests.factories import PrescriptionFactory, exercise
from tests.helpers import make_patient
from tests.media_files import image_bytes, mp4_bytes, upload, webm_bytes
from tracker.models import ExerciseMedia
from tracker.services.accounts import delete_account
from tracker.services.media import media_save, mp4_without_metadata


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def save(physio, data: bytes, name: str, **kwargs):
    return media_save(upload=upload(name, data), exercise=kwargs.pop("exercise", exercise("soleus-stretch")),
                      description="Back knee bent, heel down", uploaded_by=physio, **kwargs)


@pytest.mark.parametrize(("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                                   ("WEBP", "image/webp")])
def test_a_photo_is_stored_re_encoded_in_its_own_format(physio, media_root, fmt, content_type):
    media = save(physio, image_bytes(fmt), "photo.bin")
    assert (media.kind, media.content_type, media.width, media.height) == ("image", content_type, 64, 48)
    assert media.file.name.startswith("exercise-media/") and len(stored_files(media_root)) == 1
    with media.file.open("rb") as file:
        assert Image.open(io.BytesIO(file.read())).format == fmt


def test_a_photo_loses_its_exif_location(physio):
    original = image_bytes("JPEG", exif_gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has GPS data
    media = save(physio, original, "holiday.jpg")
    with media.file.open("rb") as file:
        cleaned = Image.open(io.BytesIO(file.read()))
    assert not cleaned.getexif() and "exif" not in cleaned.info


def test_a_large_photo_is_shrunk_to_the_cap(physio, settings):
    settings.MEDIA_IMAGE_MAX_SIDE = 400
    media = save(physio, image_bytes("PNG", size=(1200, 900)), "big.png")
    assert (media.width, media.height) == (400, 300)


def test_an_html_file_named_jpg_is_refused_and_nothing_is_stored(physio, media_root):
    with pytest.raises(ValidationError, match="not a photo .* or a short video"):
        save(physio, b"<html><script>alert(1)</script></html>", "photo.jpg")
    assert stored_files(media_root) == [] and not ExerciseMedia.objects.exists()


def test_a_photo_of_another_kind_is_refused(physio):
    output = io.BytesIO()
    Image.new("RGB", (10, 10)).save(output, "GIF")
    with pytest.raises(ValidationError, match="not a photo"):
        save(physio, output.getvalue(), "anim.gif")


def test_an_oversized_photo_is_refused_by_its_size(physio, settings, media_root):
    settings.MEDIA_IMAGE_MAX_MB = 1
    noise = Image.frombytes("RGB", (800, 600), bytes(range(256)) * 5625)
    output = io.BytesIO()
    noise.save(output, "PNG", compress_level=0)
    assert len(output.getvalue()) > 1024 * 1024
    with pytest.raises(ValidationError, match=r"the limit is 1 MB\. Nothing was saved"):
        save(physio, output.getvalue(), "huge.png")
    assert stored_files(media_root) == []


def test_a_decompression_bomb_is_refused(physio, monkeypatch):
    monkeypatch.setattr("tracker.services.media.MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError, match="too large to process"):
        save(physio, image_bytes("PNG", size=(100, 100)), "bomb.png")


def test_an_mp4_video_is_stored_with_its_location_blanked(physio, media_root):
    original = mp4_bytes()
    assert b"+51.5000" in original
    media = save(physio, original, "clip.mov")
    assert (media.kind, media.content_type) == ("video", "video/mp4")
    with media.file.open("rb") as file:
        stored = file.read()
    assert len(stored) == len(original) and b"+51.5000" not in stored and b"udta" not in stored
    assert media.file.name.endswith(".mp4")


def test_blanking_mp4_metadata_keeps_every_other_byte():
    original = mp4_bytes()
    cleaned = mp4_without_metadata(original)
    changed = [i for i, (a, b) in enumerate(zip(original, cleaned, strict=True)) if a != b]
    start = original.index(b"udta") - 4
    assert changed and min(changed) >= start and max(changed) < original.index(b"mdat")


def test_a_webm_video_is_stored(physio):
    media = save(physio, webm_bytes(), "clip.webm")
    assert (media.kind, media.content_type) == ("video", "video/webm")


def test_a_broken_mp4_is_refused(physio, media_root):
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        save(physio, mp4_bytes()[:60], "cut.mp4")
    assert stored_files(media_root) == []


def test_an_oversized_video_is_refused(physio, settings):
    settings.MEDIA_VIDEO_MAX_MB = 1
    big = mp4_bytes()[:-72] + b"\x00\x10\x00\x08mdat" + bytes(0x100000)
    with pytest.raises(ValidationError, match="This video is 1.0 MB; the limit is 1 MB"):
        save(physio, big, "long.mp4")


def test_a_media_file_for_a_prescription_must_show_its_exercise(physio):
    prescription = PrescriptionFactory(patient=make_patient(physio))
    with pytest.raises(ValidationError, match="another exercise"):
        save(physio, image_bytes(), "p.jpg", exercise=exercise("soleus-stretch"), prescription=prescription)


def test_deleting_the_row_deletes_the_file(physio, media_root, django_capture_on_commit_callbacks):
    media = save(physio, image_bytes(), "p.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        media.delete()
    assert stored_files(media_root) == []


def test_deleting_her_account_deletes_her_uploads_and_their_files(physio, media_root,
                                                                   django_capture_on_commit_callbacks):
    patient = make_patient(physio)
    prescription = PrescriptionFactory(patient=patient, exercise=exercise("soleus-stretch"), reps=None,
                                       hold_seconds=30)
    hers = save(physio, image_bytes(), "hers.jpg", prescription=prescription)
    shared = save(physio, mp4_bytes(), "shared.mp4")  # the physio's upload for the exercise stays
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(patient)
    assert list(ExerciseMedia.objects.all()) == [shared]
    assert [p.name for p in stored_files(media_root)] == [shared.file.name.split("/")[-1]]
    assert not ExerciseMedia.objects.filter(pk=hers.pk).exists()
