"""Sentences of the retrieved passages, scored by meaning and shared words."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..index import Index
from ..memo import PerIndex
from ..question import Question
from ..textutil import BoundedCache, normalize_apostrophes, stem, words

# Word and phrase embeddings kept per process (384 floats each, about 1.6 KB): a long-running
# server stays within a few megabytes however many distinct questions it sees.
PHRASE_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Sentence:
    index: int
    doc: str
    start: int
    end: int
    text: str
    score: float
    similarity: float
    passage_rank: int


def scored_sentences(index: Index, vector: np.ndarray, asked: Question, passages) -> list[Sentence]:
    """Sentences of the passages, scored by meaning, shared words and passage rank."""
    starts = index.sentences_by_doc()
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
    own = {stem(w) for w in words(asked.text)}
    terms = set(asked.terms)
    out = []
    for i, similarity in zip(ids, similarities):
        doc, start, end = index.sentences[i]
        text = index.documents[doc].text[start:end]
        stems = _sentence_stems(index, i, text)
        overlap = len(terms & stems) / len(terms) if terms else 0.0
        # The question's own words count twice the words it borrowed from history.
        own_overlap = len(own & terms & stems) / len(own & terms) if own & terms else 0.0
        score = float(similarity) + 0.25 * overlap + 0.15 * own_overlap + 0.04 / chosen[i]
        out.append(Sentence(i, doc, start, end, text, score, float(similarity), chosen[i]))
    return sorted(out, key=lambda s: -s.score)


def _sentence_stems(index: Index, i: int, text: str) -> frozenset[str]:
    cache = _STEMS(index)
    if i not in cache:
        cache[i] = frozenset(stem(w) for w in words(text))
    return cache[i]


def sentence_at(index: Index, doc: str, start: int, scored: dict) -> Sentence | None:
    """The scored sentence that holds character `start` of a document."""
    starts, ids = index.sentences_by_doc().get(doc, ([], []))
    at = bisect.bisect_right(starts, start) - 1
    if at < 0:
        return None
    i = ids[at]
    if i in scored:
        return scored[i]
    _doc, s, e = index.sentences[i]
    return Sentence(i, doc, s, e, index.documents[doc].text[s:e], 0.0, 0.0, 99)


def neighbour_text(index: Index, sentence: Sentence, step: int) -> str:
    """The text of the sentence `step` places away in the same document, or ""."""
    i = sentence.index + step
    if not 0 <= i < len(index.sentences) or index.sentences[i][0] != sentence.doc:
        return ""
    return index.sentence_text(i)


def paragraph_before(index: Index, sentence: Sentence) -> str:
    """The sentence before this one in its paragraph (no line break between them), or ""."""
    i = sentence.index - 1
    if not 0 <= i < len(index.sentences) or index.sentences[i][0] != sentence.doc:
        return ""
    _, start, end = index.sentences[i][:3]
    if "\n" in index.documents[sentence.doc].text[end : sentence.start]:
        return ""
    return index.sentence_text(i)


def best_similarity(index: Index, text: str, others: Sequence[str]) -> float:
    """Highest cosine between `text` and any of `others`, encoding all new texts in one batch."""
    if not others:
        return 0.0
    cache = _PHRASE_VECTORS(index)
    phrases = list(dict.fromkeys((text, *others)))
    vectors = {t: cache.get(t) for t in phrases}  # local copies: eviction cannot pull them away
    missing = [t for t, v in vectors.items() if v is None]
    if missing:
        for phrase, row in zip(missing, index.encoder.encode(missing)):
            vectors[phrase] = cache[phrase] = row
    matrix = np.stack([vectors[o] for o in others])
    return float((matrix @ vectors[text]).max())


def background(index: Index, doc: str, name: str) -> bool:
    """A name in a quarter of a document's sentences is its setting, not a constraint."""
    cache = _BACKGROUND(index)
    key = (doc, name.lower())
    if key not in cache:
        spans = [index.sentences[i][1:] for i in index.sentences_by_doc().get(doc, ((), ()))[1]]
        text = normalize_apostrophes(index.documents[doc].text).lower()
        hits = sum(1 for s, e in spans if name.lower() in text[s:e])
        cache[key] = bool(spans) and hits / len(spans) >= 0.25
    return cache[key]


# Per loaded index: each sentence's stems, and whether a name is a document's setting.
_STEMS: PerIndex[dict[int, frozenset[str]]] = PerIndex(lambda index: {})
_BACKGROUND: PerIndex[dict[tuple[str, str], bool]] = PerIndex(lambda index: {})


_PHRASE_VECTORS: PerIndex[BoundedCache] = PerIndex(lambda index: BoundedCache(PHRASE_CACHE_SIZE))
