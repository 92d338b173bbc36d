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
from tablejam.models.instance import Instance, Participant, Table
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


def _open_tables(instance: Instance, number: int) -> list[Table]:
    """The tables that seat people in round `number` (the others are closed then)."""
    return [table for table in instance.table_list if instance.is_open(table, number)]


def _rounds(instance: Instance) -> range:
    return range(1, instance.rounds + 1)


@_counts(Rule.CAPACITY)
def _seats_and_hosts(instance: Instance) -> Iterator[Reason]:
    """A round's attendees fit at the open tables; a table's hosts fit at it."""
    for number in _rounds(instance):
        limits = [cap for _, cap in instance.limits(number) if cap]
        seats, tables = sum(limits), len(limits)
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
    """A round's attendees fill every open table to its minimum."""
    for number in _rounds(instance):
        minimums = sum(low for low, _ in instance.limits(number))
        attendees = len(instance.attendees(number))
        if attendees < minimums:
            yield _impossible(
                Rule.MINIMUM, "seats", rounds=[number], counts={"attendees": attendees, "minimums": minimums}
            )


@_counts(Rule.SECTOR_CAP)
def _sector_room(instance: Instance) -> Iterator[Reason]:
    """A capped sector's attendees fit at the open tables, at most `cap` per table (hosts stay put)."""
    for number in _rounds(instance):
        tables = len(_open_tables(instance, number))
        members: dict[str, list[Participant]] = defaultdict(list)
        for person in instance.attendees(number):
            if person.sector:
                members[person.sector].append(person)
        for sector, people in sorted(members.items()):
            cap = instance.sectors.cap(sector)
            if cap is None:
                continue
            room = sum(min(cap, t.capacity) for t in _open_tables(instance, number))
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
    the value. Closed tables seat nobody and need no minimum."""
    for number in _rounds(instance):
        tables = _open_tables(instance, number)
        attendees = instance.attendees(number)
        occupied = _fewest_occupied(tables, attendees)
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


def _fewest_occupied(tables: list[Table], attendees: list[Participant]) -> int:
    """The fewest of a round's open `tables` its attendees can occupy: every table with a minimum or a host, then
    the largest others until the seats suffice (0 without attendees)."""
    if not attendees:
        return 0
    hosted = set(_hosts_at(attendees))
    forced = {t.id for t in tables if t.min > 0 or t.id in hosted}
    seats = sum(t.capacity for t in tables if t.id in forced)
    others = sorted((t.capacity for t in tables if t.id not in forced), reverse=True)
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
    for number in _rounds(instance):
        tables = len(_open_tables(instance, number))
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
        if frozenset((a.id, b.id)) in instance.together_pairs:
            continue  # their meetings are never repeats
        if frozenset((a.id, b.id)) in instance.met_before_pairs:
            yield _impossible(Rule.REPEAT, "hosts-met-before", **_where(a, b, table_id, shared[:1]))
        elif len(shared) > 1:
            yield _impossible(Rule.REPEAT, "hosts-meet-twice", **_where(a, b, table_id, shared[:2]))
    # Every meeting beyond the pairs that have not met before repeats one (pairs kept apart are left to their
    # own rules here, so that this reason blames repeats alone).
    people = len(instance.participants)
    unmet = people * (people - 1) // 2 - len(instance.met_before_pairs - instance.together_pairs)
    # A together pair meets in every round both attend without repeating: those meetings are allowed on top.
    unmet += sum(max(len(instance.together_rounds(*pair)) - 1, 0) for pair in instance.together_pairs)
    meetings = counting_bounds(instance).min_meetings
    if meetings > unmet:
        counts = {"meetings": meetings, "pairs": unmet, "repeats": meetings - unmet}
        yield _impossible(Rule.REPEAT, "meetings", counts=counts)
    else:
        yield from _second_round_spread(instance)


def _second_round_spread(instance: Instance) -> Iterator[Reason]:
    """If c people attend rounds a and b, some table of round b seats at least ceil(c / tables open in b) of
    them; they must have sat at that many different tables in round a, so that is at most the tables open in a
    (and the same with a and b exchanged). A together group counts as one (its members sit at one table in
    both rounds)."""
    for a in _rounds(instance):
        for b in range(a + 1, instance.rounds + 1):
            both = sum(1 for p in instance.participants if a not in p.absent and b not in p.absent)
            for group in instance.rules.together:
                attending = [pid for pid in group if {a, b}.isdisjoint(_person(instance, pid).absent)]
                both -= max(len(attending) - 1, 0)
            opened = {number: len(_open_tables(instance, number)) for number in (a, b)}
            for first, second in ((a, b), (b, a)):
                crowd = -(-both // opened[second]) if opened[second] else 0
                if crowd > opened[first]:
                    counts = {"attendees": both, "crowd": crowd, "tables": opened[first]}
                    yield _impossible(Rule.REPEAT, "spread", rounds=[first, second], counts=counts)
                    return  # one such pair of rounds says it; the others would repeat it


@_counts(Rule.TABLE_CLOSED)
def _closed_tables(instance: Instance) -> Iterator[Reason]:
    """Nobody is pinned to, or hosts, a table in a round it is closed."""
    tables = {t.id: t for t in instance.table_list}
    for (pid, number), (table_id, _) in sorted(instance.pinned.items()):
        if not instance.is_open(tables[table_id], number):
            yield _impossible(Rule.TABLE_CLOSED, "pin", rounds=[number], tables=[table_id], participants=[pid])
    for person in instance.participants:
        for number in _rounds(instance):
            if person.host and number not in person.absent and not instance.is_open(tables[person.host], number):
                yield _impossible(
                    Rule.TABLE_CLOSED, "host", rounds=[number], tables=[person.host], participants=[person.id]
                )


@_counts(Rule.PIN)
def _pinned_seats(instance: Instance) -> Iterator[Reason]:
    """A host is pinned to their own table only; a table's pinned participants and hosts fit at it."""
    for (pid, number), (table_id, _) in sorted(instance.pinned.items()):
        host = _person(instance, pid).host
        if host and host != table_id:
            yield _impossible(Rule.PIN, "host", rounds=[number], tables=[table_id], participants=[pid])
    for number in _rounds(instance):
        fixed: dict[str, list[str]] = defaultdict(list)
        for person in instance.attendees(number):
            pin = instance.pinned.get((person.id, number))
            if pin is not None or person.host:
                fixed[pin[0] if pin is not None else person.host].append(person.id)  # type: ignore[index]
        for table in instance.table_list:
            seated = fixed.get(table.id, [])
            pinned = any((pid, number) in instance.pinned for pid in seated)
            if pinned and instance.is_open(table, number) and len(seated) > table.capacity:
                yield _impossible(
                    Rule.PIN, "full", rounds=[number], tables=[table.id], participants=seated,
                    counts={"pinned": len(seated), "capacity": table.capacity},
                )  # fmt: skip


@_counts(Rule.TOGETHER)
def _together(instance: Instance) -> Iterator[Reason]:
    """Together pairs are not kept apart, fit at an open table, and are not fixed to two tables."""
    for group in instance.rules.together:
        for a, b in combinations(group, 2):
            pair = frozenset((a, b))
            if pair in instance.keep_apart_pairs:
                yield _impossible(Rule.TOGETHER, "apart", participants=[a, b])
            elif pair in instance.apart_pairs:
                company = _person(instance, a).company
                yield _impossible(Rule.TOGETHER, "colleagues", participants=[a, b], company=company)
        for number in _rounds(instance):
            members = [pid for pid in group if number not in _person(instance, pid).absent]
            largest = max((cap for _, cap in instance.limits(number)), default=0)
            if len(members) > largest:
                counts = {"members": len(members), "largest": largest}
                yield _impossible(Rule.TOGETHER, "size", rounds=[number], participants=members, counts=counts)
                break  # one round says it
            fixed = {pid: instance.allowed_tables(_person(instance, pid), number) for pid in members}
            single = [pid for pid in members if len(fixed[pid]) == 1]
            parted = [pid for pid in single if fixed[pid] != fixed[single[0]]]
            if parted:
                yield _impossible(Rule.TOGETHER, "fixed", rounds=[number], participants=[single[0], parted[0]])


@_counts(Rule.REVISIT)
def _revisits(instance: Instance) -> Iterator[Reason]:
    """Under revisit_tables = 'forbid', each participant finds a different table for every round they attend: a
    matching of their rounds to the tables open to them (pins, earlier seats), as large as their rounds."""
    if instance.rules.revisit_tables != "forbid":
        return
    before: dict[str, set[str]] = defaultdict(set)
    for pid, table_id in instance.rules.seated_before:
        before[pid].add(table_id)
    # Whoever has no pin and no earlier seat is only limited by the rounds they attend: one matching per pattern.
    by_attendance: dict[tuple[int, ...], int] = {}
    for person in instance.participants:
        if not instance.revisit_forbidden(person):
            continue
        attended = tuple(number for number in _rounds(instance) if number not in person.absent)
        free = person.id not in before and all(instance.fixed_table(person, n) is None for n in attended)
        if free and attended in by_attendance:
            matched = by_attendance[attended]
        else:
            options = {
                number: [t for t in instance.allowed_tables(person, number) if t not in before.get(person.id, ())]
                for number in attended
            }
            matched = _matching(options)
            if free:
                by_attendance[attended] = matched
        if matched < len(attended):
            counts = {"attended": len(attended), "tables": matched}
            yield _impossible(Rule.REVISIT, "tables", participants=[person.id], counts=counts)
    yield from _revisit_spread(instance)


def _revisit_spread(instance: Instance) -> Iterator[Reason]:
    """Without repeats nor revisits, the people at one table of round b sat at different tables of an earlier
    round a, none of them at this one: a table seats at most the other tables open in round a. Hosts (who stay)
    and together groups (who meet again) are beyond this count: it is left out where there are any."""
    if instance.rules.repeats != "forbid" or instance.rules.together or any(p.host for p in instance.participants):
        return
    tables = instance.table_list
    for a in _rounds(instance):
        open_a = [instance.is_open(t, a) for t in tables]
        opened = sum(open_a)
        for b in range(a + 1, instance.rounds + 1):
            both = sum(1 for p in instance.participants if a not in p.absent and b not in p.absent)
            places = sum(min(t.capacity, opened - open_a[k]) for k, t in enumerate(tables) if instance.is_open(t, b))
            if both > places:
                counts = {"attendees": both, "places": places}
                yield _impossible(Rule.REVISIT, "spread", rounds=[a, b], counts=counts)
                return  # one pair of rounds says it


def _matching(options: dict[int, list[str]]) -> int:
    """The most rounds that can each get a different table among their options (augmenting paths)."""
    table_of: dict[str, int] = {}  # table -> the round it is matched to

    def augment(number: int, seen: set[str]) -> bool:
        for table in options[number]:
            if table not in seen:
                seen.add(table)
                if table not in table_of or augment(table_of[table], seen):
                    table_of[table] = number
                    return True
        return False

    return sum(augment(number, set()) for number in options)


def _person(instance: Instance, pid: str) -> Participant:
    return instance.participants[instance.participant_index[pid]]


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
