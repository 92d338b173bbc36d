"""What requests send: JSON bodies, instances (which may name no file) and schedules, each within the limits;
and `validate`'s findings about an instance, in the form `tablejam validate --format json` prints them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tablejam.diagnostics.counting import balanced_sizes, counting_bounds
from tablejam.diagnostics.precheck import impossibilities
from tablejam.errors import InputError
from tablejam.files import Files, instance_from_data, parse_model
from tablejam.files.documents import decoded, parse_json_text
from tablejam.models.instance import Instance
from tablejam.models.schedule import Schedule
from tablejam.reports.text import validate_text
from tablejam.web.limits import Limits


def parse_json(raw: bytes, where: str) -> Any:
    """A request body as JSON; InputError in the words the CLI uses for a JSON file."""
    return parse_json_text(decoded(raw, where, "the request body is empty (expected JSON)"), where)


def received_instance(data: Any, where: str, limits: Limits) -> Instance:
    """An instance sent to the server. It may name no file (a spreadsheet, history): the server reads no file it
    was not given. Its size is capped, so that a few bytes cannot ask the engine for an enormous event."""
    if not isinstance(data, dict):
        raise InputError(f"expected an instance (a JSON object), got {type(data).__name__}", where)
    for name, entry in named_files(data):
        raise InputError(
            f"{name}: '{entry}' names a file, but an instance sent to the server may name none: send the "
            "participants in the instance and the pairs met before in rules.met_before (the page reads a spreadsheet, "
            "or an event file with the files it names, from its upload)",
            where,
        )
    instance = instance_from_data(data, where, Files(None))  # refuses any file named, should one get past the above
    return within_limits(instance, where, limits)


def within_limits(instance: Instance, where: str, limits: Limits) -> Instance:
    for field, size, most in (
        ("participants", len(instance.participants), limits.max_participants),
        ("tables", len(instance.table_list), limits.max_tables),
        ("rounds", instance.rounds, limits.max_rounds),
    ):
        if size > most:
            raise InputError(f"{field}: {size} is more than this server plans ({most} at most)", where)
    return instance


def received_schedule(data: Any, where: str) -> Schedule:
    if not isinstance(data, dict):
        raise InputError(f"expected a schedule document (a JSON object), got {type(data).__name__}", where)
    return parse_model(Schedule, data, where)


def field(body: Any, name: str, where: str = "request body") -> Any:
    """`body[name]`, or InputError saying that the body lacks it."""
    if not isinstance(body, dict):
        raise InputError(f"expected a JSON object with '{name}', got {type(body).__name__}", where)
    if name not in body:
        raise InputError(f"'{name}' is missing", where)
    return body[name]


def findings(instance: Instance) -> dict[str, Any]:
    """What `tablejam validate --format json` prints, and its text as `text`: the CLI's words for the page.

    The counts of met-before pairs from history are 0: an instance sent to the server names no history file
    (an uploaded event's history pairs are already among its met-before pairs)."""
    found = impossibilities(instance)
    bounds = counting_bounds(instance)
    limits = [(table.min, table.capacity) for table in instance.table_list]
    rounds = range(1, instance.rounds + 1)
    return {
        "valid": True,
        "feasible_by_counting": not found,
        "impossibilities": [item.model_dump(exclude={"source"}) for item in found],
        "attendees_per_round": [len(instance.attendees(r)) for r in rounds],
        "table_sizes_per_round": [balanced_sizes(len(instance.attendees(r)), limits) for r in rounds],
        "met_before_pairs": len(instance.met_before_pairs),
        "met_before_from_history": 0,
        "bounds": {
            "max_rounds_without_repeats": bounds.max_rounds_without_repeats,
            "max_new_encounters": bounds.max_new_encounters,
            "min_repeat_meetings": bounds.min_repeat_meetings,
        },
        "text": validate_text(instance, found, bounds),
    }


def named_files(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, path) of every file an instance names: its participant spreadsheet, its history schedules."""
    if isinstance(data.get("participants"), str):
        yield "participants", data["participants"]
    rules = data.get("rules")
    history = rules.get("history") if isinstance(rules, dict) else None
    if isinstance(history, list):
        for k, entry in enumerate(history):
            if isinstance(entry, str) and entry:
                yield f"rules.history[{k}]", entry
