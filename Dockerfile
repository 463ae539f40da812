# Production image: gunicorn + whitenoise; configured only by environment variables.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    PRIVATE_MEDIA_ROOT=/app/private-media \
    PAGE_CACHE_DIR=/tmp/iecmh-page-cache \
    PORT=8000 \
    WEB_CONCURRENCY=2

RUN groupadd --system app && useradd --system --gid app --home-dir /app --no-create-home app
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.lock ./
COPY scripts/build.sh scripts/build.sh
RUN bash scripts/build.sh deps

COPY . .
RUN bash scripts/build.sh app \
    && mkdir -p /app/media /app/private-media \
    && chown -R app:app /app/media /app/private-media

USER app
EXPOSE 8000
# Uploads, when they are not in S3 (AWS_STORAGE_BUCKET_NAME): keep both on volumes.
VOLUME ["/app/media", "/app/private-media"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, sys, urllib.request; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4).status == 200 else 1)"

# Run migrations as a separate one-off step: docker run IMAGE python manage.py migrate
# The background worker is a second container of this image: python manage.py run_worker
# Workers, threads and the port come from the environment (gunicorn.conf.py).
CMD ["gunicorn", "iecmh_site.wsgi:application", "--config", "gunicorn.conf.py"]
