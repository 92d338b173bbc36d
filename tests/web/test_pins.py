"""Locked seats reach the engine as rules.pins (issue 12). Until the instance model has that field, the server
refuses locks with a clear message, and the test of a lock kept is expected to fail (strictly: it must fail while
the field is missing, and it runs as an ordinary test once the field lands)."""

from __future__ import annotations

import pytest

from tablejam.check import check
from tablejam.errors import InputError
from tablejam.models import Instance, Schedule
from tablejam.web.pins import Pin, pinned, pins_supported
from tests.web.conftest import Server, instance_json
from tests.web.test_solves import events


def test_pins_are_added_to_the_rules_as_issue_12_names_them() -> None:
    data = {"rules": {"keep_apart": [["a", "b"]]}}
    if not pins_supported():
        with pytest.raises(InputError, match=r"rules\.pins"):
            pinned(data, [Pin(participant="a", table="T2", rounds=[1])])
        return
    assert pinned(data, [Pin(participant="a", table="T2", rounds=[1])])["rules"] == {
        "keep_apart": [["a", "b"]],
        "pins": [{"participant": "a", "table": "T2", "rounds": [1]}],
    }


def test_no_locks_leave_the_instance_as_it_is() -> None:
    data = {"rules": {}}
    assert pinned(data, []) is data


@pytest.mark.skipif(pins_supported(), reason="rules.pins exists: locks are kept, not refused")
def test_locks_are_refused_clearly_until_the_engine_keeps_them(server: Server, event_46: Instance) -> None:
    with server.client() as client:
        body = {"instance": instance_json(event_46), "pins": [{"participant": "p01", "table": "T3", "rounds": [2]}]}
        answer = client.post("/api/jobs", json=body)
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert error["where"] == "pins" and "rules.pins" in error["message"] and "issue 12" in error["message"]


@pytest.mark.xfail(not pins_supported(), reason="rules.pins (issue 12) is not in the instance model yet", strict=True)
def test_a_locked_seat_is_kept_when_the_rest_is_solved_again(server: Server, event_46: Instance) -> None:
    with server.client() as client:
        first = client.post("/api/solve", params={"time_limit": 2}, json=instance_json(event_46)).json()
        plan = Schedule.model_validate(first)
        # Lock someone who is not a host at a table other than theirs in round 2.
        seat = {pid: table.table for table in plan.rounds[1].tables for pid in table.participants}
        person = next(p for p in event_46.participants if p.host is None and p.id in seat)
        elsewhere = next(t.id for t in event_46.table_list if t.id != seat[person.id])
        pin = {"participant": person.id, "table": elsewhere, "rounds": [2]}
        answer = client.post("/api/jobs", json={"instance": instance_json(event_46), "time_limit": 3, "pins": [pin]})
        assert answer.status_code == 202, answer.text
        final = list(events(client, answer.json()["events"]))[-1]
        assert final["event"] == "done", final
        schedule = Schedule.model_validate(final["result"])
        assert check(event_46, schedule).valid
        assert person.id in next(t.participants for t in schedule.rounds[1].tables if t.table == elsewhere)
