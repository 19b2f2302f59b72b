"""Fault injection for the index (issue 11): single-bit flips in manifest.json, corpus files
rewritten while `cqqa index` reads them, and concurrent builds with `cqqa ask` running.

Each fault is injected a bounded number of times into a private copy of the corpus and a
current index (built once here), and every outcome is counted. Prints a table and writes
benchmarks/FAULTS.md (quoted by docs/reliability.md). `make faults`.

    python benchmarks/faults.py [--flips 300] [--confirm 4] [--mid-build 8] [--concurrent 4]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from cqqa.config import Settings  # noqa: E402
from cqqa.index import read_manifest, stale_reasons  # noqa: E402

PORTS = "How many ports does the western land and sea channel link with?"
ARTICLE = "chongqing-international-links"
FAULTS_MD = HERE / "FAULTS.md"


def cqqa(home: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CQQA_", "GRADIO_"))}
    env.update(
        CQQA_CORPUS_DIR=str(home / "corpus"),
        CQQA_INDEX_DIR=str(home / "index"),
        PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return subprocess.run(
        [sys.executable, "-m", "cqqa", *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def settings_of(home: Path) -> Settings:
    return Settings(corpus_dir=home / "corpus", index_dir=home / "index")


def fresh_copy(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def answered_ports(result: subprocess.CompletedProcess) -> bool:
    if result.returncode != 0:
        return False
    try:
        return "319" in json.loads(result.stdout)["answer"]["text"]
    except (ValueError, KeyError, TypeError):
        return False


# ------------------------------------------------------------ manifest bit flips


def manifest_flips(base: Path, work: Path, flips: int, confirm: int, seed: int) -> Counter:
    """Flip one bit of manifest.json at `flips` random positions: each is classified by what
    reading the index does with it; `confirm` of them also go through the real CLI."""
    home = fresh_copy(base, work / "flips")
    generation, _ = read_manifest(home / "index")
    path = generation / "manifest.json"
    pristine = path.read_bytes()
    original = json.loads(pristine)
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    positions = [rng.randrange(len(pristine) * 8) for _ in range(flips)]
    for bit in positions:
        data = bytearray(pristine)
        data[bit // 8] ^= 1 << (bit % 8)
        path.write_bytes(bytes(data))
        try:
            found = read_manifest(home / "index")
            if found is None:
                reasons = stale_reasons(settings_of(home), None)
                outcome = "noticed: rebuild with a note" if reasons else "UNNOTICED"
            elif found[1] == original:
                outcome = "harmless: the same JSON (e.g. a flip in white space)"
            else:
                outcome = "UNNOTICED: a changed manifest was accepted"
        except Exception as exc:  # noqa: BLE001 - every crash is an outcome to count
            outcome = f"CRASH: {type(exc).__name__}"
        outcomes[("manifest bit flip (read by the library)", outcome)] += 1
    for bit in positions[:confirm]:
        data = bytearray(pristine)
        data[bit // 8] ^= 1 << (bit % 8)
        home = fresh_copy(base, work / "flips")
        generation, _ = read_manifest(home / "index")
        (generation / "manifest.json").write_bytes(bytes(data))
        result = cqqa(home, "ask", PORTS, "--json")
        again = cqqa(home, "ask", PORTS, "--json")
        if not answered_ports(result) or "Traceback" in result.stderr:
            outcome = f"FAILED: exit {result.returncode}: {result.stderr.strip()[-120:]}"
        elif "Building the index" in result.stderr and again.stderr == "":
            outcome = "rebuilt with a note, then current; answer 319 ports"
        elif result.stderr == "":
            outcome = "no rebuild needed; answer 319 ports"
        else:
            outcome = f"answered, but: {result.stderr.strip()[-120:]}"
        outcomes[("manifest bit flip, then `cqqa ask` twice", outcome)] += 1
    return outcomes


# ------------------------------------------------------------ mid-build changes


def mid_build_changes(base: Path, work: Path, runs: int, seed: int) -> Counter:
    """`cqqa index --force` while another thread keeps rewriting the article between two
    versions; afterwards the index must hold text whose hash is the one it recorded, and it
    is current only if that text is what the file now holds."""
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    for _ in range(runs):
        home = fresh_copy(base, work / "mid-build")
        article = home / "corpus" / f"{ARTICLE}.txt"
        versions = [article.read_bytes()]
        versions.append(versions[0].replace(b"319 ports", b"999 ports"))
        stop = threading.Event()

        def rewrite() -> None:
            i = 0
            while not stop.is_set():
                i += 1
                article.write_bytes(versions[i % 2])
                time.sleep(rng.random() * 0.02)

        writer = threading.Thread(target=rewrite)
        writer.start()
        try:
            result = cqqa(home, "index", "--force")
        finally:
            stop.set()
            writer.join()
        article.write_bytes(versions[rng.randrange(2)])
        if result.returncode != 0:
            # The writer truncates before it writes: a build that read the only document
            # empty refuses in one line, and the index it had stays as it was.
            line = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
            refused = (
                result.returncode == 2
                and line.startswith("cqqa: ")
                and ("Traceback" not in result.stderr)
            )
            outcome = (
                f"refused in one line ({line[6:60]}…), the previous index kept"
                if refused and read_manifest(home / "index") is not None
                else f"FAILED: exit {result.returncode}: {line[-120:]}"
            )
            outcomes[("file rewritten during `cqqa index --force`", outcome)] += 1
            continue
        generation, manifest = read_manifest(home / "index")
        documents = json.loads((generation / "documents.json").read_text("utf-8"))
        text = next(d["text"] for d in documents if d["id"] == ARTICLE).encode("utf-8")
        recorded = manifest["documents"][ARTICLE]["sha256"]
        if hashlib.sha256(text).hexdigest() != recorded:
            outcome = "WRONG: the recorded hash is not that of the text indexed"
        elif stale_reasons(settings_of(home), manifest):
            outcome = "consistent; the file differs now and the index says stale"
        elif text == article.read_bytes():
            outcome = "consistent; current, and the file holds the text indexed"
        else:
            outcome = "WRONG: current, but the file holds other text"
        outcomes[("file rewritten during `cqqa index --force`", outcome)] += 1
    return outcomes


# ------------------------------------------------------------ concurrent builds


def concurrent_builds(base: Path, work: Path, rounds: int) -> Counter:
    """Two `cqqa index --force` at once while `cqqa ask` runs again and again."""
    outcomes: Counter = Counter()
    for _ in range(rounds):
        home = fresh_copy(base, work / "concurrent")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CQQA_", "GRADIO_"))}
        env.update(
            CQQA_CORPUS_DIR=str(home / "corpus"),
            CQQA_INDEX_DIR=str(home / "index"),
            PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
        )
        builders = [
            subprocess.Popen(
                [sys.executable, "-m", "cqqa", "index", "--force"],
                env=env,
                cwd=home,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        asks = []
        while any(b.poll() is None for b in builders) or not asks:
            asks.append(cqqa(home, "ask", PORTS, "--json"))
        for builder in builders:
            builder.communicate(timeout=600)
            ok = builder.returncode == 0
            outcomes[("two concurrent `cqqa index --force`: each build", "exit 0" if ok
                      else f"FAILED: exit {builder.returncode}")] += 1  # fmt: skip
        for result in asks:
            if answered_ports(result) and "cannot be read" not in result.stderr:
                outcome = "answered 319 ports"
            else:
                outcome = f"FAILED: {result.stderr.strip()[-120:]}"
            outcomes[("`cqqa ask` during them", outcome)] += 1
        left = len(list((home / "index").glob("gen-*")))
        final = cqqa(home, "ask", PORTS, "--json")
        outcome = (
            "current, answers with an empty stderr"
            if answered_ports(final) and final.stderr == ""
            else f"FAILED: {final.stderr.strip()[-120:]}"
        )
        outcomes[("afterwards", f"{outcome}; {left} generations kept")] += 1
    return outcomes


# ------------------------------------------------------------ report


def render(outcomes: Counter, args: argparse.Namespace, seconds: float) -> str:
    lines = [
        "# Fault injection",
        "",
        f"`make faults` (benchmarks/faults.py), {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{seconds:.0f} s: {args.flips} single-bit flips of manifest.json at random positions "
        f"(seed {args.seed}), {args.confirm} of them also through `cqqa ask`; {args.mid_build} "
        f"builds with the article rewritten under them; {args.concurrent} rounds of two "
        "concurrent builds with `cqqa ask` running. Each on a private copy of the corpus and "
        "a current index. An outcome in capitals is a failure.",
        "",
        "| fault | outcome | count |",
        "|---|---|---:|",
    ]
    for (fault, outcome), count in sorted(outcomes.items()):
        lines.append(f"| {fault} | {outcome} | {count} |")
    failures = sum(c for (_, o), c in outcomes.items() if o.split(":")[0].isupper())
    lines += ["", f"Failures: {failures}."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flips", type=int, default=300)
    parser.add_argument("--confirm", type=int, default=4)
    parser.add_argument("--mid-build", type=int, default=8)
    parser.add_argument("--concurrent", type=int, default=4)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cqqa-faults-") as folder:
        work = Path(folder)
        base = work / "base"
        shutil.copytree(ROOT / "corpus", base / "corpus")
        print("Building the base index …", flush=True)
        built = cqqa(base, "index")
        if built.returncode != 0:
            print(built.stderr, file=sys.stderr)
            return 1
        outcomes: Counter = Counter()
        print(f"{args.flips} manifest bit flips …", flush=True)
        outcomes += manifest_flips(base, work, args.flips, args.confirm, args.seed)
        print(f"{args.mid_build} builds with the article rewritten under them …", flush=True)
        outcomes += mid_build_changes(base, work, args.mid_build, args.seed)
        print(f"{args.concurrent} rounds of concurrent builds …", flush=True)
        outcomes += concurrent_builds(base, work, args.concurrent)
    report = render(outcomes, args, time.perf_counter() - started)
    print("\n" + report)
    if not args.no_write:
        FAULTS_MD.write_text(report, encoding="utf-8")
        print(f"Wrote {FAULTS_MD.relative_to(ROOT)}.")
    return 1 if "Failures: 0." not in report else 0


if __name__ == "__main__":
    raise SystemExit(main())
