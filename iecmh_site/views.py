"""Site-wide views: the server error page and public uploaded files."""

import mimetypes

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.views.static import serve

# Uploads are shown inline only when they are inert for a browser; anything else downloads.
INLINE_MEDIA_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp", "image/avif"}


def server_error(request):
    # Rendered without a RequestContext: no context processor may touch the database,
    # which is often the very thing that failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))


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
