"""The CP-SAT model alone: each rule's constraint method, the objective's terms, symmetry breaking and hints.

`solve()` runs the greedy start, local search and neighbourhoods before and around CP-SAT, so a
constraint that CP-SAT forgets can hide behind a local search that happens to keep the rule (or a
wrong objective behind an incumbent that was found elsewhere). Here `SeatingModel` is built and
solved directly on tiny hand-made instances whose optimum is worked out in comments, and the
independent checker judges every seating it returns. For every rule in `CONSTRAINTS` there is an
instance where the rule shapes the optimum, one where it makes the model infeasible, and a proof
that the rule's constraint method is what enforces it (switch the method off and the checker
rejects what CP-SAT returns).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tablejam.check import check
from tablejam.models import Instance, Schedule, SolverSettings, Stats
from tablejam.models.rules import Rule
from tablejam.solver import cpsat
from tablejam.solver.cpsat import CONSTRAINTS, Outcome, SeatingModel, canonical_tables, interchangeable_tables
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, as_rounds
from tablejam.solver.stop import Deadline, Stop
from tests.conftest import make_instance, two_pairs_or_a_trio

HINT_ACCEPTED = "The solution hint is complete and is feasible."


def solved(model: SeatingModel, log: Callable[[str], None] | None = None) -> Outcome:
    """One worker and a fixed seed: the same answer every run."""
    return model.solve(SolverSettings(workers=1, seed=7), Stop(Deadline(time.perf_counter() + 10)), log=log)


def stats_of(problem: Problem, seating: Seating) -> Stats:
    """The checker's statistics of a seating it accepts."""
    report = check(problem.instance, Schedule(rounds=as_rounds(problem, seating)))
    assert report.valid, [v.message for v in report.violations]
    assert report.stats is not None
    return report.stats


def optimum(instance: Instance, symmetry: bool = True) -> tuple[Problem, Seating, float]:
    """Solve the model alone to optimality; the checker must accept the seating and agree on its objective."""
    problem = Problem.from_instance(instance)
    outcome = solved(SeatingModel(problem, symmetry=symmetry))
    assert outcome.status == "optimal"
    assert outcome.seating is not None and outcome.objective is not None
    assert outcome.bound == outcome.objective
    assert stats_of(problem, outcome.seating).objective == outcome.objective
    return problem, outcome.seating, outcome.objective


def sizes(seating: Seating, r: int = 0) -> list[int]:
    return sorted(len(seated) for seated in seating.groups(r))


def together(seating: Seating, a: int, b: int) -> bool:
    """a and b share a table in some round (both attending it)."""
    return any(0 <= seating.table_of[r, a] == seating.table_of[r, b] for r in range(seating.rounds))


# Each rule shapes the optimum. Unless said otherwise, new = 1 per pair and nobody complements anybody,
# so the objective counts the pairs meeting for the first time.


def test_capacity_splits_the_group() -> None:
    # 4 people at 2 tables of 2: two pairs (all 4 at one table would give 6).
    _, seating, objective = optimum(make_instance(4, tables={"count": 2, "capacity": 2}))
    assert objective == 2
    assert sizes(seating) == [2, 2]


def test_minimum_leaves_no_table_empty() -> None:
    # 4 people at 2 tables of 4, at least 1 each: 3 + 1 gives 3 pairs (4 + 0 would give 6).
    _, seating, objective = optimum(make_instance(4, tables={"count": 2, "capacity": 4, "min": 1}))
    assert objective == 3
    assert sizes(seating) == [1, 3]


def test_hosts_stay_at_their_tables() -> None:
    # p1 hosts T1, p2 hosts T2, 2 tables of 4: the hosts never meet, the best is 3 + 1 (3 pairs).
    people = [{"id": "p1", "host": "T1"}, {"id": "p2", "host": "T2"}, {"id": "p3"}, {"id": "p4"}]
    _, seating, objective = optimum(make_instance(people, tables={"count": 2, "capacity": 4}))
    assert objective == 3
    assert seating.table_of[0, :2].tolist() == [0, 1]


def test_sector_cap_spreads_a_sector() -> None:
    # 4 of sector A, at most 2 per table, 2 tables of 4: 2 + 2 gives 2 pairs (4 together would give 6).
    people = [{"id": f"a{k}", "sector": "A"} for k in range(4)]
    _, seating, objective = optimum(
        make_instance(people, tables={"count": 2, "capacity": 4}, sectors={"max_per_table": 2})
    )
    assert objective == 2
    assert sizes(seating) == [2, 2]


def test_colleagues_sit_apart() -> None:
    # p1 and p2 work at X; 2 tables of 4: the best is 3 + 1 with the colleagues apart (3 pairs).
    people = [{"id": "p1", "company": "X"}, {"id": "p2", "company": "X"}, {"id": "p3"}, {"id": "p4"}]
    _, seating, objective = optimum(make_instance(people, tables={"count": 2, "capacity": 4}))
    assert objective == 3
    assert not together(seating, 0, 1)


def test_colleagues_may_meet_when_allowed() -> None:
    # The same event with rules.colleagues = "allow": everyone at one table, 6 pairs.
    people = [{"id": "p1", "company": "X"}, {"id": "p2", "company": "X"}, {"id": "p3"}, {"id": "p4"}]
    instance = make_instance(people, tables={"count": 2, "capacity": 4}, rules={"colleagues": "allow"})
    assert optimum(instance)[2] == 6


def test_keep_apart_pairs_sit_apart() -> None:
    # As for colleagues: p1 and p2 apart, 3 + 1 (3 pairs).
    instance = make_instance(4, tables={"count": 2, "capacity": 4}, rules={"keep_apart": [["p1", "p2"]]})
    _, seating, objective = optimum(instance)
    assert objective == 3
    assert not together(seating, 0, 1)


def test_forbidden_repeats_keep_the_second_round_new() -> None:
    # 4 people, 2 rounds, 2 tables of 4. Meeting all in round 1 (6) would leave round 2 without a
    # repeat-free seating (4 people at 2 tables: someone sits with someone). The best is two pairs per round,
    # all different: 4 (with repeats allowed and free it would be 6).
    problem, seating, objective = optimum(make_instance(4, rounds=2, tables={"count": 2, "capacity": 4}))
    assert objective == 4
    assert stats_of(problem, seating).repeat_meetings == 0


def test_met_before_pairs_never_meet_when_repeats_are_forbidden() -> None:
    # p1 and p2 met before: as if kept apart, 3 + 1 (3 new pairs).
    instance = make_instance(4, tables={"count": 2, "capacity": 4}, rules={"met_before": [["p1", "p2"]]})
    _, seating, objective = optimum(instance)
    assert objective == 3
    assert not together(seating, 0, 1)


# Each rule makes a model infeasible. The same instances show below that each constraint method is the one
# enforcing its rule: without it, CP-SAT finds a seating that breaks exactly that rule.


@dataclass(frozen=True)
class Infeasible:
    instance: Instance
    broken: set[str]  # what the checker reports once the rule's constraint method is switched off


# Each conflict arises only in round 2 (someone misses round 1), so a constraint written for the first
# round only would not be enough.
INFEASIBLE: dict[Rule, Infeasible] = {
    # 5 people (p5 misses round 1), tables of 1 and 3 seats: round 2 has 5 people for 4 seats. Without the
    # size constraints the (redundant) limit of 2 meetings per person still caps each table at 3, so T1
    # gets at least 2: over its capacity.
    Rule.CAPACITY: Infeasible(
        make_instance(
            [{"id": f"p{k}"} for k in range(1, 5)] + [{"id": "p5", "absent": [1]}],
            rounds=2, tables=[{"id": "T1", "capacity": 1}, {"id": "T2", "capacity": 3}],
        ),
        {"capacity"},
    ),
    # 3 people (p3 misses round 2); T1 needs 3, T2 nobody: round 2 has 2.
    Rule.MINIMUM: Infeasible(
        make_instance(
            [{"id": "p1"}, {"id": "p2"}, {"id": "p3", "absent": [2]}],
            rounds=2, tables=[{"id": "T1", "capacity": 5, "min": 3}, {"id": "T2", "capacity": 5}],
        ),
        {"minimum"},
    ),
    # 3 hosts of T1 (h3 misses round 1), which seats 2; T2 is free but hosts may not go there (h1 and h2
    # meet twice: repeats are minimised, not forbidden, to leave hosts as the only conflict). A host can
    # only ever be seated at their own table (the seat variables say so), so without one_seat_per_round the
    # checker sees a host left unseated, not one seated away.
    Rule.HOST_AWAY: Infeasible(
        make_instance(
            [{"id": "h1", "host": "T1"}, {"id": "h2", "host": "T1"}, {"id": "h3", "host": "T1", "absent": [1]}],
            rounds=2, tables={"count": 2, "capacity": 2}, rules={"repeats": "minimise"},
        ),
        {"not-seated"},
    ),
    # 2 of sector A (a2 misses round 1), at most 1 per table, 1 table.
    Rule.SECTOR_CAP: Infeasible(
        make_instance(
            [{"id": "a1", "sector": "A"}, {"id": "a2", "sector": "A", "absent": [1]}],
            rounds=2, sectors={"max_per_table": 1},
        ),
        {"sector-cap"},
    ),
    # 2 colleagues (b misses round 1), 1 table.
    Rule.COLLEAGUES: Infeasible(
        make_instance([{"id": "a", "company": "X"}, {"id": "b", "company": "X", "absent": [1]}], rounds=2),
        {"colleagues"},
    ),
    # A keep-apart pair (p2 misses round 1), 1 table.
    Rule.KEEP_APART: Infeasible(
        make_instance([{"id": "p1"}, {"id": "p2", "absent": [1]}], rounds=2, rules={"keep_apart": [["p1", "p2"]]}),
        {"keep-apart"},
    ),
    # 2 people, 2 rounds, 1 table: they meet twice.
    Rule.REPEAT: Infeasible(make_instance(2, rounds=2), {"repeat"}),
    # 2 with gender f (f2 misses round 1), at most 1 per table, 1 table.
    Rule.QUOTA: Infeasible(
        make_instance(
            [{"id": "f1", "attributes": {"gender": "f"}}, {"id": "f2", "attributes": {"gender": "f"}, "absent": [1]}],
            rounds=2, quotas=[{"attribute": "gender", "value": "f", "max": 1}],
        ),
        {"quota"},
    ),
    # The vocabulary of issue 12.
    # p1 is pinned to T1, which is closed in round 2.
    Rule.TABLE_CLOSED: Infeasible(
        make_instance(1, rounds=2, tables=[{"id": "T1", "capacity": 1, "rounds": [1]}],
                      rules={"pins": [{"participant": "p1", "table": "T1"}]}),
        {"table-closed"},
    ),
    # A together pair (p2 misses round 1) and tables of 1.
    Rule.TOGETHER: Infeasible(
        make_instance([{"id": "p1"}, {"id": "p2", "absent": [1]}], rounds=2, tables={"count": 2, "capacity": 1},
                      rules={"together": [["p1", "p2"]]}),
        {"together"},
    ),
    # p1 alone at the one table, twice, where nobody sits at one table twice.
    Rule.REVISIT: Infeasible(make_instance(1, rounds=2, rules={"revisit_tables": "forbid"}), {"revisit"}),
    # p1 and p2 (who misses round 1) both pinned to T1, which seats 1; T2 is free.
    Rule.PIN: Infeasible(
        make_instance([{"id": "p1"}, {"id": "p2", "absent": [1]}], rounds=2, tables={"count": 2, "capacity": 1},
                      rules={"pins": [{"participant": "p1", "table": "T1"}, {"participant": "p2", "table": "T1"}]}),
        {"pin"},
    ),
}  # fmt: skip

SOFT = {Rule.WISH}  # objective terms only: nothing can make them infeasible


def test_every_rule_cp_sat_enforces_has_an_infeasible_case() -> None:
    assert set(INFEASIBLE) == set(CONSTRAINTS) - SOFT


@pytest.mark.parametrize("rule", list(INFEASIBLE), ids=str)
def test_the_rule_makes_the_model_infeasible(rule: Rule) -> None:
    outcome = solved(SeatingModel(Problem.from_instance(INFEASIBLE[rule].instance)))
    assert outcome.status == "infeasible"
    assert (outcome.seating, outcome.objective, outcome.bound) == (None, None, None)


def test_met_before_pair_at_one_table_is_infeasible_when_repeats_are_forbidden() -> None:
    # Not through the repeat constraint but through apart(): a met-before pair is kept apart.
    instance = make_instance(2, rules={"met_before": [["p1", "p2"]]})
    assert solved(SeatingModel(Problem.from_instance(instance))).status == "infeasible"


def _no_constraint(model: SeatingModel) -> None:
    pass


@pytest.mark.parametrize("rule", list(INFEASIBLE), ids=str)
def test_without_its_constraint_method_the_rule_is_broken(rule: Rule, monkeypatch: pytest.MonkeyPatch) -> None:
    # A method may be registered under two rules (capacity and minimum; colleagues and keep-apart) and runs
    # once: every entry naming it is switched off, else the other rule's entry would still run it.
    method = CONSTRAINTS[rule]
    for other, enforced_by in list(CONSTRAINTS.items()):
        if enforced_by is method:
            monkeypatch.setitem(CONSTRAINTS, other, _no_constraint)
    case = INFEASIBLE[rule]
    problem = Problem.from_instance(case.instance)
    outcome = solved(SeatingModel(problem))
    assert outcome.seating is not None, outcome.status
    report = check(problem.instance, Schedule(rounds=as_rounds(problem, outcome.seating)))
    assert report.rules_broken() == case.broken


# The objective's terms


def test_a_forced_repeat_costs_the_repeat_weight() -> None:
    # 2 people, 2 rounds, 1 table, repeats minimised at 2.5 each: they meet twice, one new pair (1) and one
    # repeat (-2.5). The weights have a decimal, so the model works in tenths (scale 10).
    instance = make_instance(2, rounds=2, rules={"repeats": "minimise"}, objective={"repeat": 2.5})
    problem, seating, objective = optimum(instance)
    assert problem.scale == 10
    assert objective == -1.5
    assert stats_of(problem, seating).repeat_meetings == 1


def test_meeting_a_met_before_pair_again_is_a_repeat() -> None:
    # 2 people who met before, 1 round, 1 table, repeats minimised at 3: no new pair, one repeat.
    instance = make_instance(2, rules={"repeats": "minimise", "met_before": [["p1", "p2"]]}, objective={"repeat": 3})
    assert optimum(instance)[2] == -3


def test_cheap_repeats_are_traded_for_new_pairs() -> None:
    # 4 people, 2 rounds, 2 tables of 4, a repeat costs 0.5. All four in round 1 (6 new pairs) and 2 + 2 in
    # round 2 (2 repeats, the fewest with 4 people at 2 tables) gives 6 - 1 = 5; without repeats the best
    # is 4 (as when they are forbidden).
    instance = make_instance(
        4, rounds=2, tables={"count": 2, "capacity": 4}, rules={"repeats": "minimise"}, objective={"repeat": 0.5}
    )
    problem, seating, objective = optimum(instance)
    assert objective == 5
    assert (stats_of(problem, seating).new_encounters, stats_of(problem, seating).repeat_meetings) == (6, 2)


def test_complementary_pairs_are_worth_their_matches_both_ways() -> None:
    # 4 people, 2 tables of 2, complementary = 3. a offers x and needs z, b offers z and needs x: c(a, b) = 2
    # (both ways); c offers y, d needs y: c(c, d) = 1. {a, b} + {c, d}: 2 new pairs + 3 * (2 + 1) = 11;
    # any other pairing meets nobody complementary (2).
    people = [
        {"id": "a", "offers": ["x"], "needs": ["z"]},
        {"id": "b", "offers": ["z"], "needs": ["x"]},
        {"id": "c", "offers": ["y"]},
        {"id": "d", "needs": ["y"]},
    ]
    instance = make_instance(people, tables={"count": 2, "capacity": 2}, objective={"complementary": 3})
    problem, seating, objective = optimum(instance)
    assert objective == 11
    assert seating.groups(0) in ([[0, 1], [2, 3]], [[2, 3], [0, 1]])
    assert stats_of(problem, seating).complementary_matches == 3


def test_complementarity_shapes_the_trio() -> None:
    # conftest's two pairs or a trio with new = 1, complementary = 1: a-b and c-d are worth 3, the rest 1.
    # {a, b} + {c, d} = 6 beats any trio (3 + 1 + 1 = 5).
    _, seating, objective = optimum(two_pairs_or_a_trio(new=1, complementary=1))
    assert objective == 6
    assert sizes(seating) == [2, 2]


def test_cross_sector_pairs_need_two_different_sectors() -> None:
    # a, b, c of sector X, d of sector Y, e and f without a sector; 3 tables of 2, cross_sector = 2.
    # Only a pair of d with one of a, b, c is cross-sector (3); every other pair is worth 1: 3 + 1 + 1 = 5.
    # (Were a pair with e or f counted as cross-sector, a-d, b-e, c-f would be worth 9.)
    people = [{"id": k, "sector": "X"} for k in "abc"] + [{"id": "d", "sector": "Y"}, {"id": "e"}, {"id": "f"}]
    instance = make_instance(people, tables={"count": 3, "capacity": 2}, objective={"cross_sector": 2})
    problem, seating, objective = optimum(instance)
    assert objective == 5
    assert stats_of(problem, seating).cross_sector_encounters == 1


def test_fairness_values_the_fewest_new_encounters_of_anyone_attending() -> None:
    # 5 people (and a sixth absent from the only round), 2 tables of 4, fairness = 3.
    # 4 + 1: 6 pairs, but the one alone meets nobody: 6 + 3 * 0 = 6. 3 + 2: 4 pairs, everyone meets at least
    # 1: 4 + 3 * 1 = 7. The absentee meets nobody and must not count (else the fewest would always be 0).
    people = [{"id": f"p{k}"} for k in range(1, 6)] + [{"id": "away", "absent": [1]}]
    instance = make_instance(people, tables={"count": 2, "capacity": 4}, objective={"fairness": 3})
    problem, seating, objective = optimum(instance)
    assert objective == 7
    assert sizes(seating) == [2, 3]
    assert stats_of(problem, seating).min_new_per_participant == 1


def test_on_solution_hears_objectives_in_the_instances_units() -> None:
    # The forced-repeat instance in tenths: CP-SAT sees -15, the callback must say -1.5.
    instance = make_instance(2, rounds=2, rules={"repeats": "minimise"}, objective={"repeat": 2.5})
    heard: list[tuple[float, float]] = []
    model = SeatingModel(Problem.from_instance(instance))
    outcome = model.solve(
        SolverSettings(workers=1, seed=0),
        Stop(Deadline(time.perf_counter() + 10)),
        on_solution=lambda objective, bound: heard.append((objective, bound)),
    )
    assert outcome.objective == -1.5
    assert heard[-1][0] == -1.5


@pytest.mark.parametrize("term", ["first meeting", "fewest new"])
def test_the_models_objective_is_the_checkers_for_every_seating(term: str) -> None:
    # 2 people, 1 round, 1 table: they must meet, a first meeting worth 1 (plus fairness 1 * 1 new each).
    if term == "first meeting":
        instance = make_instance(2, rules={"repeats": "minimise"})
    else:
        instance = make_instance(2, objective={"fairness": 1})
    problem = Problem.from_instance(instance)
    model = SeatingModel(problem)
    # Pretend the pair did not meet, or that someone met nobody new: only the seats are real.
    if term == "first meeting":
        model.model.add(model.vars.first[0] == 0)
    else:
        assert model.vars.fewest_new is not None
        model.model.add(model.vars.fewest_new == 0)
    outcome = solved(model)
    # An exact model either refuses the pretence or scores the seating as the checker does.
    assert outcome.seating is None or outcome.objective == stats_of(problem, outcome.seating).objective


# Symmetry breaking


def hosted_event() -> Instance:
    """h hosts H (2 seats); T1 and T2 (2 seats each, no host) are interchangeable; a, b, c attend both
    rounds, d only round 2; repeats forbidden, fairness 1.
    Round 1 seats 4 people at tables of 2: at most 2 pairs; round 2 seats 5: at most 2 pairs. 4 new pairs
    fit (h-a, b-c; then h-d, a-b, c alone), and everyone can meet someone new (d only in round 2, so at
    most 1): 4 + 1 * 1 = 5."""
    people = [{"id": "h", "host": "H"}, {"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d", "absent": [1]}]
    tables = [{"id": "H", "capacity": 2}, {"id": "T1", "capacity": 2}, {"id": "T2", "capacity": 2}]
    return make_instance(people, rounds=2, tables=tables, objective={"fairness": 1})


def test_interchangeable_tables_have_equal_limits_and_no_host() -> None:
    people = [{"id": "h", "host": "T4"}, {"id": "x"}]
    tables = [{"id": f"T{k}", "capacity": cap, "min": low} for k, cap, low in
              [(1, 2, 0), (2, 3, 0), (3, 2, 0), (4, 2, 0), (5, 3, 0), (6, 3, 1), (7, 4, 0)]]  # fmt: skip
    # T1, T3 (2 seats) and T2, T5 (3 seats); T4 has a host, T6 another minimum, T7 no twin.
    assert interchangeable_tables(Problem.from_instance(make_instance(people, tables=tables))) == [[0, 2], [1, 4]]
    assert interchangeable_tables(Problem.from_instance(hosted_event())) == [[1, 2]]


@pytest.mark.parametrize("symmetry", [True, False])
def test_symmetry_breaking_keeps_the_optimum(symmetry: bool) -> None:
    # The same optimum with and without the symmetry constraints (were they too strong, e.g. keeping a, the
    # first movable person, off both T1 and T2, a would meet h twice and the model would be infeasible).
    assert optimum(hosted_event(), symmetry=symmetry)[2] == 5


def test_symmetry_breaking_keeps_the_optimum_on_identical_tables() -> None:
    # 6 people, 2 rounds, 3 tables of 2 (all interchangeable), fairness 1: 3 new pairs per round and 2 new
    # people each: 6 + 2 = 8 either way.
    instance = make_instance(6, rounds=2, tables={"count": 3, "capacity": 2}, objective={"fairness": 1})
    assert optimum(instance, symmetry=True)[2] == optimum(instance, symmetry=False)[2] == 8


# hosted_event() seated validly but not canonically: round 1 has a at T2 and b at T1, round 2 c at T1
# and a, b at T2 (the lowest-numbered occupant of T1 must come before that of T2). New pairs h-c, h-d, a-b,
# everyone meets at least 1 new: worth 3 + 1 * 1 = 4, not optimal (a hint need not be).
HOSTED = Seating.from_groups([[[0, 3], [2], [1]], [[0, 4], [3], [1, 2]]], people=5)


def fixed(model: SeatingModel, seating: Seating) -> SeatingModel:
    """The model with every seat fixed to `seating`."""
    for (p, r, t), var in model.vars.seat.items():
        model.model.add(var == int(seating.table_of[r, p] == t))
    return model


def test_canonical_tables_relabels_interchangeable_tables_by_lowest_occupant() -> None:
    problem = Problem.from_instance(hosted_event())
    canonical = canonical_tables(problem, HOSTED)
    # H keeps its host's group; T1 and T2 swap in both rounds.
    assert canonical.all_groups() == [[[0, 3], [1], [2]], [[0, 4], [1, 2], [3]]]
    assert HOSTED.all_groups() == [[[0, 3], [2], [1]], [[0, 4], [3], [1, 2]]]  # the original is unchanged


def test_canonical_tables_puts_empty_tables_last() -> None:
    problem = Problem.from_instance(make_instance(4, tables={"count": 3, "capacity": 2}))
    seating = Seating.from_groups([[[], [2, 3], [0, 1]]], people=4)
    assert canonical_tables(problem, seating).all_groups() == [[[0, 1], [2, 3], []]]


def test_the_symmetry_constraints_accept_the_canonical_seating_only() -> None:
    problem = Problem.from_instance(hosted_event())
    # The same schedule, before and after relabelling: only the canonical one is left by table_symmetry().
    assert solved(fixed(SeatingModel(problem), HOSTED)).status == "infeasible"
    outcome = solved(fixed(SeatingModel(problem), canonical_tables(problem, HOSTED)))
    assert outcome.status == "optimal"
    assert outcome.seating == canonical_tables(problem, HOSTED)
    # Without symmetry breaking, any labelling is fine.
    assert solved(fixed(SeatingModel(problem, symmetry=False), HOSTED)).status == "optimal"


# Hints


def minimised_event() -> tuple[Instance, Seating]:
    """4 people, 2 rounds, 2 tables of 2, p1 and p2 met before, repeats minimised: a repeat in round 1,
    and round 2 labelled against the symmetry order (p2 at T1, p1 at T2). Worth 3 new pairs - 10 = -7."""
    instance = make_instance(
        4, rounds=2, tables={"count": 2, "capacity": 2}, rules={"repeats": "minimise", "met_before": [["p1", "p2"]]}
    )
    return instance, Seating.from_groups([[[0, 1], [2, 3]], [[1, 3], [0, 2]]], people=4)


@pytest.mark.parametrize("event", ["hosted", "minimised"])
def test_a_valid_seating_is_a_complete_feasible_hint(event: str) -> None:
    # Every variable is hinted (seats, meetings, first meetings, fewest new), and the hint is relabelled to
    # the symmetry order first; CP-SAT says so, with the hint's objective (the checker's).
    instance, seating = (hosted_event(), HOSTED) if event == "hosted" else minimised_event()
    problem = Problem.from_instance(instance)
    worth = stats_of(problem, seating).objective
    assert worth == (4 if event == "hosted" else -7)
    model = SeatingModel(problem)
    model.hint(seating)
    log: list[str] = []
    solved(model, log=log.append)
    assert f"{HINT_ACCEPTED} Its objective value is {worth:g}." in "\n".join(log)


def test_a_hint_against_the_symmetry_order_is_not_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    # The log check above can fail: the same hint, not relabelled first, breaks table_symmetry().
    monkeypatch.setattr(cpsat, "canonical_tables", lambda problem, seating: seating)
    model = SeatingModel(Problem.from_instance(hosted_event()))
    model.hint(HOSTED)
    log: list[str] = []
    solved(model, log=log.append)
    assert HINT_ACCEPTED not in "\n".join(log)


def test_a_second_hint_replaces_the_first() -> None:
    # Hinting twice must not leave duplicate hints (CP-SAT would call the model invalid).
    problem = Problem.from_instance(hosted_event())
    model = SeatingModel(problem)
    model.hint(Seating.from_groups([[[0, 1], [2, 3], []], [[0, 4], [1, 2], [3]]], people=5))
    model.hint(HOSTED)
    log: list[str] = []
    assert solved(model, log=log.append).objective == 5
    assert HINT_ACCEPTED in "\n".join(log)


# Re-planning: keep the score, move as few people as possible


def kept(seating: Seating, preferred: dict[tuple[int, int], int]) -> int:
    return sum(int(seating.table_of[r, p]) == t for (p, r), t in preferred.items())


@pytest.mark.parametrize(
    ("at_least", "groups", "most_kept"),
    [
        # The printed seating itself scores 5: nobody needs to move.
        (5, [[0, 1, 2], [3]], 4),
        # 6 needs {a, b} + {c, d}. With a, b at T1 three keep their seats (a, b, d); with c, d at T1 only c.
        (6, [[0, 1], [2, 3]], 3),
    ],
)
def test_prefer_seats_keeps_the_score_and_the_most_seats(
    at_least: int, groups: list[list[int]], most_kept: int
) -> None:
    # two_pairs_or_a_trio (a-b, c-d worth 3, other pairs 1), printed as {a, b, c} at T1 and d at T2 (worth 5).
    problem = Problem.from_instance(two_pairs_or_a_trio(new=1, complementary=1))
    preferred = {(0, 0): 0, (1, 0): 0, (2, 0): 0, (3, 0): 1}
    model = SeatingModel(problem, symmetry=False)  # the objective cares which table is which
    model.prefer_seats(preferred, at_least=at_least * problem.scale)
    outcome = solved(model)
    assert outcome.status == "optimal" and outcome.seating is not None
    assert outcome.seating.groups(0) == groups
    assert kept(outcome.seating, preferred) == most_kept
    assert stats_of(problem, outcome.seating).objective >= at_least


def test_prefer_seats_cannot_go_below_the_score() -> None:
    # Nothing scores more than 6.
    problem = Problem.from_instance(two_pairs_or_a_trio(new=1, complementary=1))
    model = SeatingModel(problem, symmetry=False)
    model.prefer_seats({(0, 0): 0}, at_least=7 * problem.scale)
    assert solved(model).status == "infeasible"
