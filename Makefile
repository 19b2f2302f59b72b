# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test index lint bench browser clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# torch is installed first from constraints.txt: the CPU wheel on this machine,
# not the multi-GB CUDA build a bare requirement would resolve to.
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(VENV)/bin/cqqa index

run: index
	$(PY) app.py

browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(VENV)/bin/ruff check src tests app.py benchmarks
	$(PY) -m pytest

bench: index
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) index/CURRENT index/gen-* index/.lock
