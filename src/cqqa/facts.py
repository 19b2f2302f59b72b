"""Rule-based extraction of the numbers a news text states.

Questions about a document are very often questions about its numbers ("how many ports",
"how much was trade worth", "when did it open"), so every number is lifted into a
:class:`~cqqa.records.Fact` with a normalized value, a unit and the words that bound it.

Design:

* A few regex scans compiled once at import (one for everything that starts with a digit,
  one each for currency signs, month names and "Q1 2021", one trigger for spelled-out
  numbers), then overlap resolution by priority: period > date > money > percent >
  ordinal > count/year. So the "2022" inside "January to May 2022" and the "billion"
  inside "343.83 billion CNY" are never reported twice.
* ``Fact.text`` is the quantity itself ("343.83 billion CNY", "12.9%", "319",
  "10,000th", "July 12", "January to May 2022"). Bounding words ("more than",
  "increased to") go to ``qualifier`` and the counted noun phrase ("ports") to ``unit``;
  neither is part of the span.
* Rules are about English, not about one article; only the standard library is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cqqa.lexicon import MONTHS, ORDINAL_UNITS, ORDINALS, TEENS, TENS, UNITS
from cqqa.records import FACT_KINDS, Fact

__all__ = ["KINDS", "extract_facts", "facts_in_span"]

KINDS = FACT_KINDS

# --------------------------------------------------------------------------- vocabulary

_UNITS, _TEENS, _TENS = UNITS, TEENS, TENS
_SCALES = {
    "thousand": Decimal(10**3),
    "million": Decimal(10**6),
    "billion": Decimal(10**9),
    "trillion": Decimal(10**12),
    "bn": Decimal(10**9),
    "mn": Decimal(10**6),
    "tn": Decimal(10**12),
    "m": Decimal(10**6),
    "k": Decimal(10**3),
}
_SMALL = {**_UNITS, **_TEENS, **_TENS}

_ORD_UNITS, _ORD_WORDS = ORDINAL_UNITS, ORDINALS

_MONTHS = MONTHS

# Currency words/symbols → ISO 4217. "¥" is both yuan and yen: `_money` decides by the
# document's own words (see _yen_or_yuan).
CURRENCY = {
    "us$": "USD",
    "u.s.$": "USD",
    "$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "us dollar": "USD",
    "us dollars": "USD",
    "u.s. dollar": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "hk$": "HKD",
    "hkd": "HKD",
    "hong kong dollar": "HKD",
    "hong kong dollars": "HKD",
    "s$": "SGD",
    "sgd": "SGD",
    "singapore dollar": "SGD",
    "singapore dollars": "SGD",
    "a$": "AUD",
    "aud": "AUD",
    "australian dollar": "AUD",
    "australian dollars": "AUD",
    "c$": "CAD",
    "cad": "CAD",
    "canadian dollar": "CAD",
    "canadian dollars": "CAD",
    "nz$": "NZD",
    "new zealand dollar": "NZD",
    "new zealand dollars": "NZD",
    "nt$": "TWD",
    "nt dollar": "TWD",
    "nt dollars": "TWD",
    "taiwan dollar": "TWD",
    "taiwan dollars": "TWD",
    "r$": "BRL",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pounds sterling": "GBP",
    "¥": "CNY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "jpy": "JPY",
    "yen": "JPY",
    "₹": "INR",
    "inr": "INR",
    "rupee": "INR",
    "rupees": "INR",
    "₩": "KRW",
    "krw": "KRW",
    "chf": "CHF",
    "ruble": "RUB",
    "rubles": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
}

# Words that end a counted noun phrase: function words, auxiliaries, common verbs.
_STOP = frozenset(
    """
    a an the this that these those its it their his her our your my whose which who whom
    what where when while whereas as than then there here to from in on at by for with of
    into onto over under above below between among across around through throughout during
    before after since until till per via about against along within without near upon
    including include includes included such each every all both either neither any some
    other another more most less least fewer much many several is are was were be been
    being am has have had do does did will would shall should can could may might must not
    no nor and or but yet so if because although though also only just even still already
    now respectively annually ago later earlier last next old we they he she i you us them
    him me said says say told made make makes took come came went saw got get became
    become left set put built held met began grew rose fell won lost reach reaches totaling
    totalling worth like up down out off away back year-on-year
    """.split()
)
# Verbs in -s that end a phrase after its first word ("the second round starts in").
_S_VERBS = frozenset(
    "starts begins ends remains shows seems comes goes takes gives stands lies rises grows "
    "continues becomes means represents accounts marks needs wants helps allows requires "
    "provides".split()
)
_LY_NOUNS = frozenset(
    "supply assembly family ally rally monopoly anomaly italy july reply belly jelly".split()
)
# Words in -s that modify another noun ("sales figures"), so they do not end a phrase.
_S_MODIFIERS = frozenset(
    "sales goods news arms savings earnings customs series species means works headquarters "
    "logistics economics".split()
)
_ED_NOUNS = frozenset("speed breed greed steed hundred".split())
_IRREGULAR_PLURALS = frozenset(
    "people children men women staff personnel police cattle sheep fish deer aircraft "
    "data media criteria phenomena".split()
)
# A four-digit number after these words is a year even if a plural noun follows.
_YEAR_PREPS = frozenset(
    "in since by from until till during before after year between through the early late "
    "mid end".split()
)
# An era after a number makes it a year: "430 BC", "79 AD", "1066 CE".
# (not before a name, "12 BC Ferries"; "CE" only at a clause's end, not "30 CE credits")
_ERA_AFTER_RE = re.compile(
    r"\s?(BCE|BC|B\.C\.|AD|A\.D\.|CE(?=\s*(?:[.,;:)]|$)))(?![A-Za-z])(?!\s+[A-Z])"
)
# An older year is asked for by these words of time; "from 1200 to 1800 metres" is a range.
_OLD_YEAR_PREPS = frozenset("in since by until till during before after year circa".split())
_RANGE_AFTER_RE = re.compile(r"\s*(?:to|and|-|–|—)\s*\d")
_NUMBERISH = frozenset(_SMALL) | frozenset(_ORD_WORDS) | frozenset(_SCALES) | {"hundred"}

# --------------------------------------------------------------------------- patterns
#
# Speed matters: the extractor runs over every chunk of a corpus. Python's ``re`` only skips
# ahead quickly when a pattern starts with a literal or a character class, so every scanning
# pattern starts with a digit, a month name, a currency sign or a trie of number words, and
# left-boundary checks come after the first character (or in code). Spelled-out numbers are
# found once by a trigger pattern and the word patterns are then only tried there.


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _trie(words: Iterable[str]) -> str:
    """An alternation shaped as a trie, which ``re`` scans far faster than a flat list."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


# Whitespace inside a fact: spaces/NBSP, at most one line break (never a paragraph break).
_WS = r"(?:[^\S\n]+(?:\n[^\S\n]*)?|\n[^\S\n]*)"
_OWS = rf"(?:{_WS})?"
# A number ends where it is not glued to letters, more digits (10:30, 3.2.1) or "-x".
_END = r"(?![\w%]|[.,:/]\d|-\w)"
_WORD_END = r"(?![\w]|-\w)"
# First digit of a number that stands alone: not after letters, "$", "-" (COVID-19), ":" ...
_DSTART = r"\d(?<![\w.,$€£¥₹₩:/#’'-]\d)"
_INT_REST = r"(?:\d{0,2}(?:,\d{3})+|\d*)"
_INT = _DSTART + _INT_REST
_DIGITS = _INT + r"(?:\.\d+)?"
_SCALE_WORD = r"(?:thousand|million|billion|trillion)"
_DIGIT_SCALE = rf"(?:{_WS}(?i:{_SCALE_WORD})|{_OWS}(?i:bn|mn|tn))\b"
_CORE = rf"(?:(?:{_alt(_TENS)})(?:-(?:{_alt(_UNITS)}))?|{_alt(_TEENS)}|{_alt(_UNITS)})"
_WORD_NUM = (
    rf"(?i:{_CORE}(?:{_WS}hundred(?:{_WS}(?:and{_WS})?{_CORE})?|{_WS}dozen)?"
    rf"|a{_WS}(?:dozen|hundred|thousand|million|billion))"
    rf"(?:{_WS}(?i:{_SCALE_WORD}))?"
)
_ORD_WORD = rf"(?i:(?:{_alt(_TENS)})-(?:{_alt(_ORD_UNITS)})|{_alt(_ORD_WORDS)})"
_YEAR = r"(?:19\d\d|20\d\d|2100)"
_MONTH_NAMES = [m.title() for m in _MONTHS if len(m) > 4 or m == "may"] + [
    m.title() + dot for m in _MONTHS if len(m) <= 4 and m != "may" for dot in ("", ".")
]
_MONTH = rf"(?:{_trie(_MONTH_NAMES)})(?![a-z])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_PCT = rf"(?:{_OWS}%|{_WS}(?i:percent|per{_WS}cent|pct)\b)"
_RANGE_SEP = rf"(?:{_OWS}(?P<dash>[-–—]){_OWS}|{_WS}(?P<sepw>to|through|till|until|and){_WS})"
_OF_YEAR = rf"(?:(?:{_WS}(?i:of)|,)?{_WS}(?P<y>{_YEAR}))"
_CUR_SUFFIX = (
    rf"RMB|CNY|USD|EUR|GBP|JPY|HKD|SGD|AUD|CAD|CHF|INR|KRW"
    rf"|(?i:(?:US|U\.S\.|American|Hong{_WS}Kong|Singapore|Australian|Canadian"
    rf"|New{_WS}Zealand|Taiwan|NT){_WS}dollars?|yuan|renminbi|dollars?|euros?|yen"
    rf"|pounds{_WS}sterling|rupees?|rubles?|roubles?)"
)
_CUR_PREFIX = "|".join(
    [re.escape(s) for s in ("US$", "U.S.$", "HK$", "S$", "A$", "C$", "NZ$", "NT$", "R$")]
    + [re.escape(s) for s in "$€£¥₹₩"]
    + [
        rf"{code}(?![A-Za-z]){_OWS}"
        for code in "RMB CNY USD EUR GBP JPY HKD SGD AUD CAD CHF INR KRW".split()
    ]
)

# Scanning patterns (run with finditer over the whole text).
#
# Everything that starts with a digit is one pattern: the number, then what follows it
# decides the reading. Readings that span further (an ISO date, a range of years, "12 July")
# are zero-width lookaheads, so when a rule rejects one, matching resumes right after the
# number and nothing behind it is lost; _NUMBER_TAIL_RE then gives the plain reading.
_NUMBER_TAIL = (
    rf"(?:(?P<ord>st|nd|rd|th)(?:(?P<part>{_WS}(?P<qh>(?i:quarter|half)){_OF_YEAR}?{_END})"
    rf"|{_WORD_END})"
    rf"|(?P<dec>s)\b"
    rf"|(?P<ds>{_DIGIT_SCALE})?(?:{_OWS}(?P<cur>{_CUR_SUFFIX})(?!\w)|(?P<pct>{_PCT})|{_END}))"
)
_NUMBER_RE = re.compile(
    rf"(?P<d>{_DIGITS})(?:"
    rf"(?=(?P<iso>(?P<isep>[-/])(?P<im>0[1-9]|1[0-2])(?P=isep)(?P<id>0[1-9]|[12]\d|3[01])"
    r"(?![\w]|[-/.]\d)))"
    rf"|(?=(?P<range>{_RANGE_SEP}(?P<y2>\d{{4}}|\d\d){_END}))"
    rf"|(?=(?P<dmy>(?:st|nd|rd|th)?(?:{_WS}of)?{_WS}(?P<dm>{_MONTH})"
    rf"(?:,?{_WS}(?P<dy>{_YEAR}))?{_END}))"
    rf"|{_NUMBER_TAIL})"
)
_NUMBER_TAIL_RE = re.compile(rf"(?P<d>{_DIGITS}){_NUMBER_TAIL}")
_MONEY_PREFIX_RE = re.compile(
    rf"(?P<cur>{_CUR_PREFIX})(?P<d>\d{_INT_REST}(?:\.\d+)?)"
    rf"(?P<ds>{_DIGIT_SCALE}|(?:m|k)\b)?{_END}"
)
_DATE_MDY_RE = re.compile(
    rf"(?P<m>{_MONTH})(?:{_WS}(?P<d>{_DAY}))?(?:,?{_WS}(?P<y>{_YEAR}))?{_END}"
)
_PERIOD_MONTHS_RE = re.compile(
    rf"(?P<m1>{_MONTH})(?:{_WS}(?P<d1>{_DAY}))?(?:,?{_WS}(?P<y1>{_YEAR}))?{_RANGE_SEP}"
    rf"(?P<m2>{_MONTH})(?:{_WS}(?P<d2>{_DAY}))?(?:,?{_WS}(?P<y2>{_YEAR}))?{_END}"
)
_PERIOD_QH_RE = re.compile(rf"(?P<q>Q[1-4]|H[12]){_OF_YEAR}{_END}")

# Spelled-out numbers: a trigger, then anchored patterns tried at each trigger.
_TRIGGER_WORDS = [*_SMALL, *_ORD_WORDS] + [
    f"a {w}" for w in ("dozen", "hundred", "thousand", "million", "billion")
]
_TRIGGER_RE = re.compile(
    rf"(?:{_trie(_TRIGGER_WORDS + [w[0].upper() + w[1:] for w in _TRIGGER_WORDS])})\b"
)
_COUNT_WORD_RE = re.compile(rf"(?P<w>{_WORD_NUM}){_WORD_END}")
_PERCENT_WORD_RE = re.compile(rf"(?P<w>{_WORD_NUM}){_PCT}")
_MONEY_WORD_RE = re.compile(rf"(?P<w>{_WORD_NUM}){_OWS}(?P<cur>{_CUR_SUFFIX})(?!\w)")
_ORDINAL_WORD_RE = re.compile(rf"(?P<w>{_ORD_WORD}){_WORD_END}")
_PERIOD_PART_WORD_RE = re.compile(
    rf"(?:(?P<qo>(?i:first|second|third|fourth)){_WS}(?P<qh>(?i:quarter|half))"
    rf"|(?i:first){_WS}(?P<nn>{_CORE}|\d{{1,2}}){_WS}(?P<nu>(?i:months|quarters)))"
    rf"{_OF_YEAR}?{_END}"
)

_NP_TOKEN_RE = re.compile(rf"{_WS}([A-Za-z][A-Za-z0-9]*(?:[-’'][A-Za-z0-9]+)*)")
_SENT_DELIMS = ("\n", ". ", "! ", "? ", ".\u00a0", '." ', ".” ", ".) ")
_HAS_DIGIT_RE = re.compile(r"\d")
_LABEL_BEFORE_RE = re.compile(r"\b(?:No|no|Nos|nos|Vol|vol|pp?)\.[^\S\n]*$")
_CLOCK_AFTER_RE = re.compile(r"[^\S\n]*(?:[ap]\.m\.|[AP]\.M\.|[ap]m\b|[AP]M\b|o[’']clock)")
_SPACES_RE = re.compile(r"\s+")
_WORD_SPLIT_RE = re.compile(r"[\s-]+")

_LEVEL_QUAL_RE = re.compile(
    r"\b(?P<q>no more than|no less than|not less than|more than|less than|fewer than|"
    r"up to|at least|at most|as many as|as much as|as high as|in excess of|upwards? of|"
    r"close to|nearly|almost|about|around|approximately|roughly|some|over|above|under|below|"
    r"exceeds|exceeded|exceeding|exceed|surpassed|surpassing|surpasses|topped|tops|"
    r"(?:increased|rose|grew|climbed|jumped|decreased|fell|dropped|declined)\s+to|"
    r"reached|reaching|reaches|hit|totaled|totalled|totaling|totalling)"
    rf"{_WS}(?:a{_WS}total{_WS}of{_WS})?$",
    re.IGNORECASE,
)
_UP_RE = re.compile(
    rf"\b(?P<q>up(?:{_WS}(?:an?{_WS})?(?:increase|rise|growth|gain)(?:{_WS}(?:of|by))?"
    rf"|{_WS}by)?|(?:an?{_WS})?(?:increase|rise|growth|gain|jump|surge){_WS}(?:of|by)"
    rf"|(?:increased|rose|grew|climbed|jumped|gained|surged|rising|growing|increasing)"
    rf"(?:{_WS}by)?){_WS}$",
    re.IGNORECASE,
)
_DOWN_RE = re.compile(
    rf"\b(?P<q>down(?:{_WS}(?:an?{_WS})?(?:decrease|decline|drop|fall)(?:{_WS}(?:of|by))?"
    rf"|{_WS}by)?|(?:an?{_WS})?(?:decrease|decline|drop|fall|contraction){_WS}(?:of|by)"
    rf"|(?:decreased|declined|fell|dropped|shrank|slid|falling|declining|decreasing)"
    rf"(?:{_WS}by)?){_WS}$",
    re.IGNORECASE,
)
# The last word of every qualifier cue: the cue regexes only run after one of these.
_CUE_LAST = frozenset(
    """
    than to of least most as nearly almost about around approximately roughly some over above
    under below exceeds exceeded exceeding exceed surpassed surpassing surpasses topped tops
    reached reaching reaches hit totaled totalled totaling totalling up down by increased rose
    grew climbed jumped gained surged rising growing increasing decreased declined fell dropped
    shrank slid falling declining decreasing
    """.split()
)

_PRIORITY = {"period": 0, "date": 1, "money": 2, "percent": 3, "ordinal": 4, "count": 5, "year": 5}

# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _Cand:
    kind: str
    start: int
    end: int
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    normalized: str | None = None


def _norm_space(s: str) -> str:
    return _SPACES_RE.sub(" ", s).strip()


def _words_value(s: str) -> Decimal:
    """Value of a spelled-out number ("two hundred and fifty", "a dozen", "three million")."""
    total = Decimal(0)
    current = Decimal(0)
    for tok in _WORD_SPLIT_RE.split(s.lower()):
        if tok in _SMALL:
            current += _SMALL[tok]
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok == "dozen":
            current = (current or 1) * 12
        elif tok in _SCALES:
            total += (current or 1) * _SCALES[tok]
            current = Decimal(0)
    return total + current


def _number(digits: str | None, scale: str | None, words: str | None) -> float:
    if digits is not None:
        value = Decimal(digits.replace(",", ""))
        if scale:
            value *= _SCALES[scale.strip().lower()]
        return float(value)
    return float(_words_value(words or ""))


def _left_free(text: str, i: int) -> bool:
    """True when nothing word-like is glued to the left of ``text[i]``."""
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-$")


def _prev_word(text: str, pos: int) -> tuple[str, int] | None:
    """The word just before ``pos`` (spaces allowed between) and where it starts."""
    j = pos
    while j > 0 and text[j - 1] in " \t\u00a0":
        j -= 1
    k = j
    while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "’'-_"):
        k -= 1
    word = text[k:j]
    return (word, k) if word and word[0].isalpha() else None


def _prev_lower(text: str, pos: int) -> str:
    prev = _prev_word(text, pos)
    return prev[0].lower() if prev else ""


def _is_content(word: str) -> bool:
    low = word.lower()
    return low not in _STOP and low not in _NUMBERISH and low not in _MONTHS


def _noun_phrase(text: str, pos: int) -> str | None:
    """The counted noun phrase right after a number: "ports", "countries and regions"."""
    words: list[str] = []
    i = pos
    while len(words) < 6:
        m = _NP_TOKEN_RE.match(text, i)
        if not m:
            break
        w = m.group(1)
        low = w.lower()
        if words and low not in ("and", "or") and _plural_head(words[-1]):
            break  # a plural noun closes the phrase: "people live in", "ports linking"
        if len(words) == 1 and w[0].islower() and _counted_people(words[0]):
            break  # so does a people's name: "Huguenots fled"
        if low in ("and", "or"):
            # Coordinated nouns stay together ("countries and regions"), but only for a
            # one-word head; "52 pairs and 112 pairs" stops because a number follows.
            m2 = _NP_TOKEN_RE.match(text, m.end())
            if len(words) != 1 or not m2 or not _is_content(m2.group(1)):
                break
            if m2.group(1).lower() in _S_VERBS:
                break  # a verb, not a second noun: "512 members and grows apples"
            if words[0][0].islower() != m2.group(1)[0].islower():
                break
            words += [w, m2.group(1)]
            i = m2.end()
            continue
        if not _is_content(w):
            break
        plain = "-" not in w
        participle = plain and len(low) > 4 and low.endswith("ed") and low not in _ED_NOUNS
        if words:
            if participle or low in _S_VERBS:
                break  # a verb ends the phrase: "consulate general approved by"
            if plain and low.endswith("ly") and low not in _LY_NOUNS:
                break  # an adverb: "enterprises annually"
            if words[0][0].islower() and not w[0].islower():
                break  # a proper name starts: "ports Chongqing"
        elif participle:
            # "200 registered users" keeps the participle; "5 injured" and "first visited
            # Chongqing" do not form a counted noun.
            m2 = _NP_TOKEN_RE.match(text, m.end())
            if not m2 or not _is_content(m2.group(1)) or not m2.group(1)[0].islower():
                break
        words.append(w)
        i = m.end()
    return " ".join(words) if words else None


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` (looking back at most 400 characters)."""
    lo = max(0, pos - 400)
    start = lo
    for delim in _SENT_DELIMS:
        at = text.rfind(delim, lo, pos)
        if at >= 0 and at + len(delim) > start:
            start = at + len(delim)
    return start


def _at_sentence_start(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j < 0 or text[j] in '.!?\n"“”(:;'


def _qualifier(text: str, start: int, bare_direction: bool) -> str | None:
    """Words bounding the number: literal cues ("more than") or a direction ("up"/"down")."""
    if _prev_lower(text, start) not in _CUE_LAST:
        return None
    lo = max(0, start - 60)
    m = _LEVEL_QUAL_RE.search(text, lo, start)
    if m:
        return _norm_space(m.group("q")).lower()
    for regex, label in ((_UP_RE, "up"), (_DOWN_RE, "down")):
        m = regex.search(text, lo, start)
        if m and (bare_direction or m.group("q").lower() not in ("up", "down")):
            return label
    return None


def _with_range_word(text: str, start: int) -> tuple[int, bool]:
    """Extend a range back over "from"/"between"; report whether it was "between"."""
    prev = _prev_word(text, start)
    if prev and prev[0].lower() in ("from", "between"):
        return prev[1], prev[0].lower() == "between"
    return start, False


def _looks_plural(unit: str) -> bool:
    last = unit.split()[-1].lower()
    if last in _IRREGULAR_PLURALS:
        return True
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "ics", "ous"))


def _counted_people(unit: str) -> bool:
    """ "Huguenots", "Americans": one capitalized word that reads as a plural."""
    return (
        " " not in unit
        and len(unit) > 3
        and unit[0].isupper()
        and unit[1:].islower()
        and _looks_plural(unit)
    )


def _plural_head(word: str) -> bool:
    """A lowercase plural noun, which ends an English noun phrase ("ports", "people")."""
    return word[0].islower() and word.lower() not in _S_MODIFIERS and _looks_plural(word)


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _day(s: str | None) -> int | None:
    return int(s.rstrip("stndrh")) if s else None


def _ymd(year: int | None, month: int, day: int | None) -> str:
    head = f"{year:04d}-{month:02d}" if year is not None else f"--{month:02d}"
    return f"{head}-{day:02d}" if day is not None else head


# --------------------------------------------------------------------------- per pattern
# Each handler turns one reading into a candidate, or None when a rule rejects it.


def _period_months(text: str, m: re.Match[str]) -> _Cand | None:
    """ "January to May 2022", "from November to February 2022", "between May and July"."""
    if not _left_free(text, m.start()):
        return None
    start, between = _with_range_word(text, m.start())
    if m.group("sepw") == "and" and not between:
        return None
    m1, m2 = _month(m.group("m1")), _month(m.group("m2"))
    y1 = int(m.group("y1")) if m.group("y1") else None
    y2 = int(m.group("y2")) if m.group("y2") else y1
    if y1 is None and y2 is not None:
        y1 = y2 if m1 <= m2 else y2 - 1  # "November to February 2022"
    norm = f"{_ymd(y1, m1, _day(m.group('d1')))}/{_ymd(y2, m2, _day(m.group('d2')))}"
    return _Cand("period", start, m.end(), normalized=norm)


def _period_years(text: str, m: re.Match[str]) -> _Cand | None:
    """ "from 2019 to 2021", "between 2010 and 2015", "2019-21"."""
    start, between = _with_range_word(text, m.start())
    if m.group("sepw") == "and" and not between:
        return None
    raw1, raw2 = m.group("d"), m.group("y2")
    if len(raw1) != 4 or not raw1.isdigit():
        return None
    y1 = int(raw1)
    if len(raw2) == 2:
        if not m.group("dash"):
            return None
        y2 = y1 // 100 * 100 + int(raw2)
    else:
        y2 = int(raw2)
    if not 1900 <= y1 < y2 <= 2100:
        return None
    return _Cand("period", start, m.end("range"), normalized=f"{y1}/{y2}")


def _months_of_year(m: re.Match[str], first: int, last: int) -> _Cand:
    y = int(m.group("y")) if m.group("y") else None
    norm = f"{_ymd(y, first, None)}/{_ymd(y, last, None)}"
    return _Cand("period", m.start(), m.end(), normalized=norm)


def _period_part(n: int, m: re.Match[str]) -> _Cand | None:
    """ "first quarter of 2021", "2nd half", "the first five months of 2022"."""
    groups = m.groupdict()
    if groups.get("nn"):
        raw = groups["nn"]
        count = int(raw) if raw.isdigit() else int(_words_value(raw))
        months = count * 3 if groups["nu"].lower() == "quarters" else count
        return _months_of_year(m, 1, months) if 1 <= months <= 12 else None
    if groups["qh"].lower() == "quarter":
        return _months_of_year(m, 3 * n - 2, 3 * n) if 1 <= n <= 4 else None
    return _months_of_year(m, 6 * n - 5, 6 * n) if 1 <= n <= 2 else None


def _period_qh(text: str, m: re.Match[str]) -> _Cand | None:
    """ "Q1 2021", "H2 2022" (a bare "Q1" or "H1" is too often a label)."""
    if not _left_free(text, m.start()):
        return None
    n = int(m.group("q")[1])
    if m.group("q")[0] == "Q":
        return _months_of_year(m, 3 * n - 2, 3 * n)
    return _months_of_year(m, 6 * n - 5, 6 * n)


def _date(start: int, end: int, year: str | None, month: int, day: str | None) -> _Cand | None:
    d = _day(day)
    if d is not None and not 1 <= d <= 31:
        return None
    y = int(year) if year else None
    if y is not None and not 1900 <= y <= 2100:
        return None
    return _Cand("date", start, end, normalized=_ymd(y, month, d))


def _date_mdy(text: str, m: re.Match[str]) -> _Cand | None:
    """ "July 12", "July 12, 2022", "July 2022" (a bare "May" is not a date)."""
    if not (m.group("d") or m.group("y")) or not _left_free(text, m.start()):
        return None
    return _date(m.start(), m.end(), m.group("y"), _month(m.group("m")), m.group("d"))


def _money(text: str, m: re.Match[str]) -> _Cand | None:
    groups = m.groupdict()
    if m.re is _MONEY_PREFIX_RE and not _left_free(text, m.start()):
        return None
    value = _number(groups.get("d"), groups.get("ds"), groups.get("w"))
    unit = CURRENCY[_norm_space(m.group("cur")).lower()]
    if m.group("cur") == "¥":
        unit = _yen_or_yuan(text)
    return _Cand("money", m.start(), m.end(), value, unit, _qualifier(text, m.start(), True))


_YEN_WORDS = re.compile(r"\b(yen|jpy|japan|japanese|tokyo)\b", re.I)
_YUAN_WORDS = re.compile(r"\b(yuan|renminbi|rmb|cny|china|chinese)\b", re.I)


def _yen_or_yuan(text: str) -> str:
    """ "¥" in a text about Japan (and not China) is yen; otherwise yuan."""
    return "JPY" if _YEN_WORDS.search(text) and not _YUAN_WORDS.search(text) else "CNY"


def _percent(text: str, m: re.Match[str]) -> _Cand | None:
    groups = m.groupdict()
    value = _number(groups.get("d"), None, groups.get("w"))
    return _Cand("percent", m.start(), m.end(), value, None, _qualifier(text, m.start(), True))


def _ordinal(text: str, m: re.Match[str]) -> _Cand | None:
    unit = _noun_phrase(text, m.end())
    groups = m.groupdict()
    if groups.get("d") is not None:
        digits = groups["d"].replace(",", "")
        if not digits.isdigit():
            return None  # "2.5th"
        return _Cand("ordinal", m.start(), m.end(), float(digits), unit)
    word = groups["w"].lower()
    prev = _prev_lower(text, m.start())
    if word == "second":
        # The unit of time: "a second", "per second", "5 second delay".
        if prev == "per" or (
            unit is None
            and (
                prev in ("a", "one", "each", "every", "split")
                or text[max(0, m.start() - 12) : m.start()].rstrip()[-1:].isdigit()
            )
        ):
            return None
    if unit is None and prev != "the":
        return None  # "First, ..." / "at first" are adverbs; "the first to open" is kept
    if "-" in word:
        tens, units = word.split("-")
        value = _TENS[tens] + _ORD_UNITS[units]
    else:
        value = _ORD_WORDS[word]
    return _Cand("ordinal", m.start(), m.end(), float(value), unit)


def _count(text: str, m: re.Match[str]) -> _Cand | None:
    start, end = m.start(), m.end()
    groups = m.groupdict()
    digits, scale, words = groups.get("d"), groups.get("ds"), groups.get("w")
    if digits is not None and (
        _LABEL_BEFORE_RE.search(text, max(0, start - 6), start) or _CLOCK_AFTER_RE.match(text, end)
    ):
        return None  # a label or a time of day: "No. 1", "8 a.m."
    unit = _noun_phrase(text, end)
    prev = _prev_word(text, start)
    prev_low = prev[0].lower() if prev else ""
    capital_unit = unit is not None and all(w[0].isupper() for w in unit.split())
    # One capitalized plural after a count is the people counted ("500,000 Huguenots", "300
    # Americans"); it counts only when the number is no year ("in 1066 Normans …" is one).
    people = unit if capital_unit and _counted_people(unit) else None
    if capital_unit:
        unit = None  # a name follows, not a counted noun: "in 2021 Chongqing ..."
    if words is not None:
        if words[0].isupper() and capital_unit and not _at_sentence_start(text, start):
            return None  # part of a name: "the Three Gorges Dam", "One Belt, One Road"
        if words.lower() == "one" and (
            unit is None or prev_low in ("the", "this", "that", "no", "any", "every", "each")
        ):
            return None  # the pronoun: "one of the largest", "no one"
    value = _number(digits, scale, words)
    era = _ERA_AFTER_RE.match(text, end) if digits is not None and not scale else None
    if era or (digits is not None and not scale and prev and prev[0] in ("AD", "A.D")):
        # "430 BC", "AD 79", "1066 AD": a year of any size, negative before the era
        if era:
            end = era.end()
        negative = era is not None and era.group(1).upper().startswith("B")
        return _Cand("year", start, end, -value if negative else value, None, None, digits)
    if digits is not None and not scale and len(digits) == 4 and 1000 <= value < 1900:
        # An older year needs a word of time before it: "in 1066", "since 1871";
        # "1500 soldiers" and "a population of 1500" are counts.
        if prev_low in _OLD_YEAR_PREPS and unit is None and not _RANGE_AFTER_RE.match(text, end):
            return _Cand("year", start, end, value, None, None, digits)
    if digits is not None and not scale and len(digits) == 4 and 1900 <= value <= 2100:
        # "319 ports" is a count, "in 2021" a year; a four-digit number is a count only
        # when a plural noun follows and no preposition of time precedes ("2000 people").
        plural = unit is not None and unit[0].islower() and _looks_plural(unit)
        if prev_low in _YEAR_PREPS or not plural:
            return _Cand("year", start, end, value, None, None, digits)
    if (
        digits is not None
        and prev
        and prev[0][0].isupper()
        and prev_low not in _STOP
        and prev_low not in _MONTHS
        and not _at_sentence_start(text, prev[1])
    ):
        return None  # an identifier: "Line 3", "Terminal 2", "Section 230 applies"
    if prev_low in ("minus", "negative"):
        start, value = prev[1], -value  # "minus 5 degrees"
    if unit is None and people and (words is None or not words[0].isupper()):
        unit = people
    if unit is None:
        sent = _sentence_start(text, start)
        at = text[sent:start].lower().rfind("number of")
        if at >= 0:
            # "the number of international routes ... has increased to 108"
            unit = _noun_phrase(text, sent + at + len("number of"))
    return _Cand("count", start, end, value, unit, _qualifier(text, start, False))


def _number_tail(text: str, m: re.Match[str]) -> _Cand | None:
    """A number read on its own: ordinal, decade, money, percent, count or year."""
    if m.group("ord"):
        if m.group("part"):
            cand = _period_part(int(m.group("d")) if m.group("d").isdigit() else 0, m)
            if cand is not None:
                return cand
            tail = _NUMBER_TAIL_RE.match(text, m.start(), m.start("part"))
            return _ordinal(text, tail) if tail is not None else None
        return _ordinal(text, m)
    if m.group("dec"):
        dec = int(m.group("d")) if m.group("d").isdigit() else 0
        if 1800 <= dec <= 2090 and dec % 10 == 0:
            return _Cand("period", m.start(), m.end(), normalized=f"{dec}/{dec + 9}")
        return None
    if m.group("cur"):
        return _money(text, m)
    if m.group("pct"):
        return _percent(text, m)
    return _count(text, m)


def _number_match(text: str, m: re.Match[str]) -> _Cand | None:
    """Dispatch a _NUMBER_RE match; a rejected long reading falls back to the number."""
    cand = None
    if m.group("iso") is not None:
        if m.group("d").isdigit():  # not "1,234-07-12"
            cand = _date(m.start(), m.end("iso"), m.group("d"), int(m.group("im")), m.group("id"))
    elif m.group("range") is not None:
        cand = _period_years(text, m)
    elif m.group("dmy") is not None:
        cand = _date(
            m.start(),
            m.end("dmy"),
            m.group("dy"),
            _month(m.group("dm")),
            m.group("d") if m.group("d").isdigit() else None,
        )
        if m.group("d") and not m.group("d").isdigit():
            cand = None  # "1.5 May"
    else:
        return _number_tail(text, m)
    if cand is not None:
        return cand
    tail = _NUMBER_TAIL_RE.match(text, m.start())
    return _number_tail(text, tail) if tail is not None else None


def _period_part_word(text: str, m: re.Match[str]) -> _Cand | None:
    qo = m.group("qo")
    return _period_part(_ORD_WORDS[qo.lower()] if qo else 0, m)


_SCANNERS = (
    (_NUMBER_RE, _number_match),
    (_MONEY_PREFIX_RE, _money),
    (_DATE_MDY_RE, _date_mdy),
    (_PERIOD_QH_RE, _period_qh),
)
_WORD_MATCHERS = (
    (_PERIOD_PART_WORD_RE, _period_part_word),
    (_MONEY_WORD_RE, _money),
    (_PERCENT_WORD_RE, _percent),
    (_ORDINAL_WORD_RE, _ordinal),
    (_COUNT_WORD_RE, _count),
)


def _candidates(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    if _HAS_DIGIT_RE.search(text):
        for regex, handler in _SCANNERS:
            for m in regex.finditer(text):
                cand = handler(text, m)
                if cand is not None:
                    out.append(cand)
    for m in _PERIOD_MONTHS_RE.finditer(text):  # "from January to May" needs no digit
        cand = _period_months(text, m)
        if cand is not None:
            out.append(cand)
    for trigger in _TRIGGER_RE.finditer(text):
        pos = trigger.start()
        if not _left_free(text, pos):
            continue  # "ten" inside "often"
        for regex, handler in _WORD_MATCHERS:
            m = regex.match(text, pos)
            if m is not None:
                cand = handler(text, m)
                if cand is not None:
                    out.append(cand)
    return out


# --------------------------------------------------------------------------- public API


def extract_facts(text: str, doc: str = "") -> list[Fact]:
    """Every numeric fact in ``text``, sorted by start; offsets index ``text``.

    Candidates of all kinds are resolved by priority, then length, so each character
    belongs to at most one fact and the most specific reading wins ("first quarter of
    2021" is one period, not an ordinal and a year).
    """
    if not text:
        return []
    cands = _candidates(text)
    cands.sort(key=lambda c: (_PRIORITY[c.kind], c.start - c.end, c.start))
    taken: list[_Cand] = []
    used = bytearray(len(text))  # 1 where an accepted fact already lies
    for c in cands:
        if used.find(1, c.start, c.end) < 0:
            taken.append(c)
            used[c.start : c.end] = b"\x01" * (c.end - c.start)
    taken.sort(key=lambda c: c.start)
    return [
        Fact(
            text=text[c.start : c.end],
            kind=c.kind,
            value=c.value,
            unit=c.unit,
            doc=doc,
            start=c.start,
            end=c.end,
            qualifier=c.qualifier,
            normalized=c.normalized,
        )
        for c in taken
    ]


def facts_in_span(facts: Iterable[Fact], start: int, end: int) -> list[Fact]:
    """The facts lying wholly inside ``[start, end)``, e.g. those of one retrieved passage."""
    return [f for f in facts if f.start >= start and f.end <= end]
