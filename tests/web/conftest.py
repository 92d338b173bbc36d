"""A real `tablejam serve` for the tests: uvicorn on a free local port, in a thread of the test process, with
limits small enough to reach in a test (a short queue, short solves)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from tablejam.models import Instance
from tablejam.tools.generate import business_event
from tablejam.web.app import create_app
from tablejam.web.limits import Limits
from tablejam.web.server import LOCAL_NAMES


@dataclass
class Server:
    url: str
    limits: Limits
    app: Any

    def client(self, timeout: float = 60) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(limits: Limits) -> Iterator[Server]:
    """Serve `limits` until the generator is closed; the server is stopped as Ctrl+C would stop it."""
    app = create_app(limits, allowed_hosts=LOCAL_NAMES)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="tablejam-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", limits, app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


# Two solves at a time and two waiting: the tests can fill the queue; solves are short unless asked otherwise.
TEST_LIMITS = Limits(running=2, queued=2, workers=2, solve_time_limit=2.0, replan_time_limit=2.0,
                     max_time_limit=60.0, max_body_bytes=512 * 1024)  # fmt: skip


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    yield from start(TEST_LIMITS)


@pytest.fixture(scope="session")
def event_46() -> Instance:
    """The brief's 46-person event: 8 tables of 6 (at least 5), 3 rounds, 2 hosts, a few absences, 3 colleague
    groups: realistic, and solved to a valid schedule within a second."""
    return business_event(46, 8, 6, 3, seed=1, hosts=2, absent_share=0.05, colleague_groups=3)


def instance_json(instance: Instance) -> dict[str, Any]:
    return instance.model_dump(mode="json", exclude_defaults=True)
