"""Prechecks of quotas: impossibilities found by counting, said in the instance's words."""

from __future__ import annotations

from typing import Any

from tablejam.diagnostics.precheck import impossibilities
from tests.conftest import make_instance


def people(women: int, men: int) -> list[dict[str, Any]]:
    return [{"id": f"f{k}", "attributes": {"gender": "f"}} for k in range(women)] + [
        {"id": f"m{k}", "attributes": {"gender": "m"}} for k in range(men)
    ]


def test_a_max_too_small_to_seat_everyone_with_the_value() -> None:
    # 3 women, 2 tables, at most 1 woman per table: 2 places for 3.
    instance = make_instance(
        people(3, 1), tables={"count": 2, "capacity": 4}, quotas=[{"attribute": "gender", "value": "f", "max": 1}]
    )
    assert [r.message for r in impossibilities(instance)] == [
        "3 attendees with gender = 'f' in round 1 but at most 1 per table and 2 tables (2 places)"
    ]


def test_a_min_at_every_table_that_must_be_occupied() -> None:
    # 8 people at tables of 4: both tables are occupied, each needs 1 woman, but 1 woman comes.
    instance = make_instance(
        people(1, 7), tables={"count": 2, "capacity": 4}, quotas=[{"attribute": "gender", "value": "f", "min": 1}]
    )
    (found,) = impossibilities(instance)
    assert found.message == (
        "round 1 needs at least 1 with gender = 'f' at each of at least 2 occupied tables (2 in all), "
        "but there is only 1"
    )
    assert (found.rule, found.fact, found.attribute, found.value) == ("quota", "short", "gender", "f")


def test_tables_that_may_stay_empty_need_no_minimum() -> None:
    # 4 people fit at one table of 4, so one woman meets a min of 1 there: nothing impossible (the other table
    # stays empty).
    instance = make_instance(
        people(1, 3), tables={"count": 2, "capacity": 4}, quotas=[{"attribute": "gender", "value": "f", "min": 1}]
    )
    assert impossibilities(instance) == []


def test_table_minimums_force_tables_occupied() -> None:
    # 4 people would fit at one table, but each of the 2 tables seats at least 1: 2 occupied tables, 1 woman.
    instance = make_instance(
        people(1, 3), tables={"count": 2, "capacity": 4, "min": 1},
        quotas=[{"attribute": "gender", "value": "f", "min": 1}],
    )  # fmt: skip
    assert [r.counts for r in impossibilities(instance)] == [{"attendees": 1, "min": 1, "occupied": 2, "needed": 2}]
