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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true", help="the soak test at length: many instances, minutes")
    parser.addoption("--large", action="store_true", help="the tests on events of thousands of people, minutes each")


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


def recount(instance: Instance, schedule: Schedule) -> dict[str, float]:
    """The statistics of a schedule counted again here, independently of tablejam's checker: pair by pair,
    as a person would with a list of who sat where."""
    people = {p.id: p for p in instance.participants}
    met = {tuple(sorted(pair)) for pair in instance.rules.met_before}
    # Pairs of one together group: their meetings are neither new nor repeats.
    together = {(a, b) for group in instance.rules.together for a in group for b in group if a < b}
    first: list[tuple[str, str]] = []
    repeats = meetings = 0
    for seated_round in schedule.rounds:
        for table in seated_round.tables:
            for k, a in enumerate(table.participants):
                for b in table.participants[k + 1 :]:
                    pair = (min(a, b), max(a, b))
                    meetings += 1
                    if pair in together:
                        continue
                    if pair in met:
                        repeats += 1
                    else:
                        met.add(pair)
                        first.append(pair)

    def offers_needed(x: str, y: str) -> int:
        return len([tag for tag in set(people[x].offers) if tag in people[y].needs])

    complementary = sum(offers_needed(a, b) + offers_needed(b, a) for a, b in first)
    cross = sum(1 for a, b in first if people[a].sector and people[b].sector and people[a].sector != people[b].sector)
    attending = [p.id for p in instance.participants if len(set(p.absent)) < instance.rounds]
    new_of = {pid: sum(pid in pair for pair in first) for pid in attending}
    weights = instance.weights
    fewest = min(new_of.values(), default=0)
    # Wishes: a positive weight once if the pair ever sat together, a negative one for each round they did.
    together: dict[frozenset[str], int] = {}
    for seated_round in schedule.rounds:
        for table in seated_round.tables:
            for k, a in enumerate(table.participants):
                for b in table.participants[k + 1 :]:
                    together[frozenset((a, b))] = together.get(frozenset((a, b)), 0) + 1
    wishes = [(together.get(frozenset(wish.participants), 0), wish.weight) for wish in instance.rules.wishes]
    wished = sum(weight * times if weight < 0 else weight * (times > 0) for times, weight in wishes)
    objective = (
        weights.new * len(first) + weights.complementary * complementary + weights.cross_sector * cross
        - weights.repeat * repeats + weights.fairness * fewest + wished
    )  # fmt: skip
    return {
        "new_encounters": len(first),
        "repeat_meetings": repeats,
        "complementary_matches": complementary,
        "cross_sector_encounters": cross,
        "min_new_per_participant": fewest,
        "max_new_per_participant": max(new_of.values(), default=0),
        "wishes_granted": sum(1 for times, weight in wishes if weight > 0 and times),
        "wishes_broken": sum(times for times, weight in wishes if weight < 0),
        "meetings": meetings,
        "objective": round(objective, 6),
    }


def solve_checked(instance: Instance, time_limit: float = 10.0, seed: int = 0, workers: int = 2) -> Schedule:
    """Solve, then let the independent checker judge whatever came back, and count its figures again here."""
    schedule = solve(instance, SolverSettings(time_limit=time_limit, seed=seed, workers=workers))
    if schedule.rounds:
        assert_checked(instance, schedule)
    return schedule


def assert_checked(instance: Instance, schedule: Schedule) -> None:
    """The checker accepts the schedule, and the figures it states are those counted again by `recount`."""
    report = check(instance, schedule)
    assert report.valid, [v.message for v in report.violations]
    assert schedule.stats is not None and schedule.objective == schedule.stats.objective
    stated = schedule.stats.model_dump()
    assert {name: stated[name] for name in recount(instance, schedule)} == recount(instance, schedule)


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
