"""solve(instance, settings) -> Schedule: the one entry point of the engine."""

from __future__ import annotations

import math
import os
import random
import threading
import time
from collections.abc import Callable

from ortools import __version__ as ortools_version

from tablejam.diagnostics.precheck import impossibilities
from tablejam.errors import InternalError
from tablejam.models.instance import Instance
from tablejam.models.reasons import reason
from tablejam.models.rules import Ending
from tablejam.models.schedule import Reason, Schedule, SolverInfo, Status
from tablejam.models.settings import SolverSettings
from tablejam.solver.bound import lp_bound, pricing
from tablejam.solver.bounds import counting_bound
from tablejam.solver.construct import greedy_schedule
from tablejam.solver.cpsat import BuildStopped, SeatingModel
from tablejam.solver.explain import conflicting_rules
from tablejam.solver.incumbent import Incumbent, Progress
from tablejam.solver.lns import large_neighbourhood_search
from tablejam.solver.local_search import parallel_local_search, relabel, search_ready
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, fitting_seats
from tablejam.solver.start import start_from
from tablejam.solver.stop import (
    Deadline,
    DeterministicTime,
    Interrupted,
    MaxEvaluations,
    MaxIterations,
    NoImprovement,
    Stop,
    Target,
    Valid,
)
from tablejam.solver.templates import JOINT_TABLES_MOST_S, design_template


def solve(
    instance: Instance,
    settings: SolverSettings | None = None,
    log: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
    start: Callable[[Problem], Seating] | None = None,
) -> Schedule:
    """Plan the event. Always returns a Schedule: with a seating when one was found,
    otherwise with status infeasible or unknown and an explanation. Raises InputError for an instance
    beyond the settings' size limits (max_participants, max_participant_rounds).

    `start` builds the first seating instead of the greedy construction (every attendee seated once
    per round at an allowed table, table sizes within their limits; other rules may still be broken).
    Without it, `settings.start` (a plan) gives the first seating: what fits of it, repaired. Either way the
    first seating is offered as it is, so a valid start comes back no worse, and the search starts from it.

    The phases: prechecks; a greedy start; local search; then, where the full CP-SAT model is
    small enough, CP-SAT on it (improving the incumbent and proving a bound), and otherwise
    CP-SAT on neighbourhoods (LNS) alternating with more local search. Every phase stops at the
    deadline or as soon as a schedule reaches the proven bound. Setting `stop` (from a signal
    handler or another thread) ends the solve promptly with the best schedule found so far.
    `progress(seconds, objective, bound)` hears of every better schedule as it is found."""
    settings = settings or SolverSettings()
    settings.admit(len(instance.participants), instance.rounds)  # too large: refused before anything is built
    run = _Run(instance, settings, stop or threading.Event())
    start = start or _plan_start(run.settings)
    run.restarts = start is None
    found = impossibilities(instance)
    if found:
        return run.no_schedule("infeasible", found, "precheck")

    problem = Problem.from_instance(instance)
    best = run.incumbent = Incumbent(problem, run.started, progress)
    best.tighten(counting_bound(problem), "counting")
    run.scale = problem.scale
    params = run.params
    # Where the local search is ready it repairs the greedy start far faster than the greedy's own repair.
    searched = search_ready()
    if start is None:
        seating = greedy_schedule(problem, run.settings.seed, repair=not searched, stop=run.clock())
    else:
        seating = start(problem)
    best.offer(seating, "greedy" if start is None else "start")
    if start is None and searched:
        seating = _better_start(problem, seating, run)

    fits = cp_sat_fits(problem, params.cp_sat_max_size)
    # Once stopped, only to find a first valid schedule (a chunk of search repairs a small event's start): building
    # a search and judging its result again take seconds on large events.
    if searched and (run.left() > 0 or best.best is None):
        share = params.local_search_share if fits else params.local_search_share_alone
        criteria = run.local_search_stop(run.left() * share)
        if fits:  # CP-SAT follows: local search hands over once it stops improving
            criteria |= NoImprovement(params.local_search_patience * problem.people * problem.rounds)
        search = parallel_local_search(problem, seating, run.walks(), criteria, run.settings.seed,
                                       on_valid=run.reports(), restart_after=run.restart_after(problem))  # fmt: skip
        seating = search.seating
        best.offer(seating, "local-search", found_at=search.valid_at)
    _table_bound(problem, run, log)

    if fits and not best.reached_bound():
        # A short full CP-SAT run first: small or over-constrained instances are proven optimal or infeasible
        # at once. Without the local search (still compiling), CP-SAT has all the time, in one run: a second
        # run would only repeat the first's presolve.
        probe = max(params.cp_sat_probe_s, params.cp_sat_probe_share * run.settings.time_limit)
        probe = min(run.left(), probe if searched else run.left())
        improve = not searched and best.best is not None  # a valid start, and no local search to improve it
        if _full_cp_sat(problem, best.seating() or seating, run, probe, log, improve) == "infeasible":
            return _infeasible(problem, run)
    if best.best is None:
        # No valid schedule yet: neighbourhoods repair what local search could not.
        seating = _alternate(problem, seating, run, until_valid=fits)
    if not best.reached_bound() and run.left() > 0.1:
        if fits and _full_cp_sat(problem, best.seating() or seating, run, run.left(), log) == "infeasible":
            return _infeasible(problem, run)
        # Neighbourhoods and local search: where CP-SAT's model is too large, and where it stopped early (one
        # worker: on its work budget, which leaves part of the time limit).
        _alternate(problem, best.seating() or seating, run, until_valid=False)

    if best.best is None:
        if run.stop.is_set():
            reasons = [reason(Ending.INTERRUPTED, "search", "search")]
        else:
            reasons = [reason(Ending.TIME_LIMIT, "search", "search", counts={"time_limit_s": run.settings.time_limit})]
        if best.least_violations is not None:
            counts = {"violations": best.least_violations}
            reasons.append(reason(Ending.VIOLATIONS, "search", "search", counts=counts))
        if not search_ready():
            reasons.append(reason(Ending.COMPILE, "search", "search"))
        return run.no_schedule("unknown", reasons, "local-search+cp-sat", best.bound)
    return best.schedule(run.info(best.best.engine))


def _plan_start(settings: SolverSettings) -> Callable[[Problem], Seating] | None:
    """The first seating from `settings.start`: what fits of the plan, repaired (None without a plan)."""
    plan = settings.start
    if plan is None:
        return None
    return lambda problem: start_from(problem, fitting_seats(problem, plan.rounds), settings.seed)


def _better_start(problem: Problem, seating: Seating, run: _Run) -> Seating:
    """A design laid over the event, where one fits: it repeats nothing, and trading its points serves the rest
    of the objective. The better of it and `seating` starts the search (on the Business Jam the design wins:
    6146 after 0.2 s of trading, against 5830 for the repaired greedy start)."""
    params = run.params
    if run.left() < params.design_least_s:
        return seating
    # A live design search only where its CP-SAT model is small; one worker: formulas and catalogue only.
    small = problem.people <= DESIGN_SEARCH_MOST_PEOPLE and not run.one_worker()
    deadline = time.perf_counter() + min(params.design_search_s, run.left() / 4) if small else None
    template = design_template(problem, run.settings.seed, deadline, min(JOINT_TABLES_MOST_S, run.left() / 4))
    laid_out = None
    if template is not None:
        # Rounds beyond the design's are the greedy start's, built around the design's meetings.
        laid_out = greedy_schedule(problem, run.settings.seed, given=template.seating(problem), repair=False)
        run.incumbent.offer(laid_out, "design")
    if run.incumbent.best is None:
        # A valid schedule soon, from the greedy start (trading a design's points may take seconds on large events).
        criteria = run.local_search_stop(run.left() * params.relabel_share) | Valid()
        repaired = parallel_local_search(problem, seating, run.walks(), criteria, run.settings.seed,
                                         restart_after=run.restart_after(problem))  # fmt: skip
        if run.incumbent.offer(repaired.seating, "local-search", found_at=repaired.valid_at):
            seating = repaired.seating
    if template is None or laid_out is None:
        return seating
    if run.left() == 0 and run.incumbent.best is not None:
        # Stopped with a valid schedule: trading would only build its state (seconds on large events) to trade nothing.
        return run.incumbent.seating() or laid_out
    # Trading stops where it stops paying: after as many trades without a better labelling as there are points
    # times RELABEL_PATIENCE (on the Business Jam the best labelling comes within 0.2 s).
    criteria = run.relabel_stop(run.left() * params.relabel_share) | NoImprovement(
        RELABEL_PATIENCE * len(template.label)
    )
    laid = relabel(problem, laid_out, template.point_tables(), template.label, criteria, run.settings.seed)
    run.incumbent.offer(laid.seating, "design")
    # The best valid start by the checker's count, where there is one; else the design's, which repeats nothing.
    return run.incumbent.seating() or laid.seating


# The live design search (CP-SAT over difference orbits) is for small events: the catalogue holds up to 64 points.
DESIGN_SEARCH_MOST_PEOPLE = 64
# Trades without a better labelling, per point, before the labelling is handed on.
RELABEL_PATIENCE = 200


def _table_bound(problem: Problem, run: _Run, log: Callable[[str], None] | None) -> None:
    """The table-aware bound (column generation over table compositions), for its share of the time left, once a
    valid schedule starts it (never before: the first schedule comes first) and only while one may beat the bound.

    Its bound is valid whenever it stops, so it ends at its share, the deadline, an interruption, or as soon as it
    meets the best schedule (nothing left to prove). Where the counting bound is already met (a golfer rung without
    repeats) it never starts."""
    best, params = run.incumbent, run.params
    seconds = run.left() * params.lp_bound_share
    if best.best is None or best.reached_bound() or problem.people > params.lp_bound_max_people:
        return
    if seconds < params.lp_bound_least_s or not pricing.ready():  # (compiled in the background with the search)
        return
    proven = threading.Event()
    criteria = run.clock() | Deadline(time.perf_counter() + seconds) | Interrupted(proven)
    if run.one_worker():
        criteria |= MaxIterations(max(1, int(seconds * params.lp_iterations_per_s)))

    def heard(bound: float) -> None:
        best.tighten(bound, "lp")
        if best.reached_bound():
            proven.set()

    result = lp_bound(problem, criteria, on_bound=heard, start=best.seating())
    if result.source == "lp":  # else it proved nothing beyond the counting bound it starts from
        best.tighten(result.bound, "lp")
    if log is not None:
        log(
            f"table-aware bound: {result.bound:g} ({result.source}) after {result.iterations} iterations in "
            f"{result.seconds:.2f} s of {seconds:.2f} s, LP value {result.lp_value}, converged {result.converged}"
        )


def _infeasible(problem: Problem, run: _Run) -> Schedule:
    """The answer when CP-SAT proved infeasibility: which rules conflict, if it can name them in time."""
    conflict = conflicting_rules(problem, run.clock())
    if conflict:
        return run.no_schedule("infeasible", conflict, "cp-sat", preface=CP_SAT_CONFLICT)
    return run.no_schedule("infeasible", [reason(Ending.UNEXPLAINED, "cp-sat", "cp-sat")], "cp-sat")


def _full_cp_sat(
    problem: Problem, hint: Seating, run: _Run, seconds: float, log: Callable[[str], None] | None, improve: bool = False
) -> str:
    """CP-SAT on the whole model from `hint`: offers what it finds, tightens the bound, returns its status.

    `improve`: only CP-SAT's neighbourhood workers, which improve a valid hint faster than the full portfolio
    but prove nothing (measured on the Business Jam, 4.3 s from the greedy start: 5984-6002 against 5950-5956)."""
    best = run.incumbent
    try:
        model = SeatingModel(problem, stop=run.clock())
    except BuildStopped:  # interrupted, or out of time, while building
        return "unknown"
    model.hint(hint)
    settings = run.settings
    if improve:
        settings = settings.model_copy(update={"cp_sat": {"use_lns_only": True, **settings.cp_sat}})
    outcome = model.solve(
        settings, run.cp_sat_stop(seconds), log, known_bound=best.bound,
        on_solution=lambda objective, bound: best.heard(objective, bound, "cp-sat"),
    )  # fmt: skip
    if outcome.status == "infeasible" and best.best is not None:
        raise InternalError("CP-SAT claims infeasible, yet a valid schedule was found")
    if outcome.bound is not None:
        best.tighten(outcome.bound, "cp-sat")
    if outcome.seating is not None:
        best.offer(outcome.seating, "cp-sat", outcome.status, exact=True, claimed=outcome.objective)  # type: ignore[arg-type]
    return outcome.status


def _alternate(problem: Problem, seating: Seating, run: _Run, until_valid: bool) -> Seating:
    """Until the deadline (or, with `until_valid`, a valid schedule): CP-SAT neighbourhoods (repairing,
    then improving), then local search from the result, and again. Returns the last seating.

    Improving a valid schedule, neighbourhoods start with half of the time left; repairing, with a
    tenth, as local search has just failed where CP-SAT rarely succeeds (on golfer rungs it repaired
    none of 57 conflicts; the local search's walks are the better chance). A turn in which they
    improved nothing halves their share (down to a tenth)."""
    best, params = run.incumbent, run.params
    rng = random.Random(run.settings.seed)
    turn = 0
    lns_share = params.lns_share_improving if best.best is not None else params.lns_share_repairing

    def done() -> bool:
        return run.left() <= 0.1 or best.reached_bound() or (until_valid and best.best is not None)

    while not done():
        turn += 1
        lns = large_neighbourhood_search(problem, seating, run.lns_stop(run.left() * lns_share), run.settings, rng,
                                         params.lns_step_s, run.lns_step_work())  # fmt: skip
        seating = lns.seating
        best.offer(seating, "cp-sat-lns")
        if not lns.improved:
            lns_share = max(params.lns_share_least, lns_share / 2)
        if done() or not search_ready():
            continue  # neighbourhoods again, until the local search is compiled
        criteria = run.local_search_stop(run.left() * params.local_search_share_between)
        search = parallel_local_search(problem, seating, run.walks(), criteria, run.settings.seed + turn,
                                       on_valid=run.reports(), restart_after=run.restart_after(problem))  # fmt: skip
        seating = search.seating
        best.offer(seating, "local-search", found_at=search.valid_at)
    return seating


class _Run:
    """One solve's settings, clock and stop signal, and the budgets of its phases."""

    incumbent: Incumbent

    def __init__(self, instance: Instance, settings: SolverSettings, stop: threading.Event) -> None:
        self.instance = instance
        self.settings = settings
        self.params = settings.params
        self.stop = stop
        self.started = time.perf_counter()
        margin = self.params.finish_margin_s + self.params.finish_margin_per_person_s * len(instance.participants)
        self.deadline = self.started + settings.time_limit - margin
        self.scale = 1  # of local-search objectives, set once the problem is built
        # A search stuck without a valid seating starts again from a new greedy start; not where the solve starts
        # from a given plan (a hand-edited one, or the printed one on the day), which it must repair, not replace.
        self.restarts = True

    def left(self) -> float:
        return self.clock().seconds_left()

    def clock(self) -> Stop:
        """The whole solve's deadline and its interruption: every phase stops at these."""
        return Stop(Deadline(self.deadline), Interrupted(self.stop))

    def one_worker(self) -> bool:
        """With one worker every phase is budgeted in work, not seconds, so the same seed gives the same schedule
        (the deadline still holds as a safety)."""
        return self.settings.workers == 1

    def target(self) -> Stop:
        """Stop once a valid seating reaches the bound: nothing better exists."""
        if not math.isfinite(self.incumbent.bound):
            return Stop()
        return Stop(Target(math.floor(self.incumbent.bound * self.scale + 1e-6)))

    def local_search_stop(self, seconds: float) -> Stop:
        if self.one_worker():
            # Iterations too: where nobody may move (everyone a host), iterations go on but evaluate nothing.
            work = int(seconds * self.params.evaluations_per_s)
            return self.clock() | self.target() | MaxEvaluations(work) | MaxIterations(work)
        return self.clock() | self.target() | Deadline(time.perf_counter() + seconds)

    def relabel_stop(self, seconds: float) -> Stop:
        """Trading a design's points for `seconds`; with one worker, the trades that stand for them."""
        if self.one_worker():
            return self.clock() | self.target() | MaxEvaluations(int(seconds * self.params.trades_per_s))
        return self.clock() | self.target() | Deadline(time.perf_counter() + seconds)

    def cp_sat_stop(self, seconds: float) -> Stop:
        return self.clock() | cp_sat_stop(self.settings, min(seconds, self.left()), self.stop)

    def lns_stop(self, seconds: float) -> Stop:
        """Neighbourhoods for `seconds`; with one worker, counted in steps (each a fixed amount of CP-SAT work)."""
        criteria = self.clock() | self.target() | Deadline(time.perf_counter() + seconds)
        if self.one_worker():
            criteria |= MaxIterations(max(1, int(seconds / self.params.lns_step_s)))
        return criteria

    def lns_step_work(self) -> float | None:
        return self.params.deterministic_time_per_s * self.params.lns_step_s if self.one_worker() else None

    def restart_after(self, problem: Problem) -> int | None:
        """Iterations a search stuck without a valid seating goes on before it starts again (None: never)."""
        iterations = self.params.local_search_restart * problem.people * problem.rounds
        return iterations if self.restarts and iterations else None

    def walks(self) -> int:
        """Local searches run side by side: one per worker and core. One worker keeps a single walk,
        whose evaluation budget makes the run reproducible."""
        return max(1, min(self.settings.workers, os.cpu_count() or 1))

    def reports(self) -> Callable[[int], None] | None:
        """What the local search tells of better valid seatings (scaled objectives): progress reports."""
        if self.incumbent.progress is None:
            return None
        best = self.incumbent
        return lambda objective: best.heard(objective / self.scale, best.bound, best.bound_source)

    def info(self, engine: str) -> SolverInfo:
        incumbent = getattr(self, "incumbent", None)
        return SolverInfo(
            time_s=round(time.perf_counter() - self.started, 3),
            seed=self.settings.seed,
            workers=self.settings.workers,
            time_limit_s=self.settings.time_limit,
            engine=engine,
            ortools=ortools_version,
            interrupted=self.stop.is_set(),
            first_schedule_s=incumbent.first_valid_s if incumbent else None,
            least_violations=incumbent.least_violations if incumbent and incumbent.best is None else None,
            bound_source=incumbent.bound_source if incumbent and math.isfinite(incumbent.bound) else None,
        )

    def no_schedule(
        self, status: Status, reasons: list[Reason], engine: str, bound: float | None = None, preface: str | None = None
    ) -> Schedule:
        """No schedule: the reasons as data, and in words (after `preface`, which introduces them)."""
        explanation = [preface] if preface else []
        explanation += [item.message for item in reasons]
        return Schedule(
            instance=self.instance.name, status=status, rounds=[], bound=bound, explanation=explanation,
            reasons=reasons, solver=self.info(engine),
        )  # fmt: skip


def cp_sat_stop(settings: SolverSettings, seconds: float, stop: threading.Event) -> Stop:
    """A CP-SAT run of `seconds`; with one worker, of the work that stands for them (reproducible), the
    seconds only a safety."""
    criteria = Stop(Deadline(time.perf_counter() + seconds), Interrupted(stop))
    if settings.workers == 1:
        criteria |= DeterministicTime(settings.params.deterministic_time_per_s * seconds)
    return criteria


CP_SAT_CONFLICT = "CP-SAT proved that these rules cannot all hold together:"


def cp_sat_fits(problem: Problem, max_size: int) -> bool:
    """Whether the full CP-SAT model (about 2 clauses per pair, round and table) is small enough to build and
    propagate in the time limits organisers use."""
    return problem.pair_count() * problem.rounds * problem.tables <= max_size
