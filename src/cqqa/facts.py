"""Rule-based extraction of the numbers a news text states.

Questions about a document are very often questions about its numbers ("how many ports",
"how much was trade worth", "when did it open"), so every number is lifted into a
:class:`~cqqa.records.Fact` with a normalized value, a unit and the words that bound it.

Design:

* One regex pass per kind (all compiled once at import), then overlap resolution by
  priority: period > date > money > percent > ordinal > count/year. So the "2022" inside
  "January to May 2022" and the "billion" inside "343.83 billion CNY" are never reported
  twice.
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
from decimal import Decimal, InvalidOperation

from cqqa.records import Fact

__all__ = ["KINDS", "extract_facts", "facts_in_span"]

KINDS = ("count", "money", "percent", "date", "period", "ordinal", "year")

# --------------------------------------------------------------------------- vocabulary

_UNITS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
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

_ORD_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_ORD_WORDS = {
    **_ORD_UNITS,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "thousandth": 1000,
    "millionth": 10**6,
}

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# Currency words/symbols → ISO 4217. "¥" is read as yuan: the corpus is Chinese news.
_CURRENCY = {
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
_NUMBERISH = frozenset(_SMALL) | frozenset(_ORD_WORDS) | frozenset(_SCALES) | {"hundred"}

# --------------------------------------------------------------------------- patterns


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# Whitespace inside a fact: spaces/NBSP, at most one line break (not a paragraph break).
_WS = r"(?:[^\S\n]+(?:\n[^\S\n]*)?|\n[^\S\n]*)"
_OWS = rf"(?:{_WS})?"
_INT = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_DIGITS = rf"{_INT}(?:\.\d+)?"
# A digit run stands alone: not glued to letters, "$", "-" (COVID-19), ":" (10:30), "/" ...
_NUM_LB = r"(?<![\w.,$€£¥₹₩:/#’'-])"
_NUM_LA = r"(?![\w%]|[.,:/]\d|-\w)"
_WORD_LB = r"(?<![\w-])"
_WORD_LA = r"(?![\w]|-\w)"
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
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"

_COUNT_RE = re.compile(
    rf"{_NUM_LB}(?P<d>{_DIGITS})(?P<ds>{_DIGIT_SCALE})?{_NUM_LA}"
    rf"|{_WORD_LB}(?P<w>{_WORD_NUM}){_WORD_LA}"
)
_PERCENT_RE = re.compile(
    rf"(?:{_NUM_LB}(?P<d>{_DIGITS})|{_WORD_LB}(?P<w>{_WORD_NUM}))"
    rf"(?:{_OWS}%|{_WS}(?i:percent|per{_WS}cent|pct)\b)"
)
_MONEY_PREFIX_RE = re.compile(
    r"(?<![\w$])(?P<cur>US\$|U\.S\.\$|HK\$|S\$|A\$|C\$|NZ\$|NT\$|R\$|\$|€|£|¥|₹|₩"
    rf"|(?:RMB|CNY|USD|EUR|GBP|JPY|HKD|SGD|AUD|CAD|CHF|INR|KRW)(?![A-Za-z]){_OWS})"
    rf"(?P<d>{_DIGITS})(?P<ds>{_DIGIT_SCALE}|(?:m|k)\b)?(?![\w%]|[.,:/]\d|-\w)"
)
_MONEY_SUFFIX_RE = re.compile(
    rf"(?:{_NUM_LB}(?P<d>{_DIGITS})(?P<ds>{_DIGIT_SCALE})?|{_WORD_LB}(?P<w>{_WORD_NUM}))"
    rf"{_OWS}(?P<cur>RMB|CNY|USD|EUR|GBP|JPY|HKD|SGD|AUD|CAD|CHF|INR|KRW"
    rf"|(?i:(?:US|U\.S\.|American|Hong{_WS}Kong|Singapore|Australian|Canadian"
    rf"|New{_WS}Zealand|Taiwan|NT){_WS}dollars?|yuan|renminbi|dollars?|euros?|yen"
    rf"|pounds{_WS}sterling|rupees?|rubles?|roubles?))(?![\w])"
)
_ORDINAL_RE = re.compile(
    rf"{_NUM_LB}(?P<d>{_INT})(?P<suf>st|nd|rd|th){_WORD_LA}|{_WORD_LB}(?P<w>{_ORD_WORD}){_WORD_LA}"
)
_DATE_MDY_RE = re.compile(
    rf"(?<![\w-])(?P<m>{_MONTH})(?:{_WS}(?P<d>{_DAY}))?(?:,?{_WS}(?P<y>{_YEAR}))?"
    rf"(?![\w]|[.,:/]\d|-\w)"
)
_DATE_DMY_RE = re.compile(
    rf"{_NUM_LB}(?P<d>{_DAY})(?:{_WS}of)?{_WS}(?P<m>{_MONTH})(?:,?{_WS}(?P<y>{_YEAR}))?"
    rf"(?![\w]|[.,:/]\d|-\w)"
)
_DATE_ISO_RE = re.compile(
    rf"(?<![\w./-])(?P<y>{_YEAR})(?P<sep>[-/])(?P<m>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<d>0[1-9]|[12]\d|3[01])(?![\w]|[-/.]\d)"
)
_RANGE_SEP = rf"(?:{_OWS}(?P<dash>[-–—]){_OWS}|{_WS}(?P<sepw>to|through|till|until|and){_WS})"
_PERIOD_MONTHS_RE = re.compile(
    rf"(?:(?P<pre>(?i:from|between)){_WS})?(?<![\w-])"
    rf"(?P<m1>{_MONTH})(?:{_WS}(?P<d1>{_DAY}))?(?:,?{_WS}(?P<y1>{_YEAR}))?"
    rf"{_RANGE_SEP}"
    rf"(?P<m2>{_MONTH})(?:{_WS}(?P<d2>{_DAY}))?(?:,?{_WS}(?P<y2>{_YEAR}))?"
    rf"(?![\w]|[.,:/]\d|-\w)"
)
_PERIOD_YEARS_RE = re.compile(
    rf"(?:(?P<pre>(?i:from|between)){_WS})?(?<![\w.,$-])"
    rf"(?P<y1>{_YEAR}){_RANGE_SEP}(?P<y2>{_YEAR}|\d\d)(?![\w%]|[.,:/]\d|-\w)"
)
_PERIOD_PART_RE = re.compile(
    rf"(?<![\w-])(?:(?P<qo>(?i:first|second|third|fourth|1st|2nd|3rd|4th))"
    rf"{_WS}(?P<qh>(?i:quarter|half))"
    rf"|(?i:first){_WS}(?P<nn>{_CORE}|\d{{1,2}}){_WS}(?P<nu>(?i:months|quarters))"
    rf"|(?P<qq>Q[1-4])|(?P<hh>H[12]))"
    rf"(?:(?:{_WS}(?i:of)|,)?{_WS}(?P<y>{_YEAR}))?(?![\w]|[.,:/]\d|-\w)"
)
_PERIOD_DECADE_RE = re.compile(r"(?<![\w’'$-])(?P<dec>(?:1[89]|20)\d0)s\b")

_NP_TOKEN_RE = re.compile(rf"{_WS}([A-Za-z][A-Za-z0-9]*(?:[-’'][A-Za-z0-9]+)*)")
_PREV_WORD_RE = re.compile(r"([A-Za-z][\w’'.-]*)[^\S\n]*$")
_NUMBER_OF_RE = re.compile(r"\bnumber\s+of\b", re.IGNORECASE)
_SENT_END_RE = re.compile(r"[.!?][\"”’)]?\s|\n")

_LEVEL_QUAL_RE = re.compile(
    r"\b(?P<q>no more than|no less than|not less than|more than|less than|fewer than|"
    r"up to|at least|at most|as many as|as much as|as high as|in excess of|close to|"
    r"nearly|almost|about|around|approximately|roughly|some|over|above|under|below|"
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
_SPACES_RE = re.compile(r"\s+")

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


def _decimal(s: str) -> Decimal:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex only admits digits
        return Decimal(0)


def _words_value(s: str) -> Decimal:
    """Value of a spelled-out number ("two hundred and fifty", "a dozen", "three million")."""
    total = Decimal(0)
    current = Decimal(0)
    for tok in re.split(r"[\s-]+", s.lower()):
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
        value = _decimal(digits)
        if scale:
            value *= _SCALES[scale.strip().lower()]
        return float(value)
    return float(_words_value(words or ""))


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
        if low in ("and", "or"):
            # Coordinated nouns stay together ("countries and regions"), but only for a
            # one-word head; "52 pairs and 112 pairs" stops because a number follows.
            m2 = _NP_TOKEN_RE.match(text, m.end())
            if len(words) != 1 or not m2 or not _is_content(m2.group(1)):
                break
            if words[0][0].islower() != m2.group(1)[0].islower():
                break
            words += [w, m2.group(1)]
            i = m2.end()
            continue
        if not _is_content(w):
            break
        plain = "-" not in w
        if words:
            if plain and len(low) > 4 and low.endswith("ed") and low not in _ED_NOUNS:
                break  # a participle ends the phrase: "consulate general approved by"
            if low in _S_VERBS:
                break
            if plain and low.endswith("ly") and low not in _LY_NOUNS:
                break  # an adverb: "enterprises annually"
            if words[0][0].islower() and not w[0].islower():
                break  # a proper name starts: "ports Chongqing"
        elif plain and len(low) > 4 and low.endswith("ed") and low not in _ED_NOUNS:
            # "200 registered users" keeps the participle; "5 injured" / "first visited
            # Chongqing" do not form a counted noun.
            m2 = _NP_TOKEN_RE.match(text, m.end())
            if not m2 or not _is_content(m2.group(1)) or not m2.group(1)[0].islower():
                break
        words.append(w)
        i = m.end()
    return " ".join(words) if words else None


def _sentence_start(text: str, pos: int) -> int:
    lo = max(0, pos - 400)
    start = lo
    for m in _SENT_END_RE.finditer(text, lo, pos):
        start = m.end()
    return start


def _at_sentence_start(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j < 0 or text[j] in '.!?\n"“”(:;'


def _prev_word(text: str, pos: int) -> str | None:
    m = _PREV_WORD_RE.search(text, max(0, pos - 40), pos)
    return m.group(1) if m else None


def _level_qualifier(text: str, start: int) -> str | None:
    m = _LEVEL_QUAL_RE.search(text, max(0, start - 60), start)
    return _norm_space(m.group("q")).lower() if m else None


def _direction(text: str, start: int, allow_bare: bool) -> str | None:
    lo = max(0, start - 60)
    for regex, label in ((_UP_RE, "up"), (_DOWN_RE, "down")):
        m = regex.search(text, lo, start)
        if m and (allow_bare or m.group("q").lower() not in ("up", "down")):
            return label
    return None


def _looks_plural(unit: str) -> bool:
    last = unit.split()[-1].lower()
    return (last.endswith("s") and not last.endswith("ss")) or last in _IRREGULAR_PLURALS


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _day(s: str | None) -> int | None:
    return int(re.sub(r"\D", "", s)) if s else None


def _ymd(year: int | None, month: int, day: int | None) -> str:
    head = f"{year:04d}-{month:02d}" if year is not None else f"--{month:02d}"
    return f"{head}-{day:02d}" if day is not None else head


# --------------------------------------------------------------------------- per kind


def _periods(text: str) -> Iterable[_Cand]:
    for m in _PERIOD_MONTHS_RE.finditer(text):
        if m.group("sepw") == "and" and not m.group("pre"):
            continue
        m1, m2 = _month(m.group("m1")), _month(m.group("m2"))
        y1 = int(m.group("y1")) if m.group("y1") else None
        y2 = int(m.group("y2")) if m.group("y2") else None
        if y2 is None:
            y2 = y1
        if y1 is None and y2 is not None:
            y1 = y2 if m1 <= m2 else y2 - 1  # "November to February 2022"
        norm = f"{_ymd(y1, m1, _day(m.group('d1')))}/{_ymd(y2, m2, _day(m.group('d2')))}"
        yield _Cand("period", m.start(), m.end(), normalized=norm)
    for m in _PERIOD_YEARS_RE.finditer(text):
        if m.group("sepw") == "and" and not m.group("pre"):
            continue
        y1 = int(m.group("y1"))
        raw = m.group("y2")
        if len(raw) == 2:
            if not m.group("dash"):
                continue
            y2 = y1 // 100 * 100 + int(raw)
        else:
            y2 = int(raw)
        if y2 <= y1:
            continue
        yield _Cand("period", m.start(), m.end(), normalized=f"{y1}/{y2}")
    for m in _PERIOD_PART_RE.finditer(text):
        y = int(m.group("y")) if m.group("y") else None
        if m.group("qo"):
            ordinal = m.group("qo").lower()
            n = _ORD_WORDS.get(ordinal) or int(ordinal[0])
            if m.group("qh").lower() == "quarter":
                first, last = 3 * n - 2, 3 * n
            elif n <= 2:
                first, last = 6 * n - 5, 6 * n
            else:
                continue
        elif m.group("nn"):
            raw = m.group("nn")
            n = int(raw) if raw.isdigit() else int(_words_value(raw))
            months = n * 3 if m.group("nu").lower() == "quarters" else n
            if not 1 <= months <= 12:
                continue
            first, last = 1, months
        elif y is None:
            continue  # a bare "Q1"/"H1" is too often a label
        elif m.group("qq"):
            n = int(m.group("qq")[1])
            first, last = 3 * n - 2, 3 * n
        else:
            n = int(m.group("hh")[1])
            first, last = 6 * n - 5, 6 * n
        yield _Cand(
            "period", m.start(), m.end(), normalized=f"{_ymd(y, first, None)}/{_ymd(y, last, None)}"
        )
    for m in _PERIOD_DECADE_RE.finditer(text):
        dec = int(m.group("dec"))
        yield _Cand("period", m.start(), m.end(), normalized=f"{dec}/{dec + 9}")


def _dates(text: str) -> Iterable[_Cand]:
    for regex in (_DATE_MDY_RE, _DATE_DMY_RE):
        for m in regex.finditer(text):
            if not m.group("d") and not m.group("y"):
                continue  # a bare month name ("May") is not a date
            y = int(m.group("y")) if m.group("y") else None
            norm = _ymd(y, _month(m.group("m")), _day(m.group("d")))
            yield _Cand("date", m.start(), m.end(), normalized=norm)
    for m in _DATE_ISO_RE.finditer(text):
        norm = _ymd(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        yield _Cand("date", m.start(), m.end(), normalized=norm)


def _money(text: str) -> Iterable[_Cand]:
    for regex in (_MONEY_PREFIX_RE, _MONEY_SUFFIX_RE):
        for m in regex.finditer(text):
            groups = m.groupdict()
            cur = _norm_space(m.group("cur")).lower()
            value = _number(groups.get("d"), groups.get("ds"), groups.get("w"))
            qual = _level_qualifier(text, m.start()) or _direction(text, m.start(), True)
            yield _Cand("money", m.start(), m.end(), value, _CURRENCY[cur], qual)


def _percents(text: str) -> Iterable[_Cand]:
    for m in _PERCENT_RE.finditer(text):
        value = _number(m.group("d"), None, m.group("w"))
        qual = _level_qualifier(text, m.start()) or _direction(text, m.start(), True)
        yield _Cand("percent", m.start(), m.end(), value, None, qual)


def _is_time_second(text: str, m: re.Match[str], unit: str | None) -> bool:
    """ "a second", "per second", "5 second delay": the unit of time, not an ordinal."""
    prev = (_prev_word(text, m.start()) or "").lower()
    if prev == "per":
        return True
    return unit is None and (
        prev in ("a", "one", "each", "every", "split")
        or re.search(r"\d[^\S\n]*$", text[max(0, m.start() - 5) : m.start()]) is not None
    )


def _ordinals(text: str) -> Iterable[_Cand]:
    for m in _ORDINAL_RE.finditer(text):
        unit = _noun_phrase(text, m.end())
        if m.group("d") is not None:
            value = float(_decimal(m.group("d")))
        else:
            word = m.group("w").lower()
            if word == "second" and _is_time_second(text, m, unit):
                continue
            if "-" in word:
                tens, units = word.split("-")
                value = float(_TENS[tens] + _ORD_UNITS[units])
            else:
                value = float(_ORD_WORDS[word])
            # "First, ..." / "at first" are adverbs: keep a word ordinal only when it
            # modifies a noun or follows "the" ("the first to open").
            if unit is None and (_prev_word(text, m.start()) or "").lower() != "the":
                continue
        yield _Cand("ordinal", m.start(), m.end(), value, unit)


def _counts(text: str) -> Iterable[_Cand]:
    for m in _COUNT_RE.finditer(text):
        start, end = m.start(), m.end()
        digits, scale, words = m.group("d"), m.group("ds"), m.group("w")
        unit = _noun_phrase(text, end)
        prev = _prev_word(text, start)
        prev_low = (prev or "").lower()
        if unit is not None and all(w[0].isupper() for w in unit.split()):
            capital_unit = True
            unit = None
        else:
            capital_unit = False
        if words is not None:
            low = words.lower()
            if words[0].isupper() and capital_unit and not _at_sentence_start(text, start):
                continue  # part of a name: "the Three Gorges Dam", "One Belt, One Road"
            if low == "one" and (
                unit is None or prev_low in ("the", "this", "that", "no", "any", "every", "each")
            ):
                continue  # the pronoun: "one of the largest", "no one"
        value = _number(digits, scale, words)
        if (
            digits is not None
            and not scale
            and re.fullmatch(r"\d{4}", digits)
            and 1900 <= value <= 2100
        ):
            plural_unit = unit is not None and unit[0].islower() and _looks_plural(unit)
            if prev_low in _YEAR_PREPS or not plural_unit:
                yield _Cand("year", start, end, value, None, None, digits)
                continue
        if unit is None:
            sent = _sentence_start(text, start)
            of = None
            for of in _NUMBER_OF_RE.finditer(text, sent, start):
                pass
            if of is not None:
                unit = _noun_phrase(text, of.end())
            elif (
                digits is not None
                and prev
                and prev[0].isupper()
                and prev_low not in _STOP
                and prev_low.rstrip(".") not in _MONTHS
                and not _at_sentence_start(text, start - len(prev))
            ):
                continue  # an identifier: "Line 3", "Terminal 2", "Apollo 11"
        qual = _level_qualifier(text, start) or _direction(text, start, False)
        yield _Cand("count", start, end, value, unit, qual)


_EXTRACTORS = (_periods, _dates, _money, _percents, _ordinals, _counts)

# --------------------------------------------------------------------------- public API


def extract_facts(text: str, doc: str = "") -> list[Fact]:
    """Every numeric fact in ``text``, sorted by start; offsets index ``text``.

    Candidates from all kinds are resolved by priority, then length, so each character
    belongs to at most one fact and the most specific reading wins.
    """
    if not text or not any(c.isdigit() or c.isalpha() for c in text):
        return []
    cands = [c for extract in _EXTRACTORS for c in extract(text)]
    cands.sort(key=lambda c: (_PRIORITY[c.kind], c.start - c.end, c.start))
    taken: list[_Cand] = []
    for c in cands:
        if all(c.end <= t.start or c.start >= t.end for t in taken):
            taken.append(c)
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
    """The facts lying wholly inside ``[start, end)`` — e.g. those of one retrieved passage."""
    return [f for f in facts if f.start >= start and f.end <= end]
