"""Obvious impossibilities and simple bounds, found by counting before any search.

Each impossibility is said in the instance's own words (round, table, sector,
participant), so an organiser knows what to change. Plain Python, no solver.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from tablejam.models.instance import Instance, Participant


@dataclass(frozen=True)
class Impossibility:
    rule: str
    message: str


def impossibilities(instance: Instance) -> list[Impossibility]:
    """Reasons, found by counting, why no schedule can satisfy every rule (empty: none found)."""
    found: list[Impossibility] = []
    for number in range(1, instance.rounds + 1):
        found += _seat_counts(instance, number)
        found += _sector_room(instance, number)
    found += _host_conflicts(instance)
    return found


def _seat_counts(instance: Instance, number: int) -> list[Impossibility]:
    """Attendees of a round fit between the tables' minimums and capacities, hosts included."""
    found = []
    attendees = instance.attendees(number)
    seats = sum(t.capacity for t in instance.table_list)
    minimum = sum(t.min for t in instance.table_list)
    if len(attendees) > seats:
        found.append(
            Impossibility(
                "capacity",
                f"round {number} has {len(attendees)} attendees but only {seats} seats "
                f"at {len(instance.table_list)} tables",
            )
        )
    if len(attendees) < minimum:
        found.append(
            Impossibility(
                "minimum",
                f"round {number} has {len(attendees)} attendees but the table minimums add up to {minimum}",
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
                Impossibility(
                    "capacity",
                    f"round {number}: table '{table.id}' has {len(hosts)} hosts ({', '.join(hosts)}) "
                    f"but capacity {table.capacity}",
                )
            )
    return found


def _sector_room(instance: Instance, number: int) -> list[Impossibility]:
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
                Impossibility(
                    "sector-cap",
                    f"sector '{sector}' has {len(people)} attendees in round {number} but at most {cap} "
                    f"per table and {len(instance.table_list)} tables ({room} places)",
                )
            )
        hosts_at: dict[str, list[str]] = defaultdict(list)
        for person in people:
            if person.host:
                hosts_at[person.host].append(person.id)
        for table_id, hosts in sorted(hosts_at.items()):
            if len(hosts) > cap:
                found.append(
                    Impossibility(
                        "sector-cap",
                        f"round {number}: table '{table_id}' is hosted by {len(hosts)} participants of sector "
                        f"'{sector}' ({', '.join(hosts)}) but the cap is {cap}",
                    )
                )
    return found


def _host_conflicts(instance: Instance) -> list[Impossibility]:
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
            if pair in instance.apart_pairs:
                found.append(
                    Impossibility(
                        "keep-apart" if pair in instance.keep_apart_pairs else "colleagues",
                        f"{a.id} and {b.id} both host table '{table_id}' in round {shared[0]} but must be kept apart",
                    )
                )
            if instance.rules.repeats != "forbid":
                continue
            if pair in instance.met_before_pairs:
                found.append(
                    Impossibility(
                        "repeat",
                        f"{a.id} and {b.id} both host table '{table_id}' in round {shared[0]} "
                        f"but met before and repeats are forbidden",
                    )
                )
            elif len(shared) > 1:
                found.append(
                    Impossibility(
                        "repeat",
                        f"{a.id} and {b.id} both host table '{table_id}' in rounds {shared[0]} and {shared[1]}: "
                        f"they meet twice but repeats are forbidden",
                    )
                )
    return found


@dataclass(frozen=True)
class Bounds:
    max_rounds_without_repeats: int
    max_new_encounters: int


def counting_bounds(instance: Instance) -> Bounds:
    """Upper bounds from counting seats: each person meets at most (largest table - 1) people a round."""
    people = len(instance.participants)
    largest = max(t.capacity for t in instance.table_list)
    max_rounds = (people - 1) // (largest - 1) if largest > 1 else 0
    seats_pairs = 0
    for number in range(1, instance.rounds + 1):
        seats_pairs += _most_pairs(len(instance.attendees(number)), [t.capacity for t in instance.table_list])
    all_pairs = people * (people - 1) // 2 - len(instance.met_before_pairs)
    return Bounds(max_rounds, min(seats_pairs, all_pairs))


def _most_pairs(attendees: int, capacities: list[int]) -> int:
    """Most pairs sharing a table in one round: fill the largest tables first (pairs grow quadratically)."""
    pairs = 0
    for capacity in sorted(capacities, reverse=True):
        seated = min(capacity, attendees)
        pairs += seated * (seated - 1) // 2
        attendees -= seated
    return pairs
