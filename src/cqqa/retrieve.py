"""Retrieval: rankers behind one interface, joined by fusion (`cqqa.fusion`), as Passages.

A ranker takes (index, query, query vector, depth) and returns a `Ranking`: the chunk ids it
ranks best first, and its own score of any chunk. `MODES` says which rankers a retrieval
mode reads; one ranking is taken as it is, several are fused by reciprocal rank.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .fusion import reciprocal_rank
from .index import Index
from .records import Passage
from .textutil import bm25_tokens

CANDIDATES = 50  # how deep each ranking is read before fusion


@dataclass(frozen=True)
class Ranking:
    ids: list[int]  # chunk ids, best first
    score: Callable[[int], float]  # this ranker's score of any chunk, ranked or not


def dense_ranking(index: Index, query: str, vector: np.ndarray, depth: int) -> Ranking:
    """The nearest chunks by inner product of embeddings (FAISS, or an exact scan)."""
    ids, scores = dense_search(index, vector, depth)
    known = {int(i): float(s) for i, s in zip(ids, scores) if i >= 0}
    query_vector = np.asarray(vector, dtype=np.float32).reshape(-1)

    def score(i: int) -> float:
        found = known.get(i)
        return found if found is not None else float(index.embeddings[i] @ query_vector)

    return Ranking(list(known), score)


def bm25_ranking(index: Index, query: str, vector: np.ndarray | None, depth: int) -> Ranking:
    """The chunks with the best BM25 scores; a chunk sharing no word with the query is not
    ranked at all."""
    scores = bm25_scores(index, query)
    top = [int(i) for i in _top(scores, depth) if scores[i] > 0]
    return Ranking(top, lambda i: float(scores[i]))


Ranker = Callable[[Index, str, "np.ndarray | None", int], Ranking]
RANKERS: dict[str, Ranker] = {"dense": dense_ranking, "bm25": bm25_ranking}
MODES: dict[str, tuple[str, ...]] = {
    "dense": ("dense",),
    "bm25": ("bm25",),
    "hybrid": ("dense", "bm25"),
}


def retrieve(
    index: Index,
    query: str,
    k: int = 5,
    mode: str = "hybrid",
    rrf_k: int = 60,
    vector: np.ndarray | None = None,
) -> list[Passage]:
    """The k best chunks for `query`, each with its dense, BM25 and fused score."""
    depth = min(len(index.chunks), max(CANDIDATES, 4 * k))
    if "dense" in MODES[mode] and vector is None:
        vector = index.encoder.encode([query])
    rankings = {name: RANKERS[name](index, query, vector, depth) for name in MODES[mode]}
    if len(rankings) == 1:
        (only,) = rankings.values()
        fused = {i: only.score(i) for i in only.ids}
    else:
        fused = reciprocal_rank((r.ids for r in rankings.values()), rrf_k)
    order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
    dense, bm25 = rankings.get("dense"), rankings.get("bm25")
    return [
        passage_of(
            index,
            i,
            fused[i],
            rank,
            dense.score(i) if dense else None,
            bm25.score(i) if bm25 else None,
        )
        for rank, i in enumerate(order, 1)
    ]


def passage_of(
    index: Index,
    i: int,
    score: float,
    rank: int,
    dense: float | None = None,
    bm25: float | None = None,
) -> Passage:
    """Chunk i of the index as the rank-th passage of a ranking, with its scores."""
    chunk = index.chunks[i]
    return Passage(
        doc=chunk.doc,
        start=chunk.start,
        end=chunk.end,
        text=chunk.text,
        score=round(score, 6),
        rank=rank,
        dense_score=round(dense, 6) if dense is not None else None,
        bm25_score=round(bm25, 6) if bm25 is not None else None,
        title=index.documents[chunk.doc].title if chunk.doc in index.documents else "",
    )


def dense_search(index: Index, vector: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """Chunk ids and inner products of the `depth` nearest chunks, best first.

    An IVF index is searched with FAISS and its candidates re-scored exactly. A flat one
    is the same exact scan FAISS's IndexFlatIP does, done here with numpy over the
    embeddings already in memory: that spares every cold `cqqa ask` the FAISS import
    (~0.1 s). The scan is einsum, on one thread: on 2 shared cores, multi-threaded BLAS
    (and FAISS's OpenMP) made one query 10-30x slower whenever another process was busy.
    """
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    if index.manifest.get("faiss", {}).get("type", "flat") != "flat":
        _, ids = index.faiss.search(vector[None, :], depth)
        ids = ids[0][ids[0] >= 0]
        # The IVF index compares 8-bit codes: re-score its candidates exactly.
        scores = np.einsum("ij,j->i", index.embeddings[ids], vector)
        order = np.lexsort((ids, -scores))
        return ids[order], scores[order]
    scores = np.einsum("ij,j->i", index.embeddings, vector)
    top = _top(scores, depth)
    return top, scores[top]


def bm25_scores(index: Index, query: str) -> np.ndarray:
    """BM25 score of every chunk (zeros when no query word is in the vocabulary)."""
    retriever = index.bm25
    ids = retriever.get_tokens_ids(bm25_tokens(query))
    if not ids:
        return np.zeros(len(index.chunks), dtype=np.float32)
    return np.asarray(retriever.get_scores_from_ids(ids), dtype=np.float32)


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    if depth >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, depth)[:depth]
    return part[np.argsort(-scores[part], kind="stable")]
