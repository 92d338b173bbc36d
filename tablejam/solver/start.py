"""A start from a given plan: the seats that still fit are kept, the rest is repaired.

A plan edited by hand (`tablejam solve --start`) and a printed plan on the day (`tablejam replan`) both start
the search here, so that it repairs the plan rather than inventing a new one. Every attendee ends up seated
once per round at a table allowed to them, table sizes within their limits where moves can bring them there;
the other rules are left for the search.
"""

from __future__ import annotations

from tablejam.solver.construct import greedy_schedule
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating


def start_from(problem: Problem, seats: dict[tuple[int, int], int], seed: int = 0) -> Seating:
    """The seating that keeps `seats` ((participant, round) -> table, see `fitting_seats`) as far as the limits
    allow: in each round that keeps someone, the others are seated where there is room, then table sizes are
    brought within their limits by moving as few people as possible; rounds that keep nobody are built by the
    greedy start around the meetings of the kept ones."""
    seating: list[list[list[int]]] = [[[] for _ in range(problem.tables)] for _ in range(problem.rounds)]
    for (p, r), t in sorted(seats.items()):
        seating[r][t].append(p)
    kept_rounds = {r for _, r in seats}
    for r in sorted(kept_rounds):
        tables = seating[r]
        for p in problem.attendees(r):
            if (p, r) in seats:
                continue
            allowed = problem.allowed[p][r]
            # Tables short of their minimum first, then the emptiest with a free seat.
            room = [t for t in allowed if len(tables[t]) < problem.limits(r, t)[1]] or list(allowed)
            t = min(
                room,
                key=lambda t: (len(tables[t]) >= problem.limits(r, t)[0], len(tables[t]) - problem.limits(r, t)[1]),
            )
            tables[t].append(p)
        _within_limits(problem, r, tables)
    given = Seating.from_groups(seating, problem.people)
    if len(kept_rounds) == problem.rounds:
        return given
    return greedy_schedule(problem, seed, given=given)


def _within_limits(problem: Problem, r: int, tables: list[list[int]]) -> None:
    """Move people (never hosts) from tables above their minimum to tables short of it, and from tables
    over capacity to tables with room, one at a time: each move fixes one missing or surplus seat."""

    def movable(t: int) -> list[int]:
        return [p for p in tables[t] if len(problem.allowed[p][r]) > 1]

    low = [problem.limits(r, t)[0] for t in range(problem.tables)]  # closed tables: (0, 0)
    high = [problem.limits(r, t)[1] for t in range(problem.tables)]
    for _ in range(problem.people * problem.tables):
        short = [t for t in range(problem.tables) if len(tables[t]) < low[t]]
        over = [t for t in range(problem.tables) if len(tables[t]) > high[t]]
        if over:
            source, targets = over[0], [t for t in range(problem.tables) if len(tables[t]) < high[t]]
        elif short:
            targets = short
            spare = [t for t in range(problem.tables) if len(tables[t]) > low[t] and movable(t)]
            if not spare:
                return
            source = max(spare, key=lambda t: len(tables[t]) - low[t])
        else:
            return
        candidates = [(p, t) for p in movable(source) for t in targets if t in problem.allowed[p][r]]
        if not candidates:
            return
        p, t = candidates[-1]  # the last seated: in printed rounds, ids are in order, so the choice is stable
        tables[source].remove(p)
        tables[t].append(p)
