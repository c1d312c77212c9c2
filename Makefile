# Everything installs into .venv from uv.lock; nothing is needed beforehand but Python 3.11.
VENV       := .venv
BIN        := $(VENV)/bin
UV_VERSION := 0.13.9
PYTHON     ?= $(shell command -v python3.11 || command -v python3)

.PHONY: install run test test-browser lint format bench bench-load bench-sse bench-coach bench-billing bench-web eval eval-coach clean

# Bytecode is compiled at install: start-up stays fast even where PYTHONDONTWRITEBYTECODE is set.
$(BIN)/.installed: pyproject.toml uv.lock Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --quiet --compile-bytecode
	@touch $@

install: $(BIN)/.installed

## The whole product on embedded services; API on http://127.0.0.1:8000
run: install
	$(BIN)/recoloca dev

# The browser tests drive Debian's Chromium; they fail (never skip) without it.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@echo "Installing Chromium for the browser tests (apt-get)..."
	@apt-get install -y chromium >/dev/null 2>&1 || \
		(apt-get update >/dev/null && apt-get install -y chromium >/dev/null)

## The whole test suite against real services (embedded unless RECOLOCA_* URLs are set)
test: install $(CHROMIUM)
	$(BIN)/pytest

## The web application in real Chromium (screenshots in test-artefacts/browser)
test-browser: install $(CHROMIUM)
	$(BIN)/pytest tests/browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench.pipeline

## Open-loop uploads at 10–60/s on a make run it starts; prints the README's table
bench-load: install
	$(BIN)/python -m bench.load

## 1,000 event streams on one API process: memory per stream, wake-up latency
bench-sse: install
	$(BIN)/python -m bench.sse_scale

## Parser precision/recall on the generated corpus (and real resumes when present)
eval: install
	$(BIN)/python -m bench.eval_parsing

## The offline coach over scripted conversations: language, mode, grounding, STAR
eval-coach: install
	$(BIN)/python -m bench.eval_coach

## First coach delta over SSE after the POST (against a running make run)
bench-coach: install
	$(BIN)/python -m bench.coach

## The journey in real Chromium, pt-BR then English, with page timings (against a running make run)
bench-web: install $(CHROMIUM)
	$(BIN)/python -m bench.web_journey

## Subscription lives posted as signed webhooks for 20 users, plan limits, ack latency
## (against a make run started with RECOLOCA_STRIPE_WEBHOOK_SECRET; see bench/billing.py)
bench-billing: install
	$(BIN)/python -m bench.billing

## Everything make run and make test wrote: all of it lives in this folder
clean:
	rm -rf $(VENV) .recoloca .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artefacts
