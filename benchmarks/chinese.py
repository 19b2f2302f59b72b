"""Speed of Chinese questions (issue 12), each figure beside its English floor, one run.

    .venv/bin/python benchmarks/chinese.py [--repeats 5]

Runs against a temporary copy of corpus/ and its index; prints a Markdown table. Figures:
cold `cqqa ask` in a fresh process for an English and a Chinese question (the first Chinese
one in a fresh index folder, which loads the multilingual encoder the package's way and
writes its load cache; then later ones that read the cache), and warm `answer()` p50 for
the questions of eval/questions.jsonl and eval/chinese.jsonl. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EN = "How many ports does the western land and sea channel link with?"
ZH = "重庆有多少对国际友好城市？"


def cold(question: str, env: dict[str, str], cpu: list[float] | None = None) -> float:
    """Seconds of one `cqqa ask` in a fresh process; its CPU seconds (all threads) go to
    `cpu`: on a loaded machine they vary less than the wall clock."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "cqqa", "ask", question],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    status = child.wait()
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"cqqa ask {question!r} failed")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        shutil.copytree(ROOT / "corpus", home / "corpus")
        env = {
            **os.environ,
            "CQQA_CORPUS_DIR": str(home / "corpus"),
            "CQQA_INDEX_DIR": str(home / "index"),
        }
        subprocess.run([sys.executable, "-m", "cqqa", "index"], env=env, check=True)
        python = [cold_python(env) for _ in range(args.repeats)]
        first_zh = cold(ZH, env)  # no load cache yet: the package's own loading
        english, chinese, en_cpu, zh_cpu = [], [], [], []
        for _ in range(args.repeats):  # alternated, so that both see the same load
            english.append(cold(EN, env, en_cpu))
            chinese.append(cold(ZH, env, zh_cpu))
        warm = warm_answers(env)
    rows = [
        ("`python -c pass`", statistics.median(python), ""),
        ("cold `cqqa ask`, English", statistics.median(english), "≤ 1.0 s"),
        ("cold `cqqa ask`, first Chinese question (writes the load cache)", first_zh, ""),
        ("cold `cqqa ask`, Chinese (load cache read)", statistics.median(chinese), "≤ 1.0 s"),
        ("warm `answer()` p50, eval/questions.jsonl", warm["en"], ""),
        ("warm `answer()` p50, eval/chinese.jsonl", warm["zh"], "≤ 2× English"),
    ]
    ratio = statistics.median(chinese) / statistics.median(english)
    cpu_ratio = statistics.median(zh_cpu) / statistics.median(en_cpu)
    print("| figure | seconds | target |\n|---|---:|---|")
    for name, value, target in rows:
        print(f"| {name} | {value:.3f} | {target} |")
    print("\n| ratio, same run | value |\n|---|---:|")
    print(f"| cold Chinese / cold English (wall) | {ratio:.2f}× |")
    print(f"| cold Chinese / cold English (CPU seconds) | {cpu_ratio:.2f}× |")


def cold_python(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - start


def warm_answers(env: dict[str, str]) -> dict[str, float]:
    code = f"""
import json, statistics, time
from cqqa.config import Settings
from cqqa.index import open_index
from cqqa.answer import answer
index = open_index(Settings())
out = {{}}
for lang, path in (("en", {str(ROOT / "eval" / "questions.jsonl")!r}),
                   ("zh", {str(ROOT / "eval" / "chinese.jsonl")!r})):
    items = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    for item in items[:5]:
        answer(index, item["question"], item.get("history") or [])  # warm up
    times = []
    for item in items:
        start = time.perf_counter()
        answer(index, item["question"], item.get("history") or [])
        times.append(time.perf_counter() - start)
    out[lang] = statistics.median(times)
print(json.dumps(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
