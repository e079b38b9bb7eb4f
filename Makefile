# Wegweiser: see README.md. Every target creates the virtual environment from the lock file first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EDITION ?=
# One language for `make serve` (not LANG: that is the shell's locale, e.g. de_DE.UTF-8, and always set).
ONLY ?= $(if $(filter command line,$(origin LANG)),$(LANG))
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: build test check serve stamp new-guide bench lock lint format handouts audit clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m wegweiser.nltk_data
	touch $(STAMP)

build: $(STAMP)  ## build the whole site into site/ (replaced only when the build succeeds)
	$(BIN)/python scripts/build.py $(if $(EDITION),--edition $(EDITION))

test: $(STAMP)  ## run all tests
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

check: $(STAMP)  ## all content checks without rendering HTML
	$(BIN)/python scripts/check.py

serve: $(STAMP)  ## live preview of every language; ONLY=de previews one language only (faster re-renders); POLL=1 if saves do not show
	$(BIN)/python scripts/serve.py $(if $(ONLY),--lang $(ONLY)) $(if $(POLL),--poll) $(if $(EDITION),--edition $(EDITION))

stamp: $(STAMP)  ## mark a translation as up to date: make stamp FILE=docs/anmeldung.en.md [STEP=termin]
	$(BIN)/python -m wegweiser stamp $(foreach s,$(STEP),--step $(s)) $(FILE)

new-guide: $(STAMP)  ## scaffold a guide: make new-guide NAME=kindergeld
	$(BIN)/python scripts/new_guide.py $(NAME)

handouts: build  ## render every handout to PDF with headless Chromium (EDITION=musterstadt: the city's edition)
	$(BIN)/python scripts/handouts.py $(if $(EDITION),--site site-$(EDITION) --out handouts-$(EDITION))

bench: $(STAMP)  ## benchmarks; writes bench/RESULTS.md
	$(BIN)/python bench/run.py

audit: $(STAMP)  ## check requirements.lock against known vulnerabilities (pip-audit; needs network)
	bash scripts/audit_deps.sh

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

lock:  ## regenerate requirements.lock from requirements.in (needs uv)
	uv pip compile requirements.in --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf site .site.tmp* $(VENV)
