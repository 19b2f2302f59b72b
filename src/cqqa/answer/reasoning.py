"""Route a question with a reasoning shape to what works it out; None lets the reader answer."""

from __future__ import annotations

from collections.abc import Sequence

from ..index import Index
from ..question import Question
from ..records import Passage
from .derive import (
    Outcome,
    before_change,
    change,
    comparison,
    days_between,
    difference,
    mean,
    ratio,
    superlative,
    total,
)
from .operands import document_facts
from .polarity import yes_no
from .shapes import shape_of
from .summary import summarize
from .verify import gate

# Facts are looked for in the documents of the top passages: one document for "Was X larger
# than Y?" in a corpus of reports, since the comparison is within what one report states.
DOCUMENTS_SEARCHED = 1


def reason(
    index: Index,
    question: str,
    asked: Question,
    context: str,
    query: str,
    passages: Sequence[Passage],
    sentences: list,
) -> Outcome | None:
    outcome = _reason(index, question, asked, context, query, passages, sentences)
    if outcome is None:
        return None
    span, why = outcome
    if span is not None and not why:
        n = len(span.operands)
        why = f"{span.derivation} over {n} stated fact{'s' if n != 1 else ''}"
    return span, why


def _reason(
    index: Index,
    question: str,
    asked: Question,
    context: str,
    query: str,
    passages: Sequence[Passage],
    sentences: list,
) -> Outcome | None:
    shape = shape_of(question)
    if shape is None or not passages:
        return None
    docs = [p.doc for p in passages][: max(1, DOCUMENTS_SEARCHED)]
    if shape.kind == "summary":
        return summarize(index, passages[0].doc)
    pool = document_facts(index, docs)
    if shape.kind == "yesno":
        why = gate(index, asked, context, query, sentences)
        if why:
            return None, why
        return yes_no(index, shape.claim, question, sentences)
    if shape.kind == "comparison":
        why = gate(index, asked, context, query, sentences)
        if why and "never mention" in why:
            return None, why
        span, why = comparison(index, shape, pool, shape.sides)
        if span is None and shape.claim:  # not two dated events: check it as a statement
            return yes_no(index, shape.claim, question, sentences)
        return span, why
    if shape.kind == "superlative":
        return superlative(index, shape, pool)
    handlers = {
        "difference": lambda: difference(index, shape, pool),
        "sum": lambda: total(index, shape, pool),
        "ratio": lambda: ratio(index, shape, pool),
        "mean": lambda: mean(index, shape, pool),
        "change": lambda: change(index, shape, pool),
        "before": lambda: before_change(index, shape, question, pool),
        "days": lambda: days_between(index, shape, pool),
    }
    return handlers[shape.op]()
