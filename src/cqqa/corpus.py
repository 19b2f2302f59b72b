"""Reading corpus/ into Documents, byte-exact, so offsets stay true."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from .errors import CorpusError
from .fileutil import sha256_file
from .records import Document

SUFFIXES = (".txt", ".md")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # larger files are skipped with a message


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every .txt and .md file below corpus_dir, in a stable order."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"No corpus folder at {corpus_dir}. Create it, put .txt or .md files there, "
            "then run `cqqa index`."
        )
    files = [
        p
        for p in corpus_dir.rglob("*")
        if p.suffix.lower() in SUFFIXES and p.is_file() and not _hidden(p, corpus_dir)
    ]
    return sorted(files, key=lambda p: p.relative_to(corpus_dir).as_posix())


def document_id(path: Path, corpus_dir: Path) -> str:
    """The file name without its suffix; folders below corpus/ stay in the id."""
    return path.relative_to(corpus_dir).with_suffix("").as_posix()


def fingerprint(corpus_dir: Path) -> dict[str, str]:
    """Document id -> sha256 of the file's bytes, for noticing a stale index."""
    out = {}
    for path in corpus_files(corpus_dir):
        try:
            out[document_id(path, corpus_dir)] = sha256_file(path)
        except OSError:
            out[document_id(path, corpus_dir)] = "unreadable"
    return out


def load_corpus(corpus_dir: Path, warn: Callable[[str], None] | None = None) -> list[Document]:
    """Decode every usable file; report the others by name and go on without them."""
    warn = warn or (lambda message: print(message, file=sys.stderr))
    corpus_dir = Path(corpus_dir)
    documents = []
    for path in corpus_files(corpus_dir):
        problem, document = _read_document(path, corpus_dir)
        if problem:
            warn(f"Skipped {path}: {problem}")
        else:
            documents.append(document)
    if not documents:
        raise CorpusError(
            f"No usable documents in {corpus_dir}/. Put UTF-8 .txt or .md files there, "
            "then run `cqqa index`."
        )
    return documents


def title_of(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff").lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def _read_document(path: Path, corpus_dir: Path) -> tuple[str, Document | None]:
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            return (
                f"it is {size / 1e6:.0f} MB, over the {MAX_DOCUMENT_BYTES / 1e6:.0f} MB limit; "
                "split it into smaller files",
                None,
            )
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc}); check its permissions", None
    if b"\x00" in data:
        return "it looks binary (it contains NUL bytes); only UTF-8 text is indexed", None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"it is not UTF-8 (byte {exc.start}); convert it, e.g. `iconv -t UTF-8`",
            None,
        )
    if not text.strip():
        return "it is empty", None
    doc_id = document_id(path, corpus_dir)
    return "", Document(id=doc_id, title=title_of(text, doc_id), text=text, path=str(path))


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
