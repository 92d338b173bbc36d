"""`tablejam serve` as a user starts it: localhost by default, the address said on standard error, Ctrl+C stops it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tablejam.models import Instance
from tablejam.web.server import is_loopback, page_url
from tests.conftest import ROOT, run
from tests.web.conftest import instance_json


def test_serve_starts_on_localhost_and_stops_on_ctrl_c(event_46: Instance) -> None:
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
        # Ctrl+C during a long solve: the solve ends with its best plan, its answer goes out, then the server stops.
        with ThreadPoolExecutor(1) as background:
            answer = background.submit(httpx.post, match[1] + "api/solve", params={"time_limit": 120},
                                       json=instance_json(event_46), timeout=60)  # fmt: skip
            while httpx.get(match[1] + "api/status", timeout=10).json()["running"] == 0:
                assert not answer.done(), answer.result().text
                time.sleep(0.05)
            stopped = time.monotonic()
            server.send_signal(signal.SIGINT)
            schedule = answer.result().json()
        assert schedule["rounds"] and schedule["solver"]["interrupted"] is True
        assert server.wait(timeout=30) == 0, server.stderr.read()
        assert time.monotonic() - stopped < 30  # far below the solve's 120 s (about 1 s when the machine is idle)
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
