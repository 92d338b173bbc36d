"""Re-planning on the day: what changes in the event, and the smaller event that is left to plan.

Rounds 1..K happened as printed. The rest is an ordinary instance of its own: the remaining
rounds, the new attendance, and every pair seated together so far counted as met before. Any
search can solve it; stitching the printed rounds to its answer gives the whole event again.
Plain Python: no solver here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tablejam.check import check
from tablejam.errors import InputError
from tablejam.models.instance import Instance, Participant
from tablejam.models.schedule import Move, RoundSeating, Schedule


@dataclass(frozen=True)
class Change:
    """What happened: after round `after_round`, some people left and some arrived."""

    after_round: int
    absent: tuple[str, ...] = ()
    arrivals: tuple[Participant, ...] = ()  # new participants, or returning ones (same id)


def changed_event(instance: Instance, printed: Schedule, change: Change, printed_name: str = "SCHEDULE") -> Instance:
    """The whole event with the new attendance: checks the change and the printed schedule (named
    `printed_name` in messages, e.g. its file) first."""
    rounds = instance.rounds
    if not 0 <= change.after_round < rounds:
        raise InputError(f"must be between 0 and {rounds - 1} (the event has {rounds} rounds)", "--after-round")
    report = check(instance, printed)
    if not report.valid:
        listed = "; ".join(v.message for v in report.violations[:3])
        raise InputError(
            f"the schedule breaks rules of this instance, so it cannot be re-planned: {listed}", printed_name
        )
    if len(printed.rounds) != rounds:
        raise InputError(f"has {len(printed.rounds)} rounds, the instance {rounds}", printed_name)

    later = set(range(change.after_round + 1, rounds + 1))
    known = instance.participant_index
    arriving = {person.id: person for person in change.arrivals}
    for pid in change.absent:
        if pid not in known:
            raise InputError(f"no participant '{pid}' in the instance", "--absent")
        if pid in arriving:
            raise InputError(f"'{pid}' is both absent and arriving", "--absent")
    people: list[dict[str, Any]] = []
    for person in instance.participants:
        data = person.model_dump()
        if person.id in change.absent:
            data["absent"] = sorted(set(person.absent) | later)
        elif person.id in arriving:
            if not later & set(person.absent):
                raise InputError(f"'{person.id}' already attends every round after {change.after_round}", "--arrive")
            data["absent"] = sorted(set(person.absent) - later)
        people.append(data)
    for pid, person in arriving.items():
        if pid not in known:
            already = range(1, change.after_round + 1)  # they were not there for what happened
            people.append({**person.model_dump(), "absent": sorted(set(already) | set(person.absent))})

    data = instance.model_dump()
    data["participants"] = people
    # The loader has already added history's pairs to met_before; the paths would only be wrong
    # relative to wherever the changed event is written.
    data["rules"]["history"] = []
    try:
        return Instance.model_validate(data)
    except ValueError as error:  # e.g. an arrival hosting a table that does not exist
        raise InputError(f"the changed event is not valid: {error}", "--arrive") from None


def remaining_event(event: Instance, printed: Schedule, after_round: int) -> Instance:
    """Rounds after `after_round` as an event of their own; everyone seated together so far has met."""
    shown = set(event.participant_index)
    together: set[frozenset[str]] = set()  # pairs seated together in the printed rounds kept
    for seated_round in printed.rounds[:after_round]:
        for table in seated_round.tables:
            group = [pid for pid in table.participants if pid in shown]
            together.update(frozenset((a, b)) for k, a in enumerate(group) for b in group[k + 1 :])
    met = together | {frozenset(pair) for pair in event.rules.met_before}
    data = event.model_dump()
    # A wish to meet that the kept rounds granted is spent: the rest of the event gains nothing more from it.
    wishes = event.rules.wishes
    data["rules"]["wishes"] = [
        w.model_dump() for w in wishes if w.weight < 0 or frozenset(w.participants) not in together
    ]
    data["name"] = f"{event.name or 'Event'}, rounds {after_round + 1}-{event.rounds}"
    data["rounds"] = event.rounds - after_round
    for person in data["participants"]:
        person["absent"] = [r - after_round for r in person["absent"] if r > after_round]
    data["rules"]["met_before"] = sorted(tuple(sorted(pair)) for pair in met)
    _later_rounds(data, event, printed, after_round)
    return Instance.model_validate(data)


def _later_rounds(data: dict[str, Any], event: Instance, printed: Schedule, after_round: int) -> None:
    """Table rounds and pins in the remaining event's numbers (a pin of printed rounds only is dropped), and, where
    nobody sits at one table twice, the printed seats as earlier seats. A together pair or pin of an absentee
    lapses by itself: both hold only in rounds attended."""

    def later(rounds: list[int]) -> list[int]:
        return [r - after_round for r in rounds if r > after_round]

    if isinstance(data["tables"], list):
        for table in data["tables"]:
            if table["rounds"] is not None:
                table["rounds"] = later(table["rounds"])
    pins = []
    for pin in data["rules"]["pins"]:
        if pin["rounds"] is None or later(pin["rounds"]):
            pins.append({**pin, "rounds": None if pin["rounds"] is None else later(pin["rounds"])})
    data["rules"]["pins"] = pins
    if event.rules.revisit_tables == "forbid":
        seats = {tuple(seat) for seat in event.rules.seated_before}
        for seated_round in printed.rounds[:after_round]:
            seats.update((pid, table.table) for table in seated_round.tables for pid in table.participants)
        data["rules"]["seated_before"] = sorted(seats)


def stitched(printed: Schedule, after_round: int, remaining: Schedule) -> list[RoundSeating]:
    """Printed rounds 1..K, then the re-planned rounds numbered on from K+1."""
    later = [RoundSeating(round=after_round + seated.round, tables=seated.tables) for seated in remaining.rounds]
    return [*printed.rounds[:after_round], *later]


def moves(printed: Schedule, new_rounds: list[RoundSeating], after_round: int) -> list[Move]:
    """Who sits elsewhere than printed, round by round (arrivals and absentees are not moves)."""
    found = []
    for before, after in zip(printed.rounds[after_round:], new_rounds[after_round:], strict=True):
        was = {pid: table.table for table in before.tables for pid in table.participants}
        now = {pid: table.table for table in after.tables for pid in table.participants}
        for pid in sorted(was.keys() & now.keys()):
            if was[pid] != now[pid]:
                found.append(Move(round=after.round, participant=pid, from_table=was[pid], to_table=now[pid]))
    return found
