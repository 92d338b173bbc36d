"""The rules a schedule can break, each with one name, and which parts of tablejam must know each.

This is the one place to start when adding a rule. Every part listed in a rule's `parts` keeps its
own table of what it does for each rule (the checker's checks, the prechecks' counting arguments,
the CP-SAT model's constraint methods, the local search's encodings, the explanation's words), and
`tests/test_rules.py` fails while any listed part has no entry for the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeVar


class Rule(StrEnum):
    """A rule by its one name: the checker reports it, reasons carry it, the engine enforces it."""

    # What makes a seating a seating at all: only a schedule document can break these.
    ROUND_MISSING = "round-missing"
    ROUND_UNKNOWN = "round-unknown"
    TABLE_UNKNOWN = "table-unknown"
    PARTICIPANT_UNKNOWN = "participant-unknown"
    SEATED_TWICE = "seated-twice"
    NOT_SEATED = "not-seated"
    ABSENT_SEATED = "absent-seated"
    # The instance's rules.
    CAPACITY = "capacity"
    MINIMUM = "minimum"
    HOST_AWAY = "host-away"
    SECTOR_CAP = "sector-cap"
    COLLEAGUES = "colleagues"
    KEEP_APART = "keep-apart"
    REPEAT = "repeat"
    # Issue 12: attribute quotas (hard) and pair wishes (soft: objective only, the checker scores them).
    QUOTA = "quota"
    WISH = "wish"
    # The vocabulary organisers ask for (issue 12).
    TABLE_CLOSED = "table-closed"
    TOGETHER = "together"
    REVISIT = "revisit"
    PIN = "pin"
    # What a schedule says about itself.
    STATS_MISMATCH = "stats-mismatch"


class Ending(StrEnum):
    """Why a search ended without a schedule, when no rule is to blame (a reason's `rule` field)."""

    TIME_LIMIT = "time-limit"
    INTERRUPTED = "interrupted"
    VIOLATIONS = "violations"
    COMPILE = "compile"
    UNEXPLAINED = "unexplained"


Part = Literal["checker", "precheck", "cp-sat", "local-search", "explanation"]

# Every instance rule is checked, modelled in CP-SAT and kept by the local search.
ENGINE: frozenset[Part] = frozenset({"checker", "cp-sat", "local-search"})
CHECKER: frozenset[Part] = frozenset({"checker"})


@dataclass(frozen=True)
class RuleInfo:
    summary: str  # what the rule demands, in a line
    parts: frozenset[Part]  # the parts that must know the rule
    field: str | None = None  # where the instance file states it (for the schema), if it does


RULES: dict[Rule, RuleInfo] = {
    Rule.ROUND_MISSING: RuleInfo("every round of the instance has a seating", CHECKER),
    Rule.ROUND_UNKNOWN: RuleInfo("seatings are only given for rounds 1..rounds, once each", CHECKER),
    Rule.TABLE_UNKNOWN: RuleInfo("participants sit only at tables of the instance", CHECKER),
    Rule.PARTICIPANT_UNKNOWN: RuleInfo("only participants of the instance are seated", CHECKER),
    Rule.SEATED_TWICE: RuleInfo("nobody sits at two tables (or twice) in one round", CHECKER),
    Rule.NOT_SEATED: RuleInfo("every attending participant is seated in every round they attend", CHECKER),
    Rule.ABSENT_SEATED: RuleInfo("a participant is not seated in a round they are absent from", CHECKER, "absent"),
    Rule.CAPACITY: RuleInfo(
        "no table holds more participants than its capacity", ENGINE | {"precheck", "explanation"}, "tables"
    ),
    Rule.MINIMUM: RuleInfo("every table holds at least its minimum", ENGINE | {"precheck", "explanation"}, "tables"),
    Rule.HOST_AWAY: RuleInfo("a host sits at their own table in every round they attend", ENGINE, "host"),
    Rule.SECTOR_CAP: RuleInfo(
        "no table holds more participants of one sector than the cap", ENGINE | {"precheck", "explanation"}, "sectors"
    ),
    Rule.COLLEAGUES: RuleInfo(
        "colleagues (same company) do not share a table when rules.colleagues = 'apart'",
        ENGINE | {"precheck", "explanation"},
        "rules.colleagues",
    ),
    Rule.KEEP_APART: RuleInfo(
        "pairs in rules.keep_apart never share a table", ENGINE | {"precheck", "explanation"}, "rules.keep_apart"
    ),
    Rule.REPEAT: RuleInfo(
        "no pair meets twice (counting met_before) when rules.repeats = 'forbid'",
        ENGINE | {"precheck", "explanation"},
        "rules.repeats",
    ),
    Rule.QUOTA: RuleInfo(
        "every occupied table seats between a quota's min and max of participants with its attribute value",
        ENGINE | {"precheck", "explanation"},
        "quotas",
    ),
    Rule.WISH: RuleInfo(
        "wished pairs are seated together (weight > 0) or apart (weight < 0) as the objective weighs it; soft, "
        "so never a violation (the checker scores it in the statistics)",
        frozenset({"cp-sat", "local-search"}),
        "rules.wishes",
    ),
    # The vocabulary organisers ask for (issue 12): every part knows each.
    Rule.TABLE_CLOSED: RuleInfo(
        "a table seats nobody in a round outside its `rounds`", ENGINE | {"precheck", "explanation"}, "tables.rounds"
    ),
    Rule.TOGETHER: RuleInfo(
        "a together group shares a table in every round its members attend together",
        ENGINE | {"precheck", "explanation"},
        "rules.together",
    ),
    Rule.REVISIT: RuleInfo(
        "nobody but a host sits at one table twice when rules.revisit_tables = 'forbid'",
        ENGINE | {"precheck", "explanation"},
        "rules.revisit_tables",
    ),
    Rule.PIN: RuleInfo(
        "a pinned participant sits at the pin's table in the pin's rounds they attend",
        ENGINE | {"precheck", "explanation"},
        "rules.pins",
    ),
    Rule.STATS_MISMATCH: RuleInfo(
        "the statistics and objective stated in the schedule are the recomputed ones", CHECKER
    ),
}


def rules_of(part: Part) -> set[Rule]:
    """The rules `part` must know."""
    return {rule for rule, info in RULES.items() if part in info.parts}


Handler = TypeVar("Handler")


def registrar(table: dict[Rule, Handler]) -> Callable[..., Callable[[Handler], Handler]]:
    """How a part fills its table of handlers: `handles = registrar(TABLE)`, then `@handles(Rule.X, ...)` on the
    function that handles those rules."""

    def handles(*rules: Rule) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for rule in rules:
                table[rule] = handler
            return handler

        return register

    return handles
