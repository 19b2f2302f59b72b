"""The web app against hostile callers: odd questions through `/ask` and the page, requests
for files it must not serve, uploads, oversized bodies, and the optional login.

Everything runs against the real `python app.py` in its own process (tests/homes.py's
`running_app`), real `gradio_client`, plain HTTP and real Chromium.
"""

from __future__ import annotations

import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from homes import (
    ROOT,
    Home,
    assert_one_line_error,
    check_answer_json,
    run,
    run_app_to_exit,
    running_app,
)
from test_reliability import HOSTILE, REFUSED
from test_web import PORTS_Q, _open, needs_chromium

from cqqa.answer import answer
from cqqa.errors import InputError

USER, PASSWORD = "alice", "c0rrect-h0rse:battery"  # a colon inside the password is fine
# The callers' limit on waiting (a guard against a hang, not a timing assertion).
WAIT = 120


@pytest.fixture(scope="module")
def app(built, tmp_path_factory):
    """`python app.py` on the test corpus: (url, its work folder with app.log)."""
    settings, _ = built
    work = tmp_path_factory.mktemp("web-hostile")
    env = {
        **os.environ,
        "CQQA_CORPUS_DIR": str(settings.corpus_dir),
        "CQQA_INDEX_DIR": str(settings.index_dir),
        "CQQA_AUTH": "",
    }
    with running_app(env, work) as url:
        yield url, work


@pytest.fixture(scope="module")
def client(app):
    from gradio_client import Client

    return Client(app[0], verbose=False, download_files=False)


@pytest.fixture(scope="module")
def documents(index) -> dict[str, str]:
    return {doc_id: d.text for doc_id, d in index.documents.items()}


def at(url: str, path: str) -> str:
    """`path` under the app's URL, byte for byte (urljoin would fold '//' and '..')."""
    return url.rstrip("/") + "/" + path


def http(url: str, data: bytes | None = None, headers: dict | None = None, opener=None):
    """(status, body) of one request; HTTP errors are results here, not exceptions."""
    request = urllib.request.Request(url, data, headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=WAIT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def ask_raw(url: str, body: bytes) -> tuple[int, str]:
    """`/ask` over plain HTTP (Gradio's two-step call API): (status, the event stream)."""
    base = at(url, "gradio_api/call/ask")
    status, reply = http(base, body, {"Content-Type": "application/json"})
    if status != 200:
        return status, reply.decode("utf-8", "replace")
    event = json.loads(reply)["event_id"]
    status, stream = http(f"{base}/{event}")
    return status, stream.decode("utf-8")


def event_data(stream: str) -> tuple[str, object]:
    """The last event of a server-sent-event stream: (event name, its JSON data)."""
    name = re.findall(r"^event: (\w+)$", stream, re.M)[-1]
    data = re.findall(r"^data: (.*)$", stream, re.M)[-1]
    return name, json.loads(data)


# ------------------------------------------------------------ hostile questions, /ask


# gradio_client cannot encode a lone surrogate: that one goes over raw HTTP, further down.
THROUGH_CLIENT = [name for name in HOSTILE if name != "invalid surrogates"]


@pytest.mark.parametrize("name", THROUGH_CLIENT)
def test_hostile_question_through_gradio_client(app, client, index, documents, name):
    """Each one gets the library's own answer as JSON, or its one-line error, from the server."""
    from gradio_client.exceptions import AppError

    question, expected = HOSTILE[name]
    try:
        wanted = json.loads(json.dumps(answer(index, question).to_dict()))
    except InputError as exc:
        wanted = exc
    job = client.submit(question, [], 5, api_name="/ask")
    if isinstance(wanted, InputError):
        with pytest.raises(AppError) as refused:
            job.result(timeout=WAIT)
        assert str(refused.value) == str(wanted)  # the server's own message, one line
        assert "\n" not in str(refused.value)
        return
    assert expected != REFUSED
    got = job.result(timeout=WAIT)
    assert got == wanted
    check_answer_json(got, documents)


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_over_long_question_is_refused_by_the_server_itself(app, size):
    """No page, no maxlength: plain HTTP gets the server's message, not a server error."""
    body = json.dumps({"data": ["How many ports? " * (size // 16), [], 5]}).encode()
    status, stream = ask_raw(app[0], body)
    assert status == 200
    name, data = event_data(stream)
    assert name == "error"
    limit = "the limit is 2,000. Ask a shorter question."
    assert data["error"] == f"The question is {size:,} characters long; {limit}"


def test_lone_surrogates_and_non_text_over_raw_http(app, documents):
    """JSON may carry a lone surrogate (gradio_client cannot send one): it becomes '?'."""
    question = "How many ports \\ud800 does the channel link \\udfff with?"
    status, stream = ask_raw(app[0], f'{{"data": ["{question}", ["\\udfff"], 5]}}'.encode())
    assert status == 200
    name, data = event_data(stream)
    assert name == "complete", stream
    (result,) = data
    check_answer_json(result, documents)
    assert result["question"] == "How many ports ? does the channel link ? with?"
    assert result["answer"]["text"] == "319 ports"

    for value in ("null", "123", '["a list"]', '{"an": "object"}'):
        status, stream = ask_raw(app[0], f'{{"data": [{value}, [], 5]}}'.encode())
        name, data = event_data(stream)
        assert (name, data["error"]) == ("error", "The question must be text."), value
    status, reply = ask_raw(app[0], b'{"data": ["How many ports \xff\xfe?", [], 5]}')
    assert status == 400  # bytes that are not UTF-8: refused before any cqqa code runs


K_WHOLE = "k must be a whole number of passages, not "
K_RANGE = "k must be between 1 and 100, not "


@pytest.mark.parametrize(
    "k,message",
    [
        ("Infinity", K_WHOLE + "inf."),
        ("-Infinity", K_WHOLE + "-inf."),
        ("NaN", K_WHOLE + "nan."),
        ("1e400", K_WHOLE + "inf."),
        ("true", K_WHOLE + "True."),
        ("false", K_WHOLE + "False."),
        ("5.7", K_WHOLE + "5.7."),
        ("[1]", K_WHOLE + "[1]."),
        ('{"k": 1}', K_WHOLE + "{'k': 1}."),
        ('"lots"', K_WHOLE + "'lots'."),
        ("0", K_RANGE + "0."),
        ("101", K_RANGE + "101."),
        ("1" + "0" * 4000, K_RANGE + "a number that large."),
    ],
)
def test_odd_k_over_the_api_gets_the_cli_message(app, k, message):
    status, stream = ask_raw(app[0], f'{{"data": ["{PORTS_Q}", [], {k}]}}'.encode())
    assert status == 200, stream
    name, data = event_data(stream)
    assert (name, data["error"]) == ("error", message), stream
    log = (app[1] / "app.log").read_text("utf-8", errors="replace")
    assert "Traceback" not in log and "Something went wrong" not in stream


@pytest.mark.parametrize("k", ["5.0", '"7"', "100"])
def test_whole_k_in_other_spellings_is_answered(app, k):
    status, stream = ask_raw(app[0], f'{{"data": ["{PORTS_Q}", [], {k}]}}'.encode())
    name, data = event_data(stream)
    assert name == "complete", stream
    assert data[0]["answer"]["text"] == "319 ports"


def test_deeply_nested_json_is_refused_before_parsing(app):
    deep = "[" * 100_000 + "]" * 100_000
    for body in (
        f'{{"data": ["{PORTS_Q}", {deep}, 5]}}',
        f'{{"data": ["{PORTS_Q}", [], {deep}]}}',
        f'{{"data": [{deep}, [], 5]}}',
    ):
        status, reply = ask_raw(app[0], body.encode())
        assert status == 400 and "nested 100,002 levels deep" in reply, (status, reply[:200])
    # Deep nesting inside a JSON *string* of history is the caller's one-line mistake too.
    history = json.dumps(deep)
    status, stream = ask_raw(app[0], f'{{"data": ["{PORTS_Q}", {history}, 5]}}'.encode())
    name, data = event_data(stream)
    assert name == "error" and data["error"].startswith("history must be"), stream
    # Brackets inside strings are text, not nesting.
    question = json.dumps("How many ports? " + "[" * 500)
    status, stream = ask_raw(app[0], f'{{"data": [{question}, [], 5]}}'.encode())
    assert status == 200 and event_data(stream)[0] == "complete", stream
    log = (app[1] / "app.log").read_text("utf-8", errors="replace")
    assert "Traceback" not in log and "RecursionError" not in log


def queue_call(url: str, fn_index: int, data: list) -> dict:
    """One event through Gradio's queue, as the page sends it: the final message."""
    session = "cqqa-test-" + os.urandom(4).hex()
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session}).encode()
    status, reply = http(at(url, "gradio_api/queue/join"), body, {"Content-Type":
                         "application/json"})  # fmt: skip
    assert status == 200, reply
    status, stream = http(at(url, f"gradio_api/queue/data?session_hash={session}"))
    messages = [json.loads(m) for m in re.findall(r"^data: (.*)$", stream.decode(), re.M)]
    return next(m for m in messages if m.get("msg") == "process_completed")


def test_the_chat_handler_checks_k_like_the_cli(app):
    """The page's own event, called with k as "7", null or [1] (Gradio's slider check used
    to raise a TypeError with a traceback, "Something went wrong" in the chat)."""
    status, config = http(at(app[0], "config"))
    config = json.loads(config)
    ids = {c["id"]: c for c in config["components"]}
    submit = next(
        i
        for i, d in enumerate(config["dependencies"])
        if any(ids.get(t[0], {}).get("props", {}).get("elem_id") == "cq-question"
               and t[1] == "submit" for t in d["targets"])
    )  # fmt: skip
    dependency = config["dependencies"][submit]
    fn_index = dependency.get("id", submit)
    for k, reply in (
        ("7", "319"),
        (None, K_WHOLE + "None."),
        ([1], K_WHOLE + "[1]."),
        (True, K_WHOLE + "True."),
        (5.5, K_WHOLE + "5.5."),
    ):
        done = queue_call(app[0], fn_index, [PORTS_Q, [], None, k])
        assert done.get("success"), done
        chat = done["output"]["data"][1]
        assert reply in json.dumps(chat), (k, chat)
        assert "Something went wrong" not in json.dumps(chat)
    log = (app[1] / "app.log").read_text("utf-8", errors="replace")
    assert "Traceback" not in log


def test_request_body_over_the_limit_is_refused_before_parsing(app):
    """A 10 MB "question" is refused by its size (413), from both gradio_client and HTTP;
    a chunked body without a length alike."""
    from gradio_client import Client

    from cqqa.server import MAX_REQUEST_BYTES

    huge = "x" * (MAX_REQUEST_BYTES + 1)
    with pytest.raises(Exception, match="413"):
        Client(app[0], verbose=False, download_files=False).predict(huge, [], 5, api_name="/ask")
    status, reply = ask_raw(app[0], json.dumps({"data": [huge, [], 5]}).encode())
    assert status == 413 and "larger than cqqa accepts" in reply

    def chunks():
        yield b'{"data": ["'
        for _ in range(MAX_REQUEST_BYTES // 65536 + 2):
            yield b"y" * 65536
        yield b'", [], 5]}'

    request = urllib.request.Request(
        at(app[0], "gradio_api/call/ask"),
        data=chunks(),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=WAIT)
    assert refused.value.code == 413
    # A declared length far past the limit is refused before a byte of it is read.
    with socket.create_connection(
        (urllib.parse.urlsplit(app[0]).hostname, urllib.parse.urlsplit(app[0]).port), timeout=WAIT
    ) as sock:
        sock.sendall(
            b"POST /gradio_api/call/ask HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n"
        )
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")
    # A question just under the body limit is still read and answered with the length error.
    status, stream = ask_raw(app[0], json.dumps({"data": ["z" * 1_000_000, [], 5]}).encode())
    assert event_data(stream)[1]["error"].startswith("The question is 1,000,000 characters long")


def test_hostile_questions_leave_no_traceback_in_the_server_log(app, client):
    """Refusals are messages for the caller; the log keeps tracebacks for real faults."""
    from gradio_client.exceptions import AppError

    for question in ("", "x" * 10_000, "\x00\x01"):
        with pytest.raises(AppError):
            client.submit(question, [], 5, api_name="/ask").result(timeout=WAIT)
    assert client.predict(PORTS_Q, [], 5, api_name="/ask")["answer"]["text"] == "319 ports"
    log = (app[1] / "app.log").read_text("utf-8", errors="replace")
    assert "Traceback" not in log, log[-3000:]


# ------------------------------------------------------------ files the app must not serve


def _served_csv(url: str) -> str:
    """The URL of the CSV the "Download CSV" button offers (a file Gradio must serve)."""
    status, config = http(at(url, "config"))
    assert status == 200
    found = re.search(r'"url":\s*"([^"]*cqqa-facts\.csv)"', config.decode())
    assert found, "the page offers its CSV download"
    return found.group(1)


def test_only_the_apps_own_files_are_served(app, settings):
    url, work = app
    csv_url = _served_csv(url)
    status, body = http(csv_url)
    assert status == 200 and body.startswith(b"fact,kind,value"), "the CSV download works"

    corpus_file = next(settings.corpus_dir.glob("*.txt"))
    index_files = [settings.index_dir / "CURRENT", *settings.index_dir.glob("gen-*/manifest.json")]
    secrets = {
        "/etc/passwd": b"root:",
        "/proc/self/environ": b"CQQA_",
        str(corpus_file): corpus_file.read_bytes()[:40],
        str(settings.corpus_dir): b"",
        **{str(p): p.read_bytes()[:20] for p in index_files},
        str(ROOT / "app.py"): b"The web chat",
        str(ROOT / "pyproject.toml"): b"[project]",
        str(work / "app.log"): b"Running on",
        "app.log": b"Running on",  # relative to the app's working folder
        "../../../../../../etc/passwd": b"root:",
        str(work / "gradio" / ".." / "app.log"): b"Running on",
    }
    for path, content in secrets.items():
        for route in ("gradio_api/file=", "gradio_api/file/", "file="):
            for spelling in (path, urllib.parse.quote(path, safe="")):
                target = at(url, route) + spelling
                status, body = http(target)
                assert status in (403, 404), (target, status)
                assert not content or content not in body, target


def test_other_hosts_are_never_fetched_and_nothing_is_uploaded(app):
    """`file=<URL>` would make Gradio fetch from the internet; uploads would fill the disk."""
    url, work = app
    for target in (
        "gradio_api/file=http://example.com/x.txt",
        "gradio_api/file=https://93.184.215.14/",
        "gradio_api/file=HTTP://example.com/",
        "gradio_api/file=//example.com/x",
        "gradio_api/file/http://example.com/x",
        "gradio_api/file=http%3A%2F%2Fexample.com%2F",
        "gradio_api/proxy=https://evil.hf.space/x",
    ):
        status, body = http(at(url, target))
        assert status == 403, (target, status, body[:200])
        assert body == b"cqqa serves no files from other hosts.", target

    before = sorted(p for p in (work / "gradio").rglob("*") if p.is_file())
    boundary = "cqqa-boundary"
    form = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="x.html"\r\n'
        f"Content-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n--{boundary}--\r\n"
    ).encode()
    status, body = http(
        at(url, "gradio_api/upload"),
        form,
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert status == 403 and body == b"cqqa takes no uploads.", (status, body)
    # Empty files too (Gradio's max_file_size=0 let them through), one by one and together.
    empty = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="e.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\n\r\n"
    )
    for count in (1, 50):
        form = (empty * count + f"--{boundary}--\r\n").encode()
        for path in ("gradio_api/upload", "gradio_api/upload/", "upload"):
            status, body = http(
                at(url, path), form, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
            )
            assert status in (403, 404), (path, status, body)  # /upload: no such route
            assert b"e.txt" not in body and b"gradio" not in body.lower(), body
    assert sorted(p for p in (work / "gradio").rglob("*") if p.is_file()) == before


# ------------------------------------------------------------ hostile questions, the page


@needs_chromium
def test_hostile_questions_in_the_textbox(browser, app):
    """Typed or pasted: each gets a reply in the chat, shown as text; nothing runs or leaks."""
    from playwright.sync_api import expect

    context, tab = _open(browser, app[0])
    try:
        page = tab.page
        box = page.locator("#cq-question textarea")
        replies = page.locator('#cq-chat [data-testid="bot"]')
        cases = [
            ("How many\x00 ports\x07 does the\x1b[31m channel link with?", "319"),
            ("🚄🚢 How many ports? 🇨🇳👍🏽", "319"),
            ("كم عدد الموانئ؟ \u202eports many How\u202c", None),
            # Chinese is answered since issue 12 (it was declined, having no words MiniLM read).
            ("重庆的国际陆海新通道连接了多少个港口？", "319"),
            ("'; DROP TABLE chunks; -- <script>alert(1)</script>", "Not in the article"),
            ("1234567890", "Not in the article"),
        ]
        for question, reply in cases:
            # A fresh chat each time, or the question would be read as a follow-up. Wait
            # until the chat is empty, so the clearing is over before anything is typed.
            page.get_by_role("button", name="Clear chat").click()
            expect(replies).to_have_count(0)
            expect(page.locator('#cq-chat [data-testid="user"]')).to_have_count(0)
            tab.ask(question)
            expect(replies).to_have_count(1, timeout=30_000)
            if reply:
                expect(replies.last).to_contain_text(reply)
            if "<script>" in question:
                user = page.locator('#cq-chat [data-testid="user"]').last
                expect(user).to_contain_text("<script>alert(1)</script>")
                expect(page.locator("#cq-chat script")).to_have_count(0)

        # Typing stops at the limit; text put in by script skips maxlength, and the server
        # refuses it itself.
        box.fill("How many ports? " * 700)
        assert len(box.input_value()) <= 2000
        box.evaluate(
            "(el, text) => { el.value = text; el.dispatchEvent(new Event('input', "
            "{bubbles: true})); }",
            "How many ports? " * 6250,
        )
        box.press("Enter")
        expect(replies).to_have_count(2, timeout=30_000)
        expect(replies.last).to_contain_text("100,000 characters long; the limit is 2,000")
        # The app itself cannot lose a question typed while the chat is cleared: clearing
        # leaves the question box alone.
        box.fill("How many countries and regions?")
        page.get_by_role("button", name="Clear chat").click()
        expect(replies).to_have_count(0)
        expect(box).to_have_value("How many countries and regions?")
        box.press("Enter")
        expect(replies).to_have_count(1, timeout=30_000)
        expect(replies.last).to_contain_text("107")
        tab.assert_stayed_home()
    finally:
        context.close()


# ------------------------------------------------------------ optional login


@pytest.fixture(scope="module")
def login_app(built, tmp_path_factory):
    """An app with CQQA_AUTH, also told by GRADIO_ALLOWED_PATHS to serve the folder that
    holds the corpus: (url, work folder, a file beside the corpus that may be served)."""
    settings, _ = built
    work = tmp_path_factory.mktemp("web-login")
    beside = settings.corpus_dir.parent / "public-note.txt"
    beside.write_text("a file the operator chose to serve\n")
    env = {
        **os.environ,
        "CQQA_CORPUS_DIR": str(settings.corpus_dir),
        "CQQA_INDEX_DIR": str(settings.index_dir),
        "CQQA_AUTH": f"{USER}:{PASSWORD}",
        "GRADIO_ALLOWED_PATHS": str(settings.corpus_dir.parent),
    }
    with running_app(env, work) as url:
        yield url, work, beside
    beside.unlink()


def _logged_in(url: str, password: str = PASSWORD) -> tuple[int, urllib.request.OpenerDirector]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = urllib.parse.urlencode({"username": USER, "password": password}).encode()
    status, _ = http(at(url, "login"), form, opener=opener)
    return status, opener


def test_login_is_required_for_the_api_and_the_page(login_app, index):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    url, work, _ = login_app
    title = next(iter(index.documents.values())).title
    with pytest.raises(AuthenticationError):
        Client(url, verbose=False, download_files=False)
    with pytest.raises(ValueError, match="Could not login"):
        Client(url, verbose=False, download_files=False, auth=(USER, "wrong"))

    # Plain HTTP without the cookie: the API and the page's data are refused.
    question = json.dumps({"data": [PORTS_Q, [], 5]}).encode()
    for path, body in (
        ("config", None),
        ("gradio_api/info", None),
        ("gradio_api/call/ask", question),
    ):
        headers = {"Content-Type": "application/json"}
        status, reply = http(at(url, path), body, headers)
        assert status == 401, (path, status)
        assert title.encode() not in reply
    status, page = http(url)
    assert title.encode() not in page and b"319" not in page
    assert http(at(url, "login"), b"username=alice&password=nope")[0] == 400

    status, opener = _logged_in(url)
    assert status == 200
    status, config = http(at(url, "config"), opener=opener)
    assert status == 200 and title in config.decode()

    client = Client(url, verbose=False, download_files=False, auth=(USER, PASSWORD))
    assert client.predict(PORTS_Q, [], 5, api_name="/ask")["answer"]["text"] == "319 ports"
    log = (work / "app.log").read_text("utf-8", errors="replace")
    assert PASSWORD not in log and "c0rrect" not in log


def test_run_history_routes_are_closed(login_app):
    """Gradio's run history answered without the login and could record runs to a remote
    bucket; cqqa launches with it off, so none of its routes exists, logged in or not."""
    url, work, _ = login_app
    _status, opener = _logged_in(url)
    for path in (
        "gradio_api/run-history/records",
        "gradio_api/run-history/buckets",
        "gradio_api/run-history/records/ask/1/assets/x",
        "gradio_api/runs",
    ):
        for who in (None, opener):
            status, body = http(at(url, path), headers={"X-HF-Token": "hf_x"}, opener=who)
            assert status in (401, 404), (path, status, body[:200])
    status, body = http(
        at(url, "gradio_api/run-history/connect"),
        json.dumps({"bucket_id": "someone/bucket"}).encode(),
        {"Content-Type": "application/json", "Authorization": "Bearer hf_x"},
        opener=opener,
    )
    assert status in (401, 404, 405), (status, body[:200])
    status, config = http(at(url, "config"), opener=opener)
    assert json.loads(config).get("run_history") is False


def test_blocked_paths_win_over_gradio_allowed_paths(login_app, settings):
    """The operator allowed the corpus's parent folder: its other files are served, the
    corpus and the index inside it never are."""
    url, _, beside = login_app
    _, opener = _logged_in(url)
    file_url = at(url, "gradio_api/file=")
    status, body = http(file_url + str(beside), opener=opener)
    assert status == 200 and body == beside.read_bytes(), "the allowed folder is served"
    for secret in (next(settings.corpus_dir.glob("*.txt")), settings.index_dir / "CURRENT"):
        status, body = http(file_url + str(secret), opener=opener)
        assert status == 403, secret
        assert secret.read_bytes()[:20] not in body


@needs_chromium
def test_login_page_in_the_browser(browser, login_app):
    from playwright.sync_api import expect

    context, tab = _open(browser, login_app[0])
    try:
        page = tab.page
        expect(page.get_by_text("log in to continue")).to_be_visible(timeout=30_000)
        expect(page.locator("#cq-question")).to_have_count(0)
        page.get_by_label("username").fill(USER)
        page.get_by_label("password").fill("wrong")
        page.get_by_role("button", name="Login").click()
        expect(page.get_by_text("Incorrect credentials")).to_be_visible()
        page.get_by_label("username").fill(USER)  # a failed login empties both fields
        page.get_by_label("password").fill(PASSWORD)
        page.get_by_role("button", name="Login").click()
        tab.ask(PORTS_Q)
        expect(tab.last_reply().locator("strong")).to_contain_text("319", timeout=30_000)
        tab.assert_stayed_home()
    finally:
        context.close()


@pytest.mark.parametrize(
    "value", ["alice", "alice:", ":Pw-9f3k", " alice:Pw-9f3k", "alice Pw-9f3k"]
)
def test_malformed_cqqa_auth_is_one_line_and_exit_2(tmp_path, value):
    """app.py and `cqqa serve` both stop before serving, without echoing the value."""
    env = {**os.environ, "CQQA_AUTH": value}
    app = run_app_to_exit(env, tmp_path, timeout=WAIT)
    home = Home(tmp_path, tmp_path / "corpus", tmp_path / "index")
    serve = run("serve", home=home, env={"CQQA_AUTH": value})
    for result in (app, serve):
        line = assert_one_line_error(result, "CQQA_AUTH must be user:password")
        assert "Pw-9f3k" not in line


def test_sigterm_stops_the_app_and_removes_its_temporary_files(built, tmp_path):
    """`python app.py` ends on SIGTERM like on Ctrl-C, and takes its CSV folder with it."""
    settings, _ = built
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {
        **os.environ,
        "CQQA_CORPUS_DIR": str(settings.corpus_dir),
        "CQQA_INDEX_DIR": str(settings.index_dir),
        "CQQA_AUTH": "",
        "TMPDIR": str(scratch),
    }
    with running_app(env, tmp_path) as url:
        assert list(scratch.glob("cqqa-facts-*/cqqa-facts.csv")), "written while serving"
        assert http(url)[0] == 200
    assert list(scratch.glob("cqqa-facts-*")) == []
    log = Path(tmp_path / "app.log").read_text()
    assert "closing server" in log and "Traceback" not in log
