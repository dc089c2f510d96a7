# TalentMatch — the two commands of the README: `make run` and `make test`.
# `make run` installs only what running needs (requirements.txt); `make test` adds the test
# and quality tools (requirements-dev.txt). Both may be run again: they install only what
# changed and keep the database.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: setup run test translations db lint clean

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PY) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(BIN)/python
	@echo "==> Installing what TalentMatch needs to run (requirements.txt; the first time takes a few minutes)"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	touch $(RUN_STAMP)

$(DEV_STAMP): requirements-dev.txt $(RUN_STAMP)
	@echo "==> Installing the test and quality tools (requirements-dev.txt)"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt
	touch $(DEV_STAMP)

setup: $(RUN_STAMP) translations

translations: $(RUN_STAMP)
	@echo "==> Compiling the translations"
	$(FLASK) translate compile >/dev/null

db: setup
	@echo "==> Bringing the database up to date (instance/talentmatch.db; existing data is kept)"
	$(FLASK) db upgrade
	@echo "==> Loading the 1,741 municipalities"
	$(FLASK) geo load
	$(FLASK) subsidy measures load

## Set everything up, load the demo data and serve on http://127.0.0.1:5000 (Ctrl+C stops it)
run: db
	@echo "==> Loading the demo world (only the first time; later runs reprint the logins)"
	$(FLASK) demo load
	scripts/serve-dev

## Set everything up and run the whole test suite
test: $(DEV_STAMP) translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance
