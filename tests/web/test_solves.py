"""Solves over HTTP as clients make them: live progress, a stop that keeps the best plan, clients that leave, and
more requests at once than the server takes."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tablejam.check import check
from tablejam.models import Instance, Schedule
from tests.web.conftest import Server, instance_json

FINAL = ("done", "failed", "cancelled")


def events(client: httpx.Client, url: str) -> Iterator[dict[str, Any]]:
    """The server-sent events of a page's solve, parsed, until its final one."""
    with client.stream("GET", url) as stream:
        assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                event = json.loads(line.removeprefix("data: "))
                assert event["event"] == kind
                yield event
                if kind in FINAL:
                    return


def wait_until(condition: Any, seconds: float, what: str) -> float:
    """Poll `condition` until it holds; the seconds it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s: {what}"
        time.sleep(0.05)
    return time.monotonic() - started


def idle(client: httpx.Client) -> bool:
    status = client.get("/api/status").json()
    return status["running"] == 0 and status["queued"] == 0


def assert_valid(instance: Instance, document: dict[str, Any]) -> Schedule:
    schedule = Schedule.model_validate(document)
    assert schedule.rounds, schedule.explanation
    report = check(instance, schedule)
    assert report.valid, [violation.message for violation in report.violations]
    return schedule


def start_job(client: httpx.Client, instance: Instance, time_limit: float) -> dict[str, Any]:
    answer = client.post("/api/jobs", json={"instance": instance_json(instance), "time_limit": time_limit})
    assert answer.status_code == 202, answer.text
    return answer.json()


def test_a_page_solve_streams_its_progress_then_the_plan(server: Server, event_46: Instance) -> None:
    with server.client() as client:
        job = start_job(client, event_46, 2)
        seen = list(events(client, job["events"]))
        kinds = [event["event"] for event in seen]
        assert kinds[:2] == ["queued", "running"] and kinds[-1] == "done"
        progress = [event for event in seen if event["event"] == "progress"]
        assert progress, kinds
        objectives = [event["objective"] for event in progress]
        assert objectives == sorted(objectives)  # each event a better schedule
        last = progress[-1]
        assert last["bound"] >= last["objective"] and 0 <= last["gap"] < 1
        schedule = assert_valid(event_46, seen[-1]["result"])
        assert schedule.objective == max(objectives)
        summary = client.get(f"/api/jobs/{job['id']}").json()
        assert summary["state"] == "done" and summary["result"] == seen[-1]["result"]
        assert summary["progress"] == last


def test_stop_ends_a_solve_with_its_best_plan(server: Server, event_46: Instance) -> None:
    with server.client() as client:
        job = start_job(client, event_46, 50)
        stream = events(client, job["events"])
        for event in stream:
            if event["event"] == "progress":
                break
        stopped = time.monotonic()
        assert client.post(f"/api/jobs/{job['id']}/stop").status_code == 202
        final = [event for event in stream][-1]
        assert time.monotonic() - stopped < 10
        assert final["event"] == "done"
        schedule = assert_valid(event_46, final["result"])
        assert schedule.solver is not None and schedule.solver.interrupted


def test_leaving_the_event_stream_stops_the_solve(server: Server, event_46: Instance) -> None:
    with server.client() as client:
        job = start_job(client, event_46, 50)
        for event in events(client, job["events"]):
            if event["event"] == "running":
                break  # the page is closed
        state = lambda: client.get(f"/api/jobs/{job['id']}").json()  # noqa: E731
        wait_until(lambda: state()["state"] == "done", 15, "the solve to stop once its page left")
        assert state()["result"]["solver"]["interrupted"] is True
        assert_valid(event_46, state()["result"])


def test_a_client_that_disconnects_mid_solve_stops_its_solve(server: Server, event_46: Instance) -> None:
    body = json.dumps(instance_json(event_46)).encode()
    head = (
        "POST /api/solve?time_limit=50 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    port = int(server.url.rsplit(":", 1)[1])
    with server.client() as client:
        assert idle(client)
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(head + body)
            wait_until(lambda: client.get("/api/status").json()["running"] == 1, 10, "the solve to start")
        # The connection is closed 50 s before the solve's time limit: the server notices and stops it.
        took = wait_until(lambda: idle(client), 10, "the solve of a closed connection to stop")
        assert took < 10


def test_twenty_requests_at_once_get_valid_schedules_or_a_clear_busy(server: Server, event_46: Instance) -> None:
    payload = instance_json(event_46)

    def ask(seed: int) -> httpx.Response:
        with server.client() as client:
            return client.post("/api/solve", params={"time_limit": 1, "seed": seed}, json=payload)

    with ThreadPoolExecutor(max_workers=20) as requests:
        answers = list(requests.map(ask, range(20)))
    solved = [answer for answer in answers if answer.status_code == 200]
    busy = [answer for answer in answers if answer.status_code == 503]
    assert len(solved) + len(busy) == 20, [answer.status_code for answer in answers]
    # The first to arrive fill the slots and the queue; each gets a valid schedule.
    assert len(solved) >= server.limits.running + server.limits.queued
    for answer in solved:
        assert_valid(event_46, answer.json())
    for answer in busy:
        error = answer.json()["error"]
        assert error["code"] == 75 and error["message"].startswith("busy: ") and error["where"] == "server"
        assert answer.headers["Retry-After"] == "5"
    with server.client() as client:
        assert idle(client)  # and it still answers
