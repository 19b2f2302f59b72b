"""How the documents describe a thing: "How is Lessby described in terms of ferries?", "What is
the city known as?", "What distinction does Lessby hold?".

English describes a thing with a copula ("Lessby is now the largest ferry hub linking with the
EU") or with phrases set before it ("As a port town and the only free harbour of the coast,
Lessby is …"). Of the descriptions the closest sentences give the subject, the answer is the one
that shares most of the question's other words, the first on a tie. The reader, trained on
spans that name things, finds such noun phrases poorly; a question of another form is left to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index import Index
from ..lexicon import OTHER_NAMES
from ..question import Question
from ..records import AnswerSpan
from ..textutil import STOPWORDS, content_words, normalize_apostrophes, stem
from .sentences import Sentence
from .verify import violations

_SAYS = (
    r"(?:described|characteri[sz]ed|portrayed|depicted|presented|referred to|regarded|seen|"
    r"known)"
)
# The nouns of a question that asks what a thing is counted as, not what it is called.
_STANDING = (
    r"(?:distinction|status|title|reputation|designation|standing|position|honou?r|"
    r"accolade|label)s?"
)
_ASKS = (
    re.compile(
        rf"^\W*(?:how|in what (?:way|terms)) (?:is|are|was|were|has been|have been) "
        rf"(?P<subject>.+?) {_SAYS}\b(?P<rest>.*)$"
    ),
    re.compile(rf"^\W*what (?:is|are|was|were) (?P<subject>.+?) {_SAYS} as\b(?P<rest>.*)$"),
    re.compile(
        rf"^\W*what (?:[a-z-]+ ){{0,2}}{_STANDING} (?:does|do|did|has|have|had) "
        r"(?P<subject>.+?) (?:hold|have|has|had|enjoy|claim|occupy|earn|gain|carry|boast)\b"
        r"(?P<rest>.*)$"
    ),
    re.compile(
        rf"^\W*what (?:is|was|are|were) (?P<subject>.+?)'s (?:[a-z-]+ ){{0,2}}{_STANDING}\b"
        r"(?P<rest>.*)$"
    ),
    re.compile(
        rf"^\W*what (?:is|was|are|were) the (?:[a-z-]+ ){{0,2}}{_STANDING} of "
        r"(?P<subject>[^,?]+?)(?P<rest>(?: (?:in|within|among|as|when|for)\b.*)?\W*)$"
    ),
    re.compile(r"^\W*what (?:has|have|had) (?P<subject>.+?) become\b(?P<rest>.*)$"),
    re.compile(
        r"^\W*what (?:does|do|did) (?:the |this )?(?:article|text|report|story|document|piece) "
        r"(?:say|claim|report) (?P<subject>.+?) (?:has become|have become|became|is now|is|was|"
        r"has been)\b(?P<rest>.*)$"
    ),
)
# A search-box query for a thing's standing: "lessby status ferries".
_STANDING_WORD = re.compile(rf"\b{_STANDING}\b")
# A copula and what it says of the subject, up to the end of its clause.
_COPULA = r"(?:is|are|was|were|has become|have become|became|remains|remained|serves as|acts as)"
_ADVERB = r"(?:(?:now|also|still|currently|already|today|increasingly|thus) )*"
_PHRASE = r"(?:the|a|an|one of the) [^,;:.!?]+"
# "As a major city and the only municipality …, X is …": the phrases set before the subject.
_LEADING = re.compile(rf"^\W*(?:As|Being) ({_PHRASE}),")
_MOST_WORDS = 18


def asked_subject(question: str) -> tuple[str, str] | None:
    """(subject, the rest of the question) when it asks how the documents describe the subject."""
    text = normalize_apostrophes(question).strip().lower()
    for pattern in _ASKS:
        m = pattern.match(text)
        if m:
            return m.group("subject"), m.group("rest")
    return None


def _keyword_subjects(question: str) -> list[tuple[str, str]]:
    """A search-box query that asks for a standing ("lessby status ferries"): each of its
    words may be the subject, the others say which description."""
    text = normalize_apostrophes(question).strip().lower()
    if not _STANDING_WORD.search(text) or "?" in text:
        return []
    words = [w for w in re.findall(r"[\w'-]+", text) if not _STANDING_WORD.fullmatch(w)]
    return [(w, " ".join(words[:i] + words[i + 1 :])) for i, w in enumerate(words)]


def describe(
    index: Index, asked: Question, context: str, question: str, sentences: Sequence[Sentence]
):
    """(span, why) for a question that asks how a thing is described, when one of the closest
    sentences describes it; None to leave the question to the reader."""
    found = asked_subject(question)
    tries = [found] if found else (_keyword_subjects(question) if asked.keywords else [])
    for subject, rest in tries:
        described = _described(index, asked, context, subject, rest, sentences)
        if described is not None:
            return described
    return None


def _described(index, asked, context, subject: str, rest: str, sentences):
    subject_words = [w for w in content_words(subject) if w not in STOPWORDS]
    if not subject_words:
        return None
    own = {stem(w) for w in subject_words}
    wanted = {stem(w) for w in content_words(f"{rest} {context}")} - own
    wanted |= {  # "the European Union" is a sentence's "EU"
        stem(other.lower()) for w in content_words(rest) for other in OTHER_NAMES.get(w, ())
    }
    best = None
    for rank, sentence in enumerate(sentences[:3]):
        for start, end in _descriptions(sentence.text, subject_words[-1]):
            phrase = sentence.text[start:end]
            shared = len({stem(w) for w in content_words(phrase)} & wanted)
            key = (-shared, rank, start)
            if best is None or key < best[0]:
                best = (key, sentence, start, end)
    if best is None:
        return None
    _, sentence, start, end = best
    problem = violations(index, asked, context, sentence, None)
    if problem:
        return None, problem
    span = AnswerSpan(
        sentence.text[start:end], sentence.doc, sentence.start + start, sentence.start + end, "span"
    )
    return span, "how the documents describe it"


def _descriptions(text: str, subject: str) -> list[tuple[int, int]]:
    """Offsets of what the sentence says the subject is: the phrase after its copula, and the
    phrases set before it ("As a …, X is …")."""
    out = []
    name = re.escape(subject)
    said = re.compile(rf"\b{name}\s+{_ADVERB}{_COPULA}\s+{_ADVERB}({_PHRASE})", re.I)
    for m in said.finditer(text):
        out.append(_bounded(text, m.start(1), m.end(1)))
    lead = _LEADING.match(text)
    if lead and re.search(rf"^[^,]*,\s*(?:the )?[^,]*\b{name}\b", text[lead.end(1) :], re.I):
        # "As a major central city and the only municipality …, Chongqing is …": each phrase
        phrases = lead.group(1)
        at = lead.start(1)
        for part in re.split(r" and (?=(?:the|a|an) )", phrases):
            offset = text.index(part, at)
            out.append(_bounded(text, offset, offset + len(part)))
            at = offset + len(part)
    return [(s, e) for s, e in out if e > s]


def _bounded(text: str, start: int, end: int) -> tuple[int, int]:
    """A description of at most _MOST_WORDS words, without a trailing clause ("which …")."""
    phrase = text[start:end]
    cut = re.search(r"\s(?:which|who|that|where|while|whereas)\s", phrase)
    if cut:
        end = start + cut.start()
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > _MOST_WORDS:
        end = start + words[_MOST_WORDS - 1].end()
    return start, end
