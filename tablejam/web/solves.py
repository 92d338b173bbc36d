"""The solve pool: a few solves at a time, a short queue, "busy" beyond it, and a stop signal per solve.

Solves run in threads of this process (the engine releases Python's lock in CP-SAT and in the compiled local
search), each with its own `threading.Event`: setting it ends that solve with the best schedule found so far, as
SIGINT does for the command line. A solve that was stopped before its turn never starts. Whatever a solve raises
becomes an error answer; nothing a request sends can take the server down.

Progress reaches the event loop through `Job.listen`: the solver's threads hand each event to the loop with
`call_soon_threadsafe`, and a job keeps every event so far, so a page that connects late (or again) misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from tablejam.errors import InputError
from tablejam.models.schedule import relative_gap
from tablejam.web.errors import CODE_BUSY, CODE_INTERNAL, ApiError, busy

log = logging.getLogger("tablejam.web")

State = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: tuple[State, ...] = ("done", "failed", "cancelled")
# progress(seconds since the start, objective, bound): the engine's callback.
Progress = Callable[[float, float, float], None]
# What a job runs: told its stop signal and where to report progress, it returns the JSON-ready result.
Work = Callable[[threading.Event, Progress], dict[str, Any]]


class Job:
    """One solve (or re-plan): its state, its progress so far, and its result or error."""

    def __init__(self, work: Work, kind: str) -> None:
        self.id = secrets.token_urlsafe(9)  # unguessable: another page on this machine cannot stop it by number
        self.kind = kind
        self.work = work
        self.stop = threading.Event()
        self.finished = threading.Event()
        self.state: State = "queued"
        self.created = time.monotonic()
        self.started: float | None = None
        self.result: dict[str, Any] | None = None
        self.error: ApiError | None = None
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._listeners: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[dict[str, Any]]]] = []

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 1) if self.started is not None else 0.0

    def publish(self, event: dict[str, Any]) -> None:
        """Keep `event` and hand it to every listener's loop (callable from any thread)."""
        with self._lock:
            self.events.append(event)
            listeners = list(self._listeners)
        for loop, queue in listeners:
            with contextlib.suppress(RuntimeError):  # that loop has closed: its listener is gone
                loop.call_soon_threadsafe(queue.put_nowait, event)

    def listen(self) -> tuple[list[dict[str, Any]], asyncio.Queue[dict[str, Any]]]:
        """The events so far and a queue of the later ones, without a gap between them (call from the loop)."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        with self._lock:
            self._listeners.append((asyncio.get_running_loop(), queue))
            return list(self.events), queue

    def forget(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            self._listeners = [(loop, q) for loop, q in self._listeners if q is not queue]

    def progress(self, seconds: float, objective: float, bound: float) -> None:
        finite = bound if bound != float("inf") else None
        gap = relative_gap(objective, finite)
        self.publish({"event": "progress", "time_s": seconds, "objective": objective, "bound": finite, "gap": gap})

    def summary(self) -> dict[str, Any]:
        """What GET /api/jobs/{id} answers."""
        answer: dict[str, Any] = {"id": self.id, "kind": self.kind, "state": self.state, "elapsed_s": self.elapsed()}
        progress = [event for event in self.events if event["event"] == "progress"]
        answer["progress"] = progress[-1] if progress else None
        answer["result"] = self.result
        answer["error"] = self.error.body()["error"] if self.error else None
        return answer


class SolvePool:
    """At most `running` solves at a time and `queued` waiting; `submit` refuses more with a busy answer."""

    def __init__(self, running: int, queued: int, kept: int) -> None:
        self.running = running
        self.queued = queued
        self.kept = kept
        self._executor = ThreadPoolExecutor(max_workers=running, thread_name_prefix="tablejam-solve")
        self._lock = threading.Lock()
        self._outstanding: list[Job] = []  # queued or running, in order of arrival
        self._jobs: OrderedDict[str, Job] = OrderedDict()  # jobs of the page, looked up by id
        self._closed = False  # shut down: no more solves

    def submit(self, work: Work, kind: str, keep: bool = False) -> Job:
        """Queue `work`; `keep` it to be found by id later (the page's solves, watched through events)."""
        job = Job(work, kind)
        with self._lock:
            if self._closed:
                raise ApiError(503, "the server is stopping", "server", CODE_BUSY)
            if len(self._outstanding) >= self.running + self.queued:
                waiting = sum(1 for other in self._outstanding if other.state == "queued")
                raise busy(len(self._outstanding) - waiting, waiting)
            self._outstanding.append(job)
            if keep:
                self._jobs[job.id] = job
                self._forget_old()
        job.publish({"event": "queued", "position": self.position(job)})
        self._executor.submit(self._run, job)
        return job

    def job(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def position(self, job: Job) -> int:
        """How many solves wait ahead of `job` (0: it runs, or starts next)."""
        with self._lock:
            queued = [other for other in self._outstanding if other.state == "queued"]
            return queued.index(job) if job in queued else 0

    def status(self) -> dict[str, int]:
        with self._lock:
            running = sum(1 for job in self._outstanding if job.state == "running")
            return {"running": running, "queued": len(self._outstanding) - running,
                    "slots": self.running, "queue": self.queued}  # fmt: skip

    def shutdown(self) -> None:
        """Stop every solve (each returns its best so far) and let no queued one start."""
        with self._lock:
            self._closed = True
            for job in self._outstanding:
                job.stop.set()
        self._executor.shutdown(wait=False, cancel_futures=False)

    def _run(self, job: Job) -> None:
        try:
            if job.stop.is_set():  # its client left while it waited
                job.state = "cancelled"
                return
            job.state = "running"
            job.started = time.monotonic()
            job.publish({"event": "running"})
            job.result = job.work(job.stop, job.progress)
            job.state = "done"
        except ApiError as error:
            job.error, job.state = error, "failed"
        except InputError as error:
            job.error, job.state = ApiError.from_input(error), "failed"
        except Exception:  # a bug in tablejam: answered as one, and logged; the server goes on
            log.exception("solve %s failed", job.id)
            job.error = ApiError(500, "tablejam failed on this request (a bug: please report it)", "", CODE_INTERNAL)
            job.state = "failed"
        finally:
            with self._lock:
                if job in self._outstanding:
                    self._outstanding.remove(job)
            job.finished.set()
            job.publish(_final(job))

    def _forget_old(self) -> None:
        """Keep the `kept` most recent jobs of the page (called with the lock held); running ones stay."""
        finished = [job_id for job_id, job in self._jobs.items() if job.state in FINISHED]
        for job_id in finished[: max(0, len(self._jobs) - self.kept)]:
            del self._jobs[job_id]


def _final(job: Job) -> dict[str, Any]:
    if job.state == "done":
        return {"event": "done", "result": job.result}
    if job.state == "cancelled":
        return {"event": "cancelled"}
    assert job.error is not None
    return {"event": "failed", **job.error.body()}
