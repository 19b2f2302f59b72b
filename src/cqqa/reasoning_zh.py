"""Chinese questions that need a step of reasoning, put as the English question the
reasoning stage reads.

Chinese compares with 比 ("A比B多多少" how many more A than B; "A比B多吗" is A more than B),
orders events with 在…之后/之前 ("A是在B之后吗" was A after B) and adds with 一共/总共 ("A和B
一共有多少" how many A and B in total). These are rules about the language: each side (A, B)
is rendered on its own by `crosslingual.render`, in the documents' words, and the English
question is built around them; the English stages then find each side's figure and work.
"""

from __future__ import annotations

import re

from .crosslingual import _tagged, render
from .index import Index
from .question_zh import CLASSIFIERS, FUNCTION_CHARS, NUMERALS, chinese_number, question_chars

# A measure word or unit after 多少/几: what is counted ("多多少对" how many more pairs).
_UNIT = r"(?:个|对|条|家|座|项|次|列|年|天|名|人|所|位|艘|架|亿元|万元|元|美元)?"
_END = r"(?:呢)?\s*[？?]?\s*$"
_LEAD = re.compile(r"^\s*(?:那么|那|请问|所以)\s*")
# The particle that makes a statement a yes/no question, at its end ("…多吗？").
_PARTICLE = r"(?:吗|么|吧)\s*[？?]?\s*$"
_ASKED_BY_PARTICLE = re.compile(_PARTICLE)
_DIFFERENCE = re.compile(
    rf"^(?P<a>.+?)比(?P<b>.+?)(?P<way>多|少)(?:出|了|出了)?(?:多少|几){_UNIT}{_END}"
)
# "A是B的几倍": how many times as many A as B
_TIMES = re.compile(rf"^(?P<a>.+?)(?:是|相当于)(?P<b>.+?)的(?:几|多少)倍{_END}")
# "平均每个B有多少A", "每个B平均有几个A": A per B on average (the measure word before B), B a
# thing, not a time
_PER = re.compile(
    rf"^(?:(?P<lead>.+?)[，,]?\s*)??(?P<mean>平均)?每"
    # 每年, 每个月, 每周, 每两年: how often, a time, not a thing the figure is shared among
    rf"(?![{NUMERALS}\d]|年|个?月|天|日|周|星期|季|小时|次)(?:一)?[{CLASSIFIERS}]?(?P<b>[^，,]+?)"
    rf"(?:平均)?(?:有|能|可以)?(?:连接|对应|分到|摊到)?(?:多少|几){_UNIT}(?P<a>[^？?]*?){_END}"
)
_SUM = re.compile(
    rf"^(?P<a>.+?)(?:和|与|加上|跟)(?P<b>.+?)(?:一共|总共|合计|加起来|共)(?:有|是)?(?:多少|几)"
    rf"{_UNIT}{_END}"
)
# "A比B多吗", "A是否比B早": a yes/no comparison (the particle or 是否 makes it a question)
_THAN = re.compile(
    r"^(?P<a>.+?)(?P<whether>是否)?比(?P<b>.+?)(?:更|还)?(?P<way>多|大|高|少|小|低|早|晚)"
    rf"(?:{_PARTICLE}|\s*[？?]?\s*$)"
)
# "A是在B之后吗", "A是在B之前开放的吗" (the verb of A after the time): was A after B
_ORDER = re.compile(
    r"^(?P<a>.+?)(?:是否)?是在(?P<b>.+?)(?P<way>之后|以后|之前|以前)(?P<verb>[\u4e00-\u9fff]{0,4}?)"
    rf"(?:的)?(?:{_PARTICLE}|\s*[？?]?\s*$)"
)
# ...of two events: "在2020年之前" is a time, a question of its own for the yes/no stage
_TIME = re.compile(r"\d+\s*[年月日号]|[一二三四五六七八九十〇零]+[年月]|[年月日号]$")
_THAN_WORDS = {
    "多": "more",
    "大": "larger",
    "高": "higher",
    "少": "less",
    "小": "smaller",
    "低": "lower",
    "早": "earlier",
    "晚": "later",
}
_ORDER_WORDS = {"之后": "later", "以后": "later", "之前": "earlier", "以前": "earlier"}


def english_reasoning(index: Index, text: str) -> str | None:
    """The English reasoning question a Chinese one asks ("How many more friendship exchange
    cities than international friendship cities?"), None when it is of no such shape, and
    UNREAD for a yes/no statement it cannot put in English (a negation, a Chinese numeral…)."""
    text = _LEAD.sub("", text.strip())
    confirm = _CONFIRM.search(text)
    if confirm:  # "…，对吧？": the statement before it, asked about (a comparison too)
        text = _HEARSAY.sub("", text[: confirm.start()]) + "吗？"
    m = _DIFFERENCE.match(text)
    if m:
        way = "more" if m.group("way") == "多" else "fewer"
        return _built(index, m, f"How many {way} {{a}} than {{b}}?")
    m = _SUM.match(text)
    if m:
        return _built(index, m, "How many {a} and {b} in total?")
    m = _TIMES.match(text)
    if m:
        return _built(index, m, "How many times as many {a} as {b}?")
    m = _PER.match(text)
    if (
        m and m.group("a").strip() and "平均" in text
    ):  # what has the A ("西部陆海新通道平均每个国家…") is said with it
        a, b = _side(index, (m.group("lead") or "") + m.group("a")), _side(index, m.group("b"))
        return f"How many {a} per {b} on average?" if a and b else None
    m = _ORDER.match(text)
    asked = m and (_ASKED_BY_PARTICLE.search(text) or "是否" in text)
    if asked and not _TIME.search(m.group("b")):
        return _built(index, m, f"Was {{a}} {_ORDER_WORDS[m.group('way')]} than {{b}}?")
    m = _THAN.match(text)
    if m and (m.group("whether") or _ASKED_BY_PARTICLE.search(text)):
        return _built(index, m, f"Is {{a}} {_THAN_WORDS[m.group('way')]} than {{b}}?")
    if _POLAR.search(text) and not _ASKING.search(text):
        claim = _claim(index, _HEARSAY.sub("", text))
        return f"Is it true that {claim}?" if claim else UNREAD
    return None


# A yes/no statement whose wording the English claim cannot carry: no span answers it either.
UNREAD = ""


# A statement asked about: "…吗？", "是不是…", "有没有…", "是否…" (with no question word of its own:
# "哪个…吗" asks which), or a statement followed by a request to confirm it ("…，对吧？").
_POLAR = re.compile(rf"{_PARTICLE}|是不是|有没有|是否")
_CONFIRM = re.compile(
    r"[，,]\s*(?:是这样吗|是吗|是吧|对吗|对吧|对么|对不对|是不是|没错吧|没错吗|是真的吗|真的吗)"
    r"\s*[？?]?\s*$"
)
# What the asker heard, put before the statement: no part of it ("听说…，是这样吗？").
_HEARSAY = re.compile(r"^(?:我)?(?:听说|据说|有人说|据报道|据了解)[，,]?\s*")
_ASKING = re.compile(
    r"多少|几|哪|什么|谁|何时|怎么|为什么|啥|多大|多久|多长|如何|怎样"
    # a request put as a yes/no question: "你能告诉我…吗", "能介绍一下…吗"
    r"|知道|告诉|介绍|说说|讲讲|谈谈|解释|请问"
)
# A bound on a number, as Chinese puts it before or after the number.
_MORE = re.compile(
    rf"(?:超过|多于|高于|大于|逾|超出|突破)\s*了?\s*(\d[\d,.]*)|(\d[\d,.]*)\s*[{CLASSIFIERS}]?\s*(?:多|余|以上)"
)
_FEWER = re.compile(
    rf"(?:不到|(?<!不)少于|(?<!不)低于|小于|不足)\s*(\d[\d,.]*)|(\d[\d,.]*)\s*[{CLASSIFIERS}]?\s*以下"
)
# A bound that takes the number itself in ("at least 108" of 108), which the English claim
# cannot say yet, and a number said roughly ("近13%", "13%左右", "上千"): such statements are
# left alone.
_AT_LEAST = re.compile(
    r"(?:至少|起码|不少于|不低于|达到|达)\s*(?:有|是|为)?\s*\d|\d[\d,.]*\s*\S?及以上|有没有\s*\d"
)
_ROUGHLY = re.compile(
    r"近|约|左右|将近|上下|接近|差不多|大概|大约|上千|上万|上百|数千|数百|数万|几百|几千|几万|多达"
)
_PERCENT = re.compile(r"(\d[\d.]*)\s*%|百分之\s*(\d[\d.]*)")
_DAY = re.compile(r"(\d{1,2})\s*[日号]")
_NUMBERS = re.compile(r"\d[\d,.]*\s*(?:%|个|家|条|对|座|项|次|名|人|所|位|艘|架)?")
# Measure words that are an English unit of their own (52对 52 pairs)
_UNIT_WORDS = {"对": "pairs", "天": "days", "周": "weeks"}
_EDITION = re.compile(rf"第\s*(\d+)\s*[{CLASSIFIERS}]?")
# A number with its multiplier and currency: 3000亿元 (300 billion CNY), 55亿美元 (US$5.5 billion)
_AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(亿|万)?\s*(美元|人民币|元)?")
# A number written wrong ("1..2亿", "1.0.8", ".5亿"): no figure to check
_MALFORMED = re.compile(r"\d\.\.|\.\.\d|\d\.\d+\.\d|(?<![\d.])\.\d")
# Chinese numerals, written out (三百, 一百二十, 第十三), as digits before the claim is read;
# only where they count (a measure word, a unit or a bound follows, or 第 precedes): the 一 of
# 一带一路 or 唯一 is no number.
_SPELLED = re.compile(rf"[{NUMERALS}]+")
_COUNTED_AFTER = re.compile(rf"\s*(?:[{CLASSIFIERS}]|年|月|天|%|多|余|以上|以下|亿|万|元|美元)")
# What the English claim cannot carry yet, so a yes/no statement with it is left alone: a
# negation the words below do not read (难道, 不是…吗 asks for a Yes), a Chinese numeral that
# counts nothing, a rank without its English (最早), a date asked for (日期, 时间).
_UNREAD = re.compile(rf"[不没未无非]|[{NUMERALS}]|第|最|唯一|日期|时间|哪天|难道")
# 比 compares; 同比 / 环比 and 比去年同期 say "on the year before", the way a change is told
_COMPARED = re.compile(r"(?<![同环])比(?!去年|上年|上一年|同期)")
_YEAR_ON_YEAR = re.compile(r"比(?:去年|上年|上一年)?同期|比(?:去年|上年|上一年)")
# Before or after a time (在6月23日之后), and how often (每月, 每年): what the claim cannot say.
_TIME_WORDS = re.compile(r"之前|之后|以前|以后|前后|每月|每个月|每周|每天|每日|每季")
_NEGATION = re.compile(r"没有|没|未|不(?!断|仅|同|少)")
_RHETORICAL = re.compile(r"^(?:难道|不是)|不是.*(?:吗|么)\s*[？?]?\s*$")
_BOUNDS = re.compile(r"不到|不足|不超过")
# Words the claim puts in English itself, as jieba cuts them: a negation ("not": the English
# stage then answers No when the sentence says it), a change, an opening or a departure (the
# English stage knows each one's opposite: rose/fell, opened/closed, departed/arrived), a rank.
_NEGATORS = frozenset(
    "不 没 没有 未 并未 尚未 还没 还没有 还未 并不 并没有 从未 从没 从没有 未曾 不曾".split()
)
_WORDS = {
    **dict.fromkeys("增长 增加 上升 提高 上涨 增 涨".split(), "increased"),
    **dict.fromkeys("下降 减少 降低 下跌 下滑 回落 降 跌".split(), "decreased"),
    **dict.fromkeys("开馆 开业 开幕 开通 开放".split(), "opened"),
    **dict.fromkeys("关闭 关停 闭馆 停运 停业".split(), "closed"),
    **dict.fromkeys("发车 出发 开出 驶出 始发 驶离".split(), "departed"),
    **dict.fromkeys("抵达 到达 驶达".split(), "arrived"),
    **dict.fromkeys("批准 获批".split(), "approved"),
    **dict.fromkeys("拒绝 否决 驳回".split(), "rejected"),
    "最大": "largest",
    "最小": "smallest",
    "最高": "highest",
    "最低": "lowest",
    "唯一": "the only",
    "新": "new",
    "每年": "annually",
}
# Characters that only carry grammar around what the claim says (驻: stationed in, of a
# mission), and verbs that only carry what follows them (开展交流: exchanges; 连到, 达到, 拥有:
# the figure reached or had, which the claim says).
_GRAMMAR = FUNCTION_CHARS | set("的了是在有和与及对把被从向于为吗呢吧啊么也又已曾经到过将会驻")
_LIGHT_VERBS = frozenset("开展 进行 实现 拥有 共有 连 连到".split())
# Adverbs that change nothing a sentence could say otherwise (已经 already, 正式 officially).
_ASIDES = frozenset("已经 已 还 都 也 正式 目前 现在 如今 一共 总共 共".split())
# jieba's tags of nouns that may stand in a compound the rendering matched only in part.
_NOUN_TAGS = frozenset("n vn ns nz".split())
_DIRECTIONS = {"东": "east", "西": "west", "南": "south", "北": "north"}


def _other_direction(chinese: str, english: str) -> bool:
    """A direction said in Chinese (东部) matched to an English phrase of another ("western")."""
    said = {e for z, e in _DIRECTIONS.items() if z in chinese}
    named = {e for e in _DIRECTIONS.values() if re.search(rf"\b{e}", english.lower())}
    return bool(named) and named != said


def _one_of_pair(chinese: str, english: str) -> bool:
    """出口 (export) matched as "import and export": one of a pair named together."""
    english = english.lower()
    if "进出口" in chinese or "import and export" not in english:
        return False
    return "出口" in chinese or "进口" in chinese


# Two digit characters side by side: a rough count (一两个 one or two, 三四家, 两三百, 七八十) or
# no number at all (一一); a year written digit by digit (二〇二二年) is read by `parse_zh`.
_ROUGH_RUN = re.compile(r"[一二两三四五六七八九〇零]{2}")


def _arabic(text: str) -> str:
    """Counting Chinese numerals as digits: 三百个 -> 300个, 第十三 -> 第13, 三千亿 -> 3000亿."""

    def digits(m: re.Match) -> str:
        run, after, before = m.group(), text[m.end() :], text[: m.start()]
        if _ROUGH_RUN.search(run) or re.search(r"[上数几好近唯统逐同万]$", before):
            return run  # 一两个, 三四家, 七八十: a rough count; 上千, 唯一, 统一: no number
        if before.endswith("第"):
            value = chinese_number(run)
            return str(value) if value else run
        multiplier = run[-1] if run[-1] in "亿万" and len(run) > 1 else ""
        if re.search("[亿万]", run[: len(run) - len(multiplier)]):
            return run  # 五亿五千万: left as written (declined below)
        value = chinese_number(run[: len(run) - len(multiplier)])
        if (
            not value
            or (value == 1 and not multiplier)
            or not (multiplier or _COUNTED_AFTER.match(after))
        ):
            return run
        return f"{value}{multiplier}"

    return _SPELLED.sub(digits, text)


def _amount(m: re.Match) -> str:
    """A number with its multiplier and currency in English: 3000亿元 -> 300 billion CNY."""
    number, multiplier, currency = m.group(1), m.group(2), m.group(3)
    value = float(number.replace(",", ""))
    if multiplier == "亿":
        number = f"{value / 10:g} billion"
    elif multiplier == "万":
        number = f"{value * 10_000:,.0f}"
    if currency == "美元":
        return f"US${number}"
    return f"{number} CNY" if currency else number


def _claim(index: Index, text: str) -> str:
    """The statement of a yes/no question in the documents' English: its phrases as matched
    (`crosslingual.render`), the words it negates, changes or ranks with, its editions, then
    its numbers with their bounds, multipliers and currencies, then its date."""
    if _RHETORICAL.search(text):
        return ""  # "不是…吗？" asks for a Yes of the statement without 不是
    body = re.sub(r"(?:吗|么|呢|吧)?\s*[？?]?\s*$", "", _arabic(text))
    if _AT_LEAST.search(body) or _ROUGHLY.search(body) or _MALFORMED.search(body):
        return ""  # "有没有108条", "近13%", "1..2亿": not put in English yet
    if _COMPARED.search(body) or _TIME_WORDS.search(body):
        return ""  # a comparison (比), before or after a time, how often: not in English yet
    if len(_NEGATION.findall(_BOUNDS.sub(" ", body))) > 1:
        return ""  # "没有没有", "不是没有": a double turn
    body = body.replace("是不是", "是").replace("有没有", "有").replace("是否", "")
    body = _YEAR_ON_YEAR.sub(lambda m: " " * len(m.group()), body)  # the change's own baseline
    tagged = _tagged(body)
    own = [(a, b) for a, b, _ in tagged if body[a:b] in _WORDS or body[a:b] in _NEGATORS]
    # a number is said with its bound, multiplier and currency below, never as a phrase matched
    amounts = [m.span() for p in (_MORE, _FEWER, _AMOUNT) for m in p.finditer(body)]
    rendering = render(index, body)
    # a phrase matched with the word's own English in it ("引进的新": "new") says it already
    own = [
        (a, b)
        for a, b in own
        if not any(
            m.start <= a and b <= m.end and _WORDS.get(body[a:b], "\0") in m.english.lower()
            for m in rendering.matches
        )
    ]
    matches = [
        m
        for m in rendering.matches
        if not any(a < m.end and m.start < b for a, b in (*own, *amounts))
    ]
    if not matches:
        return ""
    covered = {i for m in matches for i in range(m.start, m.end)}
    covered |= {i for a, b in own for i in range(a, b)}
    covered |= question_chars(rendering.zh)
    for pattern in (_MORE, _FEWER, _PERCENT, _DAY, _NUMBERS, _EDITION, _AMOUNT, _BOUNDS):
        covered |= {i for m in pattern.finditer(body) for i in range(*m.span())}
    if _UNREAD.search("".join(c if i not in covered else " " for i, c in enumerate(body))):
        return ""  # a negation, a numeral or a rank the words above do not read
    for a, b, tag in tagged:
        word = body[a:b]
        if any(i in covered for i in range(a, b)) or not re.search(r"[\u4e00-\u9fff]", word):
            continue
        if word in _LIGHT_VERBS or word in _ASIDES or all(c in _GRAMMAR for c in word):
            continue
        if tag in _NOUN_TAGS and (a - 1 in covered or b in covered):
            continue  # part of a compound the rest of which matched (物流枢纽园区, 中欧班列)
        return ""  # a word matched nothing ("已经关停", "之前", "下旬"): the claim would lose it
    if any(
        _other_direction(body[m.start : m.end], m.english)
        or _one_of_pair(body[max(0, m.start - 1) : m.end], m.english)
        for m in matches
    ):
        return ""  # 东部 matched as "western": the nearest phrase, not what it says
    # in the order the statement says them: "not" before what it denies, a number before
    # what it counts ("more than 300 countries", never a bare 300 that any count would meet)
    negations = sum(body[a:b] in _NEGATORS for a, b in own)
    if negations > 1 or (negations and re.search(r"\d", body)):
        return ""  # "是否没有超过100个": Chinese answers 是 where English says No; left alone
    said = [(m.start, m.english) for m in matches]
    said += [(a, "not" if body[a:b] in _NEGATORS else _WORDS[body[a:b]]) for a, b in own]
    said += [(m.start(), f"the {_ordinal_text(int(m.group(1)))}") for m in _EDITION.finditer(body)]
    numbers = []
    for m in _AMOUNT.finditer(body):
        at = m.start()
        if any(at in range(*d.span()) for d in (*_DAY.finditer(body), *_EDITION.finditer(body))):
            continue  # a day of a date (said with its month below) or an edition (above)
        if re.match(r"\s*(?:(?:至|到|-|~|－)\s*\d+\s*)?(?:个)?[年月]", body[m.end(1) :]):
            continue  # a year, a month ("1至5月") or a number of months ("前5个月"): said below
        bounds = [
            (b.start(), w)
            for p, w in ((_MORE, "more than"), (_FEWER, "fewer than"))
            for b in p.finditer(body)
            if at in range(*b.span())
        ]
        percent = any(at in range(*p.span()) for p in _PERCENT.finditer(body))
        start, bound = bounds[0] if bounds else (at, "")
        amount = _amount(m) + ("%" if percent else "")
        unit = _UNIT_WORDS.get(body[m.end() : m.end() + 1], "")
        numbers.append((start, m.end(), " ".join(x for x in (bound, amount, unit) if x)))
    for start, end, number in numbers:
        # "港口不到300个" (fewer than 300 ports): the noun counted stands before a number that
        # nothing matched follows; in English it follows, or any count would meet the number
        before = [m for m in matches if m.end <= start]
        if before and not any(end <= m.start for m in matches):
            noun = max(before, key=lambda m: m.start)
            while prior := [m for m in before if m.end == noun.start]:
                noun = min(prior, key=lambda m: m.start)  # the whole noun: 国际友好城市
            start = noun.start - 0.5
        said.append((start, number))
    said.sort()
    zh = rendering.zh
    day = _DAY.search(body)
    months = [mo.title() for mo in zh.months]
    when = " ".join(
        [f"{months[0]} {day.group(1)}" if months and day else " to ".join(months), *zh.years]
    ).strip()
    claim = " ".join([*(w for _, w in said), *([f"in {when}"] if when else [])])
    # each number placed must read back as a figure of the claim ("Data Channel 100
    # enterprises" reads none: the claim would be checked without it)
    from .facts import extract_facts  # here: only a yes/no statement in Chinese needs it

    figures = [(f.start, f.end) for f in extract_facts(claim)]
    at = 0
    for _start, _end, number in numbers:
        at = claim.find(number, at)
        first = re.search(r"\d", number)
        digit = at + (first.start() if first else 0)
        if at < 0 or not any(a <= digit < b for a, b in figures):
            return ""
    return claim


def _built(index: Index, m: re.Match, template: str) -> str | None:
    verb = m.groupdict().get("verb") or ""
    sides = [_side(index, m.group("a") + verb), _side(index, m.group("b"))]
    if not all(sides):
        return None
    return template.format(a=sides[0], b=sides[1])


def _side(index: Index, part: str) -> str:
    """One side in the documents' English, with the edition it names ("第10000列" 10,000th)."""
    # "港口数量", "航线数": the number of the things is what the side's figure counts anyway
    part = re.sub(r"(?:的)?(?:数量|数目|总数|个数|数)$", "", part.strip(" ，,的"))
    rendering = render(index, part.strip(" ，,的"))
    english = rendering.english.rstrip(" ?")
    if rendering.zh.wants:  # a question word inside a side: no plain noun phrase
        return ""
    # after the phrase: "than the 10,000th …" would read as a bound ("than 10,000")
    editions = [_ordinal_text(v) for v in rendering.zh.ordinals]
    return " ".join([english, *editions]).strip()


def _ordinal_text(value: int) -> str:
    """10000 -> "10,000th", 2 -> "2nd"."""
    ending = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value:,}{ending}"
