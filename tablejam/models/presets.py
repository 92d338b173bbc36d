"""Objective settings: named presets or TOML/JSON files that say what to optimise, applied on top of an instance."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tablejam.models.instance import Instance, Term, Weight
from tablejam.models.settings import SolveParams, SolverSettings


class _Partial(BaseModel):
    """A part of a setting: only the fields given change anything."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def given(self) -> dict[str, Any]:
        return self.model_dump(include=self.model_fields_set)


class ObjectiveChange(_Partial):
    new: Weight | None = Field(default=None, description="See the instance's objective.new.")
    complementary: Weight | None = Field(default=None, description="See the instance's objective.complementary.")
    cross_sector: Weight | None = Field(default=None, description="See the instance's objective.cross_sector.")
    repeat: Weight | None = Field(default=None, description="See the instance's objective.repeat.")
    fairness: Weight | None = Field(default=None, description="See the instance's objective.fairness.")
    lexicographic: list[Term] | None = Field(default=None, description="See the instance's objective.lexicographic.")


class RulesChange(_Partial):
    repeats: Literal["forbid", "minimise"] | None = Field(default=None, description="The repeat policy.")


class SolverChange(_Partial):
    time_limit: float | None = Field(default=None, gt=0, description="Seconds for the whole solve.")
    workers: int | None = Field(default=None, ge=1, le=64, description="Parallel search workers.")
    seed: int | None = Field(default=None, ge=0, le=2**31 - 1, description="Random seed.")
    cp_sat: dict[str, bool | int | float | str] | None = Field(default=None, description="Raw CP-SAT parameters.")
    params: dict[str, float] | None = Field(
        default=None, description="The engine's tunable parameters to change (see SolveParams), by name."
    )
    max_participants: int | None = Field(default=None, ge=1, description="Largest instance solved, in participants.")
    max_participant_rounds: int | None = Field(
        default=None, ge=1, description="Largest instance solved, in participants x rounds."
    )

    @field_validator("params")
    @classmethod
    def _known_parameters(cls, params: dict[str, float] | None) -> dict[str, float] | None:
        if params is not None:
            SolveParams.model_validate(params)  # unknown names and values out of range fail here, with the file
        return params


class Setting(BaseModel):
    """What to optimise and how to search, applied on top of an instance: a preset or a TOML file.

    Only the fields a setting gives change anything; the instance keeps the rest.
    Command-line options given explicitly win over the setting's `solver` part.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(default="", description="What this setting is for.")
    objective: ObjectiveChange = Field(default_factory=ObjectiveChange, description="Objective weights or order.")
    rules: RulesChange = Field(default_factory=RulesChange, description="The repeat policy.")
    solver: SolverChange = Field(default_factory=SolverChange, description="Solver options.")

    def apply(self, instance: Instance) -> Instance:
        """The instance with this setting's objective and rules; validated again, as a file would be."""
        data = instance.model_dump()
        data["objective"].update(self.objective.given())
        if "lexicographic" not in self.objective.model_fields_set and self.objective.model_fields_set:
            # New weights mean a weighted sum, even where the instance asked for an order.
            data["objective"]["lexicographic"] = None
        data["rules"].update(self.rules.given())
        return Instance.model_validate(data)

    def solver_settings(self, base: SolverSettings) -> SolverSettings:
        """`base` with this setting's solver options; parameters are merged with base's and validated."""
        given = self.solver.given()
        if "params" in given:
            given["params"] = SolveParams.model_validate(base.params.model_dump() | given["params"])
        return base.model_copy(update=given)


def _preset(description: str, **objective: Any) -> Setting:
    return Setting(description=description, objective=ObjectiveChange(**objective))


def _weighted(description: str, complementary: float = 0, cross_sector: float = 0) -> Setting:
    """A weighted-sum preset: first meetings count 1 and repeats cost 10; it names every weight,
    so the result does not depend on the instance's own weights."""
    return _preset(description, new=1, complementary=complementary, cross_sector=cross_sector, repeat=10, fairness=0)


PRESETS: dict[str, Setting] = {
    "max-new": _weighted("As many first meetings as possible; nothing else counts."),
    "complementary": _weighted(
        "First meetings, and above all between people where one offers what the other needs.", complementary=5
    ),
    "cross-sector": _weighted("First meetings, preferably across sectors.", cross_sector=2),
    "fair": _preset(
        "Nobody left behind: first the most new people for whoever meets the fewest, then the most first meetings.",
        lexicographic=["fairness", "new"],
    ),
}
