"""The solver's view of an instance: what it holds must grow linearly with the event."""

from __future__ import annotations

import tracemalloc

from tablejam.models import Instance
from tablejam.solver.problem import Problem
from tablejam.tools.generate import business_event


def test_the_tables_open_to_everyone_take_memory_linear_in_the_participants() -> None:
    # 2,000 people, 250 tables, 5 rounds. A tuple of every open table per person and round would be 10,000 tuples
    # of 250 entries, about 20 MiB (and 400 MiB at 10,000 people and 1,250 tables, which it once was); shared per
    # round they cost a pointer each. The rest of the problem (bit sets of tags, sectors) is well under 4 MiB.
    instance = business_event(2000, 250, 8, 5, seed=4)
    _ = instance.table_index, instance.participant_index, instance.pinned  # the instance's own caches, not counted
    tracemalloc.start()
    try:
        problem = Problem.from_instance(instance)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20, f"{peak / 2**20:.1f} MiB"
    assert all(len(problem.allowed[p][r]) == 250 for p in range(2000) for r in range(5) if problem.attends(p, r))


def test_pins_hosts_closed_tables_and_earlier_seats_narrow_only_their_own_rounds() -> None:
    instance = Instance.model_validate({
        "rounds": 3,
        "tables": [{"id": "A", "capacity": 3}, {"id": "B", "capacity": 3}, {"id": "C", "capacity": 3, "rounds": [2]}],
        "participants": [{"id": "h", "host": "A"}, {"id": "p"}, {"id": "s"}, {"id": "x", "absent": [3]},
                         {"id": "q"}, {"id": "r"}],
        "rules": {"pins": [{"participant": "p", "table": "B", "rounds": [2]}], "revisit_tables": "forbid",
                  "seated_before": [["s", "A"]]},
    })  # fmt: skip
    problem = Problem.from_instance(instance)
    # Tables by index: A 0, B 1, C 2 (open in round 2 only).
    assert problem.allowed[0] == [(0,), (0,), (0,)]  # the host stays at A
    assert problem.allowed[1] == [(0, 1), (1,), (0, 1)]  # pinned to B in round 2 only
    assert problem.allowed[2] == [(1,), (1, 2), (1,)]  # sat at A before, may not again
    assert problem.allowed[3] == [(0, 1), (0, 1, 2), ()]  # absent in round 3
