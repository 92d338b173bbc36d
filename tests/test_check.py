"""The checker: one test per rule (a schedule breaking it is caught), and its statistics recomputed by hand."""

from __future__ import annotations

import pytest

from tablejam.check import check
from tablejam.models import Schedule
from tablejam.models.rules import RULES
from tests.conftest import make_instance, schedule_of


def two_tables(**fields: object):
    """4 participants, 2 tables of 2, 1 round unless told otherwise."""
    base = {"tables": {"count": 2, "capacity": 2}}
    base.update(fields)
    return make_instance(4, **base)


def test_valid_schedule_has_no_violation() -> None:
    instance = two_tables(rounds=2)
    report = check(
        instance, schedule_of([{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}, {"T1": ["p1", "p3"], "T2": ["p2", "p4"]}])
    )
    assert report.valid, report.violations


@pytest.mark.parametrize(
    ("fields", "seating", "rule"),
    [
        # one round given for a two-round instance
        ({"rounds": 2}, [{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}], "round-missing"),
        ({}, [{"T1": ["p1", "p2"], "T9": ["p3", "p4"]}], "table-unknown"),
        ({}, [{"T1": ["p1", "p2"], "T2": ["p3", "p4", "zz"]}], "participant-unknown"),
        ({"tables": {"count": 2, "capacity": 3}}, [{"T1": ["p1", "p2"], "T2": ["p3", "p4", "p1"]}], "seated-twice"),
        ({}, [{"T1": ["p1", "p2", "p2"], "T2": ["p3", "p4"]}], "seated-twice"),
        ({}, [{"T1": ["p1", "p2"], "T2": ["p3"]}], "not-seated"),
        ({"tables": {"count": 2, "capacity": 3}}, [{"T1": ["p1", "p2", "p3", "p4"], "T2": []}], "capacity"),
        ({"tables": {"count": 2, "capacity": 3, "min": 1}}, [{"T1": ["p1", "p2", "p3"], "T2": ["p4"]}], None),
        ({"tables": {"count": 2, "capacity": 4, "min": 1}}, [{"T1": ["p1", "p2", "p3", "p4"], "T2": []}], "minimum"),
        ({"rules": {"keep_apart": [["p1", "p2"]]}}, [{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}], "keep-apart"),
        ({"rules": {"met_before": [["p3", "p4"]]}}, [{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}], "repeat"),
        # the same pair at the same table in both rounds
        ({"rounds": 2}, [{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}] * 2, "repeat"),
        # repeats allowed (minimised): the same seating twice breaks nothing
        ({"rounds": 2, "rules": {"repeats": "minimise"}}, [{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}] * 2, None),
    ],
)
def test_each_rule_is_caught(fields: dict, seating: list, rule: str | None) -> None:
    report = check(two_tables(**fields), schedule_of(seating))
    assert report.rules_broken() == ({rule} if rule else set()), report.violations


def test_absent_participant_seated() -> None:
    instance = make_instance(
        [{"id": "p1"}, {"id": "p2"}, {"id": "p3", "absent": [1]}], tables={"count": 1, "capacity": 3}
    )
    report = check(instance, schedule_of([{"T1": ["p1", "p2", "p3"]}]))
    assert report.rules_broken() == {"absent-seated"}
    assert report.violations[0].participants == ("p3",)


def test_host_away_from_their_table() -> None:
    instance = make_instance(
        [{"id": "h", "host": "T1"}, {"id": "p1"}, {"id": "p2"}, {"id": "p3"}], tables={"count": 2, "capacity": 2}
    )
    report = check(instance, schedule_of([{"T1": ["p1", "p2"], "T2": ["h", "p3"]}]))
    assert report.rules_broken() == {"host-away"}
    assert report.violations[0].table == "T2"


def test_sector_cap_per_sector_and_default() -> None:
    people = [{"id": "a1", "sector": "a"}, {"id": "a2", "sector": "a"}, {"id": "b1", "sector": "b"},
              {"id": "b2", "sector": "b"}]  # fmt: skip
    # Sector a may have 2 per table (its own limit), b only 1 (the default cap).
    instance = make_instance(people, sectors={"max_per_table": 1, "limits": {"a": 2}})
    report = check(instance, schedule_of([{"T1": ["a1", "a2", "b1", "b2"]}]))
    assert report.rules_broken() == {"sector-cap"}
    assert [v.participants for v in report.violations] == [("b1", "b2")]


def test_colleagues_apart_unless_allowed() -> None:
    people = [{"id": "x", "company": "Acme"}, {"id": "y", "company": "Acme"}, {"id": "z", "company": ""}]
    seating = [{"T1": ["x", "y", "z"]}]
    assert check(make_instance(people), schedule_of(seating)).rules_broken() == {"colleagues"}
    assert check(make_instance(people, rules={"colleagues": "allow"}), schedule_of(seating)).valid


def test_round_given_twice_or_out_of_range() -> None:
    instance = two_tables()
    seating = {"T1": ["p1", "p2"], "T2": ["p3", "p4"]}
    schedule = Schedule.model_validate(
        {
            "rounds": [{"round": 1, "tables": [{"table": t, "participants": ps} for t, ps in seating.items()]}] * 2
            + [{"round": 5, "tables": []}]
        }
    )
    report = check(instance, schedule)
    assert report.rules_broken() == {"round-unknown"}
    assert len(report.violations) == 2  # the second round 1, and round 5


def test_stated_figures_are_verified() -> None:
    instance = two_tables()
    seating = [{"T1": ["p1", "p2"], "T2": ["p3", "p4"]}]
    honest = check(instance, schedule_of(seating))
    assert honest.stats is not None
    doc = {
        "rounds": [{"round": 1, "tables": [{"table": t, "participants": ps} for t, ps in seating[0].items()]}],
        "objective": honest.stats.objective + 1,
        "stats": honest.stats.model_copy(update={"new_encounters": 7}).model_dump(),
    }
    report = check(instance, Schedule.model_validate(doc))
    assert report.rules_broken() == {"stats-mismatch"}
    assert {v.message.split()[0] for v in report.violations} == {"objective", "stats.new_encounters"}


def test_statistics_recomputed_by_hand() -> None:
    people = [
        {"id": "a", "sector": "s1", "offers": ["cash"], "needs": ["code"]},
        {"id": "b", "sector": "s2", "offers": ["code"], "needs": ["cash", "law"]},
        {"id": "c", "sector": "s1", "offers": ["law"]},
        {"id": "d"},
    ]
    instance = make_instance(
        people,
        rounds=2,
        tables={"count": 2, "capacity": 3},
        rules={"repeats": "minimise", "met_before": [["c", "d"]]},
        objective={"new": 2, "complementary": 5, "cross_sector": 1, "repeat": 10, "fairness": 3},
    )
    seating = [{"T1": ["a", "b", "c"], "T2": ["d"]}, {"T1": ["a", "b"], "T2": ["c", "d"]}]
    stats = check(instance, schedule_of(seating)).stats
    assert stats is not None
    # New pairs: ab, ac, bc (round 1). Repeats: ab in round 2, cd (met before) in round 2.
    assert stats.new_encounters == 3
    assert stats.repeat_meetings == 2
    # c(a,b) = |{cash}&{cash,law}| + |{code}&{code}| = 2; c(a,c) = 0; c(b,c) = |{law}&{law}| = 1.
    assert stats.complementary_matches == 3
    # Cross-sector new pairs: ab (s1/s2), bc (s2/s1); ac share s1.
    assert stats.cross_sector_encounters == 2
    # New per person: a 2, b 2, c 2, d 0.
    assert (stats.min_new_per_participant, stats.max_new_per_participant) == (0, 2)
    assert stats.meetings == 5
    # 3 new pairs x 2 + 3 complementary x 5 + 2 cross x 1 - 2 repeats x 10 + fairness 3 x 0 = 3
    assert stats.objective == 3


def test_every_rule_has_a_description() -> None:
    assert all(info.summary for info in RULES.values())
