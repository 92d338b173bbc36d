"""The table-aware bound: never below a schedule the checker accepts, on instances whose optimum CP-SAT proves.

Every Lagrangian bound the column generation computes is a bound on its own (any multipliers give one), so the
tests check each of them, the bound after stops at every iteration, and the pricing kernel against enumeration.
"""

from __future__ import annotations

import functools
import itertools
import math
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from tablejam.check import check
from tablejam.files import load_instance
from tablejam.models import Instance, Schedule
from tablejam.models.presets import PRESETS, Setting
from tablejam.models.settings import SolverSettings
from tablejam.solver.bound import ColumnGeneration, lp_bound, price_and_branch, table_kinds
from tablejam.solver.bound.pricing import best_groups
from tablejam.solver.bounds import counting_bound
from tablejam.solver.cpsat import SeatingModel
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, as_rounds
from tablejam.solver.stop import Deadline, Interrupted, MaxIterations, Stop
from tablejam.tools.generate import golfer
from tests.conftest import BUSINESS_JAM


def _people(*spec: tuple[str | None, list[str], list[str], dict[str, Any]]) -> list[dict[str, Any]]:
    """Participants p1, p2, ... from (sector, offers, needs, other fields)."""
    people = []
    for k, (sector, offers, needs, extra) in enumerate(spec, start=1):
        person: dict[str, Any] = {"id": f"p{k}", "offers": offers, "needs": needs, **extra}
        if sector:
            person["sector"] = sector
        people.append(person)
    return people


def trio() -> Instance:
    """4 people, 1 round, 2 tables of 3 (no minimum): a-b and c-d complementary (value 3), the other pairs 1.

    Optimum 6: the pairs {a, b} + {c, d} (3 + 3), or a trio with one of them (3 + 1 + 1 = 5) and one alone.
    Counting bound 7: at most 3 pairs meet (a trio), the best three values 3 + 3 + 1.
    LP 20/3: the four trios at 1/3 each (everyone in three of them, so covered once), the second table empty at
    2/3: 4 * 5 / 3. Floored to an integer (every schedule's objective is one): 6, the optimum."""
    return Instance.model_validate(
        {
            "rounds": 1,
            "tables": {"count": 2, "capacity": 3},
            "participants": [
                {"id": "a", "offers": ["x", "y"]},
                {"id": "b", "needs": ["x", "y"]},
                {"id": "c", "offers": ["u", "v"]},
                {"id": "d", "needs": ["u", "v"]},
            ],
            "objective": {"new": 1, "complementary": 1},
        }
    )


def caps_and_absences() -> Instance:
    """9 people in 3 sectors (4 + 3 + 2, at most 2 of one sector a table), 3 rounds at 3 tables of 2-4, two
    colleagues kept apart, one absent in round 2 and one in round 3, complementary offers and needs.

    CP-SAT proves the optimum 82. The counting bound is 88 (by person); the LP's optimum is fractional (88.5 on
    the columns it priced), so the bound is 88 too: on this instance the pairs' values, not the tables, bind."""
    return Instance.model_validate(
        {
            "rounds": 3,
            "tables": {"count": 3, "capacity": 4, "min": 2},
            "participants": _people(
                ("a", ["x"], ["y"], {"company": "A"}),
                ("a", ["y"], ["z"], {"company": "A"}),
                ("a", ["z"], ["x"], {}),
                ("a", ["w"], ["x"], {}),
                ("b", ["x"], ["w"], {}),
                ("b", ["y"], ["w"], {}),
                ("b", ["w"], ["z"], {}),
                ("c", ["z"], ["y"], {"absent": [2]}),
                ("c", ["x", "y"], ["z"], {"absent": [3]}),
            ),
            "sectors": {"max_per_table": 2},
            "objective": {"new": 1, "complementary": 2, "cross_sector": 1},
        }
    )


def repeats_minimised() -> Instance:
    """6 people, 3 rounds at 2 tables of exactly 3: 18 meetings for 15 pairs, so at least 3 repeats; p1 and p2
    met before (every meeting of theirs a repeat); repeats cost 2.

    CP-SAT proves the optimum 10. Counting bound 13 (seats: the 15 - 1 pairs that can meet for the first time
    are worth 16; 3 forced repeats cost 6... the by-person count gives 13). The LP reaches 13 as well: spread
    fractionally over the rounds, groups repeat no pair, which is the LP's weakness on repeats."""
    return Instance.model_validate(
        {
            "rounds": 3,
            "tables": {"count": 2, "capacity": 3, "min": 3},
            "participants": _people(
                (None, ["x"], ["y"], {}),
                (None, ["y"], ["x"], {}),
                (None, ["z"], ["x"], {}),
                (None, ["x"], ["z"], {}),
                (None, [], ["y"], {}),
                (None, ["y"], [], {}),
            ),
            "rules": {"repeats": "minimise", "met_before": [["p1", "p2"]]},
            "objective": {"new": 1, "complementary": 1, "repeat": 2},
        }
    )


def fairness_and_host() -> Instance:
    """9 people, 2 rounds at 3 tables of 2-3, p1 hosts T1, p8 and p9 are colleagues; fairness weight 3.

    CP-SAT proves the optimum 52; the counting bound is 54. The LP is integral here: it proves 52 exactly."""
    return Instance.model_validate(
        {
            "rounds": 2,
            "tables": {"count": 3, "capacity": 3, "min": 2},
            "participants": _people(
                (None, ["x"], ["y"], {"host": "T1"}),
                (None, ["y"], ["x"], {}),
                (None, ["z"], ["x"], {}),
                (None, ["x"], ["z"], {}),
                (None, [], ["y"], {}),
                (None, ["y"], [], {}),
                (None, ["z"], ["y"], {}),
                (None, [], [], {"company": "A"}),
                (None, [], [], {"company": "A"}),
            ),
            "objective": {"new": 1, "complementary": 2, "fairness": 3},
        }
    )


def affine_golfers() -> Instance:
    """The social golfer 3-3-4: 9 golfers, 3 tables of 3, 4 rounds, no repeats. The affine plane of order 3
    seats all 36 pairs once, so the optimum is 36, and a bound of 36 proves it as soon as it is reached."""
    return golfer(3, 3, 4)


# (instance, proven optimum, counting bound, LP bound); see each instance's docstring for the reasoning.
CASES = [
    pytest.param(trio, 6, 7, 6, id="trio"),
    pytest.param(caps_and_absences, 82, 88, 88, id="caps-absences-colleagues"),
    pytest.param(repeats_minimised, 10, 13, 13, id="repeats-minimised"),
    pytest.param(fairness_and_host, 52, 54, 52, id="fairness-host"),
    pytest.param(affine_golfers, 36, 36, 36, id="golfer-3-3-4"),
]


@functools.cache
def _solved(make: Callable[[], Instance]) -> tuple[float, Seating]:
    """CP-SAT's proven optimum (instance units) and a schedule reaching it, once per instance."""
    problem = Problem.from_instance(make())
    outcome = SeatingModel(problem).solve(
        SolverSettings(time_limit=20, workers=2), Stop(Deadline(time.perf_counter() + 20))
    )
    assert outcome.status == "optimal" and outcome.objective is not None and outcome.seating is not None
    return outcome.objective, outcome.seating


def _objective(instance: Instance, problem: Problem, seating: Seating) -> float:
    report = check(instance, Schedule(rounds=as_rounds(problem, seating)))
    assert report.valid, [v.message for v in report.violations]
    assert report.stats is not None
    return report.stats.objective


def _soon(seconds: float = 10) -> Stop:
    return Stop(Deadline(time.perf_counter() + seconds))


@pytest.mark.parametrize(("make", "optimum", "counting", "bound"), CASES)
def test_bound_lies_between_the_optimum_and_the_counting_bound(
    make: Any, optimum: int, counting: int, bound: int
) -> None:
    problem = Problem.from_instance(make())
    proven, _ = _solved(make)
    assert math.isclose(proven, optimum)
    assert counting_bound(problem) == counting
    result = lp_bound(problem, _soon())
    assert result.converged  # small enough to solve the LP to the end
    assert result.bound == bound
    assert optimum <= result.bound <= counting


@pytest.mark.parametrize(("make", "optimum", "counting", "bound"), CASES)
def test_every_lagrangian_bound_is_a_bound(make: Any, optimum: int, counting: int, bound: int) -> None:
    # Multipliers of any quality give a bound: the first ones (a master of artificial slacks only) as much as
    # the last. Each one computed on the way must be at least the optimum, from the optimum's own columns too.
    problem = Problem.from_instance(make())
    _, best = _solved(make)
    for start in (None, best):
        generation = ColumnGeneration(problem)
        if start is not None:
            assert generation.add_schedule(start)
        generation.run(_soon())
        assert generation.trace, "no bound computed"
        scaled = optimum * problem.scale
        assert all(value >= scaled - 1e-6 for value in generation.trace), generation.trace


@pytest.mark.parametrize("make", [caps_and_absences, repeats_minimised, fairness_and_host])
@pytest.mark.parametrize("iterations", [0, 1, 2, 3])
def test_a_bound_stopped_at_any_iteration_is_still_a_bound(make: Any, iterations: int) -> None:
    problem = Problem.from_instance(make())
    optimum, _ = _solved(make)
    result = lp_bound(problem, Stop(MaxIterations(iterations)))
    assert result.iterations <= iterations
    assert optimum <= result.bound <= counting_bound(problem)


def test_a_deadline_already_passed_returns_the_counting_bound() -> None:
    problem = Problem.from_instance(caps_and_absences())
    result = lp_bound(problem, Stop(Deadline(time.perf_counter() - 1)))
    assert (result.bound, result.source, result.iterations) == (88, "counting", 0)


def test_the_lp_knows_tables_where_counting_does_not() -> None:
    # trio: the counting bound (7) lets a trio have both complementary pairs; no table holds four people's
    # two pairs at once, and the LP's fractional trios are worth 20/3 at most.
    result = lp_bound(Problem.from_instance(trio()), _soon())
    assert (result.bound, result.source) == (6, "lp")
    assert result.lp_value is not None and math.isclose(result.lp_value, 20 / 3)


@pytest.mark.parametrize(("make", "optimum", "counting", "bound"), CASES)
def test_price_and_branch_builds_a_schedule_the_checker_accepts(
    make: Any, optimum: int, counting: int, bound: int
) -> None:
    # From the columns alone, and from them with a hint: the checker accepts the schedule, it is never better
    # than the optimum, and with the optimum's schedule as hint it is the optimum.
    instance = make()
    problem = Problem.from_instance(instance)
    _, best = _solved(make)
    result = lp_bound(problem, _soon())
    seating = price_and_branch(problem, result.columns, _soon(2))
    assert seating is not None
    assert _objective(instance, problem, seating) <= optimum
    # With the proven bound CP-SAT stops as soon as the hint reaches it.
    hinted = price_and_branch(problem, result.columns, _soon(), hint=best, bound=result.bound)
    assert hinted is not None
    assert _objective(instance, problem, hinted) == optimum


def test_price_and_branch_without_a_column_for_someone_finds_nothing() -> None:
    problem = Problem.from_instance(trio())
    assert price_and_branch(problem, [], _soon()) is None


def test_a_host_table_is_a_kind_of_its_own_with_its_host_forced() -> None:
    problem = Problem.from_instance(fairness_and_host())
    first_round = [kind for kind in table_kinds(problem) if kind.round == 0]
    assert [(kind.tables, kind.forced) for kind in first_round] == [((0,), 1), ((1, 2), 0)]
    assert first_round[0].candidates[0] == 0  # the host first: forced people lead the candidates
    assert 0 not in first_round[1].candidates  # and may not sit at the other tables


def _brute_force(
    w: np.ndarray, pi: np.ndarray, sector: np.ndarray, cap: np.ndarray, lo: int, hi: int, forced: int
) -> float:
    best = -math.inf
    others = range(forced, len(pi))
    for size in range(max(lo, forced), hi + 1):
        for extra in itertools.combinations(others, size - forced):
            group = list(range(forced)) + list(extra)
            counts = np.bincount(sector[group][sector[group] >= 0], minlength=len(cap))
            if (counts > cap).any():
                continue
            value = sum(w[a, b] for a, b in itertools.combinations(group, 2)) - pi[group].sum()
            best = max(best, value)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_pricing_finds_the_best_group_and_bounds_it_on_any_budget(seed: int) -> None:
    # Random weights (some pairs kept apart: -inf), sectors with caps, hosts forced in: the branch and bound's
    # best group is the enumeration's, and its upper bound holds whatever its node budget.
    rng = np.random.default_rng(seed)
    m = 9
    w = rng.integers(-3, 10, size=(m, m)).astype(float)
    w = np.triu(w, 1) + np.triu(w, 1).T
    for a, b in rng.integers(0, m, size=(3, 2)):
        if a != b:
            w[a, b] = w[b, a] = -np.inf
    pi = rng.uniform(0, 12, size=m)
    sector = rng.integers(-1, 3, size=m)
    cap = np.asarray([1, 2, 2])
    forced = int(seed % 2)
    lo, hi = 2 + seed % 2, 4
    exact = _brute_force(w, pi, sector, cap, lo, hi, forced)
    best, upper, groups, values, _ = best_groups(w, pi, sector, cap, lo, hi, forced, -math.inf, 10**6, 5)
    assert math.isclose(best, exact) and math.isclose(upper, exact)
    assert len(groups) and math.isclose(values[0], exact)
    for budget in (1, 3, 10, 30):
        _, upper, _, _, _ = best_groups(w, pi, sector, cap, lo, hi, forced, -math.inf, budget, 5)
        assert upper >= exact - 1e-9


def everything_small() -> Instance:
    """8 people in 3 sectors (at most 2 of one a table), 2 rounds at 3 tables of 2-3, a host at T1, two colleagues,
    one absent in round 2: every rule the bound's columns know, small enough for CP-SAT to prove each variant's
    optimum in about a second."""
    return Instance.model_validate(
        {
            "rounds": 2,
            "tables": {"count": 3, "capacity": 3, "min": 2},
            "participants": _people(
                ("a", ["x"], ["y"], {"host": "T1"}),
                ("a", ["y"], ["z"], {"company": "A"}),
                ("a", ["z"], ["x"], {}),
                ("b", ["w"], ["x"], {"company": "A"}),
                ("b", ["x"], ["w"], {"absent": [2]}),
                ("b", ["y"], ["w"], {}),
                ("c", ["w"], ["z"], {}),
                ("c", ["z", "y"], [], {}),
            ),
            "sectors": {"max_per_table": 2},
            "objective": {"new": 1, "complementary": 2, "cross_sector": 1},
        }
    )


# Every objective preset (fair: the fairness term) in both repeat modes, on caps, absences, colleagues and a host.
VARIANTS = [
    pytest.param(everything_small, preset, repeats, id=f"{preset}-{repeats}")
    for preset in PRESETS
    for repeats in ("forbid", "minimise")
]


def _variant(make: Callable[[], Instance], preset: str, repeats: str) -> Instance:
    return Setting.model_validate({"rules": {"repeats": repeats}}).apply(PRESETS[preset].apply(make()))


@pytest.mark.parametrize(("make", "preset", "repeats"), VARIANTS)
def test_the_bound_holds_under_every_preset_and_repeat_mode(make: Any, preset: str, repeats: str) -> None:
    # Whatever the weights and the repeat policy, no Lagrangian bound on the way falls below CP-SAT's proven
    # optimum, the result lies between it and the counting bound, and the schedule at the optimum is accepted.
    instance = _variant(make, preset, repeats)
    problem = Problem.from_instance(instance)
    outcome = SeatingModel(problem).solve(
        SolverSettings(time_limit=10, workers=2), Stop(Deadline(time.perf_counter() + 10))
    )
    assert outcome.status == "optimal" and outcome.objective is not None and outcome.seating is not None
    optimum = _objective(instance, problem, outcome.seating)
    generation = ColumnGeneration(problem)
    generation.run(_soon(5))
    assert generation.trace, "no bound computed"
    assert min(generation.trace) >= optimum * problem.scale - 1e-6, (optimum, min(generation.trace))
    bound = generation.result().bound
    assert optimum <= bound <= counting_bound(problem)


def test_a_stop_ends_the_bound_at_once_even_inside_glop() -> None:
    # The Business Jam's master takes GLOP seconds per solve late in the run; an interruption 1.5 s in must end
    # the bound within a second (GLOP is interrupted, the pricing kernel releases the GIL), with a valid bound.
    instance = load_instance(BUSINESS_JAM)
    problem = Problem.from_instance(instance)
    interrupt = threading.Event()
    threading.Timer(1.5, interrupt.set).start()
    started = time.perf_counter()
    result = lp_bound(problem, Stop(Deadline(started + 60), Interrupted(interrupt)))
    assert time.perf_counter() - started < 2.5
    assert result.bound <= counting_bound(problem)
