"""The schedule document: the JSON contract other programs rely on (format tablejam.schedule/1)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEDULE_FORMAT = "tablejam.schedule/1"

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
# Which proof gave a schedule's bound: counting (seats and each person's best tablemates), cp-sat (CP-SAT's
# search), lp (column generation over table compositions: tables, not only seats).
BoundSource = Literal["counting", "cp-sat", "lp"]
# The same in words, for reports.
BOUND_SOURCE_WORDS: dict[str, str] = {
    "counting": "counting seats and each person's best tablemates",
    "cp-sat": "CP-SAT's search",
    "lp": "the tables' linear program (column generation over table compositions)",
}


class _Document(BaseModel):
    # Readers ignore fields they do not know, so later versions may add fields
    # without breaking older readers of the same format.
    model_config = ConfigDict(extra="ignore")


class TableSeating(_Document):
    table: str = Field(description="Table id.")
    participants: list[str] = Field(description="Ids of the participants seated at this table.")


class RoundSeating(_Document):
    round: int = Field(ge=1, description="Round number, 1-based.")
    tables: list[TableSeating] = Field(description="Every table of the instance, possibly empty.")


class Stats(_Document):
    """Statistics of a schedule, as recomputed by the checker."""

    new_encounters: int = Field(title="new encounters", description="Distinct pairs meeting for the first time.")
    repeat_meetings: int = Field(
        title="repeat meetings", description="Meetings of a pair that had already met (earlier round or met_before)."
    )
    complementary_matches: int = Field(title="complementary matches", description="Sum of c(i,j) over new pairs.")
    cross_sector_encounters: int = Field(
        title="cross-sector encounters", description="New pairs from two different, non-empty sectors."
    )
    min_new_per_participant: int = Field(
        title="fewest new per person",
        description="Fewest new encounters of any participant attending at least one round.",
    )
    max_new_per_participant: int = Field(
        title="most new per person", description="Most new encounters of any participant."
    )
    mean_new_per_participant: float = Field(
        title="mean new per person", description="Mean new encounters per attending participant."
    )
    wishes_granted: int = Field(
        default=0, title="wishes granted", description="Pairs wished together (weight > 0) who share a table."
    )
    wishes_broken: int = Field(
        default=0,
        title="wishes broken",
        description="Meetings (pair and round) of pairs wished apart (weight < 0).",
    )
    meetings: int = Field(title="meetings in all", description="All pair meetings, new or repeat, summed over rounds.")
    objective: float = Field(
        title="objective", description="Objective value of the schedule under the instance's weights."
    )

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Each statistic's name as people read it (its title), in field order."""
        return {name: field.title or name for name, field in cls.model_fields.items()}


class SolverInfo(_Document):
    time_s: float = Field(description="Wall time of the solve in seconds.")
    seed: int = Field(description="Random seed used.")
    workers: int = Field(description="Search workers used.")
    time_limit_s: float | None = Field(default=None, description="Time limit given.")
    engine: str = Field(default="", description="What found the returned schedule.")
    ortools: str = Field(default="", description="OR-Tools version.")
    setting: str | None = Field(
        default=None, description="The objective setting applied to the instance (a preset name or a file)."
    )
    interrupted: bool = Field(default=False, description="Stopped early by a signal (SIGINT or SIGTERM).")
    first_schedule_s: float | None = Field(
        default=None, description="Seconds until the first valid schedule was found (the rest improved it)."
    )
    least_violations: int | None = Field(
        default=None,
        description="Without a valid schedule: the fewest rule violations (e.g. repeats) of any seating the "
        "search reached, as the checker counts them.",
    )
    bound_source: BoundSource | None = Field(
        default=None,
        description="Which proof gave `bound` (the tightest won): counting (seats and each person's best "
        "tablemates), cp-sat (CP-SAT's search), lp (column generation over table compositions). None: no bound.",
    )


class Reason(_Document):
    """One reason why no schedule exists or was found, as data; `message` says it in words."""

    rule: str = Field(
        description="The rule the reason is about (a rule name as the checker reports it: capacity, minimum, "
        "sector-cap, colleagues, keep-apart, repeat, ...), or why a search ended without one: time-limit, "
        "interrupted, violations, compile, unexplained."
    )
    fact: str = Field(
        default="",
        description="Which statement about the rule holds, e.g. 'seats' (more attendees than seats), 'room' (a "
        "sector or company has no room), 'conflict' (part of a set of rules CP-SAT proved cannot hold together).",
    )
    message: str = Field(description="The reason in the instance's own words.")
    source: Literal["precheck", "cp-sat", "search"] = Field(
        description="precheck: found by counting; cp-sat: a set of rule groups CP-SAT proved cannot hold together; "
        "search: why the search ended without a schedule."
    )
    rounds: list[int] = Field(default_factory=list, description="Rounds concerned (1-based).")
    tables: list[str] = Field(default_factory=list, description="Table ids concerned.")
    participants: list[str] = Field(default_factory=list, description="Participant ids concerned.")
    sector: str | None = Field(default=None, description="Sector concerned.")
    company: str | None = Field(default=None, description="Company concerned.")
    attribute: str | None = Field(default=None, description="Quota concerned: the attribute counted.")
    value: str | None = Field(default=None, description="Quota concerned: the attribute value counted.")
    counts: dict[str, float] = Field(
        default_factory=dict,
        description="The figures behind the reason, e.g. {attendees: 10, cap: 1, tables: 8, places: 8}.",
    )


class Move(_Document):
    participant: str = Field(description="Participant id.")
    round: int = Field(ge=1, description="Round (1-based).")
    from_table: str = Field(description="Table in the printed schedule.")
    to_table: str = Field(description="Table in the new schedule.")


class Replanned(_Document):
    """How a schedule was re-planned from a printed one (`tablejam replan`)."""

    after_round: int = Field(ge=0, description="Rounds 1..after_round were kept exactly as printed.")
    absent: list[str] = Field(default_factory=list, description="Participants absent from the next round on.")
    arrived: list[str] = Field(default_factory=list, description="Participants attending from the next round on.")
    moves: list[Move] = Field(default_factory=list, description="Who sits elsewhere than printed, round by round.")
    before: Stats | None = Field(default=None, description="Statistics of the printed schedule, as planned.")


class Schedule(_Document):
    """A solved (or attempted) plan. `rounds` is empty when no schedule was found."""

    format: str = Field(default=SCHEDULE_FORMAT, description="Document format and version.")
    instance: str = Field(default="", description="Name of the instance.")
    status: Status = Field(default="feasible", description="optimal, feasible, infeasible or unknown.")
    objective: float | None = Field(default=None, description="Objective value, null without a schedule.")
    bound: float | None = Field(
        default=None, description="Proven upper bound on the objective: no schedule can score more."
    )
    gap: float | None = Field(
        default=None, description="(bound - objective) / max(1, |bound|): how far from optimal at most."
    )
    rounds: list[RoundSeating] = Field(description="The seating, round by round.")
    stats: Stats | None = Field(default=None, description="Statistics, null without a schedule.")
    solver: SolverInfo | None = Field(default=None, description="How the schedule was found.")
    explanation: list[str] = Field(
        default_factory=list, description="Why no schedule exists (infeasible) or was found (unknown), in words."
    )
    reasons: list[Reason] = Field(
        default_factory=list, description="The same reasons as `explanation`, one each, as data."
    )
    replanned: Replanned | None = Field(
        default=None, description="Set by `tablejam replan`: what changed against the printed schedule."
    )

    def seating(self) -> list[dict[str, list[str]]]:
        """Round index (0-based) -> table id -> participant ids."""
        return [{t.table: list(t.participants) for t in r.tables} for r in self.rounds]


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return max(0.0, bound - objective) / max(1.0, abs(bound))
