"""cqqa: ask questions of documents, offline, and get the number with its source."""

import os as _os

__version__ = "0.1.0"

# Nothing in cqqa may reach a network: switch the libraries that would try to
# offline before any of them is imported.
for _name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    _os.environ[_name] = "1"
_os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
_os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
_os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
_os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
_os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
_os.environ.setdefault("DO_NOT_TRACK", "1")
