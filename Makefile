# One entry point for a fresh clone: `make test` and `make serve` set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PROTO_DIR := proto
THIRD_PARTY := third_party/googleapis
GEN_DIR := generated
DESCRIPTOR_SET := $(GEN_DIR)/agentos/v1/agentos_descriptor.binpb
PROTOS := $(sort $(wildcard $(PROTO_DIR)/agentos/v1/*.proto))

.PHONY: install generate lint test test-unit buf-lint buf-breaking clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Regenerates the Python stubs and the descriptor set (for the REST gateway) from proto/.
generate: install
	$(PY) tools/generate.py

buf-lint: install
	$(BIN)/buf lint

# Wire and JSON compatibility against the last landed main (origin/main), or HEAD when there is none.
buf-breaking: install
	@against=$$(git rev-parse -q --verify origin/main || git rev-parse -q --verify HEAD || true); \
	if [ -n "$$against" ] && git cat-file -e "$$against:buf.yaml" 2>/dev/null; then \
		echo "buf breaking against $$against"; \
		$(BIN)/buf breaking --against ".git#ref=$$against"; \
	else echo "buf breaking: no landed contracts to compare with"; fi

lint: install buf-lint buf-breaking
	$(BIN)/ruff check server client tests benchmarks examples tools
	$(BIN)/ruff format --check server client tests benchmarks examples tools
	$(BIN)/mypy

test: install
	$(BIN)/ruff check server client tests benchmarks examples tools
	$(BIN)/mypy
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The demo AgentOS (examples/demo.py) over gRPC, and over REST/JSON + SSE through Envoy on
# SERVE_REST_PORT; the model comes from AGENTOS_MODEL or OPENAI_API_KEY / OPENAI_BASE_URL (see
# the file). Override SERVE_HOST / SERVE_PORT / SERVE_REST_PORT to move it.
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 50051
SERVE_REST_PORT ?= 7777
.PHONY: serve
serve: install
	PYTHONPATH=.$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/agentos serve examples.demo:agent_os --host $(SERVE_HOST) --port $(SERVE_PORT) --rest-port $(SERVE_REST_PORT)

# The performance suite against Agno (benchmarks/README.md). Agno lives in its own virtualenv,
# never in the project's; the suite writes benchmarks/RESULTS.md. Not a test: it never fails on
# a missed goal.
.PHONY: bench
AGNO_VENV := benchmarks/.venv-agno

bench: install $(AGNO_VENV)/.installed
	$(PY) benchmarks/run.py

$(AGNO_VENV)/.installed: benchmarks/requirements-agno.txt
	test -x $(AGNO_VENV)/bin/python || $(PYTHON) -m venv $(AGNO_VENV)
	$(AGNO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(AGNO_VENV)/bin/python -m pip install --quiet -r benchmarks/requirements-agno.txt
	touch $@
