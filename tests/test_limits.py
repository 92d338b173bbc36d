"""Sizes that cannot fit are refused at once, with the numbers, before anything is built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tablejam.errors import InputError
from tablejam.models import SolverSettings
from tablejam.solver import solve
from tablejam.solver.problem import Problem
from tests.conftest import GOOD_TOML, make_instance, run, schedule_of


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(GOOD_TOML)  # 4 participants, 2 rounds
    return path


@pytest.fixture
def nothing_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the solver's view of the instance fails the test: a refusal must come before it."""

    def built(*args: object) -> None:
        raise AssertionError("the problem was built before the size was refused")

    monkeypatch.setattr(Problem, "from_instance", built)


def test_solve_refuses_more_participants_than_the_limit(tiny: Path, nothing_built: None) -> None:
    result = run("solve", str(tiny), "--max-participants", "3", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == {
        "code": 2,
        "message": "4 participants is more than the limit of 3 (raise it with --max-participants or "
        "solver.max_participants if the machine has the memory)",
        "where": "participants",
    }


def test_the_limit_admits_an_instance_of_exactly_its_size(tiny: Path) -> None:
    result = run("solve", str(tiny), "--max-participants", "4", "--time-limit", "2", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "optimal"


def test_participants_times_rounds_has_its_own_limit_in_a_settings_file(
    tiny: Path, tmp_path: Path, nothing_built: None
) -> None:
    setting = tmp_path / "small.toml"
    setting.write_text("[solver]\nmax_participant_rounds = 7\n")
    result = run("solve", str(tiny), "--objective", str(setting))
    assert result.exit_code == 2
    # 4 participants over 2 rounds are 8 seats to fill, one more than the 7 allowed.
    assert "rounds: 4 participants x 2 rounds = 8 seats to fill, more than the limit of 7" in result.stderr
    assert result.stdout == ""


def test_the_command_line_limit_wins_over_the_settings_file(tiny: Path, tmp_path: Path) -> None:
    setting = tmp_path / "generous.toml"
    setting.write_text("[solver]\nmax_participants = 100\n")
    result = run("solve", str(tiny), "--objective", str(setting), "--max-participants", "2")
    assert result.exit_code == 2
    assert "4 participants is more than the limit of 2" in result.stderr


def test_compare_refuses_before_any_run(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tablejam.tools import compare

    def ran(*args: object) -> None:
        raise AssertionError("a run started")

    monkeypatch.setattr(compare, "run_tasks", ran)
    result = run("compare", str(tiny), "--max-participants", "3", "--jobs", "1")
    assert result.exit_code == 2
    assert "4 participants is more than the limit of 3" in result.stderr


def test_replan_counts_the_arrivals(tiny: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(
        schedule_of([{"T1": ["a", "b"], "T2": ["c", "d"]}, {"T1": ["a", "c"], "T2": ["b", "d"]}]).model_dump_json()
    )
    # 4 participants and one arrival are 5, over a limit of 4.
    result = run("replan", str(tiny), str(plan), "--after-round", "1", "--arrive", "e", "--max-participants", "4")
    assert result.exit_code == 2
    assert "5 participants is more than the limit of 4" in result.stderr


def test_the_engine_refuses_as_the_command_line_does(nothing_built: None) -> None:
    with pytest.raises(InputError, match="3 participants is more than the limit of 2"):
        solve(make_instance(3), SolverSettings(max_participants=2))
