"""The referee: an independent checker of schedules.

Plain Python that knows nothing of the solver. It lists every violated rule as a record (rule,
round, table, who), one check per rule of `tablejam.models.rules`, and recomputes every statistic
from the seating alone, so a schedule from any source is judged the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import NamedTuple

from tablejam.models.instance import Instance, Participant, Table, complementarity, cross_sector
from tablejam.models.rules import RULES, Rule, registrar
from tablejam.models.schedule import Schedule, Stats


@dataclass(frozen=True)
class Violation:
    rule: Rule
    message: str
    round: int | None = None
    table: str | None = None
    participants: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": str(self.rule),
            "round": self.round,
            "table": self.table,
            "participants": list(self.participants),
            "message": self.message,
        }


class Meeting(NamedTuple):
    """Two participants sharing a table in one round, in seating order (a tuple: 140,000 of them at 10,000 people)."""

    round: int
    table: str
    a: str
    b: str
    repeat: bool  # they had met already: in an earlier round, or before the event (met_before)
    together: bool = False  # a together pair: neither a repeat nor a new encounter


@dataclass
class CheckReport:
    violations: list[Violation] = field(default_factory=list)
    stats: Stats | None = None
    new_per_participant: dict[str, int] = field(default_factory=dict)
    # Every meeting of known participants, round by round: what the statistics were counted from.
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.violations

    def rules_broken(self) -> set[str]:
        return {str(v.rule) for v in self.violations}


@dataclass
class _Round:
    """One round of the schedule as given: the tables as written, and who is known to sit where."""

    number: int
    given: bool  # False: the schedule has no seating for this round
    written: dict[str, list[str]]  # table id -> participant ids, as written (unknown ids, duplicates and all)
    table_of: dict[str, str]  # known participant -> the first table they are seated at


@dataclass
class _Schedule:
    """What every check reads: the instance, the rounds 1..rounds as given, and the stated document."""

    instance: Instance
    document: Schedule
    rounds: list[_Round]
    out_of_range: list[int]  # round numbers given outside 1..rounds, or given twice

    @cached_property
    def people(self) -> dict[str, Participant]:
        return {p.id: p for p in self.instance.participants}

    @cached_property
    def tables(self) -> dict[str, Table]:
        return {t.id: t for t in self.instance.table_list}

    def seated(self, seated_round: _Round, table: Table) -> list[str]:
        """Known participants at `table`, each once."""
        return [pid for pid in dict.fromkeys(seated_round.written.get(table.id, [])) if pid in self.people]

    def given_rounds(self) -> Iterator[_Round]:
        return (seated_round for seated_round in self.rounds if seated_round.given)

    @cached_property
    def statistics(self) -> tuple[Stats, dict[str, int], list[Meeting]]:
        return _statistics(self)


Check = Callable[[_Schedule], Iterator[Violation]]
# One check per rule, in the order violations are reported.
CHECKS: dict[Rule, Check] = {}


_checks = registrar(CHECKS)


def check(instance: Instance, schedule: Schedule) -> CheckReport:
    """Judge a schedule: every violated rule, and the statistics recomputed from its seating."""
    view = _read(instance, schedule)
    report = CheckReport()
    report.stats, report.new_per_participant, report.meetings = view.statistics
    for rule in RULES:
        if rule in CHECKS:  # soft rules (wishes) break nothing: the statistics score them
            report.violations += CHECKS[rule](view)
    return report


def _read(instance: Instance, schedule: Schedule) -> _Schedule:
    """The rounds 1..rounds as given, each once (a round given twice counts once, the first time)."""
    rounds = [_Round(number, False, {}, {}) for number in range(1, instance.rounds + 1)]
    out_of_range = []
    for seated_round in schedule.rounds:
        number = seated_round.round
        if not 1 <= number <= instance.rounds or rounds[number - 1].given:
            out_of_range.append(number)
            continue
        reading = rounds[number - 1]
        reading.given = True
        for seated_table in seated_round.tables:
            reading.written.setdefault(seated_table.table, []).extend(seated_table.participants)
    known = instance.participant_index
    for reading in rounds:
        for table_id, seated in reading.written.items():
            for pid in seated:
                if pid in known:
                    reading.table_of.setdefault(pid, table_id)
    return _Schedule(instance, schedule, rounds, out_of_range)


@_checks(Rule.ROUND_MISSING)
def _round_missing(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.rounds:
        if not seated_round.given:
            yield Violation(Rule.ROUND_MISSING, f"round {seated_round.number} has no seating", seated_round.number)


@_checks(Rule.ROUND_UNKNOWN)
def _round_unknown(view: _Schedule) -> Iterator[Violation]:
    seen: set[int] = set()
    for number in view.out_of_range:
        twice = 1 <= number <= view.instance.rounds or number in seen
        reason = "given twice" if twice else f"outside 1..{view.instance.rounds}"
        seen.add(number)
        yield Violation(Rule.ROUND_UNKNOWN, f"round {number} is {reason}", round=number)


@_checks(Rule.TABLE_UNKNOWN)
def _table_unknown(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.given_rounds():
        for table_id, seated in seated_round.written.items():
            if table_id not in view.tables:
                message = f"round {seated_round.number}: table '{table_id}' does not exist"
                yield Violation(Rule.TABLE_UNKNOWN, message, seated_round.number, table_id, tuple(seated))


@_checks(Rule.PARTICIPANT_UNKNOWN)
def _participant_unknown(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.given_rounds():
        for table_id, seated in seated_round.written.items():
            for pid in dict.fromkeys(seated):
                if pid not in view.people:
                    message = f"round {seated_round.number}: '{pid}' is not a participant"
                    yield Violation(Rule.PARTICIPANT_UNKNOWN, message, seated_round.number, table_id, (pid,))


@_checks(Rule.SEATED_TWICE)
def _seated_twice(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.given_rounds():
        number = seated_round.number
        for table_id, seated in seated_round.written.items():
            for pid, times in Counter(seated).items():
                if pid not in view.people:
                    continue
                first = seated_round.table_of[pid]
                if first != table_id:
                    where = f"'{first}' and '{table_id}'"
                elif times > 1:
                    where = f"'{table_id}' {times} times"
                else:
                    continue
                yield Violation(Rule.SEATED_TWICE, f"round {number}: {pid} is seated at {where}", number, table_id,
                                (pid,))  # fmt: skip


@_checks(Rule.NOT_SEATED)
def _not_seated(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.given_rounds():
        number = seated_round.number
        for person in view.instance.attendees(number):
            if person.id not in seated_round.table_of:
                message = f"round {number}: {person.id} attends but is not seated"
                yield Violation(Rule.NOT_SEATED, message, number, None, (person.id,))


@_checks(Rule.ABSENT_SEATED)
def _absent_seated(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.given_rounds():
        number = seated_round.number
        for pid, table_id in seated_round.table_of.items():
            if number in view.people[pid].absent:
                message = f"round {number}: {pid} is absent but seated at '{table_id}'"
                yield Violation(Rule.ABSENT_SEATED, message, number, table_id, (pid,))


@_checks(Rule.HOST_AWAY)
def _host_away(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.given_rounds():
        number = seated_round.number
        for person in view.instance.attendees(number):
            seated_at = seated_round.table_of.get(person.id)
            if person.host and seated_at is not None and seated_at != person.host:
                message = f"round {number}: host {person.id} of '{person.host}' sits at '{seated_at}'"
                yield Violation(Rule.HOST_AWAY, message, number, seated_at, (person.id,))


@_checks(Rule.CAPACITY)
def _capacity(view: _Schedule) -> Iterator[Violation]:
    for seated_round, table, seated in _tables(view):
        if len(seated) > table.capacity:
            message = f"round {seated_round.number}: table '{table.id}' seats {len(seated)}, capacity {table.capacity}"
            yield Violation(Rule.CAPACITY, message, seated_round.number, table.id, tuple(seated))


@_checks(Rule.MINIMUM)
def _minimum(view: _Schedule) -> Iterator[Violation]:
    for seated_round, table, seated in _tables(view):
        if len(seated) < table.min and view.instance.is_open(table, seated_round.number):  # closed: no minimum
            message = f"round {seated_round.number}: table '{table.id}' seats {len(seated)}, minimum {table.min}"
            yield Violation(Rule.MINIMUM, message, seated_round.number, table.id, tuple(seated))


@_checks(Rule.SECTOR_CAP)
def _sector_cap(view: _Schedule) -> Iterator[Violation]:
    for seated_round, table, seated in _tables(view):
        by_sector: dict[str, list[str]] = {}
        for pid in seated:
            sector = view.people[pid].sector
            if sector:
                by_sector.setdefault(sector, []).append(pid)
        for sector, members in by_sector.items():
            cap = view.instance.sectors.cap(sector)
            if cap is not None and len(members) > cap:
                number = seated_round.number
                message = f"round {number}: table '{table.id}' has {len(members)} of sector '{sector}', cap {cap}"
                yield Violation(Rule.SECTOR_CAP, message, number, table.id, tuple(members))


@_checks(Rule.QUOTA)
def _quotas(view: _Schedule) -> Iterator[Violation]:
    """Each quota at each occupied table: at least min and at most max with the attribute value."""
    for seated_round, table, seated in _tables(view):
        if not seated:
            continue
        for quota in view.instance.quotas:
            members = tuple(pid for pid in seated if quota.holds_for(view.people[pid]))
            too_few = quota.min is not None and len(members) < quota.min
            if too_few or (quota.max is not None and len(members) > quota.max):
                number = seated_round.number
                message = (f"round {number}: table '{table.id}' has {len(members)} with {quota.attribute} = "
                           f"'{quota.value}', quota {quota.phrase()}")  # fmt: skip
                yield Violation(Rule.QUOTA, message, number, table.id, members)


@_checks(Rule.COLLEAGUES)
def _colleagues(view: _Schedule) -> Iterator[Violation]:
    if view.instance.rules.colleagues != "apart":
        return
    for seated_round, table, seated in _tables(view):
        for a, b in combinations(seated, 2):
            company = view.people[a].company
            if company and company == view.people[b].company:
                message = f"round {seated_round.number}: colleagues {a} and {b} ({company}) share table '{table.id}'"
                yield Violation(Rule.COLLEAGUES, message, seated_round.number, table.id, (a, b))


@_checks(Rule.KEEP_APART)
def _keep_apart(view: _Schedule) -> Iterator[Violation]:
    for seated_round, table, seated in _tables(view):
        for a, b in combinations(seated, 2):
            if frozenset((a, b)) in view.instance.keep_apart_pairs:
                message = f"round {seated_round.number}: {a} and {b} must be kept apart, share '{table.id}'"
                yield Violation(Rule.KEEP_APART, message, seated_round.number, table.id, (a, b))


@_checks(Rule.REPEAT)
def _repeat(view: _Schedule) -> Iterator[Violation]:
    if view.instance.rules.repeats != "forbid":
        return
    repeats = [meeting for meeting in view.statistics[2] if meeting.repeat]
    if not repeats:
        return
    first_round: dict[frozenset[str], int] = {}
    for meeting in view.statistics[2]:  # the meetings the statistics were counted from, in order
        pair = frozenset((meeting.a, meeting.b))
        if meeting.repeat:
            earlier = f"round {first_round[pair]}" if pair in first_round else "an earlier event"
            message = f"round {meeting.round}: {meeting.a} and {meeting.b} meet again (met in {earlier})"
            yield Violation(Rule.REPEAT, message, meeting.round, meeting.table, (meeting.a, meeting.b))
        first_round.setdefault(pair, meeting.round)


@_checks(Rule.TABLE_CLOSED)
def _table_closed(view: _Schedule) -> Iterator[Violation]:
    for seated_round, table, seated in _tables(view):
        if seated and not view.instance.is_open(table, seated_round.number):
            number = seated_round.number
            message = f"round {number}: table '{table.id}' is closed but seats {', '.join(seated)}"
            yield Violation(Rule.TABLE_CLOSED, message, number, table.id, tuple(seated))


@_checks(Rule.TOGETHER)
def _together(view: _Schedule) -> Iterator[Violation]:
    for group in view.instance.rules.together:
        for seated_round in view.given_rounds():
            number = seated_round.number
            for a, b in combinations(group, 2):
                ta, tb = seated_round.table_of.get(a), seated_round.table_of.get(b)
                if ta is not None and tb is not None and ta != tb:
                    message = f"round {number}: {a} and {b} sit together, but at '{ta}' and '{tb}'"
                    yield Violation(Rule.TOGETHER, message, number, tb, (a, b))


@_checks(Rule.REVISIT)
def _revisit(view: _Schedule) -> Iterator[Violation]:
    instance = view.instance
    if instance.rules.revisit_tables != "forbid":
        return
    earlier = {(pid, table) for pid, table in instance.rules.seated_before}
    first: dict[tuple[str, str], int] = {}
    for seated_round in view.given_rounds():
        number = seated_round.number
        for pid, table_id in seated_round.table_of.items():
            if not instance.revisit_forbidden(view.people[pid]) or table_id not in view.tables:
                continue
            if (pid, table_id) in first or (pid, table_id) in earlier:
                when = f"round {first[pid, table_id]}" if (pid, table_id) in first else "an earlier round"
                message = f"round {number}: {pid} sits at '{table_id}' again (also in {when})"
                yield Violation(Rule.REVISIT, message, number, table_id, (pid,))
            first.setdefault((pid, table_id), number)


@_checks(Rule.PIN)
def _pin(view: _Schedule) -> Iterator[Violation]:
    for seated_round in view.given_rounds():
        number = seated_round.number
        for pid, table_id in seated_round.table_of.items():
            pinned = view.instance.pinned.get((pid, number))
            if pinned is not None and pinned[0] != table_id:
                message = f"round {number}: {pid} is pinned to '{pinned[0]}' but sits at '{table_id}'"
                yield Violation(Rule.PIN, message, number, table_id, (pid,))


def _tables(view: _Schedule) -> Iterator[tuple[_Round, Table, list[str]]]:
    for seated_round in view.given_rounds():
        for table in view.instance.table_list:
            yield seated_round, table, view.seated(seated_round, table)


def _meetings(view: _Schedule) -> Iterator[Meeting]:
    """Every meeting of known participants, round by round, table by table, in seating order."""
    met = {(a, b) if a < b else (b, a) for a, b in map(tuple, view.instance.met_before_pairs)}
    # A together pair's meetings are neither repeats nor new encounters: the rule makes them, so they count nothing.
    together = {(a, b) if a < b else (b, a) for a, b in map(tuple, view.instance.together_pairs)}
    people = view.people
    for seated_round in view.rounds:
        number = seated_round.number
        for table_id, seated in seated_round.written.items():
            known = [pid for pid in dict.fromkeys(seated) if pid in people]
            for a, b in combinations(known, 2):
                pair = (a, b) if a < b else (b, a)
                kept = pair in together
                yield Meeting(number, table_id, a, b, pair in met and not kept, kept)
                met.add(pair)


def _statistics(view: _Schedule) -> tuple[Stats, dict[str, int], list[Meeting]]:
    """Recompute every statistic from the seating."""
    instance = view.instance
    people = view.people
    record = list(_meetings(view))
    new_pairs = [(m.a, m.b) for m in record if not m.repeat and not m.together]
    new_per = {p.id: 0 for p in instance.participants if len(p.absent) < instance.rounds}
    complementary = cross = 0
    for a, b in new_pairs:
        c, x = complementarity(people[a], people[b]), cross_sector(people[a], people[b])
        complementary += c
        cross += x
        new_per[a] = new_per.get(a, 0) + 1
        new_per[b] = new_per.get(b, 0) + 1
    weights = instance.weights
    per_pair_value = weights.new * len(new_pairs) + weights.complementary * complementary
    per_pair_value += weights.cross_sector * cross
    repeats = sum(m.repeat for m in record)
    counts = list(new_per.values()) or [0]
    granted, broken, wished = _wishes(instance, record)
    objective = per_pair_value - weights.repeat * repeats + weights.fairness * min(counts) + wished
    stats = Stats(
        new_encounters=len(new_pairs),
        repeat_meetings=repeats,
        complementary_matches=complementary,
        cross_sector_encounters=cross,
        min_new_per_participant=min(counts),
        max_new_per_participant=max(counts),
        mean_new_per_participant=round(sum(counts) / len(counts), 4),
        wishes_granted=granted,
        wishes_broken=broken,
        meetings=len(record),
        objective=round(objective, 6),
    )
    return stats, new_per, record


def _wishes(instance: Instance, record: list[Meeting]) -> tuple[int, int, float]:
    """(positive wishes granted, meetings of pairs wished apart, what the wishes add to the objective): a
    positive weight counts once if the pair ever meets, a negative one at every meeting."""
    weights = instance.wish_weights
    if not weights:
        return 0, 0, 0.0
    granted: set[frozenset[str]] = set()
    broken = 0
    value = 0.0
    for meeting in record:
        pair = frozenset((meeting.a, meeting.b))
        weight = weights.get(pair)
        if weight is None:
            continue
        if weight < 0:
            broken += 1
            value += weight
        elif pair not in granted:
            granted.add(pair)
            value += weight
    return len(granted), broken, value


@_checks(Rule.STATS_MISMATCH)
def _stated_figures(view: _Schedule) -> Iterator[Violation]:
    """A schedule that claims figures must claim the true ones."""
    stated, stats = view.document, view.statistics[0]
    if not stated.rounds:
        return
    if stated.objective is not None and abs(stated.objective - stats.objective) > 1e-6:
        yield Violation(Rule.STATS_MISMATCH, f"objective stated {stated.objective}, recomputed {stats.objective}")
    if stated.stats is None:
        return
    for name, true_value in stats.model_dump().items():
        claimed = getattr(stated.stats, name)
        if abs(float(claimed) - float(true_value)) > 1e-6:
            yield Violation(Rule.STATS_MISMATCH, f"stats.{name} stated {claimed}, recomputed {true_value}")
