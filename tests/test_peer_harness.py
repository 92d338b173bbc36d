"""benchmarks/peer.py: its own repeat count, and clear refusals when the peer or node is missing (no peer needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.peer import check_peer, count_repeats, main


def test_count_repeats_counts_meetings_beyond_the_first() -> None:
    rounds = [
        [[0, 1, 2], [3, 4, 5]],
        [[0, 1, 3], [2, 4, 5]],  # 0-1 again, 4-5 again
        [[0, 1, 4], [2, 3, 5]],  # 0-1 a third time, 2-5 again (round 2), 3-5 again (round 1)
    ]
    repeats, pairs = count_repeats(rounds, list(range(6)), 3)
    assert (repeats, pairs) == (5, 4)


def test_count_repeats_refuses_a_round_that_is_not_a_seating() -> None:
    with pytest.raises(ValueError, match="round 2"):
        count_repeats([[[0, 1], [2, 3]], [[0, 1], [1, 3]]], [0, 1, 2, 3], 2)
    with pytest.raises(ValueError, match="not of 2"):
        count_repeats([[[0, 1, 2], [3]]], [0, 1, 2, 3], 2)


def test_no_peer_path_is_refused_with_the_way_to_fetch_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--only", "5-3-7"])
    assert stopped.value.code == 2
    message = capsys.readouterr().err
    assert "--peer is required" in message
    assert "git clone https://github.com/islemaster/good-enough-golfers" in message
    assert "lodash@4.17.4" in message


def test_a_folder_without_the_solver_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--peer", str(tmp_path / "nowhere")])
    assert stopped.value.code == 2
    assert "no such folder" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--peer", str(tmp_path)])
    assert "no lib/geneticSolver.js" in capsys.readouterr().err


def test_a_missing_lodash_or_node_is_said_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "geneticSolver.js").write_text("function geneticSolver() {}\n")
    if check_peer.__globals__["shutil"].which("node"):
        with pytest.raises(Exception, match="lodash is not installed"):
            check_peer(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(Exception, match="node is not on PATH"):
        check_peer(tmp_path)
