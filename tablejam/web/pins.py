"""Locked seats: the page's locks become the instance's `rules.pins` (issue 12), and the engine keeps them.

PINS: `pinned` is the one place that sends locks to the engine. Until `rules.pins` exists in
`tablejam/models/instance.py`, `pins_supported()` is False, the page says that re-solving keeps no locks yet, and
a request with locks is refused with a clear message; once the field lands (with the entries
`{participant, table, rounds}` issue 12 names), everything here works unchanged.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tablejam.errors import InputError
from tablejam.models.instance import Rules


class Pin(BaseModel):
    """A locked seat: `participant` sits at `table` in `rounds` (issue 12's field names)."""

    model_config = ConfigDict(extra="forbid")

    participant: str = Field(min_length=1, description="Participant id.")
    table: str = Field(min_length=1, description="Table id.")
    rounds: list[int] = Field(min_length=1, description="Rounds (1-based) in which the seat is locked.")


def pins_supported() -> bool:
    """Whether this version's instance model has `rules.pins`."""
    return "pins" in Rules.model_fields


def pinned(data: dict[str, Any], pins: list[Pin], where: str = "pins") -> dict[str, Any]:
    """PINS: instance data with `pins` added to its `rules.pins` (the engine, checker and prechecks keep them)."""
    if not pins:
        return data
    if not pins_supported():
        raise InputError(
            "locking seats needs the instance field rules.pins, which this version of tablejam does not have yet "
            "(issue 12); re-solve without locks, or move people by hand",
            where,
        )
    rules = dict(data.get("rules") or {})
    rules["pins"] = [*(rules.get("pins") or []), *(pin.model_dump() for pin in pins)]
    return {**data, "rules": rules}
