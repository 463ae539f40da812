#!/usr/bin/env bash
# The Docker image's build steps, kept here so CI's smoke test runs exactly the same steps
# (no Docker engine runs on CI machines).
#   build.sh deps   install the runtime dependencies from requirements.lock (hashes checked)
#   build.sh app    collect and compress the static files (needs the code)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}

case "${1:-}" in
  deps)
    "$PYTHON" -m pip install --no-cache-dir --quiet --require-hashes -r requirements.lock
    ;;
  app)
    # Dummy values: collectstatic needs settings to load, not real secrets or a database.
    DEBUG=false SECRET_KEY=build-only-value-not-used-at-runtime-0123456789abcdef \
      ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/collectstatic-unused.sqlite3 \
      SITE_URL=https://build.invalid EMAIL_URL=dummymail:// \
      "$PYTHON" manage.py collectstatic --noinput --verbosity 0
    ;;
  *)
    echo "usage: $0 deps|app" >&2
    exit 2
    ;;
esac
