"""GF(q) by the field axioms: tables that are wrong anywhere fail here."""

from __future__ import annotations

import pytest

from tablejam.solver.designs.fields import galois_field, prime_power

ORDERS = [2, 3, 4, 5, 7, 8, 9, 13, 16, 25, 27]


@pytest.mark.parametrize("q", ORDERS)
def test_field_axioms(q: int) -> None:
    f = galois_field(q)
    els = range(q)
    for a in els:
        assert f.add[a][0] == a and f.mul[a][1] == a and f.mul[a][0] == 0
        assert f.add[a][f.neg(a)] == 0
        if a:
            assert f.mul[a][f.inv(a)] == 1
        for b in els:
            assert f.add[a][b] == f.add[b][a] and f.mul[a][b] == f.mul[b][a]
            if a and b:
                assert f.mul[a][b] != 0, "no zero divisors"
    # Associativity and distributivity on every triple (q <= 27: under 20 000 triples).
    for a in els:
        for b in els:
            for c in els:
                assert f.add[f.add[a][b]][c] == f.add[a][f.add[b][c]]
                assert f.mul[f.mul[a][b]][c] == f.mul[a][f.mul[b][c]]
                assert f.mul[a][f.add[b][c]] == f.add[f.mul[a][b]][f.mul[a][c]]


@pytest.mark.parametrize("q", ORDERS)
def test_the_primitive_element_generates_every_non_zero_element(q: int) -> None:
    f = galois_field(q)
    assert sorted(f.powers()) == list(range(1, q))
    assert f.power(f.primitive, q - 1) == 1


@pytest.mark.parametrize("q", [4, 8, 9, 16])
def test_characteristic_is_the_prime(q: int) -> None:
    # p copies of any element sum to 0: GF(4) is not Z_4.
    f = galois_field(q)
    for a in range(q):
        total = 0
        for _ in range(f.p):
            total = f.add[total][a]
        assert total == 0


def test_prime_powers() -> None:
    assert [q for q in range(2, 30) if prime_power(q)] == [2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 17, 19, 23, 25, 27, 29]
    assert prime_power(27) == (3, 3) and prime_power(1) is None and prime_power(12) is None
    with pytest.raises(ValueError, match="not a prime power"):
        galois_field(6)
