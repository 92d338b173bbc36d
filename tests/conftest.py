"""Shared helpers: build small instances in a line, solve them and always end with the checker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tablejam.check import check
from tablejam.cli import main
from tablejam.models import Instance, RoundSeating, Schedule, SolverSettings, TableSeating
from tablejam.solver import solve

ROOT = Path(__file__).resolve().parent.parent  # the repository
INSTANCES = ROOT / "instances"
BUSINESS_JAM = INSTANCES / "business-jam.toml"


def make_instance(people: int | list[dict[str, Any]], **fields: Any) -> Instance:
    """An instance with `people` anonymous participants (or the given ones) and 1 round of one table by default."""
    participants = [{"id": f"p{k}"} for k in range(1, people + 1)] if isinstance(people, int) else people
    data: dict[str, Any] = {"rounds": 1, "tables": {"count": 1, "capacity": 10}, "participants": participants}
    data.update(fields)
    return Instance.model_validate(data)


def schedule_of(rounds: list[dict[str, list[str]]]) -> Schedule:
    """A schedule document from one {table id: participant ids} per round, rounds numbered from 1."""
    return Schedule(
        rounds=[
            RoundSeating(round=number, tables=[TableSeating(table=t, participants=ps) for t, ps in tables.items()])
            for number, tables in enumerate(rounds, start=1)
        ]
    )


def solve_checked(instance: Instance, time_limit: float = 10.0, seed: int = 0, workers: int = 2) -> Schedule:
    """Solve, then let the independent checker judge whatever came back."""
    schedule = solve(instance, SolverSettings(time_limit=time_limit, seed=seed, workers=workers))
    if schedule.rounds:
        report = check(instance, schedule)
        assert report.valid, [v.message for v in report.violations]
        assert report.stats == schedule.stats
    return schedule


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels() -> None:
    """Compile the local-search kernels once, so no test's time limit pays for it."""
    from tablejam.solver.local_search import warm_up

    warm_up()


@pytest.fixture(scope="session")
def business_jam_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's example solved briefly (any valid schedule will do), for the tests of what is made from it."""
    from tablejam.files import load_instance, write_atomic

    instance = load_instance(BUSINESS_JAM)
    path = tmp_path_factory.mktemp("business-jam") / "plan.json"
    write_atomic(path, solve_checked(instance, time_limit=3).model_dump_json(indent=2))
    return path


GOOD_TOML = """
name = "tiny"
rounds = 2
[tables]
count = 2
capacity = 2
[[participants]]
id = "a"
[[participants]]
id = "b"
[[participants]]
id = "c"
[[participants]]
id = "d"
"""


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def two_pairs_or_a_trio(order: list[str] | None = None, **weights: float):
    """4 people, 1 round, 2 tables of 3 seats. a-b and c-d are complementary (c = 2 each), nobody else.

    Seating {a, b, x}+{y} gives 3 new pairs but one complementary pair (c = 2);
    {a, b}+{c, d} gives only 2 new pairs but both complementary ones (c = 4).
    """
    people = [
        {"id": "a", "offers": ["x", "y"]},
        {"id": "b", "needs": ["x", "y"]},
        {"id": "c", "offers": ["u", "v"]},
        {"id": "d", "needs": ["u", "v"]},
    ]
    objective = {**weights, "lexicographic": order}
    return make_instance(people, tables={"count": 2, "capacity": 3}, objective=objective)
