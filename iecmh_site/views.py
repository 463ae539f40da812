"""Site-wide views: health check, error pages and uploaded-file serving."""

import mimetypes

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.static import serve


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    # Rendered without a RequestContext: no context processor may touch the database,
    # which is often the very thing that failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SITE_NAME}))


# Uploads are shown inline only when they are inert for a browser; anything else downloads.
INLINE_MEDIA_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp", "image/avif"}


def media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = mimetypes.guess_type(path)[0]
    disposition = "inline" if content_type in INLINE_MEDIA_TYPES else "attachment"
    response.headers["Content-Disposition"] = disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
