"""A greedy starting schedule: round by round, each participant to the table where they gain most, then the
round's broken rules repaired by single moves and swaps.

It respects seats, hosts and absences by construction. Sector caps, quotas, pairs kept apart and repeats are
avoided while placing, and what placing could not avoid is repaired: on loose instances the start is
valid on its own, so a solve has a valid schedule before any search runs (on a fresh install, before the
local search is compiled). Tight instances may keep a few broken rules, for the search to repair.
"""

from __future__ import annotations

import random

from tablejam.diagnostics.counting import balanced_sizes
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating
from tablejam.solver.stop import Stop

# Penalties far above any pair value, so the greedy only breaks a rule when it must.
RULE_PENALTY = 10**9
REPEAT_PENALTY = 10**6
# Repair steps per participant and round at most: each step removes at least one broken rule, so a round
# never needs more steps than it has broken rules; this only caps the work on rounds nothing can repair.
REPAIR_STEPS_PER_PARTICIPANT = 2
# A round still broken after repair is built again in another order, up to this many times in all.
ATTEMPTS_PER_ROUND = 5
# Above this many participant-table pairs, placing each person at their best table costs seconds of Python:
# large events are dealt round-robin instead (sector by sector, so that a sector spreads over the tables).
GREEDY_MOST_WORK = 200_000


def table_sizes(problem: Problem, r: int) -> list[int]:
    """How many to seat at each table in round r: as even as the minimums, hosts and capacities allow."""
    attendees = problem.attendees(r)
    hosts = [0] * problem.tables
    for p in attendees:
        if len(problem.allowed[p][r]) == 1:
            hosts[problem.allowed[p][r][0]] += 1
    open_limits = [problem.limits(r, t) for t in range(problem.tables)]  # closed tables: (0, 0)
    limits = [(max(low, host), cap) for (low, cap), host in zip(open_limits, hosts, strict=True)]
    # Without a seating that keeps the minimums (CP-SAT will prove none exists), keep the hosts at least.
    sizes = balanced_sizes(len(attendees), limits) or balanced_sizes(
        len(attendees), [(host, cap) for (_, cap), host in zip(open_limits, hosts, strict=True)]
    )
    return sizes or [cap for _, cap in open_limits]


class _Round:
    """The tables of one round while they fill up and are repaired."""

    def __init__(
        self, problem: Problem, r: int, value: _Values, met: set[tuple[int, int]], visited: list[set[int]]
    ) -> None:
        self.problem = problem
        self.r = r
        self.value = value
        self.met = met  # pairs that met before this round (earlier rounds, and met_before)
        self.visited = visited  # [p]: tables p may not sit at again (revisit_tables = 'forbid')
        self.mates = _mates(problem)
        self.sizes = table_sizes(problem, r)
        self.tables: list[list[int]] = [[] for _ in range(problem.tables)]
        self.table_of: dict[int, int] = {}
        # Per table, how many of each attribute class (capped sectors, quotas) sit there.
        self.class_count = [[0] * len(problem.attribute_classes) for _ in range(problem.tables)]
        self.short = [k for k, group in enumerate(problem.attribute_classes) if group.fewest]

    def place(self, p: int, t: int) -> None:
        self.tables[t].append(p)
        self.table_of[p] = t
        for k in self.problem.classes_of[p]:
            self.class_count[t][k] += 1

    def remove(self, p: int) -> None:
        t = self.table_of.pop(p)
        self.tables[t].remove(p)
        for k in self.problem.classes_of[p]:
            self.class_count[t][k] -= 1

    def broken(self, p: int, t: int, skip: int = -1) -> int:
        """The rules p would break with the others at table t (but `skip`): p's own excess over a class's most,
        and each class that p would leave too few seats at t to reach its fewest."""
        problem = self.problem
        count = 0
        classes = problem.attribute_classes
        own = problem.classes_of[p]
        skipped = skip >= 0 and self.table_of.get(skip) == t
        for k in own:
            most = classes[k].most
            if most is not None:
                others = self.class_count[t][k] - (1 if self.table_of.get(p) == t else 0)
                others -= 1 if skipped and k in problem.classes_of[skip] else 0
                count += others >= most
        if self.short:
            seated = len(self.tables[t]) - (self.table_of.get(p) == t) - skipped
            free = max(0, self.sizes[t] - seated - 1)  # seats left at t once p sits there
            for k in self.short:
                if k not in own:
                    have = self.class_count[t][k] - (1 if skipped and k in problem.classes_of[skip] else 0)
                    count += classes[k].fewest - have > free
        for q in self.tables[t]:
            if q != p and q != skip:
                key = (min(p, q), max(p, q))
                count += key in problem.apart or (key in self.met and key not in problem.together)
        count += t in self.visited[p]
        # A together mate seated elsewhere (the swap partner `skip` takes p's table, so counts as elsewhere).
        count += sum(q in self.table_of and (self.table_of[q] != t or q == skip) for q in self.mates.get(p, ()))
        return count

    def gain(self, p: int, t: int, skip: int = -1) -> float:
        """What p adds at table t: the value of new meetings, far less any rule broken."""
        score = -RULE_PENALTY * self.broken(p, t, skip)
        for q in self.tables[t]:
            if q != p and q != skip:
                key = (min(p, q), max(p, q))
                if key in self.problem.together:
                    continue  # their meetings count nothing
                if key in self.met:
                    score -= REPEAT_PENALTY
                elif key not in self.problem.apart:
                    score += self.value[key]
        return score

    def options(self, p: int) -> list[int]:
        allowed = self.problem.allowed[p][self.r]
        within_target = [t for t in allowed if len(self.tables[t]) < self.sizes[t]]
        with_room = [t for t in allowed if len(self.tables[t]) < self.problem.limits(self.r, t)[1]]
        return within_target or with_room or list(allowed)

    def total_broken(self) -> int:
        """Broken rules of the round as the repair counts them (each person's share)."""
        return sum(self.broken(p, t) for p, t in self.table_of.items())

    def total_value(self) -> float:
        return sum(self.value[a, b] for seated in self.tables for a in seated for b in seated if a < b)

    def rank(self) -> tuple[int, float]:
        """Fewer broken rules first, then more value."""
        return self.total_broken(), -self.total_value()

    def movable(self, p: int) -> bool:
        return len(self.problem.allowed[p][self.r]) > 1

    def repair(self, rng: random.Random, stop: Stop) -> None:
        """Single moves and swaps that break fewer rules (ties: more value), while any are broken, until `stop`."""
        problem = self.problem
        steps = REPAIR_STEPS_PER_PARTICIPANT * len(self.table_of)
        for _ in range(steps):
            if stop.seconds_left() <= 0:
                return
            conflicted = [p for p, t in self.table_of.items() if self.movable(p) and self.broken(p, t)]
            if not conflicted:
                return
            best, best_key = None, (0, 0.0)
            for p in conflicted:
                a = self.table_of[p]
                here = (self.broken(p, a), self.gain(p, a))
                for b in problem.allowed[p][self.r]:
                    if b == a:
                        continue
                    if (
                        len(self.tables[a]) > problem.limits(self.r, a)[0]
                        and len(self.tables[b]) < problem.limits(self.r, b)[1]
                    ):
                        key = self._change([(p, here, self.broken(p, b), self.gain(p, b))])
                        if key < best_key:
                            best, best_key = (p, -1, b), key
                    for q in self.tables[b]:
                        if not self.movable(q) or a not in problem.allowed[q][self.r]:
                            continue
                        there = (self.broken(q, b), self.gain(q, b))
                        key = self._change([(p, here, self.broken(p, b, q), self.gain(p, b, q)),
                                            (q, there, self.broken(q, a, p), self.gain(q, a, p))])  # fmt: skip
                        if key < best_key or (key == best_key and best is not None and rng.random() < 0.5):
                            best, best_key = (p, q, b), key
            if best is None:
                return
            p, q, b = best
            a = self.table_of[p]
            self.remove(p)
            if q >= 0:
                self.remove(q)
                self.place(q, a)
            self.place(p, b)

    @staticmethod
    def _change(parts: list[tuple[int, tuple[int, float], int, float]]) -> tuple[int, float]:
        """(change in broken rules, minus change in value) of moving each (person, now, broken there, gain there).

        A rule between two movers is counted by both; so it is before and after, and the change stays right."""
        broken = sum(after - now[0] for _, now, after, _ in parts)
        value = sum(gain - now[1] for _, now, _, gain in parts)
        return broken, -value


def greedy_schedule(
    problem: Problem, seed: int = 0, given: Seating | None = None, repair: bool = True, stop: Stop | None = None
) -> Seating:
    """The greedy start; with `given`, its seated rounds are kept (rounds where nobody is seated are built).

    `repair=False` leaves each round as placed: faster on large events, for a local search to repair. Repairs end
    at `stop` (on a few hundred people with tight rules they take seconds; the rounds left are placed anyway)."""
    stop = stop or Stop()
    rng = random.Random(seed)
    value = _Values(problem)
    met = set(problem.met_before)
    visited = _visited_before(problem)
    kept = [r for r in range(problem.rounds) if given is not None and (given.table_of[r] >= 0).any()]
    for r in kept:
        for t, seated in enumerate(given.groups(r)):  # type: ignore[union-attr]
            met.update((a, b) for a in seated for b in seated if a < b)
            _visit(problem, visited, seated, t)
    seating: list[list[list[int]]] = []
    dealt = problem.people * problem.tables > GREEDY_MOST_WORK
    for r in range(problem.rounds):
        if r in kept:
            seating.append(given.groups(r))  # type: ignore[union-attr]
            continue
        if dealt:
            seating.append(_dealt_round(problem, r, rng))
            continue
        best: _Round | None = None
        for _ in range(ATTEMPTS_PER_ROUND if repair else 1):
            seats = _placed_round(problem, r, value, met, visited, rng)
            if not repair:
                best = seats
                break
            seats.repair(rng, stop)
            if best is None or seats.rank() < best.rank():
                best = seats
            if best.total_broken() == 0 or stop.seconds_left() <= 0:
                break
        assert best is not None
        seats = best
        for t, seated in enumerate(seats.tables):
            met.update((a, b) for a in seated for b in seated if a < b)
            _visit(problem, visited, seated, t)
        seating.append(seats.tables)
    return Seating.from_groups(seating, problem.people)


class _Values(dict[tuple[int, int], int]):
    """Pair values as the greedy start asks for them, computed once each."""

    def __init__(self, problem: Problem) -> None:
        super().__init__()
        self.problem = problem

    def __missing__(self, key: tuple[int, int]) -> int:
        # A wish counts as if at every meeting: enough to seat wished pairs together and the others apart.
        self[key] = value = self.problem.value(*key) + self.problem.wishes.get(key, 0)
        return value


def _mates(problem: Problem) -> dict[int, tuple[int, ...]]:
    """Each together-group member's mates."""
    mates: dict[int, set[int]] = {}
    for i, j in problem.together:
        mates.setdefault(i, set()).add(j)
        mates.setdefault(j, set()).add(i)
    return {p: tuple(sorted(others)) for p, others in mates.items()}


def _visited_before(problem: Problem) -> list[set[int]]:
    """[p]: the tables p may not sit at again, from earlier seats (only for those bound by revisit_tables)."""
    visited: list[set[int]] = [set() for _ in range(problem.people)]
    for p, t in problem.seated_before:
        visited[p].add(t)
    return visited


def _visit(problem: Problem, visited: list[set[int]], seated: list[int], t: int) -> None:
    for p in seated:
        if problem.no_revisit and problem.no_revisit[p]:
            visited[p].add(t)


def _placed_round(
    problem: Problem, r: int, value: _Values, met: set[tuple[int, int]], visited: list[set[int]], rng: random.Random
) -> _Round:
    """Round r with hosts and pinned participants at their tables and everyone else, in a random order (together
    groups and capped sectors first), at the table where they gain most; a together group's later members
    join the first one's table where it has room."""
    seats = _Round(problem, r, value, met, visited)
    movable = []
    for p in problem.attendees(r):
        if len(problem.allowed[p][r]) == 1:
            seats.place(p, problem.allowed[p][r][0])
        else:
            movable.append(p)
    rng.shuffle(movable)
    # Together groups first, then capped classes (tightest cap first): they have the fewest good tables.
    movable.sort(key=lambda p: (p not in seats.mates, _cap_of(problem, p)))
    for p in movable:
        placed = [seats.table_of[q] for q in seats.mates.get(p, ()) if q in seats.table_of]
        joined = [t for t in placed if t in problem.allowed[p][r] and len(seats.tables[t]) < problem.limits(r, t)[1]]
        if joined:
            seats.place(p, joined[0])
            continue
        seats.place(p, max(seats.options(p), key=lambda t: seats.gain(p, t) + rng.random()))
    return seats


def _dealt_round(problem: Problem, r: int, rng: random.Random) -> list[list[int]]:
    """Round r dealt round-robin: hosts at their tables, the others sector by sector (in a random order within
    each, a random table first) to the next table short of its size."""
    sizes = table_sizes(problem, r)
    tables: list[list[int]] = [[] for _ in range(problem.tables)]
    movable = []
    for p in problem.attendees(r):
        if len(problem.allowed[p][r]) == 1:
            tables[problem.allowed[p][r][0]].append(p)
        else:
            movable.append(p)
    rng.shuffle(movable)
    movable.sort(key=lambda p: problem.sector[p])
    open_tables = [t for t in range(problem.tables) if len(tables[t]) < sizes[t]]
    turn = rng.randrange(len(open_tables)) if open_tables else 0
    for p in movable:
        while (
            open_tables
            and len(tables[open_tables[turn % len(open_tables)]]) >= sizes[open_tables[turn % len(open_tables)]]
        ):
            open_tables.pop(turn % len(open_tables))
        if not open_tables:  # sizes give no room (the limits cannot seat the round): anywhere allowed with room
            room = [t for t in problem.allowed[p][r] if len(tables[t]) < problem.limits(r, t)[1]] or list(
                problem.allowed[p][r]
            )
            tables[room[0]].append(p)
            continue
        tables[open_tables[turn % len(open_tables)]].append(p)
        turn += 1
    return tables


def _cap_of(problem: Problem, p: int) -> int:
    caps = [problem.attribute_classes[k].most for k in problem.classes_of[p]]
    return min((cap for cap in caps if cap is not None), default=1 << 30)
