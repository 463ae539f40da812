"""The health check: the state of each dependency, before host validation and HTTPS redirects.

Load balancers and the Docker HEALTHCHECK probe by IP over plain HTTP; they must get the
truth, never a 400 for an unknown host or a redirect. The answer is 503 only when the site
cannot serve pages (database unreachable, or its tables not migrated); a cache or storage
outage is "degraded": pages still work, uncached or without downloads.
"""

import json
import logging

from django.core.cache import caches
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse

from iecmh_site import jobs

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


def database_state() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        logger.error("Health check: database unavailable: %s", exc)
        return "unavailable"
    return "migrations pending" if pending else "ok"


def cache_state() -> str:
    cache = caches["pages"]
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "ok"  # files on this machine
    return "ok" if ping() else "degraded"


def storage_state() -> str:
    for alias in ("default", "private"):
        storage = storages[alias]
        try:
            if hasattr(storage, "bucket"):
                storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
            else:
                storage.listdir("")
        except FileNotFoundError:
            continue  # a local folder nothing was uploaded to yet
        except Exception as exc:  # any failure of the storage service means "unavailable"
            logger.error("Health check: %s storage unavailable: %s", alias, exc)
            return "unavailable"
    return "ok"


def queue_state() -> str:
    """The background jobs: "ok", or how many wait and for how long when they pile up."""
    try:
        waiting, age = jobs.backlog()
    except DatabaseError:
        return "unavailable"
    if waiting and age > jobs.BACKLOG_AGE:
        return f"backlog: {waiting} job(s) waiting, the oldest for {age.seconds // 60} min"
    return "ok"


def health() -> tuple[int, dict]:
    checks = {
        "database": database_state(),
        "cache": cache_state(),
        "storage": storage_state(),
    }
    checks["queue"] = queue_state() if checks["database"] == "ok" else "unavailable"
    if checks["database"] != "ok":
        return 503, {"status": "unavailable", **checks}
    degraded = any(state != "ok" for state in checks.values())
    return 200, {"status": "degraded" if degraded else "ok", **checks}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        status, body = health()
        response = HttpResponse(
            json.dumps(body) + "\n", status=status, content_type="application/json"
        )
        response["Cache-Control"] = "no-store, max-age=0"
        return response
