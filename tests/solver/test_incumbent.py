"""The incumbent: the one best-so-far of a solve, with the checker as referee, and the document made of it.

Every phase of the engine offers its seatings here, so this is where a wrong answer must be
stopped: an invalid seating must never become the best, a seating from the exact CP-SAT model
that the checker rejects (or whose objective the checker does not confirm) is a bug and raises,
and the status and gap users read are computed here. The seatings are written by hand; their
objectives are counted in the comments.
"""

from __future__ import annotations

import math

import pytest

from tablejam.errors import InternalError
from tablejam.models import Instance, Schedule, SolverInfo
from tablejam.models.schedule import Status
from tablejam.solver.incumbent import Incumbent, judged_schedule
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, as_rounds
from tests.conftest import make_instance, two_pairs_or_a_trio

STARTED = 100.0  # an arbitrary clock reading: first_valid_s is measured from it
SOLVER = SolverInfo(time_s=0.0, seed=0, workers=1)


def pairs_problem() -> Problem:
    """a, b, c, d (indices 0-3), 1 round, 2 tables of 3; new = complementary = 1 and a-b, c-d complementary
    (c = 2), so a-b and c-d are worth 3 each and the four other pairs 1 each."""
    return Problem.from_instance(two_pairs_or_a_trio(new=1, complementary=1))


def seating(*tables: list[int]) -> Seating:
    """One round of pairs_problem(), table by table; whoever is in no table is left unseated."""
    return Seating.from_groups([list(tables)], people=4)


BEST = seating([0, 1], [2, 3])  # a-b and c-d: 3 + 3 = 6, the optimum
TRIO = seating([0, 1, 2], [3])  # a-b, a-c, b-c: 3 + 1 + 1 = 5
CROSSED = seating([0, 2], [1, 3])  # a-c and b-d: 1 + 1 = 2
CROWDED = seating([0, 1, 2, 3], [])  # all 4 at T1 (capacity 3): 1 violation, capacity
HALF_SEATED = seating([2], [3])  # a and b not seated: 2 violations, not-seated twice


def incumbent(progress: list[tuple[float, float, float]] | None = None) -> Incumbent:
    told = None if progress is None else (lambda *heard: progress.append(heard))
    return Incumbent(pairs_problem(), STARTED, told)


def test_a_valid_seating_becomes_the_best_with_the_checkers_objective() -> None:
    best = incumbent()
    assert best.best is None and best.seating() is None
    assert best.offer(TRIO, "greedy")
    assert best.best is not None
    assert (best.best.objective, best.best.status, best.best.engine) == (5.0, "feasible", "greedy")
    assert best.seating() == TRIO


def test_only_better_seatings_replace_the_best() -> None:
    best = incumbent()
    assert best.offer(CROSSED, "greedy")  # 2
    assert best.offer(TRIO, "local-search")  # 5 > 2
    assert not best.offer(CROSSED, "cp-sat")  # 2 < 5
    assert not best.offer(seating([0, 1, 3], [2]), "cp-sat")  # a-b, a-d, b-d: also 5, not better
    assert best.best is not None and best.best.engine == "local-search"
    assert best.offer(BEST, "cp-sat")  # 6 > 5
    assert best.best is not None and (best.best.objective, best.best.engine) == (6.0, "cp-sat")


def test_an_equal_objective_replaces_the_best_only_when_proven_optimal() -> None:
    best = incumbent()
    best.offer(BEST, "local-search")
    assert not best.offer(seating([2, 3], [0, 1]), "cp-sat", status="feasible")  # the same 6, tables swapped
    assert best.offer(seating([2, 3], [0, 1]), "cp-sat", status="optimal")
    assert best.best is not None and (best.best.status, best.best.engine) == ("optimal", "cp-sat")


def test_invalid_seatings_never_become_the_best() -> None:
    best = incumbent()
    # CROWDED would be worth 10 (all six pairs) if it were valid.
    assert not best.offer(CROWDED, "local-search")
    assert best.best is None
    best.offer(CROSSED, "greedy")
    assert not best.offer(CROWDED, "local-search")
    assert best.best is not None and best.best.objective == 2.0


def test_least_violations_counts_the_fewest_of_any_invalid_seating() -> None:
    best = incumbent()
    assert best.least_violations is None
    best.offer(HALF_SEATED, "greedy")
    assert best.least_violations == 2
    best.offer(CROWDED, "local-search")
    assert best.least_violations == 1
    best.offer(HALF_SEATED, "local-search")  # more violations do not undo the fewest
    assert best.least_violations == 1
    best.offer(BEST, "cp-sat")  # a valid seating is not counted among the invalid ones
    assert best.least_violations == 1


def test_first_valid_time_is_that_of_the_first_valid_seating() -> None:
    best = incumbent()
    best.offer(CROWDED, "greedy", found_at=STARTED + 1.0)  # invalid: not a first valid schedule
    assert best.first_valid_s is None
    best.offer(CROSSED, "local-search", found_at=STARTED + 2.5)
    assert best.first_valid_s == 2.5
    best.offer(BEST, "cp-sat", found_at=STARTED + 4.0)  # better, but not the first valid
    assert best.first_valid_s == 2.5


@pytest.mark.parametrize(
    ("invalid", "rules"),
    [(CROWDED, r"\[capacity\] round 1: table 'T1' seats 4, capacity 3"), (HALF_SEATED, r"\[not-seated\]")],
    ids=["capacity", "not-seated"],
)
def test_an_exact_model_seating_the_checker_rejects_raises_naming_the_rules(invalid: Seating, rules: str) -> None:
    best = incumbent()
    best.offer(TRIO, "greedy")
    with pytest.raises(InternalError, match=rules):
        best.offer(invalid, "cp-sat", exact=True)
    # Nothing was learnt from the bad seating.
    assert best.best is not None and best.best.seating == TRIO
    assert best.least_violations is None


def test_an_exact_model_seating_the_checker_accepts_is_offered_as_usual() -> None:
    best = incumbent()
    assert best.offer(BEST, "cp-sat", status="optimal", exact=True, claimed=6.0)
    assert best.best is not None and best.best.status == "optimal"


def test_a_claimed_objective_the_checker_does_not_confirm_raises() -> None:
    best = incumbent()
    with pytest.raises(InternalError, match=r"CP-SAT objective 5\.5 differs from the checker's 6\.0"):
        best.offer(BEST, "cp-sat", exact=True, claimed=5.5)
    assert best.best is None
    # A difference within rounding (1e-6) is the same objective.
    assert best.offer(BEST, "cp-sat", exact=True, claimed=6.0 + 1e-7)
    with pytest.raises(InternalError, match="differs"):
        best.offer(BEST, "cp-sat", exact=True, claimed=6.0 + 1e-5)


def test_a_bound_below_a_valid_schedules_objective_raises() -> None:
    best = incumbent()
    best.tighten(5.5, "counting")
    assert best.offer(TRIO, "greedy")  # 5 <= 5.5: consistent
    with pytest.raises(InternalError, match=r"bound 5\.5 is below the objective 6\.0"):
        best.offer(BEST, "cp-sat")


def test_tighten_keeps_the_lowest_bound() -> None:
    best = incumbent()
    assert best.bound == math.inf
    best.tighten(9.0, "counting")
    best.tighten(7.0, "counting")
    best.tighten(8.0, "counting")
    assert best.bound == 7.0


def test_the_tightest_bound_names_its_source() -> None:
    best = incumbent()
    assert best.bound_source is None  # no bound yet
    best.tighten(9.0, "counting")
    best.tighten(7.0, "lp")
    best.tighten(8.0, "cp-sat")  # looser: neither the bound nor its source changes
    assert (best.bound, best.bound_source) == (7.0, "lp")
    best.heard(2.0, 6.0, "cp-sat")
    assert (best.bound, best.bound_source) == (6.0, "cp-sat")
    best.tighten(6.0, "lp")  # as tight, not tighter: the first proof keeps the credit
    assert best.bound_source == "cp-sat"


def test_a_bound_tightened_below_the_best_schedule_raises() -> None:
    best = incumbent()
    best.offer(BEST, "local-search")  # objective 6
    with pytest.raises(InternalError, match=r"lp bound 5\.9 is below the objective 6\.0"):
        best.tighten(5.9, "lp")
    assert best.bound == math.inf  # the false bound was not kept


def test_reached_bound_needs_a_best_at_the_bound() -> None:
    best = incumbent()
    best.tighten(6.0, "counting")
    assert not best.reached_bound()  # no schedule yet
    best.offer(TRIO, "greedy")
    assert not best.reached_bound()  # 5 < 6
    best.offer(BEST, "local-search")
    assert best.reached_bound()  # 6 = 6


def test_progress_hears_each_better_objective_once_with_the_bound() -> None:
    heard: list[tuple[float, float, float]] = []
    best = incumbent(heard)
    best.tighten(8.0, "counting")
    best.offer(CROSSED, "greedy")
    best.offer(TRIO, "local-search")
    best.offer(TRIO, "cp-sat", status="optimal")  # replaces the best, but the objective is not better
    best.heard(5.0, 7.0, "cp-sat")  # CP-SAT tells of the same objective with a tighter bound: nothing new to tell
    best.offer(BEST, "cp-sat")
    assert [(objective, bound) for _, objective, bound in heard] == [(2.0, 8.0), (5.0, 8.0), (6.0, 7.0)]
    assert best.bound == 7.0


def test_schedule_is_the_best_judged() -> None:
    best = incumbent()
    best.tighten(6.0, "counting")
    best.offer(BEST, "cp-sat")
    schedule = best.schedule(SOLVER)
    # Found as feasible, but it reaches the bound: proven optimal.
    assert (schedule.status, schedule.objective, schedule.bound, schedule.gap) == ("optimal", 6.0, 6.0, 0.0)
    assert schedule.rounds == as_rounds(best.problem, BEST)


# judged_schedule


def judged(instance: Instance, groups: list[list[list[int]]], bound: float, status: Status = "feasible") -> Schedule:
    problem = Problem.from_instance(instance)
    rounds = as_rounds(problem, Seating.from_groups(groups, problem.people))
    return judged_schedule(instance, rounds, status, bound, SOLVER)


def test_judged_schedule_is_optimal_when_the_objective_reaches_the_bound() -> None:
    schedule = judged(pairs_problem().instance, [[[0, 1], [2, 3]]], bound=6.0)
    assert (schedule.status, schedule.objective, schedule.bound, schedule.gap) == ("optimal", 6.0, 6.0, 0.0)
    assert schedule.stats is not None and schedule.stats.new_encounters == 2
    assert schedule.stats.complementary_matches == 4


def test_judged_schedule_below_the_bound_stays_feasible_with_its_gap() -> None:
    schedule = judged(pairs_problem().instance, [[[0, 1, 2], [3]]], bound=6.0)
    # (bound - objective) / max(1, |bound|) = (6 - 5) / 6
    assert (schedule.status, schedule.objective, schedule.gap) == ("feasible", 5.0, 1 / 6)


def test_judged_schedule_keeps_a_status_it_was_given() -> None:
    schedule = judged(pairs_problem().instance, [[[0, 1, 2], [3]]], bound=6.0, status="optimal")
    assert schedule.status == "optimal"


def forced_repeat() -> Instance:
    """2 people who met before, 1 round, 1 table, repeats minimised at 3 each: they must meet again,
    so the only schedule is worth -3 (no new pair, one repeat)."""
    return make_instance(2, rules={"repeats": "minimise", "met_before": [["p1", "p2"]]}, objective={"repeat": 3})


@pytest.mark.parametrize(
    ("bound", "gap"),
    [
        (0.0, 3.0),  # (0 - -3) / max(1, 0): a bound near zero divides by 1, not by the bound
        (-2.5, 0.2),  # (-2.5 - -3) / max(1, 2.5): the magnitude of a negative bound
        (-3.0, 0.0),
    ],
)
def test_judged_schedule_gap_with_a_negative_objective(bound: float, gap: float) -> None:
    schedule = judged(forced_repeat(), [[[0, 1]]], bound=bound)
    assert schedule.objective == -3.0
    assert schedule.gap == gap
    assert schedule.status == ("optimal" if bound == -3.0 else "feasible")


def test_judged_schedule_rejects_an_invalid_schedule() -> None:
    with pytest.raises(InternalError, match=r"\[capacity\]"):
        judged(pairs_problem().instance, [[[0, 1, 2, 3], []]], bound=10.0)


def test_judged_schedule_rejects_a_bound_below_the_objective() -> None:
    with pytest.raises(InternalError, match=r"bound 5\.0 is below the objective 6\.0"):
        judged(pairs_problem().instance, [[[0, 1], [2, 3]]], bound=5.0)
