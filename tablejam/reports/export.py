"""Printable and spreadsheet outputs of a checked schedule: CSV, XLSX, a self-contained HTML report, and
breakout-room assignments for online events.

No solver here: everything is computed from the instance, the seating and the checker's report.

    files = export_files(instance, schedule, check(instance, schedule), "html", Path("plan.html"))
    files = export_files(instance, schedule, check(instance, schedule), "breakout", Path("rooms"))
    write_files_atomic(files)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from tablejam.check import CheckReport
from tablejam.errors import InputError
from tablejam.models.instance import Instance
from tablejam.models.schedule import Schedule
from tablejam.reports.breakout import breakout_files
from tablejam.reports.html import html_text
from tablejam.reports.tabular import csv_files, xlsx_bytes
from tablejam.reports.views import EventView, build_view

ExportFormat = Literal["csv", "xlsx", "html", "breakout"]
# Formats written to one file, told by its extension; breakout writes a folder (one CSV per round).
FILE_FORMATS: tuple[str, ...] = ("csv", "xlsx", "html")
FORMATS: tuple[str, ...] = get_args(ExportFormat)


def format_of(path: str | Path) -> ExportFormat | None:
    """The export format a file name asks for by its extension (any case), None for any other extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FILE_FORMATS else None  # type: ignore[return-value]


def export_files(
    instance: Instance, schedule: Schedule, report: CheckReport, fmt: ExportFormat, path: Path
) -> dict[Path, bytes]:
    """The files to write for `fmt` at `path` (CSV: `path` and two siblings; breakout: the folder `path`, one
    file per round), as bytes, nothing written yet."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format '{fmt}' (expected {', '.join(FORMATS)})", str(path))
    if fmt == "breakout":
        return breakout_files(instance, schedule, path)
    view = build_view(instance, schedule, report)
    if fmt == "csv":
        return csv_files(view, path)
    if fmt == "xlsx":
        return {path: xlsx_bytes(view)}
    return {path: html_text(view).encode("utf-8")}


__all__ = ["FILE_FORMATS", "FORMATS", "EventView", "ExportFormat", "build_view", "export_files", "format_of"]
