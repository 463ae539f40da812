"""A per-client, fixed-window limit on form posts, kept in Django's cache (not the database)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def client_key(request) -> str:
    """A hash of the client's address: the cache never holds the address itself."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NEWSLETTER_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        # The address our own proxies saw is the one they appended last; earlier ones are forgeable.
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return digest


def over_limit(request, *, scope: str) -> bool:
    """Count this post; True once the client has gone past NEWSLETTER_RATE_LIMIT in the window."""
    key = f"newsletter:rate:{scope}:{client_key(request)}"
    window = settings.NEWSLETTER_RATE_LIMIT_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired between add and incr: this post starts a new window.
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.NEWSLETTER_RATE_LIMIT
