"""Solver settings: how long and how to search, and the engine's tunable parameters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tablejam.errors import InputError
from tablejam.models.schedule import Schedule

# What a solve takes on by default. The local search keeps a few bytes per pair of participants
# (n x n arrays, per walk: about 4 GiB at 20,000 people with two walks), and the greedy start, the
# search and the document grow with the seats to fill, participants x rounds.
MAX_PARTICIPANTS = 20_000
MAX_PARTICIPANT_ROUNDS = 400_000  # e.g. 20,000 people over 20 rounds, or 1,000 over 400


class SolveParams(BaseModel):
    """How the engine shares its time between its phases, and what it takes to be small enough.

    Defaults were measured on 2 cores (see benchmarks/RESULTS.md); a settings file may change them
    under [solver.params] to study their effect."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    local_search_share: float = Field(
        default=0.25, gt=0, le=1, description="Share of the time left for the first local search, where CP-SAT follows."
    )
    local_search_share_alone: float = Field(
        default=0.2,
        gt=0,
        le=1,
        description="Share of the time left for the first local search where the full CP-SAT model is too large.",
    )
    design_search_s: float = Field(
        default=2.0,
        ge=0,
        description="Longest search for a design to lay over an event whose start breaks rules or repeats meetings "
        "(formulas and the catalogue answer at once; one worker: those only).",
    )
    design_least_s: float = Field(
        default=0.5,
        ge=0,
        description="Seconds left below which no design is laid over the event (a valid start first).",
    )
    relabel_share: float = Field(
        default=0.1, ge=0, le=1, description="Share of the time left for trading the points of a design's labels."
    )
    local_search_patience: int = Field(
        default=2000,
        ge=1,
        description="Iterations without a better seating, per participant and round, before local search hands "
        "over to CP-SAT.",
    )
    local_search_restart: int = Field(
        default=2,
        ge=0,
        description="Iterations without a better seating, per participant and round, after which a search that "
        "has seen no valid seating starts again from a new greedy start (0: never).",
    )
    cp_sat_probe_s: float = Field(
        default=2.0, ge=0, description="Shortest first full CP-SAT run, proving small instances at once."
    )
    cp_sat_probe_share: float = Field(
        default=0.1, ge=0, le=1, description="Share of the time limit for the first full CP-SAT run, if longer."
    )
    cp_sat_max_size: int = Field(
        default=600_000,
        ge=0,
        description="Largest full CP-SAT model, in pairs x rounds x tables (about 2 clauses each); beyond it, "
        "CP-SAT only re-seats neighbourhoods.",
    )
    lns_share_improving: float = Field(
        default=0.5, gt=0, le=1, description="Share of the time left for neighbourhoods improving a valid schedule."
    )
    lns_share_repairing: float = Field(
        default=0.1, gt=0, le=1, description="Share of the time left for neighbourhoods repairing broken rules."
    )
    lns_share_least: float = Field(
        default=0.1, gt=0, le=1, description="A turn of neighbourhoods that improves nothing halves its share, to this."
    )
    lns_step_s: float = Field(default=2.0, gt=0, description="Longest CP-SAT call on one neighbourhood, seconds.")
    local_search_share_between: float = Field(
        default=0.5, gt=0, le=1, description="Share of the time left for local search between turns of neighbourhoods."
    )
    evaluations_per_s: int = Field(
        default=1_500_000,
        ge=1,
        description="Local-search move evaluations standing for a second with one worker (a work budget that "
        "makes runs reproducible): about half the rate measured on the CI machine.",
    )
    trades_per_s: int = Field(
        default=50_000,
        ge=1,
        description="Trades of a design's points standing for a second with one worker: about half the rate "
        "measured on the Business Jam (107,000 a second over 4 rounds).",
    )
    deterministic_time_per_s: float = Field(
        default=0.5, gt=0, description="CP-SAT deterministic time standing for a second with one worker."
    )
    compile_s: float = Field(
        default=20, ge=0, description="Upper estimate of compiling the local search on first use, seconds."
    )
    lp_bound_share: float = Field(
        default=0.15,
        ge=0,
        le=1,
        description="Share of the time left, once a valid schedule is found, for the table-aware bound (column "
        "generation over table compositions; 0: counting and CP-SAT bounds only).",
    )
    lp_bound_least_s: float = Field(
        default=1.0, ge=0, description="Seconds the table-aware bound must get to run at all (below: not started)."
    )
    lp_bound_max_people: int = Field(
        default=120,
        ge=0,
        description="Largest event for the table-aware bound: beyond it the column generation does not beat the "
        "counting bound within a minute (event-150: Lagrangian bound 46,000 against counting 33,037 after 60 s).",
    )
    lp_iterations_per_s: float = Field(
        default=1.0,
        gt=0,
        description="Column generation iterations standing for a second with one worker (a work budget that makes "
        "the bound reproducible): about the rate measured on the Business Jam.",
    )
    finish_margin_s: float = Field(
        default=0.2, ge=0, description="Kept back from the time limit to check and write the schedule, seconds."
    )
    finish_margin_per_person_s: float = Field(
        default=0.00015,
        ge=0,
        description="Kept back besides, per participant: the checker judges the final schedule (0.5 s at 5,000).",
    )


class SolverSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float = Field(default=30.0, gt=0, description="Wall-clock limit for the whole solve, seconds.")
    workers: int = Field(default=2, ge=1, le=64, description="Parallel search workers.")
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="Random seed; one worker + same seed = same schedule.")
    cp_sat: dict[str, bool | int | float | str] = Field(
        default_factory=dict,
        description="Raw CP-SAT parameters (escape hatch), e.g. {linearization_level = 2}.",
    )
    params: SolveParams = Field(default_factory=SolveParams, description="The engine's tunable parameters.")
    start: Schedule | None = Field(
        default=None,
        description="A plan to start from (e.g. a schedule edited by hand): its seats that fit the instance are "
        "kept, the rest repaired; a valid plan comes back no worse.",
    )
    max_participants: int = Field(
        default=MAX_PARTICIPANTS,
        ge=1,
        description="Larger instances are refused before anything is built (bad input, exit 2) rather than "
        "exhausting memory.",
    )
    max_participant_rounds: int = Field(
        default=MAX_PARTICIPANT_ROUNDS,
        ge=1,
        description="Participants x rounds beyond which an instance is refused before anything is built.",
    )

    def admit(self, participants: int, rounds: int) -> None:
        """Refuse, with the numbers, an instance too large for these limits: before building anything."""
        if participants > self.max_participants:
            raise InputError(
                f"{participants:,} participants is more than the limit of {self.max_participants:,} "
                "(raise it with --max-participants or solver.max_participants if the machine has the memory)",
                "participants",
            )
        if participants * rounds > self.max_participant_rounds:
            raise InputError(
                f"{participants:,} participants x {rounds:,} rounds = {participants * rounds:,} seats to fill, "
                f"more than the limit of {self.max_participant_rounds:,} (solver.max_participant_rounds)",
                "rounds",
            )
