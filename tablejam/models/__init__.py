"""Pydantic models of the instance, the schedule and the solver settings (no solver imports here)."""

from tablejam.models.instance import (
    Instance,
    ObjectiveWeights,
    Participant,
    Rules,
    SectorRules,
    Table,
    TableGrid,
    complementarity,
    cross_sector,
)
from tablejam.models.schedule import SCHEDULE_FORMAT, RoundSeating, Schedule, SolverInfo, Stats, TableSeating
from tablejam.models.settings import SolverSettings

__all__ = [
    "SCHEDULE_FORMAT",
    "Instance",
    "ObjectiveWeights",
    "Participant",
    "RoundSeating",
    "Rules",
    "Schedule",
    "SectorRules",
    "SolverInfo",
    "SolverSettings",
    "Stats",
    "Table",
    "TableGrid",
    "TableSeating",
    "complementarity",
    "cross_sector",
]
