"""Rules about how reasoning questions are worded (issue 13, read from the second blind set as
a development set), each tried on a document written for it (tests/data/reasoning-rules),
never on the article's own questions."""

from __future__ import annotations

import pytest

from cqqa.answer import answer
from cqqa.answer.shapes import shape_of
from cqqa.config import Settings
from cqqa.records import DerivedSpan

HARBOUR = __import__("pathlib").Path(__file__).parent / "data" / "reasoning-rules"


@pytest.fixture(scope="module")
def harbour(tmp_path_factory):
    import shutil

    from cqqa.index import open_index

    home = tmp_path_factory.mktemp("harbour")
    shutil.copytree(HARBOUR, home / "corpus")
    settings = Settings(corpus_dir=home / "corpus", index_dir=home / "index")
    return open_index(settings, note=lambda message: None)


@pytest.mark.parametrize(
    ("question", "kind", "op"),
    [
        # a short remark before the question is not part of it
        ("Great. And what's the whole report about?", "summary", ""),
        ("Thanks! What is this document about?", "summary", ""),
        # a statement with a bare tag, or without its copula before "one of", is a yes/no one
        ("ferry network 54 towns true?", "yesno", ""),
        ("harlow shipping one of the firms the trust served?", "yesno", ""),
        # a rough figure per something is a rate worked out
        ("About how many towns per region does the ferry network reach?", "arithmetic", "ratio"),
        # an amount of growth in a currency, with the time it grew from said after it
        (
            "by how much did cargo value rise in euros compared with last year",
            "arithmetic",
            "increase",
        ),
        # a day is a kind of figure a superlative asks about
        ("What is the earliest day mentioned in the report?", "superlative", "min"),
    ],
)
def test_shapes_worded_other_ways(question, kind, op):
    shape = shape_of(question)
    assert shape is not None and (shape.kind, shape.op) == (kind, op)


@pytest.mark.parametrize(
    "question",
    [
        # "a" is no "per" for a rough figure: one amount is asked for
        "About how many litres of water does a 700-megawatt plant use hourly?",
        # a question word anywhere: not a statement to confirm
        "The Normans were one of the tribes of which country?",
    ],
)
def test_no_reasoning_shape(question):
    assert shape_of(question) is None


def test_an_abbreviation_is_no_remark():
    shape = shape_of("Dr. Smith opened the North Pier, right?")
    assert shape is not None and shape.claim == "Dr. Smith opened the North Pier"


@pytest.mark.parametrize(
    ("question", "verdict", "value", "contains"),
    [
        ("Great. And what's the whole report about?", None, None, "Millbrook"),
        ("ferry network 54 towns true?", "no", None, "45 towns"),
        ("harlow shipping one of the firms the harbour trust served?", "yes", None, "Harlow"),
        ("About how many towns per region does the ferry network link with?", None, 5.0, "5"),
        (
            "by how much did cargo value rise in euros compared with last year",
            None,
            100e6,
            "100 million",
        ),
        ("What is the earliest day mentioned in the report?", None, None, "March 3"),
        # the change in money, asked "in absolute terms" before or after the verb
        (
            "In absolute terms, how much did the cargo value rise, given the 20% growth?",
            None,
            100e6,
            "100 million",
        ),
        ("How much did the cargo value increase in absolute terms?", None, 100e6, "100 million"),
        ("What was the absolute increase in cargo value?", None, 100e6, "100 million"),
        # "in absolute terms" before the verb, and the rate restated as what it is worked from
        (
            "Roughly how much in absolute terms did the cargo value rise, based on the 20% rise?",
            None,
            100e6,
            "100 million",
        ),
        # adjectives before the kind of figure a superlative asks about
        (
            "What is the earliest specific calendar day mentioned in the report?",
            None,
            None,
            "March 3",
        ),
        # "Are there more A or more B?" asks which, not whether
        ("Are there more towns or more regions on the ferry network?", None, None, "towns (45"),
        ("Are there fewer sister towns or fewer partner towns?", None, None, "sister towns (14"),
        # a word before "count" that a fact counts says which facts are compared
        ("largest pair count of towns", None, None, "30 pairs"),
    ],
)
def test_worked_out_on_a_document_of_its_own(harbour, question, verdict, value, contains):
    result = answer(harbour, question)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.verdict == verdict
    if value is not None:
        assert a.value == pytest.approx(value)
    assert contains in a.text


def test_how_many_times_as_many_points_back_to_the_turn_before(harbour):
    history = ["How many pairs of sister towns does Millbrook have?"]
    a = answer(harbour, "And how many times as many partner town pairs are there?", history)
    assert isinstance(a.answer, DerivedSpan), a.reason
    assert a.answer.value == pytest.approx(30 / 14, abs=0.01)
    alone = answer(harbour, "How many times as many partner town pairs are there?")
    assert alone.answer is None  # nothing before to be as many as


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # nouns that count the same things: "companies" is what "firms" counts
        ("Has the harbour trust served fewer than 100 companies?", "no"),
        ("Has the harbour trust served more than 300 businesses?", "yes"),
        # "is going to take part in" says what "will take part in" says
        (
            "The Old Quay District is going to participate in the Coastal Cities Forum, right?",
            "yes",
        ),
        ("Will the Old Quay District take part in the Coastal Cities Forum?", "yes"),
    ],
)
def test_a_statement_worded_otherwise_is_checked(harbour, question, verdict):
    a = answer(harbour, question).answer
    assert isinstance(a, DerivedSpan) and a.verdict == verdict


def test_a_paraphrase_never_makes_a_near_miss_yes(harbour):
    result = answer(
        harbour, "Is the Harlow District going to take part in the Coastal Cities Forum?"
    )
    # the sentence says it of the Old Quay District: a No, for a name of the same kind
    a = result.answer
    assert isinstance(a, DerivedSpan) and a.verdict == "no", result.reason
    assert result.reason == "a sentence says it of another of the same kind"


def test_the_earlier_event_is_named_by_its_sentence(harbour):
    result = answer(harbour, "what came first, the south pier ferry or the north pier opening")
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.text.startswith("the north pier opening (March 3: “On March 3, the North Pier")


def test_bounds_of_one_direction_are_ordered_by_the_stated_figures(harbour):
    question = "Which served more firms: the harbour trust, or the Old Quay District?"
    result = answer(harbour, question)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.text.startswith("the harbour trust (more than 300 firms)")
    assert "each is only a bound" in a.text
    # the same order for a yes/no comparison and one asked of the turn before
    for question, history, verdict in (
        (
            "Has the harbour trust served more firms than the Old Quay District attracted?",
            [],
            "yes",
        ),
        ("Did the Old Quay District attract more firms than the harbour trust served?", [], "no"),
        (
            "Is that more or fewer than the new firms the Old Quay District attracted?",
            ["How many firms has the harbour trust served?"],
            None,
        ),
    ):
        result = answer(harbour, question, history)
        a = result.answer
        assert isinstance(a, DerivedSpan), (question, result.reason)
        assert a.verdict == verdict and "each is only a bound" in a.text
        assert verdict or "(more than 300 firms) is more than" in a.text


@pytest.mark.parametrize(
    ("question", "verdict", "value"),
    [
        # search-box queries that ask for a step of reasoning
        ("towns vs regions difference", None, 36.0),
        ("difference between towns and regions", None, 36.0),
        ("towns minus regions", None, 36.0),
        ("sister towns plus partner towns", None, 44.0),
        ("average towns per region", None, 5.0),
        ("ferry network towns 54?", "no", None),
        ("ferry network towns 45?", "yes", None),
        # after a word of quantity, the number with the noun it counts after it
        ("harbour trust over 300 firms?", "yes", None),
        ("ferry network about 54 towns?", "no", None),
    ],
)
def test_keyword_queries_that_need_reasoning(harbour, question, verdict, value):
    result = answer(harbour, question)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.verdict == verdict
    if value is not None:
        assert a.value == pytest.approx(value)


def test_a_keyword_choice_without_punctuation(harbour):
    a = answer(harbour, "north pier opening vs south pier ferry which first").answer
    assert isinstance(a, DerivedSpan) and a.text.startswith("north pier opening (March 3")


@pytest.mark.parametrize(
    "question",
    [
        "harbour trust firms served",
        "cargo value 2021?",
        "ferry network towns",
        "towns regions",
        "old quay difference",  # one thing, not two said apart
        "first 6 months cargo value?",  # a period, not a claim
        "top 3 firms?",  # a rank
        "covid 19 deaths?",  # a name with a number
        "boeing 737 crashes?",
        "first 5 ships?",
    ],
)
def test_keyword_lookups_keep_no_shape(question):
    assert shape_of(question) is None


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("So did it open before the first ferry left the South Pier?", "yes"),
        ("Did it open after the first ferry left the South Pier?", "no"),
    ],
)
def test_a_pronoun_and_its_verb_name_the_turn_before(harbour, question, verdict):
    history = ["When did the North Pier of Millbrook Harbour open?"]
    result = answer(harbour, question, history)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.verdict == verdict and "March 3" in a.text


def test_a_rank_within_a_set_needs_a_sentence_that_gives_it(harbour):
    said = answer(harbour, "Which of the firms at the harbour is the oldest?")
    assert said.answer is not None and "Harlow" in said.answer.text
    unsaid = answer(harbour, "Which of the firms served by the harbour trust was the last to join?")
    assert unsaid.answer is None and unsaid.reason == "the documents do not say which was the last"
    # the set's size and one total are no two figures of its members to rank them by
    counted = answer(harbour, "Which of the 9 regions has the most towns on the ferry network?")
    assert counted.answer is None
    assert counted.reason == "the documents do not say which was the most"


@pytest.mark.parametrize(
    ("question", "verdict", "reason"),
    [
        # a name the documents know, put where a sentence puts another of its kind: No
        ("Did the Old Quay District rebuild the fish market?", "no", "Hill District"),
        ("Is the Hill District going to take part in the Coastal Cities Forum?", "no", "Old Quay"),
        # the sentence that names everything still decides first
        ("Did the Hill District rebuild the fish market?", "yes", ""),
    ],
)
def test_a_name_swapped_for_another_of_its_kind_is_a_no(harbour, question, verdict, reason):
    result = answer(harbour, question)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.verdict == verdict and reason in a.text


def test_a_name_the_documents_never_mention_is_still_declined(harbour):
    result = answer(harbour, "Did the Lakeside District rebuild the fish market?")
    assert result.answer is None


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory):
    import shutil

    from cqqa.index import open_index

    home = tmp_path_factory.mktemp("two-reports")
    shutil.copytree(HARBOUR.parent / "two-reports", home / "corpus")
    settings = Settings(corpus_dir=home / "corpus", index_dir=home / "index")
    return open_index(settings, note=lambda message: None)


@pytest.mark.parametrize(
    ("question", "verdict", "value"),
    [
        # two documents named by their titles: each side's figure from its own document
        ("Was Acme's revenue larger than Beta's revenue in 2019?", "no", None),
        ("Did Acme employ more people than Beta?", "yes", None),
        ("What is the difference between Acme's revenue and Beta's revenue?", None, 10e6),
        # "than Beta": the other side's words, of Beta's report
        ("How many more people did Acme employ than Beta?", None, 300.0),
    ],
)
def test_a_comparison_across_two_documents(two_reports, question, verdict, value):
    result = answer(two_reports, question)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.verdict == verdict
    if value is not None:
        assert a.value == pytest.approx(value)
    assert {f.doc for f in a.operands} == {"acme", "beta"}


def test_which_of_two_documents(two_reports):
    a = answer(two_reports, "Which had the higher revenue: Acme or Beta?").answer
    assert isinstance(a, DerivedSpan) and a.text.startswith("Beta revenue (50 million USD)")


@pytest.mark.parametrize(
    "question",
    [
        "When did Harlow Shipping start using the harbour trust?",
        "On what date did the Hill District rebuild the fish market?",
    ],
)
def test_when_is_never_answered_by_a_name(harbour, question):
    # no number and no word of time ("after the war", "in the spring") in the span: no answer
    import re

    result = answer(harbour, question)
    a = result.answer
    assert a is None or re.search(
        r"\d|\b(?:after|before|during|spring|summer|autumn|winter)\b", a.text
    )


def test_a_when_clause_before_another_question_word_is_not_asking_when():
    from cqqa.question import parse

    assert parse("On what date did the pier open?").wants == "date"
    assert parse("When the pier opened, which ferry left first?").wants != "date"


def test_a_rank_below_the_top_needs_a_sentence_that_says_it(harbour):
    top = answer(harbour, "Which firm is the oldest at the harbour?")
    assert top.answer is not None and "Harlow" in top.answer.text
    second = answer(harbour, "Which firm is the second-oldest at the harbour?")
    assert second.answer is None and second.reason == "the documents name no second-oldest one"


@pytest.fixture(scope="module")
def lakeport(tmp_path_factory):
    import shutil

    from cqqa.index import open_index

    home = tmp_path_factory.mktemp("lakeport")
    shutil.copytree(HARBOUR.parent / "reasoning-rules-lakeport", home / "corpus")
    settings = Settings(corpus_dir=home / "corpus", index_dir=home / "index")
    return open_index(settings, note=lambda message: None)


def _derived(index, question, history=()):
    result = answer(index, question, list(history))
    assert isinstance(result.answer, DerivedSpan), result.reason
    return result.answer


def test_a_bound_word_is_never_a_topic(lakeport):
    # "in fewer than 30": a bound, compared with the stated "more than 30", not a place
    a = _derived(lakeport, "Has the Old Town brought in fewer than 30 new shops?")
    assert a.verdict == "no" and "more than 30" in a.text


def test_a_choice_among_options_listed_first(lakeport):
    # "figure" says what kind of answer, not a topic; the options are split at the commas
    question = (
        "Among the bus network's stops, its suburbs, and the night lines, "
        "which figure is the largest?"
    )
    shape = shape_of(question)
    assert shape.kind == "comparison" and len(shape.sides) == 3
    a = _derived(lakeport, question)
    assert a.text.startswith("the bus network's stops (84 stops)")


@pytest.mark.parametrize(
    ("question", "history", "verdict"),
    [
        # a verb of going beyond says "more than": a stated figure above the bound is a Yes
        ("Did the Old Town's key tourism projects top 2 million euros?", (), "yes"),
        (
            "Did its key tourism projects top 2 million euros?",
            ("Which district attracted more than 30 new shops?",),
            "yes",
        ),
        ("Has the Old Town's tourism project value surpassed 3 million euros?", (), "no"),
    ],
)
def test_a_verb_of_going_beyond_is_a_bound(lakeport, question, history, verdict):
    assert _derived(lakeport, question, history).verdict == verdict


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # "described as" is how a text puts it, not a word the sentence must repeat; "only"
        # against "one of several" is a No, and "the only" said is a Yes
        ("Is Lakeport described as one of several seaports on the northern seaboard?", "no"),
        (
            "Is Lakeport described as one of several seaports run directly by the national port "
            "agency?",
            "no",
        ),
        ("Is Lakeport referred to as the only seaport on the northern seaboard?", "yes"),
    ],
)
def test_a_verb_of_describing_is_no_topic(lakeport, question, verdict):
    a = _derived(lakeport, question)
    assert a.verdict == verdict and "only seaport" in a.text


@pytest.mark.parametrize(
    "question",
    [
        # a sentence that lists X ("including A, B and X") says X is one of its kind, whatever
        # word the question uses for the kind ("events" for the sentence's "projects")
        "Is the Lakeport Jazz Week one of the cultural events the council hosted?",
        "Is the Lakeport Jazz Week among the culture-related events the council hosted?",
    ],
)
def test_a_member_of_a_list_is_one_of_its_kind(lakeport, question):
    a = _derived(lakeport, question)
    assert a.verdict == "yes" and "Jazz Week" in a.text


@pytest.mark.parametrize(
    "question",
    [
        "Is the Spring Book Fair one of the culture-related events the council hosted?",
        "Is the Lakeport Jazz Week one of the fairs and shows the council is organizing?",
    ],
)
def test_a_member_of_another_list_is_no_yes(lakeport, question):
    result = answer(lakeport, question)
    assert result.answer is None
    assert result.reason == "the documents do not say whether this is so"


@pytest.mark.parametrize(
    "question",
    [
        # "by (roughly) how many/how much ... rise" asks the change, not the value before it
        "Given the 25% growth, by roughly how many million euros did Jan-Jun tourism revenue "
        "rise compared with a year earlier?",
        "By how much did tourism revenue rise compared with a year earlier?",
    ],
)
def test_by_how_much_it_rose_is_the_change(lakeport, question):
    a = _derived(lakeport, question)
    assert a.value == pytest.approx(50e6) and "50 million" in a.text


@pytest.mark.parametrize(
    ("history", "question", "way"),
    [
        # "that" is the event the turn before asked about; "before or after" asks the way
        (
            ("When did the Riverside Museum reopen?",),
            "and was that before or after the 500th cargo flight left",
            "Before",
        ),
        (
            ("When did the 500th cargo flight leave Lakeport Airfield?",),
            "was that before or after the Riverside Museum reopened?",
            "After",
        ),
        (
            (),
            "Did the Riverside Museum reopen before or after the 500th cargo flight left?",
            "Before",
        ),
    ],
)
def test_before_or_after_is_answered_with_the_way(lakeport, history, question, way):
    a = _derived(lakeport, question, history)
    assert a.text.startswith(f"{way}: ") and "April 4" in a.text and "September 18" in a.text


def test_a_comparison_of_two_counts_says_the_difference(lakeport):
    # counts of different things still differ by a number: "13 night lines ..., 1 more"
    a = _derived(lakeport, "How does the number of night lines compare with the number of suburbs?")
    assert "(13 night lines) is more than" in a.text and a.text.endswith(", 1 more")


def test_a_year_earlier_through_two_turns_that_lean_back(lakeport):
    # "it" of the last turn is the figure the turn before it asked for
    history = (
        "What was Lakeport's tourism revenue from January to June 2023?",
        "And how fast did it grow?",
    )
    a = _derived(lakeport, "So what would it have been a year earlier?", history)
    assert a.value == pytest.approx(200e6)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # an event is known by its date: the greatest (smallest) one, said with its sentence
        ("What's the latest dated event in the report?", "September 18: “On September 18"),
        ("What is the earliest event mentioned in the report?", "April 4: “On April 4"),
    ],
)
def test_the_latest_event_is_the_greatest_date(lakeport, question, said):
    assert _derived(lakeport, question).text.startswith(said)


@pytest.mark.parametrize(
    ("question", "n", "item"),
    [
        # the count is given by listing: the items after "such as" / "including", counted
        ("How many fairs and shows does the report list?", 4, "the Winter Light Parade"),
        ("How many culture-related projects does the report name?", 3, "the Lakeport Jazz Week"),
    ],
)
def test_how_many_the_text_lists_counts_the_items(lakeport, question, n, item):
    a = _derived(lakeport, question)
    assert a.value == n and a.text.startswith(f"{n}: ") and item in a.text


def test_a_list_of_names_is_split_where_names_end():
    from cqqa.answer.listing import items_listed

    assert items_listed("the A Fair, the Land and Sea Forum and the B Show.") == [
        "the A Fair",
        "the Land and Sea Forum",
        "the B Show",
    ]
    assert items_listed("culture, education, and sports.") == []  # no names: no list of them


@pytest.mark.parametrize(
    ("listed", "items"),
    [
        # the list ends where the sentence splitter ends the sentence: not at "U.S."
        ("the U.S., the U.K. and Japan. The rest, A and B.", ["the U.S.", "the U.K.", "Japan"]),
        ("Canada, Mexico and the U.S.", ["Canada", "Mexico", "the U.S."]),
        # the 'and' marks the last item: what follows it says what the items are
        (
            "Beijing, Shanghai and Guangzhou, China's largest cities.",
            ["Beijing", "Shanghai", "Guangzhou"],
        ),
        ("Oslo, Bergen, and Tromsø, all ports of call.", ["Oslo", "Bergen", "Tromsø"]),
        # a lowercase item after the names is no name: the list stops before it
        ("Lyon, Lille, Nantes, the region's busiest hubs.", ["Lyon", "Lille", "Nantes"]),
        ("the North Fair and the Sea Show; the rest are small", ["the North Fair", "the Sea Show"]),
    ],
)
def test_a_list_of_names_ends_with_its_last_name(listed, items):
    from cqqa.answer.listing import items_listed

    assert items_listed(listed) == items


def test_one_list_of_list_markers_for_counting_and_membership():
    from cqqa.answer import listing, polarity

    # "like" is a verb as often as a list marker ("cities like the plan"): neither reads it
    for marker in ("including", "such as", "namely", "among them", "among which", "includes"):
        assert listing._LIST_START.search(f"events {marker} A and B"), marker
        assert polarity._LISTING.search(f"events {marker} A and B"), marker
    assert not listing._LIST_START.search("cities like the plan")
    assert not polarity._LISTING.search("cities like the plan")


@pytest.mark.parametrize(
    "question",
    [
        # "rundown", "quick" ask for a summary; "Lakeport" is the document's setting; a heading
        # that names the rest and opens a list is summarized by its items
        "give me a quick rundown of the new chances Lakeport is taking",
        "Summarize the new chances Lakeport is taking.",
    ],
)
def test_a_topical_summary_of_a_listed_heading(lakeport, question):
    shape = shape_of(question)
    assert shape.kind == "summary" and "rundown" not in shape.sides[0]
    a = _derived(lakeport, question)
    assert "The Old Town has attracted" in a.text and "Hill Quarter" in a.text
    assert "cargo flight" not in a.text


@pytest.mark.parametrize(
    "question",
    ["What's the main message of the piece about Lakeport?", "Summarize the report on Lakeport"],
)
def test_a_summary_of_the_documents_own_setting_is_of_the_document(lakeport, question):
    a = _derived(lakeport, question)
    assert a.text.startswith("Lakeport City Report: On April 4, the Riverside Museum")


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        # words after the superlative narrow it: the earlier rules keep such questions
        ("Between 2018 and 2019, which had higher revenue?", ("2018 revenue", "2019 revenue")),
    ],
)
def test_a_choice_with_its_own_head_keeps_it(question, sides):
    assert shape_of(question).sides == sides


@pytest.mark.parametrize(
    "question",
    ["What was the first event held at the pier?", "Of the 13 consulates, which was the first?"],
)
def test_an_event_narrowed_by_more_words_is_no_date_superlative(question):
    assert shape_of(question) is None


@pytest.mark.parametrize(
    "question",
    [
        # "take place" is one verb ("happen"), and an event's noun ("departure", "reopening")
        # is said by its verb in the sentence
        "Did the reopening of the Riverside Museum take place on April 4?",
        "Did the departure of the 500th cargo flight take place in September?",
    ],
)
def test_take_place_is_happen(lakeport, question):
    assert _derived(lakeport, question).verdict == "yes"


def _paraphrased(text: str) -> str:
    import re

    from cqqa.lexicon import PARAPHRASES

    for pattern, said in PARAPHRASES:
        text = re.sub(pattern, said, text, flags=re.I)
    return text


@pytest.mark.parametrize(
    ("statement", "said"),
    [
        # "pass" has objects of its own: a bound only before money, a percent or a magnitude
        ("Did the parliament pass 3 bills?", "Did the parliament pass 3 bills?"),
        ("Did sales pass US$5 billion?", "Did sales more than US$5 billion?"),
        ("Did turnover pass 12% this year?", "Did turnover more than 12% this year?"),
        # a year standing alone after exceed/top/surpass is a time, not a bound
        ("Did output exceed 2021 levels?", "Did output exceed 2021 levels?"),
        ("Did exports surpass 1998 figures?", "Did exports surpass 1998 figures?"),
        ("Did the harvest exceed 2,000 tonnes?", "Did the harvest more than 2,000 tonnes?"),
        ("Did visitors top 2000 million?", "Did visitors more than 2000 million?"),
        ("Did the fund top 300 firms?", "Did the fund more than 300 firms?"),
        # a rank is no bound
        ("Is the port in the top 5 of the region?", "Is the port in the top 5 of the region?"),
    ],
)
def test_a_verb_of_going_beyond_only_before_a_figure_it_bounds(statement, said):
    assert _paraphrased(statement) == said


@pytest.fixture(scope="module")
def ferndale(tmp_path_factory):
    import shutil

    from cqqa.index import open_index

    home = tmp_path_factory.mktemp("ferndale")
    shutil.copytree(HARBOUR.parent / "reasoning-rules-ferndale", home / "corpus")
    settings = Settings(corpus_dir=home / "corpus", index_dir=home / "index")
    return open_index(settings, note=lambda message: None)


@pytest.mark.parametrize(
    ("question", "verdict", "said"),
    [
        # a cleft ("Was it X that ...") asks what "Did X ...?" asks; "brought in" is "introduced"
        ("Was it Westmoor District that brought in Orchard Holdings?", "no", "Eastbrook District"),
        ("Is it Westmoor District who introduced Orchard Holdings?", "no", "Eastbrook District"),
        ("Was it Eastbrook District that brought in Orchard Holdings?", "yes", ""),
        # another kind word of the same class: a new area is a place as a district is
        (
            "Was Westmoor District declared a model region in the second round of the national "
            "green towns programme?",
            "no",
            "Kelby New Area",
        ),
        # a bare name, whose kind is the word the document writes after it
        ("Is Westmoor the district that introduced Orchard Holdings?", "no", "Eastbrook District"),
    ],
)
def test_a_subject_swapped_for_another_of_its_class_is_a_no(ferndale, question, verdict, said):
    result = answer(ferndale, question)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.verdict == verdict and said in a.text
    if said:
        assert result.reason == "a sentence says it of another of the same kind"


@pytest.mark.parametrize(
    "question",
    [
        # the rest of the statement is not what the sentence says
        "Was it Westmoor District that opened a new hospital?",
        # a university is not a place: no name of its class stands in the sentence
        "Was it Northgate University that brought in Orchard Holdings?",
    ],
)
def test_a_swapped_subject_with_nothing_else_said_is_declined(ferndale, question):
    result = answer(ferndale, question)
    assert result.answer is None, result.answer


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # "connect to" is said by "links with", "corridor" by "channel"; "over 80" a bound
        ("Does the northern freight corridor out of Ferndale connect to over 80 towns?", "yes"),
        ("Does the northern freight corridor out of Ferndale connect to over 90 towns?", "no"),
        # "upwards of", "in excess of": bounds like "more than"; companies are businesses
        ("Has the Ferndale Data Exchange served upwards of 100 companies?", "yes"),
        ("Has the Ferndale Data Exchange served in excess of 120 firms?", "yes"),
    ],
)
def test_synonyms_and_bound_words_in_a_statement(ferndale, question, verdict):
    assert _derived(ferndale, question).verdict == verdict


def test_bound_words_of_more_than_make_an_open_interval():
    import math

    from cqqa.answer.arithmetic import bound_of
    from cqqa.facts import extract_facts

    for text in ("upwards of 200 companies", "in excess of 200 firms", "upward of 200 firms"):
        (fact,) = extract_facts(text)
        b = bound_of(fact)
        assert b is not None and b.lo == 200 and math.isinf(b.hi), text


def test_a_figure_of_another_period_is_unknown_not_a_no(ferndale):
    # the figure is for January to April 2024: what it was in 2023 is not said either way
    result = answer(ferndale, "Did Ferndale's exports grow by more than 5% in the full year 2023?")
    assert result.answer is None
    assert "January to April 2024" in result.reason and "2023" in result.reason
    # the period the sentence gives is checked as before
    said = "Did Ferndale's exports grow by more than 5% from January to April 2024?"
    assert _derived(ferndale, said).verdict == "yes"


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # a dated event at another time
        ("Did the Valley Rail Museum open in 2023?", "2024"),
        # the sentence's own figure put at another time: the statement misplaces it
        ("Did Ferndale's exports reach 90 million euros in 2023?", "January to April 2024"),
    ],
)
def test_a_dated_event_or_a_misplaced_figure_is_still_a_no(ferndale, question, said):
    a = _derived(ferndale, question)
    assert a.verdict == "no" and said in a.text


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("How many days apart were the North Pier opening and the first ferry?", []),
        ("How many days after the North Pier opened did the first ferry leave?", []),
        (
            "How many days apart were those two events?",
            ["When did the North Pier open?", "And when did the first ferry leave the South Pier?"],
        ),
        (
            "And how many days passed between the two?",
            ["When did the North Pier open?", "When did the first ferry leave?"],
        ),
    ],
)
def test_days_between_two_dates_asked_other_ways(harbour, question, history):
    result = answer(harbour, question, history)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.value == 78 and "March 3 → May 20" in a.text  # 28 + 30 + 20


def test_days_between_needs_two_turns_to_lean_on(harbour):
    result = answer(harbour, "How many days apart were those two events?")
    assert result.answer is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the highest ordinal number that appears in the report?", "500th"),
        ("Which ordinal in the report is the lowest?", "second"),
    ],
)
def test_a_superlative_of_ordinals_is_the_rank_as_written(lakeport, question, expected):
    result = answer(lakeport, question)
    a = result.answer
    assert isinstance(a, DerivedSpan), result.reason
    assert a.text.startswith(f"{expected} (the ") and "of 2 ordinals" in a.text


@pytest.mark.parametrize(
    "question",
    [
        "How many new firms has Harlow Shipping attracted?",
        "How many firms has Harlow Shipping served?",
    ],
)
def test_a_name_listed_only_as_an_example_has_no_figure_of_its_own(harbour, question):
    # "… more than 300 firms, including Harlow Shipping, and the Old Quay District has …"
    result = answer(harbour, question)
    assert result.answer is None and "only as an example" in result.reason
    trust = answer(harbour, "How many firms has the harbour trust served?")
    assert trust.answer is not None and trust.answer.text == "more than 300 firms"
    from cqqa.answer.verify import _only_an_example

    # a name after the list, or a listed name with a figure of its own, is no mere example
    assert not _only_an_example(
        "How much did Barclays raise?",
        "Banks, including HSBC, cut rates and Barclays raised £2 billion.",
    )
    assert not _only_an_example(
        "How much did Tencent invest?",
        "Firms including Tencent (US$500 million) and Alibaba joined.",
    )


MARVIK = (
    "Marvik Harbour Report\n\n"
    "Marvik is the only deep-water port on the north coast. The Norwegian consulate in Marvik "
    "opened on March 3, 2021. Marvik Ferries opened its first route to Oslo in 2019. The Marvik "
    "ferry carries 5,000 passengers a day.\n"
)


@pytest.fixture(scope="module")
def marvik(tmp_path_factory):
    from homes import document_index

    return document_index(tmp_path_factory.mktemp("marvik"), "marvik.txt", MARVIK)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Is Marvik the only deep-water port on the north coast?", "yes"),
        # "the only / first / last" is a rank the sentence must say: a consulate that opened
        # in Marvik is no sign that it is the only or the first one
        ("Is Marvik the only city with a Norwegian consulate?", None),
        ("Is the Norwegian consulate in Marvik the first one on the north coast?", None),
        ("Is the Norwegian consulate in Marvik the last one to open?", None),
        # "the first route": an edition of the sentence's own, a Yes
        ("Did Marvik Ferries open its first route to Oslo in 2019?", "yes"),
        # "the only port" of "the only deep-water port": a word between that narrows it
        ("Is Marvik the only port on the north coast?", None),
        # a whole number is only itself: 5,010 is not 5,000 (a rounding is for decimals)
        ("Does the Marvik ferry carry 5,010 passengers a day?", "no"),
        ("Does the Marvik ferry carry 5,000 passengers a day?", "yes"),
        # a word with an opposite the sentence says neither way: no Yes by the other words
        ("Did the number of Marvik ferry passengers fall?", None),
        # a negation of a word whose opposite the sentence says: a double turn, unanswered
        ("Has the Norwegian consulate in Marvik not closed?", None),
    ],
)
def test_the_only_or_first_one_is_a_rank_the_sentence_must_say(marvik, question, verdict):
    result = answer(marvik, question)
    got = result.answer.verdict if isinstance(result.answer, DerivedSpan) else None
    assert got == verdict, result.answer.text if result.answer else result.reason
