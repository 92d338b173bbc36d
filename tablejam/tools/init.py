"""A first instance file for a participant spreadsheet, commented so that a newcomer can edit it.

`tablejam init` writes it: identical tables, the defaults of every rule and weight spelled out,
sector caps suggested but commented out, and `participants` naming the spreadsheet, so that
`tablejam solve` works on the file unchanged and every later edit of the sheet is picked up.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tablejam.diagnostics.counting import balanced_sizes
from tablejam.errors import InputError
from tablejam.files import parse_model
from tablejam.files.spreadsheet import read_participant_sheet
from tablejam.models.instance import Instance, ObjectiveWeights, Rules
from tablejam.reports.text import describe_sizes


@dataclass(frozen=True)
class Starter:
    instance: Instance  # what the file holds, with the spreadsheet's rows in place of its path
    text: str  # the TOML file


def starter(
    people: str | os.PathLike[str],
    *,
    tables: int,
    seats: int,
    rounds: int,
    min_seated: int | None = None,
    name: str | None = None,
    folder: Path | None = None,
) -> Starter:
    """The instance file for `people` at `tables` tables of `seats` seats over `rounds` rounds.

    `folder` is where the file will be (the spreadsheet path in it is relative to that folder);
    `min_seated` defaults to the smallest table of an even seating of the least attended round."""
    people_path = Path(people)
    sheet = read_participant_sheet(people_path)
    attendance = [sum(1 for p in sheet.rows if r not in p.get("absent", [])) for r in range(1, rounds + 1)]
    _check_seats(attendance, tables, seats)
    least = min(range(rounds), key=lambda r: attendance[r])
    even = balanced_sizes(attendance[least], [(0, seats)] * tables)
    assert even is not None  # _check_seats made room for everyone, and no table has a minimum yet
    if min_seated is None:
        min_seated = min(even)
    _check_minimum(attendance, tables, seats, min_seated)
    name = name if name is not None else people_path.stem.replace("-", " ").replace("_", " ")
    data = {
        "name": name,
        "rounds": rounds,
        "tables": {"count": tables, "capacity": seats, "min": min_seated},
        "participants": sheet.rows,
    }
    instance = parse_model(Instance, data, str(people_path), locate=sheet.locate_field)
    relative = Path(os.path.relpath(people_path.resolve(), (folder or Path()).resolve())).as_posix()
    return Starter(instance, _toml(instance, relative, attendance, even))


def _check_seats(attendance: list[int], tables: int, seats: int) -> None:
    most = max(attendance)
    if most > tables * seats:
        busiest = attendance.index(most) + 1
        raise InputError(
            f"{most} people attend round {busiest} but {tables} tables of {seats} seat only {tables * seats}: "
            f"use --tables {-(-most // seats)} or --seats {-(-most // tables)}",
            "--tables/--seats",
        )


def _check_minimum(attendance: list[int], tables: int, seats: int, min_seated: int) -> None:
    if min_seated > seats:
        raise InputError(f"{min_seated} is more than the {seats} seats of a table", "--min")
    fewest = min(attendance)
    if fewest < tables * min_seated:
        raise InputError(
            f"round {attendance.index(fewest) + 1} has {fewest} attendees, fewer than {tables} tables x {min_seated}: "
            f"use --min {fewest // tables} or less",
            "--min",
        )


def _toml(instance: Instance, relative: str, attendance: list[int], even: list[int]) -> str:
    table, count = instance.table_list[0], len(instance.table_list)  # identical tables
    ids = [p.id for p in instance.participants]
    example_pair = json.dumps(ids[:2] if len(ids) > 1 else ["p002", "p003"])
    weights = ObjectiveWeights()
    rules = Rules()
    lines = [
        "# A tablejam event. Check it with `tablejam validate FILE`, plan it with `tablejam solve FILE`.",
        '# Every setting is explained in tablejam\'s README, section "The instance file".',
        f"name = {_string(instance.name)}",
        f"rounds = {instance.rounds}",
        "",
        "# One row per participant in this spreadsheet (the path is relative to this file's folder).",
        "# Columns: id, name, sector, company, offers, needs, absent (round numbers), host (a table id);",
        "# lists separated by ';'; other columns are kept. Edit the sheet, not this file, to change who comes.",
        f"# {len(ids)} participants; attending per round: {', '.join(map(str, attendance))}.",
        *_attribute_lines(instance),
        f"participants = {_string(relative)}",
        "",
        _setting("[tables]", 'or a list: [[tables]] id = "Window", capacity = 5, min = 3'),
        _setting(f"count = {count}", f"ids T1..T{count}: the host column names one of them"),
        _setting(f"capacity = {table.capacity}", "seats per table"),
        "# Fewest at a table in every round: uneven attendance leaves some tables a seat short, never",
        f"# one nearly empty. The least attended round ({min(attendance)} people) sits evenly as",
        f"# {describe_sizes(even)}. A lower min gives the search more freedom; 0 lets a table stay empty.",
        f"min = {table.min}",
        _setting("# rounds = [1, 2]", "a table of a [[tables]] list opens only in these rounds (default: all)"),
        "",
        "[sectors]",
        "# At most this many of one sector at one table in one round; uncomment to use.",
        *_sector_lines(instance),
        "",
        "[rules]",
        _setting(
            f"repeats = {_string(rules.repeats)}", 'no pair meets twice; "minimise": each repeat costs objective.repeat'
        ),
        _setting(
            f"colleagues = {_string(rules.colleagues)}", 'the same non-empty company never share a table; or "allow"'
        ),
        _setting("keep_apart = []", f"pairs of ids never seated together, e.g. [{example_pair}]"),
        _setting("met_before = []", "pairs who have met: meeting again is a repeat"),
        '# Schedules of earlier events (JSON, relative to this file), e.g. ["2026-09-jam.json"]: whoever',
        "# shared a table there has met. This needs a person to keep the same id from event to event.",
        "history = []",
        "# More rules; uncomment to use (ids are this sheet's, as examples).",
        *_more_rules(instance),
        "",
        *_quota_lines(instance),
        "",
        _setting("[objective]", "the value of a schedule, maximised; these are the defaults"),
        _setting(f"new = {weights.new:g}", "per pair meeting for the first time"),
        _setting(f"complementary = {weights.complementary:g}", "... plus this per offer of one that the other needs"),
        _setting(f"cross_sector = {weights.cross_sector:g}", "... plus this if the two are from different sectors"),
        _setting(f"repeat = {weights.repeat:g}", 'minus this per repeat meeting (repeats = "minimise")'),
        _setting(f"fairness = {weights.fairness:g}", "plus this times the fewest new encounters anyone gets"),
    ]
    return "\n".join(lines) + "\n"


def _setting(text: str, comment: str) -> str:
    """A line with its comment in the comment column, as a person would align it."""
    return f"{text:<23} # {comment}"


def _attribute_lines(instance: Instance) -> list[str]:
    """Name the columns kept as attributes: a misspelt column (say 'absence') lands there unread."""
    kept = _kept_columns(instance)
    return (
        [f"# Other columns, kept (a quota may count one; 'email' is for breakout rooms): {', '.join(kept)}."]
        if kept
        else []
    )


def _kept_columns(instance: Instance) -> list[str]:
    return list(dict.fromkeys(header for person in instance.participants for header in person.attributes))


# Placeholder ids for the examples when the sheet has too few people.
EXAMPLE_IDS = ("p01", "p02", "p10", "p05", "p06")


def _more_rules(instance: Instance) -> list[str]:
    """together, revisit_tables, pins and wishes, commented out, with people and tables of this event."""
    ids = [p.id for p in instance.participants]
    examples = ids if len(ids) >= len(EXAMPLE_IDS) else list(EXAMPLE_IDS)
    pair, pinned, wished = examples[:2], examples[2], examples[3:5]
    table = instance.table_list[-1].id
    pin_round = min(2, instance.rounds)
    pin = f"{{ participant = {_string(pinned)}, table = {_string(table)}, rounds = [{pin_round}] }}"
    wish = f"{{ participants = {json.dumps(wished)}, weight = 5 }}"
    return [
        _setting(f"# together = [{json.dumps(pair)}]", "share a table in every round both attend"),
        _setting('# revisit_tables = "forbid"', 'nobody sits at the same table twice ("allow": the default)'),
        _setting(f"# pins = [{pin}]", "at this table in these rounds (default: every round attended)"),
        _setting(
            f"# wishes = [{wish}]",
            "soft: weight > 0 adds it once if they ever share a table; < 0 costs |weight| per round they do",
        ),
    ]


def _quota_lines(instance: Instance) -> list[str]:
    """A quota, commented out: on a column of the sheet where there is one, else on sectors."""
    columns = [c for c in _kept_columns(instance) if c.strip().casefold() != "email"]
    if columns:
        attribute = columns[0]
        values = Counter(p.attributes[attribute] for p in instance.participants if attribute in p.attributes)
    else:
        attribute = "sector"
        values = Counter(p.sector for p in instance.participants if p.sector)
    value, count = values.most_common(1)[0] if values else ("f", 0)
    tables = len(instance.table_list)
    # As evenly as the count spreads over the tables; with no count to go by, a plausible 2 to 3.
    low, high = (count // tables, -(-count // tables)) if count else (2, 3)
    return [
        "# How many of one kind at every occupied table in every round; uncomment to use, one block per quota.",
        "# [[quotas]]",
        _setting(f"# attribute = {_string(attribute)}", '"sector", "company", or a column of the sheet'),
        f"# value = {_string(value)}",
        _setting(f"# min = {low}", "at least this many (only at tables that seat someone)"),
        _setting(f"# max = {high}", "at most this many"),
    ]


def _sector_lines(instance: Instance) -> list[str]:
    sectors = Counter(p.sector for p in instance.participants if p.sector)
    if not sectors:
        return ["# (the spreadsheet gives no sectors)", "# max_per_table = 2"]
    counts = ", ".join(f"{sector} {count}" for sector, count in sectors.most_common())
    tables = len(instance.table_list)
    # The tightest cap a sector fits at the tables; suggested for all at no less than 2, as one
    # of a kind per table is rarely meant.
    tightest = {sector: -(-count // tables) for sector, count in sectors.items()}
    largest = sectors.most_common(1)[0][0]
    return [
        f"# Participants per sector: {counts}.",
        f"# max_per_table = {max(2, *tightest.values())}",
        _setting(
            f"# limits = {{ {_string(largest)} = {tightest[largest]} }}",
            "per sector, overriding max_per_table",
        ),
    ]


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's."""
    return json.dumps(text, ensure_ascii=False)
