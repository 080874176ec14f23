"""What a page works out from a patient's data, kept in Django's default cache per data stamp.

A key holds the patient id and her data stamp (`selectors.versions.data_version`, which changes with
any of her records, her profile and the date), so a write moves every page to a new key and an old
entry is never read again; it simply expires. The cache is a help, never a need: when the cache
backend fails, the value is computed as if nothing was cached, and the failure is logged.
"""

import datetime
import logging
from collections.abc import Callable

from django.core.cache import cache

from tracker.models import User
from tracker.selectors import summary

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 24 * 60 * 60  # the stamp holds the date, so nothing lives longer than a day anyway


def patient_key(kind: str, patient: User, stamp: str, *options: object) -> str:
    return ":".join(["patient", kind, str(patient.pk), stamp, *(str(option) for option in options)])


def cached(key: str, compute: Callable[[], object]) -> object:
    """The value under `key`, else compute() (stored for next time). Never None: None means a miss."""
    try:
        value = cache.get(key)
    except Exception:  # any backend: Redis down, cache table missing...
        logger.warning("Cache read failed (%s); computing instead", key.split(":")[1], exc_info=True)
        return compute()
    if value is not None:
        return value
    value = compute()
    try:
        cache.set(key, value, TIMEOUT_SECONDS)
    except Exception:
        logger.warning("Cache write failed (%s)", key.split(":")[1], exc_info=True)
    return value


def progress_summary(patient: User, *, stamp: str, site: str | None, today: datetime.date):
    """selectors.summary.progress_summary, computed once per data stamp (and site asked for).

    The key's "-v2" is bumped whenever ProgressSummary changes shape, so a deploy reads no old entry.
    """
    key = patient_key("summary-v4", patient, stamp, site, today.isoformat())
    return cached(key, lambda: summary.progress_summary(patient, site=site, today=today))
