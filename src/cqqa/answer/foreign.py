"""Questions in another language than the documents (Chinese): the same stages, in English.

`crosslingual.render` turns the question into English made of the documents' words; the
retrieval fuses the multilingual ranking with the English one, the verifier and the reader
read the English rendering, and the Chinese question's own constraints (years, months,
editions, names found nowhere near) decline what the documents do not say.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import replace

from ..crosslingual import MIN_SIMILARITY, refers_back, render, still_missing
from ..crosslingual import passages as fused_passages
from ..index import Index
from ..lexicon import ORDINAL_WORD_OF
from ..question import MONTHS, parse
from ..reasoning_zh import UNREAD, english_reasoning
from ..records import Answer
from ..retrieve import retrieve
from ..textutil import STOPWORDS, stem
from . import answered, facts_of, gated_read
from .followup import resolve
from .numeric import timeless
from .reasoning import reason as reasoned_answer
from .sentences import scored_sentences
from .source import SOURCE_REASON, source_line
from .verify import missing_month, part_of_year


def answer_foreign(
    index: Index,
    question: str,
    history: tuple[str, ...],
    lang: str,
    k: int = 5,
    retriever: str = "hybrid",
    rrf_k: int = 60,
) -> Answer:
    _load_beside(index)
    followup = bool(history) and refers_back(question)
    renderings = {h: render(index, h) for h in history if _foreign(h)}
    english_history = tuple(renderings[h].english if h in renderings else h for h in history)
    before = ""
    if followup:  # "那国家和地区呢？" asks what the turn before asked, of something else
        last = history[-1]
        before = renderings[last].question.wants if last in renderings else parse(last).wants
    rendering = render(index, question, wants=before, followup=followup)
    if history and not followup and _leans_on_context(rendering):
        followup = True  # "从哪个园区发的车？": Chinese leaves out what it already talks about
    query, asked, context = resolve(rendering.english, english_history, followup=followup)
    zh = rendering.question
    asked = replace(
        asked,
        wants=zh.wants or asked.wants,
        years=zh.years or (asked.years if followup else ()),
        months=zh.months or (asked.months if followup else ()),
        quarter=zh.quarter,
        target=zh.target or asked.target,
        head=zh.head or asked.head,  # the noun the Chinese asks about (render's head)
    )
    vector = _loaded(index).encoder.encode([query])
    english_passages = retrieve(
        index, query, k=max(k, 10), mode=retriever, rrf_k=rrf_k, vector=vector
    )
    passages = fused_passages(index, rendering, english_passages, k, rrf_k)
    facts = facts_of(index, passages)

    def declined(reason: str) -> Answer:
        return answered(question, history, None, passages, facts, query, reason, lang)

    if lang != "zh":  # the question words of other languages are not in a table yet
        return declined("only English and Chinese questions are read")
    source = _source_line(index, rendering, passages)
    if source is not None:  # "这篇报道出自哪家媒体？": the document's own "Source:" line
        return answered(question, history, source, passages, facts, query, SOURCE_REASON, lang)
    short = _abbreviated(index, rendering)
    if short is not None:  # "X的英文简称是什么": the letters the documents define for X
        return answered(question, history, short[0], passages, facts, query, short[1], lang)
    if not followup and not _about_documents(rendering):
        return declined("nothing in the documents is about this question")
    sentences = scored_sentences(index, vector[0], asked, passages)
    missing = still_missing(rendering, _passage_sentences(index, passages))
    if missing:
        return declined(f"the documents never mention {', '.join(missing)}")
    reasoned = english_reasoning(index, question) if not followup else None
    if reasoned == UNREAD:  # "是否已经关闭": a yes/no statement no span answers either
        return declined("this yes/no question's wording is not read yet, so it is not checked")
    if reasoned is not None:  # "A比B多多少": the English reasoning stage, on each side's figure
        derived = reasoned_answer(
            index, reasoned, parse(reasoned), context, query, passages, sentences
        )
        if derived is not None:
            span, why = derived
            return answered(question, history, span, passages, facts, query, why, lang)
    # each rule below reads `sentences` best first, the order scored_sentences returns
    rules = (
        _only_one,
        _related_name,
        _named_example,
        _which_place,
        _origin,
        _of_which,
        _named_kind,
        _listed,
        _standing,
    )
    # a name the question itself says is no answer ("除了缅甸以外，…哪个国家": not Myanmar)
    found = (rule(index, rendering, sentences) for rule in rules)
    related = next((r for r in found if r is not None and not _repeats(rendering, r[0])), None)
    if related is not None:  # "跟新加坡有关的是哪个？": the name that says Singapore
        span, reason = related
        # Read without the verifier: the year and month asked must be its sentence's.
        problem = _when_missing(index, rendering, span) or (
            "" if followup else _name_unsaid(index, rendering, span)
        )
        if problem:
            span, reason = None, problem
    else:
        span, reason = gated_read(index, asked, context, query, passages, sentences)
        if span is not None:
            span = _with_head(index, rendering, span)
    if span is not None:
        problem = (
            _edition_missing(index, rendering, span)
            or _part_of_year(index, rendering, span)
            or _role_missing(index, rendering, span)
            or _no_time(rendering, span)
            or _no_rate(index, rendering, span)
            or _contrast(index, rendering, span)
        )
        if problem:
            span, reason = None, problem
    return answered(question, history, span, passages, facts, query, reason, lang)


def _load_beside(index: Index) -> None:
    """On a cold foreign question, load the English encoder and the reader's ONNX session in
    another thread: onnxruntime builds a session without holding the GIL, while this thread
    loads USE and jieba (Python, holding it). About 0.3 s less on a cold `cqqa ask` here.
    One thread per index; `_loaded` waits for it before this thread touches the encoder."""
    if "encoder" in index.__dict__ or index in _LOADERS:  # warm, or already loading
        return
    import atexit
    import threading

    from .extract import reader

    model = reader()  # made here, so that both threads use the one reader

    def load() -> None:
        try:
            index.encoder  # noqa: B018 - a cached_property, filled in by this thread alone
            model.session  # noqa: B018
        except Exception:  # noqa: BLE001 - the answer loads them again and says what failed
            pass

    thread = threading.Thread(target=load, name="cqqa-load", daemon=True)
    _LOADERS[index] = thread
    thread.start()
    # A question declined before the reader is needed must not leave onnxruntime building
    # a session while the interpreter shuts down (it aborts the process): wait for it.
    atexit.register(thread.join, LOAD_WAIT_S)


def _loaded(index: Index) -> Index:
    """The index once the loading thread is done with its encoder (never two loads)."""
    thread = _LOADERS.get(index)
    if thread is not None:
        thread.join(LOAD_WAIT_S)
    return index


LOAD_WAIT_S = 120.0  # a model that takes longer to load is loaded again by the answer
_LOADERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# "和X有关的(那个)是哪个 / 叫什么": the name (in the documents' English) that speaks of X.
_RELATED = re.compile(r"(?:和|跟|与|同)(.{1,12}?)(?:有关|相关)的")
# A name in English: capitalised words, joined by a few small words ("China Center for
# Poverty Reduction and Development Cooperation in South Asia"), never by "and the".
_NAME_RUN = re.compile(
    r"(?:[A-Z][\w’'-]*|\((?:[A-Z][\w’'-]*)\)-?[\w’'-]*)"
    r"(?:\s+(?:(?:of|for|in|on|and(?!\s+the\b))\s+)?(?:[A-Z][\w’'-]*|\([A-Z][\w’'-]*\)[\w’'-]*))*"
)
MAX_NAME_WORDS = 14


def _related_name(index: Index, rendering, sentences):
    """(span, reason) for "which one is about X" when a name in the best scored sentences says
    X's English (as matched from the question); None when the question is not of that form."""
    from ..records import AnswerSpan

    zh = rendering.zh
    m = _RELATED.search(zh.text)
    if not m or zh.wants not in ("what", "who"):
        return None
    inside = [x for x in rendering.matches if m.start(1) <= x.start and x.end <= m.end(1)]
    if not inside:
        return None
    about = inside[0].english
    if "中" not in zh.text[inside[0].start : inside[0].end]:
        about = re.sub(r"^(?:China|Sino|Chinese)[-–—]", "", about)  # 新加坡: Singapore alone
    said = re.compile(rf"\b{re.escape(about)}\b", re.I)
    for sentence in sentences:
        text = index.documents[sentence.doc].text
        for run in _NAME_RUN.finditer(text, sentence.start, sentence.end):
            start, end = run.span()
            if text.startswith("The ", start):
                start += 4
            name = text[start:end]
            if end > sentence.end or not said.search(name) or name.lower() == about.lower():
                continue  # X itself is not the name that speaks of it
            if len(name.split()) > MAX_NAME_WORDS:
                continue
            span = AnswerSpan(name, sentence.doc, start, end, "entity")
            return span, f"the name in the passages that speaks of {about}"
    return None


# Where the text itself came from: "这篇报道出自哪家媒体", "文章的来源是什么", "本文转载自哪里".
_THE_TEXT = r"(?:这篇|本篇|该篇|此篇|本文|全文|原文|文章|报道|新闻|稿件|消息|这则|本则)"
_SOURCE_ASKED = re.compile(
    # the text's own verb of origin, then the question word: "这篇报道出自哪里", "本文转载自何处"
    rf"{_THE_TEXT}(?:是|最初|原|原本|最早|最初是)?(?:出自|来自|源自|转载自|转自|刊登在|刊登于|刊发在"
    r"|发表在|发表于)"
    r"(?:于)?(?:哪|什么|何)"
    # or its source as a noun: "文章的来源是什么", "这篇新闻的出处"
    # (or a search-box query: "这篇报道 来源")
    rf"|{_THE_TEXT}的?\s*(?:来源|出处)"
    # or which outlet, of the text itself: "这篇报道是哪家媒体的" (not "哪个电视台报道了这个通道")
    rf"|{_THE_TEXT}.*(?:哪家|哪个|什么|哪一家)(?:媒体|报纸|报社|报刊|网站|杂志|刊物|通讯社|出版物)"
    rf"|(?:哪家|哪个|什么|哪一家)(?:媒体|报纸|报社|报刊|网站|杂志|刊物|通讯社|出版物).*{_THE_TEXT}"
)


def _source_line(index: Index, rendering, passages):
    """The document's own "Source:" line when the question asks where the text comes from."""
    if not _SOURCE_ASKED.search(rendering.zh.text):
        return None
    return source_line(index, passages)


# "英文简称 / 缩写是什么" asks for the letters English shortens a name to; "RCEP的全称" or
# "RCEP是什么的缩写" for the name the letters stand for.
_SHORT_ASKED = re.compile(r"(?:英文|英语)?(?:简称|缩写|缩略语|缩略词|首字母缩写)")
_FULL_ASKED = re.compile(r"全称|全名|代表什么|是什么的(?:英文)?(?:简称|缩写)")
_LETTERS = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z&]{1,9}(?![A-Za-z])")
_CLAUSE = re.compile(r"[^，,。？?！!；;：:、\s“”\"]+")
# A Chinese name and the English name a definition spells out are this close (cosine, USE):
# 区域全面经济伙伴关系协定 ~ "Regional Comprehensive Economic Partnership Agreement" 0.88, the
# clause with its subject (重庆对接的…) 0.73; another agreement of the same words 0.6.
DEFINED_SIMILARITY = 0.7


def _abbreviated(index: Index, rendering):
    """(span, reason) for "X的英文简称是什么" (the letters a document defines for the name
    closest to X) or "RCEP的全称是什么" (the name the letters stand for); None otherwise."""
    from ..crosslingual import _vectors
    from .acronym import _DEFINITIONS
    from .extract import span_at

    text = rendering.zh.text
    full, short = _FULL_ASKED.search(text), _SHORT_ASKED.search(text)
    if not full and not short:
        return None
    defined = _DEFINITIONS(index)
    if not defined:
        return None
    letters = set(_LETTERS.findall(text))
    for d in defined:
        if d.letters in letters:  # the letters are asked about: what they stand for
            span = span_at(index, d.doc, d.start, d.end, "entity")
            return span, f"the documents write {d.letters} for {span.text}"
    if not short or full:
        return None
    rest = text[: short.start()] + " " + text[short.end() :]
    pieces = []
    for clause in _CLAUSE.findall(rest):
        clause = re.sub(r"(?:是|为|叫)?(?:什么|啥|多少)$|的$", "", clause)
        pieces += [clause, clause.split("的")[-1]]
    pieces = [p for p in dict.fromkeys(pieces) if len(p) >= 2]
    if not pieces:
        return None
    names = {d: index.documents[d.doc].text[d.start : d.end] for d in defined}
    vectors = _vectors([*pieces, *names.values()], rendering.table)
    best, close = None, DEFINED_SIMILARITY
    for d, name in names.items():
        similarity = max(float(vectors[p] @ vectors[name]) for p in pieces)
        if similarity >= close:
            best, close = d, similarity
    if best is None:
        return None
    span = span_at(index, best.doc, best.at, best.at + len(best.letters), "entity")
    return span, f"the documents write {best.letters} for {names[best]}"


# "哪家知名企业 / 有哪些比较有名的 / 比如哪个": one of them by name, an example.
_EXAMPLE_ASKED = re.compile(r"有名|知名|著名|出名|代表性|典型|比如|例如|举例|举个例子")
# Where English names an example of what it has just counted or listed.
_EXAMPLE_SAID = re.compile(
    r"\b(?:including|such as|for example|for instance|e\.g\.,?|notably|among them)\s+(?:the\s+)?",
    re.I,
)


def _named_example(index: Index, rendering, sentences):
    """(span, reason) for "which well-known one is there": the name English gives as an
    example ("more than 50 enterprises, including CapitaLand Group") in the best scored
    sentence that says what the question is about; None when the question is not of that
    form or no sentence names one."""
    from ..records import AnswerSpan

    zh = rendering.zh
    if zh.wants not in ("what", "who") or not _EXAMPLE_ASKED.search(zh.text):
        return None
    about = [m.english for m in rendering.matches if zh.target_start <= m.start] or [
        m.english for m in rendering.matches
    ]
    for sentence in sentences:
        text = index.documents[sentence.doc].text
        for said in _EXAMPLE_SAID.finditer(text, sentence.start, sentence.end):
            before = text[sentence.start : said.start()].lower()
            if about and not any(_said_in(a, before) for a in about):
                continue  # an example of something else
            run = _NAME_RUN.match(text, said.end())
            if not run or run.end() > sentence.end or len(run.group().split()) > MAX_NAME_WORDS:
                continue
            span = AnswerSpan(run.group(), sentence.doc, run.start(), run.end(), "entity")
            return span, "the example the passages name"
    return None


# What kind of named thing a noun ends in, and the word an English name of that kind ends in:
# 什么活动周 asks for a "... Week", 哪个论坛 a "... Forum" (a rule about how names are made).
NAME_HEADS = {
    "周": ("Week",),
    "论坛": ("Forum",),
    "峰会": ("Summit",),
    "博览会": ("Fair", "Expo", "Exhibition"),
    "交易会": ("Fair",),
    "展会": ("Fair", "Expo", "Exhibition"),
    "中心": ("Center", "Centre"),
    "联盟": ("Alliance", "League"),
    "法院": ("Court",),
    "平台": ("Platform",),
    "示范": ("Demonstration",),
    "示范区": ("Demonstration Zone", "Demonstration Area", "Demonstration"),
    "协定": ("Agreement",),
    "协议": ("Agreement",),
    "园区": ("Park",),
    "集团": ("Group",),
    "大学": ("University",),
    "通道": ("Channel", "Corridor"),
    "组织": ("Organization", "Organisation"),
    "城": ("City",),  # 科学城 "Science City"
    # 活动 (an event) is named by what kind of event it is: "… Week", "… Forum", "… Festival".
    "活动": ("Week", "Forum", "Festival", "Fair", "Expo", "Conference", "Summit", "Exhibition"),
}
_HEADS = sorted(NAME_HEADS, key=len, reverse=True)


def _named_kind(index: Index, rendering, sentences):
    """(span, reason) for "什么活动周 / 哪个论坛": the name in the best scored sentences that
    ends in the English of that kind of thing ("Global Education Exchange Week"); None when
    the noun asked about names no such kind, or no sentence has one."""
    from ..records import AnswerSpan

    zh = rendering.zh
    if zh.wants != "what" or zh.target_start < 0:
        return None
    if zh.asked_span is None:
        # A search-box query for a name ("高新区 科学城 名称"): the noun before 名称.
        if not zh.kind_span or not _NAME_NOUN.fullmatch(zh.text[slice(*zh.kind_span)]):
            return None
        end = len(zh.text[: zh.kind_span[0]].rstrip(" 的"))
    elif zh.target_start < zh.asked_span[1]:
        return None  # the noun must follow the question word: 什么X, 哪个X
    else:
        end = _noun_end(zh)
    if end < 0:
        return None
    head = next((h for h in _HEADS if zh.text.startswith(h, end - len(h))), None)
    if head is None:
        return None
    heads = NAME_HEADS[head]
    # The words the question says of the thing ("教育交流活动": Education, Exchange): of the
    # names of that kind in a sentence, the one that says most of them is meant.
    said = {
        w.lower()
        for m in rendering.matches
        if m.start < end and m.end > end - len(head) - MAX_KIND_WORDS
        for w in m.english.split()
    }
    for sentence in sentences[:NAMED_KIND_SENTENCES]:
        text = index.documents[sentence.doc].text
        found = []
        for run in _NAME_RUN.finditer(text, sentence.start, sentence.end):
            start, stop = run.span()
            if text.startswith("The ", start):
                start += 4
            if stop > sentence.end or len(text[start:stop].split()) > MAX_NAME_WORDS:
                continue
            # The name up to its kind: "… Green Development Demonstration" of "… Demonstration
            # in Guangyang Bay Area".
            ends = [m.end() for h in heads for m in re.finditer(rf" {h}\b", text[start:stop])]
            if ends:
                stop = start + max(ends)
                words = {w.lower() for w in re.findall(r"[\w’'-]+", text[start:stop])}
                found.append((-len(words & said), len(found), start, stop))
        if found:
            _, _, start, stop = min(found)
            span = AnswerSpan(text[start:stop], sentence.doc, start, stop, "entity")
            return span, f"the {heads[0]} the passages name"
    return None


MAX_KIND_WORDS = 6  # how far before its kind the words said of a named thing are looked for
_NAME_NOUN = re.compile(r"名称|名字|全称|叫什么")


def _noun_end(zh) -> int:
    """Where the noun asked about ends: the word after the question word and the nouns joined
    to it, up to a verb ("哪个区|参加…论坛" asks for a district, not a forum); -1 if none."""
    return _noun_run_end(zh.text, zh.target_start)


# An aspect particle (了, 着, 过) makes the word before it a verb, even one jieba tags as a
# verb's noun ("二期|投用了": 投用 is put into use, not part of the noun).
_ASPECT_TAGS = ("ul", "uz", "ug")


def _noun_run_end(text: str, start: int) -> int:
    """Where the nouns from `start` on end: at the first verb, particle or word that is no
    Han word; -1 if none (or without a tagger)."""
    from ..crosslingual import _tagged

    tagged = _tagged(text)
    end = -1
    for i, (a, b, tag) in enumerate(tagged):
        if b <= start:
            continue
        if a < start:
            break
        after = tagged[i + 1][2] if i + 1 < len(tagged) else ""
        # a numeral after the noun is no part of it (科学城|一起推进: jieba's 一起 is a numeral)
        verb = tag[:1] in "vpucdrm" and (tag != "vn" or after in _ASPECT_TAGS)
        if end >= 0 and verb:
            break
        if not _HAN_WORD.fullmatch(text[a:b]):
            break
        end = b
    return end


NAMED_KIND_SENTENCES = 2  # the best scored sentences a named kind is looked for in

# "从哪里发车 / 从哪儿出发 / 始发站是哪里": where something set out from, which English says
# with a verb of leaving ("departed X", "left X", "set off from X") or "from X".
_ORIGIN_ASKED = re.compile(
    r"从(?:哪里|哪儿|哪|何处|何地|什么地方)[\u3400-\u9fff]{0,3}?"
    r"(?:发车|出发|始发|启程|起飞|起航|开出|发出|驶出|离开)"
    r"|(?:始发|出发|发车)(?:地|站|点)(?:是|在)?(?:哪|什么)"
)
_LEFT_FROM = re.compile(
    r"\b(?:departed|departs|departing|left|leaves|leaving|set (?:off|out) from|started from"
    r"|starts from|sets (?:off|out) from|(?:departed|left|came|started|set out|launched) from"
    r"|from)\s+(?:the\s+)?",
    re.I,
)


def _origin(index: Index, rendering, sentences):
    """(span, reason) for "X从哪里发车的": the name after a verb of leaving ("departed
    Chongqing International Logistics Hub Park") in the best scored sentences, a verb of
    leaving before a bare "from"; None when not asked or not said."""
    from ..records import AnswerSpan

    zh = rendering.zh
    if zh.wants != "what" or not _ORIGIN_ASKED.search(zh.text):
        return None
    # The English rendering says little of a verb of leaving (发车 matched nothing): the
    # sentences closest to the Chinese question itself are read too.
    by_meaning = [int(i) for i in rendering.similarities.argsort()[::-1][:NAMED_KIND_SENTENCES]]
    spans = [(s.doc, s.start, s.end) for s in sentences]
    spans = spans[:NAMED_KIND_SENTENCES] + [index.sentences[i] for i in by_meaning]
    # "第一万列": the sentence that names the edition asked ("the 10,000th … train") is about it.
    for value in zh.ordinals:
        said = re.compile(rf"\b{value:,}(?:st|nd|rd|th)\b|\b{value}(?:st|nd|rd|th)\b")
        spans += [
            (d, a, b) for d, a, b in index.sentences if said.search(index.documents[d].text, a, b)
        ]
    found = []
    for order, (doc, first, last) in enumerate(dict.fromkeys(spans)):
        text = index.documents[doc].text
        for said in _LEFT_FROM.finditer(text, first, last):
            run = _NAME_RUN.match(text, said.end())
            if not run or run.end() > last or len(run.group().split()) > MAX_NAME_WORDS:
                continue
            if run.group().split()[0].lower() in MONTHS:
                continue  # "from January to April" is a time, no place
            bare = said.group().lower().strip() in ("from", "from the")
            found.append((bare, order, doc, run.start(), run.end()))
    if not found:
        return None
    _, _, doc, start, stop = min(found)  # a verb of leaving first, then the closer sentence
    text = index.documents[doc].text
    return AnswerSpan(text[start:stop], doc, start, stop, "entity"), (
        "the place the passages say it left from"
    )


# "哪项设施的二期" asks "the second phase of which facility": English says "the second phase
# of the X", and X is the answer.
_OF_WHICH = re.compile(
    r"(?:哪一|哪|什么)[项个座家条种类所台部]?[\u3400-\u9fff]{1,4}?的([\u3400-\u9fff]{2,6})"
)
_NOUN_PHRASE_END = (
    r"(?=\s+(?:in|at|on|for|with|by|from|to|and|or|which|that|who|has|have|is|are|was|were)\b"
    r"|[,.;:!?()\"“”]|$)"
)


def of_which_part(text: str, at: int) -> tuple[int, int] | None:
    """Where "哪项设施的二期投用了" writes the part asked of (二期): the noun after 的, up to
    its verb, as _noun_end reads a noun; None when the question is not so worded."""
    m = _OF_WHICH.match(text, at)
    if not m:
        return None
    end = _noun_run_end(text, m.start(1))
    return m.start(1), end if end > m.start(1) else m.end(1)


# "重庆是唯一的什么城市": what the text says it is the only one of ("the only municipality …")
# ...and "有什么独特的地位", "独特之处": what sets it apart, which English says with "the only"
_UNIQUE_ZH = r"(?:独特|独一无二|特殊|特别|与众不同)"
# (as a thing's standing, not before any noun: 有哪些特殊政策 asks for policies)
_ONLY_ASKED = re.compile(
    rf"唯一(?:的|一个|一座|一家)?(?:什么|哪)"
    rf"|(?:什么|哪些|何种)(?:样的)?{_UNIQUE_ZH}的?[\u3400-\u9fff]{{0,2}}?(?:地位|角色|定位|身份)"
    rf"|{_UNIQUE_ZH}(?:之处|的地方|在哪|在于)"
)


def _only_one(index: Index, rendering, sentences):
    """(span, reason) for "X是唯一的什么": the English clause after "the only"; None when not
    asked so or no close sentence says it."""
    from .clauses import unique_clause

    if not _ONLY_ASKED.search(rendering.zh.text):
        return None
    found = unique_clause(index, rendering.question, "", rendering.english.lower(), sentences)
    return found if found is not None and found[0] is not None else None


def _repeats(rendering, span) -> bool:
    """The span is only a name the question says itself (its English rendering)."""
    text = re.sub(r"^(?:the|a|an)\s+", "", span.text.strip(), flags=re.I).lower()
    return any(text == m.english.lower() for m in rendering.matches)


def _of_which(index: Index, rendering, sentences):
    """(span, reason) for "哪项设施的二期投用了": the noun phrase after "<the part's English>
    of (the)" in the best scored sentences ("the second phase of the air cargo terminal in …":
    "air cargo terminal"); None when not asked so or not said so."""
    from ..records import AnswerSpan

    zh = rendering.zh
    if zh.wants != "what" or zh.asked_span is None:
        return None
    part = of_which_part(zh.text, zh.asked_span[0])
    if part is None:
        return None
    parts = [x.english for x in rendering.matches if part[0] <= x.start and x.end <= part[1]]
    if not parts:
        return None
    for sentence in sentences[:NAMED_KIND_SENTENCES]:
        text = index.documents[sentence.doc].text
        for part in parts:
            said = re.compile(rf"\b{re.escape(part)}\s+of\s+(?:the\s+|an?\s+)?", re.I)
            for found in said.finditer(text, sentence.start, sentence.end):
                after = text[found.end() : sentence.end]
                np_ = re.match(rf"[^,.;:!?()]*?{_NOUN_PHRASE_END}", after)
                if not np_ or not np_.group().strip() or len(np_.group().split()) > MAX_NAME_WORDS:
                    continue
                start = found.end()
                stop = start + len(np_.group().rstrip())
                span = AnswerSpan(text[start:stop], sentence.doc, start, stop, "entity")
                if not _repeats(rendering, span):
                    return span, f"what the passages say the {part} is of"
    return None


# A city's or a country's name is this close (cosine, USE) to the word for its kind: Helsinki
# ~ 城市 0.39, Chongqing 0.35, Myanmar ~ 国家 0.39, Belarus 0.47; a person's or a firm's name
# at most 0.22 (John Smith 0.15, CapitaLand Group 0.22, Li Bai 0.22).
PLACE_NAME_SIMILARITY = 0.3


def _a_place(kind: str, name: str, rendering) -> bool:
    from ..crosslingual import _vectors

    word = "国家" if kind == "国" else kind
    vectors = _vectors([word, name], rendering.table)
    return float(vectors[word] @ vectors[name]) >= PLACE_NAME_SIMILARITY


# "哪个区 / 哪个城市 / 哪个国家 + verb" asks which place did it: a district's English name ends
# in its kind ("Yubei District"); a city's or a country's is a name of its own ("Helsinki").
PLACE_ASKED = {
    "新区": ("New Area",),
    "区": ("District", "Area", "Zone"),
    "县": ("County",),
    "省": ("Province",),
    "城市": (),
    "国家": (),
    "国": (),
}
_PLACE_ASKED = re.compile(
    r"(?:哪个|哪一个|哪座|哪|什么)(" + "|".join(sorted(PLACE_ASKED, key=len, reverse=True)) + ")"
    r"(?![\u3400-\u9fff]*(?:的|之)?(?:名称|名字))"
)


def _which_place(index: Index, rendering, sentences):
    """(span, reason) for "X是哪个区搭建的": the place name in the best scored sentences, of
    the kind asked and not one the question already says (the platform it quotes is no
    answer); the one first in its sentence (the doer, in English) when several are."""
    from ..crosslingual import ORGANISATION_HEADS, PLACE_KINDS
    from ..records import AnswerSpan

    zh = rendering.zh
    if zh.wants != "what" or zh.asked_span is None:
        return None
    m = _PLACE_ASKED.match(zh.text, zh.asked_span[0])
    if not m:
        return None
    suffixes = PLACE_ASKED[m.group(1)]
    if zh.text.startswith("什么", m.start()) and (
        not suffixes or zh.text[: m.start()].endswith("的")
    ):
        return None  # "是什么城市" asks what kind; "X的什么区" a part of X, not a place's name
    from ..crosslingual import _tagged

    words = _tagged(zh.text)
    if any(a < m.end() < b for a, b, _t in words):
        return None  # "什么区域": 区 is part of another word
    after = next((t for a, _b, t in words if a == m.end()), "")
    if after.startswith("n") and after != "vn":
        return None  # "哪个国家领导人": the noun goes on, the place is not what is asked
    said = {w.lower() for x in rendering.matches for w in x.english.split()}
    # Words a city's or a country's own name never ends in: kinds of things and of places.
    kinds = {w.lower() for heads in NAME_HEADS.values() for h in heads for w in h.split()}
    kinds |= {w.lower() for w in ORGANISATION_HEADS}
    kinds |= {k for ks in PLACE_KINDS.values() for k in ks}
    # A name with no kind of its own is only taken from the best sentence.
    best = NAMED_KIND_SENTENCES if suffixes else 1
    for sentence in sentences[:best]:
        text = index.documents[sentence.doc].text
        for run in _NAME_RUN.finditer(text, sentence.start, sentence.end):
            start, stop = run.span()
            if text.startswith("The ", start):
                start += 4
            name = text[start:stop]
            words = [w.lower() for w in re.findall(r"[\w’'-]+", name)]
            if stop > sentence.end or not words or set(words) <= said:
                continue  # the question's own words are not the place asked
            if words[0] in STOPWORDS or words[0] in MONTHS:
                continue  # "On July", "In": a sentence's first word, no name
            if suffixes:
                if not any(name.endswith(" " + s) for s in suffixes):
                    continue
            elif len(words) > 3 or words[-1] in kinds or not _a_place(m.group(1), name, rendering):
                continue
            span = AnswerSpan(name, sentence.doc, start, stop, "entity")
            return span, f"the place the passages name ({m.group(1)})"
    return None


# "哪些X" asks for several: English lists them after the noun ("fields such as A, B and C").
_LIST_SAID = r"\s*,?\s+(?:such as|including|like|namely|for example)\s+"
MAX_LIST_WORDS = 20


def _listed(index: Index, rendering, sentences):
    """(span, reason) for "哪些X": the list English gives after X's English in the two best
    scored sentences ("in various fields such as culture, education, … and sports"), up to
    the end of its clause; None when the question asks for no several or none is listed."""
    from ..records import AnswerSpan

    zh = rendering.zh
    if zh.wants != "what" or "哪些" not in zh.text or zh.target_start < 0:
        return None
    first = next((m for m in rendering.matches if m.start == zh.target_start), None)
    if first is None:
        return None
    said = re.compile(rf"\b{re.escape(first.english)}{_LIST_SAID}", re.I)
    for sentence in sentences[:NAMED_KIND_SENTENCES]:
        text = index.documents[sentence.doc].text
        m = said.search(text, sentence.start, sentence.end)
        if not m:
            continue
        end = m.end()
        clause = re.match(r"[^.;:!?]*", text[end : sentence.end])
        stop = end + (clause.end() if clause else 0)
        while stop > end and text[stop - 1] in " ,":
            stop -= 1
        if stop <= end or len(text[end:stop].split()) > MAX_LIST_WORDS:
            continue
        span = AnswerSpan(text[end:stop], sentence.doc, end, stop, "entity")
        return span, f"the {first.english} the passages list"
    return None


_HAN_WORD = re.compile(r"[\u3400-\u9fff]+")


def _said_in(english: str, text: str) -> bool:
    """The phrase's words are in the text, a plural or singular either way."""
    stem = re.sub(r"(es|s)$", "", english.lower())
    return bool(re.search(rf"\b{re.escape(stem)}", text))


def _leans_on_context(rendering) -> bool:
    """A question that says nothing the documents are about, though every word of it is found
    near them, has left its subject out (zero anaphora, usual in Chinese): it continues the
    conversation. One with a word found nowhere (弹钢琴) is a new question, declined."""
    if rendering.unmatched or _about_documents(rendering):
        return False
    # Every word found near the documents, or nothing but the question words ("同比涨了多少？"
    # "year on year, up by how much?"): what it is about is the turn before. Bare 几 / 多少
    # lean on nothing ("几点了？" asks the time of day, not a count of the turn before).
    return bool(rendering.matches) or rendering.zh.wants in BARE_FOLLOWUP_WANTS


BARE_FOLLOWUP_WANTS = frozenset({"percent", "date", "year", "period", "ordinal", "why"})


def _about_documents(rendering) -> bool:
    """The question as a whole is near a sentence, or two of its stretches or more are
    matched and none is missing: a short question ("渡轮每天开几班？" ferry, times a day) is
    further from any whole sentence than MIN_SIMILARITY and still about the documents."""
    if not rendering.matches:
        return False
    # A conventional term or a China-X compound matched as written (进出口 "import and
    # export", 中欧) is the documents' own words, as good as two stretches matched.
    exact = sum(2 if m.similarity >= EXACT else 1 for m in rendering.matches)
    return rendering.best >= MIN_SIMILARITY or (exact >= 2 and not rendering.unmatched)


EXACT = 0.999  # the similarity a match made by a table of the language's words is given


def _passage_sentences(index: Index, passages) -> list[str]:
    """The sentences of the retrieved passages, in their order."""
    import bisect

    out = []
    for p in passages:
        starts, ids = index.sentences_by_doc().get(p.doc, ([], []))
        for at in range(bisect.bisect_left(starts, p.start), len(starts)):
            _doc, start, end = index.sentences[ids[at]]
            if end > p.end:
                break
            out.append(index.documents[p.doc].text[start:end])
    return out


def _foreign(text: str) -> bool:
    from ..multilingual import language

    return language(text) != "en"


def _edition_missing(index: Index, rendering, span) -> str:
    """第13个 / 第三轮: the sentence of the answer must name that edition."""
    ordinals = rendering.zh.ordinals
    if not ordinals:
        return ""
    sentence = index.sentence_around(span.doc, span.start, span.end) or span.text
    lower = sentence.lower().replace(",", "")
    for value in ordinals:
        word = ORDINAL_WORD_OF.get(value)
        if re.search(rf"\b{value}(st|nd|rd|th)?\b", lower) or (word and word in lower):
            continue
        return f"the documents name no edition {value} here"
    return ""


# "X是什么地位 / 扮演什么角色 / 定位是什么": what X is, as English says it: "X is (now) the …".
_STANDING_ASKED = re.compile(
    r"(?:什么样的?|怎么样的|怎样的|什么|何种|哪种)[\u3400-\u9fff]{0,4}?(?:地位|定位|角色|身份)"
    r"|(?:地位|定位|角色|身份)(?:是|为)(?:什么|啥)"
    # a search-box query that ends in the standing asked: "重庆 西部 直辖市 地位"
    r"|(?:^|\s)(?:地位|定位|角色|身份)\s*$"
)
# "As a major city and the only X, S is …": English says what S is before it, too.
_AS_SAID = r"\bAs\s+((?:the|an|a)\s[^;:.]*?),\s+(?:the\s+)?"
_CONJUNCT = re.compile(r",?\s+and\s+(?=(?:the|an|a)\s)")
_COPULA = (
    r"(?:’s|'s)?\s+(?:is|are|was|were|remains|has become|became)\s+(?:now\s+|also\s+|still\s+)?"
)


def _standing(index: Index, rendering, sentences):
    """(span, reason) for "X是什么地位": the noun phrase after "X is (now) the/a …", or one
    of those in "As a …, X …", in the two best scored sentences, to the end of its clause: the
    one that says most of the question's other words (行政地位 in 中国西部: "the only
    municipality directly under the central government in western China"); None when not
    asked or not said so."""
    from ..records import AnswerSpan

    zh = rendering.zh
    if zh.wants not in ("what", "who") or not _STANDING_ASKED.search(zh.text):
        return None
    subjects = [m.english for m in rendering.matches if m.english[:1].isupper()]
    ranked = []  # (-words said, sentence, order, doc, start, stop, subject)
    best = sentences[:NAMED_KIND_SENTENCES]
    for rank, sentence in enumerate(best):
        text = index.documents[sentence.doc].text
        for subject in subjects:
            others = {
                stem(w.lower())
                for m in rendering.matches
                if m.english != subject
                for w in re.findall(r"[A-Za-z]+", m.english)
                if w.lower() not in STOPWORDS
            }
            found = []
            said = re.compile(rf"\b{re.escape(subject)}{_COPULA}((?:the|an|a)\s)", re.I)
            m = said.search(text, sentence.start, sentence.end)
            if m:
                start = m.start(1)
                clause = re.match(
                    r"[^.;:!?]*?(?=,\s+(?:and|which|who|while|but)\b|[.;:!?]|$)",
                    text[start : sentence.end],
                )
                found.append((start, start + (clause.end() if clause else 0)))
            m = re.compile(_AS_SAID + re.escape(subject) + r"\b").match(
                text, sentence.start, sentence.end
            )
            if m:
                at = m.start(1)
                for part in _CONJUNCT.split(m.group(1)):
                    at = text.index(part, at)
                    found.append((at, at + len(part)))
                    at += len(part)
            for order, (start, stop) in enumerate(found):
                if stop - start < 3 or len(text[start:stop].split()) > MAX_LIST_WORDS:
                    continue
                words = {stem(w.lower()) for w in re.findall(r"[A-Za-z]+", text[start:stop])}
                said_words = sum(any(_same_word(o, w) for w in words) for o in others)
                ranked.append((-said_words, rank, order, sentence.doc, start, stop, subject))
    if not ranked:
        return None
    _, _, _, doc, start, stop, subject = min(ranked)
    text = index.documents[doc].text
    return AnswerSpan(text[start:stop], doc, start, stop, "entity"), (
        f"what the passages say {subject} is"
    )


def _same_word(a: str, b: str) -> bool:
    """One word, or one the start of the other ("north", "northern")."""
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


HEAD_WORDS = 3  # how many words before its head noun a noun phrase takes ("core bearing area")
_HEAD_WORDS_BEFORE = re.compile(rf"(?<![\w-])(?:[a-z][\w-]*\s+){{0,{HEAD_WORDS}}}$")


def _with_head(index: Index, rendering, span):
    """ "打造什么区域" asks for an area: a span that English writes after "… area of (the)" is
    what the area is of, and the answer is the whole noun phrase ("core bearing area of the
    western financial center"). The head is the English the question's noun was matched to."""
    zh = rendering.zh
    if zh.wants != "what" or zh.target_start < 0 or not span.text[:1].islower():
        return span  # a name ("Consulate General of Myanmar") is whole as it is
    heads = {
        w.lower()
        for m in rendering.matches
        if zh.target_start <= m.start and (zh.target_end < 0 or m.end <= zh.target_end)
        for w in m.english.split()[-1:]
    }
    if not heads:
        return span
    text = index.documents[span.doc].text
    m = re.search(
        r"\b([A-Za-z][\w-]*)\s+of\s+(?:the\s+)?$", text[max(0, span.start - 80) : span.start]
    )
    if not m or m.group(1) not in heads or span.text.lower().startswith(m.group(1)):
        return span
    head_start = span.start - (len(text[max(0, span.start - 80) : span.start]) - m.start(1))
    # the words right before the head, with only spaces between them: a comma or any other
    # mark ends the noun phrase ("linked to trade, core bearing area of …"), and so does a
    # capital or a stopword
    window = max(0, head_start - 60)
    run = _HEAD_WORDS_BEFORE.search(text, window, head_start)
    start = head_start
    for word in reversed(list(re.finditer(r"[a-z][\w-]*", run.group()))):
        if word.group() in STOPWORDS:
            break
        start = run.start() + word.start()
    from .extract import span_at

    return span_at(index, span.doc, start, span.end, span.kind, span.score)


def _when_missing(index: Index, rendering, span) -> str:
    """A year or month the question names (2021年, 1至5月) that the span's sentence does not."""
    sentence = (index.sentence_around(span.doc, span.start, span.end) or span.text).lower()
    for year in rendering.zh.years:
        if year not in sentence:
            return f"the documents give nothing for {year} here"
    month = missing_month(rendering.zh.months, sentence)
    return f"the documents give nothing for {month.title()} here" if month else ""


def _part_of_year(index: Index, rendering, span) -> str:
    """全年 (the whole year) asked of a sentence whose figure covers some months of it."""
    if not _WHOLE_YEAR_ZH.search(rendering.zh.text):
        return ""
    sentence = (index.sentence_around(span.doc, span.start, span.end) or span.text).lower()
    return "the documents give a figure for part of the year only" if part_of_year(sentence) else ""


# 全年 / 整年 / 一整年: the whole year, which a figure for some of its months does not give.
_WHOLE_YEAR_ZH = re.compile(r"全年|整年|一整年|全年度")


def _name_unsaid(index: Index, rendering, span) -> str:
    """A name the question gives (南岸区 "Nan’an District") that the span's sentence and the
    document's title do not say: the name found is another place's or thing's."""
    from ..crosslingual import _names

    sentence = (index.sentence_around(span.doc, span.start, span.end) or span.text).lower()
    title = index.documents[span.doc].title.lower()
    names = _names(rendering.zh.text)
    for m in rendering.matches:
        is_name = any(a <= m.start and m.end <= b for a, b in names)
        english = m.english.lower()
        if is_name and m.english[:1].isupper() and english not in sentence and english not in title:
            return f"the sentence that names it is not about {m.english}"
    return ""


def _no_time(rendering, span) -> str:
    """哪天 / 几月几日 / 哪一年 ask for a time: a name or a phrase without one is no answer."""
    wants = rendering.zh.wants
    if (wants == "date" and timeless(span.text)) or (
        wants == "year" and not re.search(r"\d", span.text)
    ):
        return "the passages state no date for this"
    return ""


_RATE = re.compile(r"\b(rates?|ratios?|shares?|proportions?|percentage of|per ?cent of)\b", re.I)


def _no_rate(index: Index, rendering, span) -> str:
    """汇率 / 失业率 是多少 ask for a rate: a sentence that states none (only a change, "up
    12.9%") does not answer it."""
    if not rendering.zh.rate:
        return ""
    sentence = index.sentence_around(span.doc, span.start, span.end) or span.text
    return "" if _RATE.search(sentence) else "the documents state no rate for this"


# Words whose English the answering sentence must not contradict: (the Chinese, what the
# sentence says for it, what it says for the opposite). 国内航线 are not the "international
# routes" of the sentence; 出口 is not "import", 下降 not "increase". Rules about the words.
CONTRASTS = [
    (r"国内|境内", r"domestic|national|inland|home", r"international|foreign|overseas|abroad"),
    (r"国外|境外|海外", r"foreign|overseas|abroad|international|outbound", r"domestic"),
    (r"(?<!进)出口", r"export", r"import"),
    (r"进口", r"import", r"export"),
    # The opposite words are verb forms of a change, never a word with other senses ("set up",
    # "the fall", "lower Yangtze"): a sentence that only has those contradicts nothing.
    (
        r"下降|减少|降低|下跌|回落|下滑|降幅|跌幅|跌",
        r"decreas|declin|fall|fell|drop|down|lower|reduc|shrank|cut",
        r"increas|rise\b|rises|risen|rising|rose|grow|grew|up (?:by )?\d|higher than|expand",
    ),
    (
        r"增长|增加|上升|提高|上涨|增幅|涨幅|(?<![下高])涨",
        r"increas|rise|rose|grow|grew|up\b|higher|expand|reach",
        r"decreas|declin|fell\b|fallen|falling|dropped|dropping|lower than|reduc|shrank|shrunk",
    ),
]
_CONTRASTS = [
    (re.compile(zh), re.compile(rf"\b({en})", re.I), re.compile(rf"\b({no})", re.I))
    for zh, en, no in CONTRASTS
]


def _contrast(index: Index, rendering, span) -> str:
    sentence = index.sentence_around(span.doc, span.start, span.end) or span.text
    for zh, says, opposite in _CONTRASTS:
        m = zh.search(rendering.zh.text)
        if m and not says.search(sentence) and opposite.search(sentence):
            return f"the documents say {opposite.search(sentence).group(0)}, not {m.group(0)}"
    return ""


# "市长是谁", "总领事叫什么名字": the answering sentence must say that role itself, this close
# (cosine, USE) to one of its phrases; "总领事" (consul general) is only 0.61 from
# "Consulate General", a building, and 市长 (mayor) 0.66 from "city".
ROLE_SIMILARITY = 0.75


def _role_missing(index: Index, rendering, span) -> str:
    """Who holds a role (the role before 是谁 / 叫什么名字): a sentence that does not name
    the role names someone, or something, else."""
    from ..crosslingual import _nouns, _phrases, _vectors

    zh = rendering.zh
    if zh.wants != "who" or not zh.asked_span or not 0 <= zh.target_end <= zh.asked_span[0]:
        return ""
    nouns = [(a, b) for a, b in _nouns(zh.text) if zh.target_start <= a and b <= zh.target_end]
    if not nouns:
        return ""
    role = zh.text[nouns[-1][0] : nouns[-1][1]]
    sentence = index.sentence_around(span.doc, span.start, span.end) or span.text
    phrases = _phrases([sentence])
    if not phrases:
        return f"the documents name no {role}"
    vectors = _vectors([role, *phrases], rendering.table)
    best = max(float(vectors[p] @ vectors[role]) for p in phrases)
    return "" if best >= ROLE_SIMILARITY else f"the documents name no {role}"
