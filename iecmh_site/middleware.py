"""Site-wide middleware: extra security headers, and a clear 503 when the database is down."""

import logging

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Headers that Django's SecurityMiddleware does not set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a styled page, quickly, when the database cannot be reached.

    Rendered without a request context: context processors would query the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        logger.error("Database unavailable: %s", exception)
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
