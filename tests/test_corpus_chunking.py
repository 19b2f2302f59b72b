"""Corpus reading and chunking: ids, titles, exact offsets, whole sentences and numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqqa import corpus
from cqqa.chunking import chunk_document, sentence_spans, split_sentences
from cqqa.errors import CorpusError
from cqqa.records import Document

# Numbers written the ways the article writes them; none may be cut by a chunk or sentence.
NUMBER = re.compile(r"(?:US)?\$?\d+(?:[.,]\d+)*(?:st|nd|rd|th|%)?")

SYNTHETIC = (
    "Chongqing’s trade rose.\u00a0It reached 343.83 billion CNY, up 12.9%. "
    "The U.S. partner invested US$5.5 billion in Jan. 2022. "
    "The 10,000th train left at 3 p.m. on June 23. Dr. Li’s team, i.e. the\u00a0U.N. group, "
    "met Mr. J. Smith (of Acme Inc.) at No. 5 Road. "
    "“Is it done?” she asked. ‘Yes!’ he said. Version 2.0.1 shipped... "
    "Then 1,234,567 people came.\n"
    "\n## A heading\n- a list item about 3.14 things\n- another 1.5 items\n\n"
    "Last line without a full stop"
)


def assert_offsets(document: Document, chunks) -> None:
    for chunk in chunks:
        assert chunk.doc == document.id
        assert document.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip() and chunk.text


def sentence_bounds(text: str) -> tuple[set[int], set[int]]:
    spans = split_sentences(text)
    return {s for s, _ in spans}, {e for _, e in spans}


def test_article_chunks_round_trip_and_overlap(article_text):
    doc = Document("article", "t", article_text)
    chunks = chunk_document(doc, sentences=3, overlap=1)
    assert len(chunks) > 5
    assert_offsets(doc, chunks)
    starts, ends = sentence_bounds(article_text)
    for chunk in chunks:
        assert chunk.start in starts and chunk.end in ends, chunk  # whole sentences only
    for a, b in zip(chunks, chunks[1:]):
        assert a.start < b.start and b.start < a.end, "neighbours share a sentence"
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    # Every sentence of the article is inside some chunk.
    for s, e in split_sentences(article_text):
        assert any(c.start <= s and e <= c.end for c in chunks)


def test_article_sentences_keep_numbers_and_curly_apostrophes(article_text):
    sentences = [article_text[s:e] for s, e in sentence_spans(article_text)]
    assert (
        "January to May 2022, Chongqing’s international import and export value reached "
        "343.83 billion CNY, up increase of 12.9%." in sentences
    )
    assert any(
        "the investment amount of key Sino-Singapore cooperation projects exceeds "
        "US$5.5 billion." in s
        for s in sentences
    )
    assert any(s.startswith("On June 23, the 10,000th China-European") for s in sentences)
    for number in ("343.83", "US$5.5", "10,000th", "12.9%"):
        hits = [s for s in sentences if number in s]
        assert hits, number


@pytest.mark.parametrize("sentences,overlap", [(1, 0), (2, 1), (3, 1), (4, 2), (5, 0)])
def test_synthetic_text_offsets_sentences_and_numbers(sentences, overlap):
    doc = Document("synthetic", "t", SYNTHETIC)
    chunks = chunk_document(doc, sentences=sentences, overlap=overlap, max_chars=300)
    assert_offsets(doc, chunks)
    cuts = {c.start for c in chunks} | {c.end for c in chunks}
    for m in NUMBER.finditer(SYNTHETIC):
        assert not any(m.start() < cut < m.end() for cut in cuts), m.group()
    texts = [SYNTHETIC[s:e] for s, e in sentence_spans(SYNTHETIC)]
    assert "The U.S. partner invested US$5.5 billion in Jan. 2022." in texts
    assert "The 10,000th train left at 3 p.m. on June 23." in texts
    assert (
        "Dr. Li’s team, i.e. the\u00a0U.N. group, met Mr. J. Smith (of Acme Inc.) at No. 5 Road."
        in texts
    )
    assert "It reached 343.83 billion CNY, up 12.9%." in texts
    assert "“Is it done?” she asked." in texts
    assert "- a list item about 3.14 things" in texts
    assert texts[-1] == "Last line without a full stop"


def test_chunking_is_deterministic(article_text):
    doc = Document("a", "t", article_text + "\n\n" + SYNTHETIC)
    first = chunk_document(doc, 3, 1, 400)
    assert first == chunk_document(doc, 3, 1, 400)
    assert first == chunk_document(Document("a", "t", str(doc.text)), 3, 1, 400)


def test_over_long_sentence_is_split_at_white_space_only():
    words = " ".join(f"{i:,}.5 units" for i in range(1000, 1400))  # one 6,000-char sentence
    doc = Document("long", "t", words + ".")
    chunks = chunk_document(doc, 3, 1, max_chars=500)
    assert_offsets(doc, chunks)
    assert all(len(c.text) <= 500 for c in chunks)
    for c in chunks:  # every piece starts and ends on a whole token
        assert c.start == 0 or doc.text[c.start - 1].isspace()
        assert c.end == len(doc.text) or doc.text[c.end].isspace()


def test_text_without_any_space_still_chunks_with_exact_offsets():
    doc = Document("blob", "t", "x" * 3000)
    chunks = chunk_document(doc, 3, 1, max_chars=1000)
    assert_offsets(doc, chunks)
    assert all(len(c.text) <= 1000 for c in chunks)
    assert "".join(c.text for c in chunks) == doc.text  # hard cuts, no overlap possible


@pytest.mark.parametrize("max_chars", [0, -5, 1])
def test_degenerate_limits_still_terminate_with_exact_offsets(article_text, max_chars):
    """The library guards itself too (Settings refuses such limits): no endless loop."""
    doc = Document("a", "t", article_text[:400])
    chunks = chunk_document(doc, 3, 1, max_chars=max_chars)
    assert_offsets(doc, chunks)
    assert all(len(c.text) == 1 for c in chunks)


_TOKENS = st.sampled_from(
    [
        "Chongqing’s",
        "trade",
        "rose",
        "343.83",
        "US$5.5",
        "10,000th",
        "U.S.",
        "Dr.",
        "Jan.",
        "i.e.",
        "e.g.",
        "12.9%",
        "billion",
        "CNY",
        "“quoted”",
        "(note)",
        "it’s",
        "No.",
        "5",
        "A.",
        "etc.",
        "port",
        "the",
        "and",
        "重庆",
        "🚄",
    ]
)
_SEPARATORS = st.sampled_from(
    [" ", " ", " ", "\u00a0", ". ", "! ", "? ", ".\n", "\n\n", ",  ", "\t"]
)


@st.composite
def documents(draw) -> str:
    parts = draw(st.lists(st.tuples(_TOKENS, _SEPARATORS), min_size=0, max_size=120))
    return draw(st.sampled_from(["", "  ", "\n"])) + "".join(t + s for t, s in parts)


@settings(max_examples=200, deadline=None)
@given(
    text=documents(),
    sentences=st.integers(1, 5),
    overlap=st.integers(0, 4),
    max_chars=st.integers(40, 1200),
)
def test_chunking_property(text, sentences, overlap, max_chars):
    """Any mix of the article's hard cases: exact offsets, no cut inside a number or a
    sentence (unless a sentence alone exceeds max_chars), deterministic."""
    overlap = min(overlap, sentences - 1)
    doc = Document("p", "t", text)
    chunks = chunk_document(doc, sentences, overlap, max_chars)
    assert chunks == chunk_document(doc, sentences, overlap, max_chars)
    assert_offsets(doc, chunks)
    if text.strip():
        assert chunks
    pieces = split_sentences(text, max_chars)
    starts, ends = {s for s, _ in pieces}, {e for _, e in pieces}
    for c in chunks:
        assert c.start in starts and c.end in ends
        assert len(c.text) <= max_chars
    for m in NUMBER.finditer(text):
        if m.end() - m.start() < max_chars // 2:
            assert not any(m.start() < s < m.end() or m.start() < e < m.end() for s, e in pieces)
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


# ---------------------------------------------------------------- corpus


def write(path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def test_many_documents_txt_md_nested(tmp_path):
    root = tmp_path / "corpus"
    write(root / "a.txt", "Alpha report\nAlpha has 3 ports.")
    write(root / "b.md", "\n\n# Beta *notes*\n\nBeta has 4 ports.")
    write(root / "deep" / "er" / "c.TXT", "\ufeffGamma\nGamma has 5 ports.")
    write(root / "deep" / "d.md", "Delta")
    write(root / "ignored.rst", "not a document")
    write(root / ".hidden" / "e.txt", "hidden folder")
    write(root / ".f.txt", "hidden file")
    docs = corpus.load_corpus(root, warn=pytest.fail)
    assert [d.id for d in docs] == ["a", "b", "deep/d", "deep/er/c"]
    assert {d.id: d.title for d in docs} == {
        "a": "Alpha report",
        "b": "Beta *notes*",
        "deep/d": "Delta",
        "deep/er/c": "Gamma",
    }
    for d in docs:
        assert d.text == Path(d.path).read_bytes().decode("utf-8")  # byte-exact, BOM kept
    assert set(corpus.fingerprint(root)) == {d.id for d in docs}


def test_same_name_txt_and_md_get_distinct_ids(tmp_path):
    """Two documents sharing an id would read each other's offsets (a bug, now fixed)."""
    root = tmp_path / "corpus"
    write(root / "report.txt", "Plain text version. It has 7 ports.")
    write(root / "report.md", "# Markdown version\nIt has 9 ports.")
    write(root / "other.txt", "Other.")
    docs = corpus.load_corpus(root, warn=pytest.fail)
    ids = [d.id for d in docs]
    assert len(set(ids)) == len(ids) == 3
    assert "other" in ids and "report.md" in ids and "report.txt" in ids
    assert set(corpus.fingerprint(root)) == set(ids)


def test_corpus_faults_are_named_and_the_rest_is_read(tmp_path, monkeypatch):
    root = tmp_path / "corpus"
    write(root / "good.txt", "Good document with 12 ports.")
    write(root / "latin1.txt", "Caf\xe9 costs 5 euros.".encode("latin-1"))
    write(root / "empty.md", "")
    write(root / "blank.md", " \n\t\n")
    write(root / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(root / "large.txt", "word " * 300)
    monkeypatch.setattr(corpus, "MAX_DOCUMENT_BYTES", 1000)
    messages: list[str] = []
    docs = corpus.load_corpus(root, warn=messages.append)
    assert [d.id for d in docs] == ["good"]
    by_file = {m.split(":")[0].removeprefix("Skipped ").strip(): m for m in messages}
    assert set(by_file) == {
        str(root / n) for n in ("latin1.txt", "empty.md", "blank.md", "binary.txt", "large.txt")
    }
    assert "not UTF-8" in by_file[str(root / "latin1.txt")]
    assert "empty" in by_file[str(root / "empty.md")]
    assert "empty" in by_file[str(root / "blank.md")]
    assert "binary" in by_file[str(root / "binary.txt")]
    assert "over the limit" in by_file[str(root / "large.txt")]
    assert "1,500 bytes" in by_file[str(root / "large.txt")]
    corpus.require_documents(root)  # one good file is enough


def test_no_usable_documents_is_one_clear_error(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    with pytest.raises(CorpusError, match="No documents in .*Put .txt or .md files there"):
        corpus.load_corpus(root)
    with pytest.raises(CorpusError, match="No documents"):
        corpus.require_documents(root)
    write(root / "only.txt", b"\xff\xfe\xfa latin")
    for call in (corpus.load_corpus, corpus.require_documents):
        with pytest.raises(CorpusError) as caught:
            call(root)
        message = str(caught.value)
        assert "only.txt" in message and "not UTF-8" in message and "\n" not in message
    with pytest.raises(CorpusError, match="No corpus folder at .*missing"):
        corpus.corpus_files(tmp_path / "missing")
