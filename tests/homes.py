"""Private cqqa "homes" (a corpus copy + an index copy) for tests that change files.

Building an index from nothing costs ~10 s (torch import + ONNX export); copying the
session's built index beside a copy of its corpus gives a *current* index for free,
and a rebuild from it reuses the ONNX encoder and every embedding it already has.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from cqqa.config import Settings

ROOT = Path(__file__).resolve().parents[1]
# Files a test never modifies in place: hard links keep a clone cheap (~90 MB ONNX).
_LINKED = {"encoder.onnx", "tokenizer.json"}


@dataclass(frozen=True)
class Home:
    root: Path
    corpus: Path
    index: Path

    @property
    def settings(self) -> Settings:
        return Settings(corpus_dir=self.corpus, index_dir=self.index)

    @property
    def env(self) -> dict[str, str]:
        """CQQA_* for a subprocess: this home, every other setting at its default."""
        env = {f"CQQA_{f.name.upper()}": "" for f in fields(Settings)}
        env.update(
            CQQA_CORPUS_DIR=str(self.corpus),
            CQQA_INDEX_DIR=str(self.index),
            CQQA_CORPUS=str(self.corpus),
            CQQA_INDEX=str(self.index),
            CQQA_DEBUG="",
        )
        return env

    def generation(self) -> Path:
        return self.index / (self.index / "CURRENT").read_text().strip()


def _copy(src: str, dst: str) -> str:
    if Path(src).name in _LINKED:
        try:
            os.link(src, dst)
            return dst
        except OSError:
            pass
    return shutil.copy2(src, dst)


def clone_index(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=_copy, ignore=shutil.ignore_patterns(".lock"))


def document_index(home: Path, name: str, text: str):
    """The index of a corpus of one document, `name` holding `text`, built under `home` with
    the real encoder (its similarities, where a rule depends on them)."""
    from cqqa.index import open_index

    (home / "corpus").mkdir()
    (home / "corpus" / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=home / "corpus", index_dir=home / "index")
    return open_index(settings, note=lambda message: None)


def make_home(tmp_path: Path, built_settings: Settings, with_index: bool = True) -> Home:
    """A corpus copy and (by default) a current index copy under tmp_path."""
    home = Home(tmp_path, tmp_path / "corpus", tmp_path / "index")
    shutil.copytree(built_settings.corpus_dir, home.corpus)
    if with_index:
        clone_index(built_settings.index_dir, home.index)
    return home


def run(
    *args: str, home: Home | None = None, env: dict | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    """The real `cqqa` command in a fresh process, pointed at `home`."""
    full_env = {**os.environ, **(home.env if home else {}), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cqqa", *args],
        cwd=home.root if home else ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_cli(*args: str, home: Home, stdout: int = subprocess.PIPE) -> subprocess.Popen:
    """The real `cqqa` command started in the background, pointed at `home`."""
    return subprocess.Popen(
        [sys.executable, "-m", "cqqa", *args],
        env={**os.environ, **home.env},
        cwd=home.root,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> str:
    """Exit code 2, one line on stderr naming the problem, no traceback, nothing on stdout."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    line = lines[0]
    assert line.startswith("cqqa"), line
    for word in words:
        assert word.lower() in line.lower(), (word, line)
    return line


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_answer_json(data: dict, documents: dict[str, str]) -> None:
    """The `ask --json` contract of issue 2, key by key and type by type (extra keys allowed),
    and every offset found again in its document (`documents`: id -> text)."""
    assert isinstance(data, dict)
    assert isinstance(data["question"], str) and data["question"].strip()
    assert isinstance(data["history"], list) and all(isinstance(h, str) for h in data["history"])
    assert isinstance(data["abstained"], bool)
    answer = data["answer"]
    assert (answer is None) == data["abstained"]
    if answer is not None:
        assert isinstance(answer, dict)
        for key, kind in (("text", str), ("doc", str), ("start", int), ("end", int), ("kind", str)):
            assert isinstance(answer[key], kind) and not isinstance(answer[key], bool), key
        if answer["kind"] == "derived":  # composed text; its operands and sentences hold
            doc = documents[answer["doc"]]
            assert 0 <= answer["start"] <= answer["end"] <= len(doc)
            assert isinstance(answer["derivation"], str) and answer["derivation"]
            for part in [*answer["operands"], *answer["evidence"]]:
                assert documents[part["doc"]][part["start"] : part["end"]] == part["text"]
        else:
            assert documents[answer["doc"]][answer["start"] : answer["end"]] == answer["text"]
        assert answer["text"].strip() and answer["kind"]
    assert isinstance(data["passages"], list) and data["passages"]
    for rank, p in enumerate(data["passages"], 1):
        assert isinstance(p, dict)
        for key, kind in (("doc", str), ("start", int), ("end", int), ("text", str), ("rank", int)):
            assert isinstance(p[key], kind) and not isinstance(p[key], bool), key
        assert _number(p["score"])
        assert p["rank"] == rank
        assert documents[p["doc"]][p["start"] : p["end"]] == p["text"]
    scores = [p["score"] for p in data["passages"]]
    assert scores == sorted(scores, reverse=True)
    assert isinstance(data["facts"], list)
    for f in data["facts"]:
        for key, kind in (("text", str), ("kind", str), ("doc", str), ("start", int), ("end", int)):
            assert isinstance(f[key], kind) and not isinstance(f[key], bool), key
        assert f["value"] is None or _number(f["value"])
        assert f["unit"] is None or isinstance(f["unit"], str)
        assert documents[f["doc"]][f["start"] : f["end"]] == f["text"]


def run_app_to_exit(env: dict[str, str], cwd: Path, timeout: int = 240):
    """`python app.py` in a fresh process that is expected to stop by itself (bad setup)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    """A port nothing listens on now (bind to 0, read it, let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(env: dict[str, str], workdir: Path) -> Iterator[str]:
    """`python app.py` on a free loopback port until the block ends; yields its URL.

    Waiting is bounded (a guard against a hung start, not a timing assertion); a start
    that fails or hangs fails the test with the app's log.
    """
    port = free_port()
    env = {
        **env,
        "CQQA_HOST": "127.0.0.1",
        "CQQA_PORT": str(port),
        "GRADIO_TEMP_DIR": str(workdir / "gradio"),
    }
    log_path = workdir / "app.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 240
    try:
        while True:
            if proc.poll() is not None:
                raise AssertionError(
                    f"app.py exited with {proc.returncode}:\n{log_path.read_text()}"
                )
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"app.py did not answer on {url}:\n{log_path.read_text()}"
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
