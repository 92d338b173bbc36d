"""Counting arguments for the vocabulary of issue 12, each said in the instance's words."""

from __future__ import annotations

from typing import Any

from tablejam.diagnostics.precheck import impossibilities
from tablejam.models import Instance
from tests.conftest import make_instance


def found(instance: Instance) -> list[tuple[str, str]]:
    return [(item.rule, item.message) for item in impossibilities(instance)]


def two_tables(people: int | list[dict[str, Any]], rounds: int = 1, **rules: Any) -> Instance:
    """T1 (capacity 2) and Terrace (capacity 2, open in round 1 only); repeats allowed, so that they say nothing."""
    tables = [{"id": "T1", "capacity": 2}, {"id": "Terrace", "capacity": 2, "rounds": [1]}]
    return make_instance(people, rounds=rounds, tables=tables, rules={"repeats": "minimise", **rules})


def test_a_closed_table_offers_no_seats() -> None:
    # Round 1: 3 people, 4 seats. Round 2: the Terrace is closed, 2 seats at 1 table.
    assert found(two_tables(3, rounds=2)) == [("capacity", "round 2 has 3 attendees but only 2 seats at 1 table")]


def test_a_closed_table_needs_no_minimum() -> None:
    # Both tables need 2 when open: 4 in round 1 (4 attend), 2 in round 2 (the Terrace is closed), so all is well.
    tables = [{"id": "T1", "capacity": 4, "min": 2}, {"id": "Terrace", "capacity": 2, "min": 2, "rounds": [1]}]
    assert found(make_instance(4, rounds=2, tables=tables, rules={"repeats": "minimise"})) == []


def test_a_pin_or_a_host_at_a_closed_table() -> None:
    people = [{"id": "p1"}, {"id": "h", "host": "Terrace"}]
    instance = two_tables(people, rounds=2, pins=[{"participant": "p1", "table": "Terrace", "rounds": [2]}])
    assert found(instance) == [
        ("table-closed", "p1 is pinned to table 'Terrace' in round 2, when it is closed"),
        ("table-closed", "h hosts table 'Terrace', which is closed in round 2"),
    ]


def test_pins_beyond_a_tables_capacity_and_a_host_pinned_away() -> None:
    # T1 seats 2: its host h and the pinned p1 and p2 are 3. Host g of the Terrace is pinned to T1.
    people = [{"id": "h", "host": "T1"}, {"id": "p1"}, {"id": "p2"}, {"id": "g", "host": "Terrace"}]
    pins = [{"participant": p, "table": "T1"} for p in ("p1", "p2")] + [{"participant": "g", "table": "T1"}]
    assert found(two_tables(people, pins=pins)) == [
        ("pin", "g hosts a table but is pinned to table 'T1' in round 1"),
        ("pin", "round 1: 4 participants (h, p1, p2, g) must sit at table 'T1' (pins and hosts) but its capacity is 2"),
    ]


def test_a_together_pair_who_must_be_kept_apart() -> None:
    people = [{"id": "a", "company": "X"}, {"id": "b", "company": "X"}, {"id": "c"}, {"id": "d"}]
    rules = {"together": [["a", "b"], ["c", "d"]], "keep_apart": [["c", "d"]], "repeats": "minimise"}
    instance = make_instance(people, tables={"count": 2, "capacity": 4}, rules=rules)
    assert [item for item in found(instance) if item[0] == "together"] == [
        ("together", "a and b must sit together but are colleagues at 'X', kept apart"),
        ("together", "c and d must sit together but are kept apart (rules.keep_apart)"),
    ]


def test_a_together_group_larger_than_any_open_table() -> None:
    # Round 1: the Terrace is open, 2 seats each; all three attend every round. Said once, for round 1.
    instance = two_tables(3, rounds=2, together=[["p1", "p2", "p3"]])
    assert ("together", "round 1: the together group p1, p2, p3 has 3 members attending but the largest open table "
            "seats 2") in found(instance)  # fmt: skip


def test_a_together_pair_pinned_apart() -> None:
    pins = [{"participant": "p1", "table": "T1"}, {"participant": "p2", "table": "Terrace"}]
    assert found(two_tables(2, together=[["p1", "p2"]], pins=pins)) == [
        ("together", "p1 and p2 must sit together but their pins or host tables part them in round 1")
    ]


def test_more_rounds_than_tables_to_visit() -> None:
    # 3 rounds, 2 tables: p1 and p2 cannot sit at a new table each round; the host h may stay at T1.
    people = [{"id": "h", "host": "T1"}, {"id": "p1"}, {"id": "p2"}]
    instance = make_instance(people, rounds=3, tables={"count": 2, "capacity": 3},
                             rules={"revisit_tables": "forbid", "repeats": "minimise"})  # fmt: skip
    assert found(instance) == [
        ("revisit", f"{p} attends 3 rounds but can sit at a different table in at most 2 of them (open tables, pins "
         "and earlier seats), and rules.revisit_tables = 'forbid'") for p in ("p1", "p2")
    ]  # fmt: skip


def test_pins_and_closures_leave_too_few_tables_to_visit() -> None:
    # p1 is pinned to T1 in rounds 1 and 2: one table for two rounds. p2 has T1 and the Terrace in round 1, T1 in
    # round 2: a matching (Terrace, then T1) exists.
    instance = two_tables(2, rounds=2, revisit_tables="forbid", pins=[{"participant": "p1", "table": "T1"}])
    assert found(instance) == [
        ("revisit", "p1 attends 2 rounds but can sit at a different table in at most 1 of them (open tables, pins "
         "and earlier seats), and rules.revisit_tables = 'forbid'")
    ]  # fmt: skip


def test_a_together_group_counts_once_in_the_spread() -> None:
    # 6 people, 2 tables of 4, 2 rounds, no repeats. Counted one by one, some table of round 2 seats 3 people who
    # must come from 3 different tables of round 1, of which there are 2. But the together group p1-p3 sits at
    # one table in both rounds without repeating: 4 units, 2 per table, and indeed {p1, p2, p3, p4} {p5, p6}
    # then {p1, p2, p3, p5} {p4, p6} keeps every rule.
    rules = {"together": [["p1", "p2", "p3"]]}
    assert found(make_instance(6, rounds=2, tables={"count": 2, "capacity": 4}, rules=rules)) == []
    assert found(make_instance(6, rounds=2, tables={"count": 2, "capacity": 4}))[0][0] == "repeat"  # without it


def test_no_repeats_and_no_table_twice_leave_too_few_places() -> None:
    # 12 people, T1-T3 of 4 and T4 of 4 open in rounds 1-2. Round 3's tables each take at most one person from
    # each of the 3 other tables of round 1: 3 x 3 = 9 places for 12. (The same without T4's closure: 4 x 3 = 12.)
    tables = [{"id": f"T{k}", "capacity": 4} for k in (1, 2, 3)] + [{"id": "T4", "capacity": 4, "rounds": [1, 2]}]
    instance = make_instance(12, rounds=3, tables=tables, rules={"revisit_tables": "forbid"})
    assert found(instance) == [
        ("revisit", "12 people attend rounds 1 and 3, but with no repeats and no table twice a table of round 3 seats "
         "at most one person from each other table of round 1: 9 places in all")
    ]  # fmt: skip
    assert (
        found(make_instance(12, rounds=3, tables={"count": 4, "capacity": 4}, rules={"revisit_tables": "forbid"})) == []
    )


def test_a_quota_minimum_counts_open_tables_only() -> None:
    # Round 1: f1 and m1 at T1, f2 and m2 at the Terrace (exactly 2 seats): a woman at each. Round 2: f2 is away
    # and the Terrace closed, so f1, m1 and m2 sit at T1 and one woman is enough.
    people = [{"id": "f1", "attributes": {"gender": "f"}}, {"id": "f2", "attributes": {"gender": "f"}, "absent": [2]},
              {"id": "m1", "attributes": {"gender": "m"}}, {"id": "m2", "attributes": {"gender": "m"}}]  # fmt: skip
    tables = [{"id": "T1", "capacity": 4, "min": 1}, {"id": "Terrace", "capacity": 2, "min": 2, "rounds": [1]}]
    quotas = [{"attribute": "gender", "value": "f", "min": 1}]
    assert found(make_instance(people, rounds=2, tables=tables, rules={"repeats": "minimise"}, quotas=quotas)) == []


def test_the_spread_counts_the_tables_open_in_each_round() -> None:
    # 10 people: round 1 at T1 and T2 (5 each), round 2 at four tables; some table of round 2 seats 3 of them,
    # who sat at only 2 tables in round 1, so two of them meet again.
    tables = [{"id": f"T{k}", "capacity": 5, **({"rounds": [2]} if k > 2 else {})} for k in range(1, 5)]
    assert found(make_instance(10, rounds=2, tables=tables)) == [
        ("repeat", "10 people attend rounds 1 and 2, so some table in round 2 seats at least 3 of them, who must "
                   "come from 3 different tables of round 1, but there are only 2 tables"),
    ]  # fmt: skip
