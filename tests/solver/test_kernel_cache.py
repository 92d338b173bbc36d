"""Compiled kernels from a read-only install: cached per user, or not at all, and never a failed solve."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tablejam.check import check
from tablejam.files import load_instance
from tablejam.models import Schedule
from tablejam.solver import kernel_cache
from tests.conftest import BUSINESS_JAM, ROOT


@pytest.fixture
def numba_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """choose() tells numba its folder: put numba's configuration and the environment back afterwards."""
    from numba.core import config

    monkeypatch.setattr(config, "CACHE_DIR", config.CACHE_DIR)
    monkeypatch.setenv("NUMBA_CACHE_DIR", os.environ.get("NUMBA_CACHE_DIR", ""))


def _read_only(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return folder


def _only_writable(monkeypatch: pytest.MonkeyPatch, *folders: Path) -> None:
    """Only these folders can be written (permission bits do not bind root, who runs some test machines)."""
    monkeypatch.setattr(kernel_cache, "writable", lambda folder: folder in folders)


def test_a_read_only_package_caches_in_the_users_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, numba_config: None
) -> None:
    from numba.core import config

    monkeypatch.setattr(kernel_cache, "SOURCE_FOLDER", tmp_path / "site")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    expected = tmp_path / "cache" / "tablejam" / "numba"
    _only_writable(monkeypatch, expected)
    assert kernel_cache.choose() == expected
    assert (os.environ["NUMBA_CACHE_DIR"], config.CACHE_DIR) == (str(expected), str(expected))


@pytest.mark.parametrize("site", ["site-packages", "dist-packages"])
def test_an_installed_package_never_caches_beside_its_source_even_where_it_could(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, numba_config: None, site: str
) -> None:
    # A cache inside site-packages outlives `pip uninstall` as a `tablejam` folder that hides a later editable
    # install from `python -m tablejam.cli`: so the user's cache folder, though beside the source is writable.
    source = tmp_path / "venv" / "lib" / "python3.11" / site / "tablejam" / "solver"
    monkeypatch.setattr(kernel_cache, "SOURCE_FOLDER", source)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    expected = tmp_path / "cache" / "tablejam" / "numba"
    _only_writable(monkeypatch, source / "__pycache__", expected)
    assert kernel_cache.choose() == expected
    # A development checkout keeps its cache beside the source, as numba would.
    checkout = tmp_path / "checkout" / "tablejam" / "solver"
    monkeypatch.setattr(kernel_cache, "SOURCE_FOLDER", checkout)
    monkeypatch.delenv("NUMBA_CACHE_DIR")  # (set by the choice above)
    _only_writable(monkeypatch, checkout / "__pycache__", expected)
    assert kernel_cache.choose() == checkout / "__pycache__"


def test_a_folder_the_caller_gives_wins_and_an_unwritable_one_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, numba_config: None
) -> None:
    in_tree, given = tmp_path / "site" / "__pycache__", tmp_path / "given"
    monkeypatch.setattr(kernel_cache, "SOURCE_FOLDER", tmp_path / "site")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(given))
    _only_writable(monkeypatch, in_tree, given)
    assert kernel_cache.choose() == given
    _only_writable(monkeypatch, in_tree)
    # The given folder cannot be written: beside the source, where numba looks by itself, so it is not told.
    assert kernel_cache.choose() == in_tree
    assert "NUMBA_CACHE_DIR" not in os.environ


def test_nothing_writable_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, numba_config: None) -> None:
    monkeypatch.setattr(kernel_cache, "SOURCE_FOLDER", tmp_path / "site")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NUMBA_CACHE_DIR")
    _only_writable(monkeypatch)
    assert kernel_cache.choose() is None
    assert "NUMBA_CACHE_DIR" not in os.environ


def test_writable_is_tested_by_writing(tmp_path: Path) -> None:
    assert kernel_cache.writable(tmp_path / "new" / "folder")  # made, then written to
    (tmp_path / "file").write_text("")
    assert not kernel_cache.writable(tmp_path / "file" / "below")  # a file stands in the way


def _unprivileged() -> list[str]:
    """A command prefix under which permission bits bind: as root, without the capabilities that override them."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made to bind")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


@pytest.fixture
def read_only_install(tmp_path: Path) -> Path:
    """The package copied into a folder nobody may write to, as in a container image's site-packages."""
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "tablejam", site / "tablejam", ignore=shutil.ignore_patterns("__pycache__"))
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    yield site
    for path in [site, *site.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)  # so that pytest can remove it


def _solves(site: Path, home: Path, cache: Path, count: int, seconds: int) -> list[subprocess.CompletedProcess[str]]:
    env = {key: value for key, value in os.environ.items() if key != "NUMBA_CACHE_DIR"}
    env.update(PYTHONPATH=str(site), HOME=str(home), XDG_CACHE_HOME=str(cache), PYTHONDONTWRITEBYTECODE="1")
    command = [*_unprivileged(), sys.executable, "-m", "tablejam.cli", "solve", str(BUSINESS_JAM), "--format", "json",
               "--time-limit", str(seconds)]  # fmt: skip
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=home)
        for _ in range(count)
    ]
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=seconds + 60)
        results.append(subprocess.CompletedProcess(command, process.returncode, stdout, stderr))
    return results


def _assert_valid(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    schedule = Schedule.model_validate(json.loads(result.stdout))
    assert check(load_instance(BUSINESS_JAM), schedule).valid


def test_parallel_solves_from_a_read_only_install_are_valid_and_cache_per_user(
    read_only_install: Path, tmp_path: Path
) -> None:
    """Four solves at once on a fresh, read-only install: nothing compiled, nothing writable beside the code. Each
    finds a valid schedule (without the local search, which compiles meanwhile); the kernels' cache is the user's."""
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    for result in _solves(read_only_install, home, cache, count=4, seconds=3):
        _assert_valid(result)
    assert (cache / "tablejam" / "numba" / kernel_cache.LOCK_NAME).exists()
    assert not list(read_only_install.rglob("__pycache__"))


def test_a_solve_with_nowhere_to_cache_still_finds_a_schedule(read_only_install: Path, tmp_path: Path) -> None:
    """Neither the install nor the home can be written (numba itself would refuse to import the kernels)."""
    home = _read_only(tmp_path / "home")
    try:
        [result] = _solves(read_only_install, home, home / ".cache", count=1, seconds=3)
    finally:
        home.chmod(0o755)
    _assert_valid(result)
