"""The web chat: a Gradio page and an `/ask` API around `answer()`.

This module only translates. The library answers; here questions come in from a
browser or a client, and answers go out as chat messages, marked passages and
tables. Everything a user typed or a document contains is escaped before it
reaches the page, so it is shown as text and never runs.
"""

from __future__ import annotations

import atexit
import html
import json
import math
import os
import shutil
import sys
import tempfile
import traceback
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .answer import answer
from .config import Settings
from .errors import CqqaError, InputError
from .examples import example_questions, not_found
from .index import Index, open_index
from .pages import locate
from .records import Answer, Fact, Passage
from .render import facts_csv, sentence_of
from .scope import restrict
from .web_documents import (
    ALL_DOCUMENTS,
    DOCUMENT_HEADERS,
    add_documents,
    document_choices,
    document_rows,
    remove,
)

FACT_HEADERS = ["rank", "fact", "kind", "value", "unit", "qualifier", "sentence"]
ALL_FACT_HEADERS = ["fact", "kind", "value", "unit", "qualifier", "sentence", "document"]
MAX_K = 20  # the slider's end; the API accepts what Settings accepts
MAX_SCOPED_SESSIONS = 1000  # sessions whose "Ask in" choice is kept (oldest forgotten)

CSS = """
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; }
#cq-head h1 { margin: 0 0 .15rem; font-size: 1.55rem; }
#cq-head p { margin: 0; color: var(--body-text-color-subdued); }
#cq-chat .message mark, .cq-box mark { color: #111827; border-radius: 3px; padding: 0 2px; }
mark.cq-psg { background: #dbeafe; padding: 0; }
mark.cq-num { background: #fde68a; }
mark.cq-ans { background: #86efac; border-bottom: 2px solid #15803d; border-radius: 0;
  padding: 0; font-weight: 600; }
.cq-legend { font-size: .8rem; color: var(--body-text-color-subdued); margin: 0 0 .5rem; }
.cq-legend b { font-size: .95rem; color: var(--body-text-color); }
.cq-sources { display: flex; flex-direction: column; gap: .55rem; max-height: 440px;
  overflow: auto; padding-right: .25rem; }
.cq-src { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: .55rem .75rem; background: var(--background-fill-primary); }
.cq-src.cq-has-ans { border-color: #15803d; }
.cq-src header { display: flex; flex-wrap: wrap; gap: .15rem .6rem; align-items: center;
  font-size: .82rem; color: var(--body-text-color-subdued); }
.cq-src header b { color: var(--body-text-color); }
.cq-rank { display: inline-grid; place-items: center; min-width: 1.35rem; height: 1.35rem;
  border-radius: 999px; background: var(--color-accent); color: #fff; font-weight: 700; }
.cq-tag { background: #dcfce7; color: #166534; border-radius: 999px; padding: 0 .5rem; }
.cq-src p { margin: .35rem 0 0; white-space: pre-wrap; line-height: 1.5; font-size: .92rem; }
.cq-box { max-height: 330px; overflow: auto; position: relative; white-space: pre-wrap;
  line-height: 1.55; font-size: .92rem; border: 1px solid var(--border-color-primary);
  border-radius: 8px; padding: .6rem .8rem; background: var(--background-fill-primary); }
#cq-chat .cq-answer { margin: 0 0 .3rem; }
#cq-chat .cq-answer strong { font-size: 1.15rem; }
#cq-chat blockquote { margin: .3rem 0; padding: .1rem 0 .1rem .7rem;
  border-left: 3px solid var(--border-color-accent); color: var(--body-text-color); }
#cq-chat small { color: var(--body-text-color-subdued); }
#cq-facts .table-wrap *, #cq-all-facts .table-wrap * { font-family: var(--font); }
/* A wide table scrolls inside itself instead of widening the page (phones). */
#cq-facts, #cq-all-facts { contain: inline-size; }
.cq-empty { color: var(--body-text-color-subdued); font-style: italic; }
#cq-examples button { font-weight: 400; }
@media (max-width: 700px) {
  #cq-head h1 { font-size: 1.25rem; }
  .cq-box, .cq-sources { max-height: 300px; }
}
"""

# Scroll the document panel (not the page) so the chosen passage is in view.
SCROLL_JS = """() => { setTimeout(() => {
  const box = document.querySelector('#cq-doc .cq-box');
  const mark = box && box.querySelector('mark.cq-psg');
  if (box && mark) box.scrollTop = Math.max(0, mark.offsetTop - 48);
}, 60); }"""


# ------------------------------------------------------------ serving


def build_demo(settings: Settings) -> Any:
    """The whole page; the index (and the model) load here once, not per question."""
    _offline()
    import gradio as gr

    index = open_index(settings, note=_note)
    examples_text = example_questions(index, settings.corpus_dir)
    _ask(index, settings, examples_text[0], [], settings.k)  # warm the model and caches now
    counts = Counter(f.kind for f in index.facts)
    kinds = sorted(counts)
    csv_paths = _write_fact_csvs(index, kinds)
    # The index never changes while serving: look each fact's sentence up once.
    sentences = {_key(f): sentence_of(index, f) for f in index.facts}
    fact_rows = {kind: all_fact_rows(index, sentences, kind) for kind in ["all", *kinds]}

    def refresh(new: Index) -> None:
        """Serve a rebuilt index (after a document was added or removed) from now on; a
        question already being answered finishes on the index it started with."""
        nonlocal index, counts, kinds, csv_paths, sentences, fact_rows
        new_counts = Counter(f.kind for f in new.facts)
        new_kinds = sorted(new_counts)
        new_csvs = _write_fact_csvs(new, new_kinds)
        new_sentences = {_key(f): sentence_of(new, f) for f in new.facts}
        new_rows = {k: all_fact_rows(new, new_sentences, k) for k in ["all", *new_kinds]}
        # All at once: a question being answered never sees half of the new state.
        index, counts, kinds, csv_paths, sentences, fact_rows = (
            new,
            new_counts,
            new_kinds,
            new_csvs,
            new_sentences,
            new_rows,
        )

    def respond(
        message: str, chat: list, questions: list[str], k: float, within: Any = None
    ) -> tuple:
        """One chat turn: failures become a message in the chat, never a stuck spinner."""
        chat = list(chat or [])
        if (message or "").strip():
            chat.append({"role": "user", "content": html.escape(message)})
        current, rows = index, sentences  # this turn's index, whatever an upload does meanwhile
        try:
            result = _ask(current, settings, message, questions, k, within)
        except CqqaError as exc:
            chat.append({"role": "assistant", "content": _notice(str(exc))})
            keep = message if (message or "").strip() else ""
            return (keep, chat, questions, *[gr.skip()] * 5)
        except Exception as exc:  # noqa: BLE001 - the page shows one line, the log the rest
            traceback.print_exc(file=sys.stderr)
            chat.append(
                {
                    "role": "assistant",
                    "content": _notice(
                        f"Something went wrong while answering ({type(exc).__name__}: {exc}). "
                        "The server log has the details."
                    ),
                }
            )
            return (message, chat, questions, *[gr.skip()] * 5)
        chat.append({"role": "assistant", "content": reply_html(current, result)})
        focus = _focus_rank(result)
        return (
            "",
            chat,
            [*questions, result.question],
            sources_html(current, result),
            gr.Radio(choices=_passage_choices(result), value=focus),
            document_html(current, result, focus),
            _frame(passage_fact_rows(result, rows), FACT_HEADERS),
            result,
        )

    def show_passage(rank: int | None, result: Answer | None) -> str:
        return document_html(index, result, rank) if result else _empty("Ask a question first.")

    def clear() -> tuple:
        # The question box is left alone: a question typed while the chat was being cleared
        # (or just after) must not be wiped by this reply.
        return (
            gr.skip(),
            [],
            [],
            _no_sources(),
            gr.Radio(choices=[], value=None),
            _empty("Pick a passage to see it in its document."),
            _frame([], FACT_HEADERS),
            None,
        )

    def facts_label(kind: str) -> str:
        if kind == "all":
            return f"Every number in the documents ({len(fact_rows['all'])})"
        return f"Numbers of kind {kind} in the documents ({len(fact_rows[kind])})"

    def filter_facts(kind: str) -> tuple:
        table = gr.Dataframe(_frame(fact_rows[kind], ALL_FACT_HEADERS), label=facts_label(kind))
        return table, csv_paths[kind]

    def ask(
        question: str, history: list[str] | str | None = None, k: int = settings.k
    ) -> dict[str, Any]:
        """Answer like `cqqa ask --json`: history is the earlier questions, oldest first
        (a list, or that list as a JSON string); k is how many passages to return."""
        try:
            return _ask(index, settings, question, _history(history), k).to_dict()
        except CqqaError as exc:  # the caller's mistake: a message for them, no log noise
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception as exc:  # noqa: BLE001 - the caller gets one line, the log the rest
            traceback.print_exc(file=sys.stderr)
            problem = f"Something went wrong while answering ({type(exc).__name__})."
            raise gr.Error(problem, print_exception=False) from None

    scopes: OrderedDict[str, Any] = OrderedDict()  # session -> its "Ask in" choice

    def remember(value: Any, request: Any = None) -> None:
        if request is not None and getattr(request, "session_hash", None):
            scopes[request.session_hash] = value
            scopes.move_to_end(request.session_hash)
            while len(scopes) > MAX_SCOPED_SESSIONS:
                scopes.popitem(last=False)

    def submit(message: str, chat: list, questions: list[str], k: float, request: Any = None):
        session = getattr(request, "session_hash", None) if request is not None else None
        return respond(message, chat, questions, k, scopes.get(session) if session else None)

    # Gradio hands a handler the request when its annotation is gr.Request (an object:
    # this module's annotations are strings, which Gradio cannot resolve to gradio here).
    remember.__annotations__["request"] = gr.Request
    submit.__annotations__["request"] = gr.Request

    def documents_changed(chat: list, message: str) -> tuple:
        """What the page shows after the documents changed: the chat note, the header,
        the Documents tab, the remove picker, the All facts tab."""
        chat = [*(chat or []), {"role": "assistant", "content": message}]
        choices = document_choices(index)
        return (
            chat,
            header_html(index),
            _frame(document_rows(index), DOCUMENT_HEADERS),
            gr.Dropdown(choices=choices, value=None),
            gr.Dropdown(choices=_within_choices(index), value=ALL_DOCUMENTS, visible=True),
            gr.Dropdown(choices=_kind_choices(index, counts, kinds), value="all"),
            gr.Dataframe(_frame(fact_rows["all"], ALL_FACT_HEADERS), label=facts_label("all")),
            csv_paths["all"],
        )

    def upload(files: list | None, chat: list, progress: Any = gr.Progress()) -> tuple:  # noqa: B008
        """Add documents: checked by content, saved under a safe name, indexed
        incrementally; the chat says what was added and what was not, and why."""
        try:
            new, message = add_documents(
                settings, files or [], lambda f, desc: progress(f, desc=desc), index
            )
        except CqqaError as exc:
            new, message = None, _notice(str(exc))
        if new is not None:
            refresh(new)
        return documents_changed(chat, message)

    def remove_one(doc: str | None, chat: list) -> tuple:
        try:
            new, message = remove(settings, index, doc)
        except CqqaError as exc:
            return documents_changed(chat, _notice(str(exc)))
        refresh(new)
        return documents_changed(chat, message)

    # With uploads on, Gradio's copies of uploaded files (also of uploads no event ever used)
    # are deleted after an hour; without them there is nothing to clean.
    cleanup = (3600, 3600) if settings.uploads else None
    with gr.Blocks(title="cqqa · ask the documents", delete_cache=cleanup) as demo:
        head = gr.HTML(header_html(index), elem_id="cq-head")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=5, min_width=320):
                        chatbot = gr.Chatbot(
                            elem_id="cq-chat",
                            label="Conversation",
                            show_label=False,
                            height=430,
                            latex_delimiters=[],
                            render_markdown=False,  # replies are escaped HTML: text stays text
                            feedback_options=None,
                            buttons=["copy"],
                            placeholder="Ask about the documents. Follow-up questions "
                            "(“And how many countries?”) use the conversation.",
                        )
                        question = gr.Textbox(
                            elem_id="cq-question",
                            show_label=False,
                            placeholder=f"Ask a question, e.g. {examples_text[0]}",
                            max_length=settings.max_question_chars,
                            submit_btn="Ask",
                            autofocus=True,
                        )
                        with gr.Row():
                            k = gr.Slider(
                                1,
                                max(MAX_K, settings.k),
                                value=settings.k,
                                step=1,
                                label="Passages to search (k)",
                                scale=3,
                            )
                            # The raw value goes to `_ask`, which checks it like `-k`:
                            # Gradio's own check raised a TypeError (a traceback, then
                            # "Something went wrong") for "7", null or [1] sent to the page's
                            # event. Set on the instance: a subclass makes Gradio write a
                            # .pyi file beside this module.
                            k.preprocess = _raw
                            clear_btn = gr.Button("Clear chat", variant="secondary", scale=1)
                        within = gr.Dropdown(
                            choices=_within_choices(index),
                            value=ALL_DOCUMENTS,
                            label="Ask in",
                            elem_id="cq-within",
                            visible=len(index.documents) > 1 or bool(settings.uploads),
                        )
                        if settings.uploads:
                            adder = gr.UploadButton(
                                "Add documents",
                                file_count="multiple",
                                # A hint for the file picker; the server checks content.
                                file_types=[".pdf", ".docx", ".html", ".htm", ".txt", ".md"],
                                type="filepath",
                                elem_id="cq-add",
                                variant="primary",
                                size="sm",
                            )
                        gr.Markdown("**Try one:**")
                        with gr.Column(elem_id="cq-examples"):
                            examples = [
                                gr.Button(text, size="sm", variant="secondary")
                                for text in examples_text
                            ]
                    with gr.Column(scale=6, min_width=320):
                        sources = gr.HTML(
                            _no_sources(),
                            elem_id="cq-sources",
                        )
                        passage = gr.Radio(
                            choices=[],
                            label="Show a passage in its document",
                            elem_id="cq-pick",
                        )
                        document = gr.HTML(
                            _empty("Pick a passage to see it in its document."),
                            elem_id="cq-doc",
                        )
                facts = gr.Dataframe(
                    _frame([], FACT_HEADERS),
                    label="Numbers in these passages",
                    elem_id="cq-facts",
                    interactive=False,
                    wrap=True,
                    column_widths=["64px", "170px", "84px", "150px", "150px", "110px", "460px"],
                )
            with gr.Tab("All facts", id="facts"):
                with gr.Row(equal_height=True):
                    kind = gr.Dropdown(
                        choices=_kind_choices(index, counts, kinds),
                        value="all",
                        label="Kind",
                        elem_id="cq-kind",
                        scale=3,
                    )
                    download = gr.DownloadButton(
                        "Download CSV",
                        value=csv_paths["all"],
                        elem_id="cq-csv",
                        variant="primary",
                        scale=1,
                    )
                all_facts = gr.Dataframe(
                    _frame(fact_rows["all"], ALL_FACT_HEADERS),
                    label=facts_label("all"),
                    elem_id="cq-all-facts",
                    interactive=False,
                    wrap=True,
                    max_height=640,
                    column_widths=["160px", "80px", "140px", "150px", "100px", "360px", "160px"],
                )
            with gr.Tab("Documents", id="documents"):
                docs = gr.Dataframe(
                    _frame(document_rows(index), DOCUMENT_HEADERS),
                    label="Indexed documents",
                    elem_id="cq-docs",
                    interactive=False,
                    wrap=True,
                )
                with gr.Row(equal_height=True, visible=bool(settings.uploads)):
                    doomed = gr.Dropdown(
                        choices=document_choices(index),
                        value=None,
                        label="Remove a document (its file is deleted from the corpus)",
                        elem_id="cq-remove-pick",
                        scale=3,
                    )
                    remove_btn = gr.Button("Remove", variant="stop", elem_id="cq-remove", scale=1)
        asked = gr.State([])  # earlier questions, for follow-ups
        last = gr.State(None)  # the latest Answer, for the document panel

        outputs = [question, chatbot, asked, sources, passage, document, facts, last]
        # The question box's event keeps its four inputs (callers of the page's own event
        # send four values); the "Ask in" choice is remembered per browser session instead.
        inputs = [question, chatbot, asked, k]
        private: dict[str, Any] = {"api_visibility": "private"}
        # Every question, from the page or the API, takes turns on the one loaded index.
        asking: dict[str, Any] = {**private, "concurrency_id": "answer"}
        question.submit(submit, inputs, outputs, **asking).then(None, js=SCROLL_JS)
        within.change(remember, within, None, **private)
        for button, text in zip(examples, examples_text):
            button.click(
                lambda chat, qs, k_, w, text=text: respond(text, chat, qs, k_, w),
                [chatbot, asked, k, within],
                outputs,
                **asking,
            ).then(None, js=SCROLL_JS)
        clear_btn.click(clear, None, outputs, **private)
        chatbot.clear(clear, None, outputs, **private)  # the chat's own bin icon
        passage.input(show_passage, [passage, last], document, **private).then(None, js=SCROLL_JS)
        kind.change(filter_facts, kind, [all_facts, download], **private)
        if settings.uploads:
            changed = [chatbot, head, docs, doomed, within, kind, all_facts, download]
            # One change to the documents at a time; questions go on meanwhile on the
            # index they have, and use the new one once it is built.
            indexing: dict[str, Any] = {**private, "concurrency_id": "documents"}
            adder.upload(upload, [adder, chatbot], changed, **indexing)
            remove_btn.click(remove_one, [doomed, chatbot], changed, **indexing)
        gr.api(ask, api_name="ask", concurrency_id="answer")
    return demo


def _raw(payload: Any) -> Any:
    return payload


def _offline() -> None:
    # Set before gradio is imported, or it looks up outside hosts at launch.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ["HF_HUB_OFFLINE"] = "1"
    # Gradio keeps a record of every event for its monitoring page (off here), up to
    # 10,000 by default (a few MB in a long-running server); 1,000 is plenty.
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")


def _note(message: str) -> None:
    print(f"cqqa: {message}", file=sys.stderr)


# ------------------------------------------------------------ asking


def _ask(
    index: Index,
    settings: Settings,
    question: str,
    history: Sequence[str],
    k: Any,
    documents: Any = None,
) -> Answer:
    """The library call both the chat and the API make, with k checked like a CLI flag;
    `documents` (a document id, a list of them, or None/"" for all) narrows the search."""
    k = whole_k(k)
    k = settings.with_overrides(k=k).k  # Settings says what a valid k is
    result = answer(
        restrict(index, _documents(documents)),
        question,
        history=list(history),
        k=k,
        retriever=settings.retriever,
        rrf_k=settings.rrf_k,
        max_chars=settings.max_question_chars,
    )
    return locate(result, index.documents)


def _documents(value: Any) -> list[str] | None:
    """Which documents to ask, from the page's picker or an API caller."""
    if value is None or value == "" or value == ALL_DOCUMENTS:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v != ALL_DOCUMENTS] or None
    raise InputError("documents must be a document id or a list of them (or empty for all).")


def whole_k(value: Any) -> int:
    """k from a caller, accepted as the CLI accepts `-k`: a whole number (an integral float
    such as 5.0, or its digits as text); never true/false, 5.7, Infinity, null or a list.
    The range is checked by Settings, with the CLI's message."""
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 20:
        value = int(value)
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise InputError(f"k must be a whole number of passages, not {shown}.")
    if not 1 <= value <= 100:  # before any message prints it: a 5,000-digit k cannot be
        shown = f"{value:,}" if abs(value) < 10**15 else "a number that large"
        raise InputError(f"k must be between 1 and 100, not {shown}.")
    return value


def _history(value: Any) -> list[str]:
    """Earlier questions from an API caller: a list of strings, or that list as JSON."""
    if value is None or value == "":
        return []
    problem = InputError(
        "history must be the earlier questions as a list of strings (or that list as JSON), "
        'e.g. ["How many ports does the channel link with?"].'
    )
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (json.JSONDecodeError, RecursionError):  # not JSON, or nested past the parser
            raise problem from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise problem
    return value


# ------------------------------------------------------------ rendering


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


def _spans(index: Index, result: Answer, doc: str, start: int, end: int) -> list:
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
                f"<em>{html.escape(_title(index, top.doc))}</em>; all of them are under "
                "Sources.</small></p>"
            )
        return "".join(parts)
    a = result.answer
    parts = [f'<p class="cq-answer"><strong>{html.escape(a.text)}</strong></p>']
    s_start, s_end = _sentence_span(index, a.doc, a.start, a.end)
    if (s_start, s_end) != (a.start, a.end):
        sentence = index.documents[a.doc].text[s_start:s_end]
        parts.append(
            f"<blockquote>{marked_html(sentence, s_start, [(a.start, a.end, 'cq-ans')])}"
            "</blockquote>"
        )
    rank = next((p.rank for p in result.passages if _inside(a, p)), None)
    where = f"passage [{rank}] of " if rank else ""
    page = f"page {a.page}, " if a.page is not None else ""
    parts.append(
        f"<p><small>From {where}<em>{html.escape(_title(index, a.doc))}</em>, {page}characters "
        f"{a.start:,}–{a.end:,} · {html.escape(a.kind)} · {html.escape(result.reason)}"
        "</small></p>"
    )
    return "".join(parts)


def sources_html(index: Index, result: Answer) -> str:
    """Every passage as a card: title, rank, scores, numbers and the answer marked."""
    if not result.passages:
        return '<p class="cq-legend"><b>Sources</b></p>' + _empty("No passage matched.")
    cards = []
    for p in result.passages:
        has_answer = _is_answer(result, p)
        scores = [f"score {p.score:.4f}"]
        if p.dense_score is not None:
            scores.append(f"dense {p.dense_score:.3f}")
        if p.bm25_score is not None:
            scores.append(f"BM25 {p.bm25_score:.2f}")
        tag = '<span class="cq-tag">answer</span>' if has_answer else ""
        body = marked_html(p.text, p.start, _spans(index, result, p.doc, p.start, p.end))
        cards.append(
            f'<article class="cq-src{" cq-has-ans" if has_answer else ""}" data-rank="{p.rank}">'
            f'<header><span class="cq-rank">{p.rank}</span>'
            f"<b>{html.escape(p.title or _title(index, p.doc))}</b>"
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
        return _empty("Pick a passage to see it in its document.")
    doc = index.documents.get(p.doc)
    if doc is None:  # removed from the corpus since this answer was given
        return _empty("That document is no longer indexed: ask again.")
    spans = [(p.start, p.end, "cq-psg"), *_spans(index, result, p.doc, 0, len(doc.text))]
    return (
        f'<p class="cq-legend"><b>{html.escape(doc.title)}</b> · passage {p.rank} in place, '
        f"characters {p.start:,}–{p.end:,}</p>"
        f'<div class="cq-box">{marked_html(doc.text, 0, spans)}</div>'
    )


def _within_choices(index: Index) -> list[tuple[str, str]]:
    return [("All documents", ALL_DOCUMENTS), *document_choices(index)]


def _kind_choices(index: Index, counts: Counter, kinds: Sequence[str]) -> list[tuple[str, str]]:
    return [(f"all kinds · {len(index.facts)}", "all"), *[(f"{k} · {counts[k]}", k) for k in kinds]]


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
        rank = next((p.rank for p in result.passages if _inside(f, p)), "")
        rows.append([rank, *_fact_cells(f, sentences)])
    return rows


def all_fact_rows(index: Index, sentences: dict[tuple, str], kind: str) -> list[list[Any]]:
    return [
        [*_fact_cells(f, sentences), _title(index, f.doc)]
        for f in index.facts
        if kind == "all" or f.kind == kind
    ]


def _fact_cells(f: Fact, sentences: dict[tuple, str]) -> list[Any]:
    """fact, kind, normalized value, unit, qualifier, sentence."""
    sentence = sentences.get(_key(f), "")
    return [f.text, f.kind, _value(f), f.unit or "", f.qualifier or "", sentence]


def _key(f: Fact) -> tuple[str, int, int]:
    return (f.doc, f.start, f.end)


def _value(f: Fact) -> str:
    if f.normalized:
        return f.normalized
    if f.value is None:
        return ""
    if float(f.value).is_integer():
        return f"{int(f.value):,}"
    return f"{f.value:,.6g}" if abs(f.value) >= 1000 else f"{f.value:g}"


def _write_fact_csvs(index: Index, kinds: Sequence[str]) -> dict[str, str]:
    """One CSV per kind (and one of all), written once: the index does not change."""
    folder = Path(tempfile.mkdtemp(prefix="cqqa-facts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    paths = {}
    for kind in ["all", *kinds]:
        facts = [f for f in index.facts if kind == "all" or f.kind == kind]
        path = folder / ("cqqa-facts.csv" if kind == "all" else f"cqqa-facts-{kind}.csv")
        path.write_text(facts_csv(facts, index), encoding="utf-8")
        paths[kind] = str(path)
    return paths


def _passage_choices(result: Answer) -> list[tuple[str, int]]:
    """Radio labels (shown as text by Gradio); the title only when documents differ."""
    several = len({p.doc for p in result.passages}) > 1
    choices = []
    for p in result.passages:
        label = f"[{p.rank}] " + (f"{p.title[:40]} · " if several else "")
        label += f"chars {p.start:,}–{p.end:,}" + (" · answer" if _is_answer(result, p) else "")
        choices.append((label, p.rank))
    return choices


def _focus_rank(result: Answer) -> int | None:
    """The passage the answer is in, else the best one."""
    for p in result.passages:
        if _is_answer(result, p):
            return p.rank
    return result.passages[0].rank if result.passages else None


def _is_answer(result: Answer, p: Passage) -> bool:
    return result.answer is not None and _inside(result.answer, p)


def _inside(span: Any, p: Passage) -> bool:
    return span.doc == p.doc and p.start <= span.start and span.end <= p.end


def _sentence_span(index: Index, doc: str, start: int, end: int) -> tuple[int, int]:
    for s_doc, s_start, s_end in index.sentences:
        if s_doc == doc and s_start <= start and end <= s_end:
            return s_start, s_end
    return start, end


def _title(index: Index, doc: str) -> str:
    d = index.documents.get(doc)
    return d.title if d else doc


def _frame(rows: list[list[Any]], headers: list[str]) -> Any:
    import pandas as pd

    return (
        pd.DataFrame(rows, columns=headers).astype(str) if rows else pd.DataFrame(columns=headers)
    )


def _no_sources() -> str:
    return '<p class="cq-legend"><b>Sources</b></p>' + _empty(
        "The passages an answer comes from appear here, numbers and answer marked."
    )


def _notice(text: str) -> str:
    return f'<p class="cq-notice">⚠️ {html.escape(text)}</p>'


def _empty(text: str) -> str:
    return f'<p class="cq-empty">{html.escape(text)}</p>'
