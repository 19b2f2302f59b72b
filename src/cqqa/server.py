"""Serving the web chat safely: launch options, request limits and signal handling.

`cqqa.web` builds the page; this module decides how it is exposed: on 127.0.0.1 unless told
otherwise (with a warning), never as a share link, with a login when CQQA_AUTH asks for one,
no uploads, no local files but Gradio's own, nothing fetched from other hosts, and a cap
on request bodies.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sys
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import CqqaError
from .uploads import MAX_UPLOAD_BYTES
from .web import CSS, build_demo

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_REQUEST_BYTES = 4 * 1024 * 1024  # a long chat (the page sends it back) stays far below
# Gradio keeps the messages of each session (an open page, or one `POST /call/ask`) until
# they are fetched, for up to 2,000 sessions, and each event that starts sends a queue
# estimate to every event still waiting: 2,000 POSTs never followed by their GET grew the
# server from 316 MB to 1.25 GB. cqqa lets at most MAX_QUEUED_EVENTS wait (answers take
# turns, 5-30 ms each; more get 503 "queue full"), sends estimates once a second, and keeps
# the messages of at most MAX_PENDING_SESSIONS sessions with no event still running or
# waiting, and the component state (about 67 KB each, also for an API call) of the
# MAX_PENDING_SESSIONS most recently active sessions instead of Gradio's 10,000: a chat
# idle while 200 other sessions came loses its follow-up context. Measured by `make load`.
MAX_PENDING_SESSIONS = 200
MAX_QUEUED_EVENTS = 64
# JSON nested deeper than this is refused before Gradio parses it (Python's parser raises
# RecursionError near 1,000 levels, a traceback in the log); a chat is about 5 levels deep.
MAX_JSON_DEPTH = 64


def launch_options(settings: Settings, private_dirs: Sequence[Path] = ()) -> dict[str, Any]:
    """What `launch()` needs: local by default, never a share link, nothing from outside,
    no uploads, no files but Gradio's own, and a login when CQQA_AUTH asks for one."""
    import gradio as gr
    from starlette.middleware import Middleware

    login = settings.login
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "theme": gr.themes.Soft(
            primary_hue="teal",
            font=["ui-sans-serif", "system-ui", "sans-serif"],
            font_mono=["ui-monospace", "Consolas", "monospace"],
        ),
        "css": CSS,
        "ssr_mode": False,
        "pwa": False,
        "mcp_server": False,
        "enable_monitoring": False,
        # Gradio's run history serves /gradio_api/run-history/* without the login and, when
        # a request names a Hugging Face bucket, records runs there: cqqa keeps nothing.
        "run_history": False,
        "footer_links": ["api"],
        "auth": [login] if login else None,  # Gradio compares passwords in constant time
        "auth_message": "cqqa · ask the documents: log in to continue." if login else None,
        "blocked_paths": blocked_paths(settings, private_dirs),
        "state_session_capacity": MAX_PENDING_SESSIONS,
        # Nothing on the page takes a file unless uploads are on: refuse them, keep the disk.
        "max_file_size": MAX_UPLOAD_BYTES if settings.uploads else 0,
        "app_kwargs": {
            "middleware": [
                Middleware(LimitRequestBody, uploads=bool(settings.uploads)),
                Middleware(LocalFilesOnly),
                *([] if settings.uploads else [Middleware(NoUploads)]),
            ]
        },
    }


def blocked_paths(settings: Settings, private_dirs: Sequence[Path] = ()) -> list[str]:
    """Folders never to serve, whatever GRADIO_ALLOWED_PATHS or GRADIO_TEMP_DIR say: the
    corpus, the index and `private_dirs` (app.py's folder), plus GRADIO_BLOCKED_PATHS.

    Gradio serves only its upload folder (and an example cache cqqa does not use) by
    default; a folder that holds the upload folder is left out here, or the page could not
    offer its CSV downloads."""
    from gradio.utils import get_upload_folder

    uploads = Path(get_upload_folder()).resolve()
    out: list[str] = []
    for folder in (settings.corpus_dir, settings.index_dir, *private_dirs):
        path = Path(folder).resolve()
        if path == uploads or path in uploads.parents:
            continue
        out += [str(path), str(Path(folder).absolute())]  # resolved, and as given (symlinks)
    extra = os.environ.get("GRADIO_BLOCKED_PATHS", "")
    return list(dict.fromkeys(out + [p.strip() for p in extra.split(",") if p.strip()]))


# `/gradio_api/file=<http(s) URL>` makes Gradio fetch that URL from the internet and pass
# it on; `proxy=` does the same for Spaces loaded with gr.load(). cqqa needs neither.
_REMOTE = re.compile(r"/(?:file[=/]|proxy=)\s*(?:[a-z][a-z0-9+.-]+:|[/\\]{2})", re.I)


class LimitRequestBody:
    """ASGI middleware: refuse a request body over MAX_REQUEST_BYTES with 413 before Gradio
    parses it (a 100 MB "question" would otherwise be read, decoded and, when malformed,
    printed whole into the log). Questions are at most a few thousand characters.

    The body is read here first (at most the limit is kept), so a declared length and a
    chunked body are treated alike; the rest of an oversized body is read and dropped, up
    to DRAIN_BYTES, so that the client sees the 413 rather than a reset connection."""

    DRAIN_BYTES = 64 * 1024 * 1024

    def __init__(self, app: Any, limit: int | None = None, uploads: bool = False) -> None:
        self.app = app
        self.limit = MAX_REQUEST_BYTES if limit is None else limit
        self.uploads = uploads

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if self.uploads and _is_upload(scope):
            # A document, not a question: Gradio streams it to disk and enforces
            # max_file_size (MAX_UPLOAD_BYTES) itself; cqqa then checks it by content.
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        declared = int(length) if length.isdigit() else None
        # A declared length past DRAIN_BYTES is refused without reading a byte of it.
        body, seen, more = [], 0, (declared or 0) <= self.DRAIN_BYTES
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk, more = message.get("body", b""), message.get("more_body", False)
            seen += len(chunk)
            if seen > self.limit or (declared or 0) > self.limit:
                if seen >= self.DRAIN_BYTES:
                    more = False
                continue  # read on, keep nothing
            body.append(chunk)
        if seen > self.limit or (declared or 0) > self.limit:
            from starlette.responses import PlainTextResponse

            refusal = PlainTextResponse(
                f"The request is larger than cqqa accepts ({self.limit:,} bytes); "
                "questions are limited to a few thousand characters.",
                status_code=413,
                headers={"Connection": "close"},
            )
            await refusal(scope, receive, send)
            return
        depth = json_depth(b"".join(body))
        if depth > MAX_JSON_DEPTH:
            from starlette.responses import PlainTextResponse

            refusal = PlainTextResponse(
                f"The request is nested {depth:,} levels deep; cqqa accepts at most "
                f"{MAX_JSON_DEPTH} (history is a flat list of earlier questions).",
                status_code=400,
            )
            await refusal(scope, receive, send)
            return
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(body), "more_body": False}
            return await receive()  # after the body: a disconnect, for streaming responses

        await self.app(scope, replay, send)


def json_depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON body nest (brackets inside strings do
    not count); cheap for ordinary requests, which hold few brackets."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    import numpy as np

    text = _JSON_STRING.sub(b'""', body)
    codes = np.frombuffer(text, dtype=np.uint8)
    steps = np.isin(codes, (91, 123)).astype(np.int32) - np.isin(codes, (93, 125))
    return int(np.cumsum(steps).max(initial=0))


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)


def _is_upload(scope: dict) -> bool:
    path = scope.get("path", "").rstrip("/")
    return path == "/upload" or path.endswith("/gradio_api/upload")


class NoUploads:
    """ASGI middleware: nothing on the page takes a file, so every upload is refused, empty
    or not, before Gradio writes it to its upload folder (`max_file_size=0` lets an empty
    file through)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _is_upload(scope):
            from starlette.responses import PlainTextResponse

            refusal = PlainTextResponse("cqqa takes no uploads.", status_code=403)
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


class LocalFilesOnly:
    """ASGI middleware: refuse file and proxy requests that name another host, before
    Gradio would resolve or contact it. Nothing the page needs looks like that."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _REMOTE.search(scope.get("path", "")):
            from starlette.responses import PlainTextResponse

            refusal = PlainTextResponse("cqqa serves no files from other hosts.", status_code=403)
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


def serve(settings: Settings, demo: Any = None, private_dirs: Sequence[Path] = ()) -> None:
    """Run the chat until interrupted (`cqqa serve`, `python app.py`); SIGTERM stops it as
    Ctrl-C does, so the temporary CSV folder is removed."""
    if settings.host not in LOCAL_HOSTS:
        print(
            f"cqqa: warning: serving on {settings.host}:{settings.port}, not only this machine; "
            "anyone who can reach that address can read the documents"
            + (
                " once logged in, and the login travels unencrypted over HTTP: put HTTPS in "
                "front of it. "
                if settings.login
                else " (CQQA_AUTH=user:password asks for a login). "
            )
            + "Use --host 127.0.0.1 to keep it local.",
            file=sys.stderr,
        )
    _check_port(settings.host, settings.port)
    demo = demo if demo is not None else build_demo(settings)
    bound_queue(demo)
    options = launch_options(settings, private_dirs)
    previous = _on_sigterm(_interrupt)
    try:
        demo.launch(**options)
    except KeyboardInterrupt:
        # A stop that lands while launch() is still starting up; once it is serving,
        # Gradio's own loop catches the interrupt and closes the server itself.
        print("cqqa: interrupted while starting; closing server.", file=sys.stderr)
        demo.close()
    finally:
        _on_sigterm(previous)


def bound_queue(demo: Any) -> None:
    """Cap what Gradio's queue holds for callers who never come back (see
    MAX_PENDING_SESSIONS)."""
    queue = getattr(demo, "_queue", None)
    if queue is None:  # not a Gradio Blocks (or one without a queue): nothing to bound
        return
    queue.max_size = MAX_QUEUED_EVENTS
    queue.pending_messages_per_session = PendingSessions(queue, MAX_PENDING_SESSIONS)
    # Queue estimates once a second (Gradio's timer) rather than to every waiting event
    # each time one starts: a page's "1/3" updates a little later, nothing else changes.
    queue.live_updates = False


class PendingSessions(OrderedDict):
    """Gradio's per-session message store (its LRUCache of 2,000), but smaller, and never
    dropping a session whose event is still waiting or running: Gradio looks that session
    up when the event ends, and a KeyError there stops its queue for good."""

    def __init__(self, queue: Any, max_size: int) -> None:
        super().__init__()
        self.queue, self.max_size = queue, max_size

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            self.move_to_end(key)
        elif len(self) >= self.max_size:
            live = {e.session_hash for e in list(self.queue.event_ids_to_events.values())}
            for old in [k for k in self if k not in live][: len(self) - self.max_size + 1]:
                super().__delitem__(old)
                self.queue.pending_event_ids_session.pop(old, None)
        super().__setitem__(key, value)


def _check_port(host: str, port: int) -> None:
    """A taken port is one clear line, not Gradio's traceback about GRADIO_SERVER_PORT."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CqqaError(
                f"Cannot serve on {host}:{port} ({exc.strerror or exc}). Set CQQA_PORT "
                "(or `cqqa serve --port`) to a free port, or stop what is using it."
            ) from None


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _on_sigterm(handler: Any) -> Any:
    """Set the SIGTERM handler (the main thread only may); returns the previous one."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, TypeError):  # not the main thread, or no handler to restore
        return None
