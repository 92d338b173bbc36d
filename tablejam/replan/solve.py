"""Re-planning: solve what is left of the event, then move as few people as the best score allows.

The remaining rounds are solved by the ordinary engine. Among schedules with that score, the one
closest to the printed plan is found in two steps: interchangeable tables are relabelled round by
round to overlap the printed tables most (an assignment problem, exact and fast at any size), then,
where the model fits, CP-SAT keeps the score as a constraint and maximises the seats kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np
from scipy.optimize import linear_sum_assignment

from tablejam.check import check
from tablejam.diagnostics.precheck import impossibilities
from tablejam.models.instance import Instance
from tablejam.models.reasons import said_again
from tablejam.models.schedule import Replanned, Schedule
from tablejam.models.settings import SolverSettings
from tablejam.replan.change import Change, changed_event, moves, remaining_event, stitched
from tablejam.solver.bounds import counting_bound
from tablejam.solver.cpsat import SeatingModel, interchangeable_tables
from tablejam.solver.engine import cp_sat_fits, cp_sat_stop, solve
from tablejam.solver.incumbent import judged_schedule
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating, as_rounds, from_rounds

# Share of the time limit for finding the best score; the rest keeps people at their printed tables.
SCORE_SHARE = 0.6

Progress = Callable[[float, float, float], None]


def replan(
    instance: Instance,
    printed: Schedule,
    change: Change,
    settings: SolverSettings | None = None,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
    printed_name: str = "SCHEDULE",
) -> tuple[Instance, Schedule]:
    """The changed event and its new schedule: rounds 1..K as printed, the rest re-solved.

    The new schedule passes the checker against the changed event; `replanned` lists the moves."""
    settings = settings or SolverSettings(time_limit=10.0)
    stop = stop or threading.Event()
    started = time.perf_counter()
    event = changed_event(instance, printed, change, printed_name)
    found = impossibilities(event)  # in the event's own round numbers; rounds 1..K were seated, so these are later
    if found:
        explanation = [reason.message for reason in found]
        refused = Schedule(instance=event.name, status="infeasible", rounds=[], explanation=explanation, reasons=found)
        return event, refused.model_copy(update={"replanned": _replanned(instance, printed, change, event, [])})
    remaining = remaining_event(event, printed, change.after_round)
    budget = settings.model_copy(update={"time_limit": settings.time_limit * SCORE_SHARE})
    first = solve(remaining, budget, stop=stop, progress=progress,
                  start=lambda problem: _printed_start(problem, printed, change.after_round))  # fmt: skip
    if not first.rounds:
        # The remaining event numbers its rounds from 1: say each reason again in the event's numbers.
        shift = change.after_round
        reasons = [said_again(reason, rounds=[r + shift for r in reason.rounds]) for reason in first.reasons]
        preface = first.explanation[: len(first.explanation) - len(first.reasons)]
        update = {"reasons": reasons, "explanation": preface + [reason.message for reason in reasons],
                  "replanned": _replanned(instance, printed, change, event, [])}  # fmt: skip
        return event, first.model_copy(update=update)

    problem = Problem.from_instance(remaining)
    preferred = _printed_seats(problem, printed, change.after_round)
    seating = _closest_labels(problem, from_rounds(problem, first.rounds), preferred)
    left = settings.time_limit - (time.perf_counter() - started)
    if cp_sat_fits(problem, settings.params.cp_sat_max_size) and left > 0.1 and not stop.is_set():
        seating = _fewest_moves(problem, seating, preferred, first, settings, left, stop)
    closest = judged_schedule(remaining, as_rounds(problem, seating), "feasible", first.bound, first.solver)  # type: ignore[arg-type]

    rounds = stitched(printed, change.after_round, closest)
    whole = judged_schedule(event, rounds, "feasible", None, closest.solver)  # type: ignore[arg-type]
    assert whole.objective is not None
    bound = _bound(event, whole.objective, closest)
    solver = closest.solver.model_copy(update={"time_s": round(time.perf_counter() - started, 3)})  # type: ignore[union-attr]
    result = judged_schedule(event, rounds, "feasible", bound, solver)
    return event, result.model_copy(update={"replanned": _replanned(instance, printed, change, event, rounds)})


def _bound(event: Instance, objective: float, remaining: Schedule) -> float:
    """A proven bound for the whole event with rounds 1..K fixed.

    With a plain weighted sum, the printed rounds add the same amount to every completion, so the
    remaining part's gap carries over exactly. A fairness term (a minimum over the whole event) or a
    lexicographic order (weights that depend on the event's size) does not add up, so the whole
    event's counting bound is used instead: valid, but looser."""
    weights = event.weights
    if event.objective.lexicographic is None and not weights.fairness and remaining.bound is not None:
        assert remaining.objective is not None
        return round(objective + remaining.bound - remaining.objective, 6)
    return counting_bound(Problem.from_instance(event))


def _printed_seats(problem: Problem, printed: Schedule, after_round: int) -> dict[tuple[int, int], int]:
    """(participant, remaining round) -> printed table, for everyone who still attends that round."""
    index, tables = problem.instance.participant_index, problem.instance.table_index
    seats = {}
    for r, seated in enumerate(printed.rounds[after_round:]):
        for table in seated.tables:
            for pid in table.participants:
                p = index[pid]
                if problem.attends(p, r) and tables[table.table] in problem.allowed[p][r]:
                    seats[p, r] = tables[table.table]
    return seats


def _printed_start(problem: Problem, printed: Schedule, after_round: int) -> Seating:
    """The printed rounds as far as they still hold: absentees gone, arrivals seated where there is
    room, and table sizes brought within their limits by moving as few people as possible.
    The search starts here, so it repairs the printed plan rather than inventing a new one."""
    preferred = _printed_seats(problem, printed, after_round)
    seating: list[list[list[int]]] = [[[] for _ in range(problem.tables)] for _ in range(problem.rounds)]
    for (p, r), t in sorted(preferred.items()):
        seating[r][t].append(p)
    for r, tables in enumerate(seating):
        unseated = [p for p in problem.attendees(r) if (p, r) not in preferred]
        for p in unseated:
            allowed = problem.allowed[p][r]
            # Tables short of their minimum first, then the emptiest with a free seat.
            room = [t for t in allowed if len(tables[t]) < problem.limits(r, t)[1]] or list(allowed)
            t = min(
                room,
                key=lambda t: (len(tables[t]) >= problem.limits(r, t)[0], len(tables[t]) - problem.limits(r, t)[1]),
            )
            tables[t].append(p)
        _within_limits(problem, r, tables)
    return Seating.from_groups(seating, problem.people)


def _within_limits(problem: Problem, r: int, tables: list[list[int]]) -> None:
    """Move people (never hosts) from tables above their minimum to tables short of it, and from tables
    over capacity to tables with room, one at a time: each move fixes one missing or surplus seat."""

    def movable(t: int) -> list[int]:
        return [p for p in tables[t] if len(problem.allowed[p][r]) > 1]

    low = [problem.limits(r, t)[0] for t in range(problem.tables)]  # closed tables: (0, 0)
    high = [problem.limits(r, t)[1] for t in range(problem.tables)]
    for _ in range(problem.people * problem.tables):
        short = [t for t in range(problem.tables) if len(tables[t]) < low[t]]
        over = [t for t in range(problem.tables) if len(tables[t]) > high[t]]
        if over:
            source, targets = over[0], [t for t in range(problem.tables) if len(tables[t]) < high[t]]
        elif short:
            targets = short
            spare = [t for t in range(problem.tables) if len(tables[t]) > low[t] and movable(t)]
            if not spare:
                return
            source = max(spare, key=lambda t: len(tables[t]) - low[t])
        else:
            return
        candidates = [(p, t) for p in movable(source) for t in targets if t in problem.allowed[p][r]]
        if not candidates:
            return
        p, t = candidates[-1]  # the last seated: in printed rounds, ids are in order, so the choice is stable
        tables[source].remove(p)
        tables[t].append(p)


def _closest_labels(problem: Problem, seating: Seating, preferred: dict[tuple[int, int], int]) -> Seating:
    """Relabel interchangeable tables in each round so that most people keep their printed table.

    Interchangeable tables (same limits, no host) can swap their whole groups without changing any
    rule or the score, so the best relabelling is an assignment of groups to labels."""
    result = seating.copy()
    for tables in interchangeable_tables(problem):
        for r in range(seating.rounds):
            groups = [seating.groups(r)[t] for t in tables]
            kept = np.array([[sum(preferred.get((p, r)) == t for p in group) for t in tables] for group in groups])
            rows, columns = linear_sum_assignment(kept, maximize=True)
            for g, c in zip(rows, columns, strict=True):
                result.table_of[r, groups[g]] = tables[c]
    return result


def _fewest_moves(
    problem: Problem,
    seating: Seating,
    preferred: dict[tuple[int, int], int],
    first: Schedule,
    settings: SolverSettings,
    seconds: float,
    stop: threading.Event,
) -> Seating:
    """CP-SAT: at least the score found, as many printed seats kept as possible; `seating` if not better."""
    assert first.objective is not None
    model = SeatingModel(problem, symmetry=False)
    model.hint(seating)
    kept_now = _kept(seating, preferred)
    model.prefer_seats(preferred, at_least=round(first.objective * problem.scale))
    outcome = model.solve(settings, cp_sat_stop(settings, seconds, stop))
    if outcome.seating is None or _kept(outcome.seating, preferred) <= kept_now:
        return seating
    return outcome.seating


def _kept(seating: Seating, preferred: dict[tuple[int, int], int]) -> int:
    return sum(int(seating.table_of[r, p]) == t for (p, r), t in preferred.items())


def _replanned(instance: Instance, printed: Schedule, change: Change, event: Instance, rounds: list) -> Replanned:
    before = check(instance, printed).stats
    arrived = [person.id for person in change.arrivals]
    return Replanned(
        after_round=change.after_round,
        absent=list(change.absent),
        arrived=arrived,
        moves=moves(printed, rounds, change.after_round) if rounds else [],
        before=before,
    )
