"""Numeric answers: which fact kinds answer a question, what a fact counts, its span."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index import Index
from ..lexicon import CARDINALS, PEOPLE_NOUNS, PEOPLE_WORDS
from ..question import GENERIC, Question
from ..records import AnswerSpan, Fact
from ..textutil import content_words, stem, words
from .sentences import Sentence, background, best_similarity

# A counted noun the article does not use ("harbours" for "ports") still
# matches a unit when their embeddings are at least this close.
UNIT_SIMILARITY = 0.45


# Which fact kinds answer which kind of question: "when?" is answered by a year as well
# as by a date ("In 1066, ...").
KINDS_FOR = {
    "count": ("count",),
    "money": ("money", "percent", "count"),  # "how much did it rise?", "how much land?"
    "percent": ("percent",),
    "date": ("date", "year", "period"),
    "period": ("period", "count", "date", "year"),
    "year": ("year", "period", "date"),
    "ordinal": ("ordinal",),
    "number": ("count", "ordinal", "money", "percent"),
}
KIND_WORDS = {
    "count": "count",
    "money": "amount",
    "percent": "percentage",
    "date": "date",
    "period": "period",
    "year": "year",
    "ordinal": "edition or rank",
}


# A span that can answer a numeric question though no fact was read from it ("the third
# century", "twelve").
NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|thousand|million|billion|dozen|half|first|second|third|january|"
    r"february|march|april|may|june|july|august|september|october|november|december|"
    r"century|decade)\b",
    re.I,
)


CHANGE = re.compile(r"\b(increased|rose|risen|grew|grown|reached|climbed|fell|dropped)\b")
# Words before a number that say where it went or what it makes, not a bound on it:
# "up 8.5%", "make up 50%".
_NOT_A_BOUND = re.compile(rf"{CHANGE.pattern}|up|down", re.I)


# Questions whose answer must be a number of the asked kind; "when?" and "how much?" are
# often answered otherwise ("after the oil shock", "less than two percent").
STRICT_KINDS = ("count", "percent", "ordinal", "number")


# A sum written in words ("a million dollars", "half the budget", "for free"): a lower-case
# number word, or a whole span that says it cost nothing.
_SPELLED = re.compile(
    rf"\b(?:{'|'.join(CARDINALS)}|hundreds?|thousands?|millions?|billions?|trillions?|half)\b"
    r"|^(?:free|nothing|for free|free of charge|no cost|at no cost)$"
)


def kind_fit(asked: Question, fact: Fact | None, inside: Sequence[Fact], text: str) -> float:
    """How well a span is the kind of answer a numeric question asks for.

    1: it holds a fact of that kind; 0.5: a number no fact was read from, or (for when /
    how much) no number at all; 0: nothing of the kind, or a number of another kind
    ("343.83 billion CNY" for "how many?"): never the answer.
    """
    if fact is not None:
        if (
            fact.kind == "percent"
            and _SHARE.search(asked.text)
            and _CHANGED.search(fact.qualifier or "")
        ):
            return 0.0  # "How much of the total was exports?" is not answered by "up 12.9%"
        return 1.0
    if asked.wants in STRICT_KINDS:
        return 0.5 if not inside and NUMBER.search(text) else 0.0
    if asked.wants in ("date", "year", "period") and any(not _time_like(f) for f in inside):
        return 0.0  # "when?" answered by an amount, or "which month?" by "30th anniversary"
    if asked.wants == "money" and not re.search(r"\d", text) and not _SPELLED.search(text):
        return 0.0  # "What did it cost?" answered by "Jiangbei International Airport"
    if asked.wants == "year" and not re.search(r"\d", text):
        return 0.0  # "when?" may be "after the war"; "what year?" is written in digits
    if asked.wants in ("date", "period") and not inside and timeless(text):
        return 0.0  # "when?" answered by "Jiangbei International Airport Bonded Port Area"
    return 0.5


# Words that can say when without a number: "after the war", "during the reign of Henry",
# "the Middle Ages", "at Christmas", "if the vote fails", "shortly". Of the 977 gold answers
# to "When did/was/…" questions of the training data (SQuAD 2.0 dev minus the held-out
# articles, SQuADShifts), 24 had no number and none of the first list of these words, all from
# SQuADShifts' Reddit and Amazon reviews ("combat", "the update", "baking chips"); the words
# of time among them are listed too, so a span with neither a number nor such a word is not
# an answer to "when?" (about 2% of such gold answers would be refused).
TIME_WORDS = re.compile(
    r"\b(century|centuries|millenni\w*|decades?|years?|months?|weeks?|days?|eras?|ages?|period"
    r"|dynast\w*|reign|wars?|times?|ago|later|earlier|after|before|during|until|since|following"
    r"|early|late|mid|morning|afternoon|evenings?|night|tonight|noon|midnight|dawn|spring"
    r"|summer|autumn|fall|winter|seasons?|today|yesterday|tomorrow|now|modern|medieval|ancient"
    r"|renaissance|revolution|independence|administration|presidency|tenure|birth|death|life"
    r"|conquest|invasion|restoration|reformation|depression|epoch|stage|phase|term|session"
    r"|holidays?|christmas|xmas|easter|thanksgiving|weekends?|january|february|march|april|may"
    r"|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|hours?|quarter|half|annual\w*|daily|weekly|monthly|yearly|bc|ad"
    r"|bce|ce|olympics|games|cup|championship|elections?|end|beginning|start|semester|if"
    r"|whenever|once|upon|as soon as|when|while|whilst|soon|sooner|immediately|eventually"
    r"|already|again|never|always|often|occasionally|usually|sometimes|recently|currently"
    r"|formerly|previously|afterwards|then|advance|shortly|rest|grade|retirement|school"
    r"|college|graduat\w*|marriage|wedding|update|by|till|unless|dusk|middle|first|last|next"
    r"|previous|prior|onset|present|past|future|childhood|youth|enlightenment|antiquity"
    r"|prehistory)\b",
    re.I,
)


# A question for a part of a whole, and the words that make a percent a change instead.
_SHARE = re.compile(
    r"\b(how much of|what (?:share|part|portion|proportion|fraction|percentage) of)\b", re.I
)
_CHANGED = re.compile(rf"{CHANGE.pattern}|\b(up|down|growth|increase|decrease|rise|fall)\b", re.I)


def timeless(text: str) -> bool:
    """A span with no number and no word of time: never the answer to "when?"."""
    return not re.search(r"\d", text) and not TIME_WORDS.search(text)


def only_figures(text: str, inside: Sequence[Fact]) -> bool:
    """A span that is nothing but numbers, dates and amounts ("July 12", "108"): not a name,
    so never the answer to "who?"."""
    rest = text
    for f in sorted(inside, key=lambda f: -len(f.text)):
        rest = rest.replace(f.text, " ")
        if f.qualifier:
            rest = rest.replace(f.qualifier, " ")  # "more than 50"
    return bool(inside) and not re.search(r"[A-Za-z]{3,}", rest)


def _time_like(fact: Fact) -> bool:
    """A fact that can say when: a date, a year ("1066" is read as a count), a century."""
    if fact.kind in ("date", "year", "period"):
        return True
    if fact.kind == "count":
        return bool(re.fullmatch(r"1\d{3}|20\d{2}", fact.text))
    return fact.kind == "ordinal" and bool(_TIME_UNIT.search(fact.unit or ""))


_TIME_UNIT = re.compile(r"\b(century|centuries|millennium|decade|year|dynasty|era)\b", re.I)


def more_precise(fact: Fact, asked: Question) -> bool:
    """A date that names a month (or day) the question does not: "October 1973" answers
    "When did the 1973 oil crisis begin?" although its only number is the question's."""
    if fact.kind not in ("date", "period") or asked.months:
        return False
    return bool(re.search(r"\d{4}-\d\d|--\d\d", fact.normalized or ""))


def digits(text: str) -> set[str]:
    """The numbers written in a text, commas dropped: "343.83 billion" -> {"343.83"}."""
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


AFTER_WORDS = 4  # words after a number without a unit that may name what it counts


_GENERIC_UNIT = re.compile(r"^\W*(?:units?|items?|pieces?|times|cases?|of)\b", re.I)


def unit_fit(
    index: Index, asked: Question, fact: Fact, sentence: Sentence, facts: Sequence[Fact] = ()
) -> float:
    """How well the fact measures what the question counts: 1 same words, 0 unrelated.

    The counted noun is the fact's unit, or the words just before it; in "A and B rose
    to 52 and 112 respectively" the words before 112 are B's.
    """
    if not asked.target:
        return 0.5
    unit_words = words(fact.unit or "")
    item = _respective_item(fact, sentence, facts)
    lead = sentence.text[: fact.start - sentence.start]
    if fact.unit and not _GENERIC_UNIT.search(fact.unit):
        # a number with its own noun counts that noun: the words before a comma name another
        # ("friendship cities, carrying out more than 200 exchanges" counts no cities; "For
        # cars, 3 million units" does count cars)
        lead = re.split(r"[,;:]", lead)[-1]
    before = words(item) if item is not None else words(lead)[-6:]
    after: list[str] = []
    if fact.unit is None:
        # No noun right after the number: the few words after it, up to a comma, may name
        # what it counts ("Four Great Schools", "260 of the 352 votes").
        rest = re.split(r"[,;:.!?()]", sentence.text[fact.end - sentence.start :])[0]
        # up to another number ("5,000 in its 12 hospitals" counts no hospitals), unless it is
        # the whole the number is part of ("260 of the 352 votes")
        partitive = re.match(r"\s+of (?:the |its |their |all )?[\d,.]+\s", rest)
        if not partitive:
            rest = re.split(r"\d", rest)[0]
        after = words(rest)[:AFTER_WORDS]
    if any(w.startswith("non-") for w in asked.target) and "non" not in before + after + unit_words:
        return 0.0  # "how many non-Muslims" of a number of Muslims
    unit_stems = {stem(w) for w in unit_words}
    target = [stem(w) for w in asked.target]
    before_stems = {stem(w) for w in before}
    if target[-1] in unit_stems:
        return 0.9 if item is not None and target[-1] not in before_stems else 1.0
    if target[-1] in before_stems:
        return 0.9
    if asked.target[-1] in PEOPLE_WORDS and _counts_people(fact, before):
        return 0.9  # "how many people" of "30,000 descendants", "a population of 2 million"
    after_stems = {stem(w) for w in after}
    if target[-1] in after_stems:
        # the noun after the number, with the question's modifiers, or the number may count
        # another sort of it ("4 Han Tumens and 3 Khitan Tumens")
        return 0.9 if set(target) <= after_stems | before_stems else 0.6
    context = " ".join(before + after + unit_words)
    # The counted noun phrase against the unit and its context, without the document's
    # setting ("Chongqing"), which any sentence shares and so proves nothing.
    phrase = " ".join(w for w in asked.target if not background(index, sentence.doc, w))
    similarity = max(
        best_similarity(index, phrase or asked.target[-1], [fact.unit or context, context]),
        best_similarity(index, asked.target[-1], [fact.unit or context, context]),
    )
    if similarity >= UNIT_SIMILARITY:
        return 0.7
    # Only a modifier matches ("how many Chongqing companies" beside "Chongqing ... 319
    # ports"): not what the question counts.
    return 0.3 if set(target) & (unit_stems | before_stems) else 0.0


def _counts_people(fact: Fact, before: list[str]) -> bool:
    """The number counts people: its noun is one of people ("settlers", a capitalised
    plural such as "Protestants"), or, with no noun of its own, one said just before it
    ("descendants … number 30,000", "a population of … 2 million")."""
    from ..facts import _counted_people

    last = (fact.unit or "").split()[-1:]
    if last:
        # a capitalised plural of a people's form ("Huguenots", "Protestants"), not "Oscars"
        people = _counted_people(last[0]) and last[0].lower().endswith(_PEOPLE_ENDINGS)
        return last[0].lower() in PEOPLE_NOUNS or people
    # no noun after the number: one just before it ("descendants … number 30,000"), and a
    # population of nothing else ("a population of 2 million", not "the panda population")
    for i, w in enumerate(before):
        if w == "population":
            if i == 0 or before[i - 1] in _DETERMINERS:
                return True
        elif w in PEOPLE_NOUNS:
            return True
    return False


_PEOPLE_ENDINGS = ("ans", "ese", "ists", "ites", "ots", "ants", "ers", "ics", "ims", "ards")
_DETERMINERS = frozenset("a the its their his her our total whole entire".split())


def _respective_item(fact: Fact, sentence: Sentence, facts: Sequence[Fact]) -> str | None:
    """In "A and B increased to 52 and 112 respectively", the item a number belongs to."""
    same = [f for f in facts if f.kind == fact.kind]
    if len(same) < 2 or fact not in same or not re.search(r"\brespectively\b", sentence.text):
        return None
    first = min(f.start for f in same) - sentence.start
    items = re.split(r"\band\b|,", sentence.text[:first])[-len(same) :]
    return items[same.index(fact)] if len(items) == len(same) else None


def respective_choice(
    asked: Question, fact: Fact, sentence: Sentence, facts: Sequence[Fact]
) -> Fact:
    """In "A and B rose to 52 and 112 respectively", the number whose item the question names.

    The item's own words (those the other items lack) decide: "friendship exchange cities"
    picks 112 over "international friendship cities"; with no such word the reader's choice
    stands.
    """
    if _respective_item(fact, sentence, facts) is None:
        return fact
    same = [f for f in facts if f.kind == fact.kind]
    items = {
        id(f): {
            stem(w)
            for w in content_words(_respective_item(f, sentence, facts) or "")
            if w.lower() not in GENERIC  # "the number of A and B": "number" is no word of A's
        }
        for f in same
    }
    asked_stems = {stem(w) for w in content_words(asked.text)}

    def own(f: Fact) -> int:
        others = set().union(*(v for k, v in items.items() if k != id(f)))
        return len(asked_stems & (items[id(f)] - others))

    best = max(same, key=own)
    return best if own(best) > own(fact) else fact


def better_fact(
    index: Index, asked: Question, fact: Fact, sentence: Sentence, facts: Sequence[Fact]
) -> Fact:
    """The reader's number, unless its sentence has one that fits the question better: the
    item named in a "respectively" list, or the one whose counted noun the question names
    ("how many countries" in "319 ports in 107 countries")."""
    fact = respective_choice(asked, fact, sentence, facts)
    if not asked.target:
        # "Which session of the foreign ministers' meeting?": the ordinal whose noun the
        # question names, when the reader's names nothing of it ("30th anniversary").
        asked_stems = {stem(w) for w in content_words(asked.text)}

        def named(f: Fact) -> int:
            return len(asked_stems & {stem(w) for w in content_words(f.unit or "")})

        same = [f for f in facts if f.kind == fact.kind]
        best = max(same, key=named, default=fact)
        return best if named(fact) == 0 and named(best) > 0 else fact
    if unit_fit(index, asked, fact, sentence, facts) >= 0.9:
        return fact
    same = [f for f in facts if f.kind == fact.kind and f is not fact]
    fitting = [f for f in same if unit_fit(index, asked, f, sentence, facts) >= 0.9]
    return fitting[0] if len(fitting) == 1 else fact


def named_unit_facts(asked: Question, index: Index, sentences: Sequence[Sentence]) -> list[Fact]:
    """Terse queries ("jiangbei airport routes"): numbers whose counted noun is the query's
    subject, its last word that is neither generic ("count") nor a verb ("served")."""
    focus = [
        w for w in words(asked.text) if w not in GENERIC and not w.endswith("ed") and w.isalpha()
    ]
    if not focus:
        return []
    subject = stem(focus[-1])
    out = []
    for sentence in sentences[:3]:
        for fact in index.facts_for(sentence.doc, sentence.start, sentence.end):
            unit = words(fact.unit or "")
            if unit and stem(unit[-1]) == subject:
                out.append(fact)
    return out


def fact_span(index: Index, fact: Fact) -> AnswerSpan:
    """The fact with its qualifier and counted noun when they stand right beside it."""
    text = index.documents[fact.doc].text
    start, end = fact.start, fact.end
    bound = fact.qualifier and (
        fact.qualifier.lower() == "up to" or not _NOT_A_BOUND.fullmatch(fact.qualifier.split()[0])
    )
    if bound:
        # "more than 200", "exceeds US$5.5 billion", "up to 3 pence" bound the number;
        # "increased to" and "up 12.9%" do not.
        lead = text[max(0, start - len(fact.qualifier) - 1) : start]
        if lead.strip().lower() == fact.qualifier.lower():
            start -= len(lead)
    if fact.kind in ("date", "year", "period", "ordinal"):
        # "the late 1960s", "the mid-19th century", "early 1974": part of when it was
        part = _PART_OF_TIME.search(text[max(0, start - 12) : start])
        if part:
            start -= len(part.group(0))
    if fact.unit and fact.kind in ("count", "ordinal"):
        window = text[end : end + len(fact.unit) + 40]
        at = window.find(fact.unit)
        if 0 <= at <= 25 and "." not in window[:at] and "," not in window[:at]:
            end += at + len(fact.unit)
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in "%)":
        end -= 1
    return AnswerSpan(text[start:end], fact.doc, start, end, fact.kind)


_PART_OF_TIME = re.compile(r"\b(?:early|mid|late)[- ]$", re.I)


# Two numbers of one kind joined like this are one value, a range: "50% to 60%",
# "200–300 receptors", "1914-1918". "52 pairs and 112 pairs" is two values, not a range.
_RANGE_JOIN = re.compile(r"\s*(?:[-–—]|to|through)\s*", re.I)
_FROM = re.compile(r"\bfrom\s*(?:US\$|\$|€|£|¥)?\s*$", re.I)


def range_span(index: Index, fact: Fact, facts: Sequence[Fact], span: AnswerSpan) -> AnswerSpan:
    """`span` (the fact's own) grown over the other end of a range the fact is part of."""
    text = index.documents[fact.doc].text
    for other in facts:
        if other.doc != fact.doc or other.kind != fact.kind or other is fact:
            continue
        first, second = (fact, other) if other.start > fact.start else (other, fact)
        if not _RANGE_JOIN.fullmatch(text[first.end : second.start]):
            continue
        if _FROM.search(text[max(0, first.start - 12) : first.start]):
            continue  # "fell from 8% to 5%" is a change, not a range
        start = min(span.start, fact_span(index, first).start)
        end = max(span.end, fact_span(index, second).end)
        return AnswerSpan(text[start:end], fact.doc, start, end, fact.kind, span.score)
    return span
