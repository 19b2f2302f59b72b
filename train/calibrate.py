"""Fit the answerability model and its decline threshold on SQuAD articles the reader never saw.

    .venv/bin/python train/calibrate.py          # part of `make train`

Runs the whole pipeline (retrieval over the calibration articles of train/split.json, the
reader, the verifier) accepting every span the verifier passes, fits a logistic regression
of "the answer is right" on the features answer.py weighs (models/reader/answerability.json),
then sweeps the probability floor and prints, for each value, answer accuracy, false
abstentions and abstention recall, on all questions and on the numeric-type ones.
The chosen floor is written into the model file as its threshold; held-out articles are
never read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import squad  # noqa: E402  (benchmarks/squad.py: the same corpus and question files)

MAX_FALSE_ABSTENTIONS = 0.15


def run(limit: int = 0) -> list[dict]:
    from cqqa import answer as answering
    from cqqa.answer import extract
    from cqqa.config import Settings
    from cqqa.evaluate import answer_correct, load_questions
    from cqqa.index import open_index

    out = ROOT / "build" / "squad" / "calibration"
    corpus, every, numeric = squad.build(squad.SPLIT["calibration"], out)
    settings = Settings(corpus_dir=corpus, index_dir=out / "index")
    index = open_index(settings)
    numeric_ids = {q["id"] for q in load_questions(numeric)}
    questions = load_questions(every)[: limit or None]
    seen: list[list[float]] = []

    def record(features: list[float]) -> float:  # accept every span; remember what it weighed
        seen.append(features)
        return 1.0

    extract.answerability = record
    extract.min_confidence = lambda: 0.0
    extract.EARLY_ANSWERABILITY = 2.0  # features of the answer from every passage read
    rows = []
    for item in questions:
        seen.clear()
        result = answering.answer(index, item["question"], k=settings.k)
        rows.append(
            {
                "answerable": bool(item["answers"]),
                "numeric": item["id"] in numeric_ids,
                "features": list(seen[-1]) if result.answer is not None and seen else None,
                "correct": bool(item["answers"])
                and answer_correct(result, item["answers"], item["type"]),
            }
        )
    return rows


def fit(rows: list[dict]) -> dict:
    """Logistic regression: P(the answer given is right) from the features answer.py weighs."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    used = [r for r in rows if r["features"] is not None]
    x = np.array([r["features"] for r in used], dtype=float)
    y = np.array([r["correct"] for r in used], dtype=int)
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=1.0, max_iter=1000).fit((x - mean) / std, y)
    probs = model.predict_proba((x - mean) / std)[:, 1]
    for r, p in zip(used, probs):
        r["score"] = float(p)
    for r in rows:
        r.setdefault("score", None)
    return {
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "bias": round(float(model.intercept_[0]), 6),
        "mean": [round(float(m), 6) for m in mean],
        "std": [round(float(s), 6) for s in std],
        "features": [
            "span score",
            "span score - null score",
            "span probability",
            "sentence cosine",
            "question terms in sentence",
            "question terms in passage",
            "1 / passage rank",
            "kind fit",
            "null score",
            "passage cosine",
        ],
        "fitted_on": "SQuAD 2.0 dev, calibration articles of train/split.json: "
        + ", ".join(squad.SPLIT["calibration"]),
        "questions": len(rows),
        "answered": len(used),
    }


def sweep(rows: list[dict], floors: list[float]) -> list[dict]:
    table = []
    for floor in floors:
        line = {"floor": floor}
        for name, group in (("all", rows), ("numeric", [r for r in rows if r["numeric"]])):
            ans = [r for r in group if r["answerable"]]
            una = [r for r in group if not r["answerable"]]

            def declined(r: dict) -> bool:
                return r["score"] is None or r["score"] < floor

            acc = sum(r["correct"] and not declined(r) for r in ans) / max(1, len(ans))
            false = sum(declined(r) for r in ans) / max(1, len(ans))
            recall = sum(declined(r) for r in una) / max(1, len(una))
            line[name] = {
                "accuracy": round(acc, 3),
                "false_abstentions": round(false, 3),
                "abstention_recall": round(recall, 3),
                "balanced": round((acc + recall) / 2, 3),
            }
        table.append(line)
    return table


def main() -> int:
    rows = run(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    model = fit(rows)
    floors = [x / 20 for x in range(0, 20)]
    table = sweep(rows, floors)
    # The most balanced floor (accuracy + abstention recall) that still answers: at most
    # MAX_FALSE_ABSTENTIONS of answerable numeric questions declined (issue 9's limit).
    allowed = [t for t in table if t["numeric"]["false_abstentions"] <= MAX_FALSE_ABSTENTIONS]
    best = max(allowed or table[:1], key=lambda t: t["all"]["balanced"] + t["numeric"]["balanced"])
    for t in table:
        mark = " <- best" if t is best else ""
        print(f"floor {t['floor']:5.2f}  all {t['all']}  numeric {t['numeric']}{mark}")
    (ROOT / "build" / "squad" / "calibration" / "calibration.json").write_text(
        json.dumps({"rows": rows, "sweep": table, "best": best}, indent=1), encoding="utf-8"
    )
    print(json.dumps(best))
    model["threshold"] = best["floor"]
    model["at_threshold"] = {"all": best["all"], "numeric": best["numeric"]}
    from cqqa.answer.confidence import ANSWERABILITY_FILE
    from cqqa.fileutil import sha256_file
    from cqqa.reader import META_FILE, READER_DIR

    ANSWERABILITY_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    meta = json.loads((READER_DIR / META_FILE).read_text(encoding="utf-8"))
    meta["answerability_sha256"] = sha256_file(ANSWERABILITY_FILE)
    (READER_DIR / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {ANSWERABILITY_FILE} (threshold {best['floor']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
