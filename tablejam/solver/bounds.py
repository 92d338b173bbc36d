"""A counting bound on the objective, valid for every schedule, whatever the search found."""

from __future__ import annotations

import heapq

from tablejam.diagnostics.counting import counting_bounds
from tablejam.solver.problem import Problem


def counting_bound(problem: Problem) -> float:
    """No schedule scores more than this (in the instance's units).

    First meetings are bounded twice, and the smaller bound holds:
    - by the seats: at most `max_new_encounters` pairs meet, so the best that many pair values;
    - per person: p meets at most k_p new people (one table a round: largest table - 1), so the
      values of p's first meetings sum to at most p's best k_p pair values; every pair is
      counted by both its people, so half the sum over p bounds the total.
    Repeats cost: where they are allowed, every schedule has at least the repeats that counting forces.
    Fairness: the fewest new encounters is at most the smallest k_p.
    """
    new_pairs = [pair for pair in problem.pairs if not pair.met_before]
    counted = counting_bounds(problem.instance)
    most_new = counted.max_new_encounters
    by_seats = sum(heapq.nlargest(most_new, (pair.value for pair in new_pairs)))

    values_of: list[list[int]] = [[] for _ in range(problem.people)]
    for pair in new_pairs:
        values_of[pair.i].append(pair.value)
        values_of[pair.j].append(pair.value)
    reach = [
        sum(max((problem.capacity[t] for t in problem.allowed[p][r]), default=1) - 1 for r in range(problem.rounds))
        for p in range(problem.people)
    ]
    by_person = sum(sum(heapq.nlargest(reach[p], values_of[p])) for p in range(problem.people)) // 2

    total = min(by_seats, by_person)
    if not problem.forbid_repeats:
        total -= problem.repeat_cost * counted.min_repeat_meetings
    if problem.fairness:
        attending = [min(reach[p], len(values_of[p])) for p in range(problem.people) if any(problem.allowed[p])]
        total += problem.fairness * min(attending, default=0)
    return total / problem.scale
