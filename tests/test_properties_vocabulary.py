"""Property-based: random small instances with every rule and the vocabulary of issue 12 (table rounds, together
groups, no table twice, pins, quotas on an attribute, wishes). Every answer is a schedule the checker accepts,
within its bound, or an infeasible or unknown status that says why."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tablejam.models import Instance, SolverSettings
from tablejam.solver import solve
from tests.test_properties import assert_valid_or_explained, instances


@st.composite
def with_vocabulary(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(instances())
    rounds, grid = data["rounds"], data["tables"]
    ids = [person["id"] for person in data["participants"]]
    tables = [{"id": f"T{k + 1}", "capacity": grid["capacity"], "min": grid["min"]} for k in range(grid["count"])]
    for table in tables:
        if draw(st.integers(0, 3)) == 0:
            table["rounds"] = draw(st.lists(st.integers(1, rounds), max_size=rounds, unique=True))
    data["tables"] = tables
    shuffled = draw(st.permutations(ids))
    groups = []
    if len(ids) > 1 and draw(st.booleans()):
        size = draw(st.integers(2, min(3, len(ids))))
        groups.append(shuffled[:size])
    pins = [
        {"participant": pid, "table": draw(st.sampled_from([t["id"] for t in tables])),
         **({"rounds": [draw(st.integers(1, rounds))]} if draw(st.booleans()) else {})}
        for pid in shuffled[len(ids) - draw(st.integers(0, min(2, len(ids)))) :]
    ]  # fmt: skip
    data["rules"].update(together=groups, pins=pins, revisit_tables=draw(st.sampled_from(["allow", "forbid"])))
    for person in data["participants"]:
        gender = draw(st.sampled_from(["f", "m", None]))
        if gender:
            person["attributes"] = {"gender": gender}
    if any("attributes" in person for person in data["participants"]) and draw(st.booleans()):
        low, high = draw(st.sampled_from([(1, None), (None, 1), (1, 2), (2, None)]))
        data["quotas"] = [{"attribute": "gender", "value": draw(st.sampled_from(["f", "m"])),
                           **({"min": low} if low else {}), **({"max": high} if high else {})}]  # fmt: skip
    if len(ids) > 1:
        pairs = st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True).map(frozenset)
        wished = draw(st.lists(pairs, max_size=2, unique=True))
        weights = st.sampled_from([-3, -1, 1, 2.5])
        data["rules"]["wishes"] = [{"participants": sorted(pair), "weight": draw(weights)} for pair in wished]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_vocabulary())
def test_every_answer_with_the_new_rules_is_valid_or_explained(data: dict[str, Any]) -> None:
    instance = Instance.model_validate(data)
    schedule = solve(instance, SolverSettings(time_limit=1.5, workers=1))
    assert_valid_or_explained(instance, schedule)
