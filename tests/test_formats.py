"""PDF, HTML and Word documents, written here by real libraries, read, indexed and asked
through the real CLI; and hostile files, each named in one line while the rest is indexed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from documents import (
    ARTICLE,
    BOILERPLATE,
    DOCX_PARAGRAPHS,
    PDF_PAGES,
    SCRIPT_TOKEN,
    write_docx,
    write_html,
    write_pdf,
    write_scanned_pdf,
)
from homes import Home, assert_one_line_error, check_answer_json, make_home, run

from cqqa.corpus import load_corpus
from cqqa.formats import FormatProblem, page_at, read_bytes, sniff


@pytest.fixture
def home(tmp_path, built) -> Home:
    return make_home(tmp_path, built[0])


def _documents(home: Home) -> dict[str, dict]:
    rows = json.loads((home.generation() / "documents.json").read_text("utf-8"))
    return {row["id"]: row for row in rows}


def _ask_docs(home: Home, question: str, *docs: str) -> dict:
    flags = [flag for doc in docs for flag in ("--doc", doc)]
    result = run("ask", question, *flags, "--json", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _ask(home: Home, question: str) -> dict:
    result = run("ask", question, "--json", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


QUESTIONS = (
    # question, expected answer text, document, page (None: a format without pages)
    ("How many people does the port of Veltmar employ?", "1,830", "harbour-report", 2),
    ("How much did the authority spend on new cranes?", "96 million euros", "harbour-report", 3),
    ("How many books does the Lindholm library lend each year?", "312,000", "library", None),
    ("How many apple trees does the Brindle orchard have?", "2,400", "orchard", None),
)


def test_pdf_html_and_docx_are_indexed_and_answered_with_pages(home):
    write_pdf(home.corpus / "harbour-report.pdf")
    write_html(home.corpus / "library.html")
    write_docx(home.corpus / "orchard.docx")
    built = run("index", home=home)
    assert built.returncode == 0, built.stderr
    assert "Skipped" not in built.stderr, built.stderr
    assert "Indexed 4 documents" in built.stderr, built.stderr
    documents = _documents(home)
    assert {d: documents[d]["format"] for d in ("harbour-report", "library", "orchard")} == {
        "harbour-report": "pdf",
        "library": "html",
        "orchard": "docx",
    }
    pdf = documents["harbour-report"]
    assert len(pdf["pages"]) == 3 and pdf["title"] == "Norland harbour report 2023"
    # Each page's text starts where the document says its page starts.
    for number, (start, page_text) in enumerate(zip(pdf["pages"], PDF_PAGES), 1):
        assert pdf["text"][start:].startswith(page_text[:40]), number
    manifest = json.loads((home.generation() / "manifest.json").read_text("utf-8"))
    assert manifest["documents"]["harbour-report"]["pages"] == 3
    assert manifest["documents"]["library"]["pages"] is None
    texts = {doc: row["text"] for doc, row in documents.items()}
    for question, expected, doc, page in QUESTIONS:
        data = _ask(home, question)
        check_answer_json(data, texts)  # every offset indexes the text as it was read
        answer = data["answer"]
        assert answer is not None, (question, data["reason"])
        assert expected in answer["text"] and answer["doc"] == doc, (question, answer)
        assert answer["page"] == page, (question, answer)
        for record in data["passages"] + data["facts"]:
            rows = documents[record["doc"]]
            assert record["page"] == page_at(rows["pages"], record["start"]), record
            if rows["pages"]:
                assert record["page"] >= 1
    # Asking never imports a parser: the staleness check hashes the files' bytes.
    timed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cqqa", "ask", QUESTIONS[0][0]],
        env={**os.environ, **home.env},
        cwd=home.root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert timed.returncode == 0, timed.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in timed.stderr.splitlines()}
    assert not imported & {"pypdf", "trafilatura", "docx", "bs4"}, imported
    # The terminal's citation names the page.
    plain = run("ask", QUESTIONS[0][0], home=home)
    assert plain.returncode == 0, plain.stderr
    assert "harbour-report, page 2" in plain.stdout, plain.stdout
    # Asking one document: every passage and the answer come from it, or it declines.
    ports = "How many ports does the western land-sea channel reach?"
    only = run("ask", ports, "--doc", "harbour-report", "--json", home=home)
    assert only.returncode == 0, only.stderr
    scoped = json.loads(only.stdout)
    check_answer_json(scoped, texts)
    assert {p["doc"] for p in scoped["passages"]} == {"harbour-report"}
    assert scoped["answer"] is None or (
        scoped["answer"]["doc"] == "harbour-report" and "319" not in scoped["answer"]["text"]
    )
    two = _ask_docs(home, QUESTIONS[2][0], "library", "orchard")
    assert {p["doc"] for p in two["passages"]} <= {"library", "orchard"}
    assert "312,000" in two["answer"]["text"]
    assert_one_line_error(run("ask", ports, "--doc", "nope", home=home), "No document 'nope'")
    # The article (a .txt) keeps its null pages.
    article = _ask(home, "How many ports does the western land-sea channel reach?")
    assert article["answer"]["doc"] == "chongqing-international-links"
    assert article["answer"]["page"] is None


def test_html_keeps_the_article_and_drops_navigation_boilerplate_and_scripts(tmp_path):
    write_html(tmp_path / "library.html")
    (document,) = load_corpus(tmp_path)
    for sentence in ARTICLE:
        assert sentence in document.text
    for phrase in BOILERPLATE:
        assert phrase not in document.text, phrase
    assert SCRIPT_TOKEN not in document.text and "function" not in document.text
    assert document.title == "Lindholm library at 110"
    assert document.pages is None


def test_docx_keeps_paragraphs_and_tables_in_order(tmp_path):
    write_docx(tmp_path / "orchard.docx")
    (document,) = load_corpus(tmp_path)
    positions = [document.text.index(p) for p in DOCX_PARAGRAPHS]
    assert positions == sorted(positions)
    assert "Cox | 1,200" in document.text and document.text.index("Cox") > positions[-1]
    assert document.title == "Brindle orchard"


def test_a_pdf_line_break_inside_a_sentence_becomes_a_space(tmp_path):
    # fpdf2 wraps the long sentence over several lines; the text must read as one sentence.
    write_pdf(tmp_path / "r.pdf")
    (document,) = load_corpus(tmp_path)
    assert "The port of Veltmar employs 1,830 people at its three terminals" in document.text
    assert page_at(document.pages, document.text.index("1,830")) == 2
    assert page_at(document.pages, 0) == 1


def test_what_a_file_is_comes_from_its_bytes_not_its_name(tmp_path):
    pdf = write_pdf(tmp_path / "a.pdf").read_bytes()
    assert sniff(pdf) == "pdf"
    assert sniff(write_docx(tmp_path / "a.docx").read_bytes()) == "docx"
    assert sniff(write_html(tmp_path / "a.html").read_bytes()) == "html"
    assert sniff(b"\x7fELF\x02\x01\x01" + bytes(64)) == "a Linux executable"
    assert sniff(b"MZ\x90\x00" + bytes(64)) == "a Windows executable"
    with pytest.raises(FormatProblem, match="named .docx but its content is a PDF"):
        read_bytes(pdf, ".docx")
    with pytest.raises(FormatProblem, match="named .pdf but its content is a Linux executable"):
        read_bytes(b"\x7fELF\x02\x01\x01" + bytes(64), ".pdf")


# ---------------------------------------------------------------- hostile files


def _pdf_bomb(path: Path, inflated: int = 300 * 2**20) -> Path:
    """A one-page PDF whose content stream inflates to `inflated` bytes (~300 KB on disk)."""
    stream = zlib.compress(b"q " * (inflated // 2), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


HOSTILE = {
    # file name -> words its one line must hold
    "locked.pdf": ("encrypted", "password"),
    "scan.pdf": ("no text layer", "OCR"),
    "broken.pdf": ("cannot be read as a PDF",),
    "program.pdf": ("named .pdf", "Linux executable"),
    "huge.pdf": ("over the limit",),
    # pypdf stops inflating at its 75 MB limit (peak memory ~40 MB here), leaving no text.
    "bomb.pdf": ("PDF", "no text"),
    "archive.docx": ("named .docx", "zip archive"),
    "empty.html": ("no text",),
}


def _write_hostile(corpus: Path) -> None:
    write_pdf(corpus / "locked.pdf", owner_password="owner", user_password="secret")
    write_scanned_pdf(corpus / "scan.pdf")
    good = write_pdf(corpus / "broken.pdf").read_bytes()
    (corpus / "broken.pdf").write_bytes(good[:400] + b"\x00garbage" * 50)
    (corpus / "program.pdf").write_bytes(b"\x7fELF\x02\x01\x01\x00" + os.urandom(4096))
    with open(corpus / "huge.pdf", "wb") as handle:  # 1 GB, sparse: nothing is written
        handle.write(b"%PDF-1.4\n")
        handle.truncate(2**30)
    _pdf_bomb(corpus / "bomb.pdf")
    import zipfile

    with zipfile.ZipFile(corpus / "archive.docx", "w") as archive:
        archive.writestr("notes.txt", "not a Word file")
    (corpus / "empty.html").write_text(
        "<!doctype html><html><head><script>var x = 1;</script></head><body></body></html>"
    )


def test_hostile_files_are_each_named_in_one_line_and_the_rest_is_indexed(home):
    write_pdf(home.corpus / "harbour-report.pdf")
    write_html(home.corpus / "library.html")
    _write_hostile(home.corpus)
    built = run("index", home=home)
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr, built.stderr
    skipped = [line for line in built.stderr.splitlines() if line.startswith("Skipped ")]
    assert len(skipped) == len(HOSTILE), built.stderr
    for name, words in HOSTILE.items():
        (line,) = [s for s in skipped if f"/{name}:" in s]
        for word in words:
            assert word.lower() in line.lower(), (name, word, line)
        assert len(line) < 400, line
    assert "Indexed 3 documents" in built.stderr, built.stderr
    assert set(_documents(home)) == {"chongqing-international-links", "harbour-report", "library"}
    data = _ask(home, QUESTIONS[0][0])
    assert "1,830" in data["answer"]["text"] and data["answer"]["page"] == 2
    # Nothing half-written: the skipped files are recorded as skipped, so the index is
    # current, and asking does not rebuild or repeat the warnings.
    again = run("index", home=home)
    assert again.returncode == 0 and "is current" in again.stdout, again.stderr + again.stdout


def test_only_hostile_files_is_one_clear_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_scanned_pdf(corpus / "scan.pdf")
    result = run("index", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "No usable documents" in lines[0] and "no text layer" in lines[0], lines[0]


def test_an_unchanged_pdf_is_not_parsed_again_when_a_document_is_added(home, monkeypatch):
    import cqqa.corpus
    from cqqa.index import build

    write_pdf(home.corpus / "harbour-report.pdf")
    first = build(home.settings, note=lambda message: None)
    parsed: list[str] = []
    real = cqqa.corpus.read_bytes

    def counting(data: bytes, suffix: str):
        parsed.append(suffix)
        return real(data, suffix)

    monkeypatch.setattr(cqqa.corpus, "read_bytes", counting)
    write_docx(home.corpus / "orchard.docx")
    second = build(home.settings, note=lambda message: None)
    assert parsed == [".docx"]  # the PDF's text came from the previous generation
    assert second.documents["harbour-report"] == first.documents["harbour-report"]
    assert second.manifest["build"]["documents_reprocessed"] == 1
    # Asking the index for staleness hashes the files' bytes and parses nothing.
    from cqqa.index import read_manifest, stale_reasons

    parsed.clear()
    assert stale_reasons(home.settings, read_manifest(home.index)[1]) == []
    assert parsed == []
