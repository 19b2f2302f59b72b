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
from .question_zh import FUNCTION_CHARS, question_chars

# A measure word or unit after 多少/几: what is counted ("多多少对" how many more pairs).
_UNIT = r"(?:个|对|条|家|座|项|次|列|年|天|名|人|所|位|艘|架|亿元|万元|元|美元)?"
_END = r"(?:呢)?\s*[？?]?\s*$"
_LEAD = re.compile(r"^\s*(?:那么|那|请问|所以)\s*")
# The particle that makes a statement a yes/no question, at its end ("…多吗？").
_PARTICLE = r"(?:吗|么)\s*[？?]?\s*$"
_ASKED_BY_PARTICLE = re.compile(_PARTICLE)
_DIFFERENCE = re.compile(rf"^(?P<a>.+?)比(?P<b>.+?)(?P<way>多|少)(?:了)?(?:多少|几){_UNIT}{_END}")
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
    m = _DIFFERENCE.match(text)
    if m:
        way = "more" if m.group("way") == "多" else "fewer"
        return _built(index, m, f"How many {way} {{a}} than {{b}}?")
    m = _SUM.match(text)
    if m:
        return _built(index, m, "How many {a} and {b} in total?")
    m = _ORDER.match(text)
    asked = m and (_ASKED_BY_PARTICLE.search(text) or "是否" in text)
    if asked and not _TIME.search(m.group("b")):
        return _built(index, m, f"Was {{a}} {_ORDER_WORDS[m.group('way')]} than {{b}}?")
    m = _THAN.match(text)
    if m and (m.group("whether") or _ASKED_BY_PARTICLE.search(text)):
        return _built(index, m, f"Is {{a}} {_THAN_WORDS[m.group('way')]} than {{b}}?")
    if _POLAR.search(text) and not _ASKING.search(text):
        claim = _claim(index, text)
        return f"Is it true that {claim}?" if claim else UNREAD
    return None


# A yes/no statement whose wording the English claim cannot carry: no span answers it either.
UNREAD = ""


# A statement asked about: "…吗？", "是不是…", "有没有…", "是否…" (with no question word of its own:
# "哪个…吗" asks which)
_POLAR = re.compile(rf"{_PARTICLE}|是不是|有没有|是否")
_ASKING = re.compile(
    r"多少|几|哪|什么|谁|何时|怎么|为什么|啥|多大|多久|多长|如何|怎样"
    # a request put as a yes/no question: "你能告诉我…吗", "能介绍一下…吗"
    r"|知道|告诉|介绍|说说|讲讲|谈谈|解释|请问"
)
# A bound on a number, as Chinese puts it before or after the number.
_MORE = re.compile(r"(?:超过|多于|高于|大于|逾|超出)\s*(\d[\d,.]*)|(\d[\d,.]*)\s*(?:多|余|以上)")
_FEWER = re.compile(r"(?:不到|少于|低于|小于|不足)\s*(\d[\d,.]*)|(\d[\d,.]*)\s*以下")
_PERCENT = re.compile(r"(\d[\d.]*)\s*%|百分之\s*(\d[\d.]*)")
_DAY = re.compile(r"(\d{1,2})\s*[日号]")
_NUMBERS = re.compile(r"\d[\d,.]*\s*(?:%|个|家|条|对|座|项|次|名|人|所|位|艘|架)?")
# What the English claim cannot carry yet, so a yes/no statement with it is left alone: a
# negation (没有关闭: a No for a Yes), a Chinese numeral or 亿/万 (三百, 55亿), an edition (第14
# 个), a rank (最小, 唯一), a date asked for (日期, 时间).
_UNREAD = re.compile(r"[不没未无非]|[一二三四五六七八九十百千万亿两零〇]|第|最|唯一|日期|时间|哪天")
_BOUNDS = re.compile(r"不到|不足|不超过")
# Characters that only carry grammar around what the claim says.
_GRAMMAR = FUNCTION_CHARS | set("的了是在有和与及对把被从向于为吗呢吧啊么也又已曾经到过将会")


def _claim(index: Index, text: str) -> str:
    """The statement of a yes/no question in the documents' English: its phrases as matched
    (`crosslingual.render`), then its numbers with their bounds and units, then its date."""
    body = re.sub(r"(?:吗|么|呢)?\s*[？?]?\s*$", "", text)
    body = body.replace("是不是", "是").replace("有没有", "有").replace("是否", "")
    if _UNREAD.search(_BOUNDS.sub(" ", body)):
        return ""  # a negation, a Chinese numeral, an edition, a rank: not put in English yet
    rendering = render(index, body)
    if not rendering.matches:
        return ""
    covered = {i for m in rendering.matches for i in range(m.start, m.end)}
    covered |= question_chars(rendering.zh)
    for pattern in (_MORE, _FEWER, _PERCENT, _DAY, _NUMBERS):
        covered |= {i for m in pattern.finditer(body) for i in range(*m.span())}
    for a, b, tag in _tagged(body):
        if tag.startswith("v") and not any(i in covered for i in range(a, b)):
            if not all(c in _GRAMMAR for c in body[a:b]):
                return ""  # a verb matched nothing ("已经关闭"): the claim would lose what it says
    words = [m.english for m in rendering.matches]
    numbers = []
    for m in re.finditer(r"\d[\d,.]*", body):
        n = m.group()
        if any(m.start() in range(*d.span()) for d in _DAY.finditer(body)):
            continue  # a day of a date: said with its month below
        if re.match(r"\s*(?:(?:至|到|-|~|－)\s*\d+\s*)?[年月]", body[m.end() :]):
            continue  # a year or month ("1至5月"): said below
        bound = next(
            (
                w
                for p, w in ((_MORE, "more than"), (_FEWER, "fewer than"))
                for b in p.finditer(body)
                if m.start() in range(*b.span())
            ),
            "",
        )
        percent = any(m.start() in range(*p.span()) for p in _PERCENT.finditer(body))
        numbers.append(" ".join(x for x in (bound, n + ("%" if percent else "")) if x))
    zh = rendering.zh
    day = _DAY.search(body)
    months = [mo.title() for mo in zh.months]
    when = " ".join(
        [f"{months[0]} {day.group(1)}" if months and day else " to ".join(months), *zh.years]
    ).strip()
    return " ".join([*words, *numbers, *([f"in {when}"] if when else [])])


def _built(index: Index, m: re.Match, template: str) -> str | None:
    verb = m.groupdict().get("verb") or ""
    sides = [_side(index, m.group("a") + verb), _side(index, m.group("b"))]
    if not all(sides):
        return None
    return template.format(a=sides[0], b=sides[1])


def _side(index: Index, part: str) -> str:
    """One side in the documents' English, with the edition it names ("第10000列" 10,000th)."""
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
