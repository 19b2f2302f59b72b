"""Small file helpers shared by the corpus, model and index code."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def hash_blocks(path: Path, block: int) -> tuple[str, list[int]]:
    """sha256 of a file and the CRC-32 of each of its `block`-byte blocks, in one read."""
    import zlib

    digest, crcs = hashlib.sha256(), []
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(block), b""):
            digest.update(chunk)
            crcs.append(zlib.crc32(chunk))
    return digest.hexdigest(), crcs


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def fsync(path: Path) -> None:
    """Flush a file or folder to disk so a crash cannot leave it half written."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
