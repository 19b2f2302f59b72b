"""BM25 over the chunks: built, saved and scored with numpy, in bm25s's folder format.

Why not bm25s itself: importing it pulls in scipy and tqdm (0.2-0.3 s of every cold
`cqqa ask`), and its build tokenizes and scores every chunk in Python loops, which
dominated a rebuild of a large corpus after one document changed. Here each chunk's
term counts are saved beside the index, so a rebuild tokenizes only changed documents,
and the scores (which depend on corpus-wide statistics, so change for every chunk) are
recomputed in a few vectorized steps. The scores equal bm25s's "lucene" BM25 and the
folder still loads with `bm25s.BM25.load` (tests/test_speed_paths.py compares them).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import IndexProblem
from .fileutil import write_json
from .textutil import bm25_tokens

PARAMS = {"k1": 1.5, "b": 0.75, "delta": 0.5, "method": "lucene", "idf_method": "lucene"}
# Per-chunk term counts as CSR rows: row pointer, term ids, counts.
TERM_FILES = ("chunk_terms.indptr.npy", "chunk_terms.ids.npy", "chunk_terms.tf.npy")


class Bm25:
    """A saved BM25 index, scored with numpy alone (same methods as `bm25s.BM25`)."""

    def __init__(self, folder: Path) -> None:
        try:
            params = json.loads((folder / "params.index.json").read_text("utf-8"))
            self.vocab_dict: dict[str, int] = json.loads(
                (folder / "vocab.index.json").read_text("utf-8")
            )
            self.data = np.load(folder / "data.csc.index.npy", allow_pickle=False)
            self.indices = np.load(folder / "indices.csc.index.npy", allow_pickle=False)
            self.indptr = np.load(folder / "indptr.csc.index.npy", allow_pickle=False)
            self.num_docs = int(params["num_docs"])
        except (OSError, ValueError, KeyError) as exc:
            raise IndexProblem(f"the BM25 index in {folder} cannot be read ({exc})") from None
        if params.get("method", "lucene") in ("bm25l", "bm25+"):
            raise IndexProblem("the BM25 index uses a variant cqqa does not score; rebuild it")

    def get_tokens_ids(self, query_tokens: list[str]) -> list[int]:
        """Ids of the tokens the index knows; the others cannot match anything."""
        terms = len(self.indptr) - 1
        ids = (self.vocab_dict.get(token) for token in query_tokens)
        return [i for i in ids if i is not None and i < terms]

    def get_scores_from_ids(self, query_tokens_ids: list[int]) -> np.ndarray:
        scores = np.zeros(self.num_docs, dtype=np.float32)
        for term in query_tokens_ids:
            start, end = self.indptr[term], self.indptr[term + 1]
            # A term lists each chunk once, so plain fancy-index addition is exact.
            scores[self.indices[start:end]] += self.data[start:end]
        return scores

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        return self.get_scores_from_ids(self.get_tokens_ids(query_tokens))


@dataclass
class Terms:
    """Each chunk's distinct terms and their counts, over a vocabulary (CSR rows)."""

    vocab: dict[str, int]
    indptr: np.ndarray  # chunk i's entries are [indptr[i], indptr[i + 1])
    ids: np.ndarray
    tf: np.ndarray

    @classmethod
    def load(cls, folder: Path, chunks: int) -> Terms | None:
        """The saved counts, or None when absent or not for `chunks` chunks."""
        try:
            indptr, ids, tf = (
                np.load(folder / name, allow_pickle=False).astype(np.int64) for name in TERM_FILES
            )
            vocab = json.loads((folder / "vocab.index.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if len(indptr) != chunks + 1 or indptr[-1] != len(ids) or len(ids) != len(tf):
            return None
        return cls(vocab, indptr, ids, tf)


@dataclass
class TermsBuilder:
    """Collects chunks' term counts in index order: copied rows or freshly tokenized text."""

    previous: Terms | None = None
    vocab: dict[str, int] = field(default_factory=dict)
    _lengths: list[np.ndarray] = field(default_factory=list)
    _ids: list[np.ndarray] = field(default_factory=list)
    _tf: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.previous is not None:
            self.vocab = dict(self.previous.vocab)

    def copy(self, start: int, end: int) -> None:
        """Chunks [start, end) of the previous index, unchanged."""
        indptr = self.previous.indptr
        self._lengths.append(np.diff(indptr[start : end + 1]))
        self._ids.append(self.previous.ids[indptr[start] : indptr[end]])
        self._tf.append(self.previous.tf[indptr[start] : indptr[end]])

    def add(self, texts: Iterable[str]) -> None:
        lengths, ids, tf = [], [], []
        for text in texts:
            counts = Counter(bm25_tokens(text) or [""])  # as bm25s indexes an empty chunk
            lengths.append(len(counts))
            ids.extend(self.vocab.setdefault(token, len(self.vocab)) for token in counts)
            tf.extend(counts.values())
        self._lengths.append(np.asarray(lengths, dtype=np.int64))
        self._ids.append(np.asarray(ids, dtype=np.int64))
        self._tf.append(np.asarray(tf, dtype=np.int64))

    def finish(self) -> Terms:
        """The rows so far, with terms no chunk uses any more dropped and ids made dense."""
        lengths, ids, tf = (
            np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)
            for parts in (self._lengths, self._ids, self._tf)
        )
        tokens = np.array(list(self.vocab), dtype=object)
        used = np.bincount(ids, minlength=len(tokens)) > 0
        ids = (np.cumsum(used) - 1)[ids]
        vocab = {token: i for i, token in enumerate(tokens[used].tolist())}
        return Terms(vocab, np.concatenate([[0], np.cumsum(lengths)]), ids, tf)


def save(folder: Path, terms: Terms) -> None:
    """Score every (chunk, term) pair and save the index as bm25s would, plus the counts."""
    n = len(terms.indptr) - 1
    rows = np.repeat(np.arange(n), np.diff(terms.indptr))
    chunk_len = np.bincount(rows, weights=terms.tf, minlength=n)
    average = chunk_len.mean() if n else 1.0
    df = np.bincount(terms.ids, minlength=len(terms.vocab))
    k1, b = PARAMS["k1"], PARAMS["b"]
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    tf = terms.tf
    scores = idf[terms.ids] * tf / (tf + k1 * (1 - b + b * chunk_len[rows] / average))
    order = np.argsort(terms.ids, kind="stable")  # by term, then by chunk
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "data.csc.index.npy", scores[order].astype(np.float32), allow_pickle=False)
    np.save(folder / "indices.csc.index.npy", rows[order].astype(np.int32), allow_pickle=False)
    indptr = np.concatenate([[0], np.cumsum(df)])
    np.save(folder / "indptr.csc.index.npy", indptr.astype(np.int64), allow_pickle=False)
    write_json(folder / "vocab.index.json", terms.vocab)
    params = {**PARAMS, "dtype": "float32", "int_dtype": "int32", "num_docs": n}
    write_json(folder / "params.index.json", {**params, "version": "cqqa", "backend": "numpy"})
    for name, array in zip(TERM_FILES, (terms.indptr, terms.ids, terms.tf)):
        np.save(folder / name, array.astype(np.int32), allow_pickle=False)
