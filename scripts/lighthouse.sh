#!/usr/bin/env bash
# Lighthouse (mobile profile) for four key pages of the site served as in production, in
# English and in Spanish (/es/), and a table of the four category scores. A report, not a
# gate: the target is 100 in every category.
#   LIGHTHOUSE_OUT    folder for the JSON reports (default: ./lighthouse, gitignored)
#   LIGHTHOUSE_BASE   a site already running (scripts/bench.py's): no setup, no server
#   LIGHTHOUSE_PAGES  with LIGHTHOUSE_BASE: the paths to score, separated by spaces
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
GUNICORN=$(dirname "$PY")/gunicorn
OUT=${LIGHTHOUSE_OUT:-lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export npm_config_loglevel=error
[[ -x "$CHROME_PATH" ]] || { echo "lighthouse: $CHROME_PATH is missing: apt-get install -y chromium" >&2; exit 1; }
[[ -x node_modules/.bin/lighthouse ]] || npm ci --no-audit --no-fund

WORK=$(mktemp -d /tmp/iecmh-lighthouse.XXXXXX)
GUNICORN_PID=""
cleanup() {
  if [[ -n "$GUNICORN_PID" ]]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n "${LIGHTHOUSE_BASE:-}" ]]; then
  BASE=$LIGHTHOUSE_BASE
  read -r -a PAGES <<<"${LIGHTHOUSE_PAGES:-/}"
else

# Production settings: DEBUG off, a random key, hashed and compressed static files.
export DEBUG=false
export SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL="https://localhost"
export DATABASE_URL="sqlite:///$WORK/db.sqlite3"
export STATIC_ROOT="$WORK/staticfiles" MEDIA_ROOT="$WORK/media"
export PRIVATE_MEDIA_ROOT="$WORK/private-media" PAGE_CACHE_DIR="$WORK/page-cache"
export EMAIL_URL=consolemail://
# Requests carry X-Forwarded-Proto (below) as behind the TLS proxy, but Lighthouse fetches
# robots.txt without its extra headers, and loopback has no TLS to redirect that fetch to.
export SECURE_SSL_REDIRECT=false
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

echo "== lighthouse: collectstatic, migrate, seed" >&2
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py seed_demo >/dev/null
read -r REPORT EVENT < <("$PY" manage.py shell --verbosity 0 -c '
from events.models import Event
from reports.models import Report
reports = Report.objects.published()
report = reports.filter(title__startswith="A Mapping").first() or reports.first()
event = Event.objects.published().upcoming().first() or Event.objects.published().first()
print(report.get_absolute_url(), event.get_absolute_url())
')

"$GUNICORN" iecmh_site.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --no-control-socket >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 50); do
  curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$BASE/healthz" >/dev/null || { cat "$WORK/gunicorn.log" >&2; exit 1; }
PAGES=("/" "$REPORT" "$EVENT" "/celebrate-babies-week/")
PAGES+=("/es/" "/es$REPORT" "/es$EVENT" "/es/celebrate-babies-week/")
fi

mkdir -p "$OUT"
FLAGS="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for index in "${!PAGES[@]}"; do
  echo "== lighthouse: ${PAGES[$index]}" >&2
  # As a TLS-terminating proxy would: the site answers plain HTTP with a redirect to HTTPS.
  npx --no-install lighthouse "$BASE${PAGES[$index]}" --form-factor=mobile \
    --extra-headers='{"X-Forwarded-Proto": "https"}' --chrome-flags="$FLAGS" \
    --output=json --output-path="$OUT/page-$index.json" --quiet \
    || echo "lighthouse: ${PAGES[$index]} did not finish (a run-time error); the others go on" >&2
done

"$PY" - "$OUT" "${PAGES[@]}" <<'PY'
import json
import sys
from pathlib import Path

out, pages = Path(sys.argv[1]), sys.argv[2:]
keys = ["performance", "accessibility", "best-practices", "seo"]
width = max(len(path) for path in pages)
print(f"| {'page':<{width}} | perf | a11y | best |  seo |")
print(f"| {'-' * width} | ---: | ---: | ---: | ---: |")
misses = []
for index, path in enumerate(pages):
    try:
        report = json.loads((out / f"page-{index}.json").read_text())
    except (OSError, ValueError):
        print(f"| {path:<{width}} | " + " | ".join(["err".rjust(4)] * len(keys)) + " |")
        misses.append(f"{path}: no report")
        continue
    # A category whose audit could not run has no score: shown as "err", never as a number.
    scores = {
        key: None if (score := report["categories"][key]["score"]) is None else round(score * 100)
        for key in keys
    }
    cells = " | ".join("err".rjust(4) if scores[k] is None else f"{scores[k]:>4}" for k in keys)
    print(f"| {path:<{width}} | {cells} |")
    for key in keys:
        if scores[key] is None or scores[key] < 100:
            failed = [
                f"{audit['id']} ({audit.get('errorMessage') or audit['score']})"
                for ref in report["categories"][key]["auditRefs"]
                if ref["weight"]
                and (audit := report["audits"][ref["id"]])["scoreDisplayMode"] != "manual"
                and (audit["score"] is None or audit["score"] < 1)
            ]
            misses.append(f"{path} {key}: {', '.join(failed)}")
if misses:
    print("\nBelow target (audits that lost points):")
    print("\n".join(f"  {line}" for line in misses))
PY
