"""Documents added from the web chat: checked by content, saved under a safe name, removed.

Only used when uploads are on (`CQQA_UPLOADS=1`): anyone who reaches the page could
otherwise write to the server's disk. A file is refused unless its bytes are a PDF, a Word
.docx, an HTML page or UTF-8 text (whatever its name says), and unless it reads as a
document (a scan with no text, an encrypted PDF are refused before anything is written).
It is written beside the corpus's files under a name made here, never the name it came
with, and appears there whole or not at all.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .corpus import MAX_DOCUMENT_BYTES
from .errors import InputError
from .formats import RICH_SUFFIXES, SUFFIXES, FormatProblem, read_bytes, sniff
from .textutil import safe_name

MAX_UPLOAD_BYTES = MAX_DOCUMENT_BYTES  # the corpus's own limit: an upload is a corpus file
_SUFFIX_OF = {"pdf": ".pdf", "docx": ".docx", "html": ".html"}
_UNSAFE = re.compile(r"[^\w\-. ]+")
MAX_NAME_CHARS = 80


@dataclass(frozen=True)
class Saved:
    path: Path
    doc_id: str
    format: str
    pages: int | None


def safe_filename(name: str, suffix: str) -> str:
    """A file name for the corpus: no folders (`../`), no control or odd characters, no
    leading dot (hidden files are not indexed), at most MAX_NAME_CHARS, and the suffix
    the content decided, never the one the name claimed."""
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    stem = base[: -len(Path(base).suffix)] if Path(base).suffix else base
    stem = _UNSAFE.sub("-", stem)
    stem = re.sub(r"[\s_]+", "-", stem)
    stem = re.sub(r"-{2,}", "-", stem).strip(" .-")[:MAX_NAME_CHARS].strip(" .-")
    return (stem or "document") + suffix


def save_upload(
    source: Path, name: str, corpus_dir: Path, known: dict[str, str] | None = None
) -> Saved:
    """Check one uploaded file and put it in corpus_dir; InputError says why not.

    `known` maps the sha256 of documents already indexed to their names: the same bytes
    uploaded again are refused rather than indexed twice."""
    shown = safe_name(Path(str(name).replace("\\", "/")).name or "the file")
    try:
        size = os.stat(source).st_size
        if size > MAX_UPLOAD_BYTES:
            raise InputError(
                f"{shown}: it is {size:,} bytes, over the limit of {MAX_UPLOAD_BYTES:,} bytes; "
                "split it into smaller files."
            )
        with open(source, "rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{shown}: the upload cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{shown}: it is over the limit of {MAX_UPLOAD_BYTES:,} bytes.")
    twin = (known or {}).get(hashlib.sha256(data).hexdigest())
    if twin is not None:
        raise InputError(f"{shown}: the same file is already indexed as {safe_name(twin)}.")
    kind = sniff(data)
    claimed = Path(str(name)).suffix.lower()
    if kind == "text" and claimed in (".html", ".htm") and b"<" in data[:4096]:
        kind = "html"
    if kind in _SUFFIX_OF:
        suffix = _SUFFIX_OF[kind]
        try:
            extracted = read_bytes(data, suffix)
        except FormatProblem as exc:
            raise InputError(f"{shown}: {exc}.") from None
        pages = len(extracted.pages) if extracted.pages else None
    elif kind == "text":
        suffix = ".md" if claimed in (".md", ".markdown") else ".txt"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{shown}: it is not UTF-8 text (bad byte at offset {exc.start}) nor a PDF, "
                "Word or HTML file."
            ) from None
        if not text.strip():
            raise InputError(f"{shown}: it is empty.")
        pages = None
    else:
        raise InputError(
            f"{shown}: its content is {kind}, not a document; cqqa takes PDF, Word (.docx), "
            "HTML, text and Markdown files."
        )
    corpus_dir = Path(corpus_dir)
    filename = safe_filename(str(name), suffix)
    target = _write_new(corpus_dir, filename, data)
    return Saved(target, target.stem, kind, pages)


def _write_new(corpus_dir: Path, filename: str, data: bytes) -> Path:
    """Write data under a free name (report.pdf, report-2.pdf, ...): first to a hidden
    temporary file (never indexed), then linked into place, which fails rather than
    replace a file that appeared meanwhile."""
    stem, suffix = filename[: -len(Path(filename).suffix)], Path(filename).suffix
    taken = {_stem_key(p) for p in corpus_dir.iterdir() if p.suffix.lower() in SUFFIXES}
    temporary = corpus_dir / f".upload-{secrets.token_hex(8)}.part"
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        for n in range(1, 1000):
            candidate = corpus_dir / (stem + (f"-{n}" if n > 1 else "") + suffix)
            # A document's id is its name without the suffix: report.pdf beside report.txt
            # would both be "report", so a stem already used counts as taken.
            if _stem_key(candidate) in taken:
                continue
            try:
                os.link(temporary, candidate)
            except FileExistsError:
                continue
            return candidate
        raise InputError(f"{filename}: too many documents with this name already.")
    except OSError as exc:
        raise InputError(
            f"{filename}: it cannot be saved in the corpus folder ({exc.strerror or exc})."
        ) from None
    finally:
        temporary.unlink(missing_ok=True)


def _stem_key(path: Path) -> str:
    return path.stem.casefold()


def remove_document(path: str | Path, corpus_dir: Path) -> Path:
    """Delete a document's file, which must be a regular file inside corpus_dir."""
    corpus = Path(os.path.realpath(corpus_dir))
    target = Path(os.path.realpath(path))
    if corpus not in target.parents or not target.is_file() or Path(path).is_symlink():
        raise InputError(f"{safe_name(Path(path).name)} is not a file in the corpus folder.")
    if target.suffix.lower() not in SUFFIXES:
        raise InputError(f"{safe_name(target.name)} is not a document.")
    try:
        target.unlink()
    except OSError as exc:
        raise InputError(
            f"{safe_name(target.name)} cannot be removed ({exc.strerror or exc})."
        ) from None
    return target


__all__ = [
    "MAX_UPLOAD_BYTES",
    "RICH_SUFFIXES",
    "Saved",
    "remove_document",
    "safe_filename",
    "save_upload",
]
