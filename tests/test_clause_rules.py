"""Rules about English tried on an invented report (tests/data/alder), with the fake encoder:
an example, a purpose and what a fact shows read from a clause; a choice between options by
what the text says of each; a sum asked in another currency, a change asked of a new total
and a word known only inside a name declined; "more then" read as "more than". The fast loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import answer_text as _text
from fakes import small_index

from cqqa.answer import answer
from cqqa.question import parse
from cqqa.vocabulary import known_stem

ALDER = Path(__file__).parent / "data" / "alder"


@pytest.fixture(scope="module")
def alder(tmp_path_factory):
    return small_index(tmp_path_factory.mktemp("alder"), ALDER)[1]


def test_an_example_is_an_item_the_text_lists(alder):
    one = answer(alder, "name one of them", history=["How many new firms has Harwick brought in?"])
    assert _text(one) == "Capitalworks Group"
    assert alder.documents[one.answer.doc].text[one.answer.start : one.answer.end] == (
        "Capitalworks Group"
    )
    named = answer(
        alder, "Which firm is named among them?", ["How many new firms has Harwick brought in?"]
    )
    assert _text(named) == "Capitalworks Group" and named.reason == "an item the text lists"
    some = answer(alder, "Name some of the fields the valley will strengthen cooperation in.")
    assert _text(some) == "farming, tourism, music and sports"


def test_a_purpose_is_the_infinitive_that_gives_it(alder):
    aim = answer(alder, "What is Alder trying to achieve by joining the Northern Trade Compact?")
    assert "improve the level of cross-border trade and travel" in _text(aim)
    assert "Compact" not in _text(aim)
    # a follow-up that asks it of what the conversation named
    later = answer(
        alder, "what's it trying to achieve by doing that?", ["Which compact is Alder joining?"]
    )
    assert _text(later) == "steadily improve the level of cross-border trade and travel"


def test_what_a_fact_reflects_is_the_object_of_the_verb(alder):
    shown = answer(alder, "What does the increase in bus lines reflect?")
    assert _text(shown) == "the steady growth of the valley's transport network"


def test_a_choice_between_options_is_the_one_the_text_says_it_of(alder):
    bound = answer(alder, "Which district brought in more than 40 new firms, Lowick or Harwick?")
    assert _text(bound).startswith("Harwick")
    plain = answer(alder, "Which district opened a public library, Harwick or Lowick?")
    assert _text(plain).startswith("Lowick")
    neither = answer(alder, "Which district opened a museum, Harwick or Lowick?")
    assert neither.answer is None


def test_a_sum_asked_in_another_currency_needs_a_stated_rate(alder):
    from cqqa.answer.sentences import Sentence
    from cqqa.answer.verify import violations

    said = "Alder's exports reached 4.2 billion euros in the first half of the year."
    sentence = Sentence(0, "alder-valley-report", 0, len(said), said, 1.0, 1.0, 0)
    for asked in ("How much were Alder's exports worth in US dollars?", "…in dollars?"):
        assert violations(alder, parse(asked), "", sentence, None) == (
            "the documents give that sum in EUR, not USD, and state no rate between them"
        )
    assert (
        violations(alder, parse("How much were Alder's exports in euros?"), "", sentence, None)
        == ""
    )
    rated = Sentence(
        0, "alder-valley-report", 0, 40, said + " At the exchange rate then, a record.", 1.0, 1.0, 0
    )
    assert violations(alder, parse("What were the exports in dollars?"), "", rated, None) == ""
    dollars = "Its ferry cost HK$30 million."
    hong_kong = Sentence(0, "alder-valley-report", 0, len(dollars), dollars, 1.0, 1.0, 0)
    assert (
        violations(alder, parse("What did the ferry cost in dollars?"), "", hong_kong, None) == ""
    )
    same = answer(alder, "How much were Alder's exports in euros?")
    assert "4.2 billion euros" in _text(same)


def test_a_change_is_not_read_off_a_new_total(alder):
    for question in (
        "How many bus lines were added in Alder?",
        "How many bus lines did Alder add?",  # the verb's base form after did
    ):
        added = answer(alder, question)
        assert added.answer is None, added.answer.text
        assert added.reason == "the documents give only the new figure, not how much it changed"
    total = answer(alder, "How many bus lines are there in Alder?")
    assert "18" in _text(total)


def test_more_then_is_more_than(alder):
    result = answer(alder, "Does the ferry link Alder with more then 20 towns?")
    assert _text(result).startswith("Yes")


def test_a_word_is_not_known_from_a_name_it_starts():
    vocabulary = {"capitalworks": 1, "european": 1, "consulate": 1, "organizations": 1}
    assert not known_stem("capital", vocabulary)
    assert known_stem("europe", vocabulary) and known_stem("consul", vocabulary)
    assert known_stem("organize", vocabulary)


def test_a_summary_of_what_the_text_says_about_a_topic(alder):
    from cqqa.answer.shapes import shape_of

    about = shape_of("What does the article say about Lowick's library and sports hall?")
    assert about is not None and about.kind == "summary"
    assert about.sides == ("lowick library sports hall",)
    # how long it should be changes nothing
    lead = shape_of("In a few sentences, what does the report say about the ferry network?")
    assert lead is not None and lead.kind == "summary" and lead.sides == ("ferry network",)
    described = shape_of("Summarise how the report describes the ferry network.")
    assert described is not None and described.sides == ("ferry network",)
    result = answer(alder, "Give an overview of what Harwick District has brought in.")
    assert "Capitalworks Group" in _text(result)
    assert "bus lines" not in _text(result)  # a sentence that shares only "has" is not about it


def test_a_member_of_a_list_said_of_another_place_is_a_no(alder):
    other = answer(
        alder, "Is Capitalworks Group listed among the firms brought in by Lowick District?"
    )
    assert _text(other).startswith("No: the documents say this of Harwick District")
    same = answer(
        alder, "Is Capitalworks Group listed among the firms brought in by Harwick District?"
    )
    assert _text(same).startswith("Yes")


def test_how_many_before_an_ordinal_written_with_a_comma(alder):
    result = answer(alder, "How many ferry crossings took place before the 1,000th one?")
    assert _text(result).startswith("999 ")


def test_the_paragraphs_under_a_heading_are_counted_by_their_kind(alder):
    every = answer(
        alder, "How many districts and new areas are listed among the new projects being started?"
    )
    assert _text(every).startswith("3: Harwick District, The Lowick New Area, Marlow District")
    districts = answer(alder, "How many districts are listed among the new projects being started?")
    assert _text(districts).startswith("2: Harwick District, Marlow District")
