"""Chinese question forms and cross-lingual matching, each rule on a small document of its
own (tests/data/zh-forms, a fictional bulletin) rather than on the article's questions."""

from __future__ import annotations

from pathlib import Path

import pytest

FORMS = Path(__file__).resolve().parent / "data" / "zh-forms"


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    from fakes import small_index

    return small_index(tmp_path_factory.mktemp("zh-forms"), FORMS)[1]


def test_a_change_without_a_unit_is_a_percent_with_one_an_amount():
    from cqqa.question_zh import parse_zh

    cases = {
        "同比涨了多少？": "percent",  # 涨 alone, year on year
        "跌了多少？": "percent",
        "出口的增长幅度是多少？": "percent",  # 幅度: the size of a change
        "失业率是多少？": "percent",  # a rate asked with 多少
        "出口增长了多少亿元？": "money",  # a change in money
        "人口增加了多少人？": "count",  # a change in people
        "增加了多少家企业？": "count",
    }
    for question, wants in cases.items():
        assert parse_zh(question).wants == wants, question
    assert parse_zh("失业率是多少？").rate and not parse_zh("增长率是多少？").rate


def test_year_on_year_is_how_a_change_is_asked_not_what_about():
    from cqqa.question_zh import parse_zh, question_chars

    q = parse_zh("同比涨了多少？")
    assert set(range(2)) <= question_chars(q)  # 同比 is no word to find in the documents


def test_a_rate_and_import_and_export_on_another_document(bulletin):
    from cqqa.answer import answer

    assert answer(bulletin, "失业率是多少？").answer.text == "4.1%"
    # 进出口 is "import and export": one conventional term, as good as two words matched.
    period = answer(bulletin, "进出口额统计的是哪段时间？")
    assert period.answer is not None and "January to April 2024" in period.answer.text
    assert "import and export" in period.query
    # A rate nobody states is no answer, whatever percent is near ("up 7.4%").
    assert answer(bulletin, "进出口的汇率是多少？").answer is None


def test_a_question_of_question_words_alone_leans_on_the_turn_before(bulletin):
    from cqqa.answer import answer

    alone = answer(bulletin, "同比涨了多少？")
    assert alone.answer is None  # nothing to be about
    later = answer(bulletin, "同比涨了多少？", ["1到4月进出口总值是多少？"])
    assert "import and export" in later.query  # the turn before says what it is about
    # Bare 几 / 多少 are no follow-up: "几点了？" asks the time of day.
    time_of_day = answer(bulletin, "几点了？", ["1到4月进出口总值是多少？"])
    assert time_of_day.answer is None and "nothing in the documents" in time_of_day.reason
    # 涨 (rose) is not what a sentence that says "fell" states.
    assert later.answer is None and later.reason == "the documents say fell, not 涨"


def test_which_well_known_one_is_the_example_english_names(bulletin):
    from cqqa.answer import answer

    first = "园区吸引了多少家新公司？"
    assert "40" in answer(bulletin, first).answer.text
    example = answer(bulletin, "其中有哪家知名企业？", [first])
    assert example.answer is not None and example.answer.text == "Halvorsen Foods"
    doc = bulletin.documents[example.answer.doc].text
    assert doc[example.answer.start : example.answer.end] == "Halvorsen Foods"


def test_the_noun_asked_about_is_found_anywhere_in_the_documents():
    import numpy as np

    from cqqa import crosslingual
    from cqqa.multilingual import encoder

    local = ["China-Latin America Entrepreneurs Summit", "Entrepreneurs"]
    table_words = [*local, "enterprises", "newly-invested enterprises", "harbour"]
    table = dict(zip(table_words, encoder().encode(table_words)))
    z = encoder().encode(["企业"])
    local_best = (z @ np.stack([table[p] for p in local]).T).max(axis=1)
    found = crosslingual._phrases_elsewhere(z, local_best, local, table)
    assert found == ["enterprises"]  # 企业 ~ "enterprises" 0.92, ~ "Entrepreneurs" 0.78
    # Nothing closer elsewhere: nothing added.
    z = encoder().encode(["港口"])
    best = (z @ np.stack([table[p] for p in table_words]).T).max(axis=1)
    assert crosslingual._phrases_elsewhere(z, best, table_words, table) == []


def test_where_the_text_comes_from_is_its_source_line(bulletin, tmp_path):
    from fakes import small_index

    from cqqa.answer import answer

    for question in ("这篇报道出自哪家媒体？", "文章的来源是什么？"):
        result = answer(bulletin, question)
        assert result.answer is not None and result.answer.text == "Brennmoor Gazette", question
    # Not a question about the text itself: no source line is read.
    from cqqa.answer.foreign import _SOURCE_ASKED

    assert not _SOURCE_ASKED.search("报道中的企业来自哪个国家？")  # the firms', not the text's
    assert not _SOURCE_ASKED.search("文章提到的园区发布了什么？")
    other = answer(bulletin, "渡轮公司来自哪里？")
    assert other.answer is None or other.answer.text != "Brennmoor Gazette"
    # A document without a source line: the question goes the usual way (declined here).
    home = tmp_path / "plain"
    (home / "src").mkdir(parents=True)
    text = (FORMS / "brennmoor-bulletin.txt").read_text("utf-8").split("\nSource:")[0]
    (home / "src" / "bulletin.txt").write_text(text, "utf-8")
    plain = small_index(home, home / "src")[1]
    assert answer(plain, "这篇报道出自哪家媒体？").answer is None


def test_a_compound_is_the_phrase_that_says_its_telling_word():
    from cqqa import crosslingual
    from cqqa.question_zh import parse_zh

    sentences = [
        "Its international airport opened new international routes.",
        "The number of international partner schools and partner exchange schools rose to 30 "
        "and 12 respectively.",
    ]
    phrases = crosslingual._phrases(sentences)

    def english(question: str) -> list[str]:
        zh = crosslingual._counted_noun(parse_zh(question))
        return [m.english for m in crosslingual._align(zh, phrases)[0]]

    # 交流 "exchange" tells the two kinds of school apart; 国际 "international" is everywhere.
    assert english("国际伙伴交流学校有多少所？") == ["partner exchange schools"]
    assert english("国际伙伴学校有多少所？") == ["international partner schools"]


def test_a_keyword_querys_kind_noun_is_no_part_of_what_it_is_about(bulletin):
    from cqqa import crosslingual
    from cqqa.question_zh import parse_zh, question_chars

    q = parse_zh("园区 新公司 数量")
    assert q.keywords and q.wants == "count"
    assert set(range(len("园区 新公司 "), len(q.text))) <= question_chars(q)  # 数量
    # 投资额 says "investment": a noun with content stays a thing to find.
    invest = parse_zh("园区 重点项目 投资额")
    assert invest.wants == "money" and invest.kind_span is None
    rendering = crosslingual.render(bulletin, "园区 新公司 数量")
    assert "number" not in rendering.english.lower().split()


def test_a_province_by_its_one_character_name(bulletin):
    from cqqa import crosslingual
    from cqqa.answer import answer

    found = crosslingual._province_names("缅甸驻渝总领馆", ["Chongqing", "Myanmar"], {})
    assert found == [(3, 4, "Chongqing")]
    assert crosslingual._province_names("在渝中区有多少企业", ["Chongqing"], {}) == []  # Yuzhong
    assert crosslingual._province_names("来沪的企业", ["Chongqing"], {}) == [(1, 2, "")]
    # The bulletin never says Shanghai: 来沪 is a place it lacks, a near miss.
    result = answer(bulletin, "来沪的渡轮公司去年运送了多少乘客？")
    assert result.answer is None and "沪" in result.reason
    assert answer(bulletin, "渡轮公司去年运送了多少乘客？").answer.text == "2.3 million passengers"


def test_pai_di_ji_is_one_question_word():
    from cqqa.question_zh import parse_zh

    q = parse_zh("这家公司在全省排第几个？")
    assert q.wants == "ordinal" and q.unit == "个"
    assert q.text[q.asked_span[0] : q.asked_span[1]] == "排第几"


def test_what_kind_of_named_thing_is_the_name_ending_in_that_kind(bulletin):
    from cqqa.answer import answer
    from cqqa.answer.foreign import NAME_HEADS

    assert NAME_HEADS["园区"] == ("Park",) and "Week" in NAME_HEADS["周"]
    result = answer(bulletin, "吸引了40多家新公司的是哪个园区？")  # which park: "… Park"
    assert result.answer is not None and result.answer.text == "Brennmoor Enterprise Park"
    doc = bulletin.documents[result.answer.doc].text
    assert doc[result.answer.start : result.answer.end] == result.answer.text


def test_which_ones_are_the_list_english_gives_after_the_noun(bulletin):
    from cqqa.answer import answer

    result = answer(bulletin, "园区的公司属于哪些行业？")  # which industries: several
    assert result.answer is not None
    assert result.answer.text == "food processing, logistics and software"
    assert "list" in result.reason


def test_the_first_n_months_are_january_to_the_nth(bulletin):
    from cqqa.answer import answer
    from cqqa.question_zh import parse_zh

    assert parse_zh("前五个月的出口是多少？").months == ("january", "may")
    assert parse_zh("头三个月").months == ("january", "march")
    right = answer(bulletin, "前四个月进出口总值是多少？")
    assert right.answer is not None and right.answer.text == "8.6 billion euros"
    wrong = answer(bulletin, "前六个月进出口总值是多少？")  # the bulletin gives January to April
    assert wrong.answer is None and "June" in wrong.reason


def test_a_name_read_without_the_verifier_keeps_the_year_asked(bulletin):
    from cqqa.answer import answer

    result = answer(bulletin, "2019年吸引了40多家新公司的是哪个园区？")  # no year is given
    assert result.answer is None and "2019" in result.reason


def test_a_name_read_without_the_verifier_is_in_the_sentence_of_the_name_asked(bulletin):
    from cqqa import crosslingual
    from cqqa.answer.foreign import _name_unsaid
    from cqqa.records import AnswerSpan

    rendering = crosslingual.render(bulletin, "哥本哈根举办了什么活动周？")
    assert any(m.english == "Copenhagen" for m in rendering.matches)
    doc = next(iter(bulletin.documents))
    text = bulletin.documents[doc].text

    def span(name: str) -> AnswerSpan:
        start = text.index(name)
        return AnswerSpan(name, doc, start, start + len(name), "entity")

    # The week is the town's; Copenhagen is in the sentence before, about fish.
    assert "Copenhagen" in _name_unsaid(bulletin, rendering, span("Nordic Food Week"))
    assert _name_unsaid(bulletin, rendering, span("Halvorsen Foods sells")) == ""


def test_what_standing_is_the_noun_phrase_after_is(bulletin):
    from cqqa.answer import answer

    result = answer(bulletin, "哥本哈根对这个镇的鱼来说是什么地位？")
    assert result.answer is not None
    assert result.answer.text == "the largest market for the town’s fish"  # to ", and"


def test_now_words_are_no_part_of_what_is_asked(bulletin):
    from cqqa import crosslingual
    from cqqa.question_zh import parse_zh, question_chars

    q = parse_zh("今年1到4月进出口总值是多少？")
    assert {0, 1} <= question_chars(q) and q.years == ()  # 今年 is no year to check
    rendering = crosslingual.render(bulletin, "今年1到4月进出口总值是多少？")
    assert not any(m.start < 2 for m in rendering.matches)  # 今年 matched to nothing


def test_an_organisation_named_after_a_place_is_not_the_place(bulletin):
    from cqqa import crosslingual
    from cqqa.answer import answer

    named = crosslingual._organisations(bulletin)
    assert named.get("Oslo") == frozenset({"seafood", "association"})
    assert "Halvorsen" not in named  # "Halvorsen Foods" is its own name, no place
    # The bulletin writes Oslo only in "Oslo Seafood Association": nothing happens in Oslo.
    result = answer(bulletin, "奥斯陆的渡轮公司去年运送了多少乘客？")
    assert result.answer is None and "奥斯陆" in result.reason
    # Naming the organisation itself is about it.
    member = crosslingual.render(bulletin, "奥斯陆海产协会的成员是哪家公司？")
    assert "Oslo" in member.english and not member.unmatched


# A second document of its own (tests/data/zh-forms2, fictional harbour notes) for the rules
# below, so that each is shown on words no other test uses.
NOTES = Path(__file__).resolve().parent / "data" / "zh-forms2"


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    from fakes import small_index

    return small_index(tmp_path_factory.mktemp("zh-forms2"), NOTES)[1]


def _at(index, result) -> str:
    doc = index.documents[result.answer.doc].text
    return doc[result.answer.start : result.answer.end]


def test_a_keyword_query_for_a_name_asks_for_the_name_of_that_kind(notes):
    from cqqa.answer import answer
    from cqqa.question_zh import parse_zh

    q = parse_zh("港区 科学城 名称")  # 名称 "name": what is asked, no topic to find
    assert q.wants == "what" and q.text[slice(*q.kind_span)] == "名称"
    result = answer(notes, "港区 科学城 名称")
    assert result.answer is not None and result.answer.text == "Innovation (Stockholm) Science City"
    assert _at(notes, result) == result.answer.text


def test_an_event_is_named_by_its_kind_and_the_words_the_question_says(notes):
    from cqqa.answer import answer

    # 活动 (an event) is a "… Week", "… Forum": of the two in the sentence, the one that says
    # the question's words (音乐交流, "Music Exchange").
    result = answer(notes, "哥本哈根举办了什么音乐交流活动")
    assert result.answer is not None and result.answer.text == "Coastal Music Exchange Week"
    forum = answer(notes, "哥本哈根参加了什么大学联盟活动")
    assert forum.answer is not None and forum.answer.text == "Nordic University Alliance Forum"


def test_before_the_change_asks_the_earlier_figure(notes):
    from cqqa.answer import answer
    from cqqa.question_zh import parse_zh

    assert parse_zh("增加之前是多少条？").earlier and parse_zh("原来有多少条航线？").earlier
    assert not parse_zh("2020年以前有多少条航线？").earlier  # a time, not a value before
    # a time word right before 以前/之前 bounds a time; only a change has a value before it
    for timed in (
        "2020年底以前有多少条航线？",
        "三月份以前开通了多少条航线？",
        "2023年初之前建成了几座码头？",
        "五月上旬以前签约了多少家企业？",
        "疫情之前有多少游客？",  # an event, no change of the figure asked
    ):
        assert not parse_zh(timed).earlier, timed
    for changed in (
        "变化之前是多少？",
        "码头扩建以前有几个泊位？",
        "航线增加了，之前有多少条？",
        "那之前呢？",
    ):
        assert parse_zh(changed).earlier, changed
    first = "斯德哥尔摩机场的轮渡航线增加到了多少条？"
    assert "36" in answer(notes, first).answer.text
    # The notes give only the new figure ("has increased to 36"): the earlier one is unsaid.
    before = answer(notes, "增加之前是多少条？", [first])
    assert before.answer is None and "earlier" in before.reason


def test_the_english_short_name_is_the_letters_the_documents_define(notes):
    from cqqa.answer import answer

    for question in (
        "斯德哥尔摩签署的北方沿海贸易伙伴关系协定，英文简称是什么？",
        "北方沿海贸易伙伴关系协定的缩写是什么",
    ):
        result = answer(notes, question)
        assert result.answer is not None and result.answer.text == "NCTPA", question
        assert _at(notes, result) == "NCTPA"
    full = answer(notes, "NCTPA的全称是什么？")  # the letters asked: the name they stand for
    assert full.answer is not None
    assert full.answer.text == "Northern Coastal Trade Partnership Agreement"
    # Another agreement (区域全面经济伙伴关系协定, RCEP) the notes never define: no letters.
    other = answer(notes, "区域全面经济伙伴关系协定的英文简称是什么？")
    assert other.answer is None


def test_events_counted_are_the_verbs_noun_not_activities(notes):
    from cqqa import crosslingual
    from cqqa.answer import answer
    from cqqa.question_zh import parse_zh

    zh = crosslingual._counted_noun(parse_zh("每年开展多少场交流活动？"))
    assert zh.unit == "场" and zh.text[zh.target_start : zh.target_end] == "交流"
    # 交流活动 are "exchanges"; the museum's "12 activities" are another count.
    result = answer(notes, "这个城市每年在文化、体育等领域开展多少场交流活动？")
    assert result.answer is not None and "80" in result.answer.text


def test_which_district_or_city_is_a_place_of_that_kind_not_the_thing_quoted(notes):
    from cqqa.answer import answer

    # 哪个区: a name ending in "District" / "Area", the doer first in its sentence (not the
    # "Old Harbour Port Area" it worked in, nor the service the question quotes).
    district = answer(notes, "“港口就业信息服务”是哪个区设立的？")
    assert district.answer is not None and district.answer.text == "Vasa District"
    assert _at(notes, district) == "Vasa District"
    # 哪个城市: a name of its own, no kind word ("Harbour Free Trade Area" is none).
    city = answer(notes, "“智慧冷链追踪平台”是哪个城市搭建的？")
    assert city.answer is not None and city.answer.text == "Helsinki"
    # A person's name first in the sentence is no city: USE puts it far from 城市.
    oslo = answer(notes, "“港口共享单车计划”是为哪个城市推出的？")
    assert oslo.answer is not None and oslo.answer.text == "Oslo"


def test_what_area_is_the_head_noun_with_its_of_phrase(notes):
    from cqqa.answer import answer

    # 什么区域 asks for an area: English writes "the core service area of the northern
    # logistics center", and the reader's "northern logistics center" is only what it is of.
    # (区 inside 区域 asks for no district's name either.)
    result = answer(notes, "阿姆斯特丹在物流方面要打造什么区域？")
    assert result.answer is not None
    assert result.answer.text == "core service area of the northern logistics center"
    assert _at(notes, result) == result.answer.text


def test_where_it_set_out_from_is_the_name_after_a_verb_of_leaving(notes):
    from cqqa.answer import answer

    for question in ("第500列集装箱班列从哪里发车的", "集装箱班列是从哪儿出发的？"):
        result = answer(notes, question)
        assert result.answer is not None, question
        assert result.answer.text == "Stockholm North Freight Yard", question
        assert _at(notes, result) == result.answer.text
    # The notes name Oslo (奥斯陆) only as a city a bike scheme is for, not as where the train
    # left: no verb of leaving comes before it, and the reader finds no clear span.
    oslo = answer(notes, "集装箱班列是从奥斯陆哪个站出发的？")
    assert oslo.answer is None and oslo.reason.startswith("no passage answers this clearly")


def test_from_a_month_is_no_place_set_out_from(bulletin):
    from cqqa.answer import answer

    # "From January to April 2024, …": a time; the bulletin says nothing left from anywhere.
    result = answer(bulletin, "进出口额是从哪里出发统计的？")
    # the rule of leaving declines (no "from January" as a place): the reader's span stands
    assert result.reason == "the span the reader found"
    assert result.answer is not None and not result.answer.text.startswith("January")


def test_what_kind_of_standing_is_the_phrase_that_says_the_questions_words(notes):
    from cqqa.answer import answer
    from cqqa.answer.foreign import _STANDING_ASKED

    assert _STANDING_ASKED.search("什么样的行政地位") and _STANDING_ASKED.search("怎样的角色")
    # "As a major port city and the only free port on the northern coast of Sweden, Stockholm
    # is …": of the three things said of Stockholm, the one with 港口 (port), 瑞典, 北部.
    result = answer(notes, "斯德哥尔摩在瑞典北部是什么样的港口地位")
    assert result.answer is not None
    assert result.answer.text == "the only free port on the northern coast of Sweden"
    assert _at(notes, result) == result.answer.text


def test_the_part_of_which_one_is_the_noun_after_its_of(notes):
    from cqqa.answer import answer

    # 哪项设施的二期: "the second phase of the cold storage warehouse in …" — the warehouse.
    history = ["Which city built the smart cold chain tracking platform?"]
    for question, turns in (
        ("这个港口的自由贸易区里，哪项设施的二期投用了？", history),
        ("自由贸易区里哪项设施的二期投用了？", []),
    ):
        result = answer(notes, question, turns)
        assert result.answer is not None and result.answer.text == "cold storage warehouse"
        assert _at(notes, result) == "cold storage warehouse"
    # the part asked of is the noun after 的, not its verb: 二期, not 二期投用了
    from cqqa.answer.foreign import of_which_part

    for question, part in (
        ("哪项设施的二期投用了？", "二期"),
        ("什么园区的核心区建成了？", "核心区"),
    ):
        at = question.index("哪") if "哪" in question else question.index("什么")
        found = of_which_part(question, at)
        assert found is not None and question[slice(*found)] == part, question


def test_the_words_before_a_head_noun_cross_no_comma(tmp_path):
    from fakes import small_index

    from cqqa.answer import answer

    # "linked to trade, core service area of …": the comma ends the words of the area's noun
    # phrase; "trade" belongs to the phrase before it.
    home = tmp_path / "comma"
    (home / "src").mkdir(parents=True)
    text = (
        (NOTES / "northern-harbour-notes.txt")
        .read_text("utf-8")
        .replace(
            "Amsterdam actively builds the core service area",
            "Amsterdam actively builds a port economy linked to trade, core service area",
        )
    )
    (home / "src" / "notes.txt").write_text(text, "utf-8")
    index = small_index(home, home / "src")[1]
    result = answer(index, "阿姆斯特丹在物流方面要打造什么区域？")
    assert result.answer is not None
    assert result.answer.text == "core service area of the northern logistics center"
    assert _at(index, result) == result.answer.text


def test_a_name_is_looked_up_in_the_phrase_table_by_its_first_word():
    from cqqa import crosslingual

    table = {f"phrase {i}": None for i in range(2000)}
    table.update({"Chongqing’s airport": None, "China-Latin America": None, "Foreign trade": None})
    # As the whole-word search of every phrase found them: inside a phrase, after a hyphen,
    # before an apostrophe; a term in any case, a name only as written.
    assert crosslingual._written("Chongqing", [], table)
    assert crosslingual._written("Latin America", [], table)
    assert crosslingual._written("foreign trade", [], table, flags=__import__("re").I)
    assert not crosslingual._written("foreign trade", [], table)
    assert not crosslingual._written("Chong", [], table)  # no half word
    assert crosslingual._by_word(table) is crosslingual._by_word(table)  # made once
    assert len(crosslingual._by_word(table)["chongqing"]) == 1


# A third document of its own (tests/data/zh-forms3, a fictional city's district report)
# for the rules about Chinese place names, leads that name the source and follow-ups that
# point back.
DISTRICTS = Path(__file__).resolve().parent / "data" / "zh-forms3"


@pytest.fixture(scope="module")
def districts(tmp_path_factory):
    from fakes import small_index

    return small_index(tmp_path_factory.mktemp("zh-forms3"), DISTRICTS)[1]


def test_pinyin_spells_a_name_by_any_reading_of_its_characters():
    from cqqa.romanise import is_pinyin, spells

    assert spells("沙坪坝", "Shapingba") and spells("南岸", "Nan’an")
    assert spells("重庆", "Chongqing")  # 重 read chong, not zhong
    assert not spells("渝北", "Yuzhong")
    assert is_pinyin("Yuzhong") and is_pinyin("Nan’an")
    assert not is_pinyin("Myanmar") and not is_pinyin("Belarus") and not is_pinyin("District")


def test_a_chinese_place_name_is_the_documents_word_that_spells_it(districts):
    from cqqa.answer import answer

    # 白河 + 区 (jieba cuts the kind off) is "Baihe District"; 桃源区, a common word to
    # jieba, is "Taoyuan District" because the documents write that pinyin.
    result = answer(districts, "白河区搭建了什么信息平台？")
    assert "Baihe District" in result.query
    assert result.answer is not None and "smart river freight" in result.answer.text
    assert "Taoyuan District" in answer(districts, "桃源区在哪个湾区建设生态廊道？").query
    count = answer(districts, "青山区引进了多少家新投资企业？")
    assert count.answer is not None and "more than 30" in count.answer.text


def test_a_district_whose_pinyin_the_documents_never_write_is_not_a_nearby_one(districts):
    from cqqa.answer import answer

    # 黄石区 (Huangshi) is no "Qingshan District", however close the encoder puts them.
    result = answer(districts, "黄石区引进了多少家新投资企业？")
    assert result.answer is None and "黄石区" in result.reason
    assert "Qingshan" not in result.query


def test_a_lead_or_tail_that_only_names_the_source_is_no_part_of_the_question():
    from cqqa.question_zh import parse_zh, question_chars

    cases = {
        "文章说兰溪是最大的什么？": "文章说",
        "据报道，青山区引进了多少家企业？": "据报道，",
        "这篇文章里，白河区搭建了什么平台？": "这篇文章里，",
        "文章中提到的企业有多少家？": "文章中提到的",
        "报道称兰溪有多少码头？": "报道称",
        "兰溪有多少码头，根据文章？": "，根据文章",
        # the text as the subject of a later clause
        "在对中亚的棉花运输上，文章把兰溪称为什么？": "文章",
        "除了青山区，文章还提到了哪个区？": "文章",
    }
    for question, lead in cases.items():
        q = parse_zh(question)
        at = question.index(lead)
        assert set(range(at, at + len(lead))) <= question_chars(q), question
    # A bare 报道 / 新闻 is a thing asked about, not the source: 报道的港口, 新闻发布会.
    for question in ("报道的港口有多少个？", "新闻发布会在哪里举行？"):
        assert not set(range(2)) & question_chars(parse_zh(question)), question


def test_a_source_lead_keeps_the_answer_on_another_document(districts):
    from cqqa.answer import answer

    result = answer(districts, "据报道，青山区引进了多少家新投资企业？")
    assert result.answer is not None and "more than 30" in result.answer.text
    assert "报道" not in result.reason


def test_a_follow_up_pointing_back_is_about_what_the_conversation_named(districts):
    from cqqa.answer import answer
    from cqqa.crosslingual import _pointer

    for question, pointer in {
        "这个区引进了多少家企业？": "这个区",
        "该区种了多少棵树？": "该区",
        "这家公司在哪里？": "这家公司",
        "此项目投资多少？": "此项目",
    }.items():
        found = _pointer(question)
        assert found is not None and question[slice(*found)] == pointer, question
    assert _pointer("那城市呢？") is None  # 那 alone is "and then", no pointer
    # 这个区 is the district the turn before asked about, not a district to find ("Area").
    history = ["Which district introduced the Morrow Textile Group?"]
    result = answer(districts, "这个区一共引进了多少家新投资企业？", history)
    assert result.answer is not None and "more than 30" in result.answer.text
    assert "Area" not in result.query


def test_a_known_name_longer_than_any_phrase_is_matched_whole(districts):
    from cqqa import crosslingual
    from cqqa.answer import answer

    # Phrases are kept up to three words: a four-word name is written where each three
    # words of it are, so 长江经济带 is matched whole and 长江 is not matched on its own.
    table = dict.fromkeys(["Yangtze River Economic", "River Economic Belt", "Yangtze River"])
    assert crosslingual._written("Yangtze River Economic Belt", [], table)
    assert not crosslingual._written("Yangtze River Economic Belt", [], {"Yangtze River": None})
    result = answer(districts, "桃源区在哪个湾区建设长江经济带生态廊道？")
    assert "Yangtze River Economic Belt" in result.query
    assert result.answer is not None and "Jinsha Bay" in result.answer.text


def test_keyword_queries_for_the_source_and_for_a_standing(districts):
    from cqqa.answer import answer
    from cqqa.question_zh import parse_zh

    source = answer(districts, "这篇报道 来源")  # "this report  source", as typed in a box
    assert source.answer is not None and source.answer.text == "Lanxi Evening News"
    q = parse_zh("兰溪 中亚 棉花 地位")  # 地位 asks what a thing is, and is no topic
    assert q.wants == "what" and q.text[slice(*q.kind_span)] == "地位"
    standing = answer(districts, "兰溪 中亚 棉花 地位")
    assert standing.answer is not None
    assert standing.answer.text == "the largest inland cotton hub linking with Central Asia"
    assert _at(districts, standing) == standing.answer.text


def test_roughly_is_how_precise_not_what_about():
    from cqqa.question_zh import parse_zh, question_chars

    for question, word in (
        ("青山区新引进了大约多少家企业？", "大约"),
        ("青山区约有多少家企业？", "约"),
        ("青山区引进了多少家企业左右？", "左右"),
    ):
        at = question.index(word)
        assert set(range(at, at + len(word))) <= question_chars(parse_zh(question)), question
    # 约 of 约定 ("agreement") is a word of its own
    question = "青山区和谁签了约定？"
    assert question.index("约") not in question_chars(parse_zh(question))


def test_a_kind_of_place_alone_is_no_name_of_one():
    from cqqa.crosslingual import _only_kind

    assert _only_kind("District") and _only_kind("New Area") and _only_kind("city")
    assert not _only_kind("Yuzhong District") and not _only_kind("Jinsha Bay Area")


def test_a_numeral_after_the_noun_asked_about_ends_it(notes):
    from cqqa.answer import answer

    # 一起 / 一道 ("together") are numerals to jieba: 哪个科学城|一起建设 asks for a science city
    for question in ("港区和哪个科学城一起建设？", "港区和哪个科学城一道建设？"):
        result = answer(notes, question)
        assert result.answer is not None, result.reason
        assert result.answer.text == "Innovation (Stockholm) Science City"


def test_the_only_what_is_what_the_text_says_it_is_the_only_one_of(notes):
    from cqqa.answer import answer

    for question in (
        "斯德哥尔摩是瑞典北部海岸唯一的什么？",
        "在瑞典北部海岸，斯德哥尔摩是唯一的什么港口？",
        "Stockholm is the only what on the northern coast of Sweden?",
        "斯德哥尔摩在瑞典北部海岸有什么独特的地位？",  # "what unique standing"
    ):
        result = answer(notes, question)
        assert result.answer is not None, (question, result.reason)
        assert result.answer.text == "only free port on the northern coast of Sweden"
        assert result.reason == "what the text says it is the only one of"
    from cqqa.answer.clauses import _UNIQUE_Q
    from cqqa.answer.foreign import _ONLY_ASKED

    # "special" before a noun asks for those things, not for what sets one apart
    assert not _ONLY_ASKED.search("自贸区有哪些特殊政策？")
    assert not _ONLY_ASKED.search("春节期间重庆有什么特别的活动？")
    assert not _UNIQUE_Q.search("what is the name of the only one of the bridges still standing?")


def test_a_river_is_named_by_the_pinyin_the_documents_write(districts):
    from cqqa.answer import answer

    # 嘉陵江 is close to "Yangtze River" by meaning; the documents write its pinyin inside
    # a pair of names ("Jialing-Danube"), and 江 is a kind of place like 区
    result = answer(districts, "嘉陵江—多瑙河合作论坛是第几届？")
    assert "Jialing" in result.query and "Yangtze" not in result.query


def test_a_kind_in_the_pinyin_of_a_name_is_part_of_it():
    from cqqa.crosslingual import _only_kind, _romanised_otherwise, _same_kind_of_place

    # 黑龙江 is "Heilongjiang", not "Heilong" + a river; 渝北区 is still not Yuzhong
    assert not _romanised_otherwise("黑龙江", "Heilongjiang")
    assert _romanised_otherwise("渝北区", "Yuzhong District")
    assert not _same_kind_of_place("浙江", "Yangtze River", 0.7)  # a one-character name
    assert not _only_kind("Lake District") and not _only_kind("Garden City")


@pytest.fixture(scope="module")
def harlow(tmp_path_factory):
    from fakes import small_index

    return small_index(tmp_path_factory.mktemp("zh-forms4"), FORMS.parent / "zh-forms4")[1]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 比…少多少: how many fewer, worked out from each side's stated figure
        ("姐妹城市比伙伴城镇少多少个？", "45 (70 partner towns − 25 sister cities = 45)"),
        ("伙伴城镇比姐妹城市多出多少个？", "45 (70 partner towns − 25 sister cities = 45)"),
        # 是…的几倍: how many times as many; 数量 after a side says nothing more
        (
            "伙伴城镇的数量是姐妹城市的几倍？",
            "2.8 times (70 partner towns ÷ 25 sister cities = 2.8)",
        ),
        # 比…多吗: a yes/no comparison of the two figures
        ("姐妹城市比伙伴城镇多吗？", "No: 25 sister cities < 70 partner towns"),
        # 是在…之后吗 / 之前…的吗: the order of two dated events, the edition said (第1000艘)
        ("新集装箱码头开放是在第1000艘货船到达之后吗？", "No: April 2 before May 20"),
        ("新集装箱码头是在第1000艘货船到达之前开放的吗？", "Yes: April 2 before May 20"),
    ],
)
def test_chinese_questions_of_a_step_of_reasoning(harlow, question, expected):
    from fakes import answer_text

    from cqqa.answer import answer

    result = answer(harlow, question)
    assert answer_text(result) == expected
    assert result.answer.kind == "derived"


def test_a_chinese_average_per_thing_is_a_ratio(harlow):
    from fakes import answer_text

    from cqqa.answer import answer
    from cqqa.reasoning_zh import english_reasoning

    question = "平均每个姐妹城市对应多少个伙伴城镇？"
    assert (
        english_reasoning(harlow, question) == "How many partner towns per sister city on average?"
    )
    assert "(70 partner towns ÷ 25 sister cities = 2.8" in answer_text(answer(harlow, question))
    # 每年, 每个月: how often, no thing shared among
    assert english_reasoning(harlow, "港口每年接待多少艘货船？") is None
    assert english_reasoning(harlow, "港口每个月接待多少艘货船？") is None


def test_a_pairing_with_china_the_documents_never_write_is_not_there(harlow):
    from fakes import answer_text

    from cqqa.answer import answer

    assert answer_text(answer(harlow, "中欧港口论坛哪年举行？")) == "2023"  # "China-EU"
    for question, pairing in (
        ("中日港口论坛哪年举行？", "中日"),
        ("中美港口论坛哪年举行？", "中美"),
    ):
        result = answer(harlow, question)
        assert result.answer is None and result.reason == f"the documents never mention {pairing}"


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        # a statement asked with 吗 / 是不是 / 有没有: its numbers and dates checked in English
        ("这个城市有25个姐妹城市吗？", "yes"),
        ("新集装箱码头是4月2日开放的吗？", "yes"),
        ("新集装箱码头是5月2日开放的吗？", "no"),
        ("伙伴城镇是不是超过100个？", "no"),
        ("这个城市的姐妹城市有没有突破二十个？", "yes"),  # 突破: broke through, more than
        ("这个城市的姐妹城市突破了30个吗？", "no"),
        # a Chinese numeral, a multiplier, an edition, a negation, a verb with an opposite, a
        # statement put before a request to confirm it
        ("这个城市有二十五个姐妹城市吗？", "yes"),
        ("这个城市有三十个姐妹城市吗？", "no"),
        ("第1000艘货船是5月20日到达的吗？", "yes"),
        ("第一千艘货船是5月20日到达的吗？", "yes"),
        ("第2000艘货船是5月20日到达的吗？", "no"),
        ("新集装箱码头是否已经关闭？", "no"),  # the sentence says opened
        ("新集装箱码头还没有开放吗？", "no"),
        ("听说新集装箱码头是4月2日开放的，对吧？", "yes"),
        ("新集装箱码头是5月2日开放的，是这样吗？", "no"),
    ],
)
def test_a_chinese_yes_no_statement_is_checked_against_the_sentence(harlow, question, verdict):
    from cqqa.answer import answer

    result = answer(harlow, question)
    assert result.answer is not None and result.answer.kind == "derived", result.reason
    assert result.answer.verdict == verdict


def test_a_chinese_question_word_is_no_yes_no_statement(harlow):
    from cqqa.reasoning_zh import english_reasoning

    assert english_reasoning(harlow, "姐妹城市是哪一年建立的吗？") is None  # 哪: asks which
    assert english_reasoning(harlow, "这个城市有25个姐妹城市吗？").startswith("Is it true that")


@pytest.mark.parametrize(
    "question",
    [
        "伙伴城镇是否没有超过100个？",  # a negation of a number: 是 in Chinese, No in English
        "新集装箱码头不是4月2日开放的吗？",  # 不是…吗 asks for a Yes of the statement
        "新集装箱码头是否已经拆除？",  # a verb the claim would lose
        "这个城市有一些姐妹城市吗？",  # 一 that counts nothing
        "港口有没有十五台起重机？",  # as many as 15, at least: a bound the claim cannot say yet
        "这个城市有近三十个姐妹城市吗？",  # a rough number
        "这个城市有一两个姐妹城市吗？",  # one or two, no 12
        "新集装箱码头是在4月2日之前开放的吗？",  # before a date
        "新集装箱码头没有没有开放吗？",  # a double negation
    ],
)
def test_a_chinese_yes_no_statement_the_claim_cannot_carry_is_declined(harlow, question):
    from cqqa.answer import answer

    result = answer(harlow, question)
    assert result.answer is None
    assert result.reason == "this yes/no question's wording is not read yet, so it is not checked"


def test_a_unit_of_measure_asked_in_chinese_must_be_the_answers(harlow, tmp_path):
    from fakes import answer_text, one_document_index

    from cqqa.answer import answer
    from cqqa.question_zh import parse_zh

    assert parse_zh("货运量是多少吨？").measure == "tons"
    assert parse_zh("有多少个港口？").measure == ""
    # 多少吨: tons, never the count of berths or cranes the sentence gives
    result = answer(harlow, "港口每年的货运量是多少吨？")
    assert result.answer is None and result.query.startswith("How many tons of")
    index = one_document_index(
        tmp_path, "cargo.txt", "Port Note\n\nIn 2023, the port handled 2.5 million tons of cargo.\n"
    )
    assert "2.5 million tons" in answer_text(answer(index, "2023年港口处理了多少吨货物？"))
