"""Generation folders: a new one named, CURRENT switched atomically, old ones removed when
nobody holds them, and the build lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import IndexProblem
from ..fileutil import fsync
from ..textutil import safe_name
from .store import CURRENT, LOCK, Index, Note, _stderr


def _new_generation(index_dir: Path) -> Path:
    """A folder name no other build uses: two builds may start within the same second."""
    stem = f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    generation, n = index_dir / stem, 1
    while generation.exists():
        n += 1
        generation = index_dir / f"{stem}-{n}"
    return generation


def previous_name(previous: Index | None) -> str:
    return previous.directory.name if previous else ""


def _switch(index_dir: Path, generation: Path, note: Note = _stderr) -> None:
    current = index_dir / CURRENT
    if current.is_dir() and not current.is_symlink():  # damaged: it cannot be replaced
        aside = index_dir / f"{CURRENT}.damaged-{time.strftime('%Y%m%dT%H%M%S')}"
        os.rename(current, aside)
        note(f"Moved the folder {safe_name(current)} aside to {safe_name(aside)}.")
    pointer = index_dir / f".{CURRENT}.{os.getpid()}"
    pointer.write_text(generation.name + "\n", encoding="utf-8")
    with open(pointer, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, current)
    fsync(index_dir)


def _remove_old_generations(index_dir: Path, keep: set[str]) -> None:
    """Delete generations no one reads; one in use stays until a later build (see _Hold)."""
    for path in index_dir.glob("gen-*"):
        if path.name in keep or path.is_symlink() or not path.is_dir():
            continue
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # a reader holds it
            continue
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(index_dir: Path) -> Iterator[None]:
    """One build at a time; a second waits for the first, then builds on its result."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / LOCK, "a+", encoding="utf-8")
    except OSError as exc:
        raise cannot_write(index_dir, exc) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cannot_write(index_dir: Path, exc: OSError) -> IndexProblem:
    """The one-line refusal for a failed index write, with the fix that fits the cause."""
    where = safe_name(index_dir)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return IndexProblem(
            f"Cannot write the index at {where}: the disk is full ({exc.strerror}). Free some "
            "space on it, or choose another folder with --index or CQQA_INDEX_DIR."
        )
    return IndexProblem(
        f"Cannot write the index at {where} ({exc.strerror or exc}). "
        "Make it writable, or choose another folder with --index or CQQA_INDEX_DIR."
    )
