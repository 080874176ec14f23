"""Storing a physio's photo or video of an exercise: checked by its bytes, cleaned, then saved.

- The type comes from the content, never from the name: Pillow must open a photo as JPEG, PNG or
  WebP; a video must be an MP4 or WebM container (`filetype` reads its signature, and the
  container's own structure must hold together).
- Size limits (settings MEDIA_IMAGE_MAX_MB, MEDIA_VIDEO_MAX_MB); a photo's pixel count is capped
  before it is decoded (no decompression bombs).
- A photo is re-encoded by Pillow: turned upright, shrunk to MEDIA_IMAGE_MAX_SIDE pixels at most,
  and saved without any metadata (EXIF, GPS location, comments, colour profiles). A video is stored
  as uploaded (re-encoding needs ffmpeg), except that MP4 metadata boxes, where phones write the
  location, are blanked (`mp4_without_metadata`).
- A refused file raises ValidationError with a message for the physio, and nothing is stored.
"""

import io
import struct
import uuid
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from tracker.models import Exercise, ExerciseMedia, Prescription, User

IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo is the largest decoded
ACCEPTED = "a photo (JPEG, PNG or WebP) or a short video (MP4 or WebM)"


def _megabytes(limit_mb: int) -> int:
    return limit_mb * 1024 * 1024


@dataclass(frozen=True)
class CleanFile:
    """An upload that passed the checks, ready to store."""

    data: bytes
    kind: str
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None


def media_check(upload) -> CleanFile:
    """Check and clean `upload` (a Django UploadedFile); ValidationError when it is refused."""
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    if guessed is not None and guessed.mime in VIDEO_TYPES:
        data, content_type, extension = _video(upload, guessed.mime)
        return CleanFile(data, ExerciseMedia.Kind.VIDEO, content_type, extension)
    data, content_type, extension, (width, height) = _image(upload)
    return CleanFile(data, ExerciseMedia.Kind.IMAGE, content_type, extension, width, height)


def media_save(
    *,
    upload,
    exercise: Exercise,
    description: str,
    uploaded_by: User,
    prescription: Prescription | None = None,
) -> ExerciseMedia:
    """Check, clean and store `upload` for an exercise or a prescription."""
    return media_store(clean=media_check(upload), exercise=exercise, description=description,
                       uploaded_by=uploaded_by, prescription=prescription)


def media_store(
    *,
    clean: CleanFile,
    exercise: Exercise,
    description: str,
    uploaded_by: User,
    prescription: Prescription | None = None,
) -> ExerciseMedia:
    """Store a checked file (media_check) as a new ExerciseMedia row."""
    if prescription is not None and prescription.exercise_id != exercise.pk:
        raise ValidationError("The prescription is for another exercise.")
    media = ExerciseMedia(
        exercise=exercise,
        prescription=prescription,
        kind=clean.kind,
        content_type=clean.content_type,
        size=len(clean.data),
        width=clean.width,
        height=clean.height,
        description=description.strip(),
        uploaded_by=uploaded_by,
    )
    media.full_clean(exclude=["file"])
    media.file.save(f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.data), save=False)
    try:
        media.save()
    except BaseException:
        media.file.storage.delete(media.file.name)
        raise
    return media


def _too_big(kind: str, size: int, limit_mb: int) -> ValidationError:
    return ValidationError(
        f"This {kind} is {size / 1024 / 1024:.1f} MB; the limit is {limit_mb} MB. Nothing was saved."
    )


def _image(upload) -> tuple[bytes, str, str, tuple[int, int]]:
    limit = settings.MEDIA_IMAGE_MAX_MB
    if upload.size > _megabytes(limit):
        raise _too_big("photo", upload.size, limit)
    refused = ValidationError(
        f"This file is not {ACCEPTED}: its contents are something else, whatever its name says. "
        "Nothing was saved."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                image_format = probe.format
                if image_format not in IMAGE_FORMATS:
                    raise refused
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        f"This photo is {probe.width} × {probe.height} pixels: too large to process. "
                        "Send a smaller one. Nothing was saved."
                    )
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError) as error:
        raise refused from error
    content_type, extension = IMAGE_FORMATS[image_format]
    side = settings.MEDIA_IMAGE_MAX_SIDE
    image.thumbnail((side, side))
    return _encode(image, image_format), content_type, extension, image.size


def _encode(image: Image.Image, image_format: str) -> bytes:
    """A fresh file holding the pixels only: Pillow writes no EXIF, text or ICC data unless asked."""
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        keep = "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
        image.convert(keep).save(output, "PNG", optimize=True)
    else:
        keep = "RGBA" if "A" in image.getbands() else "RGB"
        image.convert(keep).save(output, "WEBP", quality=85)
    return output.getvalue()


def _video(upload, mime: str) -> tuple[bytes, str, str]:
    limit = settings.MEDIA_VIDEO_MAX_MB
    if upload.size > _megabytes(limit):
        raise _too_big("video", upload.size, limit)
    data = upload.read()
    if mime == "video/mp4":
        if not _is_mp4(data):
            raise ValidationError("This MP4 video is damaged or incomplete. Nothing was saved.")
        data = mp4_without_metadata(data)
    return data, mime, VIDEO_TYPES[mime]


# --- MP4 boxes ----------------------------------------------------------------------------------

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf"}  # boxes whose children may hold metadata
_METADATA = {b"udta", b"meta"}  # user data (the location ©xyz) and Apple's metadata


def _boxes(data: bytes, start: int, end: int):
    """(type, start, size, header size) of each box between start and end; ValueError if they do
    not add up."""
    position = start
    while position < end:
        if end - position < 8:
            raise ValueError("truncated box header")
        size, box_type = struct.unpack(">I4s", data[position:position + 8])
        header = 8
        if size == 1:
            if end - position < 16:
                raise ValueError("truncated box header")
            size, header = struct.unpack(">Q", data[position + 8:position + 16])[0], 16
        elif size == 0:
            size = end - position
        if size < header or position + size > end:
            raise ValueError("box runs past its parent")
        yield box_type, position, size, header
        position += size


def _is_mp4(data: bytes) -> bool:
    try:
        types = [box[0] for box in _boxes(data, 0, len(data))]
    except ValueError:
        return False
    return bool(types) and types[0] == b"ftyp" and b"moov" in types


def mp4_without_metadata(data: bytes) -> bytes:
    """The MP4 with every udta/meta box in moov and its tracks turned into a zeroed `free` box.

    Same size and offsets, so the sample tables stay valid and the video plays as before.
    """
    buffer = bytearray(data)

    def blank(start: int, end: int) -> None:
        for box_type, box_start, size, header in _boxes(data, start, end):
            if box_type in _METADATA:
                buffer[box_start + 4:box_start + 8] = b"free"
                buffer[box_start + header:box_start + size] = bytes(size - header)
            elif box_type in _CONTAINERS:
                blank(box_start + header, box_start + size)

    blank(0, len(data))
    return bytes(buffer)
