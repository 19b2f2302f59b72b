"""HTML renderings of answers, passages, documents and facts for the web chat (the
terminal's are in `render.py`). Every piece of user or document text is escaped here, so
it is shown as text and never runs."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .examples import not_found
from .index import Index
from .records import Answer, Fact, Passage


def marked_html(text: str, offset: int, spans: Iterable[tuple[int, int, str]]) -> str:
    """Escaped HTML of `text` (which starts at document offset `offset`), with each
    (start, end, css class) span wrapped in <mark>. Overlaps are fine: the text is cut
    into runs that share the same classes."""
    clipped = []
    cuts = {0, len(text)}
    for start, end, name in spans:
        s, e = max(start - offset, 0), min(end - offset, len(text))
        if s < e:
            clipped.append((s, e, name))
            cuts.update((s, e))
    points = sorted(cuts)
    out: list[str] = []
    for a, b in zip(points, points[1:]):
        names = sorted({n for s, e, n in clipped if s <= a and b <= e})
        piece = html.escape(text[a:b])
        out.append(f'<mark class="{" ".join(names)}">{piece}</mark>' if names else piece)
    return "".join(out)


def marks(index: Index, result: Answer, doc: str, start: int, end: int) -> list:
    spans = [(f.start, f.end, "cq-num") for f in index.facts_for(doc, start, end)]
    a = result.answer
    if a and a.doc == doc:
        spans.append((a.start, a.end, "cq-ans"))
    return spans


def reply_html(index: Index, result: Answer) -> str:
    """The chat reply: the answer in bold (or plainly, that the documents do not say),
    the sentence it comes from with the answer marked, and where that sentence is."""
    if result.answer is None:
        why = result.reason or "no passage supports an answer"
        parts = [f"<p>{not_found(index, result.lang)}: {html.escape(why)}.</p>"]
        if result.passages:
            top = result.passages[0]
            parts.append(
                f"<p><small>The closest passage is [{top.rank}] from "
                f"<em>{html.escape(title_of(index, top.doc))}</em>; all of them are under "
                "Sources.</small></p>"
            )
        return "".join(parts)
    a = result.answer
    parts = [f'<p class="cq-answer"><strong>{html.escape(a.text)}</strong></p>']
    s_start, s_end = sentence_span(index, a.doc, a.start, a.end)
    if (s_start, s_end) != (a.start, a.end):
        sentence = index.documents[a.doc].text[s_start:s_end]
        parts.append(
            f"<blockquote>{marked_html(sentence, s_start, [(a.start, a.end, 'cq-ans')])}"
            "</blockquote>"
        )
    rank = next((p.rank for p in result.passages if inside(a, p)), None)
    where = f"passage [{rank}] of " if rank else ""
    page = f"page {a.page}, " if a.page is not None else ""
    parts.append(
        f"<p><small>From {where}<em>{html.escape(title_of(index, a.doc))}</em>, {page}characters "
        f"{a.start:,}–{a.end:,} · {html.escape(a.kind)} · {html.escape(result.reason)}"
        "</small></p>"
    )
    return "".join(parts)


def sources_html(index: Index, result: Answer) -> str:
    """Every passage as a card: title, rank, scores, numbers and the answer marked."""
    if not result.passages:
        return '<p class="cq-legend"><b>Sources</b></p>' + empty("No passage matched.")
    cards = []
    for p in result.passages:
        has_answer = is_answer(result, p)
        scores = [f"score {p.score:.4f}"]
        if p.dense_score is not None:
            scores.append(f"dense {p.dense_score:.3f}")
        if p.bm25_score is not None:
            scores.append(f"BM25 {p.bm25_score:.2f}")
        tag = '<span class="cq-tag">answer</span>' if has_answer else ""
        body = marked_html(p.text, p.start, marks(index, result, p.doc, p.start, p.end))
        cards.append(
            f'<article class="cq-src{" cq-has-ans" if has_answer else ""}" data-rank="{p.rank}">'
            f'<header><span class="cq-rank">{p.rank}</span>'
            f"<b>{html.escape(p.title or title_of(index, p.doc))}</b>"
            f"<span>{html.escape(' · '.join(scores))}</span>"
            f"{f'<span>page {p.page}</span>' if p.page is not None else ''}"
            f"<span>chars {p.start:,}–{p.end:,}</span>{tag}</header>"
            f"<p>{body}</p></article>"
        )
    legend = (
        '<p class="cq-legend"><b>Sources</b> · <mark class="cq-ans">answer</mark> '
        '<mark class="cq-num">number</mark> · ranked by fused dense + BM25 score</p>'
    )
    return legend + '<div class="cq-sources">' + "".join(cards) + "</div>"


def document_html(index: Index, result: Answer, rank: int | None) -> str:
    """The whole document of one passage, that passage highlighted in place."""
    p = next((p for p in result.passages if p.rank == rank), None)
    if p is None:
        return empty("Pick a passage to see it in its document.")
    doc = index.documents.get(p.doc)
    if doc is None:  # removed from the corpus since this answer was given
        return empty("That document is no longer indexed: ask again.")
    spans = [(p.start, p.end, "cq-psg"), *marks(index, result, p.doc, 0, len(doc.text))]
    return (
        f'<p class="cq-legend"><b>{html.escape(doc.title)}</b> · passage {p.rank} in place, '
        f"characters {p.start:,}–{p.end:,}</p>"
        f'<div class="cq-box">{marked_html(doc.text, 0, spans)}</div>'
    )


def header_html(index: Index) -> str:
    """Title and one line about what the documents are."""
    titles = [d.title for d in index.documents.values()]
    if len(titles) == 1:
        about = f"“{titles[0]}”"
    else:
        shown = ", ".join(f"“{t}”" for t in titles[:2])
        about = f"{len(titles)} documents ({shown}{', …' if len(titles) > 2 else ''})"
    return (
        "<h1>cqqa · ask the documents</h1>"
        f"<p>Answers with the number and where it came from, from {html.escape(about)}: "
        f"{len(index.chunks):,} passages, {len(index.facts):,} numeric facts. "
        "Runs offline on this machine.</p>"
    )


def passage_fact_rows(result: Answer, sentences: dict[tuple, str]) -> list[list[Any]]:
    """The facts of an answer's passages, each with the rank of its first passage."""
    rows = []
    for f in result.facts:
        rank = next((p.rank for p in result.passages if inside(f, p)), "")
        rows.append([rank, *fact_cells(f, sentences)])
    return rows


def all_fact_rows(index: Index, sentences: dict[tuple, str], kind: str) -> list[list[Any]]:
    return [
        [*fact_cells(f, sentences), title_of(index, f.doc)]
        for f in index.facts
        if kind == "all" or f.kind == kind
    ]


def fact_cells(f: Fact, sentences: dict[tuple, str]) -> list[Any]:
    """fact, kind, normalized value, unit, qualifier, sentence."""
    sentence = sentences.get(fact_key(f), "")
    return [f.text, f.kind, fact_value(f), f.unit or "", f.qualifier or "", sentence]


def fact_key(f: Fact) -> tuple[str, int, int]:
    return (f.doc, f.start, f.end)


def fact_value(f: Fact) -> str:
    if f.normalized:
        return f.normalized
    if f.value is None:
        return ""
    if float(f.value).is_integer():
        return f"{int(f.value):,}"
    return f"{f.value:,.6g}" if abs(f.value) >= 1000 else f"{f.value:g}"


def passage_choices(result: Answer) -> list[tuple[str, int]]:
    """Radio labels (shown as text by Gradio); the title only when documents differ."""
    several = len({p.doc for p in result.passages}) > 1
    choices = []
    for p in result.passages:
        label = f"[{p.rank}] " + (f"{p.title[:40]} · " if several else "")
        label += f"chars {p.start:,}–{p.end:,}" + (" · answer" if is_answer(result, p) else "")
        choices.append((label, p.rank))
    return choices


def focus_rank(result: Answer) -> int | None:
    """The passage the answer is in, else the best one."""
    for p in result.passages:
        if is_answer(result, p):
            return p.rank
    return result.passages[0].rank if result.passages else None


def is_answer(result: Answer, p: Passage) -> bool:
    return result.answer is not None and inside(result.answer, p)


def inside(span: Any, p: Passage) -> bool:
    return span.doc == p.doc and p.start <= span.start and span.end <= p.end


def sentence_span(index: Index, doc: str, start: int, end: int) -> tuple[int, int]:
    for s_doc, s_start, s_end in index.sentences:
        if s_doc == doc and s_start <= start and end <= s_end:
            return s_start, s_end
    return start, end


def title_of(index: Index, doc: str) -> str:
    d = index.documents.get(doc)
    return d.title if d else doc


def no_sources() -> str:
    return '<p class="cq-legend"><b>Sources</b></p>' + empty(
        "The passages an answer comes from appear here, numbers and answer marked."
    )


def notice(text: str) -> str:
    return f'<p class="cq-notice">⚠️ {html.escape(text)}</p>'


def empty(text: str) -> str:
    return f'<p class="cq-empty">{html.escape(text)}</p>'
