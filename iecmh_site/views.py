"""Site-wide views: the server error page, public uploaded files, the admin's login."""

import mimetypes

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.static import serve

from iecmh_site.ratelimits import client_over_limit

# Uploads are shown inline only when they are inert for a browser; anything else downloads.
INLINE_MEDIA_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp", "image/avif"}


def server_error(request):
    # Rendered without a RequestContext: no context processor may touch the database,
    # which is often the very thing that failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))


def permission_denied(request, exception=None):
    """403: staff who followed a link in the admin stay in the admin, with a way back."""
    template = "403.html"
    if request.path.startswith(f"/{settings.ADMIN_URL}") and request.user.is_staff:
        template = "admin/403.html"
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        context = {
            **admin.site.each_context(request),
            "title": gettext("Not allowed"),
            "back": back,
        }
        return render(request, template, context, status=403)
    return render(request, template, status=403)


def media(request, path):
    """Public uploads (pictures, toolkits). Private files live elsewhere and have no URL."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = mimetypes.guess_type(path)[0]
    disposition = "inline" if content_type in INLINE_MEDIA_TYPES else "attachment"
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def admin_login(request, **kwargs):
    """The admin's login, with one address limited across all usernames.

    django-axes locks out a username+address pair after a few failures, so nobody can lock a
    staff member out from elsewhere; this caps how many passwords one address may try.
    """
    if request.method == "POST" and client_over_limit(
        request, "admin-login", limit=settings.ADMIN_LOGIN_LIMIT_PER_HOUR, window=3600
    ):
        response = render(request, "lockout.html", status=429)
        response["Retry-After"] = "3600"
        return response
    return admin.site.login(request, **kwargs)
