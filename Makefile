# Two commands for a fresh clone:  make run  (the local stack)  and  make test  (the whole suite).
# Both create .venv at the repository root and install what they need on the way.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Every extra, so one environment serves running, testing and benchmarking.
EXTRAS := server,desktop,dev
STAMP  := $(VENV)/.installed-$(EXTRAS)

.PHONY: run test bench bench-server faults fuzz screenshots venv debian-packages clean dist-desktop dist-desktop-naive wheel

venv: $(STAMP)

$(STAMP): setup.cfg pyproject.toml datatools/version.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	@touch $@

# Debian packages the tests drive for real (listed in bin/debian-packages).
debian-packages:
	@bin/ensure-debian-packages

# PORT=N: the license daemon's port (default 8090), when another program holds it.
run: $(STAMP)
	$(BIN)/python bin/dev-run $(if $(PORT),--port $(PORT))

test: $(STAMP) debian-packages
	$(BIN)/python -m pytest

# Re-render the user guide's screenshots (docs/img/) from the desktop UI tests.
screenshots: $(STAMP) debian-packages
	DATATOOLS_SCREENSHOTS=1 $(BIN)/python -m pytest tests/desktop -q

# Benchmarks run datatools in the product's own environment, pandas 3 included: .venv-bench is
# .venv's extras plus the peers that fit beside them (the `bench` extra). recordlinkage and
# string_grouper pin pandas below 3, so they live apart in .venv-peers (bench/peers/requirements.txt,
# no datatools there); the benchmarks start them as processes of their own (bench/peers/).
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed-$(EXTRAS),bench
PEERS_VENV := .venv-peers
PEERS_STAMP := $(PEERS_VENV)/.installed
$(BENCH_STAMP): setup.cfg pyproject.toml
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@# They were installed here before they moved to .venv-peers; they would hold pandas below 3.
	$(BENCH_VENV)/bin/python -m pip uninstall --quiet --yes recordlinkage string_grouper 2>/dev/null || true
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS),bench]'
	@touch $@
$(PEERS_STAMP): bench/peers/requirements.txt
	@test -x $(PEERS_VENV)/bin/python || $(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/peers/requirements.txt
	@touch $@

bench: $(BENCH_STAMP) $(PEERS_STAMP)
	@for b in bench/*.py; do case $$b in */__init__.py) continue;; esac; \
	  echo "== $$b"; $(BENCH_VENV)/bin/python $$b || exit 1; done

# Hypothesis against the daemon: 10,000 cases per property (make test runs 250 each).
fuzz: $(STAMP)
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/fuzz -q -p no:cacheprovider

# Every fault scenario at full length (tests/faults/; short versions run in make test).
faults: $(STAMP) debian-packages
	$(BIN)/python -m tests.faults

# The license daemon under load beside the earlier stack and the raw commit limit (needs wrk).
bench-server: $(BENCH_STAMP) debian-packages
	$(BENCH_VENV)/bin/python bench/server/run.py

# ---- Release builds (docs/TECHNICAL.md, "Building the desktop app"); never part of `make test`.
# The desktop app for the OS this runs on, one-folder and one-file, with the production keyring
# (the output of `licensed keys export-keyring`), each bundle smoke-tested after the build:
#   make dist-desktop KEYRING=path/to/production-keyring.json
KEYRING ?=
# The signed revocation list to embed (GET /internal/revocations), issued on or after the release date.
REVOCATIONS ?=
REVOKE_ARG = $(if $(REVOCATIONS),--revocations "$(REVOCATIONS)",)
DIST    ?= dist
PYI_WORK ?= build/pyinstaller
# --clean: a cached build once shipped a stale module (PyInstaller kept its old bytecode).
PYINSTALLER = $(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath $(DIST) --workpath $(PYI_WORK)
ifeq ($(shell uname -s),Linux)
SMOKE_TESTS := tests/desktop/test_app_process.py tests/desktop/test_no_network.py
DIST_NEEDS  := debian-packages
else
# strace, Xvfb and a display-less desktop are Linux things; elsewhere the window is checked
# offscreen, and the no-network check is the Linux build's.
SMOKE_TESTS := tests/desktop/test_app_process.py -k "not xvfb and not without_a_display"
DIST_NEEDS  :=
endif
EXE := $(if $(filter Windows_NT,$(OS)),.exe,)

dist-desktop: $(STAMP) $(DIST_NEEDS)
	@# The fast pre-step: refuses a missing, malformed or development keyring before PyInstaller.
	$(BIN)/python packaging/release.py check --keyring "$(KEYRING)" $(REVOKE_ARG)
	$(PYINSTALLER) packaging/datatools.spec -- --keyring "$(KEYRING)" $(REVOKE_ARG)
	@# The bundles are named by absolute path: the smoke tests start them from temporary folders.
	$(BIN)/python packaging/release.py smoke --dist "$(DIST)" --keyring "$(KEYRING)" -- $(SMOKE_TESTS)

# The size baseline: the same program with nothing excluded or filtered (one-folder only).
dist-desktop-naive: $(STAMP)
	$(BIN)/python packaging/release.py check --keyring "$(KEYRING)"
	$(PYINSTALLER) packaging/datatools.spec -- --keyring "$(KEYRING)" --mode onedir --naive

# The Python packages: a wheel and an sdist (datatools, licensed, dtadmin) in $(DIST)/.
wheel: $(STAMP)
	$(BIN)/python -m build --no-isolation --outdir $(DIST) .

clean:
	rm -rf $(VENV) $(BENCH_VENV) $(PEERS_VENV) var .pytest_cache .hypothesis build dist
