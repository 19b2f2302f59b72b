"""Asking one document (or a few) instead of all: a view of the index holding only theirs.

The view shares the loaded encoder and BM25 postings with the whole index; only the rows
of the chosen documents' chunks, sentences and facts are kept, so retrieval, the answer
stage and "Not in the documents" work on them unchanged. BM25 keeps the whole corpus's
term statistics (a filter narrows where to look, not how words are weighed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .errors import InputError
from .index import Index
from .memo import PerIndex
from .multilingual import share_sentence_vectors
from .textutil import safe_name

MAX_VIEWS = 16  # views kept per loaded index (one per document set asked about)


class _Bm25View:
    """The whole index's BM25, its scores cut to the view's chunks."""

    def __init__(self, bm25: Any, rows: np.ndarray) -> None:
        self._bm25 = bm25
        self._rows = rows
        self.num_docs = len(rows)

    def get_scores_from_ids(self, query_tokens_ids: list[int]) -> np.ndarray:
        return self._bm25.get_scores_from_ids(query_tokens_ids)[self._rows]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bm25, name)


def restrict(index: Index, documents: Iterable[str] | None) -> Index:
    """The index seen through these document ids (the whole index for None or all);
    InputError names the documents there are when an id is unknown."""
    chosen = frozenset(d for d in (documents or ()) if d)
    if not chosen or chosen >= set(index.documents):
        return index
    unknown = sorted(chosen - set(index.documents))
    if unknown:
        known = ", ".join(safe_name(d) for d in list(index.documents)[:10])
        more = ", …" if len(index.documents) > 10 else ""
        raise InputError(
            f"No document {safe_name(unknown[0])!r} in the index; the documents are: {known}{more}."
        )
    views = _VIEWS(index)
    if chosen in views:
        return views[chosen]
    rows = np.array([i for i, c in enumerate(index.chunks) if c.doc in chosen], dtype=np.int64)
    sentence_rows = np.array(
        [i for i, s in enumerate(index.sentences) if s[0] in chosen], dtype=np.int64
    )
    # The view's dense search is the exact numpy scan over its rows (never the IVF index,
    # whose ids are the whole index's).
    manifest = {**index.manifest, "faiss": {**index.manifest.get("faiss", {}), "type": "flat"}}
    view = Index(
        index.directory,
        manifest,
        {d: doc for d, doc in index.documents.items() if d in chosen},
        [index.chunks[i] for i in rows],
        np.ascontiguousarray(index.embeddings[rows]),
        [f for f in index.facts if f.doc in chosen],
        [index.sentences[i] for i in sentence_rows],
        np.ascontiguousarray(index.sentence_embeddings[sentence_rows]),
    )
    view.preload(encoder=index.encoder, bm25=_Bm25View(index.bm25, rows))
    view.hold = index.hold  # the generation stays while the view is used
    share_sentence_vectors(view, index, sentence_rows)  # a Chinese question encodes nothing new
    if len(views) >= MAX_VIEWS:
        views.pop(next(iter(views), None), None)
    views[chosen] = view
    return view


# The views cut from one loaded index, by the documents they hold.
_VIEWS: PerIndex[dict] = PerIndex(lambda index: {})

__all__ = ["restrict"]
