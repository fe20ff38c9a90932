# The two commands of the README: `make site` builds the site, `make test` runs the tests.
# Each creates .venv from the pinned requirements when it is missing or they changed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site serve check test bench messages clean

site: $(VENV)/.runtime
	$(PY) build_claims.py build

# The live preview: regenerates and reloads the page when a claim or template is saved.
serve: $(VENV)/.runtime
	$(PY) build_claims.py serve

check: $(VENV)/.runtime
	$(PY) build_claims.py check

# Lint and types first: they take seconds, the tests minutes.
test: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

bench: $(VENV)/.dev
	$(PY) bench/scale_bench.py

# The interface's texts: extract them from the templates and scripts into locale/messages.pot, then
# bring every locale/<tag>/LC_MESSAGES/messages.po in line with it (DEVELOPING.md, "Adding a language").
messages: $(VENV)/.dev
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
	  --add-comments=Translators: -o locale/messages.pot .
	$(VENV)/bin/pybabel update -i locale/messages.pot -d locale --ignore-obsolete

# The package is installed editable (-e): the venv runs this checkout's code, and MkDocs finds the
# claimpress plugin through its entry point (pyproject.toml).
$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(VENV)/.runtime $@

clean:
	rm -rf site .site.building .site.old
