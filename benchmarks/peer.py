"""Good-Enough Golfers beside tablejam on the golfer rungs of the ladder (issue 10).

    python -m benchmarks.peer --peer /tmp/good-enough-golfers [--only 8-4-10 ...] [--seeds 3]

Good-Enough Golfers (Brad Buchanan, MIT) is the free browser tool organisers use today. Its solver,
`lib/geneticSolver.js`, builds one round at a time by a genetic/hill-climbing search and never revisits a
round. This harness runs it headless under Node through our own driver, `benchmarks/peer/run_peer.js`, which
loads the solver from the folder given with --peer, at the tool's default effort (its own constants; no group
leaders, no pair constraints, as the page runs by default) with a seeded lodash, and prints the rounds it
produced. We count the peer's repeats here, independently of its score: every meeting of a pair that had
already met (the definition of tablejam's `stats.repeat_meetings`), over the rounds it returned.

The peer's code is not in this repository. Fetch it outside the repository, at the commit measured here:

    git clone https://github.com/islemaster/good-enough-golfers /tmp/good-enough-golfers
    git -C /tmp/good-enough-golfers checkout 4db20742bf6321986dd0121c498504e8f3b2b60e
    cd /tmp/good-enough-golfers && npm install --no-save --omit=dev lodash@4.17.4

(lodash 4.17.4 is the version its web worker loads from a CDN; Node.js 18 or later.) A copy without git
history is accepted too; the harness records the sha256 of `lib/geneticSolver.js` and says whether it is the
file of that commit.

tablejam is measured from this working tree with the command line an organiser uses:
`python -m tablejam.cli solve EVENT.json --time-limit 10 --seed N --format json` on
`tablejam.tools.generate.golfer(g, p, w)` and `golfer(g, p, w, repeats="minimise")` written as JSON, after one
`python -m tablejam.cli warmup` (so no run pays numba's one-off compilation). Its repeats are
`stats.repeat_meetings`, or `solver.least_violations` when it returned no schedule; the same independent
count is applied to its seating as a cross-check.

Runs go one at a time (prefix the command with `nice -n 19` on a shared machine). A peer run that takes more
than --peer-timeout seconds (600) is stopped and recorded as skipped. Raw runs go to benchmarks/peer.json,
the tables to benchmarks/PEER.md; --render rewrites PEER.md from peer.json without running anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DRIVER = HERE / "peer" / "run_peer.js"

PEER_REPO = "https://github.com/islemaster/good-enough-golfers"
PEER_COMMIT = "4db20742bf6321986dd0121c498504e8f3b2b60e"
PEER_SOLVER_SHA256 = "1869fd3d5e5d783b9a519480c98b8f8c383e280048c5e49955ce3033af6d6623"  # lib/geneticSolver.js there
LODASH = "4.17.4"

# The golfer rungs of the ladder (benchmarks/__main__.py: GOLFER).
RUNGS: list[tuple[int, int, int]] = [
    (5, 3, 7), (6, 3, 8), (7, 3, 9), (7, 3, 10), (8, 3, 11), (6, 4, 7), (8, 4, 8), (8, 4, 9), (8, 4, 10),
    (9, 4, 11), (10, 4, 9), (10, 4, 13), (6, 5, 6), (10, 6, 5), (12, 5, 6), (16, 8, 6),
]  # fmt: skip
MODES = ("forbid", "minimise")
SHOWN = ("rung", "tool", "mode", "seed", "status", "repeats", "time_s", "wall_s", "cpu_s", "load")  # printed per run

HOW_TO_FETCH = f"""\
fetch the peer outside this repository first:
    git clone {PEER_REPO} /tmp/good-enough-golfers
    git -C /tmp/good-enough-golfers checkout {PEER_COMMIT}
    cd /tmp/good-enough-golfers && npm install --no-save --omit=dev lodash@{LODASH}
then: python -m benchmarks.peer --peer /tmp/good-enough-golfers"""


class SetupError(Exception):
    """Something the harness needs is missing; the message says what and how to get it."""


def rung_name(g: int, p: int, w: int) -> str:
    return f"{g}-{p}-{w}"


def count_repeats(rounds: list[list[list[Any]]], people: list[Any], size: int) -> tuple[int, int]:
    """(repeat meetings, pairs meeting more than once) over `rounds`, after checking that every round seats each
    of `people` exactly once at tables of exactly `size`. A repeat meeting is a meeting of a pair that had
    already met in an earlier round; a pair meeting three times counts two."""
    everyone = sorted(people, key=str)
    meetings: Counter[frozenset[Any]] = Counter()
    for number, seated in enumerate(rounds, start=1):
        flat = [person for table in seated for person in table]
        if sorted(flat, key=str) != everyone:
            raise ValueError(f"round {number} does not seat every participant exactly once")
        if any(len(table) != size for table in seated):
            raise ValueError(f"round {number} has a table not of {size}")
        for table in seated:
            meetings.update(frozenset(pair) for pair in combinations(table, 2))
    return sum(n - 1 for n in meetings.values()), sum(n > 1 for n in meetings.values())


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@dataclass
class Timer:
    """A run's wall time, the CPU time of the processes it waited for, and the machine's load (1-minute average)
    when it started: on a shared machine wall time swells with others' load, CPU time much less."""

    load: float = field(default_factory=lambda: round(os.getloadavg()[0], 1))
    wall: float = field(default_factory=time.perf_counter)
    cpu: float = field(default_factory=_children_cpu)

    def figures(self) -> dict[str, float]:
        return {
            "wall_s": round(time.perf_counter() - self.wall, 2),
            "cpu_s": round(_children_cpu() - self.cpu, 2),
            "load": self.load,
        }


# ---------------------------------------------------------------------------------------------- the peer


def check_peer(peer: Path) -> dict[str, str]:
    """Node, the driver, the peer's solver and its lodash are all there: what was found. SetupError otherwise."""
    node = shutil.which("node")
    if node is None:
        raise SetupError("node is not on PATH: install Node.js (18 or later) to run the peer's solver")
    if not peer.is_dir():
        raise SetupError(f"--peer {peer}: no such folder\n{HOW_TO_FETCH}")
    solver = peer / "lib" / "geneticSolver.js"
    if not solver.is_file():
        raise SetupError(f"--peer {peer}: no lib/geneticSolver.js there (not a Good-Enough Golfers checkout)\n"
                         f"{HOW_TO_FETCH}")  # fmt: skip
    lodash = peer / "node_modules" / "lodash" / "package.json"
    if not lodash.is_file():
        raise SetupError(f"--peer {peer}: lodash is not installed there; run in that folder:\n"
                         f"    npm install --no-save --omit=dev lodash@{LODASH}")  # fmt: skip
    lodash_version = json.loads(lodash.read_text())["version"]
    if lodash_version != LODASH:
        raise SetupError(f"--peer {peer}: lodash {lodash_version} installed, the tool loads {LODASH}; run there:\n"
                         f"    npm install --no-save --omit=dev lodash@{LODASH}")  # fmt: skip
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    # The checkout's own commit, not that of a repository it happens to sit in.
    top = subprocess.run(["git", "-C", str(peer), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    commit = subprocess.run(["git", "-C", str(peer), "rev-parse", "HEAD"], capture_output=True, text=True)
    own = top.returncode == 0 and Path(top.stdout.strip()).resolve() == peer.resolve() and commit.returncode == 0
    sha = hashlib.sha256(solver.read_bytes()).hexdigest()
    return {
        "repository": PEER_REPO,
        "commit": commit.stdout.strip() if own else "(not a git checkout)",
        "solver_sha256": sha,
        "solver_matches_commit": str(sha == PEER_SOLVER_SHA256).lower(),
        "lodash": lodash_version,
        "node": node_version,
    }


def run_peer(peer: Path, g: int, p: int, w: int, seed: int, timeout: float) -> dict[str, Any]:
    """One headless run of the peer through our driver; its repeats counted here."""
    row: dict[str, Any] = {"tool": "peer", "rung": rung_name(g, p, w), "mode": "default effort", "seed": seed}
    timer = Timer()
    try:
        completed = subprocess.run(
            ["node", str(DRIVER), str(peer), str(g), str(p), str(w), str(seed)],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {**row, "status": f"skipped: over {timeout:g} s", **timer.figures()}
    clock = timer.figures()
    if completed.returncode != 0:
        error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {**row, "status": f"error: {error}", **clock}
    produced = json.loads(completed.stdout)
    rounds = produced["rounds"]
    try:
        repeats, pairs = count_repeats(rounds, list(range(g * p)), p)
    except ValueError as error:
        return {**row, "status": f"invalid: {error}", **clock}
    return {
        **row,
        "status": "ok" if len(rounds) == w else f"only {len(rounds)} of {w} rounds",
        "rounds": len(rounds),
        "repeats": repeats,
        "pairs_repeated": pairs,
        "time_s": produced["time_s"],
        **clock,
        "round_scores": produced["round_scores"],
    }


# ---------------------------------------------------------------------------------------------- tablejam


def tablejam_env() -> dict[str, str]:
    """This working tree's tablejam first, whatever else is installed."""
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}


def warm_up_tablejam() -> None:
    subprocess.run([sys.executable, "-m", "tablejam.cli", "warmup"], cwd=ROOT, env=tablejam_env(),
                   check=True, capture_output=True)  # fmt: skip


def run_tablejam(g: int, p: int, w: int, mode: str, seed: int, time_limit: float) -> dict[str, Any]:
    """`tablejam solve` on golfer(g, p, w, repeats=mode), through the command line, timed end to end."""
    from tablejam.tools.generate import golfer

    row: dict[str, Any] = {"tool": "tablejam", "rung": rung_name(g, p, w), "mode": mode, "seed": seed}
    instance = golfer(g, p, w, repeats=mode)
    with tempfile.TemporaryDirectory() as folder:
        event = Path(folder) / "event.json"
        event.write_text(instance.model_dump_json())
        timer = Timer()
        completed = subprocess.run(
            [sys.executable, "-m", "tablejam.cli", "solve", str(event), "--time-limit", f"{time_limit:g}",
             "--seed", str(seed), "--format", "json"],
            cwd=ROOT, env=tablejam_env(), capture_output=True, text=True,
        )  # fmt: skip
        clock = timer.figures()
    if completed.returncode not in (0, 4):  # 4: no schedule within the limit, still a JSON document
        error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {**row, "status": f"error (exit {completed.returncode}): {error}", **clock}
    schedule = json.loads(completed.stdout)
    solver = schedule.get("solver") or {}
    stats = schedule.get("stats")
    seated = [[table["participants"] for table in r["tables"]] for r in schedule["rounds"]]
    counted = count_repeats(seated, [person.id for person in instance.participants], p) if seated else None
    repeats = stats["repeat_meetings"] if stats else solver.get("least_violations")
    status = schedule["status"] if seated else f"{schedule['status']} (no schedule)"
    if counted is not None and counted[0] != repeats:
        status = f"mismatch: tablejam reports {repeats} repeats, its seating has {counted[0]}"
    return {
        **row,
        "status": status,
        "rounds": len(seated),
        "repeats": repeats,
        "pairs_repeated": counted[1] if counted else None,
        "time_s": solver.get("time_s"),
        "first_s": solver.get("first_schedule_s"),
        **clock,
        "engine": solver.get("engine", ""),
    }


# ---------------------------------------------------------------------------------------------- the report


def _spread(values: list[float]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _repeats_cell(rows: list[dict[str, Any]]) -> str:
    """Repeats per seed, in seed order ('/' between seeds); a run without a figure says why."""
    cells = []
    for row in sorted(rows, key=lambda r: r["seed"]):
        if row.get("repeats") is None:
            cells.append("skipped" if str(row["status"]).startswith("skipped") else "error")
        else:
            cells.append(str(row["repeats"]) + ("" if row["tool"] == "peer" or row.get("rounds") else "*"))
    return " / ".join(cells)


def _time_cell(rows: list[dict[str, Any]]) -> str:
    """The solve's time over seeds, and in brackets the CPU time of the whole process (start included)."""
    timed = [round(float(r["time_s"]), 1) for r in rows if r.get("time_s") is not None]
    cpu = [round(float(r["cpu_s"]), 1) for r in rows if r.get("time_s") is not None and r.get("cpu_s") is not None]
    skipped = [r for r in rows if str(r["status"]).startswith("skipped")]
    text = _spread(timed) + (f" ({_spread(cpu)})" if cpu else "")
    if skipped:
        text += (", " if text else "") + f"{len(skipped)} over {skipped[0]['status'].split('over ')[1]}"
    return text


SUMMARY_START, SUMMARY_END = "<!-- summary: written by hand, kept when the tables are redrawn -->", "<!-- /summary -->"


def kept_summary(page: Path) -> str:
    """The hand-written paragraph of an existing PEER.md (between the markers), or a placeholder."""
    text = page.read_text() if page.is_file() else ""
    if SUMMARY_START in text and SUMMARY_END in text:
        return text.split(SUMMARY_START, 1)[1].split(SUMMARY_END, 1)[0]
    return "(to be written from the figures above)"


def commands(meta: dict[str, Any]) -> list[str]:
    """The exact commands behind the figures: fetching the peer, the harness, and what it runs per rung and seed."""
    limit = f"{meta['time_limit']:g}"
    return [
        "# the peer, outside this repository",
        f"git clone {PEER_REPO} /tmp/good-enough-golfers",
        f"git -C /tmp/good-enough-golfers checkout {PEER_COMMIT}",
        f"(cd /tmp/good-enough-golfers && npm install --no-save --omit=dev lodash@{LODASH})",
        "# everything in this page (from the repository root)",
        meta["command"],
        "# what it runs for rung g-p-w and seed N: the peer (prints its rounds as JSON; repeats counted by peer.py)",
        "node benchmarks/peer/run_peer.js /tmp/good-enough-golfers G P W N",
        "# and tablejam, once warmed up, in both repeat modes",
        "python -m tablejam.cli warmup",
        "python -c 'from tablejam.tools.generate import golfer; "
        "print(golfer(G, P, W).model_dump_json())' > forbid.json",
        "python -c 'from tablejam.tools.generate import golfer; "
        'print(golfer(G, P, W, repeats="minimise").model_dump_json())\' > minimise.json',
        f"python -m tablejam.cli solve forbid.json --time-limit {limit} --seed N --format json",
        f"python -m tablejam.cli solve minimise.json --time-limit {limit} --seed N --format json",
    ]


def render(meta: dict[str, Any], runs: list[dict[str, Any]], summary: str) -> str:
    peer = meta.get("peer") or {}
    seeds = sorted({r["seed"] for r in runs})
    rung_names = [rung_name(*gpw) for gpw in RUNGS if any(r["rung"] == rung_name(*gpw) for r in runs)]

    def pick(rung: str, tool: str, mode: str | None = None) -> list[dict[str, Any]]:
        return [r for r in runs if r["rung"] == rung and r["tool"] == tool and (mode is None or r["mode"] == mode)]

    same = f", the file of commit {PEER_COMMIT[:7]}" if peer.get("solver_matches_commit") == "true" else ""
    lines = [
        "# tablejam beside Good-Enough Golfers",
        "",
        f"Produced by `{meta['command']}` on {meta['date']}: {meta['cpus']} cores ({meta['machine']}, shared with "
        f"other work, every run at niceness {meta.get('niceness', 19)}), Python {meta['python']}, "
        f"Node {peer.get('node', '?')}.",
        "",
        f"- **Good-Enough Golfers** (MIT): [{PEER_REPO}]({PEER_REPO}) at commit `{peer.get('commit', '?')}` "
        f"(`lib/geneticSolver.js` sha256 `{str(peer.get('solver_sha256', '?'))[:16]}...`{same}), "
        f"lodash {peer.get('lodash', '?')}, run headless by `benchmarks/peer/run_peer.js` at the tool's default "
        "effort (its constants: 30 generations a round, 2 random mutations, 100 descendants; no group leaders, no "
        "pair constraints). It plans one round at a time and never revisits a round. Its time is the solver call "
        "alone, in Node; a run over the 10-minute cap is stopped and shown as skipped.",
        f"- **tablejam**: this tree at commit `{meta.get('tablejam_commit', '?')}`, `python -m tablejam.cli solve "
        f"EVENT.json --time-limit {meta['time_limit']:g} --seed N --format json` (2 workers, the default), after one "
        "`python -m tablejam.cli warmup`; EVENT.json is `tablejam.tools.generate.golfer(g, p, w)` (forbid) or "
        '`golfer(g, p, w, repeats="minimise")` written as JSON. Its time is `solver.time_s` (the solve, without '
        "interpreter start; `wall_s` in peer.json has the whole process).",
        "- **Repeats**: meetings of a pair that had already met (a pair meeting three times counts two), counted by "
        "this harness on the peer's rounds; for tablejam `stats.repeat_meetings` (checked against the same count "
        "on its seating), or, marked `*`, `solver.least_violations` when it returned no schedule within the limit.",
        f"- Seeds {', '.join(map(str, seeds))}; repeats are listed per seed in that order, times as the range "
        "over seeds in seconds: the solve's own time, and in brackets the CPU time (user + system) of the whole "
        "process, start and imports included (tablejam searches with 2 workers, so its CPU time can exceed its "
        "time; the peer runs on one thread). The machine was shared with other benchmarks; `load` in the runs "
        "below is its 1-minute load average when each run started. On 2 cores a load of 5 stretches wall times "
        "several-fold, CPU times much less: compare CPU times when the loads differ.",
        "",
        "## Figures",
        "",
        "| rung (g-p-w) | people | peer repeats | peer time s (CPU s) | tablejam forbid repeats "
        "| forbid time s (CPU s) | tablejam minimise repeats | minimise time s (CPU s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rung in rung_names:
        g, p, _w = map(int, rung.split("-"))
        peer_rows, forbid, minimise = (
            pick(rung, "peer"),
            pick(rung, "tablejam", "forbid"),
            pick(rung, "tablejam", "minimise"),
        )
        lines.append(
            f"| {rung} | {g * p} | {_repeats_cell(peer_rows)} | {_time_cell(peer_rows)} | {_repeats_cell(forbid)} "
            f"| {_time_cell(forbid)} | {_repeats_cell(minimise)} | {_time_cell(minimise)} |"
        )
    lines += ["", "## Where each tool stands", "", SUMMARY_START, summary.strip(), SUMMARY_END, ""]
    lines += ["## Commands", "", "```sh", *commands(meta), "```", ""]
    lines += [
        "## Runs",
        "",
        "| rung | tool | mode | seed | status | repeats | pairs repeated | time_s | wall_s | cpu_s | load | engine |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        cells = [r["rung"], r["tool"], r["mode"], r["seed"], r["status"], r.get("repeats"), r.get("pairs_repeated"),
                 r.get("time_s"), r.get("wall_s"), r.get("cpu_s"), r.get("load"), r.get("engine", "")]  # fmt: skip
        lines.append("| " + " | ".join("" if c is None else str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- main


def _git_commit(folder: Path) -> str:
    completed = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"], capture_output=True,
                               text=True)  # fmt: skip
    dirty = subprocess.run(["git", "-C", str(folder), "status", "--porcelain", "--", "tablejam"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return completed.stdout.strip() + (" (tablejam/ modified)" if dirty else "")


def _parse_rung(text: str) -> tuple[int, int, int]:
    try:
        g, p, w = (int(part) for part in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a rung is g-p-w, e.g. 8-4-10") from None
    return g, p, w


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.peer", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--peer", type=Path, help="folder of a Good-Enough Golfers checkout with lodash installed")
    parser.add_argument("--only", nargs="+", type=_parse_rung, metavar="G-P-W", help="rungs to run (default: all)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 1..N (default 3)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="tablejam's --time-limit (default 10)")
    parser.add_argument("--peer-timeout", type=float, default=600.0, help="stop a peer run after this (default 600)")
    parser.add_argument("--tools", nargs="+", choices=("peer", "tablejam"), default=["peer", "tablejam"])
    parser.add_argument("--merge", action="store_true", help="keep the other runs of an existing peer.json")
    parser.add_argument("--render", action="store_true", help="rewrite PEER.md from peer.json; run nothing")
    parser.add_argument("--out", type=Path, default=HERE, help="folder for peer.json and PEER.md")
    args = parser.parse_args(argv)
    results = args.out / "peer.json"

    if args.render:
        if not results.is_file():
            parser.exit(2, f"peer.py: {results} does not exist yet: run the comparison first\n")
        document = json.loads(results.read_text())
        page = args.out / "PEER.md"
        page.write_text(render(document["meta"], document["runs"], kept_summary(page)))
        return 0

    peer_info: dict[str, str] = {}
    if "peer" in args.tools:
        if args.peer is None:
            parser.exit(2, f"peer.py: --peer is required: the folder of the peer's solver\n{HOW_TO_FETCH}\n")
        try:
            peer_info = check_peer(args.peer.resolve())
        except SetupError as error:
            parser.exit(2, f"peer.py: {error}\n")
        if peer_info["solver_matches_commit"] != "true":
            print(f"peer.py: note: lib/geneticSolver.js differs from commit {PEER_COMMIT[:7]}", file=sys.stderr)

    rungs = args.only or RUNGS
    seeds = list(range(1, args.seeds + 1))
    previous = json.loads(results.read_text()) if args.merge and results.is_file() else None
    runs: list[dict[str, Any]] = []
    if "tablejam" in args.tools:
        warm_up_tablejam()
    for g, p, w in rungs:
        for seed in seeds:
            batch = []
            if "peer" in args.tools:
                batch.append(run_peer(args.peer.resolve(), g, p, w, seed, args.peer_timeout))
            if "tablejam" in args.tools:
                batch += [run_tablejam(g, p, w, mode, seed, args.time_limit) for mode in MODES]
            for row in batch:
                print("  ".join(f"{k}={row.get(k)}" for k in SHOWN), flush=True)
            runs += batch

    niceness = os.nice(0)
    command = ("" if niceness == 0 else f"nice -n {niceness} ") + "python -m benchmarks.peer"
    command += f" --peer {args.peer}" if "peer" in args.tools else ""
    command += f" --only {' '.join(rung_name(*r) for r in args.only)}" if args.only else ""
    command += f" --seeds {args.seeds}" if args.seeds != 3 else ""
    command += f" --tools {' '.join(args.tools)}" if set(args.tools) != {"peer", "tablejam"} else ""
    meta: dict[str, Any] = {
        "command": command + (" --merge" if args.merge else ""),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": len(os.sched_getaffinity(0)),
        "niceness": niceness,
        "time_limit": args.time_limit,
        "tablejam_commit": _git_commit(ROOT),
        "peer": peer_info,
    }
    if previous is not None:  # the new runs replace the same (rung, tool, mode, seed) of the old ones
        ran = {(r["rung"], r["tool"], r["mode"], r["seed"]) for r in runs}
        runs = [r for r in previous["runs"] if (r["rung"], r["tool"], r["mode"], r["seed"]) not in ran] + runs
        meta["command"] = f"{previous['meta']['command']}; then {meta['command']}"
        meta["peer"] = peer_info or previous["meta"].get("peer", {})
    order = {rung_name(*gpw): i for i, gpw in enumerate(RUNGS)}
    runs.sort(key=lambda r: (order.get(r["rung"], len(order)), r["tool"] != "peer", r["mode"], r["seed"]))
    args.out.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps({"meta": meta, "runs": runs}, indent=2) + "\n")
    page = args.out / "PEER.md"
    page.write_text(render(meta, runs, kept_summary(page)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
