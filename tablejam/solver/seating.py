"""The engine's one seating type, and its one bridge to and from the schedule document.

Every part of the engine (greedy start, local search, CP-SAT, neighbourhoods, re-planning) reads
and returns a `Seating`; only `as_rounds` and `from_rounds` (and `fitting_seats`, for a document
that may not fit) translate between it and the ids of the `Schedule` document, which is what the
checker judges and what users see.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from tablejam.models.schedule import RoundSeating, TableSeating
from tablejam.solver.problem import Problem

ABSENT = -1


class Seating:
    """Who sits where: `table_of[r, p]` is the table of participant p in round r, ABSENT (-1) when p does
    not attend round r. Indices are the Problem's (participants and tables in instance order, rounds from 0)."""

    __slots__ = ("table_of", "tables")

    def __init__(self, table_of: np.ndarray, tables: int) -> None:
        self.table_of = table_of
        self.tables = tables

    @classmethod
    def empty(cls, rounds: int, people: int, tables: int) -> Seating:
        return cls(np.full((rounds, people), ABSENT, dtype=np.int32), tables)

    @classmethod
    def from_groups(cls, groups: Sequence[Sequence[Iterable[int]]], people: int) -> Seating:
        """From groups[r][t] = the participants at table t in round r."""
        seating = cls.empty(len(groups), people, len(groups[0]) if groups else 0)
        for r, tables in enumerate(groups):
            for t, seated in enumerate(tables):
                for p in seated:
                    seating.table_of[r, p] = t
        return seating

    @property
    def rounds(self) -> int:
        return int(self.table_of.shape[0])

    @property
    def people(self) -> int:
        return int(self.table_of.shape[1])

    def groups(self, r: int) -> list[list[int]]:
        """The participants at each table in round r, in index order."""
        tables: list[list[int]] = [[] for _ in range(self.tables)]
        for p, t in enumerate(self.table_of[r].tolist()):
            if t != ABSENT:
                tables[t].append(p)
        return tables

    def all_groups(self) -> list[list[list[int]]]:
        return [self.groups(r) for r in range(self.rounds)]

    def copy(self) -> Seating:
        return Seating(self.table_of.copy(), self.tables)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Seating) and self.tables == other.tables and np.array_equal(self.table_of, other.table_of)
        )

    def __hash__(self) -> int:
        # By value, as __eq__ compares: the same seats in arrays of another integer type hash alike.
        return hash((self.tables, self.table_of.shape, self.table_of.astype(np.int64).tobytes()))

    def __repr__(self) -> str:
        return f"Seating({self.all_groups()})"


def as_rounds(problem: Problem, seating: Seating) -> list[RoundSeating]:
    """The seating in the document's terms: every table of every round, participants by id (in index order)."""
    ids = [p.id for p in problem.instance.participants]
    table_ids = [t.id for t in problem.instance.table_list]
    return [
        RoundSeating(
            round=r + 1,
            tables=[
                TableSeating(table=table_ids[t], participants=[ids[p] for p in seated])
                for t, seated in enumerate(seating.groups(r))
            ],
        )
        for r in range(seating.rounds)
    ]


def from_rounds(problem: Problem, rounds: Sequence[RoundSeating]) -> Seating:
    """A document's seating in the engine's terms. The document must fit the problem (the checker says
    whether it does): its rounds numbered from 1, its tables and participants known."""
    seating = Seating.empty(problem.rounds, problem.people, problem.tables)
    people, tables = problem.instance.participant_index, problem.instance.table_index
    for seated_round in rounds:
        for table in seated_round.tables:
            for pid in table.participants:
                seating.table_of[seated_round.round - 1, people[pid]] = tables[table.table]
    return seating


def fitting_seats(problem: Problem, rounds: Sequence[RoundSeating], shift: int = 0) -> dict[tuple[int, int], int]:
    """(participant, round index) -> table: the seats of a document that fit the problem, whatever else it holds
    (a plan edited by hand, or printed for an event that has changed since).

    A seat fits where the participant and the table are known, the round is one of the problem's and the table
    is one the participant may sit at then (attending, hosting there). Someone listed twice in a round keeps the
    first seat. `shift`: the document's round shift + 1 is the problem's first (a re-plan's remaining rounds)."""
    people, tables = problem.instance.participant_index, problem.instance.table_index
    seats: dict[tuple[int, int], int] = {}
    for seated_round in rounds:
        r = seated_round.round - 1 - shift
        if not 0 <= r < problem.rounds:
            continue
        for table in seated_round.tables:
            t = tables.get(table.table)
            for pid in table.participants:
                p = people.get(pid)
                if t is not None and p is not None and (p, r) not in seats and t in problem.allowed[p][r]:
                    seats[p, r] = t
    return seats
