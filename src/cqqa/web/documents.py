"""The web chat's documents: the "Documents" tab's rows and what adding or removing one does.

The library work is `uploads.save_upload` / `uploads.remove_document` and `index.build`
(incremental: only new text is embedded); here the results become rows and chat lines.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import CqqaError, InputError
from ..index import Index, build
from ..textutil import plural, safe_name
from ..uploads import Saved, remove_document, save_upload

DOCUMENT_HEADERS = ["document", "title", "format", "pages", "chunks", "facts", "added"]
ALL_DOCUMENTS = "__all__"  # the filter's value for "every document"


def document_rows(index: Index) -> list[list[Any]]:
    """One row per indexed document: its file, title, format, pages, chunks, facts, when
    it entered the index."""
    chunks = Counter(c.doc for c in index.chunks)
    facts = Counter(f.doc for f in index.facts)
    recorded = index.manifest.get("documents", {})
    rows = []
    for doc, d in index.documents.items():
        row = recorded.get(doc, {})
        rows.append(
            [
                safe_name(Path(d.path).name if d.path else doc),
                d.title,
                d.format or "text",
                len(d.pages) if d.pages else "",
                chunks[doc],
                facts[doc],
                str(row.get("added", ""))[:16].replace("T", " "),
            ]
        )
    return rows


def document_choices(index: Index) -> list[tuple[str, str]]:
    """(label, document id) for the remove and filter pickers."""
    return [
        (safe_name(Path(d.path).name if d.path else doc), doc) for doc, d in index.documents.items()
    ]


def add_documents(
    settings: Settings,
    files: Sequence[Any],
    progress: Callable[[float, str], None],
    index: Index | None = None,
) -> tuple[Index | None, str]:
    """Save each uploaded file that is a usable document, index them in one incremental
    build, and say what happened (an HTML chat message). The index is None when nothing
    was added."""
    saved: list[Saved] = []
    refused: list[str] = []
    paths = [
        f if isinstance(f, str | Path) else getattr(f, "path", None) or f.get("path")
        for f in files or []
    ]
    if not paths:
        raise InputError("Choose one or more files to add (PDF, Word .docx, HTML, text, Markdown).")
    known = _indexed_names(index)
    for n, path in enumerate(paths):
        name = getattr(files[n], "orig_name", None) or Path(str(path)).name
        progress(0.4 * n / len(paths), f"Checking {safe_name(Path(str(name)).name)}")
        try:
            item = save_upload(Path(str(path)), str(name), Path(settings.corpus_dir), known)
            saved.append(item)
            known[hashlib.sha256(item.path.read_bytes()).hexdigest()] = item.path.name
        except (CqqaError, OSError) as exc:
            refused.append(str(exc))
        finally:
            # Gradio's copy of the upload is not kept: the corpus has the only one.
            with contextlib.suppress(OSError):
                Path(str(path)).unlink()
    index = None
    if saved:
        progress(0.45, f"Indexing {plural(len(saved), 'new document')} (only new text is embedded)")
        try:
            index = build(settings, note=lambda message: None)
        except CqqaError as exc:
            for item in saved:  # nothing half-added: the files go again when the index cannot
                item.path.unlink(missing_ok=True)
            raise InputError(f"The documents could not be indexed: {exc}") from None
        progress(1.0, "Indexed")
    return index, _added_message(index, saved, refused)


def _indexed_names(index: Index | None) -> dict[str, str]:
    """sha256 of each indexed document's bytes -> its file name."""
    if index is None:
        return {}
    rows = index.manifest.get("documents", {})
    return {
        rows[doc]["sha256"]: Path(d.path).name if d.path else doc
        for doc, d in index.documents.items()
        if rows.get(doc, {}).get("sha256")
    }


def _added_message(index: Index | None, saved: list[Saved], refused: list[str]) -> str:
    parts = []
    if saved and index is not None:
        chunks = Counter(c.doc for c in index.chunks)
        facts = Counter(f.doc for f in index.facts)
        items = []
        for s in saved:
            pages = f", {plural(s.pages, 'page')}" if s.pages else ""
            name = html.escape(safe_name(s.path.name))
            counted = (
                f"{plural(chunks[s.doc_id], 'passage')}, {plural(facts[s.doc_id], 'numeric fact')}"
            )
            items.append(f"<li><b>{name}</b> ({html.escape(s.format)}{pages}): {counted}</li>")
        added = plural(len(saved), "document")
        parts.append(f"<p>Added {added}; ask about it now:</p><ul>{''.join(items)}</ul>")
    if refused:
        items = "".join(f"<li>{html.escape(r)}</li>" for r in refused)
        parts.append(f'<p>Not added:</p><ul class="cq-refused">{items}</ul>')
    return "".join(parts)


def remove(settings: Settings, index: Index, doc: str | None) -> tuple[Index, str]:
    """Delete one document's file and rebuild; the last document cannot be removed."""
    if not doc or doc not in index.documents:
        raise InputError("Pick a document to remove.")
    if len(index.documents) <= 1:
        raise InputError("The last document cannot be removed; add another first.")
    document = index.documents[doc]
    path = Path(document.path)
    removed = remove_document(path, Path(settings.corpus_dir))
    new = build(settings, note=lambda message: None)
    return new, f"<p>Removed <b>{html.escape(safe_name(removed.name))}</b>.</p>"
