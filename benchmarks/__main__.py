"""The benchmark ladder: `python -m benchmarks [RUNG ...] [--seeds N] [--out DIR] [--merge]`.

Each rung runs in its own process (so peak memory is the solve's own), with the
time limit, workers and seed recorded. Results go to benchmarks/results.json and
benchmarks/RESULTS.md; targets come from the issues and ../shared/ANCHORS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Rung:
    name: str
    build: str  # a Python expression over tablejam.tools.generate / tablejam.files that yields an Instance
    time_limit: float
    target: str  # what counts as met, said in words
    zero_repeats: bool = True
    max_gap: float | None = None
    workers: int = 2
    replan_after: int | None = None  # replan rung: time `tablejam replan` after this round, not the solve
    fresh: bool = False  # solve through the command line with an empty compile cache, timed end to end
    min_objective: float | None = None  # the objective must reach this (fresh install: today's 5-s solve)
    repeats_at_floor: bool = False  # repeats cannot be avoided: as few as the counting bound allows
    cli: bool = False  # solve through the command line in its own process: its peak memory is the solve's alone
    max_mib: float = 2048  # peak resident memory allowed
    wall_slack: float = 1  # seconds past the time limit allowed
    wishes_kept: bool = False  # every positive wish granted, no pair wished apart ever together


def golfer_rung(g: int, p: int, w: int, limit: float = 10, repeats: str = "forbid", hosts: int = 0) -> Rung:
    mode = "" if repeats == "forbid" else "-minimise"
    label = f"golfer-{g}-{p}-{w}{mode}" + (f"-{hosts}-hosts" if hosts else "")
    build = f"golfer({g}, {p}, {w}, repeats={repeats!r}, hosts={hosts})"
    return Rung(label, build, limit, f"zero repeats in {limit:g} s")


# Every golfer rung with a known zero-repeat design up to 40 players, and the larger ones of the ladder.
GOLFER = [(5, 3, 7), (6, 3, 8), (7, 3, 9), (7, 3, 10), (8, 3, 11), (6, 4, 7), (8, 4, 8), (8, 4, 9), (8, 4, 10),
          (9, 4, 11), (10, 4, 9), (10, 4, 13), (6, 5, 6), (10, 6, 5), (12, 5, 6), (16, 8, 6)]  # fmt: skip

LADDER = [
    *(golfer_rung(*gpw, repeats=repeats) for gpw in GOLFER for repeats in ("forbid", "minimise")),
    Rung("golfer-8-4-11-minimise", "golfer(8, 4, 11, repeats='minimise')", 10,
         "repeats as few as counting allows (32) in 10 s", zero_repeats=False, repeats_at_floor=True),
    Rung("golfer-6-3-9-minimise", "golfer(6, 3, 9, repeats='minimise')", 10,
         "repeats as few as counting allows (9) in 10 s", zero_repeats=False, repeats_at_floor=True),
    golfer_rung(8, 4, 9, limit=30, hosts=2),
    Rung("golfer-8-7-7-no-revisit", "golfer(8, 7, 7, revisit_tables='forbid')", 10,
         "zero repeats and nobody at a table twice in 10 s"),
    Rung("business-jam", "load_instance(ROOT / 'instances' / 'business-jam.toml')", 30,
         "zero repeats, gap < 1% in 30 s", max_gap=0.01),
    Rung("business-jam-fresh-5s", "load_instance(ROOT / 'instances' / 'business-jam.toml')", 5,
         "fresh install (nothing compiled): a valid schedule within 6 s, objective >= 5963", fresh=True,
         min_objective=5963),
    Rung("event-150", "business_event(150, 25, 6, 6, seed=1, hosts=5, absent_share=0.05, colleague_groups=6)", 60,
         "zero repeats, gap < 5% in 60 s", max_gap=0.05),
    Rung("event-300", "business_event(300, 50, 6, 6, seed=2, hosts=10, absent_share=0.05, colleague_groups=10)", 60,
         "zero repeats in 60 s"),
    Rung("event-500", "business_event(500, 50, 10, 8, seed=3, sector_cap=3)", 60,
         "zero repeats in 60 s, peak memory < 2 GiB"),
    *(
        Rung(f"event-{people}", f"business_event({people}, {tables}, 8, {rounds}, seed={seed})", limit,
             f"zero repeats within {limit + slack:g} s in <= {mib / 1024:g} GiB; time to first schedule",
             cli=True, max_mib=mib, wall_slack=slack)
        for people, tables, rounds, seed, limit, slack, mib in (
            (2000, 250, 5, 4, 60, 5, 2048), (5000, 625, 4, 5, 60, 5, 2048), (10000, 1250, 4, 6, 120, 10, 4096),
        )
    ),
    Rung("garden-jam", "load_instance(ROOT / 'instances' / 'garden-jam.toml')", 30,
         "every rule of issue 12 at once: valid, zero repeats, the wish granted and the pair wished apart never "
         "together in 30 s", wishes_kept=True),
    Rung("determinism", "load_instance(ROOT / 'instances' / 'business-jam.toml')", 10,
         "1 worker, same seed: the same schedule twice", workers=1),
    Rung("replan-business-jam", "load_instance(ROOT / 'instances' / 'business-jam.toml')", 10,
         "2 absentees after round 2: `tablejam replan` returns in < 10 s", replan_after=2),
]  # fmt: skip


def run_one(rung: Rung, seed: int) -> dict[str, object]:
    """Child process: build, solve, check; print one JSON line."""
    from tablejam.check import check
    from tablejam.diagnostics.counting import counting_bounds
    from tablejam.files import load_instance  # noqa: F401  (used by rung.build)
    from tablejam.models import SolverSettings
    from tablejam.solver import solve
    from tablejam.solver.local_search import warm_up
    from tablejam.tools.generate import business_event, golfer  # noqa: F401

    instance = eval(rung.build)
    if rung.fresh or rung.cli:
        if not rung.fresh:
            warm_up()  # into the cache the command line loads from
        schedule, wall = _cli_run(instance, rung.time_limit, seed, rung.fresh)
    else:
        warm_up()  # compile (or load) the kernels outside the timed solve
        started = time.perf_counter()
        schedule = solve(instance, SolverSettings(time_limit=rung.time_limit, workers=rung.workers, seed=seed))
        wall = time.perf_counter() - started
    moves = None
    if rung.replan_after is not None:
        instance, schedule, wall, moves = _replan_run(instance, schedule, rung.replan_after, seed)
    report = check(instance, schedule) if schedule.rounds else None
    seating = json.dumps([r.model_dump() for r in schedule.rounds], sort_keys=True)
    return {
        "instance": rung.name,
        "people": len(instance.participants),
        "tables": len(instance.table_list),
        "rounds": instance.rounds,
        "time_limit": rung.time_limit,
        "workers": rung.workers,
        "seed": seed,
        "status": schedule.status,
        "valid": bool(report and report.valid),
        # Without a valid schedule: the fewest violations reached (all repeats on golfer rungs).
        "repeats": schedule.stats.repeat_meetings if schedule.stats else schedule.solver.least_violations,
        "repeats_floor": counting_bounds(instance).min_repeat_meetings,
        "new_encounters": schedule.stats.new_encounters if schedule.stats else None,
        # Positive wishes granted, of those made; and meetings of pairs wished apart.
        "wishes": _wishes(instance, schedule) if instance.rules.wishes else None,
        "objective": schedule.objective,
        "bound": schedule.bound,
        "gap": schedule.gap,
        "wall_s": round(wall, 2),
        "first_s": schedule.solver.first_schedule_s if schedule.solver else None,
        "engine": schedule.solver.engine if schedule.solver else "",
        # The solve's process: this one, or the command-line process it ran (that one alone: building the instance
        # here is not the solve's).
        "peak_mib": round(max(resource.getrusage(who).ru_maxrss for who in _solving_processes(rung)) / 1024, 1),
        "schedule_sha": hashlib.sha256(seating.encode()).hexdigest()[:12],
        "moves": moves,
    }


def _wishes(instance, schedule) -> dict[str, int] | None:  # type: ignore[no-untyped-def]
    if schedule.stats is None:
        return None
    made = sum(wish.weight > 0 for wish in instance.rules.wishes)
    return {"granted": schedule.stats.wishes_granted, "made": made, "broken": schedule.stats.wishes_broken}


def _wishes_kept(row: dict[str, object]) -> bool:
    wishes = row.get("wishes")
    return isinstance(wishes, dict) and wishes["granted"] == wishes["made"] and wishes["broken"] == 0


def _solving_processes(rung: Rung) -> tuple[int, ...]:
    if rung.fresh or rung.cli:
        return (resource.RUSAGE_CHILDREN,)
    return (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)


def _cli_run(instance, time_limit: float, seed: int, fresh: bool):  # type: ignore[no-untyped-def]
    """`tablejam solve` as a program calls it, interpreter start and imports included in the time; `fresh`: as a new
    user runs it right after installing, nothing compiled yet (numba's cache pointed at an empty folder)."""
    import os
    import tempfile

    from tablejam.models import Schedule

    with tempfile.TemporaryDirectory() as folder:
        event = Path(folder) / "event.json"
        event.write_text(instance.model_dump_json())
        env = {**os.environ, "NUMBA_CACHE_DIR": str(Path(folder) / "numba-cache")} if fresh else None
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "tablejam.cli", "solve", str(event), "--time-limit", f"{time_limit:g}",
             "--seed", str(seed), "--format", "json"],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        wall = time.perf_counter() - started
    return Schedule.model_validate_json(completed.stdout), wall


def _replan_run(instance, printed, after_round: int, seed: int):  # type: ignore[no-untyped-def]
    """`tablejam replan` end to end, as an organiser runs it (interpreter start and imports included):
    two people who sit together in the next printed round drop out, so that table must be refilled."""
    import tempfile

    from tablejam.files import load_instance, load_schedule

    seated = printed.rounds[after_round].tables
    hosts = {p.id for p in instance.participants if p.host}
    table = next(t for t in seated if len(set(t.participants) - hosts) >= 2)
    absent = ",".join(sorted(set(table.participants) - hosts)[:2])
    with tempfile.TemporaryDirectory() as folder:
        event, plan, new, changed = (
            Path(folder) / name for name in ("event.json", "plan.json", "new.json", "changed.json")
        )
        event.write_text(instance.model_dump_json())
        plan.write_text(printed.model_dump_json())
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tablejam.cli", "replan", str(event), str(plan), "--after-round", str(after_round),
             "--absent", absent, "--seed", str(seed), "-o", str(new), "--instance-out", str(changed)],
            check=True, capture_output=True,
        )  # fmt: skip
        wall = time.perf_counter() - started
        schedule = load_schedule(new)
        return load_instance(changed), schedule, wall, len(schedule.replanned.moves)


def verdict(rung: Rung, rows: list[dict[str, object]]) -> str:
    if rung.name == "determinism":
        return "met" if len({r["schedule_sha"] for r in rows}) == 1 and rows[0]["valid"] else "NOT met"
    ok = all(
        r["valid"]
        and (not rung.zero_repeats or r["repeats"] == 0)
        and (not rung.repeats_at_floor or r["repeats"] == r["repeats_floor"])
        and (rung.min_objective is None or (r["objective"] is not None and r["objective"] >= rung.min_objective))
        and (not rung.wishes_kept or _wishes_kept(r))
        and (rung.max_gap is None or (r["gap"] is not None and r["gap"] <= rung.max_gap))  # type: ignore[operator]
        and float(r["wall_s"]) <= rung.time_limit + rung.wall_slack  # type: ignore[arg-type]
        and float(r["peak_mib"]) <= rung.max_mib  # type: ignore[arg-type]
        for r in rows
    )
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="RUNG", help="rung names to run (default: all)")
    parser.add_argument("--only", nargs="*", default=[], help="rung names to run, as RUNG")
    parser.add_argument("--seeds", type=int, default=1, help="seeds per rung (1..N)")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for results.json and RESULTS.md")
    parser.add_argument(
        "--merge", action="store_true", help="keep the other rungs' runs from the existing results.json"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    by_name = {rung.name: rung for rung in LADDER}

    if args.one:
        print(json.dumps(run_one(by_name[args.one], args.seed)))
        return

    names = [*args.names, *args.only]
    unknown = [name for name in names if name not in by_name]
    if unknown:
        parser.error(f"unknown rung {', '.join(unknown)} (rungs: {', '.join(by_name)})")
    chosen = [by_name[name] for name in names] if names else LADDER
    results: list[dict[str, object]] = []
    previous = args.out / "results.json"
    if args.merge and previous.exists():
        rerun = {rung.name for rung in chosen}
        results = [row for row in json.loads(previous.read_text())["runs"] if row["instance"] not in rerun]
    for rung in chosen:
        seeds = [1, 1] if rung.name == "determinism" else list(range(1, args.seeds + 1))
        rows = []
        for seed in seeds:
            completed = subprocess.run(
                [sys.executable, "-m", "benchmarks", "--one", rung.name, "--seed", str(seed)],
                cwd=ROOT, capture_output=True, text=True,
            )  # fmt: skip
            if completed.returncode == 0:
                row = json.loads(completed.stdout.strip().splitlines()[-1])
            else:  # a failed run is a row that says so, not the end of the ladder
                error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
                row = {**dict.fromkeys(COLUMNS), "instance": rung.name, "seed": seed, "status": f"error: {error}",
                       "valid": False, "time_limit": rung.time_limit}  # fmt: skip
            rows.append(row)
            print(_row_text(row), flush=True)
        results += rows
    results.sort(key=lambda row: [rung.name for rung in LADDER].index(str(row["instance"])))
    summary = [
        (rung, verdict(rung, [row for row in results if row["instance"] == rung.name]))
        for rung in LADDER
        if any(row["instance"] == rung.name for row in results)
    ]

    args.out.mkdir(parents=True, exist_ok=True)
    command = "python -m benchmarks" + (f" {' '.join(names)}" if names else "")
    command += f" --seeds {args.seeds}" if args.seeds != 1 else ""
    if args.merge:
        before = json.loads(previous.read_text())["meta"]["command"] if previous.exists() else "nothing"
        command = f"{before}; then {command} --merge (its rungs replaced)"
    meta = {"command": command, "python": platform.python_version(), "machine": platform.machine(),
            "cpus": _cpus(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
    (args.out / "results.json").write_text(json.dumps({"meta": meta, "runs": results}, indent=2) + "\n")
    (args.out / "RESULTS.md").write_text(_markdown(meta, results, summary))


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


COLUMNS = ["instance", "people", "time_limit", "seed", "status", "repeats", "repeats_floor", "new_encounters",
           "objective", "bound", "gap", "first_s", "wall_s", "peak_mib", "engine", "moves", "wishes"]  # fmt: skip


def _row_text(row: dict[str, object]) -> str:
    return "  ".join(f"{c}={_cell(c, row.get(c))}" for c in COLUMNS)


def _cell(column: str, value: object) -> str:
    if column == "gap" and isinstance(value, float):
        return f"{value:.2%}"
    if column == "wishes" and isinstance(value, dict):  # rungs run before wishes existed have none
        return f"{value['granted']}/{value['made']} granted, {value['broken']} broken"
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _markdown(meta: dict[str, object], rows: list[dict[str, object]], summary: list[tuple[Rung, str]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{meta['command']}` on {meta['date']} ({meta['cpus']} cores, Python {meta['python']}).",
        "Each run is a separate process; `wall_s` is the solve's wall time (it uses the whole limit unless it",
        "proves optimality), `first_s` the time to its first valid schedule, `peak_mib` the solving process's",
        "peak resident memory (the command line's alone for the event-N rungs, run as `tablejam solve`),",
        "`gap` = (bound - objective) / max(1, |bound|). The machine is shared and noisy: compare times as",
        "ratios to the limit, and objectives against the bound. A run without a valid",
        "schedule (status unknown) shows in `repeats` the fewest rule violations it reached (all repeats on",
        "golfer rungs).",
        "",
        "## Targets",
        "",
        "| rung | target | verdict |",
        "|---|---|---|",
        *[f"| {rung.name} | {rung.target} | {verdict_text} |" for rung, verdict_text in summary],
        "",
        "## Runs",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
        *["| " + " | ".join(_cell(c, row.get(c)) for c in COLUMNS) + " |" for row in rows],
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
