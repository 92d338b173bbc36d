"""Locked seats: the page's locks become the instance's `rules.pins`, and the engine keeps them.

`pinned` is the one place that sends locks to the engine; the instance's own validation then judges them (an
unknown participant or table, a lock to a closed table) like any pin in a file.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Pin(BaseModel):
    """A locked seat: `participant` sits at `table` in `rounds` (the fields of the instance's `rules.pins`)."""

    model_config = ConfigDict(extra="forbid")

    participant: str = Field(min_length=1, description="Participant id.")
    table: str = Field(min_length=1, description="Table id.")
    rounds: list[int] = Field(min_length=1, description="Rounds (1-based) in which the seat is locked.")


def pinned(data: dict[str, Any], pins: list[Pin]) -> dict[str, Any]:
    """Instance data with `pins` added to its `rules.pins` (the engine, checker and prechecks keep them)."""
    if not pins:
        return data
    rules = dict(data.get("rules") or {})
    rules["pins"] = [*(rules.get("pins") or []), *(pin.model_dump() for pin in pins)]
    return {**data, "rules": rules}
