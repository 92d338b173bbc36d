"""Resolvable BIBD(3q + 1, 4, 1) for q = 4t + 1 a prime power: groups of 4, (3q + 1)/4 groups, q rounds.

Such designs exist for every v = 4 mod 12 (Hanani, Ray-Chaudhuri & Wilson, "On resolvable designs",
Discrete Math. 3 (1972)); this is a direct cyclotomic step in the style of the Handbook of Combinatorial Designs
(2nd ed., 2007), with base blocks worked out here and checked by the verifier:

Points GF(q) x {0, 1, 2} and one point inf. Let w be primitive and e = w^t, so e^2 = -1 and
C = {1, e, -1, -e} is the subgroup of order 4; a_i = w^i (i < t) are representatives of its cosets.
The base round is {inf, (0,0), (0,1), (0,2)} and, for i < t and each level j,
{(a_i, j), (-a_i, j), (e a_i, j+1), (-e a_i, j+1)}; it partitions the points, since each level
receives +-a_i and +-e a_i, that is the coset a_i C. Within level j the differences are +-2a_i and
+-2e a_i, so 2 a_i C: every non-zero difference once. From level j to j+1 they are +-e a_i -+ a_i =
(e - 1) a_i C (as e + 1 = -e(e - 1)): every non-zero mixed difference once; 0 comes from inf's block.
Developing the base round by adding each x in GF(q) gives q rounds in which every pair meets once.
"""

from __future__ import annotations

from tablejam.solver.designs.design import Design, as_design
from tablejam.solver.designs.fields import galois_field, prime_power


def rounds_for(groups: int, size: int) -> int:
    """q when size is 4 and 4*groups = 3q + 1 with q = 1 mod 4 a prime power; else 0."""
    if size != 4 or (4 * groups - 1) % 3:
        return 0
    q = (4 * groups - 1) // 3
    return q if q % 4 == 1 and prime_power(q) else 0


def design(groups: int, size: int, wanted: int | None = None) -> Design:
    """All q rounds; point (x, j) is j*q + x and inf is 3q. The first `wanted` rounds only, if given."""
    q = rounds_for(groups, size)
    if not q:
        raise ValueError(f"{groups}-{size}: RBIBD(3q+1, 4, 1) needs size 4, 4g = 3q + 1, q = 1 mod 4 a prime power")
    f = galois_field(q)
    t = (q - 1) // 4
    w = f.powers()
    e = w[t]
    infinity = 3 * q
    blocks: list[list[tuple[int, int]]] = []
    for i in range(t):
        a = w[i]
        ea = f.mul[e][a]
        for j in range(3):
            blocks.append([(a, j), (f.neg(a), j), (ea, (j + 1) % 3), (f.neg(ea), (j + 1) % 3)])
    rounds = []
    for s in f.elements:
        rnd = [[infinity, s, q + s, 2 * q + s]]
        rnd += [[level * q + f.add[x][s] for x, level in block] for block in blocks]
        rounds.append(rnd)
    whole = as_design(rounds, f"resolvable BIBD({3 * q + 1}, 4, 1) over GF({q}) x Z_3 plus one point at infinity")
    return whole if wanted is None else whole.first(wanted)
