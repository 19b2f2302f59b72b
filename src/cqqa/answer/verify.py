"""The verifier: rules about language that a supporting sentence must satisfy.

A question that names a year, month, edition, name or place the sentence does not have,
asks for part of a total, an earlier value or a reason the sentence does not give, is a
near miss: declined, not guessed. These are rules about how questions are asked, not about
any one document.
"""

from __future__ import annotations

import re

from ..facts import CURRENCY, extract_facts
from ..index import Index
from ..lexicon import CARDINALS, DEMONYM_PAIRS, LIST_MARKER, MONTH_NAMES, MONTHS, OTHER_NAMES
from ..question import ANSWER_TYPE_WORDS, GENERIC, PLACE_CATEGORIES, Question, ordinal_value
from ..textutil import STOPWORDS, letter_words, normalize_apostrophes, stem, words
from ..vocabulary import accented_forms, fold, known_stem, proper_nouns, vocabulary
from .names import class_stems
from .numeric import CHANGE, KIND_WORDS, digits
from .sentences import Sentence, background, best_similarity, neighbour_text, paragraph_before

# Calibrated on eval/questions.jsonl (see README, "Calibration"): below this
# cosine between the question and its best sentence, nothing in the corpus is
# about the question.
MIN_SIMILARITY = 0.26


# A question word the corpus never uses must be at least this close to some word
# of the answering sentence ("harbours" ~ "ports"), or the question is about
# something the documents do not cover ("population").
WORD_SIMILARITY = 0.5


# How English gives a reason: a causal connective, a purpose ("in order to", "so as to", "in
# an effort to"), a response or a result ("in response to", "led to", "resulted in"), or the
# word itself ("the reason", "the aim"). A "why" question whose best sentence has none of
# these is declined. Widened from the first list (which declined 16 of 18 answerable "why"
# questions of the SQuAD calibration articles) with connectives from English grammar, not
# from those questions' sentences; see README, "Calibration".
CAUSE = re.compile(
    r"\b(because|due to|owing to|thanks to|as a result|driven by|caused by|since|so that"
    r"|in order to|so as to|in an effort to|in an attempt to|in response to|in reaction to"
    r"|for fear|on account of|led to|leading to|resulted in|results? in|as a consequence"
    r"|therefore|thus|hence|reasons?|purpose|aim(?:ed|s)? (?:to|at)|intended to|designed to"
    r"|meant to|motivated|prompted|triggered|in protest|to (?:avoid|prevent|encourage|ensure"
    r"|protect|reduce|increase|improve|allow|enable|help|support|promote|counter|offset)"
    # a purpose or a push after a verb: "created to coordinate", "trying to recover", "forced
    # GM to introduce", "anticipating that …" (not "increased to 108", "moved to the city")
    r"|(?:created|set up|formed|established|founded|built|used|sent|called|trying|seeking|"
    r"hoping|wanting|working) to (?!the\b|a\b|an\b)[a-z]+|(?:forced|compelled|obliged|"
    r"pushed|drove|persuaded|encouraged|led) (?:[\w,]+ ){1,5}to (?!the\b|a\b|an\b)[a-z]+"
    r"|anticipating|fearing|expecting that)\b",
    re.I,
)


# "alone", "only": the question asks for part of what a sentence may give as a whole.
# "What is that worth in US dollars?", "How much is it in euros?": a sum asked in a currency is
# a conversion when the sentence gives it in another one, and needs a rate the sentence states.
# Currency words only ("pounds" may weigh): the symbols of facts.CURRENCY are not asked in.
_IN_CURRENCY = re.compile(
    r"\b(?:in|into|to)\s+(?:the\s+)?(?P<cur>"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(CURRENCY, key=len, reverse=True)
        if re.fullmatch(r"[a-z][a-z. ]+", w)
    )
    + r")\b",
    re.I,
)
_DOLLARS = {code for w, code in CURRENCY.items() if w.endswith(("dollar", "dollars"))}
_RATE = re.compile(r"\b(?:exchange rate|rate of exchange|equivalent to|equal to|worth about)\b")
_RESTRICTIVE = re.compile(r"\b(alone|solely|by itself|separately|excluding|on its own)\b")
# "How much of that was exports?": one part of a figure said of two things together ("import
# and export value"), which the sentence does not split.
_PART_OF = re.compile(
    r"\b(?:how (?:much|many)|what (?:share|part|portion|proportion|percentage|fraction)) of "
    r"(?:that|it|this|these|those|them|the total)\b.*?\b(?:was|were|is|are|came from|went to|"
    r"goes to|comes from) (?:the )?([a-z]+)"
)


# "before the increase": an earlier value, where the sentence reports only the new one.
_EARLIER = re.compile(r"\b(before|previously|originally|prior to|used to|at first)\b")
# "How many were added this year?", "By how much did it grow?": the change itself, which a
# sentence giving only where a figure went ("has increased to 52 pairs") does not state.
_ASKS_CHANGE = re.compile(
    r"\b(?:how many\b.*\b(?:add|added|gain|gained)|(?:increase|increased|grow|grew|rise|rose|go up"
    r"|went up|climb|climbed)\s+by|by how (?:much|many))\b"
)
# "How much larger were A than B?": how far one exceeds the other, which a sentence states
# as a comparison ("500 more students than teachers", "larger by 5 km2", "2,000 larger",
# "twice as large as", "rose by $5 million", "a gap of"); "more than 200" is a bound.
_ASKS_GAP = re.compile(
    r"\bhow (?:much|many)\s+(?:\w+\s+)?(?:more|larger|bigger|higher|greater|less|fewer|smaller"
    r"|lower)\b(?!\s+than\s+\d).*\bthan\b"
)
_COMPARED = r"(?:more|larger|bigger|higher|greater|less|fewer|smaller|lower|longer|shorter|older)"
_BOUND_THAN = re.compile(
    r"\b(?:more|less|fewer|greater|higher|lower)\s+than\s+(?:us)?[$€£¥]?(?!(?:1[5-9]|20)\d\d\b)\d"
)
_GAP_SAID = re.compile(
    rf"\b{_COMPARED}\b(?:\s+[\w$€£%.,-]+){{0,4}}?\s+than\b|\bas \w+ as\b|\b{_COMPARED}\s+by\b"
    rf"|\d[\d,.]*\s*(?:%|[a-z]+\s+)?{_COMPARED}\b|\b(?:twice|\d+ times)\b"
    r"|\b(?:rose|risen|grew|grown|fell|fallen|increased|decreased|dropped|climbed|declined|jumped)"
    r"\s+(?:by\s+)?(?:about |nearly |over |more than )?[$€£¥]?\d"
    r"|\b(?:difference|gap|surplus|deficit|exceed\w*|outnumber\w*)\b"
)
_CHANGED_TO = re.compile(r"\b(?:increased|risen|rose|grown|grew|climbed|gone up|went up)\s+to\b")
_CHANGED_BY = re.compile(r"\b(?:by|from|up|down|of)\s+(?:about |nearly |over |more than )?\d|%")


# "a year before", "last year": another time than the sentence speaks of.
_RELATIVE_TIME = re.compile(
    r"\b(last|previous|next|following|coming) (year|month|quarter)\b"
    r"|\b(a|one|two|three|the) (year|month|decade)s? (before|earlier|ago|later|after)\b"
)


# What an ordinal of a question may rank without the sentence saying it: a century is said by
# its years ("in 1850" for "the 19th century"), a birthday or anniversary by its dates.
# ("first" is as often an adverb, "first evolved", and is never required.)
_ORDINAL_ASIDE = re.compile(r"centur|millenni|birthday|anniversar|time$|place$")


_SUPERLATIVE_WORD = re.compile(r"\w+est|most|least")


# How many words after a sentence's ordinal the word after the question's may come
# ("13th foreign consulate general approved" for "the 12th approved").
ORDINAL_REACH = 4


# "Which of the 13 consulates was the first to open?": a rank within a set the question names.
# A sentence that names one member without saying its rank does not answer it.
_RANK_IN_SET = re.compile(
    r"^\s*(?:which|who|what)(?: one)? (?:of|among) (?:the|these|those|all)\b.*?\b(?:the )?"
    r"(first|last|earliest|latest|oldest|newest|largest|biggest|smallest|highest|lowest|most"
    r"|least|fewest)\b"
)
# The rate itself asked for ("What is the exchange rate between CNY and the dollar?"), not
# who sets it; a sentence states one by name or as one currency in another ("7.1 yuan per
# dollar", "traded at 7.1", "rose to 150 yen", "one euro bought 1.08 dollars").
_RATE_ASKED = re.compile(
    r"^\W*(?:what|how much|how many)\b(?:(?!\b(?:who|why)\b).)*"
    r"\b(?:exchange|conversion|currency) rates?\b"
)
_CURRENCY_WORD = (
    r"(?:yuan|renminbi|rmb|cny|dollars?|usd|euros?|eur|pounds?|gbp|yen|jpy|rupees?|francs?)"
)
_RATE_SAID = re.compile(
    rf"\b(?:exchange|conversion|currency) rates?\b"
    rf"|[\d.]+\s*{_CURRENCY_WORD}\s+(?:per|to|against|for)\s+(?:an?\s+|one\s+|each\s+)?"
    rf"{_CURRENCY_WORD}\b|\b(?:traded|stood|rose|fell|climbed|dropped) (?:at|to) [\d.]+\b"
    rf"|\b(?:buys?|bought|fetch(?:es|ed)?) [\d.]+ (?:\w+ )?{_CURRENCY_WORD}\b|="
)
_SET_SIZE = re.compile(r"\b(?:of|among) (?:the|these|those|all)(?: the)? (\d[\d,]*)\b")
_WHEN = re.compile(rf"\b(?:1[5-9]\d\d|20\d\d|{'|'.join(MONTH_NAMES)})\b")
_NUMBER = re.compile(r"\d[\d,.]*")
_FIGURES = {"early": _WHEN, "late": _WHEN, "big": _NUMBER, "small": _NUMBER}
# "The second-largest", "third highest": a rank below the top, which a sentence must say.
# ("second contest", "third interest" are no superlatives)
_RANKED_SUPERLATIVE = re.compile(
    r"\b(second|third|fourth|fifth|sixth)[- ]"
    r"(?!(?:con|in|pro|re|sug|ar|di|at|de|mani|har)?(?:test|terest|quest|gest|rest|vest)\b)"
    r"(\w+est|most|least)\b"
)
_RANK_DIGITS = {"second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th"}
_RANK_FAMILY = {
    **dict.fromkeys("first earliest oldest".split(), "early"),
    **dict.fromkeys("last latest newest".split(), "late"),
    **dict.fromkeys("largest biggest highest most".split(), "big"),
    **dict.fromkeys("smallest lowest least fewest".split(), "small"),
}
_RANK_SAID = {
    "early": re.compile(r"\b(?:first|earliest|oldest|initial|1st|earlier than|before)\b"),
    "late": re.compile(r"\b(?:last|latest|newest|final|most recent|later than|after)\b"),
    "big": re.compile(r"\b(?:largest|biggest|highest|greatest|most|top|more than any)\b"),
    "small": re.compile(r"\b(?:smallest|lowest|least|fewest|fewer than any)\b"),
}


def gate(index: Index, asked: Question, context: str, query: str, sentences: list) -> str:
    """Why no passage can be about this question at all, or "" to let the reader read."""
    if not sentences or sentences[0].similarity < MIN_SIMILARITY:
        return "nothing in the documents is about this question"
    known = vocabulary(index)
    if not any(w in known for w in letter_words(query)):
        return "none of the question's words appear in the documents"
    unknown = _unknown_names(index, asked, context, sentences[0])
    if unknown:
        return f"the documents never mention {as_written(unknown, asked.text)}"
    unfamiliar = _unfamiliar_words(index, asked, sentences[0]) or _unknown_places(
        index, asked, sentences[0]
    )
    if unfamiliar:
        return f"the documents say nothing about {', '.join(unfamiliar)}"
    if asked.wants == "why" and not gives_reason(index, sentences[0]):
        return "the documents give no reason for this"
    return ""


def gives_reason(index: Index, sentence: Sentence) -> bool:
    """A cause or purpose is said in the closest sentence or a sentence next to it in its
    document: "why" is often answered by the sentence before or after the fact."""
    # a neighbour's bare "since" is mostly of time ("It has grown since 2010"), no reason
    return bool(CAUSE.search(sentence.text)) or any(
        CAUSE.search(re.sub(r"\bsince\b", " ", neighbour_text(index, sentence, step), flags=re.I))
        for step in (-1, 1)
    )


def missing_month(months, text: str) -> str:
    """The first of the question's months a (lower-case) sentence does not say, or "". January
    to the Nth month is said by "the first N months" too ("前五个月" of "the first five
    months")."""
    if len(months) == 2 and months[0] == "january" and months[1] in MONTHS:
        first = _FIRST_MONTHS.search(text)
        if first:
            n = first.group(1)
            n = int(n) if n.isdigit() else CARDINALS.get(n, 0)
            if n == MONTHS[months[1]]:
                return ""
    for month in months:
        if month not in text and month[:3] not in letter_words(text):
            return month
    return ""


_FIRST_MONTHS = re.compile(r"\bfirst (\d{1,2}|[a-z]+) months\b")


def says(text: str, phrase: str) -> bool:
    """The words themselves (or a plural) are in the text: 'consul' is not 'consulate'."""
    singular = re.sub(r"s\b", "", phrase.lower())
    return bool(re.search(rf"\b{re.escape(singular)}s?\b", " ".join(words(text))))


def violations(index: Index, asked: Question, context: str, sentence: Sentence, fact) -> str:
    """Why this sentence cannot answer the question, or "" when it can."""
    text = normalize_apostrophes(sentence.text).lower()
    for year in asked.years:
        if year not in text:
            return f"the documents give nothing for {year} here"
    month = missing_month(asked.months, text)
    if month:
        return f"the documents give nothing for {month.title()} here"
    figures = digits(text) | {str(CARDINALS[w]) for w in words(text) if w in CARDINALS}
    for number in _plain_numbers(asked.text):
        if number not in figures and number not in asked.years:
            return f"the documents give nothing for {number} here"
    swapped = _other_count(asked.text, text)
    if swapped:
        return swapped
    if asked.quarter and not re.search(r"\b(quarter|half)\b", text):
        return "the documents give no figure for that part of the year"
    if _WHOLE_YEAR.search(asked.text) and part_of_year(text):
        # "the whole of 2022" of a sentence that gives January to May
        return "the documents give a figure for part of the year only"
    sentence_words = words(sentence.text)
    sentence_ordinals = {ordinal_value(w) for w in sentence_words} - {None}
    for number, following in asked.ordinals:
        if number in sentence_ordinals:
            continue  # the sentence states the asked one too (beside others)
        # The word after the question's ordinal, a few words after the sentence's: "the 12th
        # approved" asked of "the 13th foreign consulate general approved".
        stated = [
            (w, sentence_words[i + 1], ordinal_value(w))
            for i, w in enumerate(sentence_words[:-1])
            if ordinal_value(w)
            and following in {stem(v) for v in sentence_words[i + 1 : i + 1 + ORDINAL_REACH]}
        ]
        # "the 19th century" asked of a sentence that speaks of the 20th (and not the 19th)
        if stated:
            w, noun, _ = stated[0]
            return f"the documents mention the {w} {noun}, not that one"
        if (
            number != "1"
            and not _ORDINAL_ASIDE.match(following)
            and following not in STOPWORDS
            and not _SUPERLATIVE_WORD.fullmatch(following)  # "second-oldest": checked below
        ):
            # "Which nation has the 13th consulate general?" of a sentence that names a
            # consulate general but not which in order it is
            word = next((w for w in words(asked.text) if stem(w) == following), following)
            return f"the documents do not say which {word} is number {number} here"
    opposite = _opposite_words(asked.text, sentence.text)
    if opposite:
        return opposite
    life = unsaid_life_event(asked.text, text) if asked.wants in ("date", "year") else ""
    if life:
        return life
    if _NEGATED.search(_EITHER_WAY.sub(" ", normalize_apostrophes(asked.text))) and not (
        _DENIES.search(text)
    ):
        return "the documents do not say what is not so here"
    question = normalize_apostrophes(asked.text).lower()
    if (_RESTRICTIVE.search(question) and not _RESTRICTIVE.search(text)) or one_of_two(
        question, text, fact is not None and fact.kind in ("count", "money", "percent")
    ):
        return "the documents give only the combined figure, not that part of it"
    converted = _conversion(question, sentence.text, text)
    if converted:
        return converted
    if _RATE_ASKED.search(question) and not _RATE_SAID.search(text):
        # "the exchange rate between CNY and the dollar" of a sentence with sums in each
        return "the documents state no exchange rate"
    if _RELATIVE_TIME.search(question) and not _RELATIVE_TIME.search(text):
        return "the documents give no figure for that other time"
    if _ASKS_GAP.search(question) and not _GAP_SAID.search(_BOUND_THAN.sub(" ", text)):
        # "How much larger were imports than exports?" of a sentence with one total
        return "the documents state no difference between the two"
    if _ASKS_CHANGE.search(question) and _CHANGED_TO.search(text) and not _CHANGED_BY.search(text):
        return "the documents give only the new figure, not how much it changed"
    if fact is not None and _EARLIER.search(question) and CHANGE.search(text):
        if not re.search(r"\bfrom\s+[\d,.]+", text):
            return "the documents give only the new figure, not the earlier one"
    m = _RANKED_SUPERLATIVE.search(question)
    if m and not re.search(
        rf"\b(?:{m.group(1)}|{_RANK_DIGITS.get(m.group(1), m.group(1))})\b", text
    ):
        # "the second-largest rail head" of a sentence that names only the largest
        return f"the documents name no {m.group(1)}-{m.group(2)} one"
    m = _RANK_IN_SET.search(question)
    family = _RANK_FAMILY[m.group(1)] if m else ""
    # the set's own size ("which of the 107 countries …") is no figure of one of its members
    size = _SET_SIZE.search(question)
    found = _FIGURES[family].findall(text) if m else []
    figures = sum(not size or digits(f) != digits(size.group(1)) for f in found)
    if m and not _RANK_SAID[family].search(text) and figures < 2:
        # "Which of the 13 consulates was the first to open?": the sentence must give the rank,
        # or two figures (dates, sizes) to work it out from ("Which of those is the biggest?");
        # one member's date ranks nothing
        return f"the documents do not say which was the {m.group(1)}"
    # A sentence that refers back ("The party argued …", "This gives …", "in 2012 it …")
    # speaks of what the sentence before it named; so does one that names nothing of its own,
    # after a sentence of its paragraph ("Montpellier held out. Hunger forced a surrender in
    # 1622."), while "Germany signed it in 1920" after "France refused to sign" is Germany's.
    if _REFERS_BACK.match(sentence.text) or _pronoun_first(sentence.text):
        before = neighbour_text(index, sentence, -1)
    elif not _names(sentence.text, proper_nouns(index)):
        before = paragraph_before(index, sentence)
    else:
        before = ""
    titled = f"{sentence.text} {index.documents[sentence.doc].title}"
    written = f"{titled} {context} {before}"
    allowed = normalize_apostrophes(written).lower()
    missing = [
        n
        for n in _names(asked.text, proper_nouns(index))
        if n.lower() not in allowed
        and not background(index, sentence.doc, n)
        and not _acronym_in(n, sentence.text)
        and n not in _abbreviated_names(asked.text, sentence.text)
        and not _other_name_in(n, titled)
        and not _name_form_in(n, written)
    ]
    missing += _only_in_compound(asked.text, sentence.text, titled, missing)
    example = _only_an_example(asked.text, sentence.text) if fact is not None else ""
    if example:
        kind = KIND_WORDS.get(fact.kind, "figure")
        return f"the documents name {example} only as an example, with no {kind} of its own"
    if missing and fact is not None:
        kind = KIND_WORDS.get(fact.kind, "figure")
        return f"the documents give no {kind} for {as_written(missing, asked.text)}"
    if missing:
        return f"the closest sentence is not about {as_written(missing, asked.text)}"
    return ""


# Lower-case after "The": "The Labour Party won" names a party, "The party argued" refers back.
_REFERS_BACK = re.compile(
    r"\s*(?:(?i:this|these|that|those|such|it|its|they|their|he|his|she|her)\b"
    r"|[Tt]he (?:[a-z]+ )?(?:party|club|group|company|firm|body|government|council|city|town"
    r"|country|state|team|school|university|organi[sz]ation|court|law|act|treaty|plan|war"
    r"|man|woman|king|queen|emperor|president|minister|army|church|movement|empire|kingdom"
    r"|dynasty|colony|fort|expedition|republic|province|region|island|assembly|committee"
    r"|commission|union|parliament|settlement)\b)"
)

_PRONOUN = re.compile(r"\b(?:it|its|they|their|he|his|she|her)\b")
_LEAD_WORDS = STOPWORDS | CARDINALS.keys()
_DAY_OR_YEAR = re.compile(r"\s+\d")


def _pronoun_first(text: str) -> bool:
    """A pronoun before any name ("In 2012 it investigated …") stands for a name said before;
    after one ("Mitsubishi rebranded its Forte") it stands for that name."""
    pronoun = _PRONOUN.search(text)
    if not pronoun:
        return False
    names = [
        m.start()
        for m in re.finditer(r"\b[A-Z][\w’'-]*", text)
        # "In 2012", "Three years later", not "Mitsubishi"; a month before a day or year is no
        # name ("As of March 2015, it had …"; "May said she …" is)
        if (m.start() > 0 or m.group(0).lower() not in _LEAD_WORDS)
        and not (m.group(0).lower() in MONTHS and _DAY_OR_YEAR.match(text, m.end()))
    ]
    return not names or pronoun.start() < names[0]


def _conversion(question: str, sentence: str, lower: str) -> str:
    """Why a sum asked in one currency ("worth in US dollars") cannot be read off a sentence
    that gives it in another and states no rate between them, or ""."""
    m = _IN_CURRENCY.search(question)
    if not m or _RATE.search(lower):
        return ""
    word = re.sub(r"\s+", " ", m.group("cur").lower())
    wanted = CURRENCY[word]
    units = {f.unit for f in extract_facts(sentence) if f.kind == "money" and f.unit}
    # Bare "dollars" are any dollar's (a Hong Kong text's are HK$).
    accepted = _DOLLARS if word in ("dollar", "dollars") else {wanted}
    if not units or units & accepted:
        return ""
    given = ", ".join(sorted(units))
    return f"the documents give that sum in {given}, not {wanted}, and state no rate between them"


_AGE = re.compile(r"\b\d+[- ]years?[- ]old\b|\byears? old\b", re.I)


def one_of_two(question: str, text: str, figure: bool = False) -> bool:
    """The question asks for one part ("how much of that was exports") of a figure the
    sentence gives for two things joined by "and" ("import and export value"), and does not
    give each its own ("… 12 and 30 respectively"). `figure`: a figure is what is checked
    (the old and new towns a bridge links are no sum)."""
    if "respectively" in text:
        return False
    asked = set(words(question))
    joined = set(re.findall(r"\b([a-z]+) and ([a-z]+)\b", text)) if figure else set()
    for side, other in _OPPOSITES:  # "exports" of "import and export value": a sum of both
        if asked & side and not asked & other:
            if any({a, b} & side and {a, b} & other for a, b in joined):
                return True
    m = _PART_OF.search(question)
    if not m:
        return False
    part = stem(m.group(1))
    joined = re.findall(r"\b((?:[a-z]+ )?[a-z]+) and ([a-z]+(?: [a-z]+)?)\b", text)
    return any(part in {stem(w) for w in f"{a} {b}".split()} for a, b in joined)


def as_written(parts: list[str], question: str) -> str:
    """Name words for a message, those next to each other in the question as one name
    ("Yangtze River, Chengdu", not "Yangtze, River, Chengdu")."""
    out: list[str] = []
    for part in dict.fromkeys(parts):
        last = out[-1].split()[-1] if out else ""
        joined = last and re.search(
            rf"\b{re.escape(last)}((?:[\s-]+(?:of|the|for|de))*[\s-]+){re.escape(part)}\b",
            question,
        )
        if joined:
            out[-1] = f"{out[-1]}{joined.group(1)}{part}"
        else:
            out.append(part)
    return ", ".join(out)


_THRESHOLD_WORDS = frozenset(
    "over above under below than least most exceeding exceed exceeds top topped past beyond "
    "surpass surpassed".split()
)


# A question for a whole year, and a sentence whose figure covers only some months of one.
_WHOLE_YEAR = re.compile(
    r"\b(?:(?:whole|full|entire) (?:year|of (?:19|20)\d\d)|full-year|all of (?:19|20)\d\d)\b", re.I
)
_PART_OF_YEAR = re.compile(
    rf"\b(?:(?:{'|'.join(MONTH_NAMES)}) (?:to|through|until|and|-) (?:{'|'.join(MONTH_NAMES)})"
    r"|(?:first|second|third|fourth) quarter|first half)\b"
)


def part_of_year(text: str) -> bool:
    """The (lower-case) sentence's figure covers some months of a year, not all of it (a span
    of months, a quarter or half, or "the first N months" as missing_month reads it)."""
    return bool(_PART_OF_YEAR.search(text) or _FIRST_MONTHS.search(text))


def _plain_numbers(question: str) -> list[str]:
    """The numbers a question states as figures ("out of 139", "$100 billion"), not ordinals
    ("13th") or parts of names ("G20"): a sentence that states another answers another
    question."""
    text = normalize_apostrophes(question)
    out = []
    for m in re.finditer(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?(?!,?\w)", text):
        before = text[: m.start()].split()[-1:]
        if len(m.group(0)) < 2 or (before and before[0][:1].isupper()):
            continue  # "2 parties" may be "two"; "Stage 3", "Type 1", "MHC 1" are labels
        if before and before[0].lower().strip("$") in _THRESHOLD_WORDS:
            continue  # "over 100 routes?", "more than 500": a bound to compare, not a figure
        out.append(m.group(0).replace(",", ""))
    return out


# A birth or a death asked about is said as one: "born", "died", "was shot", "(1862–1931)",
# "(27 January 1756 – 5 December 1791)". Asked in lower case: "the Black Death" is a name, "the
# death toll" no death of the one asked about.
_LIFESPAN = r"\((?:[^()]*?\b)?\d{3,4}\s*[–-]\s*(?:c\.\s*)?(?:[^()]*?\b)?\d{2,4}\s*\)"
_LIFE_EVENTS = (
    (
        re.compile(r"\b(?:born|birth)\b(?! (?:rate|control|of the))"),
        re.compile(rf"\b(?:born|births?|birthday|b\.\s*\d)|{_LIFESPAN}"),
    ),
    (
        re.compile(r"\b(?:die|died|death)\b(?! (?:toll|rate|penalty|sentence|squad))"),
        re.compile(
            r"\b(?:died|dies|die|deaths?|killed|executed|murdered|assassinated|drowned|shot"
            r"|beheaded|hanged|perished|suicide|burned at the stake|passed away|found dead"
            rf"|own life|d\.\s*\d)|{_LIFESPAN}"
        ),
    ),
)


def unsaid_life_event(question: str, text: str) -> str:
    """ "When was Qutb born?" of "prior to his execution in 1966": the birth or death asked
    about, when the (lower-case) sentence says none."""
    for asked, said in _LIFE_EVENTS:
        if asked.search(question) and not said.search(text):
            return "the documents give no date of birth or death here"
    return ""


_PICKS = frozenset(
    "what which name list give mention identify state describe any other those these the are "
    "were".split()
)


def _other_count(question: str, text: str) -> str:
    """ "When three forces act …" of a sentence that says "when two forces act": the
    question's count in words, where the sentence puts another number before that noun.
    A capitalised number word is part of a name ("Seven Years' War"), one in a compound
    ("twenty-five") is left alone, and so is a year or a label before the noun ("the 2019
    seasons", "Apollo 11 astronauts", "g20 leaders")."""
    asked = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", normalize_apostrophes(question))
    said = re.findall(r"[a-z]+|\d[\d,.]*\d|\d", text)
    figures = {w.replace(",", "") for w in said}
    for before, word, noun in zip(["", *asked], asked, asked[1:]):
        value = CARDINALS.get(word)
        if not value or value < 2 or word != word.lower() or word in said or str(value) in figures:
            continue
        if before.lower() in _PICKS:
            continue  # "Name two countries that …" asks for two of the sentence's many
        for k, (number, after) in enumerate(zip(said, said[1:])):
            if stem(after) != stem(noun.lower()) or k and said[k - 1] in _LABEL_BEFORE:
                continue
            plain = number.replace(",", "")
            if number in CARDINALS or (plain.isdigit() and not 1000 <= int(plain) <= 2100):
                if not re.search(rf"[a-z]{re.escape(number)}\b", text):  # "g20"
                    return f"the documents speak of {number} {after}, not {word}"
    return ""


# Words after which a number is a label, not a count: "Apollo 11 astronauts", "Stage 3".
_LABEL_BEFORE = frozenset("apollo stage type class phase level grade model no number".split())


# A question asked in the negative ("When didn't Washington reach the fort?", "What was
# not conquered?") is answered by a sentence that denies, excepts or contrasts something; one
# that only affirms does not say it. Of the SQuAD 2.0 dev questions with "not", "never" or
# "n't" (held-out articles left out) 504 are unanswerable and 58 answerable, and 45 of those
# 58 gold sentences have one of these words.
_NEGATED = re.compile(r"\b(not|never|cannot)\b|n't\b", re.I)
_EITHER_WAY = re.compile(r"\b(whether or not|or not|may or may not|if not)\b", re.I)
_DENIES = re.compile(
    r"\b(not|never|no|none|nor|neither|without|cannot|lack\w*|fail\w*|unable|refus\w*|den(?:y|ied|ies)"
    r"|except\w*|exclud\w*|only|despite|although|though|but|however|unlike|instead|rather"
    r"|un(?!der|til|it|ion|ique|iver)[a-z]{4,}|in(?:active|capable|complete|valid|sufficient|ability))\b|n't\b",
    re.I,
)


# Words with a fixed opposite: a question that says one side, of a sentence that says only the
# other, asks for what the sentence does not give ("domestic routes" of "108 international
# routes", "the smallest city" of "the largest city", "exports fell" of "exports rose").
# Rules about English words; words with other senses ("lower", "last", "north", "fall") are
# left out, and a question that says both sides ("import and export") is no near miss.
OPPOSITES = [
    ("domestic", "international foreign overseas"),
    (
        "import imports imported importing importer importers",
        "export exports exported exporting exporter exporters",
    ),
    ("inbound incoming", "outbound outgoing"),
    ("minimum", "maximum"),
    ("public", "private"),
    ("urban", "rural"),
    ("internal", "external"),
    ("indoor", "outdoor"),
    ("northern", "southern"),
    ("eastern", "western"),
    ("largest biggest greatest highest", "smallest lowest"),
    ("oldest earliest", "newest latest youngest"),
    ("win wins won winning winner winners", "lose loses lost losing loser losers"),
    ("success successful succeeded", "failure failed unsuccessful"),
    ("positive", "negative"),
    ("legal lawful", "illegal unlawful"),
    ("majority", "minority"),
    ("inner", "outer"),
    ("male males men boys", "female females women girls"),
    ("accept accepted accepts", "reject rejected rejects refused"),
    ("born birth", "died death"),
    ("liked likes loved", "hated hates disliked"),  # verbs: "like" is mostly a preposition
    ("support supported supports", "oppose opposed opposes"),
    ("include included includes", "exclude excluded excludes"),
    ("opened", "closed"),
    ("new", "old"),
    ("initial beginning", "final"),
    ("awake", "asleep"),
    ("inside", "outside"),
    ("intracellular", "extracellular"),
    ("upper", "lower"),
    ("permanent", "temporary"),
    ("junior", "senior"),
    ("acute", "chronic"),
    ("direct", "indirect"),
    ("formal", "informal"),
    ("voluntary", "compulsory mandatory"),
    ("ally allies", "enemy enemies"),
    ("connect connects connected connecting", "separate separates separated separating"),
    ("rare", "common"),
    ("allow allowed allows permitted", "forbid forbade forbidden banned prohibited"),
    ("most", "least"),  # "at least" and "at most" are bounds, taken out before
    ("strong stronger strongest", "weak weaker weakest"),
    (
        # verb forms only: "the fall of 2019", "a rise in" and "a drop" have other senses
        "increased increases increasing rose risen rising grew grown growing gained",
        "decreased decreases decreasing fell fallen falling dropped declined declining shrank "
        "shrunk",
    ),
]
_OPPOSITES = [(frozenset(a.split()), frozenset(b.split())) for a, b in OPPOSITES] + [
    (frozenset(b.split()), frozenset(a.split())) for a, b in OPPOSITES
]


_BOUND_WORDS = re.compile(r"\bat (?:least|most)\b", re.I)


def _opposite_words(question: str, sentence: str) -> str:
    """Why a sentence that says only the opposite of a question's word cannot answer it. Its
    ages ("45-year-old") say no opposite; a name's word does ("Office of Western Medicine" for
    "eastern")."""
    asked = set(words(_BOUND_WORDS.sub(" ", question)))
    said = set(words(_BOUND_WORDS.sub(" ", _AGE.sub(" ", normalize_apostrophes(sentence)))))
    # the words the question says itself, not inside a name ("Jiangbei International Airport")
    plain = {
        w.lower() for i, w in enumerate(re.findall(r"[A-Za-z]+", question)) if i == 0 or w.islower()
    }
    for side, other in _OPPOSITES:
        mine = asked & side
        if mine and not plain & other and not said & side and said & other:
            theirs = sorted(said & other)[0]
            return f"the documents speak of {theirs}, not {sorted(mine)[0]}"
    for word in sorted(plain - said - STOPWORDS):
        # "unsettled", "deactivated", "inactive" of a sentence that says "settled",
        # "activated", "active"
        m = _NEGATING_PREFIX.match(word)
        if m and m.group(1) in said:
            return f"the documents speak of {m.group(1)}, not {word}"
    # "isn't active" says what "inactive" says
    if not _NEGATED.search(normalize_apostrophes(question)):
        for word in sorted(said - asked):
            # "active" of a sentence that says only "inactive": an adjective only ("known" of
            # "unknown", "like" of "unlike", "rest" of "unrest" are other words)
            m = _NEGATING_PREFIX.match(word)
            base = m.group(1) if m else ""
            if base in plain and base not in said and _ADJECTIVE_END.search(base):
                return f"the documents speak of {word}, not {base}"
    return ""


# A prefix that negates the word after it: "un" (not "unless", "until", "uni-", "under-",
# "uncover"), "non", and "de" before the words it undoes ("deactivated", "deregulated"; not
# "designed", "deserved", "deceased").
_ADJECTIVE_END = re.compile(r"(?:able|ible|ive|ent|al|ar|ful|ous|ic|ary|ate|ete|ect)$")
# Words "in", "im", "ir" or "il" begin without negating the rest ("indifferent" is no "not
# different", "inpatient" no "not patient").
_NOT_NEGATED = (
    "different|difference|credibl|patient|stance|material|formativ|memorial|respectiv"
    "|habitabl|flatabl|vestment|capacit|valuabl|flammabl|famous|tense|ternal|vocat|migrat"
)
_NEGATING_PREFIX = re.compile(
    r"(?:un(?!less|til|i|der|cover|veil|told|do\b)|non-?"
    r"|de(?=activat|centrali|classif|list|regulat|stabili|militari|commission|compress|select"
    r"|valu|populat|hydrat|forest|escalat|nucleari|coloni|segregat|sensiti|mobili)"
    # "in", "im", "ir", "il" before an adjective or adverb ("inactive", "impossible",
    # "irregular", "indirectly"), not before a verb or noun ("inform", "improve", "implant")
    r"|(?:in(?![bmplr])|im(?=[bmp])|il(?=l)|ir(?=r))"
    r"(?=[a-z]{2,}(?:able|ible|ive|ent|al|ar|ful|ous|ic|ary|ate|ete|ect|ly|ity|ance|ence)$)"
    rf"(?!{_NOT_NEGATED})"
    r"|dis(?=approv|agree|allow|obey|continu|qualif|connect|appear|believ|trust|honest"
    r"|advantag|similar|satisf|proportion|organi[sz]|respect|loyal|comfort))([a-z]{4,})$"
)


def _names(text: str, proper: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised words after the first word, and words the corpus only ever capitalises."""
    tokens = re.findall(r"[A-Za-z][\w’'-]*", normalize_apostrophes(text))
    out = []
    for i, token in enumerate(tokens):
        if token.lower() in proper and not token[0].isupper():
            out.append(token.capitalize())
            continue
        if i == 0 or not token[0].isupper() or token.lower() in GENERIC:
            continue
        for part in re.split(r"[-’']", token):
            if part and part[0].isupper() and len(part) > 1 and part.lower() not in GENERIC:
                out.append(part)
    return out


def _abbreviated_names(question: str, sentence: str) -> set[str]:
    """Words of a multi-word name whose initials the sentence uses ("European Union": EU)."""
    out: set[str] = set()
    capitals = set(re.findall(r"\b[A-Z]{2,6}\b", sentence))
    for group in re.findall(r"(?:[A-Z][a-z]+\s+){1,5}[A-Z][a-z]+", question):
        parts = group.split()
        if "".join(p[0] for p in parts) in capitals:
            out.update(parts)
    return out


def _other_name_in(name: str, text: str) -> bool:
    """The text writes the place by another of its names ("Europe": "the EU"); initials only
    as capitals ("us" is a pronoun)."""
    return any(
        re.search(rf"(?<![\w.]){re.escape(other)}(?![\w])", text, 0 if other.isupper() else re.I)
        for other in OTHER_NAMES.get(name.lower(), ())
    )


_DEMONYMS: dict[str, set[str]] = {}
for _place, _people in DEMONYM_PAIRS:
    _DEMONYMS.setdefault(_place, set()).add(_people)
    _DEMONYMS.setdefault(_people, set()).add(_place)
# How English forms a people, a follower or a plural from a name: Egypt-ian, Korea-n,
# Japan-ese, Iraq-i, Huguenot-s, Confucian-s.
_NAME_SUFFIXES = ("s", "n", "an", "ian", "ese", "i")


# "How much has CapitaLand Group invested …?": the name a how-much/how-many question asks of.
_FIGURE_SUBJECT = re.compile(
    r"^\W*(?i:(?:and |so )?how (?:much|many)\b.*?\b(?:has|have|had|did|does|do|is|are|was|were))\s+"
    r"(?:the\s+)?((?:[A-Z][\w'’-]*)(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)"
)
# A list of examples up to a name: "including A, B and C", "such as the A".
_EXAMPLE_RUN = rf"{LIST_MARKER}\s+(?:(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s*(?:,|and)\s*)*"


def _only_an_example(question: str, sentence: str) -> str:
    """The name a figure is asked of, when the sentence names it only in a list of examples
    ("… 50 enterprises, including CapitaLand Group, and the investment … exceeds US$5.5
    billion": the sum is not CapitaLand's); "" otherwise, or when the question lists too, or
    the sentence gives the name a figure of its own ("including Tencent (US$500 million)",
    "including Tencent, which put in US$500 million")."""
    m = _FIGURE_SUBJECT.match(normalize_apostrophes(question))
    if not m or re.search(LIST_MARKER, question, re.I):
        return ""
    name = m.group(1)
    said = list(re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sentence))
    if not said:
        return ""
    listed = re.compile(rf"{_EXAMPLE_RUN}(?:(?i:the)\s+)?{re.escape(name)}(?![\w-])")
    examples = {x.end() for x in listed.finditer(sentence)}
    own_figure = re.compile(r"\s*(?:\(\s*[^)]*\d|,\s*(?:which|who)\b[^,;]*\d)")
    if any(own_figure.match(sentence, x.end()) for x in said):
        return ""
    return name if all(x.end() in examples for x in said) else ""


def _only_in_compound(question: str, sentence: str, titled: str, missing: list[str]) -> list[str]:
    """Names the question says on their own and in a compound it also says, that the sentence
    says only in the compound: "Singapore enterprises of the Sino-Singapore … Channel" of a
    sentence with the Channel alone ("Sino-Singapore" names a pairing, not the firms)."""
    out = []
    for name in dict.fromkeys(re.findall(r"(?<![\w-])[A-Z][a-z]+(?![\w-])", question)):
        if name in missing or question.startswith(name):
            continue
        # the name, or the place of its people ("Norwegian": Norway, as _DEMONYMS pairs them)
        forms = [name] + [p.title() for p in _DEMONYMS.get(name.lower(), ())]
        for form in forms:
            compound = rf"\w-{re.escape(form)}\b|\b{re.escape(form)}-\w"
            if (
                re.search(compound, question)
                and re.search(compound, sentence)
                and not any(  # said alone in the sentence or the document's title
                    re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", titled) for f in forms
                )
            ):
                out.append(name)
                break
    return out


def _name_form_in(name: str, text: str) -> bool:
    """The text writes the name in another form, as a name: without accents ("Temur":
    "Temür"), as its people or plural ("French": "France", "Russians": "Russian", "Egyptian":
    "Egypt")."""
    low = fold(name)
    # the text's names only: "Wells" is not "well", "Norman" not "the norm"
    present = {fold(w) for w in re.findall(r"\b[A-Z][A-Za-z\u00C0-\u024F]+", text)}
    if low in present or _DEMONYMS.get(low, set()) & present:
        return True
    # "Frenchman" of "Frenchmen", and back
    if (
        low.endswith(("man", "men"))
        and len(low) > 5
        and {low[:-3] + "man", low[:-3] + "men"} & present
    ):
        return True
    # a plural of a people first ("Israelis": Israeli, then Israel)
    bases = [low] + ([low[:-1]] if low.endswith("s") and len(low) > 5 else [])
    for base in bases:
        for suffix in _NAME_SUFFIXES:
            if base + suffix in present:
                return True
            if base.endswith(suffix) and len(base) - len(suffix) >= 4:
                if base[: -len(suffix)] in present:
                    return True
            # a final e dropped before the ending: "Palestine", "Palestinian" (a long name
            # only: "Evan" is not "Eve")
            if suffix in ("an", "ian") and len(base) >= 6:
                if base.endswith("e") and base[:-1] + suffix in present:
                    return True
                if base.endswith(suffix) and base[: -len(suffix)] + "e" in present:
                    return True
    # a long name word with a verb's other ending: "Designated" of "the … Designation Act"
    root = _verb_root(low)  # both in a verb's other ending ("Interest" is no "Interested")
    return (
        len(low) >= LONG_NAME
        and root != low
        and any(len(w) >= LONG_NAME and _verb_root(w) == root != w for w in present if w != low)
    )


LONG_NAME = 7  # letters from which a name word's other endings are the same word
_VERB_ENDINGS = ("ions", "ion", "ings", "ing", "ed")  # not -s, -e: "Collins", "Colline"


def _verb_root(word: str) -> str:
    """The word without the ending of a verb form ("designat" of designated, designation):
    the longest such ending that leaves five letters."""
    for ending in _VERB_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            return word[: -len(ending)]
    return word


def _acronym_in(name: str, text: str) -> bool:
    """'IP' stands in a sentence that says 'intellectual property'; 'EU' for 'European Union'."""
    if name.isupper() and 2 <= len(name) <= 6:
        found = re.findall(r"[A-Za-z]+", text)
        initials = "".join(w[0] for w in found).upper()
        # "MSP" for "member of the Scottish Parliament": the small words left out
        content = "".join(w[0] for w in found if w.lower() not in _ACRONYM_GAPS).upper()
        return name in initials or (len(name) > 2 and name in content)
    return False


_ACRONYM_GAPS = frozenset("of the and for a an in on to de".split())


def _unknown_names(index: Index, asked: Question, context: str, best: Sentence) -> list[str]:
    known_words = vocabulary(index)
    accented = accented_forms(index)  # "Möngke": vocabulary's words are ASCII
    context_words = set(letter_words(context))
    names = _names(asked.text)
    out = []
    for n in names:
        lower = n.lower()
        if lower in known_words or lower in accented or lower in context_words:
            continue
        if _acronym_in(n, best.text):
            continue
        if known_stem(lower, known_words) or any(
            w in known_words for w in _DEMONYMS.get(lower, ())
        ):
            continue  # a plural or other form the corpus has, or its place ("French": France)
        if n in _abbreviated_names(asked.text, best.text):
            continue  # "European Union" where the sentence says "EU"
        out.append(n)
    return out


_TIME_WORDS = frozenset(
    "first second third last next past previous five four three six two half quarter months "
    "month weeks week days year years period time".split()
)
# Words that bound a number ("in fewer than 50", "from under 40"): never a place or a topic.
BOUND_WORDS = frozenset(
    "fewer less under below over above more most least than nearly almost about around "
    "excess upwards upward".split()
)


def _generic(word: str) -> bool:
    """A word that names no topic, or the plural of one ("things", "items", "events")."""
    if word in STOPWORDS or word in GENERIC:
        return True
    singular = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return singular in GENERIC or singular in ANSWER_TYPE_WORDS


# Prepositions of more than one word that begin with "in": "in connection with the centre" is
# no place.
_IN_PHRASE = (
    r"(?:(?:connection|relation|regard|respect|addition|response|reply|return|line|accordance"
    r"|comparison|contrast|terms|view|light|spite|favou?r|support|charge|place|front|exchange"
    r"|preparation|memory|honou?r|celebration|recognition|partnership|cooperation|collaboration"
    r"|conjunction|association) (?:with|to|of|for)\b"
    # "in absolute terms": the form of the amount asked, no place
    r"|(?:absolute|real|relative|nominal|money|value|cash|percentage) terms\b)"
)


def _unknown_places(index: Index, asked: Question, best: Sentence) -> list[str]:
    """'ports in southeast asia': a place after in/from/across the corpus never names."""
    known_words = vocabulary(index)
    out = []
    lower = normalize_apostrophes(asked.text).lower()
    for m in re.finditer(
        rf"\b(?:in(?! order\b| {_IN_PHRASE})|from|across|within)\s+((?:[a-z]+\s*){{1,3}})", lower
    ):
        for word in m.group(1).split():  # the unknown words right after the preposition
            if word in known_words or _generic(word) or word in _TIME_WORDS or word in BOUND_WORDS:
                break
            if len(word) > 2 and not known_stem(word, known_words):
                out.append(word)
    if not out:
        return []
    sentence_words = [w for w in dict.fromkeys(words(best.text)) if w not in STOPWORDS]
    return [w for w in out if best_similarity(index, w, sentence_words) < WORD_SIMILARITY]


# Words of a search-box query that judge or compute, not topics: "best hotpot restaurants",
# "exchange cities divided by friendship cities ratio", "trade grow by more than 10%".
_NO_TOPIC = frozenset(
    "best worst good great nice cheap famous popular favourite divided divide times plus minus "
    "ratio average mean compare compared versus grow grows growing rise rises fall falls "
    "increase decrease change".split()
)


_WHICH_KIND = re.compile(  # "Which country …", "In which country …", "Besides X, which …"
    r"(?:[^,?]{1,40},)?\s*(?:(?:in|from|at|to|of|for|on|by|with|into)\s+)?(?:which|what)\b", re.I
)
# "Which city is the capital of …?": the noun after "is the" is what the answer must be, a
# topic as much as the kind asked for.
_ROLE_OF = re.compile(
    r"^\W*(?:which|what)\s+[a-z-]+(?:\s+[a-z-]+)?\s+(?:is|was|are|were)\s+(?:the|its|their)\s+"
    r"([a-z]+)\s+(?:of|for|in)\b"
    # "What is the capital city of Myanmar?": the role before the kind of place asked for
    r"|^\W*(?:which|what)(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?:the|its|their)\s+([a-z]+)\s+"
    r"(?:city|town|country|nation|province|state|region|place|port)\s+(?:of|for|in)\b"
)
_PLACE_KINDS = frozenset("nation nations countries cities towns provinces regions states".split())
_PLACE_ANSWERS = ANSWER_TYPE_WORDS | PLACE_CATEGORIES | _PLACE_KINDS


def _unfamiliar_words(index: Index, asked: Question, best: Sentence) -> list[str]:
    """Question words the corpus never uses and the sentence has nothing like.

    "population" or "mayor" is a thing the article does not talk about; "harbours"
    for "ports" is the same thing in other words, and its embedding says so.
    """
    known_words = vocabulary(index)
    # A question's topic is its head noun; a search-box query has no grammar to find one by,
    # so each of its words is one ("best hotpot restaurants in yuzhong district").
    nouns = (
        [w for w in letter_words(asked.text) if len(w) > 3 and w not in _NO_TOPIC]
        if asked.keywords
        else asked.head[-1:]
    )
    role = _ROLE_OF.match(normalize_apostrophes(asked.text).lower())
    if role and not asked.keywords:
        nouns = [*nouns, role.group(1) or role.group(2)]  # "… the capital of Myanmar?": a capital
    # "Which nation opened …?" is answered by a name in a text that says "countries", if at
    # all: a kind of place asked for after which/what is a kind of answer, not a topic
    kinds = _PLACE_ANSWERS if _WHICH_KIND.match(asked.text) else ANSWER_TYPE_WORDS
    focus = [w.lower() for w in nouns if w.lower() not in kinds and w.lower() not in BOUND_WORDS]
    unknown = [
        w
        for w in focus
        if w.isalpha()
        and len(w) > 2
        and not _generic(w)
        and w not in known_words
        and not known_stem(w, known_words)
    ]
    if not unknown or (asked.keywords and len(unknown) < 2 and 2 * len(unknown) < len(focus)):
        return []  # a search-box query is off the documents when two or half its words are
    sentence_words = [w for w in dict.fromkeys(words(best.text)) if w not in STOPWORDS]
    if not sentence_words:
        return unknown
    said = {stem(w) for w in sentence_words}
    return [
        w
        for w in unknown
        if not (class_stems(w) - {stem(w)}) & said  # "pact" of a sentence's "Agreement"
        and best_similarity(index, w, sentence_words) < WORD_SIMILARITY
    ]
