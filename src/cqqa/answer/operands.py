"""Which stated fact a phrase of a question names ("the friendship exchange cities" -> 112 pairs).

A fact is named by the words of its unit, the words around it in its sentence and, in a
"A and B ... 52 and 112 respectively" sentence, the conjunct it pairs with. Rules about
English sentences, scored by shared word stems; no document is special.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..index import Index
from ..question import GENERIC
from ..records import Fact
from ..textutil import normalize_apostrophes, stem, words

# Words that say how to ask or what to do with the numbers, not which number.
OPERATION_WORDS = frozenset(
    "more fewer less larger bigger greater higher smaller lower than difference gap between "
    "total altogether combined sum plus together average mean per each every ratio before "
    "after rise increase growth jump gain drop fall decline decrease change compared compare "
    "largest biggest highest greatest smallest lowest least fewest most earliest latest first "
    "last figure figures happened happen came come days weeks months passed elapsed or "
    "value values amount article document mentioned given stated".split()
)
YEAR = re.compile(r"(?:19|20)\d\d")
# Below this many matched words a phrase names no fact at all.
MIN_MATCH = 1.0
# A phrase that quotes a fact's own text names it, whatever the words around it.
QUOTED = 3.0
# The noun after "how many" is what is counted: a fact with it as its unit gets this more.
COUNTED = 1.0
# A word of the phrase that names a fact's document (its title) when facts of several
# documents are compared: worth a word near the fact.
TITLED = 1.0
_WINDOW_BEFORE = 10  # words before a fact that describe it ("the number of routes ... to 108")
_WINDOW_AFTER = 6


def _unit_stems(fact: Fact) -> set[str]:
    return {stem(w) for w in words(fact.unit or "")}


def phrase_stems(phrase: str) -> list[str]:
    out = []
    for w in words(phrase):
        if w in GENERIC or w in OPERATION_WORDS or len(w) < 2:
            continue
        if w.isdigit() and not YEAR.fullmatch(w):
            continue  # a year names which fact ("in 2018"); other numbers are values
        out.append(stem(w))
    return list(dict.fromkeys(out))


def document_facts(index: Index, docs: Iterable[str]) -> list[Fact]:
    wanted = list(dict.fromkeys(docs))
    return [f for d in wanted for f in index.facts_for(d, 0, len(index.documents[d].text))]


def sentence_span(index: Index, fact: Fact) -> tuple[int, int]:
    import bisect

    starts, ids = index.sentences_by_doc().get(fact.doc, ([], []))
    at = bisect.bisect_right(starts, fact.start) - 1
    if at < 0:
        return fact.start, fact.end
    _doc, s, e = index.sentences[ids[at]]
    return (s, e) if fact.end <= e else (fact.start, fact.end)


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def _respectively(index: Index, fact: Fact, sentence: str, s_start: int) -> list[str]:
    """In "A and B ... 52 pairs and 112 pairs respectively", the conjunct this fact pairs with."""
    lower = normalize_apostrophes(sentence).lower()
    if "respectively" not in lower:
        return []
    facts = [f for f in index.facts_for(fact.doc, s_start, s_start + len(sentence))]
    same = [f for f in facts if f.kind == fact.kind]
    if len(same) < 2:
        return []
    first = same[0].start - s_start
    head = lower[:first]
    verb = re.search(
        r"\b(has|have|had|is|are|was|were|increased|rose|reached|grew|stood)\b[^,]*$", head
    )
    if verb:
        head = head[: verb.start()]
    parts = re.split(r"\band\b|,", head)
    if len(parts) < len(same):
        return []
    conjuncts = parts[-len(same) :]
    # The first conjunct reaches back only to its preposition or determiner.
    conjuncts[0] = re.split(r"\b(?:of|the|a|an|with|for)\b", conjuncts[0])[-1]
    # "pear and plum orchards": a one-word conjunct shares the last one's head noun.
    last = [w for w in words(conjuncts[-1]) if w not in GENERIC]
    for i, c in enumerate(conjuncts[:-1]):
        if len([w for w in words(c) if w not in GENERIC and w not in _DETERMINERS]) == 1:
            conjuncts[i] = f"{c} {' '.join(last[1:])}"
    at = [f.start for f in same].index(fact.start)
    return _stems(conjuncts[at])


_DETERMINERS = frozenset("its their his her our my".split())


def fact_score(index: Index, fact: Fact, wanted: Sequence[str]) -> float:
    """How well the phrase's stems name this fact."""
    if not wanted:
        return 0.0
    s, e = sentence_span(index, fact)
    text = index.documents[fact.doc].text
    sentence = text[s:e]
    before = _stems(text[s : fact.start])[-_WINDOW_BEFORE:]
    after = _stems(text[fact.end : e])[:_WINDOW_AFTER]
    unit = set(_stems(fact.unit or ""))
    conj = _respectively(index, fact, sentence, s)
    near = set(before) | set(after)
    whole = set(_stems(sentence))
    score = 0.0
    for w in wanted:
        if conj:
            # the counted noun ("pairs") is each item's as well, though it tells no item apart
            if w in conj:
                score += 2.0
            elif w in unit:
                score += 1.0
            elif w in whole and w not in near:
                score += 0.3
            continue
        if w in unit:
            score += 2.0
        elif w in near:
            score += 1.0
        elif w in whole:
            score += 0.5
    if conj and _contiguous(wanted, conj):
        score += 1.0
    return score


def _contiguous(wanted: Sequence[str], stems: Sequence[str]) -> bool:
    n = len(wanted)
    return n > 1 and any(list(stems[i : i + n]) == list(wanted) for i in range(len(stems) - n + 1))


def _counted_noun(said: str) -> list[str]:
    """The stems of what 'the number of X' or 'how many X' counts, up to the first word that
    is not part of it ('the number of international routes from ...' -> intern, rout)."""
    m = re.search(
        r"\b(?:how many|(?:number|count) of)\s+(?:the\s+)?((?:[a-z][\w-]*\s*){1,3})", said
    )
    if not m:
        return []
    out = []
    for w in m.group(1).split():
        if w in GENERIC or w in OPERATION_WORDS:
            break
        out.append(stem(w))
    return out


def _breadth(index: Index, fact: Fact, wanted: Sequence[str]) -> int:
    return sum(1 for w in wanted if fact_score(index, fact, [w]) > 0)


def title_stems(index: Index, docs: Iterable[str]) -> dict[str, set[str]]:
    """Each document's title words that tell it from the others ('acme' of 'Acme Annual
    Report' beside 'Beta Annual Report'); empty for one document."""
    docs = list(dict.fromkeys(docs))
    if len(docs) < 2:
        return {}
    stems = {d: set(phrase_stems(index.documents[d].title.lower())) for d in docs}
    shared = set.intersection(*stems.values())
    return {d: s - shared for d, s in stems.items()}


def _title_words(index: Index, pool: Sequence[Fact]) -> dict[str, set[str]]:
    return title_stems(index, (f.doc for f in pool))


def best_fact(
    index: Index, phrase: str, pool: Sequence[Fact], kinds: Sequence[str] = (), exclude=()
) -> tuple[Fact | None, float]:
    """The fact of `pool` the phrase names best, or None when it names none well enough."""
    wanted = phrase_stems(phrase)
    said = " ".join(words(phrase))
    m = re.search(r"\bhow many ([a-z][\w-]*)", said)
    counted = stem(m.group(1)) if m and m.group(1) not in GENERIC else ""
    named = _counted_noun(said)
    titled = _title_words(index, pool)
    best, best_score = None, 0.0
    for fact in pool:
        if kinds and fact.kind not in kinds:
            continue
        if any(fact.start == x.start and fact.doc == x.doc for x in exclude):
            continue
        if (
            fact.kind == "count"
            and named
            and not any(
                w in _unit_stems(fact) or fact_score(index, fact, [w]) >= 1.0 for w in named
            )
        ):
            continue  # "the number of passengers": not the routes counted near "airport"
        score = fact_score(index, fact, wanted)
        if titled:  # facts of several documents: "Acme's revenue" is the one in Acme's report
            score += TITLED * len(set(wanted) & titled.get(fact.doc, set()))
        if counted and counted in _unit_stems(fact):
            score += COUNTED  # "how many hectares": a figure counted in hectares
        if re.search(rf"(?<!\w){re.escape(' '.join(words(fact.text)))}(?!\w)", said):
            score += QUOTED  # the phrase quotes the fact itself: "between June 23 and July 12"
        if score > best_score or (
            best is not None
            and score == best_score
            and _breadth(index, fact, wanted) > _breadth(index, best, wanted)
        ):  # a tie goes to the fact more of the phrase's words name
            best, best_score = fact, score
    if best_score < MIN_MATCH:
        return None, best_score
    return best, best_score
