"""The engine's one seating type and its one bridge to the schedule document.

Every part of the engine hands seatings around as `Seating`, and only `as_rounds` / `from_rounds`
translate them to the ids the checker and the users see: an off-by-one there (rounds from 1, tables
in instance order, absentees as -1) would misplace people in every schedule while each engine part
still looked right on its own. All seatings here are written by hand.
"""

from __future__ import annotations

import numpy as np

from tablejam.models import Instance, RoundSeating, TableSeating
from tablejam.solver.problem import Problem
from tablejam.solver.seating import ABSENT, Seating, as_rounds, from_rounds
from tests.conftest import make_instance


def event() -> Instance:
    """2 rounds, 3 tables listed out of alphabetical order, 5 participants whose ids are not sorted either:
    'kim' hosts 'Garden', 'bo' misses round 1, 'al' misses round 2. Indices follow the instance's order,
    never the ids' order, so a bridge that sorted anything would be caught."""
    people = [
        {"id": "kim", "host": "Garden"},
        {"id": "zoe"},
        {"id": "bo", "absent": [1]},
        {"id": "al", "absent": [2]},
        {"id": "max"},
    ]
    tables = [{"id": "Garden", "capacity": 3}, {"id": "B", "capacity": 3}, {"id": "A", "capacity": 3}]
    return make_instance(people, rounds=2, tables=tables)


# groups[r][t] for event(): kim always at Garden (0); bo absent in round 1, al in round 2; table A (2)
# empty in round 1, table B (1) empty in round 2.
GROUPS = [[[0, 3], [1, 4], []], [[0, 1, 2], [], [4]]]


def test_from_groups_puts_each_participant_at_their_table() -> None:
    seating = Seating.from_groups(GROUPS, people=5)
    assert seating.table_of.tolist() == [
        [0, 1, ABSENT, 0, 1],  # bo (2) is in no group of round 1
        [0, 0, 0, ABSENT, 2],  # al (3) is in no group of round 2
    ]
    assert (seating.rounds, seating.people, seating.tables) == (2, 5, 3)
    assert ABSENT == -1


def test_groups_read_back_what_from_groups_wrote() -> None:
    seating = Seating.from_groups(GROUPS, people=5)
    assert seating.all_groups() == GROUPS
    assert seating.groups(1) == GROUPS[1]


def test_groups_list_participants_in_index_order_whatever_order_they_were_given_in() -> None:
    seating = Seating.from_groups([[[4, 0, 2], [3, 1]]], people=5)
    assert seating.groups(0) == [[0, 2, 4], [1, 3]]


def test_empty_seats_nobody() -> None:
    seating = Seating.empty(rounds=2, people=3, tables=4)
    assert seating.table_of.shape == (2, 3)
    assert (seating.table_of == ABSENT).all()
    assert seating.all_groups() == [[[], [], [], []], [[], [], [], []]]


def test_a_copy_is_independent_of_its_original() -> None:
    original = Seating.from_groups(GROUPS, people=5)
    copy = original.copy()
    assert copy == original
    copy.table_of[0, 1] = 2  # zoe moves to A in round 1 in the copy only
    assert original.groups(0) == [[0, 3], [1, 4], []]
    assert copy.groups(0) == [[0, 3], [4], [1]]
    assert copy != original


def test_equal_seatings_are_equal_and_hash_alike() -> None:
    one = Seating.from_groups(GROUPS, people=5)
    other = Seating.from_groups([[[3, 0], [4, 1], []], [[2, 1, 0], [], [4]]], people=5)  # same, written unsorted
    assert one == other
    assert hash(one) == hash(other)
    assert len({one, other}) == 1


def test_equal_seatings_hash_alike_whatever_integer_type_holds_them() -> None:
    engine = Seating.from_groups([[[0], [1]]], people=2)  # int32, like every seating the engine makes
    handmade = Seating(np.array([[0, 1]], dtype=np.int64), tables=2)
    assert engine == handmade
    assert hash(engine) == hash(handmade)  # Python's rule: equal objects must hash alike (sets, dict keys)


def test_seatings_differ_by_any_seat_or_by_their_number_of_tables() -> None:
    one = Seating.from_groups(GROUPS, people=5)
    moved = one.copy()
    moved.table_of[1, 4] = 1  # max sits at B instead of A in round 2
    assert one != moved
    # The same seats, but a fourth (empty) table: a different seating of a different event.
    assert one != Seating(one.table_of.copy(), tables=4)
    assert one != one.table_of  # not a Seating at all
    assert one != "Seating"


def test_as_rounds_lists_every_table_of_every_round_in_instance_order() -> None:
    instance = event()
    problem = Problem.from_instance(instance)
    rounds = as_rounds(problem, Seating.from_groups(GROUPS, people=5))
    assert rounds == [
        RoundSeating(
            round=1,
            tables=[
                TableSeating(table="Garden", participants=["kim", "al"]),
                TableSeating(table="B", participants=["zoe", "max"]),
                TableSeating(table="A", participants=[]),  # empty tables are listed too
            ],
        ),
        RoundSeating(
            round=2,
            tables=[
                TableSeating(table="Garden", participants=["kim", "zoe", "bo"]),
                TableSeating(table="B", participants=[]),
                TableSeating(table="A", participants=["max"]),
            ],
        ),
    ]


def test_from_rounds_reverses_as_rounds_with_absences_and_hosts() -> None:
    problem = Problem.from_instance(event())
    seating = Seating.from_groups(GROUPS, people=5)
    back = from_rounds(problem, as_rounds(problem, seating))
    assert back == seating
    assert back.table_of[0, 2] == ABSENT and back.table_of[1, 3] == ABSENT
    assert back.table_of[:, 0].tolist() == [0, 0]  # the host stays at Garden


def test_from_rounds_reads_ids_not_positions() -> None:
    # A document may list tables and people in any order and leave empty tables out.
    problem = Problem.from_instance(event())
    rounds = [
        RoundSeating(round=2, tables=[TableSeating(table="A", participants=["max"]),
                                      TableSeating(table="Garden", participants=["bo", "zoe", "kim"])]),
        RoundSeating(round=1, tables=[TableSeating(table="B", participants=["max", "zoe"]),
                                      TableSeating(table="Garden", participants=["al", "kim"])]),
    ]  # fmt: skip
    assert from_rounds(problem, rounds) == Seating.from_groups(GROUPS, people=5)


def test_as_rounds_on_a_seating_without_anyone_lists_empty_tables() -> None:
    problem = Problem.from_instance(make_instance(2, rounds=2, tables={"count": 2, "capacity": 2}))
    rounds = as_rounds(problem, Seating.empty(2, 2, 2))
    assert [[(t.table, t.participants) for t in r.tables] for r in rounds] == [[("T1", []), ("T2", [])]] * 2
    assert [r.round for r in rounds] == [1, 2]


def test_from_rounds_of_an_empty_document_seats_nobody() -> None:
    problem = Problem.from_instance(event())
    assert from_rounds(problem, []) == Seating.empty(2, 5, 3)


def test_table_of_keeps_the_engine_integer_type() -> None:
    # CP-SAT's and the local search's seatings are int32; from_groups and from_rounds must agree with them.
    problem = Problem.from_instance(event())
    assert Seating.from_groups(GROUPS, people=5).table_of.dtype == np.int32
    assert from_rounds(problem, as_rounds(problem, Seating.from_groups(GROUPS, 5))).table_of.dtype == np.int32
