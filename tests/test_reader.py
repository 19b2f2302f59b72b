"""The trained reader: real int8 ONNX weights, real tokenizer, offsets and hash checks."""

from __future__ import annotations

import json
import shutil

import pytest

from cqqa.errors import ModelError
from cqqa.reader import MAX_QUESTION_TOKENS, READER_DIR, Reader, reader_info

HASTINGS = (
    "In 1066, Duke William II of Normandy conquered England killing King Harold II at the "
    "Battle of Hastings. The invading Normans and their descendants replaced the Anglo-Saxons "
    "as the ruling class of England."
)
SHOP = (
    "The bakery on Elm Street opened in March 2019. It sells about 400 loaves a day and "
    "employs twelve people, most of them students from the nearby college."
)


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader()


def _text(texts: list[str], span) -> str:
    return texts[span.passage][span.start : span.end]


@pytest.mark.parametrize(
    ("question", "texts", "expected"),
    [
        ("When was the Battle of Hastings?", [HASTINGS], "1066"),
        ("Who was killed at the Battle of Hastings?", [HASTINGS], "Harold"),
        ("How many loaves does the bakery sell each day?", [SHOP], "400"),
        ("How many people work at the bakery?", [SHOP], "twelve"),
        ("When did the bakery open?", [HASTINGS, SHOP], "March 2019"),
    ],
)
def test_reader_finds_the_span_on_text_it_never_saw(reader, question, texts, expected):
    spans = reader.read(question, texts)
    assert spans, question
    assert expected in _text(texts, spans[0])
    assert len(_text(texts, spans[0])) < 40  # a span, not a sentence


def test_spans_are_ranked_and_offsets_index_their_passage(reader):
    texts = [SHOP, HASTINGS]
    spans = reader.read("Where is the bakery?", texts, top=5)
    assert [s.score for s in spans] == sorted((s.score for s in spans), reverse=True)
    for span in spans:
        assert 0 <= span.start < span.end <= len(texts[span.passage])
        assert 0.0 <= span.prob <= 1.0
    assert "Elm Street" in _text(texts, spans[0])


def test_long_passages_are_read_in_windows(reader):
    filler = "The weather was mild and nothing else happened that week. " * 40
    text = filler + "The ferry to the island carries 85 cars. " + filler
    spans = reader.read("How many cars does the ferry carry?", [text])
    assert _text([text], spans[0]).startswith("85")


def test_odd_input_reads_nothing_or_stays_safe(reader):
    assert reader.read("", [SHOP]) == []
    assert reader.read("When?", []) == []
    long_question = "why " * (MAX_QUESTION_TOKENS * 4)
    spans = reader.read(long_question, [SHOP])  # cut to fit, never an error
    assert all(0 <= s.start <= s.end <= len(SHOP) for s in spans)


def test_reader_weights_are_hash_checked(tmp_path):
    info = reader_info()
    meta = json.loads((READER_DIR / "reader.json").read_text(encoding="utf-8"))
    assert info.sha256 == meta["sha256"]
    copy = tmp_path / "reader"
    shutil.copytree(READER_DIR, copy)
    data = bytearray((copy / "reader.onnx").read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / "reader.onnx").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="damaged or replaced"):
        reader_info(copy)
    (copy / "reader.onnx").unlink()
    with pytest.raises(ModelError, match="make train"):
        reader_info(copy)


def test_a_changed_reader_makes_the_index_stale(settings):
    from cqqa.index import read_manifest, stale_reasons

    _generation, manifest = read_manifest(settings.index_dir)
    assert stale_reasons(settings, manifest) == []
    assert manifest["reader"]["sha256"] == reader_info().sha256
    altered = {**manifest, "reader": {**manifest["reader"], "sha256": "0" * 64, "size": -1}}
    assert "the reader model changed" in stale_reasons(settings, altered)
