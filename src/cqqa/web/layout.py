"""The web chat's page: where each component sits and which handler each event calls.

What an event does is in `handlers.py` (`ChatPage`), how answers look in `render_html.py`,
the look in `style.css`. Nothing here answers or renders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ..config import Settings
from ..examples import example_questions
from ..index import open_index
from ..render_html import empty, header_html, no_sources

CSS = (Path(__file__).parent / "style.css").read_text(encoding="utf-8")
MAX_K = 20  # the slider's end; the API accepts what Settings accepts

# Scroll the document panel (not the page) so the chosen passage is in view.
SCROLL_JS = """() => { setTimeout(() => {
  const box = document.querySelector('#cq-doc .cq-box');
  const mark = box && box.querySelector('mark.cq-psg');
  if (box && mark) box.scrollTop = Math.max(0, mark.offsetTop - 48);
}, 60); }"""


def build_demo(settings: Settings) -> Any:
    """The whole page; the index (and the model) load here once, not per question."""
    _offline()
    import gradio as gr

    from .documents import ALL_DOCUMENTS, DOCUMENT_HEADERS, document_choices, document_rows
    from .handlers import FACT_HEADERS, PICK_A_PASSAGE, ChatPage, frame

    index = open_index(settings, note=_note)
    examples_text = example_questions(index, settings.corpus_dir)
    page = ChatPage(settings, index)
    page.ask(examples_text[0], [], settings.k)  # warm the model and caches now

    def ask(
        question: str, history: list[str] | str | None = None, k: int = settings.k
    ) -> dict[str, Any]:
        """Answer like `cqqa ask --json`: history is the earlier questions, oldest first
        (a list, or that list as a JSON string); k is how many passages to return."""
        return page.api(question, history, k)

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
                            choices=page.within_choices(),
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
                            no_sources(),
                            elem_id="cq-sources",
                        )
                        passage = gr.Radio(
                            choices=[],
                            label="Show a passage in its document",
                            elem_id="cq-pick",
                        )
                        document = gr.HTML(
                            empty(PICK_A_PASSAGE),
                            elem_id="cq-doc",
                        )
                facts = gr.Dataframe(
                    frame([], FACT_HEADERS),
                    label="Numbers in these passages",
                    elem_id="cq-facts",
                    interactive=False,
                    wrap=True,
                    column_widths=["64px", "170px", "84px", "150px", "150px", "110px", "460px"],
                )
            with gr.Tab("All facts", id="facts"):
                with gr.Row(equal_height=True):
                    kind = gr.Dropdown(
                        choices=page.kind_choices(),
                        value="all",
                        label="Kind",
                        elem_id="cq-kind",
                        scale=3,
                    )
                    download = gr.DownloadButton(
                        "Download CSV",
                        value=page.served.csv_paths["all"],
                        elem_id="cq-csv",
                        variant="primary",
                        scale=1,
                    )
                all_facts = gr.Dataframe(
                    page.all_facts(),
                    label=page.facts_label("all"),
                    elem_id="cq-all-facts",
                    interactive=False,
                    wrap=True,
                    max_height=640,
                    column_widths=["160px", "80px", "140px", "150px", "100px", "360px", "160px"],
                )
            with gr.Tab("Documents", id="documents"):
                docs = gr.Dataframe(
                    frame(document_rows(index), DOCUMENT_HEADERS),
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
        question.submit(page.submit, inputs, outputs, **asking).then(None, js=SCROLL_JS)
        within.change(page.remember, within, None, **private)
        for button, text in zip(examples, examples_text):
            button.click(
                lambda chat, qs, k_, w, text=text: page.respond(text, chat, qs, k_, w),
                [chatbot, asked, k, within],
                outputs,
                **asking,
            ).then(None, js=SCROLL_JS)
        clear_btn.click(page.clear, None, outputs, **private)
        chatbot.clear(page.clear, None, outputs, **private)  # the chat's own bin icon
        passage.input(page.show_passage, [passage, last], document, **private).then(
            None, js=SCROLL_JS
        )
        kind.change(page.filter_facts, kind, [all_facts, download], **private)
        if settings.uploads:
            changed = [chatbot, head, docs, doomed, within, kind, all_facts, download]
            # One change to the documents at a time; questions go on meanwhile on the
            # index they have, and use the new one once it is built.
            indexing: dict[str, Any] = {**private, "concurrency_id": "documents"}
            adder.upload(page.upload, [adder, chatbot], changed, **indexing)
            remove_btn.click(page.remove_one, [doomed, chatbot], changed, **indexing)
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
