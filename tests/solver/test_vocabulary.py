"""The engine on the vocabulary of issue 12: CP-SAT, the local search (and the greedy start it repairs) and the
explanation of infeasibility, each on table rounds, together groups, no table twice and pins.

Every schedule a solver returns goes to the checker; every infeasible instance is one worked out by hand, with
the one minimal set of rules to blame.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from tablejam.check import check
from tablejam.models import Instance, Schedule, SolverSettings
from tablejam.solver import solve
from tablejam.solver.bound import lp_bound
from tablejam.solver.bounds import counting_bound
from tablejam.solver.construct import greedy_schedule
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.explain import conflicting_rules
from tablejam.solver.local_search import SearchState, _group_move, local_search
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, as_rounds
from tablejam.solver.stop import Deadline, MaxIterations, Stop, Valid
from tablejam.tools.generate import business_event
from tests.conftest import assert_checked, make_instance


def within(seconds: float) -> Stop:
    return Stop(Deadline(time.perf_counter() + seconds))


def with_vocabulary(instance: Instance, open_rounds: list[int], **rules: Any) -> Instance:
    """The instance with its last table open only in `open_rounds`, the others one seat larger, and `rules` added."""
    data = instance.model_dump()
    tables = instance.table_list
    data["tables"] = [{"id": t.id, "capacity": t.capacity + 1, "min": 0} for t in tables[:-1]] + [
        {"id": tables[-1].id, "capacity": tables[-1].capacity, "rounds": open_rounds}
    ]
    data["rules"].update(rules)
    return Instance.model_validate(data)


def twenty() -> Instance:
    """20 people, 3 rounds, T1-T5 (6 seats) and T6 (5 seats) open in rounds 1-2, no repeats; p01 and p02
    together, p10 pinned to T3 in round 2 and p11 to T6 in round 1, nobody at one table twice. Feasible: round 3
    seats 4 at each of 5 tables, 4 people from 4 of the other 5 tables of round 1 (and of round 2)."""
    instance = business_event(20, 6, 5, 3, seed=1, sector_cap=None)
    pins = [{"participant": "p10", "table": "T3", "rounds": [2]}, {"participant": "p11", "table": "T6", "rounds": [1]}]
    return with_vocabulary(instance, [1, 2], together=[["p01", "p02"]], pins=pins, revisit_tables="forbid")


def judged(instance: Instance, problem: Problem, seating: Seating) -> None:
    report = check(instance, Schedule(rounds=as_rounds(problem, seating)))
    assert report.valid, [v.message for v in report.violations]


def test_cp_sat_keeps_every_new_rule() -> None:
    instance = twenty()
    problem = Problem.from_instance(instance)
    outcome = SeatingModel(problem).solve(SolverSettings(time_limit=5, workers=2), within(5))
    assert outcome.status in ("optimal", "feasible") and outcome.seating is not None
    judged(instance, problem, outcome.seating)


def test_the_local_search_repairs_the_greedy_start_into_a_valid_schedule() -> None:
    instance = twenty()
    problem = Problem.from_instance(instance)
    result = local_search(problem, greedy_schedule(problem, repair=False), within(5) | Valid(), seed=3)
    assert result.violations == 0
    judged(instance, problem, result.seating)


@pytest.mark.parametrize("iterations", [1, 300, 3000])
def test_incremental_scores_match_a_full_recount(iterations: int) -> None:
    """The search's move-by-move counts equal a recount from scratch, with every new rule in play (and hosts,
    sector caps, absences and colleagues), from a start that breaks some of them."""
    base = business_event(40, 8, 5, 4, seed=3, sector_cap=1, hosts=2, absent_share=0.2, colleague_groups=4)
    pins = [{"participant": "p10", "table": "T3", "rounds": [2]}, {"participant": "p11", "table": "T4"}]
    instance = with_vocabulary(base, [1, 2], together=[["p20", "p21", "p22"]], pins=pins, revisit_tables="forbid")
    problem = Problem.from_instance(instance)
    result = local_search(problem, greedy_schedule(problem, repair=False), within(60) | MaxIterations(iterations),
                          seed=7)  # fmt: skip
    assert (result.violations, result.objective) == SearchState.from_seating(problem, result.seating).score()
    report = check(instance, Schedule(rounds=as_rounds(problem, result.seating)))
    assert report.valid == (result.violations == 0)


def test_the_search_counts_each_broken_new_rule() -> None:
    """A seating breaking each new rule the search can break once: the together pair apart, one table twice.
    (Pins and closed tables it never breaks: it never moves a pinned person, nor anyone to a closed table.)"""
    rules = {"together": [["p1", "p2"]], "revisit_tables": "forbid", "repeats": "minimise"}
    instance = make_instance(4, rounds=2, tables={"count": 2, "capacity": 2}, rules=rules)
    problem = Problem.from_instance(instance)
    # Round 1: p1 p3 | p2 p4 (the pair apart). Round 2: p1 p2 | p3 p4 (p1, p4 at their tables again).
    seating = Seating(np.array([[0, 1, 0, 1], [0, 0, 1, 1]], dtype=np.int32), 2)
    assert SearchState.from_seating(problem, seating).score()[0] == 3
    assert len(check(instance, Schedule(rounds=as_rounds(problem, seating))).violations) == 3


def explained(instance: Instance) -> list[tuple[str, str]]:
    return [(found.rule, found.message) for found in conflicting_rules(Problem.from_instance(instance), within(10))]


def test_a_closed_table_in_a_conflict() -> None:
    # Round 1 has one open table, for two people kept apart.
    tables = [{"id": "A", "capacity": 3, "rounds": [2]}, {"id": "B", "capacity": 3}]
    instance = make_instance(2, rounds=2, tables=tables, rules={"keep_apart": [["p1", "p2"]], "repeats": "minimise"})
    assert explained(instance) == [
        ("keep-apart", "p1 and p2 never share a table (rules.keep_apart)"),
        ("table-closed", "table 'A' seats nobody outside rounds 2 (tables.rounds)"),
    ]


def test_a_together_pair_in_a_conflict() -> None:
    # Both of sector X, at most 1 per table.
    people = [{"id": "p1", "sector": "X"}, {"id": "p2", "sector": "X"}]
    instance = make_instance(people, tables={"count": 2, "capacity": 2}, sectors={"max_per_table": 1},
                             rules={"together": [["p1", "p2"]]})  # fmt: skip
    assert explained(instance) == [
        ("sector-cap", "at most 1 of sector 'X' per table"),
        ("together", "p1 and p2 share a table in every round both attend (rules.together)"),
    ]


def revisit_conflict() -> Instance:
    """h hosts A (a host may stay at their table); p1 sits with h in both rounds, so at A twice. The pin of p1 to A
    in round 1 is not needed for the conflict, and is not named: without it p1 still follows h."""
    people = [{"id": "h", "host": "A"}, {"id": "p1"}]
    rules = {"together": [["h", "p1"]], "revisit_tables": "forbid",
             "pins": [{"participant": "p1", "table": "A", "rounds": [1]}]}  # fmt: skip
    return make_instance(people, rounds=2, tables=[{"id": "A", "capacity": 3}, {"id": "B", "capacity": 3}],
                         rules=rules)  # fmt: skip


def test_no_table_twice_in_a_conflict() -> None:
    assert explained(revisit_conflict()) == [
        ("together", "h and p1 share a table in every round both attend (rules.together)"),
        ("revisit", "p1 never sits at one table twice (rules.revisit_tables = 'forbid')"),
    ]


def test_pins_in_a_conflict() -> None:
    pins = [{"participant": "p1", "table": "T1"}, {"participant": "p2", "table": "T1"}]
    instance = make_instance(2, tables={"count": 2, "capacity": 2}, rules={"keep_apart": [["p1", "p2"]], "pins": pins})
    assert explained(instance) == [
        ("keep-apart", "p1 and p2 never share a table (rules.keep_apart)"),
        ("pin", "p1 sits at table 'T1' in round 1 (rules.pins)"),
        ("pin", "p2 sits at table 'T1' in round 1 (rules.pins)"),
    ]


def test_the_engine_says_which_new_rules_conflict() -> None:
    """Past the prechecks (which find nothing here), CP-SAT proves the instance infeasible and names the rules."""
    schedule = solve(revisit_conflict(), SolverSettings(time_limit=5, workers=1))
    assert schedule.status == "infeasible" and schedule.rounds == []
    assert [reason.rule for reason in schedule.reasons] == ["together", "revisit"]


def test_the_engine_solves_the_new_rules_validly() -> None:
    schedule = solve(twenty(), SolverSettings(time_limit=4, workers=2))
    assert schedule.status in ("optimal", "feasible")
    assert_checked(twenty(), schedule)


def test_a_together_group_moves_whole() -> None:
    """Trying a group move leaves the seating as it was; making it moves the members at p's table together, by
    exactly the change it announced."""
    instance = make_instance(5, rounds=1, tables={"count": 2, "capacity": 4}, rules={"together": [["p1", "p2", "p3"]]})
    problem = Problem.from_instance(instance)
    # p1 p2 p4 at T1, p3 p5 at T2: the group is split (p1-p3 and p2-p3 apart: 2 violations).
    state = SearchState.from_seating(problem, Seating(np.array([[0, 0, 1, 0, 1]], dtype=np.int32), 2))
    before, table_of = state.score(), state.table_of.copy()
    scratch = np.empty(64, dtype=np.int64), np.empty(64, dtype=np.int64)
    args = (state.seat, state.rules, state.fixed, state.capacity, state.minimum, *scratch)
    assert before[0] == 2
    tried = _group_move(0, 0, 1, *args, False)
    assert state.score() == before and (state.table_of == table_of).all()
    assert _group_move(0, 0, 1, *args, True) == tried
    assert state.table_of.tolist() == [[1, 1, 1, 0, 1]]  # p1 and p2 joined p3; p4 stays
    assert state.score() == (before[0] + tried[1], before[1] + tried[2]) == (0, state.score()[1])


def closed_with_a_minimum() -> Instance:
    """f1, f2, m1, m2; T2 (exactly 2 seats) is open in round 1 only, and every occupied table seats a woman.

    Round 1: two at T2 and two at T1, a woman and a man at each. Round 2: all four at T1 (T2 is closed; its
    minimum and the quota's do not hold there). So all 6 pairs meet and the 2 pairs of round 1 meet again:
    6 * 1 (new) - 2 * 10 (repeat) = -14, the only objective there is."""
    people = [{"id": pid, "attributes": {"gender": pid[0]}} for pid in ("f1", "f2", "m1", "m2")]
    tables = [{"id": "T1", "capacity": 4, "min": 1}, {"id": "T2", "capacity": 2, "min": 2, "rounds": [1]}]
    return make_instance(people, rounds=2, tables=tables, rules={"repeats": "minimise"},
                         quotas=[{"attribute": "gender", "value": "f", "min": 1}])  # fmt: skip


def test_a_closed_table_needs_no_quota_minimum_in_cp_sat_nor_in_the_bound() -> None:
    problem = Problem.from_instance(closed_with_a_minimum())
    outcome = SeatingModel(problem).solve(SolverSettings(workers=1, seed=7), within(10))
    assert outcome.status == "optimal" and outcome.objective == -14
    assert outcome.seating is not None
    judged(problem.instance, problem, outcome.seating)
    # The table-aware bound's kinds: T2 in round 2 seats nobody (its limits there are (0, 0)), so its LP has the
    # one seating there is (a kind that had to seat two, with nobody allowed, left only artificial columns).
    result = lp_bound(problem, within(10))
    assert result.converged and result.lp_value == -14
    assert result.bound == counting_bound(problem) == -14
