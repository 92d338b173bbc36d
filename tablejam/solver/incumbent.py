"""The best schedule found so far in one solve, the bound proven so far, and the document made of them.

Every seating any phase finds is offered here; the checker decides whether it is valid, and only a
valid one can become the incumbent. A seating from an exact model (the full CP-SAT model) must be
valid: one the checker rejects is a bug, raised at once with the rules it breaks.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from tablejam.check import CheckReport, check
from tablejam.errors import InternalError
from tablejam.models.instance import Instance
from tablejam.models.schedule import BoundSource, RoundSeating, Schedule, SolverInfo, Status, relative_gap
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, as_rounds

# progress(seconds since the start, objective, bound): told of every better schedule.
Progress = Callable[[float, float, float], None]


@dataclass(frozen=True)
class Best:
    seating: Seating
    objective: float  # the checker's, in the instance's units
    status: Status
    engine: str  # which phase found it
    rounds: list[RoundSeating]  # the seating as the document has it
    report: CheckReport  # the checker's verdict on it (valid)


class Incumbent:
    """One solve's best valid schedule, its proven bound, and what the search learnt on the way."""

    def __init__(self, problem: Problem, started: float, progress: Progress | None = None) -> None:
        self.problem = problem
        self.started = started
        self.progress = progress
        self.bound = math.inf
        self.bound_source: BoundSource | None = None  # which proof gave `bound`
        self.best: Best | None = None
        self.least_violations: int | None = None  # of the invalid seatings offered
        self.first_valid_s: float | None = None
        self._reported = -math.inf  # best objective told to `progress`

    def offer(
        self,
        seating: Seating,
        engine: str,
        status: Status = "feasible",
        found_at: float | None = None,
        exact: bool = False,
        claimed: float | None = None,
    ) -> bool:
        """Keep `seating` if it is valid and better than the best so far; True if kept.

        `exact`: it comes from a model of every rule, so the checker must accept it, and its `claimed`
        objective must be the checker's; anything else means the model and the rules disagree."""
        rounds = as_rounds(self.problem, seating)
        report = check(self.problem.instance, Schedule(rounds=rounds))
        assert report.stats is not None
        if exact and not report.valid:
            raise InternalError(f"CP-SAT returned a schedule the checker rejects: {_broken(report)}")
        if claimed is not None and abs(report.stats.objective - claimed) > 1e-6:
            raise InternalError(f"CP-SAT objective {claimed} differs from the checker's {report.stats.objective}")
        if not report.valid:
            violations = len(report.violations)
            self.least_violations = min(self.least_violations or violations, violations)
            return False
        objective = report.stats.objective
        if objective > self.bound + 1e-6:
            raise InternalError(f"bound {self.bound} is below the objective {objective} of a valid schedule")
        if self.first_valid_s is None:
            self.first_valid_s = round((found_at or time.perf_counter()) - self.started, 3)
        best = self.best
        if best is None or objective > best.objective or (objective == best.objective and status == "optimal"):
            self.best = Best(seating, objective, status, engine, rounds, report)
            self.heard(objective, self.bound, self.bound_source)
            return True
        return False

    def tighten(self, bound: float, source: BoundSource | None) -> None:
        """Keep `bound` (proven by `source`) if it is tighter: the tightest valid bound wins. A bound below a
        valid schedule is no bound, and a bug."""
        if bound >= self.bound:
            return
        if self.best is not None and self.best.objective > bound + 1e-6:
            objective = self.best.objective
            raise InternalError(f"{source} bound {bound} is below the objective {objective} of a valid schedule")
        self.bound = bound
        self.bound_source = source

    def heard(self, objective: float, bound: float, source: BoundSource | None) -> None:
        """Tell `progress` of a better objective (from any phase, or from CP-SAT's thread), with the bound
        proven by `source`."""
        self.tighten(bound, source)
        if self.progress is not None and objective > self._reported:
            self._reported = objective
            self.progress(round(time.perf_counter() - self.started, 3), objective, self.bound)

    def reached_bound(self) -> bool:
        return self.best is not None and self.best.objective >= self.bound - 1e-9

    def seating(self) -> Seating | None:
        return None if self.best is None else self.best.seating

    def schedule(self, solver: SolverInfo) -> Schedule:
        """The best schedule as the document users see (judged by the checker when it was offered)."""
        assert self.best is not None
        best = self.best
        return judged_schedule(self.problem.instance, best.rounds, best.status, self.bound, solver, best.report)


def judged_schedule(
    instance: Instance,
    rounds: list[RoundSeating],
    status: Status,
    bound: float | None,
    solver: SolverInfo,
    report: CheckReport | None = None,
) -> Schedule:
    """The schedule document for `rounds`, after the checker has accepted them (`report`: its verdict on exactly
    these rounds, if already given): statistics from the checker, the bound (None: none known) and the gap, and
    status optimal where the bound proves it."""
    report = report or check(instance, Schedule(rounds=rounds))
    if not report.valid or report.stats is None:
        raise InternalError(f"the engine produced a schedule the checker rejects: {_broken(report)}")
    objective = report.stats.objective
    if bound is not None and not math.isfinite(bound):
        bound = None
    if bound is not None and objective > bound + 1e-6:
        raise InternalError(f"bound {bound} is below the objective {objective} of a valid schedule")
    if status == "feasible" and bound is not None and objective >= bound - 1e-9:
        status = "optimal"
    return Schedule(
        instance=instance.name, status=status, objective=objective, bound=None if bound is None else round(bound, 6),
        gap=relative_gap(objective, bound), rounds=rounds, stats=report.stats, solver=solver,
    )  # fmt: skip


def _broken(report: CheckReport) -> str:
    """The rules broken and the first few violations, for an internal error."""
    rules = ", ".join(sorted(report.rules_broken()))
    return f"[{rules}] " + "; ".join(v.message for v in report.violations[:5])
