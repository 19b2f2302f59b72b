"""The web chat for `python app.py` (and `gradio app.py`): corpus/ and index/ beside this file.

CQQA_CORPUS_DIR, CQQA_INDEX_DIR, CQQA_HOST and CQQA_PORT override the defaults;
CQQA_AUTH=user:password asks for a login.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cqqa.config import Settings
from cqqa.errors import CqqaError
from cqqa.server import serve
from cqqa.web import build_demo

HERE = Path(__file__).resolve().parent

try:
    settings = Settings.from_env(corpus_dir=HERE / "corpus", index_dir=HERE / "index")
    demo = build_demo(settings)
except CqqaError as exc:
    print(f"cqqa: {exc}", file=sys.stderr)
    raise SystemExit(2) from None

if __name__ == "__main__":
    try:
        serve(settings, demo, private_dirs=[HERE])
    except CqqaError as exc:
        print(f"cqqa: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
