"""The instance in solver terms: integer indices, integer weights, the pairs that matter.

Every search component (construction, local search, CP-SAT) reads this one view,
so each rule is translated from the instance exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from tablejam.models.instance import WEIGHT_DECIMALS, Instance, complementarity, cross_sector
from tablejam.models.rules import Rule


@dataclass(frozen=True)
class Pair:
    i: int
    j: int
    value: int  # scaled value of their first meeting: new + complementary*c + cross_sector*[diff]
    met_before: bool


@dataclass
class Problem:
    instance: Instance
    people: int
    rounds: int
    tables: int
    capacity: list[int]
    minimum: list[int]
    allowed: list[list[tuple[int, ...]]]  # allowed[p][r]: tables p may sit at in round r; () when absent
    sector: list[int]  # sector index of each participant, -1 when none
    sector_cap: list[int | None]  # cap of each sector index, None when uncapped
    sector_names: list[str]
    apart: dict[tuple[int, int], Rule]  # i < j: must never share a table, by this rule
    pairs: list[Pair]  # i < j, may share a table in some round and are not kept apart
    scale: int  # objective weights are multiplied by this to make them integers
    repeat_cost: int
    fairness: int
    forbid_repeats: bool

    @classmethod
    def from_instance(cls, instance: Instance) -> Problem:
        tables = instance.table_list
        people = instance.participants
        rounds = instance.rounds
        allowed: list[list[tuple[int, ...]]] = []
        for person in people:
            own = (instance.table_index[person.host],) if person.host else tuple(range(len(tables)))
            allowed.append([() if r + 1 in person.absent else own for r in range(rounds)])

        sector_names = sorted({p.sector for p in people if p.sector})
        sector_id = {name: k for k, name in enumerate(sector_names)}
        scale = 10**WEIGHT_DECIMALS
        weights = instance.weights
        new_w, comp_w, cross_w = (round(w * scale) for w in (weights.new, weights.complementary, weights.cross_sector))
        # Divide out common powers of ten so the numbers CP-SAT sees stay small.
        all_weights = [new_w, comp_w, cross_w, round(weights.repeat * scale), round(weights.fairness * scale)]
        while scale > 1 and all(w % 10 == 0 for w in all_weights):
            scale //= 10
            all_weights = [w // 10 for w in all_weights]
        new_w, comp_w, cross_w, repeat_w, fair_w = all_weights

        index = instance.participant_index

        def indexed(pairs: frozenset[frozenset[str]]) -> set[tuple[int, int]]:
            return {(min(a, b), max(a, b)) for a, b in ((index[x], index[y]) for x, y in map(tuple, pairs))}

        met_before = indexed(instance.met_before_pairs)
        forbid = instance.rules.repeats == "forbid"
        # Each pair kept apart under the rule that says so (a keep-apart pair of colleagues: keep-apart).
        apart = dict.fromkeys(indexed(instance.apart_pairs - instance.keep_apart_pairs), Rule.COLLEAGUES)
        apart |= dict.fromkeys(indexed(instance.keep_apart_pairs), Rule.KEEP_APART)

        pairs = []
        for i, j in combinations(range(len(people)), 2):
            if (i, j) in apart:
                continue
            if not any(set(allowed[i][r]) & set(allowed[j][r]) for r in range(rounds)):
                continue  # never at the same table in the same round (absences, different host tables)
            if forbid and (i, j) in met_before:
                continue  # they may not meet at all: treated as apart
            value = (
                new_w + comp_w * complementarity(people[i], people[j]) + cross_w * cross_sector(people[i], people[j])
            )
            pairs.append(Pair(i, j, value, (i, j) in met_before))
        if forbid:  # they may not meet at all
            apart = dict.fromkeys(met_before, Rule.REPEAT) | apart
        apart = dict(sorted(apart.items()))

        return cls(
            instance=instance,
            people=len(people),
            rounds=rounds,
            tables=len(tables),
            capacity=[t.capacity for t in tables],
            minimum=[t.min for t in tables],
            allowed=allowed,
            sector=[sector_id[p.sector] if p.sector else -1 for p in people],
            sector_cap=[instance.sectors.cap(name) for name in sector_names],
            sector_names=sector_names,
            apart=apart,
            pairs=pairs,
            scale=scale,
            repeat_cost=repeat_w,
            fairness=fair_w,
            forbid_repeats=forbid,
        )

    def attends(self, p: int, r: int) -> bool:
        return bool(self.allowed[p][r])

    def fixed_table(self, p: int) -> int | None:
        """The one table p may use in every round p attends (a host's), None if p may move."""
        tables = {self.allowed[p][r] for r in range(self.rounds) if self.allowed[p][r]}
        if len(tables) == 1:
            (only,) = tables
            if len(only) == 1 and self.tables > 1:
                return only[0]
        return None

    def attendees(self, r: int) -> list[int]:
        return [p for p in range(self.people) if self.allowed[p][r]]
