"""A question in another language, put to the English answer stage.

The reader and the verifier read English. A Chinese question is turned into an English
one made of the documents' own words: the multilingual encoder ranks the sentences, and
each stretch of the question (国际友好城市) is matched to the English words of the closest
sentences that mean the same ("international friendship cities"); the question words
(多少, 什么时候 …) give the English question word. What is asked and what it constrains
(years, months, editions) come from `question_zh`; the answer is the English span.

A stretch of the question that matches nothing in the closest sentences (成都 where the
article only speaks of Chongqing) is something the documents do not say: a near miss.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

import numpy as np

from .fusion import reciprocal_rank
from .index import Index
from .memo import PerIndex
from .multilingual import encoder, kept_vectors, sentence_vectors, whole_index
from .question import Question, parse
from .question_zh import ORDINAL_UNITS, ChineseQuestion, is_function, parse_zh, question_chars
from .records import Passage
from .retrieve import CANDIDATES, passage_of
from .textutil import STOPWORDS, BoundedCache, stem

# Calibrated on eval/chinese.jsonl (the dev set, see README): a stretch of the question and
# an English phrase this close (cosine, USE) mean the same; below it they are not matched.
ALIGN_SIMILARITY = 0.6
# A stretch this long (Han characters) that is not even this close (cosine) to any phrase
# of the closest sentences is a thing the documents lack (成都 where they say Chongqing);
# a verb said otherwise (开馆 ~ "opened" 0.59, 引进 ~ "introduced") is closer than that.
UNMATCHED_CHARS = 2
MISSING_SIMILARITY = 0.45
# Characters that only carry grammar: never part of a missing name.
_PARTICLES = set("的了是在有和与及对把被从向于为吗呢吧啊么也又已曾")
# Below this cosine (USE) between the question and its best sentence nothing is about it:
# on the dev set off-topic questions scored at most 0.17, answerable ones at least 0.2.
MIN_SIMILARITY = 0.18
# A name must be this close to a capitalised phrase: on the dev set names the documents
# have scored 0.70-0.92 (重庆 Chongqing 0.71, 缅甸 Myanmar 0.84), names they lack at most
# 0.52 (北京, 成都, 武汉); a neighbour's name comes closer (瑞典 ~ Denmark 0.62, 俄罗斯 ~
# Belarus 0.62), hence 0.66, not 0.6.
NAME_SIMILARITY = 0.66
NAME_MISSING = 0.5
MAX_NAME_CHARS = 6  # names side by side are joined up to this many characters
NAME_TAGS = frozenset({"ns", "nr", "nt", "nz", "nrt", "nrfg"})
# Only this much of a question is matched piece by piece (200 characters made 1,000
# stretches to encode, 1.8 s; the dev set's longest question has 31) and ranked by meaning.
MAX_ALIGN_CHARS = 64
MAX_RANK_CHARS = 512
MAX_TARGET_CHARS = 8  # a counted noun longer than this is a clause, matched piece by piece
ALIGN_SENTENCES = 6  # the closest sentences whose words the question is matched to
_GRAM_LENGTHS = range(2, 7)
_PHRASE_CACHE = 8192
_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*(?:st|nd|rd|th)?%?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

_TEMPLATES = {
    "count": "How many {target} {rest}?",
    "money": "What is the value of {rest}?",
    "percent": "By what percentage did {rest} change?",  # the direction is the Chinese words'
    "year": "In what year {rest}?",
    "date": "When {rest}?",
    "period": "Over what period {rest}?",
    "ordinal": "Which {target} {rest}?",
    "why": "Why {rest}?",
    "who": "Who is {rest}?",
    "what": "What {target} {rest}?",
}


@dataclass(frozen=True)
class Match:
    start: int  # characters of the question
    end: int
    english: str
    similarity: float


@dataclass(frozen=True)
class Rendering:
    """A foreign question in English, with what the cross-lingual step found on the way."""

    question: Question  # parsed from the English rendering, constraints from the Chinese
    english: str
    matches: tuple[Match, ...]
    unmatched: tuple[str, ...]  # stretches of the question found nowhere near
    similarities: np.ndarray  # USE cosine of the question and every sentence
    best: float
    zh: ChineseQuestion
    names: tuple[str, ...] = ()  # which of `unmatched` are names (jieba's ns, nr, nt, nz)
    # the phrase vectors of the documents it was rendered against (a view's: its whole index's)
    table: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    # capitalised words the documents write only inside organisations' names (_organisations)
    organisations: dict[str, frozenset[str]] = field(
        default_factory=dict, repr=False, compare=False
    )


def sentence_similarities(index: Index, text: str) -> np.ndarray:
    vectors = sentence_vectors(index)
    if not len(vectors):
        return np.zeros(0, dtype=np.float32)
    query = encoder().encode([text[:MAX_RANK_CHARS]])[0]
    return vectors @ query


def render(index: Index, text: str, wants: str = "", followup: bool = False) -> Rendering:
    """The English question the reader is asked for a Chinese one (`wants`: the kind a
    follow-up with no question word of its own borrows from the turn before; `followup`:
    it leans on the conversation, so 这个区 is the district named before)."""
    zh = _counted_noun(parse_zh(text))
    pointer = _pointer(zh.text) if followup else None
    if pointer:
        zh = replace(zh, pointer=pointer)
    if wants and not zh.wants:
        zh = replace(zh, wants=wants, target_start=0 if wants in ("count", "what") else -1)
    sims = sentence_similarities(index, text)
    table = _PHRASE_TABLES(whole_index(index))
    top = [int(i) for i in np.argsort(-sims, kind="stable")[:ALIGN_SENTENCES]] if len(sims) else []
    phrases = _phrases([index.sentence_text(i) for i in top])
    compounds = _COMPOUNDS(index) if _CHINA_X.search(zh.text) else {}
    organisations = _ORGANISATIONS(index)
    matches, unmatched, names = _align(zh, phrases, compounds, table, organisations)
    english = _english(zh, matches)
    parsed = parse(english)
    target = parsed.target
    if zh.wants in ("count", "ordinal") and zh.target_start >= 0:
        after = [m.english for m in matches if _in_target(zh, m)]
        if after:
            target = tuple(w.lower() for w in " ".join(after).split())[:5]
    if zh.measure:  # "多少吨货物": what is counted is tons, of whatever
        target = tuple(zh.measure.lower().split())
    head = parsed.head
    if zh.wants == "what" and zh.target_start >= 0 and head:
        # "白河区搭建了什么信息平台": the names the English template puts after the noun asked
        # ("What information platform Baihe District") are not what is asked for.
        named = {
            w.lower()
            for m in matches
            if m.english[:1].isupper() and not _in_target(zh, m)
            for w in m.english.split()
        }
        head = tuple(w for w in head if w not in named) or head
    unit = ORDINAL_UNITS.get(zh.unit, "") if zh.wants == "ordinal" else ""
    if unit:  # "第几期": which phase, whatever the rest of the question says it was of
        parsed = replace(parsed, target=(unit,))
    asked = replace(
        parsed,
        text=english,
        wants=zh.wants or parsed.wants,
        target=target if zh.wants in ("count",) else parsed.target,
        head=head if not unit else parsed.head,
        years=zh.years,
        months=zh.months,
        ordinals=(),
        quarter=zh.quarter,
        keywords=zh.keywords,
    )
    best = float(sims.max()) if len(sims) else 0.0
    return Rendering(
        asked,
        english,
        tuple(matches),
        tuple(unmatched),
        sims,
        best,
        zh,
        tuple(names),
        table,
        organisations,
    )


_LONGEST_PHRASE = 3  # words


def _phrases(sentences: list[str]) -> list[str]:
    """Words and runs of up to three words of the sentences, not starting or ending in a
    stopword: the English the question's stretches may mean."""
    out: dict[str, None] = {}
    for sentence in sentences:
        tokens = _WORD.findall(sentence)
        for n in range(1, _LONGEST_PHRASE + 1):
            for i in range(len(tokens) - n + 1):
                gram = tokens[i : i + n]
                if gram[0].lower() in STOPWORDS or gram[-1].lower() in STOPWORDS:
                    continue
                out[" ".join(gram)] = None
    return list(out)


_cache: BoundedCache | None = None


def _vectors(texts: list[str], table: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """USE vectors of these texts: from the recent ones, the documents' phrase `table`, or
    encoded now."""
    global _cache
    if _cache is None:
        _cache = BoundedCache(_PHRASE_CACHE)
    found = {t: _cache.get(t) for t in texts}
    table = table or {}
    for t, v in found.items():
        if v is None and t in table:
            found[t] = table[t]
    missing = [t for t, v in found.items() if v is None]
    if missing:
        for t, row in zip(missing, encoder().encode(missing)):
            found[t] = _cache[t] = row
    return found


# The phrases of every sentence are encoded once per index generation and kept beside it
# (`phrases-<digest>.npy`, as the sentence vectors are) when there are this few (the article:
# 28 sentences, 878 phrases, 1.8 MB): a cold question then encodes only its own stretches (300
# phrases took 0.14 s of a cold ask here). Larger corpora encode per question, as before: 10,000
# phrases are 20 MB and about 5 s to encode once, on the first foreign question.
MAX_TABLE_SENTENCES = 1000
MAX_TABLE_PHRASES = 10_000


def _phrase_table(index: Index) -> dict[str, np.ndarray]:
    if len(index.sentences) > MAX_TABLE_SENTENCES:
        return {}
    phrases = _phrases([index.sentence_text(i) for i in range(len(index.sentences))])
    if len(phrases) > MAX_TABLE_PHRASES:
        return {}
    return dict(zip(phrases, kept_vectors(index, "phrases", phrases)))


_PHRASE_TABLES = PerIndex(_phrase_table)


def _name_elsewhere(vector: np.ndarray, table: dict[str, np.ndarray]) -> tuple[str, float] | None:
    """The capitalised phrase of all the documents' (the phrase table's) closest to a name,
    when it is NAME_SIMILARITY close."""
    if not table:
        return None
    names = _NAMES_OF.get(id(table))
    if names is None or names[0] is not table:
        keys = [p for p in table if p[:1].isupper()]
        names = (table, keys, np.stack([table[p] for p in keys]) if keys else None)
        _NAMES_OF.clear()
        _NAMES_OF[id(table)] = names
    _, keys, matrix = names
    if matrix is None:
        return None
    sims = matrix @ vector
    j = int(sims.argmax())
    return (keys[j], float(sims[j])) if sims[j] >= NAME_SIMILARITY else None


_NAMES_OF: dict[int, tuple] = {}

# A phrase of the documents' outside the closest sentences is taken for a stretch when it is
# this close (cosine, USE) and this much closer than any phrase of the closest sentences.
ELSEWHERE_SIMILARITY = 0.8
ELSEWHERE_MARGIN = 0.1


def _phrases_elsewhere(
    zmat: np.ndarray, local_best: np.ndarray, phrases: list[str], table: dict[str, np.ndarray]
) -> list[str]:
    """The documents' phrases (the phrase table's) that mean a stretch of the question much
    better than the closest sentences' phrases do."""
    if not table or not len(zmat):
        return []
    held = _TABLE_OF.get(id(table))
    if held is None or held[0] is not table:
        keys = list(table)
        held = (table, keys, np.stack([table[p] for p in keys]))
        _TABLE_OF.clear()
        _TABLE_OF[id(table)] = held
    _, keys, matrix = held
    sims = zmat @ matrix.T
    best = sims.argmax(axis=1)
    best_sim = sims[np.arange(len(zmat)), best]
    known = set(phrases)
    out: dict[str, None] = {}
    for g in np.nonzero(
        (best_sim >= ELSEWHERE_SIMILARITY) & (best_sim >= local_best + ELSEWHERE_MARGIN)
    )[0]:
        phrase = keys[int(best[g])]
        if phrase not in known:
            out[phrase] = None
    return list(out)


_TABLE_OF: dict[int, tuple] = {}


def _align(
    zh: ChineseQuestion,
    phrases: list[str],
    compounds: dict[str, str] | None = None,
    table: dict[str, np.ndarray] | None = None,
    organisations: dict[str, frozenset[str]] | None = None,
) -> tuple[list[Match], list[str], list[str]]:
    """Stretches of the question matched greedily, best first, to the English phrases."""
    taken = question_chars(zh)
    text = zh.text[:MAX_ALIGN_CHARS]
    starts, ends, word_of = _boundaries(text)
    grams: list[tuple[int, int]] = []
    for m in _HAN_RUN.finditer(text):
        for n in _GRAM_LENGTHS:
            for a in range(m.start(), m.end() - n + 1):
                gram = text[a : a + n]
                if any(i in taken for i in range(a, a + n)) or is_function(gram):
                    continue
                if gram[0] in _PARTICLES or gram[-1] in _PARTICLES:
                    continue  # "的市" is not a word: a stretch starts and ends in meaning
                if word_of and not _whole_words(a, a + n, starts, ends, word_of):
                    continue  # "最正" of 最|正宗, "区举" of 沙坪坝区|举办: halves of two words
                grams.append((a, a + n))
    if not grams or not phrases:
        return [], [u for u in _unmatched(text, taken)], []
    names = [n for n in _names(text) if not any(i in taken for i in range(*n))]
    whole = _target_stretch(zh, taken)
    for extra in names + ([whole] if whole else []):
        if extra not in grams:
            grams.append(extra)
    vectors = _vectors([text[a:b] for a, b in grams] + phrases, table)
    zmat = np.stack([vectors[text[a:b]] for a, b in grams])
    emat = np.stack([vectors[p] for p in phrases])
    sims = zmat @ emat.T
    # Only the noun asked about (哪家企业, 哪个区域经贸协定) is looked for elsewhere: the rest
    # of the question says where it is.
    inside = [g for g, (a, b) in enumerate(grams) if _in_asked(zh, a, b)]
    elsewhere = _phrases_elsewhere(zmat[inside], sims.max(axis=1)[inside], phrases, table or {})
    if elsewhere:
        # A stretch the closest sentences say only loosely (企业 ~ "Entrepreneurs" 0.78) that
        # the documents say closely elsewhere ("enterprises" 0.92): those words are meant.
        phrases = phrases + elsewhere
        for p in elsewhere:
            vectors[p] = table[p]
        emat = np.stack([vectors[p] for p in phrases])
        sims = zmat @ emat.T
    best_phrase = sims.argmax(axis=1)
    best_sim = sims[np.arange(len(grams)), best_phrase]
    used = set(taken)
    matches: list[Match] = []
    missing: list[str] = []
    capitalised = np.array([p[:1].isupper() for p in phrases])
    for a, b, english in _china_compounds(text, phrases, compounds):
        if any(i in used for i in range(a, b)):
            continue
        if english is None and not (a in starts or not word_of):
            continue  # 中 ending a word (其中美…): no pairing
        used.update(range(a, b))
        if english is None:
            missing.append(text[a:b])  # a pairing the documents never write
        else:
            matches.append(Match(a, b, english, 1.0))
    for a, b, english in _known_names(text, phrases, table or {}):
        if not any(i in used for i in range(a, b)):
            used.update(range(a, b))
            matches.append(Match(a, b, english, 1.0))
    for a, b, english in _province_names(text, phrases, table or {}):
        if not any(i in used for i in range(a, b)):
            used.update(range(a, b))
            if english:
                matches.append(Match(a, b, english, 1.0))
            else:  # 驻京 where the documents never say Beijing: a place they lack
                missing.append(text[a:b])
    for a, b in _named_places(text):
        # 桃源 + 区, a common word to jieba: a place only when the documents write its pinyin.
        if (a, b) not in names and not any(i in used for i in range(a, b)):
            spelled = _romanised(text[a:b], phrases, table or {})
            if spelled is not None:
                used.update(range(a, b))
                matches.append(Match(a, b, spelled, 1.0))
    names = [n for n in names if not any(i in used for i in range(*n))]
    for name in names:
        # A name (成都, 渝中区) is a name in the documents or nothing: its best match among
        # the capitalised phrases must be close, else the documents do not speak of it.
        g = grams.index(name)
        if not capitalised[best_phrase[g]] and best_sim[g] >= ALIGN_SIMILARITY:
            continue  # jieba's "name" is a common word the sentences say in lower case (城市)
        row = np.where(capitalised, sims[g], -1.0)
        j = int(row.argmax())
        word = text[name[0] : name[1]]
        near = row[j] >= NAME_SIMILARITY or _same_kind_of_place(word, phrases[j], row[j])
        if near and _only_kind(phrases[j]):
            near = False  # 渝中区 ~ "District": the kind of place alone is not the place's name
        # A close name is checked by its sound only where it is a named kind of place (北碚区
        # ~ "Nan’an District" 0.66): pinyin is then loaded for few questions, not for 重庆.
        doubt = row[j] < NAME_SIMILARITY or bool(_place_kind(word))
        if near and not (doubt and _romanised_otherwise(word, phrases[j])):
            # ...unless the documents write this name's own pinyin (嘉陵江 ~ "Yangtze River"
            # by meaning, but they write "Jialing")
            spelled = _romanised(word, phrases, table or {}) if doubt else None
            used.update(range(*name))
            if spelled is not None:
                matches.append(Match(*name, spelled, 1.0))
            else:
                matches.append(Match(*name, phrases[j], float(row[j])))
            continue
        # Not close by meaning, or only as a kind of place whose name sounds otherwise (渝北区
        # ~ "Yuzhong District"): a Chinese name the documents write in pinyin is that name.
        spelled = _romanised(word, phrases, table or {})
        if spelled is not None:
            used.update(range(*name))
            matches.append(Match(*name, spelled, 1.0))
            continue
        elsewhere = _name_elsewhere(vectors[word], table or {})
        if elsewhere is not None and _place_kind(word) and _romanised_otherwise(word, elsewhere[0]):
            elsewhere = None  # 渝北区 ~ "Yuzhong District" elsewhere: another district
        if near and elsewhere is None:
            missing.append(word)  # a place of that kind, by a name the documents never write
            used.update(range(*name))
            continue
        if elsewhere is not None:
            # Not in the closest sentences, but a name the documents write: "那白俄罗斯呢？"
            # is about Belarus, which the answering sentence must then say.
            used.update(range(*name))
            matches.append(Match(*name, *elsewhere))
        elif best_sim[g] < NAME_MISSING or capitalised[best_phrase[g]]:
            # Closest to a name the documents write, but not close enough: another name
            # (北京 ~ "Chongqing" 0.55). A common word jieba calls a name (城市, 陆海) is
            # closest to the lower-case words that say it, and is left to the greedy match.
            # jieba calls some common words names (城市, 陆海): one the phrases say in other
            # words is left to the greedy match below.
            missing.append(text[name[0] : name[1]])
            used.update(range(*name))
    if whole and whole not in names:
        g = grams.index(whole)
        if best_sim[g] >= ALIGN_SIMILARITY and not any(i in used for i in range(*whole)):
            used.update(range(*whole))  # the counted noun as one: "国际航线", not 国际 + 航线
            j = _says_every_word(text, whole, grams, sims, phrases, int(best_phrase[g]))
            matches.append(Match(*whole, phrases[j], float(sims[g, j])))
    # Longer stretches matched as well are worth more: "国际友好城市" over "城市".
    order = np.argsort(-(best_sim + 0.02 * np.array([b - a for a, b in grams])), kind="stable")
    for g in order:
        if best_sim[g] < ALIGN_SIMILARITY:
            break
        a, b = grams[g]
        if any(i in used for i in range(a, b)):
            continue
        used.update(range(a, b))
        j = _says_every_word(text, (a, b), grams, sims, phrases, int(best_phrase[g]))
        matches.append(Match(a, b, phrases[j], float(sims[g, j])))
    matches.sort(key=lambda m: m.start)
    if organisations:
        # 上海 where the documents only write "Shanghai Cooperation Organization": an
        # organisation named after the place is not the place, unless the question names
        # the organisation too (上海合作组织: "Cooperation", "Organization").
        said = {w.lower() for m in matches for w in m.english.split()}
        spans = _places(text)
        for m in list(matches):
            rest = organisations.get(m.english)
            if rest and any(a <= m.start and m.end <= b for a, b in spans) and not (rest & said):
                matches.remove(m)
                missing.append(text[m.start : m.end])
    left = _unmatched(text, used, _nouns(text))
    if left:
        near = _vectors(left, table)
        left = [u for u in left if float((emat @ near[u]).max()) < MISSING_SIMILARITY]
    return matches, missing + left, missing


def _says_every_word(
    text: str,
    stretch: tuple[int, int],
    grams: list[tuple[int, int]],
    sims: np.ndarray,
    phrases: list[str],
    best: int,
) -> int:
    """Which phrase a compound of several words is: the closest, unless it leaves out a word
    of the compound that another phrase meaning it says (国际友好交流城市 is "friendship
    exchange cities", not the closer "international friendship cities", which leaves out 交流
    "exchange"). Of the phrases that mean it (ALIGN_SIMILARITY) and say only its words, the
    one saying the rarer words of the sentences (those that tell one thing from another) is
    meant."""
    a, b = stretch
    inside = [(wa, wb) for wa, wb, _t in _tagged(text) if a <= wa and wb <= b and (wa, wb) in grams]
    if len(inside) < 2:
        return best
    single = np.array([" " not in p for p in phrases])
    said: list[str] = []
    for piece in inside:
        row = np.where(single, sims[grams.index(piece)], -1.0)
        j = int(row.argmax())
        if row[j] >= ALIGN_SIMILARITY:
            said.append(stem(phrases[j].lower()))  # "exchanges" says "exchange"
    if len(said) < 2:
        return best
    g = grams.index(stretch)
    close = [int(j) for j in np.nonzero(sims[g] >= ALIGN_SIMILARITY)[0]]
    tokens = {j: {stem(w) for w in phrases[j].lower().split()} for j in {best, *close}}

    def says(j: int) -> list[str]:
        return [w for w in said if w in tokens[j]]

    if len(says(best)) == len(said):
        return best
    # How many of the sentences' phrases have a word: fewer is rarer, and tells more.
    seen = {w: max(1, sum(w in p.lower() for p in phrases)) for w in said}

    def weight(j: int) -> float:
        return sum(1.0 / seen[w] for w in says(j))

    choice = best
    for j in close:
        if tokens[j] <= set(said) and weight(j) > weight(choice) + 1e-9:
            choice = j
    return choice


def still_missing(rendering: Rendering, sentences: list[str]) -> tuple[str, ...]:
    """What the question names that these sentences do not say either: the words found
    nowhere near the closest sentences, looked for again in the retrieved passages (the
    sentence that answers may rank below the closest few by meaning alone: 疫情 is the
    "epidemic situation" of the fourth)."""
    if not rendering.unmatched:
        return ()
    phrases = _phrases(sentences)
    if not phrases:
        return rendering.unmatched
    vectors = _vectors([*rendering.unmatched, *phrases], rendering.table)
    emat = np.stack([vectors[p] for p in phrases])
    capitalised = np.array([p[:1].isupper() for p in phrases])
    # A name is not found in an organisation named after it ("Shanghai Cooperation
    # Organization" for 上海), unless the question names the organisation too.
    said = {w.lower() for m in rendering.matches for w in m.english.split()}
    named_after = {w for w, rest in rendering.organisations.items() if not (rest & said)}
    not_named_after = capitalised
    if named_after:
        not_named_after = capitalised & np.array(
            [not (set(re.findall(r"[\w’']+", p)) & named_after) for p in phrases]
        )
    places = {rendering.zh.text[a:b] for a, b in _places(rendering.zh.text)}
    out = []
    for word in rendering.unmatched:
        sims = emat @ vectors[word]
        if word in rendering.names:
            mask = not_named_after if word in places else capitalised
            found = bool((sims[mask] >= NAME_SIMILARITY).any())
        else:
            found = float(sims.max()) >= MISSING_SIMILARITY
        if not found:
            out.append(word)
    return tuple(out)


# "城市数量" is the cities' number: the word for "number of" is not what is counted.
_NUMBER_WORDS = re.compile(r"(数量|数目|总数|个数|总量)$")


_VERB_TAGS = ("v", "vd", "vi", "vg", "d", "p")
# Nouns Chinese puts after a verb to count it as events (交流活动 "exchanges", 培训活动
# "trainings", 交流工作): English counts the verb's noun alone, so they are left out.
_LIGHT_NOUNS = re.compile(r"(活动|工作|事项)$")


def _counted_noun(zh: ChineseQuestion) -> ChineseQuestion:
    """What a count or an edition is of, as Chinese says it. Before the question word, the
    noun ends where its verb begins ("国际友好城市数量增加到了多少对": 国际友好城市). After
    it, the noun is the subject of the verb that follows ("多少家企业使用了…服务": 企业), or
    else the head after the last 的 ("多少场经贸、人文等领域的交流活动": 交流活动). The word
    for "number of" (数量) is never what is counted."""
    if zh.wants not in ("count", "ordinal") or zh.target_start < 0:
        return zh  # a role before 是谁 keeps its words: 缅甸驻重庆总领事
    start, end = zh.target_start, zh.target_end
    tags = _tagged(zh.text)
    if zh.keywords or zh.asked_span is None:
        end = len(zh.text) if end < 0 else end
    elif start >= zh.asked_span[1]:
        clause = re.match(r"[^，,。？?！!；;\s]*", zh.text[start:])
        end = start + (clause.end() if clause else 0)
        verb = next((a for a, _b, t in tags if start < a < end and t in _VERB_TAGS), None)
        if verb is not None:
            end = verb
        else:
            de = zh.text.rfind("的", start, end)
            if de >= 0 and de + 1 < end:
                start = de + 1
    elif 0 <= start < end <= zh.asked_span[0]:
        verb = next((a for a, _b, t in tags if start < a < end and t in _VERB_TAGS), None)
        end = verb if verb is not None else end
    else:
        return zh
    m = _NUMBER_WORDS.search(zh.text, start, end)
    if m and m.start() > start:
        end = m.start()
    m = _LIGHT_NOUNS.search(zh.text, start, end)
    if m and m.start() - start >= 2:
        end = m.start()  # "交流活动" are "exchanges": what is counted is 交流
    if (start, end) == (zh.target_start, zh.target_end) or end <= start:
        return zh
    return replace(zh, target_start=start, target_end=end)


def _tagged(text: str) -> list[tuple[int, int, str]]:
    """jieba's words of the question as (start, end, part-of-speech tag); none without
    rjieba installed."""
    try:
        import rjieba
    except ImportError:
        return []
    out, at = [], 0
    for word, tag in rjieba.tag(text):
        start = text.find(word, at)
        if start < 0:
            continue
        at = start + len(word)
        out.append((start, at, tag))
    return out


# Chinese writes "China and X" as 中 and X's one-character name (中欧 China-EU, 中新 China-
# Singapore, 中美 China-US), or 中国—X; English as "China-X", "Sino-X". The names X stands
# for, by its usual abbreviation: a rule about the language, not about one document.
ABBREVIATIONS = {
    "欧": ("eu", "europe", "european"),
    "欧盟": ("eu",),
    "美": ("us", "usa", "america", "american"),
    "俄": ("russia", "russian"),
    "日": ("japan", "japanese"),
    "韩": ("korea", "rok", "korean"),
    "英": ("uk", "britain", "british"),
    "法": ("france", "french"),
    "德": ("germany", "german"),
    "新": ("singapore",),
    "澳": ("australia", "australian"),
    "加": ("canada",),
    "印": ("india",),
    "巴": ("pakistan", "brazil"),
    "非": ("africa", "african"),
    "拉": ("latin",),
    "阿": ("arab",),
    "东盟": ("asean",),
    "中亚": ("central",),
    "拉美": ("latin",),
}
_CHINA_X = re.compile(
    r"中(?:国)?[-—–－]?(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + ")"
)
_CHINA_EN = re.compile(r"^(?:China|Sino|Chinese)[-–—](\w+)", re.I)


# Names (and a few titles and terms) Chinese shortens by convention, with the English the
# documents may write for them.
SHORT_NAMES = {
    "拉美": ("Latin America",),
    "东盟": ("ASEAN", "Association of Southeast Asian Nations"),
    "欧盟": ("EU", "European Union"),
    "亚太": ("Asia-Pacific", "Asia Pacific"),
    "中东": ("Middle East",),
    "北美": ("North America",),
    "南美": ("South America",),
    "东南亚": ("Southeast Asia", "South-East Asia"),
    "联合国": ("United Nations", "UN"),
    "世贸组织": ("WTO", "World Trade Organization"),
    "世卫组织": ("WHO", "World Health Organization"),
    "一带一路": ("Belt and Road",),
    "长江经济带": ("Yangtze River Economic Belt",),
    # Titles and terms shortened the same way.
    "外长": ("Foreign Ministers", "Foreign Minister"),
    "外贸": ("foreign trade",),
    "总领馆": ("Consulate General",),  # 总领事馆, shortened
    "领馆": ("Consulate", "consulate"),
    # Two opposites joined say both: 进出口 "import and export", 进出境 "entry and exit".
    "进出口": ("import and export", "imports and exports"),
    "进出境": ("entry and exit",),
    "央行": ("central bank",),
    "高铁": ("high-speed rail", "high-speed railway"),
    "自贸区": ("free trade zone", "pilot free trade zone"),
}
_SHORT = re.compile("|".join(sorted(SHORT_NAMES, key=len, reverse=True)))


# Chinese calls a province, or a city under the central government, by one character (its
# 简称) where a place is meant: 驻渝 "in Chongqing", 来沪 "to Shanghai", 驻京 "in Beijing".
# Only where jieba reads the character as a word of its own (渝中区 is Yuzhong District).
PROVINCE_SHORT = {
    "渝": "Chongqing",
    "京": "Beijing",
    "沪": "Shanghai",
    "津": "Tianjin",
    "粤": "Guangdong",
    "川": "Sichuan",
    "蜀": "Sichuan",
    "鄂": "Hubei",
    "湘": "Hunan",
    "浙": "Zhejiang",
    "苏": "Jiangsu",
    "鲁": "Shandong",
    "豫": "Henan",
    "陕": "Shaanxi",
    "黔": "Guizhou",
    "滇": "Yunnan",
    "桂": "Guangxi",
    "闽": "Fujian",
    "赣": "Jiangxi",
    "皖": "Anhui",
    "冀": "Hebei",
    "辽": "Liaoning",
    "琼": "Hainan",
}
_TO_A_PLACE = "驻来在赴抵离返留进入出"


def _province_names(
    text: str, phrases: list[str], table: dict[str, np.ndarray]
) -> list[tuple[int, int, str]]:
    """(start, end, English) of each one-character name of a province (渝, 沪), the English
    "" when the documents never write it."""
    out = []
    for a, b, _tag in _tagged(text):
        word = text[a:b]
        if len(word) == 2 and word[0] in _TO_A_PLACE:
            a, word = a + 1, word[1]
        if len(word) != 1 or word not in PROVINCE_SHORT:
            continue
        english = PROVINCE_SHORT[word]
        found = _written(english, phrases, table)
        out.append((a, b, english if found else ""))
    return out


def _written(english: str, phrases: list[str], table: dict[str, np.ndarray], flags=0) -> bool:
    """The name is written (as a whole word, `flags` for its case) in one of the phrases or
    of the phrase table's. The table's phrases are looked up by the name's first word, so a
    question searches the few phrases with that word, not every one of the table's (up to
    MAX_TABLE_PHRASES)."""
    words = english.split()
    if len(words) > _LONGEST_PHRASE:
        # "Yangtze River Economic Belt" is longer than any phrase kept (three words): it is
        # written where each three words of it are (those a phrase may start and end with).
        # Missed, 长江经济带 fell to its part 长江, which the encoder puts near "Jiangbei".
        windows = [
            " ".join(words[i : i + _LONGEST_PHRASE])
            for i in range(len(words) - _LONGEST_PHRASE + 1)
            if words[i].lower() not in STOPWORDS
            and words[i + _LONGEST_PHRASE - 1].lower() not in STOPWORDS
        ]
        return bool(windows) and all(_written(w, phrases, table, flags) for w in windows)
    said = re.compile(rf"\b{re.escape(english)}\b", flags).search
    if any(said(p) for p in phrases):
        return True
    first = re.match(r"\w+", english)
    if not table or not first:
        return False
    return any(said(p) for p in _by_word(table).get(first.group().lower(), ()))


def _by_word(table: dict[str, np.ndarray]) -> dict[str, list[str]]:
    """The table's phrases by each of their words (lower case), made once per table."""
    held = _BY_WORD.get(id(table))
    if held is None or held[0] is not table:
        words: dict[str, list[str]] = {}
        for phrase in table:
            for w in dict.fromkeys(re.findall(r"\w+", phrase.lower())):
                words.setdefault(w, []).append(phrase)
        held = (table, words)
        _BY_WORD.clear()
        _BY_WORD[id(table)] = held
    return held[1]


_BY_WORD: dict[int, tuple] = {}


def _known_names(
    text: str, phrases: list[str], table: dict[str, np.ndarray]
) -> list[tuple[int, int, str]]:
    """拉美 / 东盟 matched to "Latin America" / "ASEAN" where the documents write it (in the
    closest sentences, or anywhere when the phrase table holds their phrases)."""
    out = []
    for m in _SHORT.finditer(text):
        for english in SHORT_NAMES[m.group()]:
            # A name as written ("WHO" is not "who"); a term in any case ("Foreign trade").
            flags = re.I if english.islower() else 0
            if _written(english, phrases, table, flags):
                out.append((m.start(), m.end(), english))
                break
    return out


def _china_compounds(
    text: str, phrases: list[str], compounds: dict[str, str] | None = None
) -> list[tuple[int, int, str | None]]:
    """中欧 / 中国—东盟 matched to the phrase "China-EU" / "China-ASEAN" it abbreviates: one of
    the closest sentences' first, else one the documents write anywhere (`compounds`); a
    pairing the documents write nowhere (中美 of a text with no China-US) comes with None."""
    out = []
    for m in _CHINA_X.finditer(text):
        wanted = ABBREVIATIONS[m.group(1)]
        found = None
        for phrase in phrases:
            first = _CHINA_EN.match(phrase)
            if first and first.group(1).lower() in wanted and " " not in phrase:
                found = phrase
                break
        if found is None and compounds:
            found = next((compounds[w] for w in wanted if w in compounds), None)
        if found is not None:
            out.append((m.start(), m.end(), found))
        elif _PAIRING.fullmatch(m.group(0)):
            out.append((m.start(), m.end(), None))  # 中美 where the documents have no China-US
    return out


# "China and X" written as one word of 中 and X's one character (中美, 中日) or with a dash
# (中国—东盟): a pairing by itself, unlike 中国 followed by a word that starts like one (中国新…).
_PAIRING = re.compile(r"中[-—–－]?[美俄日韩英法德澳加印非]|中(?:国)?[-—–－]\w+")


def _compounds(index: Index) -> dict[str, str]:
    """Every "China-X" / "Sino-X" the documents write, by X in lower case (the first seen)."""
    out: dict[str, str] = {}
    for doc in index.documents.values():
        for m in _CHINA_WORD.finditer(doc.text):
            out.setdefault(m.group(1).lower(), m.group(0))
    return out


# The last word of an organisation's name: "Shanghai Cooperation Organization", "Bank of …".
ORGANISATION_HEADS = frozenset(
    "Organization Organisation Association Company Corporation Group Bank University Daily "
    "Council Committee Institute Party Union League Federation Foundation Society Club".split()
)
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w’'-]*)+")


def _organisations(index: Index) -> dict[str, frozenset[str]]:
    """Capitalised words the documents write only inside organisations' names, each with
    the other words (lower case) of those names."""
    inside: dict[str, set[str]] = {}
    outside: set[str] = set()
    for doc in index.documents.values():
        spans = []
        for run in _CAPITALISED_RUN.finditer(doc.text):
            tokens = list(re.finditer(r"[\w’']+", run.group()))
            for h, head in enumerate(tokens):
                if head.group() not in ORGANISATION_HEADS or h == 0:
                    continue
                # "China-Shanghai Cooperation Organization Digital …": the words up to the
                # head are the organisation's name.
                spans.append((run.start(), run.start() + head.end()))
                words = [t.group() for t in tokens[: h + 1]]
                # "CapitaLand Group" is CapitaLand's own name; "Oslo Seafood Association" is
                # named after Oslo: only the words with more of the name between them and the
                # head are a place the organisation is named after.
                for w in words[:-2]:
                    if w[:1].isupper():
                        inside.setdefault(w, set()).update(x.lower() for x in words if x != w)
        # Whether a word stands inside one of the spans: each word is checked against the
        # last span starting at or before it (spans come in order of their start).
        starts = [a for a, _b in spans]
        for m in re.finditer(r"\b[A-Z][\w’']*", doc.text):
            at = bisect.bisect_right(starts, m.start()) - 1
            if at < 0 or m.end() > spans[at][1]:
                outside.add(m.group())
    return {w: frozenset(rest) for w, rest in inside.items() if w not in outside}


_ORGANISATIONS = PerIndex(_organisations)

_CHINA_WORD = re.compile(r"\b(?:China|Sino|Chinese)[-–—](\w+)", re.I)
_COMPOUNDS = PerIndex(_compounds)


def _boundaries(text: str) -> tuple[set[int], set[int], list[int]]:
    """Where jieba's words start and end, and which word each character is in (empty
    without rjieba: then any stretch is tried)."""
    words = _tagged(text)
    word_of = [-1] * len(text)
    for w, (a, b, _tag) in enumerate(words):
        for i in range(a, b):
            word_of[i] = w
    if not words:
        return set(), set(), []
    return {a for a, _, _ in words}, {b for _, b, _ in words}, word_of


def _whole_words(a: int, b: int, starts: set[int], ends: set[int], word_of: list[int]) -> bool:
    """A stretch is one word, a part of one word, or whole words side by side; never the end
    of one word joined to the start of the next."""
    if word_of[a] == word_of[b - 1] and word_of[a] >= 0:
        return True
    return (a in starts or word_of[a] < 0) and (b in ends or word_of[b - 1] < 0)


def _nouns(text: str) -> list[tuple[int, int]]:
    """jieba's nouns: only a thing can be what the documents lack; a time word (目前), a
    number (五个) or a verb said otherwise is not."""
    return [(a, b) for a, b, tag in _tagged(text) if tag.startswith("n") or tag == "vn"]


# A place name ends in what kind of place it is, in both languages: 沙坪坝区 "Shapingba
# District", 广阳湾 "Guangyang Bay". A capitalised phrase ending in that kind is the name at a
# lower cosine than NAME_SIMILARITY (USE knows little of romanised names: 沙坪坝区 ~
# "Shapingba District" 0.56, 渝北区 ~ "Yubei District" 0.59; names the article lacks 0.52 at most).
PLACE_KINDS = {
    "新区": ("new area",),
    "区": ("district", "area", "zone"),
    "市": ("city", "municipality"),
    "县": ("county",),
    "省": ("province",),
    "湾": ("bay",),
    "镇": ("town",),
    "村": ("village",),
    "岛": ("island",),
    "湖": ("lake",),
    "江": ("river",),
    "河": ("river",),
    "山": ("mountain", "mount"),
    "港": ("port", "harbour", "harbor"),
    "园": ("park", "garden"),
}
PLACE_SIMILARITY = 0.55


def _same_kind_of_place(name: str, phrase: str, similarity: float) -> bool:
    if similarity < PLACE_SIMILARITY or " " not in phrase:
        return False
    suffix = _place_kind(name)
    if not suffix or len(name) - len(suffix) < 2:
        return False  # 浙江, 九江: a one-character name with its kind is one word, no kind
    lower = phrase.lower()
    return any(lower.endswith(" " + kind) for kind in PLACE_KINDS[suffix])


_KIND_PHRASES = frozenset(kind for kinds in PLACE_KINDS.values() for kind in kinds)


def _only_kind(phrase: str) -> bool:
    """The phrase is only a kind of place ("District", "New Area"), with no name of one
    ("Lake District", "Garden City" are names)."""
    return phrase.lower() in _KIND_PHRASES


def _place_kind(name: str) -> str:
    """The kind of place a Chinese name ends in (沙坪坝区: 区), "" when none."""
    for suffix in _KINDS_LONGEST_FIRST:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    return ""


_KINDS_LONGEST_FIRST = sorted(PLACE_KINDS, key=len, reverse=True)


def _romanised(name: str, phrases: list[str], table: dict[str, np.ndarray]) -> str | None:
    """The documents' capitalised phrase that writes a Chinese name in pinyin (沙坪坝
    "Shapingba", 沙坪坝区 "Shapingba District" when they write that, else "Shapingba"), or
    None. pypinyin's readings are loaded here, on the first name meaning did not match."""
    from .romanise import spellings

    if not _HAN_RUN.fullmatch(name):
        return None
    written = _capitalised_by_letters(phrases, table)
    whole = next((written[s] for s in sorted(spellings(name)) if s in written), None)
    if whole is not None:  # the kind part of the name's pinyin: 黑龙江 "Heilongjiang", 浙江
        return whole
    kind = _place_kind(name)
    stem = name[: len(name) - len(kind)] if kind else name
    if len(stem) < 2:
        return None
    for spelling in sorted(spellings(stem)):
        for english in PLACE_KINDS.get(kind, ()):
            found = written.get(spelling + english.replace(" ", ""))
            if found:
                return found
    return next((written[s] for s in sorted(spellings(stem)) if s in written), None)


def _romanised_otherwise(name: str, phrase: str) -> bool:
    """The phrase is a romanised Chinese name ("Yuzhong District": pinyin before the kind
    of place) that is not this name's pinyin (渝北区 is Yubei): another place, however close
    the encoder puts them. A translated name ("West Lake", "Myanmar") is no evidence."""
    from .romanise import is_pinyin, spells

    kind = _place_kind(name)
    stem = name[: len(name) - len(kind)] if kind else name
    words = phrase.split()
    kinds = {w for k in PLACE_KINDS.get(kind, ()) for w in k.split()}
    while len(words) > 1 and words[-1].lower() in kinds:
        words.pop()
    head = " ".join(words)
    if len(stem) < 2 or not _HAN_RUN.fullmatch(stem) or not is_pinyin(head):
        return False
    # the kind may be part of the pinyin name itself: 黑龙江 "Heilongjiang", 牡丹江 "Mudanjiang"
    return not spells(stem, head) and not spells(name, head)


def _capitalised_by_letters(phrases: list[str], table: dict[str, np.ndarray]) -> dict[str, str]:
    """The phrases written as names (every word capitalised), by their letters alone
    ("nanandistrict": "Nan’an District"); the table's are gathered once per table."""
    from .romanise import normalised

    held = _LETTERS_OF.get(id(table))
    if held is None or held[0] is not table:
        held = (table, _by_letters(table, normalised))
        _LETTERS_OF.clear()
        _LETTERS_OF[id(table)] = held
    out = dict(held[1])
    for key, phrase in _by_letters(phrases, normalised).items():
        out.setdefault(key, phrase)
    return out


def _by_letters(phrases, normalised) -> dict[str, str]:
    out: dict[str, str] = {}
    for phrase in phrases:
        if all(w[:1].isupper() for w in phrase.split()):
            out.setdefault(normalised(phrase), phrase)
            # each name of a pair ("Lancang-Mekong": Lancang, the 澜沧 of 澜沧江)
            for word in phrase.split():
                for part in word.split("-") if "-" in word else ():
                    if len(part) >= 4 and part[:1].isupper():
                        out.setdefault(normalised(part), part)
    return out


_LETTERS_OF: dict[int, tuple] = {}


def _names(text: str) -> list[tuple[int, int]]:
    """Where the question names a place, person or organisation (jieba's part-of-speech
    tags ns, nr, nt, nz), as character spans; names side by side are one (两江 + 新区 is
    两江新区, "Liangjiang New Area", not Jiangbei and a new area)."""
    spans: list[tuple[int, int]] = []
    for a, b, tag in _tagged(text):
        # 白河 + 区: the kind of place jieba cuts off a name is part of it ("Baihe District").
        kind = text[a:b] in PLACE_KINDS and spans and spans[-1][1] == a
        if not kind and (tag not in NAME_TAGS or not _HAN_RUN.fullmatch(text[a:b])):
            continue
        if spans and spans[-1][1] == a and b - spans[-1][0] <= MAX_NAME_CHARS:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return [(a, b) for a, b in spans if b - a >= 2]


def _named_places(text: str) -> list[tuple[int, int]]:
    """A noun of two to four characters and the kind of place after it (桃源 + 区), as spans:
    the Chinese name of a place jieba does not know, when the documents write its pinyin."""
    words = _tagged(text)
    out = []
    for (a, b, tag), (c, d, _kind) in zip(words, words[1:]):
        if b == c and text[c:d] in PLACE_KINDS and tag.startswith("n") and 2 <= b - a <= 4:
            out.append((a, d))
    return out


# A demonstrative and its measure word: 这个区, 那家公司, 该市, 此项目. 这 / 那 need the measure
# word (那城市呢 is "and the cities?"); 该 / 此 do not.
_DEMONSTRATIVE = re.compile(
    r"(?:这|那)一?[个家座所位条项种批只艘架场届次间些]|(?:该|此)一?[个家座所位条项种批只艘架场届次间些]?"
)
MAX_POINTED_CHARS = 4  # the noun pointed at: 区, 公司, 城市, 合作项目


def _pointer(text: str) -> tuple[int, int] | None:
    """Where a follow-up points back at a thing the conversation named (这个区, 该公司), as
    English "that district" does: the demonstrative with the noun after it."""
    words = _tagged(text)
    for m in _DEMONSTRATIVE.finditer(text):
        # 此项目 is 此 + 项目, not 此项 + 目: after 该 / 此 the noun may begin at once.
        after = {m.end(), m.start() + 1} if text[m.start()] in "该此" else {m.end()}
        for a, b, tag in words:
            if a in after and tag.startswith("n") and b - a <= MAX_POINTED_CHARS:
                return (m.start(), b)  # 这个 | 区
            if a == m.start() and b > m.end() and tag == "r" and b - a <= MAX_POINTED_CHARS:
                return (a, b)  # 该区, one word to jieba
    return None


def _places(text: str) -> list[tuple[int, int]]:
    """Where the question names a place or a person (jieba's ns, nr: it often reads a foreign
    place as a person, 奥斯陆 nr), not an organisation (nt, nz), as character spans."""
    return [(a, b) for a, b, tag in _tagged(text) if tag in ("ns", "nr", "nrt", "nrfg")]


def _target_stretch(zh: ChineseQuestion, taken: set[int]) -> tuple[int, int] | None:
    """The counted noun after 多少/几 and its measure word, up to the punctuation."""
    if zh.wants not in ("count", "what") or zh.target_start < 0:
        return None
    m = _HAN_RUN.match(zh.text, zh.target_start)
    if not m:
        return None
    start, end = m.span()
    if zh.target_end > start:
        end = min(end, zh.target_end)
    while end > start and zh.text[end - 1] in _PARTICLES:
        end -= 1
    if not 2 <= end - start <= MAX_TARGET_CHARS or any(i in taken for i in range(start, end)):
        return None
    return (start, end)


def _unmatched(text: str, used: set[int], words: list[tuple[int, int]] | None = None) -> list[str]:
    """Words no match touched (runs of Han characters no match took, without jieba), with
    the grammar characters left out."""
    if words:
        out = []
        for a, b in words:
            # A compound noun half matched still has its other half to be found: 重庆火锅
            # is Chongqing and a hotpot the documents may never mention.
            run_start = a
            for i in range(a, b + 1):
                if i < b and i not in used:
                    continue
                piece = text[run_start:i]
                if (
                    len(piece) >= UNMATCHED_CHARS
                    and not all(ch in _PARTICLES for ch in piece)
                    and _HAN_RUN.fullmatch(piece)
                ):
                    out.append(piece)
                run_start = i + 1
        return out
    out, run = [], ""
    for i, ch in enumerate(text + " "):
        if i < len(text) and i not in used and _HAN_RUN.match(ch) and ch not in _PARTICLES:
            run += ch
            continue
        if len(run) >= UNMATCHED_CHARS:
            out.append(run)
        run = ""
    return out


def _english(zh: ChineseQuestion, matches: list[Match]) -> str:
    """The English question: the question word's template around the matched phrases, in the
    question's order, each phrase once."""
    seen: list[str] = []
    for m in matches:
        if m.english.lower() not in (s.lower() for s in seen):
            seen.append(m.english)
    if zh.wants in ("count", "ordinal", "what") and zh.target_start >= 0:
        target = [m.english for m in matches if _in_target(zh, m)]
        rest = [m.english for m in matches if not _in_target(zh, m)]
    else:
        target, rest = [], [m.english for m in matches]
    # Numbers the question states ("那319个港口里") are said in English too: an answer that
    # only repeats one is no answer (the English checks know "319 ports" is given).
    taken = question_chars(zh)
    given = [
        m.group()
        for m in _NUMBER.finditer(zh.text)
        if not any(i in taken for i in range(*m.span()))
    ]
    rest += [n for n in given if n not in rest]
    if zh.earlier:  # "增加之前": the English checks decline what gives only the new figure
        rest.append("before")
    years = " ".join(zh.years)
    months = " to ".join(m.title() for m in zh.months)
    when = " ".join(x for x in (months, years) if x)
    if not zh.wants:
        return " ".join(_dedupe(target + rest) + ([when] if when else []))
    if zh.wants == "ordinal":
        span = zh.text[zh.asked_span[0] : zh.asked_span[1]] if zh.asked_span else ""
        anniversary = "周年" in span or (zh.keywords and "周年" in zh.text)
        unit = "anniversary" if anniversary else ORDINAL_UNITS.get(zh.unit, "")
        if unit:  # "第几轮": which round, and all the rest says what the round was of
            rest, target = [m.english for m in matches], [unit]
        target = target or ["number"]
    if zh.measure and zh.measure.lower() not in " ".join(target + rest).lower():
        target = [f"{zh.measure} of", *target]  # "多少吨": tons, whatever is counted
    rest_text = " ".join(_dedupe(rest) + ([f"in {when}"] if when else []))
    out = _TEMPLATES[zh.wants].format(target=" ".join(_dedupe(target)), rest=rest_text)
    return " ".join(out.split()).replace(" ?", "?")


def _in_asked(zh: ChineseQuestion, start: int, end: int) -> bool:
    """The stretch is inside the noun a "what" or "how many" question asks about."""
    if zh.wants not in ("what", "count") or zh.target_start < 0:
        return False
    last = zh.target_end if zh.target_end >= 0 else len(zh.text)
    return zh.target_start <= start and end <= last


def _in_target(zh: ChineseQuestion, match: Match) -> bool:
    end = zh.target_end if zh.target_end >= 0 else len(zh.text)
    return zh.target_start <= match.start and match.end <= end


def _dedupe(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.lower() not in (o.lower() for o in out):
            out.append(item)
    return out


def passages(
    index: Index, rendering: Rendering, english: list[Passage], k: int, rrf_k: int = 60
) -> list[Passage]:
    """The English hybrid ranking of the rendering fused (reciprocal rank) with the
    multilingual one, where a chunk counts as well as its best sentence."""
    sims = rendering.similarities
    if not len(sims):
        return english[:k]
    by_chunk = {c: float(sims[ids].max()) for c, ids in enumerate(_chunk_sentences(index)) if ids}
    ranked = sorted(by_chunk, key=lambda c: -by_chunk[c])
    chunk_of = {}
    for c in ranked[:CANDIDATES]:
        chunk = index.chunks[c]
        chunk_of[(chunk.doc, chunk.start, chunk.end)] = c
    english_keys = [(p.doc, p.start, p.end) for p in english]
    fused = reciprocal_rank([list(chunk_of), english_keys], rrf_k)
    known = {(p.doc, p.start, p.end): p for p in english}
    out = []
    for rank, key in enumerate(sorted(fused, key=lambda key: -fused[key])[:k], 1):
        if key in known:
            out.append(replace(known[key], rank=rank, score=round(fused[key], 6)))
        else:  # only the multilingual ranking has it
            out.append(passage_of(index, chunk_of[key], fused[key], rank))
    return out


def _chunk_sentences(index: Index) -> list[list[int]]:
    """The sentences inside each chunk (positions in `index.sentences`), found once."""
    return _CHUNK_SENTENCES(index)


def _find_chunk_sentences(index: Index) -> list[list[int]]:
    import bisect

    by_doc = index.sentences_by_doc()
    found = []
    for chunk in index.chunks:
        starts, ids = by_doc.get(chunk.doc, ([], []))
        lo = bisect.bisect_left(starts, chunk.start)
        inside = []
        for at in range(lo, len(starts)):
            i = ids[at]
            if index.sentences[i][2] > chunk.end:
                break
            inside.append(i)
        found.append(inside)
    return found


_CHUNK_SENTENCES = PerIndex(_find_chunk_sentences)


def refers_back(text: str) -> bool:
    """A Chinese question that leans on the one before: "那友好交流城市呢？", "它是第几个？"."""
    stripped = text.strip()
    return bool(
        re.match(r"^(那|那么|那末|还有|另外|以及|和|跟|而|再问|同样)", stripped)
        or re.search(r"呢\s*[?？]?\s*$", stripped)
        or re.search(
            r"(它|它们|他们|她们|这个|那个|该|其|此|这些|那些|这家|那家|这位|那位|这里|那里"
            r"|这儿|那儿|里面|里头|当中|上述|前者|后者|对方)",
            stripped,
        )
    )
