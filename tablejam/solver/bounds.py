"""A counting bound on the objective, valid for every schedule, whatever the search found."""

from __future__ import annotations

import heapq

from tablejam.precheck import counting_bounds
from tablejam.solver.problem import Problem


def counting_bound(problem: Problem) -> float:
    """No schedule scores more than this (in the instance's units).

    First meetings: at most `max_new_encounters` pairs (seats per round, pairs
    available), each worth at most its value, so the best that many pair values
    bound their sum. Repeats only cost. Fairness: the fewest new encounters is
    at most what the least-present participant could meet.
    """
    most_new = counting_bounds(problem.instance).max_new_encounters
    values = [pair.value for pair in problem.pairs if not pair.met_before]
    total = sum(heapq.nlargest(most_new, values))
    if problem.fairness:
        largest = max(problem.capacity)
        partners = [0] * problem.people
        for pair in problem.pairs:
            if not pair.met_before:
                partners[pair.i] += 1
                partners[pair.j] += 1
        reach = [
            min(partners[p], sum(1 for r in range(problem.rounds) if problem.allowed[p][r]) * (largest - 1))
            for p in range(problem.people)
            if any(problem.allowed[p])
        ]
        total += problem.fairness * min(reach, default=0)
    return total / problem.scale
