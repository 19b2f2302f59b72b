"""Score retrieval and answers on a question file (JSON Lines; format in eval/README.md)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import InputError
from .index import Index
from .question import clean_question
from .records import FACT_KINDS, Answer
from .textutil import normalize_apostrophes, squad_normalize, token_f1

FIELDS = {"id": str, "question": str, "answers": list, "type": str, "style": str}
NUMERIC_KINDS = FACT_KINDS  # a numeric question expects a fact of one of these kinds
MAX_NUMERIC_ANSWER = 80
# Question types that need a step of reasoning over the facts (eval/reasoning.jsonl).
REASONING_TYPES = ("yesno", "comparison", "arithmetic", "superlative", "summary")
POLAR_ANSWERS = frozenset({"yes", "no"})
KS = (1, 3, 5)


def load_questions(path: str | Path) -> list[dict[str, Any]]:
    """Read and check a question file; a bad line is reported with its number.

    A UTF-8 byte order mark at the start is accepted; a line nested too deeply for the
    JSON parser and text with lone surrogates (`"\\ud800"`, which no output can encode)
    are refused with their line number."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read the question file {path}: {exc}") from None
    questions = []
    seen: set[str] = set()
    surrogate = re.compile("[\ud800-\udfff]")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except ValueError:
            raise InputError(f"{where} is not valid JSON.") from None
        except RecursionError:
            raise InputError(
                f"{where} is nested too deeply to read; a question is one flat JSON object "
                "(see eval/README.md)."
            ) from None
        if not isinstance(item, dict):
            raise InputError(f"{where} must be a JSON object (see eval/README.md).")
        for name, value in item.items():
            texts = value if isinstance(value, list) else [value]
            if any(isinstance(t, str) and surrogate.search(t) for t in [name, *texts]):
                raise InputError(
                    f"{where}: {name} holds a lone surrogate (an escape like \\ud800 that is "
                    "not a character); write the text itself in UTF-8."
                )
        for name, kind in FIELDS.items():
            if not isinstance(item.get(name), kind):
                raise InputError(f"{where} needs a {kind.__name__} field {name!r}.")
        if item.get("evidence") is not None and not isinstance(item["evidence"], str):
            raise InputError(f"{where}: evidence must be a string or null.")
        for name in ("answers", "history"):
            value = item.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(f"{where}: {name} must be a list of strings.")
        if item["id"] in seen:
            raise InputError(f"{where}: duplicate id {item['id']!r}; ids must be unique.")
        seen.add(item["id"])
        try:  # an unusable question is reported with its line, not halfway through the run
            clean_question(item["question"])
        except InputError as exc:
            raise InputError(f"{where}: {exc}") from None
        item.setdefault("evidence", None)
        item.setdefault("history", [])
        if not isinstance(item.setdefault("lang", "en"), str):
            raise InputError(f'{where}: lang must be a language code such as "zh".')
        questions.append(item)
    if not questions:
        raise InputError(f"{path} holds no questions.")
    return questions


def normalize_answer(text: str) -> str:
    text = normalize_apostrophes(text).lower()
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    return " ".join(text.split())


def answer_correct(result: Answer, answers: Iterable[str], expected_type: str = "") -> bool:
    """The answer contains an expected one; a numeric question needs a short answer.

    Whether the question is numeric is the question file's `type`, not the kind the answer
    happens to have: a whole sentence is not an answer to "when?".
    """
    if result.answer is None:
        return False
    got = normalize_answer(result.answer.text)
    numeric = expected_type in NUMERIC_KINDS or (
        not expected_type and result.answer.kind in NUMERIC_KINDS
    )
    if numeric and len(got) > MAX_NUMERIC_ANSWER:
        return False
    expected = {normalize_answer(a) for a in answers}
    if expected and expected <= POLAR_ANSWERS:
        # "no" is inside "not" and "known": a yes/no answer is judged by its first word.
        first = re.match(r"[a-z]+", got)
        return bool(first) and first.group(0) in expected
    return any(normalize_answer(a) in got for a in answers)


def answer_f1(result: Answer, answers: list[str]) -> tuple[float, float]:
    """SQuAD's token F1 and exact match against the best expected answer.

    An unanswerable question scores 1 when cqqa declines and 0 when it answers, as in
    SQuAD 2.0; an answerable one scores 0 when it declines.
    """
    if not answers:
        return (1.0, 1.0) if result.answer is None else (0.0, 0.0)
    if result.answer is None:
        return 0.0, 0.0
    got = result.answer.text
    f1 = max(token_f1(got, a) for a in answers)
    exact = float(any(squad_normalize(got) == squad_normalize(a) for a in answers))
    return f1, exact


def evidence_rank(item: dict[str, Any], result: Answer, index: Index) -> int | None:
    """1-based rank of the first passage covering at least half of the evidence."""
    evidence = item.get("evidence")
    if not evidence:
        return None
    for passage in result.passages:
        text = index.documents[passage.doc].text
        at = text.find(evidence)
        while at != -1:
            overlap = min(at + len(evidence), passage.end) - max(at, passage.start)
            if overlap * 2 >= len(evidence):
                return passage.rank
            at = text.find(evidence, at + 1)
    return None


def evaluate(index: Index, questions: list[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    from .assistant import Assistant

    assistant = Assistant(settings, index)
    results = []
    for item in questions:
        # Deep enough for hit@5 whatever k is; the record keeps the first k passages.
        result = assistant.ask(
            item["question"], item.get("history") or [], k=max(settings.k, max(KS))
        )
        answerable = bool(item["answers"])
        rank = evidence_rank(item, result, index)
        f1, exact = answer_f1(result, item["answers"])
        record = result.to_dict()
        record["passages"] = record["passages"][: settings.k]
        record.update(
            id=item["id"],
            type=item["type"],
            style=item["style"],
            lang=item.get("lang") or "en",
            answerable=answerable,
            expected=item["answers"],
            evidence=item.get("evidence"),
            scores={
                "evidence_rank": rank,
                **{f"hit@{k}": bool(rank and rank <= k) for k in KS},
                "reciprocal_rank": 1.0 / rank if rank else 0.0,
                "correct": (
                    answer_correct(result, item["answers"], item["type"]) if answerable else None
                ),
                "abstained": result.abstained,
                "f1": round(f1, 4),
                "exact_match": exact,
            },
        )
        results.append(record)
    return {
        "file_questions": len(questions),
        "retriever": settings.retriever,
        "k": settings.k,
        "summary": _summarize(results),
        "by_type": _grouped(results, "type"),
        "by_style": _grouped(results, "style"),
        "by_lang": _grouped(results, "lang"),
        "results": results,
    }


def _summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    out: dict[str, Any] = {"questions": len(results), "answerable": len(answerable)}
    if answerable:
        for k in KS:
            out[f"hit@{k}"] = _mean(r["scores"][f"hit@{k}"] for r in answerable)
        out["mrr"] = _mean(r["scores"]["reciprocal_rank"] for r in answerable)
        out["answer_accuracy"] = _mean(r["scores"]["correct"] for r in answerable)
        out["false_abstentions"] = _mean(r["abstained"] for r in answerable)
        out["f1"] = _mean(r["scores"]["f1"] for r in answerable)
        out["exact_match"] = _mean(r["scores"]["exact_match"] for r in answerable)
    out["unanswerable"] = len(unanswerable)
    if unanswerable:
        out["abstention_recall"] = _mean(r["abstained"] for r in unanswerable)
    if results:  # SQuAD 2.0's own figure: a right decline counts 1
        out["squad2_f1"] = _mean(r["scores"]["f1"] for r in results)
    return out


def _grouped(results: list[dict[str, Any]], key: str) -> dict[str, Any]:
    groups: dict[str, list] = defaultdict(list)
    for r in results:
        groups[r[key]].append(r)
    return {name: _summarize(items) for name, items in sorted(groups.items())}


def _mean(values: Iterable[Any]) -> float:
    values = [float(bool(v)) if not isinstance(v, float) else v for v in values]
    return round(sum(values) / len(values), 4) if values else 0.0


COLUMNS = (
    "questions",
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "answer_accuracy",
    "f1",
    "false_abstentions",
    "abstention_recall",
)
HEADERS = ("n", "hit@1", "hit@3", "hit@5", "MRR", "answer acc", "F1", "false abst", "abst recall")


def summary_table(report: dict[str, Any]) -> str:
    """Markdown tables: overall, by type, by style, by language."""
    lines = [f"retriever: {report['retriever']}", ""]
    sections = [
        ("overall", {"all": report["summary"]}),
        ("type", report["by_type"]),
        ("style", report["by_style"]),
        ("lang", report.get("by_lang", {})),
    ]
    for title, groups in sections:
        lines.append(f"| {title} | " + " | ".join(HEADERS) + " |")
        lines.append("|---" * (len(HEADERS) + 1) + "|")
        for name, s in groups.items():
            cells = []
            for column in COLUMNS:
                value = s.get(column)
                cells.append(
                    "–"
                    if value is None
                    else str(value)
                    if column == "questions"
                    else f"{value:.3f}"
                )
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines).rstrip()
