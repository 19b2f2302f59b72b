"""Opening the index for some settings: current, stale (and why) or damaged, rebuilt when
it must be."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Settings
from ..corpus import fingerprint
from ..embedding import (
    resolve_model,
)
from ..errors import IndexProblem
from ..multilingual import multilingual_info
from ..reader import reader_info
from ..textutil import plural, safe_name
from .build import _chunking, _code, build
from .store import Index, Note, _read_current, _stderr, _verify, load, read_manifest


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
