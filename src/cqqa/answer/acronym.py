"""What an abbreviation stands for, where the documents define it: "Regional Comprehensive
Economic Partnership Agreement (RCEP)" answers "What does RCEP stand for?", "rcep full name"
and "What is the abbreviation of the Regional Comprehensive Economic Partnership?".

A rule about how English writes a definition: the capitalised words before a parenthesised
abbreviation whose first letters spell it. Nothing is guessed where no document defines it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..index import Index
from ..memo import PerIndex
from ..records import Passage
from ..textutil import normalize_apostrophes
from .extract import span_at

# The question asks what letters stand for, or for the letters of a name.
_ASKS_EXPANSION = re.compile(
    r"\b(full (?:name|form|title)|stands? for|short for|spelled out|expand(?:ed)? [A-Za-z]{2,9}\W*$"
    r"|expansion of [A-Za-z]{2,9}\b|what does \w+ mean|meaning of)",
    re.I,
)
_ASKS_ABBREVIATION = re.compile(r"\b(abbreviat\w*|acronym|short (?:name|form))\b", re.I)
_DEFINED = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")
_JOINERS = frozenset("of and for the on in to &".split())
# A definition may end with one word its letters leave out ("... Partnership Agreement
# (RCEP)"): no more.
EXTRA_WORDS = 1


def abbreviation(index: Index, question: str, passages: Sequence[Passage]):
    """(span, why) when the question asks what a defined abbreviation stands for (or the
    abbreviation of a defined name), else None."""
    text = normalize_apostrophes(question)
    expansion, abbreviating = _ASKS_EXPANSION.search(text), _ASKS_ABBREVIATION.search(text)
    if not expansion and not abbreviating:
        return None
    asked_words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    first = {p.doc: i for i, p in reversed(list(enumerate(passages)))}
    defined = sorted(_DEFINITIONS(index), key=lambda d: first.get(d.doc, len(first)))
    for d in defined:  # the retrieved documents' definitions first
        if d.letters.lower() in asked_words:
            span = span_at(index, d.doc, d.start, d.end, "entity")
            return span, f"the documents write {d.letters} for {span.text}"
        if abbreviating and d.words and d.words <= asked_words:
            name = index.documents[d.doc].text[d.start : d.end]
            span = span_at(index, d.doc, d.at, d.at + len(d.letters), "entity")
            return span, f"the documents write {d.letters} for {name}"
    return None


@dataclass(frozen=True)
class _Defined:
    doc: str
    letters: str  # "RCEP"
    at: int  # where the letters are written
    start: int  # the name they stand for
    end: int
    words: frozenset[str]  # the name's words, joiners left out


def _definitions(index: Index) -> list[_Defined]:
    """Every 'Capitalised Words (ABBR)' of the corpus, read once per index."""
    out = []
    for doc, document in index.documents.items():
        body = document.text
        for m in _DEFINED.finditer(body):
            found = _definition(body, m.start(), m.group(1))
            if found is not None:
                name = body[found[0] : found[1]]
                name_words = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", name))
                out.append(_Defined(doc, m.group(1), m.start(1), *found, name_words - _JOINERS))
    return out


_DEFINITIONS: PerIndex[list[_Defined]] = PerIndex(_definitions)


def _definition(body: str, paren: int, letters: str) -> tuple[int, int] | None:
    """The offsets of the capitalised words before `paren` whose initials spell `letters`."""
    tokens = list(re.finditer(r"[A-Za-z][\w’'-]*|&", body[max(0, paren - 300) : paren]))
    offset = max(0, paren - 300)
    run: list[re.Match] = []
    for t in reversed(tokens):
        word = t.group(0)
        if word[0].isupper() or word.lower() in _JOINERS:
            run.insert(0, t)
            continue
        break
    if not run:
        return None
    wanted = letters.upper()
    for s in range(len(run)):
        if not run[s].group(0)[0].isupper():
            continue
        initials = "".join(t.group(0)[0] for t in run[s:] if t.group(0)[0].isupper())
        if initials.startswith(wanted) and len(initials) - len(wanted) <= EXTRA_WORDS:
            return offset + run[s].start(), offset + run[-1].end()
    return None
