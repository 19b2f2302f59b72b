"""The object the edges call (`Assistant`), fusion on its own, and the web chat's handlers
alone (no server, no browser), on the small corpus with the fake encoder: the fast loop."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakes import small_index

from cqqa.answer import answer
from cqqa.assistant import Assistant
from cqqa.errors import InputError
from cqqa.fusion import reciprocal_rank

SHIPS_Q = "How many ships docked at Lindhaven in 2025?"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_index(tmp_path_factory.mktemp("assistant"))


def test_reciprocal_rank_sums_one_over_rank_and_keeps_first_seen_order():
    fused = reciprocal_rank([["a", "b", "c"], ["c", "d"]], rrf_k=10)
    assert fused == pytest.approx({"a": 1 / 11, "b": 1 / 12, "c": 1 / 13 + 1 / 11, "d": 1 / 12})
    assert list(fused) == ["a", "b", "c", "d"]  # ties ("b", "d") sort as first seen
    assert reciprocal_rank([], rrf_k=60) == {}


def test_ask_is_answer_with_the_settings_and_pages(small):
    settings, index = small
    assistant = Assistant(replace(settings, k=3), index)
    result = assistant.ask(SHIPS_Q)
    direct = answer(index, SHIPS_Q, k=3)
    assert result.answer is not None and result.answer.text == direct.answer.text == "1,240 ships"
    assert len(result.passages) == 3  # the settings' k when none is given
    assert len(assistant.ask(SHIPS_Q, k=1).passages) == 1
    assert len(assistant.ask(SHIPS_Q, k="2").passages) == 2  # as the CLI reads "-k 2"


@pytest.mark.parametrize(
    ("k", "message"),
    [
        (0, "k must be between 1 and 100, not 0."),
        (5.5, "k must be a whole number of passages, not 5.5."),
        (True, "k must be a whole number of passages, not True."),
        ("lots", "k must be a whole number of passages, not 'lots'."),
    ],
)
def test_one_check_of_k_for_every_caller(small, k, message):
    settings, index = small
    with pytest.raises(InputError) as raised:
        Assistant(settings, index).ask(SHIPS_Q, k=k)
    assert str(raised.value) == message
    with pytest.raises(InputError) as raised:
        answer(index, SHIPS_Q, k=k)
    assert str(raised.value) == message


def test_documents_narrow_the_search_and_facts_filter_by_kind(small):
    settings, index = small
    assistant = Assistant(settings, index)
    docs = sorted(index.documents)
    for doc in docs:
        result = assistant.ask(SHIPS_Q, documents=[doc])
        assert {p.doc for p in result.passages} == {doc}
    money = assistant.facts("money")
    assert money and {f.kind for f in money} == {"money"}
    assert len(assistant.facts()) == len(index.facts)


def test_evaluate_scores_through_the_same_ask(small, tmp_path):
    from cqqa.evaluate import load_questions

    settings, index = small
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"id": "1", "question": "How many ships docked at Lindhaven in 2025?", '
        '"answers": ["1,240 ships"], "type": "count", "style": "close"}\n'
        '{"id": "2", "question": "How many ships docked at Lindhaven in 2019?", '
        '"answers": [], "type": "unanswerable", "style": "nearmiss"}\n',
        encoding="utf-8",
    )
    report = Assistant(settings, index).evaluate(load_questions(path))
    assert report["summary"]["answer_accuracy"] == 1.0
    assert report["summary"]["abstention_recall"] == 1.0


# ---------------------------------------------------------------- the chat's handlers alone


@pytest.fixture(scope="module")
def page(small):
    from cqqa.web.layout import _offline

    _offline()
    from cqqa.web.handlers import ChatPage

    settings, index = small
    return ChatPage(settings, index)


def test_a_chat_turn_renders_the_answer_and_its_sources(page):
    question_box, chat, asked, sources, picker, document, facts, last = page.respond(
        SHIPS_Q, [], [], 5
    )
    assert question_box == "" and asked == [SHIPS_Q]
    assert chat[0] == {"role": "user", "content": SHIPS_Q}
    assert "<strong>1,240 ships</strong>" in chat[1]["content"]
    assert 'class="cq-ans"' in sources and last.answer.text == "1,240 ships"
    assert "1,240" in set(facts["fact"])
    assert page.show_passage(last.passages[0].rank, last).count('class="cq-box"') == 1


def test_a_bad_turn_is_a_notice_in_the_chat_and_keeps_the_question(page):
    import gradio as gr

    kept, chat, asked, *rest = page.respond(SHIPS_Q, [], [], "lots")
    assert kept == SHIPS_Q and asked == []
    assert "k must be a whole number of passages" in chat[-1]["content"]
    assert all(isinstance(r, type(gr.skip())) for r in rest)
    _, chat, *_ = page.respond("   ", [], [], 5)
    assert chat[-1]["role"] == "assistant" and "cq-notice" in chat[-1]["content"]


def test_the_api_handler_answers_as_json_and_refuses_in_one_line(page):
    import gradio as gr

    reply = page.api("And in 2019?", '["How many ships docked at Lindhaven in 2025?"]', 5)
    assert reply["history"] == [SHIPS_Q] and reply["abstained"] is True
    with pytest.raises(gr.Error) as raised:
        page.api(SHIPS_Q, "not json", 5)
    assert "history must be the earlier questions" in str(raised.value)


@pytest.mark.parametrize("k", [None, "lots", 0])
def test_the_api_handler_checks_k_like_the_cli(page, k):
    import gradio as gr

    with pytest.raises(gr.Error) as raised:
        page.api(SHIPS_Q, [], k)
    assert raised.value.message.startswith("k must be ")


def test_settings_hold_k_as_a_number():
    from cqqa.config import Settings

    assert Settings(k="7").k == 7 and Settings(k=7.0).k == 7


def test_a_history_that_is_one_string_is_refused_before_anything_loads(tmp_path):
    from cqqa.config import Settings

    unopened = Assistant(Settings(corpus_dir=tmp_path / "none", index_dir=tmp_path / "index"))
    with pytest.raises(InputError, match="history must be a list"):
        unopened.ask(SHIPS_Q, history="How many ships?")
    with pytest.raises(InputError, match="k must be between"):
        unopened.ask(SHIPS_Q, k=0)
    assert unopened._index is None


def test_the_facts_tab_filters_by_kind(page):
    table, csv_path = page.filter_facts("money")
    assert set(table.value["data"][i][1] for i in range(len(table.value["data"]))) == {"money"}
    assert csv_path.endswith("cqqa-facts-money.csv")
    assert page.facts_label("all").startswith("Every number in the documents (")
    assert page.kind_choices()[0][1] == "all"


@pytest.mark.slow  # the thread tries (and fails) to load the fake model's files for real
def test_a_cold_foreign_question_loads_the_english_models_in_one_thread(small):
    """One loading thread per index, however many questions start it; the answer waits for
    it before it touches the encoder, so the encoder is never loaded twice at once."""
    from cqqa.answer import foreign
    from cqqa.index import load

    settings, built = small
    cold = load(built.directory, built.manifest)  # a fresh Index: nothing loaded yet
    assert "encoder" not in cold.__dict__
    foreign._load_beside(cold)
    first = foreign._LOADERS[cold]
    foreign._load_beside(cold)
    assert foreign._LOADERS[cold] is first  # not a second thread
    assert foreign._loaded(cold) is cold and not first.is_alive()
