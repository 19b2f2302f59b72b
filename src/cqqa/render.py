"""Plain-text renderings of answers and facts for the terminal (the web app has its own)."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Sequence

from .examples import not_found
from .index import Index
from .records import Answer, DerivedSpan, Fact
from .textutil import safe_name

# C0/C1 control characters other than tab and newline: a document holding ESC sequences
# must not be able to drive the user's terminal when its text is printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe to print to a terminal; one character stays one character, so offsets hold."""
    return _CONTROL.sub("\ufffd", text)


FACT_COLUMNS = ("fact", "kind", "value", "unit", "qualifier", "normalized", "doc", "start", "end")


def fact_row(fact: Fact) -> list[object]:
    value: object = fact.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None:  # dates and periods: their value is the normalized column
        value = ""
    return [
        fact.text,
        fact.kind,
        value,
        fact.unit or "",
        fact.qualifier or "",
        fact.normalized or "",
        fact.doc,
        fact.start,
        fact.end,
    ]


def sentence_of(index: Index, fact: Fact) -> str:
    """The sentence a fact sits in, for tables that show context."""
    return index.sentence_around(fact.doc, fact.start, fact.end)


def facts_table(facts: Sequence[Fact]) -> str:
    if not facts:
        return "No numeric facts."
    rows = [FACT_COLUMNS[:6]] + [[printable(str(c)) for c in fact_row(f)[:6]] for f in facts]
    widths = [min(32, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c)[:w].ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def facts_csv(facts: Sequence[Fact], index: Index | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*FACT_COLUMNS, "sentence"])
    for f in facts:
        row = [*fact_row(f), sentence_of(index, f) if index else ""]
        writer.writerow([inert_cell(c) for c in row])
    return out.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# Injection"): `=HYPERLINK(...)` in a document must reach the CSV as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def inert_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a text cell that starts like a formula gets
    a leading `'` (OWASP's advice); numbers stay numbers, so "-5" in `value` is kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def highlight_terminal(text: str, spans: Sequence[tuple[int, int]], color: bool) -> str:
    """Numbers in bold (or [brackets] when not a terminal)."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        piece = text[start:end]
        out.append(f"\033[1;33m{piece}\033[0m" if color else f"[{piece}]")
        last = end
    out.append(text[last:])
    return "".join(out)


def derived_lines(a: DerivedSpan, color: bool = False) -> list[str]:
    """A worked-out answer: Yes/No (or the result) first, then the operation, then each
    operand and sentence with where it stands in its document."""
    bold = (lambda t: f"\033[1m{t}\033[0m") if color else (lambda t: t)  # noqa: E731
    lines = []
    if a.verdict:
        rest = a.text.split(":", 1)[1].strip() if ":" in a.text else ""
        lines.append(
            f"Answer: {bold(a.verdict.capitalize())}" + (f" — {printable(rest)}" if rest else "")
        )
    else:
        lines.append(f"Answer: {bold(printable(a.text))}")
    if a.formula:
        lines.append(f"        {a.derivation}: {printable(a.formula)}")
    else:
        lines.append(f"        ({a.derivation})")
    for f in a.operands:
        lines.append(
            f"        • {printable(f.text)} ({f.kind}; {safe_name(f.doc)} {f.start}-{f.end})"
        )
    for e in a.evidence:
        quote = printable(" ".join(e.text.split()))
        lines.append(f"        “{quote}” ({safe_name(e.doc)} {e.start}-{e.end})")
    return lines


def answer_text(result: Answer, index: Index, color: bool = False) -> str:
    lines = []
    if isinstance(result.answer, DerivedSpan):
        lines.extend(derived_lines(result.answer, color))
    elif result.answer:
        a = result.answer
        shown = f"\033[1m{printable(a.text)}\033[0m" if color else printable(a.text)
        lines.append(f"Answer: {shown}")
        where = f", page {a.page}" if a.page is not None else ""
        lines.append(f"        ({a.kind}; {safe_name(a.doc)}{where} characters {a.start}-{a.end})")
    else:
        lines.append(f"{not_found(index, result.lang)}: {printable(result.reason)}.")
        below = "最接近的段落如下。" if result.lang == "zh" else "The closest passages are below."
        lines.append(below)
    lines.append("")
    for p in result.passages:
        scores = f"score {p.score:.4f}"
        if p.dense_score is not None:
            scores += f", dense {p.dense_score:.3f}"
        if p.bm25_score is not None:
            scores += f", bm25 {p.bm25_score:.2f}"
        where = f" page {p.page}," if p.page is not None else ""
        lines.append(f"[{p.rank}] {safe_name(p.doc)}{where} {p.start}-{p.end} ({scores})")
        spans = [
            (f.start - p.start, f.end - p.start) for f in index.facts_for(p.doc, p.start, p.end)
        ]
        body = highlight_terminal(printable(p.text), spans, color)
        lines.extend(
            textwrap.wrap(
                " ".join(body.split()), 96, initial_indent="    ", subsequent_indent="    "
            )
        )
        lines.append("")
    if result.facts:
        lines.append("Facts in these passages:")
        lines.append(textwrap.indent(facts_table(result.facts), "  "))
    return "\n".join(lines).rstrip()
