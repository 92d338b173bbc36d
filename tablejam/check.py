"""The referee: an independent checker of schedules.

Plain Python that knows nothing of the solver. It lists every violated rule as a
record (rule, round, table, who) and recomputes every statistic from the seating
alone, so a schedule from any source can be judged the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from tablejam.models.instance import Instance, complementarity, cross_sector
from tablejam.models.schedule import RoundSeating, Schedule, Stats, TableSeating

# The rules a schedule can break, in the order they are reported.
RULES = {
    "round-missing": "every round of the instance has a seating",
    "round-unknown": "seatings are only given for rounds 1..rounds, once each",
    "table-unknown": "participants sit only at tables of the instance",
    "participant-unknown": "only participants of the instance are seated",
    "seated-twice": "nobody sits at two tables (or twice) in one round",
    "not-seated": "every attending participant is seated in every round they attend",
    "absent-seated": "a participant is not seated in a round they are absent from",
    "capacity": "no table holds more participants than its capacity",
    "minimum": "every table holds at least its minimum",
    "host-away": "a host sits at their own table in every round they attend",
    "sector-cap": "no table holds more participants of one sector than the cap",
    "colleagues": "colleagues (same company) do not share a table when rules.colleagues = 'apart'",
    "keep-apart": "pairs in rules.keep_apart never share a table",
    "repeat": "no pair meets twice (counting met_before) when rules.repeats = 'forbid'",
    "stats-mismatch": "the statistics and objective stated in the schedule are the recomputed ones",
}


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    round: int | None = None
    table: str | None = None
    participants: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "round": self.round,
            "table": self.table,
            "participants": list(self.participants),
            "message": self.message,
        }


@dataclass(frozen=True)
class Meeting:
    """Two participants sharing a table in one round, in seating order."""

    round: int
    table: str
    a: str
    b: str
    repeat: bool  # they had met already: in an earlier round, or before the event (met_before)


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
        return {v.rule for v in self.violations}


Seating = list[dict[str, list[str]]]  # round index (0-based) -> table id -> participant ids


def check(instance: Instance, schedule: Schedule | Seating) -> CheckReport:
    """Judge a schedule: every violated rule, and the statistics recomputed from its seating."""
    stated = schedule if isinstance(schedule, Schedule) else None
    report = CheckReport()
    seating, given = _seating_by_round(instance, schedule, report.violations)
    for round_number, tables in enumerate(seating, start=1):
        if round_number in given:  # a missing round is reported once, not once per attendee
            _check_round(instance, round_number, tables, report.violations)
    report.stats, report.new_per_participant, report.meetings = _statistics(instance, seating, report.violations)
    if stated is not None and stated.rounds:
        _check_stated_figures(stated, report)
    return report


def _seating_by_round(
    instance: Instance, schedule: Schedule | Seating, violations: list[Violation]
) -> tuple[Seating, set[int]]:
    """Normalise to one {table: people} per round 1..rounds, reporting rounds missing or unknown.

    Returns the seating and the round numbers actually given."""
    if not isinstance(schedule, Schedule):
        schedule = Schedule(
            rounds=[
                RoundSeating(round=number, tables=[TableSeating(table=t, participants=ps) for t, ps in tables.items()])
                for number, tables in enumerate(schedule, start=1)
            ]
        )

    seating: Seating = [{} for _ in range(instance.rounds)]
    given: set[int] = set()
    for seated_round in schedule.rounds:
        number = seated_round.round
        if not 1 <= number <= instance.rounds or number in given:
            reason = "given twice" if number in given else f"outside 1..{instance.rounds}"
            violations.append(Violation("round-unknown", f"round {number} is {reason}", round=number))
            continue
        given.add(number)
        tables = seating[number - 1]
        for seated_table in seated_round.tables:
            tables.setdefault(seated_table.table, []).extend(seated_table.participants)
    for number in range(1, instance.rounds + 1):
        if number not in given:
            violations.append(Violation("round-missing", f"round {number} has no seating", round=number))
    return seating, given


def _check_round(instance: Instance, number: int, tables: dict[str, list[str]], violations: list[Violation]) -> None:
    people = {p.id: p for p in instance.participants}
    known_tables = {t.id: t for t in instance.table_list}
    table_of: dict[str, str] = {}

    for table_id, seated in tables.items():
        if table_id not in known_tables:
            violations.append(
                Violation(
                    "table-unknown",
                    f"round {number}: table '{table_id}' does not exist",
                    number,
                    table_id,
                    tuple(seated),
                )
            )
        for pid, times in Counter(seated).items():
            if pid not in people:
                violations.append(
                    Violation(
                        "participant-unknown", f"round {number}: '{pid}' is not a participant", number, table_id, (pid,)
                    )
                )
                continue
            if pid in table_of or times > 1:
                where = f"'{table_of[pid]}' and '{table_id}'" if pid in table_of else f"'{table_id}' {times} times"
                violations.append(
                    Violation("seated-twice", f"round {number}: {pid} is seated at {where}", number, table_id, (pid,))
                )
            table_of.setdefault(pid, table_id)

    for person in instance.participants:
        attends = number not in person.absent
        seated_at = table_of.get(person.id)
        if attends and seated_at is None:
            violations.append(
                Violation(
                    "not-seated", f"round {number}: {person.id} attends but is not seated", number, None, (person.id,)
                )
            )
        if not attends and seated_at is not None:
            violations.append(
                Violation(
                    "absent-seated",
                    f"round {number}: {person.id} is absent but seated at '{seated_at}'",
                    number,
                    seated_at,
                    (person.id,),
                )
            )
        if attends and person.host and seated_at is not None and seated_at != person.host:
            violations.append(
                Violation(
                    "host-away",
                    f"round {number}: host {person.id} of '{person.host}' sits at '{seated_at}'",
                    number,
                    seated_at,
                    (person.id,),
                )
            )

    for table in instance.table_list:
        seated = [pid for pid in dict.fromkeys(tables.get(table.id, [])) if pid in people]
        if len(seated) > table.capacity:
            violations.append(
                Violation(
                    "capacity",
                    f"round {number}: table '{table.id}' seats {len(seated)}, capacity {table.capacity}",
                    number,
                    table.id,
                    tuple(seated),
                )
            )
        if len(seated) < table.min:
            violations.append(
                Violation(
                    "minimum",
                    f"round {number}: table '{table.id}' seats {len(seated)}, minimum {table.min}",
                    number,
                    table.id,
                    tuple(seated),
                )
            )
        by_sector: dict[str, list[str]] = {}
        for pid in seated:
            sector = people[pid].sector
            if sector:
                by_sector.setdefault(sector, []).append(pid)
        for sector, members in by_sector.items():
            cap = instance.sectors.cap(sector)
            if cap is not None and len(members) > cap:
                violations.append(
                    Violation(
                        "sector-cap",
                        f"round {number}: table '{table.id}' has {len(members)} of sector '{sector}', cap {cap}",
                        number,
                        table.id,
                        tuple(members),
                    )
                )
        for a, b in combinations(seated, 2):
            pa, pb = people[a], people[b]
            if instance.rules.colleagues == "apart" and instance.colleagues(pa, pb):
                violations.append(
                    Violation(
                        "colleagues",
                        f"round {number}: colleagues {a} and {b} ({pa.company}) share table '{table.id}'",
                        number,
                        table.id,
                        (a, b),
                    )
                )
            if frozenset((a, b)) in instance.keep_apart_pairs:
                violations.append(
                    Violation(
                        "keep-apart",
                        f"round {number}: {a} and {b} must be kept apart, share '{table.id}'",
                        number,
                        table.id,
                        (a, b),
                    )
                )


def _statistics(
    instance: Instance, seating: Seating, violations: list[Violation]
) -> tuple[Stats, dict[str, int], list[Meeting]]:
    """Recompute every statistic from the seating; report repeats when repeats are forbidden."""
    people = {p.id: p for p in instance.participants}
    met_before = instance.met_before_pairs
    meetings: Counter[frozenset[str]] = Counter()
    record: list[Meeting] = []
    repeats = 0
    first_round: dict[frozenset[str], int] = {}
    for number, tables in enumerate(seating, start=1):
        for table_id, seated in tables.items():
            known = [pid for pid in dict.fromkeys(seated) if pid in people]
            for a, b in combinations(known, 2):
                pair = frozenset((a, b))
                already = meetings[pair] > 0 or pair in met_before
                meetings[pair] += 1
                record.append(Meeting(number, table_id, a, b, already))
                if already:
                    repeats += 1
                    if instance.rules.repeats == "forbid":
                        earlier = f"round {first_round[pair]}" if pair in first_round else "an earlier event"
                        violations.append(
                            Violation(
                                "repeat",
                                f"round {number}: {a} and {b} meet again (met in {earlier})",
                                number,
                                table_id,
                                (a, b),
                            )
                        )
                first_round.setdefault(pair, number)

    new_pairs = [pair for pair in meetings if pair not in met_before]
    new_per = {p.id: 0 for p in instance.participants if len(p.absent) < instance.rounds}
    complementary = cross = 0
    for pair in new_pairs:
        a, b = (people[pid] for pid in pair)
        complementary += complementarity(a, b)
        cross += cross_sector(a, b)
        for pid in pair:
            new_per[pid] = new_per.get(pid, 0) + 1

    weights = instance.weights
    per_pair_value = sum(
        weights.new
        + weights.complementary * complementarity(*(people[pid] for pid in pair))
        + weights.cross_sector * cross_sector(*(people[pid] for pid in pair))
        for pair in new_pairs
    )
    counts = list(new_per.values()) or [0]
    objective = per_pair_value - weights.repeat * repeats + weights.fairness * min(counts)
    stats = Stats(
        new_encounters=len(new_pairs),
        repeat_meetings=repeats,
        complementary_matches=complementary,
        cross_sector_encounters=cross,
        min_new_per_participant=min(counts),
        max_new_per_participant=max(counts),
        mean_new_per_participant=round(sum(counts) / len(counts), 4),
        meetings=sum(meetings.values()),
        objective=round(objective, 6),
    )
    return stats, new_per, record


def _check_stated_figures(stated: Schedule, report: CheckReport) -> None:
    """A schedule that claims figures must claim the true ones."""
    assert report.stats is not None
    if stated.objective is not None and abs(stated.objective - report.stats.objective) > 1e-6:
        report.violations.append(
            Violation("stats-mismatch", f"objective stated {stated.objective}, recomputed {report.stats.objective}")
        )
    if stated.stats is None:
        return
    for name, true_value in report.stats.model_dump().items():
        claimed = getattr(stated.stats, name)
        if abs(float(claimed) - float(true_value)) > 1e-6:
            report.violations.append(
                Violation("stats-mismatch", f"stats.{name} stated {claimed}, recomputed {true_value}")
            )
