"""Regenerate catalogue.json: run the cyclic base-round search for every g-p the formulas leave short.

    python -m tablejam.solver.designs.build_catalogue [--seconds 30] [--max-points 64] [--keep] [--only 8-4 9-4]

For each g-p with 3 <= p <= g and g*p <= max-points, it starts one round above what the formulas give
(or, with --keep or --only, above the stored entry) and asks for one more round at a time, each step
with its own time budget (SECONDS_FOR raises it for the slow cases), until a step fails; then it tries the
ceiling (the counting bound, or a proven maximum) once, and stores the best success. Sizes 1 and 2 and
g < p need no search (see golfer.py). --table prints the rounds reached for g*p <= 40 against the bounds;
--timings times golfer_design on the targets.

Timing: the full run with the defaults took 1079 s (18 min wall clock, 25 min of CPU) on this 2-core
machine on 2026-12-01, most of it in steps that fail after their 30 s; 9-4-11 alone took 56 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tablejam.solver.designs import catalogue, cyclic
from tablejam.solver.designs.design import design_violations
from tablejam.solver.designs.golfer import FORMULAS, counting_bound, golfer_design, most_rounds

# Proven maxima below the counting bound (OEIS A107431): searching above them only burns time.
KNOWN_MAXIMUM = {(3, 3): 4, (4, 3): 4, (5, 4): 5, (6, 5): 6, (6, 6): 3}

# Best known rounds for 3 <= p <= g, g*p <= 40, where they differ from the counting bound or need a source:
# OEIS A107431 (to 7-4), ANCHORS.md, KTS(v) for v = 3 mod 6 (Ray-Chaudhuri & Wilson 1971), NKTS(v) for
# v = 0 mod 6, v >= 18 (Kotzig & Rosa 1974; Baker & Wilson 1977), 8-4-10 (Aguado 2004), 9-4-11 (4-RGDD 3^12).
# 7-5 is 7 or 8 (A107431's comment); for 8-5 we found no published value (None).
BEST_KNOWN: dict[tuple[int, int], int | None] = {**KNOWN_MAXIMUM, (7, 5): 7, (8, 5): None}

# Cases whose base rounds take longer than the default budget to find (9-4-11: 50-110 s here).
SECONDS_FOR = {(9, 4): 300.0}


def formula_rounds(groups: int, size: int) -> int:
    return max(rounds_for(groups, size) for rounds_for, _ in FORMULAS)


def improve(groups: int, size: int, start: catalogue.Entry | None, seconds: float) -> catalogue.Entry | None:
    """The best entry for g-p: `start` or better.

    Climbs one round at a time while each step succeeds; after the first failure it tries the ceiling
    itself once, since the structures that meet the counting bound (a 1-rotational RBIBD, a KTS) are
    often easier to find than those one round short of it.
    """
    best = start
    ceiling = KNOWN_MAXIMUM.get((groups, size), counting_bound(groups, size))
    rounds = max(formula_rounds(groups, size), start.rounds if start else 0) + 1
    jumped = False
    while rounds <= ceiling:
        found = _search(groups, size, rounds, seconds)
        if found is not None:
            best = found
            rounds = found.rounds + 1
        elif jumped or rounds == ceiling:
            break
        else:
            jumped, rounds = True, ceiling
    return best


def _search(groups: int, size: int, rounds: int, seconds: float) -> catalogue.Entry | None:
    """One step: base rounds for at least `rounds` rounds, checked by the referee, or None."""
    began = time.perf_counter()
    found = cyclic.find(groups, size, rounds, began + seconds)
    took = time.perf_counter() - began
    if found is None:
        print(f"  {groups}-{size}-{rounds}: none in {took:.1f} s", file=sys.stderr, flush=True)
        return None
    shape, bases = found
    entry = catalogue.Entry(groups, size, shape, tuple(bases), took)
    problems = design_violations(entry.design().rounds, groups, size, shape.rounds)
    if problems:
        raise AssertionError(f"{groups}-{size} on {shape.describe()}: {problems[0]}")
    print(f"  {groups}-{size}-{shape.rounds}: {shape.describe()} in {took:.2f} s", file=sys.stderr, flush=True)
    return entry


def coverage(most_points: int = 40) -> str:
    """A table of g-p (2 <= p <= g, g*p <= most_points): rounds delivered instantly against the bounds."""
    lines = [
        "| g-p | points | counting bound | best known | most_rounds | gap to best known | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in range(2, most_points):
        for groups in range(size, most_points // size + 1):
            bound = counting_bound(groups, size)
            best = BEST_KNOWN.get((groups, size), bound)
            have = most_rounds(groups, size)
            stored = catalogue.entry(groups, size)
            source = "catalogue" if stored is not None and stored.rounds >= have else "formula"
            gap = "?" if best is None else str(best - have)
            best_text = "?" if best is None else str(best)
            lines.append(f"| {groups}-{size} | {groups * size} | {bound} | {best_text} | {have} | {gap} | {source} |")
    return "\n".join(lines)


# The rungs the engine needs at once (ANCHORS.md), timed by --timings.
TARGETS = [
    (4, 4, 5), (5, 3, 7), (5, 4, 5), (5, 5, 6), (6, 3, 8), (6, 4, 7), (6, 5, 6), (6, 6, 3), (7, 3, 9),
    (7, 3, 10), (7, 4, 9), (8, 3, 11), (8, 4, 8), (8, 4, 9), (8, 4, 10), (9, 3, 13), (9, 4, 11), (10, 3, 14),
    (10, 4, 9), (10, 4, 13), (10, 6, 5), (12, 5, 6), (13, 3, 19), (16, 8, 6), (7, 7, 8), (8, 8, 9),
    (9, 9, 10), (10, 2, 19),
]  # fmt: skip


def timings() -> str:
    """golfer_design on every target, first call in this process (so catalogue loading is counted)."""
    lines = []
    for groups, size, rounds in TARGETS:
        began = time.perf_counter()
        design = golfer_design(groups, size, rounds)
        took = time.perf_counter() - began
        how = design.construction if design is not None else "none"
        lines.append(f"{groups}-{size}-{rounds}: {took * 1000:.1f} ms  {how}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="time budget for each one-more-round step")
    parser.add_argument("--max-points", type=int, default=64)
    parser.add_argument("--keep", action="store_true", help="start from the stored entries instead of from scratch")
    parser.add_argument("--only", nargs="*", default=None, help="g-p cases to search, e.g. 8-4")
    parser.add_argument("--table", action="store_true", help="print what is reached for g*p <= 40, search nothing")
    parser.add_argument("--timings", action="store_true", help="time golfer_design on the targets, search nothing")
    args = parser.parse_args(argv)
    if args.table or args.timings:
        print(coverage() if args.table else timings())
        return

    path = Path(__file__).with_name(catalogue.FILE)
    stored = catalogue.parse(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if args.only:
        cases = [tuple(int(x) for x in case.split("-")) for case in args.only]
    else:
        cases = [(g, p) for p in range(3, args.max_points) for g in range(p, args.max_points // p + 1)]
    entries = dict(stored) if args.keep or args.only else {}
    began = time.perf_counter()
    for groups, size in sorted(cases):
        print(f"{groups}-{size}: formulas give {formula_rounds(groups, size)}", file=sys.stderr, flush=True)
        seconds = max(args.seconds, SECONDS_FOR.get((groups, size), 0.0))
        best = improve(groups, size, entries.get((groups, size)), seconds)
        if best is not None:
            entries[(groups, size)] = best
        path.write_text(catalogue.dumps(entries), encoding="utf-8")  # after every case: a long run may be cut short
    print(f"{len(entries)} entries, {time.perf_counter() - began:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
