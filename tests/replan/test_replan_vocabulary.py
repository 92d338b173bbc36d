"""Re-planning with the vocabulary of issue 12: every rule still holds across printed and new rounds, and a
together pair or pin of an absentee lapses for the rounds missed."""

from __future__ import annotations

from tablejam.check import check
from tablejam.models.settings import SolverSettings
from tablejam.replan.change import Change, changed_event, remaining_event
from tablejam.replan.solve import replan
from tests.conftest import make_instance, solve_checked


def event():
    """12 people, 3 rounds, T1-T3 and T5 of 4 seats and T4 (4 seats) open in rounds 1-2; p1 with p2, p3 pinned to
    T1 in round 3, p4 to T2 in round 2, nobody at one table twice and no repeats."""
    tables = [{"id": f"T{k}", "capacity": 4} for k in (1, 2, 3)] + [{"id": "T4", "capacity": 4, "rounds": [1, 2]},
                                                                     {"id": "T5", "capacity": 4}]  # fmt: skip
    pins = [{"participant": "p3", "table": "T1", "rounds": [3]}, {"participant": "p4", "table": "T2", "rounds": [2]}]
    rules = {"together": [["p1", "p2"]], "pins": pins, "revisit_tables": "forbid"}
    return make_instance(12, rounds=3, tables=tables, rules=rules)


def test_an_absentees_pair_and_pin_lapse_and_the_rest_holds() -> None:
    instance = event()
    printed = solve_checked(instance, time_limit=3)
    change = Change(after_round=1, absent=("p2", "p3"))
    changed, new = replan(instance, printed, change, SolverSettings(time_limit=3, workers=1, seed=1))
    report = check(changed, new)
    assert report.valid, [v.message for v in report.violations]  # revisits counted over printed and new rounds
    assert new.rounds[0] == printed.rounds[0]
    seat = [{pid: t.table for t in r.tables for pid in t.participants} for r in new.rounds]
    assert "p2" not in seat[1] and "p3" not in seat[2]  # gone: p1 sits alone, p3's pin to T1 in round 3 lapsed
    assert seat[1]["p4"] == "T2"  # p4 still attends: the pin holds
    assert len({seat[r]["p1"] for r in range(3)}) == 3 and "T4" not in (seat[2]["p1"], seat[2]["p4"])


def test_the_remaining_event_numbers_pins_and_table_rounds_anew() -> None:
    instance = event()
    printed = solve_checked(instance, time_limit=3)
    changed = changed_event(instance, printed, Change(after_round=1, absent=("p2",)))
    remaining = remaining_event(changed, printed, 1)
    # Round 2 of the event is round 1 of what remains: p4's pin, and T4 open in it only.
    assert [(pin.participant, pin.rounds) for pin in remaining.rules.pins] == [("p3", [2]), ("p4", [1])]
    assert remaining.table_list[3].rounds == [1]
    printed_seats = {(pid, t.table) for t in printed.rounds[0].tables for pid in t.participants}
    assert set(remaining.rules.seated_before) == printed_seats
