"""Answers on a document nobody here trained or tuned on: a held-out SQuAD 2.0 article.

The reader never saw the held-out articles of train/split.json, and nothing in the answer
stage was fitted to them. This is the check that a change generalizes instead of fitting
eval/: the real `cqqa index` and `cqqa eval` on one held-out article's numeric questions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import squad  # noqa: E402  (benchmarks/squad.py: the corpus and question files of `make squad`)

ARTICLE = "Normans"


def test_numeric_questions_on_a_held_out_article(tmp_path: Path):
    assert ARTICLE in squad.SPLIT["held_out"]
    corpus, _every, numeric = squad.build([ARTICLE], tmp_path)
    index = tmp_path / "index"
    built = run_cli("index", "--corpus", str(corpus), "--index", str(index))
    assert built.returncode == 0, built.stderr
    run = run_cli("eval", str(numeric), "--corpus", str(corpus), "--index", str(index), "--json")
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)["summary"]
    assert summary["questions"] >= 30
    # The hand-written rules this reader replaced scored 0.25 on the four held-out articles.
    assert summary["answer_accuracy"] >= 0.5, summary
    assert summary["f1"] >= 0.5, summary
    assert summary["false_abstentions"] <= 0.3, summary
