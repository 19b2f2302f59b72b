"""Tests for cqqa.facts: every number of the sample article, and the rules in general."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cqqa.facts import KINDS, extract_facts, facts_in_span
from cqqa.records import Fact

ARTICLE_PATH = Path(__file__).resolve().parents[1] / "corpus" / "chongqing-international-links.txt"
ARTICLE = ARTICLE_PATH.read_text(encoding="utf-8")

# (text, kind, value, unit, qualifier, normalized), in document order.
Row = tuple[str, str, float | None, str | None, str | None, str | None]
ARTICLE_FACTS: list[Row] = [
    ("July 12", "date", None, None, None, "--07-12"),
    ("13th", "ordinal", 13, "foreign consulate general", None, None),
    ("June 23", "date", None, None, None, "--06-23"),
    ("10,000th", "ordinal", 10_000, "China-European heavy container train", None, None),
    ("January to May 2022", "period", None, None, None, "2022-01/2022-05"),
    ("343.83 billion CNY", "money", 343_830_000_000, "CNY", "reached", None),
    ("12.9%", "percent", 12.9, None, "up", None),
    ("319", "count", 319, "ports", None, None),
    ("107", "count", 107, "countries and regions", None, None),
    ("108", "count", 108, "international routes", "increased to", None),
    ("200", "count", 200, "enterprises", "more than", None),
    ("30th", "ordinal", 30, "anniversary", None, None),
    ("6th", "ordinal", 6, "Foreign Ministers Meeting", None, None),
    ("200", "count", 200, "exchanges", "more than", None),
    ("52", "count", 52, "pairs", "increased to", None),
    ("112", "count", 112, "pairs", None, None),
    ("third", "ordinal", 3, "round", None, None),
    ("50", "count", 50, "newly-invested enterprises", "more than", None),
    ("US$5.5 billion", "money", 5_500_000_000, "USD", "exceeds", None),
    ("second", "ordinal", 2, "phase", None, None),
]


def _row(f: Fact) -> Row:
    return (f.text, f.kind, f.value, f.unit, f.qualifier, f.normalized)


def _same(f: Fact, row: Row) -> bool:
    text, kind, value, unit, qualifier, normalized = row
    if value is None:
        value_ok = f.value is None
    else:
        value_ok = f.value is not None and f.value == pytest.approx(value)
    return (f.text, f.kind, f.unit, f.qualifier, f.normalized) == (
        text,
        kind,
        unit,
        qualifier,
        normalized,
    ) and value_ok


@pytest.fixture(scope="module")
def article_facts() -> list[Fact]:
    return extract_facts(ARTICLE, doc="chongqing-international-links")


# --------------------------------------------------------------------------- the article


@pytest.mark.parametrize("row", ARTICLE_FACTS, ids=[f"{r[0]}-{r[3]}" for r in ARTICLE_FACTS])
def test_article_fact_is_extracted(article_facts: list[Fact], row: Row) -> None:
    assert any(_same(f, row) for f in article_facts), row


def test_article_facts_are_exactly_the_table(article_facts: list[Fact]) -> None:
    # Nothing extra (no "China-ASEAN", "Belt and Road", "three-dimensional", "the only").
    assert len(article_facts) == len(ARTICLE_FACTS), [_row(f) for f in article_facts]
    for fact, row in zip(article_facts, ARTICLE_FACTS):
        assert _same(fact, row), (_row(fact), row)


def test_article_offsets_round_trip(article_facts: list[Fact]) -> None:
    for f in article_facts:
        assert ARTICLE[f.start : f.end] == f.text
        assert f.doc == "chongqing-international-links"
        assert f.kind in KINDS
    starts = [f.start for f in article_facts]
    assert starts == sorted(starts)


def test_article_has_no_fact_in_hyphenated_names(article_facts: list[Fact]) -> None:
    for name in ("China-ASEAN", "Sino-Singapore", "Lancang-Mekong", "(Chongqing) - Shanghai"):
        at = ARTICLE.index(name)
        assert facts_in_span(article_facts, at, at + len(name)) == []


# --------------------------------------------------------------------------- in general

GENERAL: list[tuple[str, list[Row]]] = [
    (
        "In 2021, the airport handled 1,200 flights and 2.5 million passengers.",
        [
            ("2021", "year", 2021, None, None, "2021"),
            ("1,200", "count", 1200, "flights", None, None),
            ("2.5 million", "count", 2_500_000, "passengers", None, None),
        ],
    ),
    (
        "Exports fell to 3 billion yuan, down 3.4% year on year.",
        [
            ("3 billion yuan", "money", 3e9, "CNY", "fell to", None),
            ("3.4%", "percent", 3.4, None, "down", None),
        ],
    ),
    (
        "The fund raised €2 billion, HK$300 million, £45m, $3 million and RMB 10 billion.",
        [
            ("€2 billion", "money", 2e9, "EUR", None, None),
            ("HK$300 million", "money", 3e8, "HKD", None, None),
            ("£45m", "money", 4.5e7, "GBP", None, None),
            ("$3 million", "money", 3e6, "USD", None, None),
            ("RMB 10 billion", "money", 1e10, "CNY", None, None),
        ],
    ),
    (
        "Tickets cost 5 yuan, 500 US dollars or 3,000 Hong Kong dollars.",
        [
            ("5 yuan", "money", 5, "CNY", None, None),
            ("500 US dollars", "money", 500, "USD", None, None),
            ("3,000 Hong Kong dollars", "money", 3000, "HKD", None, None),
        ],
    ),
    (
        "Profits rose 12.9 percent, while costs grew by 5 per cent to nearly 40%.",
        [
            ("12.9 percent", "percent", 12.9, None, "up", None),
            ("5 per cent", "percent", 5, None, "up", None),
            ("40%", "percent", 40, None, "nearly", None),
        ],
    ),
    (
        "Three ports and twelve airports opened, with two hundred and fifty delegates.",
        [
            ("Three", "count", 3, "ports", None, None),
            ("twelve", "count", 12, "airports", None, None),
            ("two hundred and fifty", "count", 250, "delegates", None, None),
        ],
    ),
    (
        "Sales in the first quarter of 2021 beat the first half of 2022 and Q3 2020.",
        [
            ("first quarter of 2021", "period", None, None, None, "2021-01/2021-03"),
            ("first half of 2022", "period", None, None, None, "2022-01/2022-06"),
            ("Q3 2020", "period", None, None, None, "2020-07/2020-09"),
        ],
    ),
    (
        "From 2019 to 2021 the city built 40 schools; the first five months of 2023 saw 7.",
        [
            ("From 2019 to 2021", "period", None, None, None, "2019/2021"),
            ("40", "count", 40, "schools", None, None),
            ("first five months of 2023", "period", None, None, None, "2023-01/2023-05"),
            ("7", "count", 7, None, None, None),
        ],
    ),
    (
        "Output from November to February 2022 beat the 1990s.",
        [
            ("from November to February 2022", "period", None, None, None, "2021-11/2022-02"),
            ("1990s", "period", None, None, None, "1990/1999"),
        ],
    ),
    (
        "He arrived on 12 July 2022, left on 2022-07-20 and was back by March 3.",
        [
            ("12 July 2022", "date", None, None, None, "2022-07-12"),
            ("2022-07-20", "date", None, None, None, "2022-07-20"),
            ("March 3", "date", None, None, None, "--03-03"),
        ],
    ),
    (
        "The deal was signed July 12, 2022, and renewed in May 2023.",
        [
            ("July 12, 2022", "date", None, None, None, "2022-07-12"),
            ("May 2023", "date", None, None, None, "2023-05"),
        ],
    ),
    (
        "About 300 people came and at least 2000 people watched the 2022 Winter Olympics.",
        [
            ("300", "count", 300, "people", "about", None),
            ("2000", "count", 2000, "people", "at least", None),
            ("2022", "year", 2022, None, None, "2022"),
        ],
    ),
    (
        "She was the 1st woman, the 22nd mayor and the twenty-first to win a second term.",
        [
            ("1st", "ordinal", 1, "woman", None, None),
            ("22nd", "ordinal", 22, "mayor", None, None),
            ("twenty-first", "ordinal", 21, None, None, None),
            ("second", "ordinal", 2, "term", None, None),
        ],
    ),
    (
        "The number of rail lines has reached 15, up from 9.",
        [
            ("15", "count", 15, "rail lines", "reached", None),
            ("9", "count", 9, "rail lines", None, None),
        ],
    ),
    (
        "It fell to minus 5 degrees at 8 a.m., ranked No. 1 and cited Section 230 twice.",
        [("minus 5", "count", -5, "degrees", "fell to", None)],
    ),
    (
        "Nearly 1.4 billion people live in China; its GDP rose 5bn dollars.",
        [
            ("1.4 billion", "count", 1.4e9, "people", "nearly", None),
            ("5bn dollars", "money", 5e9, "USD", "up", None),
        ],
    ),
]


@pytest.mark.parametrize("sentence,expected", GENERAL, ids=[s[:40] for s, _ in GENERAL])
def test_general_sentences(sentence: str, expected: list[Row]) -> None:
    facts = extract_facts(sentence)
    assert len(facts) == len(expected), [_row(f) for f in facts]
    for fact, row in zip(facts, expected):
        assert _same(fact, row), (_row(fact), row)
        assert sentence[fact.start : fact.end] == fact.text


NOT_FACTS = [
    "COVID-19 hit the G20 economies hard.",
    "Version 3.2.1 shipped at 10:30.",
    "It is one of the largest cities and the only one with a port. No one came.",
    "Wait a second; it moves ten metres per second.",
    "First, we met. At first it rained. It often rains.",
    "The Three Gorges Dam is on Line 3 near Terminal 2.",
    "A three-dimensional five-year plan for the Belt\u00a0and\u00a0Road and China-ASEAN.",
    "The consulate may open in May.",
    "Call 023-6789-1234 or see H1N1 and Q7.",
]


@pytest.mark.parametrize("sentence", NOT_FACTS)
def test_no_facts(sentence: str) -> None:
    facts = extract_facts(sentence)
    # "ten metres per second" is a count; everything else here is not a number fact.
    assert [f.text for f in facts if f.text != "ten"] == [], [_row(f) for f in facts]


def test_ten_metres_is_a_count_but_per_second_is_not_an_ordinal() -> None:
    facts = extract_facts("Wait a second; it moves ten metres per second.")
    assert [_row(f) for f in facts] == [("ten", "count", 10.0, "metres", None, None)]


def test_odd_number_shapes_do_not_crash() -> None:
    text = "Odd: 1,234-07-12, 2022.5-07-12, 2022-13-45, 5s, 1.5 May, the 10,000th quarter."
    facts = extract_facts(text)
    assert [(f.text, f.kind, f.value, f.unit) for f in facts] == [
        ("1.5", "count", 1.5, None),
        ("10,000th", "ordinal", 10_000.0, "quarter"),
    ]


def test_slash_dates_and_digit_halves() -> None:
    facts = extract_facts("Signed 2022/07/12; sales in the 2nd half of 2021 rose.")
    assert [(f.text, f.kind, f.normalized) for f in facts] == [
        ("2022/07/12", "date", "2022-07-12"),
        ("2nd half of 2021", "period", "2021-07/2021-12"),
    ]


def test_range_readings_fall_back_to_plain_numbers() -> None:
    # Without "between", "2019 and 2021" is two years, and "2021 flights" survives.
    facts = extract_facts("Compare 2019 and 2021 flights.")
    assert [(f.text, f.kind) for f in facts] == [("2019", "year"), ("2021", "count")]


def test_nbsp_and_line_breaks_inside_a_fact() -> None:
    text = "Trade reached 3\u00a0billion\u00a0yuan and 4 million\npeople."
    facts = extract_facts(text)
    assert [(f.text, f.value, f.unit) for f in facts] == [
        ("3\u00a0billion\u00a0yuan", 3e9, "CNY"),
        ("4 million", 4e6, "people"),
    ]


def test_empty_and_blank_text() -> None:
    assert extract_facts("") == []
    assert extract_facts("   \n\n  ") == []
    assert extract_facts("No numbers here at all.") == []


def test_doc_id_is_carried() -> None:
    (fact,) = extract_facts("It has 3 ports.", doc="d1")
    assert fact.doc == "d1"
    assert fact.to_dict()["unit"] == "ports"


def test_facts_in_span(article_facts: list[Fact]) -> None:
    para = ARTICLE.index("The new western land")
    end = ARTICLE.index("\n", para)
    inside = facts_in_span(article_facts, para, end)
    assert [f.text for f in inside] == ["319", "107", "108"]
    assert facts_in_span(article_facts, 0, 0) == []
    # A fact straddling the span's end is not inside it.
    first = article_facts[0]
    assert facts_in_span(article_facts, first.start, first.end - 1) == []
    assert facts_in_span(article_facts, first.start, first.end) == [first]


def test_kinds() -> None:
    assert KINDS == ("count", "money", "percent", "date", "period", "ordinal", "year")


# --------------------------------------------------------------------------- properties

_TOKENS = st.sampled_from(
    [
        "1", "12", "2022", "1,200", "3.5", "10,000th", "%", "$", "US$", "HK$", "€", "RMB",
        "yuan", "billion", "million", "percent", "per cent", "July", "May", "January to",
        "from", "between", "and", "to", "-", "–", "first", "second", "third", "quarter",
        "half", "of", "Q1", "H2", "one", "twenty-one", "dozen", "a", "the number of",
        "ports", "more than", "up", "down", "increase of", "s", "th", ",", ".", " ", "\n",
        "\u00a0", "’", "COVID-19", "Line", "Three", "07", "/", "No.", "a.m.", "minus",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(
        st.lists(st.one_of(_TOKENS, st.text(max_size=6)), max_size=40),
        st.sampled_from([" ", "", "-", "\u00a0", "\n", ", "]),
    ).map(lambda parts: parts[1].join(parts[0]))
)
def test_property_never_raises_and_offsets_round_trip(text: str) -> None:
    facts = extract_facts(text, doc="x")
    previous_end = 0
    for f in facts:
        assert text[f.start : f.end] == f.text
        assert f.kind in KINDS
        assert f.start >= previous_end  # sorted and non-overlapping
        previous_end = f.end
        if f.kind in ("date", "period"):
            assert f.value is None and f.normalized
        else:
            assert f.value is not None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_property_arbitrary_unicode(text: str) -> None:
    for f in extract_facts(text):
        assert text[f.start : f.end] == f.text


def test_yen_sign_follows_the_document() -> None:
    """ "¥" is yuan in a text about China and yen in one about Japan."""
    china = extract_facts("China's exports reached ¥500 billion.")
    japan = extract_facts("Tokyo's budget rose to ¥500 billion.")
    (yuan,) = [f for f in china if f.kind == "money"]
    (yen,) = [f for f in japan if f.kind == "money"]
    assert (yuan.unit, yen.unit) == ("CNY", "JPY")
