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
pricing solved exactly it equals the LP optimum. Each max is bounded by a branch and bound (`_price`) whose
upper bound stays valid when its node budget runs out. Per round, a second bound holds as well: a person sits
in one group, so the groups' positive reduced costs add to at most sum_p max_{g holds p} rc(g)^+ / |g|.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numba import njit
from ortools.sat.python import cp_model
from scipy import sparse
from scipy.optimize import linprog

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


@dataclass(frozen=True)
class Kind:
    """Tables interchangeable in one round: same size limits, and every attendee may use all of them or none."""

    round: int
    tables: tuple[int, ...]
    capacity: int
    minimum: int
    candidates: tuple[int, ...]  # attendees of the round who may sit at these tables (forced ones first)
    forced: int  # how many of the first candidates must sit here (hosts of a table of its own)

    @property
    def count(self) -> int:
        return len(self.tables)


@dataclass(frozen=True)
class Column:
    """A group of people at one table of a kind in one round: the round, the kind's tables (any of which it may
    take), and the people in index order."""

    round: int
    tables: tuple[int, ...]
    people: tuple[int, ...]


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


def table_kinds(problem: Problem) -> list[Kind]:
    """Per round, the tables grouped into kinds: equal capacity and minimum, and the same attendees allowed.

    Tables of one kind are interchangeable within the round (the aggregated convexity row is then valid), and
    a host's table is a kind of its own, with the host forced into every group of it."""
    kinds: list[Kind] = []
    for r in range(problem.rounds):
        attendees = problem.attendees(r)
        signature: dict[tuple[object, ...], list[int]] = {}
        allowed_at: list[set[int]] = [set() for _ in range(problem.tables)]
        for p in attendees:
            for t in problem.allowed[p][r]:
                allowed_at[t].add(p)
        for t in range(problem.tables):
            key = (problem.capacity[t], problem.minimum[t], frozenset(allowed_at[t]))
            signature.setdefault(key, []).append(t)
        for (capacity, minimum, allowed), tables in signature.items():
            forced = sorted(p for p in allowed if len(tables) == 1 and problem.allowed[p][r] == (tables[0],))
            free = sorted(p for p in allowed if p not in set(forced))
            kinds.append(Kind(r, tuple(tables), capacity, minimum, tuple(forced + free), len(forced)))
    return kinds


class _Values:
    """Pair values in dense matrices (people x people): what a group is worth, and which pairs may sit together."""

    def __init__(self, problem: Problem) -> None:
        n = problem.people
        self.base = np.full((n, n), -np.inf)  # w_ij; -inf: never at one table (kept apart, or cannot meet)
        self.first = np.zeros((n, n), dtype=bool)  # i and j can meet for the first time
        self.value = np.zeros((n, n))  # v_ij of a first meeting
        minimise = not problem.forbid_repeats
        for pair in problem.pairs:
            w = -problem.repeat_cost if pair.met_before else pair.value
            self.base[pair.i, pair.j] = self.base[pair.j, pair.i] = w
            if not pair.met_before:
                self.first[pair.i, pair.j] = self.first[pair.j, pair.i] = True
                self.value[pair.i, pair.j] = self.value[pair.j, pair.i] = pair.value
        # With repeats minimised a pair met before is worth -R each time; with repeats forbidden it is kept apart.
        assert minimise or not any(pair.met_before for pair in problem.pairs)

    def worth(self, people: Sequence[int]) -> float:
        """w_c: the sum of the pair values of a group (first meetings, and -R for pairs that met before)."""
        idx = np.asarray(people, dtype=np.int64)
        return float(np.triu(self.base[np.ix_(idx, idx)], 1).sum()) if len(idx) > 1 else 0.0


def feasible_group(problem: Problem, kind: Kind, people: Sequence[int], values: _Values) -> bool:
    """Whether `people` may form a group of `kind`: the kind's candidates, its forced ones, size limits, sector
    caps, no pair kept apart."""
    group = set(people)
    if len(group) != len(people) or not kind.minimum <= len(group) <= kind.capacity:
        return False
    if not group <= set(kind.candidates) or not set(kind.candidates[: kind.forced]) <= group:
        return False
    counts: dict[int, int] = {}
    for p in group:
        s = problem.sector[p]
        if s >= 0:
            counts[s] = counts.get(s, 0) + 1
            cap = problem.sector_cap[s]
            if cap is not None and counts[s] > cap:
                return False
    idx = np.asarray(sorted(group), dtype=np.int64)
    block = values.base[np.ix_(idx, idx)]
    return bool(np.isfinite(block[~np.eye(len(idx), dtype=bool)]).all())


# Pricing: the best group under the duals, by branch and bound.


@njit(cache=True)
def _top_sums(w: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """For each candidate q: exact[q, k] = the sum of q's k largest finite values in w[q] (-inf when q has fewer
    than k possible partners) and positive[q, k] = the sum of the k largest positive ones (non-decreasing in k)."""
    m = w.shape[0]
    exact = np.full((m, most + 1), -np.inf)
    positive = np.zeros((m, most + 1))
    top = np.empty(most + 1)
    for q in range(m):
        exact[q, 0] = 0.0
        size = 0
        for x in range(m):
            if x == q:
                continue
            value = w[q, x]
            if value == -np.inf:
                continue
            # insertion into the descending list top[:size], kept at `most` entries
            if size < most:
                k = size
                size += 1
            elif value > top[most - 1]:
                k = most - 1
            else:
                continue
            while k > 0 and top[k - 1] < value:
                top[k] = top[k - 1]
                k -= 1
            top[k] = value
        total = 0.0
        total_positive = 0.0
        for k in range(size):
            total += top[k]
            exact[q, k + 1] = total
            if top[k] > 0:
                total_positive += top[k]
            positive[q, k + 1] = total_positive
        for k in range(size, most):
            positive[q, k + 1] = total_positive
    return exact, positive


@njit(cache=True)
def _top_total(scores: np.ndarray, usable: np.ndarray, start: int, m: int, buffer: np.ndarray) -> float:
    """The sum of the m largest scores[q] over usable q >= start; -inf when fewer than m are usable."""
    if m == 0:
        return 0.0
    size = 0
    for q in range(start, scores.shape[0]):
        if not usable[q]:
            continue
        value = scores[q]
        if size < m:
            k = size
            size += 1
        elif value > buffer[m - 1]:
            k = m - 1
        else:
            continue
        while k > 0 and buffer[k - 1] < value:
            buffer[k] = buffer[k - 1]
            k -= 1
        buffer[k] = value
    if size < m:
        return -np.inf
    total = 0.0
    for k in range(m):
        total += buffer[k]
    return total


@njit(cache=True)
def _node_bound(
    f: float,
    size: int,
    gains: np.ndarray,
    usable: np.ndarray,
    start: int,
    lo: int,
    hi: int,
    exact: np.ndarray,
    positive: np.ndarray,
    scores: np.ndarray,
    buffer: np.ndarray,
) -> float:
    """An upper bound on the best group that extends the partial group (value f, `size` people) with candidates
    at positions >= start: for m more people T, sum_{q in T} gain_q + sum_{qq' in T} w_qq' is at most the m
    largest of gain_q + (sum of q's m-1 best partners) / 2, each pair being counted by both of its people."""
    best = f if size >= lo else -np.inf
    for m in range(max(1, lo - size), hi - size + 1):
        for q in range(start, gains.shape[0]):
            if usable[q]:
                scores[q] = gains[q] + 0.5 * exact[q, m - 1]
        total = _top_total(scores, usable, start, m, buffer)
        if f + total > best:
            best = f + total
    return best


@njit(cache=True)
def _price(
    w: np.ndarray,
    pi: np.ndarray,
    sector: np.ndarray,
    cap: np.ndarray,
    lo: int,
    hi: int,
    forced: int,
    threshold: float,
    budget: int,
    keep: int,
) -> tuple[float, float, np.ndarray, np.ndarray, int]:
    """The best group: max over groups g of sum_{i<j in g} w_ij - sum_{i in g} pi_i, with lo <= |g| <= hi, the
    first `forced` candidates in every group, at most cap[s] of sector s (sector -1: none), no pair with
    w = -inf. Depth-first branch and bound over candidates in order of their root bound.

    Returns (best value found, upper bound on the best value, groups, their values, nodes): up to `keep` groups
    worth more than `threshold`, the best first. The upper bound is valid also when the node budget runs out:
    each level of the search then adds the bound of the children it has not tried."""
    m = w.shape[0]
    nsec = cap.shape[0]
    groups = np.full((keep, hi), -1, dtype=np.int64)
    values = np.full(keep, -np.inf)
    found = 0
    # The forced people: their own value, and what each candidate gains with them.
    f0 = 0.0
    counts0 = np.zeros(nsec, dtype=np.int64)
    for a in range(forced):
        f0 -= pi[a]
        if sector[a] >= 0:
            counts0[sector[a]] += 1
        for b in range(a):
            f0 += w[a, b]
    if forced > hi or np.isinf(f0):
        return -np.inf, -np.inf, groups, values, 0
    for s in range(nsec):
        if counts0[s] > cap[s]:
            return -np.inf, -np.inf, groups, values, 0
    free = m - forced
    g0 = np.empty(free)
    for q in range(free):
        g0[q] = -pi[forced + q]
        for a in range(forced):
            g0[q] += w[a, forced + q]
    wf = np.ascontiguousarray(w[forced:, forced:])
    most = max(0, hi - forced - 1)
    exact, positive = _top_sums(wf, most)
    # Candidates in order of their root bound (best first): good groups early, weak tails pruned early.
    root = np.empty(free)
    for q in range(free):
        root[q] = g0[q] + 0.5 * positive[q, most]
    order = np.argsort(-root)
    wo = np.empty((free, free))
    for a in range(free):
        for b in range(free):
            wo[a, b] = wf[order[a], order[b]]
    exact = exact[order]
    positive = positive[order]
    so = sector[forced:][order]

    depth_most = hi - forced
    gains = np.empty((depth_most + 1, free))
    counts = np.zeros((depth_most + 1, nsec), dtype=np.int64)
    usable = np.zeros((depth_most + 1, free), dtype=np.bool_)
    value = np.empty(depth_most + 1)
    chosen = np.empty(depth_most + 1, dtype=np.int64)
    position = np.empty(depth_most + 1, dtype=np.int64)
    scores = np.empty(free)
    buffer = np.empty(hi + 1)
    for q in range(free):
        gains[0, q] = g0[order[q]]
    counts[0] = counts0
    value[0] = f0
    for q in range(free):
        usable[0, q] = gains[0, q] > -np.inf and (so[q] < 0 or counts0[so[q]] < cap[so[q]])

    best = -np.inf
    cutoff = threshold  # a group must beat this to be kept; a node whose bound does not is pruned
    if forced >= lo:  # the forced people alone
        best = f0
        if f0 > cutoff:
            for a in range(forced):
                groups[0, a] = a
            values[0] = f0
            found = 1
    upper = -np.inf  # bounds of subtrees left unexplored when the budget ran out
    nodes = 0
    depth = 0
    position[0] = 0
    size0 = forced
    root_bound = _node_bound(f0, forced, gains[0], usable[0], 0, lo, hi, exact, positive, scores, buffer)
    if root_bound <= cutoff or forced >= hi:
        return best, max(best, root_bound), groups[:found], values[:found], 0
    while depth >= 0:
        size = size0 + depth
        if nodes >= budget:
            # Out of budget: each open level is bounded by its untried children (positions >= position[d]).
            for d in range(depth, -1, -1):
                bound = _node_bound(
                    value[d], size0 + d, gains[d], usable[d], position[d], lo, hi, exact, positive, scores, buffer
                )
                if bound > upper:
                    upper = bound
            break
        q = position[depth]
        if q >= free or size >= hi:
            depth -= 1
            continue
        position[depth] = q + 1
        if not usable[depth, q]:
            continue
        nodes += 1
        child = value[depth] + gains[depth, q]
        chosen[depth] = q
        if size + 1 >= lo and child > best:
            best = child
        if size + 1 >= lo and child > cutoff:
            # keep the group among the `keep` best (values descending)
            k = found if found < keep else keep - 1
            if found < keep or child > values[keep - 1]:
                while k > 0 and values[k - 1] < child:
                    values[k] = values[k - 1]
                    groups[k] = groups[k - 1]
                    k -= 1
                values[k] = child
                groups[k, :] = -1
                for a in range(forced):
                    groups[k, a] = a
                for d in range(depth + 1):
                    groups[k, forced + d] = forced + order[chosen[d]]
                if found < keep:
                    found += 1
                if found == keep and values[keep - 1] > cutoff:
                    cutoff = values[keep - 1]
        if size + 1 >= hi:
            continue
        # Descend: gains and usable candidates after q.
        d1 = depth + 1
        for s in range(nsec):
            counts[d1, s] = counts[depth, s]
        if so[q] >= 0:
            counts[d1, so[q]] += 1
        for x in range(q + 1, free):
            gains[d1, x] = gains[depth, x] + wo[q, x]
            usable[d1, x] = (
                usable[depth, x] and gains[d1, x] > -np.inf and (so[x] < 0 or counts[d1, so[x]] < cap[so[x]])
            )
        value[d1] = child
        bound = _node_bound(child, size + 1, gains[d1], usable[d1], q + 1, lo, hi, exact, positive, scores, buffer)
        if bound > cutoff:
            depth = d1
            position[d1] = q + 1
    # Every pruned node was bounded by `cutoff` (which never exceeds the best group kept, or the threshold).
    return best, max(best, cutoff, upper), groups[:found], values[:found], nodes


# The master LP and the column generation loop.


@dataclass
class Multipliers:
    """Lagrange multipliers of the relaxed rows (any values with the right signs give a valid bound)."""

    pi: np.ndarray  # (rounds, people): partition rows; 0 where p is absent
    mu: np.ndarray  # (kinds,): the kinds' count rows (they only decide which columns count as improving)
    sigma: dict[int, float]  # pair row (by pair index) -> sigma >= 0
    phi: np.ndarray  # (people,): fairness rows, >= 0


class _Master:
    """A linear program grown by rows and columns, solved by HiGHS (scipy.optimize.linprog) from its sparse
    triplets: maximise cost.x subject to rows lo <= A x <= hi (each row an equality or an upper bound) and
    bounds on x. Rebuilt at each solve: HiGHS's dual simplex on these masters (some 10^2-10^4 rows, 10^3-10^5
    columns) takes milliseconds to seconds, which measured faster here than GLOP's incremental re-solves."""

    def __init__(self) -> None:
        self.row_hi: list[float] = []
        self.row_equal: list[bool] = []
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.rows: list[int] = []  # triplets (row, var, coefficient)
        self.vars: list[int] = []
        self.coefs: list[float] = []
        self.x = np.zeros(0)
        self.duals = np.zeros(0)
        self.value = -math.inf

    def add_row(self, hi: float, equal: bool) -> int:
        self.row_hi.append(hi)
        self.row_equal.append(equal)
        return len(self.row_hi) - 1

    def add_var(self, cost: float, upper: float, entries: dict[int, float]) -> int:
        var = len(self.cost)
        self.cost.append(cost)
        self.upper.append(upper)
        for row, coef in entries.items():
            self.set_coef(row, var, coef)
        return var

    def set_coef(self, row: int, var: int, coef: float) -> None:
        self.rows.append(row)
        self.vars.append(var)
        self.coefs.append(coef)

    def solve(self, seconds: float) -> bool:
        """Solve; False if HiGHS did not reach the optimum (time limit, numerical trouble)."""
        rows = np.asarray(self.rows, dtype=np.int64)
        var = np.asarray(self.vars, dtype=np.int64)
        coefs = np.asarray(self.coefs)
        equal = np.asarray(self.row_equal, dtype=bool)
        hi = np.asarray(self.row_hi)
        # rows renumbered within the equality and the inequality blocks
        eq_ids, ub_ids = np.flatnonzero(equal), np.flatnonzero(~equal)
        position = np.empty(len(hi), dtype=np.int64)
        position[eq_ids] = np.arange(len(eq_ids))
        position[ub_ids] = np.arange(len(ub_ids))
        n = len(self.cost)
        in_eq = equal[rows]
        a_eq = sparse.csr_array((coefs[in_eq], (position[rows[in_eq]], var[in_eq])), shape=(len(eq_ids), n))
        a_ub = sparse.csr_array((coefs[~in_eq], (position[rows[~in_eq]], var[~in_eq])), shape=(len(ub_ids), n))
        options = {"time_limit": max(0.01, min(seconds, 1e6)), "presolve": False}
        result = linprog(
            -np.asarray(self.cost),
            A_ub=a_ub if len(ub_ids) else None,
            b_ub=hi[ub_ids] if len(ub_ids) else None,
            A_eq=a_eq if len(eq_ids) else None,
            b_eq=hi[eq_ids] if len(eq_ids) else None,
            bounds=np.column_stack([np.zeros(n), np.asarray(self.upper)]),
            method="highs-ds",
            options=options,
        )
        if result.status != 0:
            return False
        self.x = result.x
        self.value = -result.fun
        duals = np.zeros(len(hi))
        # linprog's marginals are d(min -cost.x)/d(rhs): the maximisation's duals are their negatives
        if len(eq_ids):
            duals[eq_ids] = -result.eqlin.marginals
        if len(ub_ids):
            duals[ub_ids] = -result.ineqlin.marginals
        self.duals = duals
        return True


class ColumnGeneration:
    """The restricted master LP (GLOP, warm-started as columns and rows are added) and its pricing.

    Use: `ColumnGeneration(problem)`, `add(columns)`, then `run(stop)`; `bound` is the best Lagrangian bound
    so far (scaled), valid whenever it is read."""

    def __init__(self, problem: Problem, node_budget: int = 20_000, keep: int = 20, smoothing: float = 0.8) -> None:
        self.problem = problem
        self.smoothing = smoothing
        self.master_seconds = 0.0  # time in GLOP
        self.lagrangian = math.inf  # the best Lagrangian bound so far (scaled), before the counting bound's min
        self.start_centre: Multipliers | None = None
        self.log: Callable[[str], None] | None = None
        self.kinds = table_kinds(problem)
        self.kind_of = {(kind.round, kind.tables): k for k, kind in enumerate(self.kinds)}
        self.values = _Values(problem)
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

        self.lp = _Master()
        lp = self.lp
        largest = max((abs(pair.value) for pair in problem.pairs), default=1) + problem.repeat_cost + problem.fairness
        penalty = ARTIFICIAL_PENALTY * largest * max(problem.capacity, default=1)
        # pi rows: each attendee in exactly one group per round; an artificial slack keeps the master feasible.
        self.partition: dict[tuple[int, int], int] = {}
        for r in range(problem.rounds):
            for p in problem.attendees(r):
                row = self.partition[r, p] = lp.add_row(1, equal=True)
                lp.add_var(-penalty, 1, {row: 1})
        # mu rows: n_rk groups of each kind.
        self.convexity: list[int] = []
        for kind in self.kinds:
            row = lp.add_row(kind.count, equal=True)
            lp.add_var(-penalty * kind.capacity, kind.count, {row: 1})
            self.convexity.append(row)
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
        """Solve the restricted master, adding violated pair rows until none is left; False if HiGHS gave up."""
        while True:
            seconds = stop.seconds_left()
            if seconds <= 0:
                return False
            began = time.perf_counter()
            solved = self.lp.solve(seconds)
            self.master_seconds += time.perf_counter() - began
            if not solved:
                return False
            violated = self._violated_pairs()
            if not violated:
                self.lp_value = self.lp.value
                return True
            for i, j in violated:
                self._add_pair_row(i, j)

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
            _, upper, groups, _, nodes = _price(
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
        centre: Multipliers | None = self.start_centre
        budget = self.node_budget
        while not stop.met(Progress(iterations=self.iterations)):
            if not self._solve_master(stop):
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
                budget *= 2  # the pricing ran out of budget: search further before calling the LP solved
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


def seating_columns(problem: Problem, seating: Seating) -> list[Column]:
    """The groups of a seating as columns (tables of one kind share the kind's tables)."""
    kind_of_table: dict[tuple[int, int], tuple[int, ...]] = {}
    for kind in table_kinds(problem):
        for t in kind.tables:
            kind_of_table[kind.round, t] = kind.tables
    columns = []
    for r in range(seating.rounds):
        for t, group in enumerate(seating.groups(r)):
            if (r, t) in kind_of_table:
                columns.append(Column(r, kind_of_table[r, t], tuple(group)))
    return columns


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
        generation.add(seating_columns(problem, start))
        generation.start_centre = share_multipliers(generation, start)
    generation.run(stop, on_bound)
    return generation.result()


# Price and branch: a schedule from the columns.


def price_and_branch(
    problem: Problem,
    columns: Sequence[Column],
    stop: Stop,
    hint: Seating | None = None,
    workers: int = 2,
    seed: int = 0,
) -> Seating | None:
    """The best schedule made only of `columns`: a set-partitioning CP-SAT model (per round, each attendee in
    exactly one chosen column, each kind's tables all filled), pairs' first meetings counted once over the
    rounds, repeats forbidden or paid for, the fairness term as in the engine. None if the columns cannot
    make a schedule (or CP-SAT found none before `stop`).

    "Price and branch" (the column generation's columns, then integrality): the LP's columns are good tables,
    and a schedule made of the best of them often beats the search's. `hint` (whose groups should be among
    the columns) starts CP-SAT at a known schedule, so the result is never worse than it when it is there."""
    columns = list(dict.fromkeys(columns))
    if hint is not None:
        columns = list(dict.fromkeys([*seating_columns(problem, hint), *columns]))
    kinds = table_kinds(problem)
    values = _Values(problem)
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
    model.maximize(sum(terms))
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
