"""Soak: many generated instances solved at once by `tablejam solve` processes, as a service runs them.

Every answer is a whole JSON document on stdout with the documented exit code: 0 and a schedule the checker
accepts, or 3 and status infeasible with its reasons. Nothing is left behind: no process, no temporary file.
Short by default (a few instances, 2-s limits); `pytest --soak` runs many, longer.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tablejam.check import check
from tablejam.models import Instance, Schedule
from tablejam.tools.generate import business_event, golfer
from tests.conftest import ROOT

KINDS = ("event", "golfer", "overfull", "too-many-rounds")


def soak_instance(rng: random.Random, kind: str) -> tuple[Instance, bool]:
    """A random instance of this kind, and whether it is infeasible by construction."""
    if kind == "event":
        capacity = rng.randint(4, 8)
        people = rng.randint(12, 120)
        tables = -(-people // capacity) + rng.randint(0, 1)
        event = business_event(
            people, tables, capacity, rng.randint(2, 5), seed=rng.randrange(1000), hosts=rng.randint(0, 2),
            absent_share=rng.choice([0.0, 0.05]), colleague_groups=rng.randint(0, 3), sector_cap=rng.choice([2, None]),
        )  # fmt: skip
        # Repeats minimised: any seating within the tables' limits is valid, so a schedule is always due.
        return _with_rules(event, repeats="minimise"), False
    if kind == "golfer":
        return golfer(rng.randint(3, 6), rng.randint(2, 4), rng.randint(2, 6), repeats="minimise"), False
    if kind == "overfull":
        # More people than seats: the precheck says so before any search.
        capacity = rng.randint(3, 6)
        tables = rng.randint(2, 5)
        return business_event(
            tables * capacity + rng.randint(1, 5), tables, capacity, 2, seed=rng.randrange(1000)
        ), True
    # g tables of p for w rounds without a repeat: each round one meets p - 1 new people, of the g*p - 1 others,
    # so at most (g*p - 1) // (p - 1) rounds; one more cannot be planned.
    groups, size = rng.randint(3, 5), rng.randint(3, 4)
    return golfer(groups, size, (groups * size - 1) // (size - 1) + 1), True


def _with_rules(instance: Instance, **rules: str) -> Instance:
    data = instance.model_dump()
    data["rules"] |= rules
    return Instance.model_validate(data)


def _solve(path: Path, seconds: float, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tablejam.cli", "solve", str(path), "--format", "json",
               "--time-limit", str(seconds), "--seed", "1"]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60)


def _processes_with(token: str) -> list[int]:
    """Processes still running whose environment holds `token` (Linux: /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if token.encode() in environment:
            found.append(int(entry.name))
    return found


def test_soak(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    long = request.config.getoption("--soak")
    count, seconds, at_once = (40, 5.0, 4) if long else (8, 2.0, 4)
    rng = random.Random(20261201)
    cases = []
    for k in range(count):
        instance, infeasible = soak_instance(rng, KINDS[k % len(KINDS)])  # every kind, even in a short soak
        path = tmp_path / f"soak-{k}.json"
        path.write_text(instance.model_dump_json())
        cases.append((path, instance, infeasible))
    temp = tmp_path / "tmp"
    temp.mkdir()
    token = f"tablejam-soak-{uuid.uuid4()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp), "TABLEJAM_SOAK": token}

    with ThreadPoolExecutor(max_workers=at_once) as pool:
        results = list(pool.map(lambda case: _solve(case[0], seconds, env), cases))

    for (path, instance, infeasible), result in zip(cases, results, strict=True):
        document = json.loads(result.stdout)  # a whole document, and nothing else, on stdout
        schedule = Schedule.model_validate(document)
        if infeasible:
            assert (result.returncode, schedule.status) == (3, "infeasible"), (path, result.stderr)
            assert schedule.reasons and schedule.explanation and not schedule.rounds
        else:
            assert result.returncode == 0, (path, schedule.status, schedule.explanation, result.stderr)
            assert check(instance, schedule).valid, path
    if sys.platform == "linux":
        assert _processes_with(token) == [], "a solve left a process running"
    assert list(temp.iterdir()) == [], "a solve left a temporary file"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["tmp", *(case[0].name for case in cases)])


def test_compare_on_a_fresh_install_finds_a_schedule_in_every_run(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Nothing compiled yet (an empty cache): every run of a 5-s sweep still finds a schedule (--soak: compiling
    takes 10-60 s)."""
    if not request.config.getoption("--soak"):
        pytest.skip("compiles the local search from nothing: run with --soak")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "tablejam.cli", "compare", str(ROOT / "instances" / "business-jam.toml"),
               "--setting", "max-new", "--seeds", "4", "--time-limit", "5", "--jobs", "2",
               "-o", str(tmp_path / "runs.json")]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    runs = json.loads((tmp_path / "runs.json").read_text())["runs"]
    assert [(run["seed"], run["valid"]) for run in runs] == [(1, True), (2, True), (3, True), (4, True)]
