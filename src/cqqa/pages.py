"""The page of every passage, fact and answer, from its offset in its document's text.

A PDF's document records where each page starts in the text it was read as
(`Document.pages`); everything that carries offsets gets the page its start lies on.
Formats without pages leave `page` None. Done once at the edges (CLI, web, eval) so the
answer stage itself stays page-agnostic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from .formats import page_at
from .records import Answer, Document

T = TypeVar("T")


def with_page(record: T, documents: Mapping[str, Document]) -> T:
    """The record with `page` set from its doc and start (unchanged without pages)."""
    document = documents.get(record.doc)  # type: ignore[attr-defined]
    page = page_at(document.pages, record.start) if document else None  # type: ignore[attr-defined]
    if page == getattr(record, "page", None):
        return record
    return replace(record, page=page)  # type: ignore[type-var]


def locate(result: Answer, documents: Mapping[str, Document]) -> Answer:
    """The answer with the page of its span, its passages and its facts filled in."""
    if not any(getattr(d, "pages", None) for d in documents.values()):
        return result
    return replace(
        result,
        answer=with_page(result.answer, documents) if result.answer else None,
        passages=tuple(with_page(p, documents) for p in result.passages),
        facts=tuple(with_page(f, documents) for f in result.facts),
    )


def cite(doc: str, page: int | None) -> str:
    """How a citation names its place: "report, page 7", or just the document."""
    return f"{doc}, page {page}" if page is not None else doc


__all__ = ["cite", "locate", "with_page"]
