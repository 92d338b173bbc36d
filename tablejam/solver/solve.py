"""solve(instance, settings) -> Schedule: the one entry point of the engine."""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools import __version__ as ortools_version

from tablejam.check import check
from tablejam.errors import InternalError
from tablejam.models.instance import Instance
from tablejam.models.schedule import RoundSeating, Schedule, SolverInfo, Status, TableSeating, relative_gap
from tablejam.models.settings import SolverSettings
from tablejam.precheck import impossibilities
from tablejam.solver.bounds import counting_bound
from tablejam.solver.construct import greedy_schedule
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.local_search import kernels_ready, local_search
from tablejam.solver.problem import IndexSeating, Problem

# Reserved for extracting and checking the schedule after the search stops.
FINISH_MARGIN_S = 0.2
# Iterations without a better seating, per participant and round, before local search hands over to CP-SAT.
LOCAL_SEARCH_PATIENCE = 2000
# Upper estimate of compiling the local-search kernels on first use (10.6 s measured on 2 cores).
COMPILE_SECONDS = 20


def solve(
    instance: Instance,
    settings: SolverSettings | None = None,
    log: Callable[[str], None] | None = None,
) -> Schedule:
    """Plan the event. Always returns a Schedule: with a seating when one was found,
    otherwise with status infeasible or unknown and an explanation."""
    settings = settings or SolverSettings()
    started = time.perf_counter()
    deadline = started + settings.time_limit - FINISH_MARGIN_S

    def info(engine: str) -> SolverInfo:
        return SolverInfo(
            time_s=round(time.perf_counter() - started, 3),
            seed=settings.seed,
            workers=settings.workers,
            time_limit_s=settings.time_limit,
            engine=engine,
            ortools=ortools_version,
        )

    def no_schedule(status: Status, reasons: list[str], engine: str, bound: float | None = None) -> Schedule:
        return Schedule(
            instance=instance.name, status=status, rounds=[], bound=bound, explanation=reasons, solver=info(engine)
        )

    found = impossibilities(instance)
    if found:
        return no_schedule("infeasible", [item.message for item in found], "precheck")

    problem = Problem.from_instance(instance)
    start = greedy_schedule(problem, settings.seed)
    candidates: list[tuple[IndexSeating, Status, str]] = []  # (seating, status, engine)
    if check(instance, problem.to_ids(start)).valid:
        candidates.append((start, "feasible", "greedy"))

    searching = kernels_ready() or deadline - time.perf_counter() > COMPILE_SECONDS
    if searching:
        share = _local_search_share(problem, deadline - time.perf_counter())
        # Where CP-SAT follows, local search hands over once it stops improving.
        patience = LOCAL_SEARCH_PATIENCE * problem.people * problem.rounds if _cp_sat_fits(problem) else None
        search = local_search(problem, start, seconds=share, seed=settings.seed, patience=patience)
        start = search.seating
        if search.violations == 0:
            candidates.append((search.seating, "feasible", "local-search"))

    bound = counting_bound(problem)
    if _cp_sat_fits(problem):
        model = SeatingModel(problem)
        model.hint(start)
        outcome = model.solve(settings, deadline - time.perf_counter(), log, known_bound=bound)
        if outcome.status == "infeasible":
            if candidates:
                raise InternalError("CP-SAT claims infeasible, yet a valid schedule was found")
            return no_schedule("infeasible", [CP_SAT_INFEASIBLE], "cp-sat")
        if outcome.bound is not None:
            bound = min(bound, outcome.bound)
        if outcome.seating is not None:
            candidates.append((outcome.seating, outcome.status, "cp-sat"))  # type: ignore[arg-type]
            _agree(problem, outcome.seating, outcome.objective)
    elif searching and deadline > time.perf_counter():
        search = local_search(problem, start, deadline - time.perf_counter(), seed=settings.seed + 1)
        if search.violations == 0:
            candidates.append((search.seating, "feasible", "local-search"))

    if not candidates:
        reasons = [f"no schedule found within the time limit of {settings.time_limit:g} s"]
        if not searching:
            reasons.append(
                f"local search was skipped: it compiles once per installation (up to {COMPILE_SECONDS} s), "
                "more than the time limit left; run `tablejam warmup` once"
            )
        return no_schedule("unknown", reasons, "local-search+cp-sat", bound)

    schedules = [_schedule(problem, seating, status, bound, info(engine)) for seating, status, engine in candidates]
    # Best objective first; among equals prefer a proven optimum.
    return max(schedules, key=lambda s: (s.objective, s.status == "optimal"))


CP_SAT_INFEASIBLE = (
    "CP-SAT proved that no schedule satisfies every rule together; no single counting argument shows "
    "which rules conflict"
)


def _local_search_share(problem: Problem, seconds: float) -> float:
    """Local search finds valid schedules fast; CP-SAT, where the model fits, gets the rest to improve and prove."""
    return seconds * 0.25 if _cp_sat_fits(problem) else seconds * 0.5


# The full CP-SAT model has about 2 clauses per (pair, round, table); beyond this size
# building and propagating it costs more than it brings in the time limits organisers use.
CP_SAT_MAX_PAIR_TABLE_ROUNDS = 600_000


def _cp_sat_fits(problem: Problem) -> bool:
    return len(problem.pairs) * problem.rounds * problem.tables <= CP_SAT_MAX_PAIR_TABLE_ROUNDS


def _agree(problem: Problem, seating: IndexSeating, claimed: float | None) -> None:
    """CP-SAT's objective must be the checker's: a difference means the model and the rules disagree."""
    stats = check(problem.instance, problem.to_ids(seating)).stats
    if claimed is None or stats is None or abs(stats.objective - claimed) > 1e-6:
        raise InternalError(f"CP-SAT objective {claimed} differs from the checker's {stats and stats.objective}")


def _schedule(problem: Problem, seating: IndexSeating, status: Status, bound: float, solver: SolverInfo) -> Schedule:
    """The schedule document for a seating, after the checker has accepted it."""
    by_id = problem.to_ids(seating)
    report = check(problem.instance, by_id)
    if not report.valid:
        listed = "; ".join(v.message for v in report.violations[:5])
        raise InternalError(f"the engine produced a schedule the checker rejects: {listed}")
    assert report.stats is not None
    objective = report.stats.objective
    if objective > bound + 1e-6:
        raise InternalError(f"bound {bound} is below the objective {objective} of a valid schedule")
    if status == "feasible" and objective >= bound - 1e-9:
        status = "optimal"  # the bound proves it
    return Schedule(
        instance=problem.instance.name,
        status=status,  # type: ignore[arg-type]
        objective=objective,
        bound=round(bound, 6),
        gap=relative_gap(objective, bound),
        rounds=[
            RoundSeating(round=r, tables=[TableSeating(table=t, participants=ps) for t, ps in tables.items()])
            for r, tables in enumerate(by_id, start=1)
        ],
        stats=report.stats,
        solver=solver,
    )
