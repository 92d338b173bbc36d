"""golfer_design: the best zero-repeat schedule known here for g-p-w, formulas and catalogue first.

Order of business: trivial cases; the counting bound w <= (g*p - 1)/(p - 1) and g < p (after one
round, p points of a group cannot be spread over fewer than p groups); the formula constructions
(instant); the catalogue of base rounds found offline (instant); and only then, until the caller's
deadline, the live cyclic search. Every design is checked by the verifier before it is returned: a
construction that fails the check is skipped with a warning rather than handed on.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from functools import cache
from math import comb

from tablejam.solver.designs import affine, catalogue, cyclic, kirkman, rbibd4, round_robin, shifts, transversal
from tablejam.solver.designs.design import Design, as_design, design_violations

UNLIMITED = sys.maxsize
"""most_rounds for size 1: singletons never meet, so any number of rounds."""


class DesignWarning(UserWarning):
    """A construction produced a schedule the verifier rejects (a bug here, never the caller's)."""


# Formula constructions, tried in this order: each says how many rounds it gives for g-p (0: none).
# Each builds the first `rounds` rounds (or all): the large ones (a field of order 625) only what is asked for.
FORMULAS: tuple[tuple[Callable[[int, int], int], Callable[[int, int, int | None], Design]], ...] = (
    (round_robin.rounds_for, round_robin.design),
    (affine.rounds_for, affine.design),
    (kirkman.rounds_for, kirkman.design),
    (rbibd4.rounds_for, rbibd4.design),
    (transversal.rounds_for, transversal.design),
    (shifts.rounds_for, shifts.design),
)

# Rounds found by the live search in this process, so a second call is instant.
_found: dict[tuple[int, int], tuple[cyclic.Shape, list[cyclic.BaseRound]]] = {}


def counting_bound(groups: int, size: int) -> int:
    """The most rounds g-p can have: each point meets p - 1 new points a round, g*p - 1 in all; 1 if g < p."""
    if groups < 1 or size < 1:
        return 0
    if size == 1:
        return UNLIMITED
    if groups < size:
        return 1
    return (groups * size - 1) // (size - 1)


def most_rounds(groups: int, size: int) -> int:
    """The most rounds this package delivers instantly for g-p (formulas and catalogue).

    0 when there are no points, UNLIMITED for size 1, 1 where nothing better is known (one round is
    always a schedule).
    """
    if groups < 1 or size < 1:
        return 0
    if size == 1:
        return UNLIMITED
    if groups == 1 or groups < size:
        return 1
    best = max(rounds_for(groups, size) for rounds_for, _ in FORMULAS)
    stored = catalogue.entry(groups, size)
    if stored is not None:
        best = max(best, stored.rounds)
    found = _found.get((groups, size))
    if found is not None:
        best = max(best, found[0].rounds)
    return max(best, 1)


@cache
def _built(build: Callable[[int, int, int | None], Design], groups: int, size: int, rounds: int) -> Design:
    """A formula's first `rounds` rounds, built once per process."""
    return build(groups, size, rounds)


def _checked(design: Design, groups: int, size: int, rounds: int) -> Design | None:
    """The first `rounds` rounds of `design`, or None (with a warning) if the verifier rejects them."""
    cut = design.first(rounds)
    problems = design_violations(cut.rounds, groups, size, rounds, cut.repeats)
    if problems:
        warnings.warn(f"{design.construction} for {groups}-{size}-{rounds}: {problems[0]}", DesignWarning, stacklevel=3)
        return None
    return cut


def golfer_design(groups: int, size: int, rounds: int, deadline: float | None = None) -> Design | None:
    """A schedule of `rounds` rounds, each a partition of the points 0..groups*size-1 into `groups`
    groups of `size`, in which no pair of points shares a group twice; None if no construction
    known here gives one (or the search did not find one before `deadline`, a time.perf_counter() value).

    Without a deadline only the instant sources (formulas, catalogue) are used.
    """
    if groups < 1 or size < 1 or rounds < 0:
        raise ValueError(f"groups and size must be at least 1 and rounds at least 0, not {groups}-{size}-{rounds}")
    points = groups * size
    if rounds == 0:
        return Design((), "no rounds")
    if size == 1:
        return as_design([[[a] for a in range(points)]] * rounds, "singletons: nobody meets anybody")
    if rounds > counting_bound(groups, size):
        return None
    if rounds == 1:
        return as_design([[range(k * size, (k + 1) * size) for k in range(groups)]], "a single round")
    for rounds_for, build in FORMULAS:
        if rounds_for(groups, size) >= rounds:
            design = _checked(_built(build, groups, size, rounds), groups, size, rounds)
            if design is not None:
                return design
    stored = catalogue.entry(groups, size)
    if stored is not None and stored.rounds >= rounds:
        design = _checked(stored.design(), groups, size, rounds)
        if design is not None:
            return design
    known = _found.get((groups, size))
    if known is not None and known[0].rounds >= rounds:
        return _checked(cyclic.design_from(*known), groups, size, rounds)
    if deadline is None or time.perf_counter() >= deadline:
        return None
    result = cyclic.find(groups, size, rounds, deadline)
    if result is None:
        return None
    if known is None or result[0].rounds > known[0].rounds:
        _found[(groups, size)] = result
    return _checked(cyclic.design_from(*result), groups, size, rounds)


def forced_repeats(groups: int, size: int, rounds: int) -> int:
    """Repeat meetings no g-p-w schedule avoids: the meetings of all rounds beyond the pairs there are to meet."""
    return max(0, rounds * groups * comb(size, 2) - comb(groups * size, 2))


# Coverings found in this process, by g-p-w.
_covered: dict[tuple[int, int, int], Design | None] = {}


def covering_design(groups: int, size: int, rounds: int, deadline: float) -> Design | None:
    """Beyond the counting bound on rounds: `rounds` rounds holding exactly the repeats counting forces
    (`forced_repeats`), from cyclic base rounds whose orbits may be used more than once (a resolvable covering:
    for 6-3-9, one mixed orbit of Z_9 x 2 twice, so the 9 repeated pairs are a perfect matching), found by
    CP-SAT before `deadline`; None where no repeat is forced, or none was found in time."""
    repeats = forced_repeats(groups, size, rounds)
    if repeats == 0 or size < 2 or groups < size:
        return None
    if (groups, size, rounds) in _covered:
        return _covered[(groups, size, rounds)]
    result = cyclic.find(groups, size, rounds, deadline, repeats=repeats)
    if result is None:
        return None  # not remembered: a later call with more time may find it
    shape, bases = result
    developed = cyclic.design_from(shape, bases)
    covering = Design(developed.rounds, f"resolvable covering: {developed.construction}", repeats)
    _covered[(groups, size, rounds)] = design = _checked(covering, groups, size, rounds)
    return design
