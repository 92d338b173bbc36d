"""Local search over seatings: conflict-directed tabu swaps, then objective hill-climbing.

A schedule is scored lexicographically: first the number of rule violations
(repeats when forbidden, apart pairs sharing a table, excess over sector caps and quotas, rounds a
together pair spends apart, tables sat at again when revisits are forbidden), then the objective. Moves
act within one round: swap two participants of different tables, move one participant to a table with a
free seat (within minimums), or move a together group whole. Hosts and pinned participants never move,
and nobody moves to a closed table (its capacity is 0 in that round).
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
from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic

from tablejam.models.rules import RULES, Rule, registrar
from tablejam.solver.bound import pricing
from tablejam.solver.construct import greedy_schedule
from tablejam.solver.kernel_cache import CACHED, compiling_alone
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating
from tablejam.solver.stop import Interrupted, MaxEvaluations, MaxIterations, Progress, Settled, Stop

UNCAPPED = 1 << 30

# Slots of the int64 status array shared by the kernel and its caller (numba reads globals as constants).
CUR_V, CUR_O, BEST_V, BEST_O, ITERATION, STALL, RESEED, STOP_WHEN_VALID, LAST_BETTER, EVALS, EVAL_LIMIT = range(11)
CUR_R = 11  # repeats of the current seating (forbidden ones are also among its violations)
BEST_R = 12  # repeats of the best seating
STATUS_SLOTS = 13
# What STOP_WHEN_VALID holds: stop once the best seating is valid, or valid without any repeat.
UNTIL_VALID, UNTIL_SETTLED = 1, 2
CHUNK_ITERATIONS = 5000
GROUP = -2  # a chosen move's partner: p's together group moves with p
RELABEL_CHUNK = 2000  # trades between two looks at the stopping criteria (each trade touches every round)


Arrays = dict[str, Any]
Encoding = Callable[[Problem, Arrays], None]
# How each rule of the instance is put into the arrays the kernels read (see SearchState).
ENCODINGS: dict[Rule, Encoding] = {}


_encodes = registrar(ENCODINGS)


@_encodes(Rule.CAPACITY, Rule.MINIMUM, Rule.TABLE_CLOSED)
def _table_limits(problem: Problem, arrays: Arrays) -> None:
    """Moves never take a table below its minimum or above its capacity in a round (the start keeps both); a
    closed table has both 0 in that round, so nobody moves there."""
    limits = np.array([[problem.limits(r, t) for t in range(problem.tables)] for r in range(problem.rounds)],
                      dtype=np.int32).reshape(problem.rounds, problem.tables, 2)  # fmt: skip
    arrays["minimum"], arrays["capacity"] = limits[:, :, 0].copy(), limits[:, :, 1].copy()


@_encodes(Rule.HOST_AWAY, Rule.PIN)
def _hosts_fixed(problem: Problem, arrays: Arrays) -> None:
    """Hosts and pinned participants (one allowed table) and absentees are never moved."""
    arrays["fixed"] = np.array(
        [[len(problem.allowed[p][r]) <= 1 for p in range(problem.people)] for r in range(problem.rounds)],
        dtype=np.bool_,
    ).reshape(problem.rounds, problem.people)


@_encodes(Rule.SECTOR_CAP, Rule.QUOTA)
def _attribute_classes(problem: Problem, arrays: Arrays) -> None:
    """Sector caps and quotas as one mechanism (Problem.attribute_classes): each participant's classes, and each
    class's most and fewest per occupied table; the excess beyond either is a violation."""
    classes = problem.attribute_classes
    classes_of = problem.classes_of
    member = np.full((problem.people, max(1, *map(len, classes_of))), -1, dtype=np.int32)
    for p, own in enumerate(classes_of):
        member[p, : len(own)] = own
    fewest = [group.fewest for group in classes] or [0]
    most = [UNCAPPED if group.most is None else group.most for group in classes] or [UNCAPPED]
    arrays["member"] = member
    arrays["class_min"] = np.array(fewest, dtype=np.int32)
    arrays["class_max"] = np.array(most, dtype=np.int32)
    arrays["min_classes"] = np.array([k for k, low in enumerate(fewest) if low > 0], dtype=np.int32)


@_encodes(Rule.WISH)
def _wishes(problem: Problem, arrays: Arrays) -> None:
    """Each participant's wishes, sparse (rows of a CSR matrix, both ways): wish_other[wish_start[p]:
    wish_start[p + 1]] are the others p has a wish with, at wish_weight (scaled)."""
    rows: list[list[tuple[int, int]]] = [[] for _ in range(problem.people)]
    for (i, j), weight in problem.wishes.items():
        rows[i].append((j, weight))
        rows[j].append((i, weight))
    arrays["wish_start"] = np.cumsum([0, *map(len, rows)]).astype(np.int64)
    arrays["wish_other"] = np.array([j for row in rows for j, _ in row], dtype=np.int64)
    arrays["wish_weight"] = np.array([w for row in rows for _, w in row], dtype=np.int64)


@_encodes(Rule.COLLEAGUES, Rule.KEEP_APART)
def _kept_apart(problem: Problem, arrays: Arrays) -> None:
    """Every meeting of a pair kept apart is a violation (met-before pairs too, when repeats are forbidden)."""
    apart = np.zeros((problem.people, problem.people), dtype=np.bool_)
    for i, j in problem.apart:
        apart[i, j] = apart[j, i] = True
    arrays["apart"] = apart


@_encodes(Rule.TOGETHER)
def _together(problem: Problem, arrays: Arrays) -> None:
    """together[i, j]: the rounds a together pair must share a table (0: not a pair); each such round they do not
    is a violation. `mate` links each group member to the next in a ring, to find who is in conflict."""
    together = np.zeros((problem.people, problem.people), dtype=np.int16)
    mate = np.full(problem.people, -1, dtype=np.int64)
    for i, j in problem.together:
        both = sum(bool(problem.allowed[i][r]) and bool(problem.allowed[j][r]) for r in range(problem.rounds))
        together[i, j] = together[j, i] = both
    for group in _groups(problem.together):
        for k, p in enumerate(group):
            mate[p] = group[(k + 1) % len(group)]
    arrays.update(together=together, mate=mate)


def _groups(pairs: frozenset[tuple[int, int]]) -> list[list[int]]:
    """The together groups (connected pairs), each in index order."""
    group_of: dict[int, set[int]] = {}
    for i, j in pairs:
        merged = group_of.get(i, {i}) | group_of.get(j, {j})
        for p in merged:
            group_of[p] = merged
    return sorted({tuple(sorted(group)) for group in group_of.values()}, key=lambda g: g[0])  # type: ignore[misc]


@_encodes(Rule.REVISIT)
def _revisits(problem: Problem, arrays: Arrays) -> None:
    """Who may not sit at one table twice: each visit beyond the first (counting earlier seats) is a violation."""
    no_revisit = np.zeros(problem.people, dtype=np.bool_)
    no_revisit[: len(problem.no_revisit)] = problem.no_revisit
    arrays["no_revisit"] = no_revisit


def _objective(problem: Problem, arrays: Arrays) -> None:
    """How pairs are valued (computed by the kernels from the participants' tags and sectors); the fairness
    weight, and who counts for it (participants attending at least one round)."""
    assert problem.explicit_pairs is None, "the local search works on whole problems, not on neighbourhoods"
    values = problem.values
    arrays["offers"], arrays["needs"] = values.offers, values.needs
    arrays["worth"] = np.array([values.new, values.complementary, values.cross_sector], dtype=np.int64)
    arrays["sector"] = np.asarray(values.sector, dtype=np.int32)
    arrays["fairness"] = problem.fairness
    arrays["attending"] = np.array([any(problem.allowed[p]) for p in range(problem.people)], dtype=np.bool_)


@_encodes(Rule.REPEAT)
def _repeats(problem: Problem, arrays: Arrays) -> None:
    """Forbidden: every meeting beyond a pair's first (or any, after met_before) is a violation, via `apart`
    for met-before pairs and the meeting counts otherwise. Minimised: each costs repeat_cost instead."""
    met_before = np.zeros((problem.people, problem.people), dtype=np.bool_)
    for i, j in problem.met_before:
        if (i, j) not in problem.apart:  # forbidden ones are kept apart
            met_before[i, j] = met_before[j, i] = True
    arrays.update(met_before=met_before, forbid=problem.forbid_repeats, repeat_cost=problem.repeat_cost)


@dataclass
class SearchState:
    """Numpy arrays the compiled kernels work on: the seating and its bookkeeping, then the rules."""

    table_of: np.ndarray  # [R, n] table of p in round r, -1 when absent
    seats: np.ndarray  # [R, T, C] participants at table t in round r, first size[r, t] entries used
    size: np.ndarray  # [R, T]
    position: np.ndarray  # [R, n] index of p within seats[r, table_of[r, p]]
    meet: np.ndarray  # [n, n] rounds in which i and j share a table
    class_count: np.ndarray  # [R, T, K] participants of each attribute class at each table
    visits: np.ndarray  # [n, T] rounds p sits at t (plus earlier seats, under revisit_tables = 'forbid')
    fixed: np.ndarray  # [R, n] True: p may not move in round r (host, pinned or absent)
    capacity: np.ndarray  # [R, T] (0 where closed)
    minimum: np.ndarray  # [R, T]
    sector: np.ndarray  # [n] sector index, -1 when none (for cross-sector values)
    member: np.ndarray  # [n, W] the attribute classes of p (capped sectors, quotas), -1 padded
    class_min: np.ndarray  # [K] fewest of a class at an occupied table
    class_max: np.ndarray  # [K] most of a class at a table
    min_classes: np.ndarray  # the classes with a fewest above 0
    apart: np.ndarray  # [n, n] must never share a table
    met_before: np.ndarray  # [n, n] (minimise mode only; forbidden ones are in apart)
    offers: np.ndarray  # [n, words] tags offered, a bit set
    needs: np.ndarray  # [n, words] tags needed
    worth: np.ndarray  # [3] scaled weights: new, complementary, cross_sector
    forbid: bool
    repeat_cost: int
    fairness: int  # scaled weight of the fewest first meetings of any attending participant
    attending: np.ndarray  # [n] attends at least one round
    new_count: np.ndarray  # [n] first meetings of each participant
    hist: np.ndarray  # [n + 1] attending participants by their count of first meetings
    wish_start: np.ndarray  # [n + 1] CSR rows of wishes
    wish_other: np.ndarray  # the other of each wish
    wish_weight: np.ndarray  # its scaled weight
    together: np.ndarray  # [n, n] rounds a together pair must share a table, 0 for other pairs
    mate: np.ndarray  # [n] next member of p's together group, -1 when none
    no_revisit: np.ndarray  # [n] p may not sit at one table twice

    @classmethod
    def from_seating(cls, problem: Problem, seating: Seating) -> SearchState:
        arrays: Arrays = {}
        for encoding in dict.fromkeys(ENCODINGS[rule] for rule in RULES if rule in ENCODINGS):
            encoding(problem, arrays)
        _objective(problem, arrays)
        return cls._seated(problem, seating, arrays)

    def reseated(self, problem: Problem, seating: Seating) -> SearchState:
        """Another seating of the same problem, sharing this state's rule arrays (built once: quadratic)."""
        seated = {"table_of", "seats", "size", "position", "meet", "class_count", "visits", "new_count", "hist"}
        return self._seated(problem, seating, {k: v for k, v in vars(self).items() if k not in seated})

    @classmethod
    def _seated(cls, problem: Problem, seating: Seating, arrays: Arrays) -> SearchState:
        n, rounds, tables = problem.people, problem.rounds, problem.tables
        classes = len(arrays["class_max"])
        table_of = seating.table_of.astype(np.int32, copy=True)
        seats = np.full((rounds, tables, max(problem.capacity)), -1, dtype=np.int32)
        size = np.zeros((rounds, tables), dtype=np.int32)
        position = np.full((rounds, n), -1, dtype=np.int32)
        class_count = np.zeros((rounds, tables, classes), dtype=np.int32)
        meet = np.zeros((n, n), dtype=np.int16)  # meetings of a pair: at most the rounds (up to 1,000)
        _bookkeeping(table_of, arrays["member"], seats, size, position, class_count, meet)
        visits = np.zeros((n, tables), dtype=np.int16)
        for r in range(rounds):
            present = np.flatnonzero(table_of[r] >= 0)
            np.add.at(visits, (present, table_of[r, present]), 1)
        for p, t in problem.seated_before:  # earlier seats count as visits (re-planning)
            visits[p, t] += 1
        first = (meet > 0) & ~arrays["apart"] & ~arrays["met_before"] & (arrays["together"] == 0)
        new_count = first.sum(axis=1).astype(np.int64)
        hist = np.bincount(new_count[arrays["attending"]], minlength=n + 1).astype(np.int64)
        return cls(table_of=table_of, seats=seats, size=size, position=position, meet=meet,
                   class_count=class_count, visits=visits, new_count=new_count, hist=hist, **arrays)  # fmt: skip

    def seating(self) -> Seating:
        return Seating(self.table_of.copy(), self.size.shape[1])

    @property
    def seat(self) -> tuple:
        """The seating and its bookkeeping, as the kernels take it."""
        return (self.table_of, self.seats, self.size, self.position, self.meet, self.class_count, self.new_count,
                self.hist, self.visits)  # fmt: skip

    @property
    def rules(self) -> tuple:
        """The rules and values, as the kernels take them."""
        return (self.apart, self.met_before, self.offers, self.needs, self.worth, self.sector, self.member,
                self.class_min, self.class_max, self.min_classes, self.forbid, self.repeat_cost, self.fairness,
                self.attending, self.wish_start, self.wish_other, self.wish_weight, self.together, self.mate,
                self.no_revisit)  # fmt: skip

    def score(self) -> tuple[int, int]:
        """(violations, objective) of the current seating, counted from scratch (scaled)."""
        v, o, _ = _score(self.seat, self.rules)
        return int(v), int(o)

    def rank(self) -> tuple[int, int]:
        """Fewer violations first, then a higher objective: what the searches minimise."""
        violations, objective = self.score()
        return violations, -objective

    def repeats(self) -> int:
        """Repeat meetings of the current seating (counting met_before), forbidden or not."""
        return int(_score(self.seat, self.rules)[2])


# fmt: off
# The kernels take two tuples: `seat` = (table_of, seats, size, position, meet, class_count, new_count, hist,
# visits), the seating and its bookkeeping, changed by moves; `rules` = (apart, met_before, offers, needs, worth,
# sector, member, class_min, class_max, min_classes, forbid, repeat_cost, fairness, attending, wish_start,
# wish_other, wish_weight, together, mate, no_revisit), read only. Kernels take single entries by the S_ and R_
# names below (numba reads them as constants); unpacking a tuple costs nothing in compiled code.
#
# A pair change is counted in four parts: `hard` (meetings of a pair kept apart: always violations),
# `repeat` (meetings beyond a pair's first, counting met_before), `gain` (the value of first meetings) and
# `newness` (first meetings, per person, for the fairness term). Forbidden repeats are violations;
# minimised ones cost repeat_cost each, and the participants in them are searched as conflicts are.

S_TABLE_OF, S_SEATS, S_SIZE, S_POSITION, S_MEET, S_CLASS_COUNT, S_NEW_COUNT, S_HIST, S_VISITS = range(9)
(R_APART, R_MET_BEFORE, R_OFFERS, R_NEEDS, R_WORTH, R_SECTOR, R_MEMBER, R_CLASS_MIN, R_CLASS_MAX, R_MIN_CLASSES,
 R_FORBID, R_REPEAT_COST, R_FAIRNESS, R_ATTENDING, R_WISH_START, R_WISH_OTHER, R_WISH_WEIGHT, R_TOGETHER, R_MATE,
 R_NO_REVISIT) = range(20)

@intrinsic
def _popcount(typing_context, word):  # type: ignore[no-untyped-def]
    """Set bits of a uint64: LLVM's ctpop, one instruction where the processor has it."""

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        ctpop = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)])
        return builder.call(ctpop, args)

    return types.uint64(types.uint64), codegen


@njit(cache=CACHED)
def _value(i, j, offers, needs, sector, worth):
    """The scaled value of i and j meeting for the first time (see PairValues): computed, not stored, so memory
    stays linear in the participants."""
    value = worth[0]
    if worth[1]:
        matches = 0
        for w in range(offers.shape[1]):
            matches += np.int64(_popcount(offers[i, w] & needs[j, w]) + _popcount(offers[j, w] & needs[i, w]))
        value += worth[1] * matches
    if worth[2] and sector[i] >= 0 and sector[j] >= 0 and sector[i] != sector[j]:
        value += worth[2]
    return value


@njit(cache=CACHED)
def _bookkeeping(table_of, member, seats, size, position, class_count, meet):
    """Fill the seating's bookkeeping from table_of (who sits where, each table's seats, counts by attribute
    class, and the meetings of every pair): compiled, as it is quadratic in the table size and linear in the
    people."""
    rounds, n = table_of.shape
    for r in range(rounds):
        for p in range(n):
            t = table_of[r, p]
            if t < 0:
                continue
            position[r, p] = size[r, t]
            seats[r, t, size[r, t]] = p
            size[r, t] += 1
            for w in range(member.shape[1]):
                if member[p, w] >= 0:
                    class_count[r, t, member[p, w]] += 1
        for t in range(size.shape[1]):
            for k in range(size[r, t]):
                for k2 in range(size[r, t]):
                    if k != k2:
                        meet[seats[r, t, k], seats[r, t, k2]] += 1


@njit(cache=CACHED)
def _pair(i, j, m, apart, met_before, offers, needs, sector, worth, together):
    """(hard, repeats, gain, new) of pair i, j meeting m times in this event (a together pair: the rounds they
    do not share a table are violations, and their meetings count nothing)."""
    if apart[i, j]:
        return m, 0, 0, 0
    if together[i, j] > 0:
        return together[i, j] - m, 0, 0, 0
    before = 1 if met_before[i, j] else 0
    new = 1 if (m >= 1 and before == 0) else 0
    gain = _value(i, j, offers, needs, sector, worth) if new else 0
    return 0, max(m + before - 1, 0), gain, new


@njit(cache=CACHED)
def _wish(i, j, wish_start, wish_other, wish_weight):
    """The scaled weight of the wish about i and j, 0 if none (a participant has few wishes: a short scan)."""
    for k in range(wish_start[i], wish_start[i + 1]):
        if wish_other[k] == j:
            return wish_weight[k]
    return 0


@njit(cache=CACHED)
def _wish_value(weight, m):
    """What a wish of this weight adds when its pair meets m times: a positive one once, a negative one each time."""
    if weight < 0:
        return weight * m
    return weight if m > 0 else 0


@njit(cache=CACHED)
def _wished(i, j, m, step, wish_start, wish_other, wish_weight):
    """The objective change of a wish when pair i, j meets `step` more times than m."""
    if wish_start[i] == wish_start[i + 1]:
        return 0
    weight = _wish(i, j, wish_start, wish_other, wish_weight)
    return _wish_value(weight, m + step) - _wish_value(weight, m) if weight else 0


@njit(cache=CACHED)
def _excess(count, size, fewest, most):
    """Violations of one attribute class at one table: beyond its most, and short of its fewest if occupied."""
    over = count - most if count > most else 0
    under = fewest - count if size > 0 and count < fewest else 0
    return over + under


@njit(cache=CACHED)
def _is_member(p, k, member):
    for w in range(member.shape[1]):  # noqa: SIM110 - a loop, not any() over a generator: numba compiles it
        if member[p, w] == k:
            return True
    return False


@njit(cache=CACHED)
def _class_shift(r, k, da, a, b, size, class_count, class_min, class_max, grown):
    """Change of class k's excess at tables a and b when a's count changes by da (b's by -da) and, with
    `grown`, one person moves from a to b."""
    fewest, most = class_min[k], class_max[k]
    sa, sb = size[r, a], size[r, b]
    ca, cb = class_count[r, a, k], class_count[r, b, k]
    return (_excess(ca + da, sa - grown, fewest, most) - _excess(ca, sa, fewest, most)
            + _excess(cb - da, sb + grown, fewest, most) - _excess(cb, sb, fewest, most))


@njit(cache=CACHED)
def _classes_change(r, p, q, a, b, seat, rules):
    """Change in attribute-class excess when p moves from table a to b in round r and, with q >= 0, q from b to
    a. Only the classes of p and q change counts; a move that empties a or opens b also changes whether the
    fewest of the other classes apply there. (The arrays go on as themselves: see _pair_change.)"""
    return _class_changes(r, p, q, a, b, seat[S_SIZE], seat[S_CLASS_COUNT], rules[R_MEMBER], rules[R_CLASS_MIN],
                          rules[R_CLASS_MAX], rules[R_MIN_CLASSES])


@njit(cache=CACHED)
def _class_changes(r, p, q, a, b, size, class_count, member, class_min, class_max, min_classes):
    grown = 0 if q >= 0 else 1
    hard = 0
    for w in range(member.shape[1]):
        k = member[p, w]
        if k < 0:
            break
        if q < 0 or not _is_member(q, k, member):
            hard += _class_shift(r, k, -1, a, b, size, class_count, class_min, class_max, grown)
    if q >= 0:
        for w in range(member.shape[1]):
            k = member[q, w]
            if k < 0:
                break
            if not _is_member(p, k, member):
                hard += _class_shift(r, k, 1, a, b, size, class_count, class_min, class_max, 0)
    elif size[r, a] == 1 or size[r, b] == 0:
        for c in range(min_classes.shape[0]):
            k = min_classes[c]
            if not _is_member(p, k, member):
                hard += _class_shift(r, k, 0, a, b, size, class_count, class_min, class_max, grown)
    return hard


@njit(cache=CACHED)
def _fewest(hist):
    """The fewest first meetings of any attending participant (hist[c]: how many have c)."""
    for c in range(hist.shape[0]):
        if hist[c] > 0:
            return c
    return 0


@njit(cache=CACHED)
def _score(seat, rules):
    """(violations, objective, repeats) of the seating, counted from scratch."""
    size, meet, class_count, visits = seat[S_SIZE], seat[S_MEET], seat[S_CLASS_COUNT], seat[S_VISITS]
    apart, met_before, offers, needs, worth, sector, _, class_min, class_max = rules[:R_MIN_CLASSES]
    forbid, repeat_cost, fairness, attending, wish_start, wish_other, wish_weight = rules[R_FORBID:R_TOGETHER]
    together, no_revisit = rules[R_TOGETHER], rules[R_NO_REVISIT]
    n = meet.shape[0]
    hard = 0
    repeats = 0
    gain = 0
    new_count = np.zeros(n, dtype=np.int64)
    for i in range(n):
        for j in range(i + 1, n):
            if meet[i, j] > 0 or met_before[i, j] or together[i, j] > 0:
                h, rep, g, new = _pair(i, j, meet[i, j], apart, met_before, offers, needs, sector, worth, together)
                hard += h
                repeats += rep
                gain += g + _wished(i, j, 0, meet[i, j], wish_start, wish_other, wish_weight)
                new_count[i] += new
                new_count[j] += new
    rounds, tables, classes = class_count.shape
    for r in range(rounds):
        for t in range(tables):
            for k in range(classes):
                hard += _excess(class_count[r, t, k], size[r, t], class_min[k], class_max[k])
    for p in range(n):
        if no_revisit[p]:
            for t in range(tables):
                hard += max(visits[p, t] - 1, 0)
    fewest = -1
    for i in range(n):
        if attending[i] and (fewest < 0 or new_count[i] < fewest):
            fewest = new_count[i]
    objective = gain + fairness * max(fewest, 0)
    if forbid:
        return hard + repeats, objective, repeats
    return hard, objective - repeat_cost * repeats, repeats


@njit(cache=CACHED)
def _pair_change(i, j, step, meet, apart, met_before, offers, needs, sector, worth, together):
    """Change in (hard, repeats, gain, new) when pair i, j meets `step` (+1 or -1) more times.

    The difference of two _pair calls, written out: this is the innermost loop. It takes the arrays
    themselves, not the `rules` tuple, which measured 3x slower (copied on calls the compiler does not inline)."""
    if apart[i, j]:
        return step, 0, 0, 0
    if together[i, j] > 0:  # one more round at one table: one violation fewer
        return -step, 0, 0, 0
    m = meet[i, j]
    before = 1 if met_before[i, j] else 0
    if step > 0:
        repeat = 1 if m + before >= 1 else 0
        new = 1 if m + before == 0 else 0
    else:
        repeat = -1 if m + before >= 2 else 0
        new = -1 if m + before == 1 and before == 0 else 0
    gain = new * _value(i, j, offers, needs, sector, worth) if new else 0
    return 0, repeat, gain, new


@njit(cache=CACHED)
def _leaving_and_joining(r, p, a, b, skip_a, skip_b, seat, rules, who, by, k):
    """(hard, repeats, gain, k) change of p leaving table a for table b in round r, ignoring tablemates
    skip_a (at a) and skip_b (at b), who are the swap partner if any. With a fairness term, each person's
    change in first meetings is written to who[k:], by[k:] (returning the new k)."""
    seats, size, meet, visits = seat[S_SEATS], seat[S_SIZE], seat[S_MEET], seat[S_VISITS]
    apart, met_before, offers, needs, worth, sector = rules[:R_MEMBER]
    fairness, wish_start = rules[R_FAIRNESS], rules[R_WISH_START]
    wish_other, wish_weight = rules[R_WISH_OTHER], rules[R_WISH_WEIGHT]
    together, no_revisit = rules[R_TOGETHER], rules[R_NO_REVISIT]
    wishes = wish_other.shape[0] > 0
    hard = 0
    repeats = 0
    gain = 0
    for k2 in range(size[r, a]):
        x = seats[r, a, k2]
        if x != p and x != skip_a:
            h, rep, g, new = _pair_change(p, x, -1, meet, apart, met_before, offers, needs, sector, worth, together)
            hard += h
            repeats += rep
            gain += g
            if wishes:
                gain += _wished(p, x, meet[p, x], -1, wish_start, wish_other, wish_weight)
            if fairness and new != 0:
                who[k], by[k], who[k + 1], by[k + 1] = p, new, x, new
                k += 2
    for k2 in range(size[r, b]):
        y = seats[r, b, k2]
        if y != skip_b:
            h, rep, g, new = _pair_change(p, y, 1, meet, apart, met_before, offers, needs, sector, worth, together)
            hard += h
            repeats += rep
            gain += g
            if wishes:
                gain += _wished(p, y, meet[p, y], 1, wish_start, wish_other, wish_weight)
            if fairness and new != 0:
                who[k], by[k], who[k + 1], by[k + 1] = p, new, y, new
                k += 2
    if no_revisit[p]:  # one visit fewer at a, one more at b
        hard += (1 if visits[p, b] >= 1 else 0) - (1 if visits[p, a] >= 2 else 0)
    return hard, repeats, gain, k


@njit(cache=CACHED)
def _fewest_change(who, by, k, seat):
    """How the fewest first meetings of any attending participant changes when each who[i] gains by[i]."""
    new_count, hist = seat[S_NEW_COUNT], seat[S_HIST]
    fewest = _fewest(hist)
    lowest = 1 << 40  # the lowest count among the participants who change
    changed = 0  # of them, how many leave the count `fewest`
    for i in range(k):
        person = who[i]
        if person < 0:
            continue
        net = by[i]
        for j in range(i + 1, k):  # gather this person's changes, once
            if who[j] == person:
                net += by[j]
                who[j] = -1
        if net != 0:
            lowest = min(lowest, new_count[person] + net)
            if new_count[person] == fewest:
                changed += 1
        else:
            lowest = min(lowest, new_count[person])
    if hist[fewest] > changed:
        return min(lowest, fewest) - fewest
    # Everyone at `fewest` changes: the others' lowest count is the next one held by someone who does not.
    c = fewest + 1
    while c < hist.shape[0]:
        leaving = 0
        for i in range(k):
            if who[i] >= 0 and new_count[who[i]] == c:
                leaving += 1
        if hist[c] > leaving:
            break
        c += 1
    return min(lowest, c) - fewest


@njit(cache=CACHED)
def _total(hard, repeats, gain, fairer, rules):
    """(violations, objective change) from the parts of a change."""
    forbid, repeat_cost, fairness = rules[R_FORBID], rules[R_REPEAT_COST], rules[R_FAIRNESS]
    objective = gain + fairness * fairer
    if forbid:
        return hard + repeats, objective
    return hard, objective - repeat_cost * repeats


@njit(cache=CACHED)
def _delta_move(r, p, b, seat, rules, who, by):
    """(violations, objective, repeats) change of moving p to table b in round r."""
    a = seat[S_TABLE_OF][r, p]
    hard, repeats, gain, k = _leaving_and_joining(r, p, a, b, -1, -1, seat, rules, who, by, 0)
    hard += _classes_change(r, p, -1, a, b, seat, rules)
    fairer = _fewest_change(who, by, k, seat) if rules[R_FAIRNESS] else 0
    dv, do = _total(hard, repeats, gain, fairer, rules)
    return dv, do, repeats


@njit(cache=CACHED)
def _delta_swap(r, p, q, seat, rules, who, by):
    """(violations, objective, repeats) change of swapping p and q (at different tables) in round r.

    Each leaves its table for the other's; pairs with the partner are unchanged (they part and
    meet no one new between them), and the classes both belong to keep their counts."""
    table_of = seat[S_TABLE_OF]
    a = table_of[r, p]
    b = table_of[r, q]
    h1, rep1, g1, k = _leaving_and_joining(r, p, a, b, -1, q, seat, rules, who, by, 0)
    h2, rep2, g2, k = _leaving_and_joining(r, q, b, a, -1, p, seat, rules, who, by, k)
    hard = h1 + h2 + _classes_change(r, p, q, a, b, seat, rules)
    fairer = _fewest_change(who, by, k, seat) if rules[R_FAIRNESS] else 0
    dv, do = _total(hard, rep1 + rep2, g1 + g2, fairer, rules)
    return dv, do, rep1 + rep2


@njit(cache=CACHED)
def _count_first(person, step, new_count, hist):
    hist[new_count[person]] -= 1
    new_count[person] += step
    hist[new_count[person]] += 1


@njit(cache=CACHED)
def _met(i, j, step, seat, rules):
    """Count one more (step 1) or one fewer (-1) meeting of i and j, keeping the first-meeting counts."""
    meet, new_count, hist = seat[S_MEET], seat[S_NEW_COUNT], seat[S_HIST]
    apart, met_before, together = rules[R_APART], rules[R_MET_BEFORE], rules[R_TOGETHER]
    m = meet[i, j]
    first = not apart[i, j] and not met_before[i, j] and together[i, j] == 0  # a pair whose first meeting counts
    if first and ((step > 0 and m == 0) or (step < 0 and m == 1)):
        _count_first(i, step, new_count, hist)
        _count_first(j, step, new_count, hist)
    meet[i, j] += step
    meet[j, i] += step


@njit(cache=CACHED)
def _leave(r, p, seat, rules):
    table_of, seats, size, position, _, class_count, _, _, visits = seat
    member = rules[R_MEMBER]
    a = table_of[r, p]
    visits[p, a] -= 1
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p:
            _met(p, x, -1, seat, rules)
    last = seats[r, a, size[r, a] - 1]
    seats[r, a, position[r, p]] = last
    position[r, last] = position[r, p]
    seats[r, a, size[r, a] - 1] = -1
    size[r, a] -= 1
    for w in range(member.shape[1]):
        if member[p, w] >= 0:
            class_count[r, a, member[p, w]] -= 1
    table_of[r, p] = -1


@njit(cache=CACHED)
def _join(r, p, b, seat, rules):
    table_of, seats, size, position, _, class_count, _, _, visits = seat
    member = rules[R_MEMBER]
    visits[p, b] += 1
    for k in range(size[r, b]):
        _met(p, seats[r, b, k], 1, seat, rules)
    seats[r, b, size[r, b]] = p
    position[r, p] = size[r, b]
    size[r, b] += 1
    for w in range(member.shape[1]):
        if member[p, w] >= 0:
            class_count[r, b, member[p, w]] += 1
    table_of[r, p] = b


@njit(cache=CACHED)
def _apply(r, p, q, b, seat, rules):
    """Move p to table b in round r; with q >= 0, q (at b) takes p's seat in exchange."""
    a = seat[S_TABLE_OF][r, p]
    _leave(r, p, seat, rules)
    if q >= 0:
        _leave(r, q, seat, rules)
        _join(r, q, a, seat, rules)
    _join(r, p, b, seat, rules)


@njit(cache=CACHED)
def _group_move(r, p, b, seat, rules, fixed, capacity, minimum, who, by, keep):
    """Move p and the members of p's together group at p's table to table b in round r, one by one; keep the
    move or undo it. Returns (possible, violations, objective, repeats) of the whole move: impossible where a
    member may not move or the tables' limits do not allow the group. Moving a group whole keeps it together,
    where moving one member alone would part it (and so never be taken once the seating is valid)."""
    table_of, size, mate = seat[S_TABLE_OF], seat[S_SIZE], rules[R_MATE]
    a = table_of[r, p]
    movers = np.empty(seat[S_SEATS].shape[2], dtype=np.int64)  # the members at a, at most a table's seats
    members = 0
    q = p
    while True:
        if table_of[r, q] == a:
            if fixed[r, q]:
                return False, 0, 0, 0
            movers[members] = q
            members += 1
        q = mate[q]
        if q == p or q < 0:
            break
    if size[r, a] - members < minimum[r, a] or size[r, b] + members > capacity[r, b]:
        return False, 0, 0, 0
    dv, do, drep = 0, 0, 0
    for k in range(members):
        v1, o1, rep1 = _delta_move(r, movers[k], b, seat, rules, who, by)
        _apply(r, movers[k], -1, b, seat, rules)
        dv, do, drep = dv + v1, do + o1, drep + rep1
    if not keep:
        for k in range(members - 1, -1, -1):
            _apply(r, movers[k], -1, a, seat, rules)
    return True, dv, do, drep


@njit(cache=CACHED)
def _in_conflict(r, p, seat, rules):
    """Whether p takes part in a violation in round r, or in a repeat (forbidden or not)."""
    table_of, seats, size, _, meet, class_count, _, _, visits = seat
    apart, met_before = rules[R_APART], rules[R_MET_BEFORE]
    member, class_min, class_max, min_classes = rules[R_MEMBER:R_FORBID]
    mate, no_revisit = rules[R_MATE], rules[R_NO_REVISIT]
    a = table_of[r, p]
    if a < 0:
        return False
    if no_revisit[p] and visits[p, a] > 1:
        return True
    q = mate[p]
    if q >= 0 and table_of[r, q] >= 0 and table_of[r, q] != a:
        return True
    for w in range(member.shape[1]):
        k = member[p, w]
        if k >= 0 and class_count[r, a, k] > class_max[k]:
            return True
    for c in range(min_classes.shape[0]):  # a table short of a class: everyone at it may make room
        k = min_classes[c]
        if class_count[r, a, k] < class_min[k]:
            return True
    for k in range(size[r, a]):
        x = seats[r, a, k]
        if x != p and (apart[p, x] or meet[p, x] > 1 or met_before[p, x]):
            return True
    return False


@njit(cache=CACHED, nogil=True)  # nogil: parallel_local_search runs several walks at once in threads
def _search(seat, rules, fixed, capacity, minimum, tabu, best_table_of, status, iterations, seed, tenure):
    """Run `iterations` moves, reading and updating `status` (see the slot names above).

    While the seating breaks rules, or repeats meetings, every move of a participant in conflict is
    evaluated and the best non-tabu one taken, even if worse (a tabu move only when it beats the best
    seating seen). Otherwise one random participant per iteration gets their best move, if it does not make
    things worse. The best seating seen is kept in best_table_of; the caller loops over chunks and
    watches the clock.
    """
    table_of, seats, size = seat[S_TABLE_OF], seat[S_SEATS], seat[S_SIZE]
    forbid, mate = rules[R_FORBID], rules[R_MATE]
    if status[RESEED] == 1:
        np.random.seed(seed)
        status[RESEED] = 0
    rounds, n = table_of.shape
    tables = size.shape[1]
    cur_v, cur_o, cur_r = status[CUR_V], status[CUR_O], status[CUR_R]
    best_v, best_o, best_r = status[BEST_V], status[BEST_O], status[BEST_R]
    it, stall, evals = status[ITERATION], status[STALL], status[EVALS]
    pending_r = np.empty(rounds * n, dtype=np.int64)
    pending_p = np.empty(rounds * n, dtype=np.int64)
    # Scratch for the fairness term: who changes, and by how much (a swap: two people, two tables, a pair each).
    who = np.empty(8 * (seats.shape[2] + 1), dtype=np.int64)
    by = np.empty(8 * (seats.shape[2] + 1), dtype=np.int64)
    for _ in range(iterations):
        it += 1
        count = 0
        conflicted = cur_v > 0 or (not forbid and cur_r > 0)
        if conflicted:
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
        move_v, move_o, move_rep, ties = 1 << 40, -(1 << 60), 0, 0
        for c in range(count):
            r, p = pending_r[c], pending_p[c]
            a = table_of[r, p]
            for b in range(tables):
                if b == a:
                    continue
                movable = size[r, a] > minimum[r, a] and size[r, b] < capacity[r, b]
                for k in range(-1 if movable else 0, size[r, b]):
                    q = -1 if k < 0 else seats[r, b, k]
                    if q >= 0 and fixed[r, q]:
                        continue
                    if q < 0:
                        dv, do, drep = _delta_move(r, p, b, seat, rules, who, by)
                    else:
                        dv, do, drep = _delta_swap(r, p, q, seat, rules, who, by)
                    evals += 1
                    allowed = tabu[r, p, b] < it and (q < 0 or tabu[r, q, a] < it)
                    aspire = cur_v + dv < best_v or (cur_v + dv == best_v and cur_o + do > best_o)
                    if not (allowed or aspire):
                        continue
                    if dv < move_v or (dv == move_v and do > move_o):
                        move_v, move_o, move_rep, ties = dv, do, drep, 1
                        move_r, move_p, move_q, move_b = r, p, q, b
                    elif dv == move_v and do == move_o:
                        ties += 1
                        if np.random.randint(ties) == 0:  # uniform among equals
                            move_r, move_p, move_q, move_b, move_rep = r, p, q, b, drep
            if mate[p] < 0:
                continue
            for b in range(tables):  # p's together group, whole (move_q GROUP)
                if b == a:
                    continue
                possible, dv, do, drep = _group_move(r, p, b, seat, rules, fixed, capacity, minimum, who, by, False)
                if not possible:
                    continue
                evals += 1
                aspire = cur_v + dv < best_v or (cur_v + dv == best_v and cur_o + do > best_o)
                if not (tabu[r, p, b] < it or aspire):
                    continue
                if dv < move_v or (dv == move_v and do > move_o):
                    move_v, move_o, move_rep, ties = dv, do, drep, 1
                    move_r, move_p, move_q, move_b = r, p, GROUP, b
        worse_when_settled = not conflicted and (move_v > 0 or (move_v == 0 and move_o < 0))
        if move_r < 0 or worse_when_settled:
            stall += 1
        else:
            old_table = table_of[move_r, move_p]
            if move_q == GROUP:
                _group_move(move_r, move_p, move_b, seat, rules, fixed, capacity, minimum, who, by, True)
            else:
                _apply(move_r, move_p, move_q, move_b, seat, rules)
            # p may not return to the table it left for a while (nor q, in a swap).
            tabu[move_r, move_p, old_table] = it + tenure + np.random.randint(tenure + 1)
            if move_q >= 0:
                tabu[move_r, move_q, move_b] = it + tenure + np.random.randint(tenure + 1)
            cur_v += move_v
            cur_o += move_o
            cur_r += move_rep
            if cur_v < best_v or (cur_v == best_v and cur_o > best_o):
                best_v, best_o, best_r = cur_v, cur_o, cur_r
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
                dv, do, drep = _delta_swap(r, p, q, seat, rules, who, by)
                _apply(r, p, q, table_of[r, q], seat, rules)
                cur_v += dv
                cur_o += do
                cur_r += drep
            stall = 0
        if best_v == 0 and (status[STOP_WHEN_VALID] == UNTIL_VALID or (status[STOP_WHEN_VALID] == UNTIL_SETTLED
                                                                          and best_r == 0)):  # fmt: skip
            break  # the caller only wants a valid (or settled) schedule
        if status[EVAL_LIMIT] > 0 and evals >= status[EVAL_LIMIT]:
            break  # a budget in evaluations, not seconds: the same run every time
    status[CUR_V], status[CUR_O], status[CUR_R] = cur_v, cur_o, cur_r
    status[BEST_V], status[BEST_O], status[BEST_R] = best_v, best_o, best_r
    status[ITERATION], status[STALL], status[EVALS] = it, stall, evals
    return it


@njit(cache=CACHED)
def _relabelled_round(r, u, v, ta, tb, seat, rules, capacity, minimum, who, by):
    """Change round r as if u (at table ta) and v (at tb) traded places, either being -1 (a hole) or absent:
    a swap, a move, or nothing. Returns (done, violations, objective, repeats); done is False when the move
    would take a table beyond its limits (nothing is changed then)."""
    table_of, size = seat[S_TABLE_OF], seat[S_SIZE]
    u_in = u >= 0 and table_of[r, u] >= 0
    v_in = v >= 0 and table_of[r, v] >= 0
    if u_in and v_in:
        dv, do, drep = _delta_swap(r, u, v, seat, rules, who, by)
        _apply(r, u, v, tb, seat, rules)
        return True, dv, do, drep
    if u_in or v_in:
        p, source, target = (u, ta, tb) if u_in else (v, tb, ta)
        if size[r, source] <= minimum[r, source] or size[r, target] >= capacity[r, target]:
            return False, 0, 0, 0
        dv, do, drep = _delta_move(r, p, target, seat, rules, who, by)
        _apply(r, p, -1, target, seat, rules)
        return True, dv, do, drep
    return True, 0, 0, 0


@njit(cache=CACHED, nogil=True)
def _relabel(seat, rules, capacity, minimum, point_table, label, pinned, best_table_of, status, iterations, seed):
    """Trade the points of two participants (or of one and a hole) `iterations` times, keeping trades that make
    the seating no worse: every round changes as if the two traded places, so a design's pairs still meet at
    most once. `point_table[r, point]` is the table of the point's group in round r; pinned points (hosts')
    never trade. Reads and updates `status` like _search; the best seating is kept in best_table_of."""
    if status[RESEED] == 1:
        np.random.seed(seed)
        status[RESEED] = 0
    rounds, points = point_table.shape
    seats = seat[S_SEATS]
    who = np.empty(8 * (seats.shape[2] + 1), dtype=np.int64)
    by = np.empty(8 * (seats.shape[2] + 1), dtype=np.int64)
    undo = np.empty(rounds, dtype=np.int64)  # rounds changed by the current trade, to revert it
    cur_v, cur_o, cur_r = status[CUR_V], status[CUR_O], status[CUR_R]
    best_v, best_o, best_r = status[BEST_V], status[BEST_O], status[BEST_R]
    it, evals = status[ITERATION], status[EVALS]
    for _ in range(iterations):
        if status[EVAL_LIMIT] > 0 and evals >= status[EVAL_LIMIT]:
            break
        it += 1
        a = np.random.randint(points)
        b = np.random.randint(points)
        u, v = label[a], label[b]
        if a == b or pinned[a] or pinned[b] or (u < 0 and v < 0):
            continue
        evals += 1
        dv, do, drep, changed, possible = 0, 0, 0, 0, True
        for r in range(rounds):
            ta, tb = point_table[r, a], point_table[r, b]
            if ta == tb:
                continue
            done, v1, o1, rep1 = _relabelled_round(r, u, v, ta, tb, seat, rules, capacity, minimum, who, by)
            if not done:
                possible = False
                break
            dv, do, drep = dv + v1, do + o1, drep + rep1
            undo[changed] = r
            changed += 1
        if possible and (dv < 0 or (dv == 0 and do >= 0)):
            label[a], label[b] = v, u
            cur_v, cur_o, cur_r = cur_v + dv, cur_o + do, cur_r + drep
            if cur_v < best_v or (cur_v == best_v and cur_o > best_o):
                best_v, best_o, best_r = cur_v, cur_o, cur_r
                best_table_of[:, :] = seat[S_TABLE_OF]
                status[LAST_BETTER] = it
            continue
        for k in range(changed - 1, -1, -1):  # undo, last round first: the same trade again restores each
            r = undo[k]
            _relabelled_round(r, v, u, point_table[r, a], point_table[r, b], seat, rules, capacity, minimum, who, by)
    status[CUR_V], status[CUR_O], status[CUR_R] = cur_v, cur_o, cur_r
    status[BEST_V], status[BEST_O], status[BEST_R] = best_v, best_o, best_r
    status[ITERATION], status[EVALS] = it, evals
    return it
# fmt: on


def search_ready() -> bool:
    """Whether the local search can run now without compiling first.

    Compiling takes about 10 s on the CI machine, once per installation and user (numba caches the result on
    disk, see kernel_cache): no solve may wait for it. So when the kernels are neither loaded nor cached, the
    first call starts compiling them in the background and answers False until that has finished; the solve
    meanwhile goes on with the greedy start and CP-SAT, and takes up the local search once it is ready."""
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
    with compiling_alone():
        _run_every_kernel()
    _compiled.set()
    pricing.warm_up()  # the table-aware bound's kernel, after the search's: the search must not wait for it


def kernels_ready() -> bool:
    """Whether the compiled kernels are loaded or in numba's on-disk cache (if not, a first call compiles them)."""
    for kernel in (_search, _score, _relabel, _bookkeeping):
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
    objective: int  # scaled
    repeats: int  # repeat meetings (counting met_before)
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
    restart_after: int | None = None,
) -> SearchResult:
    """Improve `start` until `stop`; return the best seating seen (fewest violations, then objective).

    The kernel runs in chunks of `chunk` move evaluations (tens of milliseconds), between which the
    stopping criteria are asked. Budgets of work (MaxEvaluations, MaxIterations) are kept exactly, so
    that with them a run is reproducible; with Valid, the kernel stops at the first valid seating.
    `on_valid(objective)` hears of each better valid seating between chunks.

    `restart_after`: while no seating seen is valid, a walk that has found no better one for this many
    iterations starts again from a new greedy start (the best seen is kept). On tightly constrained events the
    search either finds a valid seating within a few hundred moves or circles for good: on the Garden Jam
    (every rule of issue 12 at once), one walk from the greedy start of seeds 0-15 was still invalid after 10 s
    for 10 seeds without restarts; restarting after 320 iterations, every seed was valid, after 1.5 s (median)
    and 2.7 s at most."""
    started = time.perf_counter()
    state = SearchState.from_seating(problem, start)
    v, o, repeats = _score(state.seat, state.rules)
    status = np.zeros(STATUS_SLOTS, dtype=np.int64)
    until = UNTIL_VALID if stop.until_valid() else UNTIL_SETTLED if stop.until_settled() else 0
    status[[CUR_V, CUR_O, CUR_R, BEST_V, BEST_O, BEST_R, RESEED, STOP_WHEN_VALID]] = [v, o, repeats, v, o, repeats, 1,
                                                                                       until]  # fmt: skip
    tabu = np.zeros((*state.table_of.shape, problem.tables), dtype=np.int32)  # iterations: below 2**31
    best_table_of = state.table_of.copy()
    tenure = max(2, min(10, problem.people // 8))
    valid_at = time.perf_counter() if v == 0 else None
    told = -(1 << 62)  # best objective passed to on_valid
    max_evaluations, max_iterations = stop.max_evaluations(), stop.max_iterations()
    attempt, attempt_from = 0, 0  # restarts so far, and the iteration the current one began at
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
        stuck = status[ITERATION] - max(status[LAST_BETTER], attempt_from)
        if restart_after is not None and status[BEST_V] > 0 and stuck > restart_after:
            attempt += 1
            # Unrepaired: the greedy's own repair is slow, and repairing is this search's job.
            start = greedy_schedule(problem, seed + attempt * RESTART_SEED_STRIDE, repair=False)
            state = state.reseated(problem, start)
            _restarted(state, status, tabu, best_table_of)
            attempt_from = int(status[ITERATION])
    return SearchResult(
        Seating(best_table_of, problem.tables), int(status[BEST_V]), int(status[BEST_O]), int(status[BEST_R]),
        int(status[ITERATION]),
        int(status[EVALS]), time.perf_counter() - started, valid_at,
    )  # fmt: skip


# Seeds of a walk's restarts are this far apart (and from the walks' own seeds, see WALK_SEED_STRIDE).
RESTART_SEED_STRIDE = 7919


def _restarted(state: SearchState, status: np.ndarray, tabu: np.ndarray, best_table_of: np.ndarray) -> None:
    """Make `state` the kernel's current seating: its score, no tabu moves, no stall; the best if it is better."""
    v, o, repeats = _score(state.seat, state.rules)
    status[[CUR_V, CUR_O, CUR_R, STALL]] = [v, o, repeats, 0]
    tabu[:] = 0
    if v < status[BEST_V] or (v == status[BEST_V] and o > status[BEST_O]):
        status[[BEST_V, BEST_O, BEST_R, LAST_BETTER]] = [v, o, repeats, status[ITERATION]]
        best_table_of[:, :] = state.table_of


def _progress(status: np.ndarray) -> Progress:
    return Progress(
        iterations=int(status[ITERATION]),
        evaluations=int(status[EVALS]),
        since_better=int(status[ITERATION] - status[LAST_BETTER]),
        violations=int(status[BEST_V]),
        objective=int(status[BEST_O]),
        repeats=int(status[BEST_R]),
    )


def relabel(
    problem: Problem, start: Seating, point_tables: np.ndarray, label: np.ndarray, stop: Stop, seed: int = 0
) -> SearchResult:
    """Improve a seating laid over a design by trading points (see _relabel) until `stop`: the schedule keeps
    the design's zero repeats while the rest of the objective and the rules are served.

    `point_tables[r, point]` is the table of the point's group in round r, `label[point]` the participant at
    the point (-1: none); hosts' points never trade."""
    started = time.perf_counter()
    state = SearchState.from_seating(problem, start)
    v, o, repeats = _score(state.seat, state.rules)
    status = np.zeros(STATUS_SLOTS, dtype=np.int64)
    status[[CUR_V, CUR_O, CUR_R, BEST_V, BEST_O, BEST_R, RESEED]] = [v, o, repeats, v, o, repeats, 1]
    label = label.astype(np.int64, copy=True)
    pinned = np.array([p >= 0 and problem.fixed_table(p) is not None for p in label.tolist()], dtype=np.bool_)
    best_table_of = state.table_of.copy()
    max_evaluations = stop.max_evaluations()
    tables_of_points = point_tables.astype(np.int64)
    while True:
        chunk = status[EVALS] + RELABEL_CHUNK
        status[EVAL_LIMIT] = chunk if max_evaluations is None else min(chunk, max_evaluations)
        _relabel(state.seat, state.rules, state.capacity, state.minimum, tables_of_points, label, pinned,
                 best_table_of, status, 4 * RELABEL_CHUNK, seed)  # fmt: skip
        if stop.met(_progress(status)):
            break
    return SearchResult(
        Seating(best_table_of, problem.tables), int(status[BEST_V]), int(status[BEST_O]), int(status[BEST_R]),
        int(status[ITERATION]), int(status[EVALS]), time.perf_counter() - started, None,
    )  # fmt: skip


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
    the same time. The first walk is the plain search; the others only hunt for conflicts (broken rules, and
    repeats where they are allowed at a cost) and stop at their first seating without any, so instances
    settled within a second (realistic events) get the same
    improving search as with one walk. Once one walk's result meets `stop` (e.g. its Target or Valid),
    all stop. With one walk this is exactly `local_search`."""
    if walks <= 1:
        return local_search(problem, start, stop, seed, **options)
    enough = threading.Event()  # stops every walk: one has finished the job, or the caller said stop
    shared = stop | Interrupted(enough)
    with ThreadPoolExecutor(max_workers=walks) as pool:
        running = {
            pool.submit(
                local_search, problem, start, shared if k == 0 else shared | Settled(), seed + k * WALK_SEED_STRIDE,
                **options,
            )
            for k in range(walks)
        }  # fmt: skip
        results: list[SearchResult] = []
        while running:
            done, running = wait(running, timeout=0.05, return_when=FIRST_COMPLETED)
            results += [future.result() for future in done]
            # A result that meets the caller's criteria (its target, or validity) ends every walk.
            finished = any(stop.met(Progress(violations=r.violations, objective=r.objective, repeats=r.repeats))
                           for r in results)  # fmt: skip
            if finished or stop.interrupted():
                enough.set()
    return min(results, key=lambda r: (r.violations, -r.objective))


def warm_up() -> float:
    """Compile the kernels now, the search's and the table-aware bound's (or load them from the cache); returns the
    seconds it took. While another process compiles into the same cache, waits for it and loads its result."""
    started = time.perf_counter()
    with compiling_alone():
        _run_every_kernel()
        pricing.warm_up()
    return time.perf_counter() - started


def _run_every_kernel() -> None:
    from tablejam.models.instance import Instance

    tiny = Instance(
        rounds=2,
        tables={"count": 2, "capacity": 2},
        participants=[{"id": f"p{k}", "sector": "s"} for k in range(4)],
        sectors={"max_per_table": 1},
    )
    problem = Problem.from_instance(tiny)
    start = Seating.from_groups([[[0, 1], [2, 3]], [[0, 1], [2, 3]]], 4)
    local_search(problem, start, Stop(MaxIterations(10)))
    points = np.array([[0, 0, 1, 1], [0, 0, 1, 1]])  # the start as a design's groups: point k is participant k
    relabel(problem, start, points, np.arange(4), Stop(MaxEvaluations(10)))
