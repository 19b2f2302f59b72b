"""PDF, HTML and Word files as plain text, with the offset where each PDF page starts.

A document keeps the text it was read as: every offset in the index refers to the text
returned here, never to the file's bytes. What a file is comes from its content (its first
bytes), not its name: a `.pdf` that is really an executable is refused, never parsed.

Libraries (chosen by measuring on real files; the figures are in the README's notes):
pypdf for PDF text (3-5x faster than pdfplumber here, and pdfplumber lost the spaces
between words on one of the two PDFs), trafilatura for the main text of an HTML page (no
navigation, menus, cookie banners or scripts; BeautifulSoup's `get_text` kept 6 of 7
boilerplate phrases of a news page) with BeautifulSoup as the fallback when trafilatura
finds no main text, python-docx for Word. Each is imported only when a file needs it.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from bisect import bisect_right
from dataclasses import dataclass

# Suffix -> format. `.txt` and `.md` are read by corpus.py as UTF-8 text.
RICH_SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}
TEXT_SUFFIXES = {".txt": "text", ".md": "text"}
SUFFIXES = tuple(TEXT_SUFFIXES) + tuple(RICH_SUFFIXES)

# Bounds on what one file may become (a PDF or zip bomb must not fill memory).
MAX_PAGES = 2000  # a 500-page report is read; a 2,001-page file is refused with a message
MAX_TEXT_CHARS = 20_000_000  # text extracted from one file
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a .docx's members, as their headers declare

_EXECUTABLES = (
    (b"\x7fELF", "a Linux executable"),
    (b"MZ", "a Windows executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"\xce\xfa\xed\xfe", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java executable"),
    (b"#!", "a script"),
)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)


class FormatProblem(Exception):
    """Why a file cannot become a document; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""
    pages: tuple[int, ...] | None = None  # offset in `text` where page 1, 2, ... starts
    format: str = "text"


def _plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\t\r\n" for c in text)


def sniff(data: bytes) -> str:
    """What the bytes are: pdf, docx, html, text, or a description of something else."""
    head = data[:1024]
    at = head.find(b"%PDF-")
    if at == 0 or (at > 0 and (not head[:at].strip() or not _plain_text(head[:at]))):
        # A PDF may have binary junk before its header; a text that mentions "%PDF-" is text.
        return "pdf"
    for magic, what in _EXECUTABLES:
        if head.startswith(magic):
            return what
    if head.startswith(b"PK\x03\x04"):
        return "docx" if _is_docx(data) else "a zip archive"
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    if b"\x00" in head:
        return "binary data"
    return "text"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read_bytes(data: bytes, suffix: str) -> Extracted:
    """The text of a .pdf/.html/.htm/.docx file's bytes; FormatProblem says why not."""
    expected = RICH_SUFFIXES[suffix.lower()]
    found = sniff(data)
    if found != expected and not (expected == "html" and found == "text" and b"<" in data[:4096]):
        label = {"pdf": "a PDF", "docx": "a Word document", "html": "an HTML page"}
        raise FormatProblem(
            f"it is named {suffix} but its content is "
            f"{label.get(found, found if found != 'text' else 'plain text')}; "
            f"only {label[expected]} is read as {suffix}"
        )
    with warnings.catch_warnings():  # a parser's warnings are not the user's one line
        warnings.simplefilter("ignore")
        extracted = {"pdf": _pdf, "html": _html, "docx": _docx}[expected](data)
    if len(extracted.text) > MAX_TEXT_CHARS:
        raise FormatProblem(
            f"its text is {len(extracted.text):,} characters, over the limit of "
            f"{MAX_TEXT_CHARS:,}; split it into smaller files"
        )
    if not extracted.text.strip():
        raise FormatProblem("it has no text")
    return extracted


def page_at(pages: tuple[int, ...] | list[int] | None, offset: int) -> int | None:
    """The 1-based page an offset of the document's text is on (None without pages)."""
    if not pages:
        return None
    return max(1, bisect_right(pages, offset))


# ---------------------------------------------------------------- PDF


def _pdf(data: bytes) -> Extracted:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its log is not the user's line
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An owner password alone (printing or copying restricted) still opens it.
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 (an unsupported cipher is a refusal too)
                opened = 0
            if not opened:
                raise FormatProblem(
                    "it is an encrypted PDF that needs a password; save an unencrypted copy "
                    "(e.g. `qpdf --decrypt`) and add that"
                )
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise FormatProblem(
                f"it has {count:,} pages, over the limit of {MAX_PAGES:,}; split it"
            )
        texts = []
        total = 0
        for page in reader.pages:
            text = _pdf_page_text(page.extract_text() or "")
            total += len(text)
            if total > MAX_TEXT_CHARS:
                raise FormatProblem(
                    f"its text is over the limit of {MAX_TEXT_CHARS:,} characters; split it"
                )
            texts.append(text)
        title = _pdf_title(reader)
    except FormatProblem:
        raise
    except (PdfReadError, Exception) as exc:  # noqa: BLE001 (any parser failure is one line)
        raise FormatProblem(
            f"it cannot be read as a PDF ({type(exc).__name__}: {_short(exc)}); "
            "it may be damaged, so save it again from its source"
        ) from None
    if count == 0:
        raise FormatProblem("it is a PDF with no pages")
    if not any(t.strip() for t in texts):
        raise FormatProblem(
            f"it is a PDF of {count:,} page{'s' if count != 1 else ''} with no text layer "
            "(a scan?); run OCR on it (e.g. `ocrmypdf`) and add the result"
        )
    pieces, pages, offset = [], [], 0
    for text in texts:
        pages.append(offset)
        pieces.append(text)
        offset += len(text) + 2
    body = "\n\n".join(pieces)
    return Extracted(body, title or _first_line(body), tuple(pages), "pdf")


_LINE_END = re.compile(r"[.!?:;]['\"’”)\]]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _pdf_page_text(raw: str) -> str:
    """One page's lines rejoined: a line break inside a sentence (the PDF's layout) becomes
    a space; one after a sentence's end stays; blank lines stay paragraph breaks."""
    raw = _CONTROL.sub(" ", raw.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    for line in raw.split("\n"):
        line = " ".join(line.split())
        if not line:
            if out and out[-1] != "\n\n":
                out.append("\n\n")
            continue
        if out and out[-1] not in ("\n", "\n\n"):
            out.append(" ")
        out.append(line)
        if _LINE_END.search(line):
            out.append("\n")
    return "".join(out).strip()


def _pdf_title(reader) -> str:  # noqa: ANN001 (pypdf's PdfReader)
    try:
        meta = reader.metadata
        title = (meta.title if meta else "") or ""
    except Exception:  # noqa: BLE001
        title = ""
    return " ".join(str(title).split())[:200]


# ---------------------------------------------------------------- HTML


def _html(data: bytes) -> Extracted:
    html = _decode_html(data)
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        import trafilatura

        main = trafilatura.extract(html, include_tables=True, include_comments=False) or ""
        meta = trafilatura.extract_metadata(html)
        title = (meta.title if meta else "") or ""
    except Exception:  # noqa: BLE001 (trafilatura failing falls back to the whole page)
        main, title = "", ""
    if not main.strip():
        main, fallback_title = _html_all_text(html)
        title = title or fallback_title
    # One paragraph or heading per line from either: a blank line between them, so a
    # heading without a full stop is not read as the start of the next sentence.
    lines = [" ".join(line.split()) for line in main.splitlines()]
    text = "\n\n".join(line for line in lines if line)
    return Extracted(text, " ".join(title.split())[:200] or _first_line(text), None, "html")


def _decode_html(data: bytes) -> str:
    head = data[:2048].decode("ascii", "replace")
    match = re.search(r"""charset=["']?([A-Za-z0-9_\-]+)""", head)
    for encoding in ([match.group(1)] if match else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _html_all_text(html: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer"]):
        tag.decompose()
    return soup.get_text("\n", strip=True), title


# ---------------------------------------------------------------- Word


def _docx(data: bytes) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
        if declared > MAX_UNZIPPED_BYTES:
            raise FormatProblem(
                f"it unpacks to {declared:,} bytes, over the limit of {MAX_UNZIPPED_BYTES:,}"
            )
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document)
        title = (document.core_properties.title or "").strip()
    except FormatProblem:
        raise
    except Exception as exc:  # noqa: BLE001 (any parser failure is one line)
        raise FormatProblem(
            f"it cannot be read as a Word file ({type(exc).__name__}: {_short(exc)}); "
            "save it again as .docx"
        ) from None
    text = "\n\n".join(blocks)
    return Extracted(text, " ".join(title.split())[:200] or _first_line(text), None, "docx")


def _docx_blocks(document) -> list[str]:  # noqa: ANN001 (python-docx's Document)
    """Paragraphs and tables in the order they appear; a table row is one line."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = " ".join(item.text.split())
            if text:
                blocks.append(text)
        elif isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    rows.append(" | ".join(cells))
            if rows:
                blocks.append("\n".join(rows))
    return blocks


def _first_line(text: str) -> str:
    """A short first line as the title; a paragraph is no title (the file name is used)."""
    for line in text.splitlines():
        if line.strip():
            return line.strip() if len(line.strip()) <= 120 else ""
    return ""


def _short(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or "no detail"
    return message[:120]


__all__ = [
    "Extracted",
    "FormatProblem",
    "RICH_SUFFIXES",
    "SUFFIXES",
    "page_at",
    "read_bytes",
    "sniff",
]
