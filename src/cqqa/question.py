"""What a question asks for and what it constrains, read from its words alone."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .errors import InputError
from .textutil import STOPWORDS, normalize_apostrophes, stem, words

MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_ABBR = {m[:3]: m for m in MONTHS} | {"sept": "september"}
_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")

# Question words and their answer kinds, most specific first.
_WANTS = [
    (
        r"\b(what|which)\s+(percentage|percent|share|proportion|rate)\b|\bper ?cent|\bpercentage\b"
        r"|\bgrowth rate\b|\bby how much\b|\bhow much did .* (grow|rise|increase|fall|drop)",
        "percent",
    ),
    (
        r"\bhow many\b|\bnumber of\b|\bhow large a number\b|\bcount of\b|\bhow much .*\bmore\b",
        "count",
    ),
    (
        r"\bhow much\b|\bvalue\b|\bworth\b|\bamount\b|\binvest\w*|\bcost\b|\bspen[dt]\b|\$|\byuan\b"
        r"|\brmb\b|\bcny\b|\bdollars?\b",
        "money",
    ),
    (r"\b(which|what) (months?|period|time ?frame|span)\b|\bover what period\b", "period"),
    (r"\bwhen\b|\bwhat (date|day)\b|\bwhich (date|day)\b|\bon what\b.*\bdate\b|\bdate\b", "date"),
    (r"\bwhat year\b|\bwhich year\b|\bin what year\b", "year"),
    (
        r"\b(which|what) (number|edition|session|round|phase|stage|place|position|rank|milestone|"
        r"anniversary)\b|\bwhich one\b.*\bapproved\b|\bwhat rank\b|\branks?\b|\bedition\b"
        r"|\banniversary\b|\bwhich\b.*\b(number|round|phase|stage)\b|\bhow many years\b",
        "ordinal",
    ),
    (r"\bwho\b|\bwhom\b|\bwhose\b", "who"),
    (r"\bwhere\b|\bwhich\b|\bwhat\b", "what"),
]
_WANT_PATTERNS = [(re.compile(p, re.IGNORECASE), kind) for p, kind in _WANTS]
_FOLLOWUP_START = re.compile(
    r"^\s*(and|also|what about|how about|what of|and what about|then|so|but|same for)\b",
    re.IGNORECASE,
)
_REFERRING = {
    "it",
    "its",
    "that",
    "this",
    "they",
    "them",
    "their",
    "there",
    "those",
    "these",
    "then",
    "he",
    "she",
    "his",
    "her",
}
# Words that say how to ask, not what about; they constrain nothing.
GENERIC = STOPWORDS | {
    "many",
    "much",
    "number",
    "numbers",
    "total",
    "value",
    "amount",
    "date",
    "day",
    "when",
    "which",
    "what",
    "who",
    "whom",
    "whose",
    "where",
    "why",
    "how",
    "according",
    "article",
    "mentioned",
    "mention",
    "say",
    "says",
    "said",
    "tell",
    "given",
    "stated",
    "roughly",
    "approximately",
    "exactly",
    "now",
    "currently",
    "year",
    "years",
    "percentage",
    "percent",
    "rate",
    "share",
    "kind",
    "type",
    "name",
    "named",
    "also",
    "still",
    "get",
    "got",
    "did",
    "does",
    "do",
    "has",
    "have",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "there",
}
NUMERIC_WANTS = ("count", "money", "percent", "date", "period", "year", "ordinal")


@dataclass(frozen=True)
class Question:
    """A cleaned question with the constraints an answer must respect."""

    text: str
    wants: str  # count, money, percent, date, period, year, ordinal, who, what, or "" (keywords)
    target: tuple[str, ...] = ()  # stems of the thing counted ("how many ports" -> port)
    years: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    ordinals: tuple[tuple[str, str], ...] = ()  # (ordinal, stem of the next word)
    quarter: bool = False
    terms: tuple[str, ...] = field(default=())  # content stems


def clean_question(text: object, max_chars: int = 2000) -> str:
    """A question fit to search with, or an InputError that says what to do."""
    if not isinstance(text, str):
        raise InputError("The question must be text.")
    if len(text) > max_chars:
        raise InputError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. "
            "Ask a shorter question."
        )
    # Lone surrogates and control characters cannot be encoded or searched; drop them.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t" else ch for ch in text
    )
    text = " ".join(text.split())
    if not text:
        raise InputError("The question is empty: type a question about the documents.")
    return text


def parse(text: str) -> Question:
    normalized = normalize_apostrophes(text)
    lower = normalized.lower()
    wants = ""
    for pattern, kind in _WANT_PATTERNS:
        if pattern.search(lower):
            wants = kind
            break
    tokens = words(normalized)
    return Question(
        text=text,
        wants=wants,
        target=_target(lower),
        years=tuple(dict.fromkeys(_YEAR.findall(normalized))),
        months=tuple(dict.fromkeys(_months(tokens))),
        ordinals=_ordinals(tokens),
        quarter=bool(re.search(r"\b(quarter|half|h[12]|q[1-4])\b", lower)),
        terms=tuple(dict.fromkeys(stem(w) for w in tokens if w not in GENERIC and len(w) > 1)),
    )


def is_followup(text: str) -> bool:
    """An elliptical question that leans on the one before it."""
    tokens = words(text)
    content = [w for w in tokens if w not in GENERIC]
    if _FOLLOWUP_START.search(normalize_apostrophes(text)):
        return True
    if any(w in _REFERRING for w in tokens) and len(content) <= 4:
        return True
    return len(content) <= 1


def _target(lower: str) -> tuple[str, ...]:
    m = re.search(
        r"\b(?:how many|number of|count of|how much|what(?:'s| is)? the (?:total )?number of)"
        r"\s+((?:[\w'-]+\s*){1,4})",
        lower,
    )
    if not m:
        return ()
    out = []
    for word in m.group(1).split():
        word = word.strip("?.,!'")
        if word in STOPWORDS or word in ("more", "international", "new") and not out:
            if out:
                break
            continue
        if word in {"does", "do", "did", "has", "have", "is", "are", "was", "were", "will"}:
            break
        out.append(stem(word))
        if len(out) == 3:
            break
    return tuple(out)


def _months(tokens: list[str]) -> list[str]:
    out = []
    for w in tokens:
        if w in MONTHS and w != "may":
            out.append(w)
        elif w in _MONTH_ABBR and w not in ("mar", "may"):
            out.append(_MONTH_ABBR[w])
    return out


def _ordinals(tokens: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for i, w in enumerate(tokens):
        number = None
        if w in _ORDINAL_WORDS:
            number = str(_ORDINAL_WORDS.index(w) + 1)
        elif re.fullmatch(r"\d+(st|nd|rd|th)", w):
            number = w[:-2]
        if number and i + 1 < len(tokens) and not tokens[i + 1].isdigit():
            following = tokens[i + 1]
            if following in ("five", "six", "three", "four", "two", "half", "quarter"):
                continue  # "first five months", "first half": a period, not an edition
            out.append((number, stem(following)))
    return tuple(out)


def ordinal_value(word: str) -> str | None:
    word = word.lower().replace(",", "")
    if word in _ORDINAL_WORDS:
        return str(_ORDINAL_WORDS.index(word) + 1)
    m = re.fullmatch(r"(\d+)(st|nd|rd|th)", word)
    return m.group(1) if m else None
