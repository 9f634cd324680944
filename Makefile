# JobCircle — the whole set-up is `make run` (demo server) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test fuzz lint format check-deploy bench clean assets browser

$(BIN)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

var:
	mkdir -p var

# Front-end libraries (htmx, ECharts, Leaflet) from the npm registry, pinned by package-lock.json,
# copied into jobcircle/static/vendor/ with a SHA-256 manifest. Served by the app: no CDN (ECO-06).
VENDOR_MANIFEST := jobcircle/static/vendor/MANIFEST.json
$(VENDOR_MANIFEST): package-lock.json package.json scripts/vendor-assets.py
	command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/vendor-assets.py

assets: $(VENDOR_MANIFEST)

# Browser tests drive Debian's Chromium with a CJK font; installed with apt-get when absent.
browser:
	bash scripts/ensure-browser.sh

run: $(BIN)/.installed var assets
ifeq ($(RESET),1)
	rm -f var/jobcircle.sqlite3 var/jobcircle.sqlite3-wal var/jobcircle.sqlite3-shm
endif
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty --scale county --seed 1
	@echo ""
	@echo "后台工作台: http://127.0.0.1:$(PORT)/backoffice/   社区快聘(手机): http://127.0.0.1:$(PORT)/   接口文档: http://127.0.0.1:$(PORT)/api/docs"
	@# A background-task worker (imports, batch push) and the scheduler (recurring jobs, docs/operations.md)
	@# run beside the server and stop with it.
	$(BIN)/python manage.py db_worker & worker=$$!; $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed var assets browser
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q -n 2 $(PYTEST_ARGS)

# SEC-29: a bounded schemathesis run against a server on loopback (scripts/fuzz.sh; under 5 minutes).
fuzz: $(BIN)/.installed
	bash scripts/fuzz.sh

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-deploy: $(BIN)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.prod SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
	JOBCIRCLE_PII_KEY=check-deploy-pii ALLOWED_HOSTS=jobcircle.example.gov.cn \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

bench: $(BIN)/.installed var
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/bench.txt
	$(BIN)/python bench/run.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/gigs.py  # 零工 nearby and confirmations (issue 20)
	$(BIN)/python bench/report.py  # a county's year work report on the city demo (goal: 30 s)
	$(BIN)/python bench/matching.py  # own PostgreSQL + PostGIS cluster on port 55440; BENCH_SKIP_PROVINCE=1 to skip the province
	$(BIN)/python bench/matching.py --steady  # the push after 30 daily pushes (about 12 minutes)
	$(BIN)/python bench/subsidies.py  # 免申即享 screening over the 150,000-resident demo city, SQLite and PostgreSQL

clean:
	rm -rf $(VENV) var
