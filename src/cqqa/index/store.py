"""The live index: one generation's files loaded (`Index`, `load`), the manifest read and
checked, and every file verified by its hash (small files each load, large ones sampled)."""

from __future__ import annotations

import bisect
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..bm25 import Bm25
from ..embedding import (
    ONNX_FILE,
    TOKENIZER_FILE,
    Encoder,
    ModelInfo,
    OnnxEncoder,
)
from ..errors import IndexProblem
from ..fileutil import hash_blocks, sha256_file
from ..records import Chunk, Document, Fact

FORMAT = 1


CURRENT = "CURRENT"


LOCK = ".lock"


VERIFIED = ".verified.json"


# The query encoder is optional: without it (or with a damaged copy) questions are
# encoded by sentence-transformers, with a note, instead of rebuilding the index.
OPTIONAL_FILES = (ONNX_FILE, TOKENIZER_FILE)


Note = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass(eq=False)  # compared by identity: per-index values (memo.PerIndex) key on it
class Index:
    """A loaded index; FAISS, BM25 and the encoder load on first use."""

    directory: Path
    manifest: dict[str, Any]
    documents: dict[str, Document]
    chunks: list[Chunk]
    embeddings: np.ndarray
    facts: list[Fact]
    sentences: list[tuple[str, int, int]]  # (doc, start, end) of every sentence
    sentence_embeddings: np.ndarray
    onnx_problem: str = field(default="", repr=False)  # why the ONNX export is not trusted
    hold: Any = field(default=None, repr=False)  # the shared lock that keeps the generation

    @property
    def model(self) -> dict[str, Any]:
        return self.manifest["model"]

    @cached_property
    def faiss(self) -> Any:
        import faiss

        index = faiss.read_index(str(self.directory / "faiss.index"))
        if hasattr(index, "nprobe"):
            index.nprobe = self.manifest["faiss"].get("nprobe", 16)
        return index

    @cached_property
    def bm25(self) -> Bm25:
        return Bm25(self.directory / "bm25")

    @cached_property
    def encoder(self) -> Encoder:
        return load_encoder(self.directory, self.model, problem=self.onnx_problem)

    def preload(self, encoder: Any = None, faiss: Any = None, bm25: Any = None) -> Index:
        """What a build (or the index a view is cut from) already holds: not loaded again."""
        for name, value in (("encoder", encoder), ("faiss", faiss), ("bm25", bm25)):
            if value is not None:
                self.__dict__[name] = value  # a cached_property's value lives here
        return self

    @property
    def has_onnx(self) -> bool:
        """Whether this generation holds a whole, verified ONNX export."""
        return not self.onnx_problem and all(
            (self.directory / name).is_file() for name in OPTIONAL_FILES
        )

    def sentence_text(self, i: int) -> str:
        doc, start, end = self.sentences[i]
        return self.documents[doc].text[start:end]

    def embedding_cache(self) -> dict[str, np.ndarray]:
        """Text key -> embedding for every chunk and sentence, so a rebuild embeds only news."""
        cache = {_text_key(c.text): row for c, row in zip(self.chunks, self.embeddings)}
        for i, row in enumerate(self.sentence_embeddings):
            cache[_text_key(self.sentence_text(i))] = row
        return cache

    def sentences_by_doc(self) -> dict[str, tuple[list[int], list[int]]]:
        """Per document, sentence starts in order and their positions in `sentences`."""
        return self._sentences_by_doc

    @cached_property
    def _sentences_by_doc(self) -> dict[str, tuple[list[int], list[int]]]:
        grouped: dict[str, list[tuple[int, int]]] = {}
        for i, (doc, start, _end) in enumerate(self.sentences):
            grouped.setdefault(doc, []).append((start, i))
        return {
            doc: ([s for s, _ in sorted(items)], [i for _, i in sorted(items)])
            for doc, items in grouped.items()
        }

    def sentence_around(self, doc: str, start: int, end: int) -> str:
        """The text of the sentence holding [start, end), or "" when none does."""
        starts, ids = self.sentences_by_doc().get(doc, ([], []))
        at = bisect.bisect_right(starts, start) - 1
        if at < 0:
            return ""
        _doc, s, e = self.sentences[ids[at]]
        return self.documents[doc].text[s:e] if end <= e else ""

    def facts_for(self, doc: str, start: int, end: int) -> list[Fact]:
        """Facts lying inside [start, end) of a document, in reading order."""
        return [f for f in self._facts_by_doc.get(doc, ()) if f.start >= start and f.end <= end]

    @cached_property
    def _facts_by_doc(self) -> dict[str, list[Fact]]:
        grouped: dict[str, list[Fact]] = {}
        for fact in self.facts:
            grouped.setdefault(fact.doc, []).append(fact)
        return grouped


def load_encoder(
    directory: Path, model: dict[str, Any], note: Note = _stderr, problem: str = ""
) -> Encoder:
    """The ONNX export when it is there, whole, and onnxruntime imports; sentence-transformers
    otherwise (`problem` says why the export cannot be trusted)."""
    from ..embedding import TorchEncoder

    if problem:
        note(f"{problem[:1].upper()}{problem[1:]}: encoding questions with sentence-transformers.")
    elif (directory / ONNX_FILE).is_file():
        try:
            return OnnxEncoder(directory, model.get("max_seq_length", 256))
        except ImportError:
            note("onnxruntime is not installed: encoding questions with sentence-transformers.")
        except Exception as exc:  # noqa: BLE001 - a broken export must not stop answers
            note(f"The ONNX encoder did not load ({exc}); using sentence-transformers.")
    else:
        note("The index has no ONNX encoder: encoding questions with sentence-transformers.")
    return TorchEncoder(ModelInfo(**model))


def indexed_hashes(index_dir: Path) -> set[str]:
    """sha256 of every document the current index was built from (none without one)."""
    found = read_manifest(index_dir)
    if found is None:
        return set()
    return {
        row["sha256"]
        for row in found[1].get("documents", {}).values()
        if isinstance(row, dict) and isinstance(row.get("sha256"), str)
    }


def read_manifest(index_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """The current generation and its manifest, or None when there is no usable one."""
    generation, manifest, _problem = _read_current(Path(index_dir))
    return (generation, manifest) if manifest is not None else None


def _read_current(index_dir: Path) -> tuple[Path | None, dict[str, Any] | None, str]:
    """(generation, manifest, "") or (None, None, what is wrong; "" when there is no index).

    CURRENT must be a regular file naming a `gen-*` folder right inside index_dir, and the
    manifest must be the one a build wrote: its checksum covers every other byte of it, so
    a flipped bit is a damaged index (rebuilt with a note), never a KeyError or a refusal
    that blames the model.
    """
    pointer = index_dir / CURRENT
    try:
        fd = os.open(pointer, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, None, ""
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, None, "CURRENT is a link, not the pointer file"
        return None, None, f"CURRENT cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None, None, "CURRENT is a folder, not the pointer file"
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(4096)
    try:
        name = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        name = ""
    if not _GENERATION.fullmatch(name):
        return None, None, "CURRENT does not name a generation folder in it"
    generation = index_dir / name
    if generation.is_symlink() or not generation.is_dir():
        return None, None, f"CURRENT names {name}, which is not there"
    try:
        manifest = json.loads((generation / "manifest.json").read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None, None, f"{name}/manifest.json is missing"
    except (OSError, ValueError, RecursionError):
        return None, None, f"{name}/manifest.json is damaged (not JSON)"
    problem = _manifest_problem(manifest)
    if problem:
        return None, None, f"{name}/manifest.json is damaged ({problem})"
    return generation, manifest, ""


_GENERATION = re.compile(r"gen-[0-9A-Za-z_-]{1,100}")


def _manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _manifest_problem(manifest: Any) -> str:
    """What makes a manifest unusable ("" when none): its checksum, then the types that
    the code reads without checking."""
    if not isinstance(manifest, dict):
        return "not an object"
    if manifest.get("format") != FORMAT:
        return f"format {manifest.get('format')!r}, not {FORMAT}"
    if manifest.get("checksum") != _manifest_checksum(manifest):
        return "its checksum does not match"
    model = manifest.get("model")
    if not isinstance(model, dict) or not all(
        isinstance(model.get(key), str) for key in ("name", "path", "sha256")
    ):
        return "no model"
    for key in ("files", "documents", "skipped", "chunking", "counts", "faiss"):
        if not isinstance(manifest.get(key), dict):
            return f"no {key}"
    if not all(isinstance(v, str) for v in manifest["files"].values()):
        return "a file without a hash"
    for key in ("documents", "skipped"):
        if not all(
            isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
            for entry in manifest[key].values()
        ):
            return f"a {key[:-1]} entry without a hash"
    return ""


def load(generation: Path, manifest: dict[str, Any], mmap: bool = False) -> Index:
    """Read one generation, checking every file against the manifest's hash.

    With `mmap`, the embeddings are mapped rather than read: a rebuild only copies rows
    out of them once.
    """
    mode = "r" if mmap else None
    hold = _Hold(generation)  # before anything is read: a build must not delete it now
    onnx_problem = _verify(generation, manifest.get("files", {}))
    try:
        documents = {
            d["id"]: Document(**d)
            for d in json.loads((generation / "documents.json").read_text("utf-8"))
        }
        chunks = _records(Chunk, json.loads((generation / "chunks.json").read_text("utf-8")))
        facts = _records(Fact, json.loads((generation / "facts.json").read_text("utf-8")))
        embeddings = np.load(generation / "embeddings.npy", mmap_mode=mode, allow_pickle=False)
        rows = json.loads((generation / "sentences.json").read_text("utf-8"))
        sentences = [tuple(s) for s in rows]
        sentence_embeddings = np.load(
            generation / "sentence_embeddings.npy", mmap_mode=mode, allow_pickle=False
        )
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexProblem(f"the index at {generation} cannot be read ({exc})") from None
    if embeddings.shape[0] != len(chunks) or sentence_embeddings.shape[0] != len(sentences):
        raise IndexProblem("the index's embeddings and chunks disagree")
    return Index(
        generation,
        manifest,
        documents,
        chunks,
        embeddings,
        facts,
        sentences,
        sentence_embeddings,
        onnx_problem=onnx_problem or "",
        hold=hold,
    )


def _records(cls: type, rows: list[dict[str, Any]]) -> list[Any]:
    """Frozen dataclass records from JSON rows, about 3x faster than `cls(**row)`.

    A frozen dataclass's __init__ sets each field through object.__setattr__; rows this
    module wrote (and whose hash was checked) only need their dict. Rows with other keys
    go through __init__, which rejects them.
    """
    names = set(cls.__dataclass_fields__)
    if getattr(cls, "__post_init__", None) or hasattr(cls, "__slots__"):
        return [cls(**row) for row in rows]
    out = []
    new = object.__new__
    for row in rows:
        if row.keys() != names:
            return [cls(**row) for row in rows]
        record = new(cls)
        record.__dict__.update(row)
        out.append(record)
    return out


# Index files up to this size are hashed in full on every load (the article's whole
# index but the ONNX export is under 0.7 MB: about 2 ms). Larger ones are hashed in full
# when their (size, mtime, ctime, inode) signature changed, and otherwise have
# SAMPLED_BLOCKS random blocks of BLOCK_BYTES checked against block checksums recorded when
# they last passed in full: a cold `cqqa ask` reads about 2 MB of the 90 MB export, and a
# flipped byte in it is found in a bounded number of loads (and at once by `cqqa index`).
# Cost measured by `make bench` (benchmarks/run.py, "index check on load").
SMALL_FILE_BYTES = 4 * 2**20


BLOCK_BYTES = 2**20


SAMPLED_BLOCKS = 2


def _verify(generation: Path, files: dict[str, str], full: bool = False) -> str:
    """Check each file against its sha256; raise for a required file, describe an optional one.

    Small files are always hashed; a large one is sampled when its signature is the one it
    had when it last passed in full (see SMALL_FILE_BYTES), or with `full` hashed again.
    """
    seen = _read_verified(generation)
    passed: dict[str, Any] = {}
    problem = ""
    for name, expected in files.items():
        path = generation / name
        optional = name in OPTIONAL_FILES
        try:
            info = path.stat()
        except OSError:
            if optional:
                problem = problem or f"the ONNX encoder is missing ({name})"
                continue
            raise IndexProblem(f"the index file {name} is missing") from None
        signature = [expected, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        before = seen.get(name)
        try:
            if info.st_size <= SMALL_FILE_BYTES:
                good, record = sha256_file(path) == expected, None
            elif not full and _sampled_record(before, signature):
                good, record = _sample_ok(path, before["blocks"]), before
            else:
                actual, blocks = hash_blocks(path, BLOCK_BYTES)
                good, record = actual == expected, {"signature": signature, "blocks": blocks}
        except OSError:
            raise IndexProblem(f"the index file {name} is missing") from None
        if not good:
            if optional:
                problem = problem or f"the ONNX encoder is damaged ({name}'s hash changed)"
                continue
            raise IndexProblem(f"the index file {name} is damaged (its hash changed)")
        if record is not None:
            passed[name] = record
    if passed != seen:
        _write_verified(generation, passed)
    return problem


def _sampled_record(record: Any, signature: list) -> bool:
    return (
        isinstance(record, dict)
        and record.get("signature") == signature
        and isinstance(record.get("blocks"), list)
        and len(record["blocks"]) == -(-signature[1] // BLOCK_BYTES)
    )


def _sample_ok(path: Path, blocks: list[int]) -> bool:
    """SAMPLED_BLOCKS random blocks of the file match their recorded checksums."""
    import random
    import zlib

    with open(path, "rb") as handle:
        for i in random.sample(range(len(blocks)), min(SAMPLED_BLOCKS, len(blocks))):
            handle.seek(i * BLOCK_BYTES)
            if zlib.crc32(handle.read(BLOCK_BYTES)) != blocks[i]:
                return False
    return True


def _read_verified(generation: Path) -> dict[str, list]:
    try:
        seen = json.loads((generation / VERIFIED).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return seen if isinstance(seen, dict) else {}


def _write_verified(generation: Path, passed: dict[str, list]) -> None:
    """Remember what passed; best effort, since a read-only index must still load."""
    temporary = generation / f"{VERIFIED}.{os.getpid()}"
    with contextlib.suppress(OSError):
        temporary.write_text(json.dumps(passed), encoding="utf-8")
        os.replace(temporary, generation / VERIFIED)
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)


def _row(record: Any) -> dict[str, Any]:
    """A flat record as JSON data: `vars`, not `asdict`, which is ~10x slower per record."""
    return vars(record)


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class _Hold:
    """A shared lock on a generation folder while an Index reads it: a build deletes an old
    generation only when it can lock it exclusively, so a reader (a running `cqqa ask`, the
    web app) never loses the files it has still to read."""

    def __init__(self, generation: Path) -> None:
        self.fd: int | None = None
        with contextlib.suppress(OSError):
            self.fd = os.open(generation, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(self.fd, fcntl.LOCK_SH)

    def __del__(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
