# StudiocentOS Booking: `make run` serves the product, `make test` runs every test, `make lint` checks style.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint install db bench lighthouse clean

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(INSTALLED)

install: $(INSTALLED)

db: $(INSTALLED)
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty

run: db
	$(FLASK) serve

node_modules/.installed: package.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund && touch $@; \
	 else echo "npm not found: the ical.js check will be skipped"; fi

test: $(INSTALLED) node_modules/.installed
	@command -v chromium >/dev/null 2>&1 || $(BIN)/playwright install chromium
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .

bench: $(INSTALLED)
	$(BIN)/python -m bench.engine

# Lighthouse (npm CLI through npx, system Chromium) on `make run`'s site; reports in instance/lighthouse/.
LIGHTHOUSE_PORT ?= 5057
lighthouse: db
	bench/lighthouse.sh $(LIGHTHOUSE_PORT)

clean:
	rm -rf $(VENV) node_modules .pytest_cache
