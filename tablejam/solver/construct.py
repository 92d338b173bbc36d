"""A greedy starting schedule: round by round, each participant to the table where they gain most.

It respects seats, hosts and absences by construction and avoids (but may not
always escape) repeats, sector-cap and apart violations, which the local search repairs.
"""

from __future__ import annotations

import random

from tablejam.diagnostics.counting import balanced_sizes
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating

# Penalties far above any pair value, so the greedy only breaks a rule when it must.
RULE_PENALTY = 10**9
REPEAT_PENALTY = 10**6


def table_sizes(problem: Problem, r: int) -> list[int]:
    """How many to seat at each table in round r: as even as the minimums, hosts and capacities allow."""
    attendees = problem.attendees(r)
    hosts = [sum(1 for p in attendees if problem.allowed[p][r] == (t,)) for t in range(problem.tables)]
    limits = [(max(low, host), cap) for low, host, cap in zip(problem.minimum, hosts, problem.capacity, strict=True)]
    # Without a seating that keeps the minimums (CP-SAT will prove none exists), keep the hosts at least.
    sizes = balanced_sizes(len(attendees), limits) or balanced_sizes(
        len(attendees), [(host, cap) for host, cap in zip(hosts, problem.capacity, strict=True)]
    )
    return sizes or list(problem.capacity)


class _Round:
    """The tables of one round while they fill up."""

    def __init__(self, problem: Problem, r: int) -> None:
        self.problem = problem
        self.r = r
        self.sizes = table_sizes(problem, r)
        self.tables: list[list[int]] = [[] for _ in range(problem.tables)]
        self.sector_count = [[0] * len(problem.sector_names) for _ in range(problem.tables)]

    def place(self, p: int, t: int) -> None:
        self.tables[t].append(p)
        if self.problem.sector[p] >= 0:
            self.sector_count[t][self.problem.sector[p]] += 1

    def gain(self, p: int, t: int, value: dict[tuple[int, int], int], met: set[tuple[int, int]]) -> float:
        problem = self.problem
        score = 0.0
        s = problem.sector[p]
        cap = problem.sector_cap[s] if s >= 0 else None
        if cap is not None and self.sector_count[t][s] >= cap:
            score -= RULE_PENALTY
        for q in self.tables[t]:
            key = (min(p, q), max(p, q))
            if key in problem.apart:
                score -= RULE_PENALTY
            elif key in met:
                score -= REPEAT_PENALTY
            else:
                score += value.get(key, 0)
        return score

    def options(self, p: int) -> list[int]:
        allowed = self.problem.allowed[p][self.r]
        within_target = [t for t in allowed if len(self.tables[t]) < self.sizes[t]]
        with_room = [t for t in allowed if len(self.tables[t]) < self.problem.capacity[t]]
        return within_target or with_room or list(allowed)


def greedy_schedule(problem: Problem, seed: int = 0) -> Seating:
    rng = random.Random(seed)
    value = {(pair.i, pair.j): pair.value for pair in problem.pairs}
    met = {(pair.i, pair.j) for pair in problem.pairs if pair.met_before}
    seating: list[list[list[int]]] = []
    for r in range(problem.rounds):
        seats = _Round(problem, r)
        movable = []
        for p in problem.attendees(r):
            if len(problem.allowed[p][r]) == 1:
                seats.place(p, problem.allowed[p][r][0])
            else:
                movable.append(p)
        rng.shuffle(movable)
        # Capped sectors first (tightest cap first): they have the fewest good tables.
        movable.sort(key=lambda p: _cap_of(problem, p))
        for p in movable:
            best = max(seats.options(p), key=lambda t: seats.gain(p, t, value, met) + rng.random())
            seats.place(p, best)
        for seated in seats.tables:
            met.update((a, b) for a in seated for b in seated if a < b)
        seating.append(seats.tables)
    return Seating.from_groups(seating, problem.people)


def _cap_of(problem: Problem, p: int) -> int:
    s = problem.sector[p]
    cap = problem.sector_cap[s] if s >= 0 else None
    return cap if cap is not None else 1 << 30
