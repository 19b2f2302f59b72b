"""Settings: defaults, overridden by CQQA_* environment variables, overridden by CLI flags."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError

RETRIEVERS = ("hybrid", "dense", "bm25")
MIN_K, MAX_K = 1, 100  # passages a question may ask for
MIN_CHUNK_CHARS = 50


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    model: str = ""  # a local sentence-transformers directory; "" = the packaged all-MiniLM-L6-v2
    chunk_sentences: int = 3  # sentences per chunk
    chunk_overlap: int = 1  # sentences shared by neighbouring chunks
    chunk_max_chars: int = 1200  # a longer sentence is split at whitespace
    k: int = 5
    retriever: str = "hybrid"
    rrf_k: int = 60  # reciprocal rank fusion constant (Cormack et al. 2009)
    max_question_chars: int = 2000
    host: str = "127.0.0.1"
    port: int = 7860
    # "user:password" turns on the web app's login; from CQQA_AUTH only (a flag would show
    # the password in `ps`). Kept out of repr so printing Settings never shows it.
    auth: str = field(default="", repr=False)
    # 1 shows the web chat's "Add documents" control (CQQA_UPLOADS=1): off by default, since
    # anyone who reaches the page could then write files into the corpus folder.
    uploads: int = 0

    def __post_init__(self) -> None:
        check_retriever(self.retriever)
        object.__setattr__(self, "k", check_k(self.k))  # Settings(k="5") holds 5
        if self.chunk_sentences < 1 or not 0 <= self.chunk_overlap < self.chunk_sentences:
            raise InputError(
                "Chunking needs chunk_sentences >= 1 and 0 <= chunk_overlap < chunk_sentences "
                f"(got {self.chunk_sentences} and {self.chunk_overlap})."
            )
        # A tiny limit cuts every word apart (and 0 never finished): ask for something sane.
        if self.chunk_max_chars < MIN_CHUNK_CHARS:
            raise InputError(
                f"chunk_max_chars must be at least {MIN_CHUNK_CHARS}, not {self.chunk_max_chars} "
                "(the default is 1200)."
            )
        if self.max_question_chars < 1:
            raise InputError(
                f"max_question_chars must be at least 1, not {self.max_question_chars}."
            )
        if self.rrf_k < 0:  # 1 / (rrf_k + rank) must stay positive and finite
            raise InputError(f"rrf_k must be 0 or more, not {self.rrf_k} (the default is 60).")
        if not 0 <= self.port <= 65535:
            raise InputError(f"port must be between 0 and 65535, not {self.port}.")
        _login(self.auth)
        if self.uploads not in (0, 1):
            raise InputError(f"uploads must be 0 or 1 (CQQA_UPLOADS=1), not {self.uploads}.")

    @property
    def login(self) -> tuple[str, str] | None:
        """(user, password) from `auth`, or None when the app is open to anyone it serves."""
        return _login(self.auth)

    def with_overrides(self, **overrides: Any) -> Settings:
        """Apply CLI flags; None means 'not given'."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **_coerce(given))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **defaults: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = dict(defaults)
        for f in fields(cls):
            raw = env.get(f"CQQA_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = raw
        # Short aliases people expect.
        for alias, name in (("CQQA_CORPUS", "corpus_dir"), ("CQQA_INDEX", "index_dir")):
            if env.get(alias):
                values[name] = env[alias]
        return cls(**_coerce(values))


def check_k(value: Any) -> int:
    """k (passages to return) from any caller, accepted as the CLI accepts `-k`: a whole
    number from 1 to 100 (an integral float such as 5.0, or its digits as text); never
    true/false, 5.7, Infinity, null or a list. The one definition of a valid k: Settings,
    `answer()`, the Assistant and the web API all call it, so each says the same thing."""
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 20:
        value = int(value)
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise InputError(f"k must be a whole number of passages, not {shown}.")
    if not MIN_K <= value <= MAX_K:  # before any message prints it: a 5,000-digit k cannot be
        shown = f"{value:,}" if abs(value) < 10**15 else "a number that large"
        raise InputError(f"k must be between {MIN_K} and {MAX_K}, not {shown}.")
    return value


def check_history(history: Any) -> tuple:
    """The conversation's earlier questions, oldest first: a list (or tuple), never one string."""
    if history is None:
        return ()
    if isinstance(history, str) or not isinstance(history, Sequence):
        raise InputError("history must be a list of the earlier questions, oldest first.")
    return tuple(history)


def check_retriever(name: Any) -> str:
    if name not in RETRIEVERS:
        raise InputError(f"Unknown retriever {name!r}: choose one of {', '.join(RETRIEVERS)}.")
    return name


def _login(auth: str) -> tuple[str, str] | None:
    """Split "user:password" at its first colon; the message never repeats the value."""
    if not auth:
        return None
    user, colon, password = auth.partition(":")
    if not colon or not user or user != user.strip() or not password:
        raise InputError(
            "CQQA_AUTH must be user:password, a user name without ':' or surrounding "
            "spaces and a password that is not empty (e.g. CQQA_AUTH=alice:long-secret). "
            "Unset it to serve without a login."
        )
    return user, password


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    types = {f.name: f.type for f in fields(Settings)}
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = types[name]
        try:
            if kind in ("Path", Path):
                out[name] = Path(value)
            elif kind in ("int", int):
                out[name] = int(value)
            else:
                out[name] = str(value)
        except ValueError:
            raise InputError(f"Setting {name} must be a whole number, not {value!r}.") from None
    return out
