"""The referee: deliberately broken schedules must be caught, and each fault named."""

from __future__ import annotations

import pytest

from tablejam.solver.designs import Design, design_violations, is_golfer_design

# 9 points in 3 groups of 3 for 2 rounds: rows, then columns of the 3 x 3 grid. Right by hand.
GOOD = [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 3, 6], [1, 4, 7], [2, 5, 8]]]


def test_a_right_schedule_passes() -> None:
    assert design_violations(GOOD, 3, 3, 2) == []
    assert is_golfer_design(Design(tuple(tuple(tuple(g) for g in r) for r in GOOD), "grid"), 3, 3, 2)


@pytest.mark.parametrize(
    ("rounds", "fault"),
    [
        # 0 and 1 share a group in both rounds.
        ([GOOD[0], [[0, 1, 6], [3, 4, 7], [2, 5, 8]]], "points 0 and 1 meet in round 0 and again in round 1"),
        # Point 0 twice in one round, so point 6 is missing.
        ([[[0, 1, 2], [3, 4, 5], [0, 7, 8]]], "round 0: point 0 is in group 0 and group 2"),
        ([[[0, 1, 2], [3, 4, 5], [0, 7, 8]]], "round 0 misses 1 points"),
        # A group of 4 and one of 2.
        ([[[0, 1, 2, 3], [4, 5], [6, 7, 8]]], "round 0 group 0 has 4 points, 3 expected"),
        # Two groups instead of three.
        ([[[0, 1, 2], [3, 4, 5]]], "round 0 has 2 groups, 3 expected"),
        # A point that does not exist.
        ([[[0, 1, 2], [3, 4, 5], [6, 7, 9]]], "holds 9, not a point 0..8"),
    ],
)
def test_each_fault_is_named(rounds: list[list[list[int]]], fault: str) -> None:
    problems = design_violations(rounds, 3, 3)
    assert any(fault in problem for problem in problems), problems


def test_the_promised_number_of_rounds_is_checked() -> None:
    assert design_violations(GOOD, 3, 3, 3) == ["2 rounds, 3 expected"]


def test_dropping_rounds_keeps_a_design_and_refuses_to_invent_rounds() -> None:
    design = Design(tuple(tuple(tuple(g) for g in r) for r in GOOD), "grid")
    assert design.first(1).rounds == design.rounds[:1]
    with pytest.raises(ValueError, match="2 rounds, 3 were asked for"):
        design.first(3)
