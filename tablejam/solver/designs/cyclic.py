"""Cyclic base rounds: one partition of the points, developed by +1 (mod n) into n rounds.

Points are Z_n x {levels} (point (level, x) is level*n + x) plus `fixed` points n*levels + i that
every shift leaves alone. The group Z_n acts on pairs, and every pair lies in exactly one orbit:
- a pure difference within a level: {(l, x), (l, x + d)}, d and -d being one orbit; when 2d = 0
  (mod n) the orbit has only n/2 pairs, and shifting a group that holds one of them repeats it, so
  such pairs are forbidden;
- a mixed difference between two levels: {(l, x), (l', x + d)} for l < l';
- a fixed point and a level: {inf_i, (l, x)};
- a short cycle (m points turned by s mod m, m | n) and a level: m orbits, one per class mod m.
Two fixed points are never in a group, since no shift separates them (nor two points of one short
cycle). If a base round uses each orbit at most once, its n shifts meet every pair at most once; k base
rounds whose orbits are all distinct give k*n rounds. This is the method of differences (Bose, 1939,
"On the construction of balanced incomplete block designs") in its resolvable and "1-rotational" forms
(Handbook of Combinatorial Designs, 2nd ed., 2007): nearly Kirkman triple systems NKTS(v) on
Z_(v/2-1) x 2 + 2 and the 4-RGDDs of type 3^u behind 6-4-7 and 9-4-11 on Z_n x 3 + 3 are found this way.

When there are exactly `size` levels and no fixed points, a round may also be *invariant*: one group
with a point on every level, and its n shifts. It uses one mixed orbit per pair of levels. k base rounds
plus j invariant rounds give k*n + j rounds; that is the shape of Ray-Chaudhuri & Wilson's KTS(3q)
(see kirkman.py), and it gives KTS(33) on Z_11 x 3 + 5 and KTS(45) on Z_15 x 3 + 7 here.

Not every design has such a form. For 8-4-10 (a 4-RGDD of type 2^16) CP-SAT proved that neither
Z_10 x 3 + 2 fixed points (17 s) nor Z_10 x 3 + a 2-cycle (59 s) has base rounds, and found none in
Z_8 x 4 + 2 invariant rounds (600 s; nor with invariant rounds of any kind, in a 600 s experiment not kept
here) or Z_5 x 6 + 2 fixed with 2 base rounds (500 s in two runs), so 8-4 stops at the 9 rounds of the
transversal design.

Past the counting bound on rounds every schedule repeats; letting an orbit be used u times (n * (u - 1)
repeats) turns the same search into one for resolvable coverings with the fewest repeats counting allows
(6-3-9: one mixed orbit of Z_9 x 2 twice, 9 repeats, found in 0.05 s).

A base round is one partition into groups, so CP-SAT finds one fast where it exists. The catalogue
(catalogue.py) stores what this search found offline; at run time it only runs for sizes not stored.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from math import comb

from ortools.sat.python import cp_model

from tablejam.solver.designs.design import Design, as_design

BaseRound = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Shape:
    """Z_modulus x levels, fixed points and short cycles; base_rounds base rounds each developed into modulus rounds.

    A short cycle of length m (m divides the modulus, 1 < m < modulus) is m points that a shift by s
    turns by s mod m; like fixed points they let a point count that is no multiple of the modulus use
    the group (6-5-4 on Z_4 x 7 plus one 2-cycle). Points: the levels first (level*modulus + x), then
    the fixed points, then each cycle in turn.
    """

    modulus: int
    levels: int
    fixed: int
    base_rounds: int = 1
    cycles: tuple[int, ...] = ()
    invariant: int = 0  # rounds made of one group and its n shifts (levels = size, no fixed points or cycles)

    @property
    def points(self) -> int:
        return self.modulus * self.levels + self.fixed + sum(self.cycles)

    @property
    def rounds(self) -> int:
        return self.modulus * self.base_rounds + self.invariant

    @property
    def first_fixed(self) -> int:
        return self.modulus * self.levels

    def describe(self) -> str:
        fixed = f" + {self.fixed} fixed" if self.fixed else ""
        cycles = "".join(f" + a {m}-cycle" for m in self.cycles)
        bases = f", {self.base_rounds} base rounds" if self.base_rounds > 1 else ""
        invariant = f" + {self.invariant} invariant rounds" if self.invariant else ""
        return f"Z_{self.modulus} x {self.levels}{fixed}{cycles}{bases}{invariant}"

    def shift(self, point: int, s: int) -> int:
        """The point moved by +s: (level, x) -> (level, x + s); fixed points stay; a cycle turns by s mod m."""
        n = self.modulus
        if point < self.first_fixed:
            return point - point % n + (point % n + s) % n
        start = self.first_fixed + self.fixed
        if point < start:
            return point
        for m in self.cycles:
            if point < start + m:
                return start + (point - start + s) % m
            start += m
        raise ValueError(f"point {point} is not in {self.describe()}")

    def orbit(self, a: int, b: int) -> tuple[int, int] | None:
        """The orbit of the pair {a, b} under Z_n, named by its smallest pair; None for a pair no base round may hold.

        A pair whose orbit has fewer than n pairs (two fixed points, a pure difference d with 2d = 0,
        two points of one short cycle) is fixed by some shift, so a group holding it would repeat it.
        """
        return _orbits(self).get((min(a, b), max(a, b)))

    def orbit_count(self) -> int:
        """How many orbits the base and invariant rounds may use in all (each at most once)."""
        return len(set(_orbits(self).values()))


@cache
def _orbits(shape: Shape) -> dict[tuple[int, int], tuple[int, int]]:
    """Every pair with an orbit of full length n, mapped to that orbit's smallest pair."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for a in range(shape.points):
        for b in range(a + 1, shape.points):
            if (a, b) in out:
                continue
            orbit = set()
            for s in range(shape.modulus):
                x, y = shape.shift(a, s), shape.shift(b, s)
                orbit.add((min(x, y), max(x, y)))
            if len(orbit) == shape.modulus:
                key = min(orbit)
                for pair in orbit:
                    out[pair] = key
    return out


def fits(shape: Shape, groups: int, size: int) -> bool:
    """Necessary conditions for base rounds of this shape to exist for g-p."""
    if shape.points != groups * size or shape.modulus < 1 or shape.levels < 1:
        return False
    if shape.fixed > groups or any(m > groups for m in shape.cycles):
        return False  # two fixed points (or two points of one short cycle) in a group would meet again
    if shape.fixed and shape.base_rounds * (size - 1) > shape.levels:
        return False  # a fixed point meets each level's orbit once, so its partners sit on distinct levels
    if shape.invariant and (shape.fixed or shape.cycles or shape.levels != size):
        return False  # an invariant round is one transversal group shifted n times
    pairs = (shape.base_rounds * groups + shape.invariant) * comb(size, 2)
    return pairs <= shape.orbit_count()


def covers(shape: Shape, groups: int, size: int) -> bool:
    """Necessary conditions for base rounds of this shape that may repeat meetings (no invariant rounds)."""
    if shape.points != groups * size or shape.modulus < 2 or shape.levels < 1 or shape.invariant:
        return False
    return shape.fixed <= groups and all(m <= groups for m in shape.cycles)


def candidate_shapes(groups: int, size: int, rounds: int, most_base_rounds: int = 2, repeats: int = 0) -> list[Shape]:
    """Shapes that could give `rounds` rounds for g-p (with at most `repeats` repeat meetings), most promising first.

    One base round before two (a smaller model), then the fewest surplus rounds (each surplus round
    needs orbits of its own), invariant rounds last, then the fewest short cycles and fixed points.
    """
    v = groups * size
    shapes = []
    for k in range(1, most_base_rounds + 1):
        low = -(-rounds // k)
        for n in range(max(low, 2), v + 1):
            if k * n - rounds > max(3, rounds // 2):
                break
            cycle_lengths = [()] + [(m,) for m in range(2, n) if n % m == 0]
            for cycles in cycle_lengths:
                for fixed in range(0, groups + 1):
                    rest = v - fixed - sum(cycles)
                    if rest > 0 and rest % n == 0:
                        shape = Shape(n, rest // n, fixed, k, cycles)
                        if fits(shape, groups, size) if repeats == 0 else covers(shape, groups, size):
                            shapes.append(shape)
        # Rounds made of one transversal group and its shifts (the shape of KTS(3q), kirkman.py) need
        # levels = size and no fixed points, so n = groups; they make up what k base rounds leave.
        invariant = rounds - k * groups
        if invariant >= 1 and repeats == 0:
            shape = Shape(groups, size, 0, k, (), invariant)
            if fits(shape, groups, size):
                shapes.append(shape)
    shapes.sort(key=lambda s: (s.base_rounds, s.rounds - rounds, s.invariant > 0, len(s.cycles), s.fixed))
    return shapes


def develop(shape: Shape, bases: Sequence[Sequence[Sequence[int]]]) -> list[list[list[int]]]:
    """shape.rounds rounds: each base round shifted by 0..n-1, then one round per invariant group.

    `bases` holds the base_rounds base rounds, then one single-group entry per invariant round.
    """
    if len(bases) != shape.base_rounds + shape.invariant:
        raise ValueError(f"{shape.describe()} needs {shape.base_rounds + shape.invariant} bases, not {len(bases)}")
    n = shape.modulus
    rounds = [
        [[shape.shift(a, s) for a in group] for group in base] for base in bases[: shape.base_rounds] for s in range(n)
    ]
    for (group,) in bases[shape.base_rounds :]:
        rounds.append([[shape.shift(a, s) for a in group] for s in range(n)])
    return rounds


def search(
    groups: int, size: int, shape: Shape, time_limit: float, seed: int = 0, workers: int = 2, repeats: int = 0
) -> list[BaseRound] | None:
    """Base rounds of this shape for g-p found by CP-SAT within time_limit seconds, or None.

    `repeats`: how many repeat meetings the developed rounds may hold (0: a design proper). An orbit used
    u times meets each of its n pairs u times, so it costs n * (u - 1) repeats: beyond the counting bound
    on rounds (6-3-9) the least repeats counting allows may still come from a cyclic covering."""
    if time_limit <= 0 or not (fits(shape, groups, size) if repeats == 0 else covers(shape, groups, size)):
        return None
    model = cp_model.CpModel()
    points = range(shape.points)
    cut = shape.first_fixed
    free = [a for a in points if not cut <= a < cut + shape.fixed]
    k_range = range(shape.base_rounds)
    # x[k][a][t]: point a is in group t of base round k.
    x = [[[model.new_bool_var(f"x[{k},{a},{t}]") for t in range(groups)] for a in points] for k in k_range]
    orbit_members: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    together: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for k in k_range:
        for a in points:
            model.add_exactly_one(x[k][a])
        for t in range(groups):
            model.add(sum(x[k][a][t] for a in points) == size)
        # Groups are unlabelled: fixed point i sits in group i (they must be in distinct groups), and the
        # other groups are ordered by their smallest point (each member of group t has a smaller point in t - 1).
        for i in range(shape.fixed):
            model.add(x[k][cut + i][i] == 1)
        for i, a in enumerate(free):
            for t in range(shape.fixed, groups):
                h = t - shape.fixed
                if h > i:
                    model.add(x[k][a][t] == 0)
                elif h >= 1:
                    model.add_bool_or([x[k][a][t].Not(), *(x[k][b][t - 1] for b in free[:i])])
        for a in points:
            for b in range(a + 1, shape.points):
                key = shape.orbit(a, b)
                if key is None:
                    for t in range(groups):
                        model.add_at_most_one(x[k][a][t], x[k][b][t])
                    continue
                # y[k, a, b]: a and b share a group in base round k (both directions, so counts are exact).
                y = model.new_bool_var(f"y[{k},{a},{b}]")
                for t in range(groups):
                    model.add_bool_or([x[k][a][t].Not(), x[k][b][t].Not(), y])
                    model.add_bool_or([y.Not(), x[k][a][t].Not(), x[k][b][t]])
                orbit_members.setdefault(key, []).append(y)
                together[(k, a, b)] = y
        if shape.fixed and repeats == 0:
            # Shifting one level alone (x -> x + c on it) and permuting the levels both commute with the
            # shifts, so they map orbits to orbits. Fixed point 0 meets each level once in all, so its
            # partners in base round k lie on p - 1 levels it has not met before: WLOG the next p - 1
            # levels, each at x = 0 (those levels' shifts and order are still free).
            partners = [(k * (size - 1) + i) * shape.modulus for i in range(size - 1)]
            for a in points:
                if a != cut:
                    model.add(x[k][a][0] == (1 if a in partners else 0))
        elif shape.cycles and k == 0:
            # The same moves with the first cycle point c: the levels where c has partners come first,
            # and on each of them some partner is (l, 0).
            c, n = cut, shape.modulus
            for level in range(shape.levels):
                first = together[(k, level * n, c)]
                for a in range(level * n + 1, (level + 1) * n):
                    model.add_implication(together[(k, a, c)], first)
                if level:
                    model.add_implication(first, together[(k, (level - 1) * n, c)])
    transversals = _invariant_rounds(model, shape, orbit_members)
    if repeats:
        # Each orbit's uses beyond the first cost its n pairs a repeat each.
        excess = [model.new_int_var(0, len(members), "excess") for members in orbit_members.values()]
        for extra, members in zip(excess, orbit_members.values(), strict=True):
            model.add(extra >= sum(members) - 1)
        model.add(shape.modulus * sum(excess) <= repeats)
    else:
        # With as many orbits as pairs to place (8-4-10 and every resolvable design), each orbit is used exactly once.
        tight = (shape.base_rounds * groups + shape.invariant) * comb(size, 2) == len(orbit_members)
        for members in orbit_members.values():
            if tight:
                model.add_exactly_one(members)
            else:
                model.add_at_most_one(members)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    bases = []
    for k in k_range:
        base = [tuple(a for a in points if solver.boolean_value(x[k][a][t])) for t in range(groups)]
        bases.append(tuple(base))
    for u in transversals:
        group = tuple(
            level * shape.modulus + next(x for x, v in enumerate(u[level]) if solver.boolean_value(v))
            for level in range(shape.levels)
        )
        bases.append((group,))
    return bases


def _invariant_rounds(
    model: cp_model.CpModel, shape: Shape, orbit_members: dict[tuple[int, int], list[cp_model.IntVar]]
) -> list[list[list[cp_model.IntVar]]]:
    """Variables for the invariant rounds; their mixed orbits join orbit_members. Returns u[j][level][x].

    Invariant round j is the group {(l, x_l)} and its n shifts; u[j][l][x] says x_l = x. Shifting the
    whole round changes nothing, so x_0 = 0; shifting levels one by one (free here: no fixed points)
    makes round 0 the diagonal x_l = 0; the rest are ordered by x_1, all distinct as orbit (0, 1, x_1)
    is used once.
    """
    n, levels = shape.modulus, shape.levels
    rounds = []
    for j in range(shape.invariant):
        u = [[model.new_bool_var(f"u[{j},{level},{x}]") for x in range(n)] for level in range(levels)]
        for level in range(levels):
            model.add_exactly_one(u[level])
            if level == 0 or j == 0:
                model.add(u[level][0] == 1)
        for la in range(levels):
            for lb in range(la + 1, levels):
                for d in range(n):
                    # w: the round uses the mixed orbit (la, lb, d), i.e. x_lb - x_la = d.
                    w = model.new_bool_var(f"w[{j},{la},{lb},{d}]")
                    for x in range(n):
                        model.add_bool_or([u[la][x].Not(), u[lb][(x + d) % n].Not(), w])
                        model.add_bool_or([w.Not(), u[la][x].Not(), u[lb][(x + d) % n]])
                    key = shape.orbit(la * n, lb * n + d)
                    if key is None:  # points on two levels are moved by every shift: never happens
                        raise ValueError(f"{shape.describe()}: levels {la} and {lb} share a short orbit")
                    orbit_members.setdefault(key, []).append(w)
        rounds.append(u)
    for j in range(1, shape.invariant - 1):
        first = sum(x * v for x, v in enumerate(rounds[j][1]))
        model.add(first < sum(x * v for x, v in enumerate(rounds[j + 1][1])))
    return rounds


def name(shape: Shape, size: int) -> str:
    """How a design from this shape is named, with the classical name when it is one."""
    how = f"cyclic base rounds on {shape.describe()} (method of differences, Bose 1939), found by CP-SAT"
    v = shape.points
    if size == 3 and v % 6 == 3 and shape.rounds == (v - 1) // 2:
        return f"Kirkman triple system KTS({v}): {how}"
    if size == 3 and v % 6 == 0 and shape.rounds == v // 2 - 1:
        return f"nearly Kirkman triple system NKTS({v}): {how}"
    if size > 2 and (v - 1) % (size - 1) == 0 and shape.rounds == (v - 1) // (size - 1):
        return f"resolvable BIBD({v}, {size}, 1): {how}"
    return how


def design_from(shape: Shape, bases: Sequence[Sequence[Sequence[int]]]) -> Design:
    """The developed design, all shape.rounds rounds."""
    size = len(bases[0][0]) if bases and bases[0] else 0
    return as_design(develop(shape, bases), name(shape, size))


def find(
    groups: int, size: int, rounds: int, deadline: float, repeats: int = 0
) -> tuple[Shape, list[BaseRound]] | None:
    """The first shape, in candidate order, whose base rounds (with at most `repeats` repeat meetings) CP-SAT finds
    before the deadline (a perf_counter value).

    Each shape gets half the time left, so a hard or impossible one cannot starve the rest.
    """
    shapes = candidate_shapes(groups, size, rounds, repeats=repeats)
    for i, shape in enumerate(shapes):
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return None
        share = left if i == len(shapes) - 1 else left / 2
        bases = search(groups, size, shape, share, repeats=repeats)
        if bases is not None:
            return shape, bases
    return None
