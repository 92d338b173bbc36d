"""Property-based tests: random small instances with every kind of rule.

Whatever the instance, a returned schedule passes the checker and its figures are the checker's;
otherwise the status is infeasible or unknown and says why. Loaders meet corrupted files and
always answer with our own error, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tablejam.check import check
from tablejam.errors import InputError
from tablejam.files import load_instance
from tablejam.models import Instance, SolverSettings
from tablejam.solver import solve

SECTORS = ["a", "b", "c"]
TAGS = ["cash", "code", "law", "space"]


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    rounds = draw(st.integers(1, 3))
    tables = draw(st.integers(1, 4))
    capacity = draw(st.integers(1, 4))
    people = draw(st.integers(1, min(12, tables * capacity + 2)))
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
    event(f"status {schedule.status}")
    if schedule.rounds:
        report = check(instance, schedule)
        assert report.valid, [v.message for v in report.violations]
        assert report.stats == schedule.stats
        assert schedule.status in ("optimal", "feasible")
        assert schedule.objective is not None and schedule.bound is not None
        assert schedule.objective <= schedule.bound + 1e-6
    else:
        assert schedule.status in ("infeasible", "unknown")
        assert schedule.explanation


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
