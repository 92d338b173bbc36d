"""`tablejam serve` as a user starts it: localhost by default, the address said on standard error, Ctrl+C stops it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import httpx
import pytest

from tablejam.web.server import is_loopback, page_url
from tests.conftest import ROOT, run


def test_serve_starts_on_localhost_and_stops_on_ctrl_c() -> None:
    command = [sys.executable, "-m", "tablejam.cli", "serve", "--port", "0"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's tablejam, installed or not
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        line = server.stderr.readline()  # printed once it listens
        match = re.fullmatch(r"tablejam is at (http://127\.0\.0\.1:(\d+)/) \(Ctrl\+C stops it\)\n", line)
        assert match, line
        page = httpx.get(match[1], timeout=10)
        assert page.status_code == 200 and "<title>tablejam: plan your event</title>" in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]
        # Answered only under local names: a web site cannot reach it through a domain name rebound to 127.0.0.1.
        rebound = httpx.get(match[1] + "api/status", headers={"Host": "attacker.example"}, timeout=10)
        assert rebound.status_code == 400
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_is_documented_in_the_help() -> None:
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "--host TEXT" in result.output and "[default: 127.0.0.1]" in result.output and "--open" in result.output


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)],
)  # fmt: skip
def test_only_loopback_addresses_count_as_local(host: str, local: bool) -> None:
    assert is_loopback(host) is local


def test_the_address_said_is_one_a_browser_opens() -> None:
    assert page_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert page_url("0.0.0.0", 8000) == "http://127.0.0.1:8000/"
    assert page_url("::1", 8000) == "http://[::1]:8000/"
