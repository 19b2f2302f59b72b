"""The FAISS index: an exact scan below APPROXIMATE_FROM chunks, an IVF index (8-bit scalar
quantized) above it, whose list assignments a rebuild reuses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .store import Index

if TYPE_CHECKING:
    from .build import _Parts, _Reusable, _Timer


# Above this many chunks FAISS searches an IVF index instead of scanning them all.
# benchmarks/run.py measures both: an exact scan costs 0.07-0.09 ms per 1,000 chunks
# here (about half a query encode at 50,000; 6-9 ms at 100,000), the IVF index about
# 1.5 ms at 100,000 with recall@10 0.99 (benchmarks/RESULTS.md).
APPROXIMATE_FROM = 50_000


IVF_LISTS = "ivf_lists.npy"  # each chunk's IVF list, so a rebuild adds without searching


IVF_CODES = "sq8"  # how the IVF index stores vectors: 8-bit scalar quantized


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
