"""Answer scoring: SQuAD's F1 and exact match, and length judged by the question's type."""

from __future__ import annotations

import pytest

from cqqa.evaluate import answer_correct, answer_f1
from cqqa.records import Answer, AnswerSpan
from cqqa.textutil import squad_normalize, token_f1


def _answer(text: str | None, kind: str = "span") -> Answer:
    span = AnswerSpan(text, "doc", 0, len(text), kind) if text is not None else None
    return Answer(question="q", answer=span, abstained=span is None)


@pytest.mark.parametrize(
    ("prediction", "gold", "f1"),
    [
        ("the 319 ports", "319 ports", 1.0),  # articles and case do not count
        ("Normandy, France", "normandy", 2 / 3),
        ("10,000", "10000", 1.0),  # punctuation is removed, as in SQuAD's script
        ("in 1066", "1067", 0.0),
        ("", "", 1.0),
    ],
)
def test_token_f1_follows_squad(prediction, gold, f1):
    assert token_f1(prediction, gold) == pytest.approx(f1)


def test_squad_normalize():
    assert squad_normalize("The  Normans’ land!") == "normans land"


def test_a_sentence_is_not_an_answer_to_a_numeric_question():
    sentence = _answer(
        "In 1066, Duke William II of Normandy conquered England, killing King Harold II at the "
        "Battle of Hastings.",
        kind="sentence",
    )
    assert not answer_correct(sentence, ["1066"], "date")  # judged by the file's type
    assert answer_correct(sentence, ["1066"], "description")
    assert answer_correct(_answer("1066", "year"), ["1066"], "date")


def test_f1_and_exact_match_of_answers_and_declines():
    assert answer_f1(_answer("319 ports"), ["319"]) == (pytest.approx(2 / 3), 0.0)
    assert answer_f1(_answer("319"), ["319", "319 ports"]) == (1.0, 1.0)
    assert answer_f1(_answer(None), ["319"]) == (0.0, 0.0)
    assert answer_f1(_answer(None), []) == (1.0, 1.0)  # a right decline, as in SQuAD 2.0
    assert answer_f1(_answer("319"), []) == (0.0, 0.0)
