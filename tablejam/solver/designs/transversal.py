"""Resolvable transversal designs from mutually orthogonal Latin squares (MOLS).

Over a field GF(q), the squares L_a(i, c) = a*i + c for a != 0 are q - 1 MOLS of order q (Bose, 1938,
"On the application of the properties of Galois fields to the problem of construction of
hyper-Graeco-Latin squares"). Read as a schedule for q groups of p <= q: the points are p rows x q
columns (point i*q + c is row i, column c), and round a (a in GF(q)) puts row i's point in column
j + a*i into group j. Two points in rows i != i' and columns c, c' meet exactly in the round
a = (c - c') / (i' - i); two points of one row never meet. That is q rounds; when p divides q, one
more round cuts every row into q/p blocks of p consecutive columns (same-row pairs, once each).
With p = q this is the affine plane AG(2, q): q + 1 parallel classes of lines.

For a group count g that is no prime power, MacNeish (1922) takes the product ring
GF(q_1) x ... x GF(q_m) over the prime-power factors of g: multipliers whose pairwise differences are
units give min(q_j) rounds, by the same argument (a product of a unit and a non-zero element is not zero,
so the rows may be any p distinct elements), plus the row round when p | g. For 6-6 that is 3 rounds,
the most there are (no pair of orthogonal Latin squares of order 6: Tarry, 1900).
"""

from __future__ import annotations

from functools import cache

from tablejam.solver.designs.design import Design, as_design
from tablejam.solver.designs.fields import GaloisField, galois_field, prime_power


@cache
def _factor(g: int) -> tuple[int, ...]:
    """g as a product of prime powers, one per prime."""
    factors = []
    n, d = g, 2
    while n > 1:
        if n % d == 0:
            q = 1
            while n % d == 0:
                n //= d
                q *= d
            factors.append(q)
        d += 1
    return tuple(factors)


class _ProductRing:
    """GF(q_1) x ... x GF(q_m) on the integers 0..g-1 (mixed radix, GF(q_1) the lowest digit)."""

    def __init__(self, g: int) -> None:
        self.g = g
        self.fields: list[GaloisField] = [galois_field(q) for q in _factor(g)]
        self.smallest = min((f.q for f in self.fields), default=1)

    def _split(self, a: int) -> list[int]:
        out = []
        for f in self.fields:
            out.append(a % f.q)
            a //= f.q
        return out

    def _join(self, parts: list[int]) -> int:
        a, scale = 0, 1
        for f, x in zip(self.fields, parts, strict=True):
            a += x * scale
            scale *= f.q
        return a

    def add(self, a: int, b: int) -> int:
        return self._join([f.add[x][y] for f, x, y in zip(self.fields, self._split(a), self._split(b), strict=True)])

    def mul(self, a: int, b: int) -> int:
        return self._join([f.mul[x][y] for f, x, y in zip(self.fields, self._split(a), self._split(b), strict=True)])

    def diagonal(self, i: int) -> int:
        """(i, i, ..., i): for i, i' < min(q_j) their difference is a unit in every factor."""
        return self._join([i] * len(self.fields))


def rounds_for(groups: int, size: int) -> int:
    """Rounds for g-p with 2 <= p <= g: g + [p | g] over a field, min(q_j) + [p | g] over a product ring."""
    if groups < 2 or not 2 <= size <= groups:
        return 0
    latin = groups if prime_power(groups) else min(_factor(groups))
    return latin + (1 if groups % size == 0 else 0)


def design(groups: int, size: int, rounds: int | None = None) -> Design:
    """The first `rounds` of the rounds promised by rounds_for(groups, size) (all by default): a field of order
    625 has 625 rounds, and a large event needs a handful."""
    total = rounds_for(groups, size)
    if total == 0:
        raise ValueError(f"no transversal design gives {groups}-{size}: it needs 2 <= size <= groups")
    ring = _ProductRing(groups)
    is_field = len(ring.fields) == 1
    # Over a field every element is a multiplier; over a product only the diagonal (a, ..., a) with
    # a < min(q_j), whose pairwise differences are units in every factor.
    multipliers = list(range(groups)) if is_field else [ring.diagonal(a) for a in range(ring.smallest)]
    wanted = total if rounds is None else rounds
    multipliers = multipliers[:wanted]
    rows = list(range(size))
    rounds = []
    for a in multipliers:
        rnd = []
        for j in range(groups):
            rnd.append([i * groups + ring.add(j, ring.mul(a, rows[i])) for i in range(size)])
        rounds.append(rnd)
    if groups % size == 0 and len(multipliers) < wanted:  # the row round, where it is wanted
        cuts = range(0, groups, size)
        rounds.append([[i * groups + c for c in range(start, start + size)] for i in range(size) for start in cuts])
    if is_field and size == groups:
        name = f"affine plane AG(2, {groups}): the {groups - 1} MOLS of order {groups} over GF({groups}) (Bose 1938)"
    elif is_field:
        name = f"resolvable transversal design: {size} rows of the {groups} - 1 MOLS over GF({groups}) (Bose 1938)"
    else:
        parts = " x ".join(f"GF({f.q})" for f in ring.fields)
        name = f"resolvable transversal design over {parts}: MacNeish (1922) product MOLS of order {groups}"
    return as_design(rounds, name)
