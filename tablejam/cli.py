"""The command line: parse, call, print. Exit codes are part of the contract (see README)."""

from __future__ import annotations

import json
import os
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
from tablejam.diagnostics.counting import balanced_sizes, counting_bounds
from tablejam.diagnostics.precheck import impossibilities
from tablejam.errors import InputError
from tablejam.files import (
    Files,
    history_pairs,
    load_instance,
    load_schedule,
    load_setting,
    parse_model,
    write_atomic,
    write_files_atomic,
)
from tablejam.models.instance import MAX_ROUNDS, MAX_SEATS, MAX_TABLES, Instance
from tablejam.models.presets import PRESETS, Setting
from tablejam.models.schedule import Schedule, relative_gap
from tablejam.models.settings import MAX_PARTICIPANTS, SolverSettings
from tablejam.reports.export import FILE_FORMATS, FORMATS, ExportFormat, export_files, format_of
from tablejam.reports.text import check_text, replan_text, schedule_text, status_line, validate_text, violation_lines

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

BASE_DIR = click.option(
    "--base-dir",
    type=click.Path(file_okay=False),
    help="An instance read from standard input may name files (a participant sheet, history) inside this "
    "folder only; without it, none.",
)

MAX_PARTICIPANTS_OPTION = click.option(
    "--max-participants",
    type=click.IntRange(min=1),
    default=MAX_PARTICIPANTS,
    show_default=True,
    help="Refuse larger instances at once (exit 2) instead of running out of memory.",
)

SEED = click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True, help="Random seed.")


def _time_limit(default: float, help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--time-limit", type=click.FloatRange(min=0, min_open=True), default=default, show_default=True, help=help
    )


def _workers(default: int, help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--workers", type=click.IntRange(1, 64), default=default, show_default=True, help=help)


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
    Exit codes: 0 schedule found (or valid, or exported), 1 check found violations
    (export: the schedule breaks rules), 2 invalid input or usage, 3 proven
    infeasible, 4 no schedule within the time limit.
    """


@main.command()
@click.argument("instance_path", metavar="INSTANCE")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the schedule to this file (atomically).")
@FORMAT
@_time_limit(30.0, "Seconds for the whole solve; the best schedule found by then is returned.")
@_workers(2, "Parallel search workers.")
@SEED
@click.option(
    "--objective",
    "objective_spec",
    metavar="PRESET|FILE",
    help=f"What to optimise: a preset ({', '.join(PRESETS)}) or a settings file (TOML/JSON; "
    "`tablejam schema setting`). Options given here win over the file's solver options.",
)
@click.option("--log", is_flag=True, help="Show the CP-SAT search log on stderr.")
@click.option(
    "--progress",
    type=click.Choice(["auto", "live", "json", "none"]),
    default="auto",
    show_default=True,
    help="live: a line on stderr with elapsed time, best objective, bound and gap (auto: live when stdout "
    "and stderr are both terminals); json: one line per better schedule on stderr: {time_s, objective, bound, gap}.",
)
@click.option(
    "--start",
    "start_path",
    metavar="PLAN.json",
    help="Start from this schedule (e.g. one edited by hand): the seats that fit INSTANCE are kept, the rest "
    "repaired (unknown people and tables dropped, missing ones seated); a valid plan comes back no worse.",
)
@BASE_DIR
@MAX_PARTICIPANTS_OPTION
@_reports_input_errors
def solve(
    instance_path: str,
    output: str | None,
    fmt: str,
    time_limit: float,
    workers: int,
    seed: int,
    objective_spec: str | None,
    log: bool,
    progress: str,
    start_path: str | None,
    base_dir: str | None,
    max_participants: int,
) -> None:
    """Plan INSTANCE (TOML or JSON; '-' reads standard input)."""
    instance = load_instance(instance_path, base_dir)
    _refuse_conflicting_output(output, fmt)
    plan = _load_seating(start_path, "start from") if start_path is not None else None
    if plan is not None:
        _tell_repairs(instance, plan, start_path)  # type: ignore[arg-type]
    settings = SolverSettings(
        time_limit=time_limit, workers=workers, seed=seed, start=plan, max_participants=max_participants
    )
    setting_label = None
    if objective_spec is not None:
        setting_label, setting = load_setting(objective_spec)
        instance = setting.apply(instance)
        explicit = _explicit_options(click.get_current_context(), ("time_limit", "workers", "seed", "max_participants"))
        settings = setting.solver_settings(settings).model_copy(update={k: v for k, v in explicit.items()})
    settings.admit(len(instance.participants), instance.rounds)  # before the solver is imported or anything built
    from tablejam.solver import solve as solve_instance  # the solver imports ortools: only when solving

    logger = (lambda line: click.echo(line, err=True)) if log else None
    with _stop_on_signals() as stop, _progress_reporter(progress, settings.time_limit, log) as reporter:
        schedule = solve_instance(instance, settings, log=logger, stop=stop, progress=reporter)
    if setting_label is not None and schedule.solver is not None:
        schedule.solver.setting = setting_label
    _emit(instance, schedule, output, fmt, schedule_text)


# Violations of a --start plan listed before solving; the count says how many more.
MOST_REPAIRS_LISTED = 10


def _tell_repairs(instance: Instance, plan: Schedule, plan_path: str) -> None:
    """Say on stderr what the checker finds wrong with a --start plan: the organiser sees what will be repaired."""
    # The seating only: a plan edited by hand still states the figures of the plan it was.
    report = check_schedule(instance, Schedule(rounds=plan.rounds))
    if report.valid:
        return
    lines = violation_lines(report)
    more = len(lines) - 1 - MOST_REPAIRS_LISTED
    shown = lines[1 : 1 + MOST_REPAIRS_LISTED] + ([f"  ... and {more} more"] if more > 0 else [])
    click.echo(f"start: {plan_path} breaks rules of the instance; repairing {lines[0]}", err=True)
    click.echo("\n".join(shown), err=True)


def _emit(
    instance: Instance, schedule: Schedule, output: str | None, fmt: str, text: Callable[[Instance, Schedule], str]
) -> NoReturn:
    """The schedule to `output` (JSON for .json, text otherwise) or to stdout; exit with its code."""
    if output is not None:
        _write_solution(instance, schedule, output, fmt, text)
    elif fmt == "json":
        click.echo(_dump(schedule.model_dump()), nl=False)
    else:
        click.echo(text(instance, schedule), nl=False)
    sys.exit(_exit_code(schedule))


def _explicit_options(context: click.Context, names: tuple[str, ...]) -> dict[str, Any]:
    """The options among `names` that the user typed (not defaults)."""
    return {
        name: context.params[name]
        for name in names
        if context.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)
    }


@contextmanager
def _progress_reporter(
    progress: str, time_limit: float, log: bool
) -> Iterator[Callable[[float, float, float], None] | None]:
    """What hears of better schedules: a JSON line each, the live line for people, or nothing."""
    if progress == "json":
        yield _progress_line
        return
    wanted = progress == "live" or (progress == "auto" and sys.stdout.isatty() and sys.stderr.isatty() and not log)
    if not wanted:
        yield None
        return
    from rich.console import Console

    from tablejam.reports.live import LiveLine

    with LiveLine(Console(stderr=True), time_limit) as line:
        yield line.improved


def _refuse_conflicting_output(output: str | None, fmt: str) -> None:
    """Said before a solve, not after it: --format json and a report file name ask for two things."""
    report_format = format_of(output) if output is not None else None
    if report_format is not None and fmt == "json":
        raise InputError(f"--format json conflicts with a .{report_format} file (use a .json name)", str(output))


def _write_solution(
    instance: Instance, schedule: Schedule, output: str, fmt: str, text: Callable[[Instance, Schedule], str]
) -> None:
    """`-o FILE`: the format follows FILE's extension (.json, .csv, .xlsx, .html; `text` otherwise)."""
    report_format = format_of(output)
    if report_format is None:
        as_json = fmt == "json" or Path(output).suffix.lower() == ".json"
        write_atomic(output, _dump(schedule.model_dump()) if as_json else text(instance, schedule))
        click.echo(f"{status_line(schedule)}; wrote {output}", err=True)
        return
    if not schedule.rounds:
        click.echo(f"{status_line(schedule)}; no schedule, so nothing written to {output}", err=True)
        return
    files = export_files(instance, schedule, check_schedule(instance, schedule), report_format, Path(output))
    write_files_atomic(files)
    click.echo(f"{status_line(schedule)}; wrote {', '.join(str(path) for path in files)}", err=True)


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
@BASE_DIR
@_reports_input_errors
def check(instance_path: str, schedule_path: str, fmt: str, base_dir: str | None) -> None:
    """Check SCHEDULE (JSON) against INSTANCE: list every violated rule, recompute the statistics."""
    instance = load_instance(instance_path, base_dir)
    schedule = _load_seating(schedule_path, "check")
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


def _load_seating(schedule_path: str, purpose: str) -> Schedule:
    schedule = load_schedule(schedule_path)
    if not schedule.rounds:
        raise InputError(f"holds no seating (status '{schedule.status}'): nothing to {purpose}", schedule_path)
    return schedule


@main.command()
@click.argument("schedule_path", metavar="SCHEDULE")
@click.option("--instance", "instance_path", required=True, metavar="INSTANCE", help="The instance SCHEDULE plans.")
@click.option(
    "--to",
    "target",
    type=click.Choice(FORMATS),
    help="Output format; by default FILE's extension (.csv, .xlsx, .html). breakout: FILE is a folder.",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(), help="The file (breakout: folder) to write (atomically)."
)
@BASE_DIR
@_reports_input_errors
def export(
    schedule_path: str, instance_path: str, target: ExportFormat | None, output: str, base_dir: str | None
) -> None:
    """Write SCHEDULE as itineraries, table lists and statistics: CSV, XLSX, or a printable HTML report;
    or as breakout rooms for an online event.

    \b
    csv:      FILE holds one row per participant and round; STEM.tables.csv and
              STEM.stats.csv beside it hold the tables and the statistics.
    xlsx:     one workbook, sheets Itineraries, Tables and Statistics.
    html:     a self-contained report to print: overview, seating plan, sector mix,
              who met whom, a card per participant and a sign per table and round.
    breakout: FILE is a folder; FILE/round-1.csv ... one per round, header
              'Pre-assign Room Name,Email Address', a room per table, the address
              from each participant's email attribute (a sheet's 'email' column).
    """
    fmt = target or format_of(output)
    if fmt is None:
        suffix = Path(output).suffix
        given = f"the extension '{suffix}'" if suffix else "a name without extension"
        expected = ", ".join("." + name for name in FILE_FORMATS)
        raise InputError(f"cannot tell the format from {given} (expected {expected}, or give --to)", output)
    if fmt == "breakout" and Path(output).is_file():
        raise InputError("is a file; breakout rooms are written to a folder (one CSV per round)", output)
    if fmt != "breakout" and Path(output).is_dir():
        raise InputError(f"is a folder; a .{fmt} export is one file (a folder is for --to breakout)", output)
    instance = load_instance(instance_path, base_dir)
    schedule = _load_seating(schedule_path, "export")
    report = check_schedule(instance, schedule)
    if not report.valid:
        click.echo(f"error: {schedule_path} breaks rules of {instance_path}, so nothing was written", err=True)
        click.echo("\n".join(violation_lines(report)), err=True)
        sys.exit(EXIT_VIOLATIONS)
    files = export_files(instance, schedule, report, fmt, Path(output))
    write_files_atomic(files)
    click.echo(f"wrote {', '.join(str(path) for path in files)}", err=True)


@main.command()
@click.argument("instance_path", metavar="INSTANCE")
@FORMAT
@BASE_DIR
@_reports_input_errors
def validate(instance_path: str, fmt: str, base_dir: str | None) -> None:
    """Validate INSTANCE: its fields, and impossibilities found by counting before any solve."""
    instance: Instance = load_instance(instance_path, base_dir)
    found = impossibilities(instance)
    bounds = counting_bounds(instance)
    # Read again to count them: once loaded, they are among the met_before pairs.
    from_history = len(history_pairs(instance, Files.beside(instance_path, base_dir), instance_path))
    if fmt == "json":
        click.echo(
            _dump(
                {
                    "valid": True,
                    "feasible_by_counting": not found,
                    "impossibilities": [item.model_dump(exclude={"source"}) for item in found],
                    "attendees_per_round": [len(instance.attendees(r)) for r in range(1, instance.rounds + 1)],
                    # an even seating per round (table sizes in table order, 0 at closed tables), null where none
                    # fits the limits
                    "table_sizes_per_round": [
                        balanced_sizes(len(instance.attendees(r)), instance.limits(r))
                        for r in range(1, instance.rounds + 1)
                    ],
                    "met_before_pairs": len(instance.met_before_pairs),
                    "met_before_from_history": from_history,
                    "bounds": {
                        "max_rounds_without_repeats": bounds.max_rounds_without_repeats,
                        "max_new_encounters": bounds.max_new_encounters,
                        "min_repeat_meetings": bounds.min_repeat_meetings,
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
    from tablejam.tools.init import starter

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
@click.argument("instance_paths", metavar="INSTANCE...", nargs=-1, required=True)
@click.option(
    "--setting",
    "setting_specs",
    multiple=True,
    metavar="NAME=PRESET|FILE",
    help="A setting to compare (repeat the option); a bare preset name is named after itself. Default: every preset.",
)
@click.option("--seeds", type=click.IntRange(1, 1000), default=3, show_default=True, help="Seeds 1..N per setting.")
@_time_limit(10.0, "Seconds per run.")
@_workers(1, "Search workers per run (1: reproducible).")
@click.option("--jobs", type=click.IntRange(1, 1024), default=None, help="Runs at a time (default: one per CPU).")
@click.option("--dask", metavar="ADDRESS|local", help="Run on a Dask cluster (scheduler address, or 'local').")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="One row per run: .csv or .json.")
@click.option(
    "--plot", "plot_path", type=click.Path(dir_okay=False), help="Box plots of the settings side by side (.png)."
)
@BASE_DIR
@MAX_PARTICIPANTS_OPTION
@_reports_input_errors
def compare(
    instance_paths: tuple[str, ...],
    setting_specs: tuple[str, ...],
    seeds: int,
    time_limit: float,
    workers: int,
    jobs: int | None,
    dask: str | None,
    output: str | None,
    plot_path: str | None,
    base_dir: str | None,
    max_participants: int,
) -> None:
    """Solve every INSTANCE under every setting with every seed; print a summary per setting.

    Options typed here (time limit, workers) win over a settings file's solver options.
    """
    from tablejam.tools import compare as comparing

    for path, suffixes in ((output, (".csv", ".json")), (plot_path, (".png",))):
        if path is not None and Path(path).suffix.lower() not in suffixes:
            raise InputError(f"expected a file ending in {' or '.join(suffixes)}", path)
    comparing.check_options(output, plot_path, dask)
    instances = {_run_name(path, instance_paths): load_instance(path, base_dir) for path in instance_paths}
    settings = dict(_named_setting(spec) for spec in setting_specs or PRESETS)
    explicit = _explicit_options(click.get_current_context(), ("time_limit", "workers", "max_participants"))
    base = SolverSettings(time_limit=time_limit, workers=workers, max_participants=max_participants)

    def applied(name: str, instance: Instance) -> tuple[Instance, SolverSettings]:
        setting = settings[name]
        variant, solver = setting.apply(instance), setting.solver_settings(base).model_copy(update=explicit)
        solver.admit(len(variant.participants), variant.rounds)  # refused here, not in every worker
        return variant, solver

    tasks = comparing.plan_tasks(instances, applied, settings, seeds)
    jobs = jobs or os.cpu_count() or 1
    from tablejam.solver.local_search import kernels_ready

    if not kernels_ready():
        click.echo("compiling the local search once, for every run (about 10 s)", err=True)
    rows = []
    for row in comparing.run_tasks(tasks, jobs, dask):
        rows.append(row)
        figure = "no schedule"
        if row["objective"] is not None:
            figure = f"objective {row['objective']:g}, gap {row['gap']:.2%} (bound: {row['bound_source']})"
        click.echo(f"[{len(rows)}/{len(tasks)}] {row['instance']} / {row['setting']} / seed {row['seed']}: "
                   f"{row['status']}, {figure}", err=True)  # fmt: skip
    rows = comparing.ordered(rows, tasks)
    click.echo(comparing.summary_text(comparing.summary(rows)), nl=False)
    if output is not None:
        as_csv = Path(output).suffix.lower() == ".csv"
        write_atomic(output, comparing.rows_csv(rows) if as_csv else comparing.rows_json(rows))
        click.echo(f"wrote {output}", err=True)
    if plot_path is not None:
        comparing.plot(rows, plot_path)
        click.echo(f"wrote {plot_path}", err=True)


def _run_name(path: str, all_paths: tuple[str, ...]) -> str:
    """The file's stem, or its whole path where two instances share a stem."""
    if path == "-":
        return "stdin"
    stem = Path(path).stem
    return stem if sum(Path(other).stem == stem for other in all_paths) == 1 else path


def _named_setting(spec: str) -> tuple[str, Setting]:
    name, _, source = spec.partition("=")
    if not source:
        name, source = spec, spec
    if not name:
        raise InputError(f"a setting needs a name before '=' (got '{spec}')", "--setting")
    return name, load_setting(source)[1]


@main.command()
@click.argument("instance_path", metavar="INSTANCE")
@click.argument("schedule_path", metavar="SCHEDULE")
@click.option("--after-round", type=int, required=True, help="Rounds 1..K happened as printed and stay as they are.")
@click.option(
    "--absent", "absent", multiple=True, metavar="ID", help="Not there from round K+1 on (repeatable, or ID,ID)."
)
@click.option(
    "--arrive",
    "arrive",
    multiple=True,
    metavar="ID",
    help="There from round K+1 on: a participant who was absent, or a new one with this id (repeatable, or ID,ID).",
)
@click.option(
    "--arrivals",
    "arrivals_path",
    type=click.Path(dir_okay=False),
    help="Late arrivals from a .csv or .xlsx sheet (columns as for participants; give an id column): "
    "new participants, or returning ones by id.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the new schedule: .json, .csv, .xlsx, .html, text otherwise.",
)
@click.option(
    "--instance-out",
    type=click.Path(dir_okay=False),
    help="Write the changed event (JSON), to check the new schedule or to re-plan again later.",
)
@FORMAT
@_time_limit(5.0, "Seconds for the whole re-plan.")
@_workers(2, "Parallel search workers.")
@SEED
@BASE_DIR
@MAX_PARTICIPANTS_OPTION
@_reports_input_errors
def replan(
    instance_path: str,
    schedule_path: str,
    after_round: int,
    absent: tuple[str, ...],
    arrive: tuple[str, ...],
    arrivals_path: str | None,
    output: str | None,
    instance_out: str | None,
    fmt: str,
    time_limit: float,
    workers: int,
    seed: int,
    base_dir: str | None,
    max_participants: int,
) -> None:
    """Re-plan the rest of an event on the day: rounds 1..K stay as in SCHEDULE, the others are solved again
    for the new attendance, moving as few people from their printed tables as the best score allows."""
    from tablejam.files.spreadsheet import read_participant_sheet
    from tablejam.models.instance import Participant
    from tablejam.replan.change import Change
    from tablejam.replan.solve import replan as replan_event

    instance = load_instance(instance_path, base_dir)
    printed = load_schedule(schedule_path)
    known = instance.participant_index
    arrivals = [instance.participants[known[pid]] if pid in known else Participant(id=pid) for pid in _ids(arrive)]
    if arrivals_path is not None:
        sheet = read_participant_sheet(arrivals_path)
        for k, row in enumerate(sheet.rows):
            pid = str(row.get("id", ""))
            arrivals.append(
                instance.participants[known[pid]] if pid in known else parse_model(Participant, row, sheet.locate(k))
            )
    change = Change(after_round=after_round, absent=tuple(_ids(absent)), arrivals=tuple(arrivals))
    settings = SolverSettings(time_limit=time_limit, workers=workers, seed=seed, max_participants=max_participants)
    settings.admit(len(instance.participants) + len(arrivals), instance.rounds)
    if instance_out is not None and Path(instance_out).suffix.lower() != ".json":
        raise InputError("expected a file ending in .json", instance_out)
    _refuse_conflicting_output(output, fmt)
    with _stop_on_signals() as stop:
        event, schedule = replan_event(instance, printed, change, settings, stop=stop, printed_name=schedule_path)
    if instance_out is not None:
        write_atomic(instance_out, event.model_dump_json(indent=2, exclude_defaults=True) + "\n")
    _emit(event, schedule, output, fmt, replan_text)


def _ids(values: tuple[str, ...]) -> list[str]:
    """Ids given as repeated options and/or comma-separated, in order, each once."""
    return list(dict.fromkeys(part.strip() for value in values for part in value.split(",") if part.strip()))


@main.command()
def warmup() -> None:
    """Compile the local-search kernels once per installation (about 10 s), so short solves can use them."""
    from tablejam.solver.local_search import warm_up

    seconds = warm_up()
    click.echo(f"local search ready ({seconds:.1f} s)", err=True)


@main.command()
@click.argument("which", type=click.Choice(["instance", "schedule", "setting"]))
def schema(which: str) -> None:
    """Print the JSON Schema of the instance file, the schedule document or a settings file (--objective)."""
    if which == "schedule":
        document = Schedule.model_json_schema(mode="serialization")
    else:
        document = (Instance if which == "instance" else Setting).model_json_schema(mode="validation")
    click.echo(_dump(document), nl=False)


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to serve on; anything but localhost lets other machines use the page (no login).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
def serve(host: str, port: int, open_browser: bool) -> None:
    """Serve the organisers' page and the JSON API (see the README's "The page and the JSON API")."""
    from tablejam.web.server import serve as serve_page  # the web stack is imported only by this command

    serve_page(host, port, open_browser, say=lambda line: click.echo(line, err=True))


@main.command()
def presets() -> None:
    """List the objective presets for --objective, each as the settings file it stands for."""
    for name, setting in PRESETS.items():
        click.echo(f"# {name}: {setting.description}")
        for key, value in setting.objective.given().items():
            shown = json.dumps(value) if isinstance(value, list) else f"{value:g}"
            click.echo(f"objective.{key} = {shown}")
        click.echo()


if __name__ == "__main__":
    main()
