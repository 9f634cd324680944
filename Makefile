# JobCircle — the whole set-up is `make run` (demo server) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test lint format check-deploy bench clean

$(BIN)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $@

var:
	mkdir -p var

run: $(BIN)/.installed var
ifeq ($(RESET),1)
	rm -f var/jobcircle.sqlite3 var/jobcircle.sqlite3-wal var/jobcircle.sqlite3-shm
endif
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty --scale county --seed 1
	@echo ""
	@echo "后台工作台: http://127.0.0.1:$(PORT)/backoffice/   社区快聘(手机): http://127.0.0.1:$(PORT)/   接口文档: http://127.0.0.1:$(PORT)/api/docs"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed var
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q -n 2 $(PYTEST_ARGS)

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
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
