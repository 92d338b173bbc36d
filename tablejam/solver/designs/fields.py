"""Finite fields GF(q), q = p^k a prime power, small enough for full tables.

GF(p^k) is built as the polynomials over Z_p modulo a monic polynomial f of degree k. We search
for f *primitive* (Lidl & Niederreiter, "Finite Fields", 1997, ch. 3): then x has order q - 1 modulo f,
so f is irreducible (the quotient ring has a cyclic group of q - 1 units, hence is a field) and x
is a primitive element for free. An element is the integer whose base-p digits are its coefficients
(constant term lowest), so 0 is zero and 1 is one in every field, and GF(p) is Z_p on 0..p-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import product


def prime_power(q: int) -> tuple[int, int] | None:
    """(p, k) with q = p^k and p prime, or None when q is not a prime power."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    k = 0
    while q % p == 0:
        q //= p
        k += 1
    return (p, k) if q == 1 else None


@dataclass(frozen=True)
class GaloisField:
    """GF(q) with addition and multiplication tables over the elements 0..q-1."""

    q: int
    p: int
    k: int
    modulus: tuple[int, ...]  # f's coefficients, constant term first, leading 1 last; () for a prime field
    add: tuple[tuple[int, ...], ...]
    mul: tuple[tuple[int, ...], ...]
    primitive: int  # generates the multiplicative group

    @property
    def elements(self) -> range:
        return range(self.q)

    def neg(self, a: int) -> int:
        return self.add[a].index(0)

    def sub(self, a: int, b: int) -> int:
        return self.add[a][self.neg(b)]

    def inv(self, a: int) -> int:
        if a == 0:
            raise ZeroDivisionError("0 has no inverse in a field")
        return self.mul[a].index(1)

    def power(self, a: int, e: int) -> int:
        """a^e; negative e only for non-zero a."""
        if a == 0:
            if e < 0:
                raise ZeroDivisionError("0 has no negative powers")
            return 1 if e == 0 else 0
        result = 1
        for _ in range(e % (self.q - 1)):  # a^(q-1) = 1 for every non-zero a (Lagrange)
            result = self.mul[result][a]
        return result

    def powers(self) -> list[int]:
        """The primitive element's powers w^0, w^1, ..., w^(q-2): every non-zero element once."""
        out = [1]
        for _ in range(self.q - 2):
            out.append(self.mul[out[-1]][self.primitive])
        return out


def _digits(a: int, p: int, k: int) -> list[int]:
    return [(a // p**i) % p for i in range(k)]


def _number(digits: list[int], p: int) -> int:
    return sum(d * p**i for i, d in enumerate(digits))


def _times_x(digits: list[int], modulus: tuple[int, ...], p: int) -> list[int]:
    """Multiply by x and reduce modulo f (monic of degree k = len(digits))."""
    k = len(digits)
    top = digits[-1]
    shifted = [0, *digits[:-1]]
    return [(shifted[i] - top * modulus[i]) % p for i in range(k)]


def _order_of_x(modulus: tuple[int, ...], p: int) -> int:
    """The multiplicative order of x modulo f, or 0 when x is a zero divisor (f(0) = 0)."""
    if modulus[0] == 0:
        return 0
    k = len(modulus) - 1
    one = [1] + [0] * (k - 1)
    current = _times_x(one, modulus, p)
    order = 1
    while current != one:
        current = _times_x(current, modulus, p)
        order += 1
        if order > p**k:
            return 0
    return order


def _primitive_modulus(p: int, k: int) -> tuple[int, ...]:
    """The first monic primitive polynomial of degree k over Z_p, in counting order of its lower coefficients."""
    for lower in product(range(p), repeat=k):
        modulus = (*reversed(lower), 1)
        if _order_of_x(modulus, p) == p**k - 1:
            return modulus
    raise AssertionError(f"no primitive polynomial of degree {k} over Z_{p}: impossible by the theory")


@cache
def galois_field(q: int) -> GaloisField:
    """GF(q) for a prime power q; ValueError otherwise."""
    pk = prime_power(q)
    if pk is None:
        raise ValueError(f"{q} is not a prime power, so there is no field of that order")
    p, k = pk
    digits = [_digits(a, p, k) for a in range(q)]
    add = tuple(
        tuple(_number([(x + y) % p for x, y in zip(digits[a], digits[b], strict=True)], p) for b in range(q))
        for a in range(q)
    )
    if k == 1:
        mul = tuple(tuple(a * b % p for b in range(q)) for a in range(q))
        primitive = next(w for w in range(1, q) if len({pow(w, e, p) for e in range(q - 1)}) == q - 1) if q > 2 else 1
        return GaloisField(q, p, k, (), add, mul, primitive)
    modulus = _primitive_modulus(p, k)
    # log/antilog through the powers of x: x^i for i = 0..q-2 runs over every non-zero element once.
    antilog = [_digits(1, p, k)]
    for _ in range(q - 2):
        antilog.append(_times_x(antilog[-1], modulus, p))
    exp = [_number(d, p) for d in antilog]
    log = {a: i for i, a in enumerate(exp)}
    mul = tuple(tuple(0 if a == 0 or b == 0 else exp[(log[a] + log[b]) % (q - 1)] for b in range(q)) for a in range(q))
    return GaloisField(q, p, k, modulus, add, mul, primitive=p)  # the number p has digits (0, 1): it is x
