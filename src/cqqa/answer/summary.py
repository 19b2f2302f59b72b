"""What a document is about: a few of its own sentences, the lead and the most central ones,
in order.

The first usable sentence is always one of them (news states its main point first); the
others are the most central — closest to the mean of the document's sentence embeddings, with
a weight for coming early — skipping a sentence much like one already chosen, headings and
list-long sentences.
"""

from __future__ import annotations

import numpy as np

from ..index import Index
from ..records import Evidence
from .derive import Outcome, derived

SUMMARY_SENTENCES = 3
MAX_WORDS = 40  # one sentence listing a dozen names is no summary
# News puts its main points first: the first usable sentence gets this much added to its
# centrality, falling linearly to nothing at the end of the document.
LEAD_WEIGHT = 0.2
MIN_WORDS = 6  # titles and headings
# A sentence that says what a topic summary is about may be long: the one that says most of it.
MAX_TOPIC_WORDS = 80
REDUNDANT = 0.8  # cosine above which a sentence repeats one already chosen


def summarize(index: Index, doc: str, n: int = SUMMARY_SENTENCES) -> Outcome:
    starts, ids = index.sentences_by_doc().get(doc, ([], []))
    text = index.documents[doc].text
    usable = []
    for i in ids:
        _d, s, e = index.sentences[i]
        count = len(text[s:e].split())
        if MIN_WORDS <= count <= MAX_WORDS and text[s:e].rstrip()[-1:] in '.!?”"':
            usable.append(i)
    if not usable:
        return None, "the document has no sentences to summarize"
    vectors = index.sentence_embeddings[usable]
    centre = vectors.mean(axis=0)
    centre = centre / (np.linalg.norm(centre) or 1.0)
    lead = LEAD_WEIGHT * (1 - np.arange(len(usable)) / len(usable))
    order = np.argsort(-(vectors @ centre + lead))
    # News puts its main point in its first sentence: the lead is always one of them.
    chosen: list[int] = [0] if n > 1 else []
    for j in order:
        if j in chosen or any(float(vectors[j] @ vectors[k]) > REDUNDANT for k in chosen):
            continue
        chosen.append(int(j))
        if len(chosen) == n + (n > 1):  # the lead and n central sentences
            break
    picked = sorted(usable[j] for j in chosen)
    evidence = []
    for i in picked:
        _d, s, e = index.sentences[i]
        evidence.append(Evidence(doc, s, e, text[s:e]))
    body = " ".join(" ".join(ev.text.split()) for ev in evidence)
    title = index.documents[doc].title
    answer_text = f"{title}: {body}" if title else body
    span = derived(index, answer_text, "summary", (), formula=None, evidence=evidence)
    return span, f"{len(evidence)} of the document's sentences: its lead and the most central ones"


def summarize_topic(index: Index, topic: str, sentences, n: int = SUMMARY_SENTENCES) -> Outcome:
    """A summary asked about one thing ("the district opportunities summary"): the retrieved
    sentences closest to the question that say something of it, in the document's order.
    The document's own setting ("Chongqing" in a report on Chongqing) says nothing of which;
    a heading that names the topic and opens a list ("New opportunities include:") is
    summarized by the items that follow it."""
    from ..textutil import STOPWORDS, stem, words
    from ..vocabulary import proper_nouns
    from .sentences import background

    doc = sentences[0].doc if sentences else ""
    names = proper_nouns(index)
    all_words = [w for w in words(topic) if w not in STOPWORDS] or words(topic)
    kept = [w for w in all_words if not (doc and w in names and background(index, doc, w))]
    if doc and all_words and not kept:
        # "the main message of the piece about Chongqing", of a report on Chongqing: the
        # document's own setting is the whole document
        return summarize(index, doc)
    wanted = {stem(w) for w in kept}
    listed = _listed_under(index, doc, wanted) if doc else None
    if listed is not None:
        return listed
    chosen = []
    # the sentences that say most of the topic first, then the closest in meaning
    ranked = sorted(
        sentences,
        key=lambda s: (-len(wanted & {stem(w) for w in words(s.text)}), -s.similarity),
    )
    for s in ranked:
        count = len(s.text.split())
        if not MIN_WORDS <= count <= MAX_TOPIC_WORDS or s.text.rstrip()[-1:] not in '.!?”"':
            continue
        if not wanted & {stem(w) for w in words(s.text)}:
            continue
        if any(c.doc == s.doc and c.start == s.start for c in chosen):
            continue
        chosen.append(s)
        if len(chosen) == n:
            break
    if not chosen:
        return None, f"the documents say nothing about {topic} to summarize"
    doc = chosen[0].doc
    chosen = sorted((s for s in chosen if s.doc == doc), key=lambda s: s.start)
    evidence = [Evidence(s.doc, s.start, s.end, s.text) for s in chosen]
    body = " ".join(" ".join(ev.text.split()) for ev in evidence)
    span = derived(index, f"On {topic}: {body}", "summary", (), formula=None, evidence=evidence)
    return span, f"the {len(evidence)} retrieved sentences most about {topic}"


# A heading that opens a list of items: it ends with a colon.
LIST_ITEMS = 4  # items of such a list shown


def _listed_under(index: Index, doc: str, wanted: set[str], n: int = LIST_ITEMS) -> Outcome | None:
    """'Key new opportunities being seized include:' names the topic (all its words but one):
    the first sentences of the items after it, or None when no heading names it."""
    from ..textutil import stem, words

    text = index.documents[doc].text
    ids = index.sentences_by_doc().get(doc, ([], []))[1]
    for k, i in enumerate(ids):
        _d, s, e = index.sentences[i]
        said = text[s:e].rstrip()
        if not said.endswith(":"):
            continue
        hits = len(wanted & {stem(w) for w in words(said)})
        if hits < (len(wanted) if len(wanted) <= 2 else len(wanted) - 1):
            continue
        evidence = []
        last_end = e
        for j in ids[k + 1 :]:
            _d2, s2, e2 = index.sentences[j]
            if "\n" not in text[last_end:s2] and evidence:
                last_end = e2
                continue  # a later sentence of the same item
            evidence.append(Evidence(doc, s2, e2, text[s2:e2]))
            last_end = e2
            if len(evidence) == n:
                break
        if not evidence:
            return None
        body = " ".join(" ".join(ev.text.split()) for ev in evidence)
        heading = " ".join(said.split())
        span = derived(index, f"{heading} {body}", "summary", (), formula=None, evidence=evidence)
        return span, f"the first {len(evidence)} items listed under “{heading}”"
    return None
