"""Answerability: how likely the verified span is the answer, from a small fitted model.

The reader's own "no answer" score does not separate answerable from unanswerable
questions well; a logistic regression over the reader's scores and the sentence's fit,
fitted on SQuAD articles neither the reader nor anything else here was trained on
(train/calibrate.py), does better. Below its fitted threshold, cqqa declines.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from ..errors import ModelError
from ..question import Question
from ..reader import ANSWERABILITY_FILE as _ANSWERABILITY
from ..reader import READER_DIR
from ..records import Passage
from ..textutil import stem, words
from .sentences import Sentence

ANSWERABILITY_FILE = READER_DIR / _ANSWERABILITY


def min_confidence() -> float:
    """Below this probability that the chosen span is right, decline. train/calibrate.py
    fits it with the model, on the calibration articles: the most balanced floor (accuracy +
    abstention recall) that declines at most 15% of answerable numeric questions there."""
    return float(_answerability_model()["threshold"])


FEATURE_COUNT = 10  # what features() returns, in that order; the model file must match


def features(
    asked: Question, span, sentence: Sentence, passage: Passage, fit: float
) -> list[float]:
    """What the answerability model weighs: the reader's certainty and the sentence's fit."""
    terms = set(asked.terms)
    stems = {stem(w) for w in words(sentence.text)}
    window = {stem(w) for w in words(passage.text)}
    return [
        span.score,
        span.score - span.null_score,
        span.prob,
        sentence.similarity,
        len(terms & stems) / len(terms) if terms else 0.0,
        len(terms & window) / len(terms) if terms else 0.0,
        1.0 / passage.rank,
        fit,
        span.null_score,
        float(passage.dense_score or 0.0),
    ]


def answerability(features: list[float]) -> float:
    """P(the span answers the question): logistic regression fitted by train/calibrate.py."""
    model = _answerability_model()
    z = model["bias"] + sum(
        w * (x - m) / sd
        for w, x, m, sd in zip(model["weights"], features, model["mean"], model["std"])
    )
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def _answerability_model() -> dict:
    try:
        model = json.loads(ANSWERABILITY_FILE.read_text(encoding="utf-8"))
        sizes = {len(model[k]) for k in ("weights", "mean", "std")}
        usable = sizes == {FEATURE_COUNT} and all(float(v) > 0 for v in model["std"])
        if (
            usable
            and float(model["bias"]) == float(model["bias"])
            and float(model["threshold"]) >= 0
        ):
            return model
    except (OSError, ValueError, KeyError, TypeError):
        pass
    raise ModelError(
        f"The answerability model {ANSWERABILITY_FILE} is missing or damaged. Restore it "
        "(git checkout) or run `make train`."
    )
