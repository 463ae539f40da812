"""Fixed-window rate limits counted in the database, which every worker and server shares.

Counters are not cache entries: a stream of junk URLs filling the page cache cannot evict
them, and one atomic SQL upsert per hit counts every request, however many arrive at once.
(django-ratelimit needs an atomic cache, which the default single-machine setup has not.)
"""

import hashlib
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from iecmh_site.clients import client_ip


class RateCounter(models.Model):
    """Hits of one client (hashed) in one rate-limit window; see iecmh_site.ratelimits."""

    key = models.CharField(max_length=120, unique=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "iecmh_site"

    def __str__(self):
        return self.key


UPSERT = (
    "INSERT INTO {table} (key, hits, expires_at) VALUES (%s, 1, %s) "
    "ON CONFLICT (key) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits"
)


def hit(scope: str, identity: str, *, limit: int, window: int) -> bool:
    """Count one hit of ``identity`` in ``scope``; True once it went past ``limit`` in the
    current ``window`` (seconds)."""
    now = timezone.now()
    window_start = int(now.timestamp()) // window * window
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{identity}".encode()).hexdigest()[:32]
    key = f"{scope}:{window_start}:{digest}"
    expires_at = datetime.fromtimestamp(window_start + window, tz=UTC)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(UPSERT.format(table=table), [key, expires_at])
        (hits,) = cursor.fetchone()
    return hits > limit


def expired_prune() -> int:
    """Forget the windows that are over (run hourly by the worker, never in a request, so a
    request's work never depends on chance)."""
    cutoff = timezone.now() - timedelta(minutes=1)
    return RateCounter.objects.filter(expires_at__lt=cutoff).delete()[0]


def client_over_limit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one request from this client; True once it went past ``limit`` per ``window``."""
    return hit(scope, client_ip(request), limit=limit, window=window)
