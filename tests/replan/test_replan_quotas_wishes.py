"""Re-planning keeps quotas and wishes: the rest of the event is planned under both."""

from __future__ import annotations

from tablejam.check import check
from tablejam.models.settings import SolverSettings
from tablejam.replan.change import Change, remaining_event
from tablejam.replan.solve import replan
from tests.conftest import make_instance, schedule_of


def test_quotas_hold_after_an_absence_and_a_granted_wish_is_spent() -> None:
    """6 women and 6 men at 3 tables of 4, at least 1 of each gender per occupied table, repeats minimised;
    f0 and m0 wish to meet (4), f1 and m1 not (-2). Round 1 as printed seats f0 with m0; after it, m5 leaves."""
    people = [{"id": f"{g}{k}", "attributes": {"gender": g}} for g in "fm" for k in range(6)]
    wishes = [{"participants": ["f0", "m0"], "weight": 4}, {"participants": ["f1", "m1"], "weight": -2}]
    quotas = [{"attribute": g, "value": v, "min": 1} for g, v in (("gender", "f"), ("gender", "m"))]
    instance = make_instance(
        people, rounds=3, tables={"count": 3, "capacity": 4}, quotas=quotas,
        rules={"repeats": "minimise", "wishes": wishes},
    )  # fmt: skip
    a_round = {"T1": ["f0", "f1", "m0", "m5"], "T2": ["f2", "f3", "m1", "m2"], "T3": ["f4", "f5", "m3", "m4"]}
    printed = schedule_of([a_round] * 3)
    assert check(instance, printed).valid
    # The rest of the event: the wish to meet was granted in round 1, the wish to stay apart still counts.
    rest = remaining_event(instance, printed, 1)
    assert [(w.participants, w.weight) for w in rest.rules.wishes] == [(("f1", "m1"), -2)]
    event, new = replan(instance, printed, Change(after_round=1, absent=("m5",)), SolverSettings(time_limit=4, seed=1))
    report = check(event, new)
    assert report.valid, [v.message for v in report.violations]
    assert report.stats is not None and new.stats == report.stats
    # Round 1 granted the wish; the re-planned rounds never seat f1 with m1 (they had the choice).
    assert report.stats.wishes_granted == 1 and report.stats.wishes_broken == 0
