"""Numbers worked out from stated facts, with honest bounds and the formula shown.

Only facts of compatible kinds and units combine: counts of the same thing, money in one
currency, dates with dates. A fact stated as a bound ("more than 200") stays a bound through
the arithmetic ("more than 200" minus 50 is "more than 150"); when bounds make a result
unknowable the operation is refused rather than guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from ..records import Fact
from ..textutil import stem, words

# Qualifiers (facts.py keeps them) that make a stated number a bound.
LOWER = (
    "more than",
    "over",
    "exceeds",
    "exceeding",
    "exceeded",
    "above",
    "at least",
    "upwards of",
    "upward of",
    "in excess of",
)
UPPER = ("less than", "fewer than", "under", "below", "at most", "up to", "nearly", "almost")
APPROX = ("about", "around", "approximately", "roughly", "some", "nearly", "almost")


@dataclass(frozen=True)
class Bound:
    """A stated number as an interval: lo == hi when exact; an open side when 'more than'."""

    lo: float
    hi: float
    approx: bool = False

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    def qualifier(self) -> str | None:
        if self.exact:
            return "about" if self.approx else None
        if math.isinf(self.hi) and not math.isinf(self.lo):
            return "more than"
        if math.isinf(self.lo) and not math.isinf(self.hi):
            return "less than"
        return None


def bound_of(fact: Fact) -> Bound | None:
    if fact.value is None:
        return None
    q = (fact.qualifier or "").lower()
    v = float(fact.value)
    if any(q.startswith(w) for w in LOWER if w not in UPPER):
        return Bound(v, math.inf)
    if any(
        q.startswith(w) for w in ("less than", "fewer than", "under", "below", "at most", "up to")
    ):
        return Bound(-math.inf, v)
    return Bound(v, v, approx=any(q.startswith(w) for w in APPROX))


def add(a: Bound, b: Bound) -> Bound | None:
    """None when the sum is unbounded both ways ("more than 200" + "fewer than 100")."""
    lo, hi = a.lo + b.lo, a.hi + b.hi
    if math.isnan(lo) or math.isnan(hi) or (math.isinf(lo) and math.isinf(hi)):
        return None
    return Bound(lo, hi, a.approx or b.approx)


def subtract(a: Bound, b: Bound) -> Bound | None:
    lo, hi = a.lo - b.hi, a.hi - b.lo
    if math.isnan(lo) or math.isnan(hi) or (math.isinf(lo) and math.isinf(hi)):
        return None
    return Bound(lo, hi, a.approx or b.approx)


def divide(a: Bound, b: Bound) -> Bound | None:
    if not b.exact or b.lo == 0:
        return None  # a bound in the divisor leaves the ratio unbounded both ways
    if b.lo > 0:
        return Bound(a.lo / b.lo, a.hi / b.lo, a.approx or b.approx)
    return Bound(a.hi / b.lo, a.lo / b.lo, a.approx or b.approx)


def compare(a: Bound, b: Bound) -> int | None:
    """1 when a is surely larger, -1 surely smaller, 0 equal, None when the bounds overlap."""
    if a.exact and b.exact and a.lo == b.lo:
        return 0
    if a.lo >= b.hi and not (a.exact and b.exact and a.lo == b.hi):
        return 1 if a.lo > b.hi or not a.exact else None
    if a.hi <= b.lo:
        return -1 if a.hi < b.lo or not b.exact else None
    return None


def number_text(value: float, exact: bool = True) -> str:
    """1234567 -> '1.23 million' style for large values; small ones with commas."""
    for size, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{_digits(value / size, exact)} {name}"
    return _digits(value, exact)


def _digits(value: float, exact: bool) -> str:
    if exact and abs(value - round(value, 2)) < 1e-9:
        text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
        return text
    places = 1 if abs(value) >= 100 else 2 if abs(value) >= 1 else 3
    return f"{value:,.{places}f}".rstrip("0").rstrip(".")


def show(bound: Bound, unit: str | None, kind: str) -> str:
    """A derived value as people write it, its bound kept in words."""
    if not bound.exact:
        q = bound.qualifier()
        v = bound.lo if q == "more than" else bound.hi
        core = number_text(v)
        prefix = f"{q} " if q else ""
    else:
        core = number_text(bound.lo, exact=not bound.approx)
        prefix = ""
        v = bound.lo
        if bound.approx or abs(v - round(v, 2)) > 1e-9:
            prefix = "about "
    if kind == "percent":
        return f"{prefix}{core}%"
    return f"{prefix}{core} {unit}".strip() if unit else f"{prefix}{core}"


def operand_text(fact: Fact) -> str:
    """A fact as an operand: '343.83 billion CNY', 'more than 200 enterprises'."""
    b = bound_of(fact)
    if b is None or fact.kind in ("year", "ordinal"):  # as written: 1971, not 1,971; "13th"
        return fact.text
    q = b.qualifier() if not b.exact else ("about" if b.approx else None)  # "about 20,000" stays
    core = number_text(float(fact.value or 0))
    if fact.kind == "percent":
        return f"{core}%"
    unit = fact.unit if fact.kind in ("money", "count") else None
    text = f"{core} {unit}" if unit else core
    return f"{q} {text}" if q else text


def same_thing(a: Fact, b: Fact) -> bool:
    """Two facts count the same kind of thing (pairs and pairs, not ports and countries)."""
    if a.kind != b.kind:
        return False
    if a.kind == "money":
        return (a.unit or "") == (b.unit or "")
    if a.kind == "count":
        ua = {stem(w) for w in words(a.unit or "")}
        ub = {stem(w) for w in words(b.unit or "")}
        return bool(ua & ub) or not ua or not ub
    return a.kind == "percent"


def day_of(fact: Fact) -> date | None:
    """A date fact as a day; a date without a year is placed in a non-leap year (noted)."""
    n = fact.normalized or ""
    try:
        if n.startswith("--"):
            month, day = int(n[2:4]), int(n[5:7])
            return date(2001, month, day)
        if len(n) == 10:
            return date(int(n[:4]), int(n[5:7]), int(n[8:10]))
    except ValueError:
        return None
    return None
