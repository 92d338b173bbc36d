"""Every formula construction, checked by the referee on several parameters with the rounds it promises."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tablejam.solver.designs import affine, kirkman, rbibd4, round_robin, transversal
from tablejam.solver.designs.design import Design, design_violations

Build = Callable[[int, int], Design]
Count = Callable[[int, int], int]

CASES: list[tuple[str, Count, Build, int, int, int]] = [
    # (name, rounds_for, design, groups, size, rounds expected)
    ("round-robin", round_robin.rounds_for, round_robin.design, 1, 2, 1),
    ("round-robin", round_robin.rounds_for, round_robin.design, 2, 2, 3),
    ("round-robin", round_robin.rounds_for, round_robin.design, 10, 2, 19),
    ("affine", affine.rounds_for, affine.design, 3, 3, 4),
    ("affine", affine.rounds_for, affine.design, 9, 3, 13),  # KTS(27) = AG(3, 3)
    ("affine", affine.rounds_for, affine.design, 16, 4, 21),  # AG(3, 4): 64 points, the counting bound
    ("affine", affine.rounds_for, affine.design, 7, 7, 8),
    ("transversal", transversal.rounds_for, transversal.design, 4, 4, 5),  # AG(2, 4)
    ("transversal", transversal.rounds_for, transversal.design, 5, 4, 5),  # 4 does not divide 5: no row round
    ("transversal", transversal.rounds_for, transversal.design, 8, 4, 9),  # GF(8), 4 | 8: the row round too
    ("transversal", transversal.rounds_for, transversal.design, 8, 8, 9),
    ("transversal", transversal.rounds_for, transversal.design, 9, 9, 10),
    ("transversal", transversal.rounds_for, transversal.design, 16, 8, 17),
    ("transversal", transversal.rounds_for, transversal.design, 6, 6, 3),  # GF(2) x GF(3): 2 + the row round
    ("transversal", transversal.rounds_for, transversal.design, 12, 5, 3),  # GF(4) x GF(3): 3, 5 does not divide 12
    ("kirkman", kirkman.rounds_for, kirkman.design, 7, 3, 10),  # KTS(21)
    ("kirkman", kirkman.rounds_for, kirkman.design, 13, 3, 19),  # KTS(39)
    ("kirkman", kirkman.rounds_for, kirkman.design, 19, 3, 28),  # KTS(57)
    ("kirkman", kirkman.rounds_for, kirkman.design, 25, 3, 37),  # KTS(75) over GF(25): a field that is not Z_q
    ("rbibd4", rbibd4.rounds_for, rbibd4.design, 4, 4, 5),  # q = 5
    ("rbibd4", rbibd4.rounds_for, rbibd4.design, 7, 4, 9),  # q = 9, GF(9) is not Z_9
    ("rbibd4", rbibd4.rounds_for, rbibd4.design, 10, 4, 13),  # q = 13
    ("rbibd4", rbibd4.rounds_for, rbibd4.design, 13, 4, 17),  # q = 17
]


@pytest.mark.parametrize(("name", "rounds_for", "build", "groups", "size", "rounds"), CASES)
def test_construction_is_a_design_with_the_rounds_promised(
    name: str, rounds_for: Count, build: Build, groups: int, size: int, rounds: int
) -> None:
    assert rounds_for(groups, size) == rounds
    design = build(groups, size)
    assert design_violations(design.rounds, groups, size, rounds) == []


@pytest.mark.parametrize(
    ("rounds_for", "groups", "size"),
    [
        (round_robin.rounds_for, 4, 3),
        (affine.rounds_for, 8, 4),  # 32 points: no power of 4
        (affine.rounds_for, 6, 6),  # 6 is no prime power
        (kirkman.rounds_for, 5, 3),  # 5 is not 1 mod 6
        (kirkman.rounds_for, 7, 4),
        (rbibd4.rounds_for, 8, 4),  # 32 = 3q + 1 has no integer q
        (rbibd4.rounds_for, 16, 4),  # q = 21 is no prime power
        (transversal.rounds_for, 3, 4),  # more rows than columns
    ],
)
def test_constructions_decline_what_they_cannot_build(rounds_for: Count, groups: int, size: int) -> None:
    assert rounds_for(groups, size) == 0


def test_affine_planes_say_so() -> None:
    assert transversal.design(5, 5).construction.startswith("affine plane AG(2, 5)")
    assert affine.design(4, 4).construction.startswith("affine plane AG(2, 4)")
    assert "KTS(27)" in affine.design(9, 3).construction
    assert "Ray-Chaudhuri & Wilson" in kirkman.design(7, 3).construction


ALL_BUILDS = [round_robin.design, affine.design, kirkman.design, rbibd4.design, transversal.design]


@pytest.mark.parametrize("build", ALL_BUILDS)
def test_a_construction_refuses_sizes_it_cannot_build(build: Build) -> None:
    with pytest.raises(ValueError):
        build(3, 5)
