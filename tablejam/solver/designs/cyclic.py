"""Cyclic base rounds: one partition of the points, developed by +1 (mod n) into n rounds.

Points are Z_n x {levels} (point (level, x) is level*n + x) plus `fixed` points n*levels + i that
every shift leaves alone. The group Z_n acts on pairs, and every pair lies in exactly one orbit:
- a pure difference within a level: {(l, x), (l, x + d)}, d and -d being one orbit; when 2d = 0
  (mod n) the orbit has only n/2 pairs, and shifting a group that holds one of them repeats it, so
  such pairs are forbidden;
- a mixed difference between two levels: {(l, x), (l', x + d)} for l < l';
- a fixed point and a level: {inf_i, (l, x)}.
Two fixed points are never in a group, since no shift separates them. If a base round uses each orbit
at most once, its n shifts meet every pair at most once; k base rounds whose orbits are all distinct
give k*n rounds. This is the method of differences (Bose, 1939, "On the construction of balanced
incomplete block designs"), in its resolvable, "1-rotational" and group-divisible forms (Handbook of
Combinatorial Designs, 2nd ed., 2007). Nearly Kirkman triple systems NKTS(v) and the 4-RGDDs of types
2^16 and 3^u behind 8-4-10, 6-4-7 and 9-4-11 have such forms, which the search below finds.

A base round is one partition into groups, so CP-SAT finds one fast where it exists. The catalogue
(catalogue.py) stores what this search found offline; at run time it only runs for sizes not stored.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from math import comb

from ortools.sat.python import cp_model

from tablejam.solver.designs.design import Design, as_design

BaseRound = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Shape:
    """Z_modulus x levels plus fixed points, with base_rounds base rounds each developed into modulus rounds."""

    modulus: int
    levels: int
    fixed: int
    base_rounds: int = 1

    @property
    def points(self) -> int:
        return self.modulus * self.levels + self.fixed

    @property
    def rounds(self) -> int:
        return self.modulus * self.base_rounds

    def describe(self) -> str:
        fixed = f" + {self.fixed} fixed" if self.fixed else ""
        bases = f", {self.base_rounds} base rounds" if self.base_rounds > 1 else ""
        return f"Z_{self.modulus} x {self.levels}{fixed}{bases}"

    def shift(self, point: int, s: int) -> int:
        """The point moved by +s: (level, x) -> (level, x + s); fixed points stay."""
        n = self.modulus
        if point >= n * self.levels:
            return point
        return point - point % n + (point % n + s) % n

    def orbit(self, a: int, b: int) -> tuple[int, ...] | None:
        """The orbit of the pair {a, b} under Z_n, as a key; None for a pair no base round may hold."""
        n, cut = self.modulus, self.modulus * self.levels
        if a > b:
            a, b = b, a
        if a >= cut:
            return None  # two fixed points
        if b >= cut:
            return (2, b - cut, a // n)
        la, lb, d = a // n, b // n, (b % n - a % n) % n
        if la != lb:
            return (1, la, lb, d)
        if (2 * d) % n == 0:
            return None
        return (0, la, min(d, n - d))

    def orbit_count(self) -> int:
        """How many orbits a base round may use: pure, mixed and fixed-to-level."""
        return self.levels * ((self.modulus - 1) // 2) + comb(self.levels, 2) * self.modulus + self.fixed * self.levels


def fits(shape: Shape, groups: int, size: int) -> bool:
    """Necessary conditions for base rounds of this shape to exist for g-p."""
    if shape.points != groups * size or shape.modulus < 1 or shape.levels < 1:
        return False
    if shape.fixed > groups:
        return False  # two fixed points in one group would meet every round
    if shape.fixed and shape.base_rounds * (size - 1) > shape.levels:
        return False  # a fixed point meets each level's orbit once, so its partners sit on distinct levels
    return shape.base_rounds * groups * comb(size, 2) <= shape.orbit_count()


def candidate_shapes(groups: int, size: int, rounds: int, most_base_rounds: int = 2) -> list[Shape]:
    """Shapes that could give `rounds` rounds for g-p, most promising first.

    One base round before two (a smaller model), then the fewest surplus rounds (each surplus round
    needs orbits of its own), then the fewest fixed points.
    """
    v = groups * size
    shapes = []
    for k in range(1, most_base_rounds + 1):
        low = -(-rounds // k)
        for n in range(max(low, 2), v + 1):
            if k * n - rounds > max(3, rounds // 2):
                break
            for fixed in range(0, groups + 1):
                if (v - fixed) % n == 0 and v > fixed:
                    shape = Shape(n, (v - fixed) // n, fixed, k)
                    if fits(shape, groups, size):
                        shapes.append(shape)
    shapes.sort(key=lambda s: (s.base_rounds, s.rounds - rounds, s.fixed))
    return shapes


def develop(shape: Shape, bases: Sequence[Sequence[Sequence[int]]]) -> list[list[list[int]]]:
    """Every base round shifted by 0..n-1: shape.rounds rounds."""
    return [[[shape.shift(a, s) for a in group] for group in base] for base in bases for s in range(shape.modulus)]


def search(
    groups: int, size: int, shape: Shape, time_limit: float, seed: int = 0, workers: int = 2
) -> list[BaseRound] | None:
    """Base rounds of this shape for g-p found by CP-SAT within time_limit seconds, or None."""
    if time_limit <= 0 or not fits(shape, groups, size):
        return None
    model = cp_model.CpModel()
    points = range(shape.points)
    cut = shape.modulus * shape.levels
    k_range = range(shape.base_rounds)
    # x[k][a][t]: point a is in group t of base round k.
    x = [[[model.new_bool_var(f"x[{k},{a},{t}]") for t in range(groups)] for a in points] for k in k_range]
    orbit_members: dict[tuple[int, ...], list[cp_model.IntVar]] = {}
    for k in k_range:
        for a in points:
            model.add_exactly_one(x[k][a])
        for t in range(groups):
            model.add(sum(x[k][a][t] for a in points) == size)
        # Groups are unlabelled: fixed point i sits in group i (they must be in distinct groups), and the
        # other groups are ordered by their smallest point (each member of group t has a smaller point in t - 1).
        for i in range(shape.fixed):
            model.add(x[k][cut + i][i] == 1)
        for a in range(cut):
            for t in range(shape.fixed, groups):
                h = t - shape.fixed
                if h > a:
                    model.add(x[k][a][t] == 0)
                elif h >= 1:
                    model.add_bool_or([x[k][a][t].Not(), *(x[k][b][t - 1] for b in range(a))])
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
        if shape.fixed and k == 0:
            # Shifting one level by a constant (x -> x + c on that level alone) maps orbits to orbits, and
            # fixed point 0's partners lie on distinct levels: so they may all be assumed to be (l, 0).
            for a in range(cut):
                if a % shape.modulus:
                    model.add(x[k][a][0] == 0)
        elif shape.fixed:
            # Shifting a later base round as a whole changes none of its orbits: fixed point 0 meets some (l, 0).
            model.add_bool_or([x[k][level * shape.modulus][0] for level in range(shape.levels)])
    # With as many orbits as pairs to place (8-4-10 and every resolvable design), each orbit is used exactly once.
    tight = shape.base_rounds * groups * comb(size, 2) == len(orbit_members)
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
    return bases


def name(shape: Shape) -> str:
    """How a design from this shape is named."""
    return f"cyclic base rounds on {shape.describe()} (method of differences, Bose 1939), found by CP-SAT"


def design_from(shape: Shape, bases: Sequence[Sequence[Sequence[int]]]) -> Design:
    """The developed design, all shape.rounds rounds."""
    return as_design(develop(shape, bases), name(shape))


def find(groups: int, size: int, rounds: int, deadline: float) -> tuple[Shape, list[BaseRound]] | None:
    """The first shape, in candidate order, whose base rounds CP-SAT finds before the deadline (a perf_counter value).

    Each shape gets half the time left, so a hard or impossible one cannot starve the rest.
    """
    shapes = candidate_shapes(groups, size, rounds)
    for i, shape in enumerate(shapes):
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return None
        share = left if i == len(shapes) - 1 else left / 2
        bases = search(groups, size, shape, share)
        if bases is not None:
            return shape, bases
    return None
