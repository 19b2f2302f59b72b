"""Build, save, load and check everything under index/.

Layout: index/CURRENT names a generation folder (index/gen-*/) holding the
manifest, documents, chunks, facts, embeddings, the FAISS and BM25 indexes and
the ONNX query encoder. A build writes a new generation and then replaces
CURRENT atomically, so a build killed at any point leaves the old index whole.
Every file's sha256 is in the manifest, which carries a checksum of itself. On
load the small files are hashed every time; a large one (the 90 MB export) is
hashed in full only when its size, mtime, ctime or inode differ from those in
`.verified.json`, and otherwise sampled block by block (see SMALL_FILE_BYTES).
A loaded generation is held with a shared lock, and builds delete only the
generations nobody holds.

A rebuild does only the work a change needs: a document whose bytes, chunking
settings and chunking/facts/tokenizing code are unchanged keeps its chunks,
sentences, facts, BM25 terms, embeddings and IVF list assignments; only the
other documents are chunked, embedded and tokenized again (see `build`).
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .bm25 import Bm25, Terms, TermsBuilder
from .bm25 import save as save_bm25
from .chunking import chunk_document, split_sentences
from .config import Settings
from .corpus import fingerprint, read_corpus
from .embedding import (
    ONNX_FILE,
    TOKENIZER_FILE,
    Encoder,
    ModelInfo,
    OnnxEncoder,
    resolve_model,
)
from .errors import CqqaError, IndexProblem
from .fileutil import fsync, hash_blocks, sha256_file, write_json
from .formats import page_at
from .multilingual import multilingual_info
from .reader import reader_info
from .records import Chunk, Document, Fact
from .textutil import plural, safe_name

FORMAT = 1
CURRENT = "CURRENT"
LOCK = ".lock"
VERIFIED = ".verified.json"
# The query encoder is optional: without it (or with a damaged copy) questions are
# encoded by sentence-transformers, with a note, instead of rebuilding the index.
OPTIONAL_FILES = (ONNX_FILE, TOKENIZER_FILE)
# Above this many chunks FAISS searches an IVF index instead of scanning them all.
# benchmarks/run.py measures both: an exact scan costs 0.07-0.09 ms per 1,000 chunks
# here (about half a query encode at 50,000; 6-9 ms at 100,000), the IVF index about
# 1.5 ms at 100,000 with recall@10 0.99 (benchmarks/RESULTS.md).
APPROXIMATE_FROM = 50_000
IVF_LISTS = "ivf_lists.npy"  # each chunk's IVF list, so a rebuild adds without searching
IVF_CODES = "sq8"  # how the IVF index stores vectors: 8-bit scalar quantized

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
    from .embedding import TorchEncoder

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


# ---------------------------------------------------------------- staleness


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


def stale_reasons(settings: Settings, manifest: dict[str, Any] | None) -> list[str]:
    """Why the index no longer matches the corpus, model or settings (empty when current)."""
    if manifest is None:
        _gen, _manifest, problem = _read_current(Path(settings.index_dir))
        if problem:  # there was one: say what broke
            return [f"the index in {safe_name(settings.index_dir)} is unreadable ({problem})"]
        return ["there is no index yet"]
    reasons = []
    if manifest.get("cqqa_version") != __version__:
        reasons.append(f"it was built by cqqa {manifest.get('cqqa_version')}")
    model = resolve_model(settings.model, known=manifest.get("model"))
    if model.sha256 != manifest["model"]["sha256"]:
        reasons.append("the embedding model changed")
    reader = reader_info(known=manifest.get("reader"))
    recorded = manifest.get("reader") if isinstance(manifest.get("reader"), dict) else {}
    if (reader.sha256, reader.answerability_sha256) != (
        recorded.get("sha256"),
        recorded.get("answerability_sha256"),
    ):
        reasons.append("the reader model changed")
    # The second encoder (questions in other languages) is recorded like the first.
    second = manifest.get("multilingual") if isinstance(manifest.get("multilingual"), dict) else {}
    now_info = multilingual_info(known=second)
    if now_info and _hashes(now_info) != _hashes(second):
        reasons.append("the multilingual encoder changed")
    if manifest.get("chunking") != _chunking(settings):
        reasons.append("the chunking settings changed")
    elif manifest.get("code") != _code(settings):
        # An upgrade that reads numbers or sentences differently: the stored facts and
        # chunks are rebuilt (embeddings of unchanged texts are reused).
        reasons.append("cqqa's chunking, facts or search code changed")
    before = {**manifest.get("documents", {}), **manifest.get("skipped", {})}
    before = {doc: entry["sha256"] for doc, entry in before.items()}
    now = fingerprint(settings.corpus_dir)
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    changed = sorted(d for d in set(now) & set(before) if now[d] != before[d])
    for label, ids in (("added", added), ("changed", changed), ("removed", removed)):
        if ids:
            shown = ", ".join(safe_name(i) for i in ids[:3])
            reasons.append(f"{plural(len(ids), 'document')} {label} ({shown})")
    return reasons


def _hashes(info: dict[str, Any]) -> dict[str, Any]:
    files = info.get("files") if isinstance(info.get("files"), dict) else {}
    return {name: (e or {}).get("sha256") for name, e in files.items() if isinstance(e, dict)}


def open_index(settings: Settings, note: Note = _stderr, check: bool = True) -> Index:
    """The index for these settings, built or rebuilt first when missing, stale or damaged.

    A missing or damaged ONNX export (listed in the manifest) counts as damage: the rebuild
    exports it again and reuses everything else, instead of every later question waiting
    for torch. A generation that vanishes while it is read was replaced by a concurrent
    build: the new one is read instead.
    """
    index_dir = Path(settings.index_dir)
    for _attempt in range(3):
        found = read_manifest(index_dir)
        reasons = stale_reasons(settings, found[1] if found else None) if check else []
        if not found or reasons:
            break
        try:
            index = load(found[0], found[1])
        except IndexProblem as exc:
            now = read_manifest(index_dir)
            if now is not None and now[0] != found[0]:
                continue  # a build switched generations under us: read the new one
            reasons = [str(exc)]
            break
        problem = index.onnx_problem
        if not problem:
            return index
        reasons = [problem]
        break
    if not found and not check:
        reasons = ["there is no index yet"]
    if not reasons:  # three generations vanished while being read: builds keep switching
        reasons = ["the index changed while it was read"]
    note(f"Building the index: {'; '.join(reasons)}.")
    return build(settings, note=note)


def verify_problems(settings: Settings) -> list[str]:
    """Every file of the current generation hashed in full (`cqqa index` runs this when the
    index otherwise looks current): what a damaged file would make `ask` rebuild."""
    found = read_manifest(settings.index_dir)
    if not found:
        return []
    try:
        problem = _verify(found[0], found[1]["files"], full=True)
    except IndexProblem as exc:
        return [str(exc)]
    return [problem] if problem else []


# ---------------------------------------------------------------- load


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


# ---------------------------------------------------------------- build


@dataclass
class _Parts:
    """What one document contributes to the index, in document order."""

    document: Document
    chunks: list[Chunk]
    sentences: list[tuple[str, int, int]]
    facts: list[Fact]
    # Rows of the previous generation to copy (None: computed in this build).
    chunk_rows: tuple[int, int] | None = None
    sentence_rows: tuple[int, int] | None = None


def build(
    settings: Settings,
    note: Note = _stderr,
    progress: bool = False,
    encoder: Encoder | None = None,
) -> Index:
    """Build a new generation beside the current one and switch to it atomically.

    `encoder` replaces the model of the settings (it must carry its own `info`, a
    ModelInfo): the tests' small fake encoder builds a real index in a fraction of a second.

    Documents unchanged since the previous generation (same bytes, same model, same
    chunking settings and code) are copied from it instead of being processed again;
    `manifest["build"]` says how many texts were embedded and where the time went.
    """
    index_dir = Path(settings.index_dir)
    timer = _Timer()
    with _locked(index_dir):
        previous = _previous(index_dir)
        timer.lap("load previous")
        # The hashes of the bytes that were decoded, not of the files read again later.
        derivation = _derivation(settings)
        documents, prints = read_corpus(
            settings.corpus_dir, warn=note, known=_known_texts(previous, derivation)
        )
        documents_by_id = {d.id: d for d in documents}
        skipped = {doc: sha for doc, sha in prints.items() if doc not in documents_by_id}
        if encoder is not None:
            model = encoder.info
        else:
            model = resolve_model(settings.model, known=previous.model if previous else None)
        timer.lap("read corpus")
        same_model = previous is not None and previous.model["sha256"] == model.sha256
        old = _Reusable.of(previous, derivation) if same_model else None
        parts = [_parts(d, settings, old, prints.get(d.id, "")) for d in documents]
        chunks = [c for p in parts for c in p.chunks]
        sentences = [s for p in parts for s in p.sentences]
        facts = [f for p in parts for f in p.facts]
        reprocessed = sum(p.chunk_rows is None for p in parts)
        timer.lap("chunk, split, facts")
        generation = _new_generation(index_dir)
        hasher = _Hasher(generation)
        try:
            generation.mkdir(parents=True)
            embeddings, sentence_embeddings, stats, linked, loaded = _embed(
                parts, model, previous, old, generation, note, progress, timer, encoder
            )
            hasher.known.update(linked)
            faiss_info, faiss_index = _write_faiss(
                embeddings, generation, previous, old, parts, timer
            )
            faiss_info["reused_embeddings"] = stats["reused"]
            hasher.start_new()
            _write_bm25(parts, generation / "bm25", old)
            hasher.start_new()
            timer.lap("bm25")
            np.save(generation / "embeddings.npy", embeddings, allow_pickle=False)
            np.save(generation / "sentence_embeddings.npy", sentence_embeddings, allow_pickle=False)
            hasher.start_new()
            write_json(generation / "documents.json", [_row(d) for d in documents])
            write_json(generation / "chunks.json", [_row(c) for c in chunks])
            write_json(generation / "facts.json", [_row(f) for f in facts])
            write_json(generation / "sentences.json", sentences)
            timer.lap("write")
            files = hasher.all()
            timer.lap("hash")  # what writing did not overlap
            manifest = {
                "format": FORMAT,
                "cqqa_version": __version__,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "model": model.to_dict(),
                "reader": reader_info().to_dict(),
                "multilingual": multilingual_info(
                    known=previous.manifest.get("multilingual") if previous else None
                ),
                "chunking": _chunking(settings),
                "derivation": derivation,
                "code": _code(settings),
                "faiss": faiss_info,
                "documents": {
                    d.id: {
                        "sha256": prints.get(d.id, ""),
                        "path": d.path,
                        "title": d.title,
                        "chars": len(d.text),
                        "format": d.format,
                        "pages": len(d.pages) if d.pages else None,
                        "added": _added(previous, d.id, prints.get(d.id, "")),
                    }
                    for d in documents
                },
                "skipped": {doc: {"sha256": sha} for doc, sha in skipped.items()},
                "counts": {"documents": len(documents), "chunks": len(chunks), "facts": len(facts)},
                "build": {
                    **stats,
                    "documents_reprocessed": reprocessed,
                    "documents_reused": len(documents) - reprocessed,
                    "seconds": timer.seconds,
                },
                "files": files,
            }
            manifest["checksum"] = _manifest_checksum(manifest)
            write_json(generation / "manifest.json", manifest)
            for path in files:
                fsync(generation / path)
            fsync(generation)
            _switch(index_dir, generation, note)
            timer.lap("fsync, switch")
        except OSError as exc:
            shutil.rmtree(generation, ignore_errors=True)
            raise cannot_write(index_dir, exc) from None
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        finally:
            hasher.close()
        _remove_old_generations(index_dir, keep={generation.name, previous_name(previous)})
        # After the old generations are gone: removing a hard link changes the ctime.
        blocks = {**_previous_blocks(previous, linked), **hasher.blocks()}
        _write_verified(generation, _large_records(generation, files, blocks))
    index = Index(
        generation,
        manifest,
        documents_by_id,
        chunks,
        embeddings,
        facts,
        sentences,
        sentence_embeddings,
    )
    # What this build loaded serves the new index too: nothing is loaded twice.
    index.preload(
        encoder=loaded if isinstance(loaded, OnnxEncoder) or encoder is not None else None,
        faiss=faiss_index,
    )
    note(
        f"Indexed {plural(len(documents), 'document')}, {plural(len(chunks), 'chunk')}, "
        f"{plural(len(facts), 'numeric fact')} ({plural(stats['reused'], 'embedding')} "
        f"reused, {stats['embedded']:,} computed) in {safe_name(index_dir)}/."
    )
    return index


def _previous_blocks(previous: Index | None, linked: dict[str, str]) -> dict[str, list[int]]:
    """Block checksums of the files linked from the previous generation, as it recorded them."""
    if previous is None:
        return {}
    seen = _read_verified(previous.directory)
    out = {}
    for name, sha in linked.items():
        record = seen.get(name)
        if isinstance(record, dict) and record.get("signature", [None])[0] == sha:
            out[name] = record.get("blocks")
    return out


def _large_records(
    generation: Path, files: dict[str, str], blocks: dict[str, list[int]]
) -> dict[str, Any]:
    """`.verified.json` for a new generation: each large file's signature and blocks."""
    out = {}
    for name, sha in files.items():
        with contextlib.suppress(OSError):
            info = (generation / name).stat()
            signature = [sha, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
            record = {"signature": signature, "blocks": blocks.get(name)}
            if info.st_size > SMALL_FILE_BYTES and _sampled_record(record, signature):
                out[name] = record
    return out


def _new_generation(index_dir: Path) -> Path:
    """A folder name no other build uses: two builds may start within the same second."""
    stem = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    generation, n = index_dir / stem, 1
    while generation.exists():
        n += 1
        generation = index_dir / f"{stem}-{n}"
    return generation


def previous_name(previous: Index | None) -> str:
    return previous.directory.name if previous else ""


def _previous(index_dir: Path) -> Index | None:
    found = read_manifest(index_dir)
    if not found:
        return None
    try:
        return load(*found, mmap=True)
    except CqqaError:
        return None


class _Hasher:
    """sha256 of each file as soon as it is written, on two threads: hashlib and file reads
    release the GIL, so hashing a large index overlaps with writing the rest of it."""

    def __init__(self, generation: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.generation = generation
        self.known: dict[str, str] = {}  # hard-linked files whose hash is already known
        self._pool = ThreadPoolExecutor(max_workers=2)
        self._pending: dict[str, Any] = {}

    def start_new(self) -> None:
        """Start hashing every file written since the last call."""
        for path in self.generation.rglob("*"):
            name = path.relative_to(self.generation).as_posix()
            if name not in self._pending and name not in self.known and path.is_file():
                self._pending[name] = self._pool.submit(hash_blocks, path, BLOCK_BYTES)

    def all(self) -> dict[str, str]:
        """name -> sha256 of every file in the generation, in name order."""
        self.start_new()
        found = {**self.known, **{name: f.result()[0] for name, f in self._pending.items()}}
        return dict(sorted(found.items()))

    def blocks(self) -> dict[str, list[int]]:
        """name -> block checksums of the files this build wrote (see SMALL_FILE_BYTES)."""
        return {name: f.result()[1] for name, f in self._pending.items()}

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _Timer:
    """Seconds per build phase, recorded in the manifest: what dominates a rebuild."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = round(self.seconds.get(phase, 0.0) + now - self._last, 4)
        self._last = now


@dataclass
class _Reusable:
    """The previous generation's per-document row ranges, when its rows may be copied."""

    index: Index
    chunk_rows: dict[str, tuple[int, int]]
    sentence_rows: dict[str, tuple[int, int]]
    fact_rows: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, previous: Index | None, derivation: str) -> _Reusable | None:
        """None unless the previous rows were made exactly as this build would make them."""
        if previous is None or previous.manifest.get("derivation") != derivation:
            return None
        ranges = [
            _ranges([c.doc for c in previous.chunks]),
            _ranges([s[0] for s in previous.sentences]),
            _ranges([f.doc for f in previous.facts]),
        ]
        if any(r is None for r in ranges):
            return None
        return cls(previous, *ranges)

    def unchanged(self, doc: str, sha256: str) -> bool:
        entry = self.index.manifest.get("documents", {}).get(doc)
        return (
            bool(sha256)
            and entry is not None
            and entry.get("sha256") == sha256
            and (doc in self.chunk_rows and doc in self.sentence_rows)
        )


def _ranges(keys: list[str]) -> dict[str, tuple[int, int]] | None:
    """key -> [start, end) of its run; None when a key's rows are not contiguous."""
    out: dict[str, tuple[int, int]] = {}
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] in out:
                return None
            out[keys[start]] = (start, i)
            start = i
    return out


def _parts(document: Document, settings: Settings, old: _Reusable | None, sha256: str) -> _Parts:
    if old is not None and old.unchanged(document.id, sha256):
        a, b = old.chunk_rows[document.id]
        c, d = old.sentence_rows[document.id]
        e, f = old.fact_rows.get(document.id, (0, 0))
        index = old.index
        return _Parts(
            document, index.chunks[a:b], index.sentences[c:d], index.facts[e:f], (a, b), (c, d)
        )
    from .facts import extract_facts

    chunks = chunk_document(
        document, settings.chunk_sentences, settings.chunk_overlap, settings.chunk_max_chars
    )
    sentences = [
        (document.id, start, end)
        for start, end in split_sentences(document.text, settings.chunk_max_chars)
    ]
    facts = extract_facts(document.text, document.id)
    if document.pages:  # each chunk and fact knows its page (pages.py fills the rest)
        chunks = [replace(c, page=page_at(document.pages, c.start)) for c in chunks]
        facts = [replace(f, page=page_at(document.pages, f.start)) for f in facts]
    return _Parts(document, chunks, sentences, facts)


def _parser_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in ("pypdf", "trafilatura", "beautifulsoup4", "python-docx", "lxml"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = ""
    return versions


def _known_texts(previous: Index | None, derivation: str) -> dict[str, Document]:
    """sha256 of a PDF/HTML/Word file's bytes -> the document the previous build read from
    them, when it was read by the same code: parsing is not repeated for unchanged files."""
    if previous is None or previous.manifest.get("derivation") != derivation:
        return {}
    rows = previous.manifest.get("documents", {})
    return {
        rows[doc]["sha256"]: d
        for doc, d in previous.documents.items()
        if d.format not in ("", "text") and rows.get(doc, {}).get("sha256")
    }


def _added(previous: Index | None, doc: str, sha256: str) -> str:
    """When a document first entered the index (kept across rebuilds while its bytes stay)."""
    row = previous.manifest.get("documents", {}).get(doc, {}) if previous else {}
    if row.get("added") and row.get("sha256") == sha256:
        return row["added"]
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def _code(settings: Settings) -> str:
    """cqqa's own code that chunks, reads facts and indexes terms, with its settings: a change
    makes the index stale (checked on every load, so no package metadata is read here)."""
    from . import bm25, chunking, facts, formats, textutil

    digest = hashlib.sha256(json.dumps([__version__, _chunking(settings)], sort_keys=True).encode())
    for module in (chunking, facts, textutil, bm25, formats):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _derivation(settings: Settings) -> str:
    """What a document's chunks, sentences, facts and BM25 terms depend on besides its bytes:
    the code, and the parsers' versions for a PDF, HTML or Word file's text (a new parser is
    noticed by the next build, which reads those files again)."""
    digest = hashlib.sha256(_code(settings).encode())
    digest.update(json.dumps(_parser_versions()).encode())
    return digest.hexdigest()


def _embed(
    parts: list[_Parts],
    model: ModelInfo,
    previous: Index | None,
    old: _Reusable | None,
    generation: Path,
    note: Note,
    progress: bool,
    timer: _Timer,
    given: Encoder | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, int], dict[str, str], Encoder | None]:
    """Chunk and sentence embeddings: copied for unchanged documents, looked up by text
    for the others, and computed only for texts no earlier build embedded with this model.

    Also puts the ONNX export in the generation (hard-linked from the previous one when
    the weights are the same). Returns the arrays, counts, hashes of linked files, and the
    encoder it loaded, if any.
    """
    same_model = previous is not None and previous.model["sha256"] == model.sha256
    n_chunks = sum(len(p.chunks) for p in parts)
    n_sentences = sum(len(p.sentences) for p in parts)
    pending: list[tuple[int, int, str]] = []  # (0 chunk | 1 sentence, row, text)
    copies: list[tuple[int, int, int, int]] = []  # (row, old start, old end, 0|1)
    chunk_row = sentence_row = 0
    for p in parts:
        if p.chunk_rows is not None and p.sentence_rows is not None:
            copies.append((chunk_row, *p.chunk_rows, 0))
            copies.append((sentence_row, *p.sentence_rows, 1))
        else:
            text = p.document.text
            pending.extend((0, chunk_row + i, c.text) for i, c in enumerate(p.chunks))
            pending.extend(
                (1, sentence_row + i, text[a:b]) for i, (_, a, b) in enumerate(p.sentences)
            )
        chunk_row += len(p.chunks)
        sentence_row += len(p.sentences)
    cache: dict[str, np.ndarray] = {}
    if same_model and pending:
        copied = {p.document.id for p in parts if p.chunk_rows is not None}
        cache = _old_embeddings(previous, old, copied)
    todo = list(dict.fromkeys(t for _, _, t in pending if _text_key(t) not in cache))
    linked: dict[str, str] = {}
    encoder: Encoder | None = given
    if given is not None:
        pass  # an encoder of the caller's: no ONNX export in this generation
    elif same_model and previous.has_onnx:
        # The previous export is the same weights: link it and never import torch.
        for name in OPTIONAL_FILES:
            _link_or_copy(previous.directory / name, generation / name)
            linked[name] = previous.manifest["files"][name]
        encoder = previous.encoder if todo else None
    else:
        encoder = _export(model, generation, note, progress, bulk=bool(todo))
    timer.lap("load encoder")
    if todo:
        vectors = encoder.encode(todo, progress=progress)
        cache.update((_text_key(t), v) for t, v in zip(todo, vectors))
    dim = (
        previous.embeddings.shape[1]
        if same_model
        else (vectors.shape[1] if todo else getattr(encoder, "dim", 384))
    )
    # Every row is either copied or looked up below, so no need to zero the arrays.
    chunk_vectors = np.empty((n_chunks, dim), dtype=np.float32)
    sentence_vectors = np.empty((n_sentences, dim), dtype=np.float32)
    targets = (chunk_vectors, sentence_vectors)
    if copies:
        sources = (previous.embeddings, previous.sentence_embeddings)
        for which in (0, 1):
            for row, a, b in _merged((row, a, b) for row, a, b, w in copies if w == which):
                targets[which][row : row + b - a] = sources[which][a:b]
    for which, row, text in pending:
        targets[which][row] = cache[_text_key(text)]
    timer.lap("embed")
    total = n_chunks + n_sentences
    return (
        chunk_vectors,
        sentence_vectors,
        {"embedded": len(todo), "reused": total - len(todo)},
        linked,
        encoder,
    )


def _merged(spans: Iterator[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(new row, old start, old end) spans with neighbours joined: a few large copies
    instead of one per document."""
    out: list[tuple[int, int, int]] = []
    for row, a, b in spans:
        if out and out[-1][0] + out[-1][2] - out[-1][1] == row and out[-1][2] == a:
            out[-1] = (out[-1][0], out[-1][1], b)
        elif b > a:
            out.append((row, a, b))
    return out


def _old_embeddings(
    previous: Index, old: _Reusable | None, copied: set[str]
) -> dict[str, np.ndarray]:
    """Text key -> previous embedding, for texts of documents that changed or went away.

    A document that did not change is copied row by row and needs no lookup; with no
    per-document reuse every previous text is a candidate.
    """
    if old is None:
        return previous.embedding_cache()
    cache: dict[str, np.ndarray] = {}
    for doc, (a, b) in old.chunk_rows.items():
        if doc not in copied:
            for chunk, row in zip(previous.chunks[a:b], previous.embeddings[a:b]):
                cache[_text_key(chunk.text)] = row
    for doc, (a, b) in old.sentence_rows.items():
        if doc not in copied:
            for i in range(a, b):
                cache[_text_key(previous.sentence_text(i))] = previous.sentence_embeddings[i]
    return cache


def _export(model: ModelInfo, generation: Path, note: Note, progress: bool, bulk: bool) -> Encoder:
    """Load sentence-transformers, export the ONNX query encoder, and return the fastest
    encoder for the corpus: the export itself when it loads (same vectors, about twice
    as fast on this CPU), torch otherwise."""
    from .embedding import TorchEncoder

    if progress:
        note("Loading the embedding model…")
    encoder = TorchEncoder(model)
    try:
        encoder.export_onnx(generation)
    except Exception as exc:  # noqa: BLE001 - the torch path still answers
        note(f"Could not export the ONNX query encoder ({exc}); questions will use torch.")
        for name in OPTIONAL_FILES:
            (generation / name).unlink(missing_ok=True)
        return encoder
    if bulk:
        with contextlib.suppress(Exception):
            return OnnxEncoder(generation, model.max_seq_length)
    return encoder


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_faiss(
    embeddings: np.ndarray,
    generation: Path,
    previous: Index | None,
    old: _Reusable | None,
    parts: list[_Parts],
    timer: _Timer,
) -> tuple[dict, Any]:
    """A flat inner-product index, or above APPROXIMATE_FROM an IVF one (also returned).

    The IVF index stores 8-bit codes (a quarter of the float32 bytes a query must read);
    `retrieve.dense_search` re-scores its candidates with the float32 embeddings, so the
    ranking and scores it returns are exact. A rebuild keeps the previous trained lists
    and codebook while the list count stays within a factor of two of the ideal, and each
    unchanged chunk's list, so it neither trains nor searches the quantizer for the whole
    corpus.
    """
    import faiss

    n, dim = embeddings.shape
    info: dict[str, Any] = {}
    if n >= APPROXIMATE_FROM:
        ideal = ivf_lists_for(n)
        before = previous.manifest["faiss"] if previous else {}
        reuse = (
            before.get("type") == "ivf"
            and before.get("codes") == IVF_CODES
            and ideal / 2 <= before.get("nlist", 0) <= ideal * 2
            and previous.embeddings.shape[1] == dim
        )
        if reuse:
            index = faiss.clone_index(previous.faiss)
            index.reset()
        else:
            quantizer = faiss.IndexFlatIP(dim)
            index = faiss.IndexIVFScalarQuantizer(
                quantizer, dim, ideal, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
            )
            index.cp.spherical = True  # unit vectors: centroids on the sphere fit them better
            sample = embeddings[np.random.default_rng(0).permutation(n)[: ideal * 64]]
            index.train(sample)
            timer.lap("faiss train")
        nlist = int(index.nlist)
        lists = np.full(n, -1, dtype=np.int64)
        old_lists = _old_ivf_lists(previous) if reuse and old is not None else None
        if old_lists is not None:
            row = 0
            for p in parts:
                if p.chunk_rows is not None:
                    a, b = p.chunk_rows
                    lists[row : row + b - a] = old_lists[a:b]
                row += len(p.chunks)
        todo = np.flatnonzero(lists < 0)
        if len(todo):
            _, nearest = index.quantizer.search(embeddings[todo], 1)
            lists[todo] = nearest[:, 0]
        vectors = np.ascontiguousarray(embeddings, dtype=np.float32)
        ids = np.arange(n, dtype=np.int64)
        index.add_core(n, faiss.swig_ptr(vectors), faiss.swig_ptr(ids), faiss.swig_ptr(lists))
        np.save(generation / IVF_LISTS, lists.astype(np.int32), allow_pickle=False)
        info.update(type="ivf", codes=IVF_CODES, nlist=nlist, nprobe=ivf_nprobe_for(nlist))
    else:
        index = faiss.IndexFlatIP(dim)
        index.add(embeddings)
        info.update(type="flat")
    faiss.write_index(index, str(generation / "faiss.index"))
    timer.lap("faiss")
    if info["type"] != "ivf":
        return info, None  # queries scan the embeddings; no need to keep a copy
    index.nprobe = info["nprobe"]
    return info, index


def ivf_lists_for(n: int) -> int:
    """IVF list count for n vectors: 2 sqrt(n) (benchmarks/RESULTS.md, IVF tuning)."""
    return max(1, int(2 * np.sqrt(n)))


def ivf_nprobe_for(nlist: int) -> int:
    """Lists searched per query. Sentence embeddings of short texts have flat neighbourhoods
    (the 10th and 11th neighbours differ by ~0.002 in cosine), so recall@10 >= 0.98 needed
    about half the lists on the benchmark's queries; 8-bit codes keep that cheap."""
    return max(1, nlist // 2)


def _old_ivf_lists(previous: Index | None) -> np.ndarray | None:
    try:
        lists = np.load(previous.directory / IVF_LISTS, allow_pickle=False)
    except (OSError, ValueError, AttributeError):
        return None
    return lists if len(lists) == len(previous.chunks) else None


def _write_bm25(parts: list[_Parts], folder: Path, old: _Reusable | None) -> None:
    """BM25 for all chunks, tokenizing only those of documents that were not copied."""
    previous = Terms.load(old.index.directory / "bm25", len(old.index.chunks)) if old else None
    terms = TermsBuilder(previous)
    for p in parts:
        if p.chunk_rows is not None and previous is not None:
            terms.copy(*p.chunk_rows)
        else:
            terms.add(c.text for c in p.chunks)
    save_bm25(folder, terms.finish())


def _row(record: Any) -> dict[str, Any]:
    """A flat record as JSON data: `vars`, not `asdict`, which is ~10x slower per record."""
    return vars(record)


def _switch(index_dir: Path, generation: Path, note: Note = _stderr) -> None:
    current = index_dir / CURRENT
    if current.is_dir() and not current.is_symlink():  # damaged: it cannot be replaced
        aside = index_dir / f"{CURRENT}.damaged-{time.strftime('%Y%m%dT%H%M%S')}"
        os.rename(current, aside)
        note(f"Moved the folder {safe_name(current)} aside to {safe_name(aside)}.")
    pointer = index_dir / f".{CURRENT}.{os.getpid()}"
    pointer.write_text(generation.name + "\n", encoding="utf-8")
    with open(pointer, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, current)
    fsync(index_dir)


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


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    """Delete generations no one reads; one in use stays until a later build (see _Hold)."""
    for path in index_dir.glob("gen-*"):
        if path.name in keep or path.is_symlink() or not path.is_dir():
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a reader holds it
            continue
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(index_dir: Path) -> Iterator[None]:
    """One build at a time; a second waits for the first, then builds on its result."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / LOCK, "a+", encoding="utf-8")
    except OSError as exc:
        raise cannot_write(index_dir, exc) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cannot_write(index_dir: Path, exc: OSError) -> IndexProblem:
    """The one-line refusal for a failed index write, with the fix that fits the cause."""
    where = safe_name(index_dir)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return IndexProblem(
            f"Cannot write the index at {where}: the disk is full ({exc.strerror}). Free some "
            "space on it, or choose another folder with --index or CQQA_INDEX_DIR."
        )
    return IndexProblem(
        f"Cannot write the index at {where} ({exc.strerror or exc}). "
        "Make it writable, or choose another folder with --index or CQQA_INDEX_DIR."
    )


def _chunking(settings: Settings) -> dict[str, int]:
    return {
        "sentences": settings.chunk_sentences,
        "overlap": settings.chunk_overlap,
        "max_chars": settings.chunk_max_chars,
    }


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
