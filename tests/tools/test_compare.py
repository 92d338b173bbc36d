"""`tablejam compare`: every instance x setting x seed, on local processes and on a Dask cluster."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tablejam.cli import main
from tablejam.tools.compare import METRICS, summary, summary_text
from tests.conftest import two_pairs_or_a_trio

# The 4-person instance of test_objective: a trio {3 new pairs, one complementary pair (c = 2)} or
# two pairs {2 new pairs, both complementary (c = 4)}.
# max-new (new = 1): the trio, objective 3; its members meet 2 people, the one alone 0 (spread 2).
# complementary (new = 1, complementary = 5): the pairs, 2 + 5 * 4 = 22; everyone meets 1 (spread 0).
# Bounds: under max-new counting proves 3 (a table of 3 seats at most 3 pairs); under complementary counting
# allows 11 + 11 + 1 = 23 (the seats' three best pairs: both complementary ones, 1 + 5 * 2 each, and a third,
# which no table holds together), and in 3 s only CP-SAT proves 22 (the table-aware bound would, but 15% of
# the time left is under its least second).
EXPECTED = {
    "max-new": {"new_encounters": "3", "complementary_matches": "2", "min_new_per_participant": "0",
                "new_per_participant_spread": "2", "objective": "3.0", "status": "optimal", "valid": "True",
                "bound_source": "counting"},
    "comp": {"new_encounters": "2", "complementary_matches": "4", "min_new_per_participant": "1",
             "new_per_participant_spread": "0", "objective": "22.0", "status": "optimal", "valid": "True",
             "bound_source": "cp-sat"},
}  # fmt: skip


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(two_pairs_or_a_trio().model_dump_json())
    return path


def _compare(tiny: Path, tmp_path: Path, *extra: str):
    return CliRunner().invoke(
        main,
        ["compare", str(tiny), "--setting", "max-new", "--setting", "comp=complementary", "--seeds", "2",
         "--time-limit", "3", "-o", str(tmp_path / "runs.csv"), *extra],
    )  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_compare_on_local_processes_writes_rows_summary_and_plot(tiny: Path, tmp_path: Path) -> None:
    result = _compare(tiny, tmp_path, "--jobs", "2", "--plot", str(tmp_path / "plot.png"))
    assert result.exit_code == 0, result.stderr
    rows = _rows(tmp_path / "runs.csv")
    # 1 instance x 2 settings x 2 seeds, in that order whatever order the runs finished in.
    assert [(r["instance"], r["setting"], r["seed"]) for r in rows] == [
        ("tiny", "max-new", "1"), ("tiny", "max-new", "2"), ("tiny", "comp", "1"), ("tiny", "comp", "2")
    ]  # fmt: skip
    for row in rows:
        assert {key: row[key] for key in EXPECTED[row["setting"]]} == EXPECTED[row["setting"]]
        assert row["gap"] == "0.0" and row["repeat_meetings"] == "0"
    # The summary on stdout: one line per setting with its means.
    lines = result.stdout.splitlines()
    assert lines[0].split()[:5] == ["instance", "setting", "runs", "new", "encounters"]
    assert lines[0].split()[-2:] == ["bound", "from"]
    assert lines[1].split()[:6] == ["tiny", "max-new", "2/2", "3", "2", "0"]
    assert lines[2].split()[:6] == ["tiny", "comp", "2/2", "2", "4", "0"]
    # Where the bound came from, per setting (both runs agree: one name).
    assert (lines[1].split()[-1], lines[2].split()[-1]) == ("counting", "cp-sat")
    assert "gap 0.00% (bound: cp-sat)" in result.stderr
    assert result.stderr.count("optimal") == 4  # a line per finished run
    png = (tmp_path / "plot.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # five panels of box plots, not an empty canvas


def test_the_summary_counts_the_runs_of_each_bound_source_where_they_differ() -> None:
    rows = [
        {"instance": "jam", "setting": "s", "objective": 5.0, "bound_source": source, **dict.fromkeys(METRICS, 1.0)}
        for source in ("lp", "counting", "lp", None)
    ]
    # None: a run without a bound is left out of the count.
    (line,) = summary(rows)
    assert line["bound_source"] == "lp 2, counting 1"
    assert "lp 2, counting 1" in summary_text([line])


def test_compare_json_keeps_each_persons_count(tiny: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["compare", str(tiny), "--setting", "comp=complementary", "--seeds", "1", "--time-limit", "3",
               "--jobs", "1", "-o", str(tmp_path / "runs.json")],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    document = json.loads((tmp_path / "runs.json").read_text())
    assert document["format"] == "tablejam.compare/1"
    (run,) = document["runs"]
    assert sorted(run["new_per_participant"]) == [1, 1, 1, 1]
    assert (run["objective"], run["bound"], run["valid"]) == (22.0, 22.0, True)


def test_compare_on_a_local_dask_cluster_gives_the_same_rows(tiny: Path, tmp_path: Path) -> None:
    result = _compare(tiny, tmp_path, "--dask", "local", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    rows = _rows(tmp_path / "runs.csv")
    assert len(rows) == 4
    for row in rows:
        assert {key: row[key] for key in EXPECTED[row["setting"]]} == EXPECTED[row["setting"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--setting", "fairest"], "unknown objective preset 'fairest'"),
        (["--setting", "=fair"], "a setting needs a name before '='"),
        (["-o", "runs.xlsx"], "runs.xlsx: expected a file ending in .csv or .json"),
        (["--plot", "plot.svg"], "plot.svg: expected a file ending in .png"),
    ],
)
def test_compare_bad_options_exit_2(tiny: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["compare", str(tiny), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


@pytest.fixture
def no_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run started fails the test: the options are checked before any."""
    from tablejam.tools import compare

    def ran(*args: object) -> None:
        raise AssertionError("a run started before the options were checked")

    monkeypatch.setattr(compare, "run_tasks", ran)


@pytest.mark.parametrize(
    ("module", "args", "message"),
    [
        ("matplotlib", ["--plot", "plot.png"], "plot.png: --plot needs matplotlib: pip install 'tablejam[research]'"),
        ("dask.distributed", ["--dask", "local"], "--dask: --dask needs Dask (dask.distributed)"),
    ],
)
def test_compare_says_what_is_missing_before_any_run(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_runs: None, module: str, args: list[str],
    message: str,
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it raises ImportError
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["compare", str(tiny), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "plot.png").exists()


@pytest.mark.parametrize("option", ["-o", "--plot"])
def test_compare_refuses_an_unwritable_output_before_any_run(
    tiny: Path, tmp_path: Path, no_runs: None, option: str
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # a file where the output's folder should be: nothing can be written below it
    target = blocker / ("runs.csv" if option == "-o" else "plot.png")
    result = CliRunner().invoke(main, ["compare", str(tiny), option, str(target)])
    assert result.exit_code == 2
    assert f"{target}: cannot write" in result.stderr


def test_a_folder_is_no_output_file(tmp_path: Path) -> None:
    from tablejam.errors import InputError
    from tablejam.files import check_writable

    folder = tmp_path / "runs.csv"
    folder.mkdir()
    with pytest.raises(InputError, match="is a folder, not a file"):
        check_writable(folder)
    check_writable(tmp_path / "runs.json")
    assert list(tmp_path.iterdir()) == [folder]  # the trial file is gone, and nothing else was made


def test_every_run_has_the_compiled_local_search_before_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a fresh install a run without the local search may find nothing in a short limit (one worker, the
    max-new preset, the Business Jam: 2 of 4 seeds in 5 s), and would measure another engine: so the kernels
    are ready before the first run."""
    import tablejam.solver.local_search as local_search
    from tablejam.tools import compare

    events: list[str] = []
    monkeypatch.setattr(local_search, "warm_up", lambda: events.append("warm-up"))
    monkeypatch.setattr(compare, "run_task", lambda task: events.append(f"run {task}"))
    assert list(compare.run_tasks(["a", "b"], jobs=1)) == [None, None]  # type: ignore[list-item]
    assert events == ["warm-up", "run a", "run b"]
