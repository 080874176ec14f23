"""The Redis cache, failing open: with Redis unreachable the site keeps serving, without its cache.

Django's RedisCache raises redis.ConnectionError (a 500 page) as soon as Redis is down. This subclass
answers a read as a miss (the default), a write as not done, and logs a warning at most once every
LOG_EVERY_SECONDS per process. What that means for each user of the cache:
- rate limits (tracker.ratelimits, the API's throttles) fail open: nobody is limited while Redis is
  away, and the warning says so;
- anything cached is computed again on every request until Redis is back.
Connection and socket timeouts (settings: OPTIONS) keep a Redis that hangs from holding up requests.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("rehab.cache")
LOG_EVERY_SECONDS = 60


class FailOpenRedisCache(RedisCache):
    _last_warning = 0.0

    def _unavailable(self, error: Exception, default):
        now = time.monotonic()
        if now - FailOpenRedisCache._last_warning >= LOG_EVERY_SECONDS:
            FailOpenRedisCache._last_warning = now
            logger.warning(
                "Cache unavailable (%s: %s): serving without it; rate limits are not enforced meanwhile",
                type(error).__name__, error,
            )
        return default

    def add(self, *args, **kwargs):
        try:
            return super().add(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            return self._unavailable(error, default)

    def set(self, *args, **kwargs):
        try:
            return super().set(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, None)

    def touch(self, *args, **kwargs):
        try:
            return super().touch(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, False)

    def delete(self, *args, **kwargs):
        try:
            return super().delete(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, False)

    def get_many(self, *args, **kwargs):
        try:
            return super().get_many(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, {})

    def has_key(self, *args, **kwargs):
        try:
            return super().has_key(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, False)

    def incr(self, key, delta=1, version=None):
        # Django's incr raises ValueError for a missing key; so does a cache that is not there.
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._unavailable(error, None)
            raise ValueError(f"Key {key!r} not found: the cache is unavailable") from error

    def set_many(self, *args, **kwargs):
        try:
            return super().set_many(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, [])

    def delete_many(self, *args, **kwargs):
        try:
            return super().delete_many(*args, **kwargs)
        except RedisError as error:
            return self._unavailable(error, None)

    def clear(self):
        """Delete this cache's keys (KEY_PREFIX), not the whole Redis database as Django's clear()
        does: the task queue shares the database (REDIS_URL), so a FLUSHDB would lose its queued jobs,
        urgent alerts among them, and another process's keys (each test worker has its own prefix)."""
        try:
            client = self._cache.get_client(write=True)
            pattern = f"{_glob_escape(self.key_prefix)}:*"  # Django's keys: "<prefix>:<version>:<key>"
            batch = []
            for key in client.scan_iter(match=pattern, count=CLEAR_BATCH):
                batch.append(key)
                if len(batch) == CLEAR_BATCH:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
            return True
        except RedisError as error:
            return self._unavailable(error, False)


CLEAR_BATCH = 1000


def _glob_escape(text: str) -> str:
    """`text` matched literally in a Redis SCAN pattern."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
