"""What one server allows: the caps that keep it answering whatever it is sent."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _solve_slots() -> int:
    # Each solve runs two search workers: one solve per two cores keeps every solve at full speed.
    return max(1, (os.cpu_count() or 1) // 2)


@dataclass(frozen=True)
class Limits:
    # A 500-person instance is about 90 KB of JSON, with its schedule about 150 KB; a workbook of them much less.
    max_body_bytes: int = 4 * 2**20
    # Seconds: the longest solve a request may ask for, and the defaults of the API and the page.
    max_time_limit: float = 300.0
    solve_time_limit: float = 20.0
    replan_time_limit: float = 5.0  # as `tablejam replan`
    # Search workers per solve. Two or more: with one, the engine budgets its phases in work rather than seconds
    # (reproducible runs), and on a busy machine a 1 s solve of 46 people then took 3 to 10 s.
    workers: int = 2
    running: int = field(default_factory=_solve_slots)  # solves at a time
    queued: int = 4  # solves waiting for a slot; beyond them requests are answered "busy"
    # Far above any real event (the benchmarks go to 500 people), low enough that a few bytes asking for an
    # enormous event (tables = {count = 10000, capacity = 10000}) are refused before the engine builds it.
    max_participants: int = 1000
    max_tables: int = 300
    max_rounds: int = 50
    jobs_kept: int = 32  # finished solves of the page kept for their results
