"""The one object the edges call: `Assistant(settings)` answers, lists facts and evaluates.

The CLI, the web chat and `cqqa eval` each hold one. It keeps the settings (checked once,
when `Settings` was made) and the index (opened on first use, or handed in), and passes the
same retrieval settings to every question, so no edge unpacks them itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .config import Settings, check_history, check_k
from .index import Index, open_index
from .records import Answer, Fact


class Assistant:
    def __init__(
        self,
        settings: Settings,
        index: Index | None = None,
        note: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self._index = index
        self._note = note

    @property
    def index(self) -> Index:
        """The index answers come from, opened (built when stale) on first use."""
        if self._index is None:
            note = {} if self._note is None else {"note": self._note}  # default: stderr
            self._index = open_index(self.settings, **note)
        return self._index

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        k: Any = None,
        documents: Sequence[str] | None = None,
    ) -> Answer:
        """One question (and the conversation's earlier ones, oldest first) answered from
        the index, or from only `documents` (ids) of it; k passages, the settings' k when
        None. Bad input raises InputError with a one-line message."""
        from .answer import answer  # the answer stage loads only when a question comes
        from .pages import locate
        from .scope import restrict

        k = self.settings.k if k is None else check_k(k)  # bad input: before the index opens
        history = check_history(history)
        index = self.index  # one index for the whole question
        result = answer(
            restrict(index, documents),
            question,
            history=history,
            k=k,
            retriever=self.settings.retriever,
            rrf_k=self.settings.rrf_k,
            max_chars=self.settings.max_question_chars,
        )
        return locate(result, index.documents)

    def facts(self, kind: str | None = None) -> list[Fact]:
        """Every numeric fact of the documents, or those of one kind."""
        return [f for f in self.index.facts if not kind or f.kind == kind]

    def evaluate(self, questions: list[dict[str, Any]]) -> dict[str, Any]:
        """A question file's report (`cqqa eval`): scores per question, type, style and
        language."""
        from .evaluate import evaluate

        return evaluate(self.index, questions, self.settings)
