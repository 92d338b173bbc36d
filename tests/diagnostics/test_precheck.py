"""Counting arguments: impossibilities in the instance's words, and the seat-count bound."""

from __future__ import annotations

import pytest

from tablejam.diagnostics.counting import counting_bounds, most_pairs
from tablejam.diagnostics.precheck import impossibilities
from tests.conftest import make_instance


@pytest.mark.parametrize(
    ("attendees", "limits", "expected"),
    [
        (12, [(0, 4)] * 3, 18),  # three full tables of 4: 3 x 6
        (13, [(3, 4)] * 4, 15),  # 4+3+3+3: 6 + 3 x 3 (4+4+4+1 is below the minimums)
        (13, [(0, 4)] * 4, 18),  # without minimums 4+4+4+1 wins: 3 x 6 + 0
        (7, [(0, 5), (0, 2)], 11),  # 5+2: 10 + 1
        (5, [(3, 4), (3, 4)], 6),  # minimums need 6: no seating exists, the looser bound 4+1 applies
    ],
)
def test_most_pairs(attendees: int, limits: list[tuple[int, int]], expected: int) -> None:
    assert most_pairs(attendees, limits) == expected


def test_host_over_capacity_and_sector_hosts() -> None:
    people = [{"id": f"h{k}", "host": "T1", "sector": "x"} for k in range(3)] + [{"id": "p"}]
    instance = make_instance(people, tables={"count": 2, "capacity": 2}, sectors={"max_per_table": 2},
                             rules={"repeats": "minimise"})  # fmt: skip
    messages = [item.message for item in impossibilities(instance)]
    assert "round 1: table 'T1' has 3 hosts (h0, h1, h2) but capacity 2" in messages
    assert "round 1: table 'T1' is hosted by 3 participants of sector 'x' (h0, h1, h2) but the cap is 2" in messages


def test_hosts_who_must_be_apart() -> None:
    people = [{"id": "a", "host": "T1", "company": "Acme"}, {"id": "b", "host": "T1", "company": "Acme"}]
    found = [(item.rule, item.message) for item in impossibilities(make_instance(people))]
    assert found == [
        ("colleagues", "company 'Acme' has 2 attendees in round 1 who must sit apart, but there is only 1 table"),
        ("colleagues", "a and b both host table 'T1' in round 1 but must be kept apart"),
    ]


def test_bounds_of_a_golfer_instance() -> None:
    from tablejam.tools.generate import golfer

    bounds = counting_bounds(golfer(8, 4, 10))
    # (32 - 1) // (4 - 1) = 10 rounds; 10 rounds x 8 tables x 6 pairs = 480 <= 496 pairs in all.
    assert (bounds.max_rounds_without_repeats, bounds.max_new_encounters) == (10, 480)


def test_more_tablemates_than_tables_forces_repeats() -> None:
    # 30 people at 5 tables of 6 for 2 rounds: a round-2 table of 6 needs people from 6 round-1 tables.
    from tablejam.tools.generate import golfer

    (item,) = impossibilities(golfer(5, 6, 2))
    assert item.message == (
        "30 people attend rounds 1 and 2, so some table in round 2 seats at least 6 of them, "
        "who must come from 6 different tables of round 1, but there are only 5 tables"
    )
    assert impossibilities(golfer(6, 5, 2)) == []


@pytest.mark.parametrize(
    ("attendees", "limits", "expected", "words"),
    [
        # 46 at 8 tables of 5..6: 6 extra seats over the minimums go to the first six tables.
        (46, [(5, 6)] * 8, [6, 6, 6, 6, 6, 6, 5, 5], "6 tables of 6 and 2 of 5"),
        # Uneven capacities fill in proportion: 3/5 < 3/4, so the big table takes the 10th person.
        (10, [(3, 5), (3, 4), (2, 4)], [4, 3, 3], "1 table of 4 and 2 of 3"),
        (8, [(0, 4), (0, 4)], [4, 4], "2 tables of 4"),
        (9, [(0, 4), (0, 4)], None, None),  # more people than seats
        (5, [(3, 4), (3, 4)], None, None),  # fewer people than the minimums need
    ],
)
def test_balanced_sizes(attendees: int, limits: list, expected: list | None, words: str | None) -> None:
    from tablejam.diagnostics.counting import balanced_sizes
    from tablejam.reports.text import describe_sizes

    sizes = balanced_sizes(attendees, limits)
    assert sizes == expected
    if sizes is not None:
        assert describe_sizes(sizes) == words
