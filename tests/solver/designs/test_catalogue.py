"""The stored base rounds: every entry develops into a verified design, better than the formulas give."""

from __future__ import annotations

import pytest

from tablejam.solver.designs import catalogue, cyclic
from tablejam.solver.designs.build_catalogue import formula_rounds
from tablejam.solver.designs.design import design_violations

ENTRIES = sorted(catalogue.load().values(), key=lambda e: (e.groups, e.size))


def test_the_catalogue_covers_the_cyclic_anchors() -> None:
    # ANCHORS.md: reached by base rounds, not by any formula here.
    for groups, size, rounds in [(5, 3, 7), (6, 3, 8), (6, 4, 7), (6, 5, 6), (8, 3, 11), (10, 3, 14), (12, 5, 6)]:
        entry = catalogue.entry(groups, size)
        assert entry is not None and entry.rounds >= rounds, f"{groups}-{size}"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.groups}-{e.size}-{e.rounds}")
def test_every_entry_is_a_design(entry: catalogue.Entry) -> None:
    assert cyclic.fits(entry.shape, entry.groups, entry.size)
    assert design_violations(entry.design().rounds, entry.groups, entry.size, entry.rounds) == []
    # An entry no better than the formulas would be dead weight.
    assert entry.rounds > formula_rounds(entry.groups, entry.size)


def test_documents_round_trip_and_wrong_formats_are_refused() -> None:
    entries = catalogue.load()
    assert catalogue.parse(catalogue.dumps(entries)) == entries
    with pytest.raises(ValueError, match="format"):
        catalogue.parse('{"format": 99, "entries": []}')
