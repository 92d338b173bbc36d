"""Why an instance is infeasible, in its own words: CP-SAT names a set of rule groups that cannot
hold together (sufficient_assumptions_for_infeasibility over one switch per group)."""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from tablejam.models.schedule import Reason
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.problem import Problem


def conflicting_rules(problem: Problem, seconds: float) -> list[Reason]:
    """Rule groups that together admit no schedule (attendance, hosts and one seat per round always
    hold); empty when CP-SAT cannot tell within `seconds`."""
    seating = SeatingModel(problem, switches=True)
    switches = seating.switches or {}
    seating.model.clear_objective()
    seating.model.add_assumptions(list(switches.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = 1  # the core is reported by the sequential search
    if solver.solve(seating.model) != cp_model.INFEASIBLE:
        return []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return [_describe(problem, group) for group, switch in switches.items() if switch.index in core]


def _describe(problem: Problem, group: tuple[object, ...]) -> Reason:
    instance = problem.instance
    kind = group[0]
    if kind == "table":
        table = instance.table_list[int(group[1])]  # type: ignore[call-overload]
        message = f"table '{table.id}' seats between {table.min} and {table.capacity} in every round"
        return _conflict("table", message, tables=[table.id], counts={"min": table.min, "capacity": table.capacity})
    if kind == "sector":
        sector = int(group[1])  # type: ignore[call-overload]
        name, cap = problem.sector_names[sector], problem.sector_cap[sector]
        return _conflict("sector-cap", f"at most {cap} of sector '{name}' per table", sector=name, counts={"cap": cap})
    if kind == "repeats":
        return _conflict("repeat", "no pair meets twice (rules.repeats = 'forbid')")
    a, b = (instance.participants[int(k)] for k in group[1:])  # type: ignore[call-overload]
    pair = frozenset((a.id, b.id))
    company = None
    if pair in instance.keep_apart_pairs:
        rule, why = "keep-apart", "rules.keep_apart"
    elif instance.rules.colleagues == "apart" and instance.colleagues(a, b):
        rule, why, company = "colleagues", f"colleagues at '{a.company}'", a.company
    else:
        rule, why = "repeat", "they met before and repeats are forbidden"
    message = f"{a.id} and {b.id} never share a table ({why})"
    return _conflict(rule, message, participants=[a.id, b.id], company=company)


def _conflict(rule: str, message: str, **data: Any) -> Reason:
    return Reason(rule=rule, message=message, source="cp-sat", **data)
