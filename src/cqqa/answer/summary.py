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
    sentences closest to the question that say something of it, in the document's order."""
    from ..textutil import stem, words

    wanted = {stem(w) for w in words(topic)}
    chosen = []
    for s in sorted(sentences, key=lambda s: -s.similarity):
        count = len(s.text.split())
        if not MIN_WORDS <= count <= MAX_WORDS or s.text.rstrip()[-1:] not in '.!?”"':
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
