"""Reasons as data, and the words for them.

A reason is a rule (or why a search ended), a `fact` saying which statement about it holds, and the
figures behind it: rounds, tables, participants, sector, company and counts. Its message is rendered
from those fields alone, so a reason can change its data (re-planning renumbers rounds) and say
it again in the right words; nothing ever edits the text.
"""

from __future__ import annotations

from typing import Any, Literal

from tablejam.models.rules import Ending, Rule
from tablejam.models.schedule import Reason

Source = Literal["precheck", "cp-sat", "search"]

# (rule, fact) -> the message. Fields: round/round2 (rounds[0], rounds[1]), table, a/b (the first two
# participants), who (all participants), sector, company, and every count by name, with count_s ('' for 1,
# else 's') and count_are ('is' for 1, else 'are') to agree with it.
WORDS: dict[tuple[str, str], str] = {
    (
        Rule.CAPACITY,
        "seats",
    ): "round {round} has {attendees} attendees but only {seats} seat{seats_s} at {tables} table{tables_s}",
    (Rule.CAPACITY, "hosts"): "round {round}: table '{table}' has {hosts} hosts ({who}) but capacity {capacity}",
    (Rule.CAPACITY, "conflict"): "table '{table}' seats at most {capacity} in every round",
    (Rule.MINIMUM, "seats"): "round {round} has {attendees} attendees but the table minimums add up to {minimums}",
    (Rule.MINIMUM, "conflict"): "table '{table}' seats at least {min} in every round",
    (Rule.SECTOR_CAP, "room"): "sector '{sector}' has {attendees} attendees in round {round} but at most {cap} "
    "per table and {tables} table{tables_s} ({places} place{places_s})",
    (Rule.SECTOR_CAP, "hosts"): "round {round}: table '{table}' is hosted by {hosts} participants of sector "
    "'{sector}' ({who}) but the cap is {cap}",
    (Rule.SECTOR_CAP, "conflict"): "at most {cap} of sector '{sector}' per table",
    (Rule.QUOTA, "room"): "{attendees} attendee{attendees_s} with {attribute} = '{value}' in round {round} but at "
    "most {max} per table and {tables} table{tables_s} ({places} place{places_s})",
    (Rule.QUOTA, "short"): "round {round} needs at least {min} with {attribute} = '{value}' at each of at least "
    "{occupied} occupied table{occupied_s} ({needed} in all), but there {attendees_are} only {attendees}",
    (Rule.QUOTA, "conflict"): "at least {min} with {attribute} = '{value}' at every occupied table (quotas)",
    (Rule.QUOTA, "conflict-max"): "at most {max} with {attribute} = '{value}' at every table (quotas)",
    (Rule.COLLEAGUES, "room"): "company '{company}' has {attendees} attendees in round {round} who must sit apart, "
    "but there {tables_are} only {tables} table{tables_s}",
    (Rule.COLLEAGUES, "hosts"): "{a} and {b} both host table '{table}' in round {round} but must be kept apart",
    (Rule.COLLEAGUES, "conflict"): "{a} and {b} never share a table (colleagues at '{company}')",
    (Rule.KEEP_APART, "hosts"): "{a} and {b} both host table '{table}' in round {round} but must be kept apart",
    (Rule.KEEP_APART, "conflict"): "{a} and {b} never share a table (rules.keep_apart)",
    (Rule.REPEAT, "spread"): "{attendees} people attend rounds {round} and {round2}, so some table in round {round2} "
    "seats at least {crowd} of them, who must come from {crowd} different tables of round {round}, but there "
    "{tables_are} only {tables} table{tables_s}",
    (Rule.REPEAT, "meetings"): "the rounds seat at least {meetings} pair{meetings_s} together (everyone seated, "
    "each table at least its minimum), but only {pairs} pair{pairs_s} of participants exist that have not met "
    "before: at least {repeats} meeting{repeats_s} must repeat",
    (Rule.REPEAT, "hosts-met-before"): "{a} and {b} both host table '{table}' in round {round} but met before and "
    "repeats are forbidden",
    (Rule.REPEAT, "hosts-meet-twice"): "{a} and {b} both host table '{table}' in rounds {round} and {round2}: they "
    "meet twice but repeats are forbidden",
    (Rule.REPEAT, "conflict"): "no pair meets twice (rules.repeats = 'forbid')",
    (Rule.REPEAT, "met-before"): "{a} and {b} never share a table (they met before and repeats are forbidden)",
    # The vocabulary of issue 12.
    (Rule.TABLE_CLOSED, "pin"): "{a} is pinned to table '{table}' in round {round}, when it is closed",
    (Rule.TABLE_CLOSED, "host"): "{a} hosts table '{table}', which is closed in round {round}",
    (Rule.TABLE_CLOSED, "conflict"): "table '{table}' seats nobody outside rounds {round_list} (tables.rounds)",
    (Rule.TOGETHER, "apart"): "{a} and {b} must sit together but are kept apart (rules.keep_apart)",
    (Rule.TOGETHER, "colleagues"): "{a} and {b} must sit together but are colleagues at '{company}', kept apart",
    (Rule.TOGETHER, "size"): "round {round}: the together group {who} has {members} members attending but the "
    "largest open table seats {largest}",
    (Rule.TOGETHER, "fixed"): "{a} and {b} must sit together but their pins or host tables part them in round {round}",
    (Rule.TOGETHER, "conflict"): "{a} and {b} share a table in every round both attend (rules.together)",
    (Rule.REVISIT, "tables"): "{a} attends {attended} round{attended_s} but can sit at a different table in at "
    "most {tables} of them (open tables, pins and earlier seats), and rules.revisit_tables = 'forbid'",
    (Rule.REVISIT, "spread"): "{attendees} people attend rounds {round} and {round2}, but with no repeats and no "
    "table twice a table of round {round2} seats at most one person from each other table of round {round}: "
    "{places} place{places_s} in all",
    (Rule.REVISIT, "conflict"): "{a} never sits at one table twice (rules.revisit_tables = 'forbid')",
    (Rule.PIN, "full"): "round {round}: {pinned} participant{pinned_s} ({who}) must sit at table '{table}' "
    "(pins and hosts) but its capacity is {capacity}",
    (Rule.PIN, "host"): "{a} hosts a table but is pinned to table '{table}' in round {round}",
    (Rule.PIN, "conflict"): "{a} sits at table '{table}' in round{round_list_s} {round_list} (rules.pins)",
    (Ending.UNEXPLAINED, "cp-sat"): "CP-SAT proved that no schedule satisfies every rule together; no single "
    "counting argument shows which rules conflict",
    (Ending.TIME_LIMIT, "search"): "no schedule found within the time limit of {time_limit_s} s",
    (Ending.INTERRUPTED, "search"): "interrupted before a valid schedule was found",
    (Ending.VIOLATIONS, "search"): "the best seating reached still broke {violations} rule(s) (see `validate`)",
    (Ending.COMPILE, "search"): "the local search was still being compiled (once per installation, about 10 s); "
    "run `tablejam warmup` once to have it from the first second",
}


def reason(rule: Rule | Ending, fact: str, source: Source, **data: Any) -> Reason:
    """A reason with its message said from its data (see WORDS for the facts known)."""
    fields = {"rule": str(rule), "fact": fact, "source": source, **data}
    return Reason(message=_words(fields), **fields)


def said_again(original: Reason, **changes: Any) -> Reason:
    """The reason with some of its data changed, and its message said anew from the result."""
    fields = original.model_dump(exclude={"message"}) | changes
    return Reason(message=_words(fields), **fields)


def _words(fields: dict[str, Any]) -> str:
    template = WORDS[(fields["rule"], fields["fact"])]
    rounds = fields.get("rounds") or []
    participants = fields.get("participants") or []
    values = {
        "round": rounds[0] if rounds else None,
        "round2": rounds[1] if len(rounds) > 1 else None,
        "table": (fields.get("tables") or [None])[0],
        "a": participants[0] if participants else None,
        "b": participants[1] if len(participants) > 1 else None,
        "who": ", ".join(participants),
        "sector": fields.get("sector"),
        "company": fields.get("company"),
        "attribute": fields.get("attribute"),
        "value": fields.get("value"),
        "round_list": ", ".join(map(str, rounds)),
        "round_list_s": "" if len(rounds) == 1 else "s",
    }
    for name, value in (fields.get("counts") or {}).items():
        values[name] = _number(value)
        values[f"{name}_s"] = "" if value == 1 else "s"
        values[f"{name}_are"] = "is" if value == 1 else "are"
    return template.format(**values)


def _number(value: float) -> int | str:
    """Counts are stored as numbers; whole ones are said without '.0'."""
    return int(value) if float(value).is_integer() else f"{value:g}"
