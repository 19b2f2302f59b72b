"""One synthetic corpus size, measured in its own process (so peak memory is this build's).

    python benchmarks/scale.py 100000 --work /tmp/x --cache ~/.cache/cqqa-bench

Builds the index from nothing, loads it as a fresh command would, times queries, checks
IVF recall@10 against exact search, then changes one document and rebuilds. The last
line of stdout is a JSON object with every figure; run.py turns those into RESULTS.md.

Embeddings may come from a cache of earlier runs (keyed by model hash and text hash):
computing 100,000 of them takes most of a full build on 2 cores. A build that used the
cache says so, and the first, uncached build of each size is kept in the cache folder
as the true build time.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import queries, write_corpus  # noqa: E402

from cqqa import embedding  # noqa: E402
from cqqa import index as index_module  # noqa: E402
from cqqa.config import Settings  # noqa: E402
from cqqa.retrieve import dense_search, retrieve  # noqa: E402

NPROBES = (8, 16, 32, 64, 128)


def documents_for(chunks: int) -> int:
    """1,000 documents at most, at least 10 chunks each: editing one is a small change."""
    return max(1, min(1000, chunks // 10))


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class EmbeddingCache:
    """Text hash -> vector, saved between runs; wraps both encoders while a build runs."""

    def __init__(self, folder: Path, model_sha: str, size: int) -> None:
        self.path = folder / f"embeddings-{model_sha[:12]}-{size}.npz"
        self.store: dict[str, np.ndarray] = {}
        if self.path.is_file():
            data = np.load(self.path, allow_pickle=False)
            self.store = dict(zip(data["keys"].tolist(), data["vectors"]))
        self.hits = 0
        self._originals: dict[type, Any] = {}

    def __enter__(self) -> EmbeddingCache:
        for cls in (embedding.OnnxEncoder, embedding.TorchEncoder):
            original = cls.encode
            self._originals[cls] = original

            def encode(encoder, texts, progress=False, _original=original):  # noqa: ANN001
                keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
                missing = [i for i, k in enumerate(keys) if k not in self.store]
                if missing:
                    fresh = _original(encoder, [texts[i] for i in missing], progress)
                    self.store.update((keys[i], v) for i, v in zip(missing, fresh))
                self.hits += len(texts) - len(missing)
                return np.stack([self.store[k] for k in keys]).astype(np.float32)

            cls.encode = encode
        return self

    def __exit__(self, *exc: object) -> None:
        for cls, original in self._originals.items():
            cls.encode = original

    def save(self, index: Any) -> None:
        texts = [c.text for c in index.chunks] + [
            index.sentence_text(i) for i in range(len(index.sentences))
        ]
        vectors = np.concatenate([index.embeddings, index.sentence_embeddings])
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        first = dict(zip(keys, range(len(keys))))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            self.path,
            keys=np.array(list(first)),
            vectors=vectors[list(first.values())],
        )


def measure(size: int, work: Path, cache_dir: Path | None, n_queries: int) -> dict[str, Any]:
    out: dict[str, Any] = {"chunks": size, "documents": documents_for(size)}
    corpus = work / f"corpus-{size}"
    if not corpus.is_dir():
        write_corpus(corpus, size, documents_for(size))
    settings = Settings(
        corpus_dir=corpus, index_dir=work / f"index-{size}", chunk_sentences=1, chunk_overlap=0
    )
    model = embedding.resolve_model(settings.model)
    cache = EmbeddingCache(cache_dir, model.sha256, size) if cache_dir else None
    cached = bool(cache and cache.store)
    notes: list[str] = []
    start = time.perf_counter()
    if cache is not None:
        with cache:
            built = index_module.build(settings, note=notes.append)
    else:
        built = index_module.build(settings, note=notes.append)
    out["build_s"] = time.perf_counter() - start
    out["build_peak_mb"] = peak_mb()
    out["build_phases"] = built.manifest["build"]["seconds"]
    out["embeddings_cached"] = cached
    out["embedded"] = built.manifest["build"]["embedded"]
    out["faiss"] = {k: v for k, v in built.manifest["faiss"].items() if k != "reused_embeddings"}
    assert len(built.chunks) == size, (len(built.chunks), size)
    true_file = cache_dir / f"true-build-{model.sha256[:12]}-{size}.json" if cache_dir else None
    if not cached:
        out["true_build"] = {
            "seconds": out["build_s"],
            "peak_mb": out["build_peak_mb"],
            "embed_s": out["build_phases"].get("embed"),
            "date": time.strftime("%Y-%m-%d %H:%M"),
        }
        if cache is not None:
            cache.save(built)
            true_file.write_text(json.dumps(out["true_build"]))
    elif true_file is not None and true_file.is_file():
        out["true_build"] = json.loads(true_file.read_text())
    del built

    # A fresh load, as a command in a new process would do (files verified by signature).
    start = time.perf_counter()
    index = index_module.open_index(settings, note=notes.append)
    out["open_s"] = time.perf_counter() - start
    questions = list(queries(n_queries, seed=size))
    encoder = index.encoder
    for q in questions[:5]:  # warm: first calls load BM25, FAISS, the encoder's caches
        retrieve(index, q, k=5)
    encode_ms, retrieve_ms, answer_ms, flat_ms, approx_ms = [], [], [], [], []
    vectors = []
    for q in questions:
        t0 = time.perf_counter()
        vector = encoder.encode([q])
        t1 = time.perf_counter()
        retrieve(index, q, k=5)
        t2 = time.perf_counter()
        encode_ms.append(1000 * (t1 - t0))
        retrieve_ms.append(1000 * (t2 - t1))
        vectors.append(vector[0])
    from cqqa.answer import answer

    profiler = cProfile.Profile()
    for q in questions[: max(20, n_queries // 4)]:
        t0 = time.perf_counter()
        profiler.enable()
        answer(index, q)
        profiler.disable()
        answer_ms.append(1000 * (time.perf_counter() - t0))
    stats = pstats.Stats(profiler).stats
    out["answer_profile"] = [
        [f"{Path(file).name}:{line} {name}" if line else name, calls, own, cumulative]
        for (file, line, name), (_, calls, own, cumulative, _) in sorted(
            stats.items(), key=lambda kv: -kv[1][2]
        )[:8]
    ]
    matrix = np.stack(vectors)
    exact_top = []
    for v in matrix:
        t0 = time.perf_counter()
        scores = np.einsum("ij,j->i", index.embeddings, v)  # as retrieve's exact scan
        top = np.argpartition(-scores, 10)[:10]
        flat_ms.append(1000 * (time.perf_counter() - t0))
        exact_top.append(set(top.tolist()))
    out["query"] = {
        "encode_p50_ms": statistics.median(encode_ms),
        "retrieve_p50_ms": statistics.median(retrieve_ms),
        "retrieve_p95_ms": percentile(retrieve_ms, 95),
        "answer_p50_ms": statistics.median(answer_ms),
        "exact_scan_p50_ms": statistics.median(flat_ms),
        "queries": len(questions),
    }
    if index.manifest["faiss"]["type"] == "ivf":
        faiss_index = index.faiss
        chosen = faiss_index.nprobe
        tuning = {}
        for nprobe in sorted({*NPROBES, chosen, faiss_index.nlist // 4, faiss_index.nlist // 3}):
            faiss_index.nprobe = nprobe
            times, found = [], 0
            for v, exact in zip(matrix, exact_top):
                t0 = time.perf_counter()
                ids, _ = dense_search(index, v[None, :], 50)  # what retrieve does
                times.append(1000 * (time.perf_counter() - t0))
                found += len(exact & set(ids[:10].tolist()))
            tuning[nprobe] = {
                "recall_at_10": found / (10 * len(exact_top)),
                "search_p50_ms": statistics.median(times),
            }
        faiss_index.nprobe = chosen
        out["ivf"] = {"nprobe": chosen, "nlist": faiss_index.nlist, "tuning": tuning}
        for v in matrix:
            t0 = time.perf_counter()
            dense_search(index, v[None, :], 50)
            approx_ms.append(1000 * (time.perf_counter() - t0))
        out["query"]["approx_search_p50_ms"] = statistics.median(approx_ms)
    del index

    # One document changes: what does the rebuild cost, and what dominates it?
    reindex = []
    for attempt in range(3):
        path = sorted(corpus.glob("*.txt"))[len(reindex) * 7 % documents_for(size)]
        text = path.read_text(encoding="utf-8")
        path.write_text(text + f"A new remark about harbour {attempt} cranes.\n", "utf-8")
        start = time.perf_counter()
        rebuilt = index_module.build(settings, note=notes.append)
        seconds = time.perf_counter() - start
        reindex.append(
            {
                "seconds": seconds,
                "embedded": rebuilt.manifest["build"]["embedded"],
                "documents_reprocessed": rebuilt.manifest["build"]["documents_reprocessed"],
                "phases": rebuilt.manifest["build"]["seconds"],
            }
        )
        del rebuilt
    out["reindex"] = sorted(reindex, key=lambda r: r["seconds"])[len(reindex) // 2]
    out["reindex_all_s"] = [r["seconds"] for r in reindex]
    out["peak_mb"] = peak_mb()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="embedding cache folder (omit: no cache)")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    result = measure(args.size, args.work, args.cache, args.queries)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
