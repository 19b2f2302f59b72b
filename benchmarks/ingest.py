"""PDF ingestion speed, each figure beside its floor, from one run (issue 14, item 4).

    .venv/bin/python benchmarks/ingest.py [--pages 500] [--real]

- pages/s of cqqa reading a PDF (`formats.read_bytes`: pypdf, line rejoining, page offsets)
  beside pypdf's `extract_text` alone on the same file (the parser floor);
- pages/s of adding that PDF to a current index (read, chunk, facts, embed only its text,
  write a generation) beside reading alone, and chunks/s of its embedding beside the ONNX
  encoder alone on the same texts (the encoder floor).

The PDF is written here with fpdf2 (report-like pages of about 230 words, several numbers
each); `--real` also reads the PDFs under /usr/share/doc. Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import glob
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORDS = (
    "the port authority reported that shipping volumes rose across the region while the new "
    "terminal opened and staff numbers grew as investment in cranes and rail links continued"
).split()


def write_report(path: Path, pages: int, seed: int = 7) -> Path:
    from fpdf import FPDF

    rng = random.Random(seed)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for page in range(pages):
        pdf.add_page()
        sentences = []
        for _ in range(14):
            words = rng.sample(WORDS, 12)
            number = f"{rng.randint(2, 9_999):,}"
            sentences.append(
                f"In {2000 + page % 24} the {' '.join(words[:6])} {number} "
                f"{' '.join(words[6:])} by {rng.randint(1, 40)} percent."
            )
        pdf.multi_cell(0, 5, " ".join(s[0].upper() + s[1:] for s in sentences))
    pdf.output(str(path))
    return path


def best_of(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def parser_alone(data: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        page.extract_text()
    return len(reader.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--real", action="store_true", help="also the PDFs in /usr/share/doc")
    parser.add_argument("--read-only", action="store_true", help="skip the index build")
    args = parser.parse_args()

    from cqqa.config import Settings
    from cqqa.formats import read_bytes
    from cqqa.index import build, open_index

    work = Path(tempfile.mkdtemp(prefix="cqqa-ingest-"))
    try:
        rows = []
        files = [write_report(work / "report.pdf", args.pages)]
        if args.real:
            files += [Path(p) for p in sorted(glob.glob("/usr/share/doc/**/*.pdf", recursive=True))]
        for path in files:
            data = path.read_bytes()
            pages = parser_alone(data)
            # Interleaved, best of 5 each: on a shared machine the load moves between runs.
            floor = ours = float("inf")
            for _ in range(5):
                floor = min(floor, best_of(lambda: parser_alone(data), 1))
                ours = min(ours, best_of(lambda: read_bytes(data, ".pdf"), 1))
            rows.append(
                (f"read {path.name} ({pages} pages)", pages / ours, pages / floor, floor / ours)
            )

        if args.read_only:
            _table(rows)
            return
        # Adding the generated report to a current index of the article.
        corpus, index_dir = work / "corpus", work / "index"
        corpus.mkdir()
        shutil.copy(ROOT / "corpus" / "chongqing-international-links.txt", corpus)
        settings = Settings(corpus_dir=corpus, index_dir=index_dir)
        open_index(settings, note=lambda m: None)  # the first build (exports ONNX) is not timed
        shutil.copy(files[0], corpus / "report.pdf")
        start = time.perf_counter()
        index = build(settings, note=lambda m: None)
        added = time.perf_counter() - start
        pages = len(index.documents["report"].pages)
        chunks = [c.text for c in index.chunks if c.doc == "report"]
        sentences = sum(1 for s in index.sentences if s[0] == "report")
        embedded = index.manifest["build"].get("embedded", len(chunks) + sentences)
        seconds = index.manifest["build"]["seconds"]
        encode_s = sum(v for k, v in seconds.items() if "embed" in k or "encod" in k)
        encoder = index.encoder
        texts = chunks + [
            index.sentence_text(i) for i, s in enumerate(index.sentences) if s[0] == "report"
        ]
        encoder.encode(texts[:32])  # a fresh session's first run allocates: not timed
        alone = best_of(lambda: encoder.encode(texts), 2)
        read_floor = next(r for r in rows if r[0].startswith("read report.pdf"))
        rows.append(
            (
                f"add report.pdf to the index ({pages} pages, {len(chunks)} chunks)",
                pages / added,
                read_floor[1],
                added and (pages / read_floor[1]) / added,
            )
        )
        if encode_s:
            rows.append(
                (
                    f"embedding in that build ({embedded} texts)",
                    embedded / encode_s,
                    len(texts) / alone,
                    (len(texts) / alone) and (embedded / encode_s) / (len(texts) / alone),
                )
            )
        else:
            rows.append(
                (f"encoder alone on its {len(texts)} texts", len(texts) / alone, None, None)
            )
        _table(rows)
        print(f"\nbuild phases (s): { {k: round(v, 2) for k, v in seconds.items()} }")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _table(rows: list) -> None:
    print("| figure | per second | floor per second | ratio to floor |")
    print("|---|---:|---:|---:|")
    for name, value, floor, ratio in rows:
        f = f"{floor:,.1f}" if floor else "–"
        r = f"{ratio:.2f}" if ratio else "–"
        print(f"| {name} | {value:,.1f} | {f} | {r} |")


if __name__ == "__main__":
    main()
