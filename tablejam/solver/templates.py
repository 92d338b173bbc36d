"""Designs as templates for real events: seat people on the points of a zero-repeat design.

A design (solver/designs) is rounds of groups of points in which no two points meet twice. An event fits
one when its tables can take the design's groups round by round: a group of p points at each table,
the points nobody takes (holes, and people absent that round) leaving seats empty, every table within
its minimum and capacity. Which person takes which point is free: relabelling never makes two people
meet twice, so it can serve the rest of the objective and rules. Hosts take points that never meet one
another (each group with a host's point goes to that host's table); the others start at random points
and trade points by a local search that scores the event as the engine does (`relabel` in
local_search.py). The result is an ordinary seating, handed on to the usual local search and CP-SAT.
Where nobody may sit at one table twice, the groups' tables are chosen for all rounds at once (trading points
keeps each point's tables), so that no point comes back to a table.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from tablejam.solver.designs import Design, golfer_design, most_rounds
from tablejam.solver.designs.golfer import covering_design
from tablejam.solver.problem import Problem
from tablejam.solver.seating import Seating

HOLE = -1
# A group that no table can take (its count outside every table's limits) costs this in the assignment.
UNFIT = 10**6
# Where nobody may sit at one table twice, each round's groups go to tables jointly over the rounds (a CP-SAT model
# of a variable per round, group and table): only up to this many variables, and for at most this long.
JOINT_TABLES_MOST_VARIABLES = 50_000
JOINT_TABLES_MOST_S = 2.0


@dataclass(frozen=True)
class Template:
    """A design laid over an event: who takes which point, and which table each group goes to in each round."""

    design: Design
    label: np.ndarray  # [points] the participant at each point, HOLE for none
    table_of_group: np.ndarray  # [rounds, groups] the table each group takes in each round

    def seating(self, problem: Problem) -> Seating:
        """The design's rounds as a seating; rounds beyond the design's stay empty (nobody seated)."""
        seating = Seating.empty(problem.rounds, problem.people, problem.tables)
        for r, groups in enumerate(self.design.rounds):
            for k, group in enumerate(groups):
                for point in group:
                    p = int(self.label[point])
                    if p != HOLE and problem.attends(p, r):
                        seating.table_of[r, p] = self.table_of_group[r, k]
        return seating

    def point_tables(self) -> np.ndarray:
        """[rounds, points] the table of each point's group in each round."""
        rounds, points = len(self.design.rounds), len(self.label)
        tables = np.zeros((rounds, points), dtype=np.int32)
        for r, groups in enumerate(self.design.rounds):
            for k, group in enumerate(groups):
                tables[r, list(group)] = self.table_of_group[r, k]
        return tables


def design_template(
    problem: Problem, seed: int = 0, deadline: float | None = None, labelling_s: float = JOINT_TABLES_MOST_S
) -> Template | None:
    """A template for the event from the first design that fits it (None if none does).

    The design has one group per table and as many rounds as the event, or, where no design has that many,
    the most rounds a design known at once has (the other rounds are for the greedy start to fill): events
    near the limit are those where the first rounds matter most. Beyond the counting bound on rounds, where
    repeats are minimised, a covering with exactly the repeats counting forces comes first. Its group size is
    the largest capacity, or less while the points still seat everyone (fuller tables meet more people).
    Designs that need a search are looked for until `deadline` (a time.perf_counter() value); where nobody may sit
    at a table twice, the groups' tables over all rounds for at most `labelling_s` seconds in all."""
    tables = problem.tables
    largest = max(problem.capacity)
    attending = [p for p in range(problem.people) if any(problem.allowed[p])]
    if problem.rounds < 2 or largest < 2:
        return None  # one round, or tables of one: nothing for a design to spread
    if problem.pins or problem.closed or problem.together:
        return None  # trading points moves a person in every round: it would break pins, closures and groups
    smallest = max(2, -(-len(attending) // tables))
    labelling_ends = time.perf_counter() + labelling_s
    for size in range(largest, smallest - 1, -1):
        design = golfer_design(tables, size, problem.rounds, deadline)
        if design is None and deadline is not None and not problem.forbid_repeats:
            design = covering_design(tables, size, problem.rounds, deadline)
        if design is None:
            design = golfer_design(tables, size, min(problem.rounds - 1, most_rounds(tables, size)))
        if design is None or len(design.rounds) < 2:
            continue
        rng = random.Random(seed)
        for by_sector in (_sorted_helps(problem, attending), *[False] * RANDOM_LABELLINGS):
            left = labelling_ends - time.perf_counter()
            template = _laid_over(problem, design, attending, rng, by_sector, seed, left)
            if template is not None:
                return template
    return None


def _sorted_helps(problem: Problem, attending: list[int]) -> bool:
    """Whether people differ by sector or company, so that filling rows in that order keeps them apart; where
    nobody differs, a sorted labelling is just one fixed labelling, and a seeded random one varies with the seed."""
    company = [person.company or "" for person in problem.instance.participants]
    return len({(problem.sector[p], company[p]) for p in attending}) > 1


# Random labellings tried where the one by sector leaves a table below its minimum (absences in one group).
RANDOM_LABELLINGS = 3


def _laid_over(
    problem: Problem,
    design: Design,
    attending: list[int],
    rng: random.Random,
    by_sector: bool,
    seed: int,
    labelling_s: float,
) -> Template | None:
    """The design with hosts on points that never meet, the others on the remaining points, and each round's groups
    assigned to tables; None where the limits or hosts cannot be met.

    `by_sector`: the others in order of sector and company over the points in their order, so that people of
    one sector, and colleagues, fill a row of a transversal design or row shifts, whose points never meet; sector
    caps and colleagues apart then hold from the start. Otherwise at random."""
    points = design.groups * design.size
    group_of = np.zeros((len(design.rounds), points), dtype=np.int32)
    for r, groups in enumerate(design.rounds):
        for k, group in enumerate(groups):
            group_of[r, list(group)] = k
    label = np.full(points, HOLE, dtype=np.int32)
    hosts = [p for p in attending if problem.fixed_table(p) is not None]
    if not _place_hosts(problem, design, group_of, hosts, label):
        return None
    hosting = set(hosts)
    others = [p for p in attending if p not in hosting]
    free = [point for point in range(points) if label[point] == HOLE]
    if by_sector:
        company = [person.company or "" for person in problem.instance.participants]
        others.sort(key=lambda p: (problem.sector[p], company[p], p))
    else:
        rng.shuffle(others)
    label[free[: len(others)]] = others
    fits = [_fitting_tables(problem, design, group_of, label, r) for r in range(len(design.rounds))]
    if any(problem.no_revisit):
        joint = _tables_without_revisits(problem, group_of, label, fits, seed, labelling_s)
        return None if joint is None else Template(design, label, joint)
    table_of_group = np.zeros((len(design.rounds), design.groups), dtype=np.int32)
    for r, fitting in enumerate(fits):
        assigned = _tables_for_groups(fitting)
        if assigned is None:
            return None
        table_of_group[r] = assigned
    return Template(design, label, table_of_group)


def _place_hosts(problem: Problem, design: Design, group_of: np.ndarray, hosts: list[int], label: np.ndarray) -> bool:
    """Hosts on points that never share a group with a host of another table (so each group holds the hosts
    of at most one table); hosts of one table on points of one group in every round they meet, which a
    design allows once at most (the prechecks refuse more when repeats are forbidden)."""
    chosen: list[tuple[int, int]] = []  # (point, table)
    for p in hosts:
        table = problem.fixed_table(p)
        candidates = [point for point in range(len(label)) if label[point] == HOLE]
        for point in candidates:
            clash = any(
                (group_of[:, point] == group_of[:, other]).any()
                for other, other_table in chosen
                if other_table != table
            )
            if not clash:
                label[point] = p
                chosen.append((point, table))  # type: ignore[arg-type]
                break
        else:
            return False
    return True


def _fitting_tables(problem: Problem, design: Design, group_of: np.ndarray, label: np.ndarray, r: int) -> np.ndarray:
    """[groups, tables] which tables each of round r's groups may take: a group with a host's point only that
    host's table, the others those whose limits their count of people keeps."""
    groups = len(design.rounds[r])
    seated = np.array([p >= 0 and problem.attends(int(p), r) for p in label.tolist()], dtype=np.bool_)
    present = np.bincount(group_of[r][seated], minlength=groups)
    # The table each group's hosts hold (-1: no host; -2: hosts of two tables, which no table takes).
    hosted = np.full(groups, -1, dtype=np.int64)
    for point in np.flatnonzero(seated).tolist():
        table = problem.fixed_table(int(label[point]))
        if table is not None:
            k = group_of[r, point]
            hosted[k] = table if hosted[k] in (-1, table) else -2
    minimum, capacity = np.array(problem.minimum), np.array(problem.capacity)
    fits = (minimum[None, :] <= present[:, None]) & (present[:, None] <= capacity[None, :])
    fits &= (hosted[:, None] == -1) | (hosted[:, None] == np.arange(problem.tables)[None, :])
    return fits


def _tables_for_groups(fits: np.ndarray) -> np.ndarray | None:
    """One round's groups to tables where they fit (an exact assignment); None if no assignment keeps every limit."""
    groups = len(fits)
    if fits.all():  # every group fits every table (identical tables, no host): any order will do
        return np.arange(groups, dtype=np.int32)
    from scipy.optimize import linear_sum_assignment  # scipy.optimize takes 0.3 s to import: only when needed

    cost = np.where(fits, 0, UNFIT)
    rows, columns = linear_sum_assignment(cost)
    if cost[rows, columns].sum() >= UNFIT:
        return None
    assigned = np.zeros(groups, dtype=np.int32)
    assigned[rows] = columns
    return assigned


def _tables_without_revisits(
    problem: Problem, group_of: np.ndarray, label: np.ndarray, fits: list[np.ndarray], seed: int, seconds: float
) -> np.ndarray | None:
    """[rounds, groups] every round's groups to tables where they fit, such that nobody bound by
    revisit_tables = 'forbid' comes back to a table (nor to one they sat at before this event).

    Round by round the groups could take any tables that fit; taken alone, each round would give the same
    labels, and everyone whose group keeps its label would sit at one table again (48 broken rules on the
    8-7-7 golfer). The relabelling of points afterwards keeps each point's tables, so this is decided here, once,
    for every round together; None where no labelling exists or none is found in time (the search then starts
    from the greedy start)."""
    rounds, groups = len(fits), len(fits[0])
    if rounds * groups * problem.tables > JOINT_TABLES_MOST_VARIABLES or seconds <= 0:
        return None
    model = cp_model.CpModel()
    goes = {
        (r, k, t): model.new_bool_var(f"g{r}_{k}_{t}")
        for r in range(rounds) for k in range(groups) for t in range(problem.tables) if fits[r][k, t]
    }  # fmt: skip
    for r in range(rounds):
        for k in range(groups):
            model.add_exactly_one(goes[r, k, t] for t in range(problem.tables) if (r, k, t) in goes)
        for t in range(problem.tables):
            model.add_at_most_one(goes[r, k, t] for k in range(groups) if (r, k, t) in goes)
    for point, p in enumerate(label.tolist()):
        if p == HOLE or not problem.no_revisit[p]:
            continue
        attended = [r for r in range(rounds) if problem.attends(p, r)]
        for t in range(problem.tables):
            visits = [goes[key] for r in attended if (key := (r, int(group_of[r, point]), t)) in goes]
            if (p, t) in problem.seated_before:
                for visit in visits:
                    model.add(visit == 0)
            elif len(visits) > 1:
                model.add_at_most_one(visits)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1  # a small model: one worker, and the same labelling for the same seed
    solver.parameters.random_seed = seed
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    table_of_group = np.zeros((rounds, groups), dtype=np.int32)
    for (r, k, t), chosen in goes.items():
        if solver.boolean_value(chosen):
            table_of_group[r, k] = t
    return table_of_group
