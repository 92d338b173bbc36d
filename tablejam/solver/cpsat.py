"""The CP-SAT model: variables, one method per rule, the objective, and solving with a hint.

Pairs are modelled per round, not per round and table: meet[i, j, r] is linked to
the seat variables by 2 clauses per table, so the model grows with
pairs x rounds x tables in clauses but only pairs x rounds in variables.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tablejam.errors import InternalError
from tablejam.models.rules import RULES, Rule, registrar
from tablejam.models.settings import SolverSettings
from tablejam.solver.problem import Pair, Problem
from tablejam.solver.seating import Seating
from tablejam.solver.stop import Stop

STATUS_NAMES = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass
class Variables:
    """Typed access to the model's variables; nothing else touches raw variables."""

    # x[p, r, t]: participant p sits at table t in round r (only for tables p may use)
    seat: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    # meet[k, r]: the k-th pair of problem.pairs shares a table in round r
    meet: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    # first[k]: the k-th pair meets in some round (only for pairs that did not meet before)
    first: dict[int, cp_model.IntVar] = field(default_factory=dict)
    fewest_new: cp_model.IntVar | None = None
    # wished[k]: the k-th pair of problem.pairs, wished together, shares a table in some round
    wished: dict[int, cp_model.IntVar] = field(default_factory=dict)
    # occupied[r, t]: someone sits at table t in round r (made for quota minimums only)
    occupied: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)

    def seating(self, value: Callable[[cp_model.IntVar], int], problem: Problem) -> Seating:
        seating = Seating.empty(problem.rounds, problem.people, problem.tables)
        for (p, r, t), var in self.seat.items():
            if value(var):
                seating.table_of[r, p] = t
        return seating


Constraint = Callable[["SeatingModel"], None]
# The constraint methods of each rule of the instance (see SeatingModel.add_constraints).
CONSTRAINTS: dict[Rule, Constraint] = {}


_enforces = registrar(CONSTRAINTS)


class BuildStopped(Exception):
    """The model was still being built when its stop came (a signal, or the deadline)."""


class SeatingModel:
    """CP-SAT model of one instance (or of a part of it, when some seats are fixed)."""

    def __init__(
        self, problem: Problem, switches: bool = False, symmetry: bool = True, stop: Stop | None = None
    ) -> None:
        """`symmetry=False` leaves table labels free, for objectives that care which table is which. Building a
        large model takes seconds of Python: with `stop`, building ends early (BuildStopped) when it is met."""
        self.problem = problem
        self.symmetry = symmetry
        self._stop = stop
        self.model = cp_model.CpModel()
        self.vars = Variables()
        # With switches, each rule is enforced (per table, sector or pair) only if its own literal is true,
        # so that CP-SAT can name the rules behind an infeasibility (see explain.py). Keys: (rule, subject...).
        self.switches: dict[tuple[object, ...], cp_model.IntVar] | None = {} if switches else None
        # The tables each participant may take in each round: pins, closed tables and earlier seats are
        # constraints of their own here (see pins, closed_tables, no_revisits), so that a conflict can name them.
        # A neighbourhood's participants keep the tables its problem allows (pins included).
        self.allowed = problem.reach if problem.explicit_pairs is None and problem.reach else problem.allowed
        self._add_variables()
        self.add_constraints()
        self._objective = self._add_objective()
        self.scores_schedule = True  # the objective is the schedule's value (not so after prefer_seats)

    # Variables

    def _add_variables(self) -> None:
        problem, model = self.problem, self.model
        for p in range(problem.people):
            for r in range(problem.rounds):
                for t in self.allowed[p][r]:
                    self.vars.seat[p, r, t] = model.new_bool_var(f"x[p{p},r{r},t{t}]")
        for k, pair in enumerate(problem.pairs):
            if k % 4096 == 0:
                self._in_time()
            for r in range(problem.rounds):
                if self._common_tables(pair, r):
                    self.vars.meet[k, r] = model.new_bool_var(f"meet[{pair.i},{pair.j},r{r}]")
            if not pair.met_before:
                self.vars.first[k] = model.new_bool_var(f"first[{pair.i},{pair.j}]")

    def _common_tables(self, pair: Pair, r: int) -> set[int]:
        return set(self.allowed[pair.i][r]) & set(self.allowed[pair.j][r])

    def _seats_of(self, p: int, r: int) -> list[cp_model.IntVar]:
        return [self.vars.seat[p, r, t] for t in self.allowed[p][r]]

    def _seats_at(self, r: int, t: int, people: Sequence[int] | None = None) -> list[cp_model.IntVar]:
        everyone = range(self.problem.people) if people is None else people
        return [self.vars.seat[p, r, t] for p in everyone if (p, r, t) in self.vars.seat]

    # Constraints

    def add_constraints(self) -> None:
        """What links meetings to seats; the rules' constraints (in the registry's order of rules, each method
        once); then what tightens the model."""
        self.meetings_follow_seats()
        for constraint in dict.fromkeys(CONSTRAINTS[rule] for rule in RULES if rule in CONSTRAINTS):
            constraint(self)
        self.meetings_per_round()
        if self.symmetry:
            self.table_symmetry()

    @_enforces(Rule.HOST_AWAY)
    def one_seat_per_round(self) -> None:
        """Each attending participant sits at exactly one table per round (hosts: their own)."""
        for p in range(self.problem.people):
            for r in range(self.problem.rounds):
                if self.allowed[p][r]:
                    self.model.add_exactly_one(self._seats_of(p, r))

    @_enforces(Rule.CAPACITY, Rule.MINIMUM)
    def table_sizes(self) -> None:
        """Each table seats between its minimum and its capacity in every round it is open."""
        problem = self.problem
        for r in range(problem.rounds):
            for t in range(problem.tables):
                if (r, t) in problem.closed:
                    continue  # see closed_tables
                seated = sum(self._seats_at(r, t))
                if self.switches is None:
                    self.model.add_linear_constraint(seated, problem.minimum[t], problem.capacity[t])
                    continue
                self.model.add(seated <= problem.capacity[t]).only_enforce_if(self._switch(Rule.CAPACITY, t))
                if problem.minimum[t]:
                    self.model.add(seated >= problem.minimum[t]).only_enforce_if(self._switch(Rule.MINIMUM, t))

    @_enforces(Rule.SECTOR_CAP)
    def sector_caps(self) -> None:
        """At most the sector's cap of one sector at one table in one round."""
        problem = self.problem
        for s, cap in enumerate(problem.sector_cap):
            if cap is None:
                continue
            members = [p for p in range(problem.people) if problem.sector[p] == s]
            for r in range(problem.rounds):
                for t in range(problem.tables):
                    seats = self._seats_at(r, t, members)
                    if len(seats) > cap:
                        self.model.add(sum(seats) <= cap).only_enforce_if(self._switch(Rule.SECTOR_CAP, s))

    @_enforces(Rule.QUOTA)
    def quotas(self) -> None:
        """At most a quota's max, and at every occupied table at least its min, with its attribute value."""
        problem = self.problem
        for q, quota in enumerate(problem.quotas):
            members = sorted(quota.members)
            for r in range(problem.rounds):
                for t in range(problem.tables):
                    if (r, t) in problem.closed:
                        continue  # nobody sits there: no minimum, nothing to count
                    counted = self._seats_at(r, t, members)
                    if quota.max is not None and len(counted) > quota.max:
                        self.model.add(sum(counted) <= quota.max).only_enforce_if(self._switch(Rule.QUOTA, q, 1))
                    if quota.min:
                        where = [] if problem.minimum[t] else [self._occupied(r, t)]
                        # LinearExpr.sum: with nobody who counts, the table must stay empty (not a Python False)
                        self.model.add(cp_model.LinearExpr.sum(counted) >= quota.min).only_enforce_if(
                            [*where, *self._switch(Rule.QUOTA, q, 0)]
                        )

    def _occupied(self, r: int, t: int) -> cp_model.IntVar:
        """occupied[r, t] is true exactly when someone sits at table t in round r."""
        if (r, t) not in self.vars.occupied:
            seated = self._seats_at(r, t)
            occupied = self.vars.occupied[r, t] = self.model.new_bool_var(f"occupied[r{r},t{t}]")
            self.model.add_bool_or(seated).only_enforce_if(occupied)
            for seat in seated:
                self.model.add_implication(seat, occupied)
        return self.vars.occupied[r, t]

    @_enforces(Rule.WISH)
    def wishes(self) -> None:
        """wished[pair] is true exactly when a pair wished together shares a table in some round (exact in every
        solution, so that CP-SAT's objective is the checker's)."""
        for k in self._wished_pairs():
            if self.problem.wishes[self.problem.pairs[k].i, self.problem.pairs[k].j] > 0:
                meetings = self._meetings(k)
                wished = self.vars.wished[k] = self.model.new_bool_var(f"wished[{k}]")
                self.model.add(wished <= sum(meetings))
                for meeting in meetings:
                    self.model.add_implication(meeting, wished)

    def _wished_pairs(self) -> list[int]:
        """The indices in problem.pairs of pairs with a wish (pairs that can never meet are not there)."""
        wishes = self.problem.wishes
        return [k for k, pair in enumerate(self.problem.pairs) if (pair.i, pair.j) in wishes] if wishes else []

    @_enforces(Rule.COLLEAGUES, Rule.KEEP_APART)
    def apart(self) -> None:
        """Colleagues, keep-apart pairs (and, when repeats are forbidden, met-before pairs) never share a table."""
        for (i, j), rule in self.problem.apart.items():
            off = [switch.Not() for switch in self._switch(rule, i, j)]
            for r in range(self.problem.rounds):
                for t in set(self.allowed[i][r]) & set(self.allowed[j][r]):
                    self.model.add_bool_or([self.vars.seat[i, r, t].Not(), self.vars.seat[j, r, t].Not(), *off])

    @_enforces(Rule.TABLE_CLOSED)
    def closed_tables(self) -> None:
        """A table seats nobody in a round it is closed."""
        for r, t in sorted(self.problem.closed):
            seats = self._seats_at(r, t)
            if seats:
                self.model.add(sum(seats) == 0).only_enforce_if(self._switch(Rule.TABLE_CLOSED, t))

    @_enforces(Rule.PIN)
    def pins(self) -> None:
        """A pinned participant sits at the pin's table (a host pinned away from their table cannot)."""
        if self.allowed is self.problem.allowed:
            return  # a neighbourhood: the pins are its participants' allowed tables
        for (p, r), (t, k) in sorted(self.problem.pins.items()):
            on = self._switch(Rule.PIN, k)
            if (p, r, t) in self.vars.seat:
                self.model.add(self.vars.seat[p, r, t] == 1).only_enforce_if(on)
            else:
                self.model.add_bool_or([]).only_enforce_if(on)

    @_enforces(Rule.TOGETHER)
    def together(self) -> None:
        """A together pair sits at one table in every round both attend."""
        seat = self.vars.seat
        for i, j in sorted(self.problem.together):
            on = self._switch(Rule.TOGETHER, i, j)
            for r in range(self.problem.rounds):
                if not (self.allowed[i][r] and self.allowed[j][r]):
                    continue
                for t in set(self.allowed[i][r]) | set(self.allowed[j][r]):
                    if (i, r, t) in seat and (j, r, t) in seat:
                        self.model.add(seat[i, r, t] == seat[j, r, t]).only_enforce_if(on)
                    else:  # only one of them may sit there: neither does
                        self.model.add(seat.get((i, r, t), seat.get((j, r, t))) == 0).only_enforce_if(on)

    @_enforces(Rule.REVISIT)
    def no_revisits(self) -> None:
        """Under revisit_tables = 'forbid', nobody but a host sits at one table twice (or where they sat before)."""
        problem = self.problem
        # Earlier seats narrow `allowed`; where it is widened (to name them in a conflict) they are constraints here.
        before = problem.seated_before if self.allowed is not problem.allowed else frozenset()
        for p, bound in enumerate(problem.no_revisit):
            if not bound:
                continue
            on = self._switch(Rule.REVISIT, p)
            for t in range(problem.tables):
                visits = [self.vars.seat[p, r, t] for r in range(problem.rounds) if (p, r, t) in self.vars.seat]
                most = 0 if (p, t) in before else 1
                if len(visits) > most:
                    self.model.add(sum(visits) <= most).only_enforce_if(on)

    def meetings_follow_seats(self) -> None:
        """meet[i, j, r] is true exactly when i and j sit at the same table in round r."""
        seat = self.vars.seat
        away = {key: var.Not() for key, var in seat.items()}  # made once: each is used for many pairs
        for count, ((k, r), meet) in enumerate(self.vars.meet.items()):
            if count % 4096 == 0:
                self._in_time()
            pair = self.problem.pairs[k]
            for t in self.allowed[pair.i][r]:
                if (pair.j, r, t) in seat:
                    # both at t -> meet; meet and i at t -> j at t
                    self.model.add_bool_or([away[pair.i, r, t], away[pair.j, r, t], meet])
                    self.model.add_bool_or([meet.Not(), away[pair.i, r, t], seat[pair.j, r, t]])
                else:
                    self.model.add_bool_or([meet.Not(), away[pair.i, r, t]])

    def _in_time(self) -> None:
        if self._stop is not None and self._stop.met():
            raise BuildStopped

    @_enforces(Rule.REPEAT)
    def repeats(self) -> None:
        """first[pair] marks a first meeting; with repeats forbidden a pair meets at most once (met-before
        pairs never: they are among the pairs kept apart)."""
        for k in range(len(self.problem.pairs)):
            if k % 4096 == 0:
                self._in_time()
            meetings = self._meetings(k)
            if self.problem.forbid_repeats:
                # met-before pairs are kept apart (see apart), so first = the one meeting, if any
                self.model.add(self.vars.first[k] == sum(meetings)).only_enforce_if(self._switch(Rule.REPEAT))
            elif k in self.vars.first:
                # first = any meeting: exact in every solution, not only at the optimum, so that CP-SAT's
                # objective for a schedule is always the checker's
                first = self.vars.first[k]
                self.model.add(first <= sum(meetings))
                for meeting in meetings:
                    self.model.add_implication(meeting, first)

    def _switch(self, *group: object) -> list[cp_model.IntVar]:
        """The enforcement literals of a rule group: none normally; with switches, the group's own."""
        if self.switches is None:
            return []
        if group not in self.switches:
            self.switches[group] = self.model.new_bool_var(f"rule{group}")
        return [self.switches[group]]

    def meetings_per_round(self) -> None:
        """Redundant: in one round a participant meets at most (largest table they may use - 1) others.

        Implied by the seats, but it gives the LP relaxation a per-person view
        that tightens the objective bound considerably. Left out when rules are switched (explanations):
        it would hold the capacities even where their switches are off.
        """
        if self.switches is not None:
            return
        problem = self.problem
        met_in: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        for (k, r), meet in self.vars.meet.items():
            pair = problem.pairs[k]
            met_in.setdefault((pair.i, r), []).append(meet)
            met_in.setdefault((pair.j, r), []).append(meet)
        for (p, r), meets in met_in.items():
            most = max(problem.limits(r, t)[1] for t in problem.allowed[p][r]) - 1
            if len(meets) > most:
                self.model.add(sum(meets) <= most)

    def _meetings(self, k: int) -> list[cp_model.IntVar]:
        return [self.vars.meet[k, r] for r in range(self.problem.rounds) if (k, r) in self.vars.meet]

    def table_symmetry(self) -> None:
        """Identical host-free tables are interchangeable within each round: order them by first occupant.

        Valid because nothing links a table label across rounds except hosts, pins, closed rounds and
        the table's size limits (and revisits, when forbidden: then no tables are interchangeable), and
        together pairs move with their table: relabel the identical tables of one round so
        that they appear in order of their lowest-numbered occupant, and the
        k-th participant (in index order) sits at one of the first k+1 of them.
        """
        problem = self.problem
        for tables in interchangeable_tables(problem):
            for r in range(problem.rounds):
                if (r, tables[0]) in problem.closed:
                    continue  # the group is closed in this round (all of it: closures are part of its class)
                movable = [p for p in range(problem.people) if len(problem.allowed[p][r]) > 1]
                for k, p in enumerate(movable[: len(tables) - 1]):
                    for t in tables[k + 1 :]:
                        self.model.add(self.vars.seat[p, r, t] == 0)

    # Objective

    def _add_objective(self) -> cp_model.LinearExpr:
        """Maximise first-meeting value, minus repeat cost, plus fairness (all in scaled integers)."""
        problem = self.problem
        terms: list[cp_model.LinearExprT] = []
        for k, first in self.vars.first.items():
            terms.append(problem.pairs[k].value * first)
        if not problem.forbid_repeats and problem.repeat_cost:
            for k, pair in enumerate(problem.pairs):
                repeats = sum(self._meetings(k)) - (0 if pair.met_before else self.vars.first[k])
                terms.append(-problem.repeat_cost * repeats)
        if problem.fairness:
            terms.append(problem.fairness * self._fewest_new())
        for k in self._wished_pairs():
            weight = problem.wishes[problem.pairs[k].i, problem.pairs[k].j]
            terms.append(weight * self.vars.wished[k] if weight > 0 else weight * sum(self._meetings(k)))
        objective = sum(terms) + problem.together_wishes()
        self.model.maximize(objective)
        return objective

    def prefer_seats(self, preferred: dict[tuple[int, int], int], at_least: int) -> None:
        """Instead: keep the score at `at_least` (scaled) or more, and seat as many (p, r) at `preferred`
        tables as possible (re-planning: move as few people as possible)."""
        self.model.add(self._objective >= at_least)
        self.scores_schedule = False
        seat = self.vars.seat
        self.model.maximize(sum(seat[p, r, t] for (p, r), t in preferred.items() if (p, r, t) in seat))

    def _fewest_new(self) -> cp_model.IntVar:
        problem = self.problem
        new_of: dict[int, list[cp_model.IntVar]] = {p: [] for p in range(problem.people)}
        for k, first in self.vars.first.items():
            new_of[problem.pairs[k].i].append(first)
            new_of[problem.pairs[k].j].append(first)
        fewest = self.model.new_int_var(0, problem.people, "fewest_new")
        # The minimum itself, not a bound on it: exact in every solution, as the checker counts it.
        counts = [sum(firsts) for p, firsts in new_of.items() if any(problem.allowed[p])]
        self.model.add_min_equality(fewest, counts or [0])
        self.vars.fewest_new = fewest
        return fewest

    # Hints and solving

    def hint(self, seating: Seating) -> None:
        """Hint a full schedule: seats, meetings and first meetings, so the hint is complete."""
        self.model.clear_hints()
        if self.symmetry:
            seating = canonical_tables(self.problem, seating)
        table_of = seating.table_of.tolist()
        for (p, r, t), var in self.vars.seat.items():
            self.model.add_hint(var, table_of[r][p] == t)
        met: dict[int, int] = {}
        for (k, r), var in self.vars.meet.items():
            pair = self.problem.pairs[k]
            together = table_of[r][pair.i] >= 0 and table_of[r][pair.i] == table_of[r][pair.j]
            self.model.add_hint(var, together)
            met[k] = met.get(k, 0) + together
        for k, var in (*self.vars.first.items(), *self.vars.wished.items()):
            self.model.add_hint(var, met.get(k, 0) > 0)
        for (r, t), var in self.vars.occupied.items():
            self.model.add_hint(var, bool((seating.table_of[r] == t).any()))
        if self.vars.fewest_new is not None:
            new_count = [0] * self.problem.people
            for k in self.vars.first:
                if met.get(k, 0):
                    new_count[self.problem.pairs[k].i] += 1
                    new_count[self.problem.pairs[k].j] += 1
            attending = [new_count[p] for p in range(self.problem.people) if any(self.problem.allowed[p])]
            self.model.add_hint(self.vars.fewest_new, min(attending, default=0))

    def solve(
        self,
        settings: SolverSettings,
        stop: Stop,
        log: Callable[[str], None] | None = None,
        known_bound: float | None = None,
        on_solution: Callable[[float, float], None] | None = None,
    ) -> Outcome:
        """Search until `stop`: its earliest deadline, its deterministic time (CP-SAT's work clock, for
        reproducible one-worker runs), or its interrupt events (set by a signal handler: CP-SAT runs in a
        thread so that the main thread, where Python handles signals, stays free to notice). Also stop
        once a schedule reaches `known_bound` (a bound proven elsewhere: as a constraint it would slow
        down the search for a first schedule). `on_solution(objective, bound)` hears of every schedule
        CP-SAT finds, from CP-SAT's thread."""
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(0.01, min(stop.seconds_left(), 1e9))
        params.num_workers = settings.workers
        params.random_seed = settings.seed
        work = stop.deterministic_time()
        if work is not None:
            # Reproducible: stop on CP-SAT's deterministic clock, the wall clock only as a safety.
            params.interleave_search = False
            params.max_deterministic_time = max(0.01, work)
        for name, value in settings.cp_sat.items():
            setattr(params, name, value)
        if log is not None:
            params.log_search_progress = True
            params.log_to_stdout = False  # stdout belongs to the output document
            solver.log_callback = log
        started = time.perf_counter()
        target = None if known_bound is None else math.floor(known_bound * self.problem.scale + 1e-6)
        statuses: list[cp_model.CpSolverStatus] = []
        callback = _OnSolution(target, self.problem.scale, on_solution)
        worker = threading.Thread(target=lambda: statuses.append(solver.solve(self.model, callback)))
        worker.start()
        while worker.is_alive():
            worker.join(0.05)
            # The deadline too, not only CP-SAT's own max_time_in_seconds: on a loaded machine CP-SAT was seen
            # to end 0.4-2.9 s past it (its clock starts when its thread runs; presolve checks it seldom).
            if stop.seconds_left() <= 0:  # (0 once interrupted)
                solver.stop_search()
        worker.join()
        status = statuses[0]
        seconds = time.perf_counter() - started
        if status == cp_model.MODEL_INVALID:
            raise InternalError(f"invalid CP-SAT model: {self.model.validate()}")
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        return Outcome(
            status=STATUS_NAMES[status],
            seating=self.vars.seating(solver.boolean_value, self.problem) if found else None,
            objective=solver.objective_value / self.problem.scale if found and self.scores_schedule else None,
            bound=solver.best_objective_bound / self.problem.scale if found and self.scores_schedule else None,
            seconds=seconds,
        )


class _OnSolution(cp_model.CpSolverSolutionCallback):
    """Reports each improving schedule (scaled back to the instance's units), and ends the search when
    one reaches a bound proven elsewhere."""

    def __init__(self, target: int | None, scale: int, report: Callable[[float, float], None] | None) -> None:
        super().__init__()
        self.target = target
        self.scale = scale
        self.report = report

    def on_solution_callback(self) -> None:
        if self.report is not None:
            self.report(self.objective_value / self.scale, self.best_objective_bound / self.scale)
        if self.target is not None and self.objective_value >= self.target - 1e-9:
            self.stop_search()


def interchangeable_tables(problem: Problem) -> list[list[int]]:
    """Groups (of two or more) of tables with equal size limits, open in the same rounds, and no host or pin:
    relabelling them in one round changes nothing. None where nobody may sit at a table twice: that rule links
    a table's label across rounds."""
    if any(problem.no_revisit):
        return []
    hosted = {
        problem.allowed[p][r][0]
        for p in range(problem.people)
        for r in range(problem.rounds)
        if len(problem.allowed[p][r]) == 1
    }
    classes: dict[tuple[int, int, tuple[int, ...]], list[int]] = {}
    for t in range(problem.tables):
        if t not in hosted:
            closed = tuple(r for r in range(problem.rounds) if (r, t) in problem.closed)
            classes.setdefault((problem.capacity[t], problem.minimum[t], closed), []).append(t)
    return [tables for tables in classes.values() if len(tables) > 1]


def canonical_tables(problem: Problem, seating: Seating) -> Seating:
    """The same schedule with interchangeable tables relabelled per round as table_symmetry() demands:
    in order of their lowest-numbered movable occupant, empty tables last."""
    result = seating.copy()
    for tables in interchangeable_tables(problem):
        for r in range(seating.rounds):
            groups = seating.groups(r)
            ordered = sorted((groups[t] for t in tables), key=lambda seated: min(seated, default=problem.people))
            for t, seated in zip(tables, ordered, strict=True):
                result.table_of[r, seated] = t
    return result


@dataclass
class Outcome:
    status: str
    seating: Seating | None
    objective: float | None
    bound: float | None
    seconds: float
