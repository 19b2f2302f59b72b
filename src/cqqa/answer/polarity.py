"""Yes/no questions: Yes when a retrieved sentence supports the statement, No when one states
the opposite (another number, an antonym verb, more for fewer), a decline when the documents
say nothing about it. Never Yes by default: every word that names something must be in the
supporting sentence, and every number must be matched by a stated fact of the same kind and
the same thing counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..index import Index
from ..lexicon import CARDINALS, LIST_MARKER, PARAPHRASES, SAME_COUNTED, SYNONYMS
from ..question import AUXILIARIES, GENERIC, ordinal_value
from ..records import Fact
from ..textutil import normalize_apostrophes, stem, words
from ..vocabulary import proper_nouns
from .arithmetic import Bound, bound_of, day_of, operand_text
from .derive import Outcome, derived
from .operands import OPERATION_WORDS
from .sentences import Sentence, background, best_similarity
from .verify import MIN_SIMILARITY, one_of_two

# Opposites: a statement using one side is contradicted by a sentence using only the other.
ANTONYMS = [
    (
        "rise rose risen rising increase increased increasing grew grow grown growing up gain "
        "gained higher more".split(),
        "fall fell fallen falling drop dropped decline declined decrease decreased shrank down "
        "lower less fewer".split(),
    ),
    ("open opened opening".split(), "close closed closing shut".split()),
    ("largest biggest greatest".split(), "smallest least".split()),
    ("departed depart departure".split(), "arrived arrive arrival".split()),
    ("approved approve".split(), "rejected reject refused refuse".split()),
    ("first".split(), "last".split()),
    ("western west".split(), "eastern east".split()),
    ("northern north".split(), "southern south".split()),
    ("before earlier".split(), "after later".split()),
    ("only".split(), "several many".split()),
    ("annually annual yearly".split(), "monthly weekly daily".split()),
]
# The opposites that order two events: checked as an order (`relation`), not as a word said.
_ORDER_SIDES = frozenset("before earlier after later".split())
# A common word of the statement missing from a sentence still counts as said when a word of
# the sentence is at least this close ("served" ~ "services").
COMMON_WORD_SIMILARITY = 0.6
SENTENCES_TRIED = 6
LOOSE_SIMILARITY = 0.7
NEGATIONS = frozenset("no not never none neither nor without cannot".split())
# A negation this many words before a word of the statement denies it ("had no dilutive ...").
NEGATION_REACH = 4


def _same_counted(claim: Fact, fact: Fact) -> bool:
    if claim.kind != fact.kind:
        return False
    if claim.kind == "money":
        return not claim.unit or not fact.unit or claim.unit == fact.unit
    if claim.kind == "count" and claim.unit and fact.unit:
        a = {stem(w) for w in words(claim.unit)}
        b = {stem(w) for w in words(fact.unit)}
        if a & b:
            return True
        # "companies" counts what "enterprises" counts
        return any(set(words(claim.unit)) & g and set(words(fact.unit)) & g for g in SAME_COUNTED)
    return True


def _relation(stated: Bound, claim: Bound) -> str:
    """'in' when what is stated makes the claim true; 'out' when it makes it false or leaves
    it unsupported ('more than 200' against 'more than 500' is out, as the issue asks)."""
    if claim.exact:
        # a rounding of a decimal figure ("343.8" of 343.83) is the figure; a whole number
        # (a count, an edition: the 10,001st of the 10,000th) is only itself
        whole = float(claim.lo).is_integer() and float(stated.lo).is_integer()
        tol = 0.0 if whole else 0.005 * max(abs(claim.lo), 1)
        return "in" if stated.exact and abs(stated.lo - claim.lo) <= tol else "out"
    if stated.exact and stated.lo in (claim.lo, claim.hi):
        return "out"  # 319 is not "more than 319"
    return "in" if stated.lo >= claim.lo and stated.hi <= claim.hi else "out"


def _years(fact: Fact) -> set[int]:
    n = fact.normalized or ""
    return {int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", n)}


_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_MONTH_IN = re.compile(
    r"\b(?:in|on|during|by|since|until|of|from|to) (" + "|".join(_MONTH_NAMES) + r")\b", re.I
)


def _months_named(text: str, claims: Sequence[Fact]) -> list[Fact]:
    """'opened in June': a month the statement names alone, as a date to check ('in May'
    only after 'in', since 'may' is also a verb)."""
    out = []
    for m in re.finditer(
        r"\b(?:in|during|by|since|until) (" + "|".join(_MONTH_NAMES) + r")\b", text, re.I
    ):
        if any(f.start <= m.start(1) < f.end for f in claims):
            continue
        month = _MONTH_NAMES.index(m.group(1).lower()) + 1
        out.append(
            Fact(m.group(1), "date", None, None, "", m.start(1), m.end(1), None, f"--{month:02d}")
        )
    return out


def _check_month(claim: Fact, facts: Sequence[Fact], sentence: str) -> tuple[str, str]:
    """'in', 'out' or 'none' for a month the statement names alone ('opened in June'), and
    the month the sentence gives instead."""
    want = (claim.normalized or "")[-2:]
    months = [
        (f"{_MONTH_NAMES.index(m.group(1).lower()) + 1:02d}", m.group(1))
        for m in _MONTH_IN.finditer(sentence)
    ]
    months += [(_year_month(f)[1], f.text) for f in facts if f.kind == "date" and _year_month(f)[1]]
    if not months:
        return "none", ""
    if any(m == want for m, _t in months):
        return "in", ""
    said = list(
        dict.fromkeys(t for _m, t in months if not any(t in u and t != u for _n, u in months))
    )
    return "out", " and ".join(said)


def _year_month(fact: Fact) -> tuple[str, str]:
    """'2019-03' -> ('2019', '03'); '--03-12' -> ('', '03')."""
    m = re.match(r"^(\d{4}|-)-(\d\d)", fact.normalized or "")
    if not m:
        return "", ""
    return (m.group(1) if m.group(1) != "-" else ""), m.group(2)


def _check_claim(claim: Fact, facts: Sequence[Fact]) -> tuple[str, Fact | None]:
    """'in', 'out' (with the stated fact), or 'none' when the sentence states no such figure."""
    if claim.kind == "year":
        dated = [f for f in facts if _years(f)]
        if not dated:
            return "none", None
        for f in dated:
            if int(claim.value or 0) in _years(f):
                return "in", f
        return "out", dated[0]
    if claim.kind == "date" and re.fullmatch(r"(?:\d{4}|-)-\d\d", claim.normalized or ""):
        # a month ("in March 2019"): any date of the sentence in that month says it
        months = [f for f in facts if f.kind == "date" and f.normalized]
        if not months:
            return "none", None
        want_year, want_month = _year_month(claim)
        for f in months:
            year, month = _year_month(f)
            if month != want_month or (want_year and year and year != want_year):
                continue
            if want_year and not year:
                return "none", None  # the claim names a year the sentence does not give
            return "in", f
        return "out", months[0]
    if claim.kind == "date":
        dates = [f for f in facts if f.kind == "date" and day_of(f)]
        if not dates or day_of(claim) is None:
            return "none", None
        for f in dates:
            if (f.normalized or "")[-5:] == (claim.normalized or "")[-5:]:
                if (
                    claim.normalized
                    and not claim.normalized.startswith("--")
                    and ((f.normalized or "").startswith("--"))
                ):
                    return "none", None  # the claim names a year the sentence does not give
                return "in", f
        return "out", dates[0]
    if claim.kind == "period":
        periods = [f for f in facts if f.kind == "period" and f.normalized]
        if not periods:
            return "none", None
        hit = [f for f in periods if f.normalized == claim.normalized]
        return ("in", hit[0]) if hit else ("out", periods[0])
    same = [f for f in facts if _same_counted(claim, f)]
    if not same:
        return "none", None
    cb = bound_of(claim)
    for f in same:
        fb = bound_of(f)
        if cb and fb and _relation(fb, cb) == "in":
            return "in", f
    return "out", same[0]


# A figure of the sentence that the statement's words name this much better than the one
# with the statement's number is what the statement is about ("112 pairs of friendship
# cities" when the sentence gives friendship cities 52 pairs and exchange cities 112).
NAMED_BETTER = 1.0


def _named_otherwise(index: Index, text: str, claim: Fact, fact: Fact, facts: Sequence[Fact]):
    from .operands import fact_score, phrase_stems

    same = [g for g in facts if g.kind == fact.kind and g.start != fact.start]
    if claim.kind not in ("count", "money", "percent") or not same:
        return "in", fact
    wanted = phrase_stems(text)
    mine = fact_score(index, fact, wanted)
    other = max(same, key=lambda g: fact_score(index, g, wanted))
    if fact_score(index, other, wanted) >= mine + NAMED_BETTER:
        cb, ob = bound_of(claim), bound_of(other)
        if cb and ob and _relation(ob, cb) != "in":
            return "out", other
    return "in", fact


def _said(word: str, sent_words: Sequence[str], stems: set[str]) -> bool:
    """The word, its stem, or a stem sharing its first four letters ('served' ~ 'services')."""
    s = stem(word)
    if word in _RANKING:
        return _rank_said(word, sent_words)  # "biggest" of "largest", not "a large number"
    if word in sent_words or s in stems:
        return True
    if "-" in word:  # "land-sea" is said by "land and sea"
        return all(_said(part, sent_words, stems) for part in word.split("-") if part)
    if any(word in group and group.intersection(sent_words) for group in SYNONYMS):
        return True  # "connect" is said by "links", "corridor" by "channel"
    return len(s) >= 4 and any(t.startswith(s) or (len(t) >= 4 and s.startswith(t)) for t in stems)


def _denies(sent_words: Sequence[str], said: Sequence[str]) -> str:
    """The negation ('no', 'not', "n't") that stands right before a word of the statement."""
    stems = {stem(w) for w in said}
    for i, w in enumerate(sent_words):
        # words() splits "didn't" into "didn" and "t"
        following = sent_words[i + 1] if i + 1 < len(sent_words) else ""
        negation = w in NEGATIONS or (w.endswith("n") and following == "t")
        if not negation:
            continue
        for v in sent_words[i + 1 : i + 1 + NEGATION_REACH]:
            if stem(v) in stems:
                return w
    return ""


# Ranks a statement makes, said or not at all: "Is Chongqing the largest city in China?" is
# no Yes of "a major central city".
# ("only" and "least" are left out: "only 319 ports", "at least 200" rank nothing)
_RANK_FAMILIES = (
    frozenset("largest biggest greatest".split()),
    frozenset(["smallest"]),
    frozenset(["highest"]),
    frozenset(["lowest"]),
)
_RANK_OPPOSITE = {0: 1, 1: 0, 2: 3, 3: 2}
_RANKING = frozenset().union(*_RANK_FAMILIES)


def _rank_said(word: str, sent_words: Sequence[str], opposite: bool = False) -> bool:
    """The rank (or, `opposite`, its opposite: "smallest" of "largest") is said in the words."""
    # "the second largest maker" does not say "the largest"
    said = {w for k, w in enumerate(sent_words) if not (k and ordinal_value(sent_words[k - 1]))}
    for i, family in enumerate(_RANK_FAMILIES):
        if word in family:
            j = _RANK_OPPOSITE.get(i) if opposite else i
            return j is not None and bool(_RANK_FAMILIES[j] & said)
    return False


_COMPARED_WITH = re.compile(
    r"\b(?:\w{2,}er|more|less|fewer)\b[^.?!]{0,60}?\bthan\b(?!\s*(?:the\s+)?[\d$€£¥])", re.I
)


_THE_RANK = re.compile(r"\bthe (only|first|last)\b(?:\s+([A-Za-z]+|\d+))?", re.I)
_PERIOD_AFTER = frozenset("half quarter week weeks month months year years day days time".split())


def _rank_of_noun(word: str, noun: str, sent_words: Sequence[str], said: set[str]) -> bool:
    """Whether the sentence says "only" (or "first"/"last", or the opposite) of the noun the
    statement ranks, with no word between that the statement does not say: "the only
    municipality" is no "only city", "the only deep-water port" no "only port". "The first
    one" names no noun, so any "first" or "last" will do."""
    if not _sided(word, set(sent_words)):
        return False
    if not noun or noun == "one":
        return True
    family = next((a + b for a, b in ANTONYMS if word in a + b), [word])
    for k, w in enumerate(sent_words):
        if w not in family:
            continue
        for j in range(k + 1, min(k + 4, len(sent_words))):
            if stem(sent_words[j]) == stem(noun):
                if all(x in said for x in sent_words[k + 1 : j]):
                    return True
                break
    return False


def _period_word(word: str) -> bool:
    """A word after "first" that ranks nothing: "five" of "the first five months", "half"."""
    word = word.lower()
    return word.isdigit() or (word in CARDINALS and word != "one") or word in _PERIOD_AFTER


def _sided(word: str, sentence: set[str]) -> bool:
    """The sentence says the word, a word of its family or of the opposite one."""
    return any(word in a + b and sentence & set(a + b) for a, b in ANTONYMS)


def _antonym_conflict(statement: set[str], sentence: set[str]) -> str:
    for a, b in ANTONYMS:
        for mine, other in ((a, b), (b, a)):
            if statement & set(mine) and sentence & set(other) and not sentence & set(mine):
                return f"{sorted(statement & set(mine))[0]} / {sorted(sentence & set(other))[0]}"
    return ""


def yes_no(
    index: Index,
    claim: str,
    question: str,
    sentences: Sequence[Sentence],
    relation: frozenset[str] = frozenset(),
) -> Outcome:
    """`claim`: the statement asked about, as the user wrote it, without its auxiliary or
    tag ("the train left on June 23" for "So the train left on June 23, right?").
    `relation`: words one of which the sentence must have ("before", "after"), since two
    events listed in one sentence are not thereby in that order."""
    from ..facts import extract_facts  # here: compiling its patterns costs a cold ask 0.1 s

    from_claim = bool(claim.strip())
    text = normalize_apostrophes(claim if from_claim else question)
    for pattern, said in PARAPHRASES:  # "is going to take part in" says "will participate in"
        text = re.sub(pattern, said, text, flags=re.I)
    claims = [f for f in extract_facts(text) if f.kind != "period" or f.normalized]
    named_months = _months_named(text, claims)
    claims += named_months
    claim_spans = [(f.start, f.end) for f in claims]
    # "Did exports grow faster in 2022 than in 2021?": a time after "than" is what the
    # statement compares with ("more than 500" is a bound); a sentence silent on it answers
    # neither way
    than = _COMPARED_WITH.search(text)
    compared = [c for c in claims if than and c.start >= than.end() and c.kind in _TIME_KINDS]
    unit_words = {w for f in claims for w in words(f.unit or "")}
    antonym_words = {w for a, b in ANTONYMS for w in a + b}
    names = proper_nouns(index)
    content: list[tuple[str, bool]] = []  # (word, is a name)
    sided: list[str] = []  # words with an opposite, outside the figures
    for m in re.finditer(r"[A-Za-z][A-Za-z’'-]*", text):
        if any(s <= m.start() < e for s, e in claim_spans):
            continue
        w = m.group(0).lower().replace("’", "'")
        if w in _RANKING:
            content.append((w, False))  # "the largest city": a rank the sentence must say
            continue
        if w in antonym_words:
            # "closed": the sentence must say it or its opposite (below); a bound ("more
            # than") and an order ("before", checked as one) are no such word
            bound = re.match(r"\s+th[ae]n\b", text[m.end() :])
            if not bound and w not in _ORDER_SIDES:
                sided.append(w)
            continue
        if w in AUXILIARIES or w in GENERIC or len(w) < 2:
            continue
        if w in OPERATION_WORDS and w not in unit_words:
            continue
        name = (m.group(0)[0].isupper() and (m.start() > 0 or from_claim)) or w in names
        content.append((w, name))
    statement_words = set(words(text))
    # "the only / first / last Y": a rank, said (or its opposite) or not at all ("only 319
    # ports" ranks nothing, nor "the first five months", "the first half")
    ranked = {
        (m.group(1).lower(), (m.group(2) or "").lower())
        for m in _THE_RANK.finditer(text)
        if not (m.group(2) and _period_word(m.group(2)))
        # "the first phase" of a sentence's "second phase": an edition, checked as one
        and not any(a <= m.start(1) < b for a, b in claim_spans)
    }
    # "Isn't it the largest?" asks what "Is it the largest?" asks: only a negation in the body
    # of the statement ("Did it not open?") counts; the claim has no auxiliary.
    body = words(text) if from_claim else words(text.split(" ", 1)[-1]) if " " in text else []
    negated = any(
        w in NEGATIONS or (w.endswith("n") and nxt == "t") for w, nxt in zip(body, [*body[1:], ""])
    )
    found = _MEMBER.search(text)
    member = set(words(found.group(1))) if found and _MEMBER.sub("", text).strip() else set()
    if member:  # "X listed among the Ys": the verb of being counted in says nothing more
        member |= _MEMBER_VERBS
    fallback = None
    period_unsaid = ""
    for s in list(sentences)[:SENTENCES_TRIED]:
        if s.similarity < MIN_SIMILARITY:
            continue
        sent_words = words(s.text)
        sentence_words = set(sent_words)
        stems = {stem(w) for w in sent_words}
        title = normalize_apostrophes(index.documents[s.doc].title).lower()
        missing = [
            w
            for w, name in content
            if not _said(w, sent_words, stems)
            # the document's own setting ("Lindhaven" in its title) need not be repeated
            and not (name and (w in title or background(index, s.doc, w)))
        ]
        unsaid_names = [w for w, name in content if name and w in missing]
        swapped = None
        if unsaid_names:
            # a name the sentence does not have: another place, body or thing; unless the
            # sentence puts another name of its kind where the statement puts it ("Jiangbei
            # District" for the sentence's "Nan'an District"), which may make it a No
            swapped = (
                None
                if fallback
                else _swapped_name(text, s.text, unsaid_names, index.documents[s.doc].text)
            )
            if swapped is None:
                continue
        if any(w in _RANKING and not _rank_said(w, sent_words, opposite=True) for w in missing):
            continue  # the rank is not this sentence's (its opposite makes a No below)
        if any(
            not _sided(w, sentence_words)
            and best_similarity(index, w, sent_words) < COMMON_WORD_SIMILARITY
            for w in sided
        ):
            continue  # "Has it closed?" of a sentence that says neither opened nor closed
            # (nor a word near it: "left" says "departure")
        if any(not _rank_of_noun(w, noun, sent_words, statement_words) for w, noun in ranked):
            continue  # "the only city with …": a sentence that says it of one says no more
        loose = [
            w
            for w in missing
            if w not in unsaid_names
            and best_similarity(index, w, sent_words) < COMMON_WORD_SIMILARITY
        ]
        # One common word unsaid ("reach" for "links with") is allowed when numbers pin the
        # statement down, or the sentence means nearly the same and the word is not the verb
        # a do/did question asks about ("Did X attend the opening?"); names never are. "Is X one of
        # the Ys?": the word for the kind (Y, "events" for "projects") may be unsaid when the
        # sentence lists X among others ("including A, B and X").
        listed = bool(member) and all(w in member for w in loose) and _LISTING.search(s.text)
        if len(loose) > 1 or (
            loose
            and not claims
            and (s.similarity < LOOSE_SIMILARITY or _verb_before_object(loose[0], question))
            and not listed
        ):
            continue  # the unsaid word is the statement's verb ("attend the opening"): unsaid
        if claims and one_of_two(text.lower(), s.text.lower(), figure=True):
            continue  # "export value grew 12.9%" of "import and export value …": not said alone
        if relation and not relation & sentence_words:
            continue  # "held before": the sentence lists both, but says nothing of their order
        facts = index.facts_for(s.doc, s.start, s.end)
        verdict, stated, reasons = "yes", [], []
        other_time = ""  # the time the sentence gives instead of the statement's
        quoted: list[bool] = []  # per measured figure: the very figure the sentence states
        for c in claims:
            if c in named_months:  # a month named alone: the sentence's months, said or dated
                outcome, month = _check_month(c, facts, s.text)
                if outcome == "none":
                    verdict = ""
                    break
                if outcome == "out":
                    verdict = "no"
                    reasons.append(f"the documents say {month}, not {c.text}")
                    other_time = other_time or f"{month}, not for {c.text}"
                continue
            outcome, fact = _check_claim(c, facts)
            if outcome == "in" and fact is not None:
                outcome, fact = _named_otherwise(index, text, c, fact, facts)
            if outcome == "none":
                verdict = ""
                break
            if fact is not None:
                stated.append(fact)
            if c.kind in _MEASURED:
                cb = bound_of(c)
                quoted.append(outcome == "in" and cb is not None and cb.exact)
            if outcome == "out" and c in compared:
                verdict = ""
                period_unsaid = f"the documents give nothing for {c.text} to compare with"
                break
            if outcome == "out":
                verdict = "no"
                said = operand_text(fact) if fact else "otherwise"
                asked = operand_text(c) if c.value is not None else c.text
                reasons.append(f"the documents say {said}, not {asked}")
                if c.kind in _TIME_KINDS:
                    other_time = other_time or f"{said}, not for {asked}"
        if not verdict:
            continue
        if other_time and quoted and not all(quoted):
            # a measured figure ("grew by more than 10% in 2021") of another time than the
            # sentence's ("January to May 2022"): what it was then is not said, neither yes
            # nor no. A dated event ("opened in 2021" of one opened in 2022) stays a No, and
            # so does the sentence's own figure put at another time ("reached 343.83 billion
            # CNY in 2021" of the January-May 2022 figure): the statement misplaces it.
            period_unsaid = period_unsaid or f"the documents give this figure for {other_time}"
            continue
        if swapped:
            verdict = "no"
            reasons.insert(0, f"the documents say this of {swapped[0]}, not {swapped[1]}")
        conflict = _antonym_conflict(
            set(sided) | {w for w, _name in content if w in _RANKING}, sentence_words
        )
        if conflict and negated:
            continue  # "Has it not closed?" of "it opened": a double turn, left unanswered
        if conflict and verdict == "yes":
            verdict = "no"
            reasons.append(f"the sentence says {conflict.split(' / ')[1]}")
        # "There was no material bad debt expense" answers "Was there a material ... ?" with No.
        denied = _denies(sent_words, [w for w, _name in content if w not in missing])
        if bool(denied) != negated and verdict == "yes":
            verdict = "no"
            reasons.append(
                f"the sentence says “{denied}”" if denied else "the sentence states it, not denied"
            )
        quote = " ".join(s.text.split())
        why = "; ".join(reasons)
        # The verdict first, then why, then the sentence itself (its offsets are in evidence).
        answer_text = f"{verdict.capitalize()}: {why + ' — ' if why else ''}“{quote}”"
        span = derived(
            index,
            answer_text,
            "yesno",
            tuple(stated),
            formula=None,
            verdict=verdict,
            evidence=_evidence(index, s),
        )
        if swapped:  # only when no sentence names everything the statement names
            fallback = (span, "a sentence says it of another of the same kind")
            continue
        return span, f"a sentence {'supports' if verdict == 'yes' else 'contradicts'} the statement"
    if fallback:
        return fallback
    return None, period_unsaid or "the documents do not say whether this is so"


def _verb_before_object(word: str, question: str) -> bool:
    """In a question asked with do/did/will/can… ("Did X attend the opening?"), the word
    before its object is the verb, what the question asks, not a word the sentence may leave
    unsaid ("Is tea the main export?" has none: its word before "the" is the subject)."""
    if not _DOING.match(question):
        return False
    return bool(
        re.search(rf"\b{re.escape(word)}\s+(?:the|a|an|its|their|his|her)\b", question, re.I)
    )


_DOING = re.compile(r"\W*(?:do|does|did|will|would|can|could|should|may|might)\b", re.I)


# Kinds of figure that measure something at a time, and kinds that give the time.
_MEASURED = frozenset(("count", "money", "percent"))
_TIME_KINDS = frozenset(("year", "date", "period"))
# "X one of the Ys", "X among the Ys": a claim that X is a member of a kind the rest names.
_MEMBER = re.compile(r"\b(?:one of|among|amongst|part of) (?:the |its |their |these |those )?(.+)$")
# Verbs that put a thing among others: "listed / named / counted among the Ys".
_MEMBER_VERBS = frozenset("listed named mentioned included counted cited featured".split())
# A sentence that lists members: "including A, B and C", "such as A and B".
_LISTING = re.compile(LIST_MARKER)


def _swapped_name(
    claim: str, sentence: str, unsaid: Sequence[str], document: str = ""
) -> tuple[str, str] | None:
    """('Nan'an District', 'Jiangbei District') when each name the sentence does not have
    stands in the statement as a name of some kind ("Jiangbei District", "Shapingba", which
    the document writes "Shapingba District", "Consulate General of Belarus") and the
    sentence has another name of a kind of the same class ("Liangjiang New Area" is a place
    as a district is); None otherwise."""
    tokens = re.findall(r"[A-Za-z][\w’'-]*", claim)
    lower = [t.lower().replace("’", "'") for t in tokens]
    said, asked = [], []
    done: set[int] = set()
    for w in unsaid:
        if w not in lower:
            return None
        i = lower.index(w)
        if i in done:
            continue  # a word of a name already swapped ("Shapingba District")
        if i >= 2 and lower[i - 1] == "of" and tokens[i - 2][0].isupper():
            # "Consulate General of Belarus": "General of Myanmar" in the sentence
            j = i - 2  # the whole capitalised kind: "Consulate General"
            while j > 0 and tokens[j - 1][0].isupper() and i - j < 3:
                j -= 1
            kind = " ".join(tokens[j : i - 1])
            m = re.search(rf"\b{re.escape(kind)} of ((?:[A-Z][\w’'-]*\s*){{1,3}})", sentence)
            if m and m.group(1).strip().lower() != w:
                said.append(f"{kind} of {m.group(1).strip()}")
                asked.append(f"{kind} of {tokens[i]}")
                done.add(i)
                continue
        found = _name_of_kind(tokens, lower, i, document)
        if found is None:
            return None
        first, last, kind = found
        mine = " ".join(tokens[first:last])
        other = _other_of_class(sentence, kind, set(lower))
        if other is None:
            return None
        said.append(other)
        asked.append(mine)
        done.update(range(first, last))
    if not said or any(a.lower() == b.lower() for a, b in zip(said, asked)):
        return None
    return " and ".join(said), " and ".join(asked)


def _name_of_kind(
    tokens: Sequence[str], lower: Sequence[str], i: int, document: str
) -> tuple[int, int, str] | None:
    """The name around token i as (first, end, kind): "Yubei District" (its kind word after
    it, capitalised or not), or a bare "Shapingba" whose kind is the word the document writes
    after it ("Shapingba District"); None when it names no kind."""
    first = i
    while first > 0 and tokens[first - 1][0].isupper() and lower[first - 1] not in _LEADS:
        first -= 1
    end = i + 1
    while end < len(tokens) and tokens[end][0].isupper() and lower[end] not in _KIND_OF:
        end += 1
    if end < len(tokens) and lower[end] in _KIND_OF:
        return first, end + 1, lower[end]
    if first < end and lower[end - 1] in _KIND_OF:
        return first, end, lower[end - 1]
    if document:
        name = r"\s+".join(re.escape(t) for t in tokens[first:end])
        after = re.findall(rf"\b{name}\s+(?:[A-Z][\w’'-]*\s+){{0,2}}?{_KIND_WORD}", document)
        kinds = [k.lower() for k in after]
        if kinds:
            return first, end, max(set(kinds), key=kinds.count)
    return None


def _other_of_class(sentence: str, kind: str, statement: set[str]) -> str | None:
    """The first name in the sentence whose kind word is of the class of `kind` and none of
    whose words the statement has ("Yuzhong District" for a statement's "Yubei District")."""
    cls = _KIND_OF[kind]
    for m in re.finditer(rf"\b((?:[A-Z][\w’'-]*\s+){{1,3}}?){_KIND_WORD}", sentence):
        if _KIND_OF[m.group(2).lower()] != cls:
            continue
        names = [t.lower().replace("’", "'") for t in m.group(1).split()]
        names = [t for t in names if t not in _LEADS]
        if names and not statement & set(names):
            return f"{' '.join(m.group(1).split()[-len(names) :])} {m.group(2)}"
    return None


# Words that say what kind of name stands before them ("Yubei District", "Harlow Shipping
# Group"), in classes of things that can stand in one another's place: a district and a new
# area are both places. Written in lower case by a user as often.
_KIND_CLASSES = {
    "place": "district county area region province city town village state municipality zone "
    "prefecture borough quarter",
    "body": "company group corporation bank firm",
    "school": "university college school academy institute",
    "transport": "port airport station terminal",
}
_KIND_OF = {w: cls for cls, ws in _KIND_CLASSES.items() for w in ws.split()}
_KIND_WORD = r"(?i:\b(" + "|".join(_KIND_OF) + r")\b)"
# Capitalised words that begin a sentence or question, not a name.
_LEADS = frozenset("the a an was is were are did does do has have had it that in of".split())


def _evidence(index: Index, s: Sentence):
    from ..records import Evidence

    return (Evidence(s.doc, s.start, s.end, s.text),)


def which_holds(
    index: Index, options: Sequence[str], claim: str, question: str, sentences: Sequence[Sentence]
) -> Outcome:
    """ "Which district brought in more than 50 enterprises, Yuzhong or Yubei?": the claim is
    checked of each option as a yes/no statement; the one option the documents support is
    the answer, with the sentence that says so."""
    supported = []
    for option in options:
        span, _why = yes_no(index, f"{option} {claim}", question, sentences)
        if span is not None and span.verdict == "yes":
            supported.append((option, span))
    if len(supported) != 1:
        said = "more than one of them" if supported else "any of them"
        return None, f"the documents do not say this of {said}"
    option, span = supported[0]
    quote = span.text.split(": ", 1)[1] if ": " in span.text else span.text
    text = f"{option} — {quote}"
    return replace(span, text=text, verdict=None), "a sentence says it of that one"
