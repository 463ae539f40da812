"""Whole-page caching of anonymous public pages, invalidated when staff save content.

A view opts in where it is defined, with ``@cache_public_page(params=...)`` naming the query
parameters it reads; any other parameter (``?utm_source=``, ``?x=<random>``) bypasses the
cache, so junk URLs cannot fill it. A cached page skips sessions, the database and template
rendering. Saving or deleting content bumps a generation number that is part of every key,
once the transaction commits; time-based changes (scheduled items, events passing) wait at
most PAGE_CACHE_SECONDS.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http.request import split_domain_port
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.text import compress_string

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
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
# Cookies that make a response personal: a signed-in session, or flash messages.
PERSONAL_COOKIES = ("sessionid", "messages")


_UNAVAILABLE = object()


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, treating Redis being down as a miss instead of an error.

    The page cache is an optimisation: while Redis is unreachable pages are rendered afresh
    (never a 500), and for a few seconds after a failure this process does not even try.
    """

    RETRY_AFTER_SECONDS = 5
    _down_until = 0.0  # per process

    def _call(self, name, fallback, *args):
        if time.monotonic() < TolerantRedisCache._down_until:
            return fallback
        try:
            return getattr(super(), name)(*args)
        except (self._cache._lib.exceptions.RedisError, OSError) as exc:
            TolerantRedisCache._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
            logger.warning("Redis cache unavailable, serving without it: %s", exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    def incr(self, key, delta=1, version=None):
        value = self._call("incr", _UNAVAILABLE, key, delta, version)
        if value is _UNAVAILABLE:
            raise ValueError("Redis is unavailable")
        return value

    def ping(self) -> bool:
        try:
            return bool(self._cache.get_client(write=True).ping())
        except (self._cache._lib.exceptions.RedisError, OSError):
            return False


def cache_public_page(view=None, *, params=()):
    """Let the page cache keep this view's anonymous responses; ``params``: the query
    parameters the view reads."""

    def decorate(view_func):
        @functools.wraps(view_func)
        def wrapper(*args, **kwargs):
            return view_func(*args, **kwargs)

        wrapper.page_cache_params = frozenset(params)
        return wrapper

    return decorate(view) if view is not None else decorate


def cache_skip(request) -> None:
    """Keep this response out of the page cache: the view saw a non-canonical address
    (an unknown filter value, a page number out of range, a search query), and caching
    every such spelling would let junk URLs push real pages out."""
    request.page_cache_skip = True


def cache_skip_unless_canonical(request, *, valid: bool = True, page=None) -> None:
    """cache_skip() unless every query parameter was ``valid`` and ?page=, if given, named
    the page shown (get_page turns garbage into page 1 or the last page)."""
    raw_page = request.GET.get("page")
    if not valid or (raw_page is not None and (page is None or raw_page != str(page.number))):
        cache_skip(request)


def _cache():
    return caches[CACHE_ALIAS]


def generation() -> int:
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def _bump() -> None:
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def generation_cached(name: str, build):
    """``build()``, kept in the page cache's store until the next content save (a fragment
    every page shows, such as the site's contact details: no query once built)."""
    key = f"fragment:{name}:{generation()}"
    value = _cache().get(key)
    if value is None:
        value = build()
        _cache().set(key, value, timeout=24 * 3600)
    return value


def invalidate(**kwargs) -> None:
    """Forget every cached page once the current transaction commits (a signal receiver)."""
    transaction.on_commit(_bump)


def clear_on_change(*models) -> None:
    """Clear the page cache whenever a row of these models is saved, deleted or relinked."""
    for model in models:
        uid = f"{model._meta.label}"
        post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{uid}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-delete-{uid}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                invalidate,
                sender=field.remote_field.through,
                dispatch_uid=f"page-cache-m2m-{uid}-{field.name}",
            )


def accepts_gzip(header: str) -> bool:
    """True when Accept-Encoding names gzip (AcceptEncodingMiddleware removed refused ones)."""
    return any(part.split(";")[0].strip().lower() in ("gzip", "*") for part in header.split(","))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._request_is_cacheable(request):
            return self.get_response(request)
        gzip = accepts_gzip(request.headers.get("Accept-Encoding", ""))
        key = self._key(request, gzip)
        cached = _cache().get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return get_conditional_response(request, etag=cached.get("ETag"), response=cached)

        response = self.get_response(request)
        if self._response_is_cacheable(response) and not getattr(request, "page_cache_skip", False):
            self._make_public(response, gzip)
            _cache().set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    @staticmethod
    def _key(request, gzip: bool) -> str:
        # The host name without its port: other ports reach the same site.
        host, _port = split_domain_port(request.get_host())
        raw = f"{request.scheme}|{host}|{request.get_full_path()}|{int(gzip)}"
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return f"public-page:{generation()}:{digest}"

    @staticmethod
    def _request_is_cacheable(request) -> bool:
        if not (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        ):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        params = getattr(match.func, "page_cache_params", None)
        return params is not None and set(request.GET) <= params

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
            # Browsers check back every time (a cheap 304 thanks to the ETag), so a page staff
            # just published shows at once; shared caches (a CDN) may keep it a while.
            response["Cache-Control"] = (
                f"public, max-age=0, must-revalidate, s-maxage={settings.PAGE_CACHE_SECONDS}"
            )
        if gzip and len(response.content) > 200:
            response.content = compress_string(response.content)
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
        set_response_etag(response)
