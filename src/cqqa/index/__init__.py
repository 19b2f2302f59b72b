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

One job per file:
- `store.py`: the live `Index`, `load`, the manifest read and checked, file verification;
- `build.py`: `build` — what is reused, embedded, written; the manifest;
- `ann.py`: the FAISS index (exact scan or IVF);
- `generations.py`: generation folders, the CURRENT switch, clean-up, the build lock;
- `open.py`: `open_index` and `stale_reasons` — current, stale or damaged.
"""

from .ann import APPROXIMATE_FROM, ivf_lists_for, ivf_nprobe_for
from .build import build
from .open import open_index, stale_reasons, verify_problems
from .store import (
    BLOCK_BYTES,
    SAMPLED_BLOCKS,
    SMALL_FILE_BYTES,
    Index,
    Note,
    _manifest_checksum,
    _verify,
    indexed_hashes,
    load,
    load_encoder,
    read_manifest,
)

__all__ = [
    "APPROXIMATE_FROM",
    "BLOCK_BYTES",
    "SAMPLED_BLOCKS",
    "SMALL_FILE_BYTES",
    "Index",
    "Note",
    "build",
    "indexed_hashes",
    "ivf_lists_for",
    "ivf_nprobe_for",
    "load",
    "load_encoder",
    "open_index",
    "read_manifest",
    "stale_reasons",
    "verify_problems",
    "_manifest_checksum",
    "_verify",
]
