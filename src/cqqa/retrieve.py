"""Dense (FAISS) and BM25 rankings, fused by reciprocal rank fusion, as Passages."""

from __future__ import annotations

import numpy as np

from .index import Index
from .records import Passage
from .textutil import bm25_tokens

CANDIDATES = 50  # how deep each ranking is read before fusion


def retrieve(
    index: Index,
    query: str,
    k: int = 5,
    mode: str = "hybrid",
    rrf_k: int = 60,
    vector: np.ndarray | None = None,
) -> list[Passage]:
    """The k best chunks for `query`, each with its dense, BM25 and fused score."""
    n = len(index.chunks)
    depth = min(n, max(CANDIDATES, 4 * k))
    dense_rank: dict[int, int] = {}
    dense_score: dict[int, float] = {}
    if mode in ("dense", "hybrid"):
        if vector is None:
            vector = index.encoder.encode([query])
        ids, scores = dense_search(index, vector, depth)
        for rank, (i, s) in enumerate(zip(ids, scores), 1):
            if i >= 0:
                dense_rank[int(i)] = rank
                dense_score[int(i)] = float(s)
    bm25_rank: dict[int, int] = {}
    bm25_all = bm25_scores(index, query) if mode in ("bm25", "hybrid") else None
    if bm25_all is not None:
        top = _top(bm25_all, depth)
        for rank, i in enumerate(top, 1):
            if bm25_all[i] > 0:
                bm25_rank[int(i)] = rank
    if mode == "dense":
        fused = {i: dense_score[i] for i in dense_rank}
    elif mode == "bm25":
        fused = {i: float(bm25_all[i]) for i in bm25_rank}
    else:
        fused = {}
        for ranking in (dense_rank, bm25_rank):
            for i, rank in ranking.items():
                fused[i] = fused.get(i, 0.0) + 1.0 / (rrf_k + rank)
        # A chunk one ranking missed still gets its exact score in that ranking.
        missing = [i for i in fused if i not in dense_score]
        if missing:
            rows = index.embeddings[missing] @ vector[0]
            dense_score.update(zip(missing, map(float, rows)))
    order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
    return [
        passage_of(
            index,
            i,
            fused[i],
            rank,
            dense_score.get(i),
            float(bm25_all[i]) if bm25_all is not None else None,
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
