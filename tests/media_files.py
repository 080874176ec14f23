"""Real photo and video bytes for upload tests: made here, small, and recognised by their content."""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt: str = "JPEG", size=(64, 48), exif_gps: bool = False) -> bytes:
    """A real image; with `exif_gps`, EXIF holding a GPS position (as phones write it)."""
    image = Image.new("RGB", size, (200, 120, 40))
    output = io.BytesIO()
    options = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPSLatitude
        options["exif"] = exif
    image.save(output, fmt, **options)
    return output.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_bytes(location: bytes = b"+51.5000-000.1200/") -> bytes:
    """A minimal MP4: ftyp, moov (movie header, and user data holding a ©xyz location), mdat."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    mvhd = _box(b"mvhd", bytes(4) + bytes(8) + struct.pack(">II", 1000, 1000) + bytes(80))
    xyz = _box(b"\xa9xyz", struct.pack(">HH", len(location), 0x15C7) + location)
    udta = _box(b"udta", xyz)
    moov = _box(b"moov", mvhd + udta)
    mdat = _box(b"mdat", bytes(64))
    return ftyp + moov + mdat


def _ebml(element_id: bytes, payload: bytes) -> bytes:
    return element_id + bytes([0x80 | len(payload)]) + payload  # sizes under 127 bytes


def webm_bytes() -> bytes:
    """A minimal WebM: the EBML header (DocType "webm") and a Segment with its Info."""
    header = _ebml(b"\x1a\x45\xdf\xa3", _ebml(b"\x42\x86", b"\x01") + _ebml(b"\x42\x82", b"webm")
                   + _ebml(b"\x42\x87", b"\x04") + _ebml(b"\x42\x85", b"\x02"))
    info = _ebml(b"\x15\x49\xa9\x66", _ebml(b"\x2a\xd7\xb1", b"\x0f\x42\x40"))
    return header + _ebml(b"\x18\x53\x80\x67", info)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
