"""Route a question with a reasoning shape to what works it out; None lets the reader answer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index import Index
from ..question import Question, is_followup
from ..records import Passage
from ..textutil import normalize_apostrophes, stem
from .derive import (
    Outcome,
    before_change,
    change,
    choose,
    comparison,
    days_between,
    difference,
    increase,
    mean,
    monthly,
    ordinal_before,
    ratio,
    superlative,
    times,
    total,
)
from .listing import count_listed
from .operands import document_facts, phrase_stems, title_stems
from .polarity import which_holds, yes_no
from .shapes import REFERRING, Shape, shape_of
from .summary import summarize, summarize_topic
from .verify import gate

# Facts are looked for in the documents of the top passages: one document for "Was X larger
# than Y?" in a corpus of reports, since the comparison is within what one report states.
DOCUMENTS_SEARCHED = 1
# ...unless the question names two documents by their titles ("Acme's revenue", "Beta's"):
# titles this short, whose words are names, not a first paragraph.
MAX_TITLE_WORDS = 8


def reason(
    index: Index,
    question: str,
    asked: Question,
    context: str,
    query: str,
    passages: Sequence[Passage],
    sentences: list,
    history: Sequence[str] = (),
) -> Outcome | None:
    outcome = _reason(index, question, asked, context, query, passages, sentences, history)
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
    history: Sequence[str] = (),
) -> Outcome | None:
    shape = shape_of(question)
    if shape is None or not passages:
        return None
    shape = _refer_back(shape, question, history)
    if shape is None:
        return None
    docs = [p.doc for p in passages][: max(1, DOCUMENTS_SEARCHED)]
    if shape.kind in ("comparison", "arithmetic"):
        named = _documents_named(index, shape, question, passages)
        if named:
            docs = named
            shape = _gapped(index, shape, docs)
    if shape.kind == "summary":
        topic = shape.sides[0] if shape.sides else ""
        if topic:
            found = summarize_topic(index, topic, sentences)
            if found[0] is not None:
                return found
        return summarize(index, passages[0].doc)
    pool = document_facts(index, docs)
    if shape.kind == "yesno":
        why = gate(index, asked, context, query, sentences)
        if why:
            return None, why
        return yes_no(index, shape.claim, question, sentences)
    if shape.kind == "comparison" and shape.op == "holds":  # an option may be named nowhere
        return which_holds(index, shape.sides, shape.claim, question, sentences)
    if shape.kind == "comparison" and shape.op == "relate":
        return choose(index, shape, pool)
    if (
        shape.kind == "comparison"
        and len(shape.sides) > 2
        or (shape.kind == "comparison" and not shape.polar and shape.op in ("greater", "less"))
    ):
        why = gate(index, asked, context, query, sentences)
        if why and "never mention" in why:
            return None, why
        return choose(index, shape, pool)
    if shape.kind == "comparison":
        why = gate(index, asked, context, query, sentences)
        if why and "never mention" in why:
            return None, why
        span, why = comparison(index, shape, pool, shape.sides)
        if (
            span is None and shape.claim and shape.polar
        ):  # not two dated events: check it as a statement
            return yes_no(index, shape.claim, question, sentences, relation=_ORDER_WORDS)
        return span, why
    if shape.kind == "superlative":
        return superlative(index, shape, pool)
    handlers = {
        "difference": lambda: difference(index, shape, pool),
        "sum": lambda: total(index, shape, pool),
        "ratio": lambda: ratio(index, shape, pool),
        "mean": lambda: mean(index, shape, pool),
        "change": lambda: change(index, shape, pool),
        "before": lambda: before_change(index, shape, shape.sides[0], pool),
        "days": lambda: days_between(index, shape, pool),
        "times": lambda: times(index, shape, pool),
        "increase": lambda: increase(index, shape, shape.sides[0], pool),
        "monthly": lambda: monthly(index, shape, pool),
        "ordinal_before": lambda: ordinal_before(index, shape, pool),
        "listed": lambda: count_listed(index, shape.sides[0], sentences, question),
    }
    return handlers[shape.op]()


def _documents_named(
    index: Index, shape: Shape, question: str, passages: Sequence[Passage]
) -> list[str]:
    """'Was Acme's revenue larger than Beta's?' across two reports: when the sides name two
    retrieved documents by their titles, the facts of both are compared; [] otherwise."""
    sides = list(shape.sides)
    if len(sides) == 1:  # "the difference between Acme's revenue and Beta's"
        sides = re.split(r"\band\b|\bto\b", sides[0])
    titles = title_stems(index, (p.doc for p in passages))
    # a document is named by a name: a title word the question writes with a capital, not
    # its first word, in a short title ("Acme" of "Acme Annual Report")
    names = {
        stem(w.lower().removesuffix("'s"))
        for w in re.findall(r"(?<=\s)[A-Z][\w'-]*", normalize_apostrophes(question))
    }
    titles = {
        d: t & names
        for d, t in titles.items()
        if len(index.documents[d].title.split()) <= MAX_TITLE_WORDS
    }
    if len(sides) < 2 or not any(titles.values()):
        return []
    each = [{d for d, t in titles.items() if t & set(phrase_stems(side.lower()))} for side in sides]
    if len(each) == 2:  # "acme employ beta" beside "acme employ people": Beta is the second
        for i in (0, 1):
            if len(each[i]) > 1 and len(each[1 - i]) == 1:
                each[i] = each[i] - each[1 - i]
    named = list(dict.fromkeys(next(iter(e)) for e in each if len(e) == 1))
    return named if len(named) >= 2 else []


def _gapped(index: Index, shape: Shape, docs: Sequence[str]) -> Shape:
    """'How many more people did Acme employ than Beta?': a side that only names a document
    ('Beta') means the other side's words of that document."""
    from dataclasses import replace

    titles = title_stems(index, docs)
    if len(shape.sides) != 2 or not titles:
        return shape
    every = set().union(*titles.values())
    sides = list(shape.sides)
    stems = [set(phrase_stems(side.lower())) for side in sides]
    for i in (0, 1):
        # "Did Acme employ more people than Beta?" is read as ('acme employ people', 'acme
        # employ beta'): a side naming two documents loses the one the other side names
        theirs = stems[1 - i] & every
        if len([d for d, t in titles.items() if t & stems[i]]) > 1 and theirs:
            sides[i] = " ".join(
                w for w in sides[i].split() if not set(phrase_stems(w.lower())) & theirs
            )
    stems = [set(phrase_stems(side.lower())) for side in sides]
    for i in (0, 1):
        other = 1 - i
        if stems[i] and stems[i] <= every and stems[other] - every:
            kept = [
                w
                for w in re.findall(r"[\w'-]+", sides[other].lower())
                if not set(phrase_stems(w)) & every
            ]
            sides[i] = f"{' '.join(kept)} {sides[i]}"
    return replace(shape, sides=tuple(sides)) if sides != list(shape.sides) else shape


# Words by which a sentence puts two events in order.
_ORDER_WORDS = frozenset("before after earlier later prior then followed preceded since".split())

# Shapes whose sides are whole questions: a reference back ("it", "that") adds the turn before.
_WHOLE = ("before", "increase", "monthly", "ordinal_before")


def _refer_back(shape: Shape, question: str, history: Sequence[str]) -> Shape | None:
    """A side that only points back ("that", "it") or is left out ("And per country?") names
    what the turn before asked about; with no turn before, the shape has nothing to work on."""
    from dataclasses import replace

    sides = list(shape.sides)
    pointing = [i for i, side in enumerate(sides) if _points_back(side)]
    if history and shape.kind == "comparison" and not pointing:
        # "Did it open before the train left?": a pronoun with its verb names what the turn
        # before asked about, doing that ("it open" -> "... consulate ... open")
        for i, side in enumerate(sides):
            m = _PRONOUN_DOING.match(side)
            if m:
                sides[i] = f"{history[-1]} {m.group(1)}"
                shown = tuple(m.group(0) if j == i else s for j, s in enumerate(shape.sides))
                return replace(shape, sides=tuple(sides), shown=shown)
    if shape.op in _WHOLE:
        if history and (_REFERS_BACK.search(sides[0].lower()) or is_followup(question)):
            # the turn before, and the one before it when that one leans back too ("And how
            # fast did it grow?" after "What was the trade value ...?")
            turns = [history[-1]]
            if len(history) >= 2 and (
                _REFERS_BACK.search(history[-1].lower()) or is_followup(history[-1])
            ):
                turns.insert(0, history[-2])
            sides[0] = " ".join([sides[0], *turns])
        return replace(shape, sides=tuple(sides))
    if shape.kind not in ("arithmetic", "comparison") or not pointing:
        return shape
    if not history:
        return None
    own = [side for i, side in enumerate(sides) if i not in pointing]
    said_before = {w for turn in history[-2:] for w in phrase_stems(turn)}
    if shape.op in ("difference", "times", "days") and len(pointing) == 2:  # "The ratio?"
        if len(history) < 2:
            return None
        return replace(shape, sides=(history[-2], history[-1]), claim="unordered")
    if shape.op == "sum" and (
        len(pointing) == 2 or (len(history) >= 2 and set(phrase_stems(own[0])) <= said_before)
    ):  # "And in total?", "How many pairs is that in total?": the last two turns
        if len(history) < 2:
            return None
        sides = [history[-2], history[-1]]
    else:
        for i in pointing:
            sides[i] = history[-1]
    shown = tuple(side if i not in pointing else "that" for i, side in enumerate(sides))
    return replace(shape, sides=tuple(sides), shown=shown)


_REFERS_BACK = re.compile(r"\b(?:it|that|this|they|them|its)\b")

# A pronoun and a few words of what it did: "it open", "they arrive in June".
_PRONOUN_DOING = re.compile(r"^\s*(?:it|they|he|she|this|that)\s+((?:[a-z][\w'-]*\s*){1,3})$", re.I)

# Words around a pronoun that leave it a pronoun: "there ... of them", "it have", "so is it".
_AROUND = re.compile(
    r"\b(?:there|of|so|have|has|had|do|does|did|is|are|was|were|be|been|got|get)\b"
)


def _points_back(side: str) -> bool:
    side = side.lower()
    if not re.sub(r"[^a-z0-9]", "", side) or REFERRING.match(side):
        return True
    bare = re.sub(r"\s+", " ", _AROUND.sub(" ", side)).strip()
    return bool(bare) and bool(REFERRING.match(bare))
