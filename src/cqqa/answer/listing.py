"""'How many exhibitions does the article list?': a count the text never states, but gives by
listing the items ("such as the Smart Fair, the Western Fair and the Craft Market"). The
answer is the number of items, with the items, from a sentence whose words before its list
name what is asked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..index import Index
from ..records import Evidence
from ..textutil import normalize_apostrophes, stem, words
from .arithmetic import Bound
from .derive import Outcome, derived
from .sentences import Sentence

# Where a list of examples begins: "such as", "including", "namely", a colon.
_LIST_START = re.compile(r"\b(?:such as|including|includes|include|namely|among them|like)\b|:")
# Words of the asked-about phrase that name nothing ("the city's", "among") are not required.
_FILLER = frozenset(
    "the a an of and or its their his her our city's among in on at for to from by with "
    "important major main key several various other".split()
)
SENTENCES_TRIED = 6
MIN_ITEMS = 2


def items_listed(text: str) -> list[str]:
    """'the A, the B and the C Forum' -> [the A, the B, the C Forum]: split at commas, and at
    the 'and' that joins the last two ('and the ...' first, since a name may hold 'and':
    'the Land and Sea Forum'); every item must be a name, with a capital."""
    text = re.split(r"[.;]", text, maxsplit=1)[0]
    parts = [p.strip() for p in re.split(r",\s*", text) if p.strip()]
    if not parts:
        return []
    parts[-1] = re.sub(r"^(?:and|or)\s+", "", parts[-1])
    last = parts.pop()
    pieces = re.split(r"\s+(?:and|or)\s+(?=(?:the|a|an)\s+[A-Z])", last, maxsplit=1)
    if len(pieces) == 1:
        pieces = re.split(r"\s+(?:and|or)\s+(?=[A-Z])", last, maxsplit=1)
    parts += pieces
    items = [p.strip(" ,") for p in parts if p.strip(" ,")]
    named = [re.sub(r"^(?:the|a|an)\s+", "", p) for p in items]
    if not all(n[:1].isupper() for n in named):
        return []
    return items


def count_listed(index: Index, asked: str, sentences: Sequence[Sentence]) -> Outcome | None:
    """The items of the list that the sentence introduces with the asked-about words; None
    when no sentence lists them, so the reader looks for a stated count instead."""
    wanted = {stem(w) for w in words(asked) if w not in _FILLER and len(w) > 2}
    if not wanted:
        return None
    for s in list(sentences)[:SENTENCES_TRIED]:
        text = normalize_apostrophes(s.text)
        for m in _LIST_START.finditer(text):
            head = {stem(w) for w in words(text[: m.start()])}
            # what is asked about is named before the list ("exhibitions and activities such
            # as ..."), not anywhere in the sentence
            if not wanted <= head:
                continue
            items = items_listed(text[m.end() :].strip())
            if len(items) < MIN_ITEMS:
                continue
            n = len(items)
            shown = ", ".join(items[:-1]) + f" and {items[-1]}"
            quote = " ".join(s.text.split())
            answer_text = f"{n}: {shown} — “{quote}”"
            evidence = (Evidence(s.doc, s.start, s.end, s.text),)
            span = derived(
                index,
                answer_text,
                "count",
                (),
                formula=f"{n} items listed",
                bound=Bound(n, n),
                evidence=evidence,
            )
            return span, f"{n} items listed in one sentence"
    return None
