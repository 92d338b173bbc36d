"""Untrusted input: an instance from standard input names no file, unless the caller passes --base-dir, and then
only files inside it. Run as real processes, as an embedding service would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PEOPLE = "id,name\na,Ann\nb,Ben\nc,Cy\nd,Di\n"


def _instance(participants: str, history: list[str] | None = None) -> str:
    rules = {"history": history} if history else {}
    return json.dumps({"rounds": 1, "tables": {"count": 2, "capacity": 2}, "participants": participants,
                       "rules": rules})  # fmt: skip


def _tablejam(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tablejam.cli", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, timeout=60)  # fmt: skip


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A base folder with a participant sheet inside, and a secret sheet outside it."""
    base = tmp_path / "base"
    base.mkdir()
    (base / "people.csv").write_text(PEOPLE)
    (tmp_path / "secret.csv").write_text(PEOPLE)
    (base / "leak.csv").symlink_to(tmp_path / "secret.csv")
    return base, tmp_path


@pytest.mark.parametrize("command", [["validate", "-", "--format", "json"], ["solve", "-", "--format", "json"]])
def test_stdin_may_name_no_file_without_a_base_dir(folders: tuple[Path, Path], command: list[str]) -> None:
    base, outside = folders
    for named in ("people.csv", str(outside / "secret.csv")):
        result = _tablejam(*command, stdin=_instance(named), cwd=base)
        assert result.returncode == 2
        error = json.loads(result.stdout)["error"]
        assert error["where"] == "<stdin>"
        assert error["message"] == (
            f"participants: '{named}' names a file, but an instance from standard input or a request may name none "
            "(the caller may allow files inside one folder: --base-dir DIR)"
        )
        assert "Traceback" not in result.stderr


def test_base_dir_allows_files_inside_it_only(folders: tuple[Path, Path]) -> None:
    base, outside = folders
    inside = _tablejam("validate", "-", "--base-dir", str(base), "--format", "json", stdin=_instance("people.csv"),
                       cwd=outside)  # fmt: skip
    assert inside.returncode == 0, inside.stderr
    assert json.loads(inside.stdout)["attendees_per_round"] == [4]
    for named in ("../secret.csv", str(outside / "secret.csv"), "leak.csv"):  # up and out, absolute, a symlink out
        refused = _tablejam("validate", "-", "--base-dir", str(base), stdin=_instance(named), cwd=outside)
        assert refused.returncode == 2
        assert f"participants: '{named}' is outside {base} (the --base-dir given)" in refused.stderr


def test_history_files_follow_the_same_rule(folders: tuple[Path, Path]) -> None:
    base, outside = folders
    people = [{"id": x} for x in "abcd"]
    document = json.dumps({"rounds": 1, "tables": {"count": 2, "capacity": 2}, "participants": people,
                           "rules": {"history": ["../old.json"]}})  # fmt: skip
    refused = _tablejam("solve", "-", "--base-dir", str(base), stdin=document, cwd=outside)
    assert refused.returncode == 2
    assert "rules.history[0]: '../old.json' is outside" in refused.stderr
    assert "names a file" in _tablejam("solve", "-", stdin=document, cwd=outside).stderr


def test_an_instance_file_on_disk_reads_beside_itself(folders: tuple[Path, Path]) -> None:
    # Files on disk are the author's own: they keep naming files relative to their folder, even above it.
    base, outside = folders
    (base / "event.json").write_text(_instance("../secret.csv"))
    result = _tablejam("validate", str(base / "event.json"), stdin="", cwd=outside)
    assert result.returncode == 0, result.stderr
