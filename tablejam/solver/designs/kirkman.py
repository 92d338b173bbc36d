"""Kirkman triple systems KTS(3q) for q = 6t + 1 a prime power (Ray-Chaudhuri & Wilson, 1971).

Ray-Chaudhuri & Wilson, "Solution of Kirkman's schoolgirl problem", Proc. Symp. Pure Math. 19
(1971) 187-203, settle KTS(v) for all v = 3 mod 6; the direct step for v = 3q builds on
cyclotomy in GF(q). The base blocks below are that idea worked out here and checked by the verifier:

Points GF(q) x {0, 1, 2}. Let w be primitive, e = w^(2t) a cube root of unity (1 + e + e^2 = 0),
C = {1, e, e^2}; the cosets w^i C (i < 2t) split GF(q)* into H (i < t) and H' (t <= i < 2t).
- One base round, developed by adding each x in GF(q) (q rounds):
  {(0,0), (0,1), (0,2)}; the pure triples w^i C x {j} for i < t (their differences (e-1)w^i(+-C)
  cover GF(q)* once per level); and the mixed triples {(w^i, j), (w^i e, j+1), (w^i e^2, j+2)} for
  t <= i < 2t, whose differences from level j to j+1 run over (e-1)H'.
- 3t more rounds, one per (i < t, k < 3): {(x, 0), (x + a, 1), (x + a + b, 2)} for every x, with
  a = (e-1)w^i e^k and b = (e-1)w^i e^(k+1); a, b and -(a + b) run over (e-1)H, the mixed
  differences the first part left out.
That is q + 3t = (3q - 1)/2 rounds of q triples. KTS(9) and KTS(27) are affine geometries (see affine.py);
KTS(15), Kirkman's schoolgirls, comes from a 1-rotational base round found by our cyclic search.
"""

from __future__ import annotations

from tablejam.solver.designs.design import Design, as_design
from tablejam.solver.designs.fields import galois_field, prime_power


def rounds_for(groups: int, size: int) -> int:
    """(v - 1)/2 for v = 3*groups = 3q with q = 1 mod 6 a prime power, size 3; else 0."""
    q = groups
    if size != 3 or q % 6 != 1 or prime_power(q) is None:
        return 0
    return (3 * q - 1) // 2


def design(groups: int, size: int, wanted: int | None = None) -> Design:
    """All (3q - 1)/2 rounds of KTS(3q); point (x, j) is j*q + x. The first `wanted` rounds only, if given."""
    if not rounds_for(groups, size):
        raise ValueError(f"{groups}-{size}: this KTS construction needs size 3 and groups q = 1 mod 6 a prime power")
    q = groups
    f = galois_field(q)
    t = (q - 1) // 6
    w = f.powers()  # w[i] = primitive^i

    def at(x: int, level: int) -> int:
        return level * q + x

    e = w[2 * t]
    base: list[list[tuple[int, int]]] = [[(0, 0), (0, 1), (0, 2)]]
    for j in range(3):
        for i in range(t):
            base.append([(w[i + 2 * t * m], j) for m in range(3)])
    for i in range(t, 2 * t):
        for j in range(3):
            base.append([(w[i + 2 * t * m], (j + m) % 3) for m in range(3)])
    rounds = [[[at(f.add[x][s], level) for x, level in block] for block in base] for s in f.elements]

    e_minus_1 = f.sub(e, 1)
    for i in range(t):
        for k in range(3):
            a = f.mul[e_minus_1][w[(i + 2 * t * k) % (q - 1)]]
            b = f.mul[e_minus_1][w[(i + 2 * t * (k + 1)) % (q - 1)]]
            rounds.append([[at(x, 0), at(f.add[x][a], 1), at(f.add[f.add[x][a]][b], 2)] for x in f.elements])
    whole = as_design(rounds, f"Kirkman triple system KTS({3 * q}) over GF({q}) x Z_3, Ray-Chaudhuri & Wilson 1971")
    return whole if wanted is None else whole.first(wanted)
