# Quick start:  make serve   (a mock with demo data on http://127.0.0.1:8080)
#               make test    (the whole test suite)
# Each target creates .venv on first use (Python 3.11+) and reuses it afterwards.

PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: serve test browser test-other-pythons fuzz load bench clean

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "netsuite-mock needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

serve: $(BIN)/.installed
	$(BIN)/netsuite-mock serve --seed demo $(ARGS)

test: $(BIN)/.installed browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Debian's chromium and chromium-driver, for the dashboard test (skipped if they cannot be had).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing chromium and chromium-driver for the dashboard test"; \
			{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver \
			    >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && \
			    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver \
			    >/dev/null 2>&1; }; } || \
			echo "could not install chromium: the dashboard test will be skipped"; \
		else \
			echo "no chromium and no apt-get as root: the dashboard test will be skipped"; \
		fi; \
	fi

# The server tests on every other supported Python that this machine has (pyenv or PATH).
test-other-pythons:
	@for v in 3.12 3.13; do \
		py=$$(.ci/find-python $$v) || { echo "Python $$v not found: skipped"; continue; }; \
		echo "== server tests on $$($$py --version)"; \
		$$py -m venv .venv-$$v && .venv-$$v/bin/python -m pip install --quiet -e '.[test]' && \
		.venv-$$v/bin/python -m pytest -m server $(PYTEST_ARGS) || exit 1; \
	done

# Long runs of the reliability tests (docs/reliability.md); the suite runs them CI-sized.
fuzz: $(BIN)/.installed
	NETSUITE_MOCK_FUZZ_EXAMPLES=$${EXAMPLES:-20000} $(BIN)/python -m pytest -q tests/mockserver/wire/test_fuzz.py

load: $(BIN)/.installed
	NETSUITE_MOCK_LOAD_REQUESTS=$${REQUESTS:-100000} $(BIN)/python -m pytest -q -s tests/mockserver/test_load.py

# The benchmark suite against WireMock, mountebank and a bare lxml floor (benchmarks/README.md):
# installs wrk (Debian), WireMock and mountebank (npm, into benchmarks/.cache), py-spy (PyPI) and
# the HTTP servers figure 8 compares (PyPI, into benchmarks/.cache/servers-venv; bjoern needs
# Debian's libev-dev), runs every figure and writes benchmarks/results/latest.json and latest.md
# (and servers.json and servers.md). ARGS="--runs 3".
bench: $(BIN)/.installed $(BIN)/.bench-installed
	$(BIN)/python benchmarks/bench.py $(ARGS)

$(BIN)/.bench-installed: pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

clean:
	rm -rf $(VENV) .venv-3.12 .venv-3.13 .pytest_cache *.egg-info
