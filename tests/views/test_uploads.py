"""Uploaded bytes a request may cost: one file per request, kept in memory up to the limit only,
and never on disk (issue 19, defects 4 and 5)."""

import io

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from tracker.services.imports import MAX_UPLOAD_BYTES
from tracker.uploads import InMemoryUploadHandler

IMPORT_URL = reverse("import_measurements")
CSV = b"date,site,left_cm,right_cm\n2024-05-01,tt10,34.2,37.6\n"


@pytest.fixture
def kept_files(monkeypatch) -> list[tuple[str, int]]:
    """Every uploaded file Django builds while the test runs: ("memory" or "disk", size)."""
    kept = []
    for cls, where in ((InMemoryUploadedFile, "memory"), (TemporaryUploadedFile, "disk")):
        original = cls.__init__

        def spy(self, *args, _original=original, _cls=cls, _where=where, **kwargs):
            _original(self, *args, **kwargs)
            if type(self) is _cls:  # not the SimpleUploadedFile a test sends
                kept.append((_where, self.size))

        monkeypatch.setattr(cls, "__init__", spy)
    return kept


def csv_file(name: str, content: bytes = CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- defect 4: the CSV import -----------------------------------------------------------------------


def test_an_import_with_several_files_is_refused(patient_client, kept_files):
    files = [csv_file(f"part-{n}.csv", CSV + b"x" * 100_000) for n in range(5)]

    response = patient_client.post(IMPORT_URL, {"file": files, "date_format": "iso"})

    assert response.status_code == 400
    assert len(kept_files) <= 1  # the parser stops at the second file


def test_the_import_keeps_at_most_the_allowed_bytes_across_all_parts_of_a_request():
    """Even files under the limit one by one may not add up to more than the limit together."""
    handler = InMemoryUploadHandler(None)
    buffered = 0
    for number in range(3):
        handler.new_file("file", f"part-{number}.csv", "text/csv", MAX_UPLOAD_BYTES, "utf-8")
        for start in range(0, MAX_UPLOAD_BYTES, 64 * 1024):
            handler.receive_data_chunk(b"x" * 64 * 1024, start)
        upload = handler.file_complete(MAX_UPLOAD_BYTES)
        buffered += len(upload.read())
        assert upload.size == MAX_UPLOAD_BYTES  # the size received, so the form can refuse it

    assert buffered <= MAX_UPLOAD_BYTES + 1


def test_one_file_under_the_limit_still_imports(patient_client, kept_files):
    response = patient_client.post(IMPORT_URL, {"file": csv_file("ok.csv"), "date_format": "iso"})

    assert response.status_code == 200
    assert response.context["preview"].new_count == 1
    assert kept_files == [("memory", len(CSV))]


# --- defect 5: any POST, without logging in -------------------------------------------------------


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/measurements/new/"])
def test_an_upload_to_a_page_that_takes_no_file_is_neither_kept_nor_written_to_disk(db, url, kept_files):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "x" * 32  # a dummy token: the CSRF check has to read the body
    big = SimpleUploadedFile("big.bin", b"x" * (4 * 1024 * 1024), content_type="application/octet-stream")

    response = client.post(url, {"username": "someone", "upload": big})

    assert response.status_code == 403  # the CSRF check still refuses it
    assert kept_files == []


def test_a_logged_in_form_ignores_an_uploaded_file(patient_client, kept_files):
    upload = SimpleUploadedFile("notes.txt", io.BytesIO(b"y" * 5000).getvalue())
    response = patient_client.post(reverse("profile"), {"affected_side": "left", "attachment": upload})
    assert response.status_code in (200, 302)
    assert kept_files == []


# --- the admin's photo and video upload: a temporary file, bounded ----------------------------------


def test_the_media_upload_keeps_its_file_on_disk_and_an_oversized_video_is_refused_by_size(
    db, client, settings, kept_files, media_root
):
    from tests.factories import PhysioFactory, exercise
    from tests.media_files import mp4_bytes
    from tracker.models import ExerciseMedia

    settings.MEDIA_IMAGE_MAX_MB = settings.MEDIA_VIDEO_MAX_MB = 1
    client.force_login(PhysioFactory())
    padding = b"\0" * (3 * 1024 * 1024)
    video = SimpleUploadedFile("clip.mp4", mp4_bytes() + padding, content_type="video/mp4")

    data = {"exercise": exercise("soleus-stretch").pk, "description": "Heel", "upload": video}
    response = client.post(reverse("admin:tracker_exercisemedia_add"), data)

    assert response.status_code == 200
    assert "the limit is 1 MB. Nothing was saved." in response.content.decode()
    assert not ExerciseMedia.objects.exists()
    assert [where for where, _size in kept_files] == ["disk"]  # at most 1 MB + 1 byte written


def test_the_bounded_temporary_file_writes_at_most_its_limit():
    from tracker.uploads import BoundedTemporaryFileUploadHandler

    handler = BoundedTemporaryFileUploadHandler(None, limit=100_000)
    handler.new_file("upload", "clip.mp4", "video/mp4", None, None)
    for start in range(0, 1_000_000, 64 * 1024):
        handler.receive_data_chunk(b"x" * 64 * 1024, start)
    upload = handler.file_complete(0)
    assert upload.size > 1_000_000 and len(upload.read()) == 100_001
