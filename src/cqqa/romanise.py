"""Chinese names as English writes them: in pinyin without tones (沙坪坝 "Shapingba").

The multilingual encoder knows little of romanised names (渝北区 ~ "Yuzhong District" 0.58,
~ "Yubei District" 0.59), so a place name is checked by its sound: the name spells a
document's word when some reading of each character, joined, is that word. Only the
per-character readings of pypinyin are read (its pinyin_dict.json, about 35 ms), not its
phrase dictionary nor the package (about 0.3 s to import): a name is spelled by trying
every reading of every character, which the phrase dictionary would only narrow.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

# Spellings tried for one name: six characters of three readings each are 729; a longer
# or more ambiguous one is no place name.
MAX_SPELLINGS = 1024
_NOT_LETTER = re.compile(r"[^a-z]")
# Tone marks off, and ü written u as English does: "zhòng" -> "zhong", "lǘ" -> "lu".
_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ", "aaaaeeeeiiiioooouuuuuuuuunnnm")


@functools.cache
def _raw() -> dict[str, str]:
    """pypinyin's readings by code point ("37325": "zhòng,chóng,tóng"); {} without it."""
    import importlib.util

    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # another layout of the package: its own loader
        from pypinyin.pinyin_dict import pinyin_dict

        return {str(code): value for code, value in pinyin_dict.items()}


def _bare(reading: str) -> str:
    return _NOT_LETTER.sub("", reading.translate(_TONELESS))


@functools.cache
def readings(ch: str) -> tuple[str, ...]:
    """A character's readings without tones (重: zhong, chong, tong); () when unknown."""
    value = _raw().get(str(ord(ch)), "")
    return tuple(dict.fromkeys(_bare(r) for r in value.split(",") if r))


@functools.cache
def syllables() -> frozenset[str]:
    """Every reading of every character: the syllables pinyin is made of (without the
    vowelless interjections m, n, ng, hm, which would let almost any word be pinyin)."""
    bare = {_bare(r) for value in _raw().values() for r in value.split(",")}
    return frozenset(r for r in bare if re.search(r"[aeiou]", r))


def normalised(english: str) -> str:
    """A romanised name as letters alone: "Nan’an" -> "nanan", "Wang Yi" -> "wangyi"."""
    return _NOT_LETTER.sub("", english.lower())


def spellings(chinese: str) -> set[str]:
    """The ways the Chinese characters may be written in pinyin, joined and lower case;
    empty when a character has no reading known (or pypinyin is not installed)."""
    out = {""}
    for ch in chinese:
        options = readings(ch)
        if not options:
            return set()
        out = {s + r for s in out for r in options}
        if len(out) > MAX_SPELLINGS:
            return set()
    return out


def spells(chinese: str, english: str) -> bool:
    """The Chinese name, read in pinyin, is the English words (渝北, "Yubei")."""
    return normalised(english) in spellings(chinese)


def is_pinyin(english: str) -> bool:
    """The words are pinyin syllables end to end ("Yuzhong", "Nan’an"), as a romanised
    Chinese name is; "Myanmar", "Belarus" and "District" are not."""
    word = normalised(english)
    known = syllables()
    if not word or not known:
        return False
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(
            reachable[start] and word[start:end] in known for start in range(max(0, end - 6), end)
        )
    return reachable[-1]
