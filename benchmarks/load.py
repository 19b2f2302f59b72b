"""Load test of issue 6: concurrent `gradio_client` users against a real `python app.py`.

    make load                                     # .venv/bin/python benchmarks/load.py
    .venv/bin/python benchmarks/load.py --users 4 --per-user 5 --memory-questions 100 --no-write

Loopback only and bounded: it starts its own app on a free 127.0.0.1 port, against a
temporary copy of corpus/ and of the index (built there with `cqqa index` if it is
missing or stale), asks a fixed number of questions with a per-call and an overall time
limit, then stops the app and removes the copies. Nothing else is contacted.

Three phases, all through the `/ask` API (k=5), questions from eval/questions.jsonl with
their history (follow-ups included):

1. one user asks every question once, in order: the reference answers and single-user
   latency;
2. 20 users at once ask 25 questions each: every answer must equal the reference JSON
   exactly, and no call may fail;
3. 1,000 distinct questions (eval and held-out questions, then variants with typos and
   other wording) from 20 users: the server's resident memory (VmRSS in /proc) must grow
   by less than 50 MB.

Writes benchmarks/LOAD.md and a short "Load" section at the end of benchmarks/RESULTS.md
(which `make bench` rewrites; `make load` puts it back). Exit status 1 when a check fails:
an error, a different answer, a traceback in the server log or too much memory. Latency
has no target; it is reported beside the single-user figure as a ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procs import stop_group

# Before gradio_client is imported: no analytics, no hub look-ups, loopback never proxied.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, [os.environ.get(_name), "127.0.0.1", "localhost"]))

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
PY = sys.executable
QUESTION_FILES = (ROOT / "eval" / "questions.jsonl", ROOT / "eval" / "heldout.jsonl")
MEMORY_LIMIT_MB = 50.0
# `POST /gradio_api/call/ask` never followed by its GET: Gradio keeps each session's
# messages for up to 2,000 sessions (316 MB -> 1.25 GB after 2,000 before cqqa capped the
# queue, server.MAX_QUEUED_EVENTS).
UNFETCHED_CALLS = 2000
UNFETCHED_LIMIT_MB = 100.0
LOAD_MD = HERE / "LOAD.md"
RESULTS_MD = HERE / "RESULTS.md"
SECTION = "## Load"


@dataclass(frozen=True)
class Item:
    """One /ask call: a question and the earlier questions of its conversation."""

    question: str
    history: tuple[str, ...] = ()


@dataclass
class Call:
    item: Item
    seconds: float
    result: dict[str, Any] | None
    error: str | None


@dataclass
class Phase:
    name: str
    users: int
    calls: list[Call] = field(default_factory=list)
    wall: float = 0.0
    rss: list[tuple[int, int]] = field(default_factory=list)  # (calls done, VmRSS kB)
    cpu: float = 0.0  # seconds of CPU the server process used during the phase

    @property
    def errors(self) -> list[Call]:
        return [c for c in self.calls if c.error is not None]

    def latencies_ms(self) -> list[float]:
        return [c.seconds * 1000 for c in self.calls if c.error is None]


# ------------------------------------------------------------ questions


def read_items(path: Path) -> list[Item]:
    items = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            items.append(Item(row["question"], tuple(row.get("history") or ())))
    return items


def distinct_items(base: Sequence[Item], n: int, seed: int = 6) -> list[Item]:
    """`n` different questions: `base` first, then reworded and misspelt variants of it,
    so the server's caches (typo corrections, phrase vectors) meet new text throughout."""
    rng = random.Random(seed)
    prefixes = ("According to the article, ", "Do you know: ", "Quick question: ", "Tell me, ")
    suffixes = (" Please answer briefly.", " Thanks!", " (from the article)", "??")

    def typo(text: str) -> str:
        words = [m for m in re.finditer(r"[A-Za-z]{5,}", text)]
        if not words:
            return text + " please"
        m = rng.choice(words)
        i = rng.randrange(m.start() + 1, m.end() - 2)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]

    def reword(text: str) -> str:
        choice = rng.randrange(3)
        if choice == 0:
            return rng.choice(prefixes) + text[:1].lower() + text[1:]
        if choice == 1:
            return text.rstrip("?") + rng.choice(suffixes)
        return text.lower()

    out: list[Item] = []
    seen: set[Item] = set()
    pool = list(dict.fromkeys(base))
    variants: list[Callable[[str], str]] = [lambda t: t, typo, reword, lambda t: typo(reword(t))]
    round_ = 0
    while len(out) < n:
        vary = variants[min(round_, len(variants) - 1)]
        for item in pool:
            candidate = Item(vary(item.question), item.history)
            tries = 0
            while candidate in seen and tries < 20:
                candidate, tries = Item(typo(candidate.question), item.history), tries + 1
            if candidate not in seen:
                seen.add(candidate)
                out.append(candidate)
            if len(out) == n:
                break
        round_ += 1
    return out


# ------------------------------------------------------------ the app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kb(pid: int, key: str = "VmRSS") -> int:
    """Resident memory of a process from /proc/PID/status, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} in /proc/{pid}/status")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _copy(src: str, dst: str) -> str:
    """Hard-link the big files that are never changed in place (the 90 MB ONNX export)."""
    if Path(src).name in {"encoder.onnx", "tokenizer.json"}:
        with contextlib.suppress(OSError):
            os.link(src, dst)
            return dst
    return shutil.copy2(src, dst)


def prepare(work: Path, env: dict[str, str]) -> tuple[Path, Path, str]:
    """A corpus copy and an index copy under `work`, made current by `cqqa index`."""
    corpus, index = work / "corpus", work / "index"
    shutil.copytree(ROOT / "corpus", corpus)
    if (ROOT / "index" / "CURRENT").is_file():
        shutil.copytree(
            ROOT / "index", index, copy_function=_copy, ignore=shutil.ignore_patterns(".lock")
        )
        how = "a copy of index/"
    else:
        how = "built from nothing"
    started = time.perf_counter()
    run = subprocess.run(
        [PY, "-m", "cqqa", "index", "--corpus", str(corpus), "--index", str(index)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if run.returncode != 0:
        raise SystemExit(f"load: `cqqa index` failed:\n{run.stderr}")
    if "Building the index" in run.stderr and how.startswith("a copy"):
        how = "a copy of index/, rebuilt because it was stale"
    return corpus, index, f"{how} ({time.perf_counter() - started:.1f} s for `cqqa index`)"


@contextlib.contextmanager
def running_app(env: dict[str, str], work: Path, start_limit: float):
    """`python app.py` on a free loopback port until the block ends: (url, process, log)."""
    port = free_port()
    log_path = work / "app.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [PY, str(ROOT / "app.py")],
            cwd=work,
            env={**env, "CQQA_HOST": "127.0.0.1", "CQQA_PORT": str(port)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C here does not reach it: the finally stops it
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + start_limit
        while True:
            if process.poll() is not None:
                raise SystemExit(
                    f"load: app.py exited with {process.returncode}:\n" + _tail(log_path)
                )
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"load: app.py did not answer on {url} in {start_limit:.0f} s:\n"
                        + _tail(log_path)
                    ) from None
                time.sleep(0.2)
        yield url, process, log_path
    finally:
        stop_group(process)


def _tail(path: Path, n: int = 3000) -> str:
    return path.read_text("utf-8", errors="replace")[-n:]


# ------------------------------------------------------------ asking


def in_process(corpus: Path, index: Path, items: Sequence[Item], k: int) -> tuple[dict, list]:
    """`answer()` in this process on the same index copy, before the app starts: the JSON
    the API must return, and the time the library itself needs per question."""
    from cqqa.answer import answer
    from cqqa.config import Settings
    from cqqa.index import open_index

    settings = Settings(corpus_dir=corpus, index_dir=index, k=k)
    loaded = open_index(settings, note=lambda message: None)

    def one(item: Item) -> Any:
        return answer(
            loaded,
            item.question,
            history=list(item.history),
            k=k,
            retriever=settings.retriever,
            rrf_k=settings.rrf_k,
            max_chars=settings.max_question_chars,
        )

    one(items[0])  # warm the encoder and caches, as the app does at start
    answers, seconds = {}, []
    for item in items:
        started = time.perf_counter()
        result = one(item)
        seconds.append(time.perf_counter() - started)
        answers[item] = json.loads(json.dumps(result.to_dict()))
    return answers, seconds


class Runner:
    """Asks through gradio_client with a per-call limit and one overall deadline."""

    def __init__(self, url: str, pid: int, k: int, call_limit: float, deadline: float) -> None:
        self.url, self.pid, self.k = url, pid, k
        self.call_limit, self.deadline = call_limit, deadline

    def client(self) -> Any:
        from gradio_client import Client

        return Client(self.url, verbose=False, download_files=False, analytics_enabled=False)

    def ask(self, client: Any, item: Item) -> Call:
        left = self.deadline - time.monotonic()
        if left <= 0:
            return Call(item, 0.0, None, "not asked: the overall time limit was reached")
        started = time.perf_counter()
        try:
            job = client.submit(item.question, list(item.history), self.k, api_name="/ask")
            result = job.result(timeout=min(self.call_limit, left))
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
            return Call(item, time.perf_counter() - started, None, text[:300])
        seconds = time.perf_counter() - started
        if not isinstance(result, dict) or "passages" not in result:
            return Call(item, seconds, None, f"not an answer: {str(result)[:200]}")
        return Call(item, seconds, result, None)

    def run(self, name: str, plans: list[list[Item]]) -> Phase:
        """Each plan is one user's questions, asked in order; all users start together."""
        phase = Phase(name, len(plans))
        clients = [self.client() for _ in plans]  # connecting is not part of the timing
        done: list[Call] = []
        start = threading.Barrier(len(plans) + 1)
        stop = threading.Event()

        def user(client: Any, plan: list[Item]) -> None:
            start.wait()
            for item in plan:
                done.append(self.ask(client, item))  # list.append is atomic

        def sample() -> None:
            while not stop.wait(0.1):
                phase.rss.append((len(done), rss_kb(self.pid)))

        threads = [threading.Thread(target=user, args=cp) for cp in zip(clients, plans)]
        for thread in threads:
            thread.start()
        phase.rss.append((0, rss_kb(self.pid)))
        cpu_before = cpu_seconds(self.pid)
        monitor = threading.Thread(target=sample, daemon=True)
        monitor.start()
        began = time.perf_counter()
        start.wait()
        for thread in threads:
            thread.join()
        phase.wall = time.perf_counter() - began
        phase.cpu = cpu_seconds(self.pid) - cpu_before
        stop.set()
        monitor.join()
        phase.rss.append((len(done), rss_kb(self.pid)))
        phase.calls = done
        for client in clients:
            with contextlib.suppress(Exception):
                client.close()
        return phase


def post_without_fetching(url: str, pid: int, n: int, deadline: float) -> tuple[int, int, int, int]:
    """n `POST /gradio_api/call/ask` whose results are never fetched (one refused as queue
    full is posted again), then wait until the server has answered them all (its CPU goes
    idle): (posted, refusals, VmRSS before, VmRSS after)."""
    before = rss_kb(pid)
    body = json.dumps(
        {"data": ["How many ports does the western land and sea channel link with?", [], 5]}
    ).encode()
    posted = refused = 0
    for _ in range(n):
        if time.monotonic() > deadline:
            break
        request = urllib.request.Request(
            url.rstrip("/") + "/gradio_api/call/ask", body, {"Content-Type": "application/json"}
        )
        for _attempt in range(600):  # queue full: wait for room, so that all n are queued
            try:
                urllib.request.urlopen(request, timeout=60).close()
                break
            except urllib.error.HTTPError as exc:
                if exc.code != 503:
                    raise
                refused += 1
                time.sleep(0.05)
        posted += 1
    idle = 0
    while idle < 3 and time.monotonic() < deadline:  # three quiet seconds in a row
        cpu = cpu_seconds(pid)
        time.sleep(1)
        idle = idle + 1 if cpu_seconds(pid) - cpu < 0.2 else 0
    return posted, refused, before, rss_kb(pid)


def plans_for(items: Sequence[Item], users: int, per_user: int, seed: int) -> list[list[Item]]:
    """users × per_user questions, every item used before any repeats, shuffled per user."""
    rng = random.Random(seed)
    order = list(items)
    rng.shuffle(order)
    flat = [order[i % len(order)] for i in range(users * per_user)]
    return [flat[u::users] for u in range(users)]


# ------------------------------------------------------------ report


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def differs(a: Any, b: Any, path: str = "") -> str:
    """Where two JSON values first differ ('' when equal)."""
    if type(a) is not type(b):
        return f"{path or '.'}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: missing on one side"
            found = differs(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return ""
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = differs(x, y, f"{path}[{i}]")
            if found:
                return found
        return ""
    return "" if a == b else f"{path}: {a!r} vs {b!r}"


def mb(kb: float) -> str:
    return f"{kb / 1024:.1f} MB"


def ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def rss_at(phase: Phase, count: int) -> int:
    """VmRSS at the first sample taken once `count` calls were done."""
    return next(kb for n, kb in phase.rss if n >= count)


@dataclass
class Outcome:
    started: float
    elapsed: float
    index_how: str
    library_ms: list[float]  # answer() in process, per question
    phases: list[Phase]
    api_mismatches: list[tuple[Item, str]]  # single-user API vs answer() in process
    load_mismatches: list[tuple[Item, str]]  # under load vs the single-user API answer
    load_compared: int
    load_planned: int
    rss_ready: int
    rss_end: int
    hwm_end: int
    tracebacks: list[str]
    load_avg: tuple[float, float]
    # (calls posted, refused with 503, VmRSS kB before, after they were all answered)
    unfetched: tuple[int, int, int, int] = (0, 0, 0, 0)

    @property
    def unfetched_growth_mb(self) -> float:
        return (self.unfetched[3] - self.unfetched[2]) / 1024

    @property
    def single(self) -> Phase:
        return self.phases[0]

    @property
    def load(self) -> Phase:
        return self.phases[1]

    @property
    def memory(self) -> Phase:
        return self.phases[2]

    @property
    def growth_kb(self) -> int:
        return self.memory.rss[-1][1] - self.memory.rss[0][1]

    @property
    def total_calls(self) -> int:
        return sum(len(p.calls) for p in self.phases)

    @property
    def error_count(self) -> int:
        return sum(len(p.errors) for p in self.phases)

    def checks(self) -> dict[str, bool]:
        single_ok = len(self.single.calls) - len(self.single.errors)
        return {
            "errors": self.error_count == 0 and not self.tracebacks,
            "identical": not self.load_mismatches
            and self.load_compared == self.load_planned
            and not self.api_mismatches
            and single_ok == len(self.single.calls),
            "memory": self.growth_kb / 1024 < MEMORY_LIMIT_MB,
            "unfetched": self.unfetched[0] > 0 and self.unfetched_growth_mb < UNFETCHED_LIMIT_MB,
        }


def render(o: Outcome) -> str:
    ok = o.checks()
    mark = {True: "✓", False: "✗"}
    single, load, memory = o.single, o.load, o.memory
    lib50, lib95 = pct(o.library_ms, 50), pct(o.library_ms, 95)
    s50, s95 = pct(single.latencies_ms(), 50), pct(single.latencies_ms(), 95)
    l50, l95 = pct(load.latencies_ms(), 50), pct(load.latencies_ms(), 95)
    cpu = platform.processor() or platform.machine()
    single_same = len(single.calls) - len(single.errors) - len(o.api_mismatches)
    lines = [
        "# Load",
        "",
        "Reproduce with `make load` (or `.venv/bin/python benchmarks/load.py`). One run of "
        "`python app.py` on a free 127.0.0.1 port, against temporary copies of corpus/ and "
        "the index; every question goes through `gradio_client` to the `/ask` API (k=5) and "
        "comes back as the JSON of `cqqa ask --json`. Questions: eval/questions.jsonl with "
        "their history (30 of the 199 are follow-ups).",
        "",
        f"- run: {time.strftime('%Y-%m-%d %H:%M', time.localtime(o.started))}, "
        f"{o.elapsed / 60:.1f} min; index: {o.index_how}",
        f"- machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}; "
        f"load average at start {o.load_avg[0]:.1f}, at end {o.load_avg[1]:.1f}. The clients "
        "share these cores with the server, so latencies include the clients' own work.",
        "",
        "## Checks",
        "",
        "| check | result | target |",
        "|---|---|---|",
        f"| failed calls, all phases | {o.error_count} of {o.total_calls:,}; "
        f"tracebacks in the server log: {len(o.tracebacks)} | 0 {mark[ok['errors']]} |",
        f"| single-user API answers identical to `answer()` called in this process "
        f"(whole JSON) | {single_same} of {len(single.calls)} | all |",
        f"| answers under {load.users} users identical to the single-user answer (whole JSON) "
        f"| {o.load_compared - len(o.load_mismatches)} of {o.load_planned} | "
        f"all {mark[ok['identical']]} |",
        f"| server VmRSS growth over {len(memory.calls):,} distinct questions | "
        f"{o.growth_kb / 1024:+.1f} MB ({mb(memory.rss[0][1])} → {mb(memory.rss[-1][1])}) | "
        f"< {MEMORY_LIMIT_MB:.0f} MB {mark[ok['memory']]} |",
        "",
        "## Latency",
        "",
        "Milliseconds from `submit` to result in the client, for calls that succeeded; "
        "server CPU is the app process's user + system time during the phase, per question.",
        "",
        "| phase | users | questions | wall | questions/s | p50 | p95 | max | server CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| `answer()` in this process (the floor) | 1 | {len(o.library_ms)} | "
        f"{sum(o.library_ms) / 1000:.1f} s | {len(o.library_ms) / (sum(o.library_ms) / 1000):.0f}"
        f" | {ms(lib50)} | {ms(lib95)} | {ms(max(o.library_ms))} | – |",
    ]
    for p in o.phases:
        lat = p.latencies_ms()
        lines.append(
            f"| {p.name} | {p.users} | {len(p.calls):,} | {p.wall:.1f} s | "
            f"{len(p.calls) / p.wall:.1f} | {ms(pct(lat, 50))} | {ms(pct(lat, 95))} | "
            f"{ms(max(lat, default=float('nan')))} | {ms(p.cpu * 1000 / len(p.calls))} |"
        )
    lines += [
        "",
        f"One user waits {s50 / lib50:.0f}× the library's own time (p50 {ms(s50)} against "
        f"{ms(lib50)}). The server process spends "
        f"{ms(single.cpu * 1000 / len(single.calls))} of CPU per question (Gradio's queue, "
        "HTTP and server-sent events around `answer()`); the rest of the wait is "
        "`gradio_client`'s own work and the hand-offs between the two processes. "
        f"Under {load.users} users, p50 is {l50 / s50:.1f}× and p95 {l95 / s95:.1f}× the "
        "single-user figure, and throughput is "
        f"{(len(load.calls) / load.wall) / (len(single.calls) / single.wall):.1f}× a single "
        "user's. Answers take turns on purpose: the page's questions and `/ask` share "
        '`concurrency_id="answer"` with Gradio\'s default limit of one, so the loaded index '
        "and its lazily filled caches are used by one thread at a time, and a question waits "
        "behind those already queued.",
        "",
        "## Memory",
        "",
        "VmRSS of the app's process (from /proc/PID/status):",
        "",
        "| moment | VmRSS |",
        "|---|---:|",
        f"| ready (index loaded, one warm-up answer) | {mb(o.rss_ready)} |",
        f"| after the single-user pass ({len(single.calls)} questions) | {mb(single.rss[-1][1])} |",
        f"| after {len(load.calls)} questions from {load.users} users | {mb(load.rss[-1][1])} |",
    ]
    n = len(memory.calls)
    for step in (n // 4, n // 2, 3 * n // 4):
        if step:
            lines.append(f"| {memory.name}: after {step:,} | {mb(rss_at(memory, step))} |")
    lines += [
        f"| {memory.name}: after {n:,} | {mb(memory.rss[-1][1])} |",
        f"| peak (VmHWM) at the end | {mb(o.hwm_end)} |",
        "",
        f"From ready to the end: {(o.rss_end - o.rss_ready) / 1024:+.1f} MB over "
        f"{o.total_calls:,} questions. The {n:,} questions of the last phase are all different "
        "(eval and held-out questions, then variants with a typo, a prefix or suffix, or in "
        f"lower case), asked by {memory.users} users, so caches keyed by text see new keys "
        "throughout. What grows is bounded: Gradio's record of each event for its monitoring "
        "page (cqqa keeps 1,000, `GRADIO_ANALYTICS_MAX_EVENTS`; Gradio's default is 10,000) "
        "and the text caches of `answer()` (typo corrections, cleared past 10,000 words; "
        "phrase vectors, cleared past 50,000 phrases).",
    ]
    posted, refused, before, after = o.unfetched
    lines += [
        "",
        f"Unfetched results: {posted:,} `POST /gradio_api/call/ask` with no GET for their "
        f"result (posted again after {refused:,} queue-full refusals): VmRSS {mb(before)} → "
        f"{mb(after)} once all were answered, {o.unfetched_growth_mb:+.1f} MB "
        f"(limit {UNFETCHED_LIMIT_MB:.0f} MB). Gradio keeps unfetched sessions' messages for "
        "2,000 sessions, and each starting event sent an estimate to every waiting one "
        "(316 MB → 1.25 GB measured before the fix); cqqa lets at most 64 events wait "
        "(`server.MAX_QUEUED_EVENTS`).",
    ]
    problems = [
        *(f"- under load, a different answer to {i.question!r} (history {list(i.history)}): "
          f"{where}" for i, where in o.load_mismatches[:10]),
        *(f"- the API's answer to {i.question!r} differs from `answer()`: {where}"
          for i, where in o.api_mismatches[:10]),
        *(f"- {p.name}: {c.item.question[:80]!r}: {c.error}" for p in o.phases
          for c in p.errors[:10]),
        *(f"- server log: `{text}`" for text in o.tracebacks[:5]),
    ]  # fmt: skip
    if problems:
        lines += ["", "## Problems", "", *problems]
    return "\n".join(lines) + "\n"


def results_section(o: Outcome) -> str:
    single, load = o.single, o.load
    ok = all(o.checks().values())
    return "\n".join(
        [
            SECTION,
            "",
            f"`make load`, {time.strftime('%Y-%m-%d %H:%M', time.localtime(o.started))} "
            "(the whole report: [LOAD.md](LOAD.md)): "
            f"{load.users} `gradio_client` users × {o.load_planned // load.users} questions "
            "against `python app.py` on loopback"
            + (", every check met." if ok else ", **a check failed** (see LOAD.md)."),
            "",
            f"- failed calls: {o.error_count} of {o.total_calls:,}; answers under load "
            f"identical to single-user answers: {o.load_compared - len(o.load_mismatches)} "
            f"of {o.load_planned}",
            f"- latency under load p50 {ms(pct(load.latencies_ms(), 50))}, p95 "
            f"{ms(pct(load.latencies_ms(), 95))}; one user p50 "
            f"{ms(pct(single.latencies_ms(), 50))}, p95 {ms(pct(single.latencies_ms(), 95))}; "
            f"`answer()` itself p50 {ms(pct(o.library_ms, 50))}",
            f"- server memory over {len(o.memory.calls):,} distinct questions: "
            f"{o.growth_kb / 1024:+.1f} MB VmRSS (limit {MEMORY_LIMIT_MB:.0f} MB)",
            f"- {o.unfetched[0]:,} results posted and never fetched: "
            f"{o.unfetched_growth_mb:+.1f} MB VmRSS (limit {UNFETCHED_LIMIT_MB:.0f} MB)",
            "",
        ]
    )


def put_section(path: Path, section: str) -> None:
    """Replace the '## Load' section of `path` (up to the next '## '), or append it."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


# ------------------------------------------------------------ main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cqqa load test (issue 6), loopback only.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--per-user", type=int, default=25)
    parser.add_argument("--memory-questions", type=int, default=1000)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--unfetched", type=int, default=UNFETCHED_CALLS)
    parser.add_argument("--call-limit", type=float, default=120.0, help="seconds per call")
    parser.add_argument("--time-limit", type=float, default=1200.0, help="seconds in all")
    parser.add_argument("--no-write", action="store_true", help="print only; write no files")
    args = parser.parse_args(argv)
    if min(args.users, args.per_user, args.memory_questions, args.k) < 1:
        parser.error("--users, --per-user, --memory-questions and -k must be at least 1")

    distinct = list(dict.fromkeys(read_items(QUESTION_FILES[0])))
    every = [item for path in QUESTION_FILES for item in read_items(path)]
    started, began = time.time(), time.perf_counter()
    load_start = os.getloadavg()
    deadline = time.monotonic() + args.time_limit
    # This machine's own settings must not leak in (a CQQA_AUTH would refuse the clients).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CQQA_", "GRADIO_"))}
    env.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")

    with tempfile.TemporaryDirectory(prefix="cqqa-load-") as folder:
        work = Path(folder)
        print("Preparing corpus and index copies …", flush=True)
        corpus, index, how = prepare(work, env)
        library, library_seconds = in_process(corpus, index, distinct, args.k)
        library_ms = [s * 1000 for s in library_seconds]
        print(f"  answer() in process: p50 {ms(pct(library_ms, 50))}", flush=True)
        env.update(
            CQQA_CORPUS_DIR=str(corpus),
            CQQA_INDEX_DIR=str(index),
            GRADIO_TEMP_DIR=str(work / "gradio"),
            TMPDIR=str(work),
        )
        with running_app(env, work, start_limit=180) as (url, process, log_path):
            runner = Runner(url, process.pid, args.k, args.call_limit, deadline)
            rss_ready = rss_kb(process.pid)
            print(f"App ready on {url} (pid {process.pid}, VmRSS {mb(rss_ready)})", flush=True)

            single = runner.run("one user, each question once", [distinct])
            _progress(single)
            reference = {c.item: c.result for c in single.calls if c.result is not None}
            api_mismatches = _mismatches(library, single.calls)

            plans = plans_for(distinct, args.users, args.per_user, seed=20)
            load = runner.run(f"{args.users} users × {args.per_user}", plans)
            _progress(load)
            compared = [c for c in load.calls if c.result is not None and c.item in reference]
            load_mismatches = _mismatches(reference, compared)

            questions = distinct_items(every, args.memory_questions)
            users = min(args.users, len(questions))
            memory = runner.run(
                f"{len(questions):,} distinct questions",
                [questions[u::users] for u in range(users)],
            )
            _progress(memory)
            unfetched = post_without_fetching(url, process.pid, args.unfetched, deadline)
            print(
                f"  {unfetched[0]:,} unfetched results ({unfetched[1]:,} refused): VmRSS "
                f"{mb(unfetched[2])} → {mb(unfetched[3])}",
                flush=True,
            )
            rss_end, hwm_end = rss_kb(process.pid), rss_kb(process.pid, "VmHWM")
        log = log_path.read_text("utf-8", errors="replace")
    outcome = Outcome(
        started=started,
        elapsed=time.perf_counter() - began,
        index_how=how,
        library_ms=library_ms,
        phases=[single, load, memory],
        api_mismatches=api_mismatches,
        load_mismatches=load_mismatches,
        load_compared=len(compared),
        load_planned=args.users * args.per_user,
        rss_ready=rss_ready,
        rss_end=rss_end,
        hwm_end=hwm_end,
        tracebacks=[line.strip() for line in log.splitlines() if _is_failure(line)],
        load_avg=(load_start[0], os.getloadavg()[0]),
        unfetched=unfetched,
    )
    report = render(outcome)
    print("\n" + report)
    if not args.no_write:
        LOAD_MD.write_text(report, encoding="utf-8")
        put_section(RESULTS_MD, results_section(outcome))
        print(f"Wrote {LOAD_MD.relative_to(ROOT)} and the Load section of "
              f"{RESULTS_MD.relative_to(ROOT)}.")  # fmt: skip
    failed = [name for name, ok in outcome.checks().items() if not ok]
    if failed:
        print(f"load: failed checks: {', '.join(failed)} (see the report)", file=sys.stderr)
    return 1 if failed else 0


def _mismatches(expected: dict[Item, Any], calls: Sequence[Call]) -> list[tuple[Item, str]]:
    out = []
    for call in calls:
        if call.result is not None and call.item in expected:
            where = differs(expected[call.item], call.result)
            if where:
                out.append((call.item, where))
    return out


def _is_failure(line: str) -> bool:
    """A line of the app's log that shows a server-side failure."""
    return line.startswith(("Traceback", "ERROR", "Exception")) or "Something went wrong" in line


def _progress(phase: Phase) -> None:
    lat = phase.latencies_ms()
    print(
        f"  {phase.name}: {len(phase.calls)} calls in {phase.wall:.1f} s, "
        f"{len(phase.errors)} errors, p50 {ms(pct(lat, 50))}, p95 {ms(pct(lat, 95))}, "
        f"server CPU {ms(phase.cpu * 1000 / max(1, len(phase.calls)))}/question, "
        f"VmRSS {mb(phase.rss[0][1])} → {mb(phase.rss[-1][1])}",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
