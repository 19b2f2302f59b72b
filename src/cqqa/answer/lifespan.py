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


def life_years(
    index: Index, question: str, sentences: Sequence[Sentence]
) -> tuple[AnswerSpan, str] | None:
    """The birth or death year the closest sentences write after the question's name, or
    None to leave the question to the reader."""
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
        for said in name.finditer(text):
            years = _YEARS.match(text, said.end())
            if not years:
                continue
            group = 2 if died else 1
            start, end = years.start(group), years.end(group)
            span = AnswerSpan(years.group(group), doc, start, end, "year")
            return span, f"the year of {'death' if died else 'birth'} written after the name"
    return None
