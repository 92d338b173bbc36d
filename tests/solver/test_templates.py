"""Designs laid over events: zero repeats from the first rounds, hosts and sector caps kept, and the labelling
traded for the rest of the objective. These guard the engine where plain search fails (near the limit)."""

from __future__ import annotations

import numpy as np
import pytest

from tablejam.check import check
from tablejam.models import Instance, Schedule
from tablejam.solver.local_search import relabel
from tablejam.solver.problem import Problem
from tablejam.solver.seating import as_rounds
from tablejam.solver.stop import MaxIterations, Stop
from tablejam.solver.templates import HOLE, design_template
from tablejam.tools.generate import golfer
from tests.conftest import solve_checked


def judged(instance: Instance, problem: Problem, seating) -> tuple[bool, list[str], int]:
    """The checker's verdict on a seating: valid, the rules broken, and the repeats."""
    report = check(instance, Schedule(rounds=as_rounds(problem, seating)))
    repeats = sum(1 for v in report.violations if v.rule == "repeat")
    return report.valid, sorted({v.rule for v in report.violations}), repeats


def test_a_design_at_the_limit_is_a_whole_valid_schedule_with_its_hosts() -> None:
    # 8-4-9 has slack 4 per person; plain search leaves conflicts, the transversal design over GF(8) none.
    # The two hosts take points that never meet, so their groups go to their own tables in every round.
    instance = golfer(8, 4, 9, hosts=2)
    problem = Problem.from_instance(instance)
    template = design_template(problem, seed=0)
    assert template is not None and len(template.design.rounds) == 9
    assert sorted(int(p) for p in template.label if p != HOLE) == list(range(32))
    valid, broken, repeats = judged(instance, problem, template.seating(problem))
    assert (valid, broken, repeats) == (True, [], 0)


def test_sectors_fill_rows_that_never_meet_so_caps_hold_from_the_start() -> None:
    # Four sectors of eight, at most one of a sector per table: with 8 rounds each person meets 24 others, exactly
    # those outside their sector, as the four rows of the transversal design TD(4, 8) do (a ninth round would
    # cut the rows into tables). Labelled at random, a table of 4 of 32 people holds two of one sector with
    # probability 1 - (24*16*8)/(31*30*29) > 0.88 in each of 64 groups: the cap would break.
    data = golfer(8, 4, 8).model_dump(exclude_none=True)
    for k, person in enumerate(data["participants"]):
        person["sector"] = f"s{k // 8}"
    data["sectors"] = {"max_per_table": 1}
    instance = Instance.model_validate(data)
    problem = Problem.from_instance(instance)
    template = design_template(problem, seed=3)
    assert template is not None
    assert judged(instance, problem, template.seating(problem)) == (True, [], 0)


def test_relabelling_serves_the_objective_and_keeps_zero_repeats() -> None:
    # The business-like golfer: complementary offers and needs on top of 8-4-9. Trading points can only raise
    # the score of the seating it starts from (it keeps its best) and never creates a repeat (every labelling
    # of a design is a design); hosts' points never trade.
    from tablejam.tools.generate import business_event

    instance = business_event(32, 8, 4, 9, hosts=2, seed=4)
    problem = Problem.from_instance(instance)
    template = design_template(problem, seed=0)
    assert template is not None
    start = template.seating(problem)
    valid, _, repeats = judged(instance, problem, start)
    assert repeats == 0
    result = relabel(problem, start, template.point_tables(), template.label, Stop(MaxIterations(2_000)), seed=1)
    after_valid, _, after_repeats = judged(instance, problem, result.seating)
    assert after_repeats == 0 and result.repeats == 0
    assert after_valid or not valid  # never worse by the checker's verdict
    before = check(instance, Schedule(rounds=as_rounds(problem, start)))
    after = check(instance, Schedule(rounds=as_rounds(problem, result.seating)))
    if before.valid and after.valid:
        assert after.stats is not None and before.stats is not None
        assert after.stats.objective >= before.stats.objective
    hosts = [p for p in range(problem.people) if problem.fixed_table(p) is not None]
    assert hosts and np.array_equal(result.seating.table_of[:, hosts], start.table_of[:, hosts])


@pytest.mark.parametrize(
    "groups,size,weeks,repeats,forced",
    [(8, 4, 9, "forbid", 0), (8, 4, 9, "minimise", 0), (7, 3, 10, "minimise", 0), (6, 4, 7, "forbid", 0),
     (6, 3, 9, "minimise", 9)],
)  # fmt: skip
def test_the_engine_plans_the_limit_rungs_with_only_forced_repeats(
    groups: int, size: int, weeks: int, repeats: str, forced: int
) -> None:
    # Slack per person (g*p - 1) - w*(p - 1): 4, 0 and 2; the designs (transversal, Kirkman, 4-RGDD of type 3^8)
    # reach zero repeats, which the counting bound proves optimal at once, so the solve ends long before its limit.
    # 6-3-9 is past the bound: 162 meetings of 153 pairs force 9 repeats, which a cyclic covering holds exactly
    # (the greedy round after NKTS(18) leaves 12).
    schedule = solve_checked(golfer(groups, size, weeks, repeats=repeats), time_limit=20)
    assert schedule.status == "optimal"
    assert schedule.stats is not None and schedule.stats.repeat_meetings == forced
    assert schedule.solver is not None and schedule.solver.time_s < 15


def test_nobody_comes_back_to_a_table_where_the_design_leaves_room() -> None:
    # 8 tables of 7, 7 rounds, no repeat and no table twice: each person takes 7 of the 8 tables. Round by round
    # every group fits every table, and labelling each round alike put everyone whose group kept its number back
    # at a table (48 broken rules, no valid plan in 10 s); labelled over all rounds together, the design is a
    # whole valid plan at once.
    data = golfer(8, 7, 7).model_dump(exclude_none=True)
    data["rules"]["revisit_tables"] = "forbid"
    instance = Instance.model_validate(data)
    problem = Problem.from_instance(instance)
    template = design_template(problem, seed=0)
    assert template is not None and len(template.design.rounds) == 7
    assert (judged(instance, problem, template.seating(problem))) == (True, [], 0)
    schedule = solve_checked(instance, time_limit=5)
    assert (schedule.status, schedule.stats.repeat_meetings) == ("optimal", 0)
