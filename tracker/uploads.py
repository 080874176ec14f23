"""Upload handlers: where the bytes of an uploaded file go while a request is read.

Site-wide (settings.FILE_UPLOAD_HANDLERS) an uploaded file is read and dropped, so a multipart POST
to any URL, logged in or not, costs neither memory nor disk (Django's defaults keep up to 2.5 MB in
memory and write larger files to /tmp, before the CSRF check could refuse the request). Only the
pages that take a file get a handler that keeps it, chosen by URL name in `handlers_for` (the
middleware `tracker.middleware.UploadHandlersMiddleware` installs it before anything reads the body):
the CSV import keeps its file in memory (2 MB at most), the admin's photo and video upload in a
temporary file (MEDIA_VIDEO_MAX_MB at most).
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from tracker.services.imports import MAX_UPLOAD_BYTES

MEDIA_UPLOAD_URLS = ("admin:tracker_exercisemedia_add", "admin:tracker_exercisemedia_change")
IMPORT_URLS = ("import_measurements",)


class DiscardUploadHandler(FileUploadHandler):
    """Reads an uploaded file's bytes and keeps none of them: the file never reaches request.FILES."""

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


class InMemoryUploadHandler(FileUploadHandler):
    """Keeps an upload in memory, never in a temporary file.

    At most `limit` + 1 bytes are kept for the whole request, however many file parts it has (Django
    refuses more than DATA_UPLOAD_MAX_NUMBER_FILES of them); bytes beyond are counted but dropped,
    so an oversized file is refused by its size (InMemoryUploadedFile.size is the full size received)
    without ever being stored.
    """

    def __init__(self, request=None, limit: int = MAX_UPLOAD_BYTES):
        super().__init__(request)
        self.limit = limit
        self.kept_in_request = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        room = self.limit + 1 - self.kept_in_request
        if room > 0:
            kept = raw_data[:room]
            self.buffer.write(kept)
            self.kept_in_request += len(kept)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class BoundedTemporaryFileUploadHandler(FileUploadHandler):
    """Writes an upload to a temporary file, at most `limit` + 1 bytes of it; bytes beyond are
    counted but dropped, so an oversized file is refused by its size (the full size received)."""

    def __init__(self, request=None, limit: int = 0):
        super().__init__(request)
        self.limit = limit

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = TemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset,
                                          self.content_type_extra)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        room = self.limit + 1 - self.received
        if room > 0:
            self.file.write(raw_data[:room])
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        self.file.size = self.received
        return self.file


def handlers_for(url_name: str, request) -> list[FileUploadHandler] | None:
    """The handlers of the pages that take a file (by namespaced URL name); None: the site-wide one."""
    if url_name in IMPORT_URLS:
        return [InMemoryUploadHandler(request)]
    if url_name in MEDIA_UPLOAD_URLS:
        largest = max(settings.MEDIA_IMAGE_MAX_MB, settings.MEDIA_VIDEO_MAX_MB) * 1024 * 1024
        return [BoundedTemporaryFileUploadHandler(request, limit=largest)]
    return None
