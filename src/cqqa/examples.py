"""Example questions for the chat, from the corpus side, never from code.

A corpus may carry its own in `examples.json` (a JSON list of questions) beside its
documents; otherwise they are made from the index's facts, one per kind, so that every
corpus shows questions it can answer.
"""

from __future__ import annotations

import json
from pathlib import Path

from .index import Index

EXAMPLES_FILE = "examples.json"
MAX_EXAMPLES = 4
_TEMPLATES = {
    "count": "How many {unit} are mentioned?",
    "money": "How much money is involved{where}?",
    "percent": "By what percentage did it change{where}?",
    "date": "When did it happen{where}?",
    "ordinal": "Which {unit} is it?",
}


def example_questions(index: Index, corpus_dir: Path) -> list[str]:
    """Up to four questions: the corpus's own file, else one per fact kind."""
    try:
        given = json.loads((Path(corpus_dir) / EXAMPLES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        given = None
    if isinstance(given, list):
        own = [q.strip() for q in given if isinstance(q, str) and q.strip()]
        if own:
            return own[:MAX_EXAMPLES]
    out: list[str] = []
    for kind, template in _TEMPLATES.items():
        needs_unit = kind in ("count", "ordinal")
        fact = next((f for f in index.facts if f.kind == kind and (f.unit or not needs_unit)), None)
        if fact is None:
            continue
        where = f" in {index.documents[fact.doc].title}" if len(index.documents) > 1 else ""
        out.append(template.format(unit=fact.unit, where=where))
    return out[:MAX_EXAMPLES] or ["What are the main points?"]


# How a decline begins in the question's language (issue 12: a Chinese question is told
# in Chinese); languages without an entry get the English text.
NOT_FOUND = {"zh": ("文中没有提到", "文档中没有提到")}


def not_found(index: Index, lang: str = "en") -> str:
    """How a decline begins: one article, or several documents."""
    one, several = NOT_FOUND.get(lang, ("Not in the article", "Not in the documents"))
    return one if len(index.documents) == 1 else several
