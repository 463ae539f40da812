"""Whole-page caching of anonymous public pages, invalidated when staff save content.

A cached page skips sessions, the database and template rendering, so a burst of visitors
(a newsletter going out, Celebrate Babies Week starting) costs little more than static files.
Every save or delete of content bumps a generation number that is part of each cache key, so
staff see their change at once; time-based changes (scheduled pages, events passing) wait at
most PAGE_CACHE_SECONDS.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.text import compress_string

GENERATION_KEY = "public-page-cache:generation"
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/plain",
    "application/atom+xml",
    "text/calendar",
)
# A view that says any of these in Cache-Control has made a personal response.
PRIVATE_DIRECTIVES = ("private", "no-cache", "no-store")
# Query parameters the site's pages understand; any other one (?utm_source=, ?x=<random>)
# bypasses the cache, so junk URLs cannot fill it and push real pages out.
CACHEABLE_PARAMS = {"q", "page", "topic", "role", "year", "kind", "format"}
# Cookies that make a response personal: a signed-in session, or flash messages.
PERSONAL_COOKIES = ("sessionid", "messages")


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def invalidate(**kwargs) -> None:
    """Forget every cached page (receiver for content saves and deletes)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _excluded(path: str) -> bool:
    prefixes = ["/" + settings.ADMIN_URL, "/newsletter/", "/healthz", "/media/", "/static/"]
    return any(path.startswith(prefix) for prefix in prefixes)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _key(self, request, gzip: bool) -> str:
        raw = f"{request.get_host()}|{request.get_full_path()}|{int(gzip)}"
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return f"public-page:{generation()}:{digest}"

    def __call__(self, request):
        if not self._request_is_cacheable(request):
            return self.get_response(request)
        gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        key = self._key(request, gzip)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return get_conditional_response(request, etag=cached.get("ETag"), response=cached)

        response = self.get_response(request)
        if self._response_is_cacheable(response):
            self._make_public(response, gzip)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    def _request_is_cacheable(self, request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
            and not _excluded(request.path)
            and set(request.GET) <= CACHEABLE_PARAMS
        )

    @staticmethod
    def _response_is_cacheable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in response.get("Cache-Control", "") for word in PRIVATE_DIRECTIVES)
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
            and b"csrfmiddlewaretoken" not in response.content
        )

    @staticmethod
    def _make_public(response, gzip: bool) -> None:
        # A personal response would have set a cookie or Cache-Control: none reach here.
        patch_vary_headers(response, ["Accept-Encoding"])
        if "Cache-Control" not in response:  # a view's own public policy (feeds) is kept
            response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_SECONDS}"
        if gzip and len(response.content) > 200:
            response.content = compress_string(response.content)
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
        set_response_etag(response)
