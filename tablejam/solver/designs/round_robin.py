"""Round-robin: size 2, a 1-factorisation of the complete graph K_2g in 2g - 1 rounds.

The circle method (Walecki's construction, published by Lucas, "Recreations mathematiques" II, 1883):
fix one point at the centre, put the other 2g - 1 on a circle, and rotate; round r pairs the centre
with r and r + i with r - i (mod 2g - 1), so every difference +-i is used once per round and every
pair meets in exactly one round.
"""

from __future__ import annotations

from tablejam.solver.designs.design import Design, as_design


def rounds_for(groups: int, size: int) -> int:
    """Rounds this construction gives for g-p: 2g - 1 for size 2, else 0."""
    return 2 * groups - 1 if size == 2 and groups >= 1 else 0


def design(groups: int, size: int, rounds: int | None = None) -> Design:
    """The first `rounds` of the 2g - 1 rounds of the round-robin on 2g points (all by default)."""
    if size != 2 or groups < 1:
        raise ValueError(f"round-robin needs size 2, not {groups}-{size}")
    m = 2 * groups - 1
    centre = m
    wanted = m if rounds is None else min(rounds, m)
    schedule = [[(centre, r), *(((r + i) % m, (r - i) % m) for i in range(1, groups))] for r in range(wanted)]
    return as_design(schedule, f"round-robin on {2 * groups} points (circle method, Walecki / Lucas 1883)")
