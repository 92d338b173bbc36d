"""Price and branch: the best schedule made of the column generation's columns, by CP-SAT."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ortools.sat.python import cp_model

from tablejam.solver.bound.columns import Column, PairValues, feasible_group, seating_columns, table_kinds
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating
from tablejam.solver.stop import Stop


def price_and_branch(
    problem: Problem,
    columns: Sequence[Column],
    stop: Stop,
    hint: Seating | None = None,
    workers: int = 2,
    seed: int = 0,
    bound: float | None = None,
) -> Seating | None:
    """The best schedule made only of `columns`: a set-partitioning CP-SAT model (per round, each attendee in
    exactly one chosen column, each kind's tables all filled), pairs' first meetings counted once over the
    rounds, repeats forbidden or paid for, the fairness term as in the engine. None if the columns cannot
    make a schedule (or CP-SAT found none before `stop`).

    "Price and branch" (the column generation's columns, then integrality): the LP's columns are good tables,
    and a schedule made of the best of them often beats the search's. `hint` (its groups join the columns)
    starts CP-SAT at a known schedule, so the result is never worse than it. `bound` (instance units, proven
    elsewhere) caps the objective, so that CP-SAT proves optimality as soon as a schedule reaches it."""
    columns = list(dict.fromkeys(columns))
    if hint is not None:
        columns = list(dict.fromkeys([*seating_columns(problem, hint), *columns]))
    kinds = table_kinds(problem)
    values = PairValues(problem)
    kind_index = {(kind.round, kind.tables): kind for kind in kinds}
    columns = [
        column
        for column in columns
        if (column.round, column.tables) in kind_index
        and feasible_group(problem, kind_index[column.round, column.tables], column.people, values)
    ]
    model = cp_model.CpModel()
    # u[c]: column c is chosen (one of its kind's tables in its round seats exactly its people)
    use = [model.new_bool_var(f"u[{c}]") for c in range(len(columns))]
    holding: dict[tuple[int, int], list[int]] = {}  # (round, person) -> columns
    of_kind: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    together: dict[tuple[int, int], list[int]] = {}  # pair (i < j) -> columns holding both
    rounds_of: dict[tuple[int, int], set[int]] = {}
    for c, column in enumerate(columns):
        of_kind.setdefault((column.round, column.tables), []).append(c)
        for a, i in enumerate(column.people):
            holding.setdefault((column.round, i), []).append(c)
            for j in column.people[a + 1 :]:
                together.setdefault((i, j), []).append(c)
                rounds_of.setdefault((i, j), set()).add(column.round)
    for r in range(problem.rounds):
        for p in problem.attendees(r):
            if (r, p) not in holding:
                return None  # p has no column in round r
            model.add_exactly_one(use[c] for c in holding[r, p])
    for kind in kinds:
        chosen = of_kind.get((kind.round, kind.tables), [])
        model.add(sum(use[c] for c in chosen) == kind.count)

    # Pairs meeting in columns of one round only meet at most once (a person sits once a round): their value is
    # linear in the columns. Pairs that can meet in several rounds count once, through first[i, j].
    terms: list[cp_model.LinearExprT] = []
    weight = [0] * len(columns)
    first_of: dict[int, list[cp_model.LinearExprT]] = {}  # person -> first-meeting terms (fairness)
    repeat = problem.repeat_cost
    for (i, j), cs in together.items():
        meets = sum(use[c] for c in cs)
        if not values.first[i, j]:  # met before, repeats minimised: every meeting costs R
            for c in cs:
                weight[c] -= repeat
            continue
        value = int(values.value[i, j])
        if len(rounds_of[i, j]) == 1:
            for c in cs:
                weight[c] += value
            first: cp_model.LinearExprT = meets
        elif problem.forbid_repeats:
            model.add(meets <= 1)
            for c in cs:
                weight[c] += value
            first = meets
        else:
            # first[i, j] <= meetings and <= 1; worth v + R, each meeting -R: v for one, v - R(m - 1) for m
            flag = model.new_bool_var(f"first[{i},{j}]")
            model.add(flag <= meets)
            terms.append((value + repeat) * flag)
            for c in cs:
                weight[c] -= repeat
            first = flag
        first_of.setdefault(i, []).append(first)
        first_of.setdefault(j, []).append(first)
    terms.extend(weight[c] * use[c] for c in range(len(columns)) if weight[c])
    if problem.fairness:
        fewest = model.new_int_var(0, problem.people, "fewest_new")
        for p in range(problem.people):
            if any(problem.allowed[p]):
                model.add(fewest <= sum(first_of.get(p, [])))
        terms.append(problem.fairness * fewest)
    objective = sum(terms)
    if bound is not None:
        # As the objective variable's domain, not a constraint: CP-SAT then knows the bound is its own.
        capped = model.new_int_var(-(2**40), math.floor(bound * problem.scale + 1e-6), "objective")
        model.add(capped == objective)
        objective = capped
    model.maximize(objective)
    if hint is not None:
        chosen = set(seating_columns(problem, hint))
        for c, column in enumerate(columns):
            model.add_hint(use[c], column in chosen)

    solver = cp_model.CpSolver()
    seconds = stop.seconds_left()
    solver.parameters.max_time_in_seconds = max(0.01, min(seconds, 1e9))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    groups: list[list[list[int]]] = [[[] for _ in range(problem.tables)] for _ in range(problem.rounds)]
    for kind in kinds:
        chosen_columns = [
            columns[c] for c in of_kind.get((kind.round, kind.tables), []) if solver.boolean_value(use[c])
        ]
        for t, column in zip(kind.tables, chosen_columns, strict=True):
            groups[kind.round][t] = list(column.people)
    return Seating.from_groups(groups, problem.people)
