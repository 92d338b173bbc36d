"""Counting arithmetic about seats: even table sizes, the most pairs a round can seat, and simple bounds.

Plain Python, no solver: used by the prechecks, the greedy start, `init` and `validate`.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from tablejam.models.instance import Instance


@dataclass(frozen=True)
class Bounds:
    max_rounds_without_repeats: int
    max_new_encounters: int
    min_meetings: int  # pairs seated together, summed over rounds, at the least (table minimums force them)
    first_meetings_possible: int  # pairs that may meet for the first time: neither kept apart nor met before
    min_repeat_meetings: int  # meetings beyond the first possible ones: repeats no schedule avoids


def counting_bounds(instance: Instance) -> Bounds:
    """Bounds from counting seats: each person meets at most (largest table - 1) people a round; every round seats
    at least the pairs its table minimums force; and every meeting beyond the first meetings possible repeats one."""
    people = len(instance.participants)
    largest = max(t.capacity for t in instance.table_list)
    max_rounds = (people - 1) // (largest - 1) if largest > 1 else 0
    rounds = range(1, instance.rounds + 1)
    attendance = [(len(instance.attendees(r)), instance.limits(r)) for r in rounds]  # closed tables: (0, 0)
    seats_pairs = sum(most_pairs(attending, limits) for attending, limits in attendance)
    fewest = [fewest_pairs(attending, limits) for attending, limits in attendance]
    min_meetings = sum(pairs for pairs in fewest if pairs is not None)  # a round that fits nowhere: prechecks say so
    together = instance.together_pairs  # their meetings are neither first meetings nor repeats
    first_possible = people * (people - 1) // 2 - len(instance.met_before_pairs | instance.apart_pairs | together)
    kept_together = sum(len(instance.together_rounds(*pair)) for pair in together - instance.apart_pairs)
    return Bounds(
        max_rounds_without_repeats=max_rounds,
        max_new_encounters=min(seats_pairs, first_possible),
        min_meetings=min_meetings,
        first_meetings_possible=first_possible,
        min_repeat_meetings=max(0, min_meetings - first_possible - kept_together),
    )


def fewest_pairs(attendees: int, limits: list[tuple[int, int]]) -> int | None:
    """Fewest pairs sharing a table in one round, with every table between its (min, capacity); None if none fits.

    Pairs grow convexly with table size (the k-th person at a table meets k - 1), so from the minimums,
    each further person to a smallest table with room is optimal."""
    sizes = [low for low, _ in limits]
    free = attendees - sum(sizes)
    if free < 0 or attendees > sum(cap for _, cap in limits):
        return None
    heap = [(size, t) for t, size in enumerate(sizes) if size < limits[t][1]]
    heapq.heapify(heap)
    for _ in range(free):
        _, t = heapq.heappop(heap)
        sizes[t] += 1
        if sizes[t] < limits[t][1]:
            heapq.heappush(heap, (sizes[t], t))
    return sum(size * (size - 1) // 2 for size in sizes)


def balanced_sizes(attendees: int, limits: list[tuple[int, int]]) -> list[int] | None:
    """Table sizes for `attendees` people, each table within its (min, capacity), as even as the
    limits allow (each extra person to the table least full for its capacity); None if impossible."""
    sizes = [low for low, _ in limits]
    free = attendees - sum(sizes)
    if free < 0 or attendees > sum(cap for _, cap in limits):
        return None
    for _ in range(free):
        t = min(
            (t for t, (_, cap) in enumerate(limits) if sizes[t] < cap),
            key=lambda t: (sizes[t] / limits[t][1], -limits[t][1], t),
        )
        sizes[t] += 1
    return sizes


# Above this many (table, seated-so-far, size) steps the exact count is skipped for a looser one.
_MOST_PAIRS_WORK = 2_000_000


def most_pairs(attendees: int, limits: list[tuple[int, int]]) -> int:
    """Most pairs sharing a table in one round, with every table between its (min, capacity).

    Pairs grow quadratically with table size, so fuller tables win; the minimums
    decide how full the others can be. Solved exactly by dynamic programming
    over the tables; for huge events the minimums are dropped (a looser, still valid bound).
    """
    if len(limits) * attendees * max(cap for _, cap in limits) > _MOST_PAIRS_WORK:
        return _most_pairs_ignoring_minimums(attendees, [cap for _, cap in limits])
    unreachable = -1
    best = [0] + [unreachable] * attendees  # best[m]: most pairs with m seated at the tables so far
    for low, cap in limits:
        nxt = [unreachable] * (attendees + 1)
        for seated, pairs in enumerate(best):
            if pairs == unreachable:
                continue
            for size in range(low, min(cap, attendees - seated) + 1):
                candidate = pairs + size * (size - 1) // 2
                if candidate > nxt[seated + size]:
                    nxt[seated + size] = candidate
        best = nxt
    if best[attendees] == unreachable:  # the minimums or capacities cannot hold everyone: no schedule at all
        return _most_pairs_ignoring_minimums(attendees, [cap for _, cap in limits])
    return best[attendees]


def _most_pairs_ignoring_minimums(attendees: int, capacities: list[int]) -> int:
    """Fill the largest tables first: that seating majorises every other, so no seating has more pairs."""
    pairs = 0
    for capacity in sorted(capacities, reverse=True):
        seated = min(capacity, attendees)
        pairs += seated * (seated - 1) // 2
        attendees -= seated
    return pairs
