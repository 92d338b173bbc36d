"""What every export shows, computed once from the instance, the seating and the checker's report.

Statistics and meetings come from the checker (never from the schedule file); this module only arranges them
per participant, per table and per pair, so that the CSV, XLSX and HTML outputs cannot disagree.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from tablejam.check import CheckReport, Meeting
from tablejam.errors import InputError
from tablejam.models.instance import Instance, Participant, Table, complementarity
from tablejam.models.schedule import BOUND_SOURCE_WORDS, Schedule, Stats, relative_gap


@dataclass(frozen=True)
class Tablemate:
    """Someone a participant sits with in one round, seen from that participant."""

    person: Participant
    repeat: bool  # they had met before this round (earlier round or met_before)
    gives: tuple[str, ...]  # what the tablemate offers that the participant needs
    gets: tuple[str, ...]  # what the participant offers that the tablemate needs

    @property
    def complementary(self) -> int:
        """c(i, j) when the two meet for the first time; a repeat adds nothing, as in the statistics."""
        return 0 if self.repeat else len(self.gives) + len(self.gets)


@dataclass(frozen=True)
class Stop:
    """One participant in one round: where they sit and with whom (table None: absent)."""

    round: int
    table: str | None
    hosting: bool
    tablemates: tuple[Tablemate, ...]

    @property
    def new(self) -> int:
        return sum(not mate.repeat for mate in self.tablemates)

    @property
    def repeats(self) -> tuple[Tablemate, ...]:
        return tuple(mate for mate in self.tablemates if mate.repeat)

    @property
    def complementary_mates(self) -> tuple[Tablemate, ...]:
        return tuple(mate for mate in self.tablemates if mate.complementary)

    @property
    def complementary(self) -> int:
        return sum(mate.complementary for mate in self.tablemates)


@dataclass(frozen=True)
class Itinerary:
    person: Participant
    stops: tuple[Stop, ...]  # one per round of the event, absent rounds included

    @property
    def attended(self) -> tuple[Stop, ...]:
        return tuple(stop for stop in self.stops if stop.table is not None)

    @property
    def new(self) -> int:
        return sum(stop.new for stop in self.stops)

    @property
    def complementary(self) -> int:
        return sum(stop.complementary for stop in self.stops)

    @property
    def repeats(self) -> int:
        return sum(len(stop.repeats) for stop in self.stops)


@dataclass(frozen=True)
class TableRound:
    """One table in one round."""

    round: int
    table: Table
    seated: tuple[Participant, ...]
    hosts: tuple[Participant, ...]
    new_pairs: int
    repeat_pairs: int
    complementary: int  # sum of c(i, j) over the new pairs at this table

    @property
    def sector_mix(self) -> tuple[tuple[str, int], ...]:
        """(sector, how many) at this table, largest first; participants without a sector count under ''."""
        counts = Counter(person.sector or "" for person in self.seated)
        return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0] == "", item[0])))


@dataclass(frozen=True)
class PairMeeting:
    """A pair that met during the event: when first, and whether any of their meetings was a repeat."""

    first_round: int
    repeat: bool
    complementary: int  # c(i, j)


@dataclass(frozen=True)
class EventView:
    instance: Instance
    schedule: Schedule
    stats: Stats
    itineraries: tuple[Itinerary, ...]  # in the instance's participant order
    tables: tuple[TableRound, ...]  # round by round, tables in the instance's order
    pairs: dict[frozenset[str], PairMeeting]

    @property
    def title(self) -> str:
        return self.instance.name or "Event"

    @property
    def gap(self) -> float | None:
        """Recomputed from the checker's objective: the file's own figure is not trusted."""
        return relative_gap(self.stats.objective, self.schedule.bound)

    @property
    def bound_source(self) -> str | None:
        """What proved the bound, in words (None where the document does not say: older files)."""
        solver = self.schedule.solver
        if self.schedule.bound is None or solver is None or solver.bound_source is None:
            return None
        return BOUND_SOURCE_WORDS[solver.bound_source]

    @cached_property
    def sectors(self) -> tuple[str, ...]:
        """Sectors in alphabetical order, '' (no sector) last when anyone has none."""
        names = {person.sector or "" for person in self.instance.participants}
        return tuple(sorted(names, key=lambda name: (name == "", alphabetical(name), name)))

    @cached_property
    def by_sector(self) -> tuple[Participant, ...]:
        """Participants ordered by sector, then by name: the order of the who-met-whom matrix."""
        rank = {name: k for k, name in enumerate(self.sectors)}
        return tuple(
            sorted(
                self.instance.participants,
                key=lambda person: (rank[person.sector or ""], alphabetical(person.label), person.id),
            )
        )

    @cached_property
    def by_table(self) -> dict[str, tuple[TableRound, ...]]:
        """Table id -> that table in each round, in round order: the rows of the seating plan."""
        rows: dict[str, list[TableRound]] = {table.id: [] for table in self.instance.table_list}
        for table in self.tables:
            rows[table.table.id].append(table)
        return {table_id: tuple(row) for table_id, row in rows.items()}

    @cached_property
    def by_name(self) -> tuple[Itinerary, ...]:
        """Itineraries alphabetically, the order in which cards are handed out."""
        return tuple(sorted(self.itineraries, key=lambda item: (alphabetical(item.person.label), item.person.id)))


def alphabetical(text: str) -> str:
    """A sort key that files 'Çelik' with the Cs and 'Émile' with the Es, as a printed list would."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def build_view(instance: Instance, schedule: Schedule, report: CheckReport) -> EventView:
    """Arrange a valid schedule for export. `report` is the checker's report on this very schedule."""
    if not report.valid or report.stats is None:
        raise InputError(f"breaks {len(report.violations)} rule(s) of the instance: not exported", "schedule")
    people = {person.id: person for person in instance.participants}
    seating = {(r.round, t.table): tuple(t.participants) for r in schedule.rounds for t in r.tables}
    repeats = {(m.round, frozenset((m.a, m.b))) for m in report.meetings if m.repeat}

    table_of: dict[tuple[str, int], str] = {}
    for (number, table_id), seated in seating.items():
        for pid in seated:
            table_of[pid, number] = table_id

    itineraries = []
    for person in instance.participants:
        stops = []
        for number in range(1, instance.rounds + 1):
            table_id = table_of.get((person.id, number))
            mates = () if table_id is None else seating[number, table_id]
            stops.append(
                Stop(
                    round=number,
                    table=table_id,
                    hosting=table_id is not None and person.host == table_id,
                    tablemates=tuple(
                        _tablemate(person, people[pid], (number, frozenset((person.id, pid))) in repeats)
                        for pid in mates
                        if pid != person.id
                    ),
                )
            )
        itineraries.append(Itinerary(person, tuple(stops)))

    at_table: dict[tuple[int, str], list[Meeting]] = {}
    for meeting in report.meetings:
        at_table.setdefault((meeting.round, meeting.table), []).append(meeting)
    tables = []
    for number in range(1, instance.rounds + 1):
        for table in instance.table_list:
            seated = tuple(people[pid] for pid in seating.get((number, table.id), ()))
            meetings = at_table.get((number, table.id), [])
            # A together pair's meetings are made by the rule: neither new nor repeats (as in the statistics).
            new = [m for m in meetings if not m.repeat and not m.together]
            tables.append(
                TableRound(
                    round=number,
                    table=table,
                    seated=seated,
                    hosts=tuple(person for person in seated if person.host == table.id),
                    new_pairs=len(new),
                    repeat_pairs=sum(m.repeat for m in meetings),
                    complementary=sum(complementarity(people[m.a], people[m.b]) for m in new),
                )
            )

    pairs: dict[frozenset[str], PairMeeting] = {}
    for meeting in report.meetings:  # in round order, so the first record of a pair is its first meeting
        pair = frozenset((meeting.a, meeting.b))
        a, b = people[meeting.a], people[meeting.b]
        earlier = pairs.get(pair)
        pairs[pair] = PairMeeting(
            first_round=earlier.first_round if earlier else meeting.round,
            repeat=meeting.repeat or (earlier is not None and earlier.repeat),
            complementary=complementarity(a, b),
        )
    return EventView(instance, schedule, report.stats, tuple(itineraries), tuple(tables), pairs)


def _tablemate(person: Participant, mate: Participant, repeat: bool) -> Tablemate:
    return Tablemate(
        person=mate,
        repeat=repeat,
        gives=tuple(need for need in dict.fromkeys(person.needs) if need in mate.offers),
        gets=tuple(need for need in dict.fromkeys(mate.needs) if need in person.offers),
    )
