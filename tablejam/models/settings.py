"""Solver settings: how long and how to search."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SolverSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float = Field(default=30.0, gt=0, description="Wall-clock limit for the whole solve, seconds.")
    workers: int = Field(default=2, ge=1, le=64, description="Parallel search workers.")
    seed: int = Field(default=0, ge=0, le=2**31 - 1, description="Random seed; one worker + same seed = same schedule.")
    cp_sat: dict[str, bool | int | float | str] = Field(
        default_factory=dict,
        description="Raw CP-SAT parameters (escape hatch), e.g. {linearization_level = 2}.",
    )
