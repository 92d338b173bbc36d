"""Breakout rooms: one CSV per round that rebuilds the seating, and nothing written when an address is missing."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tablejam.check import check
from tablejam.cli import main
from tablejam.errors import InputError
from tablejam.models import Instance, Schedule
from tablejam.reports.breakout import HEADER, breakout_files
from tests.reports.test_export import SMALL_EVENT, SMALL_PLAN

# The small event's six people with addresses, under the attribute names a spreadsheet header gives them.
ADDRESSES = {"a": "anna@example.org", "b": "ben@example.org", "c": "zoe@example.org", "d": "d@example.org",
             "e": "eve@example.org", "f": "emile@example.org"}  # fmt: skip


def event_with(addresses: dict[str, str], key: str = "email") -> dict[str, Any]:
    event = copy.deepcopy(SMALL_EVENT)
    for person in event["participants"]:
        if person["id"] in addresses:
            person["attributes"] = {key: addresses[person["id"]]}
    return event


def write_inputs(folder: Path, event: dict[str, Any]) -> tuple[Path, Path]:
    instance, plan = folder / "event.json", folder / "plan.json"
    instance.write_text(json.dumps(event))
    plan.write_text(json.dumps(SMALL_PLAN))
    return instance, plan


def export(instance: Path, plan: Path, rooms: Path) -> Any:
    args = ["export", str(plan), "--instance", str(instance), "--to", "breakout", "-o", str(rooms)]
    return CliRunner().invoke(main, args)


def read_rooms(path: Path) -> dict[str, list[str]]:
    """Room -> addresses, in file order, from one round's CSV as a call tool reads it."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == HEADER
    rooms: dict[str, list[str]] = {}
    for room, address in rows[1:]:
        rooms.setdefault(room, []).append(address)
    return rooms


def test_round_trip_rebuilds_the_seating(tmp_path: Path) -> None:
    instance, plan = write_inputs(tmp_path, event_with(ADDRESSES))
    result = export(instance, plan, tmp_path / "rooms")
    assert result.exit_code == 0, result.output
    # Three rounds, three files; nothing else in the folder (no temporary files left behind).
    assert sorted(p.name for p in (tmp_path / "rooms").iterdir()) == ["round-1.csv", "round-2.csv", "round-3.csv"]
    person_of = {address: pid for pid, address in ADDRESSES.items()}
    rebuilt = [
        {
            room: [person_of[a] for a in addresses]
            for room, addresses in read_rooms(tmp_path / "rooms" / f"round-{r}.csv").items()
        }
        for r in (1, 2, 3)
    ]
    # Empty tables (T3 in rounds 1 and 2) are rooms nobody is assigned to: they have no rows.
    expected = [{t: ps for t, ps in tables.items() if ps} for tables in Schedule.model_validate(SMALL_PLAN).seating()]
    assert rebuilt == expected
    assert (tmp_path / "rooms" / "round-1.csv").read_bytes().startswith(b"Pre-assign Room Name,Email Address\n")


def test_an_email_column_in_any_case_is_the_address() -> None:
    """A spreadsheet keeps headers as written: 'Email' and ' EMAIL' are the email attribute."""
    instance = Instance.model_validate(event_with(ADDRESSES, key="Email"))
    files = breakout_files(instance, Schedule.model_validate(SMALL_PLAN), Path("rooms"))
    # Round 2: a b d at T1, c f at T2 (e absent): five rows after the header.
    assert files[Path("rooms/round-2.csv")].decode() == (
        "Pre-assign Room Name,Email Address\nT1,anna@example.org\nT1,ben@example.org\nT1,d@example.org\n"
        "T2,zoe@example.org\nT2,emile@example.org\n"
    )


def test_missing_and_malformed_addresses_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    # Ben has none, Eve a name instead of an address: both named, with their names; nothing written.
    addresses = {pid: a for pid, a in ADDRESSES.items() if pid != "b"} | {"e": "Eve Smith"}
    instance, plan = write_inputs(tmp_path, event_with(addresses))
    result = export(instance, plan, tmp_path / "rooms")
    assert result.exit_code == 2
    assert "2 without one: 'b' (Ben); 'e' (Eve): 'Eve Smith' is not an address" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "rooms").exists()


def test_an_existing_folder_keeps_its_files_when_an_address_is_missing(tmp_path: Path) -> None:
    rooms = tmp_path / "rooms"
    rooms.mkdir()
    (rooms / "round-1.csv").write_text("before")
    instance, plan = write_inputs(tmp_path, event_with({"a": "anna@example.org"}))
    assert export(instance, plan, rooms).exit_code == 2
    assert [p.name for p in rooms.iterdir()] == ["round-1.csv"]
    assert (rooms / "round-1.csv").read_text() == "before"


def test_breakout_to_a_file_is_refused(tmp_path: Path) -> None:
    instance, plan = write_inputs(tmp_path, event_with(ADDRESSES))
    result = export(instance, plan, plan)
    assert result.exit_code == 2
    assert "is a file; breakout rooms are written to a folder" in result.output


def test_a_file_format_to_a_folder_is_refused(tmp_path: Path) -> None:
    instance, plan = write_inputs(tmp_path, event_with(ADDRESSES))
    result = CliRunner().invoke(
        main, ["export", str(plan), "--instance", str(instance), "--to", "csv", "-o", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "is a folder" in result.output


def test_the_error_names_the_folder() -> None:
    instance = Instance.model_validate(event_with({}))
    with pytest.raises(InputError) as raised:
        breakout_files(instance, Schedule.model_validate(SMALL_PLAN), Path("rooms"))
    # All six are seated at some round and none has an address.
    assert raised.value.where == "rooms"
    assert "6 without one" in raised.value.message
    assert check(instance, Schedule.model_validate(SMALL_PLAN)).valid  # the refusal is about addresses only
