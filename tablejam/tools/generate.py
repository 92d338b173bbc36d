"""Instance generators: social golfer problems and realistic events, for tests and benchmarks."""

from __future__ import annotations

import random
from typing import Any

from tablejam.models.instance import Instance

SECTORS = [
    "fintech", "health", "food", "energy", "retail", "manufacturing", "media", "education",
    "mobility", "real estate", "tourism", "logistics",
]  # fmt: skip
TAGS = [
    "funding", "marketing", "legal advice", "software development", "distribution", "manufacturing capacity",
    "mentoring", "export know-how", "design", "sales channels", "data analytics", "hiring", "office space",
    "pilot customers", "tax advice", "supply chain", "public grants", "translation",
]  # fmt: skip


def golfer(
    groups: int, size: int, weeks: int, repeats: str = "forbid", hosts: int = 0, revisit_tables: str = "allow"
) -> Instance:
    """The social golfer problem g-p-w: g tables of exactly p for w rounds, no pair meeting twice (or, with
    repeats = "minimise", as few repeats as possible). With `hosts`, the first golfers host tables T1, T2, ...;
    with revisit_tables = "forbid", nobody plays at one table twice (themed tables, stations)."""
    participants: list[dict[str, Any]] = [{"id": f"g{k + 1}"} for k in range(groups * size)]
    for k in range(min(hosts, groups)):
        participants[k]["host"] = f"T{k + 1}"
    label = f"golfer {groups}-{size}-{weeks}" + (f", {hosts} hosts" if hosts else "") + (
        ", repeats minimised" if repeats == "minimise" else "") + (
        ", no table twice" if revisit_tables == "forbid" else "")  # fmt: skip
    return Instance(
        name=label,
        rounds=weeks,
        tables={"count": groups, "capacity": size, "min": size},
        participants=participants,
        rules={"repeats": repeats, "revisit_tables": revisit_tables},
        objective={"new": 1, "complementary": 0},
    )


def business_event(
    people: int,
    tables: int,
    capacity: int,
    rounds: int,
    seed: int = 0,
    sector_cap: int | None = 2,
    hosts: int = 0,
    absent_share: float = 0.0,
    colleague_groups: int = 0,
) -> Instance:
    """A realistic event: sectors, offers and needs, some hosts, absences and colleagues.

    Sectors are drawn unevenly (a few large ones), as at real events; hosts are
    spread over the first tables; about `absent_share` of the participants miss
    one round. Table minimums are set so tables stay balanced.
    """
    rng = random.Random(seed)
    # A capped sector fills at most 3/4 of its places, so the caps leave room to plan.
    room = max(1, int(0.75 * sector_cap * tables)) if sector_cap else people
    sectors = SECTORS[: min(len(SECTORS), max(2, people // 12, -(-people // room)))]
    weights = [1.0 / (k + 1) ** 0.5 for k in range(len(sectors))]
    size = dict.fromkeys(sectors, 0)
    participants: list[dict[str, Any]] = []
    for k in range(people):
        offers = rng.sample(TAGS, 2)
        needs = rng.sample([tag for tag in TAGS if tag not in offers], 2)
        open_sectors = [s for s in sectors if size[s] < room] or sectors
        sector = rng.choices(open_sectors, [weights[sectors.index(s)] for s in open_sectors])[0]
        size[sector] += 1
        person: dict[str, Any] = {
            "id": f"p{k + 1:0{len(str(people))}d}",
            "sector": sector,
            "offers": offers,
            "needs": needs,
        }
        participants.append(person)
    for k in range(min(hosts, tables, people)):
        participants[k]["host"] = f"T{k + 1}"
    movable = participants[hosts:]
    for person in rng.sample(movable, int(absent_share * len(movable))):
        person["absent"] = [rng.randint(1, rounds)]
    for group in range(colleague_groups):
        for person in rng.sample(movable, 2):
            person.setdefault("company", f"Company {group + 1}")
    fewest_attending = min(people - sum(r + 1 in p.get("absent", []) for p in participants) for r in range(rounds))
    minimum = max(0, min(capacity, fewest_attending // tables))
    return Instance(
        name=f"event {people} people, {tables}x{capacity}, {rounds} rounds (seed {seed})",
        rounds=rounds,
        tables={"count": tables, "capacity": capacity, "min": minimum},
        participants=participants,
        sectors={"max_per_table": sector_cap} if sector_cap else {},
        objective={"new": 10, "complementary": 3, "cross_sector": 1},
    )
