# Two commands set everything up:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= runs/demo

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.demo-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[all]'
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.demo-deps

demo: $(VENV)/.demo-deps
	$(BIN)/trainlab demo --out $(OUT)

test: $(VENV)/.test-deps
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --doctest-modules tests src/trainlab/optim

bench: $(VENV)/.test-deps
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) runs build src/*.egg-info
