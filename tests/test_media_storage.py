"""Where uploads are stored: MEDIA_STORAGE_URL (local files by default, an S3-compatible bucket when
set). No S3-compatible server runs here: these tests check the configuration django-storages gets
and that its S3 storage is built from it, without sending a request."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from rehab.settings import media_storage


def test_local_files_by_default():
    assert media_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_compatible_bucket_with_endpoint_region_and_prefix():
    config = media_storage(
        "s3://clinic-media/calf-rehab?endpoint=https://minio.internal:9000&region=eu-west-1&addressing_style=path"
    )
    assert config == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "clinic-media",
            "location": "calf-rehab",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "endpoint_url": "https://minio.internal:9000",
            "region_name": "eu-west-1",
            "addressing_style": "path",
        },
    }


@pytest.mark.parametrize(("url", "message"), [
    ("https://bucket/prefix", "must look like s3://bucket/prefix"),
    ("s3:///prefix", "must look like s3://bucket/prefix"),
    ("s3://KEY:SECRET@bucket", "must not hold credentials"),
    ("s3://bucket?acl=public-read", "unknown options: acl"),
])
def test_a_wrong_url_stops_start_up_with_a_clear_message(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        media_storage(url)


def test_django_storages_builds_the_s3_storage_from_it(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    config = media_storage("s3://clinic-media/uploads?endpoint=http://127.0.0.1:9&region=eu-west-1")
    storage = storages.create_storage(config)
    assert type(storage).__name__ == "S3Storage"
    assert (storage.bucket_name, storage.location) == ("clinic-media", "uploads")
    assert storage.default_acl == "private"
    assert storage.endpoint_url == "http://127.0.0.1:9" and storage.querystring_auth
    # The names the app stores (exercise-media/<random>.jpg) go under the prefix.
    assert storage._normalize_name("exercise-media/a.jpg") == "uploads/exercise-media/a.jpg"
