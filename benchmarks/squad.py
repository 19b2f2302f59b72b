"""`make squad`: cqqa over SQuAD 2.0 articles it was never trained or tuned on.

    .venv/bin/python benchmarks/squad.py                 # held-out articles (train/split.json)
    .venv/bin/python benchmarks/squad.py --split calibration
    .venv/bin/python benchmarks/squad.py --split all     # all 16 articles in one corpus
    .venv/bin/python benchmarks/squad.py --split trained # the 9 the reader was trained on

For the chosen articles it writes, under build/squad/<split>/:
- corpus/<title>.txt, one document per article: its title on the first line, then its
  paragraphs separated by blank lines;
- all.jsonl and numeric.jsonl, the questions in cqqa's question-file format (eval/README.md):
  answers are SQuAD's gold answers, evidence the gold answer's sentence, unanswerable
  questions have no answers; numeric.jsonl keeps the numeric-type ones (how many / when / what
  year / how much / what percentage, or a number in a gold answer);
then runs the real `cqqa index` and `cqqa eval --json` on them and prints (and writes to
benchmarks/SQUAD-<split>.md) the overall and per-type tables. The corpus is every article of
the split together, so retrieval has to find the paragraph first: harder than SQuAD's own
setting, where the gold paragraph is given.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "qa" / "squad2-dev-16-articles.json"
SPLIT = json.loads((ROOT / "train" / "split.json").read_text(encoding="utf-8"))
# The numeric-type subset as ../shared/data/qa/README.md defines it.
NUMERIC_QUESTION = re.compile(r"\b(how many|how much|when|what year|what percentage)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def question_type(question: str, answers: list[str]) -> str:
    """The cqqa question-file type of a SQuAD question, from its words and gold answers."""
    q = question.lower()
    if not answers:
        return "unanswerable"
    if re.search(r"\b(what|which) percent(age)?\b|\bpercent\b", q) or any(
        "%" in a for a in answers
    ):
        return "percent"
    if re.search(r"\bwhen\b|\b(what|which|in what) (year|date|day|month|century)\b", q):
        return "date"
    if re.search(r"\bhow much\b", q) and any(re.search(r"[$£€¥]|dollar|pound", a) for a in answers):
        return "money"
    if re.search(r"\bhow (many|much)\b", q) or any(re.search(r"\d", a) for a in answers):
        return "count"
    if re.search(r"\b(why|how)\b", q):
        return "description"
    return "entity"


def is_numeric(question: str, answers: list[str]) -> bool:
    return bool(NUMERIC_QUESTION.search(question)) or any(re.search(r"\d", a) for a in answers)


def sentence_at(context: str, at: int) -> str:
    """The sentence of `context` that holds character `at` (the gold answer's evidence)."""
    start = 0
    for m in _SENTENCE_END.finditer(context):
        if m.start() >= at:
            return context[start : m.start()]
        start = m.end()
    return context[start:]


def build(titles: list[str], out: Path) -> tuple[Path, Path, Path]:
    data = json.loads(DATA.read_text(encoding="utf-8"))["data"]
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    rows: list[dict] = []
    for article in data:
        title = article["title"]
        if title not in titles:
            continue
        paragraphs = [p["context"].strip() for p in article["paragraphs"]]
        text = title.replace("_", " ") + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (corpus / f"{title}.txt").write_text(text, encoding="utf-8")
        for para in article["paragraphs"]:
            ctx = para["context"].strip()
            for qa in para["qas"]:
                golds = [] if qa.get("is_impossible") else qa["answers"]
                answers = list(dict.fromkeys(a["text"].strip().lower() for a in golds))
                evidence = None
                if golds:
                    first = golds[0]
                    at = ctx.find(first["text"], max(0, first["answer_start"] - 20))
                    evidence = sentence_at(ctx, at if at >= 0 else first["answer_start"])
                    if first["text"] not in evidence:
                        evidence = ctx  # an answer across a sentence break: the paragraph
                rows.append(
                    {
                        "id": qa["id"],
                        "question": " ".join(qa["question"].split()) or "?",
                        "answers": answers,
                        "evidence": evidence,
                        "type": question_type(qa["question"], answers),
                        "style": "squad",
                        "history": [],
                        "numeric": is_numeric(qa["question"], [a["text"] for a in golds]),
                    }
                )
    every, numeric = out / "all.jsonl", out / "numeric.jsonl"
    with open(every, "w", encoding="utf-8") as a, open(numeric, "w", encoding="utf-8") as n:
        for row in rows:
            keep = row.pop("numeric")
            line = json.dumps(row, ensure_ascii=False) + "\n"
            a.write(line)
            if keep:
                n.write(line)
    return corpus, every, numeric


def cqqa(*args: str) -> subprocess.CompletedProcess:
    """The real `cqqa` command, this checkout's code (benchmarks/tatqa.py uses it too)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-m", "cqqa", *args], capture_output=True, text=True, env=env, check=False
    )


def eval_report(questions: Path, corpus: Path, index: Path, save: Path) -> tuple[int, dict, float]:
    """`cqqa eval --json` on a question file: its exit code (stderr printed on failure), the
    report (also saved to `save`; empty on failure) and the seconds it took."""
    t0 = time.time()
    run = cqqa("eval", str(questions), "--corpus", str(corpus), "--index", str(index), "--json")
    if run.returncode:
        print(run.stderr, file=sys.stderr)
        return run.returncode, {}, time.time() - t0
    save.write_text(run.stdout, encoding="utf-8")
    return 0, json.loads(run.stdout), time.time() - t0


def index_corpus(corpus: Path, index: Path) -> tuple[int, float]:
    """`cqqa index` on a corpus: its exit code (stderr printed on failure) and seconds."""
    t0 = time.time()
    built = cqqa("index", "--corpus", str(corpus), "--index", str(index))
    if built.returncode:
        print(built.stderr, file=sys.stderr)
    return built.returncode, time.time() - t0


def table(name: str, report: dict) -> str:
    rows = [("all", report["summary"])] + sorted(report["by_type"].items())
    cols = (
        "questions",
        "answer_accuracy",
        "f1",
        "exact_match",
        "false_abstentions",
        "abstention_recall",
        "hit@1",
        "hit@5",
    )
    head = "| " + name + " | n | answer acc | F1 | EM | false abst | abst recall | hit@1 | hit@5 |"
    lines = [head, "|---" * (len(cols) + 1) + "|"]
    for label, s in rows:
        cells = []
        for c in cols:
            v = s.get(c)
            cells.append("–" if v is None else str(v) if c == "questions" else f"{v:.3f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--split", choices=("held_out", "calibration", "trained", "all"), default="held_out"
    )
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions of each file")
    args = ap.parse_args()
    data = json.loads(DATA.read_text(encoding="utf-8"))["data"]
    every_title = [a["title"] for a in data]
    if args.split == "all":
        titles = every_title
    elif args.split == "trained":
        # The reader's answers are better than on unseen articles (it was trained on these);
        # what a rule about questions declines or lets through can still be read here.
        kept = set(SPLIT["held_out"]) | set(SPLIT["calibration"])
        titles = [t for t in every_title if t not in kept]
    else:
        titles = SPLIT[args.split]
    out = ROOT / "build" / "squad" / args.split
    corpus, every, numeric = build(titles, out)
    index = out / "index"
    code, build_s = index_corpus(corpus, index)
    if code:
        return code
    sections = [
        f"# cqqa on SQuAD 2.0 dev articles: {args.split}",
        "",
        f"Articles ({len(titles)}): {', '.join(titles)}. Index build {build_s:.0f} s.",
        "Reader trained without them (train/split.json); generated by "
        f"`python benchmarks/squad.py --split {args.split}`.",
        "",
    ]
    for name, path in (("numeric-type", numeric), ("all questions", every)):
        if args.limit:
            lines = path.read_text(encoding="utf-8").splitlines()[: args.limit]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, report, seconds = eval_report(path, corpus, index, out / f"{path.stem}-report.json")
        if code:
            return code
        n = report["summary"]["questions"]
        sections += [
            f"## {name} ({n} questions, {seconds / n * 1000:.0f} ms each)",
            "",
            table(name, report),
            "",
        ]
    text = "\n".join(sections)
    print(text)
    (ROOT / "benchmarks" / f"SQUAD-{args.split}.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
