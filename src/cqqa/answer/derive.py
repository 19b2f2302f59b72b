"""Answers worked out over the facts table: differences, sums, ratios, values before a change,
days between dates, comparisons and superlatives. Each shows its formula and operands.

``derive`` returns ``None`` when the question, though it has the shape, names no two facts to
work with ("What is the total import and export value?" names one): the reader answers it as
before. Otherwise it returns an answer or a decline with its reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..index import Index
from ..records import DerivedSpan, Evidence, Fact
from .arithmetic import (
    Bound,
    add,
    bound_of,
    compare,
    day_of,
    divide,
    operand_text,
    same_thing,
    show,
    subtract,
)
from .operands import MIN_MATCH, YEAR, best_fact, fact_score, phrase_stems, sentence_span
from .shapes import ABOUT_DOCUMENT, WHICH_WAY, Shape

NUMERIC = ("count", "money", "percent")
Outcome = tuple[DerivedSpan | None, str]


def evidence_of(index: Index, facts: Sequence[Fact]) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for f in facts:
        s, e = sentence_span(index, f)
        if not any(x.doc == f.doc and x.start == s for x in out):
            out.append(Evidence(f.doc, s, e, index.documents[f.doc].text[s:e]))
    return tuple(out)


def derived(
    index: Index,
    text: str,
    derivation: str,
    operands: Sequence[Fact],
    formula: str | None = None,
    bound: Bound | None = None,
    unit: str | None = None,
    verdict: str | None = None,
    evidence: Sequence[Evidence] | None = None,
) -> DerivedSpan:
    ev = tuple(evidence) if evidence is not None else evidence_of(index, operands)
    doc = ev[0].doc if ev else (operands[0].doc if operands else "")
    same = [e for e in ev if e.doc == doc]
    start = min([e.start for e in same] + [f.start for f in operands if f.doc == doc])
    end = max([e.end for e in same] + [f.end for f in operands if f.doc == doc])
    value = None
    if bound is not None:
        value = bound.lo if bound.lo != float("-inf") else bound.hi
    return DerivedSpan(
        text=text,
        doc=doc,
        start=start,
        end=end,
        kind="derived",
        score=None,
        derivation=derivation,
        verdict=verdict,
        formula=formula,
        value=value,
        unit=unit,
        qualifier=bound.qualifier() if bound is not None else None,
        operands=tuple(operands),
        evidence=ev,
    )


def _two(index: Index, a: str, b: str, pool: Sequence[Fact], kinds: Sequence[str]):
    fa, sa = best_fact(index, a, pool, kinds)
    fb, sb = best_fact(index, b, pool, kinds, exclude=(fa,) if fa else ())
    if fa is not None and fb is not None:
        # Either side may have taken the other's better fact: try the other order too.
        fb2, sb2 = best_fact(index, b, pool, kinds)
        fa2, sa2 = best_fact(index, a, pool, kinds, exclude=(fb2,) if fb2 else ())
        if fa2 is not None and fb2 is not None and sa2 + sb2 > sa + sb:
            return fa2, fb2
    return fa, fb


def _split_and(index: Index, phrase: str, pool: Sequence[Fact], kinds: Sequence[str]):
    """The 'A and B' split of a phrase whose two sides name two different facts best."""
    best = (None, None, 0.0, "", "")
    for m in re.finditer(r"\band\b|\bto\b", phrase):
        a, b = phrase[: m.start()], phrase[m.end() :]
        if not phrase_stems(a) or not phrase_stems(b):
            continue
        other = [w for w in phrase_stems(b) if not YEAR.fullmatch(w)]
        if len(other) < len(phrase_stems(b)) and len(other) <= 1:
            # "the notes issued in fiscal 2018 and fiscal 2017": the same thing, another year
            b = f"{YEAR.sub(' ', a)} {b}"
        fa, fb = _two(index, a, b, pool, kinds)
        if fa is not None and fb is not None and fa.kind != fb.kind:
            # "A and B": two figures of one kind; try each side's best of the other's kind
            fb2, _ = best_fact(index, b, pool, (fa.kind,), exclude=(fa,))
            fa2, _ = best_fact(index, a, pool, (fb.kind,), exclude=(fb,))
            pairs = [
                (x, y)
                for x, y in ((fa, fb2), (fa2, fb))
                if x is not None and y is not None and same_thing(x, y)
            ]  # only a pair that can be worked with: else the reader answers
            if not pairs:
                continue
            fa, fb = max(
                pairs,
                key=lambda p: (
                    fact_score(index, p[0], phrase_stems(a))
                    + fact_score(index, p[1], phrase_stems(b))
                ),
            )
        if fa is None or fb is None or (fa.doc, fa.start) == (fb.doc, fb.start):
            continue
        score = fact_score(index, fa, phrase_stems(a)) + fact_score(index, fb, phrase_stems(b))
        if score > best[2]:
            best = (fa, fb, score, a, b)
    return best


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _unit_stems(fact: Fact) -> set[str]:
    from ..textutil import stem, words

    return {stem(w) for w in words(fact.unit or "")}


def _ordered(fa: Fact, fb: Fact) -> tuple[int, Bound, Bound] | str:
    """How two figures of one kind (money in one currency) compare: 1, 0 or -1 with their
    bounds; or why they cannot be put in order."""
    if fa.kind != fb.kind or (fa.kind == "money" and fa.unit != fb.unit):
        return _different(fa, fb)
    ba, bb = bound_of(fa), bound_of(fb)
    c = compare(ba, bb) if ba and bb else None
    if c is None and ba and bb:
        # "more than 200" against "more than 50": in the order of the figures stated, as a
        # reader of the document would put them (_by_stated_bounds; the operands show both)
        first = _by_stated_bounds((ba, bb), 1)
        c = None if first is None else 1 if first == 0 else -1
    if c is None:
        return f"{fa.text} and {fb.text} are bounds that overlap, so the order is unknown"
    return c, ba, bb


def _stated_note(ba: Bound | None, bb: Bound | None) -> str:
    """What an order put by _ordered from the stated figures of two bounds says of itself."""
    if ba is None or bb is None or compare(ba, bb) is not None:
        return ""
    return f"; going by the stated figures: each is only a bound ({ba.qualifier()})"


def _different(fa: Fact, fb: Fact) -> str:
    if fa.kind == "money" and fb.kind == "money":
        return (
            f"{fa.text} is in {fa.unit or 'one currency'} and {fb.text} in "
            f"{fb.unit or 'another'}: different currencies, and the documents state no "
            "exchange rate"
        )
    if fa.kind == fb.kind == "count":
        return f"{operand_text(fa)} and {operand_text(fb)} count different things"
    return f"{fa.text} ({fa.kind}) and {fb.text} ({fb.kind}) are different kinds of figure"


def difference(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    if len(shape.sides) == 2:
        fa, fb = _two(index, shape.sides[0], shape.sides[1], pool, NUMERIC)
        missing = shape.sides[0] if fa is None else shape.sides[1] if fb is None else ""
        if missing:
            return None, f"the documents give no figure for {missing.strip()}"
        if shape.claim == "less":  # "how many fewer X than Y": Y − X
            fa, fb = fb, fa
    else:
        fa, fb, _score, _a, _b = _split_and(index, shape.sides[0], pool, NUMERIC)
        if fa is None or fb is None:
            return None, "the documents do not give both figures"
    if fa.kind != fb.kind:
        return None  # a count and a percentage: not what the question adds up
    # "How many more ports than countries?" compares two counts the question names itself;
    # "the difference between" the two, or money in two currencies, does not.
    # "The difference between the ports and the countries" names both too: each side of the
    # split named its own count, as "how many more ports than countries" does.
    named_both = fa.kind == "count"
    if not same_thing(fa, fb) and not named_both:
        return None, _different(fa, fb)
    ba, bb = bound_of(fa), bound_of(fb)
    unordered = len(shape.sides) == 1 or shape.claim == "unordered"
    if unordered and ba and bb and (ba.lo < bb.lo):
        fa, fb, ba, bb = fb, fa, bb, ba  # "the difference between": the larger first
    result = subtract(ba, bb) if ba and bb else None
    if result is None or (not result.exact and result.qualifier() is None):
        return None, f"{fa.text} and {fb.text} are both only bounds, so their difference is unknown"
    unit = fa.unit if fa.kind != "percent" and same_thing(fa, fb) else None
    value = show(result, unit, fa.kind)
    formula = f"{operand_text(fa)} − {operand_text(fb)} = {value}"
    if result.exact and result.lo < 0:  # asked how many more, and it is fewer
        flipped = show(Bound(-result.hi, -result.lo, result.approx), unit, fa.kind)
        word = "fewer" if shape.claim != "less" else "more"
        text = f"{flipped} {word}, not {'more' if word == 'fewer' else 'fewer'} ({formula})"
        return derived(index, text, "arithmetic", (fa, fb), formula, result, unit), ""
    if fa.kind == "percent":
        value = value.replace("%", " percentage points")
        formula = formula.replace(f"= {show(result, None, 'percent')}", f"= {value}")
    return derived(index, f"{value} ({formula})", "arithmetic", (fa, fb), formula, result, unit), ""


def total(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    if len(shape.sides) == 2:  # a follow-up: what was asked before, and what this one adds
        fa, fb = _two(index, shape.sides[0], shape.sides[1], pool, NUMERIC)
        if fa is None or fb is None or (fa.doc, fa.start) == (fb.doc, fb.start):
            return None
    else:
        fa, fb, _score, _a, _b = _split_and(index, shape.sides[0], pool, NUMERIC)
    if fa is None or fb is None:
        return None  # one thing named ("the total value"): the reader's question
    whole = phrase_stems(shape.sides[0])
    for f in pool:  # "2,400 professors, lecturers and instructors": the total is stated
        if f.start in (fa.start, fb.start) or f.kind not in NUMERIC:
            continue
        if all(w in _unit_stems(f) for w in whole):
            return None
    if fa.kind != fb.kind:
        return None  # a count and a percentage: not what the question adds up
    if not same_thing(fa, fb):
        return None, _different(fa, fb) + ", so they do not add up"
    result = add(bound_of(fa), bound_of(fb))
    if result is None:
        return None, "the figures are bounds the other way round, so their sum is not known"
    unit = fa.unit
    value = show(result, unit, fa.kind)
    formula = f"{operand_text(fa)} + {operand_text(fb)} = {value}"
    return derived(index, f"{value} ({formula})", "arithmetic", (fa, fb), formula, result, unit), ""


def mean(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    fa, fb, _score, _a, _b = _split_and(index, shape.sides[0], pool, NUMERIC)
    if fa is None or fb is None:
        return None
    if fa.kind != fb.kind:
        return None  # a count and a percentage: not what the question adds up
    if not same_thing(fa, fb):
        return None, _different(fa, fb) + ", so they have no average"
    both = add(bound_of(fa), bound_of(fb))
    result = divide(both, Bound(2, 2)) if both is not None else None
    if result is None:
        return None, "the figures are bounds the other way round, so their average is not known"
    unit = fa.unit if fa.kind != "percent" else None
    value = show(result, unit, fa.kind)
    formula = f"({operand_text(fa)} + {operand_text(fb)}) ÷ 2 = {value.removeprefix('about ')}"
    return derived(index, f"{value} ({formula})", "arithmetic", (fa, fb), formula, result, unit), ""


def change(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    """'The percentage change between A and B': (B - A) / A, in percent."""
    fa, fb, _score, _a, _b = _split_and(index, shape.sides[0], pool, ("count", "money"))
    if fa is None or fb is None:
        return None
    if fa.kind != fb.kind:
        return None  # a count and a percentage: not what the question adds up
    if not same_thing(fa, fb):
        return None, _different(fa, fb)
    ba, bb = bound_of(fa), bound_of(fb)
    if not (ba and bb and ba.exact and bb.exact) or ba.lo == 0:
        return None, "the figures are bounds, so the change is unknown"
    pct = (bb.lo - ba.lo) / ba.lo * 100
    result = Bound(pct, pct, approx=True)
    value = show(result, None, "percent")
    formula = (
        f"({operand_text(fb)} − {operand_text(fa)}) ÷ {operand_text(fa)} ≈ "
        f"{value.removeprefix('about ')}"
    )
    return derived(index, f"{value} ({formula})", "arithmetic", (fa, fb), formula, result), ""


def ratio(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    top, bottom = shape.sides
    fa, fb = _two(
        index, f"{top} {bottom}" if not phrase_stems(top) else top, bottom, pool, ("count", "money")
    )
    if fa is None or fb is None or (fa.doc, fa.start) == (fb.doc, fb.start):
        return None  # not two stated figures: perhaps a stated rate, which the reader finds
    ba, bb = bound_of(fa), bound_of(fb)
    result = divide(ba, bb) if ba and bb else None
    if result is None or (not result.exact and result.qualifier() is None):
        return None, f"{fb.text} is only a bound, so the ratio is unknown"
    per = (fb.unit or "").split(" and ")[0].split()[-1:] or [""]
    per_word = singular(per[0])
    unit = f"{fa.unit} per {per_word}".strip() if fa.unit else None
    value = show(result, unit, fa.kind)
    formula = f"{operand_text(fa)} ÷ {operand_text(fb)} ≈ {value.removeprefix('about ')}"
    if result.exact and abs(result.lo - round(result.lo, 2)) < 1e-9:
        formula = formula.replace("≈", "=")
    return derived(index, f"{value} ({formula})", "arithmetic", (fa, fb), formula, result, unit), ""


_UP = re.compile(
    r"\b(up|rise|rose|risen|increase[ds]?|grew|grow[ns]?|growth|gain(ed)?|jump(ed)?)\b", re.I
)
_DOWN = re.compile(
    r"\b(down|fall|fell|fallen|drop(ped)?|decline[ds]?|decrease[ds]?|shr[ai]nk)\b", re.I
)


def before_change(
    index: Index, shape: Shape, question: str, pool: Sequence[Fact]
) -> Outcome | None:
    asked = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) ?(?:%|percent)", question)]
    found = _changed_by(index, question, pool, asked)
    if found is None or isinstance(found, str):
        # no stated change to undo: the verifier's "earlier value" rule declines
        return (None, found) if found else None
    fact, pct, rate, sentence = found
    factor = 1 + rate
    result = divide(bound_of(fact), Bound(factor, factor))
    if result is None:
        return None, "the earlier value cannot be worked out from the figures given"
    unit = fact.unit if fact.kind in ("money", "count") else None
    result = Bound(result.lo, result.hi, approx=True) if result.exact else result
    value = show(result, unit, fact.kind)
    formula = f"{operand_text(fact)} ÷ {factor:g} ≈ {value.removeprefix('about ')}"
    text = f"{value} ({formula}, undoing the {pct.text} {'rise' if rate > 0 else 'fall'})"
    if shape.claim == "year" and not _YEARLY.search(sentence):
        text = text[:-1] + ", taken as the change on a year earlier)"
    return derived(index, text, "arithmetic", (fact, pct), formula, result, unit), ""


def days_between(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    fa, fb = _two(index, shape.sides[0], shape.sides[1], pool, ("date",))
    if fa is None or fb is None:
        missing = shape.sides[0] if fa is None else shape.sides[1]
        return None, f"the documents give no date for {missing.strip()}"
    da, db = day_of(fa), day_of(fb)
    if da is None or db is None:
        return None, "one of the dates is not a single day"
    if (fa.normalized or "").startswith("--") != (fb.normalized or "").startswith("--"):
        return None, "only one of the dates gives its year"
    days = abs((db - da).days)
    note = ""
    if (fa.normalized or "").startswith("--"):
        note = ", the same year assumed"
        lo, hi = sorted((da, db))
        if lo.month <= 2 < hi.month or (lo.month <= 2 and hi.month == 2 and hi.day == 28):
            note += "; one more in a leap year"
    unit = shape.kind_word
    count = days / 7 if unit == "weeks" else days
    result = Bound(count, count)
    first, last = sorted((fa, fb), key=lambda f: day_of(f))
    shown = show(result, "weeks" if unit == "weeks" else "days", "count")
    formula = f"{first.text} → {last.text} = {shown}"
    text = f"{shown} ({formula}{note})"
    return derived(index, text, "arithmetic", (first, last), formula, result, unit), ""


def comparison(index: Index, shape: Shape, pool: Sequence[Fact], sides: Sequence[str]) -> Outcome:
    timed = shape.op in ("earlier", "later")
    kinds = ("date",) if timed else NUMERIC
    fa, fb = _two(index, shape.sides[0], shape.sides[1], pool, kinds)
    if fa is None or fb is None:
        missing = shape.sides[0] if fa is None else shape.sides[1]
        return None, f"the documents give no figure for {missing.strip()} to compare"
    if timed:
        da, db = day_of(fa), day_of(fb)
        if da is None or db is None:
            return None, "the dates are not both single days"
        c = (da > db) - (da < db)
        ba = bb = None
    else:
        ordered = _ordered(fa, fb)
        if isinstance(ordered, str):
            return None, ordered
        c, ba, bb = ordered
    sign = {1: ">", -1: "<", 0: "="}[c]
    if timed:
        sign = {1: "after", -1: "before", 0: "the same day as"}[c]
    formula = f"{operand_text(fa)} {sign} {operand_text(fb)}"
    want = {"greater": 1, "later": 1, "less": -1, "earlier": -1}[shape.op]
    if timed and shape.claim == WHICH_WAY:  # "Was that before or after ...?": the way
        way = {1: "after", -1: "before", 0: "the same day as"}[c]
        shown = shape.shown or sides
        text = (
            f"{way.capitalize()}: {shown[0].strip()} ({_dated(index, fa)}) is {way} "
            f"{shown[1].strip()} ({_dated(index, fb)})"
        )
        return derived(index, text, "comparison", (fa, fb), formula), ""
    note = "" if timed else _stated_note(ba, bb)
    if shape.polar:
        verdict = "yes" if c == want else "no"
        text = f"{verdict.capitalize()}: {formula}{note}"
        return derived(index, text, "comparison", (fa, fb), formula, verdict=verdict), ""
    if c == 0:
        text = f"Neither: {formula}"
    else:
        win, lose = (0, 1) if c == want else (1, 0)
        facts = (fa, fb)
        said = _dated(index, facts[win]) if timed else operand_text(facts[win])
        text = (
            f"{sides[win].strip()} ({said}), against "
            f"{sides[lose].strip()} ({operand_text(facts[lose])}){note}"
        )
    return derived(index, text, "comparison", (fa, fb), formula), ""


_KIND_OF = {
    "number": ("count",),
    "count": ("count",),
    "total": ("count", "money"),
    "figure": ("count", "money", "percent"),
    "value": ("money",),
    "amount": ("money",),
    "sum": ("money",),
    "money": ("money",),
    "money figure": ("money",),
    "percentage": ("percent",),
    "percent": ("percent",),
    "date": ("date",),
    "day": ("date",),
    "ordinal": ("ordinal",),
    "ordinals": ("ordinal",),
}


_KIND_WORDS_RE = (
    r"\b(?:money|monetary|figures?|numbers?|counts?|amounts?|values?|sums?|percentages?|"
    r"percents?|dates?|days?|totals?|ordinals?)\b"
)


def kinds_named(phrase: str) -> tuple[str, ...]:
    """'money figure' -> money, 'largest number' -> count: the most specific word decides."""
    found = phrase.split()
    if {"ordinal", "ordinals"} & set(found):  # "the highest ordinal number": ranks
        return ("ordinal",)
    if {"money", "monetary", "investment", "cost", "spending", "funding", "revenue"} & set(found):
        return ("money",)
    for word in reversed(found):
        if word in _KIND_OF:
            return _KIND_OF[word]
    return ("count",)


def superlative(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    kinds = kinds_named(shape.kind_word)
    facts = [f for f in pool if f.kind in kinds]
    if shape.op == "all":
        return _which_has(index, shape, facts)
    if shape.category:
        return _which_most(index, shape, [f for f in pool if f.kind in NUMERIC])
    rest = re.sub(_KIND_WORDS_RE, " ", shape.sides[0]) if shape.sides else ""
    rest = ABOUT_DOCUMENT.sub(" ", rest)  # "mentioned in the report" names no fact
    wanted = phrase_stems(rest)  # "the largest amount of money": money says the kind, not which
    # "the largest pair count": a word before the kind word that some fact counts says what
    # is counted, and only the facts counting it are compared
    units = {w for f in facts for w in phrase_stems(f.unit or "")}
    counted = [w for w in phrase_stems(re.sub(_KIND_WORDS_RE, " ", shape.kind_word)) if w in units]
    if counted:
        facts = [f for f in facts if set(counted) <= set(phrase_stems(f.unit or ""))]
    if wanted:
        facts = [f for f in facts if fact_score(index, f, wanted) >= 2.0]
    if kinds == ("date",):
        facts = [f for f in facts if day_of(f) is not None]
        if not facts:
            return None, "the documents give no such date"
        pick = (min if shape.op == "min" else max)(facts, key=day_of)
        which = "earliest" if shape.op == "min" else "latest"
        said = _dated(index, pick) if "event" in shape.kind_word else pick.text
        text = f"{said} (the {which} of {len(facts)} dates)"  # an event: its sentence too
        return derived(index, text, "superlative", (pick,), f"{shape.op} of {len(facts)} dates"), ""
    facts = [f for f in facts if f.value is not None]
    if not facts:
        return None, "the documents give no such figure"
    if shape.claim.isdigit():
        return _top(index, shape, facts, int(shape.claim))
    groups: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        groups.setdefault((f.kind, f.unit if f.kind == "money" else ""), []).append(f)
    picks = []
    for (_kind, _unit), items in groups.items():
        key = lambda f: float(f.value)  # noqa: E731
        picks.append((min if shape.op == "min" else max)(items, key=key))
    word = "smallest" if shape.op == "min" else "largest"
    if len(picks) == 1:
        pick = picks[0]
        ties = [
            f
            for f in groups[(pick.kind, pick.unit if pick.kind == "money" else "")]
            if f.value == pick.value and (f.doc, f.start) != (pick.doc, pick.start)
        ]
        extra = f"; {', '.join(operand_text(t) for t in ties)} as well" if ties else ""
        extra += _open_note(
            groups[(pick.kind, pick.unit if pick.kind == "money" else "")], [pick], shape.op
        )
        of = f"the {word} of {len(facts)} {_plural(pick.kind)}"
        of = of if len(facts) > 1 else "the only one"
        text = f"{operand_text(pick)} ({of}{extra})"
        formula = f"{shape.op} of {len(facts)}: " + ", ".join(
            sorted({operand_text(f) for f in facts}, key=lambda t: (len(t), t))
        )
        return derived(index, text, "superlative", (pick, *ties), formula), ""
    parts = [
        f"{operand_text(p)} in {p.unit}" if p.kind == "money" else operand_text(p) for p in picks
    ]
    note = (
        "; different currencies, and no exchange rate is stated to compare them"
        if len({p.unit for p in picks if p.kind == "money"}) > 1
        else ""
    )
    text = f"{word.capitalize()} of each kind: {'; '.join(parts)}{note}"
    return derived(
        index, text, "superlative", tuple(picks), f"{shape.op} per kind and currency"
    ), ""


def _plural(kind: str) -> str:
    plurals = {"count": "counts", "money": "money figures", "percent": "percentages"}
    return plurals.get(kind, kind + "s")


def _which_has(index: Index, shape: Shape, facts: Sequence[Fact]) -> Outcome:
    word = shape.category
    found = []
    for f in facts:
        s, e = sentence_span(index, f)
        sentence = index.documents[f.doc].text[s:e]
        m = re.search(rf"((?:[A-Z][\w’'-]*\s+)+){re.escape(word)}\b", sentence, re.I)
        if m and m.group(1).strip()[:1].isupper():
            found.append((f"{m.group(1).strip()} {sentence[m.end(1) : m.end()].strip()}", f))
    if not found:
        return None, f"no {word} in the documents has such a figure"
    text = "; ".join(f"{name}: {operand_text(f)}" for name, f in found)
    return derived(
        index,
        text,
        "superlative",
        tuple(f for _n, f in found),
        f"facts whose sentence names a {word}",
    ), ""


def times(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    """'How many times as many X as Y': X ÷ Y, a plain number of times."""
    top, bottom = shape.sides
    fa, fb = _two(index, top, bottom, pool, ("count", "money"))
    if fa is None or fb is None or (fa.doc, fa.start) == (fb.doc, fb.start):
        return None  # not two stated figures: perhaps a stated ratio, which the reader finds
    if fa.kind != fb.kind or (fa.kind == "money" and fa.unit != fb.unit):
        return None, _different(fa, fb)
    ba, bb = bound_of(fa), bound_of(fb)
    result = divide(ba, bb) if ba and bb else None
    if result is None or (not result.exact and result.qualifier() is None):
        return None, f"{fb.text} is only a bound, so the ratio is unknown"
    value = show(result, None, "count")
    sign = "=" if result.exact and abs(result.lo - round(result.lo, 2)) < 1e-9 else "≈"
    formula = f"{operand_text(fa)} ÷ {operand_text(fb)} {sign} {value.removeprefix('about ')}"
    text = f"{value} times ({formula})"
    return derived(index, text, "arithmetic", (fa, fb), formula, result, "times"), ""


def _changed_by(index: Index, question: str, pool: Sequence[Fact], percents: Sequence[float] = ()):
    """The money or count the question names that has a stated percentage change in its
    sentence, the change, the rate (0.129 for 'up 12.9%') and the sentence; or a reason
    why not (a change of other `percents` than the question states, or no direction)."""
    best: tuple[float, Fact | None, Fact | None] = (0.0, None, None)
    wanted = phrase_stems(question)
    for p in pool:
        if p.kind != "percent" or p.value is None:
            continue
        s, e = sentence_span(index, p)
        for f in pool:
            if f.doc != p.doc or not s <= f.start < e or f.kind not in ("money", "count"):
                continue
            score = fact_score(index, f, wanted)
            if score > best[0]:
                best = (score, f, p)
    score, fact, pct = best
    if fact is None or pct is None or score < MIN_MATCH:
        return None
    named, _ = best_fact(index, question, pool, ("money", "count"))
    if named is not None and (named.doc, named.start) != (fact.doc, fact.start):
        return None  # the question is about another figure, one with no stated change
    if percents and all(abs(a - float(pct.value)) > 1e-9 for a in percents):
        return f"the documents give a change of {pct.text}, not {percents[0]:g}%"
    s, e = sentence_span(index, pct)
    sentence = index.documents[pct.doc].text[s:e]
    rate = float(pct.value) / 100
    if _DOWN.search(sentence) and not _UP.search(sentence):
        rate = -rate
    elif not _UP.search(sentence):
        return "the documents do not say whether the figure rose or fell"
    return fact, pct, rate, sentence


_YEARLY = re.compile(r"\b(?:year|years|annual|annually|yoy|y-o-y)\b", re.I)


def increase(index: Index, shape: Shape, question: str, pool: Sequence[Fact]) -> Outcome | None:
    """'By how many billion yuan did X grow?': the value less the value before the change."""
    found = _changed_by(index, question, pool)
    if found is None or isinstance(found, str):
        return (None, found) if found else None
    fact, pct, rate, _sentence = found
    factor = 1 + rate
    earlier = divide(bound_of(fact), Bound(factor, factor))
    result = subtract(bound_of(fact), earlier) if earlier is not None else None
    if result is None or not result.exact:
        return None, "the change cannot be worked out from a bound"
    unit = fact.unit if fact.kind in ("money", "count") else None
    result = Bound(result.lo, result.hi, approx=True)
    value = show(result, unit, fact.kind)
    formula = (
        f"{operand_text(fact)} − {operand_text(fact)} ÷ {factor:g} ≈ {value.removeprefix('about ')}"
    )
    word = "rise" if rate > 0 else "fall"
    text = f"{value} ({formula}: the {pct.text} {word})"
    return derived(index, text, "arithmetic", (fact, pct), formula, result, unit), ""


def _months(fact: Fact) -> int | None:
    """'January to May 2022' -> 5; None unless the period runs over whole months."""
    parts = (fact.normalized or "").split("/")
    if fact.kind != "period" or len(parts) != 2:
        return None
    ends = []
    for p in parts:
        m = re.fullmatch(r"(?:(\d{4})|-)-(\d\d)", p)
        if not m:
            return None
        ends.append((int(m.group(1)) if m.group(1) else None, int(m.group(2))))
    (y1, m1), (y2, m2) = ends
    years = (y2 - y1) if y1 is not None and y2 is not None else (0 if m2 >= m1 else 1)
    n = years * 12 + m2 - m1 + 1
    return n if 1 <= n <= 120 else None


def monthly(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    """'The average monthly value': a value stated for a span of months, per month."""
    fact, _score = best_fact(index, shape.sides[0], pool, ("money", "count"))
    if fact is None:
        return None
    s, e = sentence_span(index, fact)
    periods = [f for f in pool if f.doc == fact.doc and s <= f.start < e and _months(f)]
    if not periods:
        return None, f"the documents do not say over how many months {fact.text} was reached"
    period = periods[0]
    n = _months(period) or 1
    b = bound_of(fact)
    result = divide(b, Bound(n, n)) if b else None
    if result is None:
        return None, "the monthly figure cannot be worked out"
    unit = fact.unit
    value = show(result, unit, fact.kind)
    formula = f"{operand_text(fact)} ÷ {n} months ≈ {value.removeprefix('about ')}"
    if result.exact and abs(result.lo - round(result.lo, 2)) < 1e-9:
        formula = formula.replace("≈", "=")
    text = f"{value} a month ({formula}, {period.text})"
    return derived(index, text, "arithmetic", (fact, period), formula, result, unit), ""


def ordinal_before(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome | None:
    """'It is the 13th ...; how many came before it?': 13 − 1."""
    from ..facts import extract_facts

    asked = [f for f in extract_facts(shape.sides[0]) if f.kind == "ordinal" and f.value]
    ordinals = [f for f in pool if f.kind == "ordinal" and f.value]
    if asked:
        ordinals = [f for f in ordinals if f.value == asked[0].value]
    fact, _score = best_fact(index, shape.sides[0], ordinals, ("ordinal",))
    if fact is None:
        if asked:
            return None, f"the documents do not say that anything is the {asked[0].text}"
        return None
    n = int(fact.value or 0)
    if n < 2:
        return None, f"{fact.text} is the first, so none came before it"
    result = Bound(n - 1, n - 1)
    thing = f" {fact.unit}" if fact.unit else ""
    formula = f"{n} − 1 = {n - 1}"
    text = f"{n - 1} ({fact.text}{thing}, so {formula} before it)"
    return derived(index, text, "arithmetic", (fact,), formula, result), ""


def choose(index: Index, shape: Shape, pool: Sequence[Fact]) -> Outcome:
    """'Which is the smallest: A, B, or C?': the option whose figure wins, with each figure."""
    timed = shape.op in ("earlier", "later")
    # A rank ("the 30th anniversary") is compared only when asked which is higher; "how does A
    # compare with B" of two events compares their dates.
    kinds_tried = [("date",)] if timed else [NUMERIC, ("ordinal",)]
    if shape.op == "relate":
        kinds_tried = [NUMERIC, ("date",)]
    missing = ""
    for kinds in kinds_tried:
        facts: list[Fact] = []
        if len(shape.sides) == 2:
            pair = _two(index, shape.sides[0], shape.sides[1], pool, kinds)
            facts = [f for f in pair if f is not None] if pair[0] is not None else []
        else:
            for side in shape.sides:
                f, _ = best_fact(index, side, pool, kinds, exclude=tuple(facts))
                if f is None:
                    break
                facts.append(f)
        if len(facts) == len(shape.sides):
            break
        if not missing:  # the side the first kind of figure tried has none for
            found = [best_fact(index, side, pool, kinds)[0] for side in shape.sides]
            missing = next((sd for sd, f in zip(shape.sides, found) if f is None), "")
    else:
        shown = dict(zip(shape.sides, shape.shown or shape.sides))
        missing = shown.get(missing, missing) or (shape.shown or shape.sides)[0]
        return None, f"the documents give no figure for {missing.strip()} to compare"
    if shape.op == "relate":
        return _relate(index, shape, facts)
    note = ""
    if timed:
        keys = [day_of(f) for f in facts]
        if any(k is None for k in keys):
            return None, "the dates are not all single days"
        order = sorted(range(len(facts)), key=lambda i: keys[i])
        win = order[0] if shape.op == "earlier" else order[-1]
        if len({keys[i] for i in range(len(facts))}) < len(facts):
            return None, "two of the dates are the same day"
    else:
        kinds = {f.kind for f in facts}
        currencies = {f.unit for f in facts if f.kind == "money"}
        if len(kinds) > 1 or len(currencies) > 1:
            return None, _different(facts[0], next(f for f in facts if f is not facts[0]))
        bounds = [bound_of(f) for f in facts]
        if any(b is None for b in bounds):
            return None, "the figures cannot be compared"
        want = 1 if shape.op == "greater" else -1
        win = None
        for i, bi in enumerate(bounds):
            if all(i == j or compare(bi, bj) == want for j, bj in enumerate(bounds)):
                win = i
        if win is None:
            win = _by_stated_bounds(bounds, want)
            if win is None:
                return None, "the figures are bounds that overlap, or equal: the order is unknown"
            note = _stated_note(bounds[0], bounds[1])
    shown = [day_of(f) and f.text if timed else operand_text(f) for f in facts]
    if timed:
        shown[win] = _dated(index, facts[win])
    sides = shape.shown or shape.sides
    rest = [f"{sides[i]} ({shown[i]})" for i in range(len(facts)) if i != win]
    text = f"{sides[win]} ({shown[win]}), against {'; '.join(rest)}{note}"
    formula = ", ".join(f"{sides[i]}: {shown[i]}" for i in range(len(facts)))
    return derived(index, text, "comparison", tuple(facts), formula), ""


def _dated(index: Index, fact: Fact) -> str:
    """A date does not name its event, the sentence that gives it does: 'June 23: “On June 23,
    the train departed …”', so the answer names the event in the document's words."""
    s, e = sentence_span(index, fact)
    said = " ".join(index.documents[fact.doc].text[s:e].split())
    return f"{operand_text(fact)}: “{said}”"


def _by_stated_bounds(bounds: Sequence[Bound], want: int) -> int | None:
    """'More than 200' against 'more than 50': bounds of one direction are put in order by
    the figures stated, the answer a reader of the document would give (and says so)."""
    lower = all(math.isinf(b.hi) and not math.isinf(b.lo) for b in bounds)
    upper = all(math.isinf(b.lo) and not math.isinf(b.hi) for b in bounds)
    if not (lower or upper):
        return None
    stated = [b.lo if lower else b.hi for b in bounds]
    best = max(stated) if want == 1 else min(stated)
    return stated.index(best) if stated.count(best) == 1 else None


def _relate(index: Index, shape: Shape, facts: Sequence[Fact]) -> Outcome:
    """'How does A compare with B?': both figures, and which way they differ."""
    fa, fb = facts[0], facts[1]
    a, b = (shape.shown or shape.sides)[:2]
    if fa.kind == "date" or fb.kind == "date":
        da, db = day_of(fa), day_of(fb)
        if fa.kind != fb.kind or da is None or db is None:
            return None, "the dates are not both single days"
        word = "before" if da < db else "after" if da > db else "on the same day as"
        formula = f"{fa.text} {word} {fb.text}"
        text = f"{a} ({fa.text}) came {word} {b} ({fb.text})"
        return derived(index, text, "comparison", (fa, fb), formula), ""
    ordered = _ordered(fa, fb)
    if isinstance(ordered, str):
        return None, ordered
    c, ba, bb = ordered
    word = {1: "more than", -1: "less than", 0: "the same as"}[c]
    sign = {1: ">", -1: "<", 0: "="}[c]
    formula = f"{operand_text(fa)} {sign} {operand_text(fb)}"
    extra = ""
    counts = fa.kind == fb.kind == "count"  # "108 routes, 1 more than 107 countries"
    if c and ba.exact and bb.exact and (same_thing(fa, fb) or counts) and fa.kind != "percent":
        unit = fa.unit if same_thing(fa, fb) else None
        gap = show(Bound(abs(ba.lo - bb.lo), abs(ba.lo - bb.lo)), unit, fa.kind)
        extra = f", {gap} {'more' if c > 0 else 'fewer' if fa.kind == 'count' else 'less'}"
    text = f"{a} ({operand_text(fa)}) is {word} {b} ({operand_text(fb)}){extra}"
    if c and shape.ways:
        # "Is that bigger or smaller than …?": the answer leads with the way asked
        text = f"{shape.ways[0 if c > 0 else 1].capitalize()}: {text}"
    text += _stated_note(ba, bb)
    return derived(index, text, "comparison", (fa, fb), formula), ""


# A fact counts for "which district ... the most enterprises" when the phrase names it this well.
NAMED_ENOUGH = MIN_MATCH


def _which_most(index: Index, shape: Shape, facts: Sequence[Fact]) -> Outcome | None:
    """'Which district introduced the most enterprises?': among the facts the phrase names
    whose sentence names a place of that kind, the largest (or smallest), with its place."""
    word = singular(shape.category)
    wanted = phrase_stems(shape.sides[0]) if shape.sides else []
    thing = shape.sides[-1] if shape.sides else ""
    if kinds_named(thing) == ("money",):  # "the largest investment"
        facts = [f for f in facts if f.kind == "money"]
    else:  # "the most enterprises": counts of that thing, not "the most successful engine"
        counted = set(phrase_stems(thing))
        facts = [f for f in facts if f.kind == "count" and counted & _unit_stems(f)]
    found = []
    scores = {f.start: fact_score(index, f, wanted) for f in facts}
    for f in facts:
        if scores[f.start] < NAMED_ENOUGH or f.value is None:
            continue
        s, e = sentence_span(index, f)
        sentence = index.documents[f.doc].text[s:e]
        m = re.search(rf"((?:[A-Z][\w’'-]*\s+)+)(?i:{re.escape(word)})\b", sentence)
        if m and m.group(1).strip()[:1].isupper():
            found.append((f"{m.group(1).strip()} {sentence[m.end(1) : m.end()].strip()}", f))
    if not found:
        return None  # "which city has the largest rail head": not a figure; the reader's

    def kind(f: Fact) -> tuple[str, str]:
        return (f.kind, f.unit if f.kind == "money" else "")

    best = max(scores[f.start] for _n, f in found)
    kinds = {kind(f) for _n, f in found if scores[f.start] == best}
    # the kind of figure the phrase names best ("the most enterprises": a count)
    found = [(n, f) for n, f in found if kind(f) in kinds]
    if len(kinds) > 1:
        return None, f"the {word} figures are of different kinds, so none is the {shape.op}"
    pick_fn = min if shape.op == "min" else max
    name, pick = pick_fn(found, key=lambda nf: float(nf[1].value))
    others = [(n, f) for n, f in found if (f.doc, f.start) != (pick.doc, pick.start)]
    want = 1 if shape.op == "max" else -1
    if any(compare(bound_of(pick), bound_of(f)) != want for _n, f in others):
        return None, "the figures are bounds that overlap, so the order is unknown"
    note = (
        f", against {'; '.join(f'{n} ({operand_text(f)})' for n, f in others)}"
        if others
        else f", the only {word} the documents give such a figure for"
    )
    text = f"{name} ({operand_text(pick)}){note}"
    formula = f"{shape.op} over {len(found)} {word} figure{'s' if len(found) != 1 else ''}"
    return derived(index, text, "superlative", tuple(f for _n, f in found), formula), ""


def _top(index: Index, shape: Shape, facts: Sequence[Fact], n: int) -> Outcome:
    """'The three largest counts': the first n of one kind (and currency), in order."""
    kinds = {(f.kind, f.unit if f.kind == "money" else "") for f in facts}
    if len(kinds) > 1:
        return None, "the figures are of different kinds or currencies: ask for one kind"
    ordered = sorted(facts, key=lambda f: float(f.value or 0), reverse=shape.op != "min")
    picks = ordered[:n]
    word = "smallest" if shape.op == "min" else "largest"
    listed = ", ".join(operand_text(f) for f in picks)
    short = f" (only {len(picks)} given)" if len(picks) < n else ""
    short += _open_note(facts, picks, shape.op)
    text = f"{listed} (the {len(picks)} {word} of {len(facts)} {_plural(picks[0].kind)}{short})"
    formula = f"{shape.op} {n} of {len(facts)}"
    return derived(index, text, "superlative", tuple(picks), formula), ""


def _open_note(facts: Sequence[Fact], picks: Sequence[Fact], op: str) -> str:
    """A figure stated only as a bound ("more than 200") may pass the ones picked: say so."""
    last = bound_of(picks[-1])
    if last is None:
        return ""
    open_ones = []
    for f in facts:
        if any((f.doc, f.start) == (p.doc, p.start) for p in picks):
            continue
        b = bound_of(f)
        if b is None:
            continue
        if (op != "min" and b.hi == float("inf") and b.lo < last.lo) or (
            op == "min" and b.lo == float("-inf") and b.hi > last.hi
        ):
            open_ones.append(operand_text(f))
    for p in picks:  # "more than 50" as the smallest: it may be larger than the next one
        b = bound_of(p)
        if (
            b is not None
            and len(facts) > len(picks)
            and ((op == "min" and b.hi == float("inf")) or (op != "min" and b.lo == float("-inf")))
        ):
            open_ones.append(operand_text(p))
    if not open_ones:
        return ""
    return f"; only a bound is stated for {', '.join(open_ones)}, so the order is not certain"
