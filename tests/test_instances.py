"""Every example in instances/ loads, validates, solves to a valid schedule and passes the checker."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tablejam.files import load_instance
from tablejam.models import Schedule
from tests.conftest import solve_checked

EXAMPLES = Path(__file__).resolve().parent.parent / "instances"
# Instance files only: spreadsheets sit beside them, earlier schedules (rules.history) in a subfolder.
INSTANCES = sorted([*EXAMPLES.glob("*.toml"), *EXAMPLES.glob("*.json")])


def test_there_are_examples() -> None:
    assert {p.name for p in INSTANCES} >= {"business-jam.toml", "monthly-jam.toml"}


@cache
def solved(path: Path) -> Schedule:
    return solve_checked(load_instance(path), time_limit=8)


@pytest.mark.parametrize("path", INSTANCES, ids=[p.name for p in INSTANCES])
def test_example_solves_and_checks(path: Path) -> None:
    instance = load_instance(path)
    schedule = solved(path)
    assert schedule.status in ("optimal", "feasible")
    assert schedule.bound is not None and schedule.gap is not None
    assert schedule.objective is not None and schedule.objective <= schedule.bound
    if instance.rules.repeats == "forbid":
        assert schedule.stats is not None and schedule.stats.repeat_meetings == 0


def test_business_jam_meets_only_new_people() -> None:
    """The README's example: 48 people, 8 tables of 5-6, 4 rounds, no repeat, every possible meeting new.

    Attendance 46, 48, 47, 46 allows at most 110 + 120 + 115 + 110 = 455 meetings (see test_cli);
    with repeats forbidden, a schedule that fills the tables meets 455 new pairs."""
    schedule = solved(EXAMPLES / "business-jam.toml")
    assert schedule.stats is not None
    assert (schedule.stats.new_encounters, schedule.stats.repeat_meetings) == (455, 0)
