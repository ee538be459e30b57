# Two commands set everything up:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= runs/demo

.PHONY: demo test system-deps lint typecheck test-wheel test-lowest docs bench bench-compare clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.demo-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[all]'
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
# the kernel the notebooks run on (nbclient, JupyterLab): this environment's python
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3"
	touch $@ $(VENV)/.demo-deps

demo: $(VENV)/.demo-deps
	$(BIN)/trainlab demo --out $(OUT)

# the system packages the tests need (PostgreSQL, Chromium and its driver, a CJK
# font, python3-venv): installed where missing as root, named in one line otherwise
system-deps:
	PYTHON=$(PYTHON) bash scripts/system-deps.sh

# ruff's linter and formatter (rules and line length in pyproject.toml)
CHECKED = src tests benchmarks scripts
lint: $(VENV)/.test-deps
	$(BIN)/ruff check $(CHECKED)
	$(BIN)/ruff format --check $(CHECKED)

# the wheel and the sdist built and checked; the wheel installed into a fresh
# environment outside the checkout, where four commands run (needs the package index)
test-wheel: $(VENV)/.test-deps
	bash scripts/test-wheel.sh $(BIN)/python

# mypy on src/: strict for the core ring, the default level elsewhere (pyproject.toml)
typecheck: $(VENV)/.test-deps
	$(BIN)/mypy

test: system-deps lint typecheck docs
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --durations=20 tests
	$(BIN)/python -m pytest -q --doctest-modules src/trainlab/optim
	bash scripts/test-wheel.sh $(BIN)/python
	$(MAKE) test-lowest

# The search and storage tests again, with trainlab installed (not editable) on the
# lowest version of each dependency that pyproject.toml allows (numpy, matplotlib,
# optuna, psycopg2, ...; scripts/lowest_constraints.py reads the bounds); `make test`
# above runs on the newest. First a search from the installed command itself.
LOWEST := .venv-lowest
$(LOWEST)/.deps: pyproject.toml scripts/lowest_constraints.py
	rm -rf $(LOWEST) && $(PYTHON) -m venv $(LOWEST)
	$(PYTHON) scripts/lowest_constraints.py > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/python -m pip install -q -c $(LOWEST)/constraints.txt '.[search,cli]' 'pytest>=8' 'hypothesis>=6.100'
	touch $@

test-lowest: $(LOWEST)/.deps
	$(LOWEST)/bin/python -m pip install -q --no-deps --force-reinstall .
	rm -rf $(LOWEST)/smoke && mkdir $(LOWEST)/smoke
	cd $(LOWEST)/smoke && ../bin/trainlab tune --trials 3 --epochs 2 --train-size 100 --hidden 8 --quiet --out tune
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider tests/tune

# the benchmark's own command unsets the two variables that slow a current NumPy's
# OpenBLAS on some machines; RESULTS.md names the kernel that ran
UNSET_BLAS = env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE

bench: $(VENV)/.test-deps
	$(UNSET_BLAS) $(BIN)/python benchmarks/run.py

# make bench-compare BEFORE=<commit>: the training step and the optimizer step of
# <commit> and of this tree side by side, interleaved in one run (runs/bench-compare/)
BEFORE ?= HEAD
bench-compare: $(VENV)/.test-deps
	rm -rf runs/bench-compare && mkdir -p runs/bench-compare/before
	git archive $(BEFORE) src | tar -x -C runs/bench-compare/before
	$(UNSET_BLAS) $(BIN)/python benchmarks/run.py --only training,optimizer --threads 1 \
	    --before-src $(CURDIR)/runs/bench-compare/before/src --before-label "$(BEFORE)" --out runs/bench-compare

clean:
	rm -rf $(VENV) $(LOWEST) runs build src/*.egg-info

# the documentation site: docs/ and the docstrings, built strictly into site/, then
# every internal link and anchor checked (KaTeX and the search shim are fetched once
# from npm into build/npm/; see docs/development.md)
$(VENV)/.docs-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[docs]'
	touch $@

docs: $(VENV)/.docs-deps
	$(BIN)/python -m mkdocs build --strict --site-dir site
	$(BIN)/python scripts/check_site.py site

