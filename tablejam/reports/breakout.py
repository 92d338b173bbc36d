"""Breakout rooms for an online event: one pre-assignment CSV per round, as video-call tools import them.

    DIR/round-1.csv, DIR/round-2.csv, ...   header: Pre-assign Room Name,Email Address

One row per seated participant, the room named after the table. The address is the participant's `email`
attribute (a spreadsheet's 'Email' column lands there). Every participant seated without an address is
named before anything is written: a call tool would silently leave them in the main room.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tablejam.errors import InputError
from tablejam.models.instance import Instance
from tablejam.models.schedule import Schedule

HEADER = ("Pre-assign Room Name", "Email Address")
EMAIL = "email"  # the participant attribute holding the address (any case: spreadsheet headers vary)
# Names listed in the error at most; the count says how many more.
MOST_NAMED = 20


def round_file(folder: Path, round_number: int) -> Path:
    return folder / f"round-{round_number}.csv"


def breakout_files(instance: Instance, schedule: Schedule, folder: Path) -> dict[Path, bytes]:
    """One CSV per round of `schedule` in `folder`, as bytes, nothing written yet.

    Plain UTF-8 without a byte-order mark: importers match the header exactly, and a mark would be part of it."""
    addresses = _addresses(instance, schedule, folder)
    files: dict[Path, bytes] = {}
    for seated_round in schedule.rounds:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        for table in seated_round.tables:
            writer.writerows((table.table, addresses[pid]) for pid in table.participants)
        files[round_file(folder, seated_round.round)] = buffer.getvalue().encode("utf-8")
    return files


def _addresses(instance: Instance, schedule: Schedule, folder: Path) -> dict[str, str]:
    """The address of everyone the schedule seats; InputError naming each one without a usable address."""
    seated = list(dict.fromkeys(pid for r in schedule.rounds for table in r.tables for pid in table.participants))
    index = instance.participant_index
    addresses: dict[str, str] = {}
    missing: list[str] = []
    for pid in seated:
        person = instance.participants[index[pid]]
        address = (person.attribute(EMAIL) or "").strip()
        if "@" not in address or any(character.isspace() for character in address):
            shown = f"'{person.id}' ({person.name})" if person.name else f"'{person.id}'"
            missing.append(f"{shown}: '{address}' is not an address" if address else shown)
        else:
            addresses[pid] = address
    if missing:
        named = "; ".join(missing[:MOST_NAMED]) + (
            f"; and {len(missing) - MOST_NAMED} more" if len(missing) > MOST_NAMED else ""
        )
        raise InputError(
            f"breakout rooms need an '{EMAIL}' attribute (a column 'email' in the participant sheet) for everyone "
            f"seated; {len(missing)} without one: {named}",
            str(folder),
        )
    return addresses
