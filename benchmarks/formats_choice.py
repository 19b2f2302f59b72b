"""How formats.py's libraries were chosen: candidates measured on real files (issue 14).

    .venv/bin/python benchmarks/formats_choice.py

PDF: pypdf against pdfplumber (install it to compare; it is not a dependency) on the PDFs
under /usr/share/doc. HTML: trafilatura against BeautifulSoup's get_text (script, style,
nav, header and footer dropped) on (a) a news page built from corpus/'s article with
div-based menus, cookie banner, related links and scripts around it, and (b) the Rust
documentation pages installed with rustup, whose navigation is a semantic <nav>.
Not a test: it prints what it measured.
"""

from __future__ import annotations

import glob
import io
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pdfs() -> None:
    from pypdf import PdfReader

    try:
        import pdfplumber
    except ImportError:
        pdfplumber = None
    for name in sorted(glob.glob("/usr/share/doc/**/*.pdf", recursive=True)):
        data = Path(name).read_bytes()
        start = time.perf_counter()
        texts = [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]
        a = time.perf_counter() - start
        line = f"{Path(name).name}: {len(texts)} pages; pypdf {len(texts) / a:.1f} pages/s"
        if pdfplumber:
            start = time.perf_counter()
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                other = [p.extract_text() or "" for p in pdf.pages]
            b = time.perf_counter() - start
            spaces = [t.count(" ") / max(1, len(t)) for t in ("".join(texts), "".join(other))]
            line += (
                f", pdfplumber {len(other) / b:.1f} pages/s; share of spaces in the text "
                f"{spaces[0]:.3f} vs {spaces[1]:.3f}"
            )
        print(line)


def _bs4_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    return soup.get_text("\n", strip=True)


def _norm(text: str) -> str:
    return " ".join(text.split())


def news_page() -> None:
    import trafilatura

    article = (ROOT / "corpus" / "chongqing-international-links.txt").read_text("utf-8")
    paras = [p for p in article.split("\n") if p.strip()]
    title, body = paras[0], paras[1:]
    menu = "".join(
        f'<li><a href="/s{i}">Section {w}</a></li>'
        for i, w in enumerate("World Business Sports Culture Travel".split())
    )
    related = "".join(
        f'<div class="item"><a href="/r{i}">Related story number {i} about markets</a></div>'
        for i in range(8)
    )
    html = (
        f"<!doctype html><html><head><title>{title}</title>"
        "<script>var t = 'SCRIPT-SECRET';</script>"
        f'</head><body><div class="top"><div class="menu"><ul>{menu}</ul></div><div class="login">'
        'Sign in | Subscribe now for unlimited access</div></div><div class="cookie-banner">We use '
        f'cookies to improve your experience</div><div class="content"><h1>{title}</h1>'
        + "".join(f"<p>{p}</p>" for p in body)
        + f'</div><div class="sidebar"><h3>Most read</h3>{related}</div><div class="bottom">'
        "Copyright. All rights reserved. Contact us</div><script>document.write('SCRIPT-SECRET-2')"
        "</script></body></html>"
    )
    boiler = [
        "Section World",
        "Subscribe now",
        "We use cookies",
        "Related story number",
        "All rights reserved",
        "SCRIPT-SECRET",
        "Most read",
    ]
    sentences = [s for p in body for s in re.split(r"(?<=\.) ", p) if len(s) > 30]
    for name, extract in (
        ("trafilatura", lambda h: trafilatura.extract(h, include_tables=True) or ""),
        ("BeautifulSoup", _bs4_text),
    ):
        start = time.perf_counter()
        text = _norm(extract(html))
        ms = 1000 * (time.perf_counter() - start)
        kept = sum(_norm(s) in text for s in sentences)
        leaked = sum(b in text for b in boiler)
        print(
            f"news page, {name}: article sentences kept {kept}/{len(sentences)}, "
            f"boilerplate phrases leaked {leaked}/{len(boiler)}, {ms:.0f} ms"
        )


def rust_docs() -> None:
    import trafilatura
    from bs4 import BeautifulSoup

    base = "/root/.rustup/toolchains/*/share/doc/rust/html"
    files = (
        sorted(glob.glob(f"{base}/rustc/*.html"))[:12]
        + sorted(glob.glob(f"{base}/rustdoc/*.html"))[:8]
    )
    totals = {"trafilatura": [0.0, 0.0, 0.0], "BeautifulSoup": [0.0, 0.0, 0.0]}
    n = 0
    for name in files:
        html = Path(name).read_text("utf-8")
        soup = BeautifulSoup(html, "lxml")
        nav, main = soup.find(id="sidebar") or soup.find("nav"), soup.find("main")
        if not nav or not main:
            continue
        main_text = main.get_text(" ", strip=True)
        links = [a.get_text(" ", strip=True) for a in nav.find_all("a")]
        nav_only = [x for x in links if len(x) > 12 and x not in main_text]
        sentences = [s.strip() for s in main_text.split(". ") if len(s.strip()) > 40]
        for label, extract in (
            ("trafilatura", lambda h: trafilatura.extract(h, include_tables=True) or ""),
            ("BeautifulSoup", _bs4_text),
        ):
            start = time.perf_counter()
            text = _norm(extract(html))
            totals[label][2] += time.perf_counter() - start
            totals[label][0] += sum(_norm(s)[:60] in text for s in sentences) / max(
                1, len(sentences)
            )
            totals[label][1] += sum(x in text for x in nav_only) / max(1, len(nav_only))
        n += 1
    for label, (kept, leaked, seconds) in totals.items():
        if n:
            print(
                f"{n} Rust doc pages, {label}: main-text sentences kept {kept / n:.3f}, "
                f"navigation-only links leaked {leaked / n:.3f}, {1000 * seconds / n:.0f} ms/page"
            )


if __name__ == "__main__":
    pdfs()
    news_page()
    rust_docs()
