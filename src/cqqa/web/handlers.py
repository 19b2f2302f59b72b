"""The web chat's event handlers: what each click, question and API call does.

`ChatPage` holds the one loaded index (through an `Assistant`) and the tables drawn from
it, and answers the page's events; `layout.py` only places components and wires them to
these methods. Imported after `layout._offline()` has set Gradio's environment.
"""

from __future__ import annotations

import atexit
import html
import json
import shutil
import sys
import tempfile
import traceback
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from ..assistant import Assistant
from ..config import Settings, check_k
from ..errors import CqqaError, InputError
from ..index import Index
from ..records import Answer
from ..render import facts_csv, sentence_of
from ..render_html import (
    all_fact_rows,
    document_html,
    empty,
    fact_key,
    focus_rank,
    header_html,
    no_sources,
    notice,
    passage_choices,
    passage_fact_rows,
    reply_html,
    sources_html,
)
from .documents import (
    ALL_DOCUMENTS,
    DOCUMENT_HEADERS,
    add_documents,
    document_choices,
    document_rows,
    remove,
)

FACT_HEADERS = ["rank", "fact", "kind", "value", "unit", "qualifier", "sentence"]
ALL_FACT_HEADERS = ["fact", "kind", "value", "unit", "qualifier", "sentence", "document"]
MAX_SCOPED_SESSIONS = 1000  # sessions whose "Ask in" choice is kept (oldest forgotten)
PICK_A_PASSAGE = "Pick a passage to see it in its document."
ANSWER_OUTPUTS = 8  # question box, chat, asked, sources, passage picker, document, facts, last


@dataclass(frozen=True)
class Served:
    """One index as the page serves it: the assistant answering from it, and its facts
    drawn once as table rows and CSV files (an index never changes; a rebuilt one gets
    a new Served, swapped in by one assignment)."""

    assistant: Assistant
    counts: Counter
    kinds: list[str]
    csv_paths: dict[str, str]
    sentences: dict[tuple, str]
    fact_rows: dict[str, list[list[Any]]]

    @classmethod
    def of(cls, settings: Settings, index: Index) -> Served:
        counts = Counter(f.kind for f in index.facts)
        kinds = sorted(counts)
        sentences = {fact_key(f): sentence_of(index, f) for f in index.facts}
        return cls(
            Assistant(settings, index),
            counts,
            kinds,
            write_fact_csvs(index, kinds),
            sentences,
            {kind: all_fact_rows(index, sentences, kind) for kind in ["all", *kinds]},
        )

    @property
    def index(self) -> Index:
        return self.assistant.index


class ChatPage:
    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.served = Served.of(settings, index)
        self.scopes: OrderedDict[str, Any] = OrderedDict()  # session -> its "Ask in" choice

    @property
    def index(self) -> Index:
        return self.served.index

    # ---------------------------------------------------------------- asking

    def ask(self, question: str, history: Sequence[str], k: Any, documents: Any = None) -> Answer:
        """The library call the chat and the API make, on the index served now."""
        return answer_on(self.served, question, history, k, documents)

    def respond(
        self, message: str, chat: list, questions: list[str], k: Any, within: Any = None
    ) -> tuple:
        """One chat turn: failures become a message in the chat, never a stuck spinner."""
        chat = list(chat or [])
        if (message or "").strip():
            chat.append({"role": "user", "content": html.escape(message)})
        served = self.served  # this turn's index, whatever an upload does meanwhile
        try:
            result = answer_on(served, message, questions, k, within)
        except CqqaError as exc:
            chat.append({"role": "assistant", "content": notice(str(exc))})
            keep = message if (message or "").strip() else ""
            return (keep, chat, questions, *[gr.skip()] * (ANSWER_OUTPUTS - 3))
        except Exception as exc:  # noqa: BLE001 - the page shows one line, the log the rest
            traceback.print_exc(file=sys.stderr)
            problem = (
                f"Something went wrong while answering ({type(exc).__name__}: {exc}). "
                "The server log has the details."
            )
            chat.append({"role": "assistant", "content": notice(problem)})
            return (message, chat, questions, *[gr.skip()] * (ANSWER_OUTPUTS - 3))
        index = served.index
        chat.append({"role": "assistant", "content": reply_html(index, result)})
        focus = focus_rank(result)
        return (
            "",
            chat,
            [*questions, result.question],
            sources_html(index, result),
            gr.Radio(choices=passage_choices(result), value=focus),
            document_html(index, result, focus),
            frame(passage_fact_rows(result, served.sentences), FACT_HEADERS),
            result,
        )

    def submit(
        self,
        message: str,
        chat: list,
        questions: list[str],
        k: Any,
        request: gr.Request = None,
    ) -> tuple:
        """The question box: a turn in the "Ask in" documents this session chose."""
        session = getattr(request, "session_hash", None)
        return self.respond(message, chat, questions, k, self.scopes.get(session))

    def remember(self, value: Any, request: gr.Request = None) -> None:
        """The "Ask in" choice of this browser session (the question box's event keeps its
        four inputs, so callers of the page's own event still send four values)."""
        session = getattr(request, "session_hash", None)
        if session:
            self.scopes[session] = value
            self.scopes.move_to_end(session)
            while len(self.scopes) > MAX_SCOPED_SESSIONS:
                self.scopes.popitem(last=False)

    def api(self, question: str, history: Any, k: Any) -> dict[str, Any]:
        """`/ask`: the answer as `cqqa ask --json` prints it; errors as one line."""
        try:
            return self.ask(question, history_of(history), k).to_dict()
        except CqqaError as exc:  # the caller's mistake: a message for them, no log noise
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception as exc:  # noqa: BLE001 - the caller gets one line, the log the rest
            traceback.print_exc(file=sys.stderr)
            problem = f"Something went wrong while answering ({type(exc).__name__})."
            raise gr.Error(problem, print_exception=False) from None

    def show_passage(self, rank: int | None, result: Answer | None) -> str:
        if not result:
            return empty("Ask a question first.")
        return document_html(self.index, result, rank)

    def clear(self) -> tuple:
        # The question box is left alone: a question typed while the chat was being cleared
        # (or just after) must not be wiped by this reply.
        return (
            gr.skip(),
            [],
            [],
            no_sources(),
            gr.Radio(choices=[], value=None),
            empty(PICK_A_PASSAGE),
            frame([], FACT_HEADERS),
            None,
        )

    # ---------------------------------------------------------------- the facts tab

    def facts_label(self, kind: str) -> str:
        rows = self.served.fact_rows[kind]
        if kind == "all":
            return f"Every number in the documents ({len(rows)})"
        return f"Numbers of kind {kind} in the documents ({len(rows)})"

    def all_facts(self, kind: str = "all") -> Any:
        return frame(self.served.fact_rows[kind], ALL_FACT_HEADERS)

    def filter_facts(self, kind: str) -> tuple:
        table = gr.Dataframe(self.all_facts(kind), label=self.facts_label(kind))
        return table, self.served.csv_paths[kind]

    def kind_choices(self) -> list[tuple[str, str]]:
        served = self.served
        everything = (f"all kinds · {len(served.index.facts)}", "all")
        return [everything, *[(f"{k} · {served.counts[k]}", k) for k in served.kinds]]

    def within_choices(self) -> list[tuple[str, str]]:
        return [("All documents", ALL_DOCUMENTS), *document_choices(self.index)]

    # ---------------------------------------------------------------- the documents tab

    def upload(
        self,
        files: list | None,
        chat: list,
        progress: Any = gr.Progress(),  # noqa: B008 - Gradio fills in the page's progress bar
    ) -> tuple:
        """Add documents: checked by content, saved under a safe name, indexed
        incrementally; the chat says what was added and what was not, and why."""

        def report(fraction: float, desc: str) -> None:
            progress(fraction, desc=desc)

        try:
            new, message = add_documents(self.settings, files or [], report, self.index)
        except CqqaError as exc:
            new, message = None, notice(str(exc))
        if new is not None:
            self.served = Served.of(self.settings, new)
        return self.documents_changed(chat, message)

    def remove_one(self, doc: str | None, chat: list) -> tuple:
        try:
            new, message = remove(self.settings, self.index, doc)
        except CqqaError as exc:
            return self.documents_changed(chat, notice(str(exc)))
        self.served = Served.of(self.settings, new)
        return self.documents_changed(chat, message)

    def documents_changed(self, chat: list, message: str) -> tuple:
        """What the page shows after the documents changed: the chat note, the header,
        the Documents tab, the remove picker, "Ask in", the All facts tab."""
        chat = [*(chat or []), {"role": "assistant", "content": message}]
        index = self.index
        return (
            chat,
            header_html(index),
            frame(document_rows(index), DOCUMENT_HEADERS),
            gr.Dropdown(choices=document_choices(index), value=None),
            gr.Dropdown(choices=self.within_choices(), value=ALL_DOCUMENTS, visible=True),
            gr.Dropdown(choices=self.kind_choices(), value="all"),
            gr.Dataframe(self.all_facts(), label=self.facts_label("all")),
            self.served.csv_paths["all"],
        )


def answer_on(
    served: Served, question: str, history: Sequence[str], k: Any, documents: Any
) -> Answer:
    """`documents` is a document id, a list of them, or None/"" for all; k is whatever the
    caller sent, checked as the CLI checks `-k` (null and "lots" too, with its message)."""
    return served.assistant.ask(question, history, check_k(k), documents_of(documents))


def documents_of(value: Any) -> list[str] | None:
    """Which documents to ask, from the page's picker or an API caller."""
    if value is None or value == "" or value == ALL_DOCUMENTS:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v != ALL_DOCUMENTS] or None
    raise InputError("documents must be a document id or a list of them (or empty for all).")


def history_of(value: Any) -> list[str]:
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


def write_fact_csvs(index: Index, kinds: Sequence[str]) -> dict[str, str]:
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


def frame(rows: list[list[Any]], headers: list[str]) -> Any:
    import pandas as pd

    return (
        pd.DataFrame(rows, columns=headers).astype(str) if rows else pd.DataFrame(columns=headers)
    )
