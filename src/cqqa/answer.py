"""Question (+history) -> passages -> facts -> a short answer, or an honest abstention.

The answer is chosen by what the question asks for (how many, how much, when,
which...), what each fact measures, and how close its sentence is to the
question. Before answering, the question's constraints (years, months, names,
editions, what is counted) are checked against the supporting sentence: a near
miss that shares most of its words with the article is declined, not guessed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .index import Index
from .question import (
    GENERIC,
    NUMERIC_WANTS,
    Question,
    clean_question,
    is_followup,
    ordinal_value,
    parse,
)
from .records import Answer, AnswerSpan, Fact, Passage
from .retrieve import retrieve
from .textutil import normalize_apostrophes, stem, words

# Calibrated on eval/questions.jsonl (see README, "Calibration"): below this
# cosine between the question and its best sentence, nothing in the corpus is
# about the question.
MIN_SIMILARITY = 0.30
# A counted noun the article does not use ("harbours" for "ports") still
# matches a unit when their embeddings are at least this close.
UNIT_SIMILARITY = 0.55
# An unknown name in the question is forgiven only when the sentence is this close.
NAME_FORGIVEN_SIMILARITY = 0.75

_KINDS_FOR = {
    "count": ("count",),
    "money": ("money",),
    "percent": ("percent",),
    "date": ("date", "period"),
    "period": ("period", "date"),
    "year": ("year", "period", "date"),
    "ordinal": ("ordinal",),
}
_PHRASE = re.compile(
    r"(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\)|[A-Z]{2,})"
    r"(?:(?:\s+(?:of|for|on|in|and|de|the)\s+|\s*-\s*|\s+)(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\)))*"
)
_CONNECTOR = {"of", "for", "on", "in", "and", "de", "the"}
_HEAD = re.compile(
    r"\b(?:which|what)\s+(?:kind of\s+|type of\s+|sort of\s+|name of\s+)?((?:[\w'-]+\s+){0,3}?)"
    r"(?:is|are|was|were|did|does|do|has|have|had|will|can|could|would|got|gets)\b"
)


@dataclass(frozen=True)
class _Sentence:
    index: int
    doc: str
    start: int
    end: int
    text: str
    score: float
    similarity: float
    passage_rank: int


def answer(
    index: Index,
    question: str,
    history: Sequence[str] = (),
    k: int = 5,
    retriever: str = "hybrid",
    rrf_k: int = 60,
    max_chars: int = 2000,
) -> Answer:
    """Answer one question from the index; never raises for odd text, only for bad input."""
    question = clean_question(question, max_chars)
    history = tuple(_clean_history(history, max_chars))
    query, asked, context = _resolve(question, history)
    query = correct_typos(index, query)
    vector = index.encoder.encode([query])
    passages = retrieve(index, query, k=k, mode=retriever, rrf_k=rrf_k, vector=vector)
    facts = _facts_of(index, passages)
    span, reason = _choose(index, asked, context, vector[0], passages)
    return Answer(
        question=question,
        history=history,
        answer=span,
        abstained=span is None,
        passages=tuple(passages),
        facts=tuple(facts),
        query=query,
        reason=reason,
    )


# ------------------------------------------------------------ conversation


def _clean_history(history: Sequence[str], max_chars: int) -> list[str]:
    out = []
    for item in list(history)[-5:]:
        try:
            out.append(clean_question(item, max_chars))
        except Exception:  # noqa: BLE001 - an unusable earlier turn is simply left out
            continue
    return out


def _resolve(question: str, history: tuple[str, ...]) -> tuple[str, Question, str]:
    """The text to search for, the parsed question, and earlier text it may lean on."""
    asked = parse(question)
    if not history or not is_followup(question):
        return question, asked, ""
    # Walk back through follow-ups to the last self-contained question.
    earlier = []
    for previous in reversed(history):
        earlier.insert(0, previous)
        if not is_followup(previous):
            break
    context = " ".join(earlier)
    before = parse(earlier[-1] if len(earlier) == 1 else context)
    wants = asked.wants
    if wants in ("", "what") and not _head_words(question):
        wants = before.wants or wants
    target = asked.target or (before.target if wants == before.wants else ())
    asked = Question(
        text=question,
        wants=wants,
        target=target,
        years=asked.years,
        months=asked.months,
        ordinals=asked.ordinals,
        quarter=asked.quarter,
        terms=tuple(dict.fromkeys(asked.terms + before.terms)),
    )
    return f"{question} {context}", asked, context


def correct_typos(index: Index, text: str) -> str:
    """Replace words the corpus never uses by a corpus word one or two edits away."""
    vocabulary = _vocabulary(index)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if len(lower) < 4 or lower in vocabulary or not lower.isalpha():
            return word
        best = _closest(lower, vocabulary)
        return best if best else word

    return re.sub(r"[A-Za-z]+", fix, text)


def _vocabulary(index: Index) -> dict[str, int]:
    if "vocabulary" not in index._cache:
        counts: dict[str, int] = {}
        for document in index.documents.values():
            for w in re.findall(r"[a-z]+", normalize_apostrophes(document.text).lower()):
                counts[w] = counts.get(w, 0) + 1
        index._cache["vocabulary"] = counts
    return index._cache["vocabulary"]


def _closest(word: str, vocabulary: dict[str, int]) -> str | None:
    limit = 1 if len(word) <= 5 else 2
    by_length = _by_length(vocabulary)
    best, best_key = None, None
    for length in range(len(word) - limit, len(word) + limit + 1):
        for candidate in by_length.get(length, ()):
            if candidate[0] != word[0] and candidate[:2] != word[:2][::-1]:
                continue
            distance = _edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -vocabulary[candidate])
                if best_key is None or key < best_key:
                    best, best_key = candidate, key
    return best


_BY_LENGTH: dict[int, dict[int, list[str]]] = {}


def _by_length(vocabulary: dict[str, int]) -> dict[int, list[str]]:
    key = id(vocabulary)
    if key not in _BY_LENGTH:
        grouped: dict[int, list[str]] = {}
        for w in vocabulary:
            grouped.setdefault(len(w), []).append(w)
        _BY_LENGTH.clear()
        _BY_LENGTH[key] = grouped
    return _BY_LENGTH[key]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent transpositions), stopping early past `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# ------------------------------------------------------------ choosing


def _facts_of(index: Index, passages: Sequence[Passage]) -> list[Fact]:
    seen, out = set(), []
    for p in passages:
        for f in index.facts_for(p.doc, p.start, p.end):
            if (f.doc, f.start) not in seen:
                seen.add((f.doc, f.start))
                out.append(f)
    return out


def _sentences(index: Index, vector: np.ndarray, asked: Question, passages) -> list[_Sentence]:
    """Sentences of the passages, scored by meaning, shared words and passage rank."""
    starts = _sentence_starts(index)
    chosen: dict[int, int] = {}
    for p in passages:
        keys = starts.get(p.doc)
        if not keys:
            continue
        lo = bisect.bisect_left(keys[0], p.start)
        for i in keys[1][lo:]:
            doc, start, end = index.sentences[i]
            if start >= p.end:
                break
            chosen.setdefault(i, p.rank)
    if not chosen:
        return []
    ids = list(chosen)
    similarities = index.sentence_embeddings[ids] @ vector
    out = []
    terms = set(asked.terms)
    for i, similarity in zip(ids, similarities):
        doc, start, end = index.sentences[i]
        text = index.documents[doc].text[start:end]
        stems = {stem(w) for w in words(text)}
        overlap = len(terms & stems) / len(terms) if terms else 0.0
        score = float(similarity) + 0.35 * overlap + 0.04 / chosen[i]
        out.append(_Sentence(i, doc, start, end, text, score, float(similarity), chosen[i]))
    return sorted(out, key=lambda s: -s.score)


def _sentence_starts(index: Index) -> dict[str, tuple[list[int], list[int]]]:
    if "sentence_starts" not in index._cache:
        grouped: dict[str, list[tuple[int, int]]] = {}
        for i, (doc, start, _end) in enumerate(index.sentences):
            grouped.setdefault(doc, []).append((start, i))
        index._cache["sentence_starts"] = {
            doc: ([s for s, _ in sorted(items)], [i for _, i in sorted(items)])
            for doc, items in grouped.items()
        }
    return index._cache["sentence_starts"]


def _choose(
    index: Index, asked: Question, context: str, vector: np.ndarray, passages
) -> tuple[AnswerSpan | None, str]:
    sentences = _sentences(index, vector, asked, passages)
    if not sentences or sentences[0].similarity < MIN_SIMILARITY:
        return None, "nothing in the documents is about this question"
    unknown = _unknown_names(index, asked, context)
    if unknown and sentences[0].similarity < NAME_FORGIVEN_SIMILARITY:
        return None, f"the documents never mention {', '.join(unknown)}"
    wants = asked.wants
    if wants in NUMERIC_WANTS or (wants == "" and asked.target):
        return _numeric(index, asked, context, sentences, vector)
    if wants == "":
        numeric = _keyword_numeric(index, asked, sentences)
        if numeric:
            return numeric
    return _entity(index, asked, context, sentences)


def _numeric(index, asked: Question, context: str, sentences, vector) -> tuple:
    kinds = _KINDS_FOR.get(asked.wants, ("count", "money", "percent", "ordinal"))
    candidates = []
    for rank, sentence in enumerate(sentences[:6]):
        for fact in index.facts_for(sentence.doc, sentence.start, sentence.end):
            if fact.kind not in kinds:
                continue
            score = sentence.score
            fit = _unit_fit(index, asked, fact, sentence)
            score += 0.3 * fit + _nearness(asked, fact, sentence)
            candidates.append((score, fit, fact, sentence))
    if not candidates:
        return None, f"the passages state no {asked.wants or 'number'} for this"
    candidates.sort(key=lambda c: -c[0])
    failure = ""
    for score, fit, fact, sentence in candidates:
        if asked.target and fit < 0.5:
            failure = failure or f"the documents give no number of {' '.join(asked.target)}"
            continue
        problem = _violations(index, asked, context, sentence, fact)
        if problem:
            failure = failure or problem
            continue
        return _fact_span(index, fact), f"{fact.kind} from the sentence most like the question"
    return None, failure


def _keyword_numeric(index, asked: Question, sentences) -> tuple | None:
    """Terse queries ("jiangbei airport routes"): a number whose unit the query names."""
    best = sentences[0]
    for fact in index.facts_for(best.doc, best.start, best.end):
        if fact.unit and {stem(w) for w in words(fact.unit)} & set(asked.terms):
            if not _violations(index, asked, "", best, fact):
                return _fact_span(index, fact), "a number whose unit the question names"
    return None


def _entity(index, asked: Question, context: str, sentences) -> tuple:
    best = sentences[0]
    problem = _violations(index, asked, context, best, None)
    if problem:
        return None, problem
    span = _entity_span(index, asked, context, best)
    if span:
        return span, "the name in the best sentence that the question asks for"
    doc = index.documents[best.doc]
    return (
        AnswerSpan(doc.text[best.start : best.end], best.doc, best.start, best.end, "sentence"),
        "the sentence that best answers the question",
    )


# ------------------------------------------------------------ constraints


def _violations(index, asked: Question, context: str, sentence: _Sentence, fact) -> str:
    """Why this sentence cannot answer the question, or "" when it can."""
    text = normalize_apostrophes(sentence.text).lower()
    title = normalize_apostrophes(index.documents[sentence.doc].title).lower()
    for year in asked.years:
        if year not in text:
            return f"the documents say nothing for {year} here"
    for month in asked.months:
        if month not in text and month[:3] not in re.findall(r"[a-z]+", text):
            return f"the documents give nothing for {month.title()} here"
    if asked.quarter and not re.search(r"\b(quarter|half)\b", text):
        return "the documents give no figure for that part of the year"
    sentence_words = words(sentence.text)
    for number, following in asked.ordinals:
        for i, w in enumerate(sentence_words[:-1]):
            value = ordinal_value(w)
            if value and stem(sentence_words[i + 1]) == following and value != number:
                return f"the documents mention the {w}, not the one asked about"
    names = _names(asked.text)
    allowed = text + " " + title + " " + normalize_apostrophes(context).lower()
    missing = [n for n in names if n.lower() not in allowed]
    if missing:
        return f"the sentence that comes closest is not about {', '.join(missing)}"
    return ""


def _names(text: str) -> list[str]:
    """Capitalised words after the first word: places, organisations, people."""
    tokens = re.findall(r"[A-Za-z][\w’'-]*", normalize_apostrophes(text))
    out = []
    for i, token in enumerate(tokens):
        if i == 0 or not token[0].isupper() or token.lower() in GENERIC:
            continue
        for part in re.split(r"[-’']", token):
            if part and part[0].isupper() and len(part) > 1 and part.lower() not in GENERIC:
                out.append(part)
    return out


def _unknown_names(index: Index, asked: Question, context: str) -> list[str]:
    vocabulary = _vocabulary(index)
    context_words = set(re.findall(r"[a-z]+", normalize_apostrophes(context).lower()))
    return [
        n
        for n in _names(asked.text)
        if n.lower() not in vocabulary
        and n.lower() not in context_words
        and not _closest(n.lower(), vocabulary)
    ]


def _unit_fit(index: Index, asked: Question, fact: Fact, sentence: _Sentence) -> float:
    """How well the fact measures what the question counts: 1 same words, 0 unrelated."""
    if not asked.target:
        return 0.5
    unit_words = words(fact.unit or "")
    before = words(sentence.text[: max(0, fact.start - sentence.start)])[-6:]
    stems = {stem(w) for w in unit_words + before}
    target = set(asked.target)
    if target & {stem(w) for w in unit_words}:
        return 1.0
    if target & stems:
        return 0.8
    if not fact.unit:
        return 0.0
    similarity = _phrase_similarity(index, " ".join(asked.target), fact.unit)
    return 0.7 if similarity >= UNIT_SIMILARITY else 0.0


def _phrase_similarity(index: Index, a: str, b: str) -> float:
    cache = index._cache.setdefault("phrase_vectors", {})
    missing = [t for t in (a, b) if t not in cache]
    if missing:
        for text, row in zip(missing, index.encoder.encode(missing)):
            cache[text] = row
    return float(cache[a] @ cache[b])


def _nearness(asked: Question, fact: Fact, sentence: _Sentence) -> float:
    """Prefer the fact nearest the question's words when a sentence holds several."""
    text = sentence.text.lower()
    offset = fact.start - sentence.start
    distances = []
    for term in asked.terms:
        for m in re.finditer(re.escape(term), text):
            distances.append(abs(m.start() - offset))
    if not distances:
        return 0.0
    return 0.05 / (1 + min(distances) / 40)


# ------------------------------------------------------------ spans


def _fact_span(index: Index, fact: Fact) -> AnswerSpan:
    """The fact with its qualifier and counted noun when they stand right beside it."""
    text = index.documents[fact.doc].text
    start, end = fact.start, fact.end
    if fact.qualifier:
        lead = text[max(0, start - len(fact.qualifier) - 1) : start]
        if lead.strip().lower() == fact.qualifier.lower():
            start -= len(lead)
    if fact.unit and fact.kind in ("count", "ordinal"):
        window = text[end : end + len(fact.unit) + 40]
        at = window.find(fact.unit)
        if 0 <= at <= 25 and "." not in window[:at] and "," not in window[:at]:
            end += at + len(fact.unit)
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in "%)":
        end -= 1
    return AnswerSpan(text[start:end], fact.doc, start, end, fact.kind)


def _head_words(question: str) -> list[str]:
    m = _HEAD.search(normalize_apostrophes(question).lower())
    if not m:
        return []
    return [w for w in m.group(1).split() if w not in GENERIC]


def _entity_span(index, asked: Question, context: str, sentence: _Sentence) -> AnswerSpan | None:
    asked_words = {stem(w) for w in words(asked.text + " " + context)}
    head = {stem(w) for w in _head_words(asked.text)}
    candidates = []
    for m in _PHRASE.finditer(sentence.text):
        phrase = m.group(0)
        tokens = re.findall(r"[\w’'-]+", phrase)
        while tokens and tokens[-1].lower() in _CONNECTOR:
            tokens.pop()
        if not tokens:
            continue
        stems = {stem(w) for w in words(phrase)}
        new = stems - asked_words - {stem(c) for c in _CONNECTOR}
        if not new:
            continue
        start = sentence.start + m.start()
        end = sentence.start + m.end()
        candidates.append((bool(head & stems), start, end, phrase, new))
    if not candidates:
        return None
    if head:
        headed = [c for c in candidates if c[0]]
        if not headed:
            return None
        candidates = headed
    # Nearest to where the question's words occur in the sentence.
    positions = [
        sentence.start + m.start()
        for term in asked.terms
        for m in re.finditer(re.escape(term), sentence.text.lower())
    ]

    def distance(c) -> int:
        return min((abs(c[1] - p) for p in positions), default=0)

    _, start, end, phrase, _ = min(candidates, key=distance)
    text = index.documents[sentence.doc].text
    while end > start and text[end - 1] in " -–(":
        end -= 1
    return AnswerSpan(text[start:end], sentence.doc, start, end, "entity")
