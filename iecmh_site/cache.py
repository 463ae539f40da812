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

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.text import compress_string

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
    """True when Accept-Encoding allows gzip (``gzip;q=0`` refuses it)."""
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().lower().removeprefix("q=").strip() if params else "1"
        try:
            return float(quality or 1) > 0
        except ValueError:
            return False
    return False


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
        if self._response_is_cacheable(response):
            self._make_public(response, gzip)
            _cache().set(key, response, settings.PAGE_CACHE_SECONDS)
            response["X-Cache"] = "miss"
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    @staticmethod
    def _key(request, gzip: bool) -> str:
        raw = f"{request.scheme}|{request.get_host()}|{request.get_full_path()}|{int(gzip)}"
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
            response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_SECONDS}"
        if gzip and len(response.content) > 200:
            response.content = compress_string(response.content)
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(response.content))
        set_response_etag(response)
