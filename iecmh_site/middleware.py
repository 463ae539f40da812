"""Site-wide middleware: request logging and size limits, extra security headers, and a clear
503 when the database or the file storage is down."""

import logging
import time
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.redirects.middleware import (
    RedirectFallbackMiddleware as DjangoRedirectFallbackMiddleware,
)
from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.db import OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control

from iecmh_site.clients import client_ip

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("iecmh_site.access")

# What an anonymous form post may weigh (the signup form needs a few KB).
ANONYMOUS_BODY_LIMIT = 64 * 1024


def _storage_errors() -> tuple[type[Exception], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover (boto3 is a dependency)
        return ()
    return (BotoCoreError, ClientError)


STORAGE_ERRORS = _storage_errors()


class AccessLogMiddleware:
    """One log line per request, with the client address as iecmh_site.clients sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        access_logger.info(
            '%s "%s %s" %s %.0fms',
            client_ip(request),
            request.method,
            request.get_full_path(),
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response


class RequestSizeLimitMiddleware:
    """Refuse a large body with 413 before reading it.

    Anonymous posts are small; only a signed-in session posting to the admin (staff
    uploading a report) may send up to MAX_UPLOAD_MB.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        staff_upload = (
            request.path.startswith(self.admin_prefix)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        )
        limit = (settings.MAX_UPLOAD_MB + 1) * 1024 * 1024 if staff_upload else ANONYMOUS_BODY_LIMIT
        if length > limit:
            response = HttpResponse(
                "Request too large.\n", status=413, content_type="text/plain; charset=utf-8"
            )
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class AcceptEncodingMiddleware:
    """Drop the codings a client refuses (q=0) from Accept-Encoding, so that WhiteNoise and
    the page cache, which look for a coding's name, never send one it said no to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_ENCODING")
        if header and "q=" in header:
            request.META["HTTP_ACCEPT_ENCODING"] = ", ".join(
                part.strip() for part in header.split(",") if not _refused(part)
            )
        return self.get_response(request)


def _refused(coding: str) -> bool:
    for param in coding.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value) <= 0
            except ValueError:
                return True
    return False


class BadQueryMiddleware:
    """Answer 400 to a query string no page can use (a NUL byte, which PostgreSQL refuses
    in any text), instead of letting a list filter, the admin's included, fail with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers that Django's SecurityMiddleware does not set, and Cache-Control: private on
    everything a signed-in person is shown (a shared cache must never keep it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


class ServiceUnavailableMiddleware:
    """Answer 503 with a styled page, quickly, when the database or the file storage cannot
    be reached (a report download while the storage is down, say).

    Rendered without a request context: context processors would query the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            logger.error("Database unavailable: %s", exception)
        elif isinstance(exception, STORAGE_ERRORS):
            logger.error("File storage unavailable: %s", exception)
        else:
            return None
        body = loader.get_template("503.html").render({"SITE_NAME": settings.SITE_NAME})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


class AdminStyleCSPMiddleware:
    """Let the admin use inline styles (Django's admin and the editor set some).

    Only styles are relaxed, and only in the admin; scripts stay nonce-only everywhere.
    Must sit after CSPMiddleware so it marks the response before the header is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


class RedirectFallbackMiddleware(DjangoRedirectFallbackMiddleware):
    """contrib.redirects' 404 fallback, for addresses with a query string or a language prefix.

    Django looks the redirect up by path and query string together, so a renamed page's old
    address with ?utm_source=newsletter answered 404. An exact match (a redirect that names
    a query string, or an /es/ address) still wins; otherwise the path alone is looked up and
    the visitor's query string is passed on to the new address. Redirects are kept for the
    English addresses only; the same redirect serves the Spanish one (/es/old/ → /es/new/).
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.status_code != 404:
            return response
        prefix, path = _split_language_prefix(request.path)
        query = request.META.get("QUERY_STRING", "")
        if not query and not prefix:
            return response  # Django has looked this one up already
        paths = [path]
        if settings.APPEND_SLASH and not path.endswith("/"):
            paths.append(path + "/")
        site = get_current_site(request)
        found = {r.old_path: r for r in Redirect.objects.filter(site=site, old_path__in=paths)}
        redirect = next((found[path] for path in paths if path in found), None)
        if redirect is None:
            return response
        if redirect.new_path == "":
            return self.response_gone_class()
        new_path = redirect.new_path
        if prefix and new_path.startswith("/") and not new_path.startswith("//"):
            new_path = prefix + new_path
        return self.response_redirect_class(_with_query(new_path, query) if query else new_path)


def _split_language_prefix(path: str) -> tuple[str, str]:
    """("/es", "/rest/") for a path under a language's prefix; ("", path) otherwise."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix + "/"):
            return prefix, path.removeprefix(prefix)
    return "", path


def _with_query(url: str, query: str) -> str:
    """``url`` with ``query`` added to its own query string (before any #fragment)."""
    parts = urlsplit(url)
    joined = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit(parts._replace(query=joined))


class LanguageFromURLMiddleware:
    """Activate the language the URL names: /es/... is Spanish, every other path English.

    Django's LocaleMiddleware would also read a cookie and Accept-Language for unprefixed
    URLs and add ``Vary: Accept-Language``; here the URL alone decides, so one URL is one
    page for every visitor and every cache. The admin is in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or (settings.LANGUAGE_CODE)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
