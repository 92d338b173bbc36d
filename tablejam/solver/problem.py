"""The instance in solver terms: integer indices, integer weights, and how a pair is valued.

Every search component (construction, local search, CP-SAT, bounds) reads this one view, so each
rule is translated from the instance exactly once. Pairs are not listed one by one: a pair's value
follows from the two people (their offers and needs, their sectors) and the weights, so it is computed
where it is needed; only the pairs that differ from that rule (met before, kept apart) are stored.
The whole list of pairs (`pairs`) is built on first use, for the models that are small enough to want it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from tablejam.models.instance import WEIGHT_DECIMALS, Instance
from tablejam.models.rules import Rule


@dataclass(frozen=True)
class Pair:
    i: int
    j: int
    value: int  # scaled value of their first meeting: new + complementary*c + cross_sector*[diff]
    met_before: bool


@dataclass(frozen=True)
class QuotaRule:
    """A quota in solver terms: who counts (participant indices), and the limits at every occupied table."""

    members: frozenset[int]
    min: int  # 0: no minimum
    max: int | None  # None: no maximum

    def within(self, people: list[int]) -> QuotaRule:
        """The quota for a part of the problem whose k-th participant is people[k]."""
        return QuotaRule(frozenset(k for k, p in enumerate(people) if p in self.members), self.min, self.max)


@dataclass(frozen=True)
class AttributeClass:
    """Participants counted together at each table (see Problem.attribute_classes)."""

    members: frozenset[int]
    fewest: int  # at every occupied table
    most: int | None  # at every table; None: no limit


@dataclass(frozen=True)
class PairValues:
    """The value of a first meeting: new + complementary * c(i, j) + cross_sector * [two different sectors], with
    c(i, j) = |offers_i & needs_j| + |offers_j & needs_i| counted on bit sets of tags (scaled integer weights)."""

    new: int
    complementary: int
    cross_sector: int
    sector: np.ndarray  # [n] sector index, -1 when none
    offers: np.ndarray  # [n, words] bit set of tags offered (uint64 words)
    needs: np.ndarray  # [n, words] bit set of tags needed

    @classmethod
    def of(cls, instance: Instance, sector: list[int], new: int, complementary: int, cross: int) -> PairValues:
        tags = sorted({tag for p in instance.participants for tag in (*p.offers, *p.needs)})
        bit = {tag: k for k, tag in enumerate(tags)}
        words = max(1, -(-len(tags) // 64))
        offers = np.zeros((len(instance.participants), words), dtype=np.uint64)
        needs = np.zeros_like(offers)
        for p, person in enumerate(instance.participants):
            for held, tagged in ((offers, person.offers), (needs, person.needs)):
                for tag in set(tagged):
                    held[p, bit[tag] // 64] |= np.uint64(1) << np.uint64(bit[tag] % 64)
        return cls(new, complementary, cross, np.array(sector, dtype=np.int32), offers, needs)

    @cached_property
    def _bits(self) -> tuple[list[int], list[int], list[int]]:
        """Offers and needs as Python integers, and sectors as a list: one pair in plain arithmetic is faster than
        numpy on arrays of one word."""

        def number(words: np.ndarray) -> int:
            return sum(int(word) << (64 * k) for k, word in enumerate(words))

        return [number(row) for row in self.offers], [number(row) for row in self.needs], self.sector.tolist()

    def value(self, i: int, j: int) -> int:
        offers, needs, sector = self._bits
        matches = (offers[i] & needs[j]).bit_count() + (offers[j] & needs[i]).bit_count()
        cross = sector[i] >= 0 and sector[j] >= 0 and sector[i] != sector[j]
        return self.new + self.complementary * matches + self.cross_sector * cross

    def row(self, i: int, others: np.ndarray) -> np.ndarray:
        """The values of i's first meetings with each of `others` (indices), at once."""
        matches = _popcount(self.offers[i] & self.needs[others]).sum(axis=1)
        matches += _popcount(self.offers[others] & self.needs[i]).sum(axis=1)
        si, sectors = self.sector[i], self.sector[others]
        cross = (si >= 0) & (sectors >= 0) & (sectors != si)
        return self.new + self.complementary * matches.astype(np.int64) + self.cross_sector * cross.astype(np.int64)


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per uint64 word."""
    return np.bitwise_count(words)


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
    met_before: frozenset[tuple[int, int]]  # i < j: met at earlier events; under 'forbid' also in `apart`
    values: PairValues
    scale: int  # objective weights are multiplied by this to make them integers
    repeat_cost: int
    fairness: int
    forbid_repeats: bool
    quotas: list[QuotaRule]  # instance.quotas, in order
    wishes: dict[tuple[int, int], int]  # i < j: scaled weight, > 0 once if they ever meet, < 0 at every meeting
    # Given for a part of a problem (a neighbourhood): these pairs only, with their own values.
    explicit_pairs: list[Pair] | None = field(default=None, repr=False)
    # The vocabulary of issue 12. Pins, closed tables and earlier seats also narrow `allowed`; these say why.
    closed: frozenset[tuple[int, int]] = frozenset()  # (r, t): table t seats nobody in round r
    together: frozenset[tuple[int, int]] = frozenset()  # i < j: share a table in every round both attend
    no_revisit: tuple[bool, ...] = ()  # [p]: p may not sit at one table twice (empty: nobody is bound)
    pins: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (p, r) -> (table, pin index)
    seated_before: frozenset[tuple[int, int]] = frozenset()  # (p, t): p sat at t earlier and may not again
    # reach[p][r]: the tables p could take in round r before pins, closures and earlier seats narrow them (their
    # host table, or every table): what CP-SAT models, so that a conflict can name those rules. Whole problems only.
    reach: list[list[tuple[int, ...]]] = field(default_factory=list, repr=False)

    @classmethod
    def from_instance(cls, instance: Instance) -> Problem:
        tables = instance.table_list
        people = instance.participants
        rounds = instance.rounds
        at = instance.table_index
        index = instance.participant_index
        allowed: list[list[tuple[int, ...]]] = []
        no_revisit = tuple(instance.revisit_forbidden(person) for person in people)
        before = {(index[pid], at[table]) for pid, table in instance.rules.seated_before if no_revisit[index[pid]]}
        every = tuple(range(len(tables)))
        reach = [
            [() if r + 1 in person.absent else (at[person.host],) if person.host else every for r in range(rounds)]
            for person in people
        ]
        # Everyone free to sit at any open table shares that round's tuple: memory stays linear in people.
        open_at = [tuple(at[t] for t in instance.open_tables(r + 1)) for r in range(rounds)]
        seated_before = {p for p, _ in before}
        for p, person in enumerate(people):
            row: list[tuple[int, ...]] = []
            for r in range(rounds):
                fixed = instance.fixed_table(person, r + 1)
                choices = () if r + 1 in person.absent else open_at[r] if fixed is None else (at[fixed],)
                if p in seated_before:
                    choices = tuple(t for t in choices if (p, t) not in before)
                row.append(choices)
            allowed.append(row)

        sector_names = sorted({p.sector for p in people if p.sector})
        sector_id = {name: k for k, name in enumerate(sector_names)}
        sector = [sector_id[p.sector] if p.sector else -1 for p in people]
        scale = 10**WEIGHT_DECIMALS
        weights = instance.weights
        wished = [((index[a], index[b]), wish.weight) for wish in instance.rules.wishes for a, b in [wish.participants]]
        all_weights = [round(w * scale) for w in (weights.new, weights.complementary, weights.cross_sector,
                                                   weights.repeat, weights.fairness,
                                                   *(weight for _, weight in wished))]  # fmt: skip
        # Divide out common powers of ten so the numbers CP-SAT sees stay small.
        while scale > 1 and all(w % 10 == 0 for w in all_weights):
            scale //= 10
            all_weights = [w // 10 for w in all_weights]
        new_w, comp_w, cross_w, repeat_w, fair_w = all_weights[:5]
        wishes = {(min(pair), max(pair)): w for (pair, _), w in zip(wished, all_weights[5:], strict=True)}

        def indexed(pairs: frozenset[frozenset[str]]) -> set[tuple[int, int]]:
            return {(min(a, b), max(a, b)) for a, b in ((index[x], index[y]) for x, y in map(tuple, pairs))}

        together = frozenset(indexed(instance.together_pairs))
        # A together pair's meetings are neither repeats nor first meetings: the rule makes them.
        met_before = frozenset(indexed(instance.met_before_pairs)) - together
        forbid = instance.rules.repeats == "forbid"
        # Each pair kept apart under the rule that says so (a keep-apart pair of colleagues: keep-apart).
        apart = dict.fromkeys(indexed(instance.apart_pairs - instance.keep_apart_pairs), Rule.COLLEAGUES)
        apart |= dict.fromkeys(indexed(instance.keep_apart_pairs), Rule.KEEP_APART)
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
            sector=sector,
            sector_cap=[instance.sectors.cap(name) for name in sector_names],
            sector_names=sector_names,
            apart=apart,
            met_before=met_before,
            values=PairValues.of(instance, sector, new_w, comp_w, cross_w),
            scale=scale,
            repeat_cost=repeat_w,
            fairness=fair_w,
            forbid_repeats=forbid,
            quotas=[
                QuotaRule(
                    frozenset(k for k, person in enumerate(people) if quota.holds_for(person)),
                    quota.min or 0,
                    quota.max,
                )
                for quota in instance.quotas
            ],
            wishes=dict(sorted(wishes.items())),
            closed=frozenset((r, at[t.id]) for t in tables for r in range(rounds) if not instance.is_open(t, r + 1)),
            together=together,
            no_revisit=no_revisit,
            pins={(index[pid], r - 1): (at[table], k) for (pid, r), (table, k) in instance.pinned.items()},
            seated_before=frozenset(before),
            reach=reach,
        )

    @cached_property
    def pairs(self) -> list[Pair]:
        """Every pair that may meet (i < j): not kept apart, and at one table in some round. Built on first use:
        quadratic in the participants, for models small enough to take every pair."""
        if self.explicit_pairs is not None:
            return self.explicit_pairs
        pairs = []
        for i in range(self.people):
            later = np.arange(i + 1, self.people)
            for j, value in zip(later.tolist(), self.values.row(i, later).tolist(), strict=True):
                if (i, j) not in self.apart and (i, j) not in self.together and self.may_share_a_table(i, j):
                    pairs.append(Pair(i, j, value, (i, j) in self.met_before))
        return pairs

    def value(self, i: int, j: int) -> int:
        """The scaled value of i and j meeting for the first time (i < j)."""
        if self.explicit_pairs is not None:
            return self._explicit_values.get((i, j), 0)
        return 0 if (i, j) in self.together else self.values.value(i, j)

    @cached_property
    def _explicit_values(self) -> dict[tuple[int, int], int]:
        return {(pair.i, pair.j): pair.value for pair in self.explicit_pairs or []}

    def may_share_a_table(self, i: int, j: int) -> bool:
        """Whether i and j can sit at one table in some round (absences and host tables allowing)."""
        return any(set(self.allowed[i][r]) & set(self.allowed[j][r]) for r in range(self.rounds))

    def limits(self, r: int, t: int) -> tuple[int, int]:
        """(minimum, capacity) of table t in round r: (0, 0) where it is closed."""
        return (0, 0) if (r, t) in self.closed else (self.minimum[t], self.capacity[t])

    def pair_count(self) -> int:
        """About how many pairs may meet, without listing them (every pair but those kept apart)."""
        return self.people * (self.people - 1) // 2 - len(self.apart)

    def together_wishes(self) -> int:
        """The wishes' (scaled) share of the objective from together pairs: a constant, since they share a table in
        every round both attend (met once for a positive wish, every such round for a negative one). They are not
        among `pairs`, so a model of the pairs adds it."""
        total = 0
        for i, j in self.together:
            weight = self.wishes.get((i, j), 0)
            shared = sum(self.attends(i, r) and self.attends(j, r) for r in range(self.rounds))
            total += (weight if shared else 0) if weight > 0 else weight * shared
        return total

    def attends(self, p: int, r: int) -> bool:
        return bool(self.allowed[p][r])

    def fixed_table(self, p: int) -> int | None:
        """The one table p may use in every round p attends (a host's), None if p may move."""
        return self._fixed_tables[p]

    @cached_property
    def _fixed_tables(self) -> list[int | None]:
        fixed: list[int | None] = []
        for row in self.allowed:
            attended = [allowed for allowed in row if allowed]
            only = attended[0] if attended else ()
            one = self.tables > 1 and len(only) == 1 and all(allowed == only for allowed in attended)
            fixed.append(only[0] if one else None)
        return fixed

    @cached_property
    def attribute_classes(self) -> list[AttributeClass]:
        """Sector caps and quotas as one kind of rule: classes of participants (a capped sector, a quota's
        attribute value), each with a fewest per occupied table and a most per table. Rules over the same
        members are one class with the tighter limits (a quota on a capped sector)."""
        limits: dict[frozenset[int], tuple[int, int | None]] = {}
        for s, cap in enumerate(self.sector_cap):
            if cap is not None:
                limits[frozenset(p for p in range(self.people) if self.sector[p] == s)] = (0, cap)
        for quota in self.quotas:
            low, high = limits.get(quota.members, (0, None))
            most = quota.max if high is None else high if quota.max is None else min(high, quota.max)
            limits[quota.members] = (max(low, quota.min), most)
        return [AttributeClass(members, low, high) for members, (low, high) in limits.items()]

    @cached_property
    def classes_of(self) -> list[list[int]]:
        """The attribute classes of each participant (indices into attribute_classes)."""
        classes: list[list[int]] = [[] for _ in range(self.people)]
        for k, group in enumerate(self.attribute_classes):
            for p in sorted(group.members):
                classes[p].append(k)
        return classes

    def attendees(self, r: int) -> list[int]:
        return [p for p in range(self.people) if self.allowed[p][r]]
