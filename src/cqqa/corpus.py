"""Reading corpus/ into Documents, byte-exact, so offsets stay true."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError
from .formats import RICH_SUFFIXES, SUFFIXES, FormatProblem, read_bytes
from .records import Document
from .textutil import safe_name

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # larger files are skipped with a message


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every .txt, .md, .pdf, .html, .htm and .docx file below corpus_dir (or link to
    one), in a stable order."""
    return [entry.path for entry in _scan(Path(corpus_dir)) if entry.is_file]


@dataclass(frozen=True)
class _Entry:
    """A file that may become a document, or something below corpus/ that is passed over
    with a reason (`is_file` False: a folder that is a link or cannot be read)."""

    path: Path
    is_file: bool = True
    problem: str = ""
    # What is read: the file itself, or for a link the target checked at the scan (opened
    # without following links, so a link swapped in later is refused, not read).
    target: str = ""


def _scan(corpus_dir: Path) -> list[_Entry]:
    """Walk corpus_dir without following folder links; say why a link or folder is skipped.

    A link to a file is indexed when its target lies inside the corpus folder (read through
    the link, under the link's own id) and skipped, with its target named, when it points
    anywhere else: `ln -s /etc/passwd corpus/notes.txt` must not serve /etc/passwd. Links
    to folders are never entered (inside the corpus their target is indexed itself; outside
    it they would leak the same way, and a link to a parent would loop).
    """
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"No corpus folder at {safe_name(corpus_dir)}. Create it, put .txt or .md files "
            "there, then run `cqqa index`."
        )
    try:
        os.listdir(corpus_dir)
    except OSError as exc:
        raise CorpusError(
            f"Cannot read the corpus folder {safe_name(corpus_dir)} "
            f"({exc.strerror or exc}). Make it readable (e.g. `chmod u+rx "
            f"{safe_name(corpus_dir)}`), then run `cqqa index`."
        ) from None
    root = Path(os.path.realpath(corpus_dir))
    entries: list[_Entry] = []

    def unreadable(exc: OSError) -> None:
        folder = Path(exc.filename) if exc.filename else corpus_dir
        entries.append(
            _Entry(
                folder,
                False,
                f"the folder cannot be read ({exc.strerror or exc}); check its permissions",
            )
        )

    for here, folders, names in os.walk(corpus_dir, onerror=unreadable):
        base = Path(here)
        kept = []
        for name in folders:
            if name.startswith("."):
                continue
            if (base / name).is_symlink():
                target = os.path.realpath(base / name)
                where = "inside" if _within(Path(target), root) else "outside"
                entries.append(
                    _Entry(
                        base / name,
                        False,
                        f"it is a link to the folder {safe_name(target)} "
                        f"{where} the corpus folder; links to folders are not followed",
                    )
                )
            else:
                kept.append(name)
        folders[:] = sorted(kept)
        for name in names:
            path = base / name
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            if not path.is_file():  # a FIFO (reading it would hang), a socket, a dangling link
                continue
            problem, target = "", str(path)
            if not _utf8(path.relative_to(corpus_dir).as_posix()):
                problem = "its name is not valid UTF-8; rename it (e.g. with `convmv`)"
            elif path.is_symlink():
                target = os.path.realpath(path)
                if not _within(Path(target), root):
                    problem = (
                        f"it is a link to {safe_name(target)}, outside the corpus folder; "
                        "copy the file into the corpus instead"
                    )
            entries.append(_Entry(path, True, problem, target))
    return sorted(entries, key=lambda e: e.path.relative_to(corpus_dir).as_posix())


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _utf8(name: str) -> bool:
    """Whether a name decoded from the file system is real text (not surrogate escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    """Document id -> sha256 of the file's bytes (or what stands for them when the file is
    skipped unread), for noticing a stale index. Equal to what `read_corpus` records."""
    return {
        doc_id: sha
        for _entry, doc_id, (_p, _d, sha) in _read_all(Path(corpus_dir), parse=False)
        if doc_id is not None
    }


def load_corpus(corpus_dir: Path, warn: Callable[[str], None] | None = None) -> list[Document]:
    """Decode every usable file; report the others by name and go on without them."""
    return read_corpus(corpus_dir, warn)[0]


def read_corpus(
    corpus_dir: Path,
    warn: Callable[[str], None] | None = None,
    known: dict[str, Document] | None = None,
) -> tuple[list[Document], dict[str, str]]:
    """The documents, and the fingerprint of the very bytes they were decoded from: a file
    rewritten while the index is built must not be recorded with the other version's hash.

    `known` maps the sha256 of a PDF, HTML or Word file's bytes to the document an earlier
    build read from them: its text is reused rather than parsed again (parsing is the slow
    part of adding a document to a corpus of PDFs)."""
    warn = warn or (lambda message: print(message, file=sys.stderr))
    corpus_dir = Path(corpus_dir)
    documents, problems, prints = [], [], {}
    for entry, doc_id, (problem, document, sha) in _read_all(corpus_dir, known=known):
        if doc_id is not None:
            prints[doc_id] = sha
        if problem:
            problems.append(_named(entry, problem))
        else:
            documents.append(document)
    if not documents:
        raise _no_documents(corpus_dir, problems)
    for problem in problems:
        warn(f"Skipped {problem}")
    return documents, prints


def require_documents(corpus_dir: Path, known: Collection[str] = ()) -> None:
    """Fail early, in one line, when no file in corpus_dir can become a document.

    Cheap when the corpus is fine: it stops at the first usable file. A PDF, HTML or Word
    file is parsed only when no text file is usable and the index does not already hold a
    document read from the same bytes (`known`: their sha256), so a question asked of a
    corpus of PDFs does not parse one each time.
    """
    corpus_dir = Path(corpus_dir)
    problems, rich = [], []
    for entry, doc_id, (problem, _document, sha) in _read_all(corpus_dir, parse=False):
        if problem:
            problems.append(_named(entry, problem))
        elif entry.path.suffix.lower() not in RICH_SUFFIXES or sha in known:
            return
        else:
            rich.append((entry, doc_id))
    for entry, doc_id in rich:
        problem, _document, _sha = _read_document(entry, doc_id)
        if not problem:
            return
        problems.append(_named(entry, problem))
    raise _no_documents(corpus_dir, problems)


def _read_all(
    corpus_dir: Path, parse: bool = True, known: dict[str, Document] | None = None
) -> Iterator[tuple[_Entry, str | None, tuple]]:
    """(entry, its document id or None, `_read_document`'s result), lazily and in order.

    Without `parse`, a PDF, HTML or Word file is only hashed (enough for a fingerprint)."""
    entries = _scan(corpus_dir)
    # A name that is not UTF-8 gets a printable stand-in id, so that it is recorded as
    # skipped (and a fixed name counts as a change) like any other skipped file.
    ids = {
        path: safe_name(doc_id)
        for path, doc_id in document_ids([e.path for e in entries if e.is_file], corpus_dir).items()
    }
    for entry in entries:
        doc_id = ids.get(entry.path)
        yield entry, doc_id, _read_document(entry, doc_id, parse, known)


def _named(entry: _Entry, problem: str) -> str:
    return f"{safe_name(entry.path)}{'' if entry.is_file else '/'}: {problem}"


def _no_documents(corpus_dir: Path, problems: list[str]) -> CorpusError:
    if not problems:
        return CorpusError(
            f"No documents in {safe_name(corpus_dir)}/. Put .txt or .md files there "
            "(or .pdf, .html, .docx), "
            "then run `cqqa index`."
        )
    shown = "; ".join(problems[:3])
    if len(problems) > 3:
        shown += f"; and {len(problems) - 3} more"
    return CorpusError(
        f"No usable documents in {safe_name(corpus_dir)}/ ({shown}). "
        "Put UTF-8 .txt or .md files there (or .pdf, .html, .docx), then run `cqqa index`."
    )


def title_of(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff").lstrip("#").strip()
        if line:
            return line[:200]
    return fallback


def _read_document(
    entry: _Entry,
    doc_id: str | None,
    parse: bool = True,
    known: dict[str, Document] | None = None,
) -> tuple[str, Document | None, str]:
    """("", the document, sha256 of its bytes) or (why it cannot be one, None, a stand-in
    for its bytes: a hash, or for a file skipped unread, its size and times)."""
    path = entry.path
    if entry.problem or doc_id is None:
        # What the link says, not where it leads now (/proc/self/... differs per process).
        target = os.readlink(path) if path.is_symlink() else ""
        return entry.problem or "it has no usable name", None, f"skipped:{target}"
    try:
        # The file itself, never a link swapped in since the scan; a FIFO must not block.
        fd = os.open(entry.target or path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            os.close(fd)
            return "it is not a regular file", None, "unreadable"
        with os.fdopen(fd, "rb") as handle:
            if status.st_size > MAX_DOCUMENT_BYTES:
                # Not read, so not hashed: its size and times stand for its bytes.
                return (
                    f"it is {status.st_size:,} bytes, over the limit of "
                    f"{MAX_DOCUMENT_BYTES:,} bytes; split it into smaller files",
                    None,
                    f"over-limit:{status.st_size}:{status.st_mtime_ns}",
                )
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc}); check its permissions", None, "unreadable"
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_DOCUMENT_BYTES:  # it grew while being read
        return "it grew over the size limit while being read; split it", None, sha
    suffix = path.suffix.lower()
    if suffix in RICH_SUFFIXES:
        if not parse:
            return "", None, sha
        return _read_rich(data, suffix, doc_id, str(path), sha, known)
    if b"\x00" in data:
        return "it looks binary (it contains NUL bytes); only UTF-8 text is indexed", None, sha
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"it is not UTF-8 (bad byte at offset {exc.start}); convert it, "
            "e.g. `iconv -f latin1 -t utf-8`",
            None,
            sha,
        )
    if not text.strip():
        return "it is empty", None, sha
    document = Document(id=doc_id, title=title_of(text, doc_id), text=text, path=str(path))
    return "", document, sha


def _read_rich(
    data: bytes, suffix: str, doc_id: str, path: str, sha: str, known: dict[str, Document] | None
) -> tuple[str, Document | None, str]:
    seen = (known or {}).get(sha)
    if seen is not None:
        return "", Document(doc_id, seen.title, seen.text, path, seen.pages, seen.format), sha
    try:
        extracted = read_bytes(data, suffix)
    except FormatProblem as exc:
        return str(exc), None, sha
    pages = list(extracted.pages) if extracted.pages is not None else None
    title = extracted.title or doc_id
    return "", Document(doc_id, title, extracted.text, path, pages, extracted.format), sha


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
