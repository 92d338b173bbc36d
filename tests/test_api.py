"""The documented Python API, as an in-process caller uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

import tablejam


def test_load_solve_check_round_trip() -> None:
    instance = tablejam.load_instance(Path(__file__).resolve().parent.parent / "instances" / "kirkman-schoolgirls.toml")
    schedule = tablejam.solve(instance, tablejam.SolverSettings(time_limit=20))
    report = tablejam.check(instance, schedule)
    assert report.valid
    # Kirkman's 15 schoolgirls: 15 * 14 / 2 = 105 pairs, each meeting exactly once, proven optimal.
    assert (schedule.status, schedule.objective, report.stats.new_encounters) == ("optimal", 105, 105)


def test_bad_input_raises_our_error_with_the_place(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"rounds": 0}')
    with pytest.raises(tablejam.InputError) as caught:
        tablejam.load_instance(path)
    assert caught.value.where == str(path)
    assert isinstance(caught.value, tablejam.TablejamError)


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError):
        tablejam.solver_of_dreams  # noqa: B018
