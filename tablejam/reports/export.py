"""Printable and spreadsheet outputs of a checked schedule: CSV, XLSX and a self-contained HTML report.

No solver here: everything is computed from the instance, the seating and the checker's report.

    files = export_files(instance, schedule, check(instance, schedule), "html", Path("plan.html"))
    write_files_atomic(files)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from tablejam.check import CheckReport
from tablejam.errors import InputError
from tablejam.models.instance import Instance
from tablejam.models.schedule import Schedule
from tablejam.reports.html import html_text
from tablejam.reports.tabular import csv_files, xlsx_bytes
from tablejam.reports.views import EventView, build_view

ExportFormat = Literal["csv", "xlsx", "html"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)


def format_of(path: str | Path) -> ExportFormat | None:
    """The export format a file name asks for by its extension (any case), None for any other extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None  # type: ignore[return-value]


def export_files(
    instance: Instance, schedule: Schedule, report: CheckReport, fmt: ExportFormat, path: Path
) -> dict[Path, bytes]:
    """The files to write for `fmt` at `path` (CSV: `path` and two siblings), as bytes, nothing written yet."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format '{fmt}' (expected {', '.join(FORMATS)})", str(path))
    view = build_view(instance, schedule, report)
    if fmt == "csv":
        return csv_files(view, path)
    if fmt == "xlsx":
        return {path: xlsx_bytes(view)}
    return {path: html_text(view).encode("utf-8")}


__all__ = ["FORMATS", "EventView", "ExportFormat", "build_view", "export_files", "format_of"]
