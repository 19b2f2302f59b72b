"""Small text helpers shared across the pipeline."""

from cqqa.textutil import BoundedCache, bm25_tokens, words


def test_bounded_cache_forgets_the_least_recently_used():
    cache = BoundedCache(2)
    cache["a"], cache["b"] = 1, 2
    assert cache.get("a") == 1  # "a" is now the most recent
    cache["c"] = 3
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3
    assert cache.get("missing", "default") == "default"
    assert len(cache) == 2


def test_words_keep_numbers_whole_and_fold_apostrophes():
    assert words("Chongqing’s 10,000th train: 343.83 billion") == [
        "chongqing",
        "s",
        "10000th",
        "train",
        "343.83",
        "billion",
    ]
    assert "port" in bm25_tokens("How many ports?")
