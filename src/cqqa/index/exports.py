"""The ONNX export of the embedding model, kept outside any index, by the model's hash.

Exporting needs torch (about 8.5 s for the article's first build). Once one build has
exported a model, the export is copied here (`$CQQA_CACHE_DIR/onnx/<model sha256>/`, by
default `~/.cache/cqqa`), so a build in a fresh index folder — another corpus, an upload
folder, a test home — links it and embeds with onnxruntime without importing torch. Every
file is checked against the sha256 written beside it before it is used; a cache that is
missing, damaged or not writable is passed over in silence and the build exports as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

from ..embedding import ONNX_FILE, TOKENIZER_FILE, ModelInfo
from ..fileutil import sha256_file

FILES = (ONNX_FILE, TOKENIZER_FILE)
META = "export.json"


def cache_root() -> Path:
    configured = os.environ.get("CQQA_CACHE_DIR", "").strip()
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "cqqa"


def _folder(model: ModelInfo) -> Path:
    return cache_root() / "onnx" / model.sha256


def take(model: ModelInfo, generation: Path) -> dict[str, str] | None:
    """Link (or copy) a cached export of `model` into `generation`: the files' sha256 by
    name, or None when there is no whole, verified one."""
    folder = _folder(model)
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        hashes = {name: str(meta["files"][name]) for name in FILES}
        if meta.get("model_sha256") != model.sha256:
            return None
        for name in FILES:
            if sha256_file(folder / name) != hashes[name]:
                return None
        for name in FILES:
            target = generation / name
            target.unlink(missing_ok=True)
            try:
                os.link(folder / name, target)
            except OSError:
                shutil.copyfile(folder / name, target)
        return hashes
    except (OSError, ValueError, KeyError, TypeError):
        for name in FILES:
            with contextlib.suppress(OSError):
                (generation / name).unlink(missing_ok=True)
        return None


def keep(model: ModelInfo, generation: Path) -> None:
    """Copy a fresh export from `generation` into the cache (whole, or not at all)."""
    folder = _folder(model)
    if (folder / META).is_file():
        return
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        hashes = {}
        for name in FILES:
            shutil.copyfile(generation / name, tmp / name)
            os.chmod(tmp / name, 0o444)  # linked into indexes: never written through
            hashes[name] = sha256_file(tmp / name)
        meta = {"model": model.name, "model_sha256": model.sha256, "files": hashes}
        (tmp / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        os.replace(tmp, folder)
    except OSError:
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
