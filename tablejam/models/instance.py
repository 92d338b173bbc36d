"""The instance: who comes, which tables there are, which rules hold, what counts.

This is the public input contract (TOML or JSON, same structure). Unknown fields
are errors so that a typo is never silently ignored, and every cross-reference
(host table, pair ids, absent rounds) is checked when the model is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetJsonSchemaHandler,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError

NonEmptyStr = Annotated[str, Field(min_length=1)]
WEIGHT_DECIMALS = 3
# Sanity limits: far above any real event, low enough that a corrupted number fails fast.
MAX_TABLES = 10_000
MAX_SEATS = 10_000
MAX_ROUNDS = 1_000
MAX_PARTICIPANTS = 100_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Table(_Strict):
    """One table: the same seats in every round."""

    id: NonEmptyStr = Field(description="Table id, unique, e.g. 'T1' or 'Garden'.")
    capacity: int = Field(ge=1, le=MAX_SEATS, description="Most participants seated at this table in one round.")
    min: int = Field(
        default=0,
        ge=0,
        le=MAX_SEATS,
        description="Fewest participants seated at this table in every round it is open (0: it may stay empty).",
    )
    rounds: list[int] | None = Field(
        default=None,
        description="Open only in these rounds (1-based; default: every round). A closed table seats nobody.",
    )

    @model_validator(mode="after")
    def _min_fits(self) -> Table:
        if self.min > self.capacity:
            raise ValueError(f"min {self.min} exceeds capacity {self.capacity} of table '{self.id}'")
        return self


class TableGrid(_Strict):
    """`count` identical tables with ids T1..Tcount."""

    count: int = Field(ge=1, le=MAX_TABLES, description="Number of tables; their ids are T1..Tcount.")
    capacity: int = Field(ge=1, le=MAX_SEATS, description="Seats per table.")
    min: int = Field(default=0, ge=0, le=MAX_SEATS, description="Fewest participants per table in every round.")

    @model_validator(mode="after")
    def _min_fits(self) -> TableGrid:
        if self.min > self.capacity:
            raise ValueError(f"min {self.min} exceeds capacity {self.capacity}")
        return self

    def expand(self) -> list[Table]:
        return [Table(id=f"T{k}", capacity=self.capacity, min=self.min) for k in range(1, self.count + 1)]


class Participant(_Strict):
    """One person at the event."""

    id: NonEmptyStr = Field(description="Participant id, unique.")
    name: str | None = Field(default=None, description="Display name (defaults to the id).")
    sector: str | None = Field(default=None, description="Sector, for sector caps and cross-sector encounters.")
    company: str | None = Field(
        default=None, description="Company; participants sharing a non-empty company are colleagues."
    )
    offers: list[str] = Field(default_factory=list, description="What this participant offers.")
    needs: list[str] = Field(default_factory=list, description="What this participant looks for.")
    absent: list[int] = Field(default_factory=list, description="Rounds (1-based) this participant misses.")
    host: str | None = Field(
        default=None, description="Table id this participant hosts: seated there in every round attended."
    )
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description="Anything else known about the participant (e.g. a spreadsheet's other columns, by header as "
        "written; looked up in any case): kept and passed on. Quotas count them; 'email' is the address for "
        "breakout rooms (`export --to breakout`).",
    )

    @field_validator("offers", "needs")
    @classmethod
    def _strip_tags(cls, tags: list[str]) -> list[str]:
        return [tag.strip() for tag in tags if tag.strip()]

    @property
    def label(self) -> str:
        return self.name or self.id

    def attribute(self, key: str) -> str | None:
        """The attribute named `key`, its case and surrounding spaces aside (a sheet's header 'Email ' is
        `email`): spreadsheets keep headers as written. None when the participant has no such attribute."""
        if key in self.attributes:
            return self.attributes[key]
        wanted = key.strip().casefold()
        return next((value for name, value in self.attributes.items() if name.strip().casefold() == wanted), None)


class SectorRules(_Strict):
    """Caps on how many participants of one sector share a table in one round."""

    max_per_table: int | None = Field(
        default=None, ge=1, description="Cap for every sector (participants of one sector per table and round)."
    )
    limits: dict[str, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="Per-sector caps; they override max_per_table for that sector."
    )

    def cap(self, sector: str | None) -> int | None:
        """The cap for `sector`, or None when it is uncapped (participants without a sector are)."""
        if not sector:
            return None
        return self.limits.get(sector, self.max_per_table)


class Wish(_Strict):
    """A soft preference about one pair: seat them together (weight > 0) or apart (weight < 0)."""

    participants: tuple[NonEmptyStr, NonEmptyStr] = Field(description="The two participant ids.")
    weight: float = Field(
        description="Non-zero, at most 3 decimals: > 0 adds the weight once if the pair ever shares a table; "
        "< 0 costs |weight| for every round the pair shares a table."
    )

    @field_validator("participants", mode="before")
    @classmethod
    def _two(cls, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) != 2:
            raise ValueError(f"a wish names two participants, not {len(value)}")
        return value

    @field_validator("weight")
    @classmethod
    def _non_zero(cls, weight: float) -> float:
        if weight == 0:
            raise ValueError("must not be 0 (a wish of weight 0 changes nothing: leave it out)")
        return -_few_decimals(-weight) if weight < 0 else _few_decimals(weight)


class Quota(_Strict):
    """How many participants with one attribute value sit at every occupied table, in every round."""

    attribute: NonEmptyStr = Field(
        description="'sector', 'company', or a key of participants' attributes (a spreadsheet column)."
    )
    value: str = Field(description="The attribute value counted.")
    min: int | None = Field(
        default=None, ge=0, le=MAX_SEATS, description="At least this many at every table that seats someone."
    )
    max: int | None = Field(default=None, ge=0, le=MAX_SEATS, description="At most this many at any table.")

    @model_validator(mode="after")
    def _limits(self) -> Quota:
        if self.min is None and self.max is None:
            raise ValueError(f"quota on {self.attribute} = '{self.value}' gives neither min nor max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} exceeds max {self.max} of the quota on {self.attribute} = '{self.value}'")
        return self

    def holds_for(self, person: Participant) -> bool:
        """Whether `person` has the counted value."""
        return attribute_of(person, self.attribute) == self.value

    def phrase(self) -> str:
        """The quota's limits in words, e.g. 'at least 2 and at most 3'."""
        limits = [f"at least {self.min}"] if self.min is not None else []
        limits += [f"at most {self.max}"] if self.max is not None else []
        return " and ".join(limits)


def attribute_of(person: Participant, attribute: str) -> str | None:
    """A participant's value of a quota attribute: their sector, company, or one of their attributes."""
    if attribute in ("sector", "company"):
        return getattr(person, attribute) or None
    return person.attribute(attribute)


class Pin(_Strict):
    """A participant fixed to a table in some rounds."""

    participant: NonEmptyStr = Field(description="Participant id.")
    table: NonEmptyStr = Field(description="Table id the participant sits at.")
    rounds: list[int] | None = Field(
        default=None, description="Rounds (1-based) of the pin (default: every round the participant attends)."
    )


class Rules(_Strict):
    """Hard rules and how repeats are treated."""

    repeats: Literal["forbid", "minimise"] = Field(
        default="forbid",
        description="forbid: no pair meets twice (counting met_before); "
        "minimise: each repeat costs `objective.repeat`.",
    )
    colleagues: Literal["apart", "allow"] = Field(
        default="apart", description="apart: participants of the same company never share a table."
    )
    keep_apart: list[tuple[NonEmptyStr, NonEmptyStr]] = Field(
        default_factory=list, description="Pairs of participant ids that never share a table."
    )
    met_before: list[tuple[NonEmptyStr, NonEmptyStr]] = Field(
        default_factory=list,
        description="Pairs who met at earlier events: meeting again is a repeat, not a new encounter.",
    )
    history: list[NonEmptyStr] = Field(
        default_factory=list,
        description="Schedule files (tablejam.schedule/1 JSON) of earlier events, paths relative to the instance "
        "file: every pair that shared a table there counts as met before (ids not at this event are ignored). "
        "Loading the instance adds those pairs to met_before.",
    )
    wishes: list[Wish] = Field(
        default_factory=list,
        description="Soft pair preferences: a positive weight is added once if the pair ever shares a table, "
        "a negative weight costs its size for every round the pair shares a table.",
    )
    # The vocabulary of issue 12: groups kept together, tables not revisited, pins.
    together: list[Annotated[list[NonEmptyStr], Field(min_length=2)]] = Field(
        default_factory=list,
        description="Groups of participant ids (two or more) sharing a table in every round they attend together. "
        "Their meetings are neither repeats nor new encounters: the rule makes them, so they count for nothing.",
    )
    revisit_tables: Literal["allow", "forbid"] = Field(
        default="allow",
        description="forbid: nobody sits at the same table twice (a host stays at their own table).",
    )
    pins: list[Pin] = Field(default_factory=list, description="Participants fixed to a table in some rounds.")
    seated_before: list[tuple[NonEmptyStr, NonEmptyStr]] = Field(
        default_factory=list,
        description="(participant id, table id) seats of earlier rounds (written by re-planning): under "
        "revisit_tables = 'forbid' that participant does not sit at that table again.",
    )


def _few_decimals(weight: float) -> float:
    # The solver works in integers: weights are scaled by 10**WEIGHT_DECIMALS at most.
    if abs(weight * 10**WEIGHT_DECIMALS - round(weight * 10**WEIGHT_DECIMALS)) > 1e-6:
        raise ValueError(f"{weight} has more than {WEIGHT_DECIMALS} decimals")
    if weight > 1e6:
        raise ValueError(f"{weight} is larger than 1000000")
    return weight


Weight = Annotated[float, Field(ge=0), AfterValidator(_few_decimals)]
Term = Literal["new", "complementary", "cross_sector", "repeat", "fairness"]
TERMS: tuple[Term, ...] = ("new", "complementary", "cross_sector", "repeat", "fairness")


class ObjectiveWeights(_Strict):
    """Weights of the objective (maximised).

    value = sum over pairs meeting for the first time of
            new + complementary * c(i,j) + cross_sector * [different non-empty sectors]
          - repeat * (number of repeat meetings)
          + fairness * (fewest new encounters of any attending participant)
    with c(i,j) = |offers_i & needs_j| + |offers_j & needs_i|.

    With `lexicographic`, the listed terms are optimised in that order instead and the
    numeric weights are ignored (see `Instance.weights`).
    """

    new: Weight = Field(default=1, description="Value of each pair meeting for the first time.")
    complementary: Weight = Field(default=1, description="Value per complementary match c(i,j) of a new pair.")
    cross_sector: Weight = Field(default=0, description="Value of a new pair from two different sectors.")
    repeat: Weight = Field(default=10, description="Cost of each repeat meeting (repeats = 'minimise').")
    fairness: Weight = Field(default=0, description="Value per new encounter of the participant who gets the fewest.")

    lexicographic: list[Term] | None = Field(
        default=None,
        min_length=1,
        description="Optimise these terms in this order instead of the weighted sum: first the most of the first "
        "term (the fewest, for 'repeat'), then of the next without losing any of the first, and so on. "
        "Terms: new, complementary, cross_sector, repeat, fairness. Unlisted terms count nothing.",
    )

    @field_validator("lexicographic")
    @classmethod
    def _each_term_once(cls, terms: list[Term] | None) -> list[Term] | None:
        if terms is not None and len(set(terms)) < len(terms):
            raise ValueError(f"lists a term twice: {terms}")
        return terms


def _table_form(value: Any) -> str:
    return "grid" if isinstance(value, dict | TableGrid) else "list"


class _OrSpreadsheetPath:
    """In the file, `participants` may name a spreadsheet instead; the loader reads it, so a model holds the list."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        as_list = handler(core_schema)
        as_path = {
            "type": "string",
            "minLength": 1,
            "description": "Path of a .csv or .xlsx participant table, relative to the instance file: one row per "
            "participant, columns by header (id, name, sector, company, offers, needs, absent, host; "
            "lists separated by ';'; other columns are kept as attributes).",
        }
        return {"anyOf": [as_list, as_path]}


class Instance(_Strict):
    """A multi-round networking event to plan."""

    name: str = Field(default="", description="Name of the event.")
    rounds: int = Field(ge=1, le=MAX_ROUNDS, description="Number of rounds.")
    tables: Annotated[
        Annotated[TableGrid, Tag("grid")] | Annotated[list[Table], Tag("list")],
        Discriminator(_table_form),
    ] = Field(
        description="Either {count, capacity, min} for identical tables T1..Tcount, or a list of {id, capacity, min}."
    )
    participants: Annotated[list[Participant], _OrSpreadsheetPath] = Field(
        min_length=1,
        max_length=MAX_PARTICIPANTS,
        description="The participants, or the path of a spreadsheet listing them (read by load_instance).",
    )
    sectors: SectorRules = Field(default_factory=SectorRules, description="Sector caps.")
    rules: Rules = Field(default_factory=Rules, description="Hard rules and repeat policy.")
    objective: ObjectiveWeights = Field(default_factory=ObjectiveWeights, description="Objective weights.")
    quotas: list[Quota] = Field(
        default_factory=list,
        description="Per occupied table and round: at least min and/or at most max participants with "
        "attribute = value.",
    )

    @field_validator("participants", mode="before")
    @classmethod
    def _not_a_path(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError(
                f"the spreadsheet '{value}' is read by load_instance (tablejam.io); a model needs the list itself"
            )
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> Instance:
        problems = reference_problems(self)
        if problems:
            # One line error per problem, each at its own field path, so a loader can say where it came from
            # (e.g. the spreadsheet row and column of a participant's host).
            raise ValidationError.from_exception_data(
                type(self).__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("reference", "{problem}", {"problem": problem.message}),
                        loc=problem.loc,
                        input=problem.value,
                    )
                    for problem in problems
                ],
            )
        return self

    # Derived views, computed once (the model is frozen).

    @cached_property
    def table_list(self) -> list[Table]:
        return self.tables.expand() if isinstance(self.tables, TableGrid) else list(self.tables)

    @cached_property
    def table_index(self) -> dict[str, int]:
        return {table.id: k for k, table in enumerate(self.table_list)}

    @cached_property
    def participant_index(self) -> dict[str, int]:
        return {person.id: k for k, person in enumerate(self.participants)}

    def attends(self, person: Participant, round_number: int) -> bool:
        return round_number not in person.absent

    def attendees(self, round_number: int) -> list[Participant]:
        return [p for p in self.participants if round_number not in p.absent]

    def colleagues(self, a: Participant, b: Participant) -> bool:
        return bool(a.company) and a.company == b.company

    @cached_property
    def keep_apart_pairs(self) -> frozenset[frozenset[str]]:
        return frozenset(frozenset(pair) for pair in self.rules.keep_apart)

    @cached_property
    def apart_pairs(self) -> frozenset[frozenset[str]]:
        """Pairs that must never share a table: keep_apart, plus colleagues when the rule says apart."""
        pairs = set(self.keep_apart_pairs)
        if self.rules.colleagues == "apart":
            by_company: dict[str, list[str]] = {}
            for person in self.participants:
                if person.company:
                    by_company.setdefault(person.company, []).append(person.id)
            for members in by_company.values():
                pairs.update(frozenset((a, b)) for i, a in enumerate(members) for b in members[i + 1 :])
        return frozenset(pairs)

    @cached_property
    def weights(self) -> ObjectiveWeights:
        """The weights every component scores with.

        A lexicographic order becomes weights in which one unit of a term outweighs the most
        that all later terms together could ever change (their ranges below), so comparing two
        schedules by this weighted sum is exactly comparing them lexicographically - and the
        local search, CP-SAT, the bound and the checker need no second mechanism.
        """
        order = self.objective.lexicographic
        if order is None:
            return self.objective
        ranges = _term_ranges(self)
        weights = dict.fromkeys(TERMS, 0)
        # Wishes keep their weights and come after every listed term: the last term outweighs them all.
        later_range = math.ceil(sum(abs(wish.weight) for wish in self.rules.wishes))
        for term in reversed(order):
            weights[term] = later_range + 1
            later_range += weights[term] * ranges[term]
        # Derived weights may exceed the cap on typed-in weights; they are integers by construction.
        return ObjectiveWeights.model_construct(**weights, lexicographic=list(order))

    @cached_property
    def wish_weights(self) -> dict[frozenset[str], float]:
        """Each wished pair's weight (a pair is wished once at most)."""
        return {frozenset(wish.participants): wish.weight for wish in self.rules.wishes}

    @cached_property
    def met_before_pairs(self) -> frozenset[frozenset[str]]:
        return frozenset(frozenset(pair) for pair in self.rules.met_before)

    def is_open(self, table: Table, round_number: int) -> bool:
        return table.rounds is None or round_number in table.rounds

    def limits(self, round_number: int) -> list[tuple[int, int]]:
        """(min, capacity) of every table in a round: (0, 0) where it is closed."""
        return [(t.min, t.capacity) if self.is_open(t, round_number) else (0, 0) for t in self.table_list]

    @cached_property
    def together_pairs(self) -> frozenset[frozenset[str]]:
        """Every pair within a together group."""
        return frozenset(frozenset((a, b)) for group in self.rules.together for a in group for b in group if a != b)

    def together_rounds(self, a: str, b: str) -> list[int]:
        """The rounds a together pair shares a table: those both attend."""
        people = self.participants
        absent = set(people[self.participant_index[a]].absent) | set(people[self.participant_index[b]].absent)
        return [r for r in range(1, self.rounds + 1) if r not in absent]

    @cached_property
    def pinned(self) -> dict[tuple[str, int], tuple[str, int]]:
        """(participant, round) -> (table, index of the pin) for every round a pin holds (rounds attended)."""
        seats: dict[tuple[str, int], tuple[str, int]] = {}
        for k, pin in enumerate(self.rules.pins):
            person = self.participants[self.participant_index[pin.participant]]
            for round_number in range(1, self.rounds + 1) if pin.rounds is None else pin.rounds:
                if round_number not in person.absent:
                    seats.setdefault((pin.participant, round_number), (pin.table, k))
        return seats

    @cached_property
    def _open_table_ids(self) -> list[tuple[str, ...]]:
        return [tuple(t.id for t in self.table_list if self.is_open(t, r)) for r in range(1, self.rounds + 1)]

    def open_tables(self, round_number: int) -> tuple[str, ...]:
        """The ids of the tables open in a round: one tuple per round, shared by everyone free to sit at any of them
        (at 10,000 people a list per person and round would be 50 million entries)."""
        return self._open_table_ids[round_number - 1]

    def fixed_table(self, person: Participant, round_number: int) -> str | None:
        """The one table `person` must take in a round: their pin's, else their host table; None when any open
        table will do. A pin or host table closed in that round, or a pin away from the host table, is kept here
        and contradicts another rule: the prechecks say so."""
        pin = self.pinned.get((person.id, round_number))
        if pin is not None:
            return pin[0]
        return person.host

    def allowed_tables(self, person: Participant, round_number: int) -> tuple[str, ...]:
        """The tables `person` may sit at in a round: their fixed table, else the open ones; none when absent."""
        if round_number in person.absent:
            return ()
        fixed = self.fixed_table(person, round_number)
        return self.open_tables(round_number) if fixed is None else (fixed,)

    def revisit_forbidden(self, person: Participant) -> bool:
        """Whether `person` may not sit at one table twice (hosts stay at their own table)."""
        return self.rules.revisit_tables == "forbid" and not person.host


def _term_ranges(instance: Instance) -> dict[str, int]:
    """How far each objective term can differ between two schedules, by simple counting."""
    people = instance.participants
    meetings = instance.rounds * sum(t.capacity * (t.capacity - 1) // 2 for t in instance.table_list)
    all_pairs = len(people) * (len(people) - 1) // 2
    by_sector: dict[str, int] = {}
    for person in people:
        if person.sector:
            by_sector[person.sector] = by_sector.get(person.sector, 0) + 1
    with_sector = sum(by_sector.values())
    cross_pairs = with_sector * (with_sector - 1) // 2 - sum(k * (k - 1) // 2 for k in by_sector.values())
    complementary = sum(complementarity(a, b) for k, a in enumerate(people) for b in people[k + 1 :])
    most_seats = max(t.capacity for t in instance.table_list)
    return {
        "new": min(meetings, all_pairs),
        "complementary": complementary,
        "cross_sector": min(meetings, cross_pairs),
        "repeat": meetings,
        "fairness": min(len(people) - 1, instance.rounds * (most_seats - 1)),
    }


def complementarity(a: Participant, b: Participant) -> int:
    """c(a, b): how many of one's offers the other needs, both ways."""
    return len(set(a.offers) & set(b.needs)) + len(set(b.offers) & set(a.needs))


def cross_sector(a: Participant, b: Participant) -> bool:
    return bool(a.sector) and bool(b.sector) and a.sector != b.sector


@dataclass(frozen=True)
class ReferenceProblem:
    """A cross-reference that does not resolve: where (field path), what, and the value given."""

    loc: tuple[str | int, ...]
    message: str
    value: Any


def reference_problems(instance: Instance) -> list[ReferenceProblem]:
    """Every cross-reference that does not resolve, each at its field path with the value."""
    problems: list[ReferenceProblem] = []
    tables = instance.tables.expand() if isinstance(instance.tables, TableGrid) else instance.tables

    seen_tables: set[str] = set()
    for k, table in enumerate(tables):
        if table.id in seen_tables:
            problems.append(ReferenceProblem(("tables", k, "id"), f"duplicate table id '{table.id}'", table.id))
        seen_tables.add(table.id)

    seen_people: set[str] = set()
    for k, person in enumerate(instance.participants):
        if person.id in seen_people:
            problems.append(
                ReferenceProblem(("participants", k, "id"), f"duplicate participant id '{person.id}'", person.id)
            )
        seen_people.add(person.id)
        if person.host is not None and person.host not in seen_tables:
            problems.append(
                ReferenceProblem(("participants", k, "host"), f"table '{person.host}' does not exist", person.host)
            )
        for round_number in person.absent:
            if not 1 <= round_number <= instance.rounds:
                problems.append(
                    ReferenceProblem(
                        ("participants", k, "absent"),
                        f"round {round_number} is outside 1..{instance.rounds}",
                        round_number,
                    )
                )

    for field in ("keep_apart", "met_before"):
        for k, (a, b) in enumerate(getattr(instance.rules, field)):
            for who in (a, b):
                if who not in seen_people:
                    problems.append(
                        ReferenceProblem(("rules", field, k), f"participant '{who}' does not exist", [a, b])
                    )
            if a == b:
                problems.append(
                    ReferenceProblem(("rules", field, k), f"pairs a participant with themself ('{a}')", [a, b])
                )

    wished: set[frozenset[str]] = set()
    for k, wish in enumerate(instance.rules.wishes):
        a, b = wish.participants
        at: tuple[str | int, ...] = ("rules", "wishes", k, "participants")
        problems += [ReferenceProblem(at, f"participant '{who}' does not exist", [a, b])
                     for who in (a, b) if who not in seen_people]  # fmt: skip
        if a == b:
            problems.append(ReferenceProblem(at, f"a wish of one person ('{a}')", [a, b]))
        elif frozenset((a, b)) in wished:
            problems.append(ReferenceProblem(at, f"a second wish for {a} and {b}", [a, b]))
        wished.add(frozenset((a, b)))
    for k, quota in enumerate(instance.quotas):
        if not any(attribute_of(person, quota.attribute) is not None for person in instance.participants):
            problems.append(
                ReferenceProblem(
                    ("quotas", k, "attribute"), f"no participant has the attribute '{quota.attribute}'", quota.attribute
                )
            )
    problems += _vocabulary_problems(instance, seen_tables, seen_people)

    sectors = {p.sector for p in instance.participants if p.sector}
    for sector in instance.sectors.limits:
        if sector not in sectors:
            problems.append(
                ReferenceProblem(("sectors", "limits"), f"sector '{sector}' has no participants (a typo?)", sector)
            )
    return problems


def _vocabulary_problems(instance: Instance, tables: set[str], people: set[str]) -> list[ReferenceProblem]:
    """Table rounds, together groups, pins and earlier seats that do not resolve, or say a thing twice."""
    problems: list[ReferenceProblem] = []

    def rounds_known(loc: tuple[str | int, ...], rounds: list[int]) -> None:
        for round_number in rounds:
            if not 1 <= round_number <= instance.rounds:
                problems.append(ReferenceProblem(loc, f"round {round_number} is outside 1..{instance.rounds}",
                                                 round_number))  # fmt: skip
        for round_number in sorted({r for r in rounds if rounds.count(r) > 1}):
            problems.append(ReferenceProblem(loc, f"round {round_number} is listed twice", round_number))

    def known(loc: tuple[str | int, ...], pid: str | None = None, table: str | None = None) -> None:
        if pid is not None and pid not in people:
            problems.append(ReferenceProblem(loc, f"participant '{pid}' does not exist", pid))
        if table is not None and table not in tables:
            problems.append(ReferenceProblem(loc, f"table '{table}' does not exist", table))

    if not isinstance(instance.tables, TableGrid):
        for k, table in enumerate(instance.tables):
            rounds_known(("tables", k, "rounds"), table.rounds or [])
    grouped: dict[str, int] = {}
    for k, group in enumerate(instance.rules.together):
        for pid in group:
            known(("rules", "together", k), pid)
            if pid in grouped:
                where = "twice in this group" if grouped[pid] == k else f"also in group {grouped[pid] + 1}"
                problems.append(ReferenceProblem(("rules", "together", k), f"participant '{pid}' is {where}", pid))
            grouped[pid] = k
    covered: dict[str, set[int]] = {}  # rounds each participant is already pinned in
    for k, pin in enumerate(instance.rules.pins):
        known(("rules", "pins", k), pin.participant, pin.table)
        rounds_known(("rules", "pins", k, "rounds"), pin.rounds or [])
        rounds = set(range(1, instance.rounds + 1) if pin.rounds is None else pin.rounds)
        twice = sorted(rounds & covered.get(pin.participant, set()))
        if twice:
            message = f"participant '{pin.participant}' is pinned twice in round {twice[0]}"
            problems.append(ReferenceProblem(("rules", "pins", k), message, pin.participant))
        covered.setdefault(pin.participant, set()).update(rounds)
    for k, (pid, table) in enumerate(instance.rules.seated_before):
        known(("rules", "seated_before", k), pid, table)
    return problems
