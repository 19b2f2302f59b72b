"""Building a generation: documents read, chunked and embedded (only what changed since the
previous one), BM25 and FAISS written, the manifest and its checksum, then the switch."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__
from ..bm25 import Terms, TermsBuilder
from ..bm25 import save as save_bm25
from ..chunking import chunk_document, split_sentences
from ..config import Settings
from ..corpus import read_corpus
from ..embedding import (
    Encoder,
    ModelInfo,
    OnnxEncoder,
    resolve_model,
)
from ..errors import CqqaError
from ..fileutil import fsync, hash_blocks, write_json
from ..formats import page_at
from ..multilingual import multilingual_info
from ..reader import reader_info
from ..records import Chunk, Document, Fact
from ..textutil import plural, safe_name
from . import exports
from .ann import _write_faiss
from .generations import (
    _locked,
    _new_generation,
    _remove_old_generations,
    _switch,
    cannot_write,
    previous_name,
)
from .store import (
    BLOCK_BYTES,
    FORMAT,
    OPTIONAL_FILES,
    SMALL_FILE_BYTES,
    Index,
    Note,
    _manifest_checksum,
    _read_verified,
    _row,
    _sampled_record,
    _stderr,
    _text_key,
    _write_verified,
    load,
    read_manifest,
)


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
    from ..facts import extract_facts

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


# The modules a document's chunks, facts and BM25 terms come from (read, never imported: the
# staleness check of every load must not compile the facts patterns, 0.1 s).
_TEXT_CODE = ("chunking.py", "facts.py", "textutil.py", "bm25.py", "formats.py")
_PACKAGE = Path(__file__).resolve().parents[1]


def _code(settings: Settings) -> str:
    """cqqa's own code that chunks, reads facts and indexes terms, with its settings: a change
    makes the index stale (checked on every load, so no package metadata is read here)."""
    digest = hashlib.sha256(json.dumps([__version__, _chunking(settings)], sort_keys=True).encode())
    for name in _TEXT_CODE:
        digest.update((_PACKAGE / name).read_bytes())
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
    from ..embedding import TorchEncoder

    if exports.take(model, generation) is not None:
        # Exported once before, by any build of this model: no torch at all.
        try:
            return OnnxEncoder(generation, model.max_seq_length)
        except Exception:  # noqa: BLE001 - export it again below
            for name in OPTIONAL_FILES:
                (generation / name).unlink(missing_ok=True)
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
    exports.keep(model, generation)
    if bulk:
        with contextlib.suppress(Exception):
            return OnnxEncoder(generation, model.max_seq_length)
    return encoder


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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


def _chunking(settings: Settings) -> dict[str, int]:
    return {
        "sentences": settings.chunk_sentences,
        "overlap": settings.chunk_overlap,
        "max_chars": settings.chunk_max_chars,
    }
