"""Birth and death years written after a name: "When was Zhu Shijie born?" of "The
mathematician Zhu Shijie (1249–1314) solved …". English puts a person's years in brackets
after the name, birth first; the question's name must stand right before them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index import Index
from ..records import AnswerSpan
from .sentences import Sentence

# "When was X born?", "In what year did X die?", "X was born in what year?": X is the
# subject, so "When was the father of X born?" is not asked of X's own years.
_NAME = r"(?P<name>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|al|bin|ibn))*)"
_ASKED = re.compile(
    rf"^\W*(?:[Ww]hen|(?:[Ii]n )?(?:[Ww]hat|[Ww]hich) year)\s+(?:was|did|is)\s+{_NAME}\s+"
    r"(?P<which>born|die|died|pass away)\W*$"
    rf"|^\W*{_NAME.replace('name', 'name2')}\s+(?P<which2>was born|died)\s+(?:in\s+)?"
    r"(?:what|which) year\W*$"
)
_YEAR = r"(?:c\.\s*|ca\.\s*|circa\s+)?(\d{3,4})(?:\s*(?:AD|CE|BC|BCE))?"
_YEARS = re.compile(rf"\(\s*(?:born\s+|b\.\s*)?{_YEAR}\s*(?:[–—-]|\bto\b)\s*{_YEAR}\s*[),;]")


# A lifetime, in years: shorter spans are a term or a reign ("Queen Victoria (1837–1901)"
# still passes, so a text that says "born"/"died" of the name is left to the reader).
MIN_LIFE, MAX_LIFE = 15, 120
_SAID_OTHERWISE = re.compile(r"\b(?:born|died|birth|death)\b")


def _life_said(text: str, surname: str) -> bool:
    """A sentence of the text says the person's birth or death in words."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if surname in sentence and _SAID_OTHERWISE.search(sentence):
            return True
    return False


def life_years(
    index: Index, question: str, sentences: Sequence[Sentence]
) -> tuple[AnswerSpan, str] | None:
    """The birth or death year the documents write after the question's name, or None (to
    the reader) where a text says it in words ("was born in …") or the years are no life's."""
    m = _ASKED.match(question.strip())
    if not m:
        return None
    which = m.group("which") or m.group("which2")
    died = not which.endswith("born")
    names = (m.group("name") or m.group("name2")).split()
    # the closest sentences' documents first, then the rest: the name is what finds it
    docs = dict.fromkeys([*(s.doc for s in sentences), *index.documents])
    name = re.compile(rf"\b{re.escape(' '.join(names))}\s*(?=\()")
    for doc in docs:
        text = index.documents[doc].text
        if _SAID_OTHERWISE.search(text) and _life_said(text, names[-1]):
            continue  # "Tony Blair was born in …": the text says it in words, for the reader
        for said in name.finditer(text):
            years = _YEARS.match(text, said.end())
            if not years or not MIN_LIFE <= int(years.group(2)) - int(years.group(1)) <= MAX_LIFE:
                continue  # a term ("Tony Blair (1997–2007)") is no lifetime
            group = 2 if died else 1
            start, end = years.start(group), years.end(group)
            span = AnswerSpan(years.group(group), doc, start, end, "year")
            return span, f"the year of {'death' if died else 'birth'} written after the name"
    return None
