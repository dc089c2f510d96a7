# TalentMatch — the two commands of the README: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: setup run test translations db lint clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	$(FLASK) translate compile >/dev/null

db: setup
	$(FLASK) db upgrade
	$(FLASK) geo load
	$(FLASK) subsidy measures load

## Set everything up, load the demo data and serve on http://127.0.0.1:5000
run: db
	$(FLASK) demo load
	scripts/serve-dev

## Set everything up and run the whole test suite
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance
