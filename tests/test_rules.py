"""The rule registry: every part that must know a rule has an entry for it, and no part knows a rule it should not.

Adding a rule to `tablejam.models.rules.RULES` makes these tests fail until every part it names handles it.
"""

from __future__ import annotations

import json

import pytest

from tablejam.check import CHECKS
from tablejam.diagnostics.precheck import PRECHECKS
from tablejam.models import Instance
from tablejam.models.reasons import WORDS
from tablejam.models.rules import RULES, Rule, rules_of
from tablejam.solver.cpsat import CONSTRAINTS
from tablejam.solver.explain import DESCRIPTIONS
from tablejam.solver.local_search import ENCODINGS

PARTS = {
    "checker": CHECKS,
    "precheck": PRECHECKS,
    "cp-sat": CONSTRAINTS,
    "local-search": ENCODINGS,
    "explanation": DESCRIPTIONS,
}


@pytest.mark.parametrize("part", sorted(PARTS))
def test_each_part_knows_exactly_its_rules(part: str) -> None:
    assert set(PARTS[part]) == rules_of(part)  # type: ignore[arg-type]


def test_every_rule_is_listed_with_a_summary() -> None:
    assert set(RULES) == set(Rule)
    assert all(info.summary and info.parts for info in RULES.values())


def test_every_explained_rule_has_words_for_a_conflict() -> None:
    # CP-SAT's explanation says each rule in its own words ("conflict" facts).
    for rule in rules_of("explanation"):
        assert (rule, "conflict") in WORDS, rule


def test_every_rule_field_is_in_the_instance_schema() -> None:
    """Where the instance file states a rule, the published schema documents that field."""
    schema = json.dumps(Instance.model_json_schema())
    for rule, info in RULES.items():
        if info.field is not None:
            assert f'"{info.field.split(".")[-1]}"' in schema, rule


def test_a_missing_part_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above can fail: a rule the registry says CP-SAT must know, without a constraint method.
    monkeypatch.delitem(CONSTRAINTS, Rule.SECTOR_CAP)
    assert set(CONSTRAINTS) != rules_of("cp-sat")
