"""The table-aware bound alone, beside the counting bound: `python -m benchmarks.lp_bound INSTANCE [options]`.

    python -m benchmarks.lp_bound instances/business-jam.toml --seconds 30 --start plan.json

Runs the column generation (tablejam.solver.bound) for `--seconds` on one instance, from a schedule's groups
when `--start` names a schedule document (e.g. a `tablejam solve --format json` output; the engine starts it
the same way), and prints one JSON line: the counting bound, the LP's bound and where it came from, the
restricted master's last value (a lower bound on the LP optimum: no table-aware LP bound can go below it), the
iterations, whether the LP converged, and the bound's history. Figures in benchmarks/BOUND.md.
"""

from __future__ import annotations

import argparse
import json
import time

from tablejam.files import load_instance, load_setting
from tablejam.models.schedule import Schedule
from tablejam.solver.bound import lp_bound
from tablejam.solver.bound.pricing import warm_up
from tablejam.solver.bounds import counting_bound
from tablejam.solver.problem import Problem
from tablejam.solver.seating import from_rounds
from tablejam.solver.stop import Deadline, Stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--objective", help="a preset or settings file, as for `tablejam solve --objective`")
    parser.add_argument("--start", help="a schedule document whose groups start the column generation")
    args = parser.parse_args()
    instance = load_instance(args.instance)
    if args.objective:
        instance = load_setting(args.objective)[1].apply(instance)
    problem = Problem.from_instance(instance)
    warm_up()  # the kernel's compile is not the bound's time
    start = None
    if args.start:
        with open(args.start, encoding="utf-8") as handle:
            start = from_rounds(problem, Schedule.model_validate_json(handle.read()).rounds)
    began = time.perf_counter()
    counting = counting_bound(problem)
    counted_s = time.perf_counter() - began
    result = lp_bound(problem, Stop(Deadline(time.perf_counter() + args.seconds)), start=start)
    print(
        json.dumps(
            {
                "instance": args.instance,
                "objective": args.objective,
                "seconds": args.seconds,
                "counting": counting,
                "counting_s": round(counted_s, 3),
                "lp_bound": result.bound,
                "source": result.source,
                "lp_value": None if result.lp_value is None else round(result.lp_value, 2),
                "iterations": result.iterations,
                "converged": result.converged,
                "lp_s": round(result.seconds, 2),
                "columns": len(result.columns),
                "history": [(round(s, 2), b) for s, b in result.history],
            }
        )
    )


if __name__ == "__main__":
    main()
