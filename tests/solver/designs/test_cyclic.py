"""The cyclic base-round search: orbits, development, and a search that re-finds known rounds."""

from __future__ import annotations

import time

import pytest

from tablejam.solver.designs import cyclic
from tablejam.solver.designs.design import design_violations


def test_orbits_forbid_the_pairs_a_shift_would_repeat() -> None:
    shape = cyclic.Shape(8, 2, 2)  # points (level, x) = 8*level + x; fixed points 16, 17
    assert shape.orbit(0, 4) is None  # difference 4 = -4 (mod 8): shifting by 4 gives the same pair
    assert shape.orbit(16, 17) is None  # two fixed points meet in every shifted round
    assert shape.orbit(0, 3) == shape.orbit(5, 0) == shape.orbit(3, 6)  # differences 3 and -3 in level 0
    assert shape.orbit(0, 3) != shape.orbit(8, 11)  # the same difference in another level
    assert shape.orbit(0, 16) == shape.orbit(7, 16) != shape.orbit(8, 16)
    cycle = cyclic.Shape(10, 3, 0, cycles=(2,))  # points 30 and 31 swap under odd shifts
    assert cycle.orbit(30, 31) is None
    assert cycle.orbit(0, 30) == cycle.orbit(1, 31) != cycle.orbit(1, 30)


@pytest.mark.parametrize(
    ("shape", "orbits"),
    [
        # 3 levels x 3 pure differences + 3 level pairs x 7 mixed + 3 fixed x 3 levels.
        (cyclic.Shape(7, 3, 3), 3 * 3 + 3 * 7 + 3 * 3),
        # Z_10: pure differences 1..4 (5 is forbidden) on 3 levels, 3 x 10 mixed, 2 cycle classes per level.
        (cyclic.Shape(10, 3, 0, cycles=(2,)), 3 * 4 + 3 * 10 + 3 * 2),
    ],
)
def test_orbit_count(shape: cyclic.Shape, orbits: int) -> None:
    assert shape.orbit_count() == orbits
    for a in range(shape.points):
        for b in range(a + 1, shape.points):
            key = shape.orbit(a, b)
            if key is not None:  # every allowed orbit has exactly n pairs, one per shift
                pairs = {tuple(sorted((shape.shift(a, s), shape.shift(b, s)))) for s in range(shape.modulus)}
                assert len(pairs) == shape.modulus and all(shape.orbit(*p) == key for p in pairs)


def test_a_base_round_that_reuses_an_orbit_develops_into_repeats() -> None:
    # Z_7 x 2 + 1 for 5-3: the group {0, 1, 2} uses difference 1 twice, so shifting by 1 repeats {1, 2}.
    shape = cyclic.Shape(7, 2, 1)
    bad = [[(0, 1, 2), (3, 4, 14), (5, 7, 8), (6, 9, 10), (11, 12, 13)]]
    assert any("meet in round 0 and again in round 1" in p for p in design_violations(cyclic.develop(shape, bad), 5, 3))


def test_candidate_shapes_start_with_the_known_ones() -> None:
    assert cyclic.candidate_shapes(6, 4, 7)[0] == cyclic.Shape(7, 3, 3)  # the 4-RGDD of type 3^8 found here
    assert cyclic.candidate_shapes(8, 3, 11)[0] == cyclic.Shape(11, 2, 2)  # NKTS(24)
    assert cyclic.candidate_shapes(6, 5, 6)[0] == cyclic.Shape(6, 5, 0)
    assert all(s.rounds >= 10 for s in cyclic.candidate_shapes(8, 4, 10))


@pytest.mark.parametrize(("groups", "size", "rounds"), [(6, 4, 7), (5, 3, 7), (8, 3, 11), (6, 3, 8)])
def test_the_search_refinds_known_designs_from_scratch(groups: int, size: int, rounds: int) -> None:
    began = time.perf_counter()
    found = cyclic.find(groups, size, rounds, began + 20)
    assert found is not None
    shape, bases = found
    assert time.perf_counter() - began < 10
    design = cyclic.design_from(shape, bases).first(rounds)
    assert design_violations(design.rounds, groups, size, rounds) == []


def test_invariant_rounds_give_kts21_on_z7_x_3() -> None:
    # 7 developed rounds and 3 rounds that are one transversal group and its 7 shifts: KTS(21), 10 rounds.
    shape = cyclic.Shape(7, 3, 0, 1, (), 3)
    bases = cyclic.search(7, 3, shape, 10)
    assert bases is not None and len(bases) == 4 and all(len(b) == 1 for b in bases[1:])
    assert design_violations(cyclic.develop(shape, bases), 7, 3, 10) == []
    with pytest.raises(ValueError, match="needs 4 bases"):
        cyclic.develop(shape, bases[:3])


def test_the_search_gives_up_at_the_deadline() -> None:
    assert cyclic.find(6, 4, 7, time.perf_counter() - 1) is None
    assert cyclic.search(6, 4, cyclic.Shape(7, 3, 3), 0) is None
