# StudiocentOS Booking: `make run` serves the product, `make test` runs every test, `make lint` checks style.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
# pip-compile lives in its own environment: the tool is not part of what the lock installs
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.6.2

.PHONY: run test lint install db bench bench-http bench-bookings lighthouse screenshots clean lock i18n-extract i18n-update i18n-compile

# requirements.txt names the direct dependencies; requirements.lock pins every package
# they pull in (tests/unit/test_dependency_lock.py checks the lock covers them).
$(INSTALLED): requirements.txt requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $(INSTALLED)

$(LOCK_VENV)/.installed:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS)
	touch $@

# Re-resolve requirements.lock from requirements.txt: keeps the locked versions that still
# fit and adds what is new; `make lock UPGRADE=1` moves every package to its newest release.
lock: $(LOCK_VENV)/.installed
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade) --output-file requirements.lock requirements.txt

install: $(INSTALLED)

# Languages: translations/messages.pot from the marked strings (babel.cfg), merged into each
# translations/<lang>/LC_MESSAGES/messages.po (webapp.mail.language.gettext takes the language first: gettext:2;
# a one-argument gettext is a template {% trans %} block: gettext:1,1t); the compiled .mo files are committed, so
# `make run` and `make test` need no step (tests/unit/test_translations.py checks they match).
i18n-extract: $(INSTALLED)
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k N_ -k gettext:2 -k gettext:1,1t -k lazy_gettext -k _l \
		--ignore-dirs='.* _* node_modules instance' --no-location --sort-output -o translations/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel -q update --no-fuzzy-matching -i translations/messages.pot -d translations

i18n-compile: $(INSTALLED)
	$(BIN)/pybabel -q compile --statistics -d translations

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

bench-http: $(INSTALLED)
	$(BIN)/python -m bench.http --bookings

# Booking creation on PostgreSQL under gunicorn (4 workers): sustained bookings/s, then rounds of
# simultaneous requests for one start (exactly one 201 each); needs PostgreSQL and Redis on loopback.
bench-bookings: $(INSTALLED)
	$(BIN)/python -m bench.bookings

# Lighthouse (npm CLI through npx, system Chromium) on `make run`'s site with its own database
# (instance/lighthouse/lighthouse.db, one booking for the confirmation and manage pages);
# reports in instance/lighthouse/, fails when a page misses the targets.
LIGHTHOUSE_PORT ?= 5057
lighthouse: $(INSTALLED)
	bench/lighthouse.sh $(LIGHTHOUSE_PORT)

# The README's pictures: every main page at 390x844 and 1280x800 into docs/screenshots/
# (Playwright and the system Chromium against a seeded temporary site on a free port).
screenshots: $(INSTALLED)
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules .pytest_cache
