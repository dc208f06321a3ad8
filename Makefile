# Two commands for a fresh clone:  make run  (the local stack)  and  make test  (the whole suite).
# Both create .venv at the repository root and install what they need on the way.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Every extra, so one environment serves running, testing and benchmarking.
EXTRAS := server,desktop,dev
STAMP  := $(VENV)/.installed-$(EXTRAS)

.PHONY: run test bench screenshots venv debian-packages clean

venv: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	@touch $@

# Debian packages the tests drive for real (listed in bin/debian-packages).
debian-packages:
	@bin/ensure-debian-packages

run: $(STAMP)
	$(BIN)/python bin/dev-run

test: $(STAMP) debian-packages
	$(BIN)/python -m pytest

# Re-render the user guide's screenshots (docs/img/) from the desktop UI tests.
screenshots: $(STAMP) debian-packages
	DATATOOLS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/desktop -q

# Benchmarks also need the peers they compare against (the `bench` extra).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS),bench]'
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
