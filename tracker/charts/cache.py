"""Rendered charts kept in Django's default cache (settings.CACHES: the database, or Redis), so that
a chart is drawn once per change of her data, whoever asks for it: the patient on her phone and on
her laptop, her physio on the review page, the queue warming it after a write (tracker.tasks).

The key holds the patient's id, the chart's data stamp (tracker.selectors.versions: its ETag too),
the chart, format, size and options, and the version of the drawing code: a write changes the stamp,
a deploy changes the code version, so a cached chart is never stale and never another patient's.
Old entries are simply never asked for again; they expire after CHART_CACHE_SECONDS.

After her writes the queue warms only the dashboard charts someone has fetched for her lately (a
note per chart and size, kept SEEN_SECONDS): warming all twelve after every write of every patient
cost more CPU than the web workers at clinic load (docs/production.md).

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
# "Lately": a dashboard chart someone fetched in this time is warmed after her writes (warm()). The
# dashboard lazy-loads its images, so a phone often fetches one or two of the twelve.
SEEN_SECONDS = 14 * 24 * 3600


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


def seen_key(patient_id: int, name: str, size: str) -> str:
    return f"chart-seen:{patient_id}:{name}:{size}"


def _get_and_note_seen(key: str, seen: str | None) -> bytes | None:
    """The kept chart, if any; and a note that this dashboard chart was looked at (`seen`), set when
    missing, read in the same round trip as the chart: once noted, a cached chart costs one call."""
    try:
        found = cache.get_many([key, seen] if seen else [key])
        if seen and seen not in found:
            cache.set(seen, 1, SEEN_SECONDS)
    except Exception:
        logger.warning("Chart cache unreachable (get): drawing the chart", exc_info=True)
        return None
    return found.get(key)


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
    on_dashboard = fmt == "svg" and size in DASHBOARD_SIZES
    packed = _get_and_note_seen(key, seen_key(patient.pk, name, size) if on_dashboard else None)
    if packed is None:
        before_drawing()
        packed = pack(chart_data.build(name, patient, patient.profile, options, today).render(fmt, size=size))
        _set(key, packed)
    return packed


def looked_at_lately(patient_id: int) -> list[tuple[str, str]]:
    """The dashboard charts (name, size) fetched for her lately, by her or her physio: those with a
    note (set at a fetch when none is kept, for SEEN_SECONDS). Empty for a patient nobody looked at
    lately: her first look draws what it shows. Raises when the cache does."""
    pairs = [(name, size) for name in chart_data.CHART_NAMES for size in DASHBOARD_SIZES]
    seen = cache.get_many([seen_key(patient_id, name, size) for name, size in pairs])
    return [pair for pair in pairs if seen_key(patient_id, *pair) in seen]


def warm(
    patient: User, *, options: chart_data.ChartOptions, stamps: Mapping[str, str], today: datetime.date
) -> list[str]:
    """Draw and keep the dashboard's charts (SVG) she has looked at lately (looked_at_lately) that are
    not cached under their stamps (`stamps[name]`) yet, each chart's data read once; returns what was
    drawn ("girth:wide", ...). A chart whose records did not change is still cached. The cache down:
    draws nothing."""
    drawn = []
    try:
        wanted = looked_at_lately(patient.pk)
        keys = {(name, size): chart_key(patient.pk, stamps[name], name, "svg", size, options)
                for name, size in wanted}
        kept = cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("Chart cache unreachable: nothing to warm for user %s", patient.pk, exc_info=True)
        return drawn
    for name in chart_data.CHART_NAMES:
        missing = [size for (chart, size), key in keys.items() if chart == name and key not in kept]
        if missing:
            chart = chart_data.build(name, patient, patient.profile, options, today)
            for size in missing:
                _set(keys[(name, size)], pack(chart.render("svg", size=size)))
                drawn.append(f"{name}:{size}")
    return drawn
