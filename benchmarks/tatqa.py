"""`make tatqa`: cqqa on TAT-QA dev's paragraph-only questions (financial reports).

    .venv/bin/python benchmarks/tatqa.py                # every report with such a question
    .venv/bin/python benchmarks/tatqa.py --reports 60   # a subsample, for a quicker run

TAT-QA (Zhu et al. 2021, ../shared/data/qa/tatqa-dev.json) pairs each report's table with
its paragraphs. Kept here: the questions answered from the text alone (`answer_from` ==
"text") whose answer type is `span`, `arithmetic` or `count` (dev has no text-only count
questions; multi-span ones are left out), with the tables left out of the documents. Each
report becomes one document (its paragraphs, blank lines between), all of them one corpus, so
retrieval has to find the report first; then the real `cqqa index` and `cqqa eval --json` run
on them. Written under build/tatqa/, with the tables printed and saved to benchmarks/TATQA.md.

Scoring, per answer type:
- accuracy: cqqa's own containment rule (eval/README.md);
- EM / F1: SQuAD's token measures for spans; for numbers, EM is a number match (the value
  cqqa gives, scaled, within 0.5% of the gold value times its scale: TAT-QA's own script
  also compares the scale and rounds) and F1 equals EM. This is not the official script, so
  the published figures are for scale only: TAGOP about 50 EM / 58 F1 on the test set
  (all question kinds, tables included), people about 84 EM.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "qa" / "tatqa-dev.json"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from squad import eval_report, index_corpus  # noqa: E402  (the same subprocess and build steps)

TYPES = ("span", "arithmetic", "count")
SCALES = {"": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "percent": 1.0}


def _gold_number(answer: object) -> float | None:
    text = str(answer).replace(",", "").replace("$", "").strip()
    m = re.fullmatch(r"\(?(-?\d+(?:\.\d+)?)\)?\s*(?:%|percent)?", text.split(" ")[0])
    return float(m.group(1)) if m else None


def build(out: Path, reports: int) -> tuple[Path, Path, dict]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    rows, gold = [], {}
    kept = 0
    for n, report in enumerate(data):
        questions = [
            q
            for q in report["questions"]
            if q["answer_from"] == "text" and q["answer_type"] in TYPES
        ]
        if not questions:
            continue
        if reports and kept >= reports:
            break
        kept += 1
        paragraphs = sorted(report["paragraphs"], key=lambda p: p["order"])
        name = f"report-{n:03d}"
        texts = [" ".join(p["text"].split()) for p in paragraphs]
        (corpus / f"{name}.txt").write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        by_order = {str(p["order"]): t for p, t in zip(paragraphs, texts)}
        for q in questions:
            answers = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
            answers = [str(a).strip().lower() for a in answers if str(a).strip()]
            evidence = by_order.get(str((q.get("rel_paragraphs") or ["?"])[0]))
            if q["answer_type"] == "span":
                evidence = next((t for t in texts if answers and answers[0] in t.lower()), evidence)
            rows.append(
                {
                    "id": q["uid"],
                    "question": " ".join(q["question"].split()),
                    "answers": answers,
                    "evidence": evidence,
                    "type": q["answer_type"],
                    "style": "tatqa",
                    "history": [],
                }
            )
            gold[q["uid"]] = {
                "type": q["answer_type"],
                "number": _gold_number(q["answer"]) if q["answer_type"] != "span" else None,
                "scale": q.get("scale") or "",
            }
    path = out / "questions.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return corpus, path, gold


def number_given(answer: dict | None) -> float | None:
    """The number cqqa answered, in plain units: a derived value, else the first fact."""
    from cqqa.facts import extract_facts

    if not answer:
        return None
    if answer.get("kind") == "derived" and answer.get("value") is not None:
        return float(answer["value"])
    facts = [f for f in extract_facts(answer["text"]) if f.value is not None]
    return float(facts[0].value) if facts else None


def number_match(got: float | None, gold: float | None, scale: str) -> bool:
    if got is None or gold is None:
        return False
    want = gold * SCALES.get(scale, 1.0)
    candidates = [got, got / SCALES.get(scale, 1.0)]  # "24 billion" or a bare "24"
    return any(abs(c - want) <= 0.005 * max(abs(want), 1e-9) for c in candidates)


def score(report: dict, gold: dict) -> dict:
    per: dict[str, dict] = {}
    for r in report["results"]:
        g = gold[r["id"]]
        s = per.setdefault(g["type"], {"n": 0, "acc": 0.0, "em": 0.0, "f1": 0.0, "derived": 0})
        s["n"] += 1
        s["acc"] += bool(r["scores"]["correct"])
        if g["type"] == "span":
            s["em"] += r["scores"]["exact_match"]
            s["f1"] += r["scores"]["f1"]
        else:
            hit = number_match(number_given(r["answer"]), g["number"], g["scale"])
            s["em"] += hit
            s["f1"] += hit
        s["derived"] += bool(r["answer"] and r["answer"].get("kind") == "derived")
    total = {k: sum(s[k] for s in per.values()) for k in ("n", "acc", "em", "f1", "derived")}
    per["all"] = total
    return per


def table(per: dict) -> str:
    lines = [
        "| answer type | n | accuracy | EM | F1 | answered by a derivation |",
        "|---|---|---|---|---|---|",
    ]
    for name in (*TYPES, "all"):
        s = per.get(name)
        if not s:
            continue
        n = s["n"]
        lines.append(
            f"| {name} | {n} | {s['acc'] / n:.3f} | {100 * s['em'] / n:.1f} | "
            f"{100 * s['f1'] / n:.1f} | {s['derived']} |"
        )
    lines.append("| TAGOP, test set, all kinds (published) | | | ≈ 50 | ≈ 58 | |")
    lines.append("| people (published) | | | ≈ 84 | | |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=0, help="only the first N reports (0: all)")
    args = ap.parse_args()
    out = ROOT / "build" / "tatqa"
    corpus, questions, gold = build(out, args.reports)
    index = out / "index"
    code, build_s = index_corpus(corpus, index)
    if code:
        return code
    code, report, eval_s = eval_report(questions, corpus, index, out / "report.json")
    if code:
        return code
    n = report["summary"]["questions"]
    docs = len(list(corpus.glob("*.txt")))
    per = score(report, gold)
    sample = f"the first {args.reports} reports" if args.reports else "every report"
    text = "\n".join(
        [
            "# cqqa on TAT-QA dev, paragraph-only questions",
            "",
            f"{n} questions over {docs} reports ({sample} with a text-only span, arithmetic or "
            f"count question), tables left out; index build {build_s:.0f} s, "
            f"{eval_s / n * 1000:.0f} ms a question. Generated by "
            "`python benchmarks/tatqa.py"
            + (f" --reports {args.reports}`." if args.reports else "`."),
            "",
            table(per),
            "",
            f"Retrieval: hit@1 {report['summary'].get('hit@1', 0):.3f}, hit@5 "
            f"{report['summary'].get('hit@5', 0):.3f}; declined "
            f"{report['summary'].get('false_abstentions', 0):.3f} of the questions "
            "(every one is answerable).",
        ]
    )
    print(text)
    (ROOT / "benchmarks" / "TATQA.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
