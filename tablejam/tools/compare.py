"""Comparing objective settings: every instance x setting x seed solved, checked and summarised.

Runs are independent, so they go to a pool of local processes, or to a Dask cluster when a
sweep outgrows one machine. Each task carries the instance as data (not a path), so remote
workers need tablejam installed but none of the files. Statistics come from the checker.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import math
import statistics
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from tablejam.errors import InputError
from tablejam.files import check_writable, write_atomic
from tablejam.models.instance import Instance
from tablejam.models.settings import SolverSettings

# One row per run; the CSV holds these columns, the JSON also each participant's new encounters.
COLUMNS = (
    "instance",
    "setting",
    "seed",
    "status",
    "valid",
    "new_encounters",
    "complementary_matches",
    "cross_sector_encounters",
    "min_new_per_participant",
    "new_per_participant_spread",
    "repeat_meetings",
    "objective",
    "bound",
    "bound_source",
    "gap",
    "time_s",
)
# What the summary and the plot compare, per setting.
METRICS = {
    "new_encounters": "new encounters",
    "complementary_matches": "complementary",
    "cross_sector_encounters": "cross-sector",
    "min_new_per_participant": "min new/person",
    "new_per_participant_spread": "spread new/person",
    "repeat_meetings": "repeats",
    "objective": "objective",
    "bound": "bound",
    "gap": "gap",
    "time_s": "time s",
}


@dataclass(frozen=True)
class Task:
    instance_name: str
    setting_name: str
    seed: int
    instance: dict[str, Any]  # the instance with the setting applied, as data
    solver: dict[str, Any]  # SolverSettings fields

    def describe(self) -> str:
        return f"{self.instance_name} / {self.setting_name} / seed {self.seed}"


def check_options(output: str | None, plot_path: str | None, dask: str | None) -> None:
    """Before any run: what the options need is installed, and the files they name can be written. InputError
    otherwise, so that no sweep is lost at its end to a missing plotting library or an unwritable folder."""
    if plot_path is not None:
        _matplotlib(plot_path)
    if dask is not None:
        _dask()
    for path in (output, plot_path):
        if path is not None:
            check_writable(path)


def plan_tasks(
    instances: dict[str, Instance],
    applied: Callable[[str, Instance], tuple[Instance, SolverSettings]],
    setting_names: Iterable[str],
    seeds: int,
) -> list[Task]:
    """Every instance x setting x seed (seeds 1..seeds), in that order."""
    tasks = []
    for instance_name, instance in instances.items():
        for setting_name in setting_names:
            variant, solver = applied(setting_name, instance)
            for seed in range(1, seeds + 1):
                options = solver.model_copy(update={"seed": seed}).model_dump()
                tasks.append(Task(instance_name, setting_name, seed, variant.model_dump(), options))
    return tasks


def run_task(task: Task) -> dict[str, Any]:
    """Solve one task and describe the result with the checker's figures (runs in a worker process)."""
    from tablejam.check import check
    from tablejam.solver import solve

    instance = Instance.model_validate(task.instance)
    schedule = solve(instance, SolverSettings.model_validate(task.solver))
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(
        instance=task.instance_name,
        setting=task.setting_name,
        seed=task.seed,
        status=schedule.status,
        objective=schedule.objective,
        bound=schedule.bound,
        bound_source=schedule.solver.bound_source if schedule.solver else None,
        gap=schedule.gap,
        time_s=schedule.solver.time_s if schedule.solver else None,
        new_per_participant=[],
    )
    if schedule.rounds:
        report = check(instance, schedule)
        assert report.stats is not None
        counts = list(report.new_per_participant.values())
        row.update(
            valid=report.valid,
            new_per_participant=counts,
            new_per_participant_spread=max(counts, default=0) - min(counts, default=0),
            **{name: getattr(report.stats, name) for name in COLUMNS if hasattr(report.stats, name)},
        )
    return row


def run_tasks(tasks: list[Task], jobs: int, dask: str | None = None) -> Iterator[dict[str, Any]]:
    """Results as runs finish: on `jobs` local processes, or on a Dask cluster ('local' starts one here).

    Every worker has the compiled local search before its first run: a run that spent its time limit without
    it (compiling, on a fresh install) would measure another engine, and with one worker may find nothing.
    The kernels are compiled once, here, into the cache the local workers load from; Dask workers each load
    them (or compile, one at a time per machine) before the runs are sent."""
    from tablejam.solver.local_search import warm_up

    if dask is not None:
        yield from _on_dask(tasks, jobs, dask, warm_up)
        return
    warm_up()
    if jobs == 1:
        yield from map(run_task, tasks)
        return
    # spawn, not fork: OR-Tools and numba start threads, and forking a threaded process can deadlock.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=warm_up) as pool:
        for future in as_completed([pool.submit(run_task, task) for task in tasks]):
            yield future.result()


def _dask() -> Any:
    """dask.distributed, or InputError saying how to install it."""
    try:
        distributed = importlib.import_module("dask.distributed")
    except ImportError:
        raise InputError("--dask needs Dask (dask.distributed): pip install 'tablejam[research]'", "--dask") from None
    return distributed


def _on_dask(tasks: list[Task], jobs: int, address: str, prepare: Callable[[], object]) -> Iterator[dict[str, Any]]:
    distributed = _dask()
    Client, LocalCluster, dask_completed = distributed.Client, distributed.LocalCluster, distributed.as_completed
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise InputError(f"cannot reach the Dask scheduler: {error}", "--dask") from None
    try:
        client.run(prepare)  # on every worker, before any run
        # pure=False: the same task twice (e.g. to measure noise) must really run twice.
        futures = client.map(run_task, tasks, pure=False)
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def ordered(rows: list[dict[str, Any]], tasks: list[Task]) -> list[dict[str, Any]]:
    """Rows in task order, whatever order the runs finished in."""
    position = {(t.instance_name, t.setting_name, t.seed): k for k, t in enumerate(tasks)}
    return sorted(rows, key=lambda row: position[(row["instance"], row["setting"], row["seed"])])


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per instance and setting: the number of runs and the mean of every metric over the runs that found a schedule."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["instance"], row["setting"]), []).append(row)
    table = []
    for (instance, setting), group in groups.items():
        found = [row for row in group if row["objective"] is not None]
        line: dict[str, Any] = {"instance": instance, "setting": setting, "runs": len(group), "found": len(found)}
        for metric in METRICS:
            values = [row[metric] for row in found if row[metric] is not None]
            line[metric] = statistics.fmean(values) if values else None
        line["bound_source"] = _sources(group)
        table.append(line)
    return table


def _sources(rows: list[dict[str, Any]]) -> str | None:
    """Which proofs gave the runs' bounds: one name where all runs agree, else each with its count of runs
    (the most frequent first), so that a smaller gap can be told from a tighter proof."""
    counts: dict[str, int] = {}
    for row in rows:
        if row["bound_source"] is not None:
            counts[row["bound_source"]] = counts.get(row["bound_source"], 0) + 1
    if len(counts) <= 1:
        return next(iter(counts), None)
    return ", ".join(f"{source} {count}" for source, count in sorted(counts.items(), key=lambda kv: -kv[1]))


def summary_text(table: list[dict[str, Any]]) -> str:
    headers = ["instance", "setting", "runs", *METRICS.values(), "bound from"]
    body = [
        [line["instance"], line["setting"], f"{line['found']}/{line['runs']}", *(_cell(m, line[m]) for m in METRICS),
         line["bound_source"] or "-"]
        for line in table
    ]  # fmt: skip
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *body, strict=True)]
    lines = ["  ".join(str(cell).rjust(w) if k >= 2 else str(cell).ljust(w) for k, (cell, w) in
                       enumerate(zip(row, widths, strict=True))) for row in [headers, *body]]  # fmt: skip
    note = (
        "Means over runs with a schedule; runs = with a schedule / all. gap = (bound - objective) / bound. "
        "bound from: the proof that gave the bound (counting, cp-sat, lp: table-aware), with its runs if they differ."
    )
    return "\n".join([*lines, "", note]) + "\n"


def _cell(metric: str, value: float | None) -> str:
    if value is None:
        return "-"
    if metric == "gap":
        return f"{value:.2%}"
    return f"{value:.2f}" if metric == "time_s" or not float(value).is_integer() else f"{value:.0f}"


def _matplotlib(path: str | Path) -> Any:
    """matplotlib set up to draw into files, or InputError saying how to install it."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no display here, and none needed
        import matplotlib.pyplot  # a broken install fails here, before the runs, not after them
    except ImportError:
        raise InputError("--plot needs matplotlib: pip install 'tablejam[research]'", str(path)) from None
    return matplotlib


def rows_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def rows_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps({"format": "tablejam.compare/1", "runs": rows}, indent=2, ensure_ascii=False) + "\n"


def plot(rows: list[dict[str, Any]], path: str | Path) -> None:
    """Box plots per setting, side by side: one row of panels per instance, one panel per metric;
    the last panel pools every participant's new encounters over the runs."""
    matplotlib = _matplotlib(path)
    import matplotlib.pyplot as plt

    panels = {
        "new_encounters": "new encounters",
        "complementary_matches": "complementary matches",
        "cross_sector_encounters": "cross-sector encounters",
        "gap": "gap to the bound",
        "new_per_participant": "new encounters per person (all runs)",
    }
    instances = list(dict.fromkeys(row["instance"] for row in rows))
    settings = list(dict.fromkeys(row["setting"] for row in rows))
    figure, axes = plt.subplots(
        len(instances), len(panels), figsize=(3.6 * len(panels), 3.4 * len(instances)), squeeze=False
    )
    for i, instance in enumerate(instances):
        for j, (metric, title) in enumerate(panels.items()):
            axis = axes[i][j]
            data = []
            for setting in settings:
                runs = [r for r in rows if r["instance"] == instance and r["setting"] == setting]
                if metric == "new_per_participant":
                    data.append([count for r in runs for count in r[metric]])
                else:
                    data.append([r[metric] for r in runs if r[metric] is not None])
            axis.boxplot([values or [math.nan] for values in data], tick_labels=settings, showmeans=True)
            axis.set_title(title if len(instances) == 1 else f"{instance}\n{title}", fontsize=10)
            axis.tick_params(axis="x", labelrotation=30, labelsize=8)
            if metric == "gap":
                axis.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    figure.suptitle(f"Objective settings compared ({len(rows)} runs; triangles: means)")
    figure.tight_layout()
    image = io.BytesIO()
    figure.savefig(image, format="png", dpi=110)
    plt.close(figure)
    write_atomic(path, image.getvalue())
