"""Row shifts over Z_g: a zero-repeat schedule for many tables, at any number of tables.

The points are p rows of g columns (point i*g + c is row i, column c); round e puts the point of row i and
column c into group (c + i*e) mod g. Two points of one row never meet. Points of rows i != i' and columns
c, c' meet in round e exactly when c - c' = (i' - i)*e (mod g), so they meet in two rounds e != f only if
g divides (i' - i)*(e - f): never while e - f < g / gcd(g, d) for every row difference d < p. So
rounds_for(g, p) = min over 1 <= d < p of g / gcd(g, d) rounds: g when g is a prime (the Latin squares of
the cyclic group, a partial transversal design; Colbourn & Dinitz, Handbook of Combinatorial Designs,
2007, III.3), and still many for the large events where no field of order g exists (1250 tables of 8:
625 rounds; 50 tables of 10: 10 rounds). It is built in O(rounds x points) for just the rounds asked for.
"""

from __future__ import annotations

from math import gcd

from tablejam.solver.designs.design import Design, as_design


def rounds_for(groups: int, size: int) -> int:
    """The rounds row shifts give for g-p (0 where they give fewer than 2)."""
    if groups < 2 or size < 2:
        return 0
    rounds = min(groups // gcd(groups, d) for d in range(1, size))
    return rounds if rounds >= 2 else 0


def design(groups: int, size: int, rounds: int | None = None) -> Design:
    """The first `rounds` rounds (all of rounds_for(groups, size) by default)."""
    most = rounds_for(groups, size)
    rounds = most if rounds is None else rounds
    if not 0 < rounds <= most:
        raise ValueError(f"row shifts give {most} rounds for {groups}-{size}, not {rounds}")
    schedule = []
    for e in range(rounds):
        groups_of_round: list[list[int]] = [[] for _ in range(groups)]
        for i in range(size):
            for c in range(groups):
                groups_of_round[(c + i * e) % groups].append(i * groups + c)
        schedule.append(groups_of_round)
    return as_design(schedule, f"row shifts over Z_{groups}: {size} rows, shifted i*e in round e")
