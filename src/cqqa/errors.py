"""Errors whose messages say what went wrong and what to do about it.

The library raises these; the CLI and the web app turn them into one line.
"""

from __future__ import annotations


class CqqaError(Exception):
    """Base class: the message is shown to the user as it is."""


class InputError(CqqaError):
    """The question or an argument cannot be used."""


class CorpusError(CqqaError):
    """The corpus folder is missing, empty or unreadable."""


class IndexProblem(CqqaError):
    """The index is missing, broken or cannot be written."""


class ModelError(CqqaError):
    """The embedding model cannot be found, loaded or trusted."""


__all__ = ["CqqaError", "CorpusError", "IndexProblem", "InputError", "ModelError"]
