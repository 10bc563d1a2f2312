# Observer Suite: `make run` to try it, `make test` to check it. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NODE_BIN := node_modules/.bin
STAMP := $(VENV)/.installed-stamp
ASSETS := static/vendor/.assets-stamp
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run test test-sqlite test-postgres lint chromium bench clean

setup: $(STAMP) $(ASSETS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Leaflet and its plugins are served by the suite itself: pages never load from a CDN.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/leaflet static/vendor/leaflet.markercluster static/vendor/leaflet.heat
	cp -r node_modules/leaflet/dist/. static/vendor/leaflet/
	cp -r node_modules/leaflet.markercluster/dist/. static/vendor/leaflet.markercluster/
	cp node_modules/leaflet.heat/dist/leaflet-heat.js static/vendor/leaflet.heat/
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's Chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

run: setup
	$(BIN)/observer-suite db upgrade
	$(BIN)/observer-suite demo --simulate-election-day
	SESSION_COOKIE_SECURE=false $(BIN)/observer-suite serve --host 127.0.0.1 --port 5000

# The same commands as .pre-commit-config.yaml; one per line.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(NODE_BIN)/pyright
	$(NODE_BIN)/eslint .

# Each suite spreads over the cores with pytest-xdist (every worker has its own throwaway
# database). `make test` runs the two suites at the same time (the PostgreSQL server's share of
# the work keeps the cores busy), each one's output printed whole when it ends; a failure in
# either fails `make test`. `make test PYTEST_WORKERS=1` runs them in one process each.
PYTEST_WORKERS ?= auto
PYTEST_ARGS := -q -n $(PYTEST_WORKERS) --dist loadfile

test: setup chromium lint
	@echo "== tests on SQLite and PostgreSQL, side by side (each report appears when its run ends) =="
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: setup
	@echo "== tests on SQLite =="
	TEST_DATABASE_URL= $(BIN)/pytest $(PYTEST_ARGS)

# Runs when a PostgreSQL server answers (starting a stopped local cluster first).
test-postgres: setup
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && command -v pg_lsclusters >/dev/null; then \
	  echo "Starting the local PostgreSQL cluster"; \
	  pg_lsclusters -h | while read ver name rest; do $(SUDO) pg_ctlcluster $$ver $$name start || true; done; \
	  for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1].replace('+psycopg',''), connect_timeout=3)" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
	  echo "== tests on PostgreSQL =="; \
	  TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	else \
	  echo "== PostgreSQL not reachable at $(TEST_DATABASE_URL): PostgreSQL run skipped =="; \
	fi

bench: setup
	$(BIN)/python benchmarks/import_stations.py
	$(BIN)/python benchmarks/plan.py
	$(BIN)/python benchmarks/plan_outputs.py
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/maps.py
	$(BIN)/python benchmarks/report.py

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .ruff_cache
