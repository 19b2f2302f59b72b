"""What a question asks for and what it constrains, read from its words alone."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from .errors import InputError
from .lexicon import CARDINALS, MONTH_NAMES, ORDINALS
from .lexicon import MONTHS as LEXICON_MONTHS
from .textutil import STOPWORDS, normalize_apostrophes, stem, words

MONTHS = MONTH_NAMES
# A month's name or abbreviation -> its name ("sept" -> "september").
_MONTH_ABBR = {word: MONTH_NAMES[n - 1] for word, n in LEXICON_MONTHS.items()}
CARDINAL_WORDS = frozenset(w for w, n in CARDINALS.items() if n >= 2) | {"hundred"}
_SCALE_ORDINALS = frozenset({"hundredth", "thousandth", "millionth"})
# Adverbs that end a counted noun phrase: "how many harbours worldwide".
_ADVERBS = frozenset(
    "worldwide nationwide statewide citywide countrywide overall altogether abroad globally "
    "annually now today currently total".split()
)
_YEAR = re.compile(r"\b(1\d\d\d|20\d\d|2100)\b")
AUXILIARIES = frozenset(
    "is are was were did does do has have had will can could would should may might must shall "
    "got gets s".split()
)

# Strong cues: the question word itself says what kind of answer is wanted.
# After an opening "when", what makes it a clause: a later question word after a comma, or a
# later "what" anywhere.
# (A relative clause is closed by a comma, ", who wrote many poems, born?": the question word
# after the last comma is the one that asks, "…, which ferry left first?")
_CLAUSE_BODY = r"[^?]*,\s*(?:what|which|who|whom|whose|where|why|how)\b[^,?]*(?:\?|$)|[^?]*\bwhat\b"
_CLAUSE = rf"(?!{_CLAUSE_BODY})"
_STRONG = [
    (
        r"\b(what|which)\s+(percentage|percent|share|proportion|growth rate|rate)\b"
        r"|\bby what (percentage|percent|rate)\b|\bin percentage terms\b|\bper ?cent(age)?\b"
        r"|\bgrowth rate\b",
        "percent",
    ),
    (r"\bhow many (years|months|weeks|days|decades|centuries)\b", "period"),
    (
        r"\bhow many\b|(^|\b(the|total|a))\s*(?:(?:current|present|overall|total|average|"
        r"combined|annual|yearly|exact|same|new)\s+)?number of\b|\bwhat number of\b|\bcount of\b",
        "count",
    ),
    (
        r"\b(what|which)\s+(months?|period|time ?frame|span|time period)\b"
        r"|\bover what (period|time)\b|\bduring which months\b",
        "period",
    ),
    # "when" inside a question another question word opens is a clause ("What happens when
    # ...?"), and "when it comes to" means "about": neither asks for a date.
    (
        r"^(?!\W*(?:what|which|who|whom|whose|where|why|how)\b)(?!.*\bwhen it comes to\b)"
        rf"(?!\W*when\b(?:{_CLAUSE_BODY}))"
        r".*\bwhen\b|\b(what|which)\s+(date|day)\b|\bon what\b.*\bdate\b",
        "date",
    ),
    (r"\b(what|which|in what)\s+year\b", "year"),
    (
        r"\b(which|what)\s+(number|edition|session|round|phase|stage|place|position|rank|"
        r"milestone|anniversary|iteration|instalment|installment)\b|\bwhat rank\b"
        r"|\bwhere does .* rank\b",
        "ordinal",
    ),
    (
        r"\bhow much\b.*\b(grow|grew|rise|rose|increase|increased|fall|fell|drop|dropped|"
        r"decline|declined|(?<!ed )(?<!set )(?<!put )(?<!made )(?:up|down))\b",  # not "tied up"
        "percent",
    ),
    (
        r"\bhow much\b|\bhow large\b.*\b(investment|value|amount|sum)\b"
        r"|\bwhat (is|was) the (total )?(value|amount|worth|sum)\b"
        r"|\bwhat (is|was|were|are)\b[^?]*\b(value|worth|amount|sum)\b(?! of)",
        "money",
    ),
    (r"\bwhy\b|\bfor what reason\b|\bwhat caused\b", "why"),
    (r"\bwho\b|\bwhom\b|\bwhose\b", "who"),
    (r"\bwhere\b|\bwhich\b|\bwhat\b|\bname\b", "what"),
]
# Weak cues for terse keyword queries with no question word ("jiangbei airport routes").
_WEAK = [
    (r"\b(growth|increase|rise|percentage|percent|share)\b", "percent"),
    (r"\b(date|day|opened|opening|departed|departure)\b", "date"),
    (r"\b(anniversary|edition|round|phase|stage|session)\b", "ordinal"),
    (r"\b(value|worth|investment|amount|revenue|budget)\b", "money"),
    (r"\b(count|number|total)\b", "count"),
]
_STRONG_PATTERNS = [(re.compile(p, re.IGNORECASE), kind) for p, kind in _STRONG]
# The question word that opens a question decides over a cue inside it: "When was there a
# reduction in the number of MPs?" asks for a date, "What year did the number of visitors
# peak?" for a year, not for a count.
_LEADING = [
    (re.compile(p), kind)
    for p, kind in (
        # "When the dough is too thick, what is it for?", "When a cell is eaten it is kept
        # in what vesicle?": a clause, then the question word ("what" is never relative).
        (
            r"^(?:(?:and|so|but|then|in|on|at|by|during|since|until)\s+)*when\b" + _CLAUSE,
            "date",
        ),
        (
            r"^(?:(?:and|so|but|then)\s+)*(?:in|by|during|since|until)?\s*(?:what|which)\s+year\b",
            "year",
        ),
        # "The number of new colonists declined after what year?": a statement that ends on
        # its question word asks what that asks
        (
            r"^(?!\W*(?:what|which|who|whom|whose|where|why|how|when)\b)(?!.*\bhow (?:many|much)\b)"
            r"[^?]*\b"
            r"(?:in|after|before|by|during|since|until)\s+(?:what|which)\s+year\W*$",
            "year",
        ),
    )
]
_WEAK_PATTERNS = [(re.compile(p, re.IGNORECASE), kind) for p, kind in _WEAK]
_PREPOSITIONS = frozenset(
    "of for on in at from to with by about into over under between during after before as".split()
    # participles that work as prepositions: "what event involving Latin America …"
    + "involving including concerning regarding featuring excluding".split()
)
_HEAD_SKIP = ("kind of", "type of", "sort of", "part of the", "part of", "name of the", "name of")
_TARGET = re.compile(
    r"\b(?:how many|(?:the |total |what(?:'s| is)? the )?number of|count of)\s+"
    r"((?:[\w'-]+,?\s*){1,6})"
)
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
QUESTION_WORDS = ("what", "when", "which", "where", "who", "how", "many", "much", "whose")
# Words that say how to ask, not what about; they constrain nothing.
GENERIC = STOPWORDS | {
    "whether",
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
    "whence",
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
    "count",
    "text",
    "document",
    "documents",
    "passage",
    "please",
    "know",
    "like",
    "one",
    "ones",
    "other",
    "else",
    "well",
    "apart",
    "among",
}
# Ordinal heads that name a unit ("third round") and ones that only ask for the rank.
_UNIT_ORDINALS = frozenset("anniversary round phase".split())
_GENERIC_ORDINALS = frozenset(
    "number edition session stage place position rank milestone iteration".split()
)
# The vaguest kinds of place: "From which site did the train leave?" is answered by
# "Chongqing International Logistics Hub Park" in a text that never says "site" (the span
# must still read as a place: the answer stage checks).
VAGUE_PLACES = frozenset(
    "site sites location locations venue venues spot spots locale whereabouts destination "
    "destinations".split()
)
# Heads that say what kind of answer is wanted, not what the question is about.
ANSWER_TYPE_WORDS = (
    _GENERIC_ORDINALS
    | frozenset(
        "period date day month months year years time amount value sum share percentage rate "
        "growth figure figures".split()
    )
    | frozenset(
        # Nouns that classify an answer rather than name a topic: "What distinction does the city
        # hold?" is answered by "the largest rail head", a text that need not say "distinction".
        "distinction status title role kind type sort form position honour honor designation "
        "label nickname term name feature characteristic aspect category reputation achievement "
        "record significance purpose aim goal function effect benefit advantage method way means "
        "approach measure step action".split()
    )
    | frozenset(
        # The vaguest kinds of named thing: "Which government body approved it?" is answered
        # by "the Ministry of Foreign Affairs" in a text that never says "body". A narrower
        # kind ("company") or a role ("mayor") a text never speaks of still declines.
        "body entity event occasion gathering thing item institution institutions facility "
        "facilities establishment establishments".split()
    )
    | VAGUE_PLACES
    | frozenset(
        # A subject asked about, and kinds of people (not roles: "Who is the mayor?" needs a
        # text that speaks of a mayor; "What two scientists held the theory?" is answered by
        # two names in a text that need not say "scientists").
        "topic topics subject subjects theme themes person persons people individual "
        "individuals man men woman women scientist scientists researcher researchers scholar "
        "scholars expert experts figure figures".split()
    )
)
# Heads that name a kind of place or body: the answer is such a name.
PLACE_CATEGORIES = frozenset(
    "country nation city town district province region area county state place".split()
)
# Heads that name who acts: "which ministry approved it?" is answered by "... by the Ministry".
AGENT_CATEGORIES = frozenset(
    "company firm group organisation organization agency ministry department government "
    "authority body court university person official mayor minister leader president "
    "governor consul ambassador".split()
)
# ...of which these say their kind in their names ("the Ministry of Foreign Affairs",
# "the Intellectual Property Court"); a company or a person's name seldom does.
NAMED_AGENTS = frozenset("agency ministry department authority court university".split())
ENTITY_CATEGORIES = (
    PLACE_CATEGORIES
    | AGENT_CATEGORIES
    | frozenset("school airport port park forum summit fair agreement treaty pact".split())
)
NUMERIC_WANTS = ("number", "count", "money", "percent", "date", "period", "year", "ordinal")
_NUMERIC_HEADS = {
    "number": "ordinal",
    "edition": "ordinal",
    "session": "ordinal",
    "round": "ordinal",
    "phase": "ordinal",
    "stage": "ordinal",
    "anniversary": "ordinal",
    "rank": "ordinal",
    "milestone": "ordinal",
    "date": "date",
    "day": "date",
    "period": "period",
    "months": "period",
    "month": "period",
    "year": "year",
    "value": "money",
    "amount": "money",
    "sum": "money",
    "percentage": "percent",
    "share": "percent",
    "proportion": "percent",
}


# A search-box query that ends in the name of a kind of figure asks for one of that kind
# ("visitors per year" is a rate, not a year).
_RATE_WORDS = (["per"], ["a"], ["each"], ["every"])
_KEYWORD_KINDS = {
    "period": "period",
    "date": "date",
    "day": "date",
    "year": "year",
    "percentage": "percent",
    "percent": "percent",
}


# A measure asked by its name: "What is the floor area of the terminal?", "what's the length
# of the line?" ("which area …" and "the area of Chongqing that …" ask for a place).
_MEASURE_ASKED = re.compile(
    r"\bwhat(?:'s| is| was| are| were) (?:the |its |their )?"
    r"(?:(?:floor|land|total|surface|gross|net|built|usable|living|overall|average|maximum"
    r"|minimum|approximate|estimated|current|combined) )?"
    r"(?:area|length|height|width|depth|weight|size|capacity|volume|distance|elevation|altitude"
    r"|diameter|population|speed|mass)s? (?:of|in)\b"
    # "the area of expertise", "the area of London where …": no measure
    r"(?! (?:expertise|focus|interest|study|concern|disagreement|research|responsibility|law"
    r"|practice|work|activity|operations?)\b)(?!(?: [\w'-]+){1,4} (?:where|that|which|who)\b)"
)


# What a question asks for: one of the answer kinds (adding one starts here).
Wants = Literal[
    "count",
    "money",
    "percent",
    "date",
    "period",
    "year",
    "ordinal",
    "number",
    "who",
    "what",
    "why",
    "",
]


@dataclass(frozen=True)
class Question:
    """A cleaned question with the constraints an answer must respect."""

    text: str
    wants: Wants  # what kind of answer; "" for a search-box query with no question word
    target: tuple[str, ...] = ()  # words naming what is counted ("how many ports" -> ports)
    head: tuple[str, ...] = ()  # the noun a which/what answer must be ("which district")
    years: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    ordinals: tuple[tuple[str, str], ...] = ()  # (ordinal, stem of the next word)
    quarter: bool = False
    terms: tuple[str, ...] = ()  # content stems
    keywords: bool = False  # no question word at all: a search-box query


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


# Words that say where the answer is to come from or how it is to be put, not what is asked:
# "According to the article, is …?", "In absolute terms, by how much …?", "…, based on the text?"
_SOURCE_WORDS = r"(?:the |this )?(?:article|text|report|document|passage|story|piece|news)"
_ATTRIBUTION = re.compile(
    rf"^\s*(?:according to|based on|going by|from|per|judging by) {_SOURCE_WORDS}\s*,\s*"
    r"|^\s*in (?:absolute|real|relative|plain|simple) terms\s*,\s*"
    r"|^\s*(?:briefly|in brief|in short|in a nutshell|in a word|quickly|simply put|put simply)"
    r"\s*,\s*"
    rf"|,?\s*(?:according to|based on|as (?:stated|said|reported) in) {_SOURCE_WORDS}"
    r"(?=\s*[?.!]*\s*$)",
    re.I,
)


# ...but "in absolute terms" before "how much" asks for an amount, not the percentage: it
# moves to the end ("How much did exports rise in absolute terms?"), where the shape of a
# change's amount reads it.
_ABSOLUTE_LEAD = re.compile(
    r"^\s*in absolute terms\s*,\s*"
    r"(?=(?:by )?(?:(?:roughly|about|around|approximately) )?how much\b)",
    re.I,
)


def without_attribution(text: str) -> str:
    """The question without a lead or tail that only names its source or manner."""
    absolute = bool(_ABSOLUTE_LEAD.match(text))
    bare = _ATTRIBUTION.sub("", text).strip()
    if not bare:
        return text
    if absolute:
        bare = re.sub(r"\s*\?*\s*$", " in absolute terms?", bare, count=1)
    return bare[0].upper() + bare[1:] if text[:1].isupper() else bare


def parse(text: str) -> Question:
    normalized = normalize_apostrophes(text)
    lower = normalized.lower()
    tokens = words(normalized)
    keywords = not any(w in QUESTION_WORDS for w in tokens) and not lower.rstrip().endswith("?")
    head = head_words(lower)
    wants = leading = next((kind for pattern, kind in _LEADING if pattern.search(lower)), "")
    for pattern, kind in _STRONG_PATTERNS:
        if wants:
            break
        if pattern.search(lower):
            wants = kind
    if wants in ("what", "who") and head:
        wants = _NUMERIC_HEADS.get(head[-1], wants)
        if _MEASURE_ASKED.search(lower):
            wants = "count"  # "what is the floor area of …": a measure, not a named area
    strong = wants
    # Weak cues stand in for a missing question word; "How are the seats allocated?" asks
    # how, not for a count because the word "total" is in it.
    if not wants and not re.match(r"\W*how\b", lower):
        for pattern, kind in _WEAK_PATTERNS:
            if pattern.search(lower):
                wants = kind
                break
    target = () if leading else _target(lower)  # the time of a count, not a count
    if keywords:
        # A search-box query names its subject last: "second phase district" asks for a district.
        focus = [w for w in tokens if not w.endswith("ed") and not w.isdigit()]
        if len(focus) > 1 and focus[-1] in ("name", "names", "called"):
            focus.pop()  # "science park name" asks for the park's name
        focus_word = focus[-1] if focus else ""
        if focus_word in ENTITY_CATEGORIES and strong not in NUMERIC_WANTS:
            wants, head = "what", (focus_word,)
        elif focus_word in ("number", "count", "total") and wants == "count":
            wants = "number"
        elif wants == "ordinal" and focus_word in _UNIT_ORDINALS:
            target = (focus_word,)
        elif not wants and focus_word in _KEYWORD_KINDS and focus[-2:-1] not in _RATE_WORDS:
            wants = _KEYWORD_KINDS[focus_word]  # "… trade period" asks for the period
    if wants == "ordinal":
        if not target and head and head[-1] in _UNIT_ORDINALS:
            target = head[-1:]
        elif target and target[-1] in _GENERIC_ORDINALS:
            target = ()
        elif not target and head and head[-1] not in _NUMERIC_HEADS:
            target = head
    return Question(
        text=text,
        wants=wants,
        target=target,
        head=head,
        years=tuple(dict.fromkeys(_YEAR.findall(normalized))),
        months=tuple(dict.fromkeys(_months(tokens))),
        ordinals=_ordinals(tokens),
        quarter=bool(re.search(r"\b(quarter|half|h[12]|q[1-4])\b", lower)),
        terms=tuple(dict.fromkeys(stem(w) for w in tokens if w not in GENERIC and len(w) > 1)),
        keywords=keywords,
    )


# "what is the population of", "who is the mayor", "the name of Myanmar's consul general"
_ROLE_PATTERNS = [
    re.compile(
        r"\b(?:who(?:'s| is| was| are| were)|name of) (?:the|its|their|his|her|[\w-]+'s) "
        r"([\w'-]+(?: [\w'-]+)?)"
    ),
    re.compile(r"\bwhat(?:'s| is| was| are| were) the ([\w'-]+(?: [\w'-]+)?) (?:of|in|for|at)\b"),
]
# "what's the X called", "what is the X known as": the name of X is asked for; the phrase
# after the article is read like one after "which".
_CALLED = re.compile(
    r"\bwhat(?:'s| is| was| are| were) (?:the|a|an|this|that) (.+?) (?:called|named|known as)\b"
)
# A search for a name that puts the noun first: "vocational education alliance name in …",
# "the logistics park's name".
_NAME_AFTER = re.compile(r"^(?:the )?((?:[a-z][\w-]* ){0,3}[a-z][\w-]*?)(?:'s)? names?\b")


# Past forms of verbs that do not end in -ed: one ends the noun phrase of "which train left …"
# (a particle is no sign: "what drives phagocytes away" has its verb first).
_IRREGULAR_PASTS = frozenset(
    "left set went came took made built began won held met sent gave grew led brought bought "
    "kept told found became ran saw got put paid sold spent lost stood rose fell drew drove "
    "wrote chose spoke broke struck".split()
)


# Verbs that take "to" and another verb: one ends the noun phrase of "which district plans to
# take part …" ("plans" is what the district does, not what is asked for).
_TO_VERBS = frozenset(
    w + ending
    for w in "plan intend aim hope want wish seek expect need try agree decide promise pledge "
    "vow threaten continue begin start refuse fail choose offer propose prepare".split()
    for ending in ("", "s")
)


# Verbs right after "what" that ask for an event: "what happened", "what took place".
_EVENT_VERB = re.compile(r"happen(?:ed|s)?|occur(?:red|s)?|took|takes|went|goes|changed")


def _agrees(noun: str, verb: str) -> bool:
    """The verb agrees with the noun before it, as a verb does and a compound's second noun
    need not: "district plans", "yards want" (verbs); "peace plan", "wage offer" (nouns)."""
    plural = noun.endswith("s") and not noun.endswith("ss")
    return verb.endswith("s") != plural


def head_words(lower: str) -> tuple[str, ...]:
    """The noun phrase right after which/what, up to its verb or preposition."""
    for pattern in _ROLE_PATTERNS:
        m = pattern.search(lower)
        if m:
            found = tuple(
                w
                for w in m.group(1).split()
                if (w not in GENERIC or w in _NUMERIC_HEADS) and not w.endswith("'s")
            )  # "the company's founder": the founder is asked for
            if found:
                return found
    called = _CALLED.search(lower) or _NAME_AFTER.match(lower)
    m = called or re.search(r"\b(?:which|what)\s+(.*)$", lower)
    if not m:
        return ()
    rest = m.group(1)
    for skip in _HEAD_SKIP:
        if rest.startswith(skip + " "):
            rest = rest[len(skip) + 1 :]
            break
    out: list[str] = []
    tokens = re.findall(r"[\w'-]+", rest)
    if tokens and _EVENT_VERB.fullmatch(tokens[0]):
        return ()  # "what happened on July 12?": an event is asked for, not a kind of thing
    for i, word in enumerate(tokens):
        if word in AUXILIARIES or word in _PREPOSITIONS or word in QUESTION_WORDS:
            break
        if out and word.endswith("ed") and len(word) > 4:
            break  # "which district finished ...": the verb ends the phrase
        if out and i + 1 < len(tokens) and tokens[i + 1] in ("the", "a", "an", "its", "their"):
            break  # "which district hosts the fair": a verb before its object
        if out and word in _TO_VERBS and tokens[i + 1 : i + 2] == ["to"] and _agrees(out[-1], word):
            break  # "which district plans to take part …": a verb before its infinitive
        if out and word in _IRREGULAR_PASTS and tokens[i + 1 : i + 2] not in (["is"], ["was"]):
            break  # "which train left …", "which train set off …": a verb ("data set was": no)
        if word in GENERIC and word != "number":
            if out:
                break
            continue
        if word.endswith("'s"):  # "which country's consulate": the country is asked for
            return (word[:-2],)
        out.append(word)
        if len(out) == 4:
            break
    return tuple(out)


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
    m = _TARGET.search(lower)
    if not m:
        return ()
    out: list[str] = []
    for word in re.findall(r"[\w'-]+", m.group(1)):
        if word in AUXILIARIES or (out and word in STOPWORDS and word != "and"):
            break
        ends = word in _ADVERBS or word.endswith("ly") or (word.endswith("ed") and len(word) > 3)
        if out and ends:
            break  # "harbours worldwide", "companies used": an adverb or a verb ends the noun
        if word in STOPWORDS or word in ("more", "new", "different"):
            continue
        out.append(word)
    while out and out[-1] == "and":
        out.pop()
    return tuple(out[:5])


def _months(tokens: list[str]) -> list[str]:
    out = []
    for w in tokens:
        if w in MONTHS and w != "may":
            out.append(w)
        elif w in _MONTH_ABBR and w not in ("mar", "may"):
            out.append(_MONTH_ABBR[w])
    return out


# Words between a rank and what it ranks, after "to be"/"to have" ("the 12th to be approved")
# or alone ("the first one", "the first ever"); "second to last" ranks nothing.
_RANK_FILLERS = frozenset("be been have one ever".split())


def _ordinals(tokens: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for i, w in enumerate(tokens):
        number = ordinal_value(w)
        if number and w in _SCALE_ORDINALS and i and tokens[i - 1] in CARDINALS:
            number = str(CARDINALS[tokens[i - 1]] * int(number))  # "ten-thousandth": 10,000
        after = i + 1  # "the 12th to be approved", "the 2nd to have been built": the rank of it
        if tokens[after : after + 1] == ["to"] and tokens[after + 1 : after + 2] in (
            ["be"],
            ["have"],
        ):
            after += 1
        while after < min(len(tokens) - 1, i + 4) and tokens[after] in _RANK_FILLERS:
            after += 1
        if number and after < len(tokens) and not tokens[after].isdigit():
            following = tokens[after]
            if following in CARDINAL_WORDS or following in ("half", "quarter", "few", "several"):
                continue  # "first five months", "first half": a period, not an edition
            out.append((number, stem(following)))
    return tuple(out)


def ordinal_value(word: str) -> str | None:
    word = word.lower().replace(",", "")
    if word in ORDINALS:
        return str(ORDINALS[word])
    m = re.fullmatch(r"(\d+)(st|nd|rd|th)", word)
    return m.group(1) if m else None
