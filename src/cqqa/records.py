"""Value types that travel between the pipeline's stages.

Every record is frozen and knows how to turn itself into plain JSON data.
Offsets always index the owning document's text: ``doc.text[start:end]``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# What a numeric fact can be (facts.py extracts them; the CLI and web app filter by them).
FACT_KINDS = ("count", "money", "percent", "date", "period", "ordinal", "year")


class _Record:
    """Plain JSON data for the CLI, the web API and the index files."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Document(_Record):
    id: str
    title: str
    text: str
    path: str = ""
    # Offset in `text` where page 1, 2, ... starts (PDFs); None for formats without pages.
    pages: list[int] | None = None
    format: str = "text"  # text, pdf, html or docx: how `text` was read from the file


@dataclass(frozen=True)
class Chunk(_Record):
    doc: str
    start: int
    end: int
    text: str
    ordinal: int = 0  # position of the chunk within its document
    page: int | None = None  # the 1-based page `start` is on; None where a format has none


@dataclass(frozen=True)
class Passage(_Record):
    doc: str
    start: int
    end: int
    text: str
    score: float  # the fused score (or the single retriever's score)
    rank: int  # 1-based
    dense_score: float | None = None
    bm25_score: float | None = None
    title: str = ""
    page: int | None = None  # the 1-based page `start` is on; None where a format has none


@dataclass(frozen=True)
class Fact(_Record):
    """A number stated in a document, normalized.

    kind is one of count, money, percent, date, period, ordinal, year.
    value is the normalized number (a date's value is None; see normalized).
    unit is a currency code (CNY, USD) or the counted noun ("ports").
    qualifier keeps words that bound the number ("more than", "exceeds", "up").
    normalized is an ISO-like form for dates and periods ("--07-12",
    "2022-01/2022-05") and None otherwise.
    """

    text: str
    kind: str
    value: float | None
    unit: str | None
    doc: str
    start: int
    end: int
    qualifier: str | None = None
    normalized: str | None = None
    page: int | None = None  # the 1-based page `start` is on; None where a format has none


@dataclass(frozen=True)
class Evidence(_Record):
    """A sentence a derived answer rests on: ``document.text[start:end] == text``."""

    doc: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AnswerSpan(_Record):
    text: str
    doc: str
    start: int
    end: int
    kind: str
    score: float | None = None  # the reader's span score (start + end logit), when it read one
    page: int | None = None  # the 1-based page `start` is on; None where a format has none


@dataclass(frozen=True)
class DerivedSpan(AnswerSpan):
    """An answer worked out over the facts (kind ``derived``): yes/no, a comparison, a sum,
    a difference, a ratio, the largest figure, a summary.

    Its ``text`` is composed, so it is not ``document.text[start:end]``; ``start``/``end``
    bound the stretch of ``doc`` that holds every operand and evidence sentence, and each
    operand (a fact) and evidence sentence carries its own exact offsets.
    """

    derivation: str = ""  # yesno, comparison, arithmetic, superlative, summary
    verdict: str | None = None  # "yes" / "no" for yes/no and yes/no comparisons
    formula: str | None = None  # "343.83 billion CNY ÷ 1.129 ≈ 304.5 billion CNY"
    value: float | None = None  # the derived number, when there is one
    unit: str | None = None
    qualifier: str | None = None  # "more than" when an operand was only a bound
    operands: tuple[Fact, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["operands"] = [f.to_dict() for f in self.operands]
        out["evidence"] = [e.to_dict() for e in self.evidence]
        return out


@dataclass(frozen=True)
class Answer:
    question: str
    history: tuple[str, ...] = ()
    answer: AnswerSpan | None = None
    abstained: bool = False
    passages: tuple[Passage, ...] = ()
    facts: tuple[Fact, ...] = ()
    query: str = ""  # what retrieval searched for once history was taken into account
    reason: str = ""  # why cqqa answered or abstained, in a few words
    lang: str = "en"  # the question's language: "en", "zh" (Chinese) or "other"

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "history": list(self.history),
            "answer": self.answer.to_dict() if self.answer else None,
            "abstained": self.abstained,
            "passages": [p.to_dict() for p in self.passages],
            "facts": [f.to_dict() for f in self.facts],
            "query": self.query,
            "reason": self.reason,
            # Present only for a question in another language: absent means "en", so an
            # English answer keeps the top-level keys it always had.
            **({"lang": self.lang} if self.lang != "en" else {}),
        }


__all__ = [
    "Answer",
    "AnswerSpan",
    "Chunk",
    "DerivedSpan",
    "Document",
    "Evidence",
    "Fact",
    "Passage",
]
