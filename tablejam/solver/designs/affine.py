"""The affine geometry AG(n, q): points GF(q)^n, lines grouped into parallel classes.

Every direction (a point of the projective space PG(n - 1, q), written with first non-zero
coordinate 1) gives one parallel class: the q^(n-1) lines x + GF(q)*d partition the q^n points, and
two points lie on exactly one line. So size q, groups q^(n-1), and (q^n - 1)/(q - 1) rounds: the
counting bound, met exactly (affine geometries: Handbook of Combinatorial Designs, 2nd ed., 2007).
AG(3, 3) is the Kirkman triple system KTS(27); AG(n, 2) is a round-robin on 2^n points.
"""

from __future__ import annotations

from itertools import product

from tablejam.solver.designs.design import Design, as_design
from tablejam.solver.designs.fields import galois_field, prime_power


def dimension(groups: int, size: int) -> int:
    """n with groups = size^(n-1) for a prime-power size, n >= 2; 0 when no such n exists."""
    if size < 2 or prime_power(size) is None or groups < size:
        return 0
    n, g = 1, groups
    while g % size == 0:
        g //= size
        n += 1
    return n if g == 1 else 0


def rounds_for(groups: int, size: int) -> int:
    """(q^n - 1)/(q - 1) when groups = q^(n-1) and size = q is a prime power, else 0."""
    n = dimension(groups, size)
    return (size**n - 1) // (size - 1) if n else 0


def design(groups: int, size: int, wanted: int | None = None) -> Design:
    """Every parallel class of AG(n, q) as a round. The first `wanted` rounds only, if given."""
    n = dimension(groups, size)
    if not n:
        raise ValueError(f"{groups}-{size} is not an affine geometry: it needs size q a prime power and groups q^(n-1)")
    field = galois_field(size)
    q = size
    vectors = list(product(range(q), repeat=n))
    index = {v: sum(x * q**i for i, x in enumerate(reversed(v))) for v in vectors}
    directions = [v for v in vectors if any(v) and v[next(i for i, x in enumerate(v) if x)] == 1]
    rounds = []
    for d in directions:
        seen: set[tuple[int, ...]] = set()
        rnd = []
        for v in vectors:
            if v in seen:
                continue
            line = [tuple(field.add[x][field.mul[t][y]] for x, y in zip(v, d, strict=True)) for t in range(q)]
            seen.update(line)
            rnd.append([index[w] for w in line])
        rounds.append(rnd)
    name = f"affine geometry AG({n}, {q}): parallel classes of lines"
    if q == 3:
        name = f"Kirkman triple system KTS({3**n}) as the {name}"
    if n == 2:
        name = f"affine plane AG(2, {q}): parallel classes of lines"
    whole = as_design(rounds, name)
    return whole if wanted is None else whole.first(wanted)
