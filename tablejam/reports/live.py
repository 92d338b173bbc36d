"""The live progress line people see while a solve runs on a terminal (rich, on standard error)."""

from __future__ import annotations

import threading
import time
from types import TracebackType

from rich.console import Console
from rich.live import Live
from rich.text import Text

from tablejam.models.schedule import relative_gap


class LiveLine:
    """Elapsed time, best objective, bound and gap, redrawn a few times a second.

    `improved` is called from the solver's threads; rich redraws from its own thread, so the
    figures are swapped under a lock and read as one consistent tuple.
    """

    def __init__(self, console: Console, time_limit: float) -> None:
        self._console = console
        self._time_limit = time_limit
        self._started = time.perf_counter()
        self._lock = threading.Lock()
        self._best: tuple[float, float] | None = None  # (objective, bound)
        self._live = Live(self, console=console, refresh_per_second=4, transient=True)

    def improved(self, seconds: float, objective: float, bound: float) -> None:
        with self._lock:
            self._best = (objective, bound)

    def __rich__(self) -> Text:
        elapsed = time.perf_counter() - self._started
        with self._lock:
            best = self._best
        line = Text(f"solving {elapsed:5.1f} s of {self._time_limit:g} s", style="bold")
        if best is None:
            line.append("   searching for a first schedule ...")
        else:
            objective, bound = best
            gap = relative_gap(objective, bound) or 0.0
            line.append(f"   best {objective:g}   bound {bound:g}   gap {gap:.1%}")
        return line

    def __enter__(self) -> LiveLine:
        self._live.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._live.stop()
