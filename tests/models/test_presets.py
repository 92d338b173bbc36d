"""Objective settings: presets, settings files, and the lexicographic mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tablejam.cli import main
from tablejam.errors import InputError
from tablejam.files import load_setting
from tablejam.models.presets import PRESETS, Setting
from tablejam.models.settings import SolverSettings
from tests.conftest import make_instance, solve_checked, two_pairs_or_a_trio


def test_lexicographic_weights_outweigh_every_later_term() -> None:
    instance = two_pairs_or_a_trio(["new", "complementary"])
    # Ranges: complementary can change by at most 4 (all c summed), so one new pair must weigh 4 + 1 = 5;
    # unlisted terms weigh nothing.
    weights = instance.weights
    assert (weights.new, weights.complementary, weights.cross_sector, weights.repeat, weights.fairness) == (
        5,
        1,
        0,
        0,
        0,
    )
    reverse = two_pairs_or_a_trio(["complementary", "new"]).weights
    # new can change by at most 6 (1 round x 2 tables x 3 pairs = 6 = all pairs), so complementary weighs 7.
    assert (reverse.complementary, reverse.new) == (7, 1)


@pytest.mark.parametrize(
    ("order", "new", "complementary", "objective"),
    [
        (["new", "complementary"], 3, 2, 3 * 5 + 2),  # the trio first, then its complementary pair
        (["complementary", "new"], 2, 4, 4 * 7 + 2),  # both complementary pairs, at the cost of one meeting
    ],
)
def test_lexicographic_order_decides_the_seating(order, new, complementary, objective) -> None:
    schedule = solve_checked(two_pairs_or_a_trio(order), time_limit=5)
    assert schedule.status == "optimal"
    assert schedule.stats is not None
    assert (schedule.stats.new_encounters, schedule.stats.complementary_matches) == (new, complementary)
    assert schedule.objective == objective


def test_weighted_sum_can_prefer_either() -> None:
    # new = 3, complementary = 1: the trio scores 3*3 + 2 = 11, the two pairs 2*3 + 4 = 10.
    trio = solve_checked(two_pairs_or_a_trio(new=3, complementary=1), time_limit=5)
    assert (trio.stats.new_encounters, trio.objective) == (3, 11)
    # new = 1, complementary = 1: the two pairs score 2 + 4 = 6 against the trio's 3 + 2 = 5.
    pairs = solve_checked(two_pairs_or_a_trio(new=1, complementary=1), time_limit=5)
    assert (pairs.stats.new_encounters, pairs.objective) == (2, 6)


def test_a_term_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="lists a term twice"):
        two_pairs_or_a_trio(["new", "new"])


def test_preset_replaces_weights_and_keeps_everything_else() -> None:
    instance = two_pairs_or_a_trio(["complementary", "new"])
    applied = PRESETS["complementary"].apply(instance)
    assert applied.objective.lexicographic is None  # weights given: a weighted sum again
    assert (applied.objective.new, applied.objective.complementary) == (1, 5)
    assert applied.participants == instance.participants and applied.tables == instance.tables
    # 'fair' is an order: fewest-new person first, then all new pairs.
    assert PRESETS["fair"].apply(instance).objective.lexicographic == ["fairness", "new"]


def test_settings_file_changes_only_what_it_gives(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('description = "mine"\n[objective]\ncross_sector = 4\n[rules]\nrepeats = "minimise"\n'
                    "[solver]\ntime_limit = 7\n")  # fmt: skip
    label, setting = load_setting(str(path))
    assert label == str(path)
    instance = make_instance(3, objective={"new": 2})
    applied = setting.apply(instance)
    assert (applied.objective.new, applied.objective.cross_sector) == (2, 4)
    assert applied.rules.repeats == "minimise"
    settings = setting.solver_settings(SolverSettings(time_limit=30, seed=3))
    assert (settings.time_limit, settings.seed) == (7, 3)


def test_unknown_preset_and_bad_file_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown objective preset 'fairest' \\(presets: max-new, complementary"):
        load_setting("fairest")
    path = tmp_path / "bad.toml"
    path.write_text("[objective]\nnew = -1\n")
    with pytest.raises(InputError) as caught:
        load_setting(str(path))
    assert "objective.new: Input should be greater than or equal to 0 (got -1)" in str(caught.value)


def test_cli_objective_preset_and_explicit_options_win(tmp_path: Path) -> None:
    instance = tmp_path / "event.json"
    instance.write_text(two_pairs_or_a_trio().model_dump_json())
    setting = tmp_path / "order.toml"
    setting.write_text('[objective]\nlexicographic = ["complementary", "new"]\n[solver]\nseed = 9\ntime_limit = 4\n')
    result = CliRunner().invoke(
        main, ["solve", str(instance), "--objective", str(setting), "--seed", "5", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["stats"]["complementary_matches"], document["objective"]) == (4, 30)
    # --seed typed on the command line wins over the file; the file's time limit applies.
    assert (document["solver"]["seed"], document["solver"]["time_limit_s"]) == (5, 4)
    assert document["solver"]["setting"] == str(setting)


def test_cli_unknown_preset_is_exit_2(tmp_path: Path) -> None:
    instance = tmp_path / "event.json"
    instance.write_text(two_pairs_or_a_trio().model_dump_json())
    result = CliRunner().invoke(main, ["solve", str(instance), "--objective", "nope"])
    assert result.exit_code == 2
    assert "unknown objective preset 'nope'" in result.stderr
    assert result.stdout == ""


def test_presets_command_prints_settings_file_lines() -> None:
    result = CliRunner().invoke(main, ["presets"])
    assert result.exit_code == 0
    assert 'objective.lexicographic = ["fairness", "new"]' in result.stdout
    assert "# complementary:" in result.stdout and "objective.complementary = 5" in result.stdout


def test_setting_schema_is_printed() -> None:
    result = CliRunner().invoke(main, ["schema", "setting"])
    schema = json.loads(result.stdout)
    assert set(schema["properties"]) == {"description", "objective", "rules", "solver"}
    assert Setting.model_validate({"objective": {"lexicographic": ["repeat", "new"]}})
