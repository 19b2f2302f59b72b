"""Follow-up questions: what an elliptical question borrows from the conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..errors import InputError
from ..question import Question, clean_question, is_followup, parse
from ..textutil import STOPWORDS, words
from ..vocabulary import is_english_word


def clean_history(history: Sequence[str], max_chars: int) -> list[str]:
    """The last five usable turns; an empty or unusable earlier turn is left out."""
    out = []
    for item in history:
        try:
            out.append(clean_question(item, max_chars))
        except InputError:
            continue
    return out[-5:]


_LEAD = re.compile(r"\s*(?:and\s+)?(?:(?:what|how)\s+about\s+)?", re.I)


def resolve(
    question: str,
    history: tuple[str, ...],
    names: frozenset[str] = frozenset(),
    followup: bool | None = None,
) -> tuple[str, Question, str]:
    """The text to search for, the parsed question, and earlier text it may lean on.

    `names`: lowercased words the corpus writes only as names ("yuzhong"), which an
    elliptical follow-up asks about without replacing what is counted. `followup` says
    whether the question leans on the history when another rule (the question's own
    language) has decided it; by default the English rule decides."""
    asked = parse(question)
    leans = is_followup(question) if followup is None else followup
    if not history or not leans:
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
        target = target or _new_counted_noun(question, before, names) or before.target
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


def _new_counted_noun(question: str, before: Question, names: frozenset[str]) -> tuple[str, ...]:
    """ "And founding families?" after "How many members ...?": the follow-up's own words
    are what is counted now. Not when they name a place or a person ("What about Yuzhong?",
    "And Portmere?"), which keeps the earlier counted noun."""
    if not before.target:
        return ()
    rest = _LEAD.sub("", question, count=1).strip(" ?.!")
    found = words(rest)
    if not found or any(w[0].isupper() or w.lower() in names for w in found):
        return ()
    content = [w.lower() for w in found if w.lower() not in STOPWORDS]
    if not content or not all(is_english_word(w) for w in content):
        return ()
    return tuple(content)


def same_conversation(question: str, lang: str, history: Sequence[str]) -> tuple[str, ...]:
    """The history a question may lean on across languages: a question in another language
    than the turn before it is a new question unless it clearly refers back ("And what
    about …?", "它是第几个？", "那友好交流城市呢？")."""
    from ..multilingual import language

    if not history or language(history[-1]) == lang:
        return tuple(history)
    if lang == "zh":
        from ..crosslingual import refers_back

        return tuple(history) if refers_back(question) else ()
    return tuple(history) if refers_to_earlier(question) else ()


def refers_to_earlier(question: str) -> bool:
    """An English question that says it leans on an earlier one (not only a short one)."""
    from ..question import _FOLLOWUP_START, _REFERRING
    from ..textutil import normalize_apostrophes, words

    text = normalize_apostrophes(question)
    return bool(_FOLLOWUP_START.search(text)) or any(w in _REFERRING for w in words(text))


def in_english(index, history: Sequence[str]) -> tuple[str, ...]:
    """The history with each turn in another language replaced by the English question it
    was put as (the multilingual encoder is loaded only when there is such a turn)."""
    from ..multilingual import language

    if all(language(h) == "en" for h in history):
        return tuple(history)
    from ..crosslingual import render

    return tuple(h if language(h) == "en" else render(index, h).english for h in history)
