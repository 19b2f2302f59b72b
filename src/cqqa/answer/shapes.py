"""The shape of a question that needs a step of reasoning over the facts, read from English.

Each shape is a rule about how such questions are asked, never about one document:
- ``summary``: "Summarize the main points", "What is this article about?";
- ``yesno``: a question that opens with an auxiliary verb ("Is ...", "Has ...", "Did ...");
- ``comparison``: a comparative and "than" ("Was X larger than Y?"), or "which ..., X or Y";
- ``arithmetic``: "how many more X than Y", "the difference between", "in total", "per",
  "on average", "before the 12.9% rise", "how many days between X and Y";
- ``superlative``: the largest/smallest/earliest figure of a kind, or which place has one.

A question that has none of these shapes gets ``None`` and goes to the reader unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..textutil import normalize_apostrophes


@dataclass(frozen=True)
class Shape:
    kind: str  # summary, yesno, comparison, arithmetic, superlative
    op: str = ""  # difference, sum, ratio, before, days; greater, less, earlier, later; max, min
    sides: tuple[str, ...] = ()  # the phrases naming the operands, as asked
    polar: bool = False  # a yes/no form ("Is X larger than Y?") rather than "which"
    claim: str = ""  # for yes/no: the statement to check
    kind_word: str = ""  # for superlatives: the kind of figure asked about
    category: str = ""  # "which district has ...": the category the answer names


AUX = (
    r"is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|must|"
    r"isn't|aren't|wasn't|weren't|don't|doesn't|didn't|hasn't|haven't|hadn't"
)
_POLAR = re.compile(rf"^\s*(?:so |and |but |then )?({AUX})\b\s*(.*)$")
# "Can you name one exhibition", "could you tell me": a request, not a yes/no question.
# "Was was the plan ...", "Is what ...": a typo or a wh-question, not a yes/no one.
_NOT_POLAR = re.compile(rf"^\s*(?:{AUX}|what|which|who|whom|whose|when|where|why|how)\b")
_REQUEST = re.compile(
    r"^\s*(can|could|would|will) (you|u|i|we) (please )?"
    r"(name|tell|list|give|say|find|show|explain|describe|summari[sz]e|get)\b"
)
_SUMMARY = re.compile(
    r"\bsummar(y|ise|ize|ised|ized|ising|izing)\b|\bmain (points?|ideas?|message|takeaways?)\b"
    r"|\bkey (points|takeaways|messages|facts)\b|\bgist\b|\btl;? ?dr\b"
    r"|\bwhat(?:'s| is| was| are)\b(?: (?:this|the|that|it))?"
    r"(?: (?:article|document|text|story|report|piece|news|page))? about\s*\??\s*$"
    r"|^\s*what does (?:the|this) (?:article|document|text|story|report) "
    r"(?:say|cover|discuss|talk about|report)\s*\??\s*$"
)
_COMPARATIVE = (
    r"more|less|fewer|larger|bigger|greater|higher|smaller|lower|earlier|later|longer|shorter"
)
_LESS = {"less", "fewer", "smaller", "lower", "shorter"}
_TIME = {"earlier": "earlier", "later": "later", "first": "earlier", "sooner": "earlier"}
_THAN = re.compile(rf"\b({_COMPARATIVE})\b(.*?)\bthan\b(.*)$")
_WHICH = re.compile(
    rf"^\s*(?:which|what|who)\b(.*?)\b({_COMPARATIVE}|first|sooner|most|least)\b"
    r"([^,:]*?)[,:]\s*(?:the )?([^:]+?),?\s+or\s+(.+?)\s*\??$"
)
_MORE_DIFF = re.compile(
    r"\bhow (?:many|much) (?:more|fewer|less|higher|lower|larger|bigger|greater|smaller)\b"
    r"(.*?)\bthan\b(.*)$"
)
_CHANGE = re.compile(
    r"\bpercent(?:age)? (?:change|difference|increase|decrease|growth)\b.*?"
    r"\b(?:between|from|of)\b(.*)$"
)
_DIFFERENCE = re.compile(r"\b(?:difference|gap) (?:between|of)\b(.*)$")
_TOTAL = re.compile(
    r"\b(?:in total|total|altogether|combined|in all(?=\s*\??$)|sum of|together(?! with)|"
    r"add(?:ed)? up|plus)\b"
)
_PER = re.compile(
    r"\b(?:how (?:many|much)|average (?:number|amount|count) of)\b(.*?)"
    r"\b(?:per|for each|for every|a)\b(.+?)(?:\bon average\b|$)"
)
_AVERAGE = re.compile(r"\b(?:on average|average number of|average|mean)\b")
# A sum or a mean is asked for by a question for a quantity, not by "What science city is
# the area building together with the centre?" or "Which firms combined ...?".
_QUANTITY = re.compile(
    r"\bhow (?:many|much)\b|\bwhat(?:'s| is| was| are| were)? (?:the |their |its )?"
    r"(?:total|sum|combined|overall|average|mean|number|amount|value|count)\b"
    r"|^\s*(?:and )?(?:the )?(?:total|sum|combined|average|mean)\b|\b(?:in total|altogether)\s*\??$"
)
_BEFORE = re.compile(
    r"\b(?:before|prior to|without) (?:the |its |that |this )?(?:[\d.]+ ?(?:%|percent) )?"
    r"(?:rise|increase|growth|jump|gain|drop|fall|decline|decrease|change)\b"
)
_DAYS = re.compile(
    r"\bhow (?:many|long)\b.*?\b(days|weeks|months)\b.*?\bbetween\b(.*?)\band\b(.*)$"
    r"|\bhow (?:many|long)\b.*?\b(days|weeks|months)\b.*?\bfrom\b(.*?)\bto\b(.*)$"
)
_SUPERLATIVE_WORDS = (
    r"largest|biggest|highest|greatest|smallest|lowest|least|fewest|earliest|latest|"
    r"most recent|maximum|minimum|top"
)
_MIN = {"smallest", "lowest", "least", "fewest", "earliest", "minimum"}
_KIND_WORDS = (
    r"number|count|figure|amount|sum|value|percentage|percent|date|money(?: figure)?|"
    r"monetary (?:figure|amount|value)|total"
)
# "What is the largest count in the article?": the superlative figure is what is asked for,
# and little else is said about it (so "What is the minimum percent of alcohol a law
# requires ...?", which asks for one stated figure, is not a question about the table).
_SUPERLATIVE = re.compile(
    r"^\s*(?:(?:what|which)(?:'s| is| was| are| were)?|give me|name|tell me|list) (?:the |a )?"
    rf"({_SUPERLATIVE_WORDS})\b ((?:\w+ )?(?:{_KIND_WORDS}))\b(.*)$"
)
_ABOUT_DOCUMENT = re.compile(
    r"\b(?:in|of|from) (?:the|this) (?:article|document|text|report|story|corpus)\b"
    r"|\b(?:mentioned|given|stated|listed|reported|there|anywhere|at all)\b"
)
MAX_SUPERLATIVE_WORDS = 2
_WHICH_HAS = re.compile(
    rf"^\s*(?:which|what) (\w+) (?:has|have|had|gives|gets|is given|mentions) "
    rf"(?:a|an|any|the)? ?((?:\w+ )?(?:{_KIND_WORDS}))\b"
)


def _few_words(rest: str) -> bool:
    from ..question import GENERIC

    rest = _ABOUT_DOCUMENT.sub(" ", rest)
    content = [w for w in re.findall(r"[a-z][\w'-]*", rest) if w not in GENERIC]
    return len(content) <= MAX_SUPERLATIVE_WORDS


def shape_of(question: str) -> Shape | None:
    """The reasoning shape of an English question, or None when it has none."""
    text = normalize_apostrophes(question).lower().strip()
    text = re.sub(r"\s+", " ", text)
    if _SUMMARY.search(text):
        return Shape("summary")
    m = _SUPERLATIVE.search(text)
    if m and not _THAN.search(text) and _few_words(m.group(3)):
        op = "min" if m.group(1) in _MIN else "max"
        if m.group(1) in ("latest", "most recent"):
            op = "max"
        return Shape("superlative", op=op, kind_word=m.group(2), sides=(m.group(3).strip(" ?"),))
    m = _WHICH_HAS.search(text)
    if m and m.group(1) not in ("is", "was", "are", "number", "figure"):
        return Shape("superlative", op="all", kind_word=m.group(2), category=m.group(1))
    m = _DAYS.search(text)
    if m:
        unit, a, b = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
        return Shape("arithmetic", op="days", sides=(a.strip(), b.strip(" ?")), kind_word=unit)
    m = _CHANGE.search(text)
    if m:
        return Shape("arithmetic", op="change", sides=(m.group(1).strip(" ?"),))
    m = _MORE_DIFF.search(text)
    if m:
        return Shape(
            "arithmetic", op="difference", sides=(m.group(1).strip(), m.group(2).strip(" ?"))
        )
    m = _DIFFERENCE.search(text)
    if m:
        return Shape("arithmetic", op="difference", sides=(m.group(1).strip(" ?"),))
    if _BEFORE.search(text):
        return Shape("arithmetic", op="before", sides=(text,))
    m = _PER.search(text)
    if m and _AVERAGE.search(text):  # "per" alone often asks for a stated rate
        return Shape("arithmetic", op="ratio", sides=(m.group(1).strip(), m.group(2).strip(" ?")))
    quantity = bool(_QUANTITY.search(text))
    if _AVERAGE.search(text) and " and " in text and quantity and not _POLAR.match(text):
        return Shape("arithmetic", op="mean", sides=(_AVERAGE.sub(" ", text).strip(" ?"),))
    if _TOTAL.search(text) and " and " in text and quantity and not _POLAR.match(text):
        return Shape("arithmetic", op="sum", sides=(_TOTAL.sub(" ", text).strip(" ?"),))
    m = _WHICH.search(text)
    if m:
        word = m.group(2)
        op = _TIME.get(word) or ("less" if word in _LESS or word == "least" else "greater")
        return Shape("comparison", op=op, sides=(m.group(4).strip(), m.group(5).strip()))
    polar = _POLAR.match(text)
    if polar and not _REQUEST.match(text) and not _NOT_POLAR.match(polar.group(2)):
        rest = polar.group(2)
        m = _THAN.search(rest)
        if m and not re.match(r"\s*(?:the |a )?(?:us\$|\$|€|£|¥)?\d", m.group(3)):
            word = m.group(1)
            op = _TIME.get(word) or ("less" if word in _LESS else "greater")
            before = rest[: m.start()].strip()
            middle = m.group(2).strip()
            after = m.group(3).strip(" ?")
            if middle:  # "Does the channel reach more ports than countries?"
                return Shape(
                    "comparison",
                    op=op,
                    polar=True,
                    sides=(f"{before} {middle}", f"{before} {after}"),
                )
            return Shape("comparison", op=op, polar=True, sides=(before, after))
        m = re.search(r"^(.+?)\b(before|after)\b(.+)$", rest)
        if m and len(m.group(1).split()) >= 2 and len(m.group(3).split()) >= 2:
            # "Did the consulate open before the train departed?": two events in time
            op = "earlier" if m.group(2) == "before" else "later"
            return Shape(
                "comparison",
                op=op,
                polar=True,
                sides=(m.group(1), m.group(3).strip(" ?")),
                claim=rest.rstrip(" ?"),
            )
        if re.search(r"\bor\b", rest) and not re.search(r"\bor (more|less|fewer|so)\b", rest):
            return None  # "Is it X or Y?": a choice, which the reader answers with a span
        return Shape("yesno", claim=rest.rstrip(" ?"))
    return None
