"""What a Chinese question asks for and what it constrains, read from its words alone.

A table of Chinese question words says what kind of answer is wanted (多少 a count, 多少钱 an
amount of money, 百分之几 a percent, 什么时候 a date …), and the constraints an answer must
keep are read as the English parser reads them: years (2021年, 二〇二一年), months (7月,
1至5月, 七月), editions (第13个, 第三轮), a part of the year (季度, 上半年). These are rules
about Chinese, not about any document. What the question is about (its nouns and names)
is left as Chinese `content` for the cross-lingual step to find in the English text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .question import MONTHS

# What follows 多少 when an amount or a count is asked, not a share: measure words, people,
# money and its units ("增长了多少亿元" is money, "增加了多少人" a count).
_AMOUNT_UNITS = "个家条座所项名位列次对种批艘架间处部场届轮期款件只台辆周人亿万千百元钱美倍吨"
# (pattern, wanted kind), first match wins: the longer, more specific words come first
# ("多少钱" before "多少", "第几" before "几", "增长了多少" before "多少").
QUESTION_WORDS: list[tuple[str, str]] = [
    (
        r"百分之(几|多少)|百分比|百分点|比例|比重|占比|增长率|增速|增幅|涨幅|降幅|跌幅"
        r"|(增长|增加|上升|提高|下降|减少|降低|上涨|下跌|涨|跌)(的)?幅度"
        # "增长了多少" is a percent; "增长了多少亿元 / 多少人 / 多少家" an amount or a count.
        rf"|(增长|增加|上升|提高|下降|减少|降低|上涨|下跌|涨|跌)了?(多少|几成)(?![{_AMOUNT_UNITS}])"
        # A rate (X率: 汇率, 失业率, 覆盖率) asked with 多少 / 几 is a share, not a count.
        r"|(?<=[\u3400-\u9fff]率)(是|为|有|约|大约)?(多少|几)",
        "percent",
    ),
    (
        r"多少(钱|元|美元|人民币|亿|万元|资金)|(金额|价值|总值|总额|产值|额|规模|资金)"
        r"[^，,。？?]{0,4}多少|多少(金额|价值|总值|总额|投资)|(值|价值|花费|耗资)多少",
        "money",
    ),
    (r"(多少|几)周年|排第几|第几|排第|排名", "ordinal"),
    (r"哪一年|哪年|何年|什么年份|哪个年份|(是|在)?几几年", "year"),
    (
        r"(多长|多久|多少)(时间|年|个月|天|周)|几(年|个月|天|周|十年)|哪段时间|什么期间|期间是"
        r"|哪几个月|从什么时候到",
        "period",
    ),
    (
        r"什么时候|何时|哪天|哪一天|哪日|几月几日|几月几号|几号|什么日期|哪个日期|哪个月|几月"
        r"|什么时间|啥时候",
        "date",
    ),
    (r"多少|几", "count"),
    # "申报为什么" / "成为什么" is "declared as what", not "why".
    (r"(?<![成作称视定报选评列改])为什么|为何|为啥|什么原因|何故|原因是什么|原因", "why"),
    (r"谁|哪位|哪些人|什么人|叫什么名字|叫什么|什么名字|姓名|名字", "who"),
    (r"哪个|哪些|哪里|哪儿|哪家|哪座|哪所|哪条|哪项|哪种|哪|什么|啥|何|是否|吗", "what"),
]
_QUESTION_PATTERNS = [(re.compile(p), kind) for p, kind in QUESTION_WORDS]
# A search-box query has no question word; a noun in it may still say what is wanted
# ("开馆日期" a date, "企业数量" a count).
KEYWORD_WORDS: list[tuple[str, str]] = [
    (r"增幅|增长率|增速|比例|比重|占比|百分比", "percent"),
    (r"金额|价值|总值|总额|产值|投资额", "money"),
    (r"日期|时间|哪天|时候", "date"),
    (r"名次|排名|第几|周年|届次", "ordinal"),
    (r"数量|数目|个数|总数|多少", "count"),
    # 名称 / 名字 / 全称 ask for a name: "高新区 科学城 名称" is "which Science City".
    (r"名称|名字|全称|叫什么", "what"),
    # 地位 / 定位 ask what a thing is ("重庆 西部 直辖市 地位": "the only municipality …").
    (r"地位|定位|角色|身份", "what"),
]
_KEYWORD_PATTERNS = [(re.compile(p), kind) for p, kind in KEYWORD_WORDS]
# Of those, the nouns that say nothing but the kind (not 投资额 "investment", 增长率 "growth").
_KIND_NOUN = re.compile(
    r"(数量|数目|个数|总数|日期|时间|名次|排名|届次|金额|名称|名字|全称|叫什么|地位|定位)$"
)
# Words that start a follow-up and are not part of what it is about: "那友好交流城市呢".
LEADING = re.compile(r"^(那么|那末|还有|另外|以及|那|和|跟|而|再问)")
# Measure words after 多少/几/第几 ("多少个城市", "第几轮"): they name the unit counted.
CLASSIFIERS = "个家条座所项名位列次对种批艘架间处部场届轮期款件只台辆周"
# Characters that carry grammar, not meaning: what is left of a question once the
# cross-lingual step has found its nouns, these alone never make a near miss.
FUNCTION_CHARS = set(
    "的了在是有被将和与及从为对等中把向于给过着吗呢吧啊么这那其该此各每也都又还就所以而"
    "并或且即已经曾到以上下内外里请问告诉我你他她它们之该文章中提到说讲共总一些要会能可"
    "得地着现目前已多少几第个家条什么哪谁年月日号何时候吗？?，,。.！!、：:；;“”\"'（）()"
)
# "叫什么名字" is "who" after a person or a role, "what" after a thing (那个中心叫什么).
_NAMING = re.compile(r"叫什么名字|叫什么|什么名字|名字|姓名")
PERSON_ENDINGS = (
    r"(人|者|员|长|官|师|士|手|主席|总统|总理|书记|经理|领事|大使|代表|主任|总裁|董事|教授"
    r"|先生|女士|作家|专家|院士|部长|首相|国王|女王|负责人)$"
)
_DIGITS = dict(zip("〇零一二三四五六七八九", "00123456789"))
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
NUMERALS = "〇零一二两三四五六七八九十百千万亿"
# What an edition is counted in, by its measure word: "第几轮" asks "which round".
# Only measure words that name an English unit; "第几个/第几次" take the noun that follows.
ORDINAL_UNITS = {"轮": "round", "期": "phase", "届": "session", "周年": "anniversary"}


def chinese_number(text: str) -> int | None:
    """'13', '十三', '一万', '二〇二二', '两百' as an integer (None when it is none)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in NUMERALS for ch in text):
        return None
    text = text.replace("两", "二")
    if all(ch in _DIGITS for ch in text):  # written digit by digit: 二〇二二
        return int("".join(_DIGITS[ch] for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = int(_DIGITS[ch])
        elif ch in ("万", "亿"):
            section = (section + digit) * _UNITS[ch]
            total += section
            section = digit = 0
        else:
            section += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + section + digit


@dataclass(frozen=True)
class ChineseQuestion:
    text: str
    wants: str  # as Question.wants
    years: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    ordinals: tuple[int, ...] = ()  # editions named: 第13个 -> 13
    quarter: bool = False
    asked_span: tuple[int, int] | None = None  # where the question word stands
    unit: str = ""  # the measure word after 多少/几/第几 ("个", "轮")
    target_start: int = -1  # where the counted noun begins (after the measure word)
    target_end: int = -1  # and ends (-1: the end of its run of characters)
    keywords: bool = False  # no question word: a search-box query
    rate: bool = False  # a rate asked (失业率是多少), not a change (增长了多少, 增长率)
    kind_span: tuple[int, int] | None = None  # a keyword query's 数量 / 日期: the kind asked
    earlier: bool = False  # 之前 / 原来: the value before a change is asked, not the new one
    # 这个区 / 该公司 in a follow-up: the thing the conversation named, not words to find
    pointer: tuple[int, int] | None = None
    measure: str = ""  # a unit of measure after 多少/几 ("多少吨": tons), in English


_YEAR = re.compile(r"((?:1[89]|20)\d\d|[一二〇零][〇零一二三四五六七八九]{3})\s*年")
_MONTH = re.compile(
    r"(?<![\d〇零一二三四五六七八九十])(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
)
_MONTH_RANGE = re.compile(
    r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*(?:月)?\s*(?:至|到|-|－|~|—)\s*"
    r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
)
_ORDINAL = re.compile(rf"第\s*(\d+|[{NUMERALS}]+)")
# "前五个月" / "头三个月": the months of the year from January on.
_FIRST_MONTHS = re.compile(r"(?:前|头)\s*(1[0-2]|[1-9]|十[一二]?|[一二两三四五六七八九])\s*个\s*月")
# What a change is measured against (同比 "year on year", 环比 "on the period before"): part
# of how a change is asked, not what it is of.
_COMPARED = re.compile(r"同比|环比")
# "Now" (今年 this year, 目前, 现在): the time of the documents, no constraint and nothing to find
# (今年 was matched to "January").
_NOW = re.compile(r"今年|目前|现在|当前|如今|眼下|至今|迄今")
# "About, roughly" before the question word (大约多少, 约有几个, 多少左右): how precise the
# answer may be, nothing to find (大约 was matched to "Nan’an").
_ROUGHLY = re.compile(
    r"大约|大概|大致|约莫|差不多|左右|上下(?=[？?。]?$)|约(?=[有为是]?(?:多少|几))"
)
# Words of a time before, or of a value before a change: question words, not what about.
_EARLIER = re.compile(r"之前|以前|此前|原来|原先|原本|起初")
# Words that mean "the value before" by themselves ("原来有多少", "此前是多少").
_EARLIER_VALUE = re.compile(r"此前|原来|原先|原本|起初")
_BEFORE = re.compile(r"之前|以前")
# A time right before 之前/以前 makes it a bound of time ("2020年底以前", "三月份以前", "5日之前"),
# not the value before a change.
_TIME_BEFORE = re.compile(r"(?:\d|年|月|日|号|天|底|初|份|旬|末|季度|周)$")
# Where 之前/以前 may stand bare: the question's start, or after a comma or 那 ("…增加了，
# 之前…", "那之前呢").
_CLAUSE_START = re.compile(r"(?:^|[，,。；;：:！!？?\s]|那么?)$")
# Words of a change: a rate asked with them is a rate of change (增长率, 涨了多少).
_CHANGE = re.compile(r"增长|增加|上升|提高|下降|减少|降低|上涨|下跌|涨|跌|增速|增幅|降幅")
# Words of a change that 之前/以前 may follow directly: "增加之前", "变化之前", "调整以前".
_CHANGED = re.compile(rf"(?:{_CHANGE.pattern}|变化|变动|调整|改变|扩大|扩建|缩小|缩减|翻番|翻倍)$")


# A lead or tail that only names the source ("文章说，…", "据报道，…", "这篇文章里…",
# "…，根据文章？"), as English "According to the article, …": where the answer is to be
# found, not what the question is about.
# A bare 文章 / 报道 is not one (报道的港口, 新闻发布会): a preposition before it or a verb or
# place word after it says it is the source.
_TEXT_NOUN = r"(?:这篇|本篇|该篇|此篇|这则|本则)?(?:文章|报道|文中|本文|原文|全文|新闻|材料|报告)"
_SOURCE_LEAD = re.compile(
    rf"^\s*(?P<pre>根据|依据|依照|按照|据|从|在)?\s*{_TEXT_NOUN}"
    r"(?P<post>(?:中|里|里面|上|来看|所说|所述)?(?:说|称|提到|提及|指出|讲|写道|介绍|显示|表示|描述)"
    r"|中|里|里面|来看|所说|所述)?的?\s*[，,：:]?\s*"
)
_SOURCE_TAIL = re.compile(
    rf"[，,（(]\s*(?:根据|依据|按照|据){_TEXT_NOUN}(?:中|里|所说|来看|的说法)?\s*[)）]?\s*(?=[？?。]?\s*$)"
)


# ...and the text as the subject of a later clause ("…，文章把重庆称为什么", "除了缅甸，文章还
# 提到了哪个国家"): the text that says it, not a thing asked about.
_SOURCE_SUBJECT = re.compile(
    rf"(?:(?<=[，,：:；;])|^)\s*{_TEXT_NOUN}(?:中|里|里面|上)?"
    r"(?=(?:还|又|也|都|就|则|却)?(?:把|将|说|称|提到|提及|指出|讲|写|介绍|显示|表示|描述|列举|列出"
    r"|谈到|说到|认为))"
)


def source_lead(text: str) -> list[tuple[int, int]]:
    """Where the question only says where to look (文章说, 据报道, …，根据文章): spans to leave
    out of what it is about."""
    out = []
    m = _SOURCE_LEAD.match(text)
    if m and (m.group("pre") or m.group("post")) and m.end() < len(text):
        out.append(m.span())
    m = _SOURCE_TAIL.search(text)
    if m:
        out.append(m.span())
    for m in _SOURCE_SUBJECT.finditer(text):
        if not any(a <= m.start() < b for a, b in out):
            out.append(m.span())
    return out


def _asks_earlier(text: str) -> bool:
    """ "增加之前是多少", "原来有多少": the value before a change. English says "before", and the
    same check declines a sentence that gives only the new figure. 之前/以前 after a time
    ("2020年底以前", "三月份以前") bound a time instead, and after anything else (疫情之前) name
    no change; bare, they refer back to a change the question says before them
    ("航线增加了，之前有多少条") or, at its start, to the one the conversation said."""
    if _EARLIER_VALUE.search(text):
        return True
    for m in _BEFORE.finditer(text):
        before = text[: m.start()].rstrip()
        if _TIME_BEFORE.search(before):
            continue
        if _CHANGED.search(before):
            return True
        if re.fullmatch(r"(?:那么?)?", before) or (
            _CLAUSE_START.search(before) and _CHANGE.search(before)
        ):
            return True
    return False


# Units of measure asked for after 多少/几, in English: the answer must be measured in them
# ("货运量多少吨" asks for tons, never a count of routes).
MEASURES = {
    "平方公里": "square kilometers",
    "平方米": "square meters",
    "公里": "kilometers",
    "千米": "kilometers",
    "公斤": "kilograms",
    "千克": "kilograms",
    "吨": "tons",
    "米": "meters",
    "小时": "hours",
    "分钟": "minutes",
    "公顷": "hectares",
    "标箱": "TEU",
    "升": "liters",
}
_MEASURE = re.compile(
    "(?:万|亿|千|百)?(" + "|".join(sorted(MEASURES, key=len, reverse=True)) + ")"
)  # 多少万吨: tons still


def parse_zh(text: str) -> ChineseQuestion:
    """Kind, years, months, editions and part of year of a Chinese question."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and letters: ２０２１年
    wants, span = "", None
    for pattern, kind in _QUESTION_PATTERNS:
        m = pattern.search(text)
        if m:
            wants, span = kind, m.span()
            break
    keywords = span is None and not re.search(r"[?？]\s*$", text)
    kind_span = None
    if span is None:
        for pattern, kind in _KEYWORD_PATTERNS:
            m = pattern.search(text)
            if m:
                wants = kind
                break
        # "国际航线 数量": the noun that only says what kind of answer is wanted stands where
        # a question word would, and is no part of what the query is about.
        m = _KIND_NOUN.search(text)
        if m:
            kind_span = m.span()
    unit, target_start, target_end, measure = "", -1, -1, ""
    if span is not None and wants == "count":
        m = _MEASURE.match(text, span[1])
        measure = MEASURES[m.group(1)] if m else ""
    if span is not None:
        after = span[1]
        if after < len(text) and text[after] in CLASSIFIERS:
            unit, after = text[after], after + 1
        rest = re.match(r"[\u3400-\u9fff]{2,}", text[after:])
        if rest:
            target_start, target_end = after, after + rest.end()
        else:
            # "城市有多少对": the counted noun stands before the question word, back to 的 or
            # the start, without the verb that joins it (有, 是, 为, 达到, 共).
            before = re.search(
                r"([\u3400-\u9fff]+?)(?:一共|总共|共|有|是|为|达到|达|到|约)*$", text[: span[0]]
            )
            if before:
                start = before.start(1)
                if "的" in before.group(1):
                    start += before.group(1).rindex("的") + 1
                target_start, target_end = start, before.end(1)
    else:
        lead = LEADING.match(text)
        target_start = lead.end() if lead else 0
    if wants == "who" and span is not None and _NAMING.fullmatch(text[span[0] : span[1]]):
        # "叫什么(名字)" asks a person's name only after a person: "那个中心叫什么" names a thing.
        noun = text[target_start:target_end] if 0 <= target_start < target_end else ""
        if not re.search(PERSON_ENDINGS, noun):
            wants = "what"
    rate = bool(
        wants == "percent" and span is not None and span[0] and text[span[0] - 1] == "率"
    ) and not _CHANGE.search(text)
    years = [m.group(1) for m in _YEAR.finditer(text)]
    years = [str(chinese_number(y)) if not y.isdigit() else y for y in years]
    months: list[str] = []
    for m in _MONTH_RANGE.finditer(text):
        months += [_month(m.group(1)), _month(m.group(2))]
    if not months:
        months = [_month(m.group(1)) for m in _MONTH.finditer(text)]
    first = _FIRST_MONTHS.search(text)
    if not months and first:  # 前五个月: January to May
        months = [_month("1"), _month(first.group(1))]
    ordinals = []
    for m in _ORDINAL.finditer(text):
        value = chinese_number(m.group(1))
        if value:
            ordinals.append(value)
    return ChineseQuestion(
        text=text,
        wants=wants,
        years=tuple(dict.fromkeys(years)),
        months=tuple(dict.fromkeys(m for m in months if m)),
        ordinals=tuple(dict.fromkeys(ordinals)),
        quarter=bool(re.search(r"季度|上半年|下半年|半年", text)),
        asked_span=span,
        unit=unit,
        target_start=target_start,
        target_end=target_end,
        keywords=keywords,
        rate=rate,
        kind_span=kind_span,
        earlier=_asks_earlier(text),
        measure=measure,
    )


def _month(word: str) -> str:
    value = chinese_number(word)
    return MONTHS[value - 1] if value and 1 <= value <= 12 else ""


def question_chars(question: ChineseQuestion) -> set[int]:
    """Positions that spell the question word, its measure word, or a year/month/edition:
    what is asked and when, not what about."""
    out: set[int] = set()
    if question.kind_span:
        out.update(range(*question.kind_span))
    if question.asked_span:
        out.update(range(*question.asked_span))
        if question.unit:
            out.add(question.asked_span[1])
    patterns = (_YEAR, _MONTH_RANGE, _MONTH, _FIRST_MONTHS, _ORDINAL, _COMPARED, _NOW, _EARLIER)
    patterns += (_ROUGHLY,)
    for pattern in patterns:
        for m in pattern.finditer(question.text):
            out.update(range(*m.span()))
    for a, b in source_lead(question.text):
        out.update(range(a, b))
    if question.pointer:
        out.update(range(*question.pointer))
    return out


def is_function(text: str) -> bool:
    return all(ch in FUNCTION_CHARS or not ch.strip() for ch in text)
