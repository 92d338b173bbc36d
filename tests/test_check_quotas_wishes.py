"""The checker on quotas (violations) and wishes (statistics and objective)."""

from __future__ import annotations

from typing import Any

from tablejam.check import Violation, check
from tablejam.models import Instance
from tablejam.models.rules import Rule
from tests.conftest import make_instance, recount, schedule_of

FOUR = [
    {"id": "f1", "attributes": {"gender": "f"}},
    {"id": "f2", "attributes": {"gender": "f"}},
    {"id": "m1", "attributes": {"gender": "m"}},
    {"id": "m2", "attributes": {"gender": "m"}},
]
ONE_WOMAN = [{"attribute": "gender", "value": "f", "min": 1, "max": 1}]


def four(wishes: list[dict[str, Any]] | None = None, **fields: Any) -> Instance:
    """f1, f2, m1, m2 at 2 tables of 4 seats, 2 rounds, repeats minimised (so that only quotas and wishes
    decide validity here)."""
    rules = {"repeats": "minimise", "wishes": wishes or []}
    return make_instance(FOUR, rounds=2, tables={"count": 2, "capacity": 4}, rules=rules, **fields)


def test_a_quota_is_kept_or_broken_at_each_occupied_table() -> None:
    instance = four(quotas=ONE_WOMAN)
    mixed = {"T1": ["f1", "m1"], "T2": ["f2", "m2"]}
    report = check(instance, schedule_of([mixed, {"T1": ["f1", "f2"], "T2": ["m1", "m2"]}]))
    # Round 2: T1 has both women (more than 1), T2 none (fewer than 1, and it is occupied).
    assert report.violations == [
        Violation(Rule.QUOTA, "round 2: table 'T1' has 2 with gender = 'f', quota at least 1 and at most 1", 2, "T1",
                  ("f1", "f2")),
        Violation(Rule.QUOTA, "round 2: table 'T2' has 0 with gender = 'f', quota at least 1 and at most 1", 2, "T2",
                  ()),
    ]  # fmt: skip
    assert check(instance, schedule_of([mixed, mixed])).valid


def test_an_empty_table_needs_no_minimum() -> None:
    # Everyone at T1: its 2 women break the max; T2 seats nobody, so its min of 1 does not apply.
    instance = four(quotas=ONE_WOMAN)
    everyone = {"T1": ["f1", "f2", "m1", "m2"], "T2": []}
    report = check(instance, schedule_of([everyone, everyone]))
    assert [(v.rule, v.round, v.table) for v in report.violations] == [(Rule.QUOTA, 1, "T1"), (Rule.QUOTA, 2, "T1")]


WISHES = [{"participants": ["f1", "m1"], "weight": 5}, {"participants": ["f2", "m2"], "weight": -2.5}]


def test_wishes_count_once_when_granted_and_at_every_meeting_when_broken() -> None:
    instance = four(WISHES)
    same = {"T1": ["f1", "m1"], "T2": ["f2", "m2"]}
    report = check(instance, schedule_of([same, same]))
    assert report.valid and report.stats is not None
    # 2 new pairs (1 each), 2 repeats (10 each), f1-m1 granted once (+5), f2-m2 met twice (-2.5 each):
    # 2 - 20 + 5 - 5 = -18.
    assert (report.stats.wishes_granted, report.stats.wishes_broken, report.stats.objective) == (1, 2, -18)
    assert recount(instance, schedule_of([same, same]))["objective"] == -18


def test_wishes_neither_granted_nor_broken() -> None:
    instance = four(WISHES)
    crossed = [{"T1": ["f1", "f2"], "T2": ["m1", "m2"]}, {"T1": ["f1", "m2"], "T2": ["f2", "m1"]}]
    report = check(instance, schedule_of(crossed))
    assert report.stats is not None
    # 4 new pairs, no wish met: 4.
    assert (report.stats.wishes_granted, report.stats.wishes_broken, report.stats.objective) == (0, 0, 4)


def test_a_stated_wish_count_is_checked() -> None:
    instance = four(WISHES)
    schedule = schedule_of([{"T1": ["f1", "m1"], "T2": ["f2", "m2"]}] * 2)
    stats = check(instance, schedule).stats
    assert stats is not None
    schedule.stats = stats.model_copy(update={"wishes_granted": 0})
    assert [v.message for v in check(instance, schedule).violations] == ["stats.wishes_granted stated 0, recomputed 1"]
