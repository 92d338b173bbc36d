"""Local search over seatings: conflict-directed tabu swaps, then objective hill-climbing.

A schedule is scored lexicographically: first the number of rule violations
(repeats when forbidden, apart pairs sharing a table, sector-cap excess), then
the objective. Moves act within one round: swap two participants of different
tables, or move one participant to a table with a free seat (within minimums).
Each move is evaluated incrementally from a pair meeting-count matrix, in
O(table size), and the inner loop is compiled with numba (42-66x the same code
run as plain Python; see the README's Performance section).

As in Dotú & Van Hentenryck (2005), while violations remain only participants
involved in one are moved and the best non-tabu move is taken; a moved
participant may not return to the table it left, in that round, for a few
iterations (tabu per round, participant and table: measured better than
freezing the participant, 3/3 against 1/3 seeds on golfer 6-3-8). Once the schedule is
valid, random participants are offered their best valid move (sideways moves
allowed); a stall triggers a few random swaps.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from tablejam.models.rules import RULES, Rule, registrar
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating
from tablejam.solver.stop import Interrupted, MaxIterations, Progress, Stop, Valid

UNCAPPED = 1 << 30

# Slots of the int64 status array shared by the kernel and its caller (numba reads globals as constants).
CUR_V, CUR_O, BEST_V, BEST_O, ITERATION, STALL, RESEED, STOP_WHEN_VALID, LAST_BETTER, EVALS, EVAL_LIMIT = range(11)
STATUS_SLOTS = 11
CHUNK_ITERATIONS = 5000


Arrays = dict[str, Any]
Encoding = Callable[[Problem, Arrays], None]
# How each rule of the instance is put into the arrays the kernels read (see SearchState).
ENCODINGS: dict[Rule, Encoding] = {}


_encodes = registrar(ENCODINGS)


@_encodes(Rule.CAPACITY, Rule.MINIMUM)
def _table_limits(problem: Problem, arrays: Arrays) -> None:
    """Moves never take a table below its minimum or above its capacity (the start keeps both)."""
    arrays["capacity"] = np.array(problem.capacity, dtype=np.int32)
    arrays["minimum"] = np.array(problem.minimum, dtype=np.int32)


@_encodes(Rule.HOST_AWAY)
def _hosts_fixed(problem: Problem, arrays: Arrays) -> None:
    """Hosts (one allowed table) and absentees are never moved."""
    arrays["fixed"] = np.array(
        [[len(problem.allowed[p][r]) <= 1 for p in range(problem.people)] for r in range(problem.rounds)],
        dtype=np.bool_,
    ).reshape(problem.rounds, problem.people)


@_encodes(Rule.SECTOR_CAP)
def _sector_caps(problem: Problem, arrays: Arrays) -> None:
    """Each participant's sector, and each sector's cap: the excess over a cap is a violation."""
    arrays["sector"] = np.array(problem.sector, dtype=np.int32)
    caps = [UNCAPPED if cap is None else cap for cap in problem.sector_cap] or [UNCAPPED]
    arrays["sector_cap"] = np.array(caps, dtype=np.int32)


@_encodes(Rule.COLLEAGUES, Rule.KEEP_APART)
def _kept_apart(problem: Problem, arrays: Arrays) -> None:
    """Every meeting of a pair kept apart is a violation (met-before pairs too, when repeats are forbidden)."""
    apart = np.zeros((problem.people, problem.people), dtype=np.bool_)
    for i, j in problem.apart:
        apart[i, j] = apart[j, i] = True
    arrays["apart"] = apart


@_encodes(Rule.REPEAT)
def _repeats(problem: Problem, arrays: Arrays) -> None:
    """Forbidden: every meeting beyond a pair's first (or any, after met_before) is a violation, via `apart`
    for met-before pairs and the meeting counts otherwise. Minimised: each costs repeat_cost instead."""
    met_before = np.zeros((problem.people, problem.people), dtype=np.bool_)
    value = np.zeros((problem.people, problem.people), dtype=np.int64)
    for pair in problem.pairs:
        if pair.met_before:
            met_before[pair.i, pair.j] = met_before[pair.j, pair.i] = True
        else:
            value[pair.i, pair.j] = value[pair.j, pair.i] = pair.value
    arrays.update(met_before=met_before, value=value, forbid=problem.forbid_repeats, repeat_cost=problem.repeat_cost)


@dataclass
class SearchState:
    """Numpy arrays the compiled kernels work on: the seating and its bookkeeping, then the rules."""

    table_of: np.ndarray  # [R, n] table of p in round r, -1 when absent
    seats: np.ndarray  # [R, T, C] participants at table t in round r, first size[r, t] entries used
    size: np.ndarray  # [R, T]
    position: np.ndarray  # [R, n] index of p within seats[r, table_of[r, p]]
    meet: np.ndarray  # [n, n] rounds in which i and j share a table
    sector_count: np.ndarray  # [R, T, S]
    fixed: np.ndarray  # [R, n] True: p may not move in round r (host or absent)
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
    def from_seating(cls, problem: Problem, seating: Seating) -> SearchState:
        arrays: Arrays = {}
        for encoding in dict.fromkeys(ENCODINGS[rule] for rule in RULES if rule in ENCODINGS):
            encoding(problem, arrays)
        n, rounds, tables = problem.people, problem.rounds, problem.tables
        sectors = len(arrays["sector_cap"])
        table_of = seating.table_of.astype(np.int32, copy=True)
        seats = np.full((rounds, tables, max(problem.capacity)), -1, dtype=np.int32)
        size = np.zeros((rounds, tables), dtype=np.int32)
        position = np.full((rounds, n), -1, dtype=np.int32)
        sector_count = np.zeros((rounds, tables, sectors), dtype=np.int32)
        meet = np.zeros((n, n), dtype=np.int32)
        for r in range(rounds):
            for t, seated in enumerate(seating.groups(r)):
                for p in seated:
                    position[r, p] = size[r, t]
                    seats[r, t, size[r, t]] = p
                    size[r, t] += 1
                    if problem.sector[p] >= 0:
                        sector_count[r, t, problem.sector[p]] += 1
                for a in seated:
                    for b in seated:
                        if a != b:
                            meet[a, b] += 1
        return cls(table_of=table_of, seats=seats, size=size, position=position, meet=meet,
                   sector_count=sector_count, **arrays)  # fmt: skip

    def seating(self) -> Seating:
        return Seating(self.table_of.copy(), self.size.shape[1])

    @property
    def seat(self) -> tuple:
        """The seating and its bookkeeping, as the kernels take it."""
        return (self.table_of, self.seats, self.size, self.position, self.meet, self.sector_count)

    @property
    def rules(self) -> tuple:
        """The rules and values, as the kernels take them."""
        return (self.apart, self.met_before, self.value, self.sector, self.sector_cap, self.forbid,
                self.repeat_cost)  # fmt: skip

    def score(self) -> tuple[int, int]:
        """(violations, objective without fairness) of the current seating."""
        v, o = _score(self.seat, self.rules)
        return int(v), int(o)


# fmt: off
# The kernels take two tuples: `seat` = (table_of, seats, size, position, meet, sector_count), the
# seating and its bookkeeping, changed by moves; `rules` = (apart, met_before, value, sector,
# sector_cap, forbid, repeat_cost), read only. Unpacking them costs nothing in compiled code.

@njit(cache=True)
def _pair(i, j, m, apart, met_before, value, forbid, repeat_cost):
    """(violations, objective) contributed by pair i, j meeting m times in this event.

    The hot path: it takes the arrays themselves, not the `rules` tuple, which measured 3x
    slower (the tuple is copied on each call that the compiler does not inline)."""
    if apart[i, j]:
        return m, 0
    before = 1 if met_before[i, j] else 0
    repeats = max(m + before - 1, 0)
    gain = value[i, j] if (m >= 1 and before == 0) else 0
    if forbid:
        return repeats, gain
    return 0, gain - repeat_cost * repeats


@njit(cache=True)
def _score(seat, rules):
    _, _, _, _, meet, sector_count = seat
    apart, met_before, value, _, sector_cap, forbid, repeat_cost = rules
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
                v += max(sector_count[r, t, s] - sector_cap[s], 0)
    return v, o


@njit(cache=True)
def _pair_change(i, j, step, meet, apart, met_before, value, forbid, repeat_cost):
    """Change in (violations, objective) when pair i, j meets `step` (+1 or -1) more times.

    The difference of two _pair calls, written out: this is the innermost loop."""
    if apart[i, j]:
        return step, 0
    m = meet[i, j]
    before = 1 if met_before[i, j] else 0
    if step > 0:
        repeat = 1 if m + before >= 1 else 0
        gain = value[i, j] if m + before == 0 else 0
    else:
        repeat = -1 if m + before >= 2 else 0
        gain = -value[i, j] if m + before == 1 and before == 0 else 0
    if forbid:
        return repeat, gain
    return 0, gain - repeat_cost * repeat


@njit(cache=True)
def _sector_change(count, cap, step):
    return max(count + step - cap, 0) - max(count - cap, 0)


@njit(cache=True)
def _leaving_and_joining(r, p, a, b, skip_a, skip_b, seat, rules):
    """(violations, objective) change of p leaving table a for table b in round r, ignoring
    tablemates skip_a (at a) and skip_b (at b), who are the swap partner if any."""
    _, seats, size, _, meet, sector_count = seat
    apart, met_before, value, sector, sector_cap, forbid, repeat_cost = rules
    dv = 0
    do = 0
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p and x != skip_a:
            v1, o1 = _pair_change(p, x, -1, meet, apart, met_before, value, forbid, repeat_cost)
            dv += v1
            do += o1
    for k in range(size[r, b]):
        y = seats[r, b, k]
        if y != skip_b:
            v1, o1 = _pair_change(p, y, 1, meet, apart, met_before, value, forbid, repeat_cost)
            dv += v1
            do += o1
    s = sector[p]
    if s >= 0:
        dv += _sector_change(sector_count[r, a, s], sector_cap[s], -1)
        dv += _sector_change(sector_count[r, b, s], sector_cap[s], 1)
    return dv, do


@njit(cache=True)
def _delta_move(r, p, b, seat, rules):
    """(violations, objective) change of moving p to table b in round r."""
    a = seat[0][r, p]
    return _leaving_and_joining(r, p, a, b, -1, -1, seat, rules)


@njit(cache=True)
def _delta_swap(r, p, q, seat, rules):
    """(violations, objective) change of swapping p and q (at different tables) in round r.

    Each leaves its table for the other's; pairs with the partner are unchanged (they part and
    meet no one new between them), and when both are of one sector the counts do not change."""
    table_of = seat[0]
    sector = rules[3]
    a = table_of[r, p]
    b = table_of[r, q]
    dv1, do1 = _leaving_and_joining(r, p, a, b, -1, q, seat, rules)
    dv2, do2 = _leaving_and_joining(r, q, b, a, -1, p, seat, rules)
    dv = dv1 + dv2
    if sector[p] == sector[q] and sector[p] >= 0:
        sector_count, sector_cap = seat[5], rules[4]
        s = sector[p]
        # Counted as one leaving and one joining each table; in truth the counts stay put.
        dv -= _sector_change(sector_count[r, a, s], sector_cap[s], -1) + _sector_change(
            sector_count[r, b, s], sector_cap[s], 1)
        dv -= _sector_change(sector_count[r, b, s], sector_cap[s], -1) + _sector_change(
            sector_count[r, a, s], sector_cap[s], 1)
    return dv, do1 + do2


@njit(cache=True)
def _leave(r, p, seat, sector):
    table_of, seats, size, position, meet, sector_count = seat
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
def _join(r, p, b, seat, sector):
    table_of, seats, size, position, meet, sector_count = seat
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
def _apply(r, p, q, b, seat, sector):
    """Move p to table b in round r; with q >= 0, q (at b) takes p's seat in exchange."""
    a = seat[0][r, p]
    _leave(r, p, seat, sector)
    if q >= 0:
        _leave(r, q, seat, sector)
        _join(r, q, a, seat, sector)
    _join(r, p, b, seat, sector)


@njit(cache=True)
def _in_conflict(r, p, seat, rules):
    """Whether p takes part in a violation in round r."""
    table_of, seats, size, _, meet, sector_count = seat
    apart, met_before, _, sector, sector_cap, forbid, _ = rules
    a = table_of[r, p]
    if a < 0:
        return False
    s = sector[p]
    if s >= 0 and sector_count[r, a, s] > sector_cap[s]:
        return True
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p and (apart[p, x] or (forbid and (meet[p, x] > 1 or met_before[p, x]))):
            return True
    return False


@njit(cache=True, nogil=True)  # nogil: parallel_local_search runs several walks at once in threads
def _search(seat, rules, fixed, capacity, minimum, tabu, best_table_of, status, iterations, seed, tenure):
    """Run `iterations` moves, reading and updating `status` (see the slot names above).

    While the seating breaks rules, every move of a participant in conflict is evaluated and the
    best non-tabu one taken (a tabu move only when it beats the best seating seen). Once valid,
    one random participant per iteration gets their best move, if it does not make things worse.
    The best seating seen is kept in best_table_of; the caller loops over chunks and watches the clock.
    """
    table_of, seats, size, _, _, _ = seat
    sector = rules[3]
    if status[RESEED] == 1:
        np.random.seed(seed)
        status[RESEED] = 0
    rounds, n = table_of.shape
    tables = size.shape[1]
    cur_v, cur_o = status[CUR_V], status[CUR_O]
    best_v, best_o = status[BEST_V], status[BEST_O]
    it, stall, evals = status[ITERATION], status[STALL], status[EVALS]
    pending_r = np.empty(rounds * n, dtype=np.int64)
    pending_p = np.empty(rounds * n, dtype=np.int64)
    for _ in range(iterations):
        it += 1
        count = 0
        if cur_v > 0:
            for r in range(rounds):
                for p in range(n):
                    if not fixed[r, p] and _in_conflict(r, p, seat, rules):
                        pending_r[count] = r
                        pending_p[count] = p
                        count += 1
        else:
            r = np.random.randint(rounds)
            p = np.random.randint(n)
            if not fixed[r, p]:
                pending_r[0] = r
                pending_p[0] = p
                count = 1
        move_r, move_p, move_q, move_b = -1, -1, -1, -1  # move_q -1: a move, not a swap
        move_v, move_o, ties = 1 << 40, -(1 << 60), 0
        for c in range(count):
            r, p = pending_r[c], pending_p[c]
            a = table_of[r, p]
            for b in range(tables):
                if b == a:
                    continue
                movable = size[r, a] > minimum[a] and size[r, b] < capacity[b]
                for k in range(-1 if movable else 0, size[r, b]):
                    q = -1 if k < 0 else seats[r, b, k]
                    if q >= 0 and fixed[r, q]:
                        continue
                    if q < 0:
                        dv, do = _delta_move(r, p, b, seat, rules)
                    else:
                        dv, do = _delta_swap(r, p, q, seat, rules)
                    evals += 1
                    allowed = tabu[r, p, b] < it and (q < 0 or tabu[r, q, a] < it)
                    aspire = cur_v + dv < best_v or (cur_v + dv == best_v and cur_o + do > best_o)
                    if not (allowed or aspire):
                        continue
                    if dv < move_v or (dv == move_v and do > move_o):
                        move_v, move_o, ties = dv, do, 1
                        move_r, move_p, move_q, move_b = r, p, q, b
                    elif dv == move_v and do == move_o:
                        ties += 1
                        if np.random.randint(ties) == 0:  # uniform among equals
                            move_r, move_p, move_q, move_b = r, p, q, b
        worse_when_valid = cur_v == 0 and (move_v > 0 or (move_v == 0 and move_o < 0))
        if move_r < 0 or worse_when_valid:
            stall += 1
        else:
            old_table = table_of[move_r, move_p]
            _apply(move_r, move_p, move_q, move_b, seat, sector)
            # p may not return to the table it left for a while (nor q, in a swap).
            tabu[move_r, move_p, old_table] = it + tenure + np.random.randint(tenure + 1)
            if move_q >= 0:
                tabu[move_r, move_q, move_b] = it + tenure + np.random.randint(tenure + 1)
            cur_v += move_v
            cur_o += move_o
            if cur_v < best_v or (cur_v == best_v and cur_o > best_o):
                best_v, best_o = cur_v, cur_o
                best_table_of[:, :] = table_of
                stall = 0
                status[LAST_BETTER] = it
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
                dv, do = _delta_swap(r, p, q, seat, rules)
                _apply(r, p, q, table_of[r, q], seat, sector)
                cur_v += dv
                cur_o += do
            stall = 0
        if best_v == 0 and status[STOP_WHEN_VALID] == 1:
            break  # the caller only wants a valid schedule
        if status[EVAL_LIMIT] > 0 and evals >= status[EVAL_LIMIT]:
            break  # a budget in evaluations, not seconds: the same run every time
    status[CUR_V], status[CUR_O], status[BEST_V], status[BEST_O] = cur_v, cur_o, best_v, best_o
    status[ITERATION], status[STALL], status[EVALS] = it, stall, evals
    return it
# fmt: on


def search_ready() -> bool:
    """Whether the local search can run now without compiling first.

    Compiling takes about 10 s on the CI machine, once per installation (numba caches the result on disk):
    no solve may wait for it. So when the kernels are neither loaded nor cached, the first call starts
    compiling them in the background and answers False until that has finished; the solve meanwhile goes
    on with the greedy start and CP-SAT, and takes up the local search once it is ready."""
    global _compiling
    with _compile_lock:
        if _compiled.is_set():
            return True
        if _compiling is None:
            if kernels_ready():
                return True
            _compiling = threading.Thread(target=_compile, name="tablejam-compile", daemon=True)
            _compiling.start()
        return False


_compile_lock = threading.Lock()
_compiling: threading.Thread | None = None
_compiled = threading.Event()  # set once the background compile has succeeded


def _compile() -> None:
    # The solve goes on meanwhile (CP-SAT's workers): the compile takes what CPU they leave.
    with contextlib.suppress(OSError, AttributeError):  # Linux: a thread has its own niceness
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    warm_up()
    _compiled.set()


def kernels_ready() -> bool:
    """Whether the compiled kernels are loaded or in numba's on-disk cache (if not, a first call compiles them)."""
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
    seating: Seating
    violations: int
    objective: int  # scaled, without fairness
    iterations: int
    evaluations: int  # moves evaluated: the measure of work that does not depend on the machine
    seconds: float
    valid_at: float | None  # perf_counter() when a valid seating was first seen (to a chunk), if ever


def local_search(
    problem: Problem,
    start: Seating,
    stop: Stop,
    seed: int = 0,
    on_valid: Callable[[int], None] | None = None,
    chunk: int = 100_000,
) -> SearchResult:
    """Improve `start` until `stop`; return the best seating seen (fewest violations, then objective).

    The kernel runs in chunks of `chunk` move evaluations (tens of milliseconds), between which the
    stopping criteria are asked. Budgets of work (MaxEvaluations, MaxIterations) are kept exactly, so
    that with them a run is reproducible; with Valid, the kernel stops at the first valid seating.
    `on_valid(objective)` hears of each better valid seating between chunks."""
    started = time.perf_counter()
    state = SearchState.from_seating(problem, start)
    v, o = state.score()
    status = np.zeros(STATUS_SLOTS, dtype=np.int64)
    status[[CUR_V, CUR_O, BEST_V, BEST_O, RESEED, STOP_WHEN_VALID]] = [v, o, v, o, 1, int(stop.until_valid())]
    tabu = np.zeros((*state.table_of.shape, problem.tables), dtype=np.int64)
    best_table_of = state.table_of.copy()
    tenure = max(2, min(10, problem.people // 8))
    valid_at = time.perf_counter() if v == 0 else None
    told = -(1 << 62)  # best objective passed to on_valid
    max_evaluations, max_iterations = stop.max_evaluations(), stop.max_iterations()
    while True:
        evaluations = status[EVALS] + chunk
        status[EVAL_LIMIT] = evaluations if max_evaluations is None else min(evaluations, max_evaluations)
        # Also cap iterations: where no move exists (one table, everyone a host) nothing is evaluated.
        iterations = (
            CHUNK_ITERATIONS if max_iterations is None else min(CHUNK_ITERATIONS, max_iterations - status[ITERATION])
        )
        _search(state.seat, state.rules, state.fixed, state.capacity, state.minimum, tabu, best_table_of, status,
                iterations, seed, tenure)  # fmt: skip
        valid = status[BEST_V] == 0
        if valid and valid_at is None:
            valid_at = time.perf_counter()
        if valid and on_valid is not None and status[BEST_O] > told:
            told = int(status[BEST_O])
            on_valid(told)
        if stop.met(_progress(status)):
            break
    return SearchResult(
        Seating(best_table_of, problem.tables), int(status[BEST_V]), int(status[BEST_O]), int(status[ITERATION]),
        int(status[EVALS]), time.perf_counter() - started, valid_at,
    )  # fmt: skip


def _progress(status: np.ndarray) -> Progress:
    return Progress(
        iterations=int(status[ITERATION]),
        evaluations=int(status[EVALS]),
        since_better=int(status[ITERATION] - status[LAST_BETTER]),
        violations=int(status[BEST_V]),
        objective=int(status[BEST_O]),
    )


# Seeds of the walks run side by side are this far apart, so that no two walks of nearby seeds coincide.
WALK_SEED_STRIDE = 1_000_003


def parallel_local_search(
    problem: Problem,
    start: Seating,
    walks: int,
    stop: Stop,
    seed: int = 0,
    **options: Any,
) -> SearchResult:
    """`walks` independent local searches from `start` (seeds apart), one thread each; the best result.

    The kernel releases the GIL, so on a machine with that many cores each walk runs at full speed:
    on instances where a walk's luck decides (golfer rungs), that many chances of a valid seating in
    the same time. The first walk is the plain search; the others only hunt for validity and stop
    at their first valid seating, so instances valid within a second (realistic events) get the same
    improving search as with one walk. Once one walk's result meets `stop` (e.g. its Target or Valid),
    all stop. With one walk this is exactly `local_search`."""
    if walks <= 1:
        return local_search(problem, start, stop, seed, **options)
    enough = threading.Event()  # stops every walk: one has finished the job, or the caller said stop
    shared = stop | Interrupted(enough)
    with ThreadPoolExecutor(max_workers=walks) as pool:
        running = {
            pool.submit(
                local_search, problem, start, shared if k == 0 else shared | Valid(), seed + k * WALK_SEED_STRIDE,
                **options,
            )
            for k in range(walks)
        }  # fmt: skip
        results: list[SearchResult] = []
        while running:
            done, running = wait(running, timeout=0.05, return_when=FIRST_COMPLETED)
            results += [future.result() for future in done]
            # A result that meets the caller's criteria (its target, or validity) ends every walk.
            finished = any(stop.met(Progress(violations=r.violations, objective=r.objective)) for r in results)
            if finished or stop.interrupted():
                enough.set()
    return min(results, key=lambda r: (r.violations, -r.objective))


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
    local_search(problem, Seating.from_groups([[[0, 1], [2, 3]], [[0, 1], [2, 3]]], 4), Stop(MaxIterations(10)))
    return time.perf_counter() - started
