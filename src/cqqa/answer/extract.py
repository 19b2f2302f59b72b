"""The reader's spans, checked by the verifier, snapped to a fact when the question is numeric."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..index import Index
from ..lexicon import OTHER_NAMES
from ..question import (
    AGENT_CATEGORIES,
    ENTITY_CATEGORIES,
    NAMED_AGENTS,
    NUMERIC_WANTS,
    PLACE_CATEGORIES,
    VAGUE_PLACES,
    Question,
)
from ..reader import Reader
from ..records import FACT_KINDS, AnswerSpan
from ..textutil import STOPWORDS, content_words, stem
from .confidence import answerability, features, min_confidence
from .names import (
    category_in_names,
    category_name,
    class_stems,
    name_ending,
    names_a_thing,
    names_category,
    passive_agent,
)
from .numeric import (
    KIND_WORDS,
    KINDS_FOR,
    better_fact,
    digits,
    fact_span,
    kind_fit,
    more_precise,
    named_unit_facts,
    only_figures,
    range_span,
    unit_fit,
)
from .sentences import sentence_at
from .verify import CAUSE, says, violations

# The reader reads the top passages in one batch (one ONNX run) and proposes spans; the
# verifier accepts the best one that breaks no constraint of the question.
READ_PASSAGES = 3
READ_CANDIDATES = 8
# "Who approved it?" is answered by "approved by …" in one of this many closest sentences.
AGENT_SENTENCES = 3
_NAME_OF = re.compile(r"\bname of\b", re.I)
# "Name one of them", "what is it named", "what is the name": a name is asked for, not a figure.
_NAME_ONE = re.compile(r"\bname\b|\bnamed\b|\bcalled\b", re.I)
# A span with a capitalised word is a name ("entity"); other spans are phrases ("span").
_NAME = re.compile(r"\b[A-Z][\w’'-]*")


# Spans this far (in logits) below the reader's best are not tried when better ones fail.
CANDIDATE_MARGIN = 4.0
# The top passage's checked answer at this answerability or above is taken without reading
# the next passages. train/early_stop.py: at 0.6, 14% of the calibration articles' questions
# and 24% of the article's stop after one passage; 0.7% of the SQuAD answers change (right:
# 0.433 against 0.432) and none of the article's.
EARLY_ANSWERABILITY = 0.6


@lru_cache(maxsize=1)
def reader() -> Reader:
    """The one reader of this process (its ONNX session loads on first use)."""
    return Reader()


def reader_question(asked: Question, context: str) -> str:
    """What the reader is asked, as a question: a follow-up carries the question it leans on
    ("And how many countries? How many ports ..."), and a search-box query is put as one
    ("global education exchange week district" -> "Which district: global education ...?").
    """
    text = asked.text
    if asked.keywords and asked.head:
        rest = " ".join(w for w in text.split() if w.lower() not in asked.head)
        text = f"Which {' '.join(asked.head)}: {rest}?"
    elif asked.keywords:
        text = f"What about {text}?"
    return f"{text} {context}" if context else text


def read(index: Index, asked: Question, context: str, passages, sentences) -> tuple:
    """The reader's best span that passes the verifier, snapped to a fact when numeric.

    The top passage is read first: when its best checked span is this sure
    (EARLY_ANSWERABILITY), the others are not read. Otherwise they are, and the spans of
    all of them compete exactly as if they had been read together (each window is its
    own ONNX run, so the scores do not depend on what else is read).
    """
    agent = _agent_answer(index, asked, context, sentences)
    if agent is not None:
        return agent
    chosen = list(passages[:READ_PASSAGES])
    question = reader_question(asked, context)
    named = named_unit_facts(asked, index, sentences) if asked.keywords else []
    if named or len(chosen) < 2:
        spans = reader().read(question, [p.text for p in chosen], top=READ_CANDIDATES)
        return _choose(index, asked, context, chosen, spans, sentences, named)[:2]
    first = reader().read(question, [chosen[0].text], top=READ_CANDIDATES)
    found, reason, confidence = _choose(index, asked, context, chosen, first, sentences, named)
    if found is not None and confidence >= EARLY_ANSWERABILITY:
        return found, reason
    rest = reader().read(question, [p.text for p in chosen[1:]], top=READ_CANDIDATES)
    rest = [replace(s, passage=s.passage + 1) for s in rest]
    spans = sorted(first + rest, key=lambda s: -s.score)[:READ_CANDIDATES]
    chose = _choose(index, asked, context, chosen, spans, sentences, named)
    if chose[0] is None and found is not None and not chose[2]:
        # the other passages' spans crowded the top passage's checked one out of the
        # candidates, and the verifier refused each of theirs (none was only unsure):
        # the top passage's answer stands
        return found, reason
    return chose[:2]


def _agent_answer(index: Index, asked: Question, context: str, sentences):
    """ "Who approved it?" where one of the closest sentences says "approved by …": that
    agent, when the sentence passes the verifier."""
    for sentence in sentences[:AGENT_SENTENCES]:
        found = passive_agent(asked.text, sentence.text)
        if found is None or violations(index, asked, context, sentence, None):
            continue
        start, end = sentence.start + found[0], sentence.start + found[1]
        return span_at(index, sentence.doc, start, end, "entity"), "the agent the sentence names"
    return None


def _choose(index: Index, asked: Question, context: str, chosen, spans, sentences, named):
    """(span or None, reason, answerability) for the best of `spans` the verifier accepts."""
    if not spans:
        return None, "nothing in the passages answers this", 0.0
    by_index = {s.index: s for s in sentences}
    numeric = asked.wants in NUMERIC_WANTS
    kinds = KINDS_FOR.get(asked.wants, ("count", "money", "percent", "ordinal", "year", "date"))
    best = spans[0].score  # before any reordering: the margin is from the reader's best
    if named:
        # A search-box query naming a counted noun asks for that number: the reader's spans
        # on such a number come first, and the number itself stands in when none is.
        numeric, kinds = True, tuple(dict.fromkeys(f.kind for f in named))
        on_named = [s for s in spans if _overlapping(named, *_offsets(chosen[s.passage], s))]
        spans = on_named + [s for s in spans if s not in on_named]
        if not on_named:
            return (*_named_answer(index, asked, context, named[0], by_index), 1.0)
    if not numeric:  # within the margin, so that a span moved up is not cut off below
        near_best = [s for s in spans if s.score >= best - CANDIDATE_MARGIN]
        spans = _class_first(index, asked, chosen, near_best, by_index)
    given = digits(asked.text)
    failure = ""
    for span in spans:
        if span.score < best - CANDIDATE_MARGIN:
            break
        passage = chosen[span.passage]
        doc, start, end = _offsets(passage, span)
        sentence = sentence_at(index, doc, start, by_index)
        if sentence is None:
            continue
        facts = index.facts_for(sentence.doc, sentence.start, sentence.end)
        inside = _overlapping(facts, doc, start, end)
        fact = next((f for f in inside if f.kind in kinds), None)
        text = index.documents[doc].text[start:end]
        fit = kind_fit(asked, fact, inside, text) if numeric else 1.0
        if fit == 0.0:
            failure = failure or (
                f"the passages state no {KIND_WORDS.get(asked.wants, 'number')} for this"
            )
            continue
        if fact is not None:
            written = digits(fact.text)
            if written and written <= given and not more_precise(fact, asked):
                failure = failure or f"the documents give {fact.text} itself, not a part of it"
                continue
            if numeric and asked.target and unit_fit(index, asked, fact, sentence, facts) < 0.5:
                failure = failure or f"the documents give no number of {' '.join(asked.target)}"
                continue
        if asked.wants == "why" and (not CAUSE.search(sentence.text) or only_figures(text, inside)):
            # a reason is said where a cause or purpose is ("because …"), and is no bare figure
            failure = failure or "the documents give no reason for this"
            continue
        asks_name = asked.wants == "who" or (not numeric and _NAME_ONE.search(asked.text))
        if asks_name and only_figures(text, inside):
            failure = failure or "the passages name no one for this"
            continue
        if not numeric and _restates(asked, context, text):
            failure = failure or "the passages only repeat what the question names"
            continue
        if _asks_identity(asked) and not _speaks_of(sentence.text, asked.head):
            failure = failure or f"the documents name no {' '.join(asked.head)}"
            continue
        before = index.documents[doc].text[max(0, start - 40) : start]
        way = "" if numeric else wrong_way(asked.text, before, text)
        if way:
            failure = failure or way
            continue
        problem = violations(index, asked, context, sentence, fact if numeric else None)
        if problem:
            failure = failure or problem
            continue
        confidence = answerability(features(asked, span, sentence, passage, fit))
        if confidence < min_confidence():
            clearly = f"no passage answers this clearly (confidence {confidence:.2f})"
            return None, clearly, confidence
        if fact is not None and numeric:
            fact = better_fact(index, asked, fact, sentence, facts)
            # The short answer is the fact with its bound and counted noun ("more than 200
            # enterprises"), whatever else the reader's span took in.
            snapped = range_span(index, fact, facts, fact_span(index, fact))
            found = span_at(index, doc, snapped.start, snapped.end, fact.kind, span.score)
            return found, f"the {fact.kind} the reader found in the closest passages", confidence
        named = None if numeric else category_name(asked, sentence.text, start - sentence.start)
        is_name = not numeric and names_category(asked, text)
        if named and is_name and not _better_name(asked, sentence, named, text):
            named = None  # the reader's span is such a name, and no other fits the question better
        if is_name and not named:
            # "Sailing Tourism Center" of "Lessby - Orm Coast Sailing Tourism Center": the
            # reader's span is the end of a longer name of the kind asked for; the whole name
            whole = name_ending(sentence.text, start - sentence.start, end - sentence.start)
            if whole:
                start = sentence.start + whole
        elif not numeric:
            if named:  # the reader chose the sentence; the category noun picks the name in it
                start, end = sentence.start + named[0], sentence.start + named[1]
            elif asked.head and category_in_names(index, asked.head[-1]):
                # This corpus writes the category into its names ("Yubei District"): a
                # sentence with no such name does not answer "which district?".
                failure = failure or f"the closest sentence names no {asked.head[-1]}"
                continue
        found = span_at(index, doc, start, end, "", span.score)
        if asked.head and found.text:  # "Which facility …?" asks a noun phrase
            found = _listed_kind(_noun_phrase(index, found), asked.head[-1])
        if not found.text:
            continue  # the reader's span was only punctuation
        if asked.head and asked.head[-1] in PLACE_CATEGORIES and names_a_thing(found.text):
            failure = failure or f"the passages name no {asked.head[-1]} for this"
            continue
        placed = index.documents[doc].text[max(0, found.start - 40) : found.start]
        if (
            asked.head
            and asked.head[-1] in VAGUE_PLACES
            and not _reads_as_place(placed, found.text)
        ):
            # "Which venue hosted the final?" is not answered by a team or a founder
            failure = failure or f"the passages name no {asked.head[-1]} for this"
            continue
        if numeric and asked.wants in FACT_KINDS:
            kind = asked.wants
        else:
            kind = "entity" if _NAME.search(found.text) else "span"
        found = replace(found, kind=kind)
        return found, "the span the reader found", confidence
    return None, failure or "nothing in the passages answers this", 0.0


# Where a thing went, asked, and where it left from, said before a place (and the converse):
# "Which city was the destination of the train?" is not answered by "departed Chongqing".
_TO_ASKED = re.compile(
    r"\b(?:destination|bound for|headed (?:to|for)|(?:go|goes|went|travel(?:l?ed)?|sent|shipped"
    r"|delivered|exported) to|arriv(?:e|es|ed|ing) (?:in|at)|end(?:s|ed)? up in)\b",
    re.I,
)
# ...of motion only: "Where does the festival come from?" is answered by "dates back to …"
_FROM_ASKED = re.compile(
    r"\b(?:(?:depart(?:s|ed)?|leave|leaves|left|set off|sail(?:s|ed)?) from"
    r"|where did .+ (?:depart|leave|set off|sail)\b)",
    re.I,
)
_FROM_SAID = re.compile(r"\b(?:departed|departs|left|leaves|from|out of)\s+(?:the\s+)?$", re.I)
_TO_SAID = re.compile(
    r"(?<!back )(?<!due )(?<!close )(?<!next )(?<!up )\b(?:to|towards?|arrived (?:in|at)|reached"
    r"|bound for)\s+(?:the\s+)?$",
    re.I,
)
# A span that crosses into where it left from ("Duisburg on March 19. It departed from …")
_DEPARTED_IN = re.compile(r"\b(?:departed|departs|left|leaves)\b", re.I)


# Words before a place ("in", "at", "departed") and the last words of place names.
_AT_PLACE = re.compile(
    r"\b(?:in|at|to|from|into|near|inside|outside|departed|left|reached|entered|visited|via"
    r"|towards?|opposite)\s+(?:the\s+)?$",
    re.I,
)
_PLACE_NAME_ENDS = frozenset(
    "park stadium hall square terminal station airport port harbour harbor center centre "
    "museum arena hotel palace castle church cathedral bridge street road avenue quay yard zone "
    "area district city town village island valley lake river mountain building campus school "
    "university hospital library theatre theater garden gardens temple market base camp fort "
    "pier dock field ground grounds court house".split()
)


def _reads_as_place(before: str, text: str) -> bool:
    """The span stands where a place does ("in …", "departed …") or ends like a place's name
    ("… Logistics Hub Park")."""
    last = re.findall(r"[A-Za-z]+", text)[-1:]
    named = bool(last) and last[0][0].isupper() and last[0].lower() in _PLACE_NAME_ENDS
    return bool(_AT_PLACE.search(before)) or named


def wrong_way(question: str, before: str, text: str) -> str:
    """Why a place (`text`, after `before` in its document) does not answer a question of
    where something went (or came from), by the words right before the place, or the span's
    own first word ("left Tolvik Harbour"); "" when it may."""
    to, came = bool(_TO_ASKED.search(question)), bool(_FROM_ASKED.search(question))
    if to == came:
        return ""
    said = re.match(r"\W*(\w+(?:\s+(?:of|for|the))?)\s", text)
    lead = f"{before[-40:]}{said.group(0) if said else ''}"
    if to and (
        _FROM_SAID.search(before[-40:]) or _FROM_SAID.search(lead) or _DEPARTED_IN.search(text)
    ):
        return "the documents say where it left from, not where it went"
    if came and (_TO_SAID.search(before[-40:]) or _TO_SAID.search(lead)):
        return "the documents say where it went, not where it came from"
    return ""


def _class_first(index: Index, asked: Question, chosen, spans, by_index) -> list:
    """ "Which trade pact …?": the spans whose sentence names such a thing (a name that ends
    in "Agreement") before the others, those whose name shares more of the question's words
    first, else in the reader's order. Only for the kinds of named thing
    whose names say their kind (a city is seldom called "… City")."""
    head = asked.head[-1].lower() if asked.head else ""
    if (
        not head
        or head in PLACE_CATEGORIES | (AGENT_CATEGORIES - NAMED_AGENTS)
        or not (head in ENTITY_CATEGORIES or len(class_stems(head)) > 1)
    ):
        return spans

    asked_stems = {stem(w) for w in content_words(asked.text)}

    def fit(span) -> tuple[bool, int]:
        """(names no such thing, minus the question words the name shares), to sort by."""
        doc, start, end = _offsets(chosen[span.passage], span)
        sentence = sentence_at(index, doc, start, by_index)
        if sentence is None:
            return True, 0
        text = index.documents[doc].text[start:end]
        named = category_name(asked, sentence.text, start - sentence.start)
        if named is None:
            return not names_category(asked, text), 0
        # "which summit with Latin America": the summit whose name says so comes first (by
        # the name's words; a long span's own words prove nothing)
        name = sentence.text[named[0] : named[1]]
        return False, -len({stem(w) for w in content_words(name)} & asked_stems)

    return sorted(spans, key=fit)


# A question that offers its answers: "…, A or B?", "between A and B", "either … or".
_OPTIONS = re.compile(r"\b(?:or|either|between|whether)\b", re.I)


# Words that may stand inside or before a name: "The … of the …".
_NAME_GLUE = frozenset("the a an of for on in and de".split())


def _better_name(asked: Question, sentence, named: tuple[int, int], text: str) -> bool:
    """The name of the asked kind that `named` is answers better than the reader's span: the
    span runs on past it, or it shares more of the question's words ("what poverty reduction
    center" is the "Center for Poverty Reduction …", not the "Wisdom Tourism Center" beside it)."""
    asked_stems = {stem(w) for w in content_words(asked.text)}

    def shared(words: str) -> int:
        return len({stem(w) for w in content_words(words)} & asked_stems)

    other = sentence.text[named[0] : named[1]]
    if other in text:
        # the span runs on past the name into other words ("…Cooperation, and the … Summit"),
        # not only an article or the rest of the name ("The European Court of Justice")
        rest = text.replace(other, " ", 1)
        loose = re.findall(r"\b[a-z][\w’'-]*", rest)
        return bool(re.search(r"[,;]", rest)) or any(w not in _NAME_GLUE for w in loose)
    return shared(other) > shared(text)


def _restates(asked: Question, context: str, text: str) -> bool:
    """A span every word of which the question (or the conversation it leans on) says
    already answers nothing: "Who approved it?" is not answered by "the Consulate General of
    Myanmar" the question before named."""
    if _OPTIONS.search(asked.text):
        return False  # "Which opened first, Myanmar or Belarus?" is answered by one of them
    asked_words = content_words(f"{asked.text} {context}")
    said = {stem(w) for w in asked_words} | {
        stem(other.lower())
        for w in asked_words
        for other in OTHER_NAMES.get(w, ())
        if " " not in other
    }  # "the EU" repeats a question's "Europe"
    own = [stem(w) for w in content_words(text)]
    return bool(own) and all(w in said for w in own)


def _speaks_of(sentence: str, head: tuple[str, ...]) -> bool:
    """The sentence speaks of the role or kind asked for: its words, or (for a one-word kind)
    a near synonym ("the law" of a sentence's "Act")."""
    if says(sentence, " ".join(head)):
        return True
    classes = class_stems(head[0]) if len(head) == 1 else frozenset()
    return len(classes) > 1 and bool(classes & {stem(w) for w in content_words(sentence)})


def _asks_identity(asked: Question) -> bool:
    """ "Who is the mayor?", "the name of the consul general": the sentence must speak of
    that role, or it names someone else."""
    return bool(asked.head) and (asked.wants == "who" or bool(_NAME_OF.search(asked.text)))


def _offsets(passage, span) -> tuple[str, int, int]:
    """A reader span (offsets into the passage text) as document, start, end."""
    return passage.doc, passage.start + span.start, passage.start + span.end


def _overlapping(facts, doc: str, start: int, end: int) -> list:
    """The facts that share at least one character with [start, end) of `doc`."""
    return [f for f in facts if f.doc == doc and f.start < end and f.end > start]


def _named_answer(index: Index, asked: Question, context: str, fact, scored: dict) -> tuple:
    sentence = sentence_at(index, fact.doc, fact.start, scored)
    problem = violations(index, asked, context, sentence, fact) if sentence else "no sentence"
    if problem:
        return None, problem
    found = fact_span(index, fact)
    return found, "a number whose counted noun the question names"


def span_at(
    index: Index, doc: str, start: int, end: int, kind: str = "entity", score: float | None = None
) -> AnswerSpan:
    """A span grown to whole words ("Nan" -> "Nan’an") and trimmed of loose punctuation."""
    text = index.documents[doc].text
    while end < len(text) and (
        text[end].isalnum()
        or (text[end] in "'’-" and end + 1 < len(text) and text[end + 1].isalnum())
    ):
        end += 1
    while start > 0 and (
        text[start - 1].isalnum()
        or (text[start - 1] in "'’" and start > 1 and text[start - 2].isalnum())
    ):
        start -= 1
    start, end = _trimmed(text, start, end)
    start, end = _trimmed(text, *_balanced(text, start, end))
    if kind in ("", "entity", "span"):  # a name; a number's span is its fact's
        start, end = _whole_name(text, start, end)
    return AnswerSpan(text[start:end], doc, start, end, kind, score)


# A bracketed word inside a name, and the name words before it: "Coastal Fisheries (Nets and
# Lines) (Orm) Act" read from "(Orm) Act".
_NAME_BEFORE_BRACKET = re.compile(r"(?:(?:[A-Z][\w’'-]*|\([A-Z][^()]{0,40}\)|of|for)\s+)+$")
# A year written right after a name of a kind that carries one is part of it: "the Harbour
# Act 1998", "Expo 2010", "Vision 2030" (not "the Yangtze River 1500 km").
_YEAR_AFTER_NAME = re.compile(r" (?:1[5-9]|20)\d\d(?![\w%])(?!\s+[a-z])")
_YEAR_NAMES = frozenset(
    "act acts expo games cup olympics olympiad summit plan agenda vision report census strategy "
    "programme program declaration convention treaty accord agreement festival championship "
    "championships election elections budget review conference".split()
)


# A lower-case word before an article starts no noun phrase: it ends the phrase before the span
# ("put into operation | the second phase"), unless it is a word that may stand before "the"
# (or a function word).
_LOOSE_WORD = re.compile(r"([a-z]+) (?=(?:the|a|an) \w)")
_PREDETERMINERS = (
    frozenset(
        "all both half only even just including especially mainly mostly once twice quite "
        "such what rather".split()
    )
    | STOPWORDS
)


def _noun_phrase(index: Index, found: AnswerSpan) -> AnswerSpan:
    """A span that asks for a kind of thing starts at the article a loose word comes before:
    "operation the second phase" of "put into operation the second phase"."""
    text = index.documents[found.doc].text
    loose = _LOOSE_WORD.match(text, found.start, found.end)
    if not loose or loose.group(1).lower() in _PREDETERMINERS:
        return found
    return replace(found, text=text[loose.end() : found.end], start=loose.end())


# A list: three items, or two with "and"/"or" before the last ("A, B and C", "A, and B").
_LIST_END = re.compile(r",[^,]+,|,\s*(?:and|or)\s")


def _listed_kind(found: AnswerSpan, head: str) -> AnswerSpan:
    """Of a span that lists things ("the Intellectual Property Court, foreign-related …
    mediation center"), the one item whose name says the asked kind ("court")."""
    plural = head.endswith("s") and not head.endswith(("ss", "us", "is"))
    if plural or not _LIST_END.search(found.text):
        return found  # "which hormones?" asks for the list; "University of X, Berkeley" is one
    kinds = class_stems(head)

    def says_kind(item: str) -> bool:
        """The item is a name that says the kind: its first or last word, capitalized."""
        names = re.findall(r"[A-Za-z]+", item)
        ends = [w for w in names[:1] + names[-1:] if w[0].isupper()]
        return bool({stem(w.lower()) for w in ends} & kinds)

    items = [
        m
        for m in re.finditer(r"(?:(?<=,)\s*(?:and|or)\s+)?([^,]+)", found.text)
        if m.group(1).strip()
    ]
    said = [m for m in items if says_kind(m.group(1))]
    if len(said) != 1 or len(items) < 2:
        return found
    item = said[0]
    start = found.start + item.start(1) + len(item.group(1)) - len(item.group(1).lstrip())
    text = item.group(1).strip()
    return replace(found, text=text, start=start, end=start + len(text))


# A question of the other one of things named together: "Which country is the other new
# consulate general from?" after a turn about Myanmar's.
_OTHER = re.compile(
    r"\b(?:the other|another|besides|apart from|other than|except|(?:which|what) other)\b", re.I
)


def the_other(found: AnswerSpan, question: str, said: str) -> AnswerSpan:
    """Of a span that joins two or more things ("Belarus and the Consulate General of
    Myanmar"), asked for the other one, the one part whose names the question and the
    conversation before it (`said`) do not."""
    if not _OTHER.search(question) or found.kind == "derived":
        return found
    named = {w for w in re.findall(r"\b[A-Z][\w'’-]+", said)}
    # parts joined by commas or by "and the …" ("Belt and Road" is one name)
    parts = list(re.finditer(r"[^,]+?(?=,|\s+(?:and|or)\s+(?:the|a|an)\s|$)", found.text))
    parts = [p for p in parts if re.sub(r"^\W*(?:and|or)\s+", "", p.group()).strip()]
    if len(parts) < 2:
        return found
    new = [p for p in parts if not set(re.findall(r"\b[A-Z][\w'’-]+", p.group())) & named]
    if len(new) != 1 or len(new) == len(parts):
        return found
    part = new[0]
    bare = re.match(r"\W*(?:(?:and|or)\s+)?", part.group())
    start = found.start + part.start() + bare.end()
    text = part.group()[bare.end() :].strip()
    return replace(found, text=text, start=start, end=start + len(text))


def _whole_name(text: str, start: int, end: int) -> tuple[int, int]:
    """A name's span grown over the name words a bracket cut off before it and over a year
    that ends the name."""
    if text[start : start + 1] == "(":
        before = _NAME_BEFORE_BRACKET.search(text[max(0, start - 80) : start])
        if before:
            # from its first capitalised word that is no article ("The", "and" left out)
            first = re.search(r"\b(?!(?:The|A|An)\b)[A-Z(]", before.group(0))
            if first:
                start -= len(before.group(0)) - first.start()
    last = re.search(r"[\w’'-]+$", text[start:end])
    if last and last.group(0)[:1].isupper() and last.group(0).lower() in _YEAR_NAMES:
        year = _YEAR_AFTER_NAME.match(text, end)
        if year:
            end = year.end()
    return start, end


# How far a span's unclosed bracket is looked for its other half.
_BRACKET_REACH = 60


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """A span that cuts a bracket in half grown to hold both ("Chongqing) Science City" ->
    "Western (Chongqing) Science City", "China (Chongqing" -> "China (Chongqing)"); where the
    other half is not near, the half bracket is cut off instead."""
    span = text[start:end]
    if span.endswith(")") and span.count(")") == span.count("(") + 1:
        return start, end - 1  # "RCEP)": the name inside the brackets is whole
    if span.count(")") > span.count("("):
        opening = text.rfind("(", max(0, start - _BRACKET_REACH), start)
        if opening >= 0 and ")" not in text[opening:start]:
            start = opening
            word = re.search(r"([A-Z][\w’'-]*)\s*$", text[max(0, start - 40) : start])
            if word:  # the name word the bracket belongs to ("Western (Chongqing)")
                start -= len(word.group(0))
        else:
            start = start + span.find(")") + 1
    elif span.count("(") > span.count(")"):
        closing = text.find(")", end, end + _BRACKET_REACH)
        if closing >= 0 and "(" not in text[end:closing]:
            end = closing + 1
        elif span.rfind("(") == 0:
            start += 1  # "(Chongqing": the bracket's own words
        else:
            end = start + span.rfind("(")
    return start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without loose punctuation and spaces at either end."""
    while end > start and text[end - 1] in " -–(.,;:":
        end -= 1
    while start < end and text[start] in " ,;:":
        start += 1
    return start, end
