# Two commands on a fresh machine (Python 3.11 and make): `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test bench bench-province bench-load bench-heartbeat bench-replica stack lint format setup system-deps browser-deps messages screenshots clean

## demo: set up from the lock file, load the Gong'an 2023 / Wuhan demo and serve it on :8000
demo: setup system-deps
	$(VENV)/bin/upskill demo

## test: set up and run the whole suite (browser journeys included unless UPSKILL_BROWSER=0),
## spread over one pytest-xdist worker per core (PYTEST_WORKERS=0 runs it in one process)
PYTEST_WORKERS ?= auto
test: setup system-deps browser-deps
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(if $(filter 0,$(UPSKILL_BROWSER)),-m "not browser",) $(PYTEST_ARGS)

## bench-load: the load test (locust, 50 clerks for 5 minutes) against make stack's processes
bench-load: setup system-deps
	bash bench/load.sh

## bench-heartbeat: the heartbeat load test (locust, 1,000 learners each reporting every 15 s,
## ~67 requests/s, 4 minutes measured after the ramp-up) against make stack's processes
bench-heartbeat: setup system-deps
	bash bench/heartbeat.sh

## bench-replica: two local PostgreSQL clusters with streaming replication, replica reads checked
bench-replica: setup system-deps
	bash bench/replica.sh

## stack: the production-like stack (PostgreSQL, Redis, gunicorn, the huey worker) on :8000
stack: setup system-deps
	bash deploy/stack.sh

## bench: the benchmarks (not tests); figures go in the README. The province's figures run on
## PROVINCE_DB (PostgreSQL), built once by bench-province and reused afterwards; last, the
## heartbeat load test against the stack (bench-heartbeat, issue 17)
PROVINCE_DB ?= postgres://postgres@127.0.0.1:5432/upskill_province
PROVINCE_SIZE ?= --persons 1000000 --classes 60000 --records 1800000
bench: setup system-deps bench-province
	$(VENV)/bin/upskill bench policy --n 1000000
	$(VENV)/bin/upskill bench import --n 100000
	$(VENV)/bin/upskill bench roster --n 10000
	DATABASE_URL=$(PROVINCE_DB) $(VENV)/bin/upskill bench dashboards
	DATABASE_URL=$(PROVINCE_DB) $(VENV)/bin/upskill bench upward
	DATABASE_URL=$(PROVINCE_DB) $(VENV)/bin/upskill bench settle
	DATABASE_URL=$(PROVINCE_DB) $(VENV)/bin/upskill bench assemble
	bash bench/heartbeat.sh

## bench-province: the synthetic Hubei on PROVINCE_DB (made and migrated if missing; the
## build is reused when it is already there with the same figures)
bench-province: setup
	psql "$(PROVINCE_DB)" -c "SELECT 1" >/dev/null 2>&1 || \
		psql "$(dir $(PROVINCE_DB))postgres" -c "CREATE DATABASE $(notdir $(PROVINCE_DB))"
	DATABASE_URL=$(PROVINCE_DB) $(VENV)/bin/upskill migrate --verbosity 0
	DATABASE_URL=$(PROVINCE_DB) $(VENV)/bin/upskill bench province $(PROVINCE_SIZE)

## lint: ruff, and the layers contract of docs/architecture.md (import-linter, pyproject.toml)
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## setup: uv in its own small environment, then .venv exactly as uv.lock says
setup: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

## system-deps: Debian packages the suite needs: ffmpeg (reading class videos), poppler-utils
## (reading certificate PDFs back), the WenQuanYi Zen Hei TrueType font (embedded in PDFs)
system-deps:
	@if ! { command -v ffprobe >/dev/null && command -v pdftotext >/dev/null && [ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; }; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq ffmpeg poppler-utils fonts-wqy-zenhei; \
	fi

## browser-deps: Debian's Chromium and CJK fonts for the browser journeys
browser-deps:
	@if [ "$(UPSKILL_BROWSER)" != "0" ] && ! { command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi "noto sans cjk"; }; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

## screenshots: the demo, role by role, in Chromium: docs/screenshots/*.png (shown in the README)
screenshots: setup system-deps browser-deps
	mkdir -p var
	DATABASE_URL=sqlite:///$(CURDIR)/var/screenshots.sqlite3 $(VENV)/bin/upskill screenshots

## messages: refresh the catalogues after changing user-facing strings (needs GNU gettext)
messages: setup
	cd src/upskill && ../../$(VENV)/bin/upskill makemessages -l zh_Hans --no-obsolete --add-location file
	cd src/upskill && ../../$(VENV)/bin/upskill compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache
