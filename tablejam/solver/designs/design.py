"""The design value every construction returns, and the referee that checks one.

A schedule for the social golfer problem g-p-w is w rounds, each a partition of the points
0..g*p-1 into g groups of p, in which no pair of points shares a group twice (a resolvable
packing; see Colbourn & Dinitz, Handbook of Combinatorial Designs, 2nd ed., 2007, on resolvable designs).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Group = tuple[int, ...]
Round = tuple[Group, ...]


@dataclass(frozen=True)
class Design:
    """A schedule of groups: rounds[r][k] holds the points of group k in round r. A design proper repeats
    nothing; a covering (beyond the counting bound on rounds) holds `repeats` repeat meetings, the fewest
    counting allows."""

    rounds: tuple[Round, ...]
    construction: str
    repeats: int = 0

    @property
    def groups(self) -> int:
        """Groups per round (0 for a design without rounds)."""
        return len(self.rounds[0]) if self.rounds else 0

    @property
    def size(self) -> int:
        """Points per group (0 for a design without rounds)."""
        return len(self.rounds[0][0]) if self.rounds and self.rounds[0] else 0

    def first(self, rounds: int) -> Design:
        """The same design with only its first `rounds` rounds: dropping rounds never adds a repeat."""
        if rounds > len(self.rounds):
            raise ValueError(f"the design has {len(self.rounds)} rounds, {rounds} were asked for")
        return Design(self.rounds[:rounds], self.construction, self.repeats)


def as_design(rounds: Iterable[Iterable[Iterable[int]]], construction: str) -> Design:
    """Freeze nested lists into a Design, each group sorted so equal designs print alike."""
    return Design(tuple(tuple(tuple(sorted(group)) for group in rnd) for rnd in rounds), construction)


def design_violations(
    rounds: Sequence[Sequence[Sequence[int]]],
    groups: int,
    size: int,
    expected_rounds: int | None = None,
    repeats: int = 0,
) -> list[str]:
    """Every way `rounds` fails to be a g-p schedule with at most `repeats` repeat meetings (a meeting of a pair
    that met before), in words naming the round, group and points.

    Independent of every construction: it only counts. An empty list means the schedule is right.
    """
    problems: list[str] = []
    again: list[str] = []
    if expected_rounds is not None and len(rounds) != expected_rounds:
        problems.append(f"{len(rounds)} rounds, {expected_rounds} expected")
    points = groups * size
    met: dict[tuple[int, int], int] = {}
    for r, rnd in enumerate(rounds):
        if len(rnd) != groups:
            problems.append(f"round {r} has {len(rnd)} groups, {groups} expected")
        seen: dict[int, int] = {}
        for k, group in enumerate(rnd):
            if len(group) != size:
                problems.append(f"round {r} group {k} has {len(group)} points, {size} expected")
            for a in group:
                if not isinstance(a, int) or not 0 <= a < points:
                    problems.append(f"round {r} group {k} holds {a!r}, not a point 0..{points - 1}")
                elif a in seen:
                    problems.append(f"round {r}: point {a} is in group {seen[a]} and group {k}")
                else:
                    seen[a] = k
            members = sorted(set(a for a in group if isinstance(a, int)))
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if (a, b) in met:
                        again.append(f"points {a} and {b} meet in round {met[(a, b)]} and again in round {r}")
                    else:
                        met[(a, b)] = r
        missing = points - len(seen)
        if missing > 0:
            absent = [a for a in range(points) if a not in seen][:5]
            problems.append(f"round {r} misses {missing} points, e.g. {absent}")
    if len(again) > repeats:
        problems.extend(again if repeats == 0 else [f"{len(again)} repeat meetings, {repeats} allowed", *again[:3]])
    return problems


def is_golfer_design(design: Design, groups: int, size: int, rounds: int | None = None) -> bool:
    """True when `design` is a g-p schedule without repeats (with exactly `rounds` rounds, if given)."""
    return not design_violations(design.rounds, groups, size, rounds)
