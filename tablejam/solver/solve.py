"""solve(instance, settings) -> Schedule: the one entry point of the engine."""

from __future__ import annotations

import math
import os
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from ortools import __version__ as ortools_version

from tablejam.check import check
from tablejam.diagnostics.precheck import impossibilities
from tablejam.errors import InternalError
from tablejam.models.instance import Instance
from tablejam.models.schedule import Reason, RoundSeating, Schedule, SolverInfo, Status, TableSeating, relative_gap
from tablejam.models.settings import SolverSettings
from tablejam.solver.bounds import counting_bound
from tablejam.solver.construct import greedy_schedule
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.explain import conflicting_rules
from tablejam.solver.lns import large_neighbourhood_search
from tablejam.solver.local_search import kernels_ready, parallel_local_search
from tablejam.solver.problem import IndexSeating, Problem

# progress(seconds since the start, objective, bound): told of every better schedule.
Progress = Callable[[float, float, float], None]

# Reserved for extracting and checking the schedule after the search stops.
FINISH_MARGIN_S = 0.2
# Iterations without a better seating, per participant and round, before local search hands over to CP-SAT.
LOCAL_SEARCH_PATIENCE = 2000
# Local-search evaluations per second assumed for the one-worker (reproducible) budget: about half
# the rate measured on the CI machine (3.3-3.7 million per second on golfer 6-3-8), so it rarely
# outlasts the time it stands for.
DETERMINISTIC_EVALUATIONS_PER_S = 1_500_000
# Shortest first full CP-SAT run, where the model fits (10% of the time limit if more).
CP_SAT_PROBE_S = 2.0
# Longest CP-SAT call on one neighbourhood.
LNS_STEP_SECONDS = 2.0
# Upper estimate of compiling the local-search kernels on first use (10.6 s measured on 2 cores).
COMPILE_SECONDS = 20


def solve(
    instance: Instance,
    settings: SolverSettings | None = None,
    log: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
    start: Callable[[Problem], IndexSeating] | None = None,
) -> Schedule:
    """Plan the event. Always returns a Schedule: with a seating when one was found,
    otherwise with status infeasible or unknown and an explanation.

    `start` builds the first seating instead of the greedy construction (every attendee seated once
    per round at an allowed table, table sizes within their limits; other rules may still be broken).

    The phases: prechecks; a greedy start; local search; then, where the full CP-SAT model is
    small enough, CP-SAT on it (improving the incumbent and proving a bound), and otherwise
    CP-SAT on neighbourhoods (LNS) alternating with more local search. Every phase stops at the
    deadline or as soon as a schedule reaches the proven bound. Setting `stop` (from a signal
    handler or another thread) ends the solve promptly with the best schedule found so far.
    `progress(seconds, objective, bound)` hears of every better schedule as it is found."""
    run = _Run(instance, settings or SolverSettings(), stop or threading.Event(), progress)
    found = impossibilities(instance)
    if found:
        return run.no_schedule("infeasible", found, "precheck")

    problem = Problem.from_instance(instance)
    run.scale, run.fairness = problem.scale, problem.fairness
    run.bound = counting_bound(problem)
    # Local search scores without fairness, so only then can it stop at the bound.
    target = math.floor(run.bound * problem.scale + 1e-6) if not problem.fairness else None
    seating = greedy_schedule(problem, run.settings.seed) if start is None else start(problem)
    run.offer(problem, seating, "feasible", "greedy" if start is None else "start")

    fits = cp_sat_fits(problem)
    searching = kernels_ready() or run.left() > COMPILE_SECONDS
    if searching:
        # Where CP-SAT follows, local search hands over once it stops improving.
        patience = LOCAL_SEARCH_PATIENCE * problem.people * problem.rounds if fits else None
        share = run.left() * (0.25 if fits else 0.2)
        search = parallel_local_search(problem, seating, run.walks(), seed=run.settings.seed, patience=patience,
                                       target=target, **run.budget(share))  # fmt: skip
        seating = search.seating
        run.offer(problem, seating, "feasible", "local-search", search.valid_at)

    if fits and not run.reached_bound():
        # A short full CP-SAT run first: small or over-constrained instances are proven optimal
        # or infeasible at once.
        probe = min(run.left(), max(CP_SAT_PROBE_S, 0.1 * run.settings.time_limit))
        if _full_cp_sat(problem, seating, run, probe, log) == "infeasible":
            return _infeasible(problem, run)
    if run.best is None and searching:
        # No valid schedule yet: neighbourhoods repair what local search could not.
        seating = _alternate(problem, seating, run, target, until_valid=fits)
    if not run.reached_bound() and run.left() > 0.1:
        if fits and _full_cp_sat(problem, run.best_seating() or seating, run, run.left(), log) == "infeasible":
            return _infeasible(problem, run)
        elif searching:
            _alternate(problem, run.best_seating() or seating, run, target, until_valid=False)

    if run.best is None:
        if run.stop.is_set():
            reasons = [_ended("interrupted", "interrupted before a valid schedule was found")]
        else:
            limit = run.settings.time_limit
            message = f"no schedule found within the time limit of {limit:g} s"
            reasons = [_ended("time-limit", message, counts={"time_limit_s": limit})]
        if run.least_violations is not None:
            message = f"the best seating reached still broke {run.least_violations} rule(s) (see `validate`)"
            reasons.append(_ended("violations", message, counts={"violations": run.least_violations}))
        if not searching:
            message = (
                f"local search was skipped: it compiles once per installation (up to {COMPILE_SECONDS} s), "
                "more than the time limit left; run `tablejam warmup` once"
            )
            reasons.append(_ended("compile", message))
        return run.no_schedule("unknown", reasons, "local-search+cp-sat", run.bound)
    return run.result()


def _ended(rule: str, message: str, **data: Any) -> Reason:
    return Reason(rule=rule, message=message, source="search", **data)


def _infeasible(problem: Problem, run: _Run) -> Schedule:
    """The answer when CP-SAT proved infeasibility: which rules conflict, if it can name them in time."""
    conflict = conflicting_rules(problem, run.left())
    if conflict:
        return run.no_schedule("infeasible", conflict, "cp-sat", preface=CP_SAT_CONFLICT)
    return run.no_schedule(
        "infeasible", [Reason(rule="unexplained", message=CP_SAT_INFEASIBLE, source="cp-sat")], "cp-sat"
    )


def _full_cp_sat(
    problem: Problem, hint: IndexSeating, run: _Run, seconds: float, log: Callable[[str], None] | None
) -> str:
    """CP-SAT on the whole model from `hint`: offers what it finds, tightens the bound, returns its status."""
    model = SeatingModel(problem)
    model.hint(hint)
    outcome = model.solve(
        run.settings, min(seconds, run.left()), log, known_bound=run.bound, stop=run.stop, on_solution=run.heard
    )
    if outcome.status == "infeasible" and run.best is not None:
        raise InternalError("CP-SAT claims infeasible, yet a valid schedule was found")
    if outcome.bound is not None:
        run.bound = min(run.bound, outcome.bound)
    if outcome.seating is not None:
        run.offer(problem, outcome.seating, outcome.status, "cp-sat", claimed=outcome.objective)  # type: ignore[arg-type]
    return outcome.status


def _alternate(
    problem: Problem, seating: IndexSeating, run: _Run, target: int | None, until_valid: bool
) -> IndexSeating:
    """Until the deadline (or, with `until_valid`, a valid schedule): CP-SAT neighbourhoods (repairing,
    then improving), then local search from the result, and again. Returns the last seating.

    Improving a valid schedule, neighbourhoods start with half of the time left; repairing, with a
    tenth, as local search has just failed where CP-SAT rarely succeeds (on golfer rungs it repaired
    none of 57 conflicts; the local search's walks are the better chance). A turn in which they
    improved nothing halves their share (down to a tenth)."""
    rng = random.Random(run.settings.seed)
    turn = 0
    lns_share = 0.5 if run.best is not None else 0.1
    while run.left() > 0.1 and not run.reached_bound() and not (until_valid and run.best is not None):
        turn += 1
        seconds = run.left() * lns_share
        lns = large_neighbourhood_search(
            problem, seating, time.perf_counter() + seconds, run.settings, rng, target,
            step_seconds=LNS_STEP_SECONDS, max_steps=run.lns_steps(seconds), stop=run.stop,
        )  # fmt: skip
        seating = lns.seating
        run.offer(problem, seating, "feasible", "cp-sat-lns")
        if not lns.improved:
            lns_share = max(0.1, lns_share / 2)
        if run.reached_bound() or run.left() <= 0.1 or (until_valid and run.best is not None):
            break
        search = parallel_local_search(problem, seating, run.walks(), seed=run.settings.seed + turn, target=target,
                                       **run.budget(run.left() * 0.5))  # fmt: skip
        seating = search.seating
        run.offer(problem, seating, "feasible", "local-search", search.valid_at)
    return seating


class _Run:
    """One solve's clock, settings, bound and best schedule so far."""

    def __init__(
        self, instance: Instance, settings: SolverSettings, stop: threading.Event, progress: Progress | None
    ) -> None:
        self.instance = instance
        self.settings = settings
        self.stop = stop
        self.progress = progress
        self.reported = -math.inf  # best objective told to `progress`
        self.scale = 1  # of local-search objectives, set once the problem is built
        self.fairness = 0
        self.started = time.perf_counter()
        self.deadline = self.started + settings.time_limit - FINISH_MARGIN_S
        self.bound = math.inf
        self.best: tuple[IndexSeating, Status, str, float] | None = None  # seating, status, engine, objective
        self.problem: Problem | None = None
        self.least_violations: int | None = None  # of the invalid seatings offered
        self.first_valid_s: float | None = None

    def left(self) -> float:
        if self.stop.is_set():
            return 0.0
        return max(0.0, self.deadline - time.perf_counter())

    def budget(self, seconds: float) -> dict[str, Any]:
        """Local-search budget: seconds, or with one worker a count of evaluations, so that the same
        seed gives the same schedule (the deadline still holds as a safety); the stop signal; and,
        where its objective is the true one (no fairness term), progress reports."""
        reports = self._heard_scaled if self.progress is not None and not self.fairness else None
        common = {"stop": self.stop, "on_valid": reports}
        if self.settings.workers == 1:
            evaluations = int(seconds * DETERMINISTIC_EVALUATIONS_PER_S)
            return {"seconds": self.left(), "max_evaluations": evaluations, **common}
        return {"seconds": seconds, "max_evaluations": None, **common}

    def walks(self) -> int:
        """Local searches run side by side: one per worker and core. One worker keeps a single walk,
        whose evaluation budget makes the run reproducible."""
        return max(1, min(self.settings.workers, os.cpu_count() or 1))

    def _heard_scaled(self, objective: int) -> None:
        self.heard(objective / self.scale, self.bound)

    def lns_steps(self, seconds: float) -> int | None:
        """With one worker, neighbourhoods are counted, not timed (each step is on CP-SAT's deterministic clock)."""
        return max(1, int(seconds / LNS_STEP_SECONDS)) if self.settings.workers == 1 else None

    def info(self, engine: str) -> SolverInfo:
        return SolverInfo(
            time_s=round(time.perf_counter() - self.started, 3),
            seed=self.settings.seed,
            workers=self.settings.workers,
            time_limit_s=self.settings.time_limit,
            engine=engine,
            ortools=ortools_version,
            interrupted=self.stop.is_set(),
            first_schedule_s=self.first_valid_s,
            least_violations=self.least_violations if self.best is None else None,
        )

    def offer(
        self,
        problem: Problem,
        seating: IndexSeating,
        status: Status,
        engine: str,
        found_at: float | None = None,
        claimed: float | None = None,
    ) -> None:
        """Keep `seating` if it is valid and better than the best so far. A `claimed` objective (CP-SAT's)
        must be the checker's: a difference means the model and the rules disagree."""
        report = check(problem.instance, problem.to_ids(seating))
        if claimed is not None and (report.stats is None or abs(report.stats.objective - claimed) > 1e-6):
            raise InternalError(f"CP-SAT objective {claimed} differs from the checker's {report.stats}")
        if not report.valid or report.stats is None:
            self.least_violations = min(self.least_violations or len(report.violations), len(report.violations))
            return
        objective = report.stats.objective
        if objective > self.bound + 1e-6:
            raise InternalError(f"bound {self.bound} is below the objective {objective} of a valid schedule")
        if self.first_valid_s is None:
            self.first_valid_s = round((found_at or time.perf_counter()) - self.started, 3)
        if self.best is None or objective > self.best[3] or (objective == self.best[3] and status == "optimal"):
            self.best = (seating, status, engine, objective)
            self.problem = problem
            self.heard(objective, self.bound)

    def heard(self, objective: float, bound: float) -> None:
        """Tell `progress` of a better objective (from any phase, or from CP-SAT's thread)."""
        self.bound = min(self.bound, bound)
        if self.progress is not None and objective > self.reported:
            self.reported = objective
            self.progress(round(time.perf_counter() - self.started, 3), objective, self.bound)

    def best_seating(self) -> IndexSeating | None:
        return None if self.best is None else self.best[0]

    def reached_bound(self) -> bool:
        return self.best is not None and self.best[3] >= self.bound - 1e-9

    def no_schedule(
        self, status: Status, reasons: list[Reason], engine: str, bound: float | None = None, preface: str | None = None
    ) -> Schedule:
        """No schedule: the reasons as data, and in words (after `preface`, which introduces them)."""
        explanation = [preface] if preface else []
        explanation += [reason.message for reason in reasons]
        return Schedule(
            instance=self.instance.name, status=status, rounds=[], bound=bound, explanation=explanation,
            reasons=reasons, solver=self.info(engine),
        )  # fmt: skip

    def result(self) -> Schedule:
        assert self.best is not None and self.problem is not None
        seating, status, engine, _ = self.best
        return seating_schedule(self.problem, seating, status, self.bound, self.info(engine))


CP_SAT_CONFLICT = "CP-SAT proved that these rules cannot all hold together:"
CP_SAT_INFEASIBLE = (
    "CP-SAT proved that no schedule satisfies every rule together; no single counting argument shows "
    "which rules conflict"
)


# The full CP-SAT model has about 2 clauses per (pair, round, table); beyond this size
# building and propagating it costs more than it brings in the time limits organisers use.
CP_SAT_MAX_PAIR_TABLE_ROUNDS = 600_000


def cp_sat_fits(problem: Problem) -> bool:
    return len(problem.pairs) * problem.rounds * problem.tables <= CP_SAT_MAX_PAIR_TABLE_ROUNDS


def seating_schedule(
    problem: Problem, seating: IndexSeating, status: Status, bound: float, solver: SolverInfo
) -> Schedule:
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
