"""CP-SAT large-neighbourhood search: free a few rounds, or a few tables of one round, and re-seat
them exactly with everything else fixed.

A neighbourhood becomes a small Problem of its own, solved by the same SeatingModel: the freed
participants, the freed tables, and every pair that already met elsewhere in the schedule
folded into `met_before` (so meeting again counts as the repeat it would be). While the
schedule still breaks rules, repeats are made soft and dominate the objective, so CP-SAT
repairs the last conflicts the local search could not; once it is valid, the neighbourhood
is re-optimised under the instance's own rules.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from itertools import combinations

from tablejam.models.settings import SolverSettings
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.local_search import SearchState
from tablejam.solver.problem import IndexSeating, Pair, Problem


@dataclass(frozen=True)
class Neighbourhood:
    rounds: tuple[int, ...]
    tables: tuple[int, ...]  # freed in each of `rounds`


@dataclass
class Score:
    violations: int
    objective: int  # scaled, without fairness

    def better_than(self, other: Score) -> bool:
        return (self.violations, -self.objective) < (other.violations, -other.objective)


def score(problem: Problem, seating: IndexSeating) -> Score:
    """Violations (repeats when forbidden, apart pairs together, sector excess) and objective, counted
    as the local search counts them, by the local search's own code."""
    return Score(*SearchState.from_seating(problem, seating).score())


def neighbourhood_problem(
    problem: Problem, seating: IndexSeating, hood: Neighbourhood, repair: bool
) -> tuple[Problem, list[int], IndexSeating]:
    """The neighbourhood as a Problem: (sub-problem, its participants' indices in `problem`, hint)."""
    freed_rounds = set(hood.rounds)
    table_pos = {t: k for k, t in enumerate(hood.tables)}
    people = sorted({p for r in hood.rounds for t in hood.tables for p in seating[r][t]})
    local = {p: k for k, p in enumerate(people)}

    met_elsewhere: Counter[tuple[int, int]] = Counter()
    for r, tables in enumerate(seating):
        for t, seated in enumerate(tables):
            if r in freed_rounds and t in table_pos:
                continue
            for a, b in combinations(sorted(p for p in seated if p in local), 2):
                met_elsewhere[a, b] += 1

    allowed = []
    for p in people:
        rows = []
        for r in hood.rounds:
            present = any(p in seating[r][t] for t in hood.tables)
            own = [table_pos[t] for t in problem.allowed[p][r] if t in table_pos]
            rows.append(tuple(own) if present else ())
        allowed.append(rows)

    apart = {(local[i], local[j]) for i, j in problem.apart if i in local and j in local}
    pairs = []
    total_value = sum(pair.value for pair in problem.pairs)
    for pair in problem.pairs:
        if pair.i not in local or pair.j not in local:
            continue
        i, j = local[pair.i], local[pair.j]
        if not any(set(allowed[i][k]) & set(allowed[j][k]) for k in range(len(hood.rounds))):
            continue
        already = pair.met_before or met_elsewhere[pair.i, pair.j] > 0
        if already and problem.forbid_repeats and not repair:
            apart.add((i, j))
        else:
            pairs.append(Pair(i, j, pair.value, already))

    sub = replace(
        problem,
        people=len(people),
        rounds=len(hood.rounds),
        tables=len(hood.tables),
        capacity=[problem.capacity[t] for t in hood.tables],
        minimum=[problem.minimum[t] for t in hood.tables],
        allowed=allowed,
        sector=[problem.sector[p] for p in people],
        apart=apart,
        pairs=pairs,
        fairness=0,
    )
    if repair and problem.forbid_repeats:
        # Repeats become soft, each costing more than every pair value together: fewest repeats first.
        sub = replace(sub, forbid_repeats=False, repeat_cost=total_value + 1)
    hint = [[[local[p] for p in seating[r][t]] for t in hood.tables] for r in hood.rounds]
    return sub, people, hint


def _conflict_rounds(problem: Problem, seating: IndexSeating) -> list[tuple[tuple[int, int], list[int]]]:
    """Each repeated pair with the rounds in which it meets (the rounds a repair may free)."""
    rounds_of: dict[tuple[int, int], list[int]] = {}
    before = {(pair.i, pair.j) for pair in problem.pairs if pair.met_before}
    for r, tables in enumerate(seating):
        for seated in tables:
            for a, b in combinations(sorted(seated), 2):
                rounds_of.setdefault((a, b), []).append(r)
    return [(key, rs) for key, rs in rounds_of.items() if len(rs) + (key in before) > 1]


@dataclass
class LnsResult:
    seating: IndexSeating
    score: Score
    steps: int
    improved: int


def large_neighbourhood_search(
    problem: Problem,
    seating: IndexSeating,
    deadline: float,
    settings: SolverSettings,
    rng: random.Random,
    target: int | None = None,
    step_seconds: float = 2.0,
    max_steps: int | None = None,
    stop: threading.Event | None = None,
) -> LnsResult:
    """Re-seat neighbourhoods with CP-SAT until the deadline, the target or `max_steps` is reached."""
    current = [list(map(list, tables)) for tables in seating]
    best = score(problem, current)
    steps = improved = 0
    while time.perf_counter() < deadline - 0.05:
        if target is not None and best.violations == 0 and best.objective >= target:
            break
        if (max_steps is not None and steps >= max_steps) or (stop is not None and stop.is_set()):
            break
        repair = best.violations > 0
        hood = _choose(problem, current, rng, repair)
        sub, people, hint = neighbourhood_problem(problem, current, hood, repair)
        model = SeatingModel(sub)
        model.hint(hint)
        budget = step_seconds if max_steps is not None else min(step_seconds, deadline - time.perf_counter())
        if budget <= 0.05:
            break
        outcome = model.solve(settings, budget, stop=stop, wall_limit=deadline - time.perf_counter())
        steps += 1
        if outcome.seating is None:
            continue
        candidate = [list(map(list, tables)) for tables in current]
        for k, r in enumerate(hood.rounds):
            for pos, t in enumerate(hood.tables):
                candidate[r][t] = [people[p] for p in outcome.seating[k][pos]]
        new = score(problem, candidate)
        if new.better_than(best) or (new.violations, new.objective) == (best.violations, best.objective):
            if new.better_than(best):
                improved += 1
            current, best = candidate, new
    return LnsResult(current, best, steps, improved)


def _choose(problem: Problem, seating: IndexSeating, rng: random.Random, repair: bool) -> Neighbourhood:
    """Repair: mostly the table of one conflict in one of its rounds plus a few other tables of that round
    (small, solved at once); sometimes the rounds of one repeated pair plus one more, whole.
    Improve: for few people, two whole rounds; otherwise a handful of tables of one round."""
    all_tables = tuple(range(problem.tables))
    few_tables = min(problem.tables, max(2, 24 // max(problem.capacity)))
    if repair:
        conflicts = _conflict_rounds(problem, seating)
        if not conflicts:  # sector or apart conflicts: a random round, whole
            return Neighbourhood((rng.randrange(problem.rounds),), all_tables)
        pair, rounds_met = rng.choice(conflicts)
        if rng.random() < 0.7:
            r = rng.choice(rounds_met)
            table = next(t for t, seated in enumerate(seating[r]) if pair[0] in seated)
            others = rng.sample([t for t in all_tables if t != table], few_tables - 1)
            return Neighbourhood((r,), tuple(sorted([table, *others])))
        rounds = set(rounds_met)
        extra = [r for r in range(problem.rounds) if r not in rounds]
        if extra:
            rounds.add(rng.choice(extra))
        return Neighbourhood(tuple(sorted(rounds)), all_tables)
    if problem.people <= 60 and problem.rounds >= 2:
        return Neighbourhood(tuple(sorted(rng.sample(range(problem.rounds), 2))), all_tables)
    r = rng.randrange(problem.rounds)
    count = min(problem.tables, max(2, 48 // max(problem.capacity)))
    return Neighbourhood((r,), tuple(sorted(rng.sample(all_tables, count))))
