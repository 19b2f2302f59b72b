"""Real PDF, HTML and Word files written by the tests (fpdf2, plain HTML, python-docx), and
hostile ones: each states facts nobody else in the corpus states, so an answer from it can
only come from reading it."""

from __future__ import annotations

from pathlib import Path

PDF_PAGES = (
    "The Harbour Authority of Norland published its annual report in March 2024. The report "
    "covers shipping, staff and finance across the coastal towns of the region.",
    "In 2023 the port of Veltmar handled 4,250 container ships, up 12 percent on the year "
    "before. The port of Veltmar employs 1,830 people at its three terminals, and most of "
    "them live in the town itself.",
    "The authority spent 96 million euros on new cranes during the year. The new terminal at "
    "Ostrand opened on 14 June 2023 and its quay is 640 metres long.",
)

ARTICLE = (
    "The Lindholm public library lends 312,000 books a year to its readers.",
    "It was founded in 1911 by the weaver Agnes Morrow, who left her house to the town.",
    "The reading room seats 140 people and stays open until 10 p.m. on weekdays.",
)
BOILERPLATE = (
    "Subscribe now for unlimited access",
    "We use cookies to improve your experience",
    "Related story about the regional weather",
    "All rights reserved by Daily Lindholm Media",
)
SCRIPT_TOKEN = "SCRIPT-SECRET-TOKEN"

DOCX_PARAGRAPHS = (
    "The Brindle orchard lies on the south bank of the river Tam.",
    "The orchard has 2,400 apple trees and 310 pear trees, planted in 1987.",
    "Each autumn about 45 pickers bring in the harvest over six weeks.",
)
DOCX_TABLE = (("Variety", "Trees"), ("Cox", "1,200"), ("Bramley", "800"))


def write_pdf(path: Path, pages: tuple[str, ...] = PDF_PAGES, **encryption) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.set_title("Norland harbour report 2023")
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose pages are only pictures (no text layer), as a scanner makes them."""
    from fpdf import FPDF

    pdf = FPDF()
    for i in range(pages):
        pdf.add_page()
        pdf.set_fill_color(40 * i, 90, 160)
        pdf.rect(20, 20, 120, 80, style="F")  # drawn shapes, no text
    pdf.output(str(path))
    return path


def write_html(path: Path) -> Path:
    menu = "".join(
        f'<li><a href="/s{i}">Section {w}</a></li>'
        for i, w in enumerate("World Business Sports Culture Travel Opinion".split())
    )
    related = "".join(
        f'<div class="item"><a href="/r{i}">{BOILERPLATE[2]} number {i}</a></div>' for i in range(6)
    )
    body = "".join(f"<p>{sentence}</p>" for sentence in ARTICLE)
    page = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Lindholm library at 110 - Daily Lindholm</title>
<script>var tracker = "{SCRIPT_TOKEN}"; function f() {{ return 1; }}</script>
<style>.menu {{ color: red }}</style></head>
<body>
<div class="top-bar"><div class="menu"><ul>{menu}</ul></div>
<div class="login">Sign in | {BOILERPLATE[0]}</div></div>
<div class="cookie-banner">{BOILERPLATE[1]}. Accept all cookies</div>
<div class="wrapper"><div class="content"><h1>Lindholm library at 110</h1>
<div class="byline">By a staff reporter</div>
{body}
<script>document.write("{SCRIPT_TOKEN}-2")</script>
</div><div class="sidebar"><h3>Most read</h3>{related}</div></div>
<div class="bottom"><p>Copyright 2024. {BOILERPLATE[3]}. Contact us | Privacy policy</p></div>
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


def write_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Brindle orchard"
    document.add_heading("Brindle orchard", level=1)
    for text in DOCX_PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=len(DOCX_TABLE), cols=2)
    for row, values in zip(table.rows, DOCX_TABLE):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.save(str(path))
    return path
