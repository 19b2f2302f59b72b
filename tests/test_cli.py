"""The real `cqqa` command in a subprocess: help, ask (JSON and text), and every bad input."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from homes import Home, assert_one_line_error, check_answer_json, clone_index, make_home, run

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "sentence_transformers", "transformers", "faiss", "gradio", "onnxruntime")


def test_help_exits_zero_and_lists_commands():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("ask", "index", "eval"):
        assert command in result.stdout
    assert result.stderr == ""
    for command in ("ask", "index", "eval"):
        sub = run(command, "--help")
        assert sub.returncode == 0 and "usage: cqqa " + command in sub.stdout


@pytest.mark.parametrize("argv", [["--help"], ["ask", "--help"], ["eval", "--help"]])
def test_help_imports_nothing_heavy(argv):
    """`--help` answers instantly because torch, FAISS and gradio are imported lazily."""
    code = "\n".join(
        [
            "import sys",
            "from cqqa import cli",
            "try:",
            f"    cli.main({argv!r})",
            "except SystemExit:",
            "    pass",
            f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().endswith("LOADED []"), result.stdout + result.stderr


def test_ask_json_is_the_contract(home, documents):
    question = "How many ports does the western land and sea channel link with?"
    result = run("ask", question, "--json", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # a current index: no note, no warning
    data = json.loads(result.stdout)
    check_answer_json(data, documents)
    assert data["question"] == question and data["history"] == []
    assert len(data["passages"]) == 5  # default k
    assert data["abstained"] is False and "319" in data["answer"]["text"]
    assert any(f["text"] == "319" for f in data["facts"])
    assert "319 ports" in data["passages"][0]["text"] or any(
        "319 ports" in p["text"] for p in data["passages"][:3]
    )


def test_ask_json_with_k_retriever_and_history(home, documents):
    result = run(
        "ask",
        "And how many countries and regions?",
        "--history",
        "How many ports does the western land and sea channel link with?",
        "-k",
        "3",
        "--retriever",
        "bm25",
        "--json",
        home=home,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check_answer_json(data, documents)
    assert len(data["passages"]) == 3
    assert data["history"] == ["How many ports does the western land and sea channel link with?"]


def test_ask_json_abstains_on_an_unanswerable_question(home, documents):
    result = run("ask", "What is the population of Chongqing in 1850?", "--json", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check_answer_json(data, documents)
    assert data["abstained"] is True and data["answer"] is None


@pytest.mark.parametrize("retriever", ["dense", "bm25", "hybrid"])
def test_ask_text_output_is_readable(home, retriever):
    result = run("ask", "When did the Myanmar consulate open?", "--retriever", retriever, home=home)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out  # no colour codes when stdout is not a terminal
    assert not out.lstrip().startswith("{")
    first = out.splitlines()[0]
    assert first.startswith("Answer: ") or first.startswith("Not in the article")
    assert re.search(r"^\[1\] chongqing-international-links \d+-\d+ \(score ", out, re.M)
    assert "Consulate General of Myanmar" in out
    assert max(len(line) for line in out.splitlines()) <= 120


# ---------------------------------------------------------------- bad input


def _long() -> str:
    return "How many ports? " * 126  # 2,016 characters


BAD_ASK = {
    "empty question": (["ask", ""], {}, ["empty"]),
    "blank question": (["ask", "  \t \n "], {}, ["empty"]),
    "question over 2000 chars": (["ask", _long()], {}, ["2,016", "2,000"]),
    "k zero": (["ask", "ports?", "-k", "0"], {}, ["k must be between 1 and 100"]),
    "k too big": (["ask", "ports?", "-k", "101"], {}, ["k must be between 1 and 100"]),
    "k not a number": (["ask", "ports?", "-k", "abc"], {}, ["-k", "abc"]),
    "unknown retriever": (["ask", "ports?", "--retriever", "magic"], {}, ["magic", "hybrid"]),
    "k env not a number": (["ask", "ports?"], {"CQQA_K": "lots"}, ["whole number", "lots"]),
    "retriever env unknown": (["ask", "ports?"], {"CQQA_RETRIEVER": "x"}, ["Unknown retriever"]),
    # chunk_max_chars=0 used to hang the build forever in an endless loop.
    "chunk max chars zero": (["index"], {"CQQA_CHUNK_MAX_CHARS": "0"}, ["at least 50"]),
    "chunk overlap too big": (["index"], {"CQQA_CHUNK_OVERLAP": "3"}, ["chunk_overlap"]),
    "negative rrf k": (["ask", "ports?"], {"CQQA_RRF_K": "-60"}, ["rrf_k"]),
    "question limit zero": (["ask", "ports?"], {"CQQA_MAX_QUESTION_CHARS": "0"}, ["at least 1"]),
    "unknown command": (["frobnicate"], {}, ["frobnicate"]),
    "no question": (["ask"], {}, ["question"]),
    "eval file missing": (["eval", "no-such-file.jsonl"], {}, ["no-such-file.jsonl"]),
}


def in_process(argv: list[str], home: Home, env: dict, monkeypatch, capsys):
    """`cli.main(argv)` in this process, pointed at `home`, as a CompletedProcess."""
    from cqqa import cli

    for name, value in {**home.env, **env}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(home.root)
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out = capsys.readouterr()
    return subprocess.CompletedProcess(argv, code, out.out, out.err)


@pytest.mark.parametrize("case", BAD_ASK, ids=list(BAD_ASK))
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, case, monkeypatch, capsys):
    """Checked before any index is read or built: this home has the corpus and no index."""
    argv, env, words = BAD_ASK[case]
    home = Home(tmp_path, tmp_path / "corpus", tmp_path / "index")
    shutil.copytree(ROOT / "corpus", home.corpus)
    assert_one_line_error(in_process(argv, home, env, monkeypatch, capsys), *words)
    assert not home.index.exists()


@pytest.mark.parametrize("case", ["empty question", "k env not a number", "unknown command"])
def test_bad_arguments_in_a_real_process(home, case):
    """The same contract from the installed command: exit code 2 and one line, no traceback."""
    argv, env, words = BAD_ASK[case]
    assert_one_line_error(run(*argv, home=home, env=env), *words)


def test_missing_corpus_dir(tmp_path):
    result = run(
        "ask", "ports?", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i")
    )
    assert_one_line_error(result, "No corpus folder", str(tmp_path / "nope"), "cqqa index")
    assert not (tmp_path / "i").exists()


@pytest.mark.parametrize("command", [["ask", "ports?"], ["index"], ["eval", "QUESTIONS"]])
def test_empty_corpus_dir(tmp_path, command):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "notes.rst").write_text("not a document")
    argv = [str(tmp_path / "q.jsonl") if a == "QUESTIONS" else a for a in command]
    (tmp_path / "q.jsonl").write_text(
        '{"id": "1", "question": "q?", "answers": [], "type": "t", "style": "s"}\n'
    )
    result = run(*argv, "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index"))
    assert_one_line_error(result, "No documents in", "Put .txt or .md files there")


def test_corpus_with_only_a_non_utf8_file(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "legacy.txt").write_bytes("Caf\xe9 \xe0 Chongqing".encode("latin-1"))
    result = run(
        "ask", "ports?", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")
    )
    assert_one_line_error(result, "legacy.txt", "not UTF-8", "iconv")


def test_missing_model_dir(home, tmp_path):
    result = run("ask", "ports?", "--model", str(tmp_path / "no-model"), home=home)
    assert_one_line_error(result, "No model directory", "--model")


@pytest.mark.parametrize(
    "line,words",
    [
        ("not json", ["q.jsonl:2", "not valid JSON"]),
        ('["a", "list"]', ["q.jsonl:2"]),
        ('{"id": "x", "question": "q?", "answers": "319", "type": "t", "style": "s"}', ["answers"]),
        ('{"id": "x", "question": "", "answers": [], "type": "t", "style": "s"}', ["q.jsonl:2"]),
        ('{"id": "a", "question": "q?", "answers": [], "type": "t", "style": "s"}', ["duplicate"]),
        (
            '{"id": "x", "question": "q?", "answers": [], "type": "t", "style": "s", '
            '"history": "not a list"}',
            ["history"],
        ),
        ("[" * 100_000 + "]" * 100_000, ["q.jsonl:2", "nested too deeply"]),
        (
            '{"id": "x", "question": "q?", "answers": ["319 \\ud800"], "type": "t", "style": "s"}',
            ["q.jsonl:2", "answers", "surrogate"],
        ),
        (
            '{"id": "x", "question": "q?", "answers": ["319"], "type": "t", "style": "s", '
            '"evidence": "\\udfff"}',
            ["q.jsonl:2", "evidence", "surrogate"],
        ),
    ],
)
def test_bad_question_file(home, tmp_path, line, words):
    good = '{"id": "a", "question": "How many ports?", "answers": ["319"], "type": "count", '
    good += '"style": "close", "evidence": "319 ports", "history": []}'
    path = tmp_path / "q.jsonl"
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    assert_one_line_error(run("eval", str(path), home=home), *words)
    assert_one_line_error(run("eval", str(path), "--json", home=home), *words)


def test_a_question_file_with_a_byte_order_mark_is_read(home, tmp_path):
    good = '{"id": "a", "question": "How many ports?", "answers": ["319"], "type": "count", '
    good += '"style": "close", "evidence": "319 ports", "history": []}'
    path = tmp_path / "q.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + good.encode("utf-8") + b"\n")
    result = run("eval", str(path), "--json", home=home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["questions"] == 1


def test_corpus_flag_alone_gets_its_own_index(built, tmp_path):
    """`--corpus X` without `--index` must not replace the default corpus's index."""
    settings, _ = built
    home = make_home(tmp_path, settings, with_index=False)
    clone_index(settings.index_dir, home.corpus / ".cqqa-index")  # current for that corpus
    env = {"CQQA_INDEX_DIR": "", "CQQA_INDEX": "", "CQQA_CORPUS_DIR": ""}
    # Run in home.root, where a default ./index does not exist: using it would mean a build.
    result = run("ask", "How many ports?", "--corpus", str(home.corpus), home=home, env=env)
    assert result.returncode == 0, result.stderr
    assert "Building the index" not in result.stderr  # it used corpus/.cqqa-index, current
    assert not home.index.exists()
    assert "319" in result.stdout
