# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test fast index lint bench load faults browser clean train squad tatqa

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

# Debian's Chromium for the Playwright tests (never `playwright install`), and a CJK font
# (fonts-wqy-zenhei) so that Chinese questions and answers are drawn, not boxes. Without
# root or sudo it only says so: the browser tests then skip, or fail under CI=true.
BROWSER_PACKAGES := chromium fonts-wqy-zenhei
browser:
	@{ test -x /usr/bin/chromium && test -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	  elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	  else echo "make browser: run 'sudo apt-get install $(BROWSER_PACKAGES)' for the browser tests" >&2; fi; }

test: install browser
	$(VENV)/bin/ruff check src tests app.py benchmarks train
	$(PY) -m pytest

# The fast loop (seconds): everything but the real model's index, the browser and
# subprocesses; the small corpus of tests/data/small with the fake encoder of tests/fakes.py.
fast: install
	$(PY) -m pytest -m "not slow" -q

# Speed beside each floor (benchmarks/RESULTS.md), then PDF ingestion: pages/s beside pypdf
# alone, adding a 20-page PDF beside the ONNX encoder alone (printed; README quotes it).
bench: index
	$(PY) benchmarks/run.py
	$(PY) benchmarks/ingest.py --pages 20

# 20 gradio_client users against `python app.py` on loopback, then 1,000 questions for
# memory; writes benchmarks/LOAD.md and the Load section of benchmarks/RESULTS.md.
load: index
	$(PY) benchmarks/load.py

# The reader: fine-tune all-MiniLM-L6-v2 on ../shared/data/qa (about 35 minutes on 2 cores),
# export int8 ONNX to src/cqqa/models/reader/, then sweep the decline threshold on the
# calibration articles (train/split.json).
train: install
	$(PY) train/train_reader.py
	$(PY) train/calibrate.py

# cqqa on the SQuAD 2.0 articles held out from training and tuning: benchmarks/SQUAD-held_out.md.
squad: install
	$(PY) benchmarks/squad.py --split held_out

# cqqa on TAT-QA dev's paragraph-only questions (span, arithmetic; tables left out), every
# report with one (196) as one corpus: benchmarks/TATQA.md. TATQA_REPORTS=60 subsamples.
TATQA_REPORTS ?= 0
tatqa: install
	$(PY) benchmarks/tatqa.py --reports $(TATQA_REPORTS)

# Single-bit manifest flips, files rewritten mid-build, concurrent builds under `cqqa ask`
# (bounded counts); writes benchmarks/FAULTS.md.
faults: install
	$(PY) benchmarks/faults.py

clean:
	rm -rf $(VENV) index/CURRENT index/gen-* index/.lock
