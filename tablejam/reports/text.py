"""Plain-text views of schedules, check reports and validation results, for people."""

from __future__ import annotations

from tablejam.check import CheckReport
from tablejam.diagnostics.counting import Bounds, balanced_sizes
from tablejam.models.instance import Instance
from tablejam.models.schedule import BOUND_SOURCE_WORDS, Reason, Schedule, Stats

STAT_LABELS = Stats.labels()


def schedule_text(instance: Instance, schedule: Schedule) -> str:
    people = {p.id: p for p in instance.participants}
    lines = [_title(instance), ""]
    for seated_round in schedule.rounds:
        lines.append(f"Round {seated_round.round}")
        width = max((len(t.table) for t in seated_round.tables), default=0)
        for table in seated_round.tables:
            names = [
                f"{people[pid].label} ({people[pid].sector})" if people[pid].sector else people[pid].label
                for pid in table.participants
            ]
            lines.append(f"  {table.table:<{width}}  [{len(names)}]  " + (", ".join(names) or "(empty)"))
        lines.append("")
    lines += _status_lines(schedule)
    if schedule.stats is not None:
        lines += ["", *stats_lines(schedule.stats)]
    return "\n".join(lines) + "\n"


def _title(instance: Instance) -> str:
    name = instance.name or "Event"
    return (
        f"{name}: {len(instance.participants)} participants, "
        f"{len(instance.table_list)} tables, {instance.rounds} rounds"
    )


def _status_lines(schedule: Schedule) -> list[str]:
    lines = [f"status     {schedule.status}"]
    if schedule.objective is not None:
        lines.append(f"objective  {_number(schedule.objective)}")
    if schedule.bound is not None:
        source = schedule.solver.bound_source if schedule.solver is not None else None
        proof = f"; proven by {BOUND_SOURCE_WORDS[source]}" if source is not None else ""
        lines.append(f"bound      {_number(schedule.bound)}  (no schedule can score more{proof})")
    if schedule.gap is not None:
        lines.append(f"gap        {schedule.gap:.2%}  (at most this far below the best possible)")
    if schedule.solver is not None:
        lines.append(
            f"solver     {schedule.solver.time_s:.2f} s, {schedule.solver.workers} workers, "
            f"seed {schedule.solver.seed}, found by {schedule.solver.engine}"
        )
    lines += [f"why        {reason}" for reason in schedule.explanation]
    return lines


def stats_lines(stats: Stats) -> list[str]:
    width = max(len(label) for label in STAT_LABELS.values())
    return [f"{STAT_LABELS[name]:<{width}}  {_number(value)}" for name, value in stats.model_dump().items()]


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def status_line(schedule: Schedule) -> str:
    """One line for stderr: what came out of a solve."""
    parts = [schedule.status]
    if schedule.objective is not None:
        parts.append(f"objective {_number(schedule.objective)}")
    if schedule.bound is not None:
        parts.append(f"bound {_number(schedule.bound)}")
    if schedule.gap is not None:
        parts.append(f"gap {schedule.gap:.2%}")
    if schedule.stats is not None:
        parts.append(f"{schedule.stats.repeat_meetings} repeats")
    if schedule.solver is not None and schedule.solver.interrupted:
        parts.append("interrupted")
    return ", ".join(parts)


def check_text(report: CheckReport) -> str:
    lines = violation_lines(report) if report.violations else ["valid: the schedule keeps every rule"]
    if report.stats is not None:
        lines += ["", *stats_lines(report.stats)]
    return "\n".join(lines) + "\n"


def violation_lines(report: CheckReport) -> list[str]:
    return [f"{len(report.violations)} violation(s):", *(f"  [{v.rule}] {v.message}" for v in report.violations)]


def validate_text(instance: Instance, found: list[Reason], bounds: Bounds, from_history: int = 0) -> str:
    """`from_history`: how many of the met-before pairs met at the events of rules.history."""
    lines = [_title(instance)]
    seats: dict[tuple[int, int], list[int]] = {}  # (seats, minimums) -> the rounds that have them
    for number in range(1, instance.rounds + 1):
        limits = instance.limits(number)  # closed tables: (0, 0), so no seats and no minimum
        attendees = len(instance.attendees(number))
        sizes = balanced_sizes(attendees, [(low, cap) for low, cap in limits if cap])
        seating = f"e.g. {describe_sizes(sizes)}" if sizes else "cannot be seated within the table limits"
        lines.append(f"  round {number}: {attendees} attendees, {seating}")
        seats.setdefault((sum(cap for _, cap in limits), sum(low for low, _ in limits)), []).append(number)
    for (room, minimums), rounds in seats.items():
        which = "per round" if len(seats) == 1 else f"in round{'s' if len(rounds) > 1 else ''} {_listed(rounds)}"
        lines.append(f"  seats {which}: {room} (minimums add up to {minimums})")
    if instance.met_before_pairs or instance.rules.history:
        events = len(instance.rules.history)
        noun = "event" if events == 1 else "events"
        history = f" ({from_history} of them at {events} earlier {noun} in rules.history)" if events else ""
        lines.append(f"  pairs who met before: {len(instance.met_before_pairs)}{history}")
    lines.append(f"  most rounds possible without repeats: {bounds.max_rounds_without_repeats}")
    lines.append(f"  most new encounters possible: {bounds.max_new_encounters}")
    if bounds.min_repeat_meetings:
        lines.append(f"  repeat meetings no schedule avoids: at least {bounds.min_repeat_meetings}")
    if instance.rules.repeats == "forbid" and instance.rounds > bounds.max_rounds_without_repeats:
        lines.append(
            f"  note: {instance.rounds} rounds exceed {bounds.max_rounds_without_repeats}, "
            "so some tables must run below capacity to avoid repeats"
        )
    if found:
        lines.append("")
        lines.append(f"impossible, {len(found)} reason(s):")
        lines += [f"  [{item.rule}] {item.message}" for item in found]
    else:
        lines.append("")
        lines.append("no impossibility found by counting")
    return "\n".join(lines) + "\n"


def replan_text(event: Instance, schedule: Schedule) -> str:
    """The new plan, then what changed: who moves in which round, and the statistics before and after."""
    changes = schedule.replanned
    text = schedule_text(event, schedule)
    if changes is None:
        return text
    people = {p.id: p.label for p in event.participants}
    lines = ["", f"Re-planned after round {changes.after_round}"]
    if changes.absent:
        lines.append(f"  absent from round {changes.after_round + 1}: {_names(changes.absent, people)}")
    if changes.arrived:
        lines.append(f"  arriving for round {changes.after_round + 1}: {_names(changes.arrived, people)}")
    by_round: dict[int, list[str]] = {}
    for move in changes.moves:
        by_round.setdefault(move.round, []).append(f"{people[move.participant]} {move.from_table} -> {move.to_table}")
    for number in range(changes.after_round + 1, event.rounds + 1):
        moved = by_round.get(number, [])
        lines.append(
            f"  round {number}: " + (f"{len(moved)} move(s): " + ", ".join(moved) if moved else "nobody moves")
        )
    if changes.before is not None and schedule.stats is not None:
        width = max(len(label) for label in STAT_LABELS.values())
        lines += ["", f"{'':<{width}}  {'printed':>9}  {'re-planned':>10}"]
        before, after = changes.before.model_dump(), schedule.stats.model_dump()
        lines += [
            f"{STAT_LABELS[name]:<{width}}  {_number(before[name]):>9}  {_number(after[name]):>10}" for name in after
        ]
    return text + "\n".join(lines) + "\n"


def _names(ids: list[str], people: dict[str, str]) -> str:
    return ", ".join(people.get(pid, pid) for pid in ids)


def _listed(rounds: list[int]) -> str:
    """'1-2, 4' for [1, 2, 4]."""
    runs: list[list[int]] = []
    for number in rounds:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


def describe_sizes(sizes: list[int]) -> str:
    """'6 tables of 6 and 2 of 5' for [6, 6, 6, 6, 6, 6, 5, 5]."""
    counts = sorted(((size, sizes.count(size)) for size in set(sizes)), reverse=True)
    parts = [f"{count} {'table' if count == 1 else 'tables'} of {size}" if k == 0 else f"{count} of {size}"
             for k, (size, count) in enumerate(counts)]  # fmt: skip
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
