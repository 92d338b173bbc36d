"""Why an instance is infeasible, in its own words: CP-SAT names a set of rules that cannot hold together
(sufficient_assumptions_for_infeasibility over one switch per rule and table, sector or pair)."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from tablejam.models.reasons import reason
from tablejam.models.rules import Rule, registrar
from tablejam.models.schedule import Reason
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.problem import Problem
from tablejam.solver.stop import Stop

Describe = Callable[[Problem, tuple[int, ...]], Reason]
# How each rule that CP-SAT switches is said, given its subject (a table, a sector, a pair, or nothing).
DESCRIPTIONS: dict[Rule, Describe] = {}


_describes = registrar(DESCRIPTIONS)


def conflicting_rules(problem: Problem, stop: Stop) -> list[Reason]:
    """Rules that together admit no schedule (attendance, hosts and one seat per round always hold), none of
    them superfluous where there is time to tell; empty when CP-SAT cannot tell before `stop`.

    CP-SAT names a set of rules that suffices (its core); then each is left out in turn, and stays out
    if the others still admit no schedule (deletion filtering), so the reasons read as one argument."""
    if stop.seconds_left() <= 0.05:
        return []
    # No symmetry breaking: with one table's limits switched off, tables are no longer interchangeable.
    seating = SeatingModel(problem, switches=True, symmetry=False)
    switches = seating.switches or {}
    seating.model.clear_objective()
    found = _core(seating, list(switches.values()), stop)
    if found is None:
        return []
    by_index = {switch.index: switch for switch in switches.values()}
    kept = found
    for index in sorted(found):
        if index not in kept or len(kept) == 1 or stop.seconds_left() <= 0.05:
            continue
        smaller = _core(seating, [by_index[other] for other in sorted(kept - {index})], stop)
        if smaller is not None:
            kept = smaller
    return [
        DESCRIPTIONS[group[0]](problem, group[1:])  # type: ignore[index]
        for group, switch in switches.items()
        if switch.index in kept
    ]


def _core(seating: SeatingModel, assumed: list[cp_model.IntVar], stop: Stop) -> set[int] | None:
    """The indices of a core of `assumed` when CP-SAT proves them infeasible before `stop`, else None."""
    seating.model.clear_assumptions()
    seating.model.add_assumptions(assumed)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, min(stop.seconds_left(), 1e9))
    solver.parameters.num_workers = 1  # the core is reported by the sequential search
    if solver.solve(seating.model) != cp_model.INFEASIBLE:
        return None
    return set(solver.sufficient_assumptions_for_infeasibility())


def _conflict(rule: Rule, fact: str = "conflict", **data: object) -> Reason:
    return reason(rule, fact, "cp-sat", **data)


@_describes(Rule.CAPACITY)
def _capacity(problem: Problem, subject: tuple[int, ...]) -> Reason:
    table = problem.instance.table_list[subject[0]]
    return _conflict(Rule.CAPACITY, tables=[table.id], counts={"capacity": table.capacity})


@_describes(Rule.MINIMUM)
def _minimum(problem: Problem, subject: tuple[int, ...]) -> Reason:
    table = problem.instance.table_list[subject[0]]
    return _conflict(Rule.MINIMUM, tables=[table.id], counts={"min": table.min})


@_describes(Rule.SECTOR_CAP)
def _sector_cap(problem: Problem, subject: tuple[int, ...]) -> Reason:
    name, cap = problem.sector_names[subject[0]], problem.sector_cap[subject[0]]
    return _conflict(Rule.SECTOR_CAP, sector=name, counts={"cap": cap or 0})


@_describes(Rule.QUOTA)
def _quota(problem: Problem, subject: tuple[int, ...]) -> Reason:
    quota = problem.instance.quotas[subject[0]]
    at_most = subject[1] == 1
    return _conflict(
        Rule.QUOTA, "conflict-max" if at_most else "conflict", attribute=quota.attribute, value=quota.value,
        counts={"max": quota.max or 0} if at_most else {"min": quota.min or 0},
    )  # fmt: skip


@_describes(Rule.COLLEAGUES)
def _colleagues(problem: Problem, subject: tuple[int, ...]) -> Reason:
    a, b = (problem.instance.participants[k] for k in subject)
    return _conflict(Rule.COLLEAGUES, participants=[a.id, b.id], company=a.company)


@_describes(Rule.KEEP_APART)
def _keep_apart(problem: Problem, subject: tuple[int, ...]) -> Reason:
    a, b = (problem.instance.participants[k] for k in subject)
    return _conflict(Rule.KEEP_APART, participants=[a.id, b.id])


@_describes(Rule.REPEAT)
def _repeat(problem: Problem, subject: tuple[int, ...]) -> Reason:
    if not subject:  # the rule as a whole
        return _conflict(Rule.REPEAT)
    a, b = (problem.instance.participants[k] for k in subject)  # a pair that met before
    return _conflict(Rule.REPEAT, "met-before", participants=[a.id, b.id])


@_describes(Rule.TABLE_CLOSED)
def _table_closed(problem: Problem, subject: tuple[int, ...]) -> Reason:
    t = subject[0]
    open_rounds = [r + 1 for r in range(problem.rounds) if (r, t) not in problem.closed]
    return _conflict(Rule.TABLE_CLOSED, tables=[problem.instance.table_list[t].id], rounds=open_rounds)


@_describes(Rule.TOGETHER)
def _together(problem: Problem, subject: tuple[int, ...]) -> Reason:
    a, b = (problem.instance.participants[k] for k in subject)
    return _conflict(Rule.TOGETHER, participants=[a.id, b.id])


@_describes(Rule.REVISIT)
def _revisit(problem: Problem, subject: tuple[int, ...]) -> Reason:
    return _conflict(Rule.REVISIT, participants=[problem.instance.participants[subject[0]].id])


@_describes(Rule.PIN)
def _pin(problem: Problem, subject: tuple[int, ...]) -> Reason:
    pin = problem.instance.rules.pins[subject[0]]
    rounds = sorted(r + 1 for (p, r), (_, k) in problem.pins.items() if k == subject[0])
    return _conflict(Rule.PIN, participants=[pin.participant], tables=[pin.table], rounds=rounds)
