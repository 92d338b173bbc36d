"""Base rounds our cyclic search found offline, stored so that run time only develops them.

catalogue.json holds, per g-p, the most rounds found: the shape (Z_n x levels + fixed points, k base
rounds) and the base rounds themselves, nothing else; develop() turns them into a Design. Every entry is
checked by the verifier in the tests, and golfer_design checks what it returns again. Regenerate with
`python -m tablejam.solver.designs.build_catalogue` (its docstring says how long that takes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from tablejam.solver.designs import cyclic
from tablejam.solver.designs.design import Design

FILE = "catalogue.json"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """The base rounds for one g-p, and the rounds they give."""

    groups: int
    size: int
    shape: cyclic.Shape
    bases: tuple[cyclic.BaseRound, ...]  # the base rounds, then one single-group entry per invariant round
    seconds: float  # how long the offline search took to find them

    @property
    def rounds(self) -> int:
        return self.shape.rounds

    def design(self) -> Design:
        return cyclic.design_from(self.shape, self.bases)

    def to_json(self) -> dict[str, Any]:
        return {
            "groups": self.groups,
            "size": self.size,
            "modulus": self.shape.modulus,
            "levels": self.shape.levels,
            "fixed": self.shape.fixed,
            "cycles": list(self.shape.cycles),
            "invariant": self.shape.invariant,
            "seconds": round(self.seconds, 3),
            "base_rounds": [[list(group) for group in base] for base in self.bases],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        bases = tuple(tuple(tuple(group) for group in base) for base in data["base_rounds"])
        invariant = data.get("invariant", 0)
        cycles = tuple(data.get("cycles", ()))
        shape = cyclic.Shape(data["modulus"], data["levels"], data["fixed"], len(bases) - invariant, cycles, invariant)
        return cls(data["groups"], data["size"], shape, bases, data["seconds"])


def parse(text: str) -> dict[tuple[int, int], Entry]:
    """The entries of a catalogue document, by (groups, size)."""
    document = json.loads(text)
    if document.get("format") != FORMAT:
        raise ValueError(f"catalogue format {document.get('format')!r}, {FORMAT} expected")
    entries = (Entry.from_json(item) for item in document["entries"])
    return {(e.groups, e.size): e for e in entries}


def dumps(entries: dict[tuple[int, int], Entry]) -> str:
    """A catalogue document, one entry per line so diffs stay readable."""
    lines = [json.dumps(entries[key].to_json(), separators=(",", ":")) for key in sorted(entries)]
    body = ",\n".join(lines)
    return f'{{"format": {FORMAT}, "entries": [\n{body}\n]}}\n'


@cache
def load() -> dict[tuple[int, int], Entry]:
    """The packaged catalogue (empty when the file is missing)."""
    path = resources.files("tablejam.solver.designs").joinpath(FILE)
    if not path.is_file():
        return {}
    return parse(path.read_text(encoding="utf-8"))


def entry(groups: int, size: int) -> Entry | None:
    """The stored base rounds for g-p, if any."""
    return load().get((groups, size))
