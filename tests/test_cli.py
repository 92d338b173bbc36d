"""The command line as users and programs meet it: exit codes, messages, and nothing but the document on stdout."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tablejam.models import Schedule
from tests.conftest import GOOD_TOML, run

ROOT = Path(__file__).resolve().parent.parent
BUSINESS_JAM = ROOT / "instances" / "business-jam.toml"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(GOOD_TOML)
    return path


def test_solve_json_is_the_whole_stdout_and_passes_check(tiny: Path, tmp_path: Path) -> None:
    result = run("solve", str(tiny), "--format", "json", "--time-limit", "5")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)  # fails if anything else were printed
    assert document["format"] == "tablejam.schedule/1"
    assert document["instance"] == "tiny"
    # 4 people, 2 tables of 2, 2 rounds: 2 + 2 = 4 of the 6 pairs meet, all new; the count bound proves it.
    assert (document["status"], document["objective"], document["bound"], document["gap"]) == ("optimal", 4, 4, 0)
    assert [r["round"] for r in document["rounds"]] == [1, 2]
    assert set(document["stats"]) >= {"new_encounters", "repeat_meetings", "complementary_matches",
                                      "cross_sector_encounters", "min_new_per_participant"}  # fmt: skip
    assert set(document["solver"]) >= {"time_s", "seed", "workers"}
    schedule = tmp_path / "plan.json"
    schedule.write_text(result.stdout)
    checked = run("check", str(tiny), str(schedule))
    assert checked.exit_code == 0
    assert checked.stdout.startswith("valid")


def test_solve_text_shows_tables_objective_bound_and_gap(tiny: Path) -> None:
    result = run("solve", str(tiny), "--time-limit", "5")
    assert result.exit_code == 0
    for expected in (
        "Round 1",
        "Round 2",
        "T1",
        "status     optimal",
        "objective  4",
        "bound      4",
        "gap        0.00%",
    ):
        assert expected in result.stdout


def test_output_file_is_written_whole(tiny: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "plan.json"
    result = run("solve", str(tiny), "-o", str(target), "--time-limit", "5")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text())["status"] == "optimal"
    assert "wrote" in result.stderr
    assert [p.name for p in target.parent.iterdir()] == ["plan.json"]  # no temporary file left behind


def test_stdin_json(tiny: Path) -> None:
    import tomllib

    document = json.dumps(tomllib.loads(GOOD_TOML))
    result = run("solve", "-", "--format", "json", "--time-limit", "5", stdin=document)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["status"] == "optimal"


def test_check_reports_violations_with_exit_1(tiny: Path, tmp_path: Path) -> None:
    same_tables = [{"table": "T1", "participants": ["a", "b"]}, {"table": "T2", "participants": ["c", "d"]}]
    bad = {"rounds": [{"round": r, "tables": same_tables} for r in (1, 2)]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = run("check", str(tiny), str(path))
    assert result.exit_code == 1
    assert "2 violation(s)" in result.stdout
    assert "[repeat] round 2: a and b meet again (met in round 1)" in result.stdout
    as_json = json.loads(run("check", str(tiny), str(path), "--format", "json").stdout)
    assert as_json["valid"] is False
    assert [v["rule"] for v in as_json["violations"]] == ["repeat", "repeat"]
    assert as_json["stats"]["repeat_meetings"] == 2


def test_infeasible_exits_3_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "full.toml"
    path.write_text(GOOD_TOML.replace("capacity = 2", "capacity = 1"))
    result = run("solve", str(path), "--format", "json")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["status"] == "infeasible"
    assert document["explanation"] == [
        "round 1 has 4 attendees but only 2 seats at 2 tables",
        "round 2 has 4 attendees but only 2 seats at 2 tables",
    ]
    assert document["reasons"][1] == {
        "rule": "capacity",
        "fact": "seats",
        "message": "round 2 has 4 attendees but only 2 seats at 2 tables",
        "source": "precheck",
        "rounds": [2],
        "tables": [],
        "participants": [],
        "sector": None,
        "company": None,
        "attribute": None,
        "value": None,
        "counts": {"attendees": 4, "seats": 2, "tables": 2},
    }
    validated = run("validate", str(path))
    assert validated.exit_code == 3
    assert "[capacity] round 1 has 4 attendees but only 2 seats at 2 tables" in validated.stdout


def test_no_schedule_within_the_time_limit_exits_4(tmp_path: Path) -> None:
    from tablejam.tools.generate import golfer

    path = tmp_path / "golfer.json"
    path.write_text(golfer(6, 6, 4).model_dump_json())  # no schedule exists (Euler's 36 officers), none proves it
    result = run("solve", str(path), "--time-limit", "1", "--format", "json")
    assert result.exit_code == 4
    document = json.loads(result.stdout)
    assert document["status"] == "unknown"
    assert document["rounds"] == []
    assert document["bound"] is not None


def test_validate_reports_counts_and_bounds() -> None:
    result = run("validate", str(BUSINESS_JAM), "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    # 48 people, largest table 6: (48 - 1) // (6 - 1) = 9 rounds at most without repeats.
    assert report["bounds"]["max_rounds_without_repeats"] == 9
    assert report["attendees_per_round"] == [46, 48, 47, 46]
    # Tables of 5..6: extra people over the minimum of 5 go to the first tables.
    assert report["table_sizes_per_round"] == [[6] * 6 + [5] * 2, [6] * 8, [6] * 7 + [5], [6] * 6 + [5] * 2]
    assert "round 1: 46 attendees, e.g. 6 tables of 6 and 2 of 5" in run("validate", str(BUSINESS_JAM)).stdout
    # Tables of 5..6: 46 -> 6x6 + 2x5 = 110 pairs, 48 -> 120, 47 -> 7x6 + 5 = 115; 110+120+115+110 = 455.
    assert report["bounds"]["max_new_encounters"] == 455
    assert report["impossibilities"] == []


def test_validate_seats_each_round_at_its_open_tables(tmp_path: Path) -> None:
    # 9 people; T1 and T2 (4 seats, at least 2) always open, the Terrace (4 seats, at least 1) in round 2 only.
    tables = [{"id": "T1", "capacity": 4, "min": 2}, {"id": "T2", "capacity": 4, "min": 2},
              {"id": "Terrace", "capacity": 4, "min": 1, "rounds": [2]}]  # fmt: skip
    people = [{"id": f"p{k}"} for k in range(1, 10)]
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"rounds": 3, "tables": tables, "participants": people,
                                 "rules": {"repeats": "minimise"}}))  # fmt: skip
    # Rounds 1 and 3: 9 people at 8 seats cannot be seated; round 2: 3 tables of 3.
    report = json.loads(run("validate", str(event), "--format", "json").stdout)
    assert report["table_sizes_per_round"] == [None, [3, 3, 3], None]
    text = run("validate", str(event)).stdout
    assert "  round 1: 9 attendees, cannot be seated within the table limits\n" in text
    assert "  round 2: 9 attendees, e.g. 3 tables of 3\n" in text
    assert "  seats in rounds 1, 3: 8 (minimums add up to 4)\n  seats in round 2: 12 (minimums add up to 5)\n" in text


@pytest.mark.parametrize("which", ["instance", "schedule"])
def test_schema_is_json_schema(which: str) -> None:
    result = run("schema", which)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["type"] == "object"
    expected = {"instance": {"rounds", "tables", "participants"}, "schedule": {"status", "rounds", "bound", "stats"}}
    assert expected[which] <= set(schema["properties"])


def test_schema_names_the_bound_sources_and_old_documents_still_load() -> None:
    schema = json.loads(run("schema", "schedule").stdout)
    source = schema["$defs"]["SolverInfo"]["properties"]["bound_source"]
    assert source["anyOf"][0]["enum"] == ["counting", "cp-sat", "lp"]
    assert "Which proof gave `bound`" in source["description"]
    old = {"status": "feasible", "rounds": [], "solver": {"time_s": 1.0, "seed": 0, "workers": 2}}
    loaded = Schedule.model_validate(old)  # written before bound_source existed
    assert loaded.solver is not None and loaded.solver.bound_source is None


# Each kind of mistake: (file name, content, fragments the message must contain).
BAD_INPUTS = [
    ("typo.toml", GOOD_TOML + "\n[rulez]\nrepeats = 'forbid'\n", ["rulez: unknown field"]),
    ("nested.toml", GOOD_TOML.replace('id = "c"', 'id = "c"\nsecter = "x"'),
     ["participants[2] (id 'c').secter: unknown field"]),
    ("type.toml", GOOD_TOML.replace("rounds = 2", 'rounds = "two"'), ["rounds:", "'two'"]),
    ("range.toml", GOOD_TOML.replace("rounds = 2", "rounds = 0"), ["rounds:", "greater than or equal to 1", "got 0"]),
    ("huge.toml", GOOD_TOML.replace("rounds = 2", "rounds = 100000000000000000000"), ["rounds:", "1000"]),
    ("missing.toml", GOOD_TOML.replace("rounds = 2", ""), ["rounds: required field is missing"]),
    ("host.toml", GOOD_TOML.replace('id = "a"', 'id = "a"\nhost = "T9"'),
     ["participants[0] (id 'a').host: table 'T9' does not exist"]),
    ("absent.toml", GOOD_TOML.replace('id = "a"', 'id = "a"\nabsent = [3]'),
     ["participants[0] (id 'a').absent: round 3 is outside 1..2"]),
    ("dup.toml", GOOD_TOML.replace('id = "b"', 'id = "a"'), ["participants[1] (id 'a').id: duplicate participant id"]),
    ("pair.toml", GOOD_TOML + "\n[rules]\nkeep_apart = [['a', 'zz']]\n",
     ["rules.keep_apart[0]: participant 'zz' does not exist"]),
    ("min.toml", GOOD_TOML.replace("capacity = 2", "capacity = 2\nmin = 3"), ["min 3 exceeds capacity 2"]),
    ("weights.toml", GOOD_TOML + "\n[objective]\nnew = 0.12345\n", ["objective.new:", "more than 3 decimals"]),
    ("syntax.toml", "rounds = = 2", ["not valid TOML"]),
    ("syntax.json", '{"rounds": 2,', ["not valid JSON", "line 1"]),
    ("empty.toml", "   \n", ["the document is empty"]),
    ("array.json", "[1, 2]", ["invalid content"]),
    ("plan.yaml", "rounds: 2", ["unknown file type '.yaml'"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "fragments"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path, name: str, content: str, fragments: list[str]) -> None:
    path = tmp_path / name
    path.write_text(content)
    for command in ("solve", "validate"):
        result = run(command, str(path))
        assert result.exit_code == 2, result.output
        assert result.stdout == ""  # nothing half-written where the document would go
        assert result.stderr.startswith(f"error: {path}: ")
        assert "Traceback" not in result.stderr
        for fragment in fragments:
            assert fragment in result.stderr


def test_bad_encoding_and_missing_file(tmp_path: Path) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes(GOOD_TOML.replace('"a"', '"\xe9"').encode("latin-1"))
    assert "not UTF-8 text" in run("solve", str(latin)).stderr
    missing = run("solve", str(tmp_path / "nope.toml"))
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'nope.toml'}: file not found\n"


def test_bad_input_in_json_mode_is_also_a_json_error_on_stdout(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(GOOD_TOML.replace("rounds = 2", "rounds = 0"))
    result = run("solve", str(path), "--format", "json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == 2
    assert error["where"] == str(path)
    assert "rounds:" in error["message"]


def test_usage_errors_exit_2(tiny: Path) -> None:
    assert run("solve", str(tiny), "--time-limit", "-3").exit_code == 2
    assert run("solve").exit_code == 2
    assert run("schema", "nonsense").exit_code == 2


def test_check_rejects_a_schedule_without_seating(tiny: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"status": "infeasible", "rounds": []}))
    result = run("check", str(tiny), str(path))
    assert result.exit_code == 2
    assert "holds no seating" in result.stderr


def _tablejam(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """tablejam as another program runs it: a real process, text in and out."""
    command = [sys.executable, "-m", "tablejam.cli", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60)


def _schedule_schema() -> dict:
    return json.loads(_tablejam("schema", "schedule").stdout)


def test_as_a_subprocess_stdout_holds_only_json(tiny: Path) -> None:
    """Exactly as another program calls it: JSON on stdin, JSON out, every field checked, the exit code."""
    import jsonschema

    # Tables of 3 and 2: the two at the small table meet one person each, so with fairness 10 the
    # best is 3 + 1 pairs + 10 x 1 = 14. Counting alone allows 2 new each (24); CP-SAT proves 14.
    instance = {
        "name": "five",
        "rounds": 1,
        "tables": [{"id": "big", "capacity": 3}, {"id": "small", "capacity": 2}],
        "participants": [{"id": x} for x in "abcde"],
        "objective": {"fairness": 10},
    }
    completed = _tablejam("solve", "-", "--format", "json", "--time-limit", "5", "--seed", "3", "--log",
                          stdin=json.dumps(instance))  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout)  # fails if anything but the document were on stdout
    jsonschema.validate(document, _schedule_schema())
    assert set(document) == {"format", "instance", "status", "objective", "bound", "gap", "rounds", "stats",
                             "solver", "explanation", "reasons", "replanned"}  # fmt: skip
    assert (document["format"], document["instance"]) == ("tablejam.schedule/1", "five")
    assert (document["status"], document["objective"], document["bound"], document["gap"]) == ("optimal", 14, 14, 0)
    (seated,) = document["rounds"]
    assert seated["round"] == 1
    assert {t["table"]: len(t["participants"]) for t in seated["tables"]} == {"big": 3, "small": 2}
    assert sorted(p for t in seated["tables"] for p in t["participants"]) == list("abcde")
    assert document["stats"] == {
        "new_encounters": 4, "repeat_meetings": 0, "complementary_matches": 0, "cross_sector_encounters": 0,
        "min_new_per_participant": 1, "max_new_per_participant": 2, "mean_new_per_participant": 1.6,
        "wishes_granted": 0, "wishes_broken": 0, "meetings": 4, "objective": 14.0,
    }  # fmt: skip
    solver = document["solver"]
    assert (solver["seed"], solver["workers"], solver["time_limit_s"]) == (3, 2, 5.0)
    assert (solver["interrupted"], solver["setting"], solver["least_violations"]) == (False, None, None)
    assert solver["engine"] and solver["ortools"]
    assert 0 <= solver["first_schedule_s"] <= solver["time_s"] < 5
    assert (document["explanation"], document["reasons"], document["replanned"]) == ([], [], None)
    assert "CP-SAT" in completed.stderr  # the search log went to stderr, not stdout


def test_as_a_subprocess_errors_and_infeasibility_have_their_exit_codes() -> None:
    bad = _tablejam("solve", "-", "--format", "json", stdin='{"rounds": 0, "tables": {"count": 1, "capacity": 2}}')
    assert bad.returncode == 2
    error = json.loads(bad.stdout)["error"]
    assert (error["code"], error["where"]) == (2, "<stdin>")
    assert "rounds: Input should be greater than or equal to 1 (got 0)" in error["message"]
    assert "participants: required field is missing" in error["message"]
    assert "Traceback" not in bad.stderr and bad.stderr.startswith("error: <stdin>: invalid content")

    full = {"rounds": 1, "tables": {"count": 1, "capacity": 2}, "participants": [{"id": x} for x in "abc"]}
    infeasible = _tablejam("solve", "-", "--format", "json", stdin=json.dumps(full))
    assert infeasible.returncode == 3
    document = json.loads(infeasible.stdout)
    assert (document["status"], document["rounds"], document["objective"]) == ("infeasible", [], None)
    assert document["explanation"] == ["round 1 has 3 attendees but only 2 seats at 1 table"]
    assert document["reasons"][0]["counts"] == {"attendees": 3, "seats": 2, "tables": 1}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_solve_returns_the_best_schedule_so_far(tmp_path: Path, sig: signal.Signals) -> None:
    """Another program stops a long solve: tablejam ends promptly and still writes a whole, valid document."""
    from tablejam.tools.generate import business_event

    instance = tmp_path / "event.json"
    instance.write_text(business_event(90, 15, 6, 4, seed=7, hosts=2, absent_share=0.05).model_dump_json())
    process = subprocess.Popen(
        [sys.executable, "-m", "tablejam.cli", "solve", str(instance), "--format", "json", "--time-limit", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(6)  # imports, loading the compiled search, and a valid schedule (found in well under a second)
    process.send_signal(sig)
    started = time.perf_counter()
    stdout, stderr = process.communicate(timeout=30)
    assert time.perf_counter() - started < 5, "the solve should end within seconds of the signal"
    assert process.returncode == 0, stderr
    document = json.loads(stdout)
    import jsonschema

    jsonschema.validate(document, _schedule_schema())
    assert document["status"] == "feasible"
    assert document["solver"]["interrupted"] is True
    assert document["solver"]["time_s"] < 60
    schedule = tmp_path / "plan.json"
    schedule.write_text(stdout)
    assert run("check", str(instance), str(schedule)).exit_code == 0


def test_progress_json_streams_better_schedules_on_stderr() -> None:
    result = run("solve", str(BUSINESS_JAM), "--format", "json", "--time-limit", "6", "--progress", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert lines, "at least the first valid schedule is reported"
    assert all(set(line) == {"time_s", "objective", "bound", "gap"} for line in lines)
    objectives = [line["objective"] for line in lines]
    assert objectives == sorted(set(objectives))  # each line is a better schedule
    assert all(line["objective"] <= line["bound"] for line in lines)
    assert objectives[-1] == document["objective"]


def _run_on_a_terminal(args: list[str], seconds: float) -> str:
    """Run tablejam with stdout and stderr on a pseudo-terminal, as a person would; return what it showed."""
    import os
    import pty

    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    process = subprocess.Popen([sys.executable, "-m", "tablejam.cli", *args], stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=30)
    os.close(controller)
    return shown.decode("utf-8", "replace")


def test_live_line_on_a_terminal_only(tiny: Path) -> None:
    shown = _run_on_a_terminal(["solve", str(BUSINESS_JAM), "--time-limit", "3"], seconds=60)
    # The line is redrawn while solving: elapsed time against the limit, then best, bound and gap.
    assert "s of 3 s" in shown
    assert re.search(r"best \d+\s+bound \d+\s+gap \d+\.\d%", shown)
    assert "status" in shown  # the plan itself still follows
    # Not a terminal (as here, through CliRunner): not a trace of it.
    result = run("solve", str(tiny), "--time-limit", "2")
    assert result.exit_code == 0
    assert "gap" not in result.stderr and "solving" not in result.stderr


def test_version_is_the_installed_packages() -> None:
    from importlib.metadata import version

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"tablejam, version {version('tablejam')}\n"


def test_warmup_leaves_the_local_search_ready() -> None:
    from tablejam.solver.local_search import kernels_ready

    result = run("warmup")
    assert result.exit_code == 0
    assert re.fullmatch(r"local search ready \(\d+\.\d s\)\n", result.stderr)
    assert kernels_ready()
