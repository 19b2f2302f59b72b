"""How sure the top passage's answer must be before the next passages go unread.

    .venv/bin/python train/early_stop.py [N]     # N questions per source (default: all)

For every question of the calibration articles (train/split.json; held-out articles are
never read here) and of eval/questions.jsonl, the answer stage runs once reading all top
passages, and records what reading only the first would have answered and how sure the
answerability model was of it. For each floor it prints the share of questions that would
stop after one passage, the share whose answer would change, and the accuracy with and
without stopping. extract.EARLY_ANSWERABILITY is set from this table by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import squad  # noqa: E402  (benchmarks/squad.py: the same corpus and question files)

FLOORS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def _key(span) -> tuple | None:
    return None if span is None else (span.doc, span.start, span.end)


def run(settings, questions: list[dict]) -> list[dict]:
    from cqqa import answer as answering
    from cqqa.answer import extract
    from cqqa.evaluate import answer_correct
    from cqqa.index import open_index

    index = open_index(settings, note=lambda message: None)
    choose = extract._choose
    calls: list[tuple] = []

    def recording(*args):
        result = choose(*args)
        calls.append(result)
        return result

    extract._choose = recording
    extract.EARLY_ANSWERABILITY = 2.0  # never stop: read every passage, remember the first
    rows = []
    try:
        for item in questions:
            calls.clear()
            result = answering.answer(index, item["question"], item["history"], k=settings.k)
            first = calls[0] if len(calls) == 2 else None  # one call: read all at once
            rows.append(
                {
                    "answerable": bool(item["answers"]),
                    "full": _key(result.answer),
                    "full_right": _right(answer_correct, result, item),
                    "first": _key(first[0]) if first else None,
                    "first_conf": first[2] if first and first[0] is not None else None,
                    "first_right": _right_span(answer_correct, first[0], item) if first else False,
                }
            )
    finally:
        extract._choose = choose
    return rows


def _right(answer_correct, result, item: dict) -> bool:
    if not item["answers"]:
        return result.answer is None
    return bool(answer_correct(result, item["answers"], item["type"]))


def _right_span(answer_correct, span, item: dict) -> bool:
    if span is None or not item["answers"]:
        return False  # stopping early always answers
    from types import SimpleNamespace

    return bool(answer_correct(SimpleNamespace(answer=span), item["answers"], item["type"]))


def table(name: str, rows: list[dict]) -> None:
    n = len(rows)
    full = sum(r["full_right"] for r in rows) / n
    print(f"\n{name}: {n} questions, right when every passage is read: {full:.3f}")
    print("| floor | stop after one passage | answer changes | right |")
    print("|---:|---:|---:|---:|")
    for floor in FLOORS:
        stop = [r for r in rows if r["first_conf"] is not None and r["first_conf"] >= floor]
        changed = sum(r["first"] != r["full"] for r in stop)
        right = sum(r["first_right"] for r in stop) + sum(
            r["full_right"] for r in rows if r not in stop
        )
        print(f"| {floor:.2f} | {len(stop) / n:.3f} | {changed / n:.3f} | {right / n:.3f} |")


def main() -> int:
    from cqqa.config import Settings
    from cqqa.evaluate import load_questions

    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    out = ROOT / "build" / "squad" / "calibration"
    corpus, every, _numeric = squad.build(squad.SPLIT["calibration"], out)
    calibration = Settings(corpus_dir=corpus, index_dir=out / "index")
    table("calibration articles", run(calibration, load_questions(every)[: limit or None]))
    article = Settings(corpus_dir=ROOT / "corpus", index_dir=ROOT / "index")
    questions = load_questions(ROOT / "eval" / "questions.jsonl")[: limit or None]
    table("eval/questions.jsonl (the article)", run(article, questions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
