"""Local search over seatings: conflict-directed tabu swaps, then objective hill-climbing.

A schedule is scored lexicographically: first the number of rule violations
(repeats when forbidden, apart pairs sharing a table, sector-cap excess), then
the objective. Moves act within one round: swap two participants of different
tables, or move one participant to a table with a free seat (within minimums).
Each move is evaluated incrementally from a pair meeting-count matrix, in
O(table size), and the inner loop is compiled with numba (see benchmarks/ for
the speed-up that justified the dependency).

As in Dotú & Van Hentenryck (2005), while violations remain only participants
involved in one are moved, the best non-tabu move is taken, and a moved
participant stays put in that round for a few iterations. Once the schedule is
valid, random participants are offered their best valid move (sideways moves
allowed); a stall triggers a few random swaps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from tablejam.solver.problem import IndexSeating, Problem

UNCAPPED = 1 << 30


@dataclass
class SearchState:
    """Numpy arrays the compiled kernels work on; see from_seating for their meaning."""

    table_of: np.ndarray  # [R, n] table of p in round r, -1 when absent
    fixed: np.ndarray  # [R, n] True: p may not move in round r (host or absent)
    seats: np.ndarray  # [R, T, C] participants at table t in round r, first size[r, t] entries used
    size: np.ndarray  # [R, T]
    position: np.ndarray  # [R, n] index of p within seats[r, table_of[r, p]]
    meet: np.ndarray  # [n, n] rounds in which i and j share a table
    sector_count: np.ndarray  # [R, T, S]
    capacity: np.ndarray  # [T]
    minimum: np.ndarray  # [T]
    sector: np.ndarray  # [n] sector index, -1 when none
    sector_cap: np.ndarray  # [S]
    apart: np.ndarray  # [n, n] must never share a table
    met_before: np.ndarray  # [n, n] (minimise mode only; forbidden ones are in apart)
    value: np.ndarray  # [n, n] scaled value of a first meeting
    forbid: bool
    repeat_cost: int

    @classmethod
    def from_seating(cls, problem: Problem, seating: IndexSeating) -> SearchState:
        n, rounds, tables = problem.people, problem.rounds, problem.tables
        sectors = max(1, len(problem.sector_names))
        table_of = np.full((rounds, n), -1, dtype=np.int32)
        fixed = np.ones((rounds, n), dtype=np.bool_)
        seats = np.full((rounds, tables, max(problem.capacity)), -1, dtype=np.int32)
        size = np.zeros((rounds, tables), dtype=np.int32)
        position = np.full((rounds, n), -1, dtype=np.int32)
        sector_count = np.zeros((rounds, tables, sectors), dtype=np.int32)
        meet = np.zeros((n, n), dtype=np.int32)
        for r, round_tables in enumerate(seating):
            for t, seated in enumerate(round_tables):
                for p in seated:
                    table_of[r, p] = t
                    position[r, p] = size[r, t]
                    seats[r, t, size[r, t]] = p
                    size[r, t] += 1
                    if problem.sector[p] >= 0:
                        sector_count[r, t, problem.sector[p]] += 1
                for a in seated:
                    for b in seated:
                        if a != b:
                            meet[a, b] += 1
            for p in range(n):
                fixed[r, p] = len(problem.allowed[p][r]) <= 1
        apart = np.zeros((n, n), dtype=np.bool_)
        for i, j in problem.apart:
            apart[i, j] = apart[j, i] = True
        met_before = np.zeros((n, n), dtype=np.bool_)
        value = np.zeros((n, n), dtype=np.int64)
        for pair in problem.pairs:
            if pair.met_before:
                met_before[pair.i, pair.j] = met_before[pair.j, pair.i] = True
            else:
                value[pair.i, pair.j] = value[pair.j, pair.i] = pair.value
        return cls(
            table_of=table_of,
            fixed=fixed,
            seats=seats,
            size=size,
            position=position,
            meet=meet,
            sector_count=sector_count,
            capacity=np.array(problem.capacity, dtype=np.int32),
            minimum=np.array(problem.minimum, dtype=np.int32),
            sector=np.array(problem.sector, dtype=np.int32),
            sector_cap=np.array(
                [UNCAPPED if c is None else c for c in problem.sector_cap] or [UNCAPPED], dtype=np.int32
            ),
            apart=apart,
            met_before=met_before,
            value=value,
            forbid=problem.forbid_repeats,
            repeat_cost=problem.repeat_cost,
        )

    def seating(self) -> IndexSeating:
        rounds, tables, _ = self.seats.shape
        return [
            [sorted(int(p) for p in self.seats[r, t, : self.size[r, t]]) for t in range(tables)] for r in range(rounds)
        ]

    def kernel_args(self) -> tuple:
        return (
            self.table_of,
            self.fixed,
            self.seats,
            self.size,
            self.position,
            self.meet,
            self.sector_count,
            self.capacity,
            self.minimum,
            self.sector,
            self.sector_cap,
            self.apart,
            self.met_before,
            self.value,
            self.forbid,
            self.repeat_cost,
        )

    def score(self) -> tuple[int, int]:
        """(violations, objective without fairness) of the current seating."""
        v, o = _score(*self.kernel_args())
        return int(v), int(o)


@njit(cache=True)
def _pair(i, j, m, apart, met_before, value, forbid, repeat_cost):
    """(violations, objective) contributed by pair i, j meeting m times in this event."""
    if apart[i, j]:
        return m, 0
    before = 1 if met_before[i, j] else 0
    repeats = m + before - 1
    if repeats < 0:
        repeats = 0
    gain = value[i, j] if (m >= 1 and before == 0) else 0
    if forbid:
        return repeats, gain
    return 0, gain - repeat_cost * repeats


@njit(cache=True)
def _score(
    table_of,
    fixed,
    seats,
    size,
    position,
    meet,
    sector_count,
    capacity,
    minimum,
    sector,
    sector_cap,
    apart,
    met_before,
    value,
    forbid,
    repeat_cost,
):
    n = meet.shape[0]
    v = 0
    o = 0
    for i in range(n):
        for j in range(i + 1, n):
            if meet[i, j] > 0 or met_before[i, j]:
                dv, do = _pair(i, j, meet[i, j], apart, met_before, value, forbid, repeat_cost)
                v += dv
                o += do
    rounds, tables, sectors = sector_count.shape
    for r in range(rounds):
        for t in range(tables):
            for s in range(sectors):
                excess = sector_count[r, t, s] - sector_cap[s]
                if excess > 0:
                    v += excess
    return v, o


@njit(cache=True)
def _pair_change(i, j, step, meet, apart, met_before, value, forbid, repeat_cost):
    """Change in (violations, objective) when pair i, j meets `step` (+1 or -1) more times."""
    m = meet[i, j]
    v0, o0 = _pair(i, j, m, apart, met_before, value, forbid, repeat_cost)
    v1, o1 = _pair(i, j, m + step, apart, met_before, value, forbid, repeat_cost)
    return v1 - v0, o1 - o0


@njit(cache=True)
def _sector_change(count, cap, step):
    before = count - cap if count > cap else 0
    after = count + step - cap if count + step > cap else 0
    return after - before


@njit(cache=True)
def _delta_swap(
    r,
    p,
    q,
    seats,
    size,
    table_of,
    meet,
    sector_count,
    sector,
    sector_cap,
    apart,
    met_before,
    value,
    forbid,
    repeat_cost,
):
    """(violations, objective) change of swapping p and q (at different tables) in round r."""
    a = table_of[r, p]
    b = table_of[r, q]
    dv = 0
    do = 0
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p:
            v1, o1 = _pair_change(p, x, -1, meet, apart, met_before, value, forbid, repeat_cost)
            v2, o2 = _pair_change(q, x, 1, meet, apart, met_before, value, forbid, repeat_cost)
            dv += v1 + v2
            do += o1 + o2
    for k in range(size[r, b]):
        y = seats[r, b, k]
        if y != q:
            v1, o1 = _pair_change(p, y, 1, meet, apart, met_before, value, forbid, repeat_cost)
            v2, o2 = _pair_change(q, y, -1, meet, apart, met_before, value, forbid, repeat_cost)
            dv += v1 + v2
            do += o1 + o2
    sp = sector[p]
    sq = sector[q]
    if sp != sq:
        if sp >= 0:
            dv += _sector_change(sector_count[r, a, sp], sector_cap[sp], -1)
            dv += _sector_change(sector_count[r, b, sp], sector_cap[sp], 1)
        if sq >= 0:
            dv += _sector_change(sector_count[r, b, sq], sector_cap[sq], -1)
            dv += _sector_change(sector_count[r, a, sq], sector_cap[sq], 1)
    return dv, do


@njit(cache=True)
def _delta_move(
    r,
    p,
    b,
    seats,
    size,
    table_of,
    meet,
    sector_count,
    sector,
    sector_cap,
    apart,
    met_before,
    value,
    forbid,
    repeat_cost,
):
    """(violations, objective) change of moving p to table b in round r."""
    a = table_of[r, p]
    dv = 0
    do = 0
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p:
            v1, o1 = _pair_change(p, x, -1, meet, apart, met_before, value, forbid, repeat_cost)
            dv += v1
            do += o1
    for k in range(size[r, b]):
        y = seats[r, b, k]
        v1, o1 = _pair_change(p, y, 1, meet, apart, met_before, value, forbid, repeat_cost)
        dv += v1
        do += o1
    sp = sector[p]
    if sp >= 0:
        dv += _sector_change(sector_count[r, a, sp], sector_cap[sp], -1)
        dv += _sector_change(sector_count[r, b, sp], sector_cap[sp], 1)
    return dv, do


@njit(cache=True)
def _leave(r, p, seats, size, table_of, position, meet, sector_count, sector):
    a = table_of[r, p]
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p:
            meet[p, x] -= 1
            meet[x, p] -= 1
    last = seats[r, a, size[r, a] - 1]
    seats[r, a, position[r, p]] = last
    position[r, last] = position[r, p]
    seats[r, a, size[r, a] - 1] = -1
    size[r, a] -= 1
    if sector[p] >= 0:
        sector_count[r, a, sector[p]] -= 1
    table_of[r, p] = -1


@njit(cache=True)
def _join(r, p, b, seats, size, table_of, position, meet, sector_count, sector):
    for k in range(size[r, b]):
        y = seats[r, b, k]
        meet[p, y] += 1
        meet[y, p] += 1
    seats[r, b, size[r, b]] = p
    position[r, p] = size[r, b]
    size[r, b] += 1
    if sector[p] >= 0:
        sector_count[r, b, sector[p]] += 1
    table_of[r, p] = b


@njit(cache=True)
def _in_conflict(r, p, seats, size, table_of, meet, sector_count, sector, sector_cap, apart, met_before, forbid):
    """Whether p takes part in a violation in round r."""
    a = table_of[r, p]
    if a < 0:
        return False
    s = sector[p]
    if s >= 0 and sector_count[r, a, s] > sector_cap[s]:
        return True
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p:
            if apart[p, x]:
                return True
            if forbid and (meet[p, x] > 1 or met_before[p, x]):
                return True
    return False


@njit(cache=True)
def _search(
    table_of,
    fixed,
    seats,
    size,
    position,
    meet,
    sector_count,
    capacity,
    minimum,
    sector,
    sector_cap,
    apart,
    met_before,
    value,
    forbid,
    repeat_cost,
    tabu,
    best_table_of,
    status,
    iterations,
    seed,
    tenure,
):
    """Run `iterations` moves.

    status = [cur_v, cur_o, best_v, best_o, iteration, stall, reseed, stop when valid, last improvement].

    The best seating seen is kept in best_table_of; the caller loops over chunks and watches the clock.
    """
    if status[6] == 1:
        np.random.seed(seed)
        status[6] = 0
    rounds, n = table_of.shape
    tables = size.shape[1]
    cur_v = status[0]
    cur_o = status[1]
    best_v = status[2]
    best_o = status[3]
    it = status[4]
    stall = status[5]
    conflicts_r = np.empty(rounds * n, dtype=np.int64)
    conflicts_p = np.empty(rounds * n, dtype=np.int64)
    for _ in range(iterations):
        it += 1
        move_r = -1
        move_p = -1
        move_q = -1  # -1: a move to table move_b; else a swap with q
        move_b = -1
        move_v = 1 << 40
        move_o = -(1 << 60)
        ties = 0
        if cur_v > 0:
            count = 0
            for r in range(rounds):
                for p in range(n):
                    if not fixed[r, p] and _in_conflict(
                        r, p, seats, size, table_of, meet, sector_count, sector, sector_cap, apart, met_before, forbid
                    ):
                        conflicts_r[count] = r
                        conflicts_p[count] = p
                        count += 1
            candidates = np.arange(count)
        else:
            count = 1
            conflicts_r[0] = np.random.randint(rounds)
            conflicts_p[0] = np.random.randint(n)
            candidates = np.arange(1)
            if fixed[conflicts_r[0], conflicts_p[0]]:
                stall += 1
                continue
        for c in candidates:
            r = conflicts_r[c]
            p = conflicts_p[c]
            a = table_of[r, p]
            for b in range(tables):
                if b == a:
                    continue
                for k in range(size[r, b]):
                    q = seats[r, b, k]
                    if fixed[r, q]:
                        continue
                    dv, do = _delta_swap(
                        r,
                        p,
                        q,
                        seats,
                        size,
                        table_of,
                        meet,
                        sector_count,
                        sector,
                        sector_cap,
                        apart,
                        met_before,
                        value,
                        forbid,
                        repeat_cost,
                    )
                    allowed = tabu[r, p] < it and tabu[r, q] < it
                    aspire = cur_v + dv < best_v or (cur_v + dv == best_v and cur_o + do > best_o)
                    if not (allowed or aspire):
                        continue
                    if dv < move_v or (dv == move_v and do > move_o):
                        move_v, move_o, move_r, move_p, move_q, move_b, ties = dv, do, r, p, q, b, 1
                    elif dv == move_v and do == move_o:
                        ties += 1
                        if np.random.randint(ties) == 0:
                            move_r, move_p, move_q, move_b = r, p, q, b
                if size[r, a] > minimum[a] and size[r, b] < capacity[b]:
                    dv, do = _delta_move(
                        r,
                        p,
                        b,
                        seats,
                        size,
                        table_of,
                        meet,
                        sector_count,
                        sector,
                        sector_cap,
                        apart,
                        met_before,
                        value,
                        forbid,
                        repeat_cost,
                    )
                    allowed = tabu[r, p] < it
                    aspire = cur_v + dv < best_v or (cur_v + dv == best_v and cur_o + do > best_o)
                    if not (allowed or aspire):
                        continue
                    if dv < move_v or (dv == move_v and do > move_o):
                        move_v, move_o, move_r, move_p, move_q, move_b, ties = dv, do, r, p, -1, b, 1
                    elif dv == move_v and do == move_o:
                        ties += 1
                        if np.random.randint(ties) == 0:
                            move_r, move_p, move_q, move_b = r, p, -1, b
        improving_only = cur_v == 0
        if move_r < 0 or (improving_only and (move_v > 0 or (move_v == 0 and move_o < 0))):
            stall += 1
        else:
            r = move_r
            p = move_p
            a = table_of[r, p]
            _leave(r, p, seats, size, table_of, position, meet, sector_count, sector)
            if move_q >= 0:
                q = move_q
                _leave(r, q, seats, size, table_of, position, meet, sector_count, sector)
                _join(r, q, a, seats, size, table_of, position, meet, sector_count, sector)
                tabu[r, q] = it + tenure + np.random.randint(tenure + 1)
            _join(r, p, move_b, seats, size, table_of, position, meet, sector_count, sector)
            tabu[r, p] = it + tenure + np.random.randint(tenure + 1)
            cur_v += move_v
            cur_o += move_o
            if cur_v < best_v or (cur_v == best_v and cur_o > best_o):
                best_v = cur_v
                best_o = cur_o
                best_table_of[:, :] = table_of
                stall = 0
                status[8] = it
            else:
                stall += 1
        if stall > 50 * n:
            # Stuck: shake with a few random swaps, then let the search repair and improve.
            for _k in range(3):
                r = np.random.randint(rounds)
                p = np.random.randint(n)
                q = np.random.randint(n)
                if fixed[r, p] or fixed[r, q] or table_of[r, p] == table_of[r, q]:
                    continue
                dv, do = _delta_swap(
                    r,
                    p,
                    q,
                    seats,
                    size,
                    table_of,
                    meet,
                    sector_count,
                    sector,
                    sector_cap,
                    apart,
                    met_before,
                    value,
                    forbid,
                    repeat_cost,
                )
                a = table_of[r, p]
                b = table_of[r, q]
                _leave(r, p, seats, size, table_of, position, meet, sector_count, sector)
                _leave(r, q, seats, size, table_of, position, meet, sector_count, sector)
                _join(r, q, a, seats, size, table_of, position, meet, sector_count, sector)
                _join(r, p, b, seats, size, table_of, position, meet, sector_count, sector)
                cur_v += dv
                cur_o += do
            stall = 0
        if best_v == 0 and status[7] == 1:
            break  # the caller only wants a valid schedule
    status[0] = cur_v
    status[1] = cur_o
    status[2] = best_v
    status[3] = best_o
    status[4] = it
    status[5] = stall
    return it


def kernels_ready() -> bool:
    """Whether the compiled kernels are loaded or in numba's on-disk cache.

    If not, the first call compiles them, which takes about 10 s on the CI
    machine: a solve with a shorter time limit must not start that.
    """
    for kernel in (_search, _score):
        if kernel.signatures:
            continue
        try:
            if not kernel._cache._cache_file._load_index():  # numba internals: a stale index loads as {}
                return False
        except Exception:  # any change in numba's internals: assume a compile is due
            return False
    return True


@dataclass
class SearchResult:
    seating: IndexSeating
    violations: int
    objective: int  # scaled, without fairness
    iterations: int
    seconds: float


def local_search(
    problem: Problem,
    start: IndexSeating,
    seconds: float,
    seed: int = 0,
    stop_when_valid: bool = False,
    patience: int | None = None,
    max_iterations: int | None = None,
    chunk: int = 2000,
) -> SearchResult:
    """Improve `start` for at most `seconds`; return the best seating seen (fewest violations, then objective).

    With `patience`, stop early once that many iterations brought no better seating; with
    `max_iterations`, stop after about that many (whole chunks), which makes a run reproducible."""
    started = time.perf_counter()
    state = SearchState.from_seating(problem, start)
    v, o = state.score()
    status = np.array([v, o, v, o, 0, 0, 1, int(stop_when_valid), 0], dtype=np.int64)
    tabu = np.zeros(state.table_of.shape, dtype=np.int64)
    best_table_of = state.table_of.copy()
    tenure = max(2, min(10, problem.people // 8))
    while True:
        _search(*state.kernel_args(), tabu, best_table_of, status, chunk, seed, tenure)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds or (stop_when_valid and status[2] == 0):
            break
        if patience is not None and status[4] - status[8] > patience:
            break
        if max_iterations is not None and status[4] >= max_iterations:
            break
    best = _seating_from_tables(best_table_of, problem.tables)
    return SearchResult(best, int(status[2]), int(status[3]), int(status[4]), time.perf_counter() - started)


def _seating_from_tables(table_of: np.ndarray, tables: int) -> IndexSeating:
    seating: IndexSeating = [[[] for _ in range(tables)] for _ in range(table_of.shape[0])]
    for r, row in enumerate(table_of):
        for p, t in enumerate(row):
            if t >= 0:
                seating[r][int(t)].append(p)
    return seating


def warm_up() -> float:
    """Compile the kernels now (or load them from the cache); returns the seconds it took."""
    from tablejam.models.instance import Instance

    started = time.perf_counter()
    tiny = Instance(
        rounds=2,
        tables={"count": 2, "capacity": 2},
        participants=[{"id": f"p{k}", "sector": "s"} for k in range(4)],
        sectors={"max_per_table": 1},
    )
    problem = Problem.from_instance(tiny)
    local_search(problem, [[[0, 1], [2, 3]], [[0, 1], [2, 3]]], seconds=0.0, chunk=10)
    return time.perf_counter() - started
