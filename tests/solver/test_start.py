"""Starting from a given plan (`solve --start`): what fits is kept, the rest repaired, a valid plan never worsened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tablejam.check import check
from tablejam.models import Instance, RoundSeating, Schedule, SolverSettings, TableSeating
from tablejam.solver import solve
from tablejam.solver.problem import Problem
from tablejam.solver.seating import fitting_seats, from_rounds
from tablejam.solver.start import start_from
from tests.conftest import assert_checked, make_instance, run

TABLES = ["T1", "T2", "T3", "T4"]


def event(repeats: str = "forbid") -> Instance:
    """12 people p0..p11 at 4 tables of 3 over 2 rounds: at most 2 x 4 x 3 = 24 meetings, all new at best."""
    people = [{"id": f"p{k}"} for k in range(12)]
    return make_instance(people, rounds=2, tables={"count": 4, "capacity": 3}, rules={"repeats": repeats})


def plan_of(groups: list[list[list[int | str]]], tables: list[str] = TABLES) -> Schedule:
    """A plan from groups[round][table] of participant numbers (or ids as written), rounds from 1."""
    return Schedule(
        rounds=[
            RoundSeating(
                round=r,
                tables=[
                    TableSeating(table=t, participants=[m if isinstance(m, str) else f"p{m}" for m in members])
                    for t, members in zip(tables, seated, strict=True)
                ],
            )
            for r, seated in enumerate(groups, start=1)
        ]
    )


# Person p = 3a + b. Round 1 seats by a, round 2 at table (a + b) mod 4: two people sharing a table in round 2
# differ in a and in b, so nobody meets twice. Valid, and with 24 new meetings the best there is.
ROUND_1 = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]
ROUND_2 = [[p for p in range(12) if (p // 3 + p % 3) % 4 == t] for t in range(4)]
VALID: list[list[list[int | str]]] = [ROUND_1, ROUND_2]  # type: ignore[list-item]


def start_groups(instance: Instance, plan: Schedule) -> list[list[list[int]]]:
    problem = Problem.from_instance(instance)
    return start_from(problem, fitting_seats(problem, plan.rounds)).all_groups()


def test_a_valid_plan_is_the_start_as_it_is() -> None:
    instance, plan = event(), plan_of(VALID)
    problem = Problem.from_instance(instance)
    assert start_from(problem, fitting_seats(problem, plan.rounds)) == from_rounds(problem, plan.rounds)


def test_what_does_not_fit_is_dropped_and_the_rest_repaired() -> None:
    # Round 1: p0 moved by hand from T1 to T2, which now seats 4 of 3. Round 2: p10 replaced by an unknown
    # 'zed', p11 moved to a table 'T9' that does not exist, p5 listed twice (the first seat counts), and a
    # round 3 the event does not have.
    broken = plan_of(
        [
            [[1, 2], [0, 3, 4, 5], [6, 7, 8], [9, 10, 11]],
            [[0, 8, "zed"], [1, 3, 5], [2, 4, 6], [5, 7, 9]],
            [[0], [1], [2], [3]],
        ]
    )
    broken.rounds[1].tables.append(TableSeating(table="T9", participants=["p11"]))
    groups = start_groups(event(), broken)
    # Round 1: T2 is one over, so its last movable person (p5) goes to the only table with room, T1.
    # Round 2: p5 keeps T2 (listed first), so T4 is one short; p10 and p11, unseated, fill the emptiest tables
    # with room in table order: p10 to T1, p11 to T4.
    assert groups == [
        [[1, 2, 5], [0, 3, 4], [6, 7, 8], [9, 10, 11]],
        [[0, 8, 10], [1, 3, 5], [2, 4, 6], [7, 9, 11]],
    ]


def test_a_missing_round_is_built_around_the_kept_one() -> None:
    groups = start_groups(event(), plan_of([ROUND_1]))
    assert groups[0] == ROUND_1
    # Round 2 seats all 12, each once, within capacity.
    assert sorted(p for table in groups[1] for p in table) == list(range(12))
    assert max(len(table) for table in groups[1]) <= 3


def test_hosts_keep_their_table_whatever_the_plan_says() -> None:
    instance = Instance.model_validate(
        {"rounds": 1, "tables": {"count": 2, "capacity": 2},
         "participants": [{"id": "p0", "host": "T2"}, {"id": "p1"}, {"id": "p2"}, {"id": "p3"}]}
    )  # fmt: skip
    # The plan puts the host p0 at T1: that seat does not fit, so p0 goes to T2, and T2, then one over,
    # sends its last movable person (p3) to T1.
    assert start_groups(instance, plan_of([[[0, 1], [2, 3]]], ["T1", "T2"])) == [[[1, 3], [0, 2]]]


def test_a_valid_plan_comes_back_no_worse() -> None:
    """Repeats allowed at a cost: the plan seats round 1 again in round 2, 12 new meetings and 12 repeats,
    objective 12 - 10 x 12 = -108. Whatever the search does, the answer is valid and scores at least that."""
    instance, plan = event("minimise"), plan_of([ROUND_1, ROUND_1])  # type: ignore[list-item]
    before = check(instance, plan)
    assert before.valid and before.stats is not None and before.stats.objective == -108
    schedule = solve(instance, SolverSettings(time_limit=2, workers=1, start=plan))
    assert_checked(instance, schedule)
    assert schedule.objective is not None and schedule.objective >= -108


def test_the_best_plan_is_returned_as_given() -> None:
    """The plan has all 24 meetings new, which the counting bound proves best: it comes back seat for seat."""
    instance, plan = event(), plan_of(VALID)
    schedule = solve(instance, SolverSettings(time_limit=2, workers=1, start=plan))
    assert_checked(instance, schedule)
    assert schedule.objective == 24
    assert schedule.seating() == plan.seating()
    assert schedule.solver is not None and schedule.solver.engine == "start"


def test_a_broken_plan_comes_back_valid() -> None:
    # Two people swapped between rounds into a capacity violation (p0 and p8 both moved to T2 in round 1,
    # which then seats 5 of 3) and an unknown participant in place of p10 in round 2.
    broken = plan_of([[[1, 2], [0, 3, 4, 5, 8], [6, 7], [9, 10, 11]], [[0, 8, "zed"], *ROUND_2[1:]]])  # type: ignore[list-item]
    instance = event()
    assert not check(instance, broken).valid
    schedule = solve(instance, SolverSettings(time_limit=2, workers=1, start=broken))
    assert_checked(instance, schedule)
    assert schedule.objective == 24  # the counting bound (all meetings new) is reached on this small event


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    instance = tmp_path / "event.json"
    instance.write_text(event().model_dump_json())
    plan = tmp_path / "plan.json"
    plan.write_text(plan_of([ROUND_1, ROUND_1]).model_dump_json())  # type: ignore[list-item]
    return instance, plan


def test_solve_start_on_the_command_line(files: tuple[Path, Path], tmp_path: Path) -> None:
    instance, plan = files
    # The plan repeats round 1 in round 2, which repeats = "forbid" rejects: it is repaired into a valid schedule.
    result = run(
        "solve", str(instance), "--start", str(plan), "--time-limit", "2", "--workers", "1", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    schedule = Schedule.model_validate(json.loads(result.stdout))
    assert_checked(event(), schedule)
    # What will be repaired is said first: round 2 repeats round 1's 4 tables of 3, so 4 x 3 = 12 pairs meet
    # again; ten are listed.
    lines = result.stderr.splitlines()
    assert lines[0] == f"start: {plan} breaks rules of the instance; repairing 12 violation(s):"
    assert lines[1].startswith("  [repeat] round 2: p0 and p1 meet again")
    assert lines[11] == "  ... and 2 more"


def test_a_valid_start_is_not_reported_as_broken(files: tuple[Path, Path], tmp_path: Path) -> None:
    instance, plan = files
    plan.write_text(plan_of(VALID).model_dump_json())
    result = run("solve", str(instance), "--start", str(plan), "--time-limit", "1", "--workers", "1")
    assert result.exit_code == 0, result.stderr
    assert "start:" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        ("{nope", "not valid JSON"),
        ('{"rounds": "x"}', "rounds: Input should be a valid list"),
        ('{"status": "infeasible", "rounds": []}', "holds no seating (status 'infeasible'): nothing to start from"),
    ],
)
def test_a_bad_start_file_exits_2_and_says_why(
    files: tuple[Path, Path], tmp_path: Path, content: str | None, message: str
) -> None:
    instance, _ = files
    plan = tmp_path / "bad.json"
    if content is not None:
        plan.write_text(content)
    result = run("solve", str(instance), "--start", str(plan), "--time-limit", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {plan}: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
