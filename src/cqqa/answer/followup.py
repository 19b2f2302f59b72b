"""Follow-up questions: what an elliptical question borrows from the conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..errors import InputError
from ..question import Question, clean_question, is_followup, parse


def clean_history(history: Sequence[str], max_chars: int) -> list[str]:
    """The last five usable turns; an empty or unusable earlier turn is left out."""
    out = []
    for item in history:
        try:
            out.append(clean_question(item, max_chars))
        except InputError:
            continue
    return out[-5:]


def resolve(question: str, history: tuple[str, ...]) -> tuple[str, Question, str]:
    """The text to search for, the parsed question, and earlier text it may lean on."""
    asked = parse(question)
    if not history or not is_followup(question):
        return question, asked, ""
    # Walk back through follow-ups to the last self-contained question.
    earlier: list[str] = []
    for previous in reversed(history):
        earlier.insert(0, previous)
        if not is_followup(previous):
            break
    context = " ".join(earlier)
    before = parse(earlier[0])
    wants, target, head = asked.wants, asked.target, asked.head
    leaning = wants == "" or re.match(r"\s*(and )?(what|how) about\b", question.lower())
    if leaning and not head:
        wants, head = before.wants or wants, before.head
        target = target or before.target
    elif wants == before.wants and not target and not head:
        target = before.target
    asked = replace(
        asked,
        wants=wants,
        target=target,
        head=head,
        terms=tuple(dict.fromkeys(asked.terms + before.terms)),
        keywords=False,
    )
    return f"{question} {context}", asked, context
