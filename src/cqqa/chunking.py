"""Documents -> sentence-aware, overlapping chunks with exact character offsets.

A chunk never starts or ends inside a sentence (unless one sentence alone is
longer than the limit), so numbers such as "343.83" or "US$5.5" stay whole.
"""

from __future__ import annotations

import re

from .records import Chunk, Document

# A sentence ends at . ! ? (with closing quotes or brackets) followed by white
# space, at a blank line, or before a line that starts a heading or list item.
_END = re.compile(r"""[.!?]+["'’”)\]]*(?=\s)""")
_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*|\n(?=[ \t]*(?:#|[-*•]\s|\d+[.)]\s))")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr no nos vs etc e.g i.e u.s u.k u.n jan feb mar apr jun jul aug "
    "sep sept oct nov dec co corp inc ltd fig al approx dept est govt".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_SPACE = re.compile(r"\s")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, trimmed of surrounding white space."""
    cuts = {m.end() for m in _BREAK.finditer(text)}
    for m in _END.finditer(text):
        if not _is_abbreviation(text, m.start(), m.end()) and not _next_is_lower(text, m.end()):
            cuts.add(m.end())
    spans = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        span = _trim(text, start, cut)
        if span:
            spans.append(span)
        start = cut
    return spans


def chunk_document(
    document: Document, sentences: int = 3, overlap: int = 1, max_chars: int = 1200
) -> list[Chunk]:
    """Windows of `sentences` sentences sharing `overlap` with the next window."""
    spans = [
        piece
        for span in sentence_spans(document.text)
        for piece in _split_long(document.text, span, max_chars)
    ]
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        j = i + 1  # exclusive end of the window
        while j < len(spans) and j - i < sentences and spans[j][1] - spans[i][0] <= max_chars:
            j += 1
        start, end = spans[i][0], spans[j - 1][1]
        chunks.append(Chunk(document.id, start, end, document.text[start:end], len(chunks)))
        if j >= len(spans):
            break
        i = max(i + 1, j - overlap)
    return chunks


def split_sentences(text: str, max_chars: int = 1200) -> list[tuple[int, int]]:
    """Sentence spans, an over-long sentence cut into pieces of at most max_chars."""
    return [piece for span in sentence_spans(text) for piece in _split_long(text, span, max_chars)]


def _is_abbreviation(text: str, dot: int, end: int) -> bool:
    if end - dot != 1 or text[dot] != ".":
        return False
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not word:
        return False
    token = word.group(1).lower()
    # "U.S." and single capitals ("J. Smith") are abbreviations, not sentence ends.
    return token in _ABBREVIATIONS or len(token) == 1 or "." in token


def _next_is_lower(text: str, end: int) -> bool:
    rest = text[end : end + 40].lstrip()
    return bool(rest) and rest[0].islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _split_long(text: str, span: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at white space, never inside a word or a number."""
    max_chars = max(1, max_chars)  # a limit below 1 would never move forward
    start, end = span
    pieces = []
    while end - start > max_chars:
        limit = start + max_chars
        cut = max(
            (m.start() for m in _SPACE.finditer(text, start + max(1, max_chars // 2), limit)),
            default=-1,
        )
        if cut == -1:  # no white space at all: a hard cut is all that is left
            cut = limit
        piece = _trim(text, start, cut)
        if piece:
            pieces.append(piece)
        start = cut
    last = _trim(text, start, end)
    if last:
        pieces.append(last)
    return pieces
