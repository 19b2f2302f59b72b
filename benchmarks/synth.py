"""Synthetic corpora for scaling runs: many small documents of short, varied sentences.

Words come from the article (so its vocabulary, numbers and Zipf-like frequencies give
BM25 and FAISS realistic work) mixed with made-up words (so the vocabulary keeps
growing with the corpus, as real collections do). Each sentence ends with a full stop
after a word of at least three letters and the next starts with a capital, so the
chunker splits exactly one sentence per chunk with `chunk_sentences=1, overlap=0`,
which makes "N chunks" exactly N sentences and keeps embedding time on 2 cores sane.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "corpus" / "chongqing-international-links.txt"
SYLLABLES = (
    "ka lo mi ne ru sa te vo bri chan dor fel gan hux jor kel lum mar nor pel quin "
    "ros sil tam ur vex wen yor zan ba de fi go hu la me ni po ri su ta ve zo"
).split()


def article_words() -> list[str]:
    """Words of the article with repetition kept, so sampling follows its frequencies."""
    text = ARTICLE.read_text(encoding="utf-8")
    return re.findall(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*", text)


def made_up_words(n: int, rng: random.Random) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
    return sorted(out)


class SentenceMaker:
    """Deterministic sentence stream: about 65 % article words, 35 % made-up words."""

    def __init__(self, seed: int = 0, invented: int = 20_000) -> None:
        self.rng = random.Random(seed)
        self.article = [w for w in article_words() if w.lower() not in {"u.s", "no"}]
        self.invented = made_up_words(invented, self.rng)
        self.rng.shuffle(self.invented)
        # Zipf-like frequencies for the invented vocabulary (cumulative, for bisect).
        self.cumulative = list(itertools.accumulate(1.0 / r for r in range(1, invented + 1)))

    def word(self) -> str:
        if self.rng.random() < 0.65:
            return self.rng.choice(self.article)
        at = bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])
        return self.invented[min(at, len(self.invented) - 1)]

    def sentence(self) -> str:
        n = self.rng.randint(5, 10)
        words = [self.word() for _ in range(n)]
        if self.rng.random() < 0.25:
            words.insert(self.rng.randrange(1, n), f"{self.rng.randint(2, 9_999):,}")
        last = words[-1]
        if not last.isalpha() or len(last) < 3:
            words.append(self.rng.choice(self.invented))
        first = words[0]
        words[0] = first[:1].upper() + first[1:]
        return " ".join(words) + "."


def write_corpus(directory: Path, chunks: int, documents: int, seed: int = 0) -> list[Path]:
    """`documents` files holding `chunks` sentences in all (one chunk per sentence)."""
    directory.mkdir(parents=True, exist_ok=True)
    maker = SentenceMaker(seed)
    paths = []
    per_doc, extra = divmod(chunks, documents)
    for d in range(documents):
        count = per_doc + (1 if d < extra else 0)
        title = f"Report {d:05d} on {maker.word()} and {maker.word()}"
        lines = [title + ".", ""]
        lines += [maker.sentence() for _ in range(count - 1)]
        path = directory / f"doc-{d:05d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def queries(n: int, seed: int = 1) -> Iterator[str]:
    """Short keyword-ish questions in the corpus's vocabulary."""
    maker = SentenceMaker(seed)
    starts = ("What about", "How many", "Which", "When did", "Where is")
    for _ in range(n):
        words = " ".join(maker.word() for _ in range(maker.rng.randint(3, 7)))
        yield f"{maker.rng.choice(starts)} {words}?"
