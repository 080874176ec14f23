"""The uploaded photos and videos in a backup: read from storage (local or S3) into the backup file,
and written back on restore, each checked against its SHA-256.

Files are base64 text inside the JSON backup, so one file still holds everything; a backup of many
videos is therefore large, and is built in memory (see README, "Backup and restore").
"""

import base64
import binascii
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tracker.models.media import UPLOAD_FOLDER


class MediaError(Exception):
    """A file of the backup is damaged, or storage could not be written."""


def media_entries(names: list[str]) -> list[dict]:
    """{"name", "sha256", "data"} of each stored file; a file missing from storage is left out."""
    entries = []
    for name in sorted(set(names)):
        try:
            with default_storage.open(name, "rb") as file:
                data = file.read()
        except (FileNotFoundError, OSError):
            continue
        entries.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(),
                        "data": base64.b64encode(data).decode("ascii")})
    return entries


def decode_media(entries: list) -> dict[str, bytes]:
    """{name: bytes} of the backup's files, every one checked; MediaError names the first bad one."""
    files = {}
    for entry in entries:
        try:
            name, data = entry["name"], base64.b64decode(entry["data"], validate=True)
        except (KeyError, TypeError, binascii.Error) as error:
            raise MediaError(f"A media file of the backup is damaged: {error}") from None
        if not name.startswith(f"{UPLOAD_FOLDER}/") or ".." in name:
            raise MediaError(f"The backup names a file outside {UPLOAD_FOLDER}/: {name!r}")
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            raise MediaError(f"The media file {name} in the backup is damaged (its checksum differs).")
        files[name] = data
    return files


def write_media(files: dict[str, bytes]) -> list[str]:
    """Put each file in storage under its own name; returns the names written (for an undo)."""
    written = []
    for name, data in files.items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as file:
                if file.read() == data:
                    continue
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:
            raise MediaError(f"Storage stored {name} as {saved}.")
        written.append(name)
    return written


def remove_media(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def media_not_in(files: dict[str, bytes]) -> list[str]:
    """Stored uploads the backup does not hold: left over from the data the restore replaced."""
    try:
        _folders, stored = default_storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, OSError):
        return []
    return [f"{UPLOAD_FOLDER}/{name}" for name in stored if f"{UPLOAD_FOLDER}/{name}" not in files]
