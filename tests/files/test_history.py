"""rules.history: who shared a table at earlier events has met, for the checker and the solver alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tablejam.check import check
from tablejam.cli import main
from tablejam.errors import InputError
from tablejam.files import load_instance
from tablejam.models import Schedule
from tests.conftest import GOOD_TOML, ROOT, solve_checked

# GOOD_TOML's four people a-d at two tables of two, in one round, repeats forbidden.
EVENT = (
    GOOD_TOML.replace("rounds = 2", "rounds = 1")
    + """
[rules]
met_before = [["d", "c"]]
history = ["past/june.json"]
"""
)


def seating(*tables: list[str]) -> dict:
    return {"rounds": [{"round": 1, "tables": [{"table": f"T{k}", "participants": people}
                                               for k, people in enumerate(tables, start=1)]}]}  # fmt: skip


@pytest.fixture
def event(tmp_path: Path) -> Path:
    (tmp_path / "past").mkdir()
    # June: a sat with b and x (x is not at this event), c with d (already listed in met_before).
    (tmp_path / "past" / "june.json").write_text(json.dumps(seating(["a", "b", "x"], ["c", "d"])))
    path = tmp_path / "event.toml"
    path.write_text(EVENT)
    return path


def test_history_pairs_join_met_before(event: Path) -> None:
    # a-b is learned; a-x and b-x are ignored (x is not here); c-d is already listed and not added twice.
    assert load_instance(event).rules.met_before == [("d", "c"), ("a", "b")]


def test_the_solver_keeps_apart_those_who_met_in_history(event: Path) -> None:
    """With a-b and c-d met, the only repeat-free seatings pair a with c or d: 2 new pairs, no repeat."""
    instance = load_instance(event)
    schedule = solve_checked(instance, time_limit=3)
    assert schedule.stats is not None
    assert (schedule.status, schedule.stats.new_encounters, schedule.stats.repeat_meetings) == ("optimal", 2, 0)
    tables = [set(t.participants) for t in schedule.rounds[0].tables]
    assert {"a", "b"} not in tables and {"c", "d"} not in tables


def test_the_checker_counts_a_history_pair_as_a_repeat(event: Path) -> None:
    report = check(load_instance(event), Schedule.model_validate(seating(["a", "b"], ["c", "d"])))
    assert [v.rule for v in report.violations] == ["repeat", "repeat"]  # a-b from June, c-d from met_before


def test_validate_says_how_many_pairs_came_from_history(event: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(event)])
    assert "  pairs who met before: 2 (2 of them at 1 earlier event in rules.history)\n" in result.stdout
    report = json.loads(CliRunner().invoke(main, ["validate", str(event), "--format", "json"]).stdout)
    # c-d met in June too, so both pairs count for history, and the listed c-d is the same pair.
    assert (report["met_before_pairs"], report["met_before_from_history"]) == (2, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "rules.history[0]: no schedule file at '{past}' (paths are relative to the instance file)"),
        ('{"rounds": [', "rules.history[0]: {past}: not valid JSON: Expecting value at line 1, column 13"),
        ('{"rounds": [{"round": 0, "tables": []}]}', "rules.history[0]: {past}: invalid content\n  rounds[0].round:"),
        ('{"status": "infeasible", "rounds": []}', "rules.history[0]: '{past}' holds no seating (status 'infeasible')"),
    ],
    ids=["missing", "not-json", "invalid", "no-seating"],
)
def test_a_bad_history_file_is_named_with_its_field(event: Path, content: str | None, message: str) -> None:
    past = event.parent / "past" / "june.json"
    if content is None:
        past.unlink()
    else:
        past.write_text(content)
    with pytest.raises(InputError) as caught:
        load_instance(event)
    assert caught.value.where == str(event)
    assert caught.value.message.startswith(message.format(past=past))
    result = CliRunner().invoke(main, ["solve", str(event)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"error: {event}: rules.history[0]: ")


def test_the_monthly_example_learns_from_september() -> None:
    """instances/monthly-jam.toml: 18 of September's 24 came back; September seated 6 tables of 4
    for 3 rounds, so 58 pairs of October's participants met there (counted from the file)."""
    root = ROOT / "instances"
    september = Schedule.model_validate_json((root / "history" / "monthly-jam-2026-09.json").read_text())
    october = load_instance(root / "monthly-jam.toml")
    here = set(october.participant_index)
    pairs = {
        frozenset((a, b))
        for seated in september.rounds
        for table in seated.tables
        for a in table.participants
        for b in table.participants
        if a < b and a in here and b in here
    }
    assert len(pairs) == 58
    assert october.met_before_pairs == pairs
