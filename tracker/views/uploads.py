"""Upload handlers: where the bytes of an uploaded file go while a request is read.

Site-wide (settings.FILE_UPLOAD_HANDLERS) an uploaded file is read and dropped: no page but the CSV
import takes a file, so a multipart POST to any other URL, logged in or not, costs neither memory
nor disk (Django's defaults keep up to 2.5 MB in memory and write larger files to /tmp, before the
CSRF check could refuse the request). The import installs InMemoryUploadHandler for its request.
"""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from tracker.services.imports import MAX_UPLOAD_BYTES


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
