"""Build, save, load and check everything under index/.

Layout: index/CURRENT names a generation folder (index/gen-*/) holding the
manifest, documents, chunks, facts, embeddings, the FAISS and BM25 indexes and
the ONNX query encoder. A build writes a new generation and then replaces
CURRENT atomically, so a build killed at any point leaves the old index whole.
Every file's sha256 is in the manifest and is checked on load.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import __version__
from .chunking import chunk_documents, split_sentences
from .config import Settings
from .corpus import fingerprint, load_corpus
from .embedding import ONNX_FILE, Encoder, ModelInfo, resolve_model
from .errors import CqqaError, IndexProblem
from .fileutil import fsync, sha256_file, write_json
from .records import Chunk, Document, Fact
from .textutil import bm25_tokens

FORMAT = 1
CURRENT = "CURRENT"
LOCK = ".lock"
# Above this many chunks FAISS searches an IVF index instead of scanning them all
# (benchmarks/run.py measures both and the recall of IVF against exact search).
APPROXIMATE_FROM = 50_000

Note = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass
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
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def model(self) -> dict[str, Any]:
        return self.manifest["model"]

    @property
    def faiss(self) -> Any:
        if "faiss" not in self._cache:
            import faiss

            index = faiss.read_index(str(self.directory / "faiss.index"))
            if hasattr(index, "nprobe"):
                index.nprobe = self.manifest["faiss"].get("nprobe", 16)
            self._cache["faiss"] = index
        return self._cache["faiss"]

    @property
    def bm25(self) -> Any:
        if "bm25" not in self._cache:
            import bm25s

            self._cache["bm25"] = bm25s.BM25.load(
                str(self.directory / "bm25"), show_progress=False, verbosity=0
            )
        return self._cache["bm25"]

    @property
    def encoder(self) -> Encoder:
        if "encoder" not in self._cache:
            self._cache["encoder"] = load_encoder(self.directory, self.model)
        return self._cache["encoder"]

    def sentence_text(self, i: int) -> str:
        doc, start, end = self.sentences[i]
        return self.documents[doc].text[start:end]

    def embedding_cache(self) -> dict[str, np.ndarray]:
        """Text key -> embedding for every chunk and sentence, so a rebuild embeds only news."""
        cache = {_text_key(c.text): row for c, row in zip(self.chunks, self.embeddings)}
        for i, row in enumerate(self.sentence_embeddings):
            cache[_text_key(self.sentence_text(i))] = row
        return cache

    def facts_for(self, doc: str, start: int, end: int) -> list[Fact]:
        """Facts lying inside [start, end) of a document, in reading order."""
        return [f for f in self._facts_by_doc().get(doc, ()) if f.start >= start and f.end <= end]

    def _facts_by_doc(self) -> dict[str, list[Fact]]:
        if "facts_by_doc" not in self._cache:
            grouped: dict[str, list[Fact]] = {}
            for fact in self.facts:
                grouped.setdefault(fact.doc, []).append(fact)
            self._cache["facts_by_doc"] = grouped
        return self._cache["facts_by_doc"]


def load_encoder(directory: Path, model: dict[str, Any], note: Note = _stderr) -> Encoder:
    """The ONNX export when it is there and onnxruntime imports; sentence-transformers otherwise."""
    from .embedding import OnnxEncoder, TorchEncoder

    if (directory / ONNX_FILE).is_file():
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


def read_manifest(index_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """The current generation and its manifest, or None when there is no usable one."""
    try:
        name = (Path(index_dir) / CURRENT).read_text().strip()
        generation = Path(index_dir) / name
        manifest = json.loads((generation / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return generation, manifest


def stale_reasons(settings: Settings, manifest: dict[str, Any] | None) -> list[str]:
    """Why the index no longer matches the corpus, model or settings (empty when current)."""
    if manifest is None:
        return ["there is no index yet"]
    reasons = []
    if manifest.get("cqqa_version") != __version__:
        reasons.append(f"it was built by cqqa {manifest.get('cqqa_version')}")
    model = resolve_model(settings.model, known=manifest.get("model"))
    if model.sha256 != manifest["model"]["sha256"]:
        reasons.append("the embedding model changed")
    if manifest.get("chunking") != _chunking(settings):
        reasons.append("the chunking settings changed")
    before = {**manifest.get("documents", {}), **manifest.get("skipped", {})}
    before = {doc: entry["sha256"] for doc, entry in before.items()}
    now = fingerprint(settings.corpus_dir)
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    changed = sorted(d for d in set(now) & set(before) if now[d] != before[d])
    for label, ids in (("added", added), ("changed", changed), ("removed", removed)):
        if ids:
            reasons.append(f"{_plural(len(ids), 'document')} {label} ({', '.join(ids[:3])})")
    return reasons


def open_index(settings: Settings, note: Note = _stderr, check: bool = True) -> Index:
    """The index for these settings, built or rebuilt first when missing, stale or damaged."""
    found = read_manifest(settings.index_dir)
    reasons = stale_reasons(settings, found[1] if found else None) if check else []
    if found and not reasons:
        try:
            return load(found[0], found[1])
        except IndexProblem as exc:
            reasons = [str(exc)]
    if not found and not check:
        reasons = ["there is no index yet"]
    note(f"Building the index: {'; '.join(reasons)}.")
    return build(settings, note=note)


# ---------------------------------------------------------------- load


def load(generation: Path, manifest: dict[str, Any]) -> Index:
    """Read one generation, checking every file against the manifest's hash."""
    for name, expected in manifest.get("files", {}).items():
        path = generation / name
        try:
            actual = sha256_file(path)
        except OSError:
            raise IndexProblem(f"the index file {name} is missing") from None
        if actual != expected:
            raise IndexProblem(f"the index file {name} is damaged (its hash changed)")
    try:
        documents = {
            d["id"]: Document(**d)
            for d in json.loads((generation / "documents.json").read_text("utf-8"))
        }
        chunks = [Chunk(**c) for c in json.loads((generation / "chunks.json").read_text("utf-8"))]
        facts = [Fact(**f) for f in json.loads((generation / "facts.json").read_text("utf-8"))]
        embeddings = np.load(generation / "embeddings.npy", allow_pickle=False)
        sentences = [tuple(s) for s in json.loads((generation / "sentences.json").read_text())]
        sentence_embeddings = np.load(generation / "sentence_embeddings.npy", allow_pickle=False)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexProblem(f"the index at {generation} cannot be read ({exc})") from None
    if embeddings.shape[0] != len(chunks) or sentence_embeddings.shape[0] != len(sentences):
        raise IndexProblem("the index's embeddings and chunks disagree")
    return Index(
        generation, manifest, documents, chunks, embeddings, facts, sentences, sentence_embeddings
    )


# ---------------------------------------------------------------- build


def build(settings: Settings, note: Note = _stderr, progress: bool = False) -> Index:
    """Build a new generation beside the current one and switch to it atomically."""
    from .facts import extract_facts

    index_dir = Path(settings.index_dir)
    with _locked(index_dir):
        previous = _previous(index_dir)
        documents = load_corpus(settings.corpus_dir, warn=note)
        documents_by_id = {d.id: d for d in documents}
        prints = fingerprint(settings.corpus_dir)
        skipped = {doc: sha for doc, sha in prints.items() if doc not in {d.id for d in documents}}
        model = resolve_model(settings.model, known=previous.model if previous else None)
        chunks = chunk_documents(
            documents, settings.chunk_sentences, settings.chunk_overlap, settings.chunk_max_chars
        )
        generation = index_dir / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        try:
            generation.mkdir(parents=True)
            sentences = [
                (d.id, start, end)
                for d in documents
                for start, end in split_sentences(d.text, settings.chunk_max_chars)
            ]
            texts = [c.text for c in chunks] + [
                documents_by_id[d].text[a:b] for d, a, b in sentences
            ]
            vectors, reused = _embed(texts, model, previous, generation, note, progress)
            embeddings, sentence_embeddings = vectors[: len(chunks)], vectors[len(chunks) :]
            facts = [f for d in documents for f in extract_facts(d.text, d.id)]
            faiss_info = _write_faiss(embeddings, generation, previous)
            faiss_info["reused_embeddings"] = reused
            _write_bm25(chunks, generation)
            write_json(generation / "documents.json", [d.to_dict() for d in documents])
            write_json(generation / "chunks.json", [c.to_dict() for c in chunks])
            write_json(generation / "facts.json", [f.to_dict() for f in facts])
            np.save(generation / "embeddings.npy", embeddings, allow_pickle=False)
            np.save(generation / "sentence_embeddings.npy", sentence_embeddings, allow_pickle=False)
            write_json(generation / "sentences.json", sentences)
            files = {
                p.relative_to(generation).as_posix(): sha256_file(p)
                for p in sorted(generation.rglob("*"))
                if p.is_file()
            }
            manifest = {
                "format": FORMAT,
                "cqqa_version": __version__,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "model": model.to_dict(),
                "chunking": _chunking(settings),
                "faiss": faiss_info,
                "documents": {
                    d.id: {
                        "sha256": prints.get(d.id, ""),
                        "path": d.path,
                        "title": d.title,
                        "chars": len(d.text),
                    }
                    for d in documents
                },
                "skipped": {doc: {"sha256": sha} for doc, sha in skipped.items()},
                "counts": {"documents": len(documents), "chunks": len(chunks), "facts": len(facts)},
                "files": files,
            }
            write_json(generation / "manifest.json", manifest)
            for path in files:
                fsync(generation / path)
            fsync(generation)
            _switch(index_dir, generation)
        except OSError as exc:
            shutil.rmtree(generation, ignore_errors=True)
            raise IndexProblem(
                f"Cannot write the index at {index_dir} ({exc.strerror or exc}). "
                "Make it writable, or choose another folder with --index or CQQA_INDEX_DIR."
            ) from None
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        _remove_old_generations(index_dir, keep={generation.name, previous_name(previous)})
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
    reused = faiss_info.get("reused_embeddings", 0)
    note(
        f"Indexed {_plural(len(documents), 'document')}, {_plural(len(chunks), 'chunk')}, "
        f"{_plural(len(facts), 'numeric fact')} ({reused} embeddings reused) in {index_dir}/."
    )
    return index


def previous_name(previous: Index | None) -> str:
    return previous.directory.name if previous else ""


def _previous(index_dir: Path) -> Index | None:
    found = read_manifest(index_dir)
    if not found:
        return None
    try:
        return load(*found)
    except CqqaError:
        return None


def _embed(
    texts: list[str],
    model: ModelInfo,
    previous: Index | None,
    generation: Path,
    note: Note,
    progress: bool,
) -> tuple[np.ndarray, int]:
    """Embed only texts that the previous index (same model) has not embedded yet."""
    cache: dict[str, np.ndarray] = {}
    same_model = previous is not None and previous.model["sha256"] == model.sha256
    if same_model:
        cache = previous.embedding_cache()
    todo = list(dict.fromkeys(t for t in texts if _text_key(t) not in cache))
    if same_model and (previous.directory / ONNX_FILE).is_file():
        # The previous export is the same weights: reuse it and skip importing torch.
        for name in (ONNX_FILE, "tokenizer.json"):
            shutil.copyfile(previous.directory / name, generation / name)
        encoder = previous.encoder if todo else None
    else:
        from .embedding import TorchEncoder

        if progress:
            note("Loading the embedding model…")
        encoder = TorchEncoder(model)
        try:
            encoder.export_onnx(generation)
        except Exception as exc:  # noqa: BLE001 - the torch path still answers
            note(f"Could not export the ONNX query encoder ({exc}); questions will use torch.")
            for name in (ONNX_FILE, "tokenizer.json"):
                (generation / name).unlink(missing_ok=True)
    if todo:
        vectors = encoder.encode(todo, progress=progress)
        cache.update((_text_key(t), v) for t, v in zip(todo, vectors))
    dim = next(iter(cache.values())).shape[0] if cache else 384
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = cache[_text_key(text)]
    return out, len(texts) - len(todo)


def _write_faiss(embeddings: np.ndarray, generation: Path, previous: Index | None) -> dict:
    import faiss

    n, dim = embeddings.shape
    info: dict[str, Any] = {}
    if n >= APPROXIMATE_FROM:
        nlist = int(4 * np.sqrt(n))
        reuse = previous is not None and previous.manifest["faiss"].get("type") == "ivf"
        if reuse and previous.manifest["faiss"].get("nlist") == nlist:
            # Keep the trained centroids: adding vectors is cheap, training is not.
            index = faiss.clone_index(previous.faiss)
            index.reset()
        else:
            quantizer = faiss.IndexFlatIP(dim)
            index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
            sample = embeddings[np.random.default_rng(0).permutation(n)[: nlist * 64]]
            index.train(sample)
        index.add(embeddings)
        info.update(type="ivf", nlist=nlist, nprobe=max(16, nlist // 16))
    else:
        index = faiss.IndexFlatIP(dim)
        index.add(embeddings)
        info.update(type="flat")
    faiss.write_index(index, str(generation / "faiss.index"))
    return info


def _write_bm25(chunks: list[Chunk], generation: Path) -> None:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(
        [bm25_tokens(c.text) or [""] for c in chunks], show_progress=False, leave_progress=False
    )
    retriever.save(str(generation / "bm25"), show_progress=False)


def _switch(index_dir: Path, generation: Path) -> None:
    pointer = index_dir / f".{CURRENT}.{os.getpid()}"
    pointer.write_text(generation.name + "\n")
    with open(pointer, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT)
    fsync(index_dir)


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.glob("gen-*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _locked(index_dir: Path) -> Iterator[None]:
    """One build at a time; a second waits for the first, then builds on its result."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / LOCK, "a+")
    except OSError as exc:
        raise IndexProblem(
            f"Cannot write the index at {index_dir} ({exc.strerror or exc}). "
            "Make it writable, or choose another folder with --index or CQQA_INDEX_DIR."
        ) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _chunking(settings: Settings) -> dict[str, int]:
    return {
        "sentences": settings.chunk_sentences,
        "overlap": settings.chunk_overlap,
        "max_chars": settings.chunk_max_chars,
    }


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
