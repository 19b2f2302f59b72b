"""Reading corpus/ into Documents, byte-exact, so offsets stay true."""

from __future__ import annotations

import sys
from collections import Counter
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


def document_ids(files: list[Path], corpus_dir: Path) -> dict[Path, str]:
    """Ids for these files, unique: `a.txt` beside `a.md` keeps its suffix in the id.

    Two documents sharing an id would share chunks' `doc`, and offsets into one
    would be read against the other's text.
    """
    plain = [document_id(p, corpus_dir) for p in files]
    taken = {i for i, n in Counter(plain).items() if n > 1}
    return {
        p: p.relative_to(corpus_dir).as_posix() if i in taken else i for p, i in zip(files, plain)
    }


def fingerprint(corpus_dir: Path) -> dict[str, str]:
    """Document id -> sha256 of the file's bytes, for noticing a stale index."""
    out = {}
    for path, doc_id in document_ids(corpus_files(corpus_dir), Path(corpus_dir)).items():
        try:
            out[doc_id] = sha256_file(path)
        except OSError:
            out[doc_id] = "unreadable"
    return out


def load_corpus(corpus_dir: Path, warn: Callable[[str], None] | None = None) -> list[Document]:
    """Decode every usable file; report the others by name and go on without them."""
    warn = warn or (lambda message: print(message, file=sys.stderr))
    corpus_dir = Path(corpus_dir)
    documents, problems = [], []
    for path, doc_id in document_ids(corpus_files(corpus_dir), corpus_dir).items():
        problem, document = _read_document(path, doc_id)
        if problem:
            problems.append(f"{path}: {problem}")
        else:
            documents.append(document)
    if not documents:
        raise _no_documents(corpus_dir, problems)
    for problem in problems:
        warn(f"Skipped {problem}")
    return documents


def require_documents(corpus_dir: Path) -> None:
    """Fail early, in one line, when no file in corpus_dir can become a document.

    Cheap when the corpus is fine: it stops at the first usable file.
    """
    corpus_dir = Path(corpus_dir)
    problems = []
    for path, doc_id in document_ids(corpus_files(corpus_dir), corpus_dir).items():
        problem, _ = _read_document(path, doc_id)
        if not problem:
            return
        problems.append(f"{path}: {problem}")
    raise _no_documents(corpus_dir, problems)


def _no_documents(corpus_dir: Path, problems: list[str]) -> CorpusError:
    if not problems:
        return CorpusError(
            f"No documents in {corpus_dir}/. Put .txt or .md files there, then run `cqqa index`."
        )
    shown = "; ".join(problems[:3])
    if len(problems) > 3:
        shown += f"; and {len(problems) - 3} more"
    return CorpusError(
        f"No usable documents in {corpus_dir}/ ({shown}). "
        "Put UTF-8 .txt or .md files there, then run `cqqa index`."
    )


def title_of(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff").lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def _read_document(path: Path, doc_id: str) -> tuple[str, Document | None]:
    """("", the document) or (why the file cannot be one, None)."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            return (
                f"it is {size:,} bytes, over the limit of {MAX_DOCUMENT_BYTES:,} bytes; "
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
            f"it is not UTF-8 (bad byte at offset {exc.start}); convert it, "
            "e.g. `iconv -f latin1 -t utf-8`",
            None,
        )
    if not text.strip():
        return "it is empty", None
    return "", Document(id=doc_id, title=title_of(text, doc_id), text=text, path=str(path))


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
