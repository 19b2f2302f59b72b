"""Direct answers, abstentions and follow-ups with the real model and index."""

from __future__ import annotations

import pytest
from conftest import QUESTIONS

from cqqa.answer import answer
from cqqa.config import Settings
from cqqa.evaluate import evaluate, load_questions
from cqqa.question import parse


def _ask(index, question, history=()):
    result = answer(index, question, history)
    for item in [result.answer, *result.passages, *result.facts]:
        if item is not None:
            assert index.documents[item.doc].text[item.start : item.end] == item.text
    return result


@pytest.mark.parametrize(
    ("question", "expected", "kind"),
    [
        ("How many ports does the western land-sea channel reach?", "319 ports", "count"),
        ("jiangbei airport routes", "108", "count"),
        (
            "How much was Chongqing's trade worth from January to May 2022?",
            "343.83 billion CNY",
            "money",
        ),
        ("By what percentage did import and export value grow?", "12.9%", "percent"),
        ("When did the Myanmar consulate general open?", "July 12", "date"),
        ("Which consulate general number is Myanmar's?", "13th", "ordinal"),
        (
            "How many enterprises has the Sino-Singapore data channel served?",
            "more than 200",
            "count",
        ),
        (
            "How many exchanges does Chongqing carry out each year?",
            "more than 200 exchanges",
            "count",
        ),
        ("Which district completed the second phase of the air cargo terminal?", "Yubei", "entity"),
    ],
)
def test_direct_answers(index, question, expected, kind):
    result = _ask(index, question)
    assert result.answer is not None, result.reason
    assert expected in result.answer.text
    assert result.answer.kind == kind
    assert not result.abstained


def test_two_facts_sharing_a_number_are_told_apart(index):
    enterprises = _ask(index, "How many enterprises did the data channel serve?").answer
    exchanges = _ask(index, "How many exchanges are carried out annually?").answer
    assert enterprises.start != exchanges.start
    assert "enterprises" in enterprises.text or "exchanges" not in enterprises.text


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Chongqing?",
        "How many foreign consulates general are there in Chengdu?",
        "What was Chongqing's import and export value in the first quarter of 2021?",
        "What is the capital of France?",
        "Which was the 12th foreign consulate general approved by the Ministry of Foreign Affairs?",
    ],
)
def test_near_misses_abstain_but_still_show_passages(index, question):
    result = _ask(index, question)
    assert result.abstained and result.answer is None
    assert result.reason
    assert result.passages  # the closest passages are still shown


def test_followup_uses_history(index):
    first = "How many ports does the western land and sea channel link with?"
    result = _ask(index, "And how many countries?", [first])
    assert result.answer is not None and "107" in result.answer.text
    alone = _ask(index, "And how many countries?")
    assert alone.query != result.query


def test_question_kinds_follow_language_not_examples():
    assert parse("how many harbours are there").wants == "count"
    assert parse("When did the museum open?").wants == "date"
    assert parse("What share of exports went to Europe?").wants == "percent"
    assert parse("Which round of talks was it?").wants == "ordinal"
    assert parse("Which district hosts the fair?").head == ("district",)
    assert parse("trade value 2019").keywords
    assert parse("What was the value in 2019?").years == ("2019",)
    assert parse("How many years did the war last?").wants == "period"
    assert parse("What is the name of the river?").wants == "what"  # not a person
    assert parse("how many harbours worldwide").target == ("harbours",)
    assert parse("how many harbours nationwide").target == ("harbours",)
    assert parse("How much rose in the first seven months?").ordinals == ()
    assert parse("Which is the seventh round?").ordinals == (("7", "round"),)


def test_eval_answer_targets(index):
    """eval/questions.jsonl with the trained reader (README, "Measured"). The hand-written
    rules this replaced were fitted to this very file (0.948 / 0.909 / 0.026); the reader
    was fitted to nothing in it, so these floors sit just under what it measures."""
    report = evaluate(index, load_questions(QUESTIONS), Settings())
    summary = report["summary"]
    assert summary["answer_accuracy"] >= 0.84
    assert summary["abstention_recall"] >= 0.88
    assert summary["false_abstentions"] <= 0.07
    assert summary["hit@3"] >= 0.95


def test_respectively_pairs_each_number_with_its_item(index):
    exchange = _ask(index, "How many friendship exchange cities does Chongqing have?").answer
    friendship = _ask(index, "How many international friendship cities does Chongqing have?")
    assert exchange is not None and exchange.text.startswith("112")
    assert friendship.answer is not None and friendship.answer.text.startswith("52")


def test_a_shared_modifier_does_not_make_a_count(index):
    # "Chongqing ... links with 319 ports" shares only "Chongqing" with the question.
    result = _ask(index, "How many Chongqing companies used the data channel?")
    assert result.answer is None or "319" not in result.answer.text


def test_answers_keep_bounds_but_not_change_verbs(index):
    routes = _ask(index, "How many international routes does Jiangbei airport have?").answer
    assert routes.text.startswith("108")  # not "increased to 108"
    money = _ask(index, "What is the investment amount of key Sino-Singapore projects?").answer
    assert money.text.startswith("exceeds US$5.5 billion")
