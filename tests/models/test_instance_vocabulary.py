"""The instance fields of issue 12 (tables' rounds, together, revisit_tables, pins): read, documented in the
schema, and refused with a message naming field and value when they do not resolve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tablejam.files import load_instance
from tests.conftest import run

EVENT = """
rounds = 2
[[tables]]
id = "T1"
capacity = 3
[[tables]]
id = "Terrace"
capacity = 6
rounds = [1]
[[participants]]
id = "p01"
[[participants]]
id = "p02"
[[participants]]
id = "p10"
[rules]
together = [["p01", "p02"]]
revisit_tables = "forbid"
pins = [{ participant = "p10", table = "T1", rounds = [2] }]
"""


def test_the_issues_fields_are_read(tmp_path: Path) -> None:
    path = tmp_path / "event.toml"
    path.write_text(EVENT)
    instance = load_instance(path)
    assert instance.table_list[1].rounds == [1] and instance.table_list[0].rounds is None
    assert instance.rules.together == [["p01", "p02"]] and instance.rules.revisit_tables == "forbid"
    assert instance.pinned == {("p10", 2): ("T1", 0)}
    assert instance.limits(2) == [(0, 3), (0, 0)]  # the Terrace is closed in round 2


def test_the_schema_documents_them() -> None:
    schema = json.loads(run("schema", "instance").stdout)
    rules = schema["$defs"]["Rules"]["properties"]
    assert {"together", "revisit_tables", "pins"} <= set(rules)
    assert rules["revisit_tables"]["enum"] == ["allow", "forbid"] and rules["revisit_tables"]["default"] == "allow"
    assert "rounds" in schema["$defs"]["Table"]["properties"]
    assert set(schema["$defs"]["Pin"]["properties"]) == {"participant", "table", "rounds"}


BAD = [
    ("ghost", EVENT.replace('together = [["p01", "p02"]]', 'together = [["p01", "p99"]]'),
     "rules.together[0]: participant 'p99' does not exist"),
    ("alone", EVENT.replace('together = [["p01", "p02"]]', 'together = [["p01"]]'),
     "rules.together[0]: List should have at least 2 items"),
    ("twice", EVENT.replace('together = [["p01", "p02"]]', 'together = [["p01", "p02"], ["p02", "p10"]]'),
     "rules.together[1]: participant 'p02' is also in group 1"),
    ("table", EVENT.replace('table = "T1"', 'table = "T9"'), "rules.pins[0]: table 'T9' does not exist"),
    ("who", EVENT.replace('participant = "p10"', 'participant = "p11"'),
     "rules.pins[0]: participant 'p11' does not exist"),
    ("pin-round", EVENT.replace("rounds = [2] }", "rounds = [3] }"), "rules.pins[0].rounds: round 3 is outside 1..2"),
    ("pinned-twice", EVENT.replace("rounds = [2] }]", 'rounds = [2] }, { participant = "p10", table = "Terrace" }]'),
     "rules.pins[1]: participant 'p10' is pinned twice in round 2"),
    ("table-round", EVENT.replace("rounds = [1]", "rounds = [0, 1]"), "tables[1].rounds: round 0 is outside 1..2"),
    ("table-round-twice", EVENT.replace("rounds = [1]", "rounds = [1, 1]"),
     "tables[1].rounds: round 1 is listed twice"),
    ("policy", EVENT.replace('"forbid"', '"never"'), "rules.revisit_tables:"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_vocabulary_exits_2_naming_field_and_value(tmp_path: Path, name: str, content: str, fragment: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_text(content)
    result = run("solve", str(path))
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert fragment in result.stderr, result.stderr
