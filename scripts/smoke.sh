#!/usr/bin/env bash
# Production smoke test: build as the Dockerfile does (in a fresh virtualenv), check the
# deployment settings, serve with gunicorn and probe the running site.
#   SMOKE_DATABASE_URL  database to use (default: a fresh SQLite file)
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d /tmp/iecmh-smoke.XXXXXX)
# A free port unless told (another server on a fixed one would answer in our place).
PORT=${SMOKE_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
VENV=${SMOKE_VENV:-/tmp/iecmh-smoke-venv}
GUNICORN_PID=""
cleanup() {
  if [[ -n "$GUNICORN_PID" ]]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "SMOKE FAIL: $*" >&2; [[ -f "$WORK/gunicorn.log" ]] && tail -40 "$WORK/gunicorn.log" >&2; exit 1; }

echo "== smoke: build (same steps as the Dockerfile)"
[[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
export STATIC_ROOT="$WORK/staticfiles" MEDIA_ROOT="$WORK/media"
PYTHON="$VENV/bin/python" bash scripts/build.sh deps
PYTHON="$VENV/bin/python" bash scripts/build.sh app

export DEBUG=false
export SECRET_KEY="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL="https://localhost"
export DATABASE_URL="${SMOKE_DATABASE_URL:-sqlite:///$WORK/db.sqlite3}"
export EMAIL_URL=consolemail://
export PROXY_COUNT=1  # the probes below play the TLS proxy (X-Forwarded-Proto)
export PRIVATE_MEDIA_ROOT="$WORK/private-media" PAGE_CACHE_DIR="$WORK/page-cache"
PY="$VENV/bin/python"

echo "== smoke: manage.py check --deploy --fail-level WARNING"
"$PY" manage.py check --deploy --fail-level WARNING

echo "== smoke: refuses to start without a secret key"
if SECRET_KEY="" "$PY" manage.py check >"$WORK/nokey.log" 2>&1; then fail "started without SECRET_KEY"; fi
grep -q "SECRET_KEY is missing or insecure" "$WORK/nokey.log" || fail "no clear SECRET_KEY message"

echo "== smoke: migrate, load demo content, run its jobs (pictures, PDFs) with the worker"
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py seed_demo >/dev/null
"$PY" manage.py run_worker --batch --no-startup-delay --verbosity 0

echo "== smoke: gunicorn"
"$VENV/bin/gunicorn" iecmh_site.wsgi:application --config gunicorn.conf.py \
  --bind "127.0.0.1:$PORT" >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
BASE="http://127.0.0.1:$PORT"
HTTPS=(-H "X-Forwarded-Proto: https")  # as a TLS-terminating proxy would send

code=$(curl -s -o "$WORK/health.json" -w '%{http_code}' "$BASE/healthz")
[[ "$code" == 200 ]] || fail "/healthz answered $code: $(cat "$WORK/health.json")"
grep -q '"status": "ok"' "$WORK/health.json" || fail "/healthz is not ok: $(cat "$WORK/health.json")"

code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/")
[[ "$code" == 301 ]] || fail "plain-HTTP / should redirect to HTTPS, got $code"

curl -s -D "$WORK/home.headers" -o "$WORK/home.html" "${HTTPS[@]}" "$BASE/"
grep -q "^HTTP/1.1 200" "$WORK/home.headers" || fail "/ did not answer 200: $(head -1 "$WORK/home.headers")"
for header in "Strict-Transport-Security" "Content-Security-Policy" "X-Content-Type-Options: nosniff" \
  "Referrer-Policy" "Cross-Origin-Opener-Policy: same-origin" "Permissions-Policy"; do
  grep -qi "^$header" "$WORK/home.headers" || fail "missing header $header"
done

css=$(grep -o '/static/css/site\.[0-9a-f]\{12\}\.css' "$WORK/home.html" | head -1)
[[ -n "$css" ]] || fail "home page does not link a hashed stylesheet"
curl -s -D "$WORK/css.headers" -o /dev/null -H "Accept-Encoding: br, gzip" "${HTTPS[@]}" "$BASE$css"
grep -qi "^Content-Encoding: br" "$WORK/css.headers" || fail "$css is not served compressed"
grep -qi "^Cache-Control: max-age=315360000, public, immutable" "$WORK/css.headers" \
  || fail "$css is not cached far-future"
curl -s -D "$WORK/plain.headers" -o /dev/null -H "Accept-Encoding: br;q=0, gzip;q=0" \
  "${HTTPS[@]}" "$BASE$css"
if grep -qi "^Content-Encoding" "$WORK/plain.headers"; then fail "$css compressed for a client that refused it"; fi

cover=$(curl -s "${HTTPS[@]}" "$BASE/reports/" | grep -o '/reports/[a-z0-9-]*/cover/[^" ]*\.webp' | head -1)
[[ -n "$cover" ]] || fail "the demo reports have no processed covers (did the worker run?)"
code=$(curl -s -o /dev/null -w '%{http_code}' "${HTTPS[@]}" "$BASE$cover")
[[ "$code" == 200 ]] || fail "$cover answered $code"

echo "== smoke: OK (/ 200, /healthz 200, $css served brotli-compressed and immutable, covers made by the worker)"
