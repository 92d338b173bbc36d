"""Locked seats reach the engine as rules.pins, and a re-solve keeps them."""

from __future__ import annotations

from tablejam.check import check
from tablejam.models import Instance, Schedule
from tablejam.web.pins import Pin, pinned
from tests.web.conftest import Server, instance_json
from tests.web.test_solves import events


def test_pins_are_added_to_the_rules_beside_the_ones_there() -> None:
    data = {"rules": {"keep_apart": [["a", "b"]], "pins": [{"participant": "b", "table": "T1"}]}}
    assert pinned(data, [Pin(participant="a", table="T2", rounds=[1])])["rules"] == {
        "keep_apart": [["a", "b"]],
        "pins": [{"participant": "b", "table": "T1"}, {"participant": "a", "table": "T2", "rounds": [1]}],
    }


def test_no_locks_leave_the_instance_as_it_is() -> None:
    data = {"rules": {}}
    assert pinned(data, []) is data


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


def test_a_lock_to_a_table_that_does_not_exist_is_a_clear_400(server: Server, event_46: Instance) -> None:
    with server.client() as client:
        lock = {"participant": "p01", "table": "Nowhere", "rounds": [2]}
        body = {"instance": instance_json(event_46), "pins": [lock]}
        answer = client.post("/api/jobs", json=body)
        assert answer.status_code == 400
        error = answer.json()["error"]
        # The lock is judged as the instance's own rules.pins: the same message as a pin in a file.
        assert error["where"] == "instance"
        assert "rules.pins[0]: table 'Nowhere' does not exist" in error["message"]
