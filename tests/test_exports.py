"""Issue 14, item 4: once a model has been exported to ONNX, a build in a fresh index folder
links that export (checked by its hash) and embeds without importing torch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test builds an index with the real model in a subprocess
ROOT = Path(__file__).resolve().parents[1]
BUILD = (
    "import sys; from cqqa.config import Settings; from cqqa.index import build; "
    "build(Settings(corpus_dir=sys.argv[1], index_dir=sys.argv[2]), note=lambda m: None); "
    "print('torch' in sys.modules)"
)


def _build(corpus: Path, index: Path, cache: Path) -> bool:
    """A fresh process builds an index; whether it imported torch."""
    env = {**os.environ, "CQQA_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(corpus), str(index)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().endswith("True")


def test_a_fresh_index_folder_reuses_the_export_without_torch(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    cache = tmp_path / "cache"
    assert _build(corpus, tmp_path / "first", cache) is True  # exports with torch, keeps it
    kept = list((cache / "onnx").iterdir())
    assert len(kept) == 1 and (kept[0] / "export.json").is_file()
    assert _build(corpus, tmp_path / "second", cache) is False  # no torch at all
    first = next((tmp_path / "first").glob("gen-*"))
    second = next((tmp_path / "second").glob("gen-*"))
    assert (first / "encoder.onnx").read_bytes() == (second / "encoder.onnx").read_bytes()


def test_a_damaged_cached_export_is_passed_over(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "first", cache)
    onnx = next((cache / "onnx").iterdir()) / "encoder.onnx"
    os.chmod(onnx, 0o644)
    data = bytearray(onnx.read_bytes())
    data[len(data) // 2] ^= 0x01
    onnx.write_bytes(bytes(data))
    assert _build(corpus, tmp_path / "second", cache) is True  # exported again, with torch
