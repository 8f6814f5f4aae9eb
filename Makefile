# HBM developer commands. Everything runs inside .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test coverage screenshots lint translations messages fuzz check bench \
	system-packages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,dev,bench]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	scripts/demo

system-packages:
	scripts/ensure-system-packages

# One pytest worker per core, each with its own test database (ADR 0138); PYTEST_WORKERS=0
# runs the suite in this process (for a debugger).
PYTEST_WORKERS ?= auto
test: install system-packages
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist load

# The whole suite once, with a coverage report; it fails below the floor (raise the floor when
# coverage grows, never lower it to let a change in).
COVERAGE_FLOOR := 96
coverage: install system-packages
	$(BIN)/python -m pytest --cov=hbm --cov-report=term-missing:skip-covered \
		--cov-fail-under=$(COVERAGE_FLOOR)

# Browser tests that also refresh the screenshots in docs/screenshots (an ordinary run keeps
# them in pytest's temporary directory).
screenshots: install system-packages
	HBM_UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/e2e

lint: install translations
	$(BIN)/ruff check src tests bench scripts/check-translations
	$(BIN)/ruff format --check src tests bench scripts/check-translations
	$(BIN)/mypy
	$(BIN)/lint-imports
	HBM_VAR_DIR=$$(mktemp -d) $(BIN)/hbm makemigrations --check --dry-run

# Languages whose catalogue must stay complete: make lint (and so make check) fails on any of
# their messages untranslated, fuzzy or with placeholders that differ (scripts/check-translations).
# A language joins the list once it is finished.
COMPLETE_LANGUAGES := fr ar

# Languages translated only for the registration desk, screening and referral screens (with the
# shared base template): make lint fails on any message used there untranslated or fuzzy; the rest
# of the catalogue may stay empty (English shows). Names are locale directories (fa_AF is Dari).
DESK_LANGUAGES := fa_AF ps sw

translations: install system-packages
	$(if $(strip $(COMPLETE_LANGUAGES)),$(BIN)/python scripts/check-translations $(COMPLETE_LANGUAGES))
	$(if $(strip $(DESK_LANGUAGES)),$(BIN)/python scripts/check-translations --scope desk \
		$(DESK_LANGUAGES))

# Every language of settings.LANGUAGES but the source one: update its catalogue from the source
# (entries gone from the source are dropped), then compile the .mo files, which are committed.
# makemessages wants locale names (fa_AF), not language codes (fa-af).
LOCALES = $(shell HBM_VAR_DIR=$$(mktemp -d) $(BIN)/python -c 'from hbm import settings as s; \
	from django.utils.translation import to_locale; \
	print(" ".join(to_locale(code) for code, _ in s.LANGUAGES if code != s.LANGUAGE_CODE))')

messages: install system-packages
	cd src/hbm && HBM_VAR_DIR=$$(mktemp -d) ../../$(BIN)/hbm makemessages --no-obsolete \
		$(addprefix -l ,$(LOCALES))
	cd src/hbm && HBM_VAR_DIR=$$(mktemp -d) ../../$(BIN)/hbm compilemessages \
		$(addprefix -l ,$(LOCALES))

# Fuzz the API from its OpenAPI document on the demo data (scripts/fuzz-api, ~5 minutes):
# no 5xx, no answer over 5 s.
fuzz: install
	$(BIN)/python scripts/fuzz-api

check: lint coverage fuzz

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
