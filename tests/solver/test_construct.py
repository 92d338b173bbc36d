"""The greedy start: its repairs end on the solve's clock."""

from __future__ import annotations

import time

import numpy as np

from tablejam.solver.construct import greedy_schedule
from tablejam.solver.problem import Problem
from tablejam.solver.stop import Deadline, Stop
from tablejam.tools.generate import business_event


def test_repairs_end_at_the_stop_and_every_round_is_still_placed() -> None:
    # Sector caps of 2 at tables of 6 leave the placed rounds broken, so the repair moves people (seconds at 500
    # people, with no clock before). Stopped before it starts, the greedy start is the rounds as placed: exactly
    # what repair=False gives for the same seed, every attendee seated.
    problem = Problem.from_instance(business_event(60, 10, 6, 4, seed=2, sector_cap=2))
    repaired = greedy_schedule(problem, seed=1)
    placed = greedy_schedule(problem, seed=1, repair=False)
    assert not np.array_equal(repaired.table_of, placed.table_of)  # the repair changes something here
    stopped = greedy_schedule(problem, seed=1, stop=Stop(Deadline(time.perf_counter())))
    assert np.array_equal(stopped.table_of, placed.table_of)
    assert all((stopped.table_of[r][p] >= 0) == problem.attends(p, r) for r in range(problem.rounds) for p in range(60))
