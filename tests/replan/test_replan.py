"""Re-planning on the day: printed rounds kept, the rest re-solved, as few people moved as possible."""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tablejam.check import check
from tablejam.cli import main
from tablejam.errors import InputError
from tablejam.models.instance import Instance, Participant
from tablejam.models.schedule import RoundSeating, Schedule, TableSeating
from tablejam.models.settings import SolverSettings
from tablejam.replan.change import Change
from tablejam.replan.solve import replan
from tablejam.solver.bounds import counting_bound
from tablejam.solver.problem import Problem
from tablejam.solver.seating import as_rounds, from_rounds
from tests.conftest import make_instance, schedule_of, solve_checked

SETTINGS = SolverSettings(time_limit=4, workers=1, seed=1)


def _nine_in_threes():
    """9 people, 3 tables of at most 3 (at least 2), 4 rounds: the known optimum has all 36 pairs meet once."""
    instance = make_instance(9, rounds=4, tables={"count": 3, "capacity": 3, "min": 2})
    printed = solve_checked(instance, time_limit=10)
    assert printed.stats is not None and printed.stats.new_encounters == 36
    return instance, printed


def test_an_absentee_needs_no_moves_when_the_printed_plan_still_holds() -> None:
    instance, printed = _nine_in_threes()
    event, new = replan(instance, printed, Change(after_round=1, absent=("p1",)), SETTINGS)
    report = check(event, new)
    assert report.valid, [v.message for v in report.violations]
    assert new.rounds[0] == printed.rounds[0]  # round 1 happened: untouched
    assert all("p1" not in t.participants for r in new.rounds[1:] for t in r.tables)
    # Printed rounds 2-4 without p1 keep every rule and every first meeting that remains: all 36 pairs
    # but p1's 6 in rounds 2-4, so 30, the best possible. Among the best, nobody needs to move.
    assert new.stats is not None and new.stats.new_encounters == 30
    assert new.replanned is not None and new.replanned.moves == []
    assert (new.status, new.objective, new.bound) == ("optimal", 30, 30)
    assert new.replanned.before == printed.stats


def test_a_new_arrival_is_seated_in_every_remaining_round() -> None:
    instance = make_instance(8, rounds=3, tables={"count": 3, "capacity": 4, "min": 2})
    printed = solve_checked(instance, time_limit=5)
    change = Change(after_round=1, arrivals=(Participant(id="late", name="Late Comer"),))
    event, new = replan(instance, printed, change, SETTINGS)
    assert check(event, new).valid
    assert event.participants[-1].id == "late" and event.participants[-1].absent == [1]
    for seated in new.rounds[1:]:
        assert sum(t.participants.count("late") for t in seated.tables) == 1
    assert all("late" not in t.participants for t in new.rounds[0].tables)
    assert new.replanned is not None and new.replanned.arrived == ["late"]


def _seating(groups: list[list[str]]) -> RoundSeating:
    return RoundSeating(round=1, tables=[TableSeating(table=f"T{k}", participants=g) for k, g in enumerate(groups, 1)])


def test_moves_are_the_fewest_among_the_best_schedules_by_brute_force() -> None:
    # 7 people at 2 tables of 3-4 seats, 2 rounds, repeats allowed at a cost. Someone from the table of 3
    # in round 2 drops out: 6 remain, so the tables must become 3 + 3 and at least one person moves.
    # Every seating of round 2 is tried below; the re-plan must score the best and move the fewest among those.
    instance = make_instance(7, rounds=2, tables={"count": 2, "capacity": 4, "min": 3}, rules={"repeats": "minimise"},
                             participants=[{"id": f"p{k}", "offers": ["x"] if k % 2 else [], "needs": ["x"]}
                                           for k in range(1, 8)])  # fmt: skip
    printed = solve_checked(instance, time_limit=5)
    smaller = min(printed.rounds[1].tables, key=lambda t: len(t.participants))
    gone = smaller.participants[0]
    event, new = replan(instance, printed, Change(after_round=1, absent=(gone,)), SETTINGS)
    assert check(event, new).valid

    was = {p: t.table for t in printed.rounds[1].tables for p in t.participants}
    remaining = [p.id for p in instance.participants if p.id != gone]
    best: tuple[float, int] | None = None
    for size in (3, 4):
        for first in itertools.combinations(remaining, size):
            groups = [list(first), [p for p in remaining if p not in first]]
            if not all(3 <= len(g) <= 4 for g in groups):
                continue
            rounds = [printed.rounds[0], _seating(groups).model_copy(update={"round": 2})]
            report = check(event, Schedule(rounds=rounds))
            if not report.valid:
                continue
            moved = sum(was[p] != f"T{k}" for k, g in enumerate(groups, 1) for p in g)
            key = (-report.stats.objective, moved)
            best = key if best is None or key < best else best
    assert best is not None
    assert (new.objective, len(new.replanned.moves)) == (-best[0], best[1])
    assert best[1] >= 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (Change(after_round=4), "--after-round: must be between 0 and 3"),
        (Change(after_round=1, absent=("nobody",)), "--absent: no participant 'nobody'"),
        (Change(after_round=1, arrivals=(Participant(id="p2"),)), "--arrive: 'p2' already attends every round after 1"),
    ],
)
def test_bad_changes_are_input_errors(change: Change, message: str) -> None:
    instance, printed = _nine_in_threes()
    with pytest.raises(InputError) as caught:
        replan(instance, printed, change, SETTINGS)
    assert str(caught.value).startswith(message)


def test_replan_command_writes_schedule_and_changed_event(tmp_path: Path) -> None:
    instance, printed = _nine_in_threes()
    (tmp_path / "event.json").write_text(instance.model_dump_json())
    (tmp_path / "plan.json").write_text(printed.model_dump_json())
    runner = CliRunner()
    outputs = ["-o", str(tmp_path / "new.json"), "--instance-out", str(tmp_path / "changed.json")]
    result = runner.invoke(main, ["replan", str(tmp_path / "event.json"), str(tmp_path / "plan.json"),
                                  "--after-round", "2", "--absent", "p4", "--arrive", "p10", "--time-limit", "3",
                                  *outputs])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads((tmp_path / "new.json").read_text())
    assert document["replanned"]["after_round"] == 2
    assert (document["replanned"]["absent"], document["replanned"]["arrived"]) == (["p4"], ["p10"])
    assert document["rounds"][:2] == json.loads(printed.model_dump_json())["rounds"][:2]
    # The changed event is what the new schedule is checked against.
    checked = runner.invoke(main, ["check", str(tmp_path / "changed.json"), str(tmp_path / "new.json")])
    assert checked.exit_code == 0, checked.stdout
    text = runner.invoke(main, ["replan", str(tmp_path / "event.json"), str(tmp_path / "plan.json"),
                                "--after-round", "3", "--absent", "p4", "--time-limit", "2"])  # fmt: skip
    assert text.exit_code == 0
    assert "Re-planned after round 3" in text.stdout and "absent from round 4: p4" in text.stdout
    assert "round 4: nobody moves" in text.stdout  # round 4 as printed, without p4, still holds
    bad = runner.invoke(main, ["replan", str(tmp_path / "event.json"), str(tmp_path / "plan.json"),
                               "--after-round", "1", "--absent", "zz"])  # fmt: skip
    assert bad.exit_code == 2 and "--absent: no participant 'zz'" in bad.stderr


def test_an_impossible_replan_says_why_in_the_events_round_numbers() -> None:
    # 6 people at 2 tables of exactly 3: without p1 from round 2 on, 5 people cannot fill 6 seats.
    instance = make_instance(6, rounds=3, tables={"count": 2, "capacity": 3, "min": 3}, rules={"repeats": "minimise"})
    printed = solve_checked(instance, time_limit=3)
    _, new = replan(instance, printed, Change(after_round=1, absent=("p1",)), SETTINGS)
    assert new.status == "infeasible" and new.rounds == []
    assert new.explanation == [
        "round 2 has 5 attendees but the table minimums add up to 6",
        "round 3 has 5 attendees but the table minimums add up to 6",
    ]
    assert [reason.rounds for reason in new.reasons] == [[2], [3]]


def test_reasons_about_the_remaining_rounds_are_renumbered() -> None:
    from tablejam.models.reasons import reason, said_again
    from tablejam.models.rules import Rule

    # The remaining event numbers its rounds from 1; after round 2 its round 1 is the event's round 3.
    # The reason's rounds are data; its message is said again from them.
    spread = reason(Rule.REPEAT, "spread", "precheck", rounds=[1, 2], counts={"attendees": 7, "crowd": 4, "tables": 2})
    assert spread.message.startswith("7 people attend rounds 1 and 2, so some table in round 2 seats at least 4")
    shifted = said_again(spread, rounds=[3, 4])
    assert shifted.message.startswith("7 people attend rounds 3 and 4, so some table in round 4 seats at least 4")
    assert (shifted.rounds, shifted.counts) == ([3, 4], spread.counts)


def test_replan_reads_late_arrivals_from_a_sheet(tmp_path: Path) -> None:
    instance, printed = _nine_in_threes()
    (tmp_path / "event.json").write_text(instance.model_dump_json())
    (tmp_path / "plan.json").write_text(printed.model_dump_json())
    replan_late = ["replan", str(tmp_path / "event.json"), str(tmp_path / "plan.json"), "--after-round", "2",
                   "--arrivals", str(tmp_path / "late.csv"), "--time-limit", "3"]  # fmt: skip
    # One new person with details, one returning (p1, whom the file already lists), and one bad cell.
    (tmp_path / "late.csv").write_text("id,name,sector,offers\nq1,Quinn Late,food,design;funding\np1,,,\n")
    result = CliRunner().invoke(main, [*replan_late, "--absent", "p2", "--format", "json",
                                       "--instance-out", str(tmp_path / "now.json")])  # fmt: skip
    # p1 already attends every round: a returning participant must have been away.
    assert result.exit_code == 2 and "--arrive: 'p1' already attends every round after 2" in result.stderr
    (tmp_path / "late.csv").write_text("id,name,sector,offers\nq1,Quinn Late,food,design;funding\n")
    result = CliRunner().invoke(main, [*replan_late, "--absent", "p2", "--format", "json",
                                       "--instance-out", str(tmp_path / "now.json")])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["replanned"]["arrived"] == ["q1"]
    now = json.loads((tmp_path / "now.json").read_text())
    late = next(p for p in now["participants"] if p["id"] == "q1")
    assert (late["name"], late["sector"], late["offers"]) == ("Quinn Late", "food", ["design", "funding"])
    assert late["absent"] == [1, 2]  # not there for what happened before they came
    seated = [pid for r in document["rounds"][2:] for t in r["tables"] for pid in t["participants"]]
    assert seated.count("q1") == 2 and "p2" not in seated
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,absent\nq2,Quinn Two,soon\n")
    result = CliRunner().invoke(main, ["replan", str(tmp_path / "event.json"), str(tmp_path / "plan.json"),
                                       "--after-round", "2", "--arrivals", str(bad)])  # fmt: skip
    assert result.exit_code == 2
    assert f"{bad}, row 2, column 'absent'" in result.stderr


def test_replan_refuses_a_schedule_of_another_event_naming_its_file(tmp_path: Path) -> None:
    _, printed = _nine_in_threes()
    (tmp_path / "event.json").write_text(make_instance(4, rounds=4).model_dump_json())  # not the printed event
    (tmp_path / "plan.json").write_text(printed.model_dump_json())
    result = CliRunner().invoke(main, ["replan", str(tmp_path / "event.json"), str(tmp_path / "plan.json"),
                                       "--after-round", "1"])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'plan.json'}: the schedule breaks rules of this instance")
    assert "Traceback" not in result.stderr


def _two_rounds_of_four() -> tuple[Instance, Schedule]:
    """4 people a-d, 2 tables of exactly 2, 1 round, repeats allowed: every seating scores 2 new pairs."""
    instance = make_instance([{"id": x} for x in "abcd"], tables={"count": 2, "capacity": 2, "min": 2})
    return instance, schedule_of([{"T1": ["a", "b"], "T2": ["c", "d"]}])


def test_closest_labels_give_each_group_its_printed_table() -> None:
    # The engine may return the printed groups under swapped labels (interchangeable tables): relabelling alone
    # puts everyone back where the plan has them, 4 of 4 seats kept, without changing a single meeting.
    from tablejam.replan.solve import _closest_labels, _kept, _printed_seats

    instance, printed = _two_rounds_of_four()
    problem = Problem.from_instance(instance)
    swapped = from_rounds(problem, schedule_of([{"T1": ["c", "d"], "T2": ["a", "b"]}]).rounds)
    preferred = _printed_seats(problem, printed, after_round=0)
    assert _kept(swapped, preferred) == 0
    relabelled = _closest_labels(problem, swapped, preferred)
    assert _kept(relabelled, preferred) == 4
    assert relabelled.groups(0) == [[0, 1], [2, 3]]


def test_fewest_moves_finds_the_printed_groups_among_equal_scores() -> None:
    # {a, c} + {b, d} scores as {a, b} + {c, d} (2 new pairs each), but no relabelling turns one into the other:
    # CP-SAT, keeping the score at 2 or more, keeps all 4 printed seats.
    from tablejam.replan.solve import _fewest_moves, _kept, _printed_seats

    instance, printed = _two_rounds_of_four()
    problem = Problem.from_instance(instance)
    other = from_rounds(problem, schedule_of([{"T1": ["a", "c"], "T2": ["b", "d"]}]).rounds)
    preferred = _printed_seats(problem, printed, after_round=0)
    first = Schedule(rounds=as_rounds(problem, other), objective=2)
    closest = _fewest_moves(problem, other, preferred, first, SETTINGS, 5, threading.Event())
    assert _kept(closest, preferred) == 4


def test_replan_bound_is_proven_for_the_whole_event_not_the_objective() -> None:
    # With a fairness term the remaining rounds' bound does not carry over (a minimum over the whole event), so
    # the re-plan reports the whole event's counting bound, and "optimal" only if a schedule reaches it.
    # 7 people at 3 tables of 3 for 2 rounds, a-b and c-d complementary (each pair worth 1 + 2), fairness 1;
    # g leaves after round 1. Counting: round 1 seats at most 6 pairs (3 + 3 + 1 people), round 2 at most 6
    # (3 + 3): the 12 best pair values are 3 + 3 + 10 x 1 = 16; g meets at most 2 people, so fairness adds at
    # most 2: the bound is 18. The whole event planned with g was proven optimal at 17, and the re-plan is
    # that event with g gone, so it cannot reach 18: status "feasible", bound 18.
    people = [{"id": "a", "offers": ["x", "y"]}, {"id": "b", "needs": ["x", "y"]}, {"id": "c", "offers": ["u", "v"]},
              {"id": "d", "needs": ["u", "v"]}, {"id": "e"}, {"id": "f"}, {"id": "g"}]  # fmt: skip
    instance = make_instance(people, rounds=2, tables={"count": 3, "capacity": 3}, objective={"fairness": 1})
    printed = solve_checked(instance, time_limit=5)
    assert (printed.status, printed.objective) == ("optimal", 17)
    event, new = replan(instance, printed, Change(after_round=1, absent=("g",)), SETTINGS)
    assert new.bound == counting_bound(Problem.from_instance(event)) == 18
    assert new.status == "feasible" and new.objective is not None and new.objective <= 17
