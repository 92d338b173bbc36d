"""The columns of the bound's master: kinds of tables per round, groups of people, and what a group is worth.

A column is a group of people at one table of some kind in one round, feasible for that round's rules:
attendance, hosts at their table, capacity and minimum, sector caps, pairs kept apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating


@dataclass(frozen=True)
class Kind:
    """Tables interchangeable in one round: same size limits, and every attendee may use all of them or none."""

    round: int
    tables: tuple[int, ...]
    capacity: int
    minimum: int
    candidates: tuple[int, ...]  # attendees of the round who may sit at these tables (forced ones first)
    forced: int  # how many of the first candidates must sit here (hosts of a table of its own)

    @property
    def count(self) -> int:
        return len(self.tables)


@dataclass(frozen=True)
class Column:
    """A group of people at one table of a kind in one round: the round, the kind's tables (any of which it may
    take), and the people in index order."""

    round: int
    tables: tuple[int, ...]
    people: tuple[int, ...]


def table_kinds(problem: Problem) -> list[Kind]:
    """Per round, the tables grouped into kinds: equal capacity and minimum, and the same attendees allowed.

    Tables of one kind are interchangeable within the round (the aggregated convexity row is then valid), and
    a host's table is a kind of its own, with the host forced into every group of it."""
    kinds: list[Kind] = []
    for r in range(problem.rounds):
        attendees = problem.attendees(r)
        signature: dict[tuple[object, ...], list[int]] = {}
        allowed_at: list[set[int]] = [set() for _ in range(problem.tables)]
        for p in attendees:
            for t in problem.allowed[p][r]:
                allowed_at[t].add(p)
        for t in range(problem.tables):
            minimum, capacity = problem.limits(r, t)  # a closed table: a kind of (0, 0), seating nobody
            key = (capacity, minimum, frozenset(allowed_at[t]))
            signature.setdefault(key, []).append(t)
        for (capacity, minimum, allowed), tables in signature.items():
            forced = sorted(p for p in allowed if len(tables) == 1 and problem.allowed[p][r] == (tables[0],))
            free = sorted(p for p in allowed if p not in set(forced))
            kinds.append(Kind(r, tuple(tables), capacity, minimum, tuple(forced + free), len(forced)))
    return kinds


class PairValues:
    """Pair values in dense matrices (people x people): what a group is worth, and which pairs may sit together."""

    def __init__(self, problem: Problem) -> None:
        n = problem.people
        self.base = np.full((n, n), -np.inf)  # w_ij; -inf: never at one table (kept apart, or cannot meet)
        self.first = np.zeros((n, n), dtype=bool)  # i and j can meet for the first time
        self.value = np.zeros((n, n))  # v_ij of a first meeting
        minimise = not problem.forbid_repeats
        for pair in problem.pairs:
            w = -problem.repeat_cost if pair.met_before else pair.value
            self.base[pair.i, pair.j] = self.base[pair.j, pair.i] = w
            if not pair.met_before:
                self.first[pair.i, pair.j] = self.first[pair.j, pair.i] = True
                self.value[pair.i, pair.j] = self.value[pair.j, pair.i] = pair.value
        # With repeats minimised a pair met before is worth -R each time; with repeats forbidden it is kept apart.
        assert minimise or not any(pair.met_before for pair in problem.pairs)

    def worth(self, people: Sequence[int]) -> float:
        """w_c: the sum of the pair values of a group (first meetings, and -R for pairs that met before)."""
        idx = np.asarray(people, dtype=np.int64)
        return float(np.triu(self.base[np.ix_(idx, idx)], 1).sum()) if len(idx) > 1 else 0.0


def feasible_group(problem: Problem, kind: Kind, people: Sequence[int], values: PairValues) -> bool:
    """Whether `people` may form a group of `kind`: the kind's candidates, its forced ones, size limits, sector
    caps, no pair kept apart."""
    group = set(people)
    if len(group) != len(people) or not kind.minimum <= len(group) <= kind.capacity:
        return False
    if not group <= set(kind.candidates) or not set(kind.candidates[: kind.forced]) <= group:
        return False
    counts: dict[int, int] = {}
    for p in group:
        s = problem.sector[p]
        if s >= 0:
            counts[s] = counts.get(s, 0) + 1
            cap = problem.sector_cap[s]
            if cap is not None and counts[s] > cap:
                return False
    idx = np.asarray(sorted(group), dtype=np.int64)
    block = values.base[np.ix_(idx, idx)]
    return bool(np.isfinite(block[~np.eye(len(idx), dtype=bool)]).all())


def seating_columns(problem: Problem, seating: Seating) -> list[Column]:
    """The groups of a seating as columns (tables of one kind share the kind's tables)."""
    kind_of_table: dict[tuple[int, int], tuple[int, ...]] = {}
    for kind in table_kinds(problem):
        for t in kind.tables:
            kind_of_table[kind.round, t] = kind.tables
    columns = []
    for r in range(seating.rounds):
        for t, group in enumerate(seating.groups(r)):
            if (r, t) in kind_of_table:
                columns.append(Column(r, kind_of_table[r, t], tuple(group)))
    return columns
