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
import time
from collections import Counter
from dataclasses import dataclass, replace
from itertools import combinations

from tablejam.models.rules import Rule
from tablejam.models.settings import SolverSettings
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.local_search import SearchState
from tablejam.solver.problem import Pair, Problem
from tablejam.solver.seating import Seating
from tablejam.solver.stop import Deadline, DeterministicTime, Progress, Stop


@dataclass(frozen=True)
class Neighbourhood:
    rounds: tuple[int, ...]
    tables: tuple[int, ...]  # freed in each of `rounds`


@dataclass
class Score:
    violations: int
    objective: int  # scaled

    def better_than(self, other: Score) -> bool:
        return (self.violations, -self.objective) < (other.violations, -other.objective)


def score(problem: Problem, seating: Seating) -> Score:
    """Violations (repeats when forbidden, apart pairs together, sector excess) and objective, counted
    as the local search counts them, by the local search's own code."""
    return Score(*SearchState.from_seating(problem, seating).score())


def neighbourhood_problem(
    problem: Problem, seating: Seating, hood: Neighbourhood, repair: bool
) -> tuple[Problem, list[int], Seating]:
    """The neighbourhood as a Problem: (sub-problem, its participants' indices in `problem`, hint)."""
    freed_rounds = set(hood.rounds)
    table_pos = {t: k for k, t in enumerate(hood.tables)}
    groups = seating.all_groups()
    people = sorted({p for r in hood.rounds for t in hood.tables for p in groups[r][t]})
    local = {p: k for k, p in enumerate(people)}

    met_elsewhere: Counter[tuple[int, int]] = Counter()
    for r, tables in enumerate(groups):
        for t, seated in enumerate(tables):
            if r in freed_rounds and t in table_pos:
                continue
            for a, b in combinations(sorted(p for p in seated if p in local), 2):
                met_elsewhere[a, b] += 1

    allowed = []
    for p in people:
        # Under revisit_tables = 'forbid', the tables p sits at outside the neighbourhood are not for p inside it.
        elsewhere = {
            t for r, t in enumerate(seating.table_of[:, p].tolist())
            if t >= 0 and not (r in freed_rounds and t in table_pos) and problem.no_revisit and problem.no_revisit[p]
        }  # fmt: skip
        rows = []
        for r in hood.rounds:
            present = int(seating.table_of[r, p]) in table_pos
            inside = [t for t in problem.allowed[p][r] if t in table_pos]
            own = [table_pos[t] for t in inside if t not in elsewhere] or [table_pos[t] for t in inside]
            rows.append(tuple(own) if present else ())
        allowed.append(rows)

    apart = {(local[i], local[j]): rule for (i, j), rule in problem.apart.items() if i in local and j in local}
    pairs = []
    for i, a in enumerate(people):
        for j in range(i + 1, len(people)):
            b = people[j]
            meets = any(set(allowed[i][k]) & set(allowed[j][k]) for k in range(len(hood.rounds)))
            if (a, b) in problem.apart or (a, b) in problem.together or not meets:
                continue
            already = (a, b) in problem.met_before or met_elsewhere[a, b] > 0
            if already and problem.forbid_repeats and not repair:
                apart[i, j] = Rule.REPEAT
            else:
                pairs.append(Pair(i, j, problem.value(a, b), already))
    total_value = sum(pair.value for pair in pairs)

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
        met_before=frozenset((pair.i, pair.j) for pair in pairs if pair.met_before),
        explicit_pairs=pairs,
        fairness=0,
        quotas=[quota.within(people) for quota in problem.quotas],
        # A positive wish already granted elsewhere in the schedule adds nothing more here.
        wishes={
            (local[a], local[b]): weight
            for (a, b), weight in problem.wishes.items()
            if a in local and b in local and (weight < 0 or not met_elsewhere[a, b])
        },
        closed=frozenset((k, table_pos[t]) for k, r in enumerate(hood.rounds) for t in hood.tables
                         if (r, t) in problem.closed),
        together=frozenset((local[i], local[j]) for i, j in problem.together if i in local and j in local),
        no_revisit=tuple(problem.no_revisit[p] for p in people) if problem.no_revisit else (),
        pins={},  # pins and earlier seats narrow `allowed`, which the neighbourhood inherits
        seated_before=frozenset(),
        reach=[],
    )  # fmt: skip
    if repair and problem.forbid_repeats:
        # Repeats become soft, each costing more than every pair value together: fewest repeats first.
        sub = replace(sub, forbid_repeats=False, repeat_cost=total_value + 1)
    hint = Seating.from_groups([[[local[p] for p in groups[r][t]] for t in hood.tables] for r in hood.rounds],
                               len(people))  # fmt: skip
    return sub, people, hint


def _conflict_rounds(problem: Problem, seating: Seating) -> list[tuple[tuple[int, int], list[int]]]:
    """Each repeated pair with the rounds in which it meets (the rounds a repair may free)."""
    rounds_of: dict[tuple[int, int], list[int]] = {}
    before = problem.met_before
    for r in range(seating.rounds):
        for seated in seating.groups(r):
            for a, b in combinations(sorted(seated), 2):
                rounds_of.setdefault((a, b), []).append(r)
    return [(key, rs) for key, rs in rounds_of.items() if len(rs) + (key in before) > 1]


@dataclass
class LnsResult:
    seating: Seating
    score: Score
    steps: int
    improved: int


def large_neighbourhood_search(
    problem: Problem,
    seating: Seating,
    stop: Stop,
    settings: SolverSettings,
    rng: random.Random,
    step_seconds: float = 2.0,
    step_work: float | None = None,
) -> LnsResult:
    """Re-seat neighbourhoods with CP-SAT until `stop` (its Target, or its MaxIterations counting steps).

    Each step gets `step_seconds`, or with `step_work` that much of CP-SAT's deterministic time instead
    (one worker: the same seed then gives the same steps), the deadlines of `stop` holding either way."""
    current = seating.copy()
    best = score(problem, current)
    steps = improved = 0
    while stop.seconds_left() > 0.05:
        if stop.met(Progress(iterations=steps, violations=best.violations, objective=best.objective)):
            break
        repair = best.violations > 0
        hood = _choose(problem, current, rng, repair)
        sub, people, hint = neighbourhood_problem(problem, current, hood, repair)
        model = SeatingModel(sub)
        model.hint(hint)
        if step_work is not None:
            step = stop | DeterministicTime(step_work)
        else:
            budget = min(step_seconds, stop.seconds_left())
            if budget <= 0.05:
                break
            step = stop | Deadline(time.perf_counter() + budget)
        outcome = model.solve(settings, step)
        steps += 1
        if outcome.seating is None:
            continue
        candidate = current.copy()
        for k, r in enumerate(hood.rounds):
            for local, p in enumerate(people):
                t = int(outcome.seating.table_of[k, local])
                if t >= 0:
                    candidate.table_of[r, p] = hood.tables[t]
        new = score(problem, candidate)
        if new.better_than(best) or (new.violations, new.objective) == (best.violations, best.objective):
            if new.better_than(best):
                improved += 1
            current, best = candidate, new
    return LnsResult(current, best, steps, improved)


def _choose(problem: Problem, seating: Seating, rng: random.Random, repair: bool) -> Neighbourhood:
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
            table = int(seating.table_of[r, pair[0]])
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
