"""Word-level text helpers shared by BM25, answers and evaluation."""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from .lexicon import STOPWORDS  # noqa: F401  (re-exported: textutil.STOPWORDS)

_LETTERS = re.compile(r"[a-z]+")
# What must never reach a terminal from a name (a file name, a document id, a path): C0/C1
# control characters (ESC sequences, newlines that fake extra lines), lone surrogates (a
# file name that is not UTF-8, which would also stop the print), line and paragraph
# separators and the bidirectional overrides that make a name read as another.
_UNSAFE_IN_NAME = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_WORD = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[^\W\d_]+", re.UNICODE)


def normalize_apostrophes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")


def letter_words(text: str) -> list[str]:
    """Lower-cased runs of ASCII letters only (no numbers): the corpus vocabulary's unit."""
    return _LETTERS.findall(normalize_apostrophes(text).lower())


def safe_name(name: object) -> str:
    """A name as it may be printed anywhere: each unsafe character becomes U+FFFD, as `ask`
    prints document text; one character stays one character."""
    return _UNSAFE_IN_NAME.sub("\ufffd", str(name))


def plural(n: int, word: str) -> str:
    """ "1 document", "1,024 chunks": counts in messages."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def words(text: str) -> list[str]:
    """Lower-cased words and numbers (commas inside numbers dropped)."""
    return [w.replace(",", "") for w in _WORD.findall(normalize_apostrophes(text).lower())]


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type hints
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:  # stemming helps recall but is not essential
        return None


def stem(word: str) -> str:
    stemmer = _stemmer()
    return stemmer.stemWord(word) if stemmer else word


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stop words."""
    return [w for w in words(text) if w not in STOPWORDS]


def bm25_tokens(text: str) -> list[str]:
    """The tokens BM25 indexes and queries with: stemmed content words."""
    stemmer = _stemmer()
    tokens = content_words(text)
    return stemmer.stemWords(tokens) if stemmer else tokens


class BoundedCache(OrderedDict):
    """A dict that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get(self, key: Any, default: Any = None) -> Any:
        try:  # another thread may evict the key between the lookup and the move
            self.move_to_end(key)
            return self[key]
        except KeyError:
            return default

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, value)
        if len(self) > self.size:
            self.popitem(last=False)


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def squad_normalize(text: str) -> str:
    """SQuAD's answer normalization: lower case, no punctuation, articles or extra spaces."""
    text = normalize_apostrophes(text).lower().translate(_PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD's token F1 between a predicted and a gold answer (both empty: 1.0)."""
    pred, ref = squad_normalize(prediction).split(), squad_normalize(gold).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum(min(pred.count(w), ref.count(w)) for w in set(pred) & set(ref))
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)
