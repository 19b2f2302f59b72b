"""'How many exhibitions does the article list?': a count the text never states, but gives by
listing the items ("such as the Smart Fair, the Western Fair and the Craft Market"). The
answer is the number of items, with the items, from a sentence whose words before its list
name what is asked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..chunking import _is_abbreviation, sentence_spans
from ..index import Index
from ..lexicon import LIST_MARKER
from ..records import Evidence
from ..textutil import normalize_apostrophes, stem, words
from .arithmetic import Bound
from .derive import Outcome, derived
from .sentences import Sentence

# Where a list of examples begins: "such as", "including", "namely" (the markers polarity's
# member check reads too), or a colon.
_LIST_START = re.compile(LIST_MARKER + "|:")
# Words of the asked-about phrase that name nothing ("the city's", "among") are not required.
_FILLER = frozenset(
    "the a an of and or its their his her our city's among in on at for to from by with "
    "important major main key several various other".split()
)
SENTENCES_TRIED = 6
MIN_ITEMS = 2


def items_listed(text: str, least: int = MIN_ITEMS) -> list[str]:
    """'the A, the B and the C Forum' -> [the A, the B, the C Forum]: split at commas, and at
    the 'and' that joins the last two ('and the ...' first, since a name may hold 'and':
    'the Land and Sea Forum'). The list ends with the sentence (as the sentence splitter
    reads it: 'the U.S., the U.K. and Japan' goes on past 'U.S.'), a semicolon, that last
    item, or an item in lowercase ('…, China's largest cities' after the last item, 'the
    city's ports' among names: what is said of them); the first must be a name. Names
    followed by what is said of them count when there are at least `least`."""
    spans = sentence_spans(text)
    text = text[: spans[0][1]] if spans else text
    text = text.split(";", 1)[0]
    end = re.search(r"[.!?]+[\"'’”)\]]*$", text)
    if end and not _abbreviation_at_end(text):
        text = text[: end.start()]
    parts = [p.strip() for p in re.split(r",\s*", text) if p.strip()]
    if not parts:
        return []
    items = _until_the_last(parts)
    items = [p.strip(" ,") for p in items if p.strip(" ,")]
    named = [re.sub(r"^(?:the|a|an)\s+", "", p) for p in items]
    listed = []
    for item, name in zip(items, named, strict=True):
        if not name[:1].isupper():
            break  # what is said of the names, no name
        listed.append(item)
    return listed if len(listed) == len(items) or len(listed) >= least else []


_AND_THE = re.compile(r"\s+(?:and|or)\s+(?=(?:the|a|an)\s+[A-Z])")
_AND_NAME = re.compile(r"\s+(?:and|or)\s+(?=[A-Z])")


def _until_the_last(parts: list[str]) -> list[str]:
    """The comma-split parts up to the last item, that one split from the one before it at
    its 'and'; what follows the last item (an appositive) is left off."""
    for i, part in enumerate(parts):
        if i and re.match(r"(?:and|or)\s+", part):  # "A, B, and C": the Oxford comma
            return parts[:i] + [re.sub(r"^(?:and|or)\s+", "", part)]
    # 'and the …' marks the last item surely; a bare 'and' before a capital may be inside a
    # name ('the Land and Sea Forum'), so the last part that has one
    for i, part in enumerate(parts):
        if _AND_THE.search(part):
            return parts[:i] + _AND_THE.split(part, maxsplit=1)
    for i in reversed(range(len(parts))):
        if _AND_NAME.search(parts[i]):
            return parts[:i] + _AND_NAME.split(parts[i], maxsplit=1)
    return parts


def _abbreviation_at_end(text: str) -> bool:
    """'… and the U.S.': the final dot is the abbreviation's, kept with it."""
    stripped = text.rstrip()
    return stripped.endswith(".") and _is_abbreviation(stripped, len(stripped) - 1, len(stripped))


def count_listed(
    index: Index, asked: str, sentences: Sequence[Sentence], question: str = ""
) -> Outcome | None:
    """The items of the list that the sentence introduces with the asked-about words; None
    when no sentence lists them, so the reader looks for a stated count instead."""
    wanted = {stem(w) for w in words(asked) if w not in _FILLER and len(w) > 2}
    if not wanted:
        return None
    under = _count_under_heading(index, wanted, question, sentences)
    if under is not None:
        return under
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


# A heading that opens a list of paragraphs ("Key new opportunities include:"): named by
# this many of the question's other words.
MIN_HEADING_WORDS = 2
MIN_ITEM_WORDS = 6  # a shorter paragraph ("Source: …") ends the list


def _count_under_heading(
    index: Index, wanted: set[str], question: str, sentences: Sequence[Sentence]
) -> Outcome | None:
    """'How many districts are listed among the key new opportunities?': the paragraphs under
    the heading the question names, those that open with a thing of the asked kind."""
    named = {stem(w) for w in words(question) if w not in _FILLER and len(w) > 2} - wanted
    if len(named) < MIN_HEADING_WORDS:
        return None
    for doc in dict.fromkeys(s.doc for s in sentences):
        text = index.documents[doc].text
        _starts, ids = index.sentences_by_doc().get(doc, ([], []))
        for k, i in enumerate(ids):
            _d, s, e = index.sentences[i]
            heading = text[s:e].rstrip()
            if not heading.endswith(":"):
                continue
            if len(named & {stem(w) for w in words(heading)}) < MIN_HEADING_WORDS:
                continue
            items = _paragraphs_after(text, e)
            kinds = [
                p for p in items if wanted & {stem(w) for w in words(" ".join(p[2].split()[:6]))}
            ]
            if len(kinds) < MIN_ITEMS:
                return None
            n = len(kinds)
            names = [_opening_name(p[2]) for p in kinds]
            evidence = (Evidence(doc, s, e, text[s:e]),) + tuple(
                Evidence(doc, a, b, body) for a, b, body in kinds
            )
            span = derived(
                index,
                f"{n}: {', '.join(names)} — under “{' '.join(heading.split())}”",
                "count",
                (),
                formula=f"{n} items listed",
                bound=Bound(n, n),
                evidence=evidence,
            )
            return span, f"{n} items listed under a heading"
    return None


def _opening_name(paragraph: str) -> str:
    """The capitalised words a paragraph opens with ("Liangjiang New Area", "The High-tech New
    Area"), or its first three words."""
    m = re.match(r"(?:The\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", paragraph)
    return m.group(0) if m else " ".join(paragraph.split()[:3])


def _paragraphs_after(text: str, at: int) -> list[tuple[int, int, str]]:
    """The paragraphs (between blank lines) after `at`, up to a short one or the end."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text[at:]):
        body = m.group(0).strip()
        if not body:
            continue
        if len(body.split()) < MIN_ITEM_WORDS:
            break
        start = at + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        out.append((start, start + len(body), body))
    return out
