"""CP-SAT neighbourhoods: they score like the local search, repair conflicts exactly, and never make things worse."""

from __future__ import annotations

import random
import time

from tablejam.check import check
from tablejam.models import Schedule, SolverSettings
from tablejam.solver.construct import greedy_schedule
from tablejam.solver.lns import Neighbourhood, large_neighbourhood_search, neighbourhood_problem, score
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, as_rounds
from tablejam.solver.stop import Deadline, MaxIterations, Stop, Valid
from tablejam.tools.generate import business_event, golfer


def within(seconds: float) -> Stop:
    return Stop(Deadline(time.perf_counter() + seconds))


SETTINGS = SolverSettings(workers=1, seed=3)


def test_repair_of_two_rounds_removes_the_repeats() -> None:
    """9 people, 3 tables of 3, 4 rounds (every pair exactly once exists). Round 4 copied from round 3
    has 9 repeats; freeing rounds 3 and 4 lets CP-SAT re-seat both without any."""
    problem = Problem.from_instance(golfer(3, 3, 4))
    groups = [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 3, 6], [1, 4, 7], [2, 5, 8]]]
    groups += [[[0, 4, 8], [1, 5, 6], [2, 3, 7]]] * 2
    seating = Seating.from_groups(groups, 9)
    assert score(problem, seating).violations == 9
    sub, people, hint = neighbourhood_problem(problem, seating, Neighbourhood((2, 3), (0, 1, 2)), repair=True)
    assert (sub.rounds, sub.tables, len(people), sub.forbid_repeats) == (2, 3, 9, False)
    assert hint.all_groups() == groups[2:]  # everyone is freed, so local and global indices coincide
    result = large_neighbourhood_search(problem, seating, within(20) | Valid(), SETTINGS, random.Random(1))
    assert result.score.violations == 0
    assert check(problem.instance, Schedule(rounds=as_rounds(problem, result.seating))).valid


def test_tables_of_one_round_are_reoptimised_without_breaking_rules() -> None:
    instance = business_event(90, 15, 6, 3, seed=5, hosts=3, absent_share=0.05, colleague_groups=4)
    problem = Problem.from_instance(instance)
    from tablejam.solver.local_search import local_search

    # The first valid seating local search reaches: valid, but far from locally optimal.
    start = local_search(problem, greedy_schedule(problem), within(10) | Valid()).seating
    before = score(problem, start)
    assert before.violations == 0
    # Six steps of fixed CP-SAT work (one worker: the same steps every run), each re-seating a handful of tables
    # of one round exactly: each step keeps the rules and is taken only if it scores at least as well, and on a
    # seating this rough most steps find better tables.
    result = large_neighbourhood_search(problem, start, within(60) | MaxIterations(6), SETTINGS, random.Random(2),
                                        step_work=0.25)  # fmt: skip
    assert result.steps == 6
    assert result.score.violations == 0
    assert result.improved >= 3
    assert result.score.objective > before.objective
    assert check(instance, Schedule(rounds=as_rounds(problem, result.seating))).valid
