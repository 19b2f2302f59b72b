"""Values derived from one loaded index, kept by the module that derives them."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PerIndex(Generic[T]):
    """A value derived from one loaded index, computed on first use and kept while the index
    lives, by the module that derives it: the vocabulary's speller, the sentences' stems, a
    view of some documents. The index itself holds no other module's state (issue 10)."""

    def __init__(self, make: Callable[[Any], T]):
        self._make = make
        self._values: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()

    def __call__(self, index: Any) -> T:
        try:
            return self._values[index]
        except KeyError:
            value = self._values[index] = self._make(index)
            return value
