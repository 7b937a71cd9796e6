# make run   — set up .venv, load the illustrative sample on first run, start the app on :8501
# make test  — set up everything the tests need (Python packages, Debian's Chromium and fonts)
#              and run ruff and the whole test suite
# make bench — benchmarks at national scale (not part of the tests)

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: run test bench venv system-deps sample lint clean

$(BIN)/activate:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt requirements-dev.txt constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

venv: $(VENV)/.installed

# Chromium renders PNG exports (kaleido) and drives the browser test; Noto fonts draw
# Vietnamese diacritics. Installed from Debian only when missing (never `playwright install`).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans"; then \
		echo "Installing chromium and fonts-noto-core from Debian…"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	fi

sample: venv
	PYTHONPATH=$(CURDIR) $(BIN)/python data/load_sample.py

run: venv sample
	$(BIN)/python -m streamlit run serve/app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

lint: venv
	$(BIN)/ruff check .

# --dist loadfile keeps each file on one worker, so a module's costly fixtures (a running app,
# a stored crosswalk, one process measuring the heavy hostile files) are built once;
# --durations prints the 30 slowest steps, where the next cut is. Bytecode is written even where
# PYTHONDONTWRITEBYTECODE is set: the suite starts dozens of Python processes (two workers,
# app servers, command lines, killed imports) and each would compile the project afresh.
test: venv system-deps lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 2 --dist loadfile --durations=30

bench: venv system-deps
	PYTHONPATH=$(CURDIR) $(BIN)/python bench/run.py
	PYTHONPATH=$(CURDIR) $(BIN)/python bench/load.py --sessions 20 --uploaders 2 --seconds 60

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache tests/screenshots
