"""Within the sentence the reader chose, the name the question's category noun asks for.

"Which district completed ...?" is answered by a name that says "District"; "Which
ministry approved it?" / "Who approved it?" by the agent after "by". These are rules about
how English names things; the reader decides where to look, these decide what exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..index import Index
from ..lexicon import SAME_CLASS
from ..memo import PerIndex
from ..question import AGENT_CATEGORIES, ENTITY_CATEGORIES, Question
from ..textutil import STOPWORDS, BoundedCache, content_words, stem

_PHRASE = re.compile(
    r"(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\)|[A-Z]{2,})"
    r"(?:(?:\s+(?:(?:of|for|on|in)(?:\s+the)?|and|de|the)\s+|\s*-\s*|\s+)"
    r"(?:[A-Z][\w’'.-]*|\([A-Z][\w]*\)))*"
)
_CONNECTOR = {"of", "for", "on", "in", "and", "de", "the"}
_AGENT = re.compile(r"\bby (?:the )?([A-Z][\w’'-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w’'-]*)*)")


def names_in(text: str) -> list[tuple[int, int]]:
    """Capitalised name phrases of a sentence, without leading function words."""
    out = []
    for m in _PHRASE.finditer(text):
        tokens = list(re.finditer(r"[\w’'().-]+", text[m.start() : m.end()]))
        while tokens and tokens[0].group(0).lower() in STOPWORDS | _CONNECTOR:
            tokens.pop(0)
        while tokens and tokens[-1].group(0).lower() in _CONNECTOR:
            tokens.pop()
        if tokens:
            end = m.start() + tokens[-1].end()
            if re.fullmatch(r"[\w’'-]{3,}\.", tokens[-1].group(0)):
                end -= 1  # the sentence's full stop, not an abbreviation's ("Summit.", "Co.")
            out.append((m.start() + tokens[0].start(), end))
    return out


def category_name(asked: Question, sentence: str, near: int) -> tuple[int, int] | None:
    """The name in `sentence` that the question's category noun asks for, nearest `near`.

    None when the question has no category noun, or when the reader's span already is
    such a name (the caller checks), or when the sentence names nothing of that kind.
    """
    head = asked.head[-1].lower() if asked.head else ""
    asked_stems = {stem(w) for w in content_words(asked.text)}
    if asked.wants == "who" or head in AGENT_CATEGORIES:
        agent = _AGENT.search(sentence)
        if agent:
            return agent.start(1), agent.end(1)
    if not head:
        return None
    modifiers = {stem(w) for w in asked.head[:-1]}
    classes = class_stems(head)
    found = []
    for start, end in names_in(sentence):
        name_words = content_words(sentence[start:end])
        stems = {stem(w) for w in name_words}
        # English puts a name's class noun last ("… Wisdom Tourism Center", "… Data Channel"),
        # or before the "of"/"for" that says what about ("Center for Poverty Reduction …"):
        # a name that ends in the asked noun is one of its kind, whatever the noun; a name
        # that only contains it is one for the listed categories ("Ministry of Foreign Affairs")
        ends = bool(name_words) and stem(_class_word(sentence[start:end])) in classes
        if not (ends or (head in ENTITY_CATEGORIES and stems & classes)):
            continue
        if stems - asked_stems - classes:
            # the name whose words the question's own words before the noun share, then the
            # one sharing most of its other words ("which summit with Latin America"), nearest
            shared = len(stems & asked_stems - classes)
            found.append((-len(stems & modifiers), -shared, abs(start - near), start, end))
    if not found:
        return None
    *_, start, end = min(found)
    return start, end


_QUALIFIED = re.compile(r"\s+(?:of|for|on|in)\s+[A-Z(]")


def _class_word(name: str) -> str:
    """The word of a name that says its kind: the last, or the last before an "of"/"for"
    phrase ("Alliance" of "International Cooperation Alliance for Vocational Education")."""
    qualified = _QUALIFIED.search(name)
    words = re.findall(r"[\w’'-]+", name[: qualified.start()] if qualified else name)
    return words[-1].lower() if words else ""


# Nouns that end the names of things that are no place: a "… Logistics Hub Park" or "… Summit"
# does not answer "which city?".
_THING_CLASSES = frozenset(
    "park center centre summit forum meeting conference cooperation alliance school university "
    "college academy institute airport fair expo festival week agreement treaty pact channel "
    "corridor company group corporation ministry department bureau office consulate embassy "
    "bank hospital museum station terminal bridge platform project programme program initiative "
    "association organization organisation council committee".split()
)


def names_a_thing(text: str) -> bool:
    """The span's last name is of a kind that is no place ("… Entrepreneurs Summit")."""
    found = names_in(text)
    if not found:
        return False
    start, end = found[-1]
    return _class_word(text[start:end]) in _THING_CLASSES


# "Who approved it?": the question's verb, which a sentence may put in the passive.
_WHO_DID = re.compile(r"^\W*(?:and |so |then )?who (?:has |had |was |were )?([a-z]+(?:ed|en|t))\b")


def passive_agent(question: str, sentence: str) -> tuple[int, int] | None:
    """ "Who approved it?" of a sentence that says "approved by the Ministry of …": the agent
    after the question's own verb and "by"."""
    m = _WHO_DID.match(question.lower())
    if not m:
        return None
    said = re.search(rf"\b{m.group(1)}\s+by\s+(?:the\s+)?", sentence, re.I)
    if not said:
        return None
    agent = _AGENT.match(sentence, said.start() + len(m.group(1)) + 1)
    return (agent.start(1), agent.end(1)) if agent else None


def name_ending(sentence: str, start: int, end: int) -> int | None:
    """Where the name starts that [start, end) of the sentence is the last words of, when the
    name is longer; None when the span is a whole name or no name's end."""
    for name_start, name_end in names_in(sentence):
        if name_end == end and name_start < start:
            return name_start
    return None


@lru_cache(maxsize=512)
def class_stems(noun: str) -> frozenset[str]:
    """The stems of a class noun and of its near-exact synonyms ("pact": agreement, treaty)."""
    noun = noun.lower()
    same = next((c for c in SAME_CLASS if noun in c), frozenset((noun,)))
    return frozenset(stem(w) for w in same)


def category_in_names(index: Index, word: str) -> bool:
    """The corpus writes this category into names: "Yubei District", "Nan'an District"
    (two different names at least). Such a question needs such a name."""
    word = word.lower()
    cache = _CATEGORY_IN_NAMES(index)
    known = cache.get(word)
    if known is None:
        pattern = re.compile(rf"\b([A-Z][\w’'-]+) {re.escape(word.capitalize())}\b")
        texts = index.documents.values()
        names = {m.group(1) for d in texts for m in pattern.finditer(d.text)}
        known = cache[word] = word in ENTITY_CATEGORIES and len(names) >= 2
    return known


def names_category(asked: Question, text: str) -> bool:
    """The span is already a name of the asked category ("Yubei District")."""
    head = asked.head[-1].lower() if asked.head else ""
    return bool(head) and bool(class_stems(head) & {stem(w) for w in content_words(text)})


_CATEGORY_IN_NAMES: PerIndex[BoundedCache] = PerIndex(lambda index: BoundedCache(1024))
