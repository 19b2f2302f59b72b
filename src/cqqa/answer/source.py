"""Where a text comes from, asked of the text itself: "What is the source of the article?",
"Which newspaper published this story?", "Which paper is this article sourced from?",
"article source" (and, from the Chinese path,
"这篇报道出自哪家媒体"). A document that names its source on a line of its own ("Source:
Chongqing Daily", "Via: …") answers it; nothing is guessed for one that does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index import Index
from ..records import AnswerSpan, Passage

_TEXT = r"(?:article|story|report|text|piece|news item|document|post)"
_TAKEN = r"(?:sourced|taken|drawn|reprinted)"
# The question points at the text itself ("this article", "the article's source"), not at
# something the text reports ("Which publication reported the 319 ports?").
SOURCE_ASKED = re.compile(
    rf"^\W*(?:\w+\W+){{0,4}}?(?:the |this )?{_TEXT}(?:'s|’s)? source\b"
    rf"|\bsource (?:of|for) (?:the|this) {_TEXT}\W*$"
    rf"|\b(?:which|what) (?:newspaper|news agency|news outlet|publication|paper) "
    rf"(?:published|printed|ran|carried|is) (?:the|this) {_TEXT}\W*$"
    rf"|\b(?:who|what) (?:published|printed|ran|carried) (?:the|this) {_TEXT}\W*$"
    rf"|\bwhere (?:is|was|does|did) (?:the|this) {_TEXT} (?:come )?from\W*$"
    rf"|\b(?:which|what) (?:newspaper|news agency|news outlet|publication|paper|outlet|media) "
    rf"(?:is|was|does|did) (?:the|this) {_TEXT} (?:(?:{_TAKEN}|come) )?from\W*$"
    rf"|^\W*(?:what|where) (?:is|was) (?:the|this) {_TEXT} {_TAKEN} from\W*$",
    re.I,
)
# A document names its source on a line of its own: "Source: Chongqing Daily".
_SOURCE_LINE = re.compile(
    r"^[ \t]*(?:Source|Sources|Via|Credit)[ \t]*[:：][ \t]*(\S[^\n]*?)[ \t]*$", re.M
)
SOURCE_REASON = "the source the document names"


def source_line(index: Index, passages: Sequence[Passage]) -> AnswerSpan | None:
    """The span after "Source:" in the document the passages are from (the first passage's
    first; every document when nothing was retrieved), or None when none names one."""
    docs = list(dict.fromkeys(p.doc for p in passages)) or list(index.documents)
    for doc in docs:
        m = _SOURCE_LINE.search(index.documents[doc].text)
        if m:
            return AnswerSpan(m.group(1), doc, m.start(1), m.end(1), "entity")
    return None


def source(index: Index, question: str, passages: Sequence[Passage]):
    """(span, why) when an English question asks where the text comes from and a document
    says; None otherwise."""
    if not SOURCE_ASKED.search(question):
        return None
    span = source_line(index, passages)
    return None if span is None else (span, SOURCE_REASON)
