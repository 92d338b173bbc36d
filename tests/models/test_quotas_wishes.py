"""The instance's quotas and wishes: what is accepted, and bad input named by field and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from tablejam.models import Instance
from tests.conftest import make_instance, run

PEOPLE = [
    {"id": "a", "sector": "S", "attributes": {"gender": "f"}},
    {"id": "b", "company": "C", "attributes": {"gender": "m"}},
]


def errors(**fields: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """(field path, message) of each error the instance gives."""
    with pytest.raises(ValidationError) as raised:
        make_instance(PEOPLE, **fields)
    return [(error["loc"], error["msg"]) for error in raised.value.errors()]


def test_quotas_on_attributes_sectors_and_companies_are_accepted() -> None:
    quotas = [
        {"attribute": "gender", "value": "f", "min": 1, "max": 2},
        {"attribute": "sector", "value": "S", "max": 1},
        {"attribute": "company", "value": "C", "min": 0},
    ]
    instance = make_instance(PEOPLE, quotas=quotas)
    # Who has the value: a's gender and sector, b's company.
    assert [[q.holds_for(p) for p in instance.participants] for q in instance.quotas] == [
        [True, False],
        [True, False],
        [False, True],
    ]
    assert [q.phrase() for q in instance.quotas] == ["at least 1 and at most 2", "at most 1", "at least 0"]


@pytest.mark.parametrize(
    ("quota", "where", "message"),
    [
        ({"attribute": "gender", "value": "f", "min": 3, "max": 2}, ("quotas", 0),
         "Value error, min 3 exceeds max 2 of the quota on gender = 'f'"),
        ({"attribute": "gender", "value": "f"}, ("quotas", 0),
         "Value error, quota on gender = 'f' gives neither min nor max"),
        ({"attribute": "gender", "value": "f", "max": -1}, ("quotas", 0, "max"),
         "Input should be greater than or equal to 0"),
        ({"attribute": "colour", "value": "red", "max": 1}, ("quotas", 0, "attribute"),
         "no participant has the attribute 'colour'"),
    ],
)  # fmt: skip
def test_bad_quotas_name_their_field(quota: dict[str, Any], where: tuple[Any, ...], message: str) -> None:
    assert errors(quotas=[quota]) == [(where, message)]


@pytest.mark.parametrize(
    ("wish", "where", "message"),
    [
        ({"participants": ["a", "zz"], "weight": 2}, ("rules", "wishes", 0, "participants"),
         "participant 'zz' does not exist"),
        ({"participants": ["a", "a"], "weight": 2}, ("rules", "wishes", 0, "participants"),
         "a wish of one person ('a')"),
        ({"participants": ["a"], "weight": 2}, ("rules", "wishes", 0, "participants"),
         "Value error, a wish names two participants, not 1"),
        ({"participants": ["a", "b"], "weight": 0}, ("rules", "wishes", 0, "weight"),
         "Value error, must not be 0 (a wish of weight 0 changes nothing: leave it out)"),
        ({"participants": ["a", "b"], "weight": -1.2345}, ("rules", "wishes", 0, "weight"),
         "Value error, 1.2345 has more than 3 decimals"),
    ],
)  # fmt: skip
def test_bad_wishes_name_their_field(wish: dict[str, Any], where: tuple[Any, ...], message: str) -> None:
    assert errors(rules={"wishes": [wish]}) == [(where, message)]


def test_a_pair_is_wished_once() -> None:
    wishes = [{"participants": ["a", "b"], "weight": 2}, {"participants": ["b", "a"], "weight": -1}]
    assert errors(rules={"wishes": wishes}) == [(("rules", "wishes", 1, "participants"), "a second wish for b and a")]


def test_the_schema_documents_both_fields() -> None:
    schema = Instance.model_json_schema()
    assert set(schema["$defs"]["Quota"]["properties"]) == {"attribute", "value", "min", "max"}
    assert set(schema["$defs"]["Wish"]["properties"]) == {"participants", "weight"}
    assert "wishes" in schema["$defs"]["Rules"]["properties"] and "quotas" in schema["properties"]


def test_lexicographic_terms_outweigh_every_wish() -> None:
    # Wishes of 3 and -2.5 can change the objective by 5.5 at most: the last listed term weighs 6 + 1, so one
    # unit of it outweighs them all, and the wishes keep their own weights below it.
    wishes = [{"participants": ["a", "b"], "weight": 3}, {"participants": ["a", "c"], "weight": -2.5}]
    instance = make_instance([*PEOPLE, {"id": "c"}], rules={"wishes": wishes}, objective={"lexicographic": ["new"]})
    assert instance.weights.new == 7


def test_the_cli_refuses_a_bad_quota_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        'rounds = 1\n[tables]\ncount = 1\ncapacity = 2\n[[participants]]\nid = "a"\n'
        '[[quotas]]\nattribute = "gender"\nvalue = "f"\nmin = 3\nmax = 2\n'
    )
    result = run("solve", str(path), "-o", str(tmp_path / "plan.json"))
    assert result.exit_code == 2
    assert "quotas[0]: min 3 exceeds max 2 of the quota on gender = 'f'" in result.output
    assert not (tmp_path / "plan.json").exists()
