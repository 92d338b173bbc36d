"""A counting bound on the objective, valid for every schedule, whatever the search found.

Computed row by row with numpy (each participant's values with everyone at once), so it takes
memory linear in the participants and time quadratic in them, without a Python object per pair.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

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
    Wishes: at most the positive weights, each once.
    """
    counted = counting_bounds(problem.instance)
    # By identity: most people share one tuple per round (the open tables), and hashing it would read it whole.
    largest: dict[int, int] = {}
    for row in problem.allowed:
        for allowed in row:
            if id(allowed) not in largest:
                largest[id(allowed)] = max((problem.capacity[t] for t in allowed), default=1) - 1
    reach = [sum(largest[id(allowed)] for allowed in row) for row in problem.allowed]
    all_values: Counter[int] = Counter()  # value -> pairs (i < j) that may meet for the first time with it
    by_person = 0
    partners = [0] * problem.people
    for p, row in _first_meeting_values(problem):
        values, later = row
        partners[p] = len(values)
        by_person += _sum_of_largest(_counted(values), reach[p])
        all_values.update(_counted(later))
    by_seats = 0
    left = counted.max_new_encounters
    for value in sorted(all_values, reverse=True):
        taken = min(left, all_values[value])
        by_seats += value * taken
        left -= taken
        if not left:
            break

    total = min(by_seats, by_person // 2)
    if not problem.forbid_repeats:
        total -= problem.repeat_cost * counted.min_repeat_meetings
    if problem.fairness:
        attending = [min(reach[p], partners[p]) for p in range(problem.people) if any(problem.allowed[p])]
        total += problem.fairness * min(attending, default=0)
    # Wishes: at most every positive one granted, and none of the negative ones broken.
    total += sum(weight for weight in problem.wishes.values() if weight > 0)
    return total / problem.scale


def _counted(values: np.ndarray) -> dict[int, int]:
    """How many times each value occurs: by histogram where the values span little (the usual: a few tags and
    sectors make a few values), by sorting otherwise."""
    if not len(values):
        return {}
    low = int(values.min())
    if int(values.max()) - low < 4096:
        counts = np.bincount(values - low)
        kinds = np.flatnonzero(counts)
        return dict(zip((kinds + low).tolist(), counts[kinds].tolist(), strict=True))
    kinds, counts = np.unique(values, return_counts=True)
    return dict(zip(kinds.tolist(), counts.tolist(), strict=True))


def _sum_of_largest(counted: dict[int, int], k: int) -> int:
    """The sum of the k largest values, from how many times each occurs."""
    total = 0
    for value in sorted(counted, reverse=True):
        if k <= 0:
            break
        taken = min(k, counted[value])
        total += value * taken
        k -= taken
    return total


def _first_meeting_values(problem: Problem):  # type: ignore[no-untyped-def]
    """For each participant p: (the values of p's possible first meetings with anyone, those with q > p only).

    A first meeting is possible where the two may sit together in some round (absences, host tables), are
    not kept apart, and have not met before."""
    if problem.explicit_pairs is not None:  # a neighbourhood: its pairs are listed
        yield from _listed(problem)
        return
    n = problem.people
    attends = np.array([[bool(problem.allowed[p][r]) for r in range(problem.rounds)] for p in range(n)], dtype=np.bool_)
    host = np.array([-1 if (t := problem.fixed_table(p)) is None else t for p in range(n)], dtype=np.int64)
    excluded: list[list[int]] = [[] for _ in range(n)]
    for i, j in (*problem.apart, *problem.met_before):
        excluded[i].append(j)
        excluded[j].append(i)
    everyone = np.arange(n)
    # Who p may sit with depends only on p's attendance and host table: worked out once per such profile.
    company: dict[tuple[bytes, int], np.ndarray] = {}
    for p in range(n):
        profile = (attends[p].tobytes(), int(host[p]))
        if profile not in company:
            together = (attends & attends[p]).any(axis=1)
            if host[p] >= 0:
                together &= (host < 0) | (host == host[p])
            company[profile] = together
        possible = company[profile].copy()
        possible[p] = False
        possible[excluded[p]] = False
        others = everyone[possible]
        values = problem.values.row(p, others)
        yield p, (values, values[others > p])


def _listed(problem: Problem):  # type: ignore[no-untyped-def]
    rows: list[list[int]] = [[] for _ in range(problem.people)]
    later: list[list[int]] = [[] for _ in range(problem.people)]
    for pair in problem.pairs:
        if not pair.met_before:
            rows[pair.i].append(pair.value)
            rows[pair.j].append(pair.value)
            later[pair.i].append(pair.value)
    for p in range(problem.people):
        yield p, (np.array(rows[p], dtype=np.int64), np.array(later[p], dtype=np.int64))
