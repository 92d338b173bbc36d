"""Obvious impossibilities, found by counting before any search.

One counting argument (or a few) per rule, registered under the rule's name; each impossibility
is a reason with the figures behind it (round, table, sector, participants, counts), so an
organiser knows what to change. Plain Python, no solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import combinations
from typing import Any

from tablejam.diagnostics.counting import counting_bounds
from tablejam.models.instance import Instance, Participant
from tablejam.models.reasons import reason
from tablejam.models.rules import RULES, Rule, registrar
from tablejam.models.schedule import Reason

Precheck = Callable[[Instance], Iterator[Reason]]
# The counting arguments of each rule, in the order impossibilities are reported.
PRECHECKS: dict[Rule, Precheck] = {}


_counts = registrar(PRECHECKS)


def impossibilities(instance: Instance) -> list[Reason]:
    """Reasons, found by counting, why no schedule can satisfy every rule (empty: none found)."""
    return [found for rule in RULES if rule in PRECHECKS for found in PRECHECKS[rule](instance)]


def _impossible(rule: Rule, fact: str, **data: Any) -> Reason:
    return reason(rule, fact, "precheck", **data)


def _rounds(instance: Instance) -> range:
    return range(1, instance.rounds + 1)


@_counts(Rule.CAPACITY)
def _seats_and_hosts(instance: Instance) -> Iterator[Reason]:
    """A round's attendees fit at the tables; a table's hosts fit at it."""
    seats = sum(t.capacity for t in instance.table_list)
    tables = len(instance.table_list)
    for number in _rounds(instance):
        attendees = instance.attendees(number)
        if len(attendees) > seats:
            counts = {"attendees": len(attendees), "seats": seats, "tables": tables}
            yield _impossible(Rule.CAPACITY, "seats", rounds=[number], counts=counts)
        hosts_at = _hosts_at(attendees)
        for table in instance.table_list:
            hosts = hosts_at.get(table.id, [])
            if len(hosts) > table.capacity:
                yield _impossible(
                    Rule.CAPACITY, "hosts", rounds=[number], tables=[table.id], participants=hosts,
                    counts={"hosts": len(hosts), "capacity": table.capacity},
                )  # fmt: skip


@_counts(Rule.MINIMUM)
def _minimums(instance: Instance) -> Iterator[Reason]:
    """A round's attendees fill every table to its minimum."""
    minimums = sum(t.min for t in instance.table_list)
    for number in _rounds(instance):
        attendees = len(instance.attendees(number))
        if attendees < minimums:
            yield _impossible(
                Rule.MINIMUM, "seats", rounds=[number], counts={"attendees": attendees, "minimums": minimums}
            )


@_counts(Rule.SECTOR_CAP)
def _sector_room(instance: Instance) -> Iterator[Reason]:
    """A capped sector's attendees fit at the tables, at most `cap` per table (hosts stay put)."""
    tables = len(instance.table_list)
    for number in _rounds(instance):
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
                yield _impossible(
                    Rule.SECTOR_CAP, "room", rounds=[number], sector=sector,
                    counts={"attendees": len(people), "cap": cap, "tables": tables, "places": room},
                )  # fmt: skip
            for table_id, hosts in sorted(_hosts_at(people).items()):
                if len(hosts) > cap:
                    yield _impossible(
                        Rule.SECTOR_CAP, "hosts", rounds=[number], tables=[table_id], participants=hosts,
                        sector=sector, counts={"hosts": len(hosts), "cap": cap},
                    )  # fmt: skip


@_counts(Rule.QUOTA)
def _quota_room(instance: Instance) -> Iterator[Reason]:
    """A quota's max leaves room for everyone with its value; its min, at every table that must be occupied
    (tables with a minimum or a host, and as many more as it takes to seat the round), is met by those who have
    the value."""
    tables = instance.table_list
    for number in _rounds(instance):
        attendees = instance.attendees(number)
        occupied = _fewest_occupied(instance, attendees)
        for quota in instance.quotas:
            counted = sum(1 for person in attendees if quota.holds_for(person))
            about = {"rounds": [number], "attribute": quota.attribute, "value": quota.value}
            if quota.max is not None:
                places = sum(min(quota.max, t.capacity) for t in tables)
                if counted > places:
                    counts = {"attendees": counted, "max": quota.max, "tables": len(tables), "places": places}
                    yield _impossible(Rule.QUOTA, "room", **about, counts=counts)
            if quota.min and quota.min * occupied > counted:
                counts = {"attendees": counted, "min": quota.min, "occupied": occupied, "needed": quota.min * occupied}
                yield _impossible(Rule.QUOTA, "short", **about, counts=counts)


def _fewest_occupied(instance: Instance, attendees: list[Participant]) -> int:
    """The fewest tables a round's attendees can occupy: every table with a minimum or a host, then the largest
    others until the seats suffice (0 without attendees)."""
    if not attendees:
        return 0
    hosted = set(_hosts_at(attendees))
    forced = {t.id for t in instance.table_list if t.min > 0 or t.id in hosted}
    seats = sum(t.capacity for t in instance.table_list if t.id in forced)
    others = sorted((t.capacity for t in instance.table_list if t.id not in forced), reverse=True)
    count = len(forced)
    for capacity in others:
        if seats >= len(attendees):
            break
        seats += capacity
        count += 1
    return max(count, 1)


@_counts(Rule.COLLEAGUES)
def _colleagues(instance: Instance) -> Iterator[Reason]:
    """Colleagues kept apart need a table each, and cannot host one table together."""
    if instance.rules.colleagues != "apart":
        return
    tables = len(instance.table_list)
    for number in _rounds(instance):
        members: dict[str, list[str]] = defaultdict(list)
        for person in instance.attendees(number):
            if person.company:
                members[person.company].append(person.id)
        for company, people in sorted(members.items()):
            if len(people) > tables:
                yield _impossible(
                    Rule.COLLEAGUES, "room", rounds=[number], participants=people, company=company,
                    counts={"attendees": len(people), "tables": tables},
                )  # fmt: skip
    for a, b, table_id, shared in _co_hosts(instance):
        if frozenset((a.id, b.id)) in instance.apart_pairs and frozenset((a.id, b.id)) not in instance.keep_apart_pairs:
            yield _impossible(Rule.COLLEAGUES, "hosts", **_where(a, b, table_id, shared[:1]))


@_counts(Rule.KEEP_APART)
def _hosts_kept_apart(instance: Instance) -> Iterator[Reason]:
    """Two hosts of one table meet in every round both attend: they cannot be kept apart."""
    for a, b, table_id, shared in _co_hosts(instance):
        if frozenset((a.id, b.id)) in instance.keep_apart_pairs:
            yield _impossible(Rule.KEEP_APART, "hosts", **_where(a, b, table_id, shared[:1]))


@_counts(Rule.REPEAT)
def _repeats(instance: Instance) -> Iterator[Reason]:
    """Without repeats: co-hosts may meet once, and never if they met before; and tablemates of one round
    come from different tables of every other round they attend (the spread)."""
    if instance.rules.repeats != "forbid":
        return
    for a, b, table_id, shared in _co_hosts(instance):
        if frozenset((a.id, b.id)) in instance.met_before_pairs:
            yield _impossible(Rule.REPEAT, "hosts-met-before", **_where(a, b, table_id, shared[:1]))
        elif len(shared) > 1:
            yield _impossible(Rule.REPEAT, "hosts-meet-twice", **_where(a, b, table_id, shared[:2]))
    # Every meeting beyond the pairs that have not met before repeats one (pairs kept apart are left to their
    # own rules here, so that this reason blames repeats alone).
    people = len(instance.participants)
    unmet = people * (people - 1) // 2 - len(instance.met_before_pairs)
    meetings = counting_bounds(instance).min_meetings
    if meetings > unmet:
        counts = {"meetings": meetings, "pairs": unmet, "repeats": meetings - unmet}
        yield _impossible(Rule.REPEAT, "meetings", counts=counts)
    else:
        yield from _second_round_spread(instance)


def _second_round_spread(instance: Instance) -> Iterator[Reason]:
    """If c people attend rounds a and b, some table of round b seats at least ceil(c / tables) of them;
    they must have sat at that many different tables in round a, so ceil(c / tables) <= tables."""
    tables = len(instance.table_list)
    for a in _rounds(instance):
        for b in range(a + 1, instance.rounds + 1):
            both = sum(1 for p in instance.participants if a not in p.absent and b not in p.absent)
            crowd = -(-both // tables)
            if crowd > tables:
                counts = {"attendees": both, "crowd": crowd, "tables": tables}
                yield _impossible(Rule.REPEAT, "spread", rounds=[a, b], counts=counts)
                return  # one such pair of rounds says it; the others would repeat it


def _hosts_at(people: list[Participant]) -> dict[str, list[str]]:
    hosts_at: dict[str, list[str]] = defaultdict(list)
    for person in people:
        if person.host:
            hosts_at[person.host].append(person.id)
    return hosts_at


def _co_hosts(instance: Instance) -> Iterator[tuple[Participant, Participant, str, list[int]]]:
    """Pairs hosting one table, with the rounds both attend (where they meet), for pairs attending one together."""
    hosts_of: dict[str, list[Participant]] = defaultdict(list)
    for person in instance.participants:
        if person.host:
            hosts_of[person.host].append(person)
    for table_id, hosts in sorted(hosts_of.items()):
        for a, b in combinations(hosts, 2):
            shared = sorted(set(_rounds(instance)) - set(a.absent) - set(b.absent))
            if shared:
                yield a, b, table_id, shared


def _where(a: Participant, b: Participant, table_id: str, rounds: list[int]) -> dict[str, Any]:
    return {"rounds": rounds, "tables": [table_id], "participants": [a.id, b.id]}
