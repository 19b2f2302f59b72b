"""Adding documents from the web chat (CQQA_UPLOADS=1), in the real app and real Chromium:
a PDF uploaded through the page is checked, saved, indexed incrementally and answered with
its page; a hostile file is refused in one line; the Documents tab lists and removes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from documents import write_docx, write_html, write_pdf
from homes import make_home, running_app
from test_web import _open, needs_chromium

from cqqa.uploads import MAX_UPLOAD_BYTES, safe_filename


@pytest.fixture
def home(tmp_path, built):
    return make_home(tmp_path, built[0])


def _env(home, uploads: str) -> dict[str, str]:
    return {**os.environ, **home.env, "CQQA_UPLOADS": uploads}


def _manifest(home) -> dict:
    return json.loads((home.generation() / "manifest.json").read_text("utf-8"))


@needs_chromium
def test_a_pdf_uploaded_in_the_chat_is_indexed_and_answered_with_its_page(browser, home, tmp_path):
    from playwright.sync_api import expect

    files = tmp_path / "to-upload"
    files.mkdir()
    pdf = write_pdf(files / "Harbour report 2023.pdf")
    docx = write_docx(files / "orchard.docx")
    program = files / "invoice.pdf"  # an executable with a PDF's name
    program.write_bytes(b"MZ\x90\x00" + os.urandom(2048))
    with running_app(_env(home, "1"), tmp_path) as url:
        context, tab = _open(browser, url)
        page = tab.page
        expect(page.locator("#cq-add")).to_be_visible(timeout=30_000)
        with page.expect_file_chooser() as chooser:
            page.locator("#cq-add").click()
        chooser.value.set_files([str(pdf), str(docx), str(program)])
        reply = tab.last_reply()
        expect(reply).to_contain_text("Added 2 documents", timeout=120_000)
        expect(reply).to_contain_text("Harbour-report-2023.pdf (pdf, 3 pages)")
        expect(reply).to_contain_text("orchard.docx (docx)")
        expect(reply.locator(".cq-refused")).to_contain_text(
            "invoice.pdf: its content is a Windows executable, not a document"
        )
        # Saved under safe names; the executable never reached the corpus.
        names = sorted(p.name for p in home.corpus.iterdir() if not p.name.startswith("."))
        assert "Harbour-report-2023.pdf" in names and "orchard.docx" in names, names
        assert not any("invoice" in n for n in names), names
        # Incremental: the article's embeddings were reused, only the new text embedded.
        build = _manifest(home)["build"]
        assert build["documents_reused"] >= 1 and build["documents_reprocessed"] == 2, build
        # A name that climbs out of the corpus lands inside it, under a safe name.
        page_html = write_html(tmp_path / "page.html").read_bytes()
        with page.expect_file_chooser() as chooser:
            page.locator("#cq-add").click()
        chooser.value.set_files(
            [{"name": "../../escape.html", "mimeType": "text/html", "buffer": page_html}]
        )
        expect(page.locator('#cq-chat [data-testid="bot"]')).to_have_count(2, timeout=120_000)
        expect(tab.last_reply()).to_contain_text("escape.html (html)")
        assert (home.corpus / "escape.html").is_file()
        assert not list(tmp_path.parent.glob("escape*")) and not list(tmp_path.glob("escape*"))
        # The same bytes again are refused, not indexed twice.
        with page.expect_file_chooser() as chooser:
            page.locator("#cq-add").click()
        chooser.value.set_files([str(pdf)])
        expect(page.locator('#cq-chat [data-testid="bot"]')).to_have_count(3, timeout=120_000)
        expect(tab.last_reply()).to_contain_text(
            "the same file is already indexed as Harbour-report-2023.pdf"
        )
        assert not (home.corpus / "Harbour-report-2023-2.pdf").exists()
        # A file over the size limit is refused before it is stored.
        big = files / "big.pdf"
        with open(big, "wb") as handle:
            handle.write(b"%PDF-1.4\n")
            handle.truncate(MAX_UPLOAD_BYTES + 1)
        with page.expect_file_chooser() as chooser:
            page.locator("#cq-add").click()
        chooser.value.set_files([str(big)])
        expect(page.get_by_text("exceed the maximum allowed size")).to_be_visible(timeout=30_000)
        assert not any("big" in p.name for p in home.corpus.iterdir())
        tab.ask("How many people does the port of Veltmar employ?")
        expect(tab.last_reply().locator("strong")).to_contain_text("1,830", timeout=60_000)
        expect(tab.last_reply()).to_contain_text("page 2")
        expect(page.locator("#cq-sources article").first).to_contain_text("page 2")
        # Ask one document: the article's question finds nothing of the article there.
        page.locator("#cq-within input").click()
        page.get_by_role("option", name="Harbour-report-2023.pdf").click()
        tab.ask("How many ports does the western land and sea channel link with?")
        expect(page.locator('#cq-chat [data-testid="bot"]')).to_have_count(5, timeout=60_000)
        expect(page.locator("#cq-sources article").first).to_be_visible()
        expect(page.locator("#cq-sources article", has_text="Chongqing")).to_have_count(0)
        expect(page.locator("#cq-sources article", has_text="Norland harbour")).not_to_have_count(0)
        # The Documents tab lists what is indexed, and removes one.
        page.get_by_role("tab", name="Documents").click()
        row = page.locator("#cq-docs .virtual-row", has_text="Harbour-report-2023.pdf")
        expect(row).to_be_visible()
        expect(row).to_contain_text("pdf")
        expect(page.locator("#cq-docs .virtual-row", has_text="orchard.docx")).to_be_visible()
        page.locator("#cq-remove-pick input").click()
        page.get_by_role("option", name="orchard.docx").click()
        page.locator("#cq-remove").click()
        expect(page.locator("#cq-docs .virtual-row", has_text="orchard.docx")).to_have_count(
            0, timeout=60_000
        )
        assert not (home.corpus / "orchard.docx").exists()
        assert "orchard" not in _manifest(home)["documents"]
        tab.assert_stayed_home()
        context.close()


@needs_chromium
def test_without_cqqa_uploads_there_is_no_add_control_and_uploads_are_refused(
    browser, home, tmp_path
):
    import urllib.error
    import urllib.request

    from playwright.sync_api import expect

    with running_app(_env(home, ""), tmp_path) as url:
        context, tab = _open(browser, url)
        expect(tab.page.locator("#cq-question textarea")).to_be_visible(timeout=30_000)
        expect(tab.page.locator("#cq-add")).to_have_count(0)
        expect(tab.page.locator("#cq-remove")).to_be_hidden()
        context.close()
        request = urllib.request.Request(
            url + "gradio_api/upload",
            data=b"--x\r\nContent-Disposition: form-data; name=files; filename=a.pdf\r\n\r\n"
            b"%PDF-1.4\r\n--x--\r\n",
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 403


@pytest.mark.parametrize(
    ("name", "suffix", "expected"),
    [
        ("../../etc/passwd.pdf", ".pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", ".pdf", "boot.ini.pdf"),
        (".hidden.pdf", ".pdf", "hidden.pdf"),
        ("report.exe", ".pdf", "report.pdf"),  # the content decides the suffix
        ("a\x00b\x1b[31m.html", ".html", "a-b-31m.html"),
        ("..", ".txt", "document.txt"),
        ("Jahresbericht Straße 2023.docx", ".docx", "Jahresbericht-Straße-2023.docx"),
        ("x" * 500 + ".pdf", ".pdf", "x" * 80 + ".pdf"),
    ],
)
def test_an_uploaded_name_becomes_a_safe_file_name(name, suffix, expected):
    made = safe_filename(name, suffix)
    assert made == expected
    assert "/" not in made and "\\" not in made and not made.startswith(".")
    assert Path(made).name == made
