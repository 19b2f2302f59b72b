"""The fast paths of issue 5: the ONNX query encoder agrees with sentence-transformers, a
cold `ask` never imports torch, a missing or damaged export falls back with a note instead
of rebuilding, `--help` and `facts` load no model, loads hash only what changed, and a
rebuild re-embeds, re-tokenizes and re-assigns only what changed. No wall-clock asserts:
the times are in benchmarks/RESULTS.md."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli
from homes import Home, make_home

from cqqa import index as index_module
from cqqa.config import Settings
from cqqa.embedding import ONNX_FILE, ModelInfo, OnnxEncoder, TorchEncoder
from cqqa.errors import IndexProblem
from cqqa.index import build, load, open_index, read_manifest
from cqqa.textutil import bm25_tokens

PORTS = "How many ports does the western land and sea channel link with?"
MODEL_MODULES = ("torch", "sentence_transformers", "transformers")
# Loaded by `ask` only when it needs them; never by --help or facts.
QUERY_MODULES = ("onnxruntime", "tokenizers")
# Never needed to answer from a current flat index (bm25s imports scipy; FAISS searches
# only an IVF index, a flat one is scanned with numpy).
NEVER_FOR_ASK = (*MODEL_MODULES, "scipy", "sklearn", "bm25s", "faiss", "gradio")

# Runs the real CLI in this process and reports, even when it exits, which modules loaded.
PROBE = textwrap.dedent(
    """
    import json, os, sys
    code = 0
    try:
        from cqqa.cli import main
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        names = json.loads(os.environ["PROBE_MODULES"])
        with open(os.environ["PROBE_REPORT"], "w") as handle:
            json.dump({name: name in sys.modules for name in names}, handle)
    sys.exit(code)
    """
)
PROBED = sorted({*NEVER_FOR_ASK, *QUERY_MODULES})


def probe(tmp_path: Path, *args: str, env: dict | None = None):
    """(completed process, {module: imported?}) for `cqqa ARGS` in a fresh process."""
    import subprocess

    report = tmp_path / f"modules-{len(list(tmp_path.glob('modules-*')))}.json"
    full_env = {
        **os.environ,
        **(env or {}),
        "PROBE_REPORT": str(report),
        "PROBE_MODULES": json.dumps(PROBED),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result, json.loads(report.read_text())


@pytest.fixture
def home(tmp_path, built) -> Home:
    return make_home(tmp_path / "home", built[0])


# ---------------------------------------------------------------- ONNX == torch


def varied_texts() -> list[str]:
    article = (Path(__file__).resolve().parents[1] / "corpus").glob("*.txt")
    text = next(article).read_text(encoding="utf-8")
    sentences = [s.strip() for s in text.split(".") if len(s.strip()) > 20]
    long_text = " ".join(sentences[:40])  # far beyond 256 word pieces: both truncate
    return [
        "",
        " ",
        "\n\t",
        ".",
        "?",
        "a",
        "42",
        "US$5.5 billion",
        "343.83",
        "10,000th",
        PORTS,
        "how many ports",
        "PORTS PORTS PORTS",
        "重庆是中国西部的一个直辖市。",
        "西部陆海新通道连接了多少个港口？",
        "中欧班列（渝新欧）",
        "東京と重慶の間の直行便",
        "서울과 충칭 사이의 항공편",
        "Чунцин — город в Китае.",
        "Η Τσονγκτσίνγκ είναι πόλη.",
        "مدينة تشونغتشينغ",
        "🚄🚢✈️",
        "Chongqing 🚆 to Europe 🇪🇺 in 12 days 🎉",
        "café, naïve, résumé, Ångström, São Paulo, Zürich, Kraków, Łódź",
        "Chongqing’s “international” links — a non\u00a0breaking space",
        "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ １２３",
        "e\u0301 composed vs é precomposed",
        "\u200b zero width space",
        "tab\tseparated\tvalues",
        "line one\nline two\n\nline four",
        "   leading and trailing spaces   ",
        "ALL CAPS QUESTION ABOUT THE RAILWAY?",
        "mixed 中文 and English words together",
        "What was the trade volume in 2023 compared with 2022?",
        "qwertyuiop asdfghjkl zxcvbnm",
        "the the the the the the the the",
        "-5 degrees",
        "<html><body>markup</body></html>",
        '{"json": [1, 2, 3]}',
        "https://example.com/a/b?c=d",
        "x" * 300,
        "word " * 400,
        "重庆" * 300,
        "😀" * 200,
        long_text,
        long_text.upper(),
        *sentences[:12],
    ]


def test_onnx_and_sentence_transformers_embeddings_agree(index):
    texts = varied_texts()
    assert len(texts) >= 50
    onnx = OnnxEncoder(index.directory, index.model["max_seq_length"])
    from tokenizers import Tokenizer

    untruncated = Tokenizer.from_file(str(index.directory / "tokenizer.json"))
    untruncated.no_truncation()
    untruncated.no_padding()
    long = [t for t in texts if len(untruncated.encode(t).ids) > 256]
    assert len(long) >= 4, "some texts must be longer than the model's 256-token window"
    torch_vectors = TorchEncoder(ModelInfo(**index.model)).encode(texts)
    onnx_vectors = onnx.encode(texts)
    assert onnx_vectors.shape == torch_vectors.shape == (len(texts), 384)
    assert onnx_vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(onnx_vectors * torch_vectors, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.9999, (texts[worst][:60], float(cosines[worst]))
    # Not one vector for everything: the texts really are embedded differently.
    assert np.sum(onnx_vectors[10] * onnx_vectors[13]) < 0.9
    # Batch composition does not change a text's vector (padding is masked out).
    alone = onnx.encode([texts[13]])[0]
    assert float(alone @ onnx_vectors[13]) >= 0.99999


# ---------------------------------------------------------------- what a command imports


def test_cold_ask_with_a_current_index_never_imports_torch(home, tmp_path):
    result, modules = probe(tmp_path, "ask", PORTS, "--json", env=home.env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "a current index: no rebuild, no fallback note"
    assert "319" in json.loads(result.stdout)["answer"]["text"]
    assert modules["onnxruntime"] and modules["tokenizers"], "the ONNX path answered"
    assert not [name for name in NEVER_FOR_ASK if modules[name]], modules


def test_eval_never_imports_torch(home, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {"id": "p", "question": PORTS, "answers": ["319"], "evidence": None}
            | {"type": "count", "style": "close"}
        )
        + "\n"
    )
    result, modules = probe(tmp_path, "eval", str(questions), "--json", env=home.env)
    assert result.returncode == 0, result.stderr
    assert not [name for name in MODEL_MODULES if modules[name]], modules
    assert modules["onnxruntime"]


@pytest.mark.parametrize(
    "args", [["--help"], ["ask", "--help"], ["facts"], ["facts", "--format", "json"]]
)
def test_help_and_facts_load_no_model(home, tmp_path, args):
    result, modules = probe(tmp_path, *args, env=home.env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    loaded = [name for name in (*MODEL_MODULES, *QUERY_MODULES, "faiss") if modules[name]]
    assert not loaded, f"`cqqa {' '.join(args)}` loaded {loaded}"


# ---------------------------------------------------------------- the export is optional


def _ask(home: Home, tmp_path: Path):
    result, modules = probe(tmp_path, "ask", PORTS, "--json", env=home.env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout), result.stderr, modules


def test_missing_export_is_rebuilt_once_then_asks_need_no_torch(home, tmp_path):
    """Issue 11: a missing export that the manifest lists is a stale index (every later ask
    used to wait for torch, and `cqqa index` said current)."""
    (home.generation() / ONNX_FILE).unlink()  # a hard link: the session's index keeps its copy
    data, stderr, _modules = _ask(home, tmp_path)
    assert "Building the index: the ONNX encoder is missing (encoder.onnx)." in stderr
    assert "319" in data["answer"]["text"]
    data, stderr, modules = _ask(home, tmp_path)
    assert stderr == "" and "319" in data["answer"]["text"]
    assert not modules["sentence_transformers"], "the export is back: no torch on the ask path"


def test_an_index_built_without_an_export_falls_back_without_a_rebuild_loop(home, tmp_path):
    """A build that could not export (onnxruntime or torch.onnx failing) lists no export:
    then questions are encoded by sentence-transformers with a note, every time, and the
    index is not rebuilt for it."""
    generation = home.generation()
    manifest = json.loads((generation / "manifest.json").read_text("utf-8"))
    for name in (ONNX_FILE, "tokenizer.json"):
        (generation / name).unlink()
        del manifest["files"][name]
    manifest["checksum"] = index_module._manifest_checksum(manifest)
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for _ in range(2):  # and again: no rebuild loop, the same note each time
        data, stderr, modules = _ask(home, tmp_path)
        assert "319" in data["answer"]["text"]
        assert "no ONNX encoder" in stderr and "sentence-transformers" in stderr
        assert "Building the index" not in stderr
        assert modules["sentence_transformers"], "the fallback really encoded the question"
        assert home.generation() == generation
    result = run_cli("index", env=home.env)
    assert result.returncode == 0 and "is current" in result.stdout, result.stderr


def test_damaged_export_is_not_trusted_and_is_exported_again(home, tmp_path):
    path = home.generation() / ONNX_FILE
    data = bytearray(path.read_bytes())
    path.unlink()  # never write through the hard link into the session's index
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    answer, stderr, _modules = _ask(home, tmp_path)
    assert "319" in answer["answer"]["text"]
    assert "Building the index: the ONNX encoder is damaged" in stderr
    answer, stderr, modules = _ask(home, tmp_path)
    assert stderr == "" and not modules["sentence_transformers"]


def test_the_next_rebuild_restores_a_missing_export(home):
    (home.generation() / ONNX_FILE).unlink()
    (home.corpus / "extra.txt").write_text("Extra notes. The depot holds 9 cranes.\n")
    notes: list[str] = []
    index = open_index(home.settings, note=notes.append)
    assert (index.directory / ONNX_FILE).is_file()
    assert index.has_onnx
    assert type(index.encoder).__name__ == "OnnxEncoder"
    assert index.manifest["build"]["embedded"] <= 5, "old texts were not embedded again"


def test_a_rebuild_then_a_question_loads_the_encoder_once(home, monkeypatch):
    """`ask` on a stale index: the encoder the rebuild used also answers the question."""
    from cqqa.answer import answer

    made: list[Path] = []
    original = OnnxEncoder.__init__

    def counting(self, directory, *args, **kwargs):
        made.append(directory)
        original(self, directory, *args, **kwargs)

    monkeypatch.setattr(OnnxEncoder, "__init__", counting)
    (home.corpus / "extra.txt").write_text("Extra notes. The depot holds 9 cranes.\n")
    index = open_index(home.settings, note=lambda message: None)
    assert index.manifest["build"]["embedded"] > 0  # the rebuild needed the encoder
    assert "319" in answer(index, PORTS).answer.text
    assert len(made) == 1, made


# ---------------------------------------------------------------- hashing on load


def test_a_second_load_samples_the_large_export_and_an_altered_file_is_still_caught(
    home, monkeypatch
):
    """Issue 11: small files are hashed on every load (a flip that changes no metadata is
    caught), the 90 MB export only sampled once it has passed in full."""
    found = read_manifest(home.index)
    load(*found)  # the clone has new inodes: this load hashes the export and remembers
    hashed: list[str] = []
    store = index_module.store  # where a load verifies files
    real, real_blocks = store.sha256_file, store.hash_blocks
    monkeypatch.setattr(store, "sha256_file", lambda p: hashed.append(p.name) or real(p))
    monkeypatch.setattr(
        store, "hash_blocks", lambda p, b: hashed.append(p.name) or real_blocks(p, b)
    )
    load(*found)
    assert "encoder.onnx" not in hashed, "the 90 MB export is not read in full again"
    assert {"chunks.json", "documents.json"} <= set(hashed)  # small files: every load
    # Same size, rewritten in place: caught.
    path = found[0] / "chunks.json"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexProblem, match="chunks.json is damaged"):
        load(*found)


def test_current_index_check_does_not_hash_the_model(home, monkeypatch):
    from cqqa import embedding
    from cqqa.index import stale_reasons

    def refuse(path):
        raise AssertionError(f"hashed {path}")

    monkeypatch.setattr(embedding, "sha256_file", refuse)
    assert stale_reasons(home.settings, read_manifest(home.index)[1]) == []


# ---------------------------------------------------------------- incremental builds


def _small_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"d{i:04d}.txt").write_text(
            f"Depot {i} in district {i % 37} stores {100 + i} containers of grade {i % 11}.\n",
            encoding="utf-8",
        )


def _reference_bm25(index, query: str) -> np.ndarray:
    import bm25s

    reference = bm25s.BM25()
    corpus = [bm25_tokens(c.text) or [""] for c in index.chunks]
    reference.index(corpus, show_progress=False)
    ids = reference.get_tokens_ids(bm25_tokens(query))
    return reference.get_scores_from_ids(ids) if ids else np.zeros(len(index.chunks))


def _check_index(index, onnx: OnnxEncoder, queries: list[str]) -> None:
    for chunk in index.chunks:
        assert index.documents[chunk.doc].text[chunk.start : chunk.end] == chunk.text
    for query in queries:  # incremental BM25 == bm25s over the same chunks
        np.testing.assert_allclose(
            index.bm25.get_scores(bm25_tokens(query)),
            _reference_bm25(index, query),
            rtol=1e-5,
            atol=1e-6,
        )
    some = np.linspace(0, len(index.chunks) - 1, 25).astype(int)
    fresh = onnx.encode([index.chunks[i].text for i in some])
    np.testing.assert_allclose(index.embeddings[some], fresh, atol=2e-5)


@pytest.mark.parametrize("approximate", [False, True], ids=["flat", "ivf"])
def test_editing_one_of_1000_documents_re_embeds_only_its_chunks(
    built, tmp_path, monkeypatch, approximate
):
    if approximate:
        monkeypatch.setattr(index_module.ann, "APPROXIMATE_FROM", 500)
    home = make_home(tmp_path / "home", built[0])  # previous index: same model, its ONNX
    for path in home.corpus.iterdir():
        path.unlink()
    _small_corpus(home.corpus, 1000)
    settings = Settings(corpus_dir=home.corpus, index_dir=home.index)
    first = build(settings, note=lambda message: None)
    assert len(first.chunks) == 1000
    assert first.manifest["build"]["embedded"] == 1000  # one sentence = its one chunk
    assert first.manifest["faiss"]["type"] == ("ivf" if approximate else "flat")

    # One document edited, one extended by a sentence, one removed, one added.
    (home.corpus / "d0500.txt").write_text("Depot 500 now stores 777 pallets of tea.\n")
    extended = home.corpus / "d0123.txt"
    extended.write_text(extended.read_text() + "It also has 4 cranes.\n")
    (home.corpus / "d0999.txt").unlink()
    (home.corpus / "new.txt").write_text("A new depot opened with 12 forklifts.\n")
    notes: list[str] = []
    second = build(settings, note=notes.append)
    stats = second.manifest["build"]
    # d0500: 1 new text; d0123: its old sentence is reused, the new sentence and the new
    # two-sentence chunk are not; new.txt: 1 new text. Nothing else is embedded.
    assert stats["embedded"] == 4, stats
    assert stats["documents_reprocessed"] == 3 and stats["documents_reused"] == 997, stats
    assert "4 computed" in notes[-1]
    onnx = OnnxEncoder(second.directory)
    _check_index(second, onnx, ["pallets of tea", "cranes", "forklifts", "depot 998", "grade 7"])
    # The removed document's words are gone from the vocabulary, the new ones are in.
    assert "forklift" in second.bm25.vocab_dict and "pallet" in second.bm25.vocab_dict
    assert "1099" in first.bm25.vocab_dict and "1099" not in second.bm25.vocab_dict
    if approximate:
        assert second.manifest["faiss"]["nlist"] == first.manifest["faiss"]["nlist"]
        faiss_index = second.faiss
        faiss_index.nprobe = 1  # only the nearest list: each vector must be in it
        _, ids = faiss_index.search(second.embeddings, 10)
        assert all(row in found for row, found in enumerate(ids.tolist()))
        # Retrieval re-scores the IVF candidates exactly.
        from cqqa.retrieve import dense_search

        faiss_index.nprobe = second.manifest["faiss"]["nprobe"]
        for row in (0, 123, 500, 999):
            found, scores = dense_search(second, second.embeddings[row], 5)
            assert found[0] == row and abs(scores[0] - 1.0) < 1e-5
            exact = second.embeddings[found] @ second.embeddings[row]
            np.testing.assert_allclose(scores, exact, atol=1e-6)
    # A rebuild with nothing changed embeds nothing and gives the same rows.
    third = build(settings, note=lambda message: None)
    assert third.manifest["build"]["embedded"] == 0
    assert third.manifest["build"]["documents_reprocessed"] == 0
    assert [c.text for c in third.chunks] == [c.text for c in second.chunks]
    np.testing.assert_array_equal(third.embeddings, second.embeddings)
    np.testing.assert_array_equal(third.sentence_embeddings, second.sentence_embeddings)
    assert [f.to_dict() for f in third.facts] == [f.to_dict() for f in second.facts]
