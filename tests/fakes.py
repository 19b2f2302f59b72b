"""A small fake encoder and a second, small corpus: a real index in well under a second.

The encoder meets the `Encoder` protocol (unit-length float32 rows) with hashed bags of
word stems, so retrieval, fusion, typo repair and the answer strategies can be tested
without the sentence-transformers model. The reader stays the real one (the answer stage
is what these tests check); only the embedding is fake.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from cqqa.embedding import ModelInfo
from cqqa.textutil import stem, words

SMALL_CORPUS = Path(__file__).resolve().parent / "data" / "small"


class HashEncoder:
    """Bag of stemmed words, each hashed to one of `dim` dimensions."""

    dim = 256
    info = ModelInfo(
        name="fake-hash-256",
        path="",
        sha256="f" * 64,
        size=0,
        mtime_ns=0,
        max_seq_length=128,
    )

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.calls += 1
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in words(text):
                rows[i, zlib.crc32(stem(word).encode("utf-8")) % self.dim] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        rows[:, 0] += norms[:, 0] == 0  # an empty text still gets a unit vector
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def small_index(home: Path, corpus: Path = SMALL_CORPUS):
    """(settings, index) for a copy of `corpus` under `home`, embedded by HashEncoder."""
    import shutil

    from cqqa.config import Settings
    from cqqa.index import build

    shutil.copytree(corpus, home / "corpus")
    settings = Settings(corpus_dir=home / "corpus", index_dir=home / "index")
    return settings, build(settings, note=lambda message: None, encoder=HashEncoder())


def one_document_index(base: Path, name: str, text: str):
    """The index of a corpus of one document, `name` holding `text`, built under `base`."""
    corpus = base / "one-document"
    corpus.mkdir(parents=True)
    (corpus / name).write_text(text, encoding="utf-8")
    return small_index(base / "home", corpus)[1]


def answer_text(result) -> str:
    """The answer's text, failing with the reason when there is none."""
    assert result.answer is not None, result.reason
    return result.answer.text
