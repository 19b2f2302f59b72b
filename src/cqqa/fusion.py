"""Joining rankings into one: reciprocal rank fusion, apart from the rankers it joins.

Cormack, Clarke and Buettcher (2009): a candidate's fused score is the sum over rankings of
1 / (rrf_k + its rank there), so only ranks matter, never the rankers' incomparable scores.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


def reciprocal_rank(rankings: Iterable[Sequence[Key]], rrf_k: int = 60) -> dict[Key, float]:
    """Each key's fused score; `rankings` are keys best first (rank 1 first). The dict keeps
    the order keys were first seen in, so ties sort as the earlier ranking put them."""
    fused: dict[Key, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, 1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (rrf_k + rank)
    return fused
