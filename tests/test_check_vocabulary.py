"""The checker on the vocabulary of issue 12: table rounds, together groups, no table twice, pins.

Each rule gets a seating that keeps it and one that breaks it, with the exact violations expected.
"""

from __future__ import annotations

from tablejam.check import Violation, check
from tablejam.models import Instance
from tablejam.models.rules import Rule
from tests.conftest import make_instance, schedule_of


def violations(instance: Instance, rounds: list[dict[str, list[str]]]) -> list[Violation]:
    return check(instance, schedule_of(rounds)).violations


def test_a_closed_table_seats_nobody() -> None:
    # Terrace (at least 1) is open in round 1 only; repeats are allowed, so that only the closure matters.
    tables = [{"id": "Terrace", "capacity": 2, "min": 1, "rounds": [1]}, {"id": "T1", "capacity": 2}]
    instance = make_instance(3, rounds=2, tables=tables, rules={"repeats": "minimise"})
    assert violations(instance, [{"Terrace": ["p1"], "T1": ["p2", "p3"]}, {"Terrace": [], "T1": ["p1", "p2"]}]) == [
        Violation(Rule.NOT_SEATED, "round 2: p3 attends but is not seated", 2, None, ("p3",))
    ]  # the closure itself is kept, and a closed table needs no minimum: only p3's missing seat is wrong
    broken = violations(instance, [{"Terrace": ["p1"], "T1": ["p2", "p3"]}, {"Terrace": ["p1"], "T1": ["p2", "p3"]}])
    assert broken == [
        Violation(Rule.TABLE_CLOSED, "round 2: table 'Terrace' is closed but seats p1", 2, "Terrace", ("p1",))
    ]


def test_a_together_pair_shares_a_table_in_every_round_both_attend() -> None:
    # p2 misses round 3: the pair's rule lapses there, so p1 may sit anywhere.
    people = [{"id": "p1"}, {"id": "p2", "absent": [3]}, {"id": "p3"}, {"id": "p4"}]
    instance = make_instance(people, rounds=3, tables={"count": 2, "capacity": 3}, rules={"together": [["p1", "p2"]]})
    kept = [{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}, {"T1": ["p1", "p2", "p3"], "T2": ["p4"]},
            {"T1": ["p1", "p4"], "T2": ["p3"]}]  # fmt: skip
    report = check(instance, schedule_of(kept))
    assert report.violations == []
    assert report.stats is not None
    # p1-p2 meet twice without a repeat and without counting as new; the new pairs are p3-p4, p1-p3, p2-p3, p1-p4.
    assert (report.stats.new_encounters, report.stats.repeat_meetings, report.stats.meetings) == (4, 0, 6)
    parted = [{"T1": ["p1", "p3"], "T2": ["p2", "p4"]}, {"T1": ["p1", "p2"], "T2": ["p3", "p4"]},
              {"T1": ["p1"], "T2": ["p3", "p4"]}]  # fmt: skip
    # Violations come in the registry's order of rules: repeats before together groups.
    assert violations(instance, parted) == [
        Violation(Rule.REPEAT, "round 3: p3 and p4 meet again (met in round 2)", 3, "T2", ("p3", "p4")),
        Violation(Rule.TOGETHER, "round 1: p1 and p2 sit together, but at 'T1' and 'T2'", 1, "T2", ("p1", "p2")),
    ]


def test_a_together_pair_who_met_before_never_repeats() -> None:
    instance = make_instance(2, rounds=2, rules={"together": [["p1", "p2"]], "met_before": [["p1", "p2"]]})
    report = check(instance, schedule_of([{"T1": ["p1", "p2"]}, {"T1": ["p1", "p2"]}]))
    assert report.violations == [] and report.stats is not None
    assert (report.stats.new_encounters, report.stats.repeat_meetings, report.stats.objective) == (0, 0, 0)


def test_nobody_but_a_host_sits_at_one_table_twice() -> None:
    # h hosts T1 (exempt); p1 sat at T2 before the event (seated_before, as re-planning writes it).
    people = [{"id": "h", "host": "T1"}, {"id": "p1"}, {"id": "p2"}]
    rules = {"revisit_tables": "forbid", "repeats": "minimise", "seated_before": [["p1", "T2"]]}
    instance = make_instance(people, rounds=2, tables={"count": 3, "capacity": 3}, rules=rules)
    kept = [{"T1": ["h", "p1"], "T3": ["p2"]}, {"T1": ["h", "p2"], "T3": ["p1"]}]
    assert violations(instance, kept) == []
    broken = [{"T1": ["h"], "T2": ["p1"], "T3": ["p2"]}, {"T1": ["h"], "T2": [], "T3": ["p1", "p2"]}]
    assert violations(instance, broken) == [
        Violation(Rule.REVISIT, "round 1: p1 sits at 'T2' again (also in an earlier round)", 1, "T2", ("p1",)),
        Violation(Rule.REVISIT, "round 2: p2 sits at 'T3' again (also in round 1)", 2, "T3", ("p2",)),
    ]
    allowed = make_instance(people, rounds=2, tables={"count": 3, "capacity": 3}, rules={"repeats": "minimise"})
    assert violations(allowed, broken) == []  # the default, "allow"


def test_a_pin_holds_in_its_rounds_only() -> None:
    rules = {"pins": [{"participant": "p1", "table": "T2", "rounds": [2]}], "repeats": "minimise"}
    instance = make_instance(2, rounds=2, tables={"count": 2, "capacity": 2}, rules=rules)
    assert violations(instance, [{"T1": ["p1"], "T2": ["p2"]}, {"T1": ["p2"], "T2": ["p1"]}]) == []
    assert violations(instance, [{"T1": ["p1"], "T2": ["p2"]}, {"T1": ["p1"], "T2": ["p2"]}]) == [
        Violation(Rule.PIN, "round 2: p1 is pinned to 'T2' but sits at 'T1'", 2, "T1", ("p1",))
    ]
    # Without rounds, a pin holds in every round the participant attends (p1 misses round 1).
    people = [{"id": "p1", "absent": [1]}, {"id": "p2"}]
    every = make_instance(people, rounds=2, tables={"count": 2, "capacity": 2},
                          rules={"pins": [{"participant": "p1", "table": "T2"}]})  # fmt: skip
    assert violations(every, [{"T1": ["p2"]}, {"T1": ["p1", "p2"]}]) == [
        Violation(Rule.PIN, "round 2: p1 is pinned to 'T2' but sits at 'T1'", 2, "T1", ("p1",))
    ]


def test_a_pin_without_rounds_listed_holds_nowhere() -> None:
    # rounds = [] is not the default (every round): it pins p1 in no round at all.
    rules = {"pins": [{"participant": "p1", "table": "T2", "rounds": []}]}
    instance = make_instance(2, tables={"count": 2, "capacity": 2}, rules=rules)
    assert instance.pinned == {}
    assert violations(instance, [{"T1": ["p1", "p2"]}]) == []
