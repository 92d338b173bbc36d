"""A proven upper bound that knows tables: column generation over table compositions, and a Lagrangian bound
valid at every iteration; and "price and branch", a schedule made of the columns found.

The method is Dantzig-Wolfe decomposition as used for clique partitioning and grouping problems (Mehrotra &
Trick 1998, "Cliques and clustering: a combinatorial approach"; Ji & Mitchell 2007 for clique partitioning
with size limits): a column is a group of people at a table of one kind in one round, feasible for that round's
rules (attendance, hosts at their table, capacity and minimum, sector caps, pairs kept apart). The master LP
(maximised, in the Problem's scaled integers) is

    max  sum_c w_c l_c  - sum_ij (v_ij + R) e_ij  + F z
    s.t. sum_{c in round r, c holds p} l_c = 1             for each round r and attending p        (pi_pr, free)
         sum_{c of kind k in round r} l_c = n_rk           for each round and kind of table         (mu_rk, free)
         sum_{c holds i and j} l_c - e_ij <= 1            for each pair that can meet for the first time
                                                          (sigma_ij >= 0; added lazily, once violated)
         z - sum_c a_pc l_c + sum_j e_pj <= 0               for each attending p, only with fairness (phi_p >= 0)
         l, e >= 0, 0 <= z <= z_max

with w_c the column's pair values (a first meeting's value v_ij, or -R for a pair that met before when repeats
are minimised), a_pc the first meetings of p in c, e_ij the meetings beyond the first (a pair's value
v*m - (v+R)*max(0, m-1) is concave in its meetings m, so this is exact for integer l), and, with repeats
forbidden, no e at all (at most one meeting). Every schedule is a 0/1 point of this LP, so its optimum is a bound.

The Lagrangian bound. Relax all rows but the kinds' counts with any multipliers (pi free; sigma, phi >= 0, and
sigma_ij <= v_ij + R + phi_i + phi_j where e exists): for every schedule the objective is at most

    L = sum pi + sum sigma + sum_rk n_rk * max_{group g of kind k in round r} W_r(g) + z_max * max(0, F - sum phi)

where W_r(g) = sum_{ij in g} (w_ij - sigma_ij + [first meeting] (phi_i + phi_j)) - sum_{p in g} pi_pr is the
pricing problem's value (so a column's reduced cost is W_r(g) - mu_rk). This holds for any multipliers, optimal
or not, so the bound is valid at every iteration and after a stop at any moment; with the LP's optimal duals and
pricing solved exactly it equals the LP optimum. Each max is bounded by a branch and bound (`pricing.best_groups`) whose
upper bound stays valid when its node budget runs out. Per round, a second bound holds as well: a person sits
in one group, so the groups' positive reduced costs add to at most sum_p max_{g holds p} rc(g)^+ / |g|.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tablejam.solver.bound.columns import Column, PairValues, feasible_group, seating_columns, table_kinds
from tablejam.solver.bound.master import Master
from tablejam.solver.bound.pricing import best_groups
from tablejam.solver.bounds import counting_bound
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating
from tablejam.solver.stop import Progress, Stop

# A reduced cost must exceed this to enter the master (in scaled objective units): below it, GLOP's own
# tolerances make the column's gain noise.
IMPROVING = 1e-6
# The bound is floored to an integer after adding this: every schedule's scaled objective is an integer, and
# the bound's floating-point error (sums of some 10^4 terms of size 10^2, about 1e-10) is far below it.
ROUNDING_SLACK = 1e-4
# Penalty per unit of artificial slack (times the largest pair value): the master is feasible from the start,
# whatever columns it has; the Lagrangian bound does not depend on this number being "big enough".
ARTIFICIAL_PENALTY = 10.0
# The pricing kernel's largest node budget per kind of table: about 0.1 s a call.
MOST_NODES = 320_000
# How often the caller's thread looks whether the column generation must stop, seconds.
POLL_S = 0.02


@dataclass
class BoundResult:
    """What the bound proved and learnt: the bound (instance units), the LP's columns, how far it got."""

    bound: float  # instance units; min of the Lagrangian bounds and the counting bound
    source: str  # "lp" when the table-aware bound won, else "counting"
    lp_value: float | None  # the restricted master's last value (instance units), no bound until priced
    iterations: int
    converged: bool  # pricing proved no improving column: the LP optimum is reached (up to the pair rows)
    seconds: float
    columns: list[Column] = field(default_factory=list)  # every column the master holds
    history: list[tuple[float, float]] = field(default_factory=list)  # (seconds, bound) at each improvement


@dataclass
class Multipliers:
    """Lagrange multipliers of the relaxed rows (any values with the right signs give a valid bound)."""

    pi: np.ndarray  # (rounds, people): partition rows; 0 where p is absent
    mu: np.ndarray  # (kinds,): the kinds' count rows (they only decide which columns count as improving)
    sigma: dict[int, float]  # pair row (by pair index) -> sigma >= 0
    phi: np.ndarray  # (people,): fairness rows, >= 0


class ColumnGeneration:
    """The restricted master LP (GLOP, warm-started as columns and rows are added) and its pricing.

    Use: `ColumnGeneration(problem)`, `add(columns)`, then `run(stop)`; `bound` is the best Lagrangian bound
    so far (scaled), valid whenever it is read."""

    def __init__(self, problem: Problem, node_budget: int = 20_000, keep: int = 20, smoothing: float = 0.8) -> None:
        self.problem = problem
        self.smoothing = smoothing
        self.master_seconds = 0.0  # time in GLOP
        self.lagrangian = math.inf  # the best Lagrangian bound so far (scaled), before the counting bound's min
        self.trace: list[float] = []  # every Lagrangian bound computed (scaled), each valid on its own
        self.start_centre: Multipliers | None = None
        self.log: Callable[[str], None] | None = None
        self.kinds = table_kinds(problem)
        self.kind_of = {(kind.round, kind.tables): k for k, kind in enumerate(self.kinds)}
        self.values = PairValues(problem)
        self.node_budget = node_budget
        self.keep = keep
        self.minimise = not problem.forbid_repeats
        self.scaled_counting = math.floor(counting_bound(problem) * problem.scale + ROUNDING_SLACK)
        self.bound = float(self.scaled_counting)  # scaled; the counting bound until the LP proves better
        self.source = "counting"
        self.iterations = 0
        self.converged = False
        self.lp_value: float | None = None
        self.started = time.perf_counter()
        self.history: list[tuple[float, float]] = []
        n = problem.people
        # Sector caps as arrays for the pricing kernel (uncapped sectors: a cap no table reaches).
        most = max(problem.capacity, default=0) + 1
        self.sector = np.asarray(problem.sector, dtype=np.int64)
        self.cap = np.asarray([most if c is None else c for c in problem.sector_cap] or [most], dtype=np.int64)
        # z_max: nobody meets more new people than their partners or their seats allow (the counting bound's k_p).
        partners = self.values.first.sum(axis=1)
        reach = [
            sum(max((problem.capacity[t] for t in problem.allowed[p][r]), default=1) - 1 for r in range(problem.rounds))
            for p in range(n)
        ]
        attending = [p for p in range(n) if any(problem.allowed[p])]
        self.attending = attending
        self.z_max = min((min(reach[p], int(partners[p])) for p in attending), default=0)
        self.pair_index = {(pair.i, pair.j): k for k, pair in enumerate(problem.pairs) if not pair.met_before}

        self.lp = Master()
        lp = self.lp
        # pi rows: each attendee in exactly one group per round.
        self.partition: dict[tuple[int, int], int] = {}
        for r in range(problem.rounds):
            for p in problem.attendees(r):
                self.partition[r, p] = lp.add_row(1, equal=True)
        # mu rows: n_rk groups of each kind.
        self.convexity: list[int] = [lp.add_row(kind.count, equal=True) for kind in self.kinds]
        self.complete = False  # the columns hold a whole schedule: the master is feasible without slacks
        # phi rows: z is at most each attendee's first meetings.
        self.fair: dict[int, int] = {}
        if problem.fairness:
            for p in attending:
                self.fair[p] = lp.add_row(0, equal=False)
            self.z = lp.add_var(problem.fairness, self.z_max, dict.fromkeys(self.fair.values(), 1.0))
        # sigma rows, added once violated: pair index -> row
        self.pair_rows: dict[int, int] = {}
        self.columns: list[Column] = []
        self.variables: list[int] = []
        self.known: set[tuple[int, tuple[int, ...]]] = set()
        self.columns_of: list[list[int]] = [[] for _ in range(n)]  # person -> indices of columns holding them
        if any(kind.minimum == 0 and kind.forced == 0 for kind in self.kinds):
            self.add(
                [Column(kind.round, kind.tables, ()) for kind in self.kinds if kind.minimum == 0 and kind.forced == 0]
            )

    # Building the master

    def add_schedule(self, seating: Seating) -> bool:
        """Add a schedule's groups as columns; True if they make a whole schedule (the master is then feasible
        as it is: no artificial slacks, whose large penalties would make the first duals meaningless)."""
        columns = seating_columns(self.problem, seating)
        self.add(columns)
        whole = all(
            (self.kind_of[c.round, c.tables], c.people) in self.known
            for c in columns
            if (c.round, c.tables) in self.kind_of
        ) and all(seating.table_of[r, p] >= 0 for r, p in self.partition)
        self.complete = self.complete or whole
        return whole

    def _add_artificials(self) -> None:
        """Slacks that keep the master feasible whatever its columns, at a penalty per person left out (the
        Lagrangian bound does not depend on the penalty being "big enough": it holds for any multipliers)."""
        problem = self.problem
        largest = max((abs(pair.value) for pair in problem.pairs), default=1) + problem.repeat_cost + problem.fairness
        penalty = ARTIFICIAL_PENALTY * largest * max(problem.capacity, default=1)
        for row in self.partition.values():
            self.lp.add_var(-penalty, 1, {row: 1})
        for kind, row in zip(self.kinds, self.convexity, strict=True):
            self.lp.add_var(-penalty * kind.capacity, kind.count, {row: 1})
        self.complete = True

    def add(self, columns: Sequence[Column]) -> int:
        """Add the columns the master lacks (infeasible ones are skipped); returns how many were added."""
        added = 0
        for column in columns:
            k = self.kind_of.get((column.round, column.tables))
            if k is None or (k, column.people) in self.known:
                continue
            if not feasible_group(self.problem, self.kinds[k], column.people, self.values):
                continue
            self._add(k, column)
            added += 1
        return added

    def _add(self, k: int, column: Column) -> None:
        kind = self.kinds[k]
        index = len(self.columns)
        people = column.people
        entries: dict[int, float] = {self.convexity[k]: 1.0}
        for p in people:
            entries[self.partition[kind.round, p]] = 1.0
            self.columns_of[p].append(index)
        for a, i in enumerate(people):
            for j in people[a + 1 :]:
                pk = self.pair_index.get((i, j))
                if pk is not None and pk in self.pair_rows:
                    entries[self.pair_rows[pk]] = 1.0
        if self.fair:
            first = self.values.first
            for p in people:
                new = sum(1 for q in people if first[p, q])
                if new:
                    entries[self.fair[p]] = -float(new)
        self.variables.append(self.lp.add_var(self.values.worth(people), math.inf, entries))
        self.columns.append(column)
        self.known.add((k, people))

    def _add_pair_row(self, i: int, j: int) -> None:
        """sum_{c holds i and j} l_c - e_ij <= 1 (without e when repeats are forbidden)."""
        problem = self.problem
        pk = self.pair_index[i, j]
        row = self.pair_rows[pk] = self.lp.add_row(1, equal=False)
        for c in set(self.columns_of[i]) & set(self.columns_of[j]):
            self.lp.set_coef(row, self.variables[c], 1)
        if self.minimise:
            entries = {row: -1.0} | {self.fair[p]: 1.0 for p in (i, j) if p in self.fair}
            self.lp.add_var(-(self.values.value[i, j] + problem.repeat_cost), math.inf, entries)

    def _violated_pairs(self) -> list[tuple[int, int]]:
        """Pairs that meet more than once in the LP's solution and have no row yet."""
        n = self.problem.people
        meets = np.zeros((n, n))
        x = self.lp.x
        for column, var in zip(self.columns, self.variables, strict=True):
            if x[var] > 1e-9 and len(column.people) > 1:
                idx = np.asarray(column.people)
                meets[np.ix_(idx, idx)] += x[var]
        over = np.argwhere(np.triu(meets > 1 + 1e-7, 1) & self.values.first)
        return [(int(i), int(j)) for i, j in over if self.pair_index[int(i), int(j)] not in self.pair_rows]

    def _solve_master(self, stop: Stop) -> bool:
        """Solve the restricted master, adding violated pair rows until none is left; False if GLOP gave up."""
        rows_added = False
        while True:
            seconds = stop.seconds_left()
            if seconds <= 0:
                return False
            began = time.perf_counter()
            solved = self.lp.solve(seconds, dual=rows_added)
            self.master_seconds += time.perf_counter() - began
            if not solved:
                return False
            violated = self._violated_pairs()
            if not violated:
                self.lp_value = self.lp.value
                return True
            for i, j in violated:
                self._add_pair_row(i, j)
            rows_added = True

    def multipliers(self) -> Multipliers:
        """The master's duals, clipped to the signs (and, with repeats minimised, the ceilings) under which the
        Lagrangian bound holds."""
        problem = self.problem
        pi = np.zeros((problem.rounds, problem.people))
        duals = self.lp.duals
        for (r, p), row in self.partition.items():
            pi[r, p] = duals[row]
        mu = np.asarray([duals[row] for row in self.convexity])
        phi = np.zeros(problem.people)
        for p, row in self.fair.items():
            phi[p] = max(0.0, duals[row])
        sigma: dict[int, float] = {}
        for pk, row in self.pair_rows.items():
            value = max(0.0, duals[row])
            if self.minimise:
                pair = problem.pairs[pk]
                # e_ij's coefficient in the Lagrangian, -(v + R) + sigma - phi_i - phi_j, must not be positive.
                value = min(value, pair.value + problem.repeat_cost + phi[pair.i] + phi[pair.j])
            if value > 0:
                sigma[pk] = value
        return Multipliers(pi, mu, sigma, phi)

    # Pricing and the bound

    def weights(self, duals: Multipliers) -> np.ndarray:
        """w_ij - sigma_ij + [first meeting] (phi_i + phi_j): a pair's worth in the pricing problem."""
        w = self.values.base.copy()
        for pk, value in duals.sigma.items():
            pair = self.problem.pairs[pk]
            w[pair.i, pair.j] -= value
            w[pair.j, pair.i] -= value
        if self.fair:
            w += self.values.first * (duals.phi[:, None] + duals.phi[None, :])
        return w

    def price(self, duals: Multipliers, stop: Stop, budget: int) -> tuple[float | None, list[Column], bool]:
        """Price every kind at these multipliers: the Lagrangian bound (None if stopped before every kind was
        priced), the improving columns found, and whether every pricing was exact (none ran out of budget)."""
        problem = self.problem
        w = self.weights(duals)
        total = float(duals.pi.sum()) + float(sum(duals.sigma.values()))
        if self.fair:
            total += self.z_max * max(0.0, problem.fairness - float(duals.phi.sum()))
        found: list[Column] = []
        exact = True
        for k, kind in enumerate(self.kinds):
            if stop.met(Progress(iterations=self.iterations)):
                return None, found, False
            idx = np.asarray(kind.candidates, dtype=np.int64)
            hi = min(kind.capacity, len(idx))
            if len(idx) < kind.minimum:
                return -math.inf, found, True  # no group of this kind exists: no schedule does
            _, upper, groups, _, nodes = best_groups(
                np.ascontiguousarray(w[np.ix_(idx, idx)]), duals.pi[kind.round, idx], self.sector[idx], self.cap,
                kind.minimum, hi, kind.forced, duals.mu[k] + IMPROVING, budget, self.keep,
            )  # fmt: skip
            exact = exact and nodes < budget
            total += kind.count * upper
            for group in groups:
                people = tuple(sorted(int(idx[a]) for a in group if a >= 0))
                found.append(Column(kind.round, kind.tables, people))
        return total, found, exact

    def reduced_cost(self, column: Column, duals: Multipliers, w: np.ndarray) -> float:
        """W(g) - mu: the column's reduced cost in the master at `duals` (w = self.weights(duals))."""
        idx = np.asarray(column.people, dtype=np.int64)
        k = self.kind_of[column.round, column.tables]
        inside = float(np.triu(w[np.ix_(idx, idx)], 1).sum()) if len(idx) > 1 else 0.0
        return inside - float(duals.pi[column.round, idx].sum()) - float(duals.mu[k])

    def improve(self, total: float) -> bool:
        """Keep the Lagrangian bound `total` (scaled) if it is the best so far."""
        if not math.isfinite(total):
            return False
        bound = math.floor(total + ROUNDING_SLACK)
        if bound < self.bound:
            self.bound = float(bound)
            self.source = "lp"
            self.history.append((time.perf_counter() - self.started, bound / self.problem.scale))
            return True
        return False

    def run(self, stop: Stop, on_bound: Callable[[float], None] | None = None) -> None:
        """Column generation until `stop` or convergence, keeping the best Lagrangian bound.

        Dual smoothing (Wentges 1997; Pessoa et al. 2018, "Automation and combination of linear-programming
        based stabilization techniques in column generation"): pricing happens at a point between the
        multipliers of the best bound so far (the centre) and the master's duals, which damps the duals'
        oscillation on these degenerate set-partitioning masters. A point that yields no column improving the
        master ("mis-pricing") is followed by pricing at the master's duals themselves."""
        if not self.complete:
            self._add_artificials()
        centre: Multipliers | None = self.start_centre
        budget = self.node_budget
        while not stop.met(Progress(iterations=self.iterations)):
            if not self._solve_master(stop):
                if self.log is not None:
                    self.log(f"master not solved: status {self.lp.status}")
                break
            duals = self.multipliers()
            if centre is None:
                point = duals
            elif self.iterations == 0:
                point = centre  # a given centre is priced as it is: its bound first
            else:
                point = _smoothed(centre, duals, self.smoothing)
            while True:
                total, found, exact = self.price(point, stop, budget)
                if total is None:
                    return
                if self.log is not None:
                    self.log(
                        f"{time.perf_counter() - self.started:.1f}s it {self.iterations} lp {self.lp_value:.1f} "
                        f"L {total:.1f} best {self.bound:.0f} columns {len(self.columns)} rows {len(self.pair_rows)} "
                        f"{'smoothed' if point is not duals else 'duals'} exact {exact} lp {self.master_seconds:.1f}s"
                    )
                self.trace.append(total)
                if self.improve(total) and on_bound is not None:
                    on_bound(self.bound / self.problem.scale)
                if total < self.lagrangian:  # the centre follows the best multipliers, also above the counting bound
                    self.lagrangian = total
                    centre = point
                w = self.weights(duals)
                improving = [c for c in found if self.reduced_cost(c, duals, w) > IMPROVING]
                self.add(found)
                if improving or point is duals:
                    break
                point = duals  # mis-pricing: the master's own duals decide
            self.iterations += 1
            if not improving:
                if exact:
                    self.converged = True  # no column improves the master: its value is the LP optimum
                    return
                # The pricing ran out of budget: search further before calling the LP solved (within a ceiling, so
                # that one kernel call stays short and a stop is heard soon).
                budget = min(2 * budget, MOST_NODES)
            if self.lp_value is not None and self.bound <= math.ceil(self.lp_value - ROUNDING_SLACK):
                self.converged = True  # the bound meets the master's value (the LP optimum lies between)
                return

    def result(self) -> BoundResult:
        scale = self.problem.scale
        return BoundResult(
            bound=self.bound / scale,
            source=self.source,
            lp_value=None if self.lp_value is None else self.lp_value / scale,
            iterations=self.iterations,
            converged=self.converged,
            seconds=time.perf_counter() - self.started,
            columns=list(self.columns),
            history=list(self.history),
        )


def share_multipliers(generation: ColumnGeneration, seating: Seating) -> Multipliers:
    """Multipliers that split each group of a schedule among its people: p's share in round r is half the values
    of the pairs p forms at its table. The schedule's groups then have reduced cost 0; a first centre for the
    dual smoothing far better than the duals of a degenerate master made of one schedule."""
    problem = generation.problem
    pi = np.zeros((problem.rounds, problem.people))
    base = np.where(np.isfinite(generation.values.base), generation.values.base, 0.0)
    for r in range(seating.rounds):
        for group in seating.groups(r):
            idx = np.asarray(group, dtype=np.int64)
            if len(idx):
                pi[r, idx] = 0.5 * base[np.ix_(idx, idx)].sum(axis=1)
    return Multipliers(pi, np.zeros(len(generation.kinds)), {}, np.zeros(problem.people))


def _smoothed(centre: Multipliers, duals: Multipliers, alpha: float) -> Multipliers:
    """alpha * centre + (1 - alpha) * duals (signs and ceilings hold for both, so for the mix)."""

    def mix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return alpha * a + (1 - alpha) * b

    sigma = {
        k: alpha * centre.sigma.get(k, 0.0) + (1 - alpha) * duals.sigma.get(k, 0.0)
        for k in centre.sigma.keys() | duals.sigma.keys()
    }
    return Multipliers(mix(centre.pi, duals.pi), mix(centre.mu, duals.mu), sigma, mix(centre.phi, duals.phi))


def lp_bound(
    problem: Problem,
    stop: Stop,
    on_bound: Callable[[float], None] | None = None,
    start: Seating | None = None,
    node_budget: int = 20_000,
) -> BoundResult:
    """A proven upper bound on the objective (instance units): the best Lagrangian bound of column generation
    over table compositions, never above the counting bound, valid whenever `stop` ends it.

    `start`: a known schedule whose groups become the first columns (with its columns, the master starts at
    the schedule's value instead of at artificial slacks). `on_bound(bound)` hears of each better bound."""
    generation = ColumnGeneration(problem, node_budget=node_budget)
    if start is not None:
        generation.add_schedule(start)
        generation.start_centre = share_multipliers(generation, start)
    # In a thread of its own: the caller's thread stays free to hear signals, and interrupts GLOP (which releases
    # the GIL) the moment `stop` is met instead of at its next time limit. The bound is valid at any moment, so
    # a worker still finishing a pricing call is not waited for.
    failed: list[BaseException] = []

    def work() -> None:
        try:
            generation.run(stop, on_bound)
        except BaseException as error:  # re-raised in the caller's thread
            failed.append(error)

    worker = threading.Thread(target=work, name="tablejam-lp-bound", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(POLL_S)
        if stop.met(Progress(iterations=generation.iterations)):
            generation.lp.interrupt()
            worker.join(POLL_S)
            break
    if failed:
        raise failed[0]
    return generation.result()
