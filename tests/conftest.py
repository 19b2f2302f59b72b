"""Shared fixtures: one real index (real model, real FAISS) built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The ONNX export cache (cqqa/index/exports.py) of this test run, not the user's ~/.cache:
# the first build exports with torch, later builds in fresh homes link the export.
os.environ.setdefault("CQQA_CACHE_DIR", tempfile.mkdtemp(prefix="cqqa-test-cache-"))
ARTICLE = ROOT / "corpus" / "chongqing-international-links.txt"
QUESTIONS = ROOT / "eval" / "questions.jsonl"
# Debian's Chromium, never a browser downloaded by Playwright (no network here).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(settings, index) for a private copy of corpus/ and a fresh index beside it."""
    from cqqa.config import Settings
    from cqqa.index import open_index

    home = tmp_path_factory.mktemp("cqqa")
    shutil.copytree(ROOT / "corpus", home / "corpus")
    settings = Settings(corpus_dir=home / "corpus", index_dir=home / "index")
    index = open_index(settings, note=lambda message: None)
    return settings, index


@pytest.fixture(scope="session")
def settings(built):
    return built[0]


@pytest.fixture(scope="session")
def index(built):
    return built[1]


@pytest.fixture(scope="module")
def home(built):
    """The session's index, used read-only: `ask` on a current index writes nothing."""
    from homes import Home

    settings, _ = built
    return Home(settings.corpus_dir.parent, settings.corpus_dir, settings.index_dir)


@pytest.fixture(scope="module")
def documents(index) -> dict[str, str]:
    return {doc_id: d.text for doc_id, d in index.documents.items()}


@pytest.fixture(scope="module")
def app_url(built, tmp_path_factory):
    """`python app.py` serving the test corpus on a free port, until the module ends."""
    from homes import running_app

    settings, _ = built
    env = {
        **os.environ,
        "CQQA_CORPUS_DIR": str(settings.corpus_dir),
        "CQQA_INDEX_DIR": str(settings.index_dir),
    }
    with running_app(env, tmp_path_factory.mktemp("web")) as url:
        yield url


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: int = 300):
    """The real `cqqa` command in a fresh process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cqqa", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium for the page tests (they skip without it, but fail under CI=true)."""
    if not CHROMIUM.exists():
        pytest.fail(f"CI=true but {CHROMIUM} is missing: run `make browser`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# ---------------------------------------------------------------- markers
# `pytest -m "not slow"` is the fast loop (the small corpus with the fake encoder, parsing,
# facts, scoring); `make test` and CI run everything. A test is `slow` when it needs the real
# index (the sentence-transformers model), a browser, or a `cqqa` subprocess, and `browser`
# when it drives Chromium. Marked here from what each test uses, so no test can forget it.
REAL_INDEX = {"built", "settings", "index", "cli", "report_index"}  # the real model
SUBPROCESS = ("run_cli(", "_cqqa(", 'run("', "run_app", "subprocess.", "Popen", "sys.executable")


def _calls_a_process(item: pytest.Item) -> bool:
    import inspect

    try:
        source = inspect.getsource(getattr(item, "function", None) or item.obj)
    except (OSError, TypeError):
        return True  # unknown: count it as slow
    return any(s in source for s in SUBPROCESS)


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if "browser" in names or names & REAL_INDEX or _calls_a_process(item):
            item.add_marker(pytest.mark.slow)
