"""Whole-page caching of anonymous public pages, invalidated when staff save content.

A view opts in where it is defined, with ``@cache_public_page(params=...)`` naming the query
parameters it reads; any other parameter (``?utm_source=``, ``?x=<random>``) bypasses the
cache, so junk URLs cannot fill it. A cached page skips sessions, the database and template
rendering. Saving or deleting content bumps a generation number, once the transaction
commits; a page is kept with the generation it was rendered in and is a hit only while that
is still the current one (one read of both: one round trip to Redis). While one request
renders a page anew after a save, others asking for it get the page kept from before the
save at once (X-Cache: stale) rather than wait; with nothing kept, they wait for that render.
A worker makes one stale page again at a time, and shows the others as they were meanwhile
(each for at most STALE_WHILE_BUSY_SECONDS).
A page that is no longer kept after the render (unpublished, say) is forgotten at once.
Fragments are kept under the generation in their key, or across saves under what they are
made of (a card under its row's last edit). A request reads the generation once and keeps
it, so what it shows comes from one generation. Time-based changes (scheduled
items, events passing) wait at most PAGE_CACHE_SECONDS.
"""

import contextvars
import functools
import hashlib
import itertools
import logging
import os
import random
import tempfile
import threading
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, default_key_func
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http.request import split_domain_port
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.text import compress_string

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "public-page-cache:generation"
BUDGET_KEY = "public-page-budget:{view}"
SHARED_KEYS = (GENERATION_KEY, BUDGET_KEY.format(view=""))  # by every release (make_key)
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
# After a save every page misses at once (a stampede): for each page one request renders while
# the others asking for it wait for the result instead of rendering it too. The lock expires
# on its own (a worker that dies holding it blocks no one for long), and a waiter renders the
# page itself once RENDER_WAIT_SECONDS pass.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_SECONDS = 3
RENDER_POLL_SECONDS = (0.005, 0.05)  # the first and the longest pause between looks
# After a save a worker makes one stale page again at a time and shows the others as they were
# meanwhile, each for at most this long from the first time it showed it so; then it is made
# by whoever asks, so that no page (one unpublished, say) is shown as it was for longer.
STALE_WHILE_BUSY_SECONDS = 10
# How long a fragment is kept at most (a deploy's new templates show within this).
FRAGMENT_SECONDS = 24 * 3600


_UNAVAILABLE = object()
# Held while this process makes a stale page again (see PublicPageCacheMiddleware._respond).
# Per process: it assumes a few threads per process, as gunicorn.conf.py runs.
_RENDERING_AFTER_SAVE = threading.Lock()
# The pages this process found stale in the generation it read last, and when it first did.
_stale_since = {"generation": None, "pages": {}}


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping its redis.Redis objects instead of making one per
    command: making one fills a table of about 170 reply parsers, which was a fifth of the
    time a cache hit took. A redis.Redis is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    """Django's Redis cache, treating Redis being down as a miss instead of an error.

    The page cache is an optimisation: while Redis is unreachable pages are rendered afresh
    (never a 500), and for a few seconds after a failure this process does not even try.
    """

    RETRY_AFTER_SECONDS = 5
    _down_until = 0.0  # per process

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

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


class FileCache(FileBasedCache):
    """Django's file cache, looking at how many entries it holds once every CULL_EVERY writes
    of a process instead of at every write. Each look lists the whole folder: with a few
    thousand entries that took 8 ms, and a page rendered after a save writes some twenty
    fragments (200 ms), a calendar's 500 event texts a second. The folder may hold up to
    CULL_EVERY entries per process past MAX_ENTRIES until the next look. Making room never
    drops the generation (see _cull)."""

    CULL_EVERY = 50
    _writes = itertools.count()  # per process; next() on it is atomic under the GIL

    def _cull(self):
        if next(FileCache._writes) % self.CULL_EVERY:
            return
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        if not self._cull_frequency:
            return self.clear()
        # Django's culling (a random share of the entries) but for the generation: dropped
        # with the others, it made every kept page stale at once, over and over in the soak.
        generation_file = self._key_to_file(GENERATION_KEY)
        files = [name for name in files if name != generation_file]
        for name in random.sample(files, int(len(files) / self._cull_frequency)):
            self._delete(name)


class CacheRules(NamedTuple):
    params: frozenset  # the query parameters the view reads
    budget: int | None  # how many of its addresses are newly kept per PAGE_CACHE_SECONDS
    name: str


def cache_public_page(view=None, *, params=(), budget=None):
    """Let the page cache keep this view's anonymous responses; ``params``: the query
    parameters the view reads; ``budget``: at most this many of its addresses are newly kept
    per PAGE_CACHE_SECONDS, whatever staff save (a search: visitors type anything, and what
    they type may take only these places, never push the site's pages out)."""

    def decorate(view_func):
        @functools.wraps(view_func)
        def wrapper(*args, **kwargs):
            return view_func(*args, **kwargs)

        qualname = getattr(view_func, "__qualname__", type(view_func).__qualname__)
        name = f"{view_func.__module__}.{qualname}"
        wrapper.page_cache_rules = CacheRules(frozenset(params), budget, name)
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


# The generation a request has read ({} until it reads it; None outside a request).
_request_generation: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "page_cache_generation", default=None
)


def generation() -> int:
    """The current content generation; within a request, the one it read first."""
    memo = _request_generation.get()
    if memo and "value" in memo:
        return memo["value"]
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Only one first value can be written: requests racing to start it must agree.
        _add_exclusive(cache, GENERATION_KEY, _first_generation(), None)
        value = cache.get(GENERATION_KEY, 0)
    if memo is not None:
        memo["value"] = value
    return value


def _stale_for_long(key: str) -> bool:
    """Whether this process first found the page under ``key`` stale, in the current
    generation, STALE_WHILE_BUSY_SECONDS ago or more."""
    current, now = generation(), time.monotonic()
    if _stale_since["generation"] != current:  # the pages of an earlier generation go
        _stale_since.update(generation=current, pages={})
    return now - _stale_since["pages"].setdefault(key, now) >= STALE_WHILE_BUSY_SECONDS


def _bump() -> None:
    memo = _request_generation.get()
    if memo is not None:
        memo.pop("value", None)  # this request saved: what it reads next is the new content
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
        # Kept for good: FileBasedCache's incr() writes it back with the default timeout.
        cache.touch(GENERATION_KEY, None)
    except ValueError:  # not in the cache: a fresh start is a change too
        _add_exclusive(cache, GENERATION_KEY, _first_generation(), None)


def _first_generation() -> int:
    """Where the generation starts when it is not in the cache (a release cleared it, the
    file cache culled it, Redis lost it): the time in nanoseconds, past any generation counted
    before, so fragments kept under an earlier one (for up to a day) are never taken for
    current."""
    return time.time_ns()


def generation_cached(
    name: str, build, *, changes_with_time: bool = False, by_language: bool = True
):
    """``build()``, kept in the page cache's store until the next content save (a fragment
    every page shows, such as the site's contact details: no query once built), one per
    language (``by_language``), since it may hold translated text. ``changes_with_time``: it
    also changes as time passes (a page published at its scheduled time), so it is kept no
    longer than a cached page (PAGE_CACHE_SECONDS), and at most a minute when the page cache
    is off."""
    language = translation.get_language() if by_language else "all"
    timeout = max(settings.PAGE_CACHE_SECONDS, 60) if changes_with_time else FRAGMENT_SECONDS
    return _kept(f"fragment:{name}:{language}:{generation()}", build, timeout)


def rows_version(model) -> str:
    """A digest of every row of ``model`` as saved, worked out once per content save (one
    query): the key of fragments kept across saves that show such rows besides their own (a
    report card's topics), so that they are drawn again when one of those rows changes, and
    only then. Work it out before reading the rows the fragment shows: read after them, a
    change committed in between would be kept under the new digest."""

    def digest():
        rows = list(model._default_manager.order_by("pk").values_list())
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]

    return generation_cached(f"rows:{model._meta.label}", digest, by_language=False)


def content_cached(name: str, build):
    """``build()``, kept in the page cache's store across saves, one per language: for a
    fragment whose ``name`` already says everything it is made of (a calendar feed's ETag,
    made from its events and their last edits), so that saving something else does not make
    it again."""
    return _kept(f"content:{name}:{translation.get_language()}", build, FRAGMENT_SECONDS)


def contents_cached(names: dict, build_missing) -> dict:
    """``content_cached()`` for many fragments in one look: ``names`` maps an id to the name
    of its fragment; ``build_missing(ids)`` returns {id: fragment} for those of the ids not
    kept that it can make (not a deleted row's). Returns {id: fragment} for the ids kept or
    made (a calendar's events, by their last edits: saving one event makes only that event's
    text again)."""
    language = translation.get_language()
    keys = {f"content:{name}:{language}": item for item, name in names.items()}
    found = _cache().get_many(list(keys))
    fragments = {keys[key]: value for key, value in found.items()}
    missing = [item for key, item in keys.items() if key not in found]
    if missing:
        built = build_missing(missing)
        _cache().set_many(
            {f"content:{names[item]}:{language}": built[item] for item in built},
            timeout=FRAGMENT_SECONDS,
        )
        fragments.update(built)
    return fragments


def _kept(key: str, build, timeout: int):
    value = _cache().get(key)
    if value is None:
        value = build()
        _cache().set(key, value, timeout=timeout)
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


def make_key(key: str, key_prefix: str, version: int) -> str:
    """The page cache's keys (its KEY_FUNCTION): each under the release that made it
    (settings.PAGE_CACHE_RELEASE), but for those every release shares: the generation, and
    how many searches have been newly kept (the budget bounds what one cache holds)."""
    if not key.startswith(SHARED_KEYS):
        key = f"{settings.PAGE_CACHE_RELEASE}:{key}"
    return default_key_func(key, key_prefix, version)


def clear_after_migrate(**kwargs) -> None:
    """post_migrate, which a release runs once: forget every kept page and fragment. Nothing
    an earlier release kept is read by this one (make_key); this frees the room it took."""
    _cache().clear()


def _add_exclusive(cache, key: str, value, timeout: int | None) -> bool:
    """cache.add(), which only one caller can win. It is atomic on Redis, in memory and in the
    database, but FileBasedCache.add() looks, then writes: two workers can both win it. A hard
    link to a complete file cannot be made twice, so there the winner is whoever links first.
    """
    if not isinstance(cache, FileBasedCache):
        return cache.add(key, value, timeout)
    cache.has_key(key)  # removes the file when it has expired
    cache._createdir()
    descriptor, written = tempfile.mkstemp(dir=cache._dir)
    try:
        with open(descriptor, "wb") as file:
            cache._write_content(file, timeout, value)
        os.link(written, cache._key_to_file(key))
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: the plain add(), racy as it is
        return cache.add(key, value, timeout)
    finally:
        os.remove(written)
    return True


# Paths longer than this are resolved each time, not remembered: junk paths must not grow a
# worker's memory (1,024 paths of up to 200 characters: well under 1 MiB).
REMEMBERED_PATH_LENGTH = 200


def _rules_for(urlconf: str, language: str, path: str) -> CacheRules | None:
    if len(path) > REMEMBERED_PATH_LENGTH:
        return _page_cache_rules.__wrapped__(urlconf, language, path)
    return _page_cache_rules(urlconf, language, path)


@functools.lru_cache(maxsize=1024)
def _page_cache_rules(urlconf: str, language: str, path: str) -> CacheRules | None:
    """The page cache rules of the view at ``path`` if it opted in, else None; remembered,
    since resolving a path was a sixth of a cache hit's time (``urlconf`` and ``language``
    are the rest of what a path resolves by)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache_rules", None)


def accepts_gzip(header: str) -> bool:
    """True when Accept-Encoding names gzip (AcceptEncodingMiddleware removed refused ones)."""
    return any(part.split(";")[0].strip().lower() in ("gzip", "*") for part in header.split(","))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        memo = _request_generation.set({})
        try:
            return self._respond(request)
        finally:
            _request_generation.reset(memo)

    def _respond(self, request):
        rules = self._rules(request)
        if rules is None:
            return self.get_response(request)
        gzip = accepts_gzip(request.headers.get("Accept-Encoding", ""))
        key = self._key(request, gzip)
        cached, before = self._look(key, with_older=True)
        if cached is None and self._budget_spent(rules):
            # Nothing more of this view is kept for now: made afresh, without waiting on an
            # identical request's render that would not be kept either.
            return self.get_response(request)
        if cached is not None:
            return self._hit(request, cached)
        if before is None or _stale_for_long(key):
            return self._render(request, key, rules, gzip, before)
        # Right after a save every kept page is stale at once. A worker makes one of them
        # again at a time and shows the others as they were meanwhile: renders on every thread
        # at once left none to send the pages that were ready.
        if not _RENDERING_AFTER_SAVE.acquire(blocking=False):
            return self._stale(request, before)
        try:
            return self._render(request, key, rules, gzip, before)
        finally:
            _RENDERING_AFTER_SAVE.release()

    def _render(self, request, key, rules, gzip, before):
        """The page rendered by this request, once it has taken the render lock; else the
        page kept from before a save (``before``) at once; else the render another request
        is making, after waiting for it."""
        lock = self._render_lock(key)
        if lock is None and before is not None:
            return self._stale(request, before)
        # Another request is rendering this page: wait for its result; or, having just
        # taken the lock, look once more, in case a render finished in between.
        cached = self._wait_for(key) if lock is None else self._look(key)
        if cached is not None:
            if lock is not None:
                _cache().delete(lock)
            return self._hit(request, cached)
        try:
            response = self.get_response(request)
            if (
                self._response_is_cacheable(response)
                and not getattr(request, "page_cache_skip", False)
                and self._within_budget(rules)
            ):
                self._make_public(response, gzip)
                kept = (generation(), response)
                _cache().set(key, kept, settings.PAGE_CACHE_SECONDS)
                response["X-Cache"] = "miss"
                return get_conditional_response(request, etag=response["ETag"], response=response)
            if before is not None:  # the page before the save must not outlive it as "stale"
                _cache().delete(key)
            return response
        finally:
            if lock is not None:
                _cache().delete(lock)

    @staticmethod
    def _hit(request, cached):
        cached["X-Cache"] = "hit"
        return get_conditional_response(request, etag=cached.get("ETag"), response=cached)

    @staticmethod
    def _stale(request, before):
        """The page as it was before a save, while it is made again: shared caches (a CDN)
        must not keep it, since it may be gone after that render."""
        before["X-Cache"] = "stale"
        before["Cache-Control"] = "public, max-age=0, s-maxage=0, must-revalidate"
        return get_conditional_response(request, etag=before.get("ETag"), response=before)

    @staticmethod
    def _look(key: str, *more: str, with_older: bool = False):
        """The page kept under ``key`` if it was rendered in the current generation (else
        None), read together with the generation; with ``more`` keys, (page, whether each of
        them is there); ``with_older``: (page, the page kept from an earlier generation)."""
        found = _cache().get_many([GENERATION_KEY, key, *more])
        memo = _request_generation.get()
        if GENERATION_KEY in found and memo is not None:
            memo["value"] = found[GENERATION_KEY]
        current = generation()
        kept = found.get(key)
        page = older = None
        if isinstance(kept, tuple):
            page, older = (kept[1], None) if kept[0] == current else (None, kept[1])
        if with_older:
            return page, older
        return (page, *(name in found for name in more)) if more else page

    @staticmethod
    def _render_lock(key: str) -> str | None:
        """The key of the lock on rendering this page when this request took it, else None.

        The lock lives in the shared cache, so it holds across workers and servers (with the
        per-process local-memory cache, within one process).
        """
        lock = f"{key}:rendering"
        return lock if _add_exclusive(_cache(), lock, 1, RENDER_LOCK_SECONDS) else None

    @staticmethod
    def _wait_for(key: str):
        """The page another request is rendering, once it is cached; None as soon as that
        render ends without caching it (a search, an error, the cache down), or after
        RENDER_WAIT_SECONDS: the caller then renders the page itself."""
        lock = f"{key}:rendering"
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        pause = RENDER_POLL_SECONDS[0]
        while time.monotonic() < deadline:
            time.sleep(pause)
            page, locked = PublicPageCacheMiddleware._look(key, lock)
            if page is not None:
                return page
            if not locked:
                # The render ended; it may have cached the page after the look above.
                return PublicPageCacheMiddleware._look(key)
            pause = min(pause * 2, RENDER_POLL_SECONDS[1])
        return None

    @staticmethod
    def _key(request, gzip: bool) -> str:
        # The host name without its port: other ports reach the same site.
        host, _port = split_domain_port(request.get_host())
        raw = f"{request.scheme}|{host}|{request.get_full_path()}|{int(gzip)}"
        digest = hashlib.sha256(raw.encode()).hexdigest()
        return f"public-page:{digest}"

    @staticmethod
    def _rules(request) -> CacheRules | None:
        """The rules the page cache keeps this request's page by, or None if it may not."""
        if not (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        ):
            return None
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        rules = _rules_for(urlconf, translation.get_language(), request.path_info)
        return rules if rules is not None and set(request.GET) <= rules.params else None

    @staticmethod
    def _budget_key(rules: CacheRules) -> str:
        # Not per generation: a save must not open new places while the pages kept before it
        # still hold theirs. The count starts afresh every PAGE_CACHE_SECONDS, as long as a
        # kept page lives, so at most twice the budget of this view's pages are kept at once.
        return BUDGET_KEY.format(view=rules.name)

    @classmethod
    def _budget_spent(cls, rules: CacheRules) -> bool:
        if rules.budget is None:
            return False
        return (_cache().get(cls._budget_key(rules)) or 0) >= rules.budget

    @classmethod
    def _within_budget(cls, rules: CacheRules) -> bool:
        """Whether one more page of this view may be kept (taking its place if so). Atomic
        on Redis; on files, where add() and incr() read then write, the count is approximate."""
        if rules.budget is None:
            return True
        key = cls._budget_key(rules)
        cache = _cache()
        cache.add(key, 0, settings.PAGE_CACHE_SECONDS)
        try:
            return cache.incr(key) <= rules.budget
        except ValueError:  # gone in between, or Redis down: keep nothing
            return False

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
        body = response.content
        if gzip and len(body) > 200:
            body = compress_string(body)
            response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(body))
        # Kept in one piece: a view that wrote its body piece by piece (the reports feed, an
        # element at a time) was kept so, and each hit sent every piece in a write of its own
        # (6.5 ms a hit instead of 1).
        response.content = body
        set_response_etag(response)
