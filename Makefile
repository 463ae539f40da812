# The front door: `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Exactly the tested versions, from the lock file (hashes checked), then the project itself.
$(STAMP): requirements-dev.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

.env:
	cp .env.example .env

.PHONY: install
install: $(STAMP) .env ## Create .venv and install the locked packages and the project

.PHONY: lock
lock: install ## Re-resolve requirements*.lock after a change to pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --no-header --quiet -o requirements-dev.lock

.PHONY: migrate
migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

.PHONY: seed
seed: migrate ## Load the demo content (safe to repeat)
	$(BIN)/python manage.py seed_demo

.PHONY: superuser
superuser: migrate ## Create an account with every right (for whoever manages staff accounts)
	$(BIN)/python manage.py createsuperuser

.PHONY: run
run: migrate ## Set everything up; serve the site on http://127.0.0.1:8000/ (PORT= overrides, DEMO=0 skips the demo content) with its worker
	export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	  if [ "$${DEMO:-1}" = 1 ]; then $(BIN)/python manage.py seed_demo || exit 1; fi; \
	  $(BIN)/python manage.py run_worker --worker-id local & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

TEST_WORKERS ?= auto

.PHONY: test
test: install ## Run the whole test suite in parallel (needs: apt-get install -y chromium redis-server)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

TEMPLATES := $(shell find templates -name '*.html')

.PHONY: lint
lint: install ## Lint Python (ruff), templates (djade), the architecture (import-linter), the Spanish catalogue
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djade --check $(TEMPLATES)
	$(BIN)/lint-imports --no-cache
	scripts/check_translations.sh

.PHONY: fmt
fmt: install ## Format the code (ruff) and the templates (djade)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djade $(TEMPLATES) || true

.PHONY: migrations-check
migrations-check: install ## Fail if a model change has no migration
	$(BIN)/python manage.py makemigrations --check --dry-run

.PHONY: deploy-check
deploy-check: install ## Django's deployment checklist under production settings
	DEBUG=false SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=example.org SITE_URL=https://example.org EMAIL_URL=dummymail:// \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

.PHONY: smoke
smoke: install ## Build as the Dockerfile does, then serve with gunicorn and probe it
	bash scripts/smoke.sh

.PHONY: bench
bench: install ## The performance goals in one table: uncached, cached (files, Redis), after a save, memory, weight, soak (QUICK=1: a short run)
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python scripts/bench.py $(if $(QUICK),--quick) $(BENCH_ARGS)

.PHONY: lighthouse
lighthouse: install ## Lighthouse scores for key pages (needs chromium and npm)
	bash scripts/lighthouse.sh

.PHONY: clean
clean: ## Remove the virtualenv, collected static files and the SQLite database
	rm -rf $(VENV) staticfiles db.sqlite3
