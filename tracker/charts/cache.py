"""Rendered charts kept in Django's default cache (settings.CACHES: the database, or Redis), so that
a chart is drawn once per change of her data, whoever asks for it: the patient on her phone and on
her laptop, her physio on the review page, the queue warming it after a write (tracker.tasks).

The key holds the patient's id, the chart's data stamp (tracker.selectors.versions: its ETag too),
the chart, format, size and options, and the version of the drawing code: a write changes the stamp,
a deploy changes the code version, so a cached chart is never stale and never another patient's.
Old entries are simply never asked for again; they expire after CHART_CACHE_SECONDS.

The cache is a help, never a need: when the backend raises, the chart is drawn (and the error logged).
"""

import datetime
import gzip
import hashlib
import logging
from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib
from django.conf import settings
from django.core.cache import cache

from tracker.charts import data as chart_data
from tracker.models import User

logger = logging.getLogger("tracker.cache")

DASHBOARD_SIZES = ("wide", "phone")  # the dashboard's <picture>: the phone source and the wide <img>


def _code_version() -> str:
    """A digest of the drawing code and matplotlib's version: new pictures after every deploy."""
    digest = hashlib.sha256(matplotlib.__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


def chart_key(
    patient_id: int, stamp: str, name: str, fmt: str, size: str, options: chart_data.ChartOptions
) -> str:
    return f"chart:{CODE_VERSION}:{patient_id}:{stamp}:{name}.{fmt}:{size}:{options.querystring()}"


def _get(key: str) -> bytes | None:
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Chart cache unreachable (get): drawing the chart", exc_info=True)
        return None


def _set(key: str, packed: bytes) -> None:
    try:
        cache.set(key, packed, settings.CHART_CACHE_SECONDS)
    except Exception:
        logger.warning("Chart cache unreachable (set): the chart is not kept", exc_info=True)


def pack(body: bytes) -> bytes:
    """Charts are kept gzipped (SVGs shrink 5 to 8 times): cheaper to keep, fetch and unpickle, and
    sent as they are to every browser (all accept gzip). mtime=0: the same chart, the same bytes."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def unpack(packed: bytes) -> bytes:
    return gzip.decompress(packed)


def gzipped_chart(
    patient: User,
    name: str,
    fmt: str,
    *,
    size: str,
    options: chart_data.ChartOptions,
    stamp: str,
    today: datetime.date,
    before_drawing: Callable[[], None] = lambda: None,
) -> bytes:
    """The chart's bytes, gzipped, from the cache, or drawn (and kept) when missing. `stamp` is the
    chart's own (selectors.versions.cached_data_versions), which the caller has for the ETag already.
    `before_drawing` runs only when the chart has to be drawn (the charts' rate limit: it may raise to
    refuse the drawing)."""
    key = chart_key(patient.pk, stamp, name, fmt, size, options)
    packed = _get(key)
    if packed is None:
        before_drawing()
        packed = pack(chart_data.build(name, patient, patient.profile, options, today).render(fmt, size=size))
        _set(key, packed)
    return packed


def warm(
    patient: User, *, options: chart_data.ChartOptions, stamps: Mapping[str, str], today: datetime.date
) -> list[str]:
    """Draw and keep the dashboard's charts (SVG, both sizes) that are not cached under their stamps
    (`stamps[name]`) yet, each chart's data read once; returns what was drawn ("girth:wide", ...). A
    chart whose records did not change is still cached. The cache down: draws nothing."""
    drawn = []
    for name in chart_data.CHART_NAMES:
        stamp = stamps[name]
        keys = {size: chart_key(patient.pk, stamp, name, "svg", size, options) for size in DASHBOARD_SIZES}
        try:
            missing = [size for size, key in keys.items() if not cache.has_key(key)]
        except Exception:
            logger.warning("Chart cache unreachable: nothing to warm for user %s", patient.pk, exc_info=True)
            return drawn
        if missing:
            chart = chart_data.build(name, patient, patient.profile, options, today)
            for size in missing:
                _set(keys[size], pack(chart.render("svg", size=size)))
                drawn.append(f"{name}:{size}")
    return drawn
