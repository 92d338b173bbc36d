"""Property-based tests: random small instances with every kind of rule.

Whatever the instance, a returned schedule passes the checker and its figures are the checker's;
otherwise the status is infeasible or unknown and says why. Loaders meet corrupted files and
always answer with our own error, never a traceback.
"""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tablejam.errors import InputError
from tablejam.files import load_instance
from tablejam.models import Instance, Schedule, SolverSettings
from tablejam.solver import solve
from tests.conftest import assert_checked, make_instance, recount, schedule_of

SECTORS = ["a", "b", "c"]
TAGS = ["cash", "code", "law", "space"]


@st.composite
def instances(
    draw: st.DrawFn, max_rounds: int = 3, max_tables: int = 4, max_capacity: int = 4, max_people: int = 12
) -> dict[str, Any]:
    rounds = draw(st.integers(1, max_rounds))
    tables = draw(st.integers(1, max_tables))
    capacity = draw(st.integers(1, max_capacity))
    people = draw(st.integers(1, min(max_people, tables * capacity + 2)))
    ids = [f"p{k}" for k in range(people)]
    table_ids = [f"T{k + 1}" for k in range(tables)]
    participants = []
    for pid in ids:
        person: dict[str, Any] = {"id": pid}
        if draw(st.booleans()):
            person["sector"] = draw(st.sampled_from(SECTORS))
        if draw(st.integers(0, 5)) == 0:
            person["company"] = draw(st.sampled_from(["Acme", "Bolt"]))
        person["offers"] = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
        person["needs"] = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
        if draw(st.integers(0, 4)) == 0:
            person["absent"] = draw(st.lists(st.integers(1, rounds), max_size=1))
        if draw(st.integers(0, 6)) == 0:
            person["host"] = draw(st.sampled_from(table_ids))
        participants.append(person)
    distinct_pairs = st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True).map(tuple)
    pairs = st.lists(distinct_pairs, max_size=2) if people > 1 else st.just([])
    return {
        "rounds": rounds,
        "tables": {"count": tables, "capacity": capacity, "min": draw(st.integers(0, min(capacity, 2)))},
        "participants": participants,
        "sectors": {"max_per_table": draw(st.integers(1, 3))} if draw(st.booleans()) else {},
        "rules": {
            "repeats": draw(st.sampled_from(["forbid", "minimise"])),
            "colleagues": draw(st.sampled_from(["apart", "allow"])),
            "keep_apart": draw(pairs),
            "met_before": draw(pairs),
        },
        "objective": {
            "new": draw(st.integers(0, 3)),
            "complementary": draw(st.integers(0, 3)),
            "cross_sector": draw(st.integers(0, 2)),
            "repeat": draw(st.integers(0, 5)),
            "fairness": draw(st.integers(0, 2)),
        },
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_answer_is_valid_or_explained(data: dict[str, Any]) -> None:
    instance = Instance.model_validate(data)
    schedule = solve(instance, SolverSettings(time_limit=2, workers=1))
    assert_valid_or_explained(instance, schedule)


def assert_valid_or_explained(instance: Instance, schedule: Schedule) -> None:
    """A schedule the checker accepts, within its bound; or no schedule, and a status that says why."""
    event(f"status {schedule.status}")
    if schedule.rounds:
        assert_checked(instance, schedule)
        assert schedule.status in ("optimal", "feasible")
        assert schedule.objective is not None and schedule.bound is not None
        assert schedule.objective <= schedule.bound + 1e-6
    else:
        assert schedule.status in ("infeasible", "unknown")
        assert schedule.explanation


def brute_force(instance: Instance) -> float | None:
    """The best objective of any schedule, by trying every seating of every round (None: no schedule keeps
    every rule). Written here, apart from the engine and the checker, for instances of a handful of people."""
    people = instance.participants
    tables = instance.table_list
    apart = {frozenset(pair) for pair in instance.rules.keep_apart}
    if instance.rules.colleagues == "apart":
        apart |= {frozenset((a.id, b.id)) for a in people for b in people if a.id < b.id and a.company and
                  a.company == b.company}  # fmt: skip

    def round_seatings(number: int) -> list[list[list[str]]]:
        here = [p for p in people if number not in p.absent]
        found = []
        for choice in product(range(len(tables)), repeat=len(here)):
            groups: list[list[str]] = [[] for _ in tables]
            for person, t in zip(here, choice, strict=True):
                if person.host is not None and tables[t].id != person.host:
                    break
                groups[t].append(person.id)
            else:
                if all(table.min <= len(g) <= table.capacity for table, g in zip(tables, groups, strict=True)):
                    found.append(groups)
        return [groups for groups in found if _round_keeps_rules(instance, groups, apart)]

    best = None
    for seating in product(*(round_seatings(r) for r in range(1, instance.rounds + 1))):
        value = _value(instance, seating)
        if value is not None and (best is None or value > best):
            best = value
    return best


def _round_keeps_rules(instance: Instance, groups: list[list[str]], apart: set[frozenset[str]]) -> bool:
    sector_of = {p.id: p.sector for p in instance.participants}
    for group in groups:
        for sector in {sector_of[pid] for pid in group if sector_of[pid]}:
            cap = instance.sectors.cap(sector)
            if cap is not None and sum(sector_of[pid] == sector for pid in group) > cap:
                return False
        if any(frozenset((a, b)) in apart for a in group for b in group if a < b):
            return False
    return True


def _value(instance: Instance, seating: tuple[list[list[str]], ...]) -> float | None:
    """The objective of one seating of all rounds (None if it repeats a meeting while repeats are forbidden)."""
    schedule = schedule_of([{f"T{k}": group for k, group in enumerate(groups)} for groups in seating])
    figures = recount(instance, schedule)
    if instance.rules.repeats == "forbid" and figures["repeat_meetings"]:
        return None
    return figures["objective"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_rounds=2, max_tables=3, max_capacity=3, max_people=5))
def test_tiny_answers_agree_with_brute_force(data: dict[str, Any]) -> None:
    """On instances small enough to try every seating: "infeasible" means no seating keeps every rule, an
    optimum is the best of all seatings, and the bound is never below it."""
    instance = Instance.model_validate(data)
    schedule = solve(instance, SolverSettings(time_limit=5, workers=1))
    best = brute_force(instance)
    event(f"status {schedule.status}")
    if best is None:
        assert schedule.status == "infeasible", schedule.explanation
        return
    assert schedule.status in ("optimal", "feasible"), schedule.explanation
    assert schedule.objective is not None and schedule.bound is not None
    assert schedule.objective <= best + 1e-6 <= schedule.bound + 2e-6
    if schedule.status == "optimal":
        assert abs(schedule.objective - best) < 1e-6


def test_brute_force_finds_the_known_optimum() -> None:
    # The helper above must be able to disagree: 4 people a, b (a offers what b needs) and c, d at 2 tables of 2,
    # one round: the best seats a with b (1 new + 1 complementary) and c with d (1 new) = 3.
    people = [{"id": "a", "offers": ["x"]}, {"id": "b", "needs": ["x"]}, {"id": "c"}, {"id": "d"}]
    assert brute_force(make_instance(people, tables={"count": 2, "capacity": 2, "min": 2})) == 3
    # Three of them kept pairwise apart cannot sit at two tables: no schedule at all.
    apart = [["a", "b"], ["b", "c"], ["a", "c"]]
    assert brute_force(make_instance(people, tables={"count": 2, "capacity": 2}, rules={"keep_apart": apart})) is None


GOOD = json.dumps(
    {"rounds": 2, "tables": {"count": 2, "capacity": 2}, "participants": [{"id": x} for x in "abcd"]}
).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(0, len(GOOD)),
    position=st.integers(0, len(GOOD) - 1),
    byte=st.integers(0, 255),
    suffix=st.sampled_from([".json", ".toml"]),
)
def test_corrupted_files_give_our_error(tmp_path: Path, cut: int, position: int, byte: int, suffix: str) -> None:
    """Truncated files, a byte changed anywhere (wrong types, bad encoding, broken syntax): either
    the file still reads as a valid instance or an InputError names it, never anything else."""
    corrupted = bytearray(GOOD[:cut] if cut < len(GOOD) else GOOD)
    if corrupted:
        corrupted[min(position, len(corrupted) - 1)] = byte
    path = tmp_path / f"instance{suffix}"
    path.write_bytes(bytes(corrupted))
    try:
        load_instance(path)
    except InputError as error:
        assert error.where == str(path)
        assert error.message


def test_huge_numbers_are_refused_with_the_field(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"rounds": 10**30, "tables": {"count": 10**12, "capacity": 2},
                                "participants": [{"id": "a"}]}))  # fmt: skip
    try:
        load_instance(path)
    except InputError as error:
        assert "rounds:" in error.message and "tables.count:" in error.message
    else:
        raise AssertionError("huge numbers were accepted")
