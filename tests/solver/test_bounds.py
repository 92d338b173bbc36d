"""The counting bound and the greedy start, on instances whose answers are known by hand."""

from __future__ import annotations

import pytest

from tablejam.check import check
from tablejam.models import Schedule
from tablejam.solver.bounds import counting_bound
from tablejam.solver.construct import greedy_schedule
from tablejam.solver.problem import Problem
from tablejam.solver.seating import as_rounds
from tablejam.tools.generate import golfer
from tests.conftest import solve_checked, two_pairs_or_a_trio


def test_bound_by_seats_and_by_person_takes_the_smaller() -> None:
    # 4 people, 1 round, 2 tables of 3; a-b and c-d complementary (c = 2), new = complementary = 1,
    # so a-b and c-d are worth 3 each, the other four pairs 1.
    # By seats: at most 3 pairs meet (a trio and one alone), the best three values: 3 + 3 + 1 = 7.
    # By person: each meets at most 2 others; everyone's best two are 3 + 1 = 4, so 4 * 4 / 2 = 8.
    problem = Problem.from_instance(two_pairs_or_a_trio(new=1, complementary=1))
    assert counting_bound(problem) == 7
    # The true optimum is 6 (the two complementary pairs, or a trio with one of them: 3 + 1 + 1 = 5):
    # the bound is valid, and the solver proves the rest.
    assert solve_checked(two_pairs_or_a_trio(new=1, complementary=1), time_limit=5).objective == 6


@pytest.mark.parametrize("weeks", [4, 5])
def test_bound_never_exceeds_all_pairs(weeks: int) -> None:
    # 9 golfers in 3 groups of 3: 36 pairs in all. Four weeks can seat all 36 (the affine plane);
    # a fifth week adds seats (45) but no new pair, so the bound stays 36.
    assert counting_bound(Problem.from_instance(golfer(3, 3, weeks))) == 36


@pytest.mark.parametrize(("groups", "size", "weeks"), [(3, 3, 4), (8, 4, 9), (16, 8, 6)])
def test_greedy_start_seats_everyone_within_the_table_limits(groups: int, size: int, weeks: int) -> None:
    # The local search never changes table sizes, so the start must already respect them;
    # repeats may remain (the search removes them).
    instance = golfer(groups, size, weeks)
    problem = Problem.from_instance(instance)
    seating = greedy_schedule(problem, seed=1)
    report = check(instance, Schedule(rounds=as_rounds(problem, seating)))
    assert report.rules_broken() <= {"repeat"}
    assert all(len(table) == size for tables in seating.all_groups() for table in tables)
