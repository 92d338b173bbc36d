"""Obvious impossibilities and simple bounds, found by counting before any search.

Each impossibility is said in the instance's own words (round, table, sector,
participant), so an organiser knows what to change. Plain Python, no solver.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from tablejam.models.instance import Instance, Participant
from tablejam.models.schedule import Reason


def _impossible(rule: str, message: str, **data: Any) -> Reason:
    return Reason(rule=rule, message=message, source="precheck", **data)


def impossibilities(instance: Instance) -> list[Reason]:
    """Reasons, found by counting, why no schedule can satisfy every rule (empty: none found)."""
    found: list[Reason] = []
    for number in range(1, instance.rounds + 1):
        found += _seat_counts(instance, number)
        found += _sector_room(instance, number)
        found += _company_room(instance, number)
    found += _host_conflicts(instance)
    found += _second_round_spread(instance)
    return found


def _second_round_spread(instance: Instance) -> list[Reason]:
    """Without repeats, tablemates of one round come from different tables of every other round they attend.

    If c people attend rounds a and b, some table of round b seats at least ceil(c / tables) of them;
    they must have sat at that many different tables in round a, so ceil(c / tables) <= tables."""
    if instance.rules.repeats != "forbid":
        return []
    tables = len(instance.table_list)
    for a in range(1, instance.rounds + 1):
        for b in range(a + 1, instance.rounds + 1):
            both = sum(1 for p in instance.participants if a not in p.absent and b not in p.absent)
            crowd = -(-both // tables)
            if crowd > tables:
                return [
                    _impossible(
                        "repeat",
                        f"{both} people attend rounds {a} and {b}, so some table in round {b} seats at least "
                        f"{crowd} of them, who must come from {crowd} different tables of round {a}, "
                        f"but there are only {tables} tables",
                        rounds=[a, b],
                        counts={"attendees": both, "crowd": crowd, "tables": tables},
                    )
                ]
    return []


def _seat_counts(instance: Instance, number: int) -> list[Reason]:
    """Attendees of a round fit between the tables' minimums and capacities, hosts included."""
    found = []
    attendees = instance.attendees(number)
    seats = sum(t.capacity for t in instance.table_list)
    minimum = sum(t.min for t in instance.table_list)
    if len(attendees) > seats:
        found.append(
            _impossible(
                "capacity",
                f"round {number} has {len(attendees)} attendees but only {seats} seats "
                f"at {len(instance.table_list)} tables",
                rounds=[number],
                counts={"attendees": len(attendees), "seats": seats, "tables": len(instance.table_list)},
            )
        )
    if len(attendees) < minimum:
        found.append(
            _impossible(
                "minimum",
                f"round {number} has {len(attendees)} attendees but the table minimums add up to {minimum}",
                rounds=[number],
                counts={"attendees": len(attendees), "minimums": minimum},
            )
        )
    hosts_at: dict[str, list[str]] = defaultdict(list)
    for person in attendees:
        if person.host:
            hosts_at[person.host].append(person.id)
    for table in instance.table_list:
        hosts = hosts_at.get(table.id, [])
        if len(hosts) > table.capacity:
            found.append(
                _impossible(
                    "capacity",
                    f"round {number}: table '{table.id}' has {len(hosts)} hosts ({', '.join(hosts)}) "
                    f"but capacity {table.capacity}",
                    rounds=[number],
                    tables=[table.id],
                    participants=hosts,
                    counts={"hosts": len(hosts), "capacity": table.capacity},
                )
            )
    return found


def _sector_room(instance: Instance, number: int) -> list[Reason]:
    """A capped sector's attendees fit at the tables, at most `cap` per table (hosts stay put)."""
    found = []
    members: dict[str, list[Participant]] = defaultdict(list)
    for person in instance.attendees(number):
        if person.sector:
            members[person.sector].append(person)
    for sector, people in sorted(members.items()):
        cap = instance.sectors.cap(sector)
        if cap is None:
            continue
        room = sum(min(cap, t.capacity) for t in instance.table_list)
        if len(people) > room:
            found.append(
                _impossible(
                    "sector-cap",
                    f"sector '{sector}' has {len(people)} attendees in round {number} but at most {cap} "
                    f"per table and {len(instance.table_list)} tables ({room} places)",
                    rounds=[number],
                    sector=sector,
                    counts={"attendees": len(people), "cap": cap, "tables": len(instance.table_list), "places": room},
                )
            )
        hosts_at: dict[str, list[str]] = defaultdict(list)
        for person in people:
            if person.host:
                hosts_at[person.host].append(person.id)
        for table_id, hosts in sorted(hosts_at.items()):
            if len(hosts) > cap:
                found.append(
                    _impossible(
                        "sector-cap",
                        f"round {number}: table '{table_id}' is hosted by {len(hosts)} participants of sector "
                        f"'{sector}' ({', '.join(hosts)}) but the cap is {cap}",
                        rounds=[number],
                        tables=[table_id],
                        participants=hosts,
                        sector=sector,
                        counts={"hosts": len(hosts), "cap": cap},
                    )
                )
    return found


def _company_room(instance: Instance, number: int) -> list[Reason]:
    """Colleagues kept apart need a table each."""
    if instance.rules.colleagues != "apart":
        return []
    members: dict[str, list[str]] = defaultdict(list)
    for person in instance.attendees(number):
        if person.company:
            members[person.company].append(person.id)
    tables = len(instance.table_list)
    return [
        _impossible(
            "colleagues",
            f"company '{company}' has {len(people)} attendees in round {number} who must sit apart, "
            f"but there are only {tables} tables",
            rounds=[number],
            participants=people,
            company=company,
            counts={"attendees": len(people), "tables": tables},
        )
        for company, people in sorted(members.items())
        if len(people) > tables
    ]


def _host_conflicts(instance: Instance) -> list[Reason]:
    """Two hosts of one table meet in every round both attend: that must be allowed."""
    found = []
    hosts_of: dict[str, list[Participant]] = defaultdict(list)
    for person in instance.participants:
        if person.host:
            hosts_of[person.host].append(person)
    for table_id, hosts in sorted(hosts_of.items()):
        for a, b in combinations(hosts, 2):
            shared = sorted(set(range(1, instance.rounds + 1)) - set(a.absent) - set(b.absent))
            if not shared:
                continue
            pair = frozenset((a.id, b.id))
            where: dict[str, Any] = {"rounds": shared[:1], "tables": [table_id], "participants": [a.id, b.id]}
            if pair in instance.apart_pairs:
                found.append(
                    _impossible(
                        "keep-apart" if pair in instance.keep_apart_pairs else "colleagues",
                        f"{a.id} and {b.id} both host table '{table_id}' in round {shared[0]} but must be kept apart",
                        **where,
                    )
                )
            if instance.rules.repeats != "forbid":
                continue
            if pair in instance.met_before_pairs:
                found.append(
                    _impossible(
                        "repeat",
                        f"{a.id} and {b.id} both host table '{table_id}' in round {shared[0]} "
                        f"but met before and repeats are forbidden",
                        **where,
                    )
                )
            elif len(shared) > 1:
                found.append(
                    _impossible(
                        "repeat",
                        f"{a.id} and {b.id} both host table '{table_id}' in rounds {shared[0]} and {shared[1]}: "
                        f"they meet twice but repeats are forbidden",
                        **{**where, "rounds": shared[:2]},
                    )
                )
    return found
