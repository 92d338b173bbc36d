"""golfer_design end to end: the targets, instantly and verified; None where nothing is known."""

from __future__ import annotations

import itertools
import time

import pytest

from tablejam.solver.designs import UNLIMITED, catalogue, design_violations, golfer, golfer_design, most_rounds
from tablejam.solver.designs.build_catalogue import TARGETS

# 8-4-10 needs a 4-RGDD of type 2^16; no shape our cyclic search tries has given one (see cyclic.py),
# so it is a known gap: strict, so the test says so the day the catalogue gains it.
GAPS = {(8, 4, 10)}
CASES = [
    pytest.param(*target, marks=pytest.mark.xfail(strict=True, reason="no 4-RGDD of type 2^16 found here yet"))
    if target in GAPS
    else target
    for target in TARGETS
]


@pytest.mark.parametrize(("groups", "size", "rounds"), CASES)
def test_targets_are_instant_and_right(groups: int, size: int, rounds: int) -> None:
    began = time.perf_counter()
    design = golfer_design(groups, size, rounds)
    took = time.perf_counter() - began
    assert design is not None, f"{groups}-{size}-{rounds}"
    assert design_violations(design.rounds, groups, size, rounds) == []
    assert took < 1.0, f"{groups}-{size}-{rounds} took {took:.2f} s"
    assert most_rounds(groups, size) >= rounds


@pytest.mark.parametrize(
    ("groups", "size", "rounds"),
    [
        (6, 6, 4),  # would be a pair of orthogonal Latin squares of order 6 (Tarry, 1900)
        (5, 4, 6),  # within the counting bound of 6, but known impossible (OEIS A107431: 5)
        (8, 4, 11),  # beyond the counting bound: (32 - 1) // 3 = 10
        (5, 3, 8),  # beyond (15 - 1) // 2 = 7
        (3, 4, 2),  # g < p: after one round, 4 points cannot spread over 3 groups
        (1, 5, 2),  # one group: everyone meets everyone in round 1
    ],
)
def test_none_where_nothing_is_known(groups: int, size: int, rounds: int) -> None:
    assert golfer_design(groups, size, rounds) is None


def test_beyond_the_counting_bound_no_search_is_started() -> None:
    began = time.perf_counter()
    assert golfer_design(8, 4, 11, deadline=time.perf_counter() + 30) is None
    assert time.perf_counter() - began < 0.5


def test_trivial_cases() -> None:
    singles = golfer_design(4, 1, 9)
    assert singles is not None and design_violations(singles.rounds, 4, 1, 9) == []
    one = golfer_design(1, 5, 1)
    assert one is not None and one.rounds == (((0, 1, 2, 3, 4),),)
    empty = golfer_design(3, 3, 0)
    assert empty is not None and empty.rounds == ()
    with pytest.raises(ValueError, match="at least"):
        golfer_design(0, 3, 1)


@pytest.mark.parametrize(
    ("groups", "size", "expected"),
    [
        (4, 4, 5), (5, 3, 7), (5, 4, 5), (6, 6, 3), (7, 3, 10), (8, 4, 9), (10, 4, 13), (16, 4, 21),
        (10, 2, 19), (3, 4, 1), (1, 6, 1), (4, 1, UNLIMITED), (0, 3, 0),
    ],
)  # fmt: skip
def test_most_rounds(groups: int, size: int, expected: int) -> None:
    assert most_rounds(groups, size) == expected


def test_live_search_finds_a_size_the_catalogue_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the stored entry, 6-4-7 is out of the formulas' reach (they give 6), so only the live search helps.
    monkeypatch.setattr(catalogue, "entry", lambda groups, size: None)
    monkeypatch.setattr(golfer, "_found", {})
    assert golfer_design(6, 4, 7) is None  # no deadline: instant sources only
    design = golfer_design(6, 4, 7, deadline=time.perf_counter() + 10)
    assert design is not None and design_violations(design.rounds, 6, 4, 7) == []
    assert "cyclic" in design.construction
    assert most_rounds(6, 4) == 7  # remembered for this process


def test_a_construction_the_referee_rejects_is_not_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = golfer.Design(((((0, 1),) * 2),) * 3, "broken on purpose")
    monkeypatch.setattr(golfer, "FORMULAS", ((lambda g, p: 3 if p == 2 else 0, lambda g, p, rounds: broken),))
    with pytest.warns(golfer.DesignWarning, match="broken on purpose"):
        assert golfer_design(2, 2, 3) is None


@pytest.mark.parametrize(("groups", "size", "rounds"), [(8, 4, 4), (50, 10, 10), (1250, 8, 4), (12, 4, 4)])
def test_row_shifts_give_large_events_their_rounds(groups: int, size: int, rounds: int) -> None:
    # Row shifts over Z_g: rows i, i' meet in two rounds only if g divides (i' - i)(e - f), so rounds_for is the
    # least g / gcd(g, d) over row differences d < p: Z_8 with 4 rows: d = 2 gives 4; Z_50 with 10 rows: d = 5
    # gives 10; Z_1250 with 8 rows: d = 2 gives 625 (and 4 are asked for); Z_12 with 4 rows: d = 3 gives 4.
    from tablejam.solver.designs import shifts

    assert shifts.rounds_for(groups, size) >= rounds
    made = shifts.design(groups, size, rounds)
    assert design_violations(made.rounds, groups, size, rounds) == []
    assert shifts.rounds_for(8, 4) == 4 and shifts.rounds_for(50, 10) == 10 and shifts.rounds_for(12, 4) == 4


def test_only_the_rounds_asked_for_are_built(monkeypatch: pytest.MonkeyPatch) -> None:
    # GF(625) gives 625 rounds for 5,000 people at 625 tables of 8; an event of 4 rounds gets 4, and only 4 are
    # built (a round of 5,000 points is 5,000 additions and multiplications in the field).
    from tablejam.solver.designs import transversal

    golfer._built.cache_clear()  # built in this test, not taken from an earlier one
    built: list[int] = []
    original = transversal.design
    monkeypatch.setattr(golfer, "FORMULAS", tuple(
        (rounds_for, (lambda g, p, w, build=build: built.append(w) or build(g, p, w)) if build is original else build)
        for rounds_for, build in golfer.FORMULAS
    ))  # fmt: skip
    made = golfer_design(625, 8, 4)
    assert made is not None and len(made.rounds) == 4 and built == [4]
    assert design_violations(made.rounds, 625, 8, 4) == []


@pytest.mark.parametrize("groups,size,rounds,forced", [(6, 3, 9, 9), (5, 3, 8, 15), (8, 4, 11, 32), (8, 4, 10, 0)])
def test_forced_repeats_are_the_meetings_beyond_the_pairs(groups: int, size: int, rounds: int, forced: int) -> None:
    # 6-3-9: 9 rounds x 6 tables x 3 pairs = 162 meetings of 153 pairs; 8-4-11: 11 x 8 x 6 = 528 of 496.
    assert golfer.forced_repeats(groups, size, rounds) == forced


def test_a_covering_beyond_the_counting_bound_holds_exactly_the_forced_repeats() -> None:
    # 6-3-9 is one round past NKTS(18); a base round on Z_9 x 2 using one mixed orbit twice meets 9 pairs (a
    # perfect matching between the levels) twice and every other pair once: 9 repeats, the counting floor.
    design = golfer.covering_design(6, 3, 9, time.perf_counter() + 30)
    assert design is not None and design.repeats == 9 and len(design.rounds) == 9
    met: dict[tuple[int, ...], int] = {}
    for rnd in design.rounds:
        assert sorted(a for group in rnd for a in group) == list(range(18))
        for group in rnd:
            for pair in itertools.combinations(sorted(group), 2):
                met[pair] = met.get(pair, 0) + 1
    assert len(met) == 153 and sorted(met.values()).count(2) == 9 and max(met.values()) == 2
    # The referee allows exactly the stated repeats, and no fewer.
    assert design_violations(design.rounds, 6, 3, 9, repeats=9) == []
    assert design_violations(design.rounds, 6, 3, 9, repeats=8)[0] == "9 repeat meetings, 8 allowed"


def test_no_covering_where_nothing_is_forced() -> None:
    assert golfer.covering_design(8, 4, 9, time.perf_counter() + 5) is None
