"""Answers that a clause of a sentence gives by its grammar, which the reader (trained on spans
that name things) finds poorly:

- an example: "Name one of them" is answered by an item after "including" / "such as";
- a purpose: "What is it trying to achieve?", "What is the aim of X?" by the infinitive of
  purpose ("… to continuously improve the level of trade", "in order to …");
- what a fact shows: "What does the rise reflect?" by the object of a verb of showing
  ("which fully reflects the strong momentum of opening up");
- what sets a thing apart: "What makes X unique?" by what the text says X is the only one of
  ("the only municipality directly under the central government in western China").

Each is a rule about English, tried on the closest sentences that share the question's words;
a question of another form is left to the reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index import Index
from ..lexicon import LIST_MARKER
from ..question import Question
from ..records import AnswerSpan
from ..textutil import STOPWORDS, content_words, normalize_apostrophes, stem
from .listing import items_listed
from .sentences import Sentence
from .verify import MIN_SIMILARITY, violations

SENTENCES_TRIED = 3  # the closest sentences a clause is looked for in
EXAMPLE_SENTENCES = 6  # ...and a list of examples, by the question's words it follows
MAX_CLAUSE_WORDS = 16  # a clause longer than this is cut at its last word within it

_EXAMPLE = re.compile(
    r"^\W*(?:and |so |ok,? |okay,? )?(?:can you |could you |please )?"
    r"(?:name|give|list|tell me|mention|cite)(?: me)? (?P<n>one|an example|examples|some|a few|"
    r"any|two|three|a couple)\b"
    r"|\b(?:for example|for instance|give an example|such as which)\b"
    r"|^\W*(?:and )?(?:which|what) (?:ones?|examples?) (?:of|among) (?:them|those|these)\b"
    r"|^\W*(?:and )?(?:which|what)(?: \w+)? (?:is|are|was|were) (?:named|listed|mentioned|"
    r"included|cited|given) (?:among|of) (?:them|those|these)\b"
)
_ONE = {"one", "an example", "any"}
_LIST_AT = re.compile(LIST_MARKER)

_PURPOSE_VERB = r"(?:achieve|accomplish|attain|do|gain|get|reach|improve|accomplish)"
_PURPOSE = re.compile(
    r"\b(?:trying|try|tries|seeking|seeks|seek|aiming|aims|aim|intends?|intending|hopes?|hoping|"
    r"wants?|wanting|meant|designed|planning|plans?|working|going)\s+to\s+" + _PURPOSE_VERB + r"\b"
    r"|\bwhat (?:is|was|are|were) (?:the |its |their )?(?:main |chief |key )?"
    r"(?:aim|goal|purpose|objective|point|intention|end)s? (?:of|behind|in|for|with)\b"
    r"|\bto what end\b|\bfor what purpose\b|\bwhat (?:is|was|are|were) (?:it|that|this|they) "
    r"(?:for|aimed at|meant for)\b"
)
# The infinitive of purpose: "in order to", "so as to", "aims to", or "to" before an adverb or
# before a verb and its object ("to improve the level"): not "increased to 108", "next to the".
_TO_PURPOSE = re.compile(
    r"\b(?:in order to|so as to|aims? to|aimed to|aiming to|seeks? to|seeking to|strives? to|"
    r"with the aim of|with a view to|for the purpose of)\s+"
    r"|\bto (?=(?:[a-z]+ly |further |better )+[a-z]+\b)"
    r"|\bto (?=(?!the\b|a\b|an\b|be\b)[a-z]{3,} (?:the|a|an|its|their|this|these|those|more|"
    r"further|new|greater|high)\b)"
)

# Verbs of showing: what the subject reflects, shows, indicates is their object.
_SHOWING = (
    r"reflect|show|indicate|demonstrate|highlight|signal|suggest|represent|symboli[sz]e|"
    r"illustrate|underline|underscore|embody|reveal|confirm|mark|prove"
)
_SHOWS_Q = re.compile(
    rf"^\W*(?:and |so )?what (?:does|do|did|might|could|would) (?P<subject>.+?) "
    rf"(?P<verb>{_SHOWING})\b(?P<rest>.*)$"
)
_CLAUSE_END = re.compile(r"[,;:.!?]|\s[-–—]\s")
# What sets a thing apart, asked: "What makes X unique?", "What is special about X?"
_UNIQUE = r"(?:unique|distinctive|special|unusual|one of a kind)"
_UNIQUE_Q = re.compile(
    rf"^\W*(?:and |so )?(?:what|which)(?: [\w-]+){{0,3}}? (?:makes|made|make) .+ {_UNIQUE}\b"
    rf"|\bwhat(?:'s| is| was) (?:so )?{_UNIQUE} about\b|\bhow is .+ {_UNIQUE}\b"
    r"|\bwhat (?:sets|set) .+ apart\b|\bwhat distinguishes\b|\bwhat makes .+ stand out\b"
    # "X is the only what (kind of city)?", "What is X the only one of?"
    r"|\bthe (?:only|sole) (?:what|which)\b"
    r"|\bwhat (?:is|was|are|were) (?!the\b|a\b|an\b)[\w'-]+(?: [\w'-]+)?? "
    r"the (?:only|sole) one of\b"
)
# ...said: "the only municipality …", "the sole …", "the first and only …"
# (the clause starts at "only", not "the")
_ONLY = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir) (?P<start>(?:first and )?(?:only|sole) )(?=\w)")


def clause_answer(
    index: Index, asked: Question, context: str, question: str, sentences: Sequence[Sentence]
):
    """(span, why) when the question asks for an example, a purpose or what a fact shows and
    one of the closest sentences says it; None to leave the question to the reader."""
    text = normalize_apostrophes(question).strip().lower()
    m = _EXAMPLE.search(text)
    if m:
        return _example(index, asked, context, text, m.group("n") or "", sentences)
    if _PURPOSE.search(text):
        return _purpose(index, asked, context, text, sentences)
    m = _SHOWS_Q.match(text)
    if m:
        return _shown(index, asked, context, m, sentences)
    if _UNIQUE_Q.search(text):
        return unique_clause(index, asked, context, text, sentences)
    return None


def _wanted(text: str, context: str, leave: str = "") -> set[str]:
    left = set(content_words(leave))
    return {stem(w) for w in content_words(f"{text} {context}") if w not in left}


def _close(sentences: Sequence[Sentence], n: int = SENTENCES_TRIED) -> list[Sentence]:
    return [s for s in list(sentences)[:n] if s.similarity >= MIN_SIMILARITY]


def _shared(text: str, wanted: set[str]) -> int:
    return len({stem(w) for w in content_words(text)} & wanted)


def _span(index, asked, context, sentence: Sentence, start: int, end: int, why: str):
    problem = violations(index, asked, context, sentence, None)
    if problem:
        return None, problem
    return (
        AnswerSpan(
            sentence.text[start:end],
            sentence.doc,
            sentence.start + start,
            sentence.start + end,
            "span",
        ),
        why,
    )


_EXAMPLE_WORDS = "name give list tell mention cite one example examples some few any two three"


def _example(index, asked, context, text: str, n: str, sentences):
    """The first listed item (or the items) of the closest sentence that lists examples of
    what the question (or the conversation) is about."""
    wanted = _wanted(text, context, _EXAMPLE_WORDS)
    best = None
    for rank, s in enumerate(_close(sentences, EXAMPLE_SENTENCES)):
        said = normalize_apostrophes(s.text)
        for m in _LIST_AT.finditer(said):
            shared = _shared(said[: m.start()], wanted)
            if not shared:
                continue
            items = items_listed(said[m.end() :].strip(), least=1) or _plain_items(said, m.end())
            if not items:
                continue
            key = (-shared, rank)
            if best is None or key < best[0]:
                best = (key, s, m.end(), items)
    if best is None:
        return None
    _, s, at, items = best
    said = normalize_apostrophes(s.text)
    first = said.index(items[0], at)
    if n in _ONE or len(items) == 1:
        return _span(
            index, asked, context, s, first, first + len(items[0]), "an item the text lists"
        )
    last = said.index(items[-1], first)
    return _span(index, asked, context, s, first, last + len(items[-1]), "the items the text lists")


MAX_ITEM_WORDS = 4


def _plain_items(said: str, start: int) -> list[str]:
    """'culture, education, science and technology, and sports': a list of things in lower
    case, each a few words, up to the end of the sentence."""
    m = re.search(r"[;.!?]|$", said[start:])
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+|or\s+)?", said[start : start + m.start()])]
    if len(parts) < 2 or any(not p or len(p.split()) > MAX_ITEM_WORDS for p in parts):
        return []
    return parts


def _clause(said: str, start: int) -> int:
    """Where the clause that starts at `start` ends: its punctuation, or MAX_CLAUSE_WORDS."""
    m = _CLAUSE_END.search(said, start)
    end = m.start() if m else len(said.rstrip())
    words = list(re.finditer(r"\S+", said[start:end]))
    if len(words) > MAX_CLAUSE_WORDS:
        end = start + words[MAX_CLAUSE_WORDS - 1].end()
    return end


def _purpose(index, asked, context, text: str, sentences):
    """The infinitive of purpose of the closest sentence sharing most of the question's words."""
    marker, why = _TO_PURPOSE, "the purpose the text gives"
    return _marked_clause(index, asked, context, text, sentences, _PURPOSE, marker, 2, why)


def _marked_clause(index, asked, context, text, sentences, asked_by, marker, least, why):
    """The clause after `marker` (from its group "start", else its end, to the clause's end)
    in the closest sentence sharing most of the question's words — those left once its
    question form `asked_by` is taken out — when it has `least` content words."""
    wanted = _wanted(asked_by.sub(" ", text), context)
    best = None
    for rank, s in enumerate(_close(sentences)):
        said = normalize_apostrophes(s.text)
        for m in marker.finditer(said):
            end = _clause(said, m.end())
            if len(content_words(said[m.end() : end])) < least:
                continue
            key = (-_shared(said, wanted), rank, m.start())
            if best is None or key < best[0]:
                start = m.start("start") if "start" in marker.groupindex else m.end()
                best = (key, s, start, end)
    if best is None:
        return None
    _, s, start, end = best
    return _span(index, asked, context, s, start, end, why)


def _shown(index, asked, context, m: re.Match[str], sentences):
    """The object of the verb of showing in the closest sentence that has the verb."""
    verb = stem(m.group("verb"))
    wanted = _wanted(f"{m.group('subject')} {m.group('rest')}", context)
    best = None
    for rank, s in enumerate(_close(sentences)):
        said = normalize_apostrophes(s.text)
        for v in re.finditer(r"\b([a-z]+)\b", said):
            if stem(v.group(1)) != verb:
                continue
            start = v.end()
            while said[start : start + 1] == " ":
                start += 1
            end = _clause(said, start)
            if len([w for w in content_words(said[start:end]) if w not in STOPWORDS]) < 2:
                continue
            key = (-_shared(said[: v.start()], wanted), rank)
            if best is None or key < best[0]:
                best = (key, s, start, end)
    if best is None:
        return None
    _, s, start, end = best
    return _span(index, asked, context, s, start, end, "what the text says it shows")


def unique_clause(index, asked, context, text: str, sentences):
    """What the closest sentence sharing most of the question's words says its subject is the
    only one of: "the only municipality …" up to the end of its clause."""
    why = "what the text says it is the only one of"
    return _marked_clause(index, asked, context, text, sentences, _UNIQUE_Q, _ONLY, 1, why)
