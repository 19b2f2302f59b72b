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
from dataclasses import dataclass, replace

import numpy as np

from .config import RETRIEVERS
from .errors import InputError
from .index import Index
from .question import (
    AGENT_CATEGORIES,
    ANSWER_TYPE_WORDS,
    ENTITY_CATEGORIES,
    GENERIC,
    NUMERIC_WANTS,
    PLACE_CATEGORIES,
    Question,
    clean_question,
    is_followup,
    ordinal_value,
    parse,
)
from .records import Answer, AnswerSpan, Fact, Passage
from .retrieve import retrieve
from .textutil import STOPWORDS, BoundedCache, letter_words, normalize_apostrophes, stem, words
from .vocabulary import correct_typos, known_stem, proper_nouns, vocabulary

# Calibrated on eval/questions.jsonl (see README, "Calibration"): below this
# cosine between the question and its best sentence, nothing in the corpus is
# about the question.
MIN_SIMILARITY = 0.26
# A counted noun the article does not use ("harbours" for "ports") still
# matches a unit when their embeddings are at least this close.
UNIT_SIMILARITY = 0.45
# A question word the corpus never uses must be at least this close to some word
# of the answering sentence ("harbours" ~ "ports"), or the question is about
# something the documents do not cover ("population").
WORD_SIMILARITY = 0.5

# Word and phrase embeddings kept per process (384 floats each, about 1.6 KB): a long-running
# server stays within a few megabytes however many distinct questions it sees.
PHRASE_CACHE_SIZE = 4096

_KINDS_FOR = {
    "count": ("count",),
    "money": ("money",),
    "percent": ("percent",),
    "date": ("date", "period"),
    "period": ("period", "date"),
    "year": ("year", "period", "date"),
    "ordinal": ("ordinal",),
    "number": ("count", "ordinal", "money", "percent"),
}
_PHRASE = re.compile(
    r"(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\)|[A-Z]{2,})"
    r"(?:(?:\s+(?:of|for|on|in|and|de|the)\s+|\s*-\s*|\s+)(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\)))*"
)
_CONNECTOR = {"of", "for", "on", "in", "and", "de", "the"}
_KIND_WORDS = {
    "count": "count",
    "money": "amount",
    "percent": "percentage",
    "date": "date",
    "period": "period",
    "year": "year",
    "ordinal": "edition or rank",
}
# "alone", "only": the question asks for part of what a sentence may give as a whole.
_OTHER = re.compile(r"\b(other|another|else|apart from|besides|except)\b", re.I)
_CAUSE = re.compile(
    r"\b(because|due to|owing to|thanks to|as a result|driven by|caused by|since|so that)\b", re.I
)
_RESTRICTIVE = re.compile(r"\b(alone|solely|by itself|separately|excluding|on its own)\b")
# "before the increase": an earlier value, where the sentence reports only the new one.
_EARLIER = re.compile(r"\b(before|previously|originally|prior to|used to|at first)\b")
# "a year before", "last year": another time than the sentence speaks of.
_RELATIVE_TIME = re.compile(
    r"\b(last|previous|next|following|coming) (year|month|quarter)\b"
    r"|\b(a|one|two|three|the) (year|month|decade)s? (before|earlier|ago|later|after)\b"
)
_CHANGE = re.compile(r"\b(increased|rose|risen|grew|grown|reached|climbed|fell|dropped)\b")


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
    if isinstance(history, str) or not isinstance(history, Sequence | type(None)):
        raise InputError("history must be a list of the earlier questions, oldest first.")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 100:
        raise InputError(f"k must be a whole number from 1 to 100, not {k!r}.")
    if retriever not in RETRIEVERS:
        raise InputError(f"Unknown retriever {retriever!r}: choose one of {', '.join(RETRIEVERS)}.")
    history = tuple(_clean_history(history or (), max_chars))
    corrected = correct_typos(index, question)
    query, asked, context = _resolve(corrected, tuple(correct_typos(index, h) for h in history))
    vector = index.encoder.encode([query])
    passages = retrieve(index, query, k=k, mode=retriever, rrf_k=rrf_k, vector=vector)
    facts = _facts_of(index, passages)
    span, reason = _choose(index, asked, context, query, vector[0], passages)
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
    """The last five usable turns; an empty or unusable earlier turn is left out."""
    out = []
    for item in history:
        try:
            out.append(clean_question(item, max_chars))
        except InputError:
            continue
    return out[-5:]


def _resolve(question: str, history: tuple[str, ...]) -> tuple[str, Question, str]:
    """The text to search for, the parsed question, and earlier text it may lean on."""
    asked = parse(question)
    if not history or not is_followup(question):
        return question, asked, ""
    # Walk back through follow-ups to the last self-contained question.
    earlier: list[str] = []
    for previous in reversed(history):
        earlier.insert(0, previous)
        if not is_followup(previous):
            break
    context = " ".join(earlier)
    before = parse(earlier[0])
    wants, target, head = asked.wants, asked.target, asked.head
    leaning = wants == "" or re.match(r"\s*(and )?(what|how) about\b", question.lower())
    if leaning and not head:
        wants, head = before.wants or wants, before.head
        target = target or before.target
    elif wants == before.wants and not target and not head:
        target = before.target
    asked = replace(
        asked,
        wants=wants,
        target=target,
        head=head,
        terms=tuple(dict.fromkeys(asked.terms + before.terms)),
        keywords=False,
    )
    return f"{question} {context}", asked, context


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
        out.append(_Sentence(i, doc, start, end, text, score, float(similarity), chosen[i]))
    return sorted(out, key=lambda s: -s.score)


def _sentence_stems(index: Index, i: int, text: str) -> frozenset[str]:
    cache = index._cache.setdefault("sentence_stems", {})
    if i not in cache:
        cache[i] = frozenset(stem(w) for w in words(text))
    return cache[i]


def _choose(
    index: Index, asked: Question, context: str, query: str, vector: np.ndarray, passages
) -> tuple[AnswerSpan | None, str]:
    sentences = _sentences(index, vector, asked, passages)
    if not sentences or sentences[0].similarity < MIN_SIMILARITY:
        return None, "nothing in the documents is about this question"
    known = vocabulary(index)
    if not any(w in known for w in letter_words(query)):
        return None, "none of the question's words appear in the documents"
    unknown = _unknown_names(index, asked, context, sentences[0])
    if unknown:
        return None, f"the documents never mention {', '.join(unknown)}"
    unfamiliar = _unfamiliar_words(index, asked, sentences[0]) or _unknown_places(
        index, asked, sentences[0]
    )
    if unfamiliar:
        return None, f"the documents say nothing about {', '.join(unfamiliar)}"
    wants = asked.wants
    if wants == "why":
        if not _CAUSE.search(sentences[0].text):
            return None, "the documents give no reason for this"
        best = sentences[0]
        doc = index.documents[best.doc]
        return (
            AnswerSpan(doc.text[best.start : best.end], best.doc, best.start, best.end, "sentence"),
            "the sentence that gives the reason",
        )
    if wants in NUMERIC_WANTS or (wants == "" and asked.target):
        return _numeric(index, asked, context, sentences)
    if wants == "":
        numeric = _keyword_numeric(index, asked, sentences)
        if numeric:
            return numeric
    return _entity(index, asked, context, sentences)


def _numeric(index: Index, asked: Question, context: str, sentences) -> tuple:
    kinds = _KINDS_FOR.get(asked.wants, ("count", "money", "percent", "ordinal"))
    candidates = []
    for sentence in sentences[:6]:
        facts = index.facts_for(sentence.doc, sentence.start, sentence.end)
        for fact in facts:
            if fact.kind not in kinds:
                continue
            fit = _unit_fit(index, asked, fact, sentence, facts)
            score = sentence.score + 0.3 * fit + _nearness(asked, fact, sentence, facts)
            candidates.append((score, fit, fact, sentence))
    if not candidates:
        return None, f"the passages state no {_KIND_WORDS.get(asked.wants, 'number')} for this"
    candidates.sort(key=lambda c: -c[0])
    failure = ""
    given = _digits(asked.text)
    for _score, fit, fact, sentence in candidates:
        written = _digits(fact.text)
        if written and written <= given:
            failure = failure or f"the documents give {fact.text} itself, not a part of it"
            continue  # "how much of the 343.83 billion was exports?": that is the question
        if asked.target and fit < 0.5:
            failure = failure or f"the documents give no number of {' '.join(asked.target)}"
            continue
        problem = _violations(index, asked, context, sentence, fact)
        if problem:
            failure = failure or problem
            continue
        return _fact_span(index, fact), f"the {fact.kind} in the sentence closest to the question"
    return None, failure


def _digits(text: str) -> set[str]:
    """The numbers written in a text, commas dropped: "343.83 billion" -> {"343.83"}."""
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def _keyword_numeric(index: Index, asked: Question, sentences) -> tuple | None:
    """Terse queries ("jiangbei airport routes"): a number whose unit the query names."""
    best = sentences[0]
    for fact in index.facts_for(best.doc, best.start, best.end):
        if fact.unit and {stem(w) for w in words(fact.unit)} & set(asked.terms):
            if not _violations(index, asked, "", best, fact):
                return _fact_span(index, fact), "a number whose unit the question names"
    return None


def _entity(index: Index, asked: Question, context: str, sentences) -> tuple:
    best = sentences[0]
    problem = _violations(index, asked, context, best, None)
    if problem:
        return None, problem
    head = {stem(w) for w in asked.head}
    given = {ordinal_value(w) for w in words(asked.text)} - {None}
    if asked.wants == "who" and asked.head and not _says(best.text, " ".join(asked.head)):
        # "Who is the mayor?" needs a sentence that speaks of a mayor.
        return None, f"the documents name no {' '.join(asked.head)}"
    # "Which round ...?" answered by "the third round": the ordinal is the answer,
    # unless the question already gives it ("which consulate is the 13th?").
    for fact in index.facts_for(best.doc, best.start, best.end):
        unit = {stem(w) for w in words(fact.unit or "")}
        if head and fact.kind == "ordinal" and head & unit and not _OTHER.search(asked.text):
            if ordinal_value(fact.text.split()[0]) not in given:
                return _fact_span(index, fact), "the edition the question asks about"
    # A name may stand in the next sentence when the closest one has none.
    for sentence in [best, *(s for s in sentences[1:3] if s.score >= best.score - 0.15)]:
        if sentence is not best and _violations(index, asked, context, sentence, None):
            continue
        span = _entity_span(index, asked, context, sentence)
        if span:
            return span, "the name in the closest sentence that the question asks for"
        if not asked.head:
            break
    if asked.head and (asked.head[-1] in ENTITY_CATEGORIES or asked.wants == "who"):
        return None, f"the closest sentence names no {asked.head[-1]}"
    doc = index.documents[best.doc]
    return (
        AnswerSpan(doc.text[best.start : best.end], best.doc, best.start, best.end, "sentence"),
        "the sentence that best answers the question",
    )


def _says(text: str, phrase: str) -> bool:
    """The words themselves (or a plural) are in the text: 'consul' is not 'consulate'."""
    singular = re.sub(r"s\b", "", phrase.lower())
    return bool(re.search(rf"\b{re.escape(singular)}s?\b", " ".join(words(text))))


# ------------------------------------------------------------ constraints


def _violations(index: Index, asked: Question, context: str, sentence: _Sentence, fact) -> str:
    """Why this sentence cannot answer the question, or "" when it can."""
    text = normalize_apostrophes(sentence.text).lower()
    for year in asked.years:
        if year not in text:
            return f"the documents give nothing for {year} here"
    for month in asked.months:
        if month not in text and month[:3] not in letter_words(text):
            return f"the documents give nothing for {month.title()} here"
    if asked.quarter and not re.search(r"\b(quarter|half)\b", text):
        return "the documents give no figure for that part of the year"
    sentence_words = words(sentence.text)
    for number, following in asked.ordinals:
        for i, w in enumerate(sentence_words[:-1]):
            value = ordinal_value(w)
            if value and stem(sentence_words[i + 1]) == following and value != number:
                return f"the documents mention the {w} {sentence_words[i + 1]}, not that one"
    question = normalize_apostrophes(asked.text).lower()
    if _RESTRICTIVE.search(question) and not _RESTRICTIVE.search(text):
        return "the documents give only the combined figure, not that part of it"
    if _RELATIVE_TIME.search(question) and not _RELATIVE_TIME.search(text):
        return "the documents give no figure for that other time"
    if fact is not None and _EARLIER.search(question) and _CHANGE.search(text):
        if not re.search(r"\bfrom\s+[\d,.]+", text):
            return "the documents give only the new figure, not the earlier one"
    title = normalize_apostrophes(index.documents[sentence.doc].title).lower()
    allowed = f"{text} {title} {normalize_apostrophes(context).lower()}"
    missing = [
        n
        for n in _names(asked.text, proper_nouns(index))
        if n.lower() not in allowed
        and not _background(index, sentence.doc, n)
        and not _acronym_in(n, sentence.text)
    ]
    if missing and fact is not None:
        kind = _KIND_WORDS.get(fact.kind, "figure")
        return f"the documents give no {kind} for {', '.join(missing)}"
    if missing:
        return f"the closest sentence is not about {', '.join(missing)}"
    return ""


def _names(text: str, proper: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised words after the first word, and words the corpus only ever capitalises."""
    tokens = re.findall(r"[A-Za-z][\w’'-]*", normalize_apostrophes(text))
    out = []
    for i, token in enumerate(tokens):
        if token.lower() in proper and not token[0].isupper():
            out.append(token.capitalize())
            continue
        if i == 0 or not token[0].isupper() or token.lower() in GENERIC:
            continue
        for part in re.split(r"[-’']", token):
            if part and part[0].isupper() and len(part) > 1 and part.lower() not in GENERIC:
                out.append(part)
    return out


def _abbreviated_names(question: str, sentence: str) -> set[str]:
    """Words of a multi-word name whose initials the sentence uses ("European Union": EU)."""
    out: set[str] = set()
    capitals = set(re.findall(r"\b[A-Z]{2,6}\b", sentence))
    for group in re.findall(r"(?:[A-Z][a-z]+\s+){1,5}[A-Z][a-z]+", question):
        parts = group.split()
        if "".join(p[0] for p in parts) in capitals:
            out.update(parts)
    return out


def _background(index: Index, doc: str, name: str) -> bool:
    """A name in a quarter of a document's sentences is its setting, not a constraint."""
    cache = index._cache.setdefault("background", {})
    key = (doc, name.lower())
    if key not in cache:
        spans = [index.sentences[i][1:] for i in index.sentences_by_doc().get(doc, ((), ()))[1]]
        text = normalize_apostrophes(index.documents[doc].text).lower()
        hits = sum(1 for s, e in spans if name.lower() in text[s:e])
        cache[key] = bool(spans) and hits / len(spans) >= 0.25
    return cache[key]


def _acronym_in(name: str, text: str) -> bool:
    """'IP' stands in a sentence that says 'intellectual property'; 'EU' for 'European Union'."""
    if name.isupper() and 2 <= len(name) <= 6:
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", text)).upper()
        return name in initials
    return False


def _unknown_names(index: Index, asked: Question, context: str, best: _Sentence) -> list[str]:
    known_words = vocabulary(index)
    context_words = set(letter_words(context))
    names = _names(asked.text)
    out = []
    for n in names:
        lower = n.lower()
        if lower in known_words or lower in context_words or _acronym_in(n, best.text):
            continue
        if known_stem(lower, known_words):
            continue
        if n in _abbreviated_names(asked.text, best.text):
            continue  # "European Union" where the sentence says "EU"
        out.append(n)
    return out


_TIME_WORDS = frozenset(
    "first second third last next past previous five four three six two half quarter months "
    "month weeks week days year years period time".split()
)


def _unknown_places(index: Index, asked: Question, best: _Sentence) -> list[str]:
    """'ports in southeast asia': a place after in/from/across the corpus never names."""
    known_words = vocabulary(index)
    out = []
    lower = normalize_apostrophes(asked.text).lower()
    for m in re.finditer(r"\b(?:in(?! order\b)|from|across|within)\s+((?:[a-z]+\s*){1,3})", lower):
        for word in m.group(1).split():  # the unknown words right after the preposition
            if word in known_words or word in STOPWORDS or word in GENERIC or word in _TIME_WORDS:
                break
            if len(word) > 2 and not known_stem(word, known_words):
                out.append(word)
    if not out:
        return []
    sentence_words = [w for w in dict.fromkeys(words(best.text)) if w not in STOPWORDS]
    return [w for w in out if _best_similarity(index, w, sentence_words) < WORD_SIMILARITY]


def _unfamiliar_words(index: Index, asked: Question, best: _Sentence) -> list[str]:
    """Question words the corpus never uses and the sentence has nothing like.

    "population" or "mayor" is a thing the article does not talk about; "harbours"
    for "ports" is the same thing in other words, and its embedding says so.
    """
    known_words = vocabulary(index)
    focus = [w.lower() for w in asked.head[-1:] if w.lower() not in ANSWER_TYPE_WORDS]
    unknown = [
        w
        for w in focus
        if w.isalpha()
        and len(w) > 2
        and w not in GENERIC
        and w not in known_words
        and not known_stem(w, known_words)
    ]
    if not unknown:
        return []
    sentence_words = [w for w in dict.fromkeys(words(best.text)) if w not in STOPWORDS]
    if not sentence_words:
        return unknown
    return [w for w in unknown if _best_similarity(index, w, sentence_words) < WORD_SIMILARITY]


def _unit_fit(
    index: Index, asked: Question, fact: Fact, sentence: _Sentence, facts: Sequence[Fact] = ()
) -> float:
    """How well the fact measures what the question counts: 1 same words, 0 unrelated.

    The counted noun is the fact's unit, or the words just before it; in "A and B rose
    to 52 and 112 respectively" the words before 112 are B's.
    """
    if not asked.target:
        return 0.5
    unit_words = words(fact.unit or "")
    item = _respective_item(fact, sentence, facts)
    before = (
        words(item)
        if item is not None
        else words(sentence.text[: fact.start - sentence.start])[-6:]
    )
    unit_stems = {stem(w) for w in unit_words}
    target = [stem(w) for w in asked.target]
    before_stems = {stem(w) for w in before}
    if target[-1] in unit_stems:
        return 0.9 if item is not None and target[-1] not in before_stems else 1.0
    if target[-1] in before_stems:
        return 0.9
    context = " ".join(before + unit_words)
    # The counted noun phrase against the unit and its context, without the document's
    # setting ("Chongqing"), which any sentence shares and so proves nothing.
    phrase = " ".join(w for w in asked.target if not _background(index, sentence.doc, w))
    similarity = max(
        _best_similarity(index, phrase or asked.target[-1], [fact.unit or context, context]),
        _best_similarity(index, asked.target[-1], [fact.unit or context, context]),
    )
    if similarity >= UNIT_SIMILARITY:
        return 0.7
    # Only a modifier matches ("how many Chongqing companies" beside "Chongqing ... 319
    # ports"): not what the question counts.
    return 0.3 if set(target) & (unit_stems | before_stems) else 0.0


def _respective_item(fact: Fact, sentence: _Sentence, facts: Sequence[Fact]) -> str | None:
    """In "A and B increased to 52 and 112 respectively", the item a number belongs to."""
    same = [f for f in facts if f.kind == fact.kind]
    if len(same) < 2 or fact not in same or not re.search(r"\brespectively\b", sentence.text):
        return None
    first = min(f.start for f in same) - sentence.start
    items = re.split(r"\band\b|,", sentence.text[:first])[-len(same) :]
    return items[same.index(fact)] if len(items) == len(same) else None


def _best_similarity(index: Index, text: str, others: Sequence[str]) -> float:
    """Highest cosine between `text` and any of `others`, encoding all new texts in one batch."""
    if not others:
        return 0.0
    cache = index._cache.setdefault("phrase_vectors", BoundedCache(PHRASE_CACHE_SIZE))
    phrases = list(dict.fromkeys((text, *others)))
    vectors = {t: cache.get(t) for t in phrases}  # local copies: eviction cannot pull them away
    missing = [t for t, v in vectors.items() if v is None]
    if missing:
        for phrase, row in zip(missing, index.encoder.encode(missing)):
            vectors[phrase] = cache[phrase] = row
    matrix = np.stack([vectors[o] for o in others])
    return float((matrix @ vectors[text]).max())


def _nearness(asked: Question, fact: Fact, sentence: _Sentence, facts: Sequence[Fact]) -> float:
    """Prefer the fact whose own words match the question when a sentence holds several."""
    same = [f for f in facts if f.kind == fact.kind]
    if len(same) < 2:
        return 0.0
    terms = set(asked.terms)
    own = {stem(w) for w in words(asked.text)} & terms or terms
    text = sentence.text
    item = _respective_item(fact, sentence, facts)
    if item is not None:
        # "A and B increased to 52 and 112 respectively": the i-th number is the i-th item.
        mine = {stem(w) for w in words(item)}
        others = {
            stem(w)
            for f in same
            if f is not fact
            for w in words(_respective_item(f, sentence, facts) or "")
        }
        return 0.3 * len(own & (mine - others)) / max(1, len(own))
    # Otherwise: the number nearest the question's words.
    offset = fact.start - sentence.start
    lower = text.lower()
    distances = [
        abs(m.start() - offset) for term in own for m in re.finditer(re.escape(term), lower)
    ]
    return 0.05 / (1 + min(distances) / 40) if distances else 0.0


# ------------------------------------------------------------ spans


def _fact_span(index: Index, fact: Fact) -> AnswerSpan:
    """The fact with its qualifier and counted noun when they stand right beside it."""
    text = index.documents[fact.doc].text
    start, end = fact.start, fact.end
    if fact.qualifier and not _CHANGE.fullmatch(fact.qualifier.split()[0]):
        # "more than 200", "exceeds US$5.5 billion" bound the number; "increased to" does not.
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


def _entity_span(index: Index, asked: Question, context: str, sentence: _Sentence):
    """The capitalised name in the sentence that the question asks for, or None."""
    asked_stems = {stem(w) for w in words(asked.text + " " + context)}
    head = {stem(w) for w in asked.head}
    other = bool(_OTHER.search(asked.text))
    asked_names = {stem(n.lower()) for n in _names(asked.text + " " + context)}
    candidates = []
    for m in _PHRASE.finditer(sentence.text):
        start, end = _trim_phrase(sentence.text, m.start(), m.end())
        if end <= start:
            continue
        phrase = sentence.text[start:end]
        stems = {stem(w) for w in words(phrase)}
        new = stems - asked_stems - _CONNECTOR
        if not new or (other and stems & asked_names):
            continue  # "which other consulate?": not the one the question names
        candidates.append((bool(head & stems), sentence.start + start, sentence.start + end))
    if asked.wants == "who" or (asked.head and asked.head[-1] in AGENT_CATEGORIES):
        # "Who approved it?" / "Which ministry approved it?": "... approved by the Ministry".
        by = re.search(r"\bby (the )?([A-Z])", sentence.text)
        if by:
            at = sentence.start + by.start(2)
            chosen = [c for c in candidates if c[1] == at]
            if chosen:
                return _span(index, sentence.doc, chosen[0][1], chosen[0][2])
    if head:
        headed = [c for c in candidates if c[0]]
        if headed:
            candidates = headed
        elif asked.head[-1] not in PLACE_CATEGORIES or _names_use(index, asked.head[-1]):
            return None
        else:
            # "Which country opened a consulate general?": the name's new words are the answer.
            candidates = [
                sub
                for c in candidates
                for sub in _new_words(sentence.text, c, sentence.start, asked_stems)
            ]
    elif asked.wants == "what":
        return None  # "what is X noted for?": a sentence says it better than a name
    if not candidates:
        return None
    positions = [
        sentence.start + m.start()
        for term in asked.terms
        for m in re.finditer(re.escape(term), sentence.text.lower())
    ]

    def distance(c: tuple[bool, int, int]) -> tuple[bool, int]:
        # A name that is the document's setting ("Chongqing") only when nothing else fits.
        setting = _background(index, sentence.doc, index.documents[sentence.doc].text[c[1] : c[2]])
        return setting, min((abs(c[1] - p) for p in positions), default=0)

    _, start, end = min(candidates, key=distance)
    return _span(index, sentence.doc, start, end)


def _names_use(index: Index, word: str) -> bool:
    """The corpus writes this kind of place into names ("Yuzhong District")."""
    cache = index._cache.setdefault("name_words", {})
    if word not in cache:
        pattern = re.compile(rf"\b([A-Z]\w+) {re.escape(word.capitalize())}\b")
        names = {m.group(1) for d in index.documents.values() for m in pattern.finditer(d.text)}
        cache[word] = len(names) >= 2
    return cache[word]


def _new_words(text: str, candidate, offset: int, asked: set[str]) -> list:
    """Runs of capitalised words inside a name that the question does not already say."""
    start, end = candidate[1] - offset, candidate[2] - offset
    out, run = [], None
    for m in re.finditer(r"[\w’'-]+", text[start:end]):
        token = m.group(0)
        fresh = token[0].isupper() and stem(token.lower()) not in asked
        if fresh:
            run = (run[0] if run else m.start(), m.end())
        elif run:
            out.append(run)
            run = None
    if run:
        out.append(run)
    return [(False, offset + start + a, offset + start + b) for a, b in out]


def _trim_phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop sentence-initial function words and trailing connectors from a name."""
    tokens = list(re.finditer(r"[\w’'().-]+", text[start:end]))
    while tokens and tokens[0].group(0).lower() in STOPWORDS | _CONNECTOR:
        tokens.pop(0)
    while tokens and tokens[-1].group(0).lower() in _CONNECTOR:
        tokens.pop()
    if not tokens:
        return start, start
    return start + tokens[0].start(), start + tokens[-1].end()


def _span(index: Index, doc: str, start: int, end: int) -> AnswerSpan:
    text = index.documents[doc].text
    while end > start and text[end - 1] in " -–(.,":
        end -= 1
    return AnswerSpan(text[start:end], doc, start, end, "entity")
