"""Rules about English questions tried on a document written for them (tests/data/rules),
with the fake encoder: how a question word decides what is asked, which reasons and dates
a sentence gives. The fast loop."""

from __future__ import annotations

import pytest
from fakes import small_index

from cqqa.answer import answer
from cqqa.question import parse

RULES = __import__("pathlib").Path(__file__).parent / "data" / "rules"


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    return small_index(tmp_path_factory.mktemp("rules"), RULES)[1]


@pytest.mark.parametrize(
    ("question", "wants", "target"),
    [
        # The opening question word decides over "number of" inside the question.
        ("When was there a rise in the number of households?", "date", ()),
        ("What year did the number of households reach 41,000?", "year", ()),
        ("In which year did the number of households rise?", "year", ()),
        # "number of" after an adjective is still a count, not a rank.
        ("What is the current number of households on the mains?", "count", ("households",)),
        # A modal verb ends the counted noun.
        ("How many households must a district have?", "count", ("households",)),
        ("How many households are on the mains?", "count", ("households",)),
        # A superlative before "number of" belongs to the question word's answer.
        ("Which district has the largest number of households?", "what", ("households",)),
        ("Who counted the highest number of households?", "who", ("households",)),
        # "how" asks how: the word "total" in it is no cue for a count, as in a keyword query.
        ("How are the total households on the mains counted?", "", ()),
        ("total households mains", "count", ()),
    ],
)
def test_what_is_asked(question, wants, target):
    asked = parse(question)
    assert (asked.wants, asked.target) == (wants, target)


def test_a_purpose_is_a_reason_and_a_bare_fact_is_not(rules):
    built = answer(rules, "Why did the Riverside Water Board build the Kessel reservoir?")
    assert built.reason != "the documents give no reason for this"
    assert built.answer is not None and "store winter floods" in (
        rules.sentence_around(built.answer.doc, built.answer.start, built.answer.end)
    )
    raised = answer(rules, "Why did the Riverside Water Board raise water prices in 2019?")
    assert raised.answer is None and raised.reason == "the documents give no reason for this"


def test_a_date_that_adds_a_month_to_the_questions_year_answers_it(rules):
    result = answer(rules, "When did the 1973 Kessel drought begin?")
    assert result.answer is not None and result.answer.text == "October 1973"


def test_a_sentence_naming_the_asked_century_beside_another_is_not_a_near_miss(rules):
    result = answer(rules, "What was dug across the valley in the 19th century?")
    assert not result.reason.startswith("the documents mention the 20th century")
    assert result.answer is not None and "Wells" in result.answer.text
    other = answer(rules, "What was dug across the valley in the 18th century?")
    assert other.answer is None


def test_the_year_of_a_count_is_a_year(rules):
    result = answer(rules, "In which year did the number of households on the mains reach 41,000?")
    assert result.answer is not None and result.answer.text == "2004"


def test_what_year_is_never_answered_by_words(tmp_path):
    corpus = tmp_path / "paint"
    corpus.mkdir()
    (corpus / "pumps.txt").write_text(
        "Green Pumps\n\nThe pumping stations were painted green by local people after the "
        "great flood, and the work took the whole summer.\n",
        encoding="utf-8",
    )
    index = small_index(tmp_path / "home", corpus)[1]
    when = answer(index, "When were the pumping stations painted green?")
    assert when.answer is not None and "flood" in when.answer.text  # "when?" may be words
    year = answer(index, "In what year were the pumping stations painted green?")
    assert year.answer is None  # "what year?" is answered in digits or not at all
