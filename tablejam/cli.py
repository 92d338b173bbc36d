"""The command line: parse, call, print. Exit codes are part of the contract (see README)."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn

import click

from tablejam import __version__
from tablejam.check import check as check_schedule
from tablejam.errors import InputError
from tablejam.io import history_pairs, instance_folder, load_instance, load_schedule, write_atomic
from tablejam.models.instance import MAX_ROUNDS, MAX_SEATS, MAX_TABLES, Instance
from tablejam.models.schedule import Schedule, relative_gap
from tablejam.models.settings import SolverSettings
from tablejam.precheck import balanced_sizes, counting_bounds, impossibilities
from tablejam.render import check_text, schedule_text, status_line, validate_text

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_NO_SCHEDULE = 4

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs (stdout then holds only the JSON document).",
)


def _fail(error: InputError, fmt: str) -> NoReturn:
    """Bad input: one clear message on stderr (and as JSON on stdout for programs), exit 2."""
    click.echo(f"error: {error}", err=True)
    if fmt == "json":
        click.echo(json.dumps({"error": {"code": EXIT_INPUT, "message": error.message, "where": error.where}}))
    sys.exit(EXIT_INPUT)


def _reports_input_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            _fail(error, kwargs.get("fmt", "text"))

    return run


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tablejam")
def main() -> None:
    """tablejam plans multi-round networking events: everyone meets new people every round.

    \b
    Exit codes: 0 schedule found (or valid), 1 check found violations,
    2 invalid input or usage, 3 proven infeasible, 4 no schedule within the time limit.
    """


@main.command()
@click.argument("instance_path", metavar="INSTANCE")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the schedule to this file (atomically).")
@FORMAT
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds for the whole solve; the best schedule found by then is returned.",
)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Parallel search workers.")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True, help="Random seed.")
@click.option("--log", is_flag=True, help="Show the CP-SAT search log on stderr.")
@click.option(
    "--progress",
    type=click.Choice(["none", "json"]),
    default="none",
    show_default=True,
    help="json: one line per better schedule on stderr: {time_s, objective, bound, gap}.",
)
@_reports_input_errors
def solve(
    instance_path: str,
    output: str | None,
    fmt: str,
    time_limit: float,
    workers: int,
    seed: int,
    log: bool,
    progress: str,
) -> None:
    """Plan INSTANCE (TOML or JSON; '-' reads standard input)."""
    from tablejam.solver import solve as solve_instance  # the solver imports ortools: only when solving

    instance = load_instance(instance_path)
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed)
    logger = (lambda line: click.echo(line, err=True)) if log else None
    reporter = _progress_line if progress == "json" else None
    with _stop_on_signals() as stop:
        schedule = solve_instance(instance, settings, log=logger, stop=stop, progress=reporter)

    if output is not None:
        as_json = fmt == "json" or Path(output).suffix.lower() == ".json"
        write_atomic(output, _dump(schedule.model_dump()) if as_json else schedule_text(instance, schedule))
        click.echo(f"{status_line(schedule)}; wrote {output}", err=True)
    elif fmt == "json":
        click.echo(_dump(schedule.model_dump()), nl=False)
    else:
        click.echo(schedule_text(instance, schedule), nl=False)
    sys.exit(_exit_code(schedule))


def _progress_line(seconds: float, objective: float, bound: float) -> None:
    gap = relative_gap(objective, bound)
    click.echo(json.dumps({"time_s": seconds, "objective": objective, "bound": bound, "gap": gap}), err=True)


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """SIGINT and SIGTERM end the solve promptly; the best schedule so far is still written whole."""
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _exit_code(schedule: Schedule) -> int:
    if schedule.status == "infeasible":
        return EXIT_INFEASIBLE
    if not schedule.rounds:
        return EXIT_NO_SCHEDULE
    return EXIT_OK


@main.command()
@click.argument("instance_path", metavar="INSTANCE")
@click.argument("schedule_path", metavar="SCHEDULE")
@FORMAT
@_reports_input_errors
def check(instance_path: str, schedule_path: str, fmt: str) -> None:
    """Check SCHEDULE (JSON) against INSTANCE: list every violated rule, recompute the statistics."""
    instance = load_instance(instance_path)
    schedule = load_schedule(schedule_path)
    if not schedule.rounds:
        raise InputError(f"holds no seating (status '{schedule.status}'): nothing to check", schedule_path)
    report = check_schedule(instance, schedule)
    if fmt == "json":
        click.echo(
            _dump(
                {
                    "valid": report.valid,
                    "violations": [v.as_dict() for v in report.violations],
                    "stats": report.stats.model_dump() if report.stats else None,
                }
            ),
            nl=False,
        )
    else:
        click.echo(check_text(report), nl=False)
    sys.exit(EXIT_OK if report.valid else EXIT_VIOLATIONS)


@main.command()
@click.argument("instance_path", metavar="INSTANCE")
@FORMAT
@_reports_input_errors
def validate(instance_path: str, fmt: str) -> None:
    """Validate INSTANCE: its fields, and impossibilities found by counting before any solve."""
    instance: Instance = load_instance(instance_path)
    found = impossibilities(instance)
    bounds = counting_bounds(instance)
    # Read again to count them: once loaded, they are among the met_before pairs.
    from_history = len(history_pairs(instance, instance_folder(instance_path), instance_path))
    if fmt == "json":
        click.echo(
            _dump(
                {
                    "valid": True,
                    "feasible_by_counting": not found,
                    "impossibilities": [{"rule": item.rule, "message": item.message} for item in found],
                    "attendees_per_round": [len(instance.attendees(r)) for r in range(1, instance.rounds + 1)],
                    # an even seating per round (table sizes in table order), null where none fits the limits
                    "table_sizes_per_round": [
                        balanced_sizes(len(instance.attendees(r)), [(t.min, t.capacity) for t in instance.table_list])
                        for r in range(1, instance.rounds + 1)
                    ],
                    "met_before_pairs": len(instance.met_before_pairs),
                    "met_before_from_history": from_history,
                    "bounds": {
                        "max_rounds_without_repeats": bounds.max_rounds_without_repeats,
                        "max_new_encounters": bounds.max_new_encounters,
                    },
                }
            ),
            nl=False,
        )
    else:
        click.echo(validate_text(instance, found, bounds, from_history), nl=False)
    sys.exit(EXIT_INFEASIBLE if found else EXIT_OK)


@main.command()
@click.argument("people", metavar="PEOPLE")
@click.option("--tables", type=click.IntRange(1, MAX_TABLES), required=True, help="Number of tables (ids T1..TN).")
@click.option("--seats", type=click.IntRange(1, MAX_SEATS), required=True, help="Seats per table.")
@click.option("--rounds", type=click.IntRange(1, MAX_ROUNDS), required=True, help="Number of rounds.")
@click.option(
    "--min",
    "min_seated",
    type=click.IntRange(0, MAX_SEATS),
    help="Fewest at a table in every round [default: the smallest table of an even seating of the least "
    "attended round].",
)
@click.option("--name", help="Name of the event [default: from the spreadsheet's file name].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the file here (atomically).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@_reports_input_errors
def init(
    people: str,
    tables: int,
    seats: int,
    rounds: int,
    min_seated: int | None,
    name: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Write a commented instance file for the participants in PEOPLE (.csv or .xlsx).

    Without -o it goes to standard output. `tablejam solve` works on it unchanged."""
    from tablejam.starter import starter

    if output is not None and Path(output).exists() and not force:
        raise InputError("exists already; add --force to overwrite it", output)
    folder = Path(output).parent if output is not None else Path()
    draft = starter(people, tables=tables, seats=seats, rounds=rounds, min_seated=min_seated, name=name, folder=folder)
    if output is not None:
        write_atomic(output, draft.text)
        click.echo(
            f"wrote {output}: {len(draft.instance.participants)} participants, {tables} tables of {seats} "
            f"(at least {draft.instance.table_list[0].min} each), {rounds} rounds",
            err=True,
        )
    else:
        click.echo(draft.text, nl=False)
    found = impossibilities(draft.instance)
    for item in found:
        click.echo(f"impossible: [{item.rule}] {item.message}", err=True)
    sys.exit(EXIT_INFEASIBLE if found else EXIT_OK)


@main.command()
def warmup() -> None:
    """Compile the local-search kernels once per installation (about 10 s), so short solves can use them."""
    from tablejam.solver.local_search import warm_up

    seconds = warm_up()
    click.echo(f"local search ready ({seconds:.1f} s)", err=True)


@main.command()
@click.argument("which", type=click.Choice(["instance", "schedule"]))
def schema(which: str) -> None:
    """Print the JSON Schema of the instance file or of the schedule document."""
    model = Instance if which == "instance" else Schedule
    click.echo(_dump(model.model_json_schema(mode="validation" if which == "instance" else "serialization")), nl=False)


if __name__ == "__main__":
    main()
