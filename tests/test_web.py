"""The web chat end to end: the real app.py in its own process, real Chromium, gradio_client.

The app serves a private copy of corpus/ and its index (the session's `built` fixture) on
a free port. Set CQQA_SCREENSHOT=docs/screenshot.png to refresh the README's screenshot.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import CHROMIUM
from homes import run_app_to_exit

ROOT = Path(__file__).resolve().parents[1]
PORTS_Q = "How many ports does the western land and sea channel link with?"
COUNTRIES_Q = "And how many countries?"
OFF_TOPIC_Q = "What is the capital of France?"
XSS_Q = "<img src=x onerror=alert(1)>"
MARKUP_Q = "Is **this** <b>bold</b> or _not_ [a link](http://example.com)?"

# Missing Chromium skips the browser tests on a laptop, but fails them under CI.
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason=f"{CHROMIUM} is missing: `make browser` (apt-get install chromium) installs it",
)


@dataclass
class Tab:
    """A page plus what it must never do: open dialogs or fetch from other hosts."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def ask(self, question: str) -> None:
        from playwright.sync_api import expect

        box = self.page.locator("#cq-question textarea")
        box.fill(question)
        expect(box).not_to_have_value("")  # the text is in the box before Enter sends it
        box.press("Enter")

    def last_reply(self):
        return self.page.locator('#cq-chat [data-testid="bot"]').last

    def assert_stayed_home(self) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.outside == [], f"requests left the machine: {self.outside}"


def _open(browser, url: str, width: int = 1280, height: int = 900) -> tuple[object, Tab]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    tab = Tab(page)
    page.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    page.on(
        "request",
        lambda r: (
            tab.outside.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).hostname != "127.0.0.1"
            else None
        ),
    )
    page.goto(url)
    return context, tab


@pytest.fixture
def tab(browser, app_url):
    context, tab = _open(browser, app_url)
    yield tab
    context.close()


# ------------------------------------------------------------ browser


@needs_chromium
def test_numeric_answer_sources_facts_followup_and_not_in_the_article(tab, tmp_path):
    """The whole promise of the page: bold number, marked sources, facts, follow-up, abstain."""
    from playwright.sync_api import expect

    page = tab.page
    tab.ask(PORTS_Q)
    expect(tab.last_reply().locator("strong")).to_contain_text("319", timeout=30_000)
    # The answer is marked where it stands, numbers highlighted, in the top passages.
    expect(page.locator("#cq-sources mark.cq-ans.cq-num").first).to_have_text("319")
    expect(page.locator("#cq-sources mark.cq-num", has_text="107").first).to_be_visible()
    expect(page.locator("#cq-sources article").first).to_contain_text(
        "Chongqing’s international links increase"
    )
    # Facts of the retrieved passages, with normalized value and the counted noun.
    row = page.locator("#cq-facts .virtual-row", has_text="319").first
    expect(row).to_be_visible()
    expect(row).to_contain_text("ports")
    for text in ("countries and regions", "343,830,000,000"):
        expect(page.locator("#cq-facts .virtual-row", has_text=text).first).to_be_visible()
    # The whole document, the answer's passage highlighted in place and scrolled to.
    expect(page.locator("#cq-doc mark.cq-psg").first).to_be_visible()
    expect(page.locator("#cq-doc mark.cq-ans").first).to_contain_text("319")
    page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
    if os.environ.get("CQQA_SCREENSHOT"):
        page.screenshot(path=os.environ["CQQA_SCREENSHOT"], full_page=True)
    # One click shows another passage in its document.
    page.locator("#cq-pick label").nth(1).click()
    expect(page.locator("#cq-doc .cq-legend")).to_contain_text("passage 2")

    tab.ask(COUNTRIES_Q)
    expect(tab.last_reply().locator("strong")).to_contain_text("107", timeout=30_000)
    expect(page.locator('#cq-chat [data-testid="bot"]')).to_have_count(2)

    tab.ask(OFF_TOPIC_Q)
    expect(page.locator('#cq-chat [data-testid="bot"]')).to_have_count(3, timeout=30_000)
    expect(tab.last_reply()).to_contain_text("Not in the article")
    expect(tab.last_reply().locator("strong")).to_have_count(0)
    expect(page.locator("#cq-sources article").first).to_be_visible()  # closest passages
    tab.assert_stayed_home()


@needs_chromium
def test_questions_are_shown_as_text_and_run_nothing(tab):
    from playwright.sync_api import expect

    page = tab.page
    for n, question in enumerate([XSS_Q, MARKUP_Q], start=1):
        tab.ask(question)
        expect(page.locator('#cq-chat [data-testid="bot"]')).to_have_count(n, timeout=30_000)
        expect(page.locator('#cq-chat [data-testid="user"]').last).to_have_text(question)
    expect(page.locator("#cq-chat img")).to_have_count(0)
    expect(page.locator("#cq-chat b, #cq-chat a[href*='example.com']")).to_have_count(0)
    tab.assert_stayed_home()


@needs_chromium
def test_bad_input_gets_a_message_and_clear_starts_over(tab):
    from playwright.sync_api import expect

    page = tab.page
    box = page.locator("#cq-question textarea")
    expect(box).to_have_attribute("maxlength", "2000")  # the server refuses longer too
    box.press("Enter")
    expect(tab.last_reply()).to_contain_text("The question is empty", timeout=30_000)

    page.get_by_role("button", name=PORTS_Q).click()  # one click asks an example
    expect(tab.last_reply().locator("strong")).to_contain_text("319", timeout=30_000)
    expect(page.locator("#cq-facts .virtual-row", has_text="319").first).to_be_visible()

    page.get_by_role("button", name="Clear chat").click()
    expect(page.locator('#cq-chat [data-testid="bot"]')).to_have_count(0)
    expect(page.locator("#cq-sources article")).to_have_count(0)
    expect(page.locator("#cq-facts .virtual-row", has_text="319")).to_have_count(0)
    tab.assert_stayed_home()


@needs_chromium
def test_all_facts_tab_filters_by_kind_and_downloads_csv(tab, index):
    from playwright.sync_api import expect

    page = tab.page
    page.get_by_role("tab", name="All facts").click()
    rows = page.locator("#cq-all-facts .virtual-row")  # the table renders the rows in view
    expect(rows.first).to_contain_text(index.facts[0].text)
    expect(page.locator("#cq-all-facts")).to_contain_text(f"({len(index.facts)})")

    percents = [f for f in index.facts if f.kind == "percent"]
    page.locator("#cq-kind input").click()
    page.get_by_role("option", name=f"percent · {len(percents)}").click()
    expect(rows).to_have_count(len(percents))
    expect(rows.first).to_contain_text("12.9%")
    expect(page.locator("#cq-all-facts")).to_contain_text(
        f"kind percent in the documents ({len(percents)})"
    )

    with page.expect_download() as download:
        page.locator("#cq-csv").click()
    text = Path(download.value.path()).read_text("utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [r["fact"] for r in table] == [f.text for f in percents]
    assert {r["kind"] for r in table} == {"percent"}
    assert all(r["sentence"] for r in table)
    tab.assert_stayed_home()


@needs_chromium
def test_phone_width_stacks_without_sideways_scrolling(browser, app_url):
    from playwright.sync_api import expect

    context, tab = _open(browser, app_url, width=390, height=844)
    try:
        page = tab.page
        tab.ask(PORTS_Q)
        expect(tab.last_reply().locator("strong")).to_contain_text("319", timeout=30_000)
        expect(page.locator("#cq-sources article").first).to_be_visible()
        chat = page.locator("#cq-chat").bounding_box()
        sources = page.locator("#cq-sources").bounding_box()
        assert sources["y"] >= chat["y"] + chat["height"], "sources should stack under the chat"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        tab.assert_stayed_home()
    finally:
        context.close()


# ------------------------------------------------------------ API


def test_api_ask_returns_the_json_of_cqqa_ask(app_url, settings, cli):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    named = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert list(named) == ["/ask"], "only /ask is public; the page's own events are private"

    got = client.predict(PORTS_Q, [], 5, api_name="/ask")
    run = cli("ask", PORTS_Q, "--json", "-k", "5", "--corpus", str(settings.corpus_dir),
              "--index", str(settings.index_dir))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert got == json.loads(run.stdout)

    assert set(got) == {
        "question", "history", "answer", "abstained", "passages", "facts", "query", "reason"
    }  # fmt: skip
    assert isinstance(got["question"], str) and got["history"] == []
    assert got["abstained"] is False and got["answer"]["text"].startswith("319")
    assert {"text", "doc", "start", "end", "kind"} <= set(got["answer"])
    assert len(got["passages"]) == 5
    for p in got["passages"]:
        assert isinstance(p["doc"], str) and isinstance(p["text"], str)
        assert isinstance(p["start"], int) and isinstance(p["end"], int)
        assert isinstance(p["score"], float) and isinstance(p["rank"], int)
    for f in got["facts"]:
        assert isinstance(f["text"], str) and isinstance(f["kind"], str)
        assert f["value"] is None or isinstance(f["value"], (int, float))
        assert f["unit"] is None or isinstance(f["unit"], str)

    # History as a JSON string (what a non-Python caller finds easiest) and a smaller k.
    followup = client.predict(COUNTRIES_Q, json.dumps([PORTS_Q]), 3, api_name="/ask")
    assert followup["history"] == [PORTS_Q]
    assert "107" in followup["answer"]["text"]
    assert len(followup["passages"]) == 3


@pytest.mark.parametrize(
    ("question", "history", "k", "message"),
    [
        ("", [], 5, "The question is empty"),
        ("   ", [], 5, "The question is empty"),
        ("x" * 2001, [], 5, "the limit is 2,000"),
        (PORTS_Q, "not json", 5, "history must be"),
        (PORTS_Q, [], 0, "k must be between"),
    ],
)
def test_api_bad_input_is_a_clear_error(app_url, question, history, k, message):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(app_url, verbose=False)
    with pytest.raises(AppError, match=message):
        client.predict(question, history, k, api_name="/ask")


# ------------------------------------------------------------ pure units


def test_marked_html_escapes_text_and_marks_overlapping_spans():
    from cqqa.render_html import marked_html

    text = "a <b>319</b> ports & more"
    start = 100  # text starts at offset 100 of its document
    spans = [(105, 108, "cq-num"), (105, 118, "cq-ans"), (90, 102, "cq-psg")]
    assert marked_html(text, start, spans) == (
        '<mark class="cq-psg">a </mark>&lt;b&gt;<mark class="cq-ans cq-num">319</mark>'
        '<mark class="cq-ans">&lt;/b&gt; ports</mark> &amp; more'
    )


def test_serve_binds_localhost_and_warns_when_not(settings, capsys):
    from cqqa.server import serve

    class Recorder:
        def launch(self, **options):
            self.options = options

    local = Recorder()
    serve(settings, demo=local)
    assert local.options["server_name"] == "127.0.0.1"
    assert local.options["share"] is False
    assert "warning" not in capsys.readouterr().err

    anywhere = Recorder()
    serve(settings.with_overrides(host="0.0.0.0", port=8000), demo=anywhere)
    assert (anywhere.options["server_name"], anywhere.options["server_port"]) == ("0.0.0.0", 8000)
    assert "warning: serving on 0.0.0.0:8000" in capsys.readouterr().err


def test_a_taken_port_is_one_clear_line(built, tmp_path):
    settings, _ = built
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **os.environ,
            "CQQA_CORPUS_DIR": str(settings.corpus_dir),
            "CQQA_INDEX_DIR": str(settings.index_dir),
            "CQQA_PORT": str(port),
        }
        result = run_app_to_exit(env, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"Cannot serve on 127.0.0.1:{port}" in result.stderr and "CQQA_PORT" in result.stderr
