"""The explanation of infeasibility: which rules CP-SAT proves cannot hold together.

`conflicting_rules` is what an organiser reads when no schedule exists and the counting prechecks
found nothing, so its answer must be exact: every rule it names is needed (the set is minimal), no
rule that is needed is missing, and each reason carries the right subject (table, sector, pair,
company). Each instance below is infeasible for one reason worked out by hand in its docstring,
with a single minimal set of rules to blame.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from tablejam.diagnostics.precheck import impossibilities
from tablejam.models import Instance
from tablejam.solver import explain
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.explain import conflicting_rules
from tablejam.solver.problem import Problem
from tablejam.solver.stop import Deadline, Interrupted, Stop
from tests.conftest import make_instance


def explained(instance: Instance, stop: Stop | None = None) -> list[dict[str, Any]]:
    """The reasons CP-SAT gives, as data (the words are rendered from it)."""
    stop = stop or Stop(Deadline(time.perf_counter() + 10))
    return [found.model_dump(exclude={"message"}) for found in conflicting_rules(Problem.from_instance(instance), stop)]


def conflict(rule: str, fact: str = "conflict", **data: Any) -> dict[str, Any]:
    """A reason from CP-SAT as data: the fields not given are empty."""
    empty = {"rounds": [], "tables": [], "participants": [], "sector": None, "company": None, "counts": {},
             "attribute": None, "value": None}  # fmt: skip
    return {"rule": rule, "fact": fact, "source": "cp-sat", **empty, **data}


def keep_apart_triangle() -> Instance:
    """p1, p2, p3 pairwise kept apart, 1 round, 2 tables of 3: three people who must all sit at different
    tables, but there are two tables. Any two of the three pairs could be kept apart (p1 alone, p2 with p3
    when only p1-p2 and p1-p3 are kept apart), so all three are needed; capacity is not (3 seats each)."""
    rules = {"keep_apart": [["p1", "p2"], ["p1", "p3"], ["p2", "p3"]]}
    return make_instance(3, tables={"count": 2, "capacity": 3}, rules=rules)


def test_a_keep_apart_triangle_at_two_tables_names_its_three_pairs() -> None:
    assert explained(keep_apart_triangle()) == [
        conflict("keep-apart", participants=["p1", "p2"]),
        conflict("keep-apart", participants=["p1", "p3"]),
        conflict("keep-apart", participants=["p2", "p3"]),
    ]


def test_a_sector_cap_that_only_cp_sat_shows() -> None:
    """a1 and a2 of sector A (cap 1) and c, who is kept apart from both; 1 round, 2 tables of 3.
    By counting all is well (2 of A, 2 tables with room for 1 each; 3 people, 6 seats), but the cap puts
    a1 and a2 at different tables, and c can join neither. Without the cap a1 and a2 sit together and
    c alone; without either keep-apart pair c joins that one."""
    people = [{"id": "a1", "sector": "A"}, {"id": "a2", "sector": "A"}, {"id": "c"}]
    instance = make_instance(
        people, tables={"count": 2, "capacity": 3}, sectors={"limits": {"A": 1}},
        rules={"keep_apart": [["a1", "c"], ["a2", "c"]]},
    )  # fmt: skip
    assert impossibilities(instance) == []
    assert explained(instance) == [
        conflict("sector-cap", sector="A", counts={"cap": 1}),
        conflict("keep-apart", participants=["a1", "c"]),
        conflict("keep-apart", participants=["a2", "c"]),
    ]


def test_a_sector_cap_against_a_table_minimum() -> None:
    """Three of sector A (cap 2 per table); T1 seats at least 3, T2 may stay empty. The counting holds
    (room for 4 of A, minimums 3 for 3 attendees), but the minimum puts all three at T1, one over the cap.
    T2's capacity and T1's are not to blame (3 seats each); T2 has no minimum to name."""
    people = [{"id": f"a{k}", "sector": "A"} for k in (1, 2, 3)]
    tables = [{"id": "T1", "capacity": 3, "min": 3}, {"id": "T2", "capacity": 3}]
    instance = make_instance(people, tables=tables, sectors={"max_per_table": 2})
    assert impossibilities(instance) == []
    assert explained(instance) == [
        conflict("minimum", tables=["T1"], counts={"min": 3}),
        conflict("sector-cap", sector="A", counts={"cap": 2}),
    ]


def test_met_before_pairs_under_forbid_are_named_as_met_before() -> None:
    """p1, p2, p3 all met before, repeats forbidden, 1 round, 2 tables: the keep-apart triangle again,
    with "they met before" as the reason each pair may not share a table."""
    rules = {"met_before": [["p1", "p2"], ["p1", "p3"], ["p2", "p3"]]}
    instance = make_instance(3, tables={"count": 2, "capacity": 3}, rules=rules)
    assert explained(instance) == [
        conflict("repeat", "met-before", participants=["p1", "p2"]),
        conflict("repeat", "met-before", participants=["p1", "p3"]),
        conflict("repeat", "met-before", participants=["p2", "p3"]),
    ]
    said = [found.message for found in conflicting_rules(Problem.from_instance(instance), Stop())]
    assert said[0] == "p1 and p2 never share a table (they met before and repeats are forbidden)"


def test_three_rules_each_keeping_one_pair_apart_are_each_named_by_their_own_rule() -> None:
    """a and b met before (repeats forbidden), a and c are kept apart, b and c are colleagues at X:
    a triangle of three different rules at two tables. Each reason names its own rule, and the
    colleagues their company."""
    people = [{"id": "a"}, {"id": "b", "company": "X"}, {"id": "c", "company": "X"}]
    rules = {"met_before": [["a", "b"]], "keep_apart": [["a", "c"]]}
    instance = make_instance(people, tables={"count": 2, "capacity": 3}, rules=rules)
    assert impossibilities(instance) == []
    assert explained(instance) == [
        conflict("repeat", "met-before", participants=["a", "b"]),
        conflict("keep-apart", participants=["a", "c"]),
        conflict("colleagues", participants=["b", "c"], company="X"),
    ]


def test_no_repeats_at_all_is_named_as_the_whole_rule() -> None:
    """3 people, 2 rounds, 1 table: every pair meets in both rounds. No single pair is to blame: the rule
    itself (no pair meets twice) is the reason, without participants."""
    instance = make_instance(3, rounds=2, tables={"count": 1, "capacity": 3})
    assert explained(instance) == [conflict("repeat")]


def test_a_conflict_that_needs_the_capacities_names_them() -> None:
    """p1 is kept apart from p2, p3 and p4; 1 round, 2 tables of 2. p1 must sit alone, so the other three
    share a table of 2. Every rule is needed: with either table unlimited the three sit there; without any
    one keep-apart pair p1 sits with that person. Counting sees nothing (4 people, 4 seats)."""
    rules = {"keep_apart": [["p1", "p2"], ["p1", "p3"], ["p1", "p4"]]}
    instance = make_instance(4, tables={"count": 2, "capacity": 2}, rules=rules)
    assert impossibilities(instance) == []
    assert explained(instance) == [
        conflict("capacity", tables=["T1"], counts={"capacity": 2}),
        conflict("capacity", tables=["T2"], counts={"capacity": 2}),
        conflict("keep-apart", participants=["p1", "p2"]),
        conflict("keep-apart", participants=["p1", "p3"]),
        conflict("keep-apart", participants=["p1", "p4"]),
    ]


def test_deletion_filtering_drops_what_the_first_core_did_not_need(monkeypatch: pytest.MonkeyPatch) -> None:
    """The triangle plus two more people at the same two tables of 3, p4 kept apart from p5 (p4 joins
    one side, p5 the other): only the triangle is to blame. CP-SAT's cores on instances this small are
    already minimal, so the first core is made the whole set of rules (still a valid core: they do
    conflict) to see the filter remove the capacities, p4-p5 and the rule against repeats."""
    real_core = explain._core
    assumed_sizes: list[int] = []

    def first_core_is_every_rule(seating: SeatingModel, assumed: list[Any], stop: Stop) -> set[int] | None:
        assumed_sizes.append(len(assumed))
        found = real_core(seating, assumed, stop)
        if len(assumed_sizes) == 1 and found is not None:
            return {switch.index for switch in assumed}
        return found

    monkeypatch.setattr(explain, "_core", first_core_is_every_rule)
    rules = {"keep_apart": [["p1", "p2"], ["p1", "p3"], ["p2", "p3"], ["p4", "p5"]]}
    instance = make_instance(5, tables={"count": 2, "capacity": 3}, rules=rules)
    assert explained(instance) == [
        conflict("keep-apart", participants=["p1", "p2"]),
        conflict("keep-apart", participants=["p1", "p3"]),
        conflict("keep-apart", participants=["p2", "p3"]),
    ]
    # 7 switches assumed first (2 capacities, 4 pairs, no repeats); then each is left out in turn.
    assert assumed_sizes[0] == 7 and len(assumed_sizes) > 1


def test_a_feasible_instance_has_no_conflict() -> None:
    # The triangle with one more table: each of the three sits alone.
    rules = {"keep_apart": [["p1", "p2"], ["p1", "p3"], ["p2", "p3"]]}
    assert explained(make_instance(3, tables={"count": 3, "capacity": 3}, rules=rules)) == []


@pytest.mark.parametrize("kind", ["deadline passed", "interrupted"])
def test_no_time_left_gives_no_conflict(kind: str) -> None:
    event = threading.Event()
    event.set()
    stop = Stop(Deadline(time.perf_counter() - 1)) if kind == "deadline passed" else Stop(Interrupted(event))
    assert explained(keep_apart_triangle(), stop) == []
