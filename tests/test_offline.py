"""Nothing leaves the machine: `cqqa index`, `cqqa ask` and a web question all work in
processes whose sockets may only reach loopback, and none of them even tries otherwise."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from homes import ROOT, Home, running_app

# Loaded by every Python process that has its folder on PYTHONPATH. Any attempt to resolve
# or connect to a host that is not this machine is refused *and* written to a log, so a
# library that tries and then falls back quietly is still caught.
SITECUSTOMIZE = r"""
import ipaddress
import os
import socket

_LOG = os.environ["CQQA_TEST_NET_LOG"]
_LOCAL_NAMES = {None, "", "localhost", "localhost.localdomain", "ip6-localhost"}
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _record(what):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {what}\n")


def _local(host):
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _check(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
        _record(f"connect {address!r}")
        raise OSError(101, f"network blocked by the test: {address!r}")


def connect(self, address):
    _check(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(self, address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _local(host):
        _record(f"resolve {host!r}")
        raise socket.gaierror(socket.EAI_NONAME, f"name lookup blocked by the test: {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
"""


@pytest.fixture(scope="module")
def blocked(tmp_path_factory) -> tuple[dict[str, str], Path]:
    """An environment whose Python processes cannot reach other hosts, and its attempt log."""
    folder = tmp_path_factory.mktemp("offline")
    (folder / "site").mkdir()
    (folder / "site" / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = folder / "net.log"
    log.write_text("")
    # cqqa must switch the libraries offline itself: drop the switches a developer may have set.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("HF_", "TRANSFORMERS_", "GRADIO_", "CQQA_"))
    }
    env["PYTHONPATH"] = os.pathsep.join(
        [str(folder / "site"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env["CQQA_TEST_NET_LOG"] = str(log)
    return env, log


def test_the_block_is_in_force(blocked):
    """Without this, the tests below could pass with the network wide open."""
    env, log = blocked
    code = (
        "import socket, urllib.request\n"
        "for attempt in (lambda: socket.create_connection(('192.0.2.1', 80), timeout=1),\n"
        "                lambda: urllib.request.urlopen('http://example.com', timeout=1)):\n"
        "    try:\n"
        "        attempt()\n"
        "        print('CONNECTED')\n"
        "    except OSError as exc:\n"
        "        print('BLOCKED', exc)\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        "socket.create_connection(s.getsockname(), timeout=1).close(); print('LOOPBACK OK')\n"
    )
    before = log.read_text()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("BLOCKED") == 2 and "CONNECTED" not in result.stdout
    assert "LOOPBACK OK" in result.stdout
    attempts = log.read_text()[len(before) :]
    assert "192.0.2.1" in attempts and "example.com" in attempts
    log.write_text("")


@pytest.fixture(scope="module")
def offline_home(tmp_path_factory) -> Home:
    """A corpus copy with no index at all: the build below starts from nothing."""
    root = tmp_path_factory.mktemp("offline-home")
    shutil.copytree(ROOT / "corpus", root / "corpus")
    return Home(root, root / "corpus", root / "index")


def _cqqa(env: dict, home: Home, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cqqa", *args],
        env={**env, **home.env},
        cwd=home.root,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_index_and_ask_with_the_network_blocked(blocked, offline_home):
    env, log = blocked
    result = _cqqa(env, offline_home, "index")
    assert result.returncode == 0, result.stderr
    assert "Indexed 1 document" in result.stderr
    result = _cqqa(
        env,
        offline_home,
        "ask",
        "How many ports does the western land and sea channel link with?",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "319" in json.loads(result.stdout)["answer"]["text"]
    assert log.read_text() == "", "something tried to reach the network"


def test_web_question_with_the_network_blocked(blocked, offline_home, tmp_path):
    """app.py, blocked, answers one question through gradio_client, and is not talked into
    fetching from other hosts: plain Gradio resolves and fetches `file=<public URL>` for
    whoever asks (the attempt log shows it), cqqa refuses before any lookup."""
    import urllib.error
    import urllib.request

    from gradio_client import Client

    env, log = blocked
    if not (offline_home.index / "CURRENT").exists():  # run alone: build first
        assert _cqqa(env, offline_home, "index").returncode == 0
    output = tmp_path / "app.log"
    with running_app({**env, **offline_home.env}, tmp_path) as url:
        client = Client(url, verbose=False)
        data = client.predict(
            "How many ports does the western land and sea channel link with?",
            [],
            5,
            api_name="/ask",
        )
        assert "319" in data["answer"]["text"]
        for remote in ("http://example.com/x.txt", "https://93.184.215.14/x.txt"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{url}gradio_api/file={remote}", timeout=60)
            assert refused.value.code == 403
    assert log.read_text() == "", f"the app tried to reach the network:\n{log.read_text()}"
    assert "Traceback" not in output.read_text()
